"""The bulk file's JSON array, one element at a time: in this process with the standard
library's C scanner, or — for a large file — in worker processes. No ORM here."""

import collections
import gc
import io
import itertools
import json
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import ijson

from koblingsboks.companies.register.fast_decode import NotFastPath, rows_from_array_text
from koblingsboks.companies.register.records import (
    FIELD_NAMES,
    RecordError,
    entity_row_from_json,
    row_text,
    text_hash,
)
from koblingsboks.companies.register.streams import (
    EXPECTED,
    RegisterFileError,
    TruncatedInput,
    after_org,
    decoded,
    json_type,
)

if TYPE_CHECKING:
    from koblingsboks.companies.register.parser import EntityStream
    from koblingsboks.companies.register.streams import OpenedSource

# One entity is about 1.7 kB; a "record" still unfinished after this much text is broken.
MAX_RECORD_CHARS = 8 << 20
_WS = re.compile(r"[ \t\n\r]*")


_DELETED_ON = FIELD_NAMES.index("deleted_on")
ROWS_PER_BLOCK = 5000


def prepare_rows(rows: Iterable[tuple]) -> Iterator[tuple[tuple, str, str]]:
    """(row, row_text, record hash) for each row."""
    for row in rows:
        text = row_text(row)
        yield row, text, text_hash(text)


@dataclass
class CopyBlock:
    """Consecutive entities as the loader sends them to PostgreSQL's COPY: ``data`` holds
    one line per entity (its row_text, a tab, its record hash, then the loader's
    ``suffix``), ``numbers`` their org.nrs (nine digits each, in order), ``stubs`` how many
    are deleted-entity stubs. A worker process builds a whole block, so that only two
    strings cross back to the importing process instead of a tuple per entity."""

    data: bytes
    numbers: str
    stubs: int

    @property
    def count(self) -> int:
        return len(self.numbers) // 9


def copy_block(rows: list[tuple], suffix: str) -> CopyBlock:
    lines = []
    stubs = 0
    for row in rows:
        text = row_text(row)
        lines.append(f"{text}\t{text_hash(text)}{suffix}")
        if row[_DELETED_ON] is not None:
            stubs += 1
    return CopyBlock("".join(lines).encode(), "".join(row[0] for row in rows), stubs)


def blocks_from_rows(
    rows: Iterable[tuple],
    suffix: str,
    stream: "EntityStream | None" = None,
    rows_per_block: int = ROWS_PER_BLOCK,
) -> Iterator[CopyBlock]:
    """Rows grouped into CopyBlocks; each row counts as read (``stream.records_read``) as
    soon as it is taken, so that an error names the same record as when reading rows."""
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if stream is not None:
            stream.records_read += 1
        if len(batch) >= rows_per_block:
            yield copy_block(batch, suffix)
            batch = []
    if batch:
        yield copy_block(batch, suffix)


def _bulk_rows(
    chunks: Iterator[str], stream: "EntityStream", *, inside_array: bool = False
) -> Iterator[tuple]:
    """Each element of the top-level array, decoded by the C scanner in place.

    ``inside_array``: the text starts at an element, after ``stream.records_read`` ones.
    """
    scan = json.JSONDecoder().scan_once
    ws = _WS.match
    buf = ""
    pos = 0
    eof = False
    index = stream.records_read if inside_array else 0  # 1-based number of the element
    expect_value = True
    started = inside_array
    if not inside_array:
        stream._last_org_number = ""

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        chunk = next(chunks, None)
        if chunk is None:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    while True:
        pos = ws(buf, pos).end()
        if pos >= len(buf):
            if more():
                continue
            if not started:
                raise RegisterFileError("The file is empty: " + EXPECTED + ".")
            raise TruncatedInput("")
        if not started:
            if buf[pos] != "[":
                raise RegisterFileError(f"The file is not a JSON array: {EXPECTED}.")
            pos += 1
            started = True
            # An empty array: "[ ]".
            pos = ws(buf, pos).end()
            while pos >= len(buf) and more():
                pos = ws(buf, pos).end()
            if pos < len(buf) and buf[pos] == "]":
                pos += 1
                break
            continue
        if expect_value:
            index += 1
            try:
                obj, end = scan(buf, pos)
            except (StopIteration, json.JSONDecodeError) as exc:
                if len(buf) - pos < MAX_RECORD_CHARS and more():
                    index -= 1
                    continue
                if eof and _runs_to_end(buf, pos):
                    raise TruncatedInput("") from None
                raise RegisterFileError(
                    f"Invalid JSON in record {index}{after_org(stream)}: "
                    f"{_json_reason(exc, buf, pos)}. Nothing was imported."
                ) from None
            if not isinstance(obj, dict):
                raise RegisterFileError(
                    f"Record {index}{after_org(stream)} is not an entity but a JSON "
                    f"{json_type(obj)}: {EXPECTED}. Nothing was imported."
                )
            try:
                row = entity_row_from_json(obj)
            except RecordError as exc:
                raise RegisterFileError(
                    f"Record {index} is not an entity of the register: {exc}. Nothing was imported."
                ) from None
            stream._last_org_number = row[0]
            yield row
            pos = end
            expect_value = False
            continue
        char = buf[pos]
        if char == ",":
            pos += 1
            expect_value = True
        elif char == "]":
            pos += 1
            break
        else:
            raise RegisterFileError(
                f"Invalid JSON after record {index} (org.nr {stream._last_org_number}): "
                f"expected ',' or ']', found {char!r}. Nothing was imported."
            )
    # Only whitespace may follow the array.
    while True:
        pos = ws(buf, pos).end()
        if pos < len(buf):
            raise RegisterFileError(
                f"Unexpected text after the end of the array (after record {index}): "
                f"{buf[pos : pos + 20]!r}."
            )
        if not more():
            return


def _runs_to_end(buf: str, pos: int) -> bool:
    """Is the text from ``pos`` a valid start of JSON that merely stops (a cut file)?"""
    try:
        for _event in ijson.basic_parse(io.BytesIO(buf[pos:].encode())):
            pass
    except ijson.IncompleteJSONError as exc:
        return "premature EOF" in str(exc)
    return False


def _json_reason(exc: Exception, buf: str, pos: int) -> str:
    """The decoder's message, with the line within the record where it stopped."""
    if isinstance(exc, json.JSONDecodeError):
        at = exc.pos
        message = exc.msg
    else:
        at = exc.value if isinstance(exc.value, int) else pos
        message = "no JSON value where one was expected"
    line = buf.count("\n", pos, at) + 1
    return f"{message} (line {line} of the record: {buf[at : at + 30]!r})"


# --- The bulk array in worker processes ----------------------------------------------

# Below this many bytes a file is parsed in this process (starting processes costs ~0.3 s).
PARALLEL_MIN_CHARS = 2 << 20
# The bytes handed to a worker at a time (about 350 entities), and how many are in flight.
PIECE_CHARS = 1 << 19
_JACKSON_BOUNDARY = b"\n}, {"  # between two elements of the register's own file
_BOUNDARY = re.compile(rb"\}[ \t\n\r]*,[ \t\n\r]*\{")
_ARRAY_START = re.compile(rb"[ \t\n\r]*\[[ \t\n\r]*")


def bulk_items(
    opened: "OpenedSource",
    stream: "EntityStream",
    suffix: str | None = None,
    rows_per_block: int = ROWS_PER_BLOCK,
):
    """The bulk array: (row, row_text, hash) per entity, or with ``suffix`` CopyBlocks
    (see CopyBlock) — in worker processes when the file is large and there are workers.

    This process reads the (decompressed) bytes and cuts them between two elements (at
    ``}, {`` — in the register's layout a line starting with ``}``); a worker decodes and
    maps a piece and checks that it is exactly a run of whole elements. If a piece fails —
    a cut that was not between elements, or a broken record — everything from that piece on
    is parsed here in order, which gives the exact error (or the right result). Results are
    used in file order. The text is decoded from UTF-8 only in the workers.
    """
    chunks = opened.byte_chunks()
    head: list[bytes] = []
    size = 0
    if stream.workers > 0:
        for chunk in chunks:
            head.append(chunk)
            size += len(chunk)
            if size >= PARALLEL_MIN_CHARS:
                break
    data = b"".join(head)
    start = _ARRAY_START.match(data)
    if size < PARALLEL_MIN_CHARS or not start or data[start.end() : start.end() + 1] != b"{":
        rows = _bulk_rows(decoded(itertools.chain([data], chunks)), stream)
        if suffix is None:
            yield from prepare_rows(rows)
        else:
            yield from blocks_from_rows(rows, suffix, stream, rows_per_block)
        return
    stream._last_org_number = ""
    parse = _ParallelParse(stream, data[start.end() :], chunks, suffix, rows_per_block)
    yield from parse.run()


class _ParallelParse:
    def __init__(self, stream, data: bytes, chunks, suffix: str | None, rows_per_block: int):
        self.stream = stream
        self.rows_per_block = rows_per_block
        self.buf = data  # starts at an element
        self.chunks = chunks
        self.suffix = suffix
        self.pending: collections.deque = collections.deque()  # (result, bytes)
        self.max_pending = stream.workers + 2

    def run(self):
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(self.stream.workers, initializer=_init_worker)
        try:
            yield from self._pieces(pool)
        finally:
            self.stream.worker_peak_mb = _peak_rss_mb(getattr(pool, "_pool", []))
            pool.terminate()
            pool.join()

    def _submit(self, pool, piece: bytes, data: bytes) -> None:
        self.pending.append((pool.apply_async(_parse_piece, (piece, self.suffix)), data))

    def _pieces(self, pool):
        for chunk in self.chunks:
            self.buf += chunk
            if len(self.buf) > 16 * PIECE_CHARS:
                # No place to cut (not the register's layout, or broken): go on here, where
                # a record that never ends is an error.
                self.pending.append((None, self.buf))
                yield from self._drain_then_sequential()
                return
            while len(self.buf) >= PIECE_CHARS:
                cut = _cut(self.buf)
                if cut is None:
                    break
                end, next_start = cut
                piece = self.buf[:end]
                self._submit(pool, piece, piece)
                self.buf = self.buf[next_start:]
            while len(self.pending) >= self.max_pending:
                done = yield from self._take()
                if not done:
                    yield from self._sequential([self.buf], self.chunks)
                    return
        # The end: the last elements, then "]".
        rest = self.buf.rstrip(b" \t\n\r")
        if rest.endswith(b"]"):
            self._submit(pool, rest[:-1], self.buf)
        else:
            self.pending.append((None, self.buf))  # cut short or broken: parse here
        self.buf = b""
        while self.pending:
            done = yield from self._take()
            if not done:
                yield from self._sequential([], iter(()))
                return

    def _drain_then_sequential(self):
        """Use the results before the last pending piece, then parse the rest here."""
        while self.pending:
            done = yield from self._take()
            if not done:
                break
        yield from self._sequential([], self.chunks)

    def _take(self):
        """Yield the oldest piece's results; False when it failed (the caller switches to
        parsing everything from that piece on in this process)."""
        result, _data = self.pending[0]
        items = result.get() if result is not None else None
        if items is None:
            return False
        self.pending.popleft()
        if self.suffix is None:
            yield from items
            if items:
                self.stream._last_org_number = items[-1][0][0]
        else:
            self.stream.records_read += items.count
            yield items
            self.stream._last_org_number = items.numbers[-9:]
        return True

    def _sequential(self, tail: list[bytes], rest: Iterator[bytes]):
        """From the oldest pending piece on, in this process (the commas between the
        pieces, dropped when cutting, go back in)."""
        pieces = [data for _result, data in self.pending] + tail
        self.pending.clear()
        joined = b",".join(data for data in pieces if data)
        chunks = decoded(itertools.chain([joined] if joined else [], rest))
        rows = _bulk_rows(chunks, self.stream, inside_array=True)
        if self.suffix is None:
            yield from prepare_rows(rows)
        else:
            yield from blocks_from_rows(rows, self.suffix, self.stream, self.rows_per_block)


def _peak_rss_mb(processes) -> int | None:
    """The largest peak RSS (VmHWM) of the worker processes, on Linux; else None."""
    peaks = []
    for process in processes:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) // 1024)
    return max(peaks) if peaks else None


def _cut(buf: bytes) -> tuple[int, int] | None:
    """Where to cut ``buf`` between two elements: (end of the piece, start of the next)."""
    at = buf.rfind(_JACKSON_BOUNDARY, len(buf) // 2)
    if at >= 0:
        return at + 2, at + len(_JACKSON_BOUNDARY) - 1
    at = len(buf)
    for _try in range(10_000):
        at = buf.rfind(b"}", len(buf) // 2, at)
        if at < 0:
            return None
        match = _BOUNDARY.match(buf, at)
        if match:
            return at + 1, match.end() - 1
    return None


def _init_worker() -> None:
    gc.disable()  # short-lived, acyclic objects only


def _parse_piece(piece: bytes, suffix: str | None):
    """In a worker: the elements of ``piece`` (a run of whole elements separated by
    commas) as (row, text, hash) tuples, or with ``suffix`` as one CopyBlock; None when it
    is not exactly that or a record is not an entity — the main process then parses it
    itself, for the exact error."""
    try:
        rows = rows_from_array_text(b"[" + piece + b"]")
    except NotFastPath:
        rows = _rows_the_general_way(piece)
        if rows is None:
            return None
    if not rows:
        return None
    return copy_block(rows, suffix) if suffix is not None else list(prepare_rows(rows))


def _rows_the_general_way(piece: bytes) -> list[tuple] | None:
    try:
        text = piece.decode()
    except UnicodeDecodeError:
        return None
    scan = _SCANNER
    ws = _WS.match
    out = []
    pos = ws(text, 0).end()
    size = len(text)
    while True:
        try:
            obj, end = scan(text, pos)
        except (StopIteration, json.JSONDecodeError):
            return None
        if obj.__class__ is not dict:
            return None
        try:
            out.append(entity_row_from_json(obj))
        except RecordError:
            return None
        pos = ws(text, end).end()
        if pos >= size:
            return out
        if text[pos] != ",":
            return None
        pos = ws(text, pos + 1).end()


_SCANNER = json.JSONDecoder().scan_once

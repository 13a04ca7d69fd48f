"""Streaming parse of an entity-register file into EntityRecords. No ORM here.

``iter_entities(path_or_fileobj)`` accepts, and tells apart by its content (never by the
file name):

- the **bulk file** ``enheter_alle.json(.gz)``: one JSON array of entities, usually gzipped
  (detected by the gzip magic bytes) — shape ``"bulk"``;
- a REST **search page** (HAL, ``_embedded.enheter[]``) — shape ``"search_page"``;
- an object **keyed by org.nr** whose values are REST look-ups — shape ``"lookup"``;
- a **single entity** as the REST look-up returns it — shape ``"entity"``.

Memory stays bounded whatever the file size: the file is decompressed and parsed a chunk
at a time, and one entity at a time is built.

The bulk array is the hot path (1.1 million entities, 2 GB unpacked). ijson's C backend
(yajl2_c) parses it at about 45 MB/s here, 37 s for the file before any mapping; so the
array is parsed with the standard library's C JSON scanner instead, one element at a time,
straight out of a decoded text buffer (about 3x faster), while a thread decompresses the
next chunks (zlib releases the GIL), and for a large file in worker processes
(bulk_array.py). This relies on neither whitespace nor key order. The smaller REST shapes
are parsed with ijson events (rest_shapes.py). Opening and decompressing: streams.py.

Every error is a ``RegisterFileError`` whose message names the record (its place in the
file and org.nr) and says what is wrong: a truncated download, invalid JSON, an element
that is not an entity, or JSON that is none of the register's shapes.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from koblingsboks.companies.register.bulk_array import (
    CopyBlock,
    blocks_from_rows,
    bulk_items,
    prepare_rows,
)
from koblingsboks.companies.register.records import EntityRecord
from koblingsboks.companies.register.rest_shapes import object_rows
from koblingsboks.companies.register.streams import (
    SHAPES,
    CorruptInput,
    OpenedSource,
    RegisterFileError,
    TruncatedInput,
)

__all__ = ["EntityStream", "RegisterFileError", "default_workers", "iter_entities", "prepare_rows"]


class EntityStream:
    """The entities of one register file, read lazily.

    Iterating yields EntityRecords; ``rows()`` yields the same entities as tuples in
    FIELD_NAMES order, ``prepared()`` each row with its COPY text and record hash (what the
    loader writes; no dataclass per row). One of them, once. ``shape`` is known as soon as
    the first bytes are read; ``complete`` is True only after the whole file was read to
    its end without an error — the only case in which absence from the file may be read as
    deletion, and only for the bulk shape.
    """

    def __init__(self, source, *, name: str | None = None, workers: int | None = None):
        self.name = name or _source_name(source)
        self.workers = default_workers() if workers is None else max(0, workers)
        self._source = source
        self._opened = None
        self.shape: str | None = None
        self.records_read = 0
        self.complete = False
        self.worker_peak_mb: int | None = None  # when worker processes parsed the file
        self._started = False

    @property
    def is_complete_register(self) -> bool:
        """A bulk file read to its end: the whole register as of the file's date."""
        return self.complete and self.shape == "bulk"

    def describe_shape(self) -> str:
        return SHAPES.get(self.shape or "", "unknown")

    def __iter__(self) -> Iterator[EntityRecord]:
        for row in self.rows():
            yield EntityRecord(*row)

    def rows(self) -> Iterator[tuple]:
        for row, _text, _digest in self.prepared():
            yield row

    def prepared(self) -> Iterator[tuple[tuple, str, str]]:
        """(row, its row_text, its record hash) per entity: what the loader writes. For a
        large bulk file the worker processes compute all three."""
        self._start()
        try:
            yield from self._prepared()
        finally:
            self.close()

    def copy_blocks(self, suffix: str, rows_per_block: int = 5000) -> Iterator[CopyBlock]:
        """The entities as lines of PostgreSQL's COPY text format, each ending in
        ``suffix``, a block of consecutive entities at a time (see bulk_array.CopyBlock;
        the worker processes make blocks of one piece of the file each)."""
        self._start()
        try:
            self.open()
            with self._errors():
                if self.shape == "bulk":
                    yield from bulk_items(self._opened, self, suffix, rows_per_block)
                else:
                    rows = object_rows(self._opened.binary_reader(), self)
                    yield from blocks_from_rows(rows, suffix, self, rows_per_block)
            self.complete = True
        finally:
            self.close()

    def _start(self) -> None:
        if self._started:
            raise RuntimeError("an EntityStream can be read only once")
        self._started = True

    def open(self) -> "EntityStream":
        """Read the first bytes and detect the shape (iterating does this by itself)."""
        if self._opened is None:
            with self._errors():
                self._opened = OpenedSource(self._source)
                self.shape = self._opened.detect_shape()
        return self

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()

    def _prepared(self) -> Iterator[tuple[tuple, str, str]]:
        self.open()
        opened = self._opened
        with self._errors():
            if self.shape == "bulk":
                items = bulk_items(opened, self)
            else:
                items = prepare_rows(object_rows(opened.binary_reader(), self))
            for item in items:
                self.records_read += 1
                yield item
        self.complete = True

    @contextmanager
    def _errors(self):
        """Low-level failures of reading → a RegisterFileError that says what to do."""
        try:
            yield
        except TruncatedInput as exc:
            raise RegisterFileError(
                f"The file ends early (truncated download?) after {self.records_read} "
                f"records{_after(self)}{_detail(exc)}. Nothing was imported; download the "
                "file again."
            ) from None
        except CorruptInput as exc:
            raise RegisterFileError(
                f"The gzip data is corrupt after {self.records_read} records{_after(self)}"
                f"{_detail(exc)}. Nothing was imported; download the file again."
            ) from None
        except UnicodeDecodeError as exc:
            raise RegisterFileError(
                f"The file is not UTF-8 text (after {self.records_read} records"
                f"{_after(self)}): {exc.reason}."
            ) from None


def iter_entities(source, *, name: str | None = None, workers: int | None = None) -> EntityStream:
    """Stream the entities of a register file (a path or a binary file object).

    ``workers``: processes that parse a large bulk file in parallel (default: the
    BRREG_IMPORT_WORKERS environment variable, else 1 on a machine with several CPUs; 0 parses
    in this process only). Small files are always parsed in this process.
    """
    return EntityStream(source, name=name, workers=workers)


def default_workers() -> int:
    configured = os.environ.get("BRREG_IMPORT_WORKERS", "").strip()
    if configured.isdigit():
        return int(configured)
    # One parser process beside the importing one and the database server: on two cores a
    # second parser process gained nothing, and the whole import stays under 200 MB.
    return 1 if (os.cpu_count() or 1) > 1 else 0


def _source_name(source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "") or "<stream>")


def _after(stream: EntityStream) -> str:
    last = getattr(stream, "_last_org_number", "")
    return f" (the last complete one is org.nr {last})" if last else ""


def _detail(exc: Exception) -> str:
    text = str(exc)
    return f"; {text}" if text else ""

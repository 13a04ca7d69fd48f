"""Opening a register file: plain or gzip (by its magic bytes), decompressed in a thread,
and the shape of its JSON told from the first bytes. Errors shared by the parsers."""

import codecs
import io
import os
import queue
import re
import threading
import zlib
from collections.abc import Iterator

import ijson

CHUNK_BYTES = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
SHAPES = {
    "bulk": "the bulk file (a JSON array of entities)",
    "search_page": "a search page of the REST API (_embedded.enheter)",
    "lookup": "REST look-ups keyed by organisation number",
    "entity": "one entity as the REST API returns it",
}
EXPECTED = (
    "expected one of the register's shapes: the bulk file (a JSON array of entities), a "
    "REST search page (_embedded.enheter), an object keyed by organisation number, or one "
    "entity"
)
ORG_KEY = re.compile(r"^[0-9]{9}$")
HAL_KEYS = {"_embedded", "_links", "page"}


def after_org(stream) -> str:
    last = stream._last_org_number
    return f" (after org.nr {last})" if last else ""


class RegisterFileError(ValueError):
    """The file cannot be read as register entities; the message names the record."""


class TruncatedInput(Exception):
    """The input stops in the middle (a cut download)."""


class CorruptInput(Exception):
    """The gzip data is damaged."""


def json_type(value) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null", dict: "object"}.get(
        type(value), "number"
    )


class OpenedSource:
    """An open source: gzip or plain, with the first bytes kept for shape detection."""

    def __init__(self, source):
        if isinstance(source, str | os.PathLike):
            self.file = open(source, "rb")  # noqa: SIM115 - closed by close()
            self.owned = True
        else:
            self.file = source
            self.owned = False
        head = self.file.read(2)
        if isinstance(head, str):
            raise RegisterFileError("Open the register file in binary mode ('rb').")
        self.gzip = head == GZIP_MAGIC
        self.pending = head  # raw bytes read ahead of the chunk iterator
        self.chunks = self._decompressed() if self.gzip else self._plain()
        self.first = b""
        self._reader_thread = None

    def close(self) -> None:
        stop = getattr(self, "_stop", None)
        if stop is not None:
            stop.set()
        if self.owned:
            self.file.close()

    def detect_shape(self) -> str:
        """From the first non-whitespace byte, and for an object its first key."""
        data = b""
        for chunk in self.chunks:
            data += chunk
            stripped = data.lstrip(b" \t\r\n")
            if stripped.startswith(codecs.BOM_UTF8):
                data = stripped[len(codecs.BOM_UTF8) :]
                stripped = data
            # An object's shape shows in its first key: read a little further for that.
            if stripped[:1] == b"[" or (stripped and len(data) >= 65536):
                break
        self.first = data
        stripped = data.lstrip(b" \t\r\n")
        if not stripped:
            raise RegisterFileError("The file is empty: " + EXPECTED + ".")
        if stripped[:1] == b"[":
            return "bulk"
        if stripped[:1] != b"{":
            raise RegisterFileError(
                f"The file is not JSON (it starts with {stripped[:20]!r}): {EXPECTED}."
            )
        return _object_shape(stripped)

    def byte_chunks(self) -> Iterator[bytes]:
        if self.first:
            yield self.first
        yield from self.chunks

    def text_chunks(self) -> Iterator[str]:
        return decoded(self.byte_chunks())

    def binary_reader(self):
        return ChunkReader(self.byte_chunks())

    def _plain(self) -> Iterator[bytes]:
        if self.pending:
            yield self.pending
        while chunk := self.file.read(CHUNK_BYTES):
            yield chunk

    def _decompressed(self) -> Iterator[bytes]:
        """Decompress in a thread (zlib releases the GIL), at most a few MB ahead."""
        chunks: queue.Queue = queue.Queue(maxsize=8)
        self._stop = stop = threading.Event()

        def put(item) -> bool:
            while not stop.is_set():
                try:
                    chunks.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def work():
            try:
                for chunk in _inflate(self.file, self.pending):
                    if not put(chunk):
                        return
                put(None)
            except BaseException as exc:  # handed to the reading thread
                put(exc)

        thread = threading.Thread(target=work, name="brreg-gunzip", daemon=True)
        thread.start()
        self._reader_thread = thread
        try:
            while True:
                item = chunks.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()


def decoded(chunks: Iterator[bytes]) -> Iterator[str]:
    """UTF-8 text of byte chunks that may end inside a character."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in chunks:
        yield decoder.decode(chunk)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _inflate(file, data: bytes) -> Iterator[bytes]:
    """Decompress a gzip stream (one or more members), checking that it ends properly:
    a member cut short never reaches its end marker, and zlib checks each CRC."""
    decompressor = zlib.decompressobj(wbits=31)
    in_member = False
    at_eof = False
    while True:
        if not data:
            if at_eof:
                break
            data = file.read(CHUNK_BYTES)
            if not data:
                at_eof = True
                continue
        if not in_member:
            data = data.lstrip(b"\x00")  # zero padding between or after members
            if not data:
                continue
            in_member = True
        try:
            out = decompressor.decompress(data, CHUNK_BYTES)
        except zlib.error as exc:
            raise CorruptInput(f"zlib: {exc}") from None
        if out:
            yield out
        if decompressor.eof:
            data = decompressor.unused_data
            decompressor = zlib.decompressobj(wbits=31)
            in_member = False
        else:
            data = decompressor.unconsumed_tail
    while in_member:
        # The input has ended: drain what zlib still holds, then it must be at its end.
        try:
            out = decompressor.decompress(b"", CHUNK_BYTES)
        except zlib.error as exc:
            raise CorruptInput(f"zlib: {exc}") from None
        if out:
            yield out
        if decompressor.eof:
            return
        if not out:
            raise TruncatedInput("the gzip stream stops before its end marker")


class ChunkReader(io.RawIOBase):
    """A read()-able view of an iterator of byte chunks (for ijson)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)


def _object_shape(head: bytes) -> str:
    """The shape of a JSON object from its first key ("object" when it cannot tell yet)."""
    try:
        events = ijson.parse(io.BytesIO(head[:65536]))
        next(events)
        _prefix, event, key = next(events)
    except (ijson.JSONError, StopIteration):
        return "object"
    if event != "map_key":
        return "object"
    if ORG_KEY.match(key):
        return "lookup"
    return "search_page" if key in HAL_KEYS else "entity"

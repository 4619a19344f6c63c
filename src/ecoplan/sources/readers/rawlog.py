"""The receiver's durable raw log: every frame received, in order, before it is acknowledged.

hj212 spec §11 items 2–4 want a frame kept before its 9014 goes out and duplicates
recognised later; this log is that "kept": the receiver appends a record, fsyncs, **then**
acks (``docs/sources-receiver.md``). Pure file IO, no store.

Layout: ``<dir>/<receiver>/<seg>.log``, segments numbered from 0 (8 digits), a new one
when the current one passes ``segment_bytes``. A record is::

    u32 length | u32 CRC32 | payload (length bytes)                     (big-endian)
    payload = f64 received_at (epoch s) | u8 verdict (0 ok, 1 quarantine)
              | u16 n + peer | u16 n + reason | u16 n + detail | data (the bytes received)

A :class:`Position` is (segment, byte offset of the record); the offset **after** a record
is where reading resumes. Opening a :class:`LogWriter` recovers: it keeps the longest run
of whole records with a good CRC in the newest segment and truncates the rest (the torn
tail a ``kill -9`` leaves mid-write); :func:`read_log` stops at the first record that is
not whole (a writer may be writing it). One writer per receiver name (an exclusive
``flock`` on ``<dir>/<receiver>/LOCK``).
"""

from __future__ import annotations

import fcntl
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, NamedTuple

__all__ = [
    "DEFAULT_SEGMENT_BYTES",
    "START",
    "LogBusy",
    "LogWriter",
    "Position",
    "Record",
    "Verdict",
    "encode_record",
    "read_log",
    "receivers",
    "scan",
    "segments",
]

#: A new segment after this many bytes.
DEFAULT_SEGMENT_BYTES: Final = 64 * 1024 * 1024
_HEAD: Final = struct.Struct(">II")
_FIXED: Final = struct.Struct(">dB")
_LEN: Final = struct.Struct(">H")
_MAX_RECORD: Final = 1 << 20  # a frame is ≤ 10 KiB; anything larger is a torn length field
_VERDICTS: Final = ("ok", "quarantine")


Verdict = Literal["ok", "quarantine"]


class Position(NamedTuple):
    """Where a record starts (or where reading resumes): segment number and byte offset."""

    seg: int
    pos: int


#: The beginning of a log.
START: Final = Position(0, 0)


@dataclass(frozen=True, slots=True)
class Record:
    """One received frame (or bytes that were not one): when, from whom, the receiver's
    verdict (``ok`` or ``quarantine`` with a ``reason`` code and ``detail``) and the bytes."""

    received_at: float
    peer: str
    verdict: Verdict
    data: bytes
    reason: str = ""
    detail: str = ""


class LogBusy(RuntimeError):
    """Another writer holds the log of this receiver name."""


def _short(text: str) -> bytes:
    raw = text.encode("utf-8")[:0xFFFF]
    return _LEN.pack(len(raw)) + raw


def encode_record(record: Record) -> bytes:
    """The bytes of ``record`` as stored (length, CRC32, payload)."""
    payload = b"".join(
        (
            _FIXED.pack(record.received_at, _VERDICTS.index(record.verdict)),
            _short(record.peer),
            _short(record.reason),
            _short(record.detail),
            record.data,
        )
    )
    return _HEAD.pack(len(payload), zlib.crc32(payload)) + payload


def _decode_payload(payload: bytes) -> Record | None:
    try:
        at, verdict = _FIXED.unpack_from(payload, 0)
        i = _FIXED.size
        texts: list[str] = []
        for _ in range(3):
            (n,) = _LEN.unpack_from(payload, i)
            i += 2
            if i + n > len(payload):
                return None
            texts.append(payload[i : i + n].decode("utf-8"))
            i += n
        return Record(at, texts[0], _VERDICTS[verdict], payload[i:], texts[1], texts[2])
    except (struct.error, IndexError, UnicodeDecodeError):
        return None


def scan(data: bytes, start: int = 0) -> Iterator[tuple[int, int, Record]]:
    """(offset, next offset, record) for each whole record of ``data`` from ``start``;
    stops at the first one that is torn or fails its CRC."""
    at = start
    size = len(data)
    while at + _HEAD.size <= size:
        length, crc = _HEAD.unpack_from(data, at)
        end = at + _HEAD.size + length
        if length > _MAX_RECORD or end > size:
            return
        payload = data[at + _HEAD.size : end]
        if zlib.crc32(payload) != crc:
            return
        record = _decode_payload(payload)
        if record is None:
            return
        yield at, end, record
        at = end


def _seg_path(folder: Path, seg: int) -> Path:
    return folder / f"{seg:08d}.log"


def segments(log_dir: str | Path, receiver: str) -> list[int]:
    """The segment numbers of ``receiver``'s log, ascending."""
    folder = Path(log_dir) / receiver
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.log") if p.stem.isdigit())


def receivers(log_dir: str | Path) -> list[str]:
    """The receiver names with a log under ``log_dir``."""
    root = Path(log_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and segments(root, p.name))


def read_log(
    log_dir: str | Path, receiver: str, start: Position = START
) -> Iterator[tuple[Position, Position, Record]]:
    """(position, next position, record) of every whole record from ``start`` on.

    A segment ends at its first record that is not whole; reading then goes on in the
    next segment when there is one (the tail of an older segment can only be torn if a
    writer crashed in it, and recovery truncated it) and stops in the newest.
    """
    folder = Path(log_dir) / receiver
    for seg in segments(log_dir, receiver):
        if seg < start.seg:
            continue
        data = _seg_path(folder, seg).read_bytes()
        first = start.pos if seg == start.seg else 0
        for at, end, record in scan(data, first):
            yield Position(seg, at), Position(seg, end), record


class LogWriter:
    """The append side of one receiver's log (one per receiver name, see the module doc).

    :meth:`append` buffers a record and returns its position; :meth:`sync` writes what is
    buffered and fsyncs once (batched fsync). For a receiver that fsyncs in a worker
    thread, :meth:`take` (in the appending thread) hands over the buffered chunks and
    :meth:`flush` (in the worker) writes and fsyncs them.
    """

    def __init__(
        self, log_dir: str | Path, receiver: str, *, segment_bytes: int = DEFAULT_SEGMENT_BYTES
    ) -> None:
        if not receiver or "/" in receiver or receiver.startswith("."):
            raise ValueError(f"bad receiver name {receiver!r}")
        self.folder = Path(log_dir) / receiver
        self.folder.mkdir(parents=True, exist_ok=True)
        self.segment_bytes = segment_bytes
        self._lock = os.open(self.folder / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock)
            raise LogBusy(f"{self.folder}: another receiver writes this log") from None
        segs = segments(log_dir, receiver)
        self.seg = segs[-1] if segs else 0
        self.truncated = self._recover()
        self.size = _seg_path(self.folder, self.seg).stat().st_size
        self._fd = os.open(_seg_path(self.folder, self.seg), os.O_WRONLY | os.O_APPEND)
        self._fd_seg = self.seg
        self._pending: list[tuple[int, bytearray]] = []
        self.closed = False

    def _recover(self) -> int:
        """Truncate the newest segment after its last whole record; the bytes dropped."""
        path = _seg_path(self.folder, self.seg)
        if not path.exists():
            path.touch()
            _fsync_dir(self.folder)
            return 0
        data = path.read_bytes()
        good = 0
        for _, end, _ in scan(data):
            good = end
        if good < len(data):
            with path.open("r+b") as fh:
                fh.truncate(good)
                os.fsync(fh.fileno())
        return len(data) - good

    @property
    def position(self) -> Position:
        """Where the next record goes."""
        return Position(self.seg, self.size)

    @property
    def pending(self) -> int:
        """Bytes appended and not yet taken for writing."""
        return sum(len(b) for _, b in self._pending)

    def append(self, record: Record) -> Position:
        """Buffer ``record``; its position (durable after the next :meth:`sync`/:meth:`flush`)."""
        data = encode_record(record)
        if self.size and self.size + len(data) > self.segment_bytes:
            self.seg += 1
            self.size = 0
        at = Position(self.seg, self.size)
        if self._pending and self._pending[-1][0] == self.seg:
            self._pending[-1][1].extend(data)
        else:
            self._pending.append((self.seg, bytearray(data)))
        self.size += len(data)
        return at

    def take(self) -> list[tuple[int, bytearray]]:
        """The buffered chunks (segment, bytes), handed over for :meth:`flush`."""
        chunks, self._pending = self._pending, []
        return chunks

    def flush(self, chunks: list[tuple[int, bytearray]]) -> None:
        """Write ``chunks`` (from :meth:`take`, in order) and fsync them (one fsync per segment)."""
        for seg, data in chunks:
            if seg != self._fd_seg:
                os.fsync(self._fd)
                os.close(self._fd)
                self._fd = os.open(_seg_path(self.folder, seg), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                self._fd_seg = seg
                _fsync_dir(self.folder)
            view = memoryview(data)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            os.fdatasync(self._fd)

    def sync(self) -> None:
        """Write and fsync everything appended so far."""
        self.flush(self.take())

    def close(self) -> None:
        """Sync and release the log."""
        if self.closed:
            return
        self.sync()
        os.close(self._fd)
        os.close(self._lock)
        self.closed = True

    def __enter__(self) -> LogWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Packet framing (通讯包结构), HJ 212-2017 §6.3.1 Table 2 = spec §2; unchanged in 2025 (§25.2).

``"##" + LLLL + <data segment, LLLL bytes> + HHHH + "\\r\\n"``: LLLL is the 4-digit
decimal byte length of the data segment, HHHH its CRC16 (Annex A, :mod:`.crc`) in hex.

:func:`encode_frame` builds a packet; :class:`FrameDecoder` is a sans-IO stream decoder
(spec §2 "Recommendation for the receiver framer"): feed it bytes in any chunking and
it returns the same :class:`Frame` / :class:`FrameError` events. Rules:

1. scan for ``##`` (in a run of ``#``, the last two); bytes before it are reported once
   as ``garbage``;
2. read 4 ASCII digits L (else ``bad_length_field``);
3. the frame ends at the **first** ``\\r\\n`` after the header (a data segment is printable
   text, §2: "all packets are ASCII", Chinese as UTF-8), so a corrupted L never makes
   the decoder swallow the next packet; then the 4 characters before it must be hex
   (``bad_crc_field``), the segment must be L bytes (``length_mismatch``), printable
   UTF-8 (``control_char`` / ``not_utf8``; ``non_ascii`` when ``ascii_only``), at most
   ``max_segment`` bytes (``segment_too_long``; 1024 is the standard's limit, real devices
   exceed it, [PKT 45]) and its CRC must verify, case-insensitively (``bad_crc``, with the
   variant of §3.4 named when it is Modbus or swapped Modbus);
4. HJ 212-2025 encrypted segments (``CP=&&{0x…``, §25.4, §25.9 item 2) keep the plaintext
   length and CRC: they are returned as a :class:`Frame` with ``encrypted=True`` and the
   CRC not checked (it needs the key);
5. after any error, resynchronise on the next ``##`` after the failed one;
6. the buffer never holds more than ``cap`` bytes (default 10 KiB: the 4-digit length field
   allows 9999 + 12 bytes); a candidate longer than that is ``oversize``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ecoplan.sources.protocol.crc import crc16, crc_variant
from ecoplan.sources.protocol.errors import EXCERPT_BYTES, LocalProtocolError

__all__ = [
    "DEFAULT_CAP",
    "MAX_LENGTH_FIELD",
    "STANDARD_MAX_SEGMENT",
    "Event",
    "Frame",
    "FrameDecoder",
    "FrameError",
    "encode_frame",
]

#: The standard's data-segment limit, 0 ≤ n ≤ 1024 (Table 2; 2025 Table 2 unchanged).
STANDARD_MAX_SEGMENT: Final = 1024
#: The largest length the 4-digit field can declare.
MAX_LENGTH_FIELD: Final = 9999
#: The default buffer cap: a 9999-byte segment + 12 framing bytes, with margin.
DEFAULT_CAP: Final = 10 * 1024

_HEX: Final = frozenset(b"0123456789abcdefABCDEF")
_ENCRYPTED_MARK: Final = b"CP=&&{0x"
#: A control byte inside a segment (C0 or DEL): one regex search, not a loop over bytes.
_CONTROL: Final = re.compile(rb"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Frame:
    """A well-framed packet at stream ``offset`` (of its first ``#``).

    ``segment`` is the data segment, ``crc`` the 4 hex characters as sent (case kept),
    ``declared_length`` the LLLL field. ``encrypted``: an SM4 data area (§25.4) whose CRC
    covers the plaintext and could not be checked here; then ``declared_length`` may
    differ from ``len(segment)`` (the 2025 examples keep the plaintext length).
    """

    offset: int
    segment: bytes
    crc: str
    declared_length: int
    encrypted: bool = False

    @property
    def raw(self) -> bytes:
        """The packet as received, ``\\r\\n`` included."""
        return b"##%04d%s%s\r\n" % (self.declared_length, self.segment, self.crc.encode("ascii"))


@dataclass(frozen=True, slots=True)
class FrameError:
    """Bytes at stream ``offset`` that are not a valid packet; the peer's fault.

    ``reason`` is a stable code (see the module doc), ``detail`` says why in words,
    ``excerpt`` holds the first bytes concerned and ``size`` how many bytes were dropped.
    """

    offset: int
    reason: str
    detail: str
    excerpt: bytes
    size: int


Event = Frame | FrameError


def encode_frame(segment: bytes | str, *, lower: bool = False, max_segment: int = MAX_LENGTH_FIELD) -> bytes:
    """The packet of ``segment``: ``##`` + length + segment + CRC + ``\\r\\n`` (Table 2).

    >>> encode_frame("QN=20240601085857223;ST=32;CN=1011;PW=123456;"
    ...              "MN=010000A8900016F000169DC0;Flag=9;CP=&&&&")[-8:]
    b'&&2200\\r\\n'

    ``lower`` writes the CRC in lower case (as some devices do, [PKT 3, 7, 17]); raises
    :class:`LocalProtocolError` for a segment over ``max_segment`` bytes or containing
    control characters (which would break the framing).
    """
    data = segment.encode("utf-8") if isinstance(segment, str) else segment
    if len(data) > min(max_segment, MAX_LENGTH_FIELD):
        raise LocalProtocolError(
            "segment_too_long", f"{len(data)} bytes > {min(max_segment, MAX_LENGTH_FIELD)}", data
        )
    bad = next((i for i, b in enumerate(data) if b < 0x20 or b == 0x7F), None)
    if bad is not None:
        raise LocalProtocolError("control_char", f"control byte 0x{data[bad]:02X} at {bad}", data)
    crc = f"{crc16(data):04x}" if lower else f"{crc16(data):04X}"
    return b"##%04d%s%s\r\n" % (len(data), data, crc.encode("ascii"))


class FrameDecoder:
    """Sans-IO HJ 212 stream framer: :meth:`feed` bytes, get events; :meth:`close` at EOF.

    ``max_segment``: longest accepted data segment (default 9999, lenient; 1024 = strict
    Table 2). ``cap``: the buffer bound in bytes. ``ascii_only``: reject UTF-8 text.
    """

    def __init__(
        self, *, max_segment: int = MAX_LENGTH_FIELD, cap: int = DEFAULT_CAP, ascii_only: bool = False
    ) -> None:
        if not 0 <= max_segment <= MAX_LENGTH_FIELD:
            raise ValueError(f"max_segment must be in 0..{MAX_LENGTH_FIELD}")
        if cap < MAX_LENGTH_FIELD + 12:
            raise ValueError(f"cap must be at least {MAX_LENGTH_FIELD + 12} bytes")
        self.max_segment = max_segment
        self.cap = cap
        self.ascii_only = ascii_only
        self._buf = bytearray()
        self._base = 0  # stream offset of _buf[0]
        self._garbage = 0  # bytes skipped since the last event
        self._garbage_at = 0
        self._garbage_head = bytearray()
        self._quiet = False  # skipped bytes are the tail of a reported error
        self._closed = False

    @property
    def buffered(self) -> int:
        """Bytes held (always ≤ ``cap``)."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[Event]:
        """Take ``data`` (any chunk of the stream) and return the events it completes."""
        if self._closed:
            raise LocalProtocolError("closed", "feed() after close()", data)
        events: list[Event] = []
        view = memoryview(data)
        while view:
            room = self.cap - len(self._buf)
            self._buf += view[:room]
            view = view[room:]
            self._scan(events, final=False)
        return events

    def close(self) -> list[Event]:
        """End of stream: report what is left (a truncated packet, trailing garbage)."""
        events: list[Event] = []
        self._scan(events, final=True)
        self._closed = True
        return events

    # --- internals -------------------------------------------------------------------

    def _skip(self, n: int) -> None:
        if n <= 0:
            return
        if not self._quiet:
            if self._garbage == 0:
                self._garbage_at = self._base
            if len(self._garbage_head) < EXCERPT_BYTES:
                self._garbage_head += self._buf[: min(n, EXCERPT_BYTES - len(self._garbage_head))]
            self._garbage += n
        del self._buf[:n]
        self._base += n

    def _flush_garbage(self, events: list[Event]) -> None:
        if self._garbage:
            events.append(
                FrameError(
                    self._garbage_at,
                    "garbage",
                    f"{self._garbage} bytes outside any packet",
                    bytes(self._garbage_head),
                    self._garbage,
                )
            )
            self._garbage = 0
            self._garbage_head.clear()

    def _fail(self, events: list[Event], reason: str, detail: str, size: int) -> None:
        """Report the candidate at ``_buf[0]`` and resynchronise after its first ``#``."""
        self._flush_garbage(events)
        events.append(
            FrameError(self._base, reason, detail, bytes(self._buf[: min(size, EXCERPT_BYTES)]), size)
        )
        del self._buf[:1]
        self._base += 1
        self._quiet = True

    def _scan(self, events: list[Event], *, final: bool) -> None:
        buf = self._buf
        while True:
            start = buf.find(b"##")
            if start < 0:
                # keep a trailing '#': it may begin the next '##'
                keep = 1 if buf.endswith(b"#") and not final else 0
                self._skip(len(buf) - keep)
                if final:
                    self._flush_garbage(events)
                return
            self._skip(start)
            self._quiet = False
            run = 0  # in a run of '#', the header is the last two
            while run + 2 < len(buf) and buf[run + 2] == 0x23:
                run += 1
            self._skip(run)
            if len(buf) == 2 and not final:
                return
            if len(buf) < 6:
                if final:
                    self._fail(events, "truncated", "stream ended inside the header", len(buf))
                    continue
                return
            field = bytes(buf[2:6])
            if not field.isdigit():
                self._fail(events, "bad_length_field", f"length field {field!r} is not 4 decimal digits", 6)
                continue
            declared = int(field)
            end = buf.find(b"\r\n", 6)
            if end < 0:
                if final:
                    self._fail(events, "truncated", "stream ended before the \\r\\n terminator", len(buf))
                    continue
                if len(buf) >= self.cap:
                    self._fail(events, "oversize", f"no \\r\\n within {self.cap} bytes", len(buf))
                    continue
                return
            self._frame(events, declared, end)

    def _frame(self, events: list[Event], declared: int, end: int) -> None:
        buf = self._buf
        size = end + 2
        if end - 6 < 4 or not all(b in _HEX for b in buf[end - 4 : end]):
            self._fail(events, "bad_crc_field", f"no 4 hex CRC digits before \\r\\n at +{end}", size)
            return
        segment = bytes(buf[6 : end - 4])
        crc_text = buf[end - 4 : end].decode("ascii")
        n = len(segment)
        encrypted = _ENCRYPTED_MARK in segment
        if n != declared and not encrypted:
            self._fail(
                events, "length_mismatch", f"length field says {declared}, segment has {n} bytes", size
            )
            return
        if n > self.max_segment and not encrypted:
            self._fail(events, "segment_too_long", f"segment of {n} bytes > {self.max_segment}", size)
            return
        ctl = _CONTROL.search(segment)
        if ctl is not None:
            bad = ctl.start()
            self._fail(events, "control_char", f"control byte 0x{segment[bad]:02X} at +{6 + bad}", size)
            return
        if self.ascii_only and not segment.isascii():
            self._fail(events, "non_ascii", "non-ASCII byte in the segment", size)
            return
        try:
            segment.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._fail(events, "not_utf8", f"invalid UTF-8 at +{6 + exc.start}", size)
            return
        if not encrypted:
            sent = int(crc_text, 16)
            want = crc16(segment)
            if sent != want:
                variant = crc_variant(segment, sent)
                how = f" ({variant} CRC, not HJ 212 Annex A)" if variant else ""
                self._fail(events, "bad_crc", f"CRC {crc_text} sent, {want:04X} computed{how}", size)
                return
        self._flush_garbage(events)
        events.append(Frame(self._base, segment, crc_text, declared, encrypted))
        del buf[:size]
        self._base += size

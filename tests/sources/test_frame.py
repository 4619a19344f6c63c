"""The sans-IO framer (spec §2): any chunking gives the same events; garbage is survived;
memory is bounded; local misuse raises :class:`LocalProtocolError`."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sources.packets import PACKETS, needs_data

from ecoplan.sources.protocol import frame as frame_mod
from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.protocol.frame import DEFAULT_CAP, Event, Frame, FrameDecoder, FrameError, encode_frame

SEG = b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"
PKT = encode_frame(SEG)


def feed_chunks(data: bytes, sizes: list[int] | None = None, **kw: int) -> list[Event]:
    decoder = FrameDecoder(**kw)  # type: ignore[arg-type]
    events: list[Event] = []
    at = 0
    for size in sizes or [len(data)]:
        events += decoder.feed(data[at : at + size])
        at += size
    events += decoder.feed(data[at:])
    return events + decoder.close()


def bytewise(data: bytes) -> list[Event]:
    return feed_chunks(data, [1] * len(data))


def test_doctests() -> None:
    import doctest

    assert doctest.testmod(frame_mod).failed == 0


def test_encode_the_standard_example() -> None:
    assert PKT == b"##0101" + SEG + b"1C80\r\n"
    assert encode_frame(SEG, lower=True).endswith(b"1c80\r\n")
    assert encode_frame(SEG.decode()) == PKT


def test_encode_misuse_is_local() -> None:
    with pytest.raises(LocalProtocolError) as exc:
        encode_frame(b"x" * 10000)
    assert exc.value.reason == "segment_too_long"
    with pytest.raises(LocalProtocolError) as exc:
        encode_frame(b"a\r\nb")
    assert exc.value.reason == "control_char"
    with pytest.raises(LocalProtocolError):
        encode_frame(SEG, max_segment=100)
    decoder = FrameDecoder()
    decoder.close()
    with pytest.raises(LocalProtocolError):
        decoder.feed(PKT)
    with pytest.raises(ValueError, match="cap"):
        FrameDecoder(cap=100)


def test_one_frame_whole_and_bytewise() -> None:
    whole = feed_chunks(PKT)
    assert whole == bytewise(PKT) == [Frame(0, SEG, "1C80", 101)]


def test_garbage_before_between_after() -> None:
    stream = b"noise#" + PKT + b"\x00\xff##x" + PKT + b"tail#"
    events = feed_chunks(stream)
    assert events == bytewise(stream)
    kinds = [(type(e).__name__, getattr(e, "reason", None)) for e in events]
    assert kinds == [
        ("FrameError", "garbage"),
        ("Frame", None),
        ("FrameError", "garbage"),
        ("FrameError", "bad_length_field"),
        ("Frame", None),
        ("FrameError", "garbage"),
    ]
    assert events[0] == FrameError(0, "garbage", "6 bytes outside any packet", b"noise#", 6)
    assert events[2].excerpt == b"\x00\xff" and events[3].excerpt == b"##x##0"  # type: ignore[union-attr]
    assert isinstance(events[1], Frame) and events[1].offset == 6
    assert isinstance(events[4], Frame) and events[4].offset == 6 + len(PKT) + 5
    assert events[5].offset == 6 + 2 * len(PKT) + 5 and events[5].size == 5  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("packet", "reason"),
    [
        (b"##01x1" + SEG + b"1C80\r\n", "bad_length_field"),
        (b"##0102" + SEG + b"1C80\r\n", "length_mismatch"),
        (b"##0101" + SEG + b"1C81\r\n", "bad_crc"),
        (b"##0101" + SEG + b"1CZ0\r\n", "bad_crc_field"),
        (b"##0101" + SEG[:-3] + b"\x01&&" + b"1C80\r\n", "control_char"),
        (b"##0101" + SEG[:-4] + b"\xff\xfe&&" + b"1C80\r\n", "not_utf8"),
        (b"##0101" + SEG + b"1C80", "truncated"),
        (b"##01", "truncated"),
    ],
)
def test_bad_frames_name_their_reason_and_offset(packet: bytes, reason: str) -> None:
    stream = b"xy" + packet
    events = feed_chunks(stream)
    assert events == bytewise(stream)
    assert [e.reason for e in events if isinstance(e, FrameError)] == ["garbage", reason]
    assert events[1].offset == 2


def test_non_ascii_is_an_option() -> None:
    seg = "QN=20160801085857223;ST=32;CN=3020;PW=100000;MN=X;Flag=5;CP=&&i11001-Info=//日志//&&".encode()
    (ok,) = feed_chunks(encode_frame(seg))
    assert isinstance(ok, Frame) and ok.segment == seg
    (bad,) = feed_chunks(encode_frame(seg), ascii_only=True)
    assert isinstance(bad, FrameError) and bad.reason == "non_ascii"


def test_strict_segment_limit() -> None:
    seg = b"ST=32;CN=2011;CP=&&" + b"a=1;" * 260 + b"b=2&&"
    (event,) = feed_chunks(encode_frame(seg), max_segment=1024)
    assert isinstance(event, FrameError) and event.reason == "segment_too_long"
    (event,) = feed_chunks(encode_frame(seg))
    assert isinstance(event, Frame)


def test_a_wrong_length_does_not_swallow_the_next_packet() -> None:
    stream = b"##9999" + SEG + b"1C80\r\n" + PKT
    events = feed_chunks(stream)
    assert [getattr(e, "reason", "frame") for e in events] == ["length_mismatch", "frame"]


def test_resynchronise_inside_a_broken_header() -> None:
    stream = b"###" + PKT
    events = feed_chunks(stream)
    assert events == bytewise(stream)
    assert [getattr(e, "reason", "frame") for e in events] == ["garbage", "frame"]
    assert events[0] == FrameError(0, "garbage", "3 bytes outside any packet", b"###", 3)


def test_oversize_and_memory_bounded() -> None:
    """1 MB of garbage (with '#' and '##' headers that never end) never grows the buffer past the cap."""
    rng = random.Random(212)
    decoder = FrameDecoder()
    peak = 0
    count = 0
    for _ in range(256):
        chunk = bytes(rng.choice(b"##0123456789abc") for _ in range(4096))
        count += len(decoder.feed(chunk))
        peak = max(peak, decoder.buffered)
    assert peak <= DEFAULT_CAP
    events = decoder.feed(PKT) + decoder.close()
    assert any(isinstance(e, Frame) and e.segment == SEG for e in events)
    # a header followed by 1 MB without \r\n: one oversize error per cap, never more memory
    decoder = FrameDecoder()
    events = decoder.feed(b"##0100" + b"a" * 1_000_000)
    assert decoder.buffered <= DEFAULT_CAP
    assert events[0].reason == "oversize"  # type: ignore[union-attr]
    assert count >= 0


def test_memory_bounded_one_big_chunk() -> None:
    decoder = FrameDecoder()
    events = decoder.feed(b"\x00" * 1_000_000 + PKT)
    assert decoder.buffered == 0
    assert [type(e).__name__ for e in events] == ["FrameError", "Frame"]
    assert events[0].size == 1_000_000 and len(events[0].excerpt) <= 80  # type: ignore[union-attr]


@needs_data
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_chunking_gives_the_same_events(data: st.DataObject) -> None:
    """Whole, byte by byte and random chunks: the same events, for the real corpus with noise."""
    pieces = data.draw(st.lists(st.sampled_from(PACKETS), min_size=1, max_size=6))
    noise = data.draw(st.lists(st.binary(max_size=12), min_size=len(pieces) + 1, max_size=len(pieces) + 1))
    stream = noise[0] + b"".join(p + b"\r\n" + n for p, n in zip(pieces, noise[1:], strict=True))
    sizes = data.draw(st.lists(st.integers(1, 64), max_size=200))
    whole = feed_chunks(stream)
    assert feed_chunks(stream, sizes) == whole
    assert bytewise(stream) == whole


@needs_data
def test_garbage_plus_frames_recovers_every_frame() -> None:
    rng = random.Random(11)
    good = [p for p in PACKETS[:39]]
    stream = bytearray()
    for p in good:
        stream += bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40))).replace(b"#", b"")
        stream += p + b"\r\n"
    events = feed_chunks(bytes(stream))
    frames = [e for e in events if isinstance(e, Frame)]
    assert [f.raw for f in frames] == [p + b"\r\n" for p in good]

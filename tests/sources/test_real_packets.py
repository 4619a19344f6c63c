"""Every real packet of ``shared/data/hj212`` decodes as its README says, and re-encodes exactly.

Figures: packets.txt 51 lines = 39 valid (CRC ok, round trip byte for byte) + 12 invalid
(7 bad CRC — 2 Modbus, 2 swapped Modbus — and 5 length mismatches); packets-2025.txt
5 valid (3 plaintext with CRC ok, 2 SM4-encrypted with the CRC left unchecked).
"""

from __future__ import annotations

import pytest
from tests.sources.packets import (
    ENCRYPTED_2025,
    INVALID,
    PACKETS,
    PACKETS_2025,
    SEGMENTS_2025,
    VALID,
    needs_data,
)

from ecoplan.sources.protocol.frame import Event, Frame, FrameDecoder, FrameError, encode_frame
from ecoplan.sources.protocol.segment import Segment

pytestmark = needs_data


def _decode(line: bytes) -> list[Event]:
    decoder = FrameDecoder()
    return decoder.feed(line + b"\r\n") + decoder.close()


def test_counts() -> None:
    assert (len(PACKETS), len(PACKETS_2025), len(SEGMENTS_2025)) == (51, 5, 35)
    assert len(VALID) + len(INVALID) == 51


@pytest.mark.parametrize("n", VALID)
def test_valid_packet_decodes_and_round_trips(n: int) -> None:
    line = PACKETS[n - 1]
    (event,) = _decode(line)
    assert isinstance(event, Frame), event
    assert not event.encrypted and event.offset == 0
    assert event.raw == line + b"\r\n"
    seg = Segment.parse(event.segment)
    # encode(decode(x)) == x, byte for byte (CRC case as sent, [PKT 3, 7, 17])
    assert encode_frame(seg.to_bytes(), lower=event.crc.islower()) == line + b"\r\n"


@pytest.mark.parametrize("n", sorted(INVALID))
def test_invalid_packet_is_rejected_with_its_reason(n: int) -> None:
    reason, variant = INVALID[n]
    (event,) = _decode(PACKETS[n - 1])
    assert isinstance(event, FrameError)
    assert event.reason == reason
    assert event.size == len(PACKETS[n - 1]) + 2
    if variant is not None:
        assert f"({variant} CRC" in event.detail
    elif reason == "bad_crc":
        assert "modbus" not in event.detail


@pytest.mark.parametrize("n", range(1, 6))
def test_2025_packets(n: int) -> None:
    line = PACKETS_2025[n - 1]
    (event,) = _decode(line)
    assert isinstance(event, Frame)
    assert event.encrypted == (n in ENCRYPTED_2025)
    seg = Segment.parse(event.segment)
    assert seg.edition == "2025" and seg.flag is not None and seg.flag.ack and not seg.flag.split
    assert seg.to_bytes() == event.segment
    if event.encrypted:
        assert seg.cp.ciphertext is not None and seg.cp.items == ()
        assert event.declared_length < len(event.segment)  # the plaintext length (§25.4 item 5)
        assert event.raw == line + b"\r\n"
    else:
        assert encode_frame(seg.to_bytes()) == line + b"\r\n"


def test_all_real_packets_in_one_stream() -> None:
    """The 56 packets back to back in one stream: the same verdicts, the right offsets."""
    stream = b"".join(p + b"\r\n" for p in PACKETS + PACKETS_2025)
    events = FrameDecoder().feed(stream)
    assert len(events) == 56
    assert [isinstance(e, Frame) for e in events] == [n in VALID for n in range(1, 52)] + [True] * 5
    offsets, at = [], 0
    for p in PACKETS + PACKETS_2025:
        offsets.append(at)
        at += len(p) + 2
    assert [e.offset for e in events] == offsets


@pytest.mark.parametrize("n", range(1, 36))
def test_2025_segments_frame_and_parse(n: int) -> None:
    text = SEGMENTS_2025[n - 1]
    seg = Segment.parse(text)
    assert seg.to_bytes() == text
    assert seg.edition == "2025" and seg.mn is not None
    (event,) = _decode(encode_frame(text)[:-2])
    assert isinstance(event, Frame) and event.segment == text


def test_fields_of_some_packets() -> None:
    """Spot checks of typed fields against the README table."""
    s1 = Segment.parse(_frame(1).segment)
    assert (s1.st, s1.cn, s1.pw, s1.flag and s1.flag.value) == ("32", "1062", "100000", 5)
    assert s1.qn_time is not None and s1.qn_time.microsecond == 223000
    assert s1.cp.value("RtdInterval") == 30
    s18 = Segment.parse(_frame(18).segment)
    assert isinstance(s18.qn, str) and len(s18.qn) == 13  # epoch-ms QN kept as text
    s28 = Segment.parse(_frame(28).segment)
    assert s28.cp.factors()["a34001"] == {"Rtd": "92", "Flag": "N"}  # the bare Flag=N
    s4 = Segment.parse(_frame(4).segment)
    assert s4.order is not None and s4.order.index("MN") < s4.order.index("PW")
    s5 = Segment.parse(_frame(5).segment)
    assert s5.flag is not None and s5.flag.split and not s5.is_split  # D without PNUM/PNO
    s9 = Segment.parse(_frame(9).segment)
    assert s9.flag is None and s9.edition == "2005"


def _frame(n: int) -> Frame:
    (event,) = _decode(PACKETS[n - 1])
    assert isinstance(event, Frame)
    return event

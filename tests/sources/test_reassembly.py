"""PNUM/PNO reassembly (spec §4 "PNUM / PNO"): any order, retries, bad numbers, expiry."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.protocol.reassembly import Expired, Message, Reassembler, ReassemblyError, split_segment
from ecoplan.sources.protocol.segment import Segment


def part(pno: int, pnum: int = 3, dt: str = "20160801084000", mn: str = "A") -> Segment:
    return Segment.parse(
        f"QN=2016080108585753{pno};ST=32;CN=2051;PW=100000;MN={mn};Flag=7;PNUM={pnum};PNO={pno};"
        f"CP=&&DataTime={dt};w0{pno}-Avg={pno}&&"
    )


@pytest.mark.parametrize("order", list(itertools.permutations([1, 2, 3])))
def test_any_order(order: tuple[int, ...]) -> None:
    r = Reassembler()
    events = [e for n in order for e in r.feed(part(n), now=0.0)]
    assert len(events) == 1 and isinstance(events[0], Message)
    msg = events[0]
    assert [s.packet_no for s in msg.segments] == [1, 2, 3] and msg.first.packet_no == 1
    assert list(msg.cp.factors()) == ["w01", "w02", "w03"]
    assert r.pending == 0


def test_unsplit_passes_through_and_retries_are_ignored() -> None:
    r = Reassembler()
    one = Segment.parse("ST=32;CN=2011;Flag=5;CP=&&a-Rtd=1&&")
    assert r.feed(one, 0) == [Message((one,), one.cp)]
    assert r.feed(part(1), 0) == [] and r.feed(part(1), 1) == []
    assert r.pending == 1
    assert r.feed(part(2), 2) == []
    (msg,) = r.feed(part(3), 3)
    assert isinstance(msg, Message)


def test_groups_are_kept_apart() -> None:
    r = Reassembler()
    assert r.feed(part(1, dt="20160801084000"), 0) == []
    assert r.feed(part(1, dt="20160801085000"), 0) == []
    assert r.feed(part(2, mn="B"), 0) == []
    assert r.pending == 3


def test_bad_numbers() -> None:
    r = Reassembler()
    (err,) = r.feed(part(4, pnum=3), 0)
    assert isinstance(err, ReassemblyError) and err.reason == "bad_packet_number"
    (err,) = r.feed(Segment.parse("ST=32;CN=2051;PNUM=x;PNO=1;CP=&&&&"), 0)
    assert isinstance(err, ReassemblyError)


def test_expiry_and_bound() -> None:
    r = Reassembler(timeout=10, max_pending=2)
    r.feed(part(1), 0)
    (exp,) = r.expire(10)
    assert exp == Expired(("A", "2051", "20160801084000", 3), (1,), 3, 0)
    r.feed(part(1, mn="X"), 0)
    r.feed(part(1, mn="Y"), 1)
    (dropped,) = r.feed(part(1, mn="Z"), 2)
    assert isinstance(dropped, Expired) and dropped.key[0] == "X" and r.pending == 2
    with pytest.raises(ValueError, match="timeout"):
        Reassembler(timeout=0)


def _big(n: int = 80) -> Segment:
    items = ";".join(f"a{i:05d}-Avg={i}.25,a{i:05d}-Flag=N" for i in range(n))
    return Segment.parse(
        "QN=20160801085857223;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
        f"CP=&&DataTime=20160801084000;{items}&&"
    )


def test_split_segment_and_reassemble() -> None:
    """Over 1024 bytes → PNUM packets ≤ 1024, split bit set, own QNs, DataTime in each
    (C.49/C.50); the Reassembler gives back every factor in order."""
    big = _big()
    assert len(big.to_bytes()) > 1024
    qns = iter(datetime(2016, 8, 1, 8, 58, 57, (534 + i) * 1000) for i in range(100))
    parts = split_segment(big, lambda: next(qns))
    total = len(parts)
    assert total >= -(-len(big.to_bytes()) // 1024) >= 3
    assert all(len(p.to_bytes()) <= 1024 for p in parts)
    assert [(p.packet_count, p.packet_no) for p in parts] == [(total, n) for n in range(1, total + 1)]
    assert all(
        p.flag is not None and p.flag.value == 7 and p.cp.get("DataTime") == "20160801084000" for p in parts
    )
    assert [p.qn for p in parts] == [datetime(2016, 8, 1, 8, 58, 57, (534 + i) * 1000) for i in range(total)]
    r = Reassembler()
    events = [e for p in reversed(parts) for e in r.feed(Segment.parse(p.to_bytes()), 0.0)]
    (msg,) = events
    assert isinstance(msg, Message)
    assert list(msg.cp.factors()) == list(big.cp.factors())
    assert split_segment(_big(3), lambda: datetime(2020, 1, 1)) == [_big(3)]  # fits: unchanged


def test_split_segment_item_too_long() -> None:
    huge = Segment.parse(
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=A;Flag=5;"
        f"CP=&&DataTime=20160801084000;i11001-Info=//{'x' * 1100}//&&"
    )
    with pytest.raises(LocalProtocolError, match="segment_too_long"):
        split_segment(huge, lambda: datetime(2020, 1, 1))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.from_regex(r"[a-w][0-9]{5}", fullmatch=True), st.decimals(-1e6, 1e6, places=3)),
        max_size=150,
    ),
    st.sampled_from([300, 512, 1024]),
)
def test_split_any_area(factors: list[tuple[str, Decimal]], limit: int) -> None:
    """Whatever the area: every packet fits, PNO runs 1..PNUM, and the reassembled area
    holds the original items in order after the repeated DataTime."""
    body = "".join(f";{code}-Avg={value},{code}-Flag=N" for code, value in factors)
    seg = Segment.parse(
        f"QN=20160801085857223;ST=31;CN=2051;PW=1;MN=A;Flag=5;CP=&&DataTime=20160801084000{body}&&"
    )
    qn = iter(datetime(2016, 8, 1, 9, 0, 0, i * 1000) for i in range(1000))
    parts = split_segment(seg, lambda: next(qn), max_segment=limit)
    assert parts == [seg] or all(len(p.to_bytes()) <= limit for p in parts)
    r = Reassembler()
    (msg,) = [e for p in parts for e in r.feed(Segment.parse(p.to_bytes()), 0.0)]
    assert isinstance(msg, Message)
    items = [i for i in msg.cp.items if i[0][0] != "DataTime"]
    assert items == [i for i in seg.cp.items if i[0][0] != "DataTime"]

"""PNUM/PNO reassembly (spec §4 "PNUM / PNO"): any order, retries, bad numbers, expiry."""

from __future__ import annotations

import itertools

import pytest

from ecoplan.sources.protocol.reassembly import Expired, Message, Reassembler, ReassemblyError
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
    (exp,) = r.feed(part(1, mn="Z"), 2)
    assert isinstance(exp, Expired) and exp.key[0] == "X" and r.pending == 2
    with pytest.raises(ValueError, match="timeout"):
        Reassembler(timeout=0)

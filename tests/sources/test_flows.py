"""The Annex C flows (spec §7, §25.5, §25.9): a Platform and a Device machine talking
through real frames (encode_frame → FrameDecoder → Segment.parse), the time passed in."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

import pytest

from ecoplan.sources.protocol.codes import ExeRtn
from ecoplan.sources.protocol.crypto import KeyRing
from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.protocol.flows import (
    MEDIA,
    Acked,
    Action,
    Answer,
    Device,
    Done,
    Failed,
    KeyInstalled,
    Platform,
    Received,
    Send,
    Timing,
    history_request,
)
from ecoplan.sources.protocol.frame import Frame, FrameDecoder, encode_frame
from ecoplan.sources.protocol.reassembly import Message, Reassembler
from ecoplan.sources.protocol.segment import DataArea, Segment, format_qn

MN = "010000A8900016F000169DC0"
PW = "123456"
T0 = datetime(2024, 6, 1, 8, 58, 57, 223000)


def wire(seg: Segment) -> Segment:
    """The segment as the peer reads it: framed, deframed, parsed."""
    (frame,) = FrameDecoder().feed(encode_frame(seg.to_bytes()))
    assert isinstance(frame, Frame)
    return Segment.parse(frame.segment)


class Link:
    """Platform ⇄ device over frames; records what each side sent and its other actions."""

    def __init__(self, platform: Platform, device: Device) -> None:
        self.p, self.d = platform, device
        self.sent: list[tuple[str, Segment]] = []
        self.events: dict[str, list[Action]] = {"p": [], "d": []}

    def run(self, side: str, actions: list[Action], now: datetime) -> None:
        todo: deque[tuple[str, list[Action]]] = deque([(side, actions)])
        while todo:
            who, acts = todo.popleft()
            for a in acts:
                if isinstance(a, Send):
                    self.sent.append((who, a.segment))
                    peer = "d" if who == "p" else "p"
                    machine = self.d if peer == "d" else self.p
                    todo.append((peer, machine.receive(wire(a.segment), now)))
                else:
                    self.events[who].append(a)

    def cns(self) -> list[str]:
        return [f"{who}:{s.cn}" for who, s in self.sent]


def minute(i: int) -> DataArea:
    return DataArea.build(
        [[("DataTime", f"2024060108{i:02d}00")], [("w01018-Avg", f"{10 + i}.5"), ("w01018-Flag", "N")]]
    )


def pair(edition: str = "2017", **device: object) -> Link:
    p = Platform(mn=MN, pw=PW, edition=edition)
    d = Device(mn=MN, pw=PW, edition=edition, **device)  # type: ignore[arg-type]
    return Link(p, d)


def test_real_time_request_c10() -> None:
    """P→D 2011; D→P 9011 QnRtn=1; D→P 9012 ExeRtn=1 (C.10), QN echoed, ST=91, Flag=4."""
    link = pair()
    link.run("p", link.p.request(link.p.segment("2011", T0), T0), T0)
    assert link.cns() == ["p:2011", "d:9011", "d:9012"]
    req, r1, r2 = (s for _, s in link.sent)
    assert r1.qn == r2.qn == req.qn and (r1.st, r1.flag and r1.flag.value) == ("91", 4)
    assert r1.encode().endswith("CP=&&QnRtn=1&&") and r2.encode().endswith("CP=&&ExeRtn=1&&")
    assert link.events["p"] == [Done(format_qn(T0), "2011", 1, 0)]
    assert not link.p.busy


@pytest.mark.parametrize("edition", ["2017", "2025"])
def test_history_request_acknowledged_record_by_record(edition: str) -> None:
    """C.20/C.47–C.50: 9011, then each record after the 9014 of the one before, then 9012;
    uploads carry new QNs; 2025 marks them RF=1 and uses Flag 9/8."""
    areas = tuple(minute(i) for i in range(3))
    link = pair(edition, handler=lambda seg: Answer(ExeRtn.SUCCESS, areas))
    begin, end = datetime(2024, 6, 1, 8), datetime(2024, 6, 1, 8, 20)
    link.run("p", link.p.history("2051", begin, end, T0), T0)
    assert link.cns() == [
        "p:2051",
        "d:9011",
        "d:2051",
        "p:9014",
        "d:2051",
        "p:9014",
        "d:2051",
        "p:9014",
        "d:9012",
    ]
    request = link.sent[0][1]
    assert request.cp.get("BeginTime") == "20240601080000" and request.cp.get("EndTime") == "20240601082000"
    records = [s for who, s in link.sent if who == "d" and s.cn == "2051"]
    acks = [s for who, s in link.sent if who == "p" and s.cn == "9014"]
    assert [a.qn for a in acks] == [r.qn for r in records]
    assert len({r.qn for r in records} | {request.qn}) == 4
    assert [r.cp.get("w01018-Avg") for r in records] == ["10.5", "11.5", "12.5"]
    assert all(r.rf == ("1" if edition == "2025" else None) for r in records)
    flags = {s.flag.value for who, s in link.sent if s.flag is not None and s.cn in ("9011", "9012", "9014")}
    assert flags == ({8} if edition == "2025" else {4})
    received = [a for a in link.events["p"] if isinstance(a, Received)]
    assert [(a.backfill, a.request) for a in received] == [(True, format_qn(request.qn_time or T0))] * 3
    assert [a for a in link.events["d"] if isinstance(a, Acked)] == [
        Acked(format_qn(r.qn_time or T0), "2051", 1) for r in records
    ]
    assert link.events["p"][-1] == Done(format_qn(T0), "2051", 1, 3)


def test_history_unacknowledged_sends_everything_at_once() -> None:
    areas = (minute(0), minute(1))
    link = pair(handler=lambda seg: Answer(ExeRtn.SUCCESS, areas), ack=False)
    link.run("p", link.p.history("2061", T0 - timedelta(hours=2), T0, T0), T0)
    assert link.cns() == ["p:2061", "d:9011", "d:2061", "d:2061", "d:9012"]
    assert link.events["p"][-1] == Done(format_qn(T0), "2061", 1, 2)


def test_request_retries_then_fails_table_1() -> None:
    """No 9011: resend (same QN) after OverTime, ReCount times, then no_reply (2017 §6.2)."""
    p = Platform(mn=MN, pw=PW, timing=MEDIA["adsl"])
    sent = p.request(p.segment("1011", T0), T0)
    assert p.tick(T0 + timedelta(seconds=4.9)) == []
    resent: list[Action] = []
    for k in range(1, 4):
        resent += p.tick(T0 + timedelta(seconds=5 * k))
    assert resent == sent * 3  # the same segment, the same QN
    (failed,) = p.tick(T0 + timedelta(seconds=20))
    assert isinstance(failed, Failed) and failed.reason == "no_reply" and failed.cn == "1011"
    assert not p.busy


def test_execution_timeout_and_refusal() -> None:
    p = Platform(mn=MN, pw=PW)
    (send,) = p.request(
        p.segment("2061", T0, {"BeginTime": "20240601000000", "EndTime": "20240601080000"}), T0
    )
    assert isinstance(send, Send)
    d = Device(mn=MN, pw=PW, handler=lambda s: Answer())
    reply = next(a.segment for a in d.receive(wire(send.segment), T0) if isinstance(a, Send))
    assert reply.cn == "9011"
    assert p.receive(wire(reply), T0) == []
    assert p.tick(T0 + timedelta(seconds=9)) == []
    (failed,) = p.tick(T0 + timedelta(seconds=10))
    assert isinstance(failed, Failed) and failed.reason == "execution_timeout"
    # a wrong PW is refused with QnRtn=3 (Table 7), nothing executed
    wrong = Link(Platform(mn=MN, pw="000000"), Device(mn=MN, pw=PW))
    wrong.run("p", wrong.p.request(wrong.p.segment("1061", T0), T0), T0)
    assert wrong.cns() == ["p:1061", "d:9011"]
    assert wrong.events["p"] == [Failed(format_qn(T0), "1061", "refused", 3, wrong.sent[0][1])]


def test_device_upload_retries_then_backfills() -> None:
    """An upload with A=1 and no 9014: resent with its QN ReCount times, then no_ack; the
    back-fill carries RF=1 (2025 §8.1.2, spec §25.7)."""
    d = Device(mn=MN, pw=PW, edition="2025", timing=Timing(10, 2))
    (first,) = d.upload("2051", minute(0), T0)
    assert isinstance(first, Send) and first.segment.flag is not None and first.segment.flag.value == 9
    out = d.tick(T0 + timedelta(seconds=10)) + d.tick(T0 + timedelta(seconds=20))
    assert out == [first, first]
    (failed,) = d.tick(T0 + timedelta(seconds=30))
    assert isinstance(failed, Failed) and failed.reason == "no_ack" and failed.segment == first.segment
    assert d.pending == 0
    (again,) = d.upload("2051", minute(0), T0 + timedelta(minutes=5), backfill=True)
    assert isinstance(again, Send) and again.segment.rf == "1"
    p = Platform(mn=MN, pw=PW, edition="2025")
    acts = p.receive(wire(again.segment), T0)
    assert isinstance(acts[0], Send) and acts[0].segment.cn == "9014"
    assert acts[1] == Received(wire(again.segment), True, None)
    assert d.receive(wire(acts[0].segment), T0) == [Acked(format_qn(again.segment.qn_time or T0), "2051", 1)]


def test_time_calibration_c4() -> None:
    """D→P 1013 (notification); P→D 9013; then the 1012 set-time request flow (C.4)."""
    link = pair()
    link.run("d", link.d.time_calibration(T0, "w01018"), T0)
    assert link.cns() == ["d:1013", "p:9013", "p:1012", "d:9011", "d:9012"]
    set_time = link.sent[2][1]
    assert set_time.cp.get("SystemTime") == "20240601085857" and set_time.cp.get("PolId") == "w01018"
    assert isinstance(link.events["d"][0], Acked)
    assert link.events["p"][-1] == Done(format_qn(set_time.qn_time or T0), "1012", 1, 0)


def test_heartbeat_2025() -> None:
    link = pair("2025")
    link.run("d", link.d.heartbeat(T0), T0)
    assert link.cns() == ["d:9015", "p:9013"]
    assert link.sent[1][1].flag is not None and link.sent[1][1].flag.value == 8


def test_registration_1001_then_1002() -> None:
    """2025 C2/C3: a logger without an MN registers its hardware ID, is answered 9013 with
    the MN empty, then gets its MN by 1002, which it checks against its hardware ID."""
    p = Platform(mn="", pw=PW, edition="2025", assign_mn=lambda seg: MN)
    d = Device(mn="", pw=PW, edition="2025", hardware_id="6970000000001ABCDEFG1234")
    link = Link(p, d)
    link.run("d", d.register(T0, {"i23006-Info": "CPU01"}), T0)
    assert link.cns() == ["d:1001", "p:9013", "p:1002", "d:9011", "d:9012"]
    assert link.sent[1][1].mn == "" and link.sent[2][1].mn == MN
    assert link.sent[2][1].cp.get("i23005-Info") == "6970000000001ABCDEFG1234"
    assert d.mn == MN and p.mn == MN
    # another logger's ID is refused with QnRtn=4 (MN error)
    other = Device(mn="", pw=PW, edition="2025", hardware_id="OTHER")
    (refusal,) = other.receive(wire(link.sent[2][1]), T0)
    assert isinstance(refusal, Send) and refusal.segment.cp.get("QnRtn") == "4"


def test_key_exchange_1014() -> None:
    """2025 C7/C8: the device asks (1014 ↑, 9013), the platform sets a key (1014 ↓, 9011,
    9012); both install it only then, with its SKCreateTime (spec §25.4, §25.9 item 4)."""
    new = b"K" * 16
    p = Platform(mn=MN, pw=PW, edition="2025", new_key=lambda mn: new)
    d = Device(mn=MN, pw=PW, edition="2025")
    link = Link(p, d)
    link.run("d", d.request_key(T0, datetime(2024, 3, 1)), T0)
    assert link.cns() == ["d:1014", "p:9013", "p:1014", "d:9011", "d:9012"]
    down = link.sent[2][1]
    assert down.cp.get("NewSK") == "K" * 16 and down.cp.items[0][0][0] == "SKCreateTime"
    (dk,) = [a for a in link.events["d"] if isinstance(a, KeyInstalled)]
    (pk,) = [a for a in link.events["p"] if isinstance(a, KeyInstalled)]
    assert dk == pk == KeyInstalled(MN, new, T0)
    ring = KeyRing()
    ring.add(MN, b"0" * 16, datetime(2024, 3, 1))
    ring.add(pk.mn, pk.key, pk.created)
    assert ring.keys(MN) == (new, b"0" * 16)


def test_initialisation_sequence_7_5() -> None:
    """§7.5: 1012, 1000, 1062, 1064, 2011, 2022 — one at a time, each after the last's 9012."""
    link = pair(timing=Timing(10, 3))
    link.p.timing = Timing(20, 2)
    link.run("p", link.p.initialise(T0), T0)
    requests = [s.cn for who, s in link.sent if who == "p"]
    assert requests == ["1012", "1000", "1062", "1064", "2011", "2022"]
    assert link.cns()[:6] == ["p:1012", "d:9011", "d:9012", "p:1000", "d:9011", "d:9012"]
    assert link.cns()[-2:] == ["p:2022", "d:9013"]  # 2022 is a notification (C.13)
    assert link.d.timing == Timing(20.0, 2)  # CN 1000 applied
    assert [type(a) for a in link.events["p"] if not isinstance(a, Received)] == [Done] * 6
    assert not link.p.busy


def test_stray_replies_are_ignored() -> None:
    p = Platform(mn=MN, pw=PW)
    stray = Segment.parse(f"QN=20200101000000000;ST=91;CN=9012;PW={PW};MN={MN};Flag=4;CP=&&ExeRtn=1&&")
    assert p.receive(stray, T0) == []
    d = Device(mn=MN, pw=PW)
    assert d.receive(stray, T0) == []
    assert d.receive(stray.__class__.parse(stray.encode().replace("9012", "9014")), T0) == []


def test_history_request_checks() -> None:
    with pytest.raises(LocalProtocolError, match="bad_cn"):
        history_request("2011", T0, T0, qn=T0, st="32", pw=PW, mn=MN)
    with pytest.raises(LocalProtocolError, match="bad_value"):
        history_request("2051", T0, T0 - timedelta(hours=1), qn=T0, st="32", pw=PW, mn=MN)


def test_long_upload_is_split_and_each_packet_answered() -> None:
    """A 2051 over 1024 bytes goes as PNUM packets (2025 §8.1.2), each answered 9014 with
    its own QN (C.50); the platform's Reassembler joins them."""
    factors = [[("DataTime", "20240601084000")]] + [
        [(f"a{i:05d}-Avg", f"{i}.5"), (f"a{i:05d}-Flag", "N")] for i in range(60)
    ]
    link = pair("2025")
    link.run("d", link.d.upload("2051", DataArea.build(factors), T0), T0)
    packets = [s for who, s in link.sent if who == "d"]
    acks = [s for who, s in link.sent if who == "p"]
    assert len(packets) >= 2 and all(len(p.to_bytes()) <= 1024 for p in packets)
    assert all(p.flag is not None and p.flag.value == 11 for p in packets)  # 2025: split + answer
    assert [a.qn for a in acks] == [p.qn for p in packets] and {a.cn for a in acks} == {"9014"}
    assert link.d.pending == 0
    r = Reassembler()
    joined = [e for a in link.events["p"] if isinstance(a, Received) for e in r.feed(a.segment, 0.0)]
    (msg,) = joined
    assert isinstance(msg, Message) and len(msg.cp.factors()) == 60


def test_password_change_and_busy_device() -> None:
    """1072 sets the device password; the platform uses the new one after the 9012. A
    request while the device still sends the records of another is refused (QnRtn 2)."""
    link = pair()
    link.run("p", link.p.request(link.p.segment("1072", T0, {"NewPW": "654321"}), T0), T0)
    assert link.d.pw == link.p.pw == "654321"
    d = Device(mn=MN, pw=PW, handler=lambda s: Answer(ExeRtn.SUCCESS, (minute(0), minute(1))))
    p = Platform(mn=MN, pw=PW)
    (first,) = p.request(
        p.segment("2051", T0, {"BeginTime": "20240601080000", "EndTime": "20240601082000"}), T0
    )
    assert isinstance(first, Send)
    d.receive(wire(first.segment), T0)  # 9011 and the first record, waiting for its 9014
    other = p.segment("1061", T0)
    (refusal,) = d.receive(wire(other), T0)
    assert isinstance(refusal, Send) and refusal.segment.cp.get("QnRtn") == "2"

"""Replies of the platform (spec §7.2, §25.9 items 3 and 6): expected texts written out by hand
from HJ 212-2017 Annex C (C.1, C.4, C.14) and the 2025 reply form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sources.packets import PACKETS, PACKETS_2025, needs_data

from ecoplan.sources.protocol.codes import ExeRtn, QnRtn
from ecoplan.sources.protocol.frame import Frame, FrameDecoder
from ecoplan.sources.protocol.replies import (
    data_reply,
    execution_result,
    notification_reply,
    reply_for,
    request_reply,
)
from ecoplan.sources.protocol.segment import Segment

MN = "010000A8900016F000169DC0"


def seg(cn: str, flag: int | None, *, qn: str = "20160801085857223", mn: str = MN, cp: str = "") -> Segment:
    head = f"QN={qn};ST=32;CN={cn};PW=123456;MN={mn};"
    if flag is not None:
        head += f"Flag={flag};"
    return Segment.parse(head + f"CP=&&{cp}&&")


def test_9014_echoes_qn_pw_mn_with_st91_flag4() -> None:
    up = seg("2011", 5, cp="DataTime=20160801085857;w01018-Rtd=2.2,w01018-Flag=N")
    assert reply_for(up) == data_reply(up)
    assert data_reply(up).encode() == (
        "QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"
    )


def test_2025_replies_use_flag8() -> None:
    up = seg("2061", 9)
    assert data_reply(up).encode().endswith("CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=8;CP=&&&&")
    beat = seg("9015", 9)
    reply = reply_for(beat)
    assert reply is not None
    assert reply.encode() == (
        "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=8;CP=&&&&"
    )


@pytest.mark.parametrize("cn", ["2011", "2051", "2061", "2031", "2081", "2021", "2041", "3020", "9021"])
def test_uploads_with_answer_bit_get_9014_and_without_none(cn: str) -> None:
    answered = reply_for(seg(cn, 5))
    assert answered is not None and answered.cn == "9014"
    assert reply_for(seg(cn, 4)) is None
    assert reply_for(seg(cn, 7)) is not None  # split bit + answer bit
    assert reply_for(seg(cn, 6)) is None


@pytest.mark.parametrize("cn", ["1013", "1001", "1014"])
def test_notifications_get_9013(cn: str) -> None:
    for flag in (4, 5, 8, 9):
        reply = reply_for(seg(cn, flag))
        assert reply is not None and reply.cn == "9013" and reply.st == "91"


def test_1001_with_empty_mn_echoes_empty_mn() -> None:
    reply = reply_for(seg("1001", 9, mn="", cp="i23005-Info=ABC"))
    assert reply is not None
    assert reply.encode() == "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=;Flag=8;CP=&&&&"


def test_heartbeat_without_answer_bit_is_not_answered() -> None:
    assert reply_for(seg("9015", 8)) is None


@pytest.mark.parametrize("cn", ["9011", "9012", "9013", "9014"])
def test_replies_are_not_answered(cn: str) -> None:
    assert reply_for(seg(cn, 5)) is None


def test_2005_packet_without_flag_is_not_answered() -> None:
    assert reply_for(seg("2051", None)) is None


def test_unverified_frame_is_never_answered() -> None:
    assert reply_for(seg("2011", 9), verified=False) is None
    assert reply_for(seg("1013", 9), verified=False) is None


def test_request_reply_and_execution_result_c1() -> None:
    req = Segment.parse(
        f"QN=20160801085857223;ST=32;CN=1000;PW=123456;MN={MN};Flag=5;CP=&&OverTime=5;ReCount=3&&"
    )
    assert request_reply(req).encode() == (
        f"QN=20160801085857223;ST=91;CN=9011;PW=123456;MN={MN};Flag=4;CP=&&QnRtn=1&&"
    )
    assert request_reply(req, QnRtn.PW_ERROR).cp.get("QnRtn") == "3"
    assert execution_result(req).encode() == (
        f"QN=20160801085857223;ST=91;CN=9012;PW=123456;MN={MN};Flag=4;CP=&&ExeRtn=1&&"
    )
    assert execution_result(req, ExeRtn.NO_DATA).cp.get("ExeRtn") == "100"
    assert notification_reply(req).cn == "9013"


def test_nonstandard_qn_is_echoed_as_sent() -> None:
    reply = reply_for(seg("2011", 5, qn="1618213520280"))
    assert reply is not None and reply.encode().startswith("QN=1618213520280;ST=91;CN=9014;")


@needs_data
def test_real_packets_replies_reparse() -> None:
    dec = FrameDecoder()
    frames = [e for line in PACKETS + PACKETS_2025 for e in dec.feed(line + b"\r\n") if isinstance(e, Frame)]
    answered = 0
    for frame in frames:
        try:
            up = Segment.parse(frame.segment)
        except Exception:
            continue
        reply = reply_for(up, verified=not frame.encrypted)
        if reply is None:
            continue
        answered += 1
        again = Segment.parse(reply.encode())
        assert again == Segment.parse(reply.encode())
        assert (again.mn, again.pw, again.st) == (up.mn, up.pw, "91")
        assert not frame.encrypted
    assert answered > 5


@given(
    cn=st.sampled_from(["2011", "2051", "2061", "2031", "2081", "1013", "9015", "1001"]),
    flag=st.integers(min_value=0, max_value=15),
    pw=st.from_regex(r"[0-9A-Za-z]{0,8}", fullmatch=True),
)
def test_reply_is_a_valid_segment_with_same_identity(cn: str, flag: int, pw: str) -> None:
    up = Segment.parse(f"QN=20200101000000001;ST=31;CN={cn};PW={pw};MN={MN};Flag={flag};CP=&&&&")
    reply = reply_for(up)
    if reply is None:
        return
    assert Segment.parse(reply.encode()) == reply
    assert (reply.pw, reply.mn, reply.qn, reply.st) == (pw, MN, up.qn, "91")
    assert reply.flag is not None and reply.flag.value == (8 if flag >> 2 == 2 else 4)

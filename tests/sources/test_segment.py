"""The data segment and data area (spec §4, §5, §25.3): typed fields, exact re-encoding,
hypothesis round trips, and the direction of errors."""

from __future__ import annotations

import doctest
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.sources.protocol import segment as seg_mod
from ecoplan.sources.protocol.codes import DataFlag, ExeRtn, QnRtn
from ecoplan.sources.protocol.errors import LocalProtocolError, RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder, encode_frame
from ecoplan.sources.protocol.segment import DataArea, Flag, Segment, parse_time, parse_value

STD = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"


def test_doctests() -> None:
    assert doctest.testmod(seg_mod).failed == 0


def test_standard_example_typed() -> None:
    s = Segment.parse(STD)
    assert s.qn == datetime(2016, 8, 1, 8, 58, 57, 223000)
    assert (s.st, s.cn, s.pw, s.mn) == ("32", "1062", "100000", "010000A8900016F000169DC0")
    assert s.flag == Flag(5) and s.flag.version == 1 and s.flag.ack and not s.flag.split
    assert s.edition == "2017" and s.order is None
    assert s.encode() == STD


def test_flag_bits_2017_and_2025() -> None:
    """§4: Flag=7 → 2017, split, ack; §25.3: Flag=9 → 2025, ack, not split; 10/11 split."""
    assert [(Flag(v).edition, Flag(v).split, Flag(v).ack) for v in (0, 3, 4, 5, 6, 7, 8, 9, 10, 11)] == [
        ("2005", False, False),
        ("2005", True, True),
        ("2017", False, False),
        ("2017", False, True),
        ("2017", True, False),
        ("2017", True, True),
        ("2025", False, False),
        ("2025", False, True),
        ("2025", True, False),
        ("2025", True, True),
    ]
    assert Flag(255).edition is None and Flag(255).version == 63
    assert Flag.make(version=2, split=True, ack=True) == Flag(11)
    with pytest.raises(LocalProtocolError):
        Flag(256)


def test_split_packets_and_rf() -> None:
    text = (
        "QN=20160801085857534;ST=32;CN=2051;PW=100000;MN=A;Flag=7;PNUM=2;PNO=1;RF=1;"
        "CP=&&DataTime=20160801084000&&"
    )
    s = Segment.parse(text)
    assert (s.pnum, s.pno, s.packet_count, s.packet_no, s.is_split, s.rf) == (2, 1, 2, 1, True, "1")
    assert s.encode() == text
    old = Segment.parse("ST=32;CN=2051;Flag=3;PNUM=0002;PNO=0001;CP=&&&&")  # 2005 N4
    assert (old.pnum, old.packet_count) == ("0002", 2) and old.encode().startswith(
        "ST=32;CN=2051;Flag=3;PNUM=0002"
    )


def test_data_area_structure_and_types() -> None:
    area = DataArea.parse(
        "DataTime=20160801084000;w01018-Cou=1.5,w01018-Min=2,w01018-Avg=2.2,w01018-Max=3,w01018-Flag=N;"
        "a21026-ZsRtd=12.3,a21026-Flag=X;SB1-RS=1;QnRtn=1;ExeRtn=100;RtdInterval=30;Flag=M"
    )
    assert area.value("DataTime") == datetime(2016, 8, 1, 8, 40)
    assert area.value("w01018-Avg") == Decimal("2.2")
    assert area.value("w01018-Flag") is DataFlag.N
    assert area.value("a21026-Flag") == "X"  # unknown letters stay text
    assert area.value("SB1-RS") == 1
    assert area.value("QnRtn") is QnRtn.READY and area.value("ExeRtn") is ExeRtn.NO_DATA
    assert area.value("RtdInterval") == 30
    f = area.factors()
    assert list(f) == ["w01018", "a21026", "SB1"]
    assert f["w01018"] == {"Cou": "1.5", "Min": "2", "Avg": "2.2", "Max": "3", "Flag": "N"}
    assert f["SB1"] == {"RS": "1", "Flag": "M"}  # a bare Flag goes to the factor before it
    assert area.plain() == {"DataTime": "20160801084000", "QnRtn": "1", "ExeRtn": "100", "RtdInterval": "30"}
    assert area.get("missing") is None and area.value("missing") is None


def test_values_that_do_not_parse() -> None:
    assert parse_value("w01018-Rtd", "abc") is None
    assert parse_value("w01018-Rtd", "NaN") is None
    assert parse_value("DataTime", "20161301000000") is None
    assert parse_value("QnRtn", "77") == 77
    assert parse_time("20160824003817000") == datetime(2016, 8, 24, 0, 38, 17)
    assert parse_time("2024112320423050") is None  # 16 digits [PKT 50]
    assert parse_value("PolId", " w01018 ") == "w01018"


def test_lenient_shapes_re_encode_exactly() -> None:
    for text in (
        "ST=32;CN=2011;PW=1;MN=2;CP=&&&&",
        "QN=1;ST=1;CN=1;CP=&& PolId=w01018&&",  # the space of C.2 and a non-standard QN
        "ST=1;CN=1;CP=&& &&",
        "ST=1;CN=1;CP=&&a=1;&&",  # trailing ';' [PKT 5]
        "ST=1;CN=1;CP=&&a;b,=c&&",
        "CP=&&&&",
        "MN=1;PW=2;ST=3;X=4;CP=&&QN=20160824000504006;QnRtn=1&&",
        "ST=31;CN=2051;CP=&&{0xE4,0x3E}g=N&&",
    ):
        assert Segment.parse(text).encode() == text, text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ST=32;CN=2011", "no_cp"),
        ("ST=32;CN=2011;CP=&&a=1", "cp_not_closed"),
        ("ST=32;CN=2011;CP=&&&", "cp_not_closed"),
        ("ST=32;CN=2011CP=&&&&", "bad_header"),
        ("ST=32;CN;CP=&&&&", "bad_header"),
        ("ST=32;ST=33;CP=&&&&", "bad_header"),
        ("ST=32;Flag=x;CP=&&&&", "bad_flag"),
        ("ST=32;Flag=300;CP=&&&&", "bad_flag"),
        ("ST=32;P&W=1;CP=&&&&", "bad_field_name"),  # found by the fuzz: accepted keys must re-encode
        ("ST=32;CP=&&a=b&&c&&", "bad_value"),
    ],
)
def test_peer_garbage_is_remote(text: str, reason: str) -> None:
    with pytest.raises(RemoteProtocolError) as exc:
        Segment.parse(text)
    assert exc.value.reason == reason
    assert exc.value.excerpt == text.encode()[:80]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"mn": "a;b"}, "bad_value"),
        ({"cp": {"w01018-Rtd": "1,2"}}, "bad_value"),
        ({"cp": {"a=b": "1"}}, "bad_field_name"),
        ({"flag": 7}, "bad_split"),
        ({"pnum": 2}, "bad_split"),
        ({"flag": 4, "pnum": 2, "pno": 1}, "bad_split"),
    ],
)
def test_our_misuse_is_local(kwargs: dict[str, object], reason: str) -> None:
    base: dict[str, object] = {"st": "32", "cn": "2011", "pw": "123456", "mn": "A"}
    with pytest.raises(LocalProtocolError) as exc:
        Segment.build(**(base | kwargs))  # type: ignore[arg-type]
    assert exc.value.reason == reason


def test_bad_order_is_local() -> None:
    s = Segment("32", "2011", order=("ST",))
    with pytest.raises(LocalProtocolError):
        s.encode()


# --- hypothesis round trip --------------------------------------------------------------

_code = st.text("ABCDEFabcdef0123456789", min_size=1, max_size=8)
_value = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters=";,&="), max_size=12
)
_kind = st.sampled_from(["Rtd", "Avg", "Min", "Max", "Cou", "Flag", "ZsRtd", "SampleTime", "Info", "RS"])
_pair = st.tuples(st.builds(lambda c, k: f"{c}-{k}", _code, _kind), _value)
_plain = st.tuples(st.sampled_from(["DataTime", "PolId", "QnRtn", "ExeRtn", "SystemTime"]), _value)
_items = st.lists(st.lists(st.one_of(_pair, _plain), min_size=1, max_size=4), max_size=6)
_qn = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)
_field = st.text("0123456789ABCDEF", min_size=1, max_size=24)


@st.composite
def segments(draw: st.DrawFn) -> Segment:
    version = draw(st.integers(0, 63))
    split = draw(st.booleans())
    pnum = draw(st.integers(1, 9999)) if split else None
    pno = draw(st.integers(1, pnum)) if pnum else None
    return Segment.build(
        st=draw(st.text("0123456789AZ", min_size=2, max_size=2)),
        cn=draw(st.text("0123456789", min_size=4, max_size=4)),
        pw=draw(_field),
        mn=draw(_field),
        qn=draw(st.none() | _qn),
        flag=draw(st.none())
        if not split and draw(st.booleans())
        else Flag.make(version=version, split=split, ack=draw(st.booleans())),
        pnum=pnum,
        pno=pno,
        rf=draw(st.booleans()),
        cp=DataArea.build(draw(_items)),
    )


@settings(max_examples=300, deadline=None)
@given(segments())
def test_round_trip_generated_segments(seg: Segment) -> None:
    """Segment → text → frame → decoder → Segment gives the same segment and the same bytes."""
    text = seg.encode()
    assert Segment.parse(text) == seg
    packet = encode_frame(text)
    (event,) = FrameDecoder().feed(packet)
    assert isinstance(event, Frame) and event.raw == packet
    back = Segment.parse(event.segment)
    assert back == seg and encode_frame(back.to_bytes()) == packet


@pytest.mark.parametrize(
    "text",
    [
        "ST=32;CN=1;Flag=²;CP=&&&&",  # "²".isdigit() is true, int("²") fails
        "ST=32;CN=1;Flag=" + "9" * 5000 + ";CP=&&&&",  # int() refuses > 4300 digits
        "ST=32;CN=1;PNUM=²;PNO=" + "1" * 5000 + ";CP=&&&&",
        "ST=32;CN=1062;CP=&&RtdInterval=²;QnRtn="
        + "9" * 5000
        + ";w01-Rtd=1E+99999;DataTime=٢٠١٦٠٨٠١٠٨٥٨٥٧&&",
    ],
)
def test_odd_digits_never_raise_value_error(text: str) -> None:
    """Found while fuzzing the decode path: peer digits that are not ASCII, or too many."""
    try:
        seg = Segment.parse(text)
    except RemoteProtocolError as exc:
        assert exc.reason == "bad_flag"
        return
    assert seg.packet_count is None and seg.packet_no is None
    assert seg.cp.value("RtdInterval") is None and seg.cp.value("QnRtn") is None
    assert seg.cp.value("DataTime") is None

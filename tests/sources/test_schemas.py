"""Per-CN schemas and validate (spec §5.3, §6.2, §25.5–25.6, §11 item 1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sources.packets import PACKETS, PACKETS_2025, SEGMENTS_2025, VALID, needs_data

from ecoplan.sources.protocol.codes import CN_CODES
from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.schemas import SCHEMAS, Issue, schema_for, validate
from ecoplan.sources.protocol.segment import Segment

HEAD = "QN=20160801085857223;ST=32;CN={cn};PW=123456;MN=010000A8900016F000169DC0;Flag={flag};CP=&&{cp}&&"


def seg(cn: str, cp: str, flag: int = 5) -> Segment:
    return Segment.parse(HEAD.format(cn=cn, cp=cp, flag=flag))


def codes(issues: list[Issue]) -> list[tuple[str, str, str | None]]:
    return [(i.level, i.code, i.field) for i in issues]


def test_every_2017_and_2025_command_has_a_schema() -> None:
    """Table 9 (2017) and Table 12 (2025): every CN has a schema in at least one direction,
    and each schema's editions are the CN's editions (2005-only codes have none)."""
    for code, cmd in CN_CODES.items():
        found = [s for (cn, _), s in SCHEMAS.items() if cn == code]
        if set(cmd.editions) & {"2017", "2025"}:
            assert found, code
            for s in found:
                assert set(s.editions) <= set(cmd.editions), (code, s.editions, cmd.editions)
        else:
            assert not found, code
    # the directions of Table 9: up for what a device uploads, down for requests
    assert schema_for("2081", "up") is not None and schema_for("2081", "down") is None
    assert schema_for("1062", "down") is not None and schema_for("1062", "up") is None
    assert schema_for("9015", "up") is not None


@needs_data
@pytest.mark.parametrize("n", VALID)
def test_valid_real_packets_have_no_lenient_errors(n: int) -> None:
    s = Segment.parse(PACKETS[n - 1][6:-4])
    assert [i for i in validate(s) if i.level == "error"] == []


@needs_data
def test_real_packet_warnings() -> None:
    """What lenient mode notes on the real corpus: the 'LA-td' typo [PKT 5], the vendor CN
    3032 [PKT 27], 17-digit DataTimes of 2005-era captures [PKT 30]."""
    w5 = codes(validate(Segment.parse(PACKETS[4][6:-4])))
    assert w5 == [("warning", "unknown_field", "LA-td")]
    assert codes(validate(Segment.parse(PACKETS[26][6:-4])))[0] == ("warning", "unknown_cn", "CN")
    assert ("warning", "time_with_ms", "DataTime") in codes(validate(Segment.parse(PACKETS[29][6:-4])))
    strict = codes(validate(Segment.parse(PACKETS[29][6:-4]), strict=True))
    assert ("error", "time_with_ms", "DataTime") in strict and ("error", "bad_header", "Flag") in strict


@needs_data
@pytest.mark.parametrize("n", range(1, 36))
def test_2025_annex_c_segments_pass_strict(n: int) -> None:
    assert validate(Segment.parse(SEGMENTS_2025[n - 1]), "2025", strict=True) == []


@needs_data
def test_2025_plain_packets_pass_strict() -> None:
    for n in (1, 2, 4):
        assert validate(Segment.parse(PACKETS_2025[n - 1][6:-4]), strict=True) == [], n


def test_missing_and_malformed_fields() -> None:
    assert codes(validate(seg("2011", "w01018-Rtd=2.2,w01018-Flag=N"))) == [
        ("error", "missing_field", "DataTime")
    ]
    assert codes(validate(seg("2051", "DataTime=20160801084000;w01018-Avg=abc"))) == [
        ("error", "bad_value", "w01018-Avg")
    ]
    assert codes(validate(seg("1012", "SystemTime=20161301000000"))) == [("error", "bad_value", "SystemTime")]
    assert codes(validate(seg("9011", "QnRtn=1"))) == []
    assert codes(validate(seg("9012", ""))) == [("error", "missing_field", "ExeRtn")]


def test_ranges_of_table_4_lenient_and_strict() -> None:
    """RtdInterval 30–3600, MinInterval in the set, OverTime/ReCount 1–99 (spec §5.3)."""
    cases = {
        ("1062", "RtdInterval=29"): "RtdInterval",
        ("1062", "RtdInterval=3601"): "RtdInterval",
        ("1064", "MinInterval=7"): "MinInterval",
        ("1000", "OverTime=0;ReCount=3"): "OverTime",
        ("1000", "OverTime=5;ReCount=100"): "ReCount",
    }
    for (cn, cp), key in cases.items():
        assert codes(validate(seg(cn, cp))) == [("warning", "out_of_range", key)], cp
        assert codes(validate(seg(cn, cp), strict=True)) == [("error", "out_of_range", key)], cp
    assert validate(seg("1062", "RtdInterval=30")) == validate(seg("1064", "MinInterval=30")) == []


def test_editions() -> None:
    """A 2025-only CN in 2017 traffic, and a 2017-only CN read as 2025, are noted."""
    assert codes(validate(seg("9015", ""), "2017")) == [("warning", "cn_not_in_edition", "CN")]
    assert validate(seg("9015", "", flag=9)) == []
    assert codes(validate(seg("3016", "PolId=w01018;CstartTime=010000;Ctime=2", flag=9))) == [
        ("warning", "cn_not_in_edition", "CN")
    ]
    assert codes(validate(seg("1014", "SKCreateTime=20240601085857223", flag=9))) == []
    bad_key = "SKCreateTime=20240601085857223,NewSK=short"
    assert codes(validate(seg("1014", bad_key, flag=9), direction="down")) == [
        ("error", "bad_value", "NewSK")
    ]


def test_direction_is_picked_from_the_content() -> None:
    """CN 2051 is a history request (BeginTime/EndTime) down and minute data up."""
    assert validate(seg("2051", "BeginTime=20160801000000;EndTime=20160801235959")) == []
    assert validate(seg("2051", "DataTime=20160801084000;w01018-Avg=2.2,w01018-Flag=N")) == []
    assert codes(validate(seg("2051", "DataTime=20160801084000"), direction="down")) == [
        ("error", "missing_field", "BeginTime"),
        ("error", "missing_field", "EndTime"),
        ("warning", "unknown_field", "DataTime"),
    ]


def test_cp_limit_and_flags() -> None:
    many = ";".join(f"w{i:05d}-Rtd=1.0,w{i:05d}-Flag=N" for i in range(40))
    issues = validate(seg("2011", "DataTime=20160801085800;" + many))
    assert ("warning", "cp_too_long", "CP") in codes(issues)
    assert codes(validate(seg("2011", "DataTime=20160801085800;w01018-Rtd=1,w01018-Flag=P"))) == [
        ("warning", "unknown_flag", "w01018-Flag")
    ]


def test_encrypted_area_is_not_checked() -> None:
    s = Segment.parse(HEAD.format(cn="2051", flag=9, cp="{0xE4,0x3E}"))
    assert codes(validate(s)) == [("warning", "encrypted", None)]


@given(st.text(alphabet="QNSTCPWMFlag=;,&-0123456789abwDataTimeRtdAvgFlagN", max_size=120))
def test_validate_never_raises(text: str) -> None:
    for candidate in (text, HEAD.format(cn="2011", flag=5, cp=text.replace("&&", ""))):
        try:
            s = Segment.parse(candidate)
        except RemoteProtocolError:
            continue
        for strict in (False, True):
            for issue in validate(s, strict=strict):
                assert issue.level in ("error", "warning") and issue.code

"""Values files: every bad row is named, nothing is half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.conftest import write_csv

from ecoplan.core.errors import ValuesImportError
from ecoplan.ingest.values import parse_year, read_values, region_hint
from ecoplan.plans import Basis, builtin_plans, bundled_regions

PLANS = {p.id: p for p in builtin_plans()}
REGIONS = set(bundled_regions())
HEADER = "plan,indicator,region,year,value,unit,source,note"


def test_reads_ids_and_chinese_names(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "v.csv",
        [
            HEADER,
            "cn-13th-eco,air-good-days,000000,2016,78.8,%,公报,",
            "cn-13th-eco,细颗粒物未达标地级及以上城市浓度下降,000000,2020,28.8,,,",
            "jiangmen-13th-eco,城市空气质量优良天数比例,440700,2018.0,89.5,%,,",
        ],
    )
    rows = read_values(f, PLANS, REGIONS)
    assert [r.indicator for r in rows] == ["air-good-days", "air-pm25-decline", "air-good-days"]
    assert rows[1].basis is Basis.CHANGE and rows[2].region == "440700"
    assert rows[2].year == 2018  # 2018.0, as a spreadsheet may write a whole number


def test_every_bad_row_is_reported(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            "cn-13th-eco,air-good-days,000000,2016,78.8,%,,",
            "cn-13th-eco,no-such,000000,2016,1,%,,",  # row 3 unknown indicator
            "cn-13th-eco,air-good-days,999999,2016,1,%,,",  # row 4 unknown region
            "cn-13th-eco,air-good-days,000000,2016,abc,%,,",  # row 5 non-numeric
            "cn-13th-eco,air-good-days,000000,2030,80,%,,",  # row 6 outside period
            "cn-13th-eco,air-good-days,000000,2017,120,%,,",  # row 7 impossible share
            "cn-13th-eco,forest-stock,000000,2017,160,万吨,,",  # row 8 unit mismatch
            "cn-13th-eco,air-good-days,000000,2016,79,%,,",  # row 9 duplicate of row 2
            "nope,air-good-days,000000,2016,79,%,,",  # row 10 unknown plan
        ],
    )
    with pytest.raises(ValuesImportError) as exc:
        read_values(f, PLANS, REGIONS)
    problems = exc.value.problems
    assert [p.row for p in problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert [p.field for p in problems] == [
        "indicator",
        "region",
        "value",
        "year",
        "value",
        "unit",
        "year",
        "plan",
    ]
    msg = str(exc.value)
    assert "bad.csv" in msg and "row 5" in msg and "'abc'" in msg and "nothing was imported" in msg


def test_missing_columns(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "m.csv", ["plan,indicator,year", "a,b,2016"])
    with pytest.raises(ValuesImportError, match="missing column"):
        read_values(f, PLANS, REGIONS)


def test_xlsx_values(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["plan", "indicator", "region", "year", "value"])
    ws.append(["cn-13th-eco", "air-good-days", "000000", 2017, 78.0])
    ws.append(["cn-13th-eco", "air-good-days", "000000", 2018, "x"])
    wb.save(tmp_path / "v.xlsx")
    with pytest.raises(ValuesImportError) as exc:
        read_values(tmp_path / "v.xlsx", PLANS, REGIONS)
    assert exc.value.problems[0].row == 3


def test_unknown_file_type(tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text("{}")
    with pytest.raises(ValuesImportError.__mro__[1], match="unknown file type"):
        read_values(tmp_path / "v.json", PLANS, REGIONS)


def _problems(tmp_path: Path, lines: list[str]) -> list[tuple[int | None, str | None, str | None, str]]:
    f = write_csv(tmp_path / "c.csv", [HEADER, *lines])
    with pytest.raises(ValuesImportError) as exc:
        read_values(f, PLANS, REGIONS)
    assert "c.csv" in str(exc.value) and "nothing was imported" in str(exc.value)
    return [(p.row, p.field, p.text, p.reason) for p in exc.value.problems]


def test_a_fractional_year_is_an_error_never_truncated(tmp_path: Path) -> None:
    got = _problems(
        tmp_path,
        [
            "cn-13th-eco,air-good-days,000000,2018.5,79.3,%,,",  # row 2: was stored as 2018
            "cn-13th-eco,air-good-days,000000,2018a,79.3,%,,",  # row 3
            "cn-13th-eco,air-good-days,000000,2e3,79.3,%,,",  # row 4: a float, not a year as written
            "cn-13th-eco,air-good-days,000000,2019.00,80.0,%,,",  # fine
        ],
    )
    assert got == [
        (2, "year", "2018.5", "not a whole year"),
        (3, "year", "2018a", "not a year (a whole number such as 2018)"),
        (4, "year", "2e3", "not a year (a whole number such as 2018)"),
    ]


def test_a_region_code_is_never_padded(tmp_path: Path) -> None:
    got = _problems(
        tmp_path,
        [
            "cn-13th-eco,air-good-days,11,2018,79.3,%,,",  # row 2: was taken as 110000
            "jiangmen-13th-eco,air-good-days,4407,2018,89.5,%,,",  # row 3: was 440700
            "cn-13th-eco,air-good-days,0,2017,78.0,%,,",  # row 4: was 000000
            "cn-13th-eco,air-good-days,110000.0,2016,78.8,%,,",  # row 5: a spreadsheet number
            "cn-13th-eco,air-good-days,110000000000,2019,82.0,%,,",  # row 6: 12-digit statistical code
            "cn-13th-eco,air-good-days,7,2020,87.0,%,,",  # row 7: nothing to suggest
            "cn-13th-eco,air-good-days,999999,2020,87.0,%,,",  # row 8: six digits, unknown
        ],
    )
    assert [(row, field, text) for row, field, text, _ in got] == [
        (2, "region", "11"),
        (3, "region", "4407"),
        (4, "region", "0"),
        (5, "region", "110000.0"),
        (6, "region", "110000000000"),
        (7, "region", "7"),
        (8, "region", "999999"),
    ]
    reasons = [r for *_, r in got]
    assert reasons[0].endswith("did you mean 110000 北京市?")
    assert reasons[1].endswith("did you mean 440700 江门市?")
    assert reasons[2].endswith("did you mean 000000 全国?")
    assert reasons[3].endswith("did you mean 110000 北京市?")
    assert reasons[4].endswith("did you mean 110000 北京市?")
    assert reasons[5] == "not a six-digit GB/T 2260 region code (000000 = national)"
    assert reasons[6] == "unknown region code (GB/T 2260, six digits; 000000 = national)"


def test_region_hint_names_come_from_the_mapping_given() -> None:
    assert region_hint("44", {"440000": "广东"}).endswith("did you mean 440000 广东?")
    assert region_hint("44", {"440000"}).endswith("did you mean 440000 广东省?")


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda x: not x.is_integer()))
def test_any_non_integral_year_is_rejected(x: float) -> None:
    for text in (repr(x), f"{x:.3f}".rstrip("0"), f"{x:f}"):
        if text.rstrip("0").endswith("."):
            continue  # the format rounded it to a whole number
        with pytest.raises(ValueError, match="not a"):
            parse_year(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12) | st.from_regex(r"\s*[0-9０-９]{0,5}([.,][0-9]{0,3})?\s*", fullmatch=True))
@example("2018.")
@example("２０１８")
@example("2018,0")
def test_a_year_is_digits_or_digits_point_zeros(text: str) -> None:
    stripped = text.strip()
    head, dot, tail = stripped.partition(".")
    whole = head.isascii() and head.isdigit() and (not dot or (tail != "" and set(tail) == {"0"}))
    try:
        year = parse_year(text)
    except ValueError:
        assert not whole
        return
    assert whole and year == int(head)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[0-9]{1,12}", fullmatch=True).filter(lambda t: len(t) != 6))
def test_a_code_that_is_not_six_digits_is_never_accepted(code: str) -> None:
    assert code not in REGIONS
    assert region_hint(code, REGIONS).startswith("not a six-digit GB/T 2260 region code")

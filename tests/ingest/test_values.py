"""Values files: every bad row is named, nothing is half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import write_csv

from ecoplan.errors import ValuesImportError
from ecoplan.ingest.values import read_values
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
            "jiangmen-13th-eco,城市空气质量优良天数比例,4407,2018,89.5,%,,",
        ],
    )
    rows = read_values(f, PLANS, REGIONS)
    assert [r.indicator for r in rows] == ["air-good-days", "air-pm25-decline", "air-good-days"]
    assert rows[1].basis is Basis.CHANGE and rows[2].region == "440700"


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

"""The carbon-market enterprises: the file, the compliance figures, the commands on DuckDB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import cast

import click
import typer
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import write_csv

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.climate.market import MarketLine, discrepancy, read_market, status

CLI = cast(click.Command, typer.main.get_command(cli_app))  # typer's own click, same protocol
runner = CliRunner()

MARKET = [
    "facility,name,region,sector,guide,year,reported_t,verified_t,allocation_t,surrendered_t,deadline",
    "A1,甲电厂,130100,发电,2022修订版,2023,1020000,1000000,980000,1000000,2024-12-31",
    "B2,乙电厂,130200,发电,2022修订版,2023,500000,520000,530000,300000,2024-12-31",
    "C3,丙电厂,130200,发电,2022修订版,2023,200000,,210000,,2024-12-31",
]


def _line(verified: float | None, surrendered: float | None, deadline: dt.date | None) -> MarketLine:
    return MarketLine(0, "X", "", "130000", "", "", 2023, None, verified, None, surrendered, deadline)


@given(
    st.floats(min_value=0, max_value=1e9),
    st.floats(min_value=0, max_value=1e9),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
)
def test_compliance_status(verified: float, surrendered: float, as_of: dt.date) -> None:
    deadline = dt.date(2024, 12, 31)
    c = status(_line(verified, surrendered, deadline), as_of)
    if surrendered >= verified:
        assert (c.status, c.shortfall) == ("complied", 0.0)
    else:
        assert c.status == ("overdue" if as_of > deadline else "pending")
        assert c.shortfall == verified - surrendered
    assert status(_line(None, surrendered, deadline), as_of).status == "unverified"
    assert status(_line(verified, None, None), as_of).status in ("complied", "pending")


def test_discrepancy() -> None:
    assert discrepancy(1_020_000, 1_000_000) == (-20_000, -2.0)
    assert discrepancy(None, 5) is None
    assert discrepancy(5, 0) == (-5, None)


def test_a_bad_market_file_names_each_cell(tmp_path: Path) -> None:
    bad = write_csv(
        tmp_path / "m.csv",
        [
            MARKET[0],
            "A1,甲,130100,发电,v,2023,-1,x,,,2024-02-30",
            "A1,乙,130100,发电,v,2023,1,1,1,1,",
        ],
    )
    got = {(r.row, r.field, r.reason) for r in read_market(bad).rejects}
    assert got == {
        (2, "reported", "negative"),
        (2, "verified", "bad_number"),
        (2, "deadline", "bad_date"),
        (3, "facility", "conflict"),
        (3, "year", "duplicate"),
    }


def test_the_market_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "m.duckdb")
    with Ecoplan(db) as ep:
        ep.init()
    m = write_csv(tmp_path / "m.csv", MARKET)

    def run(*args: str) -> str:
        res = runner.invoke(CLI, ["climate", "market", *args, "--db", db])
        assert res.exit_code == 0, (res.stdout, res.stderr)
        return res.stdout

    assert (
        run("load", str(m), "--lang", "en").strip()
        == "carbon-market facilities: 3 rows read, 3 new, 0 replaced, 0 unchanged"
    )
    assert "未变 3" in run("load", str(m))
    rows = {r["facility"]: r for r in json.loads(run("list", "--as-of", "2025-01-15", "--format", "json"))}
    assert (rows["A1"]["status"], rows["A1"]["balance_t"]) == ("complied", -20_000.0)
    assert (rows["B2"]["status"], rows["B2"]["shortfall_t"]) == ("overdue", 220_000.0)
    assert rows["C3"]["status"] == "unverified"
    early = {
        r["facility"]: r["status"]
        for r in json.loads(run("list", "--as-of", "2024-06-01", "--format", "json"))
    }
    assert early["B2"] == "pending"
    d = json.loads(run("discrepancies", "--threshold", "3", "--format", "json"))
    assert [(r["facility"], r["discrepancy_t"], r["discrepancy_pct"]) for r in d] == [("B2", 20_000.0, 3.85)]
    t = json.loads(run("totals", "--as-of", "2025-01-15", "--format", "json"))
    assert t[1] == {
        "region": "130200",
        "year": 2023,
        "facilities": 2,
        "verified_t": 520_000.0,
        "allocation_t": 740_000.0,
        "surrendered_t": 300_000.0,
        "overdue": 1,
    }
    zh = run("list", "--as-of", "2025-01-15")
    assert "B2 乙电厂（130200）2023 年" in zh and "逾期未足额清缴，缺口 220,000 吨" in zh

"""``ecoplan soil load|classify|rates|feed`` on a real store, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import SHARED
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app

QIYANG = SHARED / "data" / "soil" / "qiyang_hunan_soil_cd_pri_Cd_data.csv"
DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "soil" / "data"
runner = CliRunner()
_CJK = re.compile("[\u3400-\u9fff]")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "c.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
    return str(path)


def _ok(args: list[str]) -> str:
    res = runner.invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_the_commands_end_to_end(db: str) -> None:
    out = _ok(["soil", "load", str(QIYANG), "--format", "qiyang-cd", "--db", db, "--lang", "en"])
    assert out.strip() == "soil samples: 136 rows read, 136 new, 0 revised, 0 unchanged"
    out = _ok(["soil", "load", str(QIYANG), "--format", "qiyang-cd", "--db", db])
    assert "新增 0" in out and "未变 136" in out
    _ok(
        [
            "soil",
            "load",
            str(DATA / "qiyang_farmland_units_example.csv"),
            "--format",
            "farmland-units",
            "--db",
            db,
        ]
    )
    _ok(["soil", "load", str(DATA / "qiyang_plots_example.csv"), "--format", "plots", "--db", db])
    counts = json.loads(_ok(["soil", "classify", "--counts", "--format", "json", "--db", db]))
    assert sum(r["samples"] for r in counts) == 136
    rates = json.loads(_ok(["soil", "rates", "--format", "json", "--db", db]))
    assert [r["farmland_safe_use_pct"] for r in rates] == [39.3, 84.2, 89.8]
    csv = _ok(["soil", "rates", "--format", "csv", "--db", db])
    assert csv.splitlines()[0].startswith("region,year,farmland_safe_use_pct")
    en = _ok(["soil", "feed", "--region", "431181", "--db", db, "--lang", "en"])
    assert "Qiyang (431181) / 2020: 89.8 %" in en and en.strip().endswith("12 new, 0 revised, 0 unchanged")
    table_en = _ok(["soil", "classify", "--counts", "--db", db, "--lang", "en"])
    assert "Priority protection" in table_en and not _CJK.search(table_en)
    table_zh = _ok(["soil", "classify", "--counts", "--db", db])
    assert "优先保护类" in table_zh and "安全利用类" in table_zh


def test_load_errors_are_clear(db: str, tmp_path: Path) -> None:
    res = runner.invoke(
        cli_app,
        ["soil", "load", str(tmp_path / "nope.csv"), "--format", "samples", "--db", db, "--lang", "en"],
    )
    assert res.exit_code == 1 and "no such file" in res.output
    res = runner.invoke(cli_app, ["soil", "rates", "--db", db, "--lang", "en"])
    assert res.exit_code == 1 and "no farmland units or plots stored" in res.output
    res = runner.invoke(cli_app, ["soil", "class", "--cd", "1", "--ph", "6"])
    assert res.exit_code == 1

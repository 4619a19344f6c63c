"""The climate lines of ``make run`` (given to the Makefile as :data:`MAKE_LINES`), run
twice through the real CLI on a real DuckDB file: the first run stores the demo sample
and feeds the plans (source "pipeline climate"); the second adds nothing."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import cast

import click
import typer
from click.testing import CliRunner

import ecoplan.climate
from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app

CLI = cast(click.Command, typer.main.get_command(cli_app))
DEMO = Path(ecoplan.climate.__file__).parent / "data" / "demo"
#: The Makefile's lines, as the coordinator adds them to ``run`` (CLIMATE_DEMO :=
#: src/ecoplan/climate/data/demo).
MAKE_LINES = """
$(BIN)/ecoplan climate load $(CLIMATE_DEMO)/energy.csv --kind energy --db $(DB)
$(BIN)/ecoplan climate load $(CLIMATE_DEMO)/gdp.csv --kind gdp --db $(DB)
$(BIN)/ecoplan climate load $(CLIMATE_DEMO)/totals.csv --kind totals --db $(DB)
$(BIN)/ecoplan climate market load $(CLIMATE_DEMO)/market.csv --db $(DB)
$(BIN)/ecoplan climate feed --db $(DB)
$(BIN)/ecoplan assess cn-13th-eco-mee2020 --region 130000 --year 2020 --db $(DB)
$(BIN)/ecoplan assess hebei-14th-eco --region 130000 --year 2023 --db $(DB)
"""


def _run_lines(db: Path) -> list[str]:
    out = []
    for line in MAKE_LINES.strip().splitlines():
        text = line.replace("$(CLIMATE_DEMO)", str(DEMO)).replace("$(DB)", str(db))
        args = shlex.split(text)[1:]  # without $(BIN)/ecoplan
        res = CliRunner().invoke(CLI, args)
        assert res.exit_code == 0, (line, res.stdout, res.stderr)
        out.append(res.stdout)
    return out


def _state(db: Path) -> tuple[object, ...]:
    with Ecoplan(db, read_only=True) as ep:
        st = ep.climate.store
        # the data and every value revision (the import log records each run, by design)
        return (st.energy(), st.gdp(), st.totals(), st.market(), ep.catalog.value_rows(history=True))


def test_make_run_lines_twice(tmp_path: Path) -> None:
    db = tmp_path / "run.duckdb"
    assert CliRunner().invoke(CLI, ["init", "--db", str(db)]).exit_code == 0
    first = _run_lines(db)
    assert "读入 126 行，新增 126" in first[0]
    assert "读入 11 行，新增 11" in first[3]
    assert "cn-13th-eco-mee2020 / co2-intensity / 130000 / 2020：31.64" in first[4]
    assert "31.64 %" in first[5]  # the assessment of 2020 shows the fed value
    before = _state(db)

    second = _run_lines(db)
    for text in second[:4]:
        assert "新增 0，替换 0" in text
    assert "新增 0，修订 0" in second[4]
    assert _state(db) == before

    res = CliRunner().invoke(
        CLI,
        [
            "assess",
            "cn-13th-eco-mee2020",
            "--region",
            "130000",
            "--year",
            "2020",
            "--format",
            "json",
            "--db",
            str(db),
        ],
    )
    row = next(r for r in json.loads(res.stdout)["indicators"] if r["id"] == "co2-intensity")
    assert (row["value"], row["value_source"], row["value_revision"]) == (31.64, "pipeline climate", 1)

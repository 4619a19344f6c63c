"""Issue #9: CSV and XLSX exports of the CLI cannot attack their reader; unsupported --format is refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from tests.hostile import (
    AT,
    CMD,
    INDICATOR,
    LINK,
    PLUS,
    TAB,
    add_hostile_plan,
    assert_inert_csv,
    assert_inert_xlsx,
)
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.core.exports import csv_text, is_hostile, neutralise
from ecoplan.ingest.plans import read_plan_file
from ecoplan.plans.serialize import plan_to_mapping

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("hostile")
    path = tmp / "hostile.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
        add_hostile_plan(ep, tmp)
    return str(path)


def test_the_rule() -> None:
    for text in ("=1+1", "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "-", "+"):
        assert is_hostile(text) and neutralise(text) == "'" + text
    for cell in ("-5", "+3.2", "-1e3", ".5", "PM2.5", "＞80", "", 5, -5, -2.5, True, None):
        assert neutralise(cell) == cell
    import pandas as pd

    text = csv_text(pd.DataFrame({"t": [CMD, "-5"], "n": [-5, 2.5]}))
    assert text.splitlines() == ["t,n", "'=cmd|' /C calc'!A0,-5.0", "-5,2.5"]


def test_values_list_csv_is_inert(db: str) -> None:
    res = runner.invoke(app, ["values", "list", "--plan", "evil", "--format", "csv", "--db", db])
    assert res.exit_code == 0, res.output
    (row,) = assert_inert_csv(res.stdout)
    assert (row["source"], row["note"]) == ("'" + LINK, "'" + AT)
    assert row["value"] == "87.0"  # a number stays a number


@pytest.mark.parametrize("to_file", [False, True])
def test_assess_csv_is_inert(db: str, tmp_path: Path, to_file: bool) -> None:
    out = tmp_path / "a.csv"
    args = ["assess", "evil", "--year", "2020", "--format", "csv", "--db", db]
    res = runner.invoke(app, [*args, "--output", str(out)] if to_file else args)
    assert res.exit_code == 0, res.output
    rows = assert_inert_csv(out.read_text("utf-8") if to_file else res.stdout)
    row = next(r for r in rows if r["id"] == INDICATOR)
    assert (row["name_zh"], row["name_en"], row["value_source"]) == ("'" + CMD, "'" + PLUS, "'" + LINK)
    assert row["value"] == "87.0" and row["target_expr"] == "＞80"


def test_assess_xlsx_is_inert(db: str, tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    res = runner.invoke(
        app, ["assess", "evil", "--year", "2020", "--format", "xlsx", "-o", str(out), "--db", db]
    )
    assert res.exit_code == 0, res.output
    assert_inert_xlsx(out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("id")].value == INDICATOR)
    name, value = row[head.index("name_zh")], row[head.index("value")]
    assert (name.value, name.data_type, name.quotePrefix) == (CMD, "s", True)  # the text, unchanged
    assert (value.value, value.data_type) == (87, "n")


def test_plans_export_xlsx_is_inert_and_imports_back(db: str, tmp_path: Path) -> None:
    out = tmp_path / "evil.xlsx"
    res = runner.invoke(app, ["plans", "export", "evil", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    cells = assert_inert_xlsx(out)
    assert {CMD, PLUS, AT, LINK} <= {c.value for c in cells}
    with Ecoplan(db) as ep:
        stored = ep.plan("evil").plan
    back = read_plan_file(out)
    keep = ("id", "title", "document_number")
    assert {k: plan_to_mapping(back)[k] for k in keep} == {k: plan_to_mapping(stored)[k] for k in keep}
    for a, b in zip(plan_to_mapping(back)["indicators"], plan_to_mapping(stored)["indicators"], strict=True):
        assert a == {k: b[k] for k in a}  # (the template has no footnotes or scope column)
    evil = next(i for i in plan_to_mapping(back)["indicators"] if i["id"] == INDICATOR)
    assert (evil["name"]["zh"], evil["category"]["zh"], evil["source"]["file"]) == (CMD, AT, LINK)


def test_tab_led_text_is_inert_in_xlsx(tmp_path: Path) -> None:
    import pandas as pd

    from ecoplan.core.exports import write_xlsx

    write_xlsx(pd.DataFrame({"t": [TAB, "\r=1"], "n": [-5, 1.5]}), tmp_path / "t.xlsx")
    cells = assert_inert_xlsx(tmp_path / "t.xlsx")
    assert [c.value for c in cells[:4]] == ["t", "n", TAB, -5]  # (XML reads a leading CR back as LF)
    assert (cells[2].data_type, cells[2].quotePrefix, cells[3].data_type) == ("s", True, "n")


@pytest.mark.parametrize(
    "args",
    [
        ["values", "list", "--format", "yaml"],
        ["values", "list", "--format", "xlsx"],
        ["regions", "list", "--format", "csv"],
        ["plans", "list", "--format", "csv"],
        ["plans", "show", "evil", "--format", "xlsx"],
        ["tasks", "list", "--format", "csv"],
        ["rank", "evil", "--year", "2020", "--format", "csv"],
        ["assess", "evil", "--format", "yaml"],
    ],
)
def test_unsupported_format_is_refused(db: str, args: list[str]) -> None:
    res = runner.invoke(app, [*args, "--db", db])
    assert res.exit_code == 2, res.output  # a usage error, nothing written
    assert "--format" in res.output and "'table'" in res.output and "'json'" in res.output

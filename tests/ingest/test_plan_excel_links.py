"""The Excel plan template keeps the cross-period links and the comparable-baseline rule."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ecoplan.core.errors import InputFileError
from ecoplan.ingest.plans import INDICATOR_COLUMNS, read_plan_file, write_plan_excel
from ecoplan.plans import builtin_plans
from ecoplan.plans.model import BaselineRule, Plan, Relation


def _plan(plan_id: str) -> Plan:
    return next(p for p in builtin_plans() if p.id == plan_id)


def test_links_and_rule_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "p15.xlsx"
    write_plan_excel(_plan("cn-15th-outline"), path)
    back = read_plan_file(path)
    water = back.indicator("water-good-bodies")
    assert water.predecessor is not None
    assert (water.predecessor.plan, water.predecessor.indicator) == ("cn-14th-eco", "water-grade-i-iii")
    assert water.predecessor.relation is Relation.REDEFINED
    assert water.predecessor.note.zh  # the note travels too
    cb = back.settings.comparable_baseline
    assert cb is not None and cb.rule is BaselineRule.REBASED


def test_cells_are_where_the_template_says(tmp_path: Path) -> None:
    path = tmp_path / "p15.xlsx"
    write_plan_excel(_plan("cn-15th-outline"), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["indicators"]
    header = [c.value for c in ws[1]]
    assert header == list(INDICATOR_COLUMNS)
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert (row["predecessor_plan"], row["predecessor_relation"]) == ("cn-14th-eco", "redefined")
    kv = {r[0].value: r[1].value for r in wb["plan"].iter_rows(min_row=2)}
    assert kv["comparable_baseline_rule"] == "rebased"


def test_a_bad_relation_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p15.xlsx"
    write_plan_excel(_plan("cn-15th-outline"), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["indicators"]
    col = list(INDICATOR_COLUMNS).index("predecessor_relation") + 1
    ws.cell(row=2, column=col, value="replaced")
    wb.save(path)
    with pytest.raises(InputFileError, match="relation") as info:
        read_plan_file(path)
    assert "replaced" in str(info.value)

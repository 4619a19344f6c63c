"""The plans of today at national level: the 15th FYP outline's links to the 14th plan,
and the 2024 opinion on building a Beautiful China with its 2024–2025 national PM2.5.

Expected statuses are worked out by hand from the shipped numbers (see each case),
not recomputed with ecoplan.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import yaml
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.plans import TargetKind, builtin_plans, parse_target
from ecoplan.plans.model import BaselineRule, Relation

PLANS = {p.id: p for p in builtin_plans()}
OUTLINE = PLANS["cn-15th-outline"]
FOURTEENTH = PLANS["cn-14th-eco"]
BEAUTIFUL = PLANS["cn-beautiful-china-2035"]
BUILTIN = resources.files("ecoplan.plans.builtin")
DEMO = resources.files("ecoplan.demo")
BEAUTIFUL_CSV = Path(str(DEMO.joinpath("cn_beautiful_china_values.csv")))


def test_outline_links_each_indicator_to_the_14th_plan() -> None:
    water = OUTLINE.indicator("water-good-bodies").predecessor
    co2 = OUTLINE.indicator("co2-intensity-decline").predecessor
    assert water is not None and co2 is not None
    assert (water.plan, water.indicator, water.relation) == (
        "cn-14th-eco",
        "water-grade-i-iii",
        Relation.REDEFINED,
    )
    assert (co2.plan, co2.indicator, co2.relation) == (
        "cn-14th-eco",
        "co2-intensity-decline",
        Relation.CONTINUED,
    )
    # a redefined indicator has a series code of its own; a continued one keeps it
    assert OUTLINE.indicator("water-good-bodies").code != FOURTEENTH.indicator("water-grade-i-iii").code
    assert (
        OUTLINE.indicator("co2-intensity-decline").code == FOURTEENTH.indicator("co2-intensity-decline").code
    )
    # the continued CO2 series: 〔18〕 from 2020, then 〔17〕 from 2025 — the note says so
    assert "2020" in co2.note.zh and "2025" in co2.note.zh and "〔17〕" in co2.note.zh
    assert "two five-year periods of one definition" in co2.note.en
    assert water.note.zh and water.note.en


def test_outline_states_its_comparable_baseline_rule() -> None:
    rule = OUTLINE.settings.comparable_baseline
    assert rule is not None and rule.rule is BaselineRule.REBASED
    # the rule names the two 2025 figures it tells apart
    for number in ("80", "91.4"):
        assert number in rule.note.zh and number in rule.note.en


def test_outline_header_says_what_is_not_sourced() -> None:
    head = BUILTIN.joinpath("cn-15th-outline.yaml").read_text("utf-8").split("\nid:", 1)[0]
    assert "NOT SOURCED" in head and "ACROSS PERIODS" in head
    assert "二氧化碳排放累计降低17%" in head  # the phrase looked up


def test_beautiful_china_loads_with_its_one_quotable_target() -> None:
    assert (BEAUTIFUL.start, BEAUTIFUL.end, BEAUTIFUL.base_year, BEAUTIFUL.region) == (
        2024,
        2035,
        2023,
        "000000",
    )
    assert [i.id for i in BEAUTIFUL.indicators] == ["air-pm25"]
    pm = BEAUTIFUL.indicator("air-pm25")
    assert pm.code == "air.pm25_concentration" and pm.unit == "µg/m³"
    assert (pm.baseline.year, pm.baseline.value) == (2023, 30.0)
    assert [(s.year, s.target.kind, s.target.value) for s in pm.targets] == [(2035, TargetKind.LEVEL, 25.0)]
    raw = yaml.safe_load(BUILTIN.joinpath("cn-beautiful-china-2035.yaml").read_text("utf-8"))
    expr = raw["indicators"][0]["targets"][0]["expr"]
    assert parse_target(expr) == pm.targets[0].target
    assert parse_target(pm.targets[0].target.canonical()) == pm.targets[0].target


def test_beautiful_china_quotes_its_numbers_from_secondary_copies() -> None:
    pm = BEAUTIFUL.indicator("air-pm25")
    assert pm.source.file and pm.source.file.startswith("http")
    assert pm.source.quote and "25" in pm.source.quote and "2035" in pm.source.quote
    assert pm.source.note and "secondary" in pm.source.note
    # the baseline's figure is quoted in the scope, with its address
    assert pm.scope and "为30微克/立方米" in pm.scope and "http" in pm.scope
    assert BEAUTIFUL.source.file and BEAUTIFUL.source.file.startswith("https://")
    head = BUILTIN.joinpath("cn-beautiful-china-2035.yaml").read_text("utf-8").split("\nid:", 1)[0]
    assert "SECONDARY" in head and "LEFT OUT" in head


def test_beautiful_china_pm25_is_a_redefinition_of_the_14th_decline() -> None:
    pred = BEAUTIFUL.indicator("air-pm25").predecessor
    assert pred is not None and pred.relation is Relation.REDEFINED
    assert (pred.plan, pred.indicator) == ("cn-14th-eco", "air-pm25-decline")
    assert FOURTEENTH.indicator(pred.indicator).code == "air.pm25_decline"
    assert not pred.relation.one_series


def _rows() -> list[dict[str, str]]:
    with BEAUTIFUL_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_demo_rows_name_their_document_and_state_the_value() -> None:
    rows = _rows()
    assert [(r["year"], r["value"]) for r in rows] == [("2024", "29.3"), ("2025", "28.0")]
    for r in rows:
        assert (r["plan"], r["indicator"], r["region"], r["unit"]) == (
            "cn-beautiful-china-2035",
            "air-pm25",
            "000000",
            "µg/m³",
        )
        assert r["source"].strip() and r["value"] in r["note"]


def _load(ep: Ecoplan) -> None:
    ep.import_values(BEAUTIFUL_CSV, recorded_at="2026-03-31", actor="test", only_new=True)


def test_assessment_by_hand(ep: Ecoplan) -> None:
    """Linear schedule from the 2023 baseline 30 to 25 in 2035 (5 µg/m³ over 12 years):
    2024 expects 30 − 5/12 = 29.58, and 29.3 is below it; 2025 expects 30 − 10/12 =
    29.17, and 28.0 is below it: on track both years, not achieved (25 is for 2035).
    2030 has no value."""
    _load(ep)
    got = {y: ep.assess("cn-beautiful-china-2035", "000000", y).indicators[0] for y in (2024, 2025, 2030)}
    assert {y: a.status.value for y, a in got.items()} == {
        2024: "on_track",
        2025: "on_track",
        2030: "insufficient_data",
    }
    assert (got[2024].value, got[2025].value) == (29.3, 28.0)


def test_cli_lists_the_plans_and_assesses_2025(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", db, "--lang", "en"]).exit_code == 0
    listed = runner.invoke(app, ["plans", "list", "--db", db, "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    assert "cn-15th-outline" in listed.output and "cn-beautiful-china-2035" in listed.output
    imported = runner.invoke(app, ["values", "import", str(BEAUTIFUL_CSV), "--db", db, "--lang", "en"])
    assert imported.exit_code == 0, imported.output
    out = runner.invoke(
        app,
        [
            "assess",
            "cn-beautiful-china-2035",
            "--region",
            "000000",
            "--year",
            "2025",
            "--db",
            db,
            "--lang",
            "en",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "28" in out.output and "29.17" in out.output

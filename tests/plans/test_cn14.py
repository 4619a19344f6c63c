"""The national 14th FYP eco-environmental plan ships with quoted, graded sources and
its 2021–2025 national outcomes, so the 14th period's final assessment can be shown.

The expected statuses are worked out by hand from the shipped numbers (see each
case), not recomputed with ecoplan.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ecoplan.app import Ecoplan, demo_value_files
from ecoplan.cli import app
from ecoplan.plans import TargetKind, builtin_plans, parse_target

PLAN = next(p for p in builtin_plans() if p.id == "cn-14th-eco")
YAML_TEXT = resources.files("ecoplan.plans.builtin").joinpath("cn-14th-eco.yaml").read_text("utf-8")
CSV_PATH = next(path for path, _ in demo_value_files() if path.name == "cn_14th_values.csv")


def test_plan_loads_with_15_indicators_12_binding_2021_2025() -> None:
    assert (PLAN.start, PLAN.end, PLAN.base_year, PLAN.region) == (2021, 2025, 2020, "000000")
    assert PLAN.document_number is None  # 国发〔2021〕33号 is the 节能减排 work plan, not this plan
    assert len(PLAN.indicators) == 15
    assert sum(i.attribute == "binding" for i in PLAN.indicators) == 12
    assert {i.category.zh for i in PLAN.indicators} == {"环境治理", "应对气候变化", "生态保护"}
    assert PLAN.settings.eliminate_basic == 1.0


def test_every_target_parses_and_prints_back() -> None:
    raw = yaml.safe_load(YAML_TEXT)
    exprs = {i["id"]: [t["expr"] for t in i["targets"]] for i in raw["indicators"]}
    for ind in PLAN.indicators:
        assert [t.year for t in ind.targets] == [2025], ind.id
        for spec, expr in zip(ind.targets, exprs[ind.id], strict=True):
            assert parse_target(expr) == spec.target, ind.id
            assert parse_target(spec.target.canonical()) == spec.target, ind.id
            assert spec.target.kind is not TargetKind.NONE, ind.id


@pytest.mark.parametrize(
    ("ind_id", "baseline", "expr"),
    [
        ("air-pm25-decline", None, "〔10〕"),
        ("air-good-days", 87.0, "87.5"),
        ("air-heavy-days", None, "基本消除"),
        ("water-grade-i-iii", 83.4, "85"),
        ("water-worse-v", 0.6, "基本消除"),
        ("coastal-water-good", None, "79左右"),
        ("emission-nox-decline", None, "〔10〕"),
        ("emission-cod-decline", None, "〔8〕"),
        ("co2-intensity-decline", None, "〔18〕"),
        ("energy-intensity-decline", None, "〔13.5〕"),
        ("forest-coverage", 23.04, "24.1"),
        ("wetland-protection-rate", None, "55"),
    ],
)
def test_numbers_as_the_sources_state_them(ind_id: str, baseline: float | None, expr: str) -> None:
    ind = PLAN.indicator(ind_id)
    assert (ind.baseline.year, ind.baseline.value) == (2020, baseline)
    assert ind.targets[0].target == parse_target(expr)


def test_every_indicator_quotes_a_secondary_source_with_its_number() -> None:
    for ind in PLAN.indicators:
        src = ind.source
        assert src.file and src.file.startswith("http"), ind.id
        assert src.quote and len(src.quote) >= 8, ind.id
        assert src.note and "secondary" in src.note, ind.id
        # the quote states the target it is cited for
        target = ind.targets[0].target
        number = "基本消除" if target.kind is TargetKind.ELIMINATE else target.canonical().strip("〔〕左右")
        assert number in src.quote, (ind.id, number, src.quote)
    # the file says, at its top, that nothing is confirmed from the primary text
    head = YAML_TEXT.split("\nid:", 1)[0]
    assert "NOTHING here is confirmed from a primary text" in head
    assert "secondary" in head.lower() and "INFERRED" in head


def test_demo_csv_rows_have_sources_and_belong_to_the_plan() -> None:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 24
    ids = {i.id for i in PLAN.indicators}
    for row in rows:
        assert row["plan"] == "cn-14th-eco" and row["region"] == "000000"
        assert row["indicator"] in ids
        assert 2021 <= int(row["year"]) <= 2025
        assert row["source"].strip() and row["note"].strip()
    keys = [(r["indicator"], r["year"]) for r in rows]
    assert len(keys) == len(set(keys))


def _load_demo(ep: Ecoplan) -> None:
    for path, recorded_at in demo_value_files():
        ep.import_values(path, recorded_at=recorded_at, actor="test", only_new=True)


# Worked out by hand from cn_14th_values.csv and the plan (eliminate_basic 1, 左右 ±5 %):
#   PM2.5 decline 20 ≥ 〔10〕; good days 89.3 ≥ 87.5; heavy days 0.9 ≤ 1 (基本消除);
#   Ⅰ–Ⅲ 91.4 ≥ 85; 劣Ⅴ 0.6 ≤ 1 (基本消除); coastal 84.9 ≥ 79 − 3.95; forest 25 ≥ 24.1;
#   no 2025 figure for the other eight.
FINAL_2025 = {
    "air-pm25-decline": "achieved",
    "air-good-days": "achieved",
    "air-heavy-days": "achieved",
    "water-grade-i-iii": "achieved",
    "coastal-water-good": "achieved",
    "water-worse-v": "achieved",
    "water-black-odorous": "insufficient_data",
    "emission-nox-decline": "insufficient_data",
    "emission-vocs-decline": "insufficient_data",
    "emission-cod-decline": "insufficient_data",
    "emission-nh3n-decline": "insufficient_data",
    "co2-intensity-decline": "insufficient_data",
    "energy-intensity-decline": "insufficient_data",
    "forest-coverage": "achieved",
    "wetland-protection-rate": "insufficient_data",
}


def test_final_assessment_2025_with_the_shipped_outcomes(ep: Ecoplan) -> None:
    _load_demo(ep)
    result = ep.assess("cn-14th-eco", "000000", 2025)
    got = {a.indicator.id: a.status.value for a in result.indicators}
    assert got == FINAL_2025
    values = {a.indicator.id: a.value for a in result.indicators if a.value is not None}
    assert values == {
        "air-pm25-decline": 20.0,
        "air-good-days": 89.3,
        "air-heavy-days": 0.9,
        "water-grade-i-iii": 91.4,
        "water-worse-v": 0.6,
        "coastal-water-good": 84.9,
        "forest-coverage": 25.0,
    }
    summary = result.summary()
    assert (summary["binding_total"], summary["binding_met"]) == (12, 6)


def test_mid_term_2023_by_hand(ep: Ecoplan) -> None:
    """2023: good days 86.8 is below the 2020 baseline 87.0 (and below the linear
    序时进度 87.0 + 0.5·3/5 = 87.3): moved the wrong way, off track. Ⅰ–Ⅲ 89.4 ≥ 85
    and 劣Ⅴ 0.7 ≤ 1 are met two years early."""
    _load_demo(ep)
    got = {a.indicator.id: a.status.value for a in ep.assess("cn-14th-eco", "000000", 2023).indicators}
    assert got["air-good-days"] == "off_track"
    assert got["water-grade-i-iii"] == "achieved"
    assert got["water-worse-v"] == "achieved"
    assert got["coastal-water-good"] == "achieved"


def test_2024_schedule_by_hand(ep: Ecoplan) -> None:
    """2024, linear 序时进度 from 2020: good days 87.2 is behind 87.0 + 0.5·4/5 = 87.4
    but above the 87.0 baseline: at risk. Energy intensity down 11.6 % in four years,
    ahead of 13.5·4/5 = 10.8: on track."""
    _load_demo(ep)
    got = {a.indicator.id: a.status.value for a in ep.assess("cn-14th-eco", "000000", 2024).indicators}
    assert got["air-good-days"] == "at_risk"
    assert got["energy-intensity-decline"] == "on_track"


def test_cli_init_lists_the_plan_and_assesses_2025(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    runner = CliRunner()
    res = runner.invoke(app, ["init", "--demo", "--db", db, "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "demo values: 24 new, 0 already stored" in res.output
    listed = runner.invoke(app, ["plans", "list", "--db", db])
    assert listed.exit_code == 0 and "cn-14th-eco" in listed.output
    out = runner.invoke(app, ["assess", "cn-14th-eco", "--region", "000000", "--year", "2025", "--db", db])
    assert out.exit_code == 0, out.output
    assert "89.3" in out.output and "91.4" in out.output

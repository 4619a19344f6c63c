"""The vectorised assessment (``assess_table``) equals the per-region rules (``assess_indicator``).

Two independent paths: the NumPy pass over every region and the scalar
function used for one region's page. Every row of the table is compared with
the scalar result on the same values: statuses, verdicts, warnings exactly,
numbers to 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.assess.evaluate import IndicatorAssessment, Observation, assess_indicator
from ecoplan.assess.table import COLUMNS, assess_table
from ecoplan.core.regions import bundled_regions
from ecoplan.demo.synthetic import synthetic_values, territory
from ecoplan.plans import Basis, builtin_plans, plan_from_mapping
from ecoplan.plans.model import Plan, TargetSpec
from ecoplan.plans.targets import parse_target

FLOATS = [
    "value",
    "baseline_value",
    "target_value",
    "expected",
    "change",
    "required_annual",
    "actual_annual",
    "rr",
    "cs",
    "projected",
    "ap",
]


NAN = float("nan")


def rows_from_assessments(items: Sequence[IndicatorAssessment]) -> list[dict[str, Any]]:
    """Table rows of scalar assessments (the same columns as :func:`assess_table`)."""

    def f(x: float | None) -> float:
        return NAN if x is None else float(x)

    out = []
    for a in items:
        out.append(
            {
                "plan_id": a.plan,
                "region": a.region,
                "indicator_id": a.indicator.id,
                "year": a.year,
                "attribute": a.attribute.value,
                "target_source": a.target_source,
                "space": a.space,
                "value": f(a.value),
                "baseline_year": a.baseline_year,
                "baseline_value": f(a.baseline_value),
                "target_year": None if a.target is None else a.target.year,
                "target_value": f(a.target_value),
                "expected": f(a.expected),
                "change": f(a.change),
                "required_annual": f(a.required_annual),
                "actual_annual": f(a.actual_annual),
                "annual_unit": a.annual_unit,
                "rr": f(a.rr),
                "cs": f(a.cs),
                "projected": f(a.projected),
                "ap": f(a.ap),
                "within_tolerance": a.within_tolerance,
                "status": a.status.value,
                "verdict": a.verdict.value,
                "warning": None if a.warning is None else a.warning.level,
            }
        )
    return out


def scalar_rows(
    plan: Plan, values: pd.DataFrame, regions: list[str], years: list[int], dec=None
) -> pd.DataFrame:
    items = []
    dec = dec or {}
    for r in regions:
        d = values[values["region"] == r]
        for ind in plan.indicators:
            dd = d[d["indicator_id"] == ind.id]
            obs = [
                Observation(int(y), float(x), Basis(b))
                for y, x, b in zip(dd["year"], dd["value"], dd["basis"], strict=True)
            ]
            for y in years:
                items.append(assess_indicator(plan, ind, r, y, obs, decomposed=dec.get((ind.id, r))))
    return pd.DataFrame(rows_from_assessments(items))


def assert_same(table: pd.DataFrame, ref: pd.DataFrame) -> None:
    key = ["region", "indicator_id", "year"]
    got = table.assign(region=table["region"].astype(str), indicator_id=table["indicator_id"].astype(str))
    got = got.set_index(key).sort_index()
    ref = ref.set_index(key).sort_index()
    assert len(got) == len(ref)
    assert got.index.equals(ref.index)
    for c in FLOATS:
        a = ref[c].astype(float).to_numpy()
        b = got[c].astype(float).to_numpy()
        same = np.isclose(a, b, rtol=1e-9, atol=1e-9) | (np.isnan(a) & np.isnan(b))
        assert same.all(), (c, ref[~same].head(), got[c][~same].head())

    def text(s: pd.Series) -> pd.Series:
        return s.astype(object).where(s.notna(), "<none>").astype(str)

    for c in ("status", "verdict", "warning", "target_source", "space", "annual_unit", "within_tolerance"):
        a, b = text(ref[c]), text(got[c])
        assert (a == b).all(), (c, pd.concat([a[a != b], b[a != b]], axis=1).head())
    for c in ("baseline_year", "target_year"):
        assert (text(ref[c].astype("Int64")) == text(got[c].astype("Int64"))).all(), c


@pytest.mark.parametrize("plan", builtin_plans(), ids=lambda p: p.id)
def test_every_builtin_plan_matches_the_scalar_rules(plan: Plan) -> None:
    regions = territory(plan, bundled_regions().values())
    rng = np.random.default_rng(7)
    sample = sorted(set(rng.choice(regions, size=min(80, len(regions)), replace=False)) | {plan.region})
    values = synthetic_values(plan, sample, seed=3, share=0.7).rename(columns={"indicator": "indicator_id"})
    years = list(range(plan.base_year, plan.end + 1))
    table = assess_table(plan, values, years, regions=sample)
    assert list(table.columns) == COLUMNS
    assert len(table) == len(sample) * len(plan.indicators) * len(years)
    assert set(table["status"].astype(str)) >= {"achieved", "insufficient_data"}
    assert_same(table, scalar_rows(plan, values, sample, years))


def test_decomposed_regions_match_the_scalar_rules() -> None:
    plan = next(p for p in builtin_plans() if p.id == "cn-13th-eco")
    sample = ["110000", "120000", "130000", "440000", "440700"]
    values = synthetic_values(plan, sample, seed=11).rename(columns={"indicator": "indicator_id"})
    dec = {
        ("air-good-days", "110000"): (TargetSpec(2020, parse_target("56")),),
        ("air-good-days", "120000"): (
            TargetSpec(2018, parse_target("60")),
            TargetSpec(2020, parse_target("62")),
        ),
        ("air-pm25-decline", "440000"): (TargetSpec(2020, parse_target("〔10〕")),),
    }
    years = list(range(2015, 2021))
    table = assess_table(plan, values, years, regions=sample, decomposed=dec)
    assert set(table[table["region"] == "110000"]["target_source"].astype(str)) == {"inherited", "decomposed"}
    assert_same(table, scalar_rows(plan, values, sample, years, dec))


# -- random plans -------------------------------------------------------------------------

EXPRS = [
    "＞80",
    "≥75",
    "＜5",
    "≤40",
    "85",
    "15左右",
    "〔18〕",
    "〔2〕",
    "23.04〔1.38〕",
    "基本消除",
    "保持",
    "-",
]


@st.composite
def random_case(draw: st.DrawFn) -> tuple[Plan, pd.DataFrame]:
    direction = draw(st.sampled_from(["higher", "lower"]))
    unit = draw(st.sampled_from(["%", "万吨"]))
    final = draw(st.sampled_from(EXPRS))
    baseline = draw(st.one_of(st.none(), st.floats(1, 95).map(lambda x: round(x, 1))))
    if "〔" in final and final.startswith("〔") and draw(st.booleans()):
        baseline = None
    targets = []
    if draw(st.booleans()) and final not in ("-", "保持", "基本消除"):
        targets.append({"year": 2018, "expr": draw(st.sampled_from(["78", "〔10〕", "50左右", "≥60"]))})
    targets.append({"year": 2020, "expr": final})
    plan = plan_from_mapping(
        {
            "id": "p",
            "title": "规划",
            "level": "national",
            "region": "000000",
            "period": {"start": 2016, "end": 2020},
            "base_year": 2015,
            "settings": {"schedule": draw(st.sampled_from(["linear", "compound"]))},
            "indicators": [
                {
                    "id": "x",
                    "name": "指标",
                    "unit": unit,
                    "direction": direction,
                    "attribute": draw(st.sampled_from(["binding", "expected"])),
                    "baseline": {"year": 2015, "value": baseline},
                    "targets": targets,
                }
            ],
        }
    )
    rows = []
    for region in ["000000", "110000", "120000", "130000", "140000"]:
        change_form = draw(st.booleans()) and plan.indicators[0].is_cumulative
        for year in range(2015, 2021):
            if draw(st.integers(0, 3)) == 0:
                continue
            v = draw(st.floats(0, 99).map(lambda x: round(x, 2)))
            rows.append(("x", region, year, v, "change" if change_form else "level"))
    values = pd.DataFrame(rows, columns=["indicator_id", "region", "year", "value", "basis"])
    return plan, values


@given(random_case())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_plans_and_values_match_the_scalar_rules(case: tuple[Plan, pd.DataFrame]) -> None:
    plan, values = case
    regions = ["000000", "110000", "120000", "130000", "140000"]
    years = list(range(2015, 2021))
    table = assess_table(plan, values, years, regions=regions)
    assert_same(table, scalar_rows(plan, values, regions, years))


def test_a_region_without_values_is_insufficient_everywhere() -> None:
    plan = next(p for p in builtin_plans() if p.id == "cn-13th-eco")
    values = pd.DataFrame(columns=["indicator_id", "region", "year", "value", "basis"])
    table = assess_table(plan, values, [2018], regions=["110000"])
    assert len(table) == len(plan.indicators)
    assert set(table["status"].astype(str)) <= {"insufficient_data", "not_assessable"}
    assert all(math.isnan(x) for x in table["value"])

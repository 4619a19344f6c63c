"""The built-in plans carry the seeds' numbers, each with its quoted source."""

from __future__ import annotations

import re

import pytest
from tests.conftest import SHARED

from ecoplan.plans import TargetKind, builtin_plans

PLANS = {p.id: p for p in builtin_plans()}


def test_builtin_plans_parents_first() -> None:
    ids = [p.id for p in builtin_plans()]
    assert set(ids) == {
        "cn-13th-eco",
        "cn-13th-eco-mee2020",
        "jiangmen-13th-eco",
        "hebei-14th-eco",
        "cn-14th-eco",
        "cn-15th-outline",
        "cn-beautiful-china-2035",
        "zhejiang-14th-eco",
        "shanghai-14th-eco",
        "henan-14th-eco",
    }
    assert ids.index("cn-13th-eco") < ids.index("jiangmen-13th-eco")


def test_national_plan_has_26_indicators_12_binding() -> None:
    plan = PLANS["cn-13th-eco"]
    assert len(plan.indicators) == 26
    assert sum(i.attribute == "binding" for i in plan.indicators) == 12
    assert (plan.start, plan.end, plan.base_year) == (2016, 2020, 2015)


@pytest.mark.parametrize(
    ("ind_id", "year", "value", "expr", "cumulative"),
    [
        ("air-good-days", 2015, 76.7, "＞80", False),
        ("air-pm25-decline", 2015, None, "〔18〕", True),
        ("groundwater-very-poor", 2013, 15.7, "15左右", False),  # footnote 4: a 2013 figure
        ("soil-farmland-safe-use", 2015, 70.6, "90左右", False),
        ("forest-coverage", 2015, 21.66, "23.04〔1.38〕", True),
        ("forest-stock", 2015, 151, "165〔14〕", True),
        ("wetland-area", 2015, None, "≥8", False),
        ("soil-erosion-treated", 2015, None, "〔27〕", True),
    ],
)
def test_national_baselines_and_targets(ind_id, year, value, expr, cumulative) -> None:
    ind = PLANS["cn-13th-eco"].indicator(ind_id)
    assert ind.baseline.year == year
    assert ind.baseline.value == value
    assert ind.final is not None and ind.final.target.text == expr and ind.final.year == 2020
    assert ind.is_cumulative is cumulative


def test_mee_annex_adds_co2_intensity() -> None:
    mee = PLANS["cn-13th-eco-mee2020"]
    national = {i.id for i in PLANS["cn-13th-eco"].indicators}
    assert {i.id for i in mee.indicators} - national == {"co2-intensity"}
    co2 = mee.indicator("co2-intensity")
    assert co2.attribute == "binding" and co2.final is not None
    assert co2.final.target.kind is TargetKind.CUMULATIVE and co2.final.target.cumulative == 18


def test_jiangmen_has_2018_milestones_and_inherited_targets() -> None:
    jm = PLANS["jiangmen-13th-eco"]
    assert len(jm.indicators) == 19 and jm.region == "440700"
    good = jm.indicator("城市空气质量优良天数比例")
    assert [(s.year, s.target.value) for s in good.targets] == [(2018, 89.0), (2020, 90.0)]
    inherited = [i for i in jm.indicators if any(s.target.kind is TargetKind.INHERITED for s in i.targets)]
    assert len(inherited) >= 4


def test_hebei_states_pm25_37_with_stretch_35() -> None:
    hb = PLANS["hebei-14th-eco"]
    assert (hb.start, hb.end, hb.region) == (2021, 2025, "130000")
    pm = next(i for i in hb.indicators if i.id == "air-pm25")
    assert pm.final is not None and pm.final.target.value == 37
    assert pm.final.stretch is not None and pm.final.stretch.value == 35


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="shared/seeds not beside the repo")
# no seed for these (their sources are web addresses): see test_method and test_cn14
@pytest.mark.parametrize(
    "plan_id",
    sorted(
        set(PLANS)
        - {
            "cn-15th-outline",
            "cn-14th-eco",
            "cn-beautiful-china-2035",
            "zhejiang-14th-eco",
            "shanghai-14th-eco",
            "henan-14th-eco",
        }
    ),
)
def test_every_quote_is_in_its_seed(plan_id: str) -> None:
    plan = PLANS[plan_id]
    items = [*plan.indicators, *plan.tasks]
    for item in items:
        src = item.source
        assert src.file and src.quote, f"{plan_id}/{item.id} has no source quote"
        text = _squash((SHARED / "seeds" / src.file).read_text("utf-8"))
        assert _squash(src.quote) in text, f"{plan_id}/{item.id}: quote not found in {src.file}"

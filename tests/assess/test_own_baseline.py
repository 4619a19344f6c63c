"""A region is judged on its own numbers (issue 8; ``docs/assessment.md`` "Whose baseline, whose target")."""

from __future__ import annotations

import pytest

from ecoplan.assess.evaluate import Message, Observation, Status, Verdict, assess_indicator
from ecoplan.assess.scoring import load_rules, score
from ecoplan.plans import Basis, builtin_plans
from ecoplan.plans.model import TargetSpec
from ecoplan.plans.targets import parse_target

NATIONAL = next(p for p in builtin_plans() if p.id == "cn-13th-eco")
GOOD = NATIONAL.indicator("air-good-days")  # 76.7 in 2015, ＞80 in 2020, binding
PM25 = NATIONAL.indicator("air-pm25-decline")  # 〔18〕, no baseline level
BEIJING = Message("Beijing", "北京市")


def obs(*pairs: tuple[int, float], basis: Basis = Basis.LEVEL) -> list[Observation]:
    return [Observation(y, v, basis, source="test") for y, v in pairs]


def test_beijing_is_measured_from_its_own_2015_value_not_the_nations() -> None:
    series = obs((2015, 51.1), (2016, 54.0), (2017, 62.2))
    for year in (2016, 2017):
        a = assess_indicator(NATIONAL, GOOD, "110000", year, series, region_name=BEIJING)
        assert a.baseline_value == 51.1 and a.baseline_year == 2015
        assert a.baseline_source == "test"
        assert a.target_source == "inherited" and a.target is not None and a.target.target.value == 80
        assert a.change is not None and a.change > 0
        assert a.actual_annual is not None and a.actual_annual > 0
        assert a.status is Status.AT_RISK  # improving, but behind the path from 51.1 to 80
        assert a.warning is not None and "achieved +" in a.warning.reason.en
        assert "-" not in a.warning.reason.en.split("achieved")[1].split("since")[0]
    # the expected value on the schedule runs from Beijing's 51.1 to 80, not from 76.7
    a16 = assess_indicator(NATIONAL, GOOD, "110000", 2016, series)
    assert a16.expected == pytest.approx(51.1 + (80 - 51.1) / 5)


def test_the_plan_region_keeps_the_printed_baseline() -> None:
    a = assess_indicator(NATIONAL, GOOD, "000000", 2016, obs((2015, 70.0), (2016, 78.8)))
    assert a.baseline_value == 76.7 and a.baseline_source == "plan" and a.target_source == "own"


def test_no_own_baseline_never_borrows_the_plans() -> None:
    a = assess_indicator(NATIONAL, GOOD, "110000", 2017, obs((2017, 62.2)), region_name=BEIJING)
    assert a.baseline_value is None
    assert a.status is Status.INSUFFICIENT_DATA and a.verdict is Verdict.PENDING
    assert a.reason.en.startswith("no 2015 value for Beijing")
    assert "北京市2015年基期值" in a.reason.zh
    assert a.warning is None
    # a level target can still be judged at the end without a baseline
    final = assess_indicator(NATIONAL, GOOD, "110000", 2020, obs((2020, 85.0)))
    assert final.verdict is Verdict.MET


def test_a_cumulative_target_applies_to_the_regions_own_change() -> None:
    # 〔18〕 for Beijing: 18 % down from Beijing's own 2015 level of 80.6
    series = obs((2015, 80.6), (2020, 58.0))
    a = assess_indicator(NATIONAL, PM25, "110000", 2020, series)
    assert a.space == "level" and a.baseline_value == 80.6
    assert a.target_value == pytest.approx(80.6 * (1 - 0.18))  # Beijing's own bar, 66.1
    assert a.verdict is Verdict.MET
    short = assess_indicator(NATIONAL, PM25, "110000", 2020, obs((2015, 80.6), (2020, 70.0)))
    assert short.verdict is Verdict.NOT_MET
    # a level without the region's own 2015 level cannot be turned into a change
    none = assess_indicator(NATIONAL, PM25, "110000", 2020, obs((2020, 58.0)))
    assert none.status is Status.INSUFFICIENT_DATA


def test_a_decomposed_target_replaces_the_inherited_one() -> None:
    series = obs((2015, 51.1), (2017, 62.2), (2020, 60.0))
    inherited = assess_indicator(NATIONAL, GOOD, "110000", 2020, series)
    assert inherited.verdict is Verdict.NOT_MET
    mine = (TargetSpec(2020, parse_target("56")),)
    decomposed = assess_indicator(NATIONAL, GOOD, "110000", 2020, series, decomposed=mine)
    assert decomposed.target_source == "decomposed" and decomposed.verdict is Verdict.MET
    assert decomposed.to_dict()["target_source"] == "decomposed"


def test_no_data_scores_nothing_and_too_few_assessed_gets_no_grade() -> None:
    from ecoplan.assess.evaluate import assess_plan

    pa = assess_plan(NATIONAL, "110000", 2017, {"air-good-days": obs((2015, 51.1), (2017, 62.2))})
    card = score(pa, load_rules())
    assert card.score is None and card.grade is None and not card.gradable
    assert card.assessed == 1 and card.total == 26
    assert card.note("en") is not None and "1 of 26 assessed" in card.note("en")  # type: ignore[operator]
    assert card.indicator_scores["water-grade-i-iii"] is None


def test_change_values_need_no_baseline_level() -> None:
    a = assess_indicator(NATIONAL, PM25, "110000", 2018, obs((2018, 12.0), basis=Basis.CHANGE))
    assert a.space == "change" and a.status is Status.ON_TRACK


def test_a_region_that_met_the_bar_at_baseline_is_not_told_it_needs_to_worsen() -> None:
    hebei = next(p for p in builtin_plans() if p.id == "hebei-14th-eco")
    pm25 = hebei.indicators[0]  # PM2.5, lower is better, 37 by 2025
    assert pm25.direction.sign == -1 and pm25.final is not None and pm25.final.target.value == 37
    series = obs((2020, 33.0), (2021, 35.0), (2022, 38.0), (2023, 39.9))
    a = assess_indicator(hebei, pm25, "130102", 2023, series)
    assert a.required_annual is not None and a.required_annual > 0  # room up to 37
    assert a.warning is not None
    assert a.warning.reason.en.startswith("met the target in 2020, moved +")
    assert "2020年已达到目标" in a.warning.reason.zh and "需年均变化" not in a.warning.reason.zh
    # a region above the bar is told what it needs
    b = assess_indicator(hebei, pm25, "130102", 2023, obs((2020, 45.0), (2023, 44.5)))
    assert b.warning is not None and b.warning.reason.en.startswith("needs -")

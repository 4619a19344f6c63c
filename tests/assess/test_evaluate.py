"""Status, verdict and warnings of one indicator (assessment.md §1, §5)."""

from __future__ import annotations

import pytest

from ecoplan.assess.evaluate import Observation, Status, Verdict, assess_indicator, assess_plan
from ecoplan.plans import Basis, builtin_plans, plan_from_mapping

NATIONAL = next(p for p in builtin_plans() if p.id == "cn-13th-eco")


def obs(*pairs: tuple[int, float], basis: Basis = Basis.LEVEL) -> list[Observation]:
    return [Observation(y, v, basis) for y, v in pairs]


def run(ind_id: str, year: int, observations: list[Observation], plan=NATIONAL):
    return assess_indicator(plan, plan.indicator(ind_id), plan.region, year, observations)


def test_good_days_final_met() -> None:
    a = run("air-good-days", 2020, obs((2018, 79.3), (2020, 87.0)))
    assert (a.status, a.verdict) == (Status.ACHIEVED, Verdict.MET)
    assert "87" in a.reason.en and "达到" in a.reason.zh


def test_good_days_final_missed_is_off_track_not_met_and_red() -> None:
    a = run("air-good-days", 2020, obs((2018, 78.0), (2020, 79.0)))
    assert (a.status, a.verdict) == (Status.OFF_TRACK, Verdict.NOT_MET)
    assert a.warning is not None and a.warning.level == "red" and a.warning.severity == "high"


def test_table_gt_is_inclusive_by_default() -> None:
    a = run("air-good-days", 2020, obs((2020, 80.0)))
    assert a.verdict is Verdict.MET


def test_strict_gt_setting_makes_80_miss() -> None:
    from dataclasses import replace

    strict = replace(NATIONAL, settings=replace(NATIONAL.settings, strict_gt=True))
    a = run("air-good-days", 2020, obs((2020, 80.0)), plan=strict)
    assert a.verdict is Verdict.NOT_MET


def test_midterm_on_track_with_trajectory_and_rr() -> None:
    # assessment.md §2.3 example 1: 76.7 -> 79.3 (2018), target >80 in 2020
    a = run("air-good-days", 2018, obs((2016, 78.8), (2017, 78.0), (2018, 79.3)))
    assert a.status is Status.ON_TRACK and a.verdict is Verdict.PENDING
    assert a.expected == pytest.approx(76.7 + 3.3 * 3 / 5)
    assert a.rr == pytest.approx(1.321, abs=1e-3)
    assert a.rr_category == "significant_progress"
    assert a.cs == pytest.approx(0.788, abs=1e-3)
    assert a.projected == pytest.approx(80.41, abs=0.01)  # ESCAP WLS, weights 1..4


def test_worse_than_v_ahead_linear_but_rr_moderate() -> None:
    # assessment.md §2.3 example 2: the two methods disagree and both are reported
    a = run("water-worse-v", 2018, obs((2018, 6.7)))
    assert a.status is Status.ON_TRACK
    assert a.rr == pytest.approx(0.935, abs=1e-3) and a.rr_category == "moderate_progress"
    assert a.warning is not None and a.warning.level == "watch"
    assert "-12.4" in a.warning.reason.en and "-11.6" in a.warning.reason.en


def test_behind_but_improving_is_at_risk_and_reversal_is_off_track() -> None:
    at_risk = run("water-grade-i-iii", 2018, obs((2018, 67.0)))
    assert at_risk.status is Status.AT_RISK
    assert at_risk.warning is not None and at_risk.warning.level == "amber"
    worse = run("water-grade-i-iii", 2018, obs((2018, 65.0)))
    assert worse.status is Status.OFF_TRACK
    assert worse.warning is not None and worse.warning.level == "red"


def test_cumulative_change_form_without_baseline() -> None:
    # 〔18〕 PM2.5: yearly values are the decline achieved since 2015
    mid = run("air-pm25-decline", 2018, obs((2018, 9.0), basis=Basis.CHANGE))
    assert mid.space == "change" and mid.status is Status.AT_RISK  # linear schedule: 10.8 by 2018
    assert mid.expected == pytest.approx(10.8)
    ahead = run("air-pm25-decline", 2018, obs((2018, 12.0), basis=Basis.CHANGE))
    assert ahead.status is Status.ON_TRACK
    final = run("air-pm25-decline", 2020, obs((2020, 28.8), basis=Basis.CHANGE))
    assert final.verdict is Verdict.MET
    missed = run("air-pm25-decline", 2020, obs((2020, 17.9), basis=Basis.CHANGE))
    assert missed.verdict is Verdict.NOT_MET


def test_cumulative_level_and_change_forms_agree() -> None:
    level = run("forest-coverage", 2020, obs((2020, 23.04)))
    change = run("forest-coverage", 2020, obs((2020, 1.38), basis=Basis.CHANGE))
    assert level.verdict is change.verdict is Verdict.MET
    short = run("forest-coverage", 2020, obs((2020, 1.2), basis=Basis.CHANGE))
    assert short.verdict is Verdict.NOT_MET


def test_about_target_tolerance_default_5_percent() -> None:
    # 15左右, lower is better: met up to 15 * 1.05 = 15.75
    assert run("groundwater-very-poor", 2020, obs((2020, 15.4))).within_tolerance is True
    assert run("groundwater-very-poor", 2020, obs((2020, 15.7))).verdict is Verdict.MET
    assert run("groundwater-very-poor", 2020, obs((2020, 15.8))).verdict is Verdict.NOT_MET
    # favourable side is always achieved (assessment.md §1.3)
    far = run("groundwater-very-poor", 2020, obs((2020, 10.0)))
    assert far.verdict is Verdict.MET and far.within_tolerance is False


def test_missing_value_is_insufficient_data() -> None:
    a = run("air-good-days", 2019, obs((2018, 79.3)))
    assert a.status is Status.INSUFFICIENT_DATA and a.verdict is Verdict.PENDING


def _plan(targets, baseline=None, direction="higher", unit="%", extra=None):
    ind = {
        "id": "x",
        "name": "指标",
        "unit": unit,
        "direction": direction,
        "attribute": "binding",
        "baseline": {"year": 2015, "value": baseline},
        "targets": targets,
        **(extra or {}),
    }
    return plan_from_mapping(
        {
            "id": "p",
            "title": "规划",
            "level": "city",
            "region": "440700",
            "period": {"start": 2016, "end": 2020},
            "base_year": 2015,
            "indicators": [ind],
        }
    )


def test_milestone_decides_midterm() -> None:
    p = _plan([{"year": 2018, "expr": "89"}, {"year": 2020, "expr": "90"}], baseline=88.2)
    ok = assess_indicator(p, p.indicators[0], "440700", 2018, obs((2018, 89.0)))
    behind = assess_indicator(p, p.indicators[0], "440700", 2018, obs((2018, 88.5)))
    assert ok.status is Status.ON_TRACK and "milestone" in ok.reason.en
    assert behind.status is Status.AT_RISK


def test_eliminate_and_maintain_targets() -> None:
    p = _plan([{"year": 2020, "expr": "基本消除"}], direction="lower")
    assert assess_indicator(p, p.indicators[0], "440700", 2020, obs((2020, 8.0))).verdict is Verdict.MET
    assert assess_indicator(p, p.indicators[0], "440700", 2020, obs((2020, 12.0))).verdict is Verdict.NOT_MET
    m = _plan([{"year": 2020, "expr": "保持"}], baseline=5.73)
    assert assess_indicator(m, m.indicators[0], "440700", 2020, obs((2020, 5.73))).verdict is Verdict.MET
    assert assess_indicator(m, m.indicators[0], "440700", 2020, obs((2020, 5.5))).verdict is Verdict.NOT_MET


def test_no_target_is_not_assessable() -> None:
    p = _plan([{"year": 2020, "expr": "—"}])
    a = assess_indicator(p, p.indicators[0], "440700", 2020, obs((2020, 1.0)))
    assert a.status is Status.NOT_ASSESSABLE and a.verdict is Verdict.PENDING


def test_inherited_target_pending_then_resolved() -> None:
    p = _plan(
        [{"year": 2020, "expr": "控制在省下达的指标内"}],
        unit="%",
        direction="lower",
        extra={"parent": {"plan": "gd", "indicator": "cod"}},
    )
    ind = p.indicators[0]
    unresolved = assess_indicator(p, ind, "440700", 2020, obs((2020, 5.0)), resolver=lambda *_: None)
    assert unresolved.status is Status.NOT_ASSESSABLE and unresolved.verdict is Verdict.PENDING
    assert "440700" in unresolved.reason.en and "省" in unresolved.reason.zh
    handed = _plan([{"year": 2020, "expr": "〔4.5〕"}], direction="lower").indicators[0].targets[0]
    resolved = assess_indicator(
        p, ind, "440700", 2020, obs((2020, 5.0), basis=Basis.CHANGE), resolver=lambda *_: handed
    )
    assert resolved.verdict is Verdict.MET


def test_plan_summary_counts_binding() -> None:
    pa = assess_plan(NATIONAL, "000000", 2020, {"air-good-days": obs((2020, 87.0))})
    s = pa.summary()
    assert s["binding_total"] == 12 and s["binding_met"] == 1
    assert sum(s["by_status"].values()) == 26
    d = pa.to_dict()
    assert set(d) >= {"plan", "region", "year", "as_of", "indicators", "summary", "warnings"}

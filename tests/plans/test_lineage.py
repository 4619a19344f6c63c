"""Cross-period links in the plan format: parse, round trip, and the checks across plans.

The two small plans here (``t14-eco``, 2021–2025, and ``t15-eco``, 2026–2030, which
follows it) and their stored values are shared with the assessment, command-line, API
and page tests of the lineage (``store_periods``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import write_csv

from ecoplan.app import Ecoplan
from ecoplan.core.errors import InputFileError
from ecoplan.plans import builtin_plans
from ecoplan.plans.lineage import broken_links, check_links, links_of
from ecoplan.plans.model import BaselineRule, Relation
from ecoplan.plans.serialize import plan_from_mapping, plan_json, plan_to_mapping


def _ind(
    i: str, code: str, name: str, unit: str, direction: str, base: Any, year: int, expr: str
) -> dict[str, Any]:
    return {
        "id": i,
        "code": code,
        "name": {"zh": name, "en": i},
        "unit": unit,
        "direction": direction,
        "attribute": "binding",
        "baseline": {"year": year - 5, "value": base},
        "targets": [{"year": year, "expr": expr}],
    }


def plan14() -> dict[str, Any]:
    """A 14th-period national plan: a PM2.5 decline, the Ⅰ–Ⅲ share, good-air days, forest cover."""
    return {
        "id": "t14-eco",
        "title": {"zh": "测试“十四五”规划", "en": "Test 14th plan"},
        "level": "national",
        "region": "000000",
        "period": {"start": 2021, "end": 2025},
        "base_year": 2020,
        "indicators": [
            _ind(
                "pm25-decline", "t.air.pm25_decline", "细颗粒物浓度下降", "%", "lower", None, 2025, "〔10〕"
            ),
            _ind("water-i-iii", "t.water.grade_i_iii", "Ⅰ—Ⅲ类断面比例", "%", "higher", 83.4, 2025, "85"),
            _ind("good-days", "t.air.good_days", "优良天数比率", "%", "higher", 87.0, 2025, "87.5"),
            _ind("forest", "t.eco.forest", "森林覆盖率", "%", "higher", 23.04, 2025, "24.1"),
        ],
    }


def plan15() -> dict[str, Any]:
    """The 15th-period plan that follows ``plan14``: two redefined, two continued indicators."""
    pm25 = _ind("pm25", "t.air.pm25_concentration", "细颗粒物浓度", "微克/立方米", "lower", 28.0, 2030, "25")
    pm25["source"] = {"file": "t15.txt", "quote": "细颗粒物浓度（微克/立方米）28 → 25"}
    pm25["predecessor"] = {
        "plan": "t14-eco",
        "indicator": "pm25-decline",
        "relation": "redefined",
        "note": {"zh": "由下降比例改为浓度绝对值", "en": "from a decline to a concentration"},
    }
    water = _ind("good-water", "t.water.good_bodies", "优良水体比例", "%", "higher", 80, 2030, "85")
    water["predecessor"] = {"plan": "t14-eco", "indicator": "water-i-iii", "relation": "redefined"}
    days = _ind("good-days", "t.air.good_days", "优良天数比率", "%", "higher", 89.3, 2030, "90")
    days["predecessor"] = {"plan": "t14-eco", "indicator": "good-days", "relation": "continued"}
    forest = _ind("forest", "t.eco.forest", "森林覆盖率", "%", "higher", 25.1, 2030, "25.5")
    forest["source"] = {"file": "t15.txt", "quote": "森林覆盖率（%）25.1 → 25.5"}
    forest["predecessor"] = {"plan": "t14-eco", "indicator": "森林覆盖率", "relation": "continued"}
    return {
        "id": "t15-eco",
        "title": {"zh": "测试“十五五”规划", "en": "Test 15th plan"},
        "level": "national",
        "region": "000000",
        "period": {"start": 2026, "end": 2030},
        "base_year": 2025,
        "source": {"file": "t15-plan.pdf"},
        "settings": {
            "comparable_baseline": {
                "rule": "fixed-stations",
                "note": {"zh": "2025年按固定点位重算", "en": "2025 re-computed on fixed stations"},
            }
        },
        "indicators": [pm25, water, days, forest],
    }


#: Stored values: the 14th period's 2025 outcomes (their sources), and Beijing's own.
VALUES = [
    "plan,indicator,region,year,value,unit,source",
    "t14-eco,pm25-decline,000000,2025,20,%,S14 PM2.5 communiqué",
    "t14-eco,water-i-iii,000000,2025,91.4,%,S14 water bulletin",
    "t14-eco,good-days,000000,2025,89.3,%,S14 air bulletin",
    "t14-eco,forest,000000,2025,25.09,%,S14 forest census",
    "t14-eco,good-days,110000,2020,75.0,%,BJ 2020 bulletin",
    "t14-eco,good-days,110000,2025,79.0,%,BJ 2025 bulletin",
    "t15-eco,good-days,110000,2025,80.1,%,BJ 2025 fixed-station recount",
]


def store_periods(ep: Ecoplan, tmp: Path) -> None:
    """Store ``plan14``, ``plan15`` and ``VALUES`` in ``ep`` (a real DuckDB file)."""
    for plan in (plan14(), plan15()):
        path = tmp / f"{plan['id']}.yaml"
        path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
        ep.import_plan(path)
    ep.import_values(write_csv(tmp / "values.csv", VALUES))


def test_predecessor_and_comparable_baseline_are_read() -> None:
    p = plan_from_mapping(plan15(), file="t15.yaml")
    pm25 = p.indicator("pm25")
    assert pm25.predecessor is not None
    assert (pm25.predecessor.plan, pm25.predecessor.indicator) == ("t14-eco", "pm25-decline")
    assert pm25.predecessor.relation is Relation.REDEFINED
    assert pm25.predecessor.note.zh == "由下降比例改为浓度绝对值"
    assert p.indicator("good-days").predecessor.relation is Relation.CONTINUED  # type: ignore[union-attr]
    cb = p.settings.comparable_baseline
    assert cb is not None and cb.rule is BaselineRule.FIXED_STATIONS
    assert cb.note.en == "2025 re-computed on fixed stations"
    assert plan_from_mapping(plan14()).indicator("forest").predecessors == ()


def test_round_trip_keeps_links_and_rule() -> None:
    p = plan_from_mapping(plan15(), file="t15.yaml")
    m = plan_to_mapping(p)
    assert m["settings"]["comparable_baseline"] == {
        "rule": "fixed-stations",
        "note": {"zh": "2025年按固定点位重算", "en": "2025 re-computed on fixed stations"},
    }
    assert m["indicators"][1]["predecessor"] == {
        "plan": "t14-eco",
        "indicator": "water-i-iii",
        "relation": "redefined",
    }
    assert plan_from_mapping(m) == p
    assert plan_from_mapping(yaml.safe_load(yaml.safe_dump(m, allow_unicode=True))) == p
    j = plan_json(p)
    assert j["comparable_baseline"]["rule"] == "fixed-stations"
    assert j["indicators"][0]["predecessors"][0]["relation"] == "redefined"


def test_merged_takes_a_list_of_predecessors() -> None:
    d = plan15()
    d["indicators"][1]["predecessor"] = [
        {"plan": "t14-eco", "indicator": "water-i-iii", "relation": "merged"},
        {"plan": "t14-eco", "indicator": "good-days", "relation": "merged"},
    ]
    p = plan_from_mapping(d)
    assert [x.indicator for x in p.indicator("good-water").predecessors] == ["water-i-iii", "good-days"]
    assert plan_from_mapping(plan_to_mapping(p)) == p


_relations = st.sampled_from([r.value for r in Relation])
_texts = st.text(alphabet="优良水体比例浓度abc -", min_size=1, max_size=12)


@given(
    relation=_relations,
    note=st.one_of(st.none(), st.fixed_dictionaries({"zh": _texts, "en": _texts})),
    rule=st.sampled_from([r.value for r in BaselineRule]),
    count=st.integers(min_value=1, max_value=3),
)
def test_round_trip_of_any_link(relation: str, note: Any, rule: str, count: int) -> None:
    d = plan15()
    links = [{"plan": "t14-eco", "indicator": f"x{i}", "relation": relation} for i in range(count)]
    if note is not None:
        links[0]["note"] = note
    d["indicators"][0]["predecessor"] = links[0] if count == 1 else links
    d["settings"] = {"comparable_baseline": {"rule": rule}}
    p = plan_from_mapping(d)
    assert [x.relation.value for x in p.indicator("pm25").predecessors] == [relation] * count
    assert plan_from_mapping(plan_to_mapping(p)) == p


@pytest.mark.parametrize(
    ("change", "field", "why"),
    [
        ({"relation": "replaced"}, "indicators[0].predecessor.relation", "expected one of: continued"),
        ({"indicator": None}, "indicators[0].predecessor", "expected {plan, indicator, relation, note}"),
        ({"weight": 2}, "indicators[0].predecessor.weight", "unknown field"),
        ({"plan": "t15-eco", "indicator": "pm25"}, "indicators[0].predecessor", "its own predecessor"),
    ],
)
def test_bad_links_name_file_field_and_why(change: dict[str, Any], field: str, why: str) -> None:
    d = plan15()
    d["indicators"][0]["predecessor"].update(change)
    with pytest.raises(InputFileError) as exc:
        plan_from_mapping(d, file="t15.yaml")
    problems = [p for p in exc.value.problems if p.field == field]
    assert problems and why in problems[0].reason and problems[0].file == "t15.yaml"


def test_bad_comparable_baseline_rule() -> None:
    d = plan15()
    d["settings"]["comparable_baseline"]["rule"] = "same-stations"
    with pytest.raises(InputFileError) as exc:
        plan_from_mapping(d, file="t15.yaml")
    p = exc.value.problems[0]
    assert p.field == "settings.comparable_baseline.rule" and "fixed-stations" in p.reason


def test_sound_links_have_no_problem() -> None:
    p14, p15 = plan_from_mapping(plan14()), plan_from_mapping(plan15())
    assert check_links([p14, p15]) == []
    links = links_of(p15, {"t14-eco": p14, "t15-eco": p15})
    assert [(x.indicator.id, x.pred_indicator.id if x.pred_indicator else None) for x in links] == [
        ("pm25", "pm25-decline"),
        ("good-water", "water-i-iii"),
        ("good-days", "good-days"),
        ("forest", "forest"),  # named by its exact Chinese name
    ]


def test_unknown_predecessor_is_reported_only_with_both_plans() -> None:
    d = plan15()
    d["indicators"][1]["predecessor"]["indicator"] = "water-grade-1-3"
    p15 = plan_from_mapping(d, file="t15.yaml")  # one file alone: accepted
    alone = check_links([p15], files={"t15-eco": "t15.yaml"})
    assert {p.text for p in alone} == {
        "t14-eco pm25-decline",
        "t14-eco water-grade-1-3",
        "t14-eco good-days",
        "t14-eco 森林覆盖率",
    }
    assert all("predecessor plan t14-eco is not loaded" in p.reason and p.file == "t15.yaml" for p in alone)
    both = check_links([plan_from_mapping(plan14()), p15], files={"t15-eco": "t15.yaml"})
    assert len(both) == 1
    assert both[0].file == "t15.yaml" and both[0].field == "indicators[1].predecessor"
    assert both[0].reason == "good-water: plan t14-eco has no indicator water-grade-1-3"


def test_redefined_successor_keeping_the_series_code_is_refused() -> None:
    d = plan15()
    d["indicators"][0]["code"] = "t.air.pm25_decline"  # the 14th period's series
    problems = check_links([plan_from_mapping(plan14()), plan_from_mapping(d)])
    assert len(problems) == 1
    p = problems[0]
    assert p.file == "plan t15-eco" and p.field == "indicators[0].predecessor"
    assert p.reason.startswith("pm25: a redefined indicator needs a series code of its own")
    assert "t.air.pm25_decline" in p.reason
    # continued keeps the code: one series, no problem
    assert all(
        x.indicator.code == x.pred_indicator.code
        for x in links_of(plan_from_mapping(d), {"t14-eco": plan_from_mapping(plan14())})
        if x.predecessor.relation is Relation.CONTINUED and x.pred_indicator
    )


def test_a_predecessor_of_a_later_period_is_refused() -> None:
    d = plan14()
    d["indicators"][2]["predecessor"] = {"plan": "t15-eco", "indicator": "good-days", "relation": "continued"}
    broken = broken_links([plan_from_mapping(d), plan_from_mapping(plan15())])
    assert [(b.indicator.id, b.problem_text("en")) for b in broken] == [
        ("good-days", "the predecessor's plan t15-eco (2026–2030) is not earlier than this plan")
    ]
    assert broken[0].problem_text("zh") == "前身规划 t15-eco（2026–2030年）并不早于本规划"


def test_builtin_links_are_sound() -> None:
    """Whatever links the built-in plans carry point at built-in indicators, and no
    redefined one keeps its predecessor's series code."""
    assert check_links(builtin_plans()) == []

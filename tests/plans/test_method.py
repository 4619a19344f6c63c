"""An indicator's method: ``method: {status: unpublished, note, source}`` (docs/plan-format.md).

The 15th FYP outline's 优良水体比例 is the first indicator whose computation rule is
not yet published (water-soil-updates.md §2).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.core.errors import InputFileError
from ecoplan.plans import builtin_plans, plan_from_mapping
from ecoplan.plans.model import MethodStatus
from ecoplan.plans.serialize import plan_json, plan_to_mapping

OUTLINE = next(p for p in builtin_plans() if p.id == "cn-15th-outline")


def _plan(method: Any) -> dict[str, Any]:
    ind = {
        "id": "w",
        "name": "优良水体比例",
        "unit": "%",
        "direction": "higher",
        "attribute": "binding",
        "baseline": {"year": 2025, "value": 80},
        "targets": [{"year": 2030, "expr": "85"}],
        "method": method,
    }
    return {
        "id": "p",
        "title": "t",
        "level": "national",
        "region": "000000",
        "period": {"start": 2026, "end": 2030},
        "indicators": [ind],
    }


def test_outline_good_water_bodies_is_80_to_85_binding_method_unpublished() -> None:
    ind = OUTLINE.indicator("water-good-bodies")
    assert ind.code == "water.good_water_bodies_share"
    assert (ind.baseline.year, ind.baseline.value) == (2025, 80.0)
    assert [(t.year, t.target.value) for t in ind.targets] == [(2030, 85.0)]
    assert ind.attribute.value == "binding" and ind.direction.value == "higher"
    assert ind.method.unpublished and ind.method.note.zh and ind.method.note.en
    # the Ⅰ–Ⅲ share keeps its own code in every plan: never this one
    codes = {i.code for p in builtin_plans() for i in p.indicators if p.id != "cn-15th-outline"}
    assert "water.good_water_bodies_share" not in codes and "water.grade_i_iii_share" in codes


def test_outline_quotes_and_addresses() -> None:
    """Every indicator quotes its source; the table quote is the spec's transcription."""
    for ind in OUTLINE.indicators:
        assert ind.source.file and ind.source.quote, ind.id
    spec = (SHARED / "specs" / "water-soil-updates.md").read_text("utf-8")
    water = OUTLINE.indicator("water-good-bodies")
    assert water.source.quote is not None and water.source.quote in spec
    assert water.method.source.file is not None and "slrbs.com" in water.method.source.file
    assert "slrbs.com/news/guonei/2025-08-26/1768794.html" in spec
    assert OUTLINE.source.file is not None and re.match(r"https://www\.ndrc\.gov\.cn/", OUTLINE.source.file)


def test_outline_co2_is_a_cumulative_17_decline() -> None:
    ind = OUTLINE.indicator("co2-intensity-decline")
    assert ind.is_cumulative and ind.targets[-1].target.cumulative == 17.0
    assert not ind.method.unpublished


def test_method_round_trips_and_default_is_not_written() -> None:
    assert plan_from_mapping(plan_to_mapping(OUTLINE)) == OUTLINE
    out = plan_to_mapping(OUTLINE)["indicators"]
    assert out[0]["method"]["status"] == "unpublished"
    assert "method" not in out[1]  # published (the default) stays implicit
    assert plan_json(OUTLINE)["indicators"][0]["method"]["status"] == "unpublished"


def test_published_method_needs_no_note() -> None:
    plan = plan_from_mapping(_plan({"status": "published"}))
    assert plan.indicators[0].method.status is MethodStatus.PUBLISHED


@pytest.mark.parametrize(
    ("method", "field", "reason"),
    [
        ({"status": "unpublished"}, "indicators[0].method.note", "missing"),
        ({"status": "secret", "note": "x"}, "indicators[0].method.status", "expected one of"),
        ("unpublished", "indicators[0].method", "expected {status, note, source}"),
        ({"status": "unpublished", "note": "x", "rule": 1}, "indicators[0].method.rule", "unknown field"),
    ],
)
def test_bad_method_names_the_field(method: Any, field: str, reason: str) -> None:
    with pytest.raises(InputFileError) as exc:
        plan_from_mapping(_plan(method), file="p.yaml")
    problems = exc.value.problems
    assert any(p.field == field and reason in p.reason for p in problems), problems


@given(
    st.sampled_from(["published", "unpublished"]),
    st.text(min_size=1, max_size=30).filter(str.strip),
    st.text(max_size=30),
)
def test_any_method_round_trips(status: str, zh: str, en: str) -> None:
    plan = plan_from_mapping(_plan({"status": status, "note": {"zh": zh, "en": en}}))
    assert plan.indicators[0].method.status.value == status
    assert plan_from_mapping(plan_to_mapping(plan)) == plan

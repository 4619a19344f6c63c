"""River main pollutants by 断面超标率 (``evaluation_2011_river``), spec §2.7.

- hand-computed rankings (rates from section counts typed here);
- the "优/良好 lists none" option and the < 5 sections rule;
- hypothesis: making one section's value worse never lowers that item's rate;
- invalid input raises.
"""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.water.standards import evaluation_2011_river as er

GOOD = {"pH": 7.5, "DO": 6.5, "CODMn": 3.0, "NH3N": 0.3, "TP": 0.08}


def test_ranking_by_rate_then_table_order() -> None:
    sections = [
        dict(GOOD),
        {**GOOD, "NH3N": 1.8, "TP": 0.35},  # NH3N Ⅴ, TP Ⅴ
        {**GOOD, "NH3N": 1.2, "DO": 4.0},  # NH3N Ⅳ, DO Ⅳ
        {**GOOD, "CODMn": 8.0, "TP": 0.25},  # CODMn Ⅳ, TP Ⅳ
        {**GOOD, "NH3N": 2.5},  # NH3N 劣Ⅴ
        {**GOOD, "DO": 2.5},  # DO Ⅴ
    ]
    got = er.river_main_pollutants(sections)
    # NH3N 3/6; DO 2/6 and TP 2/6 tie → Table 1 order (DO before TP); CODMn 1/6 dropped
    assert [(p.item, p.rate) for p in got] == [("NH3N", 0.5), ("DO", 2 / 6), ("TP", 2 / 6)]
    assert [p.item for p in er.river_main_pollutants(sections, n=4)] == ["NH3N", "DO", "TP", "CODMn"]


def test_good_river_lists_none_by_default() -> None:
    sections = [dict(GOOD)] * 9 + [{**GOOD, "NH3N": 1.2}]  # 90 % Ⅰ–Ⅲ → 优
    assert er.river_main_pollutants(sections) == []
    listed = er.river_main_pollutants(sections, when_good="list")
    assert [(p.item, p.rate) for p in listed] == [("NH3N", 0.1)]


def test_lake_tp_row() -> None:
    sections = [{**GOOD, "TP": 0.04}] * 3 + [{**GOOD, "TP": 0.08}] * 2  # lake: 0.08 → Ⅳ
    assert [(p.item, p.rate) for p in er.river_main_pollutants(sections, "lake")] == [("TP", 0.4)]
    assert er.river_main_pollutants(sections, "river") == []


@settings(max_examples=150)
@given(
    values=st.lists(st.floats(0, 5), min_size=5, max_size=10),
    i=st.integers(0, 4),
    d=st.floats(0, 5),
)
def test_worse_value_never_lowers_the_rate(values: list[float], i: int, d: float) -> None:
    base = [{**GOOD, "NH3N": v} for v in values]
    worse = [dict(s) for s in base]
    worse[i]["NH3N"] = values[i] + d

    def rate(sections: list[dict[str, float]]) -> float:
        got = er.river_main_pollutants(sections, when_good="list", n=21)
        return next((p.rate for p in got if p.item == "NH3N"), 0.0)

    assert rate(worse) >= rate(base)


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="5 sections"):
        er.river_main_pollutants([GOOD] * 4)
    with pytest.raises(ValueError, match="no evaluation item"):
        er.river_main_pollutants([GOOD] * 4 + [{"TN": 1.0}])
    with pytest.raises(ValueError, match="when_good"):
        er.river_main_pollutants([GOOD] * 5, when_good="all")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        er.river_main_pollutants([GOOD] * 4 + [{"NH3N": -1.0}])


def test_doctests() -> None:
    assert doctest.testmod(er).failed == 0

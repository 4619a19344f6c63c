"""The trajectory against a plan's 〔D〕 target and the pages' chart geometry (pure).

Hand-checked: 〔18〕 over 5 years — linear 3.6 % a year; compound yearly rate
1 − 0.82^(1/5) = 3.8913 %, cumulative 3.89, 7.63, 11.23, 14.68, 18 (the same figures as
``ecoplan climate schedule`` in docs/climate.md).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.climate.pages.charts import Series, lines, nice_max, stacked
from ecoplan.climate.trajectory import trajectory

TITLE = {"zh": "规划", "en": "plan"}


def _t(target: float | None, actual: dict[int, float], base: int = 2020, end: int = 2025):  # type: ignore[no-untyped-def]
    return trajectory("p", "i", TITLE, base, end, target, "〔18〕", False, actual)


def test_the_18_percent_schedule_by_hand() -> None:
    d = _t(18.0, {2021: 2.0, 2022: 8.0}).to_dict()
    assert d["yearly_rate_pct"] == 3.89
    assert [r["linear_pct"] for r in d["schedule"]] == [0.0, 3.6, 7.2, 10.8, 14.4, 18.0]
    assert [r["compound_pct"] for r in d["schedule"]] == [0.0, 3.89, 7.63, 11.23, 14.68, 18.0]
    assert [r["actual_pct"] for r in d["schedule"]] == [0.0, 2.0, 8.0, None, None, None]
    # 8 % after 2 years: ahead of linear (7.2), ahead of compound (7.63);
    # still required 1 − (0.82 / 0.92)^(1/3) = 3.76 % a year
    assert d["latest"] == {
        "year": 2022,
        "actual_pct": 8.0,
        "required_yearly_pct": 3.76,
        "linear_pct": 7.2,
        "compound_pct": 7.63,
        "on_linear": True,
        "on_compound": True,
    }
    between = _t(18.0, {2022: 7.4}).latest()
    assert between is not None and (between["on_linear"], between["on_compound"]) == (True, False)


def test_no_figure_no_schedule_and_past_the_target_year() -> None:
    d = _t(None, {2023: 5.0}).to_dict()
    assert d["target_pct"] is None and d["yearly_rate_pct"] is None
    assert {r["linear_pct"] for r in d["schedule"]} == {None}
    assert d["latest"]["required_yearly_pct"] is None and d["latest"]["on_linear"] is None
    last = _t(18.0, {2025: 17.0}).latest()
    assert last is not None and last["required_yearly_pct"] is None and last["on_linear"] is False
    assert _t(18.0, {}).latest() is None
    assert _t(150.0, {2021: 1.0}).target_pct is None  # not a decline: kept as text only


@given(st.floats(0.5, 60.0), st.integers(2, 10))
def test_both_schedules_reach_the_target_and_compound_leads(target: float, n: int) -> None:
    rows = _t(target, {}, 2020, 2020 + n).schedule()
    assert rows[-1]["linear_pct"] == pytest.approx(round(target, 2), abs=0.006)
    assert rows[-1]["compound_pct"] == pytest.approx(round(target, 2), abs=0.006)
    # 1 − (1 − D)^(k/n) is concave in k: on or above the straight line
    assert all(r["compound_pct"] >= r["linear_pct"] - 0.01 for r in rows)


@given(st.floats(1.0, 40.0), st.integers(2, 8), st.data())
def test_on_the_compound_path_the_yearly_rate_is_still_required(
    target: float, n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, n - 1))
    rate = 1 - (1 - target / 100) ** (1 / n)
    on_path = (1 - (1 - rate) ** k) * 100
    got = _t(target, {2020 + k: on_path}, 2020, 2020 + n).latest()
    assert got is not None
    assert got["required_yearly_pct"] == pytest.approx(rate * 100, abs=0.02)


@given(st.floats(1e-6, 1e12))
def test_nice_max(x: float) -> None:
    m = nice_max(x)
    assert x <= m * (1 + 1e-9) and m < 2.5 * x * (1 + 1e-9)
    assert round(m / 10 ** math.floor(math.log10(m)), 6) in (1.0, 2.0, 2.5, 5.0)


def test_chart_geometry() -> None:
    c = stacked([2020, 2021], [Series("a", [60.0, 30.0], "#000"), Series("b", [40.0, None], "#111")])
    assert [b["title"] for b in c["bars"]] == ["2020 a: 60", "2020 b: 40", "2021 a: 30"]
    bottom, top = c["bottom"], c["top"]
    # the axis runs 0 … 100: 2020's stack fills the frame, its parts 60 : 40
    a, b = c["bars"][0], c["bars"][1]
    assert a["y"] + a["h"] == pytest.approx(bottom) and b["y"] == pytest.approx(top)
    assert a["h"] / b["h"] == pytest.approx(1.5, rel=0.01)
    ln = lines([2020, 2021, 2022], [Series("x", [0.0, None, 10.0], "#000")])
    assert ln["paths"][0]["d"].count("M") == 2  # a gap where the value is missing
    assert len(ln["dots"]) == 2

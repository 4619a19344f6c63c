"""Black-odorous water (``ecoplan.water.standards.black_odorous``).

- every vector of kinds ``black_odorous`` (W10) and ``black_odorous_body`` (W10b);
- 表1 band edges (heavy strict, light inclusive) and the shallow-water footnote;
- hypothesis: a worse result never gives a better level, a point never a better grade
  when one of its results gets worse, a body never a better verdict when a point does;
- invalid input raises.
"""

from __future__ import annotations

import doctest
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.water.standards import black_odorous as bo

VECTORS_FILE = SHARED / "specs" / "water-soil-vectors.json"
_ALL: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text("utf-8")) if VECTORS_FILE.exists() else []
needs_vectors = pytest.mark.skipif(not _ALL, reason="shared/specs not beside the repo")


def _zh(code: str) -> str:
    return bo.GRADE_ZH[bo.GRADES.index(code)]


def _body_zh(code: str) -> str:
    return bo.BODY_VERDICT_ZH[bo.BODY_VERDICTS.index(code)]


@needs_vectors
def test_all_black_odorous_vectors_are_used() -> None:
    ids = [v["id"] for v in _ALL if v["kind"] in ("black_odorous", "black_odorous_body")]
    assert ids == ["W10", "W10b"]


@needs_vectors
def test_w10_points_and_body() -> None:
    vec = next(v for v in _ALL if v["id"] == "W10")
    grades = []
    for name, series in vec["input"].items():
        exp = vec["expected"]["points"][name]
        got = bo.point_grade(series)
        assert got.heavy_share == pytest.approx(exp["heavy_share"], abs=1e-12), name
        assert _zh(got.grade) == exp["grade"], name
        grades.append(got.grade)
    body = bo.body_verdict(grades)
    assert body.heavy_point_share == pytest.approx(vec["expected"]["heavy_point_share"])
    assert body.heavy_runs == [tuple(r) for r in vec["expected"]["runs_ge3"]]
    assert _body_zh(body.verdict) == vec["expected"]["water_body"]


@needs_vectors
def test_w10b_body() -> None:
    vec = next(v for v in _ALL if v["id"] == "W10b")
    body = bo.body_verdict(vec["input"]["point_grades_in_order"])  # zh words accepted
    assert body.heavy_point_share == pytest.approx(vec["expected"]["heavy_point_share"])
    assert body.heavy_runs == [tuple(r) for r in vec["expected"]["runs_ge3"]]
    assert _body_zh(body.verdict) == vec["expected"]["water_body"]


@pytest.mark.parametrize(
    ("indicator", "values", "want"),
    [
        ("SD", [9.99, 10.0, 25.0, 25.01], [2, 1, 1, 0]),
        ("DO", [0.19, 0.2, 2.0, 2.01], [2, 1, 1, 0]),
        ("ORP", [-200.1, -200.0, 50.0, 50.1], [2, 1, 1, 0]),
        ("NH3N", [15.01, 15.0, 8.0, 7.99], [2, 1, 1, 0]),
    ],
)
def test_band_edges(indicator: str, values: list[float], want: list[int]) -> None:
    """Spec §4.1: 重度 strict, 轻度 band inclusive at both ends, else below 轻度."""
    assert bo.levels(indicator, values).tolist() == want


def test_shallow_water_footnote() -> None:
    """Depth 20 cm: SD 重度 below 0.4 × 20 = 8 cm, 轻度 up to the depth (20 cm)."""
    assert bo.levels("SD", [7.9, 8.0, 20.0], depth_cm=20).tolist() == [2, 1, 1]
    assert bo.levels("SD", [9.0], depth_cm=25).tolist() == [2]  # footnote not applied
    assert bo.levels("SD", [9.0], depth_cm=20, shallow_factor=0.5).tolist() == [2]


def test_point_rule_thresholds_inclusive() -> None:
    """3 of 5 results 重度 = 60 % → 重度; 2 indicators with 2 of 5 = 40 % ≥ 30 % → 重度;
    one indicator at 40 % only → 轻度."""
    light_sd = [20.0] * 5
    assert bo.point_grade({"DO": [0.1, 0.1, 0.1, 1.0, 1.0], "SD": light_sd}).grade == "heavy"
    assert bo.point_grade({"DO": [0.1, 0.1, 1.0, 1.0, 1.0], "SD": [5, 5, 20, 20, 20]}).grade == "heavy"
    assert bo.point_grade({"DO": [0.1, 0.1, 1.0, 1.0, 1.0], "SD": light_sd}).grade == "light"
    assert bo.point_grade({"DO": [3.0] * 3, "SD": [30.0] * 3}).grade == "none"
    # the shares are options
    g = bo.point_grade({"DO": [0.1, 0.1, 0.1, 1.0, 1.0], "SD": light_sd}, single_share=0.7)
    assert g.grade == "light"


def test_body_rule() -> None:
    assert bo.body_verdict(["heavy", "light", "heavy", "light", "heavy"]).verdict == "heavy_whole"  # 60 %
    v = bo.body_verdict(["heavy", "heavy", "heavy", "light", "light", "light", "light"])
    assert (v.verdict, v.heavy_runs) == ("by_point", [(1, 3)])
    assert bo.body_verdict(["heavy", "heavy", "light"], run_length=2).heavy_runs == [(1, 2)]


def test_elimination() -> None:
    assert bo.eliminated(["none", "none", "none"]) is True
    assert bo.eliminated(["none", "light", "none"]) is False
    assert bo.elimination_ratio([True, False, False, True, True]) == 0.6


levels_values = {
    "SD": st.floats(min_value=0, max_value=100),
    "DO": st.floats(min_value=0, max_value=10),
    "ORP": st.floats(min_value=-500, max_value=300),
    "NH3N": st.floats(min_value=0, max_value=40),
}


@settings(max_examples=300)
@given(data=st.data(), indicator=st.sampled_from(bo.INDICATORS), delta=st.floats(min_value=0, max_value=50))
def test_worse_result_never_better_level(data: st.DataObject, indicator: str, delta: float) -> None:
    x = data.draw(levels_values[indicator])
    worse = x + delta if indicator == "NH3N" else max(x - delta, 0.0) if indicator != "ORP" else x - delta
    assert bo.levels(indicator, [worse])[0] >= bo.levels(indicator, [x])[0]


@settings(max_examples=200)
@given(
    data=st.data(),
    n=st.integers(min_value=3, max_value=8),
    indicator=st.sampled_from(bo.INDICATORS),
    delta=st.floats(min_value=0, max_value=50),
)
def test_point_grade_monotone(data: st.DataObject, n: int, indicator: str, delta: float) -> None:
    series = {k: data.draw(st.lists(s, min_size=n, max_size=n)) for k, s in levels_values.items()}
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    worse = {k: list(v) for k, v in series.items()}
    x = worse[indicator][i]
    worse[indicator][i] = (
        x + delta if indicator == "NH3N" else (x - delta if indicator == "ORP" else max(x - delta, 0.0))
    )
    order = bo.GRADES.index
    assert order(bo.point_grade(worse).grade) >= order(bo.point_grade(series).grade)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(bo.GRADES), min_size=3, max_size=12), st.data())
def test_body_verdict_monotone(grades: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(grades) - 1))
    worse = [*grades[:i], "heavy", *grades[i + 1 :]]
    a, b = bo.body_verdict(grades), bo.body_verdict(worse)
    assert b.heavy_point_share >= a.heavy_point_share
    assert not (a.verdict == "heavy_whole" and b.verdict != "heavy_whole")
    covered = {j for s, e in a.heavy_runs for j in range(s, e + 1)}
    assert covered <= {j for s, e in b.heavy_runs for j in range(s, e + 1)}


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="unknown"):
        bo.levels("COD", [1.0])
    with pytest.raises(ValueError, match="negative"):
        bo.levels("DO", [-0.1])
    with pytest.raises(ValueError, match="missing"):
        bo.levels("SD", [math.nan])
    with pytest.raises(ValueError, match="depth"):
        bo.levels("SD", [5.0], depth_cm=0)
    with pytest.raises(ValueError, match="at least 3"):
        bo.point_grade({"DO": [0.1, 0.1]})
    with pytest.raises(ValueError, match="unknown"):
        bo.point_grade({"TP": [0.1, 0.1, 0.1]})
    with pytest.raises(ValueError, match="no indicator"):
        bo.point_grade({})
    with pytest.raises(ValueError, match="at least 3"):
        bo.body_verdict(["heavy", "heavy"])
    with pytest.raises(ValueError, match="grade"):
        bo.body_verdict(["heavy", "heavy", "black"])
    with pytest.raises(ValueError, match="empty"):
        bo.elimination_ratio([])
    with pytest.raises(ValueError, match="points"):
        bo.eliminated([])


def test_doctests() -> None:
    assert doctest.testmod(bo).failed == 0

"""HJ 192-2015 EI: the Nantong 2017 vector, the grade and ΔEI boundaries, the restriction,
and properties (bounds, monotonicity) with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.ecology.standards.hj192_2015 import (
    GRADES,
    RESTRICTIONS,
    Restriction,
    SubIndices,
    change_class,
    evaluate,
    grade_of,
)

NANTONG_2017 = SubIndices(abundance=30.59, vegetation=76.93, water=93.94, stress=6.08, pollution=1.48)


def test_nantong_2017_published_ei() -> None:
    r = evaluate(NANTONG_2017)
    assert r["ei"] == 67.97
    assert (r["grade"], r["grade_zh"]) == ("good", "良")


@pytest.mark.parametrize(
    ("ei", "zh"),
    [
        (100.0, "优"),
        (75.0, "优"),
        (74.99, "良"),
        (55.0, "良"),
        (54.99, "一般"),
        (35.0, "一般"),
        (34.99, "较差"),
        (20.0, "较差"),
        (19.99, "差"),
        (0.0, "差"),
    ],
)
def test_grade_bounds_belong_to_the_higher_grade(ei: float, zh: str) -> None:
    assert grade_of(ei).zh == zh


def test_grade_boundary_through_the_formula() -> None:
    # 0.35·a + 0.25·100 + 0.15·100 + 0.15·100 + 0.10·100 = 0.35·a + 65; a = 28.5714… gives 75
    s = SubIndices(abundance=200 / 7, vegetation=100, water=100, stress=0, pollution=0)
    assert evaluate(s)["ei"] == 75.0 and evaluate(s)["grade"] == "excellent"
    s = SubIndices(abundance=0, vegetation=0, water=0, stress=100, pollution=100)
    assert evaluate(s)["ei"] == 0.0 and evaluate(s)["grade_zh"] == "差"


@pytest.mark.parametrize(
    ("delta", "key", "direction"),
    [
        (0.0, "none", None),
        (0.99, "none", None),
        (-0.99, "none", None),
        (1.0, "slight", "better"),
        (-1.0, "slight", "worse"),
        (2.99, "slight", "better"),
        (3.0, "obvious", "better"),
        (-3.0, "obvious", "worse"),
        (7.99, "obvious", "better"),
        (8.0, "significant", "better"),
        (-8.0, "significant", "worse"),
        (-25.5, "significant", "worse"),
    ],
)
def test_change_class_bounds(delta: float, key: str, direction: str | None) -> None:
    c, d = change_class(delta)
    assert (c.key, d) == (key, direction)


def test_previous_gives_delta_on_the_reported_values() -> None:
    r = evaluate(NANTONG_2017, previous=66.97)
    assert r["delta"] == 1.0 and r["change_class"] == "slight" and r["direction"] == "better"
    assert r["change_zh"] == "略微变好"
    r = evaluate(NANTONG_2017, previous=75.97)
    assert r["delta"] == -8.0 and r["change_class"] == "significant" and r["change_zh"] == "显著变差"
    r = evaluate(NANTONG_2017, previous=67.0)
    assert r["delta"] == 0.97 and r["change_class"] == "none" and r["direction"] is None


def test_restrictions_lower_the_grade_not_the_value() -> None:
    r = evaluate(NANTONG_2017, "incident")
    assert r["ei"] == 67.97 and r["grade_zh"] == "一般" and r["restriction"]["grade_before"] == "good"
    assert r["restriction"]["confirmed"] is False
    top = SubIndices(abundance=100, vegetation=100, water=100, stress=0, pollution=0)
    assert evaluate(top)["grade_zh"] == "优"
    assert evaluate(top, "incident")["grade_zh"] == "良"
    assert evaluate(top, "incident_major")["grade_zh"] == "一般"  # may not be 优 or 良
    assert evaluate(top, "violation")["grade_zh"] == "良"
    worst = SubIndices(abundance=0, vegetation=0, water=0, stress=100, pollution=100)
    assert evaluate(worst, "incident_major")["grade_zh"] == "差"
    with pytest.raises(KeyError):
        evaluate(top, "no_such_event")


def test_restrictions_are_configurable() -> None:
    own = {"flood": Restriction("flood", "洪灾", drop=2, confirmed=True)}
    r = evaluate(NANTONG_2017, "flood", restrictions=own)
    assert r["grade_zh"] == "较差" and r["restriction"]["confirmed"] is True


@pytest.mark.parametrize("bad", [-0.01, 100.01, float("nan")])
def test_sub_index_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="abundance"):
        SubIndices(abundance=bad, vegetation=1, water=1, stress=1, pollution=1)


sub = st.floats(min_value=0, max_value=100, allow_nan=False)
NAMES = ("abundance", "vegetation", "water", "stress", "pollution")


@given(st.tuples(sub, sub, sub, sub, sub))
def test_ei_bounded_and_graded(v: tuple[float, ...]) -> None:
    r = evaluate(SubIndices(*v))
    assert 0 <= r["ei"] <= 100
    g = next(g for g in GRADES if g.key == r["grade"])
    assert r["ei"] >= g.lower
    i = GRADES.index(g)
    assert i == 0 or r["ei"] < GRADES[i - 1].lower


@given(st.tuples(sub, sub, sub, sub, sub), st.sampled_from(NAMES), sub)
def test_ei_monotone_in_each_sub_index(v: tuple[float, ...], name: str, other: float) -> None:
    lo, hi = sorted((v[NAMES.index(name)], other))
    a = dict(zip(NAMES, v, strict=True)) | {name: lo}
    b = dict(zip(NAMES, v, strict=True)) | {name: hi}
    ea, eb = evaluate(SubIndices(**a))["ei"], evaluate(SubIndices(**b))["ei"]
    if name in ("stress", "pollution"):
        assert eb <= ea
    else:
        assert eb >= ea


@given(st.tuples(sub, sub, sub, sub, sub), st.sampled_from(sorted(RESTRICTIONS)))
def test_restriction_never_improves_the_grade(v: tuple[float, ...], code: str) -> None:
    free = evaluate(SubIndices(*v))
    held = evaluate(SubIndices(*v), code)
    order = [g.key for g in GRADES]
    assert order.index(held["grade"]) >= order.index(free["grade"])
    assert held["ei"] == free["ei"]


@given(st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_change_class_symmetric(d: float) -> None:
    (c1, d1), (c2, d2) = change_class(d), change_class(-d)
    assert c1 == c2
    assert (d1 is None) == (d2 is None)


def test_eqi_is_registered_but_not_loaded() -> None:
    from ecoplan.core.errors import EcoplanError
    from ecoplan.ecology.standards import eqi

    assert eqi.METHOD.loaded is False
    with pytest.raises(EcoplanError) as e:
        eqi.evaluate(pattern=50.0)
    assert "not loaded" in e.value.message("en") and "方法未加载" in e.value.message("zh")

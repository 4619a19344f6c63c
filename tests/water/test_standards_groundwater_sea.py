"""Groundwater GB/T 14848—2017 and sea water GB 3097—1997 classes.

- spot cells typed again from the transcriptions the modules cite (not read from the
  modules' tables);
- boundaries: a value on each "≤" limit is in that class (the best class on shared
  limits, §6.2 从优不从劣), the next float above is in the next class; GB 3097 DO is
  strict ("＞");
- hypothesis: a worse value never gives a better class; the sample class is the max
  of its item classes; the vectorised path equals the scalar one;
- invalid input raises.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.water.standards import gb3097_1997 as sea
from ecoplan.water.standards import gb14848_2017 as gw

# --- GB/T 14848—2017 -------------------------------------------------------------------

# (item, value, class) read from thincen/WorkHelper wel.csv and Silence.Water
GW_SPOTS = [
    ("hardness", 450, 3), ("hardness", 451, 4), ("hardness", 651, 5),
    ("TDS", 1000, 3), ("TDS", 2001, 5),
    ("NH3N", 0.02, 1), ("NH3N", 0.5, 3), ("NH3N", 0.51, 4), ("NH3N", 1.51, 5),
    ("NO3N", 2.0, 1), ("NO3N", 5.0, 2), ("NO3N", 20.0, 3), ("NO3N", 30.0, 4), ("NO3N", 30.1, 5),
    ("NO2N", 4.8, 4), ("NO2N", 4.81, 5),
    ("Mn", 0.05, 1), ("Mn", 0.1, 3), ("Mn", 1.5, 4),
    ("Fe", 0.3, 3), ("Fe", 2.0, 4), ("Fe", 2.01, 5),
    ("F", 1.0, 1), ("F", 1.01, 4), ("F", 2.01, 5),
    ("As", 0.001, 1), ("As", 0.01, 3), ("As", 0.05, 4), ("As", 0.051, 5),
    ("Cd", 0.0001, 1), ("Cd", 0.001, 2), ("Cd", 0.005, 3),
    ("Pb", 0.005, 1), ("Pb", 0.01, 3), ("Pb", 0.1, 4),
    ("CODMn", 3.0, 3), ("CODMn", 10.0, 4), ("CODMn", 10.1, 5),
    ("TC", 3.0, 1), ("TC", 100, 4), ("TC", 101, 5),
    ("CHCl3", 60, 3), ("toluene", 140, 2), ("benzene", 120, 4),
    ("Na", 200, 3), ("Al", 0.2, 3), ("I", 0.08, 3), ("Cr6", 0.05, 3),
    ("LAS", 0.0, 1), ("LAS", 0.05, 2), ("LAS", 0.3, 3), ("LAS", 0.31, 5),
    ("alpha", 0.1, 1), ("alpha", 0.5, 3), ("alpha", 5.0, 4),
    ("beta", 1.0, 2), ("beta", 1.1, 4),
    ("pH", 6.5, 1), ("pH", 8.5, 1), ("pH", 6.49, 4), ("pH", 5.5, 4), ("pH", 5.49, 5),
    ("pH", 8.51, 4), ("pH", 9.0, 4), ("pH", 9.01, 5),
    ("odor", False, 1), ("odor", True, 5), ("visible", True, 5),
]  # fmt: skip


@pytest.mark.parametrize(("item", "value", "cls"), GW_SPOTS)
def test_gw_spot_values(item: str, value: float, cls: int) -> None:
    assert gw.item_class(item, value) == cls


def test_gw_table_has_39_items() -> None:
    assert len(gw.ITEMS) == 39 == len(set(gw.ITEMS))
    assert set(gw.ITEMS) == set(gw.LE_LIMITS) | set(gw.PRESENCE_ITEMS) | {"pH"}
    assert set(gw.ITEM_ZH) == set(gw.ITEMS)


@pytest.mark.parametrize("item", sorted(gw.LE_LIMITS))
def test_gw_limits_inclusive_best_class(item: str) -> None:
    limits = gw.LE_LIMITS[item]
    for lim in limits:
        if math.isinf(lim):
            continue
        best = limits.index(lim) + 1
        worst = max(j for j, x in enumerate(limits, 1) if x == lim)
        assert gw.item_class(item, lim) == best
        assert gw.item_class(item, float(np.nextafter(lim, math.inf))) == worst + 1


def test_gw_section_class_and_worst_items() -> None:
    sample = {"pH": 7.2, "NH3N": 0.6, "NO3N": 25.0, "Mn": 0.08, "TDS": 400.0}
    assert gw.section_class(sample) == 4
    assert gw.worst_items(sample) == ["NH3N", "NO3N"]  # table order
    assert gw.section_class({"pH": None}) is None and gw.worst_items({}) == []
    assert [gw.grade(c) for c in (1, 3, 4, 5)] == ["good", "good", "poor", "very_poor"]
    assert gw.grade(4, grade_of_class={1: "a", 2: "a", 3: "a", 4: "a", 5: "b"}) == "a"


gw_numeric = sorted([*gw.LE_LIMITS, "pH"])


@settings(max_examples=300)
@given(item=st.sampled_from(sorted(gw.LE_LIMITS)), x=st.floats(0, 5000), d=st.floats(0, 5000))
def test_gw_monotone(item: str, x: float, d: float) -> None:
    a, b = gw.item_class(item, x), gw.item_class(item, x + d)
    assert a is not None and b is not None and b >= a


@settings(max_examples=200)
@given(x=st.floats(0, 7), d=st.floats(0, 7))
def test_gw_ph_monotone_away_from_neutral_band(x: float, d: float) -> None:
    """Moving pH away from 6.5–8.5 (down from ≤ 7, up from ≥ 7) never improves it."""
    lo, hi = 7.0 - x, 7.0 + x
    assert (gw.item_class("pH", max(lo - d, 0.0)) or 0) >= (gw.item_class("pH", lo) or 0)
    assert (gw.item_class("pH", min(hi + d, 14.0)) or 0) >= (gw.item_class("pH", hi) or 0)


@settings(max_examples=150)
@given(st.dictionaries(st.sampled_from(gw_numeric), st.floats(0, 14), min_size=1))
def test_gw_section_is_max_and_array_matches(sample: dict[str, float]) -> None:
    classes = {k: gw.item_class(k, v) for k, v in sample.items()}
    assert gw.section_class(sample) == max(c for c in classes.values() if c is not None)
    for k, v in sample.items():
        assert gw.item_class_array(k, np.array([v, math.nan]))[0] == classes[k]
        assert math.isnan(gw.item_class_array(k, np.array([v, math.nan]))[1])


def test_gw_grade_share() -> None:
    assert gw.grade_share([1, 2, 3, 4, 5]) == 0.2
    assert gw.grade_share([1, 2, 3, 4, 5], "poor") == 0.2
    assert gw.grade_share([4, 4, 5, None]) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="grade"):
        gw.grade_share([1], "bad")
    with pytest.raises(ValueError, match="no classed"):
        gw.grade_share([None])


def test_gw_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="unknown"):
        gw.item_class("TN", 1.0)
    with pytest.raises(ValueError, match="negative"):
        gw.item_class("NO3N", -0.1)
    with pytest.raises(ValueError, match="pH"):
        gw.item_class("pH", 14.5)
    with pytest.raises(ValueError, match="presence"):
        gw.item_class("odor", 0.5)
    with pytest.raises(ValueError, match="class"):
        gw.grade(6)


# --- GB 3097—1997 ----------------------------------------------------------------------

# (item, value, class) from ppp123ZXP/Environmental do_cal_hj442, wanglu.net, ryyc.cn
SEA_SPOTS = [
    ("DO", 6.01, 1), ("DO", 6.0, 2), ("DO", 5.0, 3), ("DO", 4.0, 4), ("DO", 3.01, 4), ("DO", 3.0, 5),
    ("COD", 2, 1), ("COD", 3, 2), ("COD", 4, 3), ("COD", 5, 4), ("COD", 5.01, 5),
    ("BOD5", 1, 1), ("BOD5", 3, 2), ("BOD5", 5.01, 5),
    ("DIN", 0.20, 1), ("DIN", 0.30, 2), ("DIN", 0.40, 3), ("DIN", 0.50, 4), ("DIN", 0.51, 5),
    ("PO4P", 0.015, 1), ("PO4P", 0.03, 2), ("PO4P", 0.031, 4), ("PO4P", 0.045, 4), ("PO4P", 0.046, 5),
    ("NH3", 0.02, 1), ("NH3", 0.021, 5),
    ("Oil", 0.05, 1), ("Oil", 0.3, 3), ("Oil", 0.51, 5),
    ("Hg", 0.0002, 2), ("Pb", 0.05, 4), ("Cu", 0.05, 3), ("Zn", 0.5, 4), ("CN", 0.005, 1),
    ("pH", 7.8, 1), ("pH", 8.5, 1), ("pH", 7.79, 3), ("pH", 8.8, 3), ("pH", 6.8, 3),
    ("pH", 6.79, 5), ("pH", 8.81, 5),
]  # fmt: skip


@pytest.mark.parametrize(("item", "value", "cls"), SEA_SPOTS)
def test_sea_spot_values(item: str, value: float, cls: int) -> None:
    assert sea.item_class(item, value) == cls


@pytest.mark.parametrize("item", sorted(sea.LE_LIMITS))
def test_sea_limits_inclusive_best_class(item: str) -> None:
    limits = sea.LE_LIMITS[item]
    for lim in limits:
        best = limits.index(lim) + 1
        worst = max(j for j, x in enumerate(limits, 1) if x == lim)
        assert sea.item_class(item, lim) == best
        assert sea.item_class(item, float(np.nextafter(lim, math.inf))) == worst + 1


@settings(max_examples=300)
@given(item=st.sampled_from(sorted(sea.LE_LIMITS)), x=st.floats(0, 10), d=st.floats(0, 10))
def test_sea_monotone(item: str, x: float, d: float) -> None:
    assert (sea.item_class(item, x + d) or 0) >= (sea.item_class(item, x) or 0)


@settings(max_examples=200)
@given(x=st.floats(0, 14), d=st.floats(0, 14))
def test_sea_do_monotone(x: float, d: float) -> None:
    assert (sea.item_class("DO", max(x - d, 0.0)) or 0) >= (sea.item_class("DO", x) or 0)


@settings(max_examples=150)
@given(st.dictionaries(st.sampled_from(sea.ITEMS), st.floats(0, 14), min_size=1))
def test_sea_sample_is_max(sample: dict[str, float]) -> None:
    classes = [sea.item_class(k, v) for k, v in sample.items()]
    assert sea.sample_class(sample) == max(c for c in classes if c is not None)
    arr = sea.item_class_array("DO", [v for v in sample.values()])
    assert arr.tolist() == [sea.item_class("DO", v) for v in sample.values()]


def test_sea_good_share_and_items_option() -> None:
    assert sea.good_share([1, 2, 3, 4, 5, None]) == 0.4
    s = {"pH": 8.1, "DO": 6.5, "DIN": 0.45, "PO4P": 0.02}
    assert sea.sample_class(s) == 4 and sea.sample_class(s, items=("pH", "DO", "PO4P")) == 2
    assert sea.CLASS_LABELS[sea.WORSE_THAN_IV - 1] == "劣四类"
    assert set(sea.CONFIDENCE) == set(sea.ITEMS)


def test_sea_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="unknown"):
        sea.item_class("TP", 0.1)
    with pytest.raises(ValueError, match="negative"):
        sea.item_class("DIN", -1.0)
    with pytest.raises(ValueError, match="pH"):
        sea.item_class("pH", 15.0)
    with pytest.raises(ValueError, match="unknown"):
        sea.sample_class({"TN": 1.0})
    with pytest.raises(ValueError, match="no classed"):
        sea.good_share([None])
    with pytest.raises(ValueError, match=r"1\.\.5"):
        sea.good_share([6])


def test_doctests() -> None:
    assert doctest.testmod(gw).failed == 0
    assert doctest.testmod(sea).failed == 0

"""GB 3838—2002 classes and the 2011 evaluation method against the spec.

- every surface-water vector of ``shared/specs/water-soil-vectors.json`` (kinds
  ``surface_water_section``, ``annual_mean``, ``river_grade``, ``river_lt5_sections``,
  ``real_cnemc_autostation``);
- boundaries: a value exactly on each Table 1 limit, and the next float beyond it;
- hypothesis properties: classes are monotone in the concentration (each direction),
  the section class is the max of the item classes, the exceedance multiple is
  positive exactly above Ⅲ, the vectorised path equals the scalar one.
"""

from __future__ import annotations

import doctest
import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb

VECTORS_FILE = SHARED / "specs" / "water-soil-vectors.json"
_ALL: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text("utf-8")) if VECTORS_FILE.exists() else []
needs_vectors = pytest.mark.skipif(not _ALL, reason="shared/specs not beside the repo")


def _kind(*kinds: str) -> list[Any]:
    return [pytest.param(v, id=v["id"]) for v in _ALL if v["kind"] in kinds]


def _label(item: str, water_body: str) -> str:
    """The vectors name the TP row applied (``TP_river``/``TP_lake``)."""
    return f"TP_{water_body}" if item == "TP" else item


def _classes(expected: dict[str, str]) -> dict[str, int]:
    return {k: gb.parse_class(v) for k, v in expected.items()}


# --- the spec vectors ---------------------------------------------------------------


@needs_vectors
def test_all_water_vectors_are_used() -> None:
    ours = {
        "surface_water_section",
        "annual_mean",
        "river_grade",
        "river_lt5_sections",
        "real_cnemc_autostation",
    }
    ids = [v["id"] for v in _ALL if v["kind"] in ours]
    assert len(ids) == 20, ids


@needs_vectors
@pytest.mark.parametrize("vec", _kind("surface_water_section"))
def test_section_vectors(vec: dict[str, Any]) -> None:
    wb, sample, exp = vec["water_body"], vec["input"], vec["expected"]
    got = ev.item_classes(sample, wb)
    assert {_label(k, wb): c for k, c in got.items()} == _classes(exp["item_class"])
    assert gb.class_label(ev.section_class(sample, wb)) == exp["section_class"]
    mp = ev.main_pollutants(sample, wb, heavy_metal_priority="first")
    assert [_label(p.item, wb) for p in mp] == [m["item"] for m in exp["main_pollutants"]]
    for p, m in zip(mp, exp["main_pollutants"], strict=True):
        if m["exceedance_multiple"] is None:
            assert p.multiple is None
        else:
            assert p.multiple == pytest.approx(m["exceedance_multiple"], abs=5e-5)
    # reference indicators stay outside the class (W1: TN 4.1, FC 5400 would be 劣Ⅴ/Ⅲ)
    assert "TN" not in got and "FC" not in got and "WT" not in got


@needs_vectors
def test_w1_reference_items_and_w4_priority_off() -> None:
    by_id = {v["id"]: v for v in _ALL}
    w1 = by_id["W1"]["input"]
    assert ev.reference_classes(w1, "river") == {"FC": 3}  # river TN has no class
    assert ev.reference_classes(w1, "lake") == {"TN": 6, "FC": 3}
    w2a = by_id["W2a"]["input"]
    assert ev.reference_classes(w2a, "lake") == {"TN": 5}  # spec §7.1: TN 1.8 → Ⅴ
    w4 = by_id["W4"]["input"]
    off = ev.main_pollutants(w4, "river", heavy_metal_priority="off")
    assert [(p.item, round(p.multiple or 0, 4)) for p in off] == [
        ("NH3N", 2.0),
        ("CODMn", 1.6667),
        ("TP", 1.5),
    ]  # spec §7.1 W4 "off"


@needs_vectors
@pytest.mark.parametrize("vec", _kind("annual_mean"))
def test_annual_mean_vectors(vec: dict[str, Any]) -> None:
    for item in ("NH3N", "TP"):
        mean = ev.period_mean(vec["input"][f"{item}_monthly"])
        assert mean == pytest.approx(vec["expected"][f"{item}_mean"], abs=5e-7)
        assert gb.class_label(gb.item_class(item, mean)) == vec["expected"][f"{item}_class"]
    # four monthly NH3-N values are Ⅳ–Ⅴ, the annual mean is Ⅲ
    monthly = [gb.item_class("NH3N", x) for x in vec["input"]["NH3N_monthly"]]
    assert sum(1 for c in monthly if c is not None and c > 3) == 4


@needs_vectors
@pytest.mark.parametrize("vec", _kind("river_grade"))
def test_river_grade_vectors(vec: dict[str, Any]) -> None:
    g = ev.river_grade(vec["input"]["section_classes"])
    assert g.share_i_iii == pytest.approx(vec["expected"]["share_I_III"], abs=5e-5)
    assert g.share_worse_v == pytest.approx(vec["expected"]["share_worse_V"], abs=5e-5)
    assert g.status == vec["expected"]["status"]


@needs_vectors
def test_river_grade_severe_option_w7e() -> None:
    """§2.5: the "< 60 %" reading leaves W7e ungraded; the other vectors keep theirs."""
    for vec in _ALL:
        if vec["kind"] != "river_grade":
            continue
        g = ev.river_grade(vec["input"]["section_classes"], severe_below=0.6)
        assert g.status == (None if vec["id"] == "W7e" else vec["expected"]["status"])


@needs_vectors
@pytest.mark.parametrize("vec", _kind("river_lt5_sections"))
def test_river_small_vectors(vec: dict[str, Any]) -> None:
    sections, exp = vec["input"]["sections"], vec["expected"]
    cls, means = ev.mean_class(sections, "river")
    assert means == pytest.approx(exp["mean"], abs=5e-7)
    assert {_label(k, "river"): c for k, c in ev.item_classes(means, "river").items()} == (
        _classes(exp["item_class"])
    )
    assert gb.class_label(cls) == exp["river_class"]
    assert [gb.class_label(ev.section_class(s)) for s in sections] == exp["per_section"]
    for s, want in zip(sections, exp["per_section_main_pollutants"], strict=True):
        got = ev.main_pollutants(s, "river")
        assert [_label(p.item, "river") for p in got] == [w[0] for w in want]
        for p, (_, m) in zip(got, want, strict=True):
            assert (p.multiple is None) if m is None else p.multiple == pytest.approx(m, abs=5e-5)
    with pytest.raises(ValueError, match="5 sections"):
        ev.river_grade(exp["per_section"])


@needs_vectors
@pytest.mark.parametrize("vec", _kind("real_cnemc_autostation"))
def test_cnemc_vectors(vec: dict[str, Any]) -> None:
    wb, exp = vec["water_body"], vec["expected"]
    printed, raw = vec["input_published_rounded"], vec["input_tooltip_raw"]
    items = ev.CNEMC_AUTOSTATION_ITEMS
    got = ev.item_classes(printed, wb, items=items)
    assert {_label(k, wb): c for k, c in got.items()} == _classes(exp["item_class"])
    cls = ev.section_class(printed, wb, items=items)
    assert gb.class_label(cls) == exp["section_class"] == vec["published_class"]
    mp = ev.main_pollutants(printed, wb, items=items)
    assert [_label(p.item, wb) for p in mp] == [m["item"] for m in exp["main_pollutants"]]
    for p, m in zip(mp, exp["main_pollutants"], strict=True):
        assert p.multiple == pytest.approx(m["exceedance_multiple"], abs=5e-3)
    # unrounded tooltip values: the class the spec says they would give …
    raw = {k: v for k, v in raw.items() if k in gb.ITEMS}  # R2 also carries chla
    raw_cls = ev.section_class(raw, wb, items=items)
    assert gb.class_label(raw_cls) == exp["section_class_if_raw_values_used"]
    # … and rounding them as CNEMC prints them reproduces the published class
    assert ev.section_class(raw, wb, items=items, rounding="cnemc_autostation") == cls
    # the vectorised path agrees
    cols = {k: np.array([v]) for k, v in printed.items()}
    assert gb.section_class_array(cols, wb, items=items)[0] == cls


# --- boundaries ---------------------------------------------------------------------

LE_ROWS = sorted(gb.LE_LIMITS)


def _item_of(key: str) -> tuple[str, gb.WaterBody]:
    if key.startswith("TP_"):
        return "TP", "river" if key == "TP_river" else "lake"
    return key, "lake" if key == "TN" else "river"


@pytest.mark.parametrize("key", LE_ROWS)
def test_le_limits_inclusive(key: str) -> None:
    """On a "≤" limit: the first class with that limit (best); the next float above:
    the first class whose limit is larger, or 劣Ⅴ beyond Ⅴ."""
    item, wb = _item_of(key)
    limits = gb.LE_LIMITS[key]
    for k, lim in enumerate(limits, 1):
        best = limits.index(lim) + 1
        worst = max(j for j, x in enumerate(limits, 1) if x == lim)
        assert gb.item_class(item, lim, wb) == best <= k
        assert gb.item_class(item, lim, wb, equal_limits="worst") == worst
        above = np.nextafter(lim, math.inf)
        assert gb.item_class(item, above, wb) == worst + 1
        for mode in ("best", "worst"):
            arr = gb.item_class_array(item, [lim, above], wb, equal_limits=mode)  # type: ignore[arg-type]
            assert list(arr) == [gb.item_class(item, lim, wb, equal_limits=mode), worst + 1]


def test_spot_values_from_the_spec_table() -> None:
    """A few cells read again from spec §1 (not from the module's table)."""
    assert gb.item_class("COD", 15) == 1 and gb.item_class("COD", 15.0001) == 3
    assert gb.item_class("Hg", 0.0001) == 3 and gb.item_class("Hg", 0.00011) == 4
    assert gb.item_class("FC", 40000) == 5 and gb.item_class("FC", 40001) == 6
    assert gb.item_class("Cd", 0.005) == 2 and gb.item_class("Cd", 0.0051) == 5
    assert gb.item_class("TP", 0.2, "lake") == 5 and gb.item_class("TP", 0.2) == 3
    assert gb.item_class("CN", 0.2) == 3 and gb.item_class("CN", 0.21) == 6


@pytest.mark.parametrize(
    ("value", "cls"),
    [(7.5, 1), (7.4999, 2), (6, 2), (5.99, 3), (5, 3), (3, 4), (2.99, 5), (2, 5), (1.99, 6)],
)
def test_do_limits_inclusive(value: float, cls: int) -> None:
    assert gb.item_class("DO", value) == cls
    assert gb.item_class_array("DO", [value])[0] == cls


def test_do_saturation_meets_class_i() -> None:
    assert gb.item_class("DO", 7.0) == 2
    assert gb.item_class("DO", 7.0, do_saturation=0.9) == 1
    assert gb.item_class("DO", 7.0, do_saturation=0.89) == 2


@pytest.mark.parametrize(("value", "cls"), [(6.0, 1), (9.0, 1), (5.99, 6), (9.01, 6), (0.0, 6), (14.0, 6)])
def test_ph_range_inclusive(value: float, cls: int) -> None:
    assert gb.item_class("pH", value) == cls
    assert gb.item_class_array("pH", [value])[0] == cls


def test_which_items_count() -> None:
    assert len(gb.ITEMS) == 24 and len(ev.EVALUATION_ITEMS) == 21
    assert set(gb.ITEMS) - set(ev.EVALUATION_ITEMS) == {"WT", "TN", "FC"}
    assert "TN" not in gb.classed_items("river") and "TN" in gb.classed_items("lake")
    assert "WT" not in gb.classed_items("lake")
    assert gb.item_class("TN", 5.0, "river") is None
    assert gb.item_class("TN", 5.0, "lake") == 6
    assert gb.item_class("WT", 30.0) is None
    arr = gb.item_class_array("TN", [5.0, 5.0], np.array(["river", "lake"]))
    assert math.isnan(arr[0]) and arr[1] == 6
    tp = gb.item_class_array("TP", [0.08, 0.08], np.array(["river", "lake"]))
    assert list(tp) == [2, 4]
    # TN is never in the 2011 class, even for a lake
    assert ev.section_class({"TN": 5.0, "pH": 7.0}, "lake") == 1
    assert ev.section_class({"TN": 5.0}, "lake") is None


def test_grades_and_labels() -> None:
    assert [ev.grade(c) for c in range(1, 7)] == [
        "优",
        "优",
        "良好",
        "轻度污染",
        "中度污染",
        "重度污染",
    ]
    assert [gb.class_label(c) for c in range(1, 7)] == ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"]
    assert [gb.parse_class(s) for s in ("I", "II", "III", "IV", "V", "劣V")] == [1, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError):
        gb.parse_class("VI")


def test_bad_input_raises() -> None:
    with pytest.raises(ValueError, match="negative"):
        gb.item_class("NH3N", -0.1)
    with pytest.raises(ValueError, match="negative"):
        gb.item_class_array("NH3N", [0.1, -0.1])
    with pytest.raises(ValueError, match="pH"):
        gb.item_class("pH", 14.5)
    with pytest.raises(ValueError, match="unknown"):
        ev.section_class({"NO3": 1.0})
    with pytest.raises(ValueError, match="water_body"):
        gb.item_class("TP", 0.1, "sea")  # type: ignore[arg-type]


def test_main_pollutant_notation_and_none_for_good_sections() -> None:
    s = {"pH": 9.3, "DO": 2.5, "NH3N": 1.85, "TP": 0.36}
    mp = ev.main_pollutants(s)
    assert [p.item for p in mp] == ["pH", "NH3N", "TP"]  # 劣Ⅴ, then Ⅴ with multiples first
    assert [p.item for p in ev.main_pollutants(s, unmultiplied="first")] == ["pH", "DO", "NH3N"]
    assert ev.format_main_pollutants(mp) == "pH值、氨氮(0.8)、总磷(0.8)"
    assert ev.main_pollutants({"pH": 7, "DO": 5, "NH3N": 1.0, "TP": 0.2}) == []


def test_period_mean_options() -> None:
    assert ev.period_mean([0.1, math.nan, 0.3]) == pytest.approx(0.2)
    nd = ev.period_mean([0.2, 0.0], nondetect=[False, True], detection_limit=0.05)
    assert nd == pytest.approx((0.2 + 0.025) / 2)
    assert math.isnan(ev.period_mean([0.1, 0.2], min_count=8))


# --- properties ---------------------------------------------------------------------

_classed = [(i, "river") for i in gb.classed_items("river")] + [("TP", "lake"), ("TN", "lake")]
conc = st.floats(min_value=0, max_value=1e5, allow_nan=False)


@settings(max_examples=300)
@given(st.sampled_from(_classed), conc, conc)
def test_class_is_monotone(iw: tuple[str, gb.WaterBody], a: float, b: float) -> None:
    """A worse value never gives a better class: DO higher is better, pH is a range
    (distance from 6–9), every other item lower is better."""
    item, wb = iw
    lo, hi = sorted((a, b))
    if item == "pH":
        x, y = a % 14, b % 14
        dx, dy = (max(6 - v, v - 9, 0) for v in (x, y))
        cx, cy = gb.item_class(item, x, wb), gb.item_class(item, y, wb)
        assert cx is not None and cy is not None
        if dx <= dy:
            assert cx <= cy
        return
    c_lo, c_hi = gb.item_class(item, lo, wb), gb.item_class(item, hi, wb)
    assert c_lo is not None and c_hi is not None
    assert (c_lo >= c_hi) if item == "DO" else (c_lo <= c_hi)


@settings(max_examples=300)
@given(st.sampled_from(_classed), st.lists(conc, min_size=1, max_size=20))
def test_vectorised_equals_scalar(iw: tuple[str, gb.WaterBody], values: list[float]) -> None:
    item, wb = iw
    vals = [v % 14 for v in values] if item == "pH" else values
    arr = gb.item_class_array(item, vals, wb)
    assert list(arr) == [gb.item_class(item, v, wb) for v in vals]
    worst = gb.item_class_array(item, vals, wb, equal_limits="worst")
    assert list(worst) == [gb.item_class(item, v, wb, equal_limits="worst") for v in vals]


def _limits_near() -> st.SearchStrategy[float]:
    cells = sorted({x for row in gb.LE_LIMITS.values() for x in row} | set(gb.DO_LIMITS))
    return st.sampled_from(cells).flatmap(
        lambda x: st.sampled_from([x, float(np.nextafter(x, 0)), float(np.nextafter(x, 1e9))])
    )


samples = st.dictionaries(
    st.sampled_from([i for i in ev.EVALUATION_ITEMS if i != "pH"]),
    st.one_of(conc, _limits_near()),
    min_size=1,
    max_size=21,
)


@settings(max_examples=300)
@given(samples, st.sampled_from(["river", "lake"]))
def test_section_class_is_max_and_multiple_sign(sample: dict[str, float], wb: gb.WaterBody) -> None:
    per_item = {i: gb.item_class(i, v, wb) for i, v in sample.items()}
    assert ev.section_class(sample, wb) == max(c for c in per_item.values() if c is not None)
    cols = {k: np.array([v]) for k, v in sample.items()}
    assert gb.section_class_array(cols, wb)[0] == ev.section_class(sample, wb)
    for i, v in sample.items():
        m = ev.exceedance_multiple(i, v, wb)
        if i == "DO":
            assert m is None
            continue
        assert m is not None
        assert (m > 0) == (per_item[i] is not None and per_item[i] > 3)  # type: ignore[operator]
        arr = ev.exceedance_multiple_array(i, [v], wb)[0]
        assert (arr > 0) == (m > 0)
        assert arr == pytest.approx(m, rel=1e-12, abs=1e-12)
    mp = ev.main_pollutants(sample, wb)
    worst = ev.section_class(sample, wb)
    assert (mp == []) == (worst is not None and worst <= 3)
    assert len(mp) <= 3 and all(p.cls > 3 for p in mp)
    off = ev.main_pollutants(sample, wb, heavy_metal_priority="off")
    assert [p.cls for p in off] == sorted((p.cls for p in off), reverse=True)
    if off:
        assert off[0].cls == worst


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=1, max_value=6), min_size=5, max_size=60))
def test_river_grade_shares(classes: list[int]) -> None:
    g = ev.river_grade(classes)
    n = len(classes)
    assert g.share_i_iii == sum(c <= 3 for c in classes) / n
    assert g.share_worse_v == sum(c == 6 for c in classes) / n
    assert g.status is not None
    improved = [max(1, c - 1) for c in classes]  # every section one class better
    order = ["优", "良好", "轻度污染", "中度污染", "重度污染"]
    better = ev.river_grade(improved).status
    assert better is not None and order.index(better) <= order.index(g.status)


SPEC_FILE = SHARED / "specs" / "water-soil.md"
_ROW_KEYS = {4: "CODMn", 5: "COD", 6: "BOD5", 7: "NH3N", 9: "TN", 10: "Cu", 11: "Zn", 12: "F"}
_ROW_KEYS |= {13: "Se", 14: "As", 15: "Hg", 16: "Cd", 17: "Cr6", 18: "Pb", 19: "CN"}
_ROW_KEYS |= {20: "Phenol", 21: "Oil", 22: "LAS", 23: "S", 24: "FC"}


@pytest.mark.skipif(not SPEC_FILE.exists(), reason="shared/specs not beside the repo")
def test_table_1_equals_the_spec_table() -> None:
    """The "≤" rows and the DO row of spec §1, parsed from the markdown table."""
    section = SPEC_FILE.read_text("utf-8").split("## 1. GB 3838-2002 Table 1")[1]
    text = section.split("Table 2 (")[0]
    got: dict[str, tuple[float, ...]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells[0].isdigit() or cells[2] not in ("≤", "≥"):
            continue
        no = int(cells[0])
        values = tuple(float(c.split("（")[-1].rstrip("）").lstrip("或")) for c in cells[3:8])
        if no == 3:
            got["DO"] = values
        elif no == 8:
            got["TP_lake" if "lake" in cells[1] else "TP_river"] = values
        else:
            got[_ROW_KEYS[no]] = values
    assert got.pop("DO") == gb.DO_LIMITS
    assert got == gb.LE_LIMITS


@pytest.mark.parametrize(
    ("classes", "status"),
    [
        ([3] * 15 + [4] * 5, "良好"),  # p13 = 75 % exactly
        ([3] * 14 + [4] * 6, "轻度污染"),  # 70 %, p6 0
        ([3] * 8 + [4] * 8 + [6] * 4, "中度污染"),  # p6 = 20 % exactly
        ([3] * 8 + [4] * 4 + [6] * 8, "重度污染"),  # p6 = 40 % exactly
        ([2] * 18 + [6] * 2, "优"),  # p13 = 90 % exactly
    ],
)
def test_river_grade_boundaries(classes: list[int], status: str) -> None:
    assert ev.river_grade(classes).status == status


@pytest.mark.parametrize("module", [gb, ev], ids=["gb3838_2002", "evaluation_2011"])
def test_doctests(module: Any) -> None:
    result = doctest.testmod(module, raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0

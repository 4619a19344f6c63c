"""GB 15618—2018, GB 36600—2018 and the safe-use rates: spec vectors, boundaries, properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.soil.standards import gb15618_2018 as g
from ecoplan.soil.standards import gb36600_2018 as c
from ecoplan.soil.standards import safe_use as su

VECTORS = [
    v
    for v in json.loads((SHARED / "specs" / "water-soil-vectors.json").read_text())
    if v["kind"] == "soil_GB15618"
]
ZH = {"优先保护类": "priority_protection", "安全利用类": "safe_use", "严格管控类": "strict_control"}
LEVEL = {"<=screening": 1, "screening<x<=control": 2, ">control": 3}


def test_ten_vectors() -> None:
    assert len(VECTORS) == 10


@pytest.mark.parametrize("v", VECTORS, ids=[v["id"] for v in VECTORS])
def test_spec_vector(v: dict) -> None:
    i, e = v["input"], v["expected"]
    got = g.classify(i["land_use"], i["pH"], i["metals_mg_kg"])
    assert got.category == ZH[e["class"]]
    assert list(got.flags) == e["cu_ni_zn_over_screening_flags"]
    with_cu = g.classify(i["land_use"], i["pH"], i["metals_mg_kg"], include_cu_ni_zn=True)
    assert with_cu.category == ZH[e["class_if_include_cu_ni_zn"]]
    items = {it.metal: it for it in got.items}
    for pm in e["per_metal"]:
        it = items[pm["metal"]]
        assert it.screening == pm["screening"]
        assert it.intervention == pm["control"]
        assert it.level == LEVEL[pm["level"]]
        assert round(it.ratio_to_screening, 4) == pm["ratio_to_screening"]


@pytest.mark.parametrize(
    ("ph", "band"), [(0.0, 0), (5.5, 0), (5.51, 1), (6.5, 1), (6.500001, 2), (7.5, 2), (7.51, 3), (14.0, 3)]
)
def test_ph_band_boundaries(ph: float, band: int) -> None:
    assert g.ph_band(ph) == band


@pytest.mark.parametrize("ph", [-0.1, 14.01, float("nan")])
def test_ph_outside_range_raises(ph: float) -> None:
    with pytest.raises(ValueError, match="pH"):
        g.ph_band(ph)


def test_ph_missing_is_not_computable() -> None:
    r = g.classify("paddy", None, {"Cd": 5.0})
    assert r.category is None and r.reason == "ph_missing"
    assert r.to_dict()["computable"] is False


def test_equal_values_belong_to_the_lower_level() -> None:
    # pH 6.0 paddy Cd: screening 0.4, intervention 2.0 (Table 1, Table 3)
    assert g.classify("paddy", 6.0, {"Cd": 0.4}).category == "priority_protection"
    assert g.classify("paddy", 6.0, {"Cd": 2.0}).category == "safe_use"
    assert g.classify("paddy", 6.0, {"Cd": 2.0001}).category == "strict_control"


def test_rotation_takes_the_stricter_row() -> None:
    # pH 7.0: Cd paddy 0.6, other 0.3; Pb paddy 140, other 120
    assert g.screening("Cd", "paddy", 7.0, rotation=True) == 0.3
    assert g.screening("Pb", "other", 7.0, rotation=True) == 120


def test_negative_content_raises() -> None:
    with pytest.raises(ValueError):
        g.classify("paddy", 6.0, {"Cd": -0.1})


def test_crop_hook_is_applied() -> None:
    r = g.classify(
        "paddy", 4.35, {"Cd": 0.5035359}, crop_adjust=lambda lv, crop: 3 if crop > 0.2 else lv, crop=2.63
    )
    assert r.category == "strict_control"


_metal = st.sampled_from(g.BASIC)
_ph = st.floats(0, 14, allow_nan=False)
_lu = st.sampled_from(g.LAND_USES)
_c = st.floats(0, 5000, allow_nan=False)


@given(_lu, _ph, _metal, _c, _c, st.booleans())
def test_higher_concentration_never_gives_a_better_class(
    lu: str, ph: float, m: str, a: float, b: float, inc: bool
) -> None:
    lo, hi = sorted((a, b))
    low = g.classify(lu, ph, {m: lo}, include_cu_ni_zn=inc)
    high = g.classify(lu, ph, {m: hi}, include_cu_ni_zn=inc)
    assert low.level is not None and high.level is not None
    assert high.level >= low.level


@given(_lu, _ph, st.dictionaries(_metal, _c, min_size=1), _metal, _c)
def test_adding_a_metal_never_improves_the_class(lu: str, ph: float, metals: dict, m: str, v: float) -> None:
    before = g.classify(lu, ph, metals)
    after = g.classify(lu, ph, {**metals, m: max(v, metals.get(m, 0.0))})
    assert after.level is not None and before.level is not None and after.level >= before.level


def test_gb36600_values_and_class() -> None:
    assert len(c.ITEMS) == 45
    assert c.values("As", 2) == (60, 140)
    assert c.values("Cd", 1) == (20, 47)
    assert c.values("benzo_a_pyrene", 2) == (1.5, 15)
    r = c.classify(2, {"As": 119, "Pb": 100})
    assert r.category == "above_screening" and r.items == {"As": 2, "Pb": 1}
    assert c.classify(1, {"Hg": 33.5}).category == "above_intervention"
    assert c.classify(2, {"As": 70}, background={"As": 80}).category == "below_screening"
    with pytest.raises(ValueError):
        c.values("As", 3)


def test_farmland_rate_by_hand() -> None:
    units = [
        su.Unit("a", 10, "slight", "priority_protection"),  # B 10
        su.Unit("b", 20, "light_moderate", "safe_use", True),  # C 20
        su.Unit("c", 5, "light_moderate", "safe_use", False),  # not safe
        su.Unit("d", 4, "severe", "strict_control"),  # D 4
        su.Unit("e", 100, "none", "none"),  # not counted
        su.Unit("f", 1, "severe", "safe_use"),  # not safe
    ]
    r = su.farmland_rate(units)
    assert r.parts == {"B": 10, "C": 20, "D": 4, "E": 40}
    assert r.value_pct == 85.0  # 34 / 40
    assert "UNCONFIRMED" in r.rule


def test_site_rate_by_hand() -> None:
    plots = [
        su.Plot("1", True, "reused", True, True, key=True),
        su.Plot("2", True, "remediated", True, None, key=True),
        su.Plot("3", False, "reused", True, True),
        su.Plot("4", True, "risk_assessed", False),
        su.Plot("5", True, "reused", False, False),
    ]
    assert su.site_rate(plots).value_pct == 33.3  # 1 of plots 1, 2, 5
    assert su.site_rate(plots, key_only=True).value_pct == 50.0
    assert su.site_rate([]).value_pct is None

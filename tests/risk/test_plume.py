"""The screening plume against a published worked example, hand-computed Briggs values and
its own invariants (Hypothesis); ``ecoplan risk plume`` as a contract."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ecoplan.cli import app as cli_app
from ecoplan.core.words.purity import foreign
from ecoplan.risk.standards import plume

runner = CliRunner()

# Boubel, Fox, Turner, Stern, *Fundamentals of Air Pollution*, 3rd ed. (1994), ch. 19 §III.D
# "Example of a dispersion calculation": Q = 0.37 g/s, H = 40 m, u = 2 m/s, class B; σ read
# from the Pasquill–Gifford tables 19-4/19-5; the printed table (x km, σz, σy, χ g/m³):
TEXTBOOK = [
    (0.26, 26.2, 45.9, 1.53e-5),
    (0.28, 28.2, 49.0, 1.56e-5),
    (0.30, 30.1, 52.2, 1.55e-5),
]


@pytest.mark.parametrize(("x_km", "sz", "sy", "chi"), TEXTBOOK)
def test_the_plume_equation_gives_the_textbook_answer(x_km: float, sz: float, sy: float, chi: float) -> None:
    c = float(plume.gaussian(0.37, 2.0, sy, sz, 0.0, 0.0, 40.0))
    assert c == pytest.approx(chi, rel=0.01)


# Briggs (1973) open-country σ (the book's Table 19-7), worked by hand:
# e.g. D at 1000 m: σy = 0.08·1000/√1.1 = 76.277, σz = 0.06·1000/√2.5 = 37.947.
HAND_SIGMA = [
    ("A", 200.0, 43.566492, 40.0),
    ("B", 2000.0, 292.118697, 240.0),
    ("C", 400.0, 43.145550, 30.792014),
    ("D", 1000.0, 76.277007, 37.947332),
    ("E", 3000.0, 157.870443, 47.368421),
    ("F", 500.0, 19.518001, 6.956522),
]


@pytest.mark.parametrize(("stab", "x", "sy", "sz"), HAND_SIGMA)
def test_briggs_sigmas_match_hand_values(stab: str, x: float, sy: float, sz: float) -> None:
    assert float(plume.sigma_y(x, stab)) == pytest.approx(sy, rel=1e-6)
    assert float(plume.sigma_z(x, stab)) == pytest.approx(sz, rel=1e-6)
    assert float(plume.sigma_y(x, stab.lower())) == pytest.approx(sy, rel=1e-6)


# A peer's test vectors: GasDispersion.jl (MIT; test/utils/ccps_tests.jl, "CCPSRural", the
# CCPS 1999 rural set = Briggs open country) at x = 1.2 m: (class, σy, σz).
PEER_CCPS_RURAL = [
    ("A", 0.2639841614254575, 0.24),
    ("B", 0.19198848103669636, 0.144),
    ("C", 0.13199208071272875, 0.09598848207318536),
    ("D", 0.09599424051834818, 0.07193528734898633),
    ("E", 0.07199568038876113, 0.03598704466392099),
    ("F", 0.04799712025917409, 0.019193090487424527),
]


@pytest.mark.parametrize(("stab", "sy", "sz"), PEER_CCPS_RURAL)
def test_briggs_sigmas_match_a_peer(stab: str, sy: float, sz: float) -> None:
    assert float(plume.sigma_y(1.2, stab)) == pytest.approx(sy, rel=1e-12)
    assert float(plume.sigma_z(1.2, stab)) == pytest.approx(sz, rel=1e-12)


def test_centreline_matches_hand_values() -> None:
    # C = Q/(π u σy σz)·exp(−H²/2σz²) on the ground, D at 1000 m, Q = 1000 g/s, u = 2 m/s
    p = plume.centreline(1000.0, 2.0, "D", 0.0, 1000.0)
    assert p.c_g_m3 == pytest.approx(0.0549851281, rel=1e-8)
    assert p.c_mg_m3 == pytest.approx(54.9851281, rel=1e-8)
    assert (p.sigma_y_m, p.sigma_z_m) == pytest.approx((76.277007, 37.947332), rel=1e-6)
    assert not p.near_field and not p.far_field
    elevated = plume.centreline(1000.0, 2.0, "D", 20.0, 1000.0)
    assert elevated.c_g_m3 == pytest.approx(0.0478549165, rel=1e-8)
    off_axis = float(plume.concentration(1000.0, 2.0, "D", 0.0, 1000.0, 50.0, 0.0))
    assert off_axis == pytest.approx(0.0443547143, rel=1e-8)
    assert plume.centreline(1.0, 1.0, "A", 0.0, 50.0).near_field
    assert plume.centreline(1.0, 1.0, "A", 0.0, 20_000.0).far_field


def test_nothing_upwind_and_bad_input_refused() -> None:
    c = plume.concentration(10.0, 2.0, "C", 0.0, np.array([-100.0, 0.0, 100.0]), 0.0)
    assert c[0] == 0.0 and c[1] == 0.0 and c[2] > 0
    with pytest.raises(ValueError, match="stability"):
        plume.sigma_y(100.0, "G")
    for bad in ((-1.0, 2.0, 0.0), (1.0, 0.0, 0.0), (1.0, 2.0, -5.0), (math.nan, 2.0, 0.0)):
        with pytest.raises(ValueError):
            plume.concentration(bad[0], bad[1], "D", bad[2], 100.0)
    with pytest.raises(ValueError):
        plume.centreline(1.0, 1.0, "D", 0.0, 0.0)
    with pytest.raises(ValueError, match="red ≥ orange ≥ yellow"):
        plume.threat_zones(10.0, 2.0, "D", 0.0, {"red": 0.001, "yellow": 0.01}, (118.0, 32.0), 0.0)


def test_threat_distance_of_a_known_concentration() -> None:
    # the LOC equal to C(1000 m) found by hand above: the zone ends at 1000 m
    start, end = plume.threat_distance(1000.0, 2.0, "D", 0.0, 0.0549851281)
    assert start == 0.0
    assert end == pytest.approx(1000.0, abs=0.01)
    assert plume.threat_distance(1.0, 5.0, "A", 0.0, 1e6) == (None, None)
    # an elevated release: the zone starts downwind of the source
    start, end = plume.threat_distance(1000.0, 2.0, "D", 50.0, 0.01)
    assert start is not None and end is not None and 0 < start < end


stabs = st.sampled_from(plume.STABILITIES)
rates = st.floats(0.1, 5000.0)
winds = st.floats(0.5, 15.0)
heights = st.floats(0.0, 60.0)
locs = st.floats(1e-6, 1.0)


@settings(max_examples=60, deadline=None)
@given(q=rates, u=winds, s=stabs, h=heights, loc=locs)
def test_threat_distance_edges_are_where_c_equals_the_loc(
    q: float, u: float, s: str, h: float, loc: float
) -> None:
    start, end = plume.threat_distance(q, u, s, h, loc)
    if end is None:
        xs = np.geomspace(1.0, plume.FAR_FIELD_M, 4000)
        assert float(plume.concentration(q, u, s, h, xs).max()) < loc * 1.01
        return
    assert start is not None
    if end < plume.FAR_FIELD_M:
        assert float(plume.concentration(q, u, s, h, end)) == pytest.approx(loc, rel=1e-3)
        assert float(plume.concentration(q, u, s, h, end * 1.01 + 0.01)) < loc
    if start > 0:
        assert float(plume.concentration(q, u, s, h, start)) == pytest.approx(loc, rel=1e-3)
        assert float(plume.concentration(q, u, s, h, start * 0.99)) < loc


@settings(max_examples=40, deadline=None)
@given(q=rates, u=winds, s=stabs, h=heights, loc=locs, k=st.floats(1.5, 100.0))
def test_zones_nest_and_grow_with_the_release(
    q: float, u: float, s: str, h: float, loc: float, k: float
) -> None:
    _, red = plume.threat_distance(q, u, s, h, loc * k)
    _, yellow = plume.threat_distance(q, u, s, h, loc)
    _, more = plume.threat_distance(q * k, u, s, h, loc)
    if red is not None:
        assert yellow is not None and yellow >= red - 1e-3
    if yellow is not None:
        assert more is not None and more >= yellow - 1e-3


@settings(max_examples=30, deadline=None)
@given(q=rates, u=winds, s=stabs, h=st.floats(0.0, 20.0), loc=st.floats(1e-5, 0.1))
def test_zone_outline_lies_on_the_loc(q: float, u: float, s: str, h: float, loc: float) -> None:
    ring = plume.zone_outline(q, u, s, h, loc)
    if not ring:
        return
    assert ring[0] == ring[-1]
    inner = [(x, y) for x, y in ring if abs(y) > 1.0 and x < plume.FAR_FIELD_M * 0.999]
    for x, y in inner:
        assert float(plume.concentration(q, u, s, h, x, y)) == pytest.approx(loc, rel=1e-6)


def test_receptors_follow_the_wind() -> None:
    lon0, lat0 = 118.8, 32.05
    k = math.pi / 180 * 6_371_008.8
    east_1km = lon0 + 1000.0 / (k * math.cos(math.radians(lat0)))
    north_1km = lat0 + 1000.0 / k
    lon = np.array([east_1km, lon0, lon0 - (east_1km - lon0)])
    lat = np.array([lat0, north_1km, lat0])
    # a west wind (from 270°) carries the plume east; the receptor 1 km east is on the axis
    c = plume.at_receptors(1000.0, 2.0, "D", 0.0, lon, lat, (lon0, lat0), 270.0)
    assert c[0] == pytest.approx(0.0549851281, rel=1e-6)
    assert c[1] < 1e-12 and c[2] == 0.0
    # a south wind (from 180°) carries it north
    c = plume.at_receptors(1000.0, 2.0, "D", 0.0, lon, lat, (lon0, lat0), 180.0)
    assert c[1] == pytest.approx(0.0549851281, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    e=st.lists(st.floats(-9000, 9000), min_size=1, max_size=20),
    n=st.floats(-9000, 9000),
    wind=st.floats(0, 360),
    s=stabs,
)
def test_vectorised_receptors_equal_one_by_one(e: list[float], n: float, wind: float, s: str) -> None:
    lon, lat = plume.local_to_lonlat(np.array(e), np.full(len(e), n), 110.0, 30.0)
    many = plume.at_receptors(50.0, 3.0, s, 5.0, lon, lat, (110.0, 30.0), wind)
    for i in range(len(e)):
        one = plume.at_receptors(50.0, 3.0, s, 5.0, lon[i : i + 1], lat[i : i + 1], (110.0, 30.0), wind)
        assert float(one[0]) == pytest.approx(float(many[i]), rel=1e-12, abs=1e-300)
    back_e, back_n = plume.lonlat_to_local(lon, lat, 110.0, 30.0)
    assert np.allclose(back_e, e, atol=1e-6) and np.allclose(back_n, n, atol=1e-6)


def test_zones_in_lonlat_point_downwind() -> None:
    zones = plume.threat_zones(
        1000.0, 2.0, "D", 0.0, {"red": 0.058, "orange": 0.0058, "yellow": 0.0015}, (118.8, 32.05), 270.0
    )
    assert [z.level for z in zones] == ["red", "orange", "yellow"]
    red = zones[0]
    assert red.x_end_m is not None and red.ring_lonlat
    # a west wind: the zone lies east of the source, about symmetric north and south
    lons = [p[0] for p in red.ring_lonlat]
    lats = [p[1] for p in red.ring_lonlat]
    assert min(lons) >= 118.8 - 1e-9 and max(lons) > 118.8
    assert max(lats) - 32.05 == pytest.approx(32.05 - min(lats), rel=1e-6)
    assert zones[2].reaches_limit  # yellow goes past 10 km
    d = red.to_dict()
    assert d["loc_mg_m3"] == pytest.approx(58.0) and d["distance_m"] == red.x_end_m


def test_cli_plume_json_contract() -> None:
    res = runner.invoke(
        cli_app,
        ["risk", "plume", "--rate", "1000", "--wind", "2", "--stability", "D", "--height", "0", "--x", "1000",
         "--format", "json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["c_g_m3"] == pytest.approx(0.0549851281, rel=1e-8)
    assert d["c_mg_m3"] == pytest.approx(54.9851281, rel=1e-8)
    assert (d["sigma_y_m"], d["sigma_z_m"]) == pytest.approx((76.277007, 37.947332), rel=1e-6)
    assert d["stability"] == "D" and d["x_m"] == 1000.0
    assert "neutral_density_only" in d["warnings"]


def _plume(*args: str) -> Result:
    return runner.invoke(cli_app, ["risk", "plume", *args])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_plume_text_and_errors_in_the_language(lang: str) -> None:
    res = _plume("--rate", "5", "--wind", "3", "--stability", "f", "--x", "60", "--lang", lang)
    assert res.exit_code == 0, res.output
    assert foreign(res.stdout, lang) == []
    assert ("100米" if lang == "zh" else "100 m") in res.stdout  # the near-field warning
    bad = _plume("--rate", "5", "--wind", "3", "--stability", "G", "--x", "60", "--lang", lang)
    assert bad.exit_code == 1
    assert "--stability" in bad.output and "'G'" in bad.output
    neg = _plume("--rate", "-5", "--wind", "3", "--stability", "D", "--x", "60", "--lang", lang)
    assert neg.exit_code == 1 and "--rate" in neg.output

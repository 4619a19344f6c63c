"""HJ 192-2015 sub-indices from the inputs a user has: land-use areas, NDVI, water, erosion
and pollutant loads. Each is ``A_norm × raw``, with ``A_norm = 100 / A_max`` (the
normalisation coefficient: 100 over the largest raw value of the reference year).

What is confirmed: the structure (the five sub-indices, the weights inside land stress
and pollution load, water network density as the mean of three terms, biological
abundance as the mean of the biodiversity and habitat-quality indices). What is NOT
confirmed (the standard's Appendix B and the published coefficients were not found in a
primary text; the values below are those of a third-party implementation of the
standard, quoted as such): every normalisation coefficient in :data:`NORMALISATION`,
the second-level habitat weights in :data:`HABITAT`, and the cap of a sub-index at 100.
The vegetation coefficient was not found at all: the user gives it. Each result says
which coefficients it used and whether they are confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "FIRST_LEVEL",
    "HABITAT",
    "NORMALISATION",
    "Coefficient",
    "Computed",
    "abundance",
    "abundance_first_level",
    "land_stress",
    "pollution_load",
    "vegetation_cover",
    "water_network",
]

#: Where the unconfirmed coefficients come from (a third-party implementation).
SECONDARY = "third-party implementation of HJ 192-2015 (IndexCalculatTools.py), not the standard's text"


@dataclass(frozen=True)
class Coefficient:
    """One normalisation coefficient ``A_norm`` and whether it is confirmed."""

    name: str
    value: float
    confirmed: bool = False
    source: str = SECONDARY


#: The normalisation coefficients A_norm (UNCONFIRMED: see the module docstring).
NORMALISATION: Mapping[str, Coefficient] = {
    c.name: c
    for c in (
        Coefficient("bio", 511.2642131067),
        Coefficient("river", 84.3704083981),
        Coefficient("lake", 591.7908642005),
        Coefficient("resource", 86.3869548281),
        Coefficient("erosion", 236.04356779),
        Coefficient("cod", 4.3937397289),
        Coefficient("nh3n", 40.1764754986),
        Coefficient("so2", 0.0648660287),
        Coefficient("dust", 4.0904459321),
        Coefficient("nox", 0.5103049278),
        Coefficient("solid", 0.0749894283),
    )
}

#: Habitat weights: first-level class weight × second-level weight (UNCONFIRMED second
#: level; the first-level weights 0.35/0.21/0.28/0.11/0.04/0.01 are those the spec
#: records). Keys are the land-use classes an input gives (km²).
HABITAT: Mapping[str, tuple[str, float, float]] = {
    # key: (first-level class, first-level weight, second-level weight)
    "forest": ("林地", 0.35, 0.60),
    "shrub": ("林地", 0.35, 0.25),
    "sparse_forest": ("林地", 0.35, 0.15),
    "other_forest": ("林地", 0.35, 0.15),
    "grass_high": ("草地", 0.21, 0.60),
    "grass_mid": ("草地", 0.21, 0.30),
    "grass_low": ("草地", 0.21, 0.10),
    "river": ("水域湿地", 0.28, 0.10),
    "lake": ("水域湿地", 0.28, 0.30),
    "reservoir": ("水域湿地", 0.28, 0.30),
    "tidal_flat": ("水域湿地", 0.28, 0.50),
    "beach": ("水域湿地", 0.28, 0.50),
    "paddy": ("耕地", 0.11, 0.60),
    "dry_land": ("耕地", 0.11, 0.40),
    "urban": ("建设用地", 0.04, 0.30),
    "rural_settlement": ("建设用地", 0.04, 0.40),
    "other_built": ("建设用地", 0.04, 0.30),
    "sand": ("未利用地", 0.01, 0.20),
    "saline": ("未利用地", 0.01, 0.30),
    "bare_soil": ("未利用地", 0.01, 0.20),
    "bare_rock": ("未利用地", 0.01, 0.20),
    "other_unused": ("未利用地", 0.01, 0.10),
}


#: First-level habitat weights (the spec's record of HJ 192-2015), keyed as
#: :func:`ecoplan.ecology.spatial.raster.hj192_areas` names the classes of a land-cover
#: raster.
FIRST_LEVEL: Mapping[str, float] = {
    "forest": 0.35,
    "grass": 0.21,
    "water_wetland": 0.28,
    "cropland": 0.11,
    "built_up": 0.04,
    "unused": 0.01,
}


@dataclass(frozen=True)
class Computed:
    """One sub-index (0–100) with the coefficients it used."""

    value: float
    raw: float
    coefficients: dict[str, float] = field(default_factory=dict)
    confirmed: bool = False
    capped: bool = False


def _coef(name: str, given: Mapping[str, float] | None) -> tuple[float, bool]:
    if given and name in given:
        return float(given[name]), True
    c = NORMALISATION[name]
    return c.value, c.confirmed


def _positive(name: str, v: float) -> float:
    if v != v or v < 0:
        raise ValueError(f"{name}: {v!r} must be a non-negative number")
    return float(v)


def _done(raw: float, used: dict[str, float], confirmed: bool) -> Computed:
    capped = raw > 100
    return Computed(min(raw, 100.0), raw, used, confirmed, capped)


def _area(area_km2: float) -> float:
    a = _positive("area_km2", area_km2)
    if a == 0:
        raise ValueError("area_km2: the area must be positive")
    return a


def abundance(
    area_km2: float,
    land_use: Mapping[str, float],
    biodiversity: float | None = None,
    coefficients: Mapping[str, float] | None = None,
) -> Computed:
    """生物丰度指数: the habitat quality index ``A_bio × Σ(weight × area)/area``, averaged
    with the biodiversity index when one is given (otherwise the habitat quality alone)."""
    a = _area(area_km2)
    unknown = sorted(set(land_use) - set(HABITAT))
    if unknown:
        raise ValueError(f"land_use: unknown classes {', '.join(unknown)}; known: {', '.join(HABITAT)}")
    k, ok = _coef("bio", coefficients)
    s = sum(HABITAT[c][1] * HABITAT[c][2] * _positive(c, v) for c, v in land_use.items())
    hq = k * s / a
    if biodiversity is not None:
        hq = (_positive("biodiversity", biodiversity) + min(hq, 100.0)) / 2
    return _done(hq, {"bio": k}, ok)


def abundance_first_level(
    area_km2: float,
    class_areas: Mapping[str, float],
    biodiversity: float | None = None,
    coefficients: Mapping[str, float] | None = None,
) -> Computed:
    """生物丰度指数 from first-level class areas only (e.g. a land-cover raster's classes
    regrouped by ``spatial.raster.hj192_areas``): ``A_bio·Σ(w₁·area)/area``. The
    second-level split is unknown, so each class counts with its first-level weight alone
    — an approximation, never confirmed (``confirmed`` is False whatever the coefficient)."""
    a = _area(area_km2)
    unknown = sorted(set(class_areas) - set(FIRST_LEVEL))
    if unknown:
        raise ValueError(
            f"class_areas: unknown classes {', '.join(unknown)}; known: {', '.join(FIRST_LEVEL)}"
        )
    k, _ok = _coef("bio", coefficients)
    hq = k * sum(FIRST_LEVEL[c] * _positive(c, v) for c, v in class_areas.items()) / a
    if biodiversity is not None:
        hq = (_positive("biodiversity", biodiversity) + min(hq, 100.0)) / 2
    return _done(hq, {"bio": k}, False)


def vegetation_cover(ndvi_mean: float, a_veg: float) -> Computed:
    """植被覆盖指数 = ``A_veg × NDVI mean``; ``a_veg`` (100 / the reference year's largest
    NDVI mean, in the NDVI's own scale) is the user's: no published value was found."""
    v = _positive("ndvi_mean", ndvi_mean)
    return _done(_positive("a_veg", a_veg) * v, {"veg": a_veg}, True)


def water_network(
    area_km2: float,
    river_km: float,
    water_area_km2: float,
    water_resources: float,
    coefficients: Mapping[str, float] | None = None,
) -> Computed:
    """水网密度指数 = (A_riv·river length + A_lak·water area + A_res·water resources) /
    (3 × area)."""
    a = _area(area_km2)
    kr, o1 = _coef("river", coefficients)
    kl, o2 = _coef("lake", coefficients)
    kw, o3 = _coef("resource", coefficients)
    raw = (
        kr * _positive("river_km", river_km)
        + kl * _positive("water_area_km2", water_area_km2)
        + kw * _positive("water_resources", water_resources)
    ) / (3 * a)
    return _done(raw, {"river": kr, "lake": kl, "resource": kw}, o1 and o2 and o3)


def land_stress(
    area_km2: float,
    severe_erosion_km2: float,
    moderate_erosion_km2: float,
    built_km2: float,
    other_stress_km2: float,
    coefficients: Mapping[str, float] | None = None,
) -> Computed:
    """土地胁迫指数 = A_ero × (0.4 severe erosion + 0.2 moderate erosion + 0.2 built-up
    + 0.2 other stress) / area."""
    a = _area(area_km2)
    k, ok = _coef("erosion", coefficients)
    s = (
        0.4 * _positive("severe_erosion_km2", severe_erosion_km2)
        + 0.2 * _positive("moderate_erosion_km2", moderate_erosion_km2)
        + 0.2 * _positive("built_km2", built_km2)
        + 0.2 * _positive("other_stress_km2", other_stress_km2)
    )
    return _done(k * s / a, {"erosion": k}, ok)


#: Pollution-load weights and the denominator of each load (precipitation or area).
POLLUTANTS: Mapping[str, tuple[float, str]] = {
    "cod": (0.20, "precipitation"),
    "nh3n": (0.20, "precipitation"),
    "so2": (0.20, "area"),
    "dust": (0.10, "area"),
    "nox": (0.20, "area"),
    "solid": (0.10, "area"),
}


def pollution_load(
    area_km2: float,
    precipitation_mm: float,
    loads_t: Mapping[str, float],
    coefficients: Mapping[str, float] | None = None,
) -> Computed:
    """污染负荷指数: COD and NH3-N over the year's precipitation volume (mm × km²), SO2,
    smoke and dust, NOx and discarded solid waste over the area, each weighted and
    normalised (missing loads count 0)."""
    a = _area(area_km2)
    unknown = sorted(set(loads_t) - set(POLLUTANTS))
    if unknown:
        raise ValueError(f"loads: unknown pollutants {', '.join(unknown)}; known: {', '.join(POLLUTANTS)}")
    rain = _positive("precipitation_mm", precipitation_mm) * a
    raw, used, ok = 0.0, {}, True
    for p, (w, per) in POLLUTANTS.items():
        load = _positive(p, loads_t.get(p, 0.0))
        k, c = _coef(p, coefficients)
        used[p] = k
        ok = ok and c
        if load:
            if per == "precipitation" and rain == 0:
                raise ValueError("precipitation_mm: must be positive when COD or NH3-N loads are given")
            raw += w * k * load / (rain if per == "precipitation" else a)
    return _done(raw, used, ok)

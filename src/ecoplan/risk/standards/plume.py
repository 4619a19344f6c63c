"""Screening Gaussian plume: a continuous, ground-reflected point source with Briggs σ.

What it computes (all SI: g/s, m/s, m, g/m³):

- The continuous point-source plume with reflection at the ground (Turner, *Workbook of
  Atmospheric Dispersion Estimates*; Boubel, Fox, Turner, Stern, *Fundamentals of Air
  Pollution* 3rd ed., ch. 19, Eq. 19-2)::

      C(x,y,z) = Q / (2π u σy σz) · exp(−y²/2σy²)
                 · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]

  On the ground (z = 0) the bracket is ``2·exp(−H²/2σz²)``.
- σy, σz from Briggs (1973) for open country (rural), by Pasquill–Gifford class A–F, x in
  metres (*Fundamentals of Air Pollution* 3rd ed., Table 19-7, "Rural dispersion
  parameters by Briggs (for distances between 100 and 10000 m)", after Gifford; the same
  set in AIChE/CCPS *Guidelines for Consequence Analysis of Chemical Releases*, 1999):

  ====  =========================  ==========================
  class σy                         σz
  ====  =========================  ==========================
  A     0.22x(1+0.0001x)^−½        0.20x
  B     0.16x(1+0.0001x)^−½        0.12x
  C     0.11x(1+0.0001x)^−½        0.08x(1+0.0002x)^−½
  D     0.08x(1+0.0001x)^−½        0.06x(1+0.0015x)^−½
  E     0.06x(1+0.0001x)^−½        0.03x(1+0.0003x)^−1
  F     0.04x(1+0.0001x)^−½        0.016x(1+0.0003x)^−1
  ====  =========================  ==========================

- Threat zones as ALOHA draws them (NOAA, "Choosing Toxic Levels of Concern"): up to
  three levels of concern (LOC), red ≥ orange ≥ yellow; the threat distance of a LOC is
  the largest downwind x where the ground-level centreline concentration C(x,0,0) is at
  least the LOC, and its zone the ground footprint where C(x,y,0) ≥ LOC.

Limits (said in every result as :data:`WARNINGS`): a neutral-density screening model — not
for dense (heavier-than-air) gases, flashing two-phase releases, fires or explosions; no
plume rise, building downwash, terrain or mixing-height lid; steady wind, a continuous
release (the plume's travel time shorter than the release); the Briggs curves are fitted
for 100 m – 10 km (results nearer than 100 m are extrapolations and flagged). The
concentrations are averages of the curves' sampling time (about 10 min), not peaks.

Pure: numpy only, no I/O.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "BRIGGS_RURAL",
    "EARTH_RADIUS_M",
    "FAR_FIELD_M",
    "LEVELS",
    "MIN_X_M",
    "NEAR_FIELD_M",
    "STABILITIES",
    "WARNINGS",
    "CentrePoint",
    "Zone",
    "at_receptors",
    "centreline",
    "concentration",
    "gaussian",
    "local_to_lonlat",
    "local_to_plume",
    "lonlat_to_local",
    "plume_to_local",
    "point_in_polygon",
    "sigma_y",
    "sigma_z",
    "threat_distance",
    "threat_zones",
    "zone_outline",
]

Array = npt.NDArray[np.float64]

#: The Pasquill–Gifford stability classes, most to least unstable.
STABILITIES: Final = ("A", "B", "C", "D", "E", "F")
#: Briggs (1973) open-country coefficients: σy = a·x·(1+b·x)^−½; σz = c·x·(1+d·x)^e.
BRIGGS_RURAL: Final[Mapping[str, tuple[float, float, float, float, float]]] = {
    "A": (0.22, 0.0001, 0.20, 0.0, 0.0),
    "B": (0.16, 0.0001, 0.12, 0.0, 0.0),
    "C": (0.11, 0.0001, 0.08, 0.0002, -0.5),
    "D": (0.08, 0.0001, 0.06, 0.0015, -0.5),
    "E": (0.06, 0.0001, 0.03, 0.0003, -1.0),
    "F": (0.04, 0.0001, 0.016, 0.0003, -1.0),
}
#: The range the Briggs curves were fitted for (m): nearer or farther is extrapolation.
NEAR_FIELD_M: Final = 100.0
FAR_FIELD_M: Final = 10_000.0
#: Nearer than this (m) the plume is evaluated at this distance (σ → 0 at the source).
MIN_X_M: Final = 1.0
#: ALOHA's threat-zone colours, most to least severe (LOC-3 … LOC-1).
LEVELS: Final = ("red", "orange", "yellow")
#: Codes of the model's limits, shown with every result (words ``risk.plume.warning.<code>``).
WARNINGS: Final = ("neutral_density_only", "screening_only", "steady_continuous")


def _stab(stability: str) -> tuple[float, float, float, float, float]:
    s = stability.strip().upper()
    if s not in BRIGGS_RURAL:
        raise ValueError(f"stability {stability!r}: one of {', '.join(STABILITIES)}")
    return BRIGGS_RURAL[s]


def sigma_y(x: npt.ArrayLike, stability: str) -> Array:
    """Briggs open-country σy (m) at downwind distance ``x`` (m, > 0)."""
    a, b, *_ = _stab(stability)
    xa = np.asarray(x, dtype=np.float64)
    return np.asarray(a * xa / np.sqrt(1.0 + b * xa), dtype=np.float64)


def sigma_z(x: npt.ArrayLike, stability: str) -> Array:
    """Briggs open-country σz (m) at downwind distance ``x`` (m, > 0)."""
    _, _, c, d, e = _stab(stability)
    xa = np.asarray(x, dtype=np.float64)
    return np.asarray(c * xa * (1.0 + d * xa) ** e, dtype=np.float64)


def gaussian(
    q: float, u: float, sy: npt.ArrayLike, sz: npt.ArrayLike, y: npt.ArrayLike, z: npt.ArrayLike, h: float
) -> Array:
    """The ground-reflected Gaussian plume for given σ (g/m³): ``q`` g/s, ``u`` m/s, σ, y,
    z and the release height ``h`` in m. Kept apart from the σ curves so it can be checked
    against worked examples that read σ off the Pasquill–Gifford charts."""
    sy_, sz_ = np.asarray(sy, dtype=np.float64), np.asarray(sz, dtype=np.float64)
    y_, z_ = np.asarray(y, dtype=np.float64), np.asarray(z, dtype=np.float64)
    lateral = np.exp(-(y_**2) / (2.0 * sy_**2))
    vertical = np.exp(-((z_ - h) ** 2) / (2.0 * sz_**2)) + np.exp(-((z_ + h) ** 2) / (2.0 * sz_**2))
    return np.asarray(q / (2.0 * math.pi * u * sy_ * sz_) * lateral * vertical, dtype=np.float64)


def _check(q: float, u: float, h: float) -> None:
    if not (math.isfinite(q) and q > 0):
        raise ValueError(f"release rate {q!r} g/s: a positive number")
    if not (math.isfinite(u) and u > 0):
        raise ValueError(f"wind speed {u!r} m/s: a positive number")
    if not (math.isfinite(h) and h >= 0):
        raise ValueError(f"release height {h!r} m: zero or more")


def concentration(
    q: float,
    u: float,
    stability: str,
    h: float,
    x: npt.ArrayLike,
    y: npt.ArrayLike = 0.0,
    z: npt.ArrayLike = 0.0,
) -> Array:
    """C(x, y, z) in g/m³ for arrays of receptors in plume coordinates (x downwind, y
    crosswind, z height, m); 0 at and upwind of the source (x ≤ 0), and held at its value at
    :data:`MIN_X_M` nearer than that (the point-source formula is singular at the source).
    Vectorised: one numpy pass over any number of receptors."""
    _check(q, u, h)
    xa = np.asarray(x, dtype=np.float64)
    ahead = xa > 0
    xs = np.where(ahead, np.maximum(xa, MIN_X_M), MIN_X_M)
    c = gaussian(q, u, sigma_y(xs, stability), sigma_z(xs, stability), y, z, h)
    return np.asarray(np.where(ahead, c, 0.0), dtype=np.float64)


@dataclass(frozen=True)
class CentrePoint:
    """The plume on its ground-level centreline at ``x``: σ used and C (g/m³, mg/m³)."""

    x_m: float
    sigma_y_m: float
    sigma_z_m: float
    c_g_m3: float
    near_field: bool
    far_field: bool

    @property
    def c_mg_m3(self) -> float:
        return self.c_g_m3 * 1000.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "x_m": self.x_m,
            "sigma_y_m": self.sigma_y_m,
            "sigma_z_m": self.sigma_z_m,
            "c_g_m3": self.c_g_m3,
            "c_mg_m3": self.c_mg_m3,
            "near_field": self.near_field,
            "far_field": self.far_field,
        }


def centreline(q: float, u: float, stability: str, h: float, x: float, z: float = 0.0) -> CentrePoint:
    """The concentration at ``x`` m downwind on the plume's centreline (y = 0, height ``z``),
    with the σ values used and whether ``x`` lies outside the curves' 100 m – 10 km."""
    if not (math.isfinite(x) and x > 0):
        raise ValueError(f"downwind distance {x!r} m: a positive number")
    c = float(concentration(q, u, stability, h, x, 0.0, z))
    xs = max(x, MIN_X_M)
    return CentrePoint(
        x_m=float(x),
        sigma_y_m=float(sigma_y(xs, stability)),
        sigma_z_m=float(sigma_z(xs, stability)),
        c_g_m3=c,
        near_field=x < NEAR_FIELD_M,
        far_field=x > FAR_FIELD_M,
    )


#: The grid the threat distance is first looked for on: log-spaced, 1 m to ``x_max``.
_GRID_POINTS = 800


def _ground_c(q: float, u: float, stability: str, h: float, x: Array) -> Array:
    return concentration(q, u, stability, h, x, 0.0, 0.0)


def threat_distance(
    q: float, u: float, stability: str, h: float, loc_g_m3: float, x_max: float = FAR_FIELD_M
) -> tuple[float | None, float | None]:
    """``(x_start, x_end)`` m: the first and the largest downwind x (≤ ``x_max``) where the
    ground-level centreline concentration reaches ``loc_g_m3``; ``(None, None)`` when it
    never does. ``x_end`` equal to ``x_max`` means the zone reaches at least that far.
    Found on a log grid from 1 m, then each edge by bisection (to a relative 1e-9)."""
    _check(q, u, h)
    if not (math.isfinite(loc_g_m3) and loc_g_m3 > 0):
        raise ValueError(f"level of concern {loc_g_m3!r} g/m³: a positive number")
    xs = np.geomspace(1.0, x_max, _GRID_POINTS)
    over = _ground_c(q, u, stability, h, xs) >= loc_g_m3
    if not over.any():
        return None, None
    idx = np.flatnonzero(over)
    first, last = int(idx[0]), int(idx[-1])

    def edge(lo: float, hi: float, rising: bool) -> float:
        # bisection on C(x) − LOC, ``rising``: below at lo, above at hi
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            above = float(_ground_c(q, u, stability, h, np.array([mid]))[0]) >= loc_g_m3
            if above == rising:
                hi = mid
            else:
                lo = mid
            if hi - lo <= 1e-9 * hi:
                break
        return hi if rising else lo

    start = 0.0 if first == 0 else edge(float(xs[first - 1]), float(xs[first]), rising=True)
    end = float(x_max) if last == len(xs) - 1 else edge(float(xs[last]), float(xs[last + 1]), rising=False)
    return start, end


def zone_outline(
    q: float, u: float, stability: str, h: float, loc_g_m3: float, x_max: float = FAR_FIELD_M, n: int = 60
) -> list[tuple[float, float]]:
    """The footprint where C(x,y,0) ≥ LOC as a closed ring of ``(x, y)`` metres (x
    downwind, y crosswind, left positive); empty when the LOC is never reached. The half
    width at x is ``σy·√(2·ln(C(x,0,0)/LOC))``; points are denser near the ends."""
    start, end = threat_distance(q, u, stability, h, loc_g_m3, x_max)
    if start is None or end is None or end <= 0:
        return []
    lo = max(start, 1e-3)
    t = (1 - np.cos(np.linspace(0.0, math.pi, n))) / 2  # cosine spacing: dense at both ends
    xs = lo + (end - lo) * t
    c0 = _ground_c(q, u, stability, h, xs)
    ratio = np.maximum(c0 / loc_g_m3, 1.0)
    half = sigma_y(np.maximum(xs, MIN_X_M), stability) * np.sqrt(2.0 * np.log(ratio))
    if start == 0.0:
        xs = np.concatenate([[0.0], xs])
        half = np.concatenate([[0.0], half])
    upper = [(float(a), float(b)) for a, b in zip(xs, half, strict=True)]
    lower = [(float(a), -float(b)) for a, b in zip(xs[::-1], half[::-1], strict=True)]
    ring = upper + lower[1:]
    return [*ring, ring[0]]


# -- geometry: local metres <-> lon/lat ---------------------------------------------------

#: Mean Earth radius (m), IUGG.
EARTH_RADIUS_M: Final = 6_371_008.8


def lonlat_to_local(lon: npt.ArrayLike, lat: npt.ArrayLike, lon0: float, lat0: float) -> tuple[Array, Array]:
    """East and north metres from ``(lon0, lat0)`` (equirectangular: good to about 0.1 %
    within the 10 km the plume is drawn for)."""
    k = math.pi / 180.0 * EARTH_RADIUS_M
    east = (np.asarray(lon, dtype=np.float64) - lon0) * k * math.cos(math.radians(lat0))
    north = (np.asarray(lat, dtype=np.float64) - lat0) * k
    return east, north


def local_to_lonlat(
    east: npt.ArrayLike, north: npt.ArrayLike, lon0: float, lat0: float
) -> tuple[Array, Array]:
    """The inverse of :func:`lonlat_to_local`."""
    k = math.pi / 180.0 * EARTH_RADIUS_M
    lon = lon0 + np.asarray(east, dtype=np.float64) / (k * math.cos(math.radians(lat0)))
    lat = lat0 + np.asarray(north, dtype=np.float64) / k
    return lon, lat


def _axes(wind_from_deg: float) -> tuple[float, float]:
    """The unit vector (east, north) the plume travels along: the wind blows *from*
    ``wind_from_deg`` (meteorological, clockwise from north), so *to* the opposite side."""
    t = math.radians(wind_from_deg)
    return -math.sin(t), -math.cos(t)


def plume_to_local(x: npt.ArrayLike, y: npt.ArrayLike, wind_from_deg: float) -> tuple[Array, Array]:
    """Plume coordinates (x downwind, y crosswind to the left) to east/north metres."""
    dx, dy = _axes(wind_from_deg)
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return xa * dx - ya * dy, xa * dy + ya * dx


def local_to_plume(east: npt.ArrayLike, north: npt.ArrayLike, wind_from_deg: float) -> tuple[Array, Array]:
    """East/north metres to plume coordinates (the inverse rotation)."""
    dx, dy = _axes(wind_from_deg)
    e, n = np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)
    return e * dx + n * dy, -e * dy + n * dx


def at_receptors(
    q: float,
    u: float,
    stability: str,
    h: float,
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    source: tuple[float, float],
    wind_from_deg: float,
    z: npt.ArrayLike = 0.0,
) -> Array:
    """C (g/m³) at receptors given by lon/lat (arrays), the source at ``source`` (lon,
    lat) and the wind blowing from ``wind_from_deg``: one vectorised pass (10⁴ receptors
    well under 100 ms; ``benchmarks/risk_plume.py``)."""
    e, n = lonlat_to_local(lon, lat, source[0], source[1])
    x, y = local_to_plume(e, n, wind_from_deg)
    return concentration(q, u, stability, h, x, y, z)


@dataclass(frozen=True)
class Zone:
    """One threat zone: its colour, LOC, the downwind span and its outline in lon/lat."""

    level: str
    loc_g_m3: float
    x_start_m: float | None
    x_end_m: float | None
    reaches_limit: bool
    ring_lonlat: list[tuple[float, float]] = field(default_factory=list)
    ring_local: list[tuple[float, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "loc_g_m3": self.loc_g_m3,
            "loc_mg_m3": self.loc_g_m3 * 1000.0,
            "x_start_m": self.x_start_m,
            "distance_m": self.x_end_m,
            "reaches_limit": self.reaches_limit,
            "near_field": self.x_end_m is not None and self.x_end_m < NEAR_FIELD_M,
            "polygon": [[round(lon, 7), round(lat, 7)] for lon, lat in self.ring_lonlat],
        }


def threat_zones(
    q: float,
    u: float,
    stability: str,
    h: float,
    locs_g_m3: Mapping[str, float],
    source: tuple[float, float],
    wind_from_deg: float,
    x_max: float = FAR_FIELD_M,
) -> list[Zone]:
    """The zones of up to three LOCs (``{"red": …, "orange": …, "yellow": …}`` in g/m³;
    red the highest), most severe first, each with its outline rotated to the wind and
    placed at ``source`` (lon, lat)."""
    unknown = set(locs_g_m3) - set(LEVELS)
    if unknown:
        raise ValueError(f"levels of concern {sorted(unknown)}: one of {', '.join(LEVELS)}")
    given = [lv for lv in LEVELS if lv in locs_g_m3]
    values = [locs_g_m3[lv] for lv in given]
    if any(a < b for a, b in itertools.pairwise(values)):
        raise ValueError("levels of concern: red ≥ orange ≥ yellow")
    zones = []
    for lv in given:
        loc = locs_g_m3[lv]
        start, end = threat_distance(q, u, stability, h, loc, x_max)
        ring = zone_outline(q, u, stability, h, loc, x_max)
        lonlat: list[tuple[float, float]] = []
        if ring:
            e, n = plume_to_local([p[0] for p in ring], [p[1] for p in ring], wind_from_deg)
            lo, la = local_to_lonlat(e, n, source[0], source[1])
            lonlat = [(float(a), float(b)) for a, b in zip(lo, la, strict=True)]
        zones.append(
            Zone(
                level=lv,
                loc_g_m3=loc,
                x_start_m=start,
                x_end_m=end,
                reaches_limit=end is not None and end >= x_max,
                ring_lonlat=lonlat,
                ring_local=ring,
            )
        )
    return zones


def point_in_polygon(px: Sequence[float], py: Sequence[float], ring: Sequence[tuple[float, float]]) -> Any:
    """Even–odd rule, vectorised over points ``(px, py)`` for one ring (any coordinates)."""
    x = np.asarray(px, dtype=np.float64)
    y = np.asarray(py, dtype=np.float64)
    inside = np.zeros(x.shape, dtype=bool)
    pts = list(ring)
    if len(pts) < 3:
        return inside
    for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (x < xi)
    return inside

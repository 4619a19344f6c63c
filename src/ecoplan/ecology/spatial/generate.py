"""Realistic synthetic reserves and patches with known answers (tests, benchmark, demo).

Real reserve and red-line boundaries are not published as open data and WDPA may not be
redistributed, so ecoplan ships generated ones. Each reserve is three nested zones —
core inside buffer inside experimental — drawn as irregular polygons around a centre on a
grid (lon/lat degrees, inside China by default): every vertex of a zone of nominal radius
R lies between 0.9 R and R from the centre, so the zone contains the disc of radius
0.9 R cos(π/n) and lies within the disc of radius R; the radii keep the rings apart.

Patches are small squares placed where the answer is known by construction:

``core``        inside the core zone (decision core, priority 1, one part = the patch);
``core_buffer`` centred on a vertex of the core outline: straddles core and buffer;
``buffer``      inside the buffer ring only (priority 2);
``experimental`` inside the experimental ring only (priority 3);
``edge``        centred on a vertex of the experimental outline: part inside, part out;
``outside``     between reserves, in none.

:func:`expected` gives each patch's answer: reserve, decisive zone, zones touched and
whether the whole patch is inside.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.model import CLASSES

__all__ = ["KINDS_OF_PATCH", "Answer", "Synthetic", "generate"]

KINDS_OF_PATCH: Final = ("core", "core_buffer", "buffer", "experimental", "edge", "outside")
#: Nominal radii of the zones, as shares of half the grid spacing.
_R = (0.25, 0.55, 0.85)
_SOURCES: Final = ("sat-a", "sat-b", "sat-c")


@dataclass(frozen=True)
class Answer:
    """What the overlay must find for one generated patch."""

    patch_id: str
    placed: str
    reserve_id: str | None
    zone: str | None
    priority: int | None
    zones: tuple[str, ...]
    whole: bool


@dataclass
class Synthetic:
    """Zone features (one row per zone, nested), patches and their answers."""

    zones: gpd.GeoDataFrame
    patches: gpd.GeoDataFrame
    answers: dict[str, Answer]


def _ring(rng: np.random.Generator, cx: float, cy: float, r: float, n: int) -> np.ndarray:
    ang = np.linspace(0.0, 2 * math.pi, n, endpoint=False) + rng.uniform(0, 2 * math.pi / n)
    rad = r * rng.uniform(0.9, 1.0, n)
    return np.column_stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)])


def _square(x: float, y: float, h: float) -> shapely.Polygon:
    return shapely.box(x - h, y - h, x + h, y + h)


def generate(
    n_reserves: int,
    patches_per_reserve: int = 6,
    *,
    seed: int = 0,
    origin: tuple[float, float] = (100.0, 30.0),
    spacing: float = 0.2,
    vertices: int = 48,
    columns: int = 100,
    start: dt.date = dt.date(2024, 1, 1),
    days: int = 365,
    region: str = "510000",
) -> Synthetic:
    """``n_reserves`` reserves on a grid (``columns`` wide, ``spacing``° apart) from
    ``origin`` and ``patches_per_reserve`` patches each, kinds in turn (see the module)."""
    rng = np.random.default_rng(seed)
    half = spacing / 2
    radii = [f * half for f in _R]
    s = 0.01 * half  # patch half-size
    zone_rows: list[dict[str, object]] = []
    zone_geoms: list[shapely.Geometry] = []
    patch_geoms: list[shapely.Geometry] = []
    answers: dict[str, Answer] = {}
    zone_names = ("core", "buffer", "experimental")
    k = 0
    for r_i in range(n_reserves):
        cx = origin[0] + (r_i % columns) * spacing + half
        cy = origin[1] + (r_i // columns) * spacing + half
        rid = f"R{r_i:05d}"
        rings = [_ring(rng, cx, cy, radius, vertices) for radius in radii]
        for zname, ring in zip(zone_names, rings, strict=True):
            zone_rows.append(
                {
                    "feature_id": f"{rid}-{zname}",
                    "name": f"保护区{r_i}",
                    "reserve_id": rid,
                    "zone": zname,
                    "region": region,
                }
            )
            zone_geoms.append(shapely.Polygon(ring))
        inner = [0.9 * radius * math.cos(math.pi / vertices) for radius in radii]
        for j in range(patches_per_reserve):
            placed = KINDS_OF_PATCH[j % len(KINDS_OF_PATCH)]
            a = rng.uniform(0, 2 * math.pi)
            if placed == "core":
                d = rng.uniform(0, inner[0] - 2 * s)
            elif placed == "buffer":
                d = rng.uniform(radii[0] + 2 * s, inner[1] - 2 * s)
            elif placed == "experimental":
                d = rng.uniform(radii[1] + 2 * s, inner[2] - 2 * s)
            elif placed == "outside":
                a = math.pi / 4
                d = half * math.sqrt(2) * rng.uniform(0.7, 0.95)
            if placed in ("core_buffer", "edge"):
                ring = rings[0] if placed == "core_buffer" else rings[2]
                x, y = ring[rng.integers(len(ring))]
            else:
                x, y = cx + d * math.cos(a), cy + d * math.sin(a)
            pid = f"P{k:07d}"
            k += 1
            patch_geoms.append(_square(x, y, s))
            answers[pid] = _answer(pid, placed, rid)
    zones = gpd.GeoDataFrame(zone_rows, geometry=zone_geoms, crs="EPSG:4326")
    m = len(patch_geoms)
    patches = gpd.GeoDataFrame(
        {
            "patch_id": list(answers),
            "detected_on": [start + dt.timedelta(days=int(x)) for x in rng.integers(0, days, m)],
            "source": rng.choice(_SOURCES, m),
            "class": rng.choice(CLASSES, m),
            "confidence": rng.choice(["low", "high"], m),
        },
        geometry=patch_geoms,
        crs="EPSG:4326",
    )
    patches["detected_on"] = pd.to_datetime(patches["detected_on"]).dt.date
    return Synthetic(zones, patches, answers)


def _answer(pid: str, placed: str, rid: str) -> Answer:
    table: dict[str, tuple[str | None, int | None, tuple[str, ...], bool]] = {
        "core": ("core", 1, ("core",), True),
        "core_buffer": ("core", 1, ("buffer", "core"), True),
        "buffer": ("buffer", 2, ("buffer",), True),
        "experimental": ("experimental", 3, ("experimental",), True),
        "edge": ("experimental", 3, ("experimental",), False),
        "outside": (None, None, (), False),
    }
    zone, prio, zones, whole = table[placed]
    return Answer(pid, placed, None if zone is None else rid, zone, prio, zones, whole)

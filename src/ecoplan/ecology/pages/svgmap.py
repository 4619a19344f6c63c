"""Plain SVG maps of layers and patches, drawn server-side from projected coordinates.

Geometries (lon/lat) are projected on the Albers equal-area projection for China (the
one areas are computed on, so shapes keep their proportions) and scaled into a
``width``-pixel view box, north up. Administrative outlines (the regions the layers lie
in) are drawn first in grey, so that the layers are seen where they are. Zones are
filled by zone, red lines outlined in red, function zones in blue; a patch is filled by
its human-activity class, outlined by its case state, and marked with a dot so that a
patch of a few hectares stays visible on a map of a whole reserve or province. Colours are the legend's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.crs import to_albers

__all__ = ["BASE_STROKE", "CLASS_COLOURS", "STATE_COLOURS", "ZONE_COLOURS", "Shape", "frame"]

ZONE_COLOURS = {
    "core": "#1b5e20",
    "core_protection": "#1b5e20",
    "buffer": "#66bb6a",
    "general_control": "#66bb6a",
    "experimental": "#c8e6c9",
    "none": "#a5d6a7",
}
#: The outline of an administrative region drawn under the layers.
BASE_STROKE = "#90a4ae"
KIND_STROKES = {"redline": "#d32f2f", "protected_area": "#2e7d32", "function_zone": "#1565c0"}
CLASS_COLOURS = {
    "mining": "#6d4c41",
    "industry": "#7b1fa2",
    "energy": "#f9a825",
    "tourism": "#00838f",
    "transport": "#455a64",
    "farming": "#ef6c00",
    "other": "#9e9e9e",
}
STATE_COLOURS = {
    "detected": "#e53935",
    "assigned": "#fb8c00",
    "legal": "#43a047",
    "illegal": "#8e24aa",
    "false_alarm": "#9e9e9e",
    "rectifying": "#1e88e5",
    "closed": "#212121",
}


@dataclass(frozen=True)
class Shape:
    """One drawable: an SVG path, its fill and stroke, a marker point, a tooltip."""

    d: str
    fill: str
    stroke: str
    title: str
    cx: float | None = None
    cy: float | None = None
    dash: bool = False
    opacity: float = 1.0
    base: bool = False


def _rings(geom: Any) -> Iterable[Any]:
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        yield poly.exterior
        yield from poly.interiors


def frame(
    layers: Sequence[tuple[Any, dict[str, Any]]],
    patches: Sequence[tuple[Any, dict[str, Any]]],
    *,
    base: Sequence[tuple[Any, str]] = (),
    width: float = 900.0,
    pad: float = 10.0,
) -> tuple[float, float, list[Shape]]:
    """``(width, height, shapes)`` of the view: ``base`` outlines first (administrative
    regions, with their names: where the layers lie), then layer features (each with
    ``kind``, ``zone``, ``title``), then patches (``cls``, ``state``, ``title``)."""
    geoms = [g for g, _ in layers] + [g for g, _ in patches]
    if not geoms:
        return width, width / 2, []
    nb = len(base)
    proj_all = to_albers(np.asarray([g for g, _ in base] + geoms, dtype=object))
    proj = proj_all[nb:]
    minx, miny, maxx, maxy = shapely.total_bounds(proj_all)
    span = max(maxx - minx, maxy - miny, 1.0)
    k = (width - 2 * pad) / max(maxx - minx, span * 0.2)
    height = (maxy - miny) * k + 2 * pad

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x - minx) * k + pad, (maxy - y) * k + pad

    def path(g: Any) -> str:
        parts = []
        for ring in _rings(g):
            pts = [xy(x, y) for x, y in np.asarray(ring.coords)[:, :2]]
            parts.append("M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in pts) + "Z")
        return "".join(parts)

    shapes: list[Shape] = [
        Shape(path(g), "#eceff1", BASE_STROKE, title, opacity=1.0, base=True)
        for g, (_, title) in zip(proj_all[:nb], base, strict=True)
    ]
    for g, (_, p) in zip(proj[: len(layers)], layers, strict=True):
        kind = str(p.get("kind"))
        zone = str(p.get("zone") or "none")
        fill = ZONE_COLOURS.get(zone, "#a5d6a7") if kind == "protected_area" else "none"
        if kind == "redline":
            fill = "#ef9a9a"
        shapes.append(
            Shape(
                path(g),
                fill,
                KIND_STROKES.get(kind, "#555"),
                str(p.get("title", "")),
                dash=kind == "function_zone",
                opacity=0.6,
            )
        )
    for g, (_, p) in zip(proj[len(layers) :], patches, strict=True):
        c = shapely.centroid(g)
        cx, cy = xy(c.x, c.y)
        shapes.append(
            Shape(
                path(g),
                CLASS_COLOURS.get(str(p.get("cls")), "#9e9e9e"),
                STATE_COLOURS.get(str(p.get("state")), "#e53935"),
                str(p.get("title", "")),
                cx,
                cy,
            )
        )
    return width, height, shapes

"""Entry points for the ecology service, commands and routes (all or nothing).

``import_layer`` and ``import_patches`` read a file and refuse it whole when any feature
is rejected (:class:`~ecoplan.core.errors.InputFileError` listing every reject by file,
feature and field); ``import_patches`` then overlays the patches with the given layer
versions, integrates their confidence and opens a lifecycle case per patch.
``geojson`` turns a frame into a GeoJSON FeatureCollection for the API and the map.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import pandas as pd

from ecoplan.ecology.spatial.confidence import integrate
from ecoplan.ecology.spatial.layers import Layer, read_layer
from ecoplan.ecology.spatial.lifecycle import Deadlines, PatchCase
from ecoplan.ecology.spatial.overlay import ZoneIndex, overlay
from ecoplan.ecology.spatial.patches import HIGH_FROM, read_patches
from ecoplan.ecology.spatial.rejects import Reject, raise_if_rejected

__all__ = ["PatchImport", "geojson", "import_layer", "import_patches"]


@dataclass
class PatchImport:
    """Patches (with ``integrated`` confidence and ``group``), their overlay parts and
    decisions, one open case per patch, and the reader's notes."""

    patches: gpd.GeoDataFrame
    parts: pd.DataFrame
    decisions: pd.DataFrame
    cases: list[PatchCase]
    notes: list[Reject]


def import_layer(
    path: str | Path,
    *,
    kind: str,
    layer_id: str,
    valid_from: dt.date,
    fields: Mapping[str, str] | None = None,
    invalid: str = "repair",
    layer: str | None = None,
) -> Layer:
    """One layer version, or :class:`InputFileError` naming every reject."""
    got = read_layer(
        path, kind=kind, layer_id=layer_id, valid_from=valid_from, fields=fields, invalid=invalid, layer=layer
    )
    raise_if_rejected(got.file, got.rejects)
    return got


def import_patches(
    path: str | Path,
    layers: Sequence[Layer] | ZoneIndex,
    *,
    fields: Mapping[str, str] | None = None,
    invalid: str = "repair",
    layer: str | None = None,
    high_from: float = HIGH_FROM,
    window_days: int | None = None,
    deadlines: Deadlines | None = None,
) -> PatchImport:
    """Read, check, overlay and open the cases of a patch file (all or nothing: a patch
    dated before a layer version it falls in refuses the file too)."""
    got = read_patches(path, fields=fields, invalid=invalid, layer=layer, high_from=high_from)
    raise_if_rejected(got.file, got.rejects)
    ov = overlay(got.features, layers, file=got.file)
    raise_if_rejected(got.file, ov.rejects)
    tiers = integrate(got.features, window_days=window_days)
    patches = got.features.merge(tiers[["patch_id", "group", "integrated"]], on="patch_id")
    cases = [
        PatchCase.open(str(p), d, deadlines or Deadlines())
        for p, d in zip(patches["patch_id"], patches["detected_on"], strict=True)
    ]
    return PatchImport(patches, ov.parts, ov.decisions, cases, got.notes)


def geojson(frame: gpd.GeoDataFrame, properties: Sequence[str] | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946, lon/lat) of ``frame`` with ``properties``."""
    cols = list(properties) if properties is not None else [c for c in frame.columns if c != "geometry"]
    out = gpd.GeoDataFrame(frame[cols], geometry=frame.geometry, crs=frame.crs or "EPSG:4326")
    result: dict[str, Any] = json.loads(out.to_json(drop_id=True, to_wgs84=True, default=str))
    return result

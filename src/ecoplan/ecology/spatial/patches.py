"""Human-activity patch readers.

A patch is a polygon found on imagery: its id, detection date, source system (the
detection system or team, e.g. a satellite programme), class (one of the seven classes
of :mod:`.model`) and confidence. ``read_patches(path)`` reads a GeoJSON, Shapefile or
GeoPackage with the same CRS, geometry and territory rules as the layers, and refuses a
feature with a missing id, date, source, an unknown class or a confidence it cannot read.

Confidence: ``low``/``high`` (低/高) as written; a number from 0 to 1 is ``high`` from
:data:`HIGH_FROM` on. That threshold is a configurable option [unconfirmed: the
monitoring specification's text on confidence was not found]; GFW reports per-system
low/high tiers and "highest" when systems agree (:mod:`.confidence`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import pyogrio  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.fields import PATCH_FIELDS, resolve
from ecoplan.ecology.spatial.geometry import clean
from ecoplan.ecology.spatial.layers import _check_options, _text
from ecoplan.ecology.spatial.model import class_code
from ecoplan.ecology.spatial.rejects import Reject

__all__ = ["HIGH_FROM", "PATCH_COLUMNS", "Patches", "parse_confidence", "patches_from_frame", "read_patches"]

#: A numeric confidence at or above this is "high" [unconfirmed, configurable].
HIGH_FROM = 0.5
PATCH_COLUMNS = (
    "patch_id",
    "detected_on",
    "source",
    "cls",
    "confidence",
    "area_km2",
    "feature_index",
    "geometry",
)
_WORDS = {"low": "low", "低": "low", "high": "high", "高": "high", "l": "low", "h": "high"}


@dataclass
class Patches:
    """Patches read from one file (a GeoDataFrame in EPSG:4326), rejects and notes."""

    file: str
    features: gpd.GeoDataFrame
    rejects: list[Reject] = field(default_factory=list)
    notes: list[Reject] = field(default_factory=list)


def parse_confidence(value: object, high_from: float = HIGH_FROM) -> str | None:
    """``low`` or ``high`` from a word or a number in [0, 1]; None when unreadable."""
    s = _text(value)
    if s is None:
        return None
    if s.lower() in _WORDS:
        return _WORDS[s.lower()]
    try:
        x = float(s)
    except ValueError:
        return None
    if not 0.0 <= x <= 1.0:
        return None
    return "high" if x >= high_from else "low"


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    s = _text(value)
    if s is None:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def read_patches(
    path: str | Path,
    *,
    fields: Mapping[str, str] | None = None,
    invalid: str = "repair",
    layer: str | None = None,
    high_from: float = HIGH_FROM,
    check_territory: bool = True,
) -> Patches:
    """Read the patches of a file (see the module)."""
    name = Path(path).name
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # any GDAL/OGR failure is the file's problem
        rej = Reject(name, "unreadable", params={"detail": str(exc).splitlines()[0][:200]})
        return Patches(name, _empty(), [rej])
    return patches_from_frame(
        frame, file=name, fields=fields, invalid=invalid, high_from=high_from, check_territory=check_territory
    )


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in PATCH_COLUMNS if c != "geometry"}, geometry=[], crs="EPSG:4326")


def patches_from_frame(
    frame: gpd.GeoDataFrame,
    *,
    file: str,
    fields: Mapping[str, str] | None = None,
    invalid: str = "repair",
    high_from: float = HIGH_FROM,
    check_territory: bool = True,
) -> Patches:
    """:class:`Patches` from a frame already read (its ``crs`` as the file declared it)."""
    _check_options("protected_area", invalid)
    cols = resolve([str(c) for c in frame.columns if c != "geometry"], PATCH_FIELDS, fields)
    rejects: list[Reject] = []
    n = len(frame)
    missing = [k for k, c in cols.items() if c is None]
    for k in missing:
        rejects.append(Reject(file, "field_missing", field=k, params={"field": k}))
    if missing:
        return Patches(file, _empty(), rejects)
    ids = [_text(v) for v in frame[cols["id"]]]
    got = clean(
        np.asarray(frame.geometry.values, dtype=object),
        frame.crs,
        file,
        ids,
        invalid=invalid,
        check_territory=check_territory,
    )
    rejects.extend(got.rejects)
    keep = got.keep
    dates: list[dt.date | None] = []
    sources: list[str | None] = []
    classes: list[str | None] = []
    confs: list[str | None] = []
    seen: set[str] = set()
    for i in range(n):
        fid = ids[i]

        def bad(reason: str, key: str, value: Any = None, i: int = i, fid: str | None = fid) -> None:
            params = {"field": cols[key]} if value is None else {"value": str(value)}
            rejects.append(Reject(file, reason, i, fid, cols[key], params))
            keep[i] = False

        if fid is None:
            bad("value_missing", "id")
        elif fid in seen:
            bad("duplicate_id", "id", fid)
        else:
            seen.add(fid)
        raw = frame[cols["detected"]].iloc[i]
        d = _date(raw)
        if d is None:
            bad("value_missing" if _text(raw) is None else "date_invalid", "detected", _text(raw))
        src = _text(frame[cols["source"]].iloc[i])
        if src is None:
            bad("value_missing", "source")
        raw = frame[cols["class"]].iloc[i]
        c = class_code(raw)
        if c is None:
            bad("value_missing" if _text(raw) is None else "class_unknown", "class", _text(raw))
        raw = frame[cols["confidence"]].iloc[i]
        conf = parse_confidence(raw, high_from)
        if conf is None:
            bad("value_missing" if _text(raw) is None else "confidence_unknown", "confidence", _text(raw))
        dates.append(d)
        sources.append(src)
        classes.append(c)
        confs.append(conf)
    out = gpd.GeoDataFrame(
        {
            "patch_id": ids,
            "detected_on": dates,
            "source": sources,
            "cls": classes,
            "confidence": confs,
            "area_km2": got.area_km2,
            "feature_index": np.arange(n, dtype=np.int64),  # the feature's place in its file
        },
        geometry=gpd.GeoSeries(got.geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    return Patches(file, out[keep].reset_index(drop=True), rejects, list(got.notes))

"""The registries from CSV, XLSX or GeoJSON: risk sources, sensitive targets, emergency plans.

Columns by English or Chinese name (:data:`VARIABLE_MAP`); each row is taken whole or
rejected whole with a reason code (:data:`REASONS`) naming the file, the row (the line of
a CSV, the sheet row of an XLSX, the feature's number in a GeoJSON) and the field. A
GeoJSON feature's properties are the columns; a Point gives ``lon``/``lat``, a Polygon
(targets) its outer ring and the ring's mean point.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ecoplan.core.errors import EcoplanError
from ecoplan.risk.registries import LEVELS, TARGET_KINDS

__all__ = ["COLUMNS", "FORMATS", "REASONS", "VARIABLE_MAP", "RegistryBatch", "read_registry"]

FORMATS: Final = ("csv", "xlsx", "geojson")
#: The columns of each registry's rows, in store order.
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "sources": (
        "source_id", "name", "credit_code", "region", "address", "lon", "lat", "industry",
        "level", "air_level", "water_level", "notation", "graded_on",
    ),
    "targets": ("target_id", "name", "kind", "region", "lon", "lat", "polygon", "population"),
    "plans": ("plan_id", "source_id", "title", "filing_no", "filed_on", "reviewed_on", "revised_on"),
}  # fmt: skip
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "sources": ("source_id", "name"),
    "targets": ("target_id", "name", "kind"),
    "plans": ("plan_id", "source_id", "title", "filed_on"),
}
#: Header (lower-case, or Chinese) → column.
VARIABLE_MAP: Final[dict[str, str]] = {
    "source_id": "source_id", "企业编号": "source_id", "风险源编号": "source_id",
    "name": "name", "名称": "name", "企业名称": "name", "目标名称": "name",
    "credit_code": "credit_code", "统一社会信用代码": "credit_code",
    "region": "region", "行政区划代码": "region", "区划代码": "region",
    "address": "address", "地址": "address",
    "lon": "lon", "longitude": "lon", "经度": "lon",
    "lat": "lat", "latitude": "lat", "纬度": "lat",
    "industry": "industry", "行业": "industry",
    "level": "level", "风险等级": "level", "环境风险等级": "level",
    "air_level": "air_level", "大气风险等级": "air_level",
    "water_level": "water_level", "水风险等级": "water_level",
    "notation": "notation", "等级表征": "notation",
    "graded_on": "graded_on", "评估日期": "graded_on", "分级日期": "graded_on",
    "target_id": "target_id", "目标编号": "target_id", "id": "target_id",
    "kind": "kind", "类型": "kind", "目标类型": "kind",
    "polygon": "polygon", "范围": "polygon",
    "population": "population", "人口": "population",
    "plan_id": "plan_id", "预案编号": "plan_id",
    "title": "title", "预案名称": "title",
    "filing_no": "filing_no", "备案编号": "filing_no",
    "filed_on": "filed_on", "备案日期": "filed_on",
    "reviewed_on": "reviewed_on", "回顾性评估日期": "reviewed_on", "评估修订日期": "reviewed_on",
    "revised_on": "revised_on", "修订日期": "revised_on",
}  # fmt: skip
_LEVEL_WORDS: Final = {"一般": "general", "较大": "larger", "重大": "major"}
_KIND_WORDS: Final = {
    "学校": "school", "医院": "hospital", "饮用水取水口": "drinking_water_intake",
    "取水口": "drinking_water_intake", "居民区": "residential", "居住区": "residential", "其他": "other",
}  # fmt: skip
REASONS: Final = (
    "missing",
    "bad_number",
    "bad_coordinate",
    "bad_date",
    "bad_kind",
    "bad_level",
    "bad_region",
    "bad_geometry",
    "duplicate",
    "date_order",
    "unknown_region",
    "unknown_source",
)
_REGION = re.compile(r"^\d{6}$")


@dataclass
class RegistryBatch:
    """Rows read (column → value) and rejects (file, row, field, value, reason)."""

    kind: str
    files: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, file: str, row: int | None, fld: str | None, value: Any, reason: str) -> None:
        self.rejects.append(
            {
                "file": file,
                "row": row,
                "field": fld,
                "value": None if value is None else str(value),
                "reason": reason,
            }
        )

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rejects:
            out[r["reason"]] = out.get(r["reason"], 0) + 1
        return out


class _Bad(Exception):
    def __init__(self, fld: str, value: Any, reason: str) -> None:
        self.fld, self.value, self.reason = fld, value, reason


def _key(header: Any) -> str:
    return str(header or "").strip().lower().lstrip("\ufeff")


def _table_rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """(row number, {header: cell}) of a CSV or the first sheet of an XLSX."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            head = [_key(h) for h in next(it, ())]
            for n, cells in enumerate(it, start=2):
                if any(c not in (None, "") for c in cells):
                    yield n, dict(zip(head, cells, strict=False))
        finally:
            wb.close()
        return
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = [_key(h) for h in next(reader, [])]
    for n, line in enumerate(reader, start=2):
        if any(c.strip() for c in line):
            yield n, dict(zip(header, line, strict=False))


def _geojson_rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise EcoplanError.worded("risk.error.geojson", file=str(path))
    for n, f in enumerate(feats, start=1):
        props = dict(f.get("properties") or {}) if isinstance(f, dict) else {}
        geom = f.get("geometry") if isinstance(f, dict) else None
        row = {_key(k): v for k, v in props.items()}
        row["__geometry__"] = geom
        yield n, row


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def _number(v: Any, fld: str) -> float | None:
    s = _text(v)
    if s is None:
        return None
    try:
        x = float(s)
    except ValueError:
        raise _Bad(fld, v, "bad_number") from None
    if not math.isfinite(x):
        raise _Bad(fld, v, "bad_number")
    return x


def _date(v: Any, fld: str) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v)
    if s is None:
        return None
    try:
        return dt.date.fromisoformat(s.replace("/", "-"))
    except ValueError:
        raise _Bad(fld, v, "bad_date") from None


def _level(v: Any, fld: str) -> str | None:
    s = _text(v)
    if s is None:
        return None
    s = _LEVEL_WORDS.get(s, s.lower())
    if s not in LEVELS:
        raise _Bad(fld, v, "bad_level")
    return s


def _ring(v: Any) -> list[list[float]]:
    pts = json.loads(v) if isinstance(v, str) else v
    ring = [[float(p[0]), float(p[1])] for p in pts]
    if len(ring) < 3 or not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring):
        raise ValueError("ring")
    return ring


def _geometry(row: dict[str, Any], kind: str) -> None:
    """Set lon/lat (and a target's polygon) from a GeoJSON geometry or a polygon column."""
    geom = row.pop("__geometry__", None)
    if geom is not None:
        try:
            t, coords = geom["type"], geom["coordinates"]
            if t == "Point":
                row["lon"], row["lat"] = float(coords[0]), float(coords[1])
            elif t == "Polygon" and kind == "targets":
                row["polygon"] = _ring(coords[0])
            else:
                raise ValueError(t)
        except (KeyError, TypeError, ValueError, IndexError):
            raise _Bad("geometry", json.dumps(geom)[:80], "bad_geometry") from None
    poly = row.get("polygon")
    if poly not in (None, "") and kind == "targets":
        try:
            ring = _ring(poly)
        except (TypeError, ValueError, IndexError, json.JSONDecodeError):
            raise _Bad("polygon", poly, "bad_geometry") from None
        row["polygon"] = ring
        if row.get("lon") in (None, "") or row.get("lat") in (None, ""):
            pts = ring[:-1] if ring[0] == ring[-1] else ring  # a closed ring repeats its first vertex
            row["lon"] = sum(p[0] for p in pts) / len(pts)
            row["lat"] = sum(p[1] for p in pts) / len(pts)
    else:
        row["polygon"] = None


def _row(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """One registry row from a raw row (raises :class:`_Bad` on the first bad field)."""
    row: dict[str, Any] = {}
    for k, v in raw.items():
        col = "__geometry__" if k == "__geometry__" else VARIABLE_MAP.get(k)
        if col == "target_id" and kind != "targets":
            col = {"sources": "source_id", "plans": "plan_id"}[kind]
        if col is not None and col not in row:
            row[col] = v
    _geometry(row, kind)
    out: dict[str, Any] = {}
    for col in COLUMNS[kind]:
        v = row.get(col)
        if col in ("lon", "lat", "population"):
            x = _number(v, col)
            if x is not None and col == "lon" and not -180 <= x <= 180:
                raise _Bad(col, v, "bad_coordinate")
            if x is not None and col == "lat" and not -90 <= x <= 90:
                raise _Bad(col, v, "bad_coordinate")
            if col == "population" and x is not None:
                if x < 0 or not x.is_integer():
                    raise _Bad(col, v, "bad_number")
                x = int(x)
            out[col] = x
        elif col in ("filed_on", "reviewed_on", "revised_on", "graded_on"):
            out[col] = _date(v, col)
        elif col in ("level", "air_level", "water_level"):
            out[col] = _level(v, col)
        elif col == "kind":
            s = _text(v)
            s = None if s is None else _KIND_WORDS.get(s, s.lower())
            if s is not None and s not in TARGET_KINDS:
                raise _Bad(col, v, "bad_kind")
            out[col] = s
        elif col == "polygon":
            out[col] = row.get("polygon")
        else:
            out[col] = _text(v)
    for col in REQUIRED[kind]:
        if out.get(col) is None:
            raise _Bad(col, None, "missing")
    if out.get("region") is not None and not _REGION.match(out["region"]):
        raise _Bad("region", out["region"], "bad_region")
    if kind == "targets" and (out["lon"] is None or out["lat"] is None):
        raise _Bad("lon" if out["lon"] is None else "lat", None, "missing")
    if kind == "sources" and (out["lon"] is None) != (out["lat"] is None):
        raise _Bad("lon" if out["lon"] is None else "lat", None, "missing")
    if kind == "plans":
        for col in ("reviewed_on", "revised_on"):
            if out[col] is not None and out[col] < out["filed_on"]:
                raise _Bad(col, out[col].isoformat(), "date_order")
    return out


def read_registry(kind: str, paths: Iterable[str | Path]) -> RegistryBatch:
    """Read registry files of one ``kind`` (format by extension: .csv, .xlsx, .geojson/.json)."""
    if kind not in COLUMNS:
        raise EcoplanError.worded("risk.error.bad_kind", kind=kind, kinds=", ".join(COLUMNS))
    files = [Path(p) for p in paths]
    batch = RegistryBatch(kind, [str(p) for p in files])
    key = COLUMNS[kind][0]
    seen: dict[str, tuple[str, int]] = {}
    for path in files:
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx", ".geojson", ".json"):
            raise EcoplanError.worded("risk.error.file_kind", file=str(path), formats=", ".join(FORMATS))
        if not path.is_file():
            raise EcoplanError.worded("risk.error.file_read", file=str(path), detail="not found")
        try:
            rows = list(_geojson_rows(path) if suffix in (".geojson", ".json") else _table_rows(path))
        except (OSError, ValueError, KeyError) as exc:
            raise EcoplanError.worded(
                "risk.error.file_format", file=str(path), detail=str(exc)[:200]
            ) from exc
        for n, raw in rows:
            try:
                row = _row(kind, raw)
            except _Bad as bad:
                batch.reject(str(path), n, bad.fld, bad.value, bad.reason)
                continue
            if row[key] in seen:
                batch.reject(str(path), n, key, row[key], "duplicate")
                continue
            seen[row[key]] = (str(path), n)
            row["__file__"], row["__row__"] = str(path), n
            batch.rows.append(row)
    return batch

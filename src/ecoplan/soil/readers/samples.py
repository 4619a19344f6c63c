"""Farmland soil samples: a wide or long table (CSV or XLSX), and the Qiyang file.

Wide: one sample per row — sample id, lon, lat, region, year, land use, pH and metal
columns (``Cd`` … ``Zn`` or 镉 … 锌). Each metal's unit is declared: in the column name
(``Cd [mg/kg]``), in a units row (a row whose first cell is ``Unit:``/``单位``, before
or after the header, as in the Qiyang file), or by the ``units`` option. A metal
without a declared unit is rejected (``unit_missing``), never guessed.

Long: one value per row — sample id, the sample's columns, ``item``, ``value``, ``unit``.

Qiyang (``qiyang-cd``): ``shared/data/soil/qiyang_hunan_soil_cd_pri_Cd_data.csv`` as it is
laid out (title line, units row, header; ``NA``): ``X``→lon, ``Y``→lat, ``SoilCdtot``→Cd,
``RiceCd``→crop_cd, ``land_use`` ``Paddy``→paddy (水田), ``Upland``→other (其他).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ecoplan.soil.readers.batch import SAMPLE_COLUMNS, Rejects, SoilBatch
from ecoplan.soil.readers.parsing import (
    MISSING,
    Table,
    column_unit,
    concentration_factor,
    expand,
    key_of,
    number,
)
from ecoplan.soil.standards.gb15618_2018 import BASIC, land_use_of

__all__ = ["QIYANG_MAP", "VARIABLE_MAP", "read_long", "read_qiyang", "read_wide"]

#: Column names (lower case) → canonical sample columns.
VARIABLE_MAP: Mapping[str, str] = {
    "sample_id": "sample_id",
    "sample": "sample_id",
    "id": "sample_id",
    "样品编号": "sample_id",
    "点位编号": "sample_id",
    "lon": "lon",
    "longitude": "lon",
    "x": "lon",
    "经度": "lon",
    "lat": "lat",
    "latitude": "lat",
    "y": "lat",
    "纬度": "lat",
    "region": "region",
    "区划代码": "region",
    "year": "year",
    "年份": "year",
    "land_use": "land_use",
    "landuse": "land_use",
    "土地利用": "land_use",
    "用地类型": "land_use",
    "ph": "ph",
    "crop_cd": "crop_cd",
    "ricecd": "crop_cd",
    **{m.lower(): m for m in BASIC},
    "镉": "Cd",
    "汞": "Hg",
    "砷": "As",
    "铅": "Pb",
    "铬": "Cr",
    "铜": "Cu",
    "镍": "Ni",
    "锌": "Zn",
}
#: The Qiyang file's columns (spec: ``shared/data/soil/README.md``).
QIYANG_MAP: Mapping[str, str] = {
    "x": "lon",
    "y": "lat",
    "land_use": "land_use",
    "ph": "ph",
    "soilcdtot": "Cd",
    "ricecd": "crop_cd",
}
_CONC_COLUMNS = (*BASIC, "crop_cd")


def _units_row(row: list[str]) -> bool:
    return bool(row) and row[0].strip().lower().rstrip(":：") in ("unit", "units", "单位")


def _sample(
    values: dict[str, str],
    units: Mapping[str, str | None],
    file: str,
    row: int,
    rej: Rejects,
    region: str | None,
    year: int | None,
    default_id: str,
) -> dict[str, Any] | None:
    """One canonical sample from the cells of one row (None: the row is rejected)."""
    out: dict[str, Any] = dict.fromkeys(SAMPLE_COLUMNS)
    out["sample_id"] = values.get("sample_id") or default_id
    reg = values.get("region") or region
    if not reg or not (len(reg) == 6 and reg.isdigit()):
        rej.add(file, row, "region", reg, "bad_region")
        return None
    out["region"] = reg
    y = values.get("year", "")
    if y.strip().lower() not in MISSING:
        if not (y.isdigit() and 1900 <= int(y) <= 2100):
            rej.add(file, row, "year", y, "bad_year")
            return None
        out["year"] = int(y)
    else:
        out["year"] = year
    lu = values.get("land_use", "")
    try:
        out["land_use"] = land_use_of(lu)
    except ValueError:
        rej.add(file, row, "land_use", lu, "land_use_unknown")
        return None
    for c in ("lon", "lat"):
        out[c] = number(values.get(c, ""), file, row, c, rej, signed=True)
    ph = number(values.get("ph", ""), file, row, "ph", rej)
    if ph is not None and not 0 <= ph <= 14:
        rej.add(file, row, "ph", values.get("ph"), "ph_out_of_range")
        ph = None
    out["ph"] = ph
    for m in _CONC_COLUMNS:
        text = values.get(m)
        if text is None or text.strip().lower() in MISSING:
            continue
        unit = units.get(m)
        if not unit:
            rej.add(file, row, m, text, "unit_missing")
            continue
        f = concentration_factor(unit)
        if f is None:
            rej.add(file, row, m, f"{text} {unit}", "unit_unknown")
            continue
        v = number(text, file, row, m, rej)
        out[m] = None if v is None else v * f
    return out


def _finish(
    records: list[dict[str, Any]], rej: Rejects, files: list[str], seen_rows: list[tuple[str, int]]
) -> SoilBatch:
    seen: set[str] = set()
    keep = []
    for rec, (file, row) in zip(records, seen_rows, strict=True):
        if rec["sample_id"] in seen:
            rej.add(file, row, "sample_id", rec["sample_id"], "duplicate_id")
            continue
        seen.add(rec["sample_id"])
        keep.append(rec)
    df = pd.DataFrame(keep, columns=list(SAMPLE_COLUMNS))
    for c in ("lon", "lat", "ph", *_CONC_COLUMNS):
        df[c] = df[c].astype("float64")
    df["year"] = df["year"].astype("Int64")
    return SoilBatch("samples", df, rej.frame(), files)


def _wide(
    paths: list[str | Path],
    colmap: Mapping[str, str],
    *,
    region: str | None,
    year: int | None,
    units: Mapping[str, str] | None,
) -> SoilBatch:
    rej = Rejects()
    records: list[dict[str, Any]] = []
    where: list[tuple[str, int]] = []
    files: list[str] = []
    for path in expand(paths):
        t = Table(path)
        files.append(t.name)
        h = t.header(set(colmap))
        head = t.cells[h]
        cols = {i: colmap[key_of(c)] for i, c in enumerate(head) if key_of(c) in colmap}
        declared: dict[str, str | None] = {}
        urow = next((r for r in t.cells[max(0, h - 2) : h + 2] if _units_row(r)), None)
        for i, canon in cols.items():
            declared[canon] = column_unit(head[i]) or (
                urow[i] if urow and i < len(urow) and urow[i] else None
            )
        for k, v in (units or {}).items():
            declared[k if k in BASIC else k.capitalize()] = v
        if "land_use" not in cols.values():
            rej.add(t.name, h + 1, "land_use", None, "missing_column")
            continue
        for i in range(h + 1, len(t.cells)):
            row = t.cells[i]
            if _units_row(row) or not any(row):
                continue
            values = {canon: row[j] if j < len(row) else "" for j, canon in cols.items()}
            rec = _sample(values, declared, t.name, i + 1, rej, region, year, f"{path.stem}#{i + 1}")
            if rec is not None:
                records.append(rec)
                where.append((t.name, i + 1))
    return _finish(records, rej, files, where)


def read_wide(
    paths: list[str | Path],
    *,
    region: str | None = None,
    year: int | None = None,
    units: Mapping[str, str] | None = None,
) -> SoilBatch:
    """Samples from wide tables (see the module docstring)."""
    return _wide(paths, VARIABLE_MAP, region=region, year=year, units=units)


def read_qiyang(
    paths: list[str | Path], *, region: str | None = "431181", year: int | None = None
) -> SoilBatch:
    """The Qiyang file (region 431181 祁阳市 unless given; the survey year is not in the file)."""
    return _wide(paths, QIYANG_MAP, region=region or "431181", year=year, units=None)


def read_long(paths: list[str | Path], *, region: str | None = None, year: int | None = None) -> SoilBatch:
    """Samples from long tables: the sample's columns plus ``item``, ``value``, ``unit``."""
    rej = Rejects()
    files: list[str] = []
    by_id: dict[str, tuple[dict[str, str], dict[str, str | None], str, int]] = {}
    known = {*VARIABLE_MAP, "item", "value", "unit", "项目", "含量", "单位"}
    alias = {"项目": "item", "含量": "value", "单位": "unit"}
    for path in expand(paths):
        t = Table(path)
        files.append(t.name)
        h = t.header(known)
        head = [alias.get(key_of(c), key_of(c)) for c in t.cells[h]]
        need = {"sample_id", "item", "value"} - {VARIABLE_MAP.get(c, c) for c in head}
        if need:
            for n in sorted(need):
                rej.add(t.name, h + 1, n, None, "missing_column")
            continue
        for i in range(h + 1, len(t.cells)):
            cells = dict(zip(head, t.cells[i], strict=False))
            if not any(cells.values()):
                continue
            sid = cells.get("sample_id") or cells.get("sample") or cells.get("id") or ""
            if not sid:
                rej.add(t.name, i + 1, "sample_id", None, "missing_id")
                continue
            item = VARIABLE_MAP.get(cells.get("item", "").strip().lower())
            if item not in _CONC_COLUMNS:
                rej.add(t.name, i + 1, "item", cells.get("item"), "bad_value")
                continue
            base = {
                VARIABLE_MAP[c]: v
                for c, v in cells.items()
                if c in VARIABLE_MAP and VARIABLE_MAP[c] not in _CONC_COLUMNS
            }
            got = by_id.setdefault(sid, (base, {}, t.name, i + 1))
            got[0][item] = cells.get("value", "")
            got[1][item] = cells.get("unit") or None
    records: list[dict[str, Any]] = []
    where: list[tuple[str, int]] = []
    for sid, (values, units, file, row) in by_id.items():
        rec = _sample(values, units, file, row, rej, region, year, sid)
        if rec is not None:
            records.append(rec)
            where.append((file, row))
    return _finish(records, rej, files, where)

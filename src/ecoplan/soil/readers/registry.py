"""The parcel register: farmland units and construction-land plots (CSV or XLSX).

Farmland units (``farmland-units``): ``unit_id, region, year, area, level, measure,
crop_compliant``. The area's unit is declared — ``area [亩]``/``area [hm2]`` in the
header, an ``area_unit`` column, or the ``area_unit`` option — and stored in hm²
(1 亩 = 1/15 hm², 1 hm² = 10 000 m²). ``level``: 无/none, 轻微/slight,
轻中度/light_moderate, 重度/severe; ``measure``: 无/none, 优先保护, 安全利用, 治理修复,
严格管控 (or their keys in :mod:`ecoplan.soil.standards.safe_use`); ``crop_compliant``:
是/否/yes/no/blank (农产品达标).

Construction-land plots (``plots``): ``plot_id, region, year, land_type (1|2, planned
use: 第一类/第二类用地), contaminated, status, planned_reuse, reuse_compliant[, key]``.
``status``: 调查/investigated → 风险评估/risk_assessed → 风险管控/controlled or
修复/remediated → 再利用/reused. ``key`` (重点建设用地) defaults to ``land_type == 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ecoplan.soil.readers.batch import PLOT_COLUMNS, UNIT_COLUMNS, Rejects, SoilBatch
from ecoplan.soil.readers.parsing import MISSING, Table, column_unit, expand, key_of, number, yes_no
from ecoplan.soil.standards.safe_use import LEVELS, MEASURES, STATUSES

__all__ = ["AREA_UNITS", "read_plots", "read_units"]

#: Factors to hm².
AREA_UNITS: Mapping[str, float] = {
    "亩": 1 / 15,
    "mu": 1 / 15,
    "hm2": 1.0,
    "hm²": 1.0,
    "公顷": 1.0,
    "ha": 1.0,
    "m2": 1e-4,
    "m²": 1e-4,
}
_LEVEL = {
    "无": "none",
    "未污染": "none",
    "轻微": "slight",
    "轻微污染": "slight",
    "轻中度": "light_moderate",
    "轻度": "light_moderate",
    "中度": "light_moderate",
    "轻中度污染": "light_moderate",
    "重度": "severe",
    "重度污染": "severe",
}
_MEASURE = {
    "无": "none",
    "优先保护": "priority_protection",
    "安全利用": "safe_use",
    "治理修复": "remediation",
    "严格管控": "strict_control",
}
_STATUS = {
    "调查": "investigated",
    "风险评估": "risk_assessed",
    "风险管控": "controlled",
    "修复": "remediated",
    "治理修复": "remediated",
    "再利用": "reused",
    "再开发利用": "reused",
}
_LAND = {"1": 1, "第一类": 1, "第一类用地": 1, "2": 2, "第二类": 2, "第二类用地": 2}


def _vocab(text: str, table: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    t = text.strip()
    if t in table:
        return table[t]
    return t.lower() if t.lower() in keys else None


def _read(
    paths: list[str | Path],
    kind: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    row_of: Callable[[dict[str, str], dict[str, str | None], str, int, Rejects], dict[str, Any] | None],
    id_col: str,
) -> SoilBatch:
    rej = Rejects()
    records: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    files: list[str] = []
    for path in expand(paths):
        t = Table(path)
        files.append(t.name)
        h = t.header({*required, *columns, "area", "area_unit"})
        head = t.cells[h]
        keys = [key_of(c) for c in head]
        units = {key_of(c): column_unit(c) for c in head}
        missing = [c for c in required if c not in keys]
        if missing:
            for c in missing:
                rej.add(t.name, h + 1, c, None, "missing_column")
            continue
        for i in range(h + 1, len(t.cells)):
            cells = dict(zip(keys, t.cells[i], strict=False))
            if not any(cells.values()):
                continue
            rec = row_of(cells, units, t.name, i + 1, rej)
            if rec is None:
                continue
            k = (rec[id_col], rec["year"])
            if k in seen:
                rej.add(t.name, i + 1, id_col, rec[id_col], "duplicate_id")
                continue
            seen.add(k)
            records.append(rec)
    return SoilBatch(kind, pd.DataFrame(records, columns=list(columns)), rej.frame(), files)


def _common(
    cells: dict[str, str], id_col: str, file: str, row: int, rej: Rejects, region: str | None
) -> dict[str, Any] | None:
    rid = cells.get(id_col, "").strip()
    if not rid:
        rej.add(file, row, id_col, None, "missing_id")
        return None
    reg = cells.get("region", "").strip() or region or ""
    if not (len(reg) == 6 and reg.isdigit()):
        rej.add(file, row, "region", reg, "bad_region")
        return None
    y = cells.get("year", "").strip()
    if not (y.isdigit() and 1900 <= int(y) <= 2100):
        rej.add(file, row, "year", y, "bad_year")
        return None
    return {id_col: rid, "region": reg, "year": int(y)}


def _yn(cells: dict[str, str], col: str, file: str, row: int, rej: Rejects) -> tuple[bool, bool | None]:
    """(ok, value) of a yes/no cell."""
    try:
        return True, yes_no(cells.get(col, ""))
    except ValueError:
        rej.add(file, row, col, cells.get(col), "bad_value")
        return False, None


def read_units(
    paths: list[str | Path], *, region: str | None = None, area_unit: str | None = None
) -> SoilBatch:
    """Farmland units of the register (see the module docstring)."""

    def row_of(
        cells: dict[str, str], units: dict[str, str | None], file: str, row: int, rej: Rejects
    ) -> dict[str, Any] | None:
        rec = _common(cells, "unit_id", file, row, rej, region)
        if rec is None:
            return None
        unit = units.get("area") or cells.get("area_unit", "").strip() or area_unit
        if not unit:
            rej.add(file, row, "area", cells.get("area"), "unit_missing")
            return None
        f = AREA_UNITS.get(unit.strip().lower()) or AREA_UNITS.get(unit.strip())
        if f is None:
            rej.add(file, row, "area", f"{cells.get('area')} {unit}", "unit_unknown")
            return None
        area = number(cells.get("area", ""), file, row, "area", rej)
        if area is None:
            if cells.get("area", "").strip().lower() in MISSING:
                rej.add(file, row, "area", None, "not_a_number")
            return None
        level = _vocab(cells.get("level", ""), _LEVEL, LEVELS)
        measure = _vocab(cells.get("measure", "") or "none", _MEASURE, MEASURES)
        if level is None or measure is None:
            bad = "level" if level is None else "measure"
            rej.add(file, row, bad, cells.get(bad), "bad_value")
            return None
        ok, crop = _yn(cells, "crop_compliant", file, row, rej)
        if not ok:
            return None
        return {**rec, "area_hm2": area * f, "level": level, "measure": measure, "crop_compliant": crop}

    return _read(paths, "units", UNIT_COLUMNS, ("unit_id", "year", "area", "level"), row_of, "unit_id")


def read_plots(paths: list[str | Path], *, region: str | None = None) -> SoilBatch:
    """Construction-land plots of the register (see the module docstring)."""

    def row_of(
        cells: dict[str, str], units: dict[str, str | None], file: str, row: int, rej: Rejects
    ) -> dict[str, Any] | None:
        rec = _common(cells, "plot_id", file, row, rej, region)
        if rec is None:
            return None
        land = _LAND.get(cells.get("land_type", "").strip())
        status = _vocab(cells.get("status", ""), _STATUS, STATUSES)
        if land is None or status is None:
            bad = "land_type" if land is None else "status"
            rej.add(file, row, bad, cells.get(bad), "bad_value")
            return None
        flags: dict[str, bool | None] = {}
        for col in ("contaminated", "planned_reuse", "reuse_compliant", "key"):
            ok, v = _yn(cells, col, file, row, rej)
            if not ok:
                return None
            flags[col] = v
        return {
            **rec,
            "land_type": land,
            "contaminated": bool(flags["contaminated"]),
            "status": status,
            "planned_reuse": bool(flags["planned_reuse"]),
            "reuse_compliant": flags["reuse_compliant"],
            "key": land == 1 if flags["key"] is None else flags["key"],
        }

    return _read(
        paths,
        "plots",
        PLOT_COLUMNS,
        ("plot_id", "year", "land_type", "contaminated", "status"),
        row_of,
        "plot_id",
    )

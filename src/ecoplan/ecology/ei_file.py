"""Read a table of county EI (CSV or XLSX): one county and year per row, its five HJ 192-2015
sub-indices, the region it is counted in and whether it is a key ecological function
county. Each row is checked; a bad row is kept out with a reason code naming the file,
the row (as a spreadsheet numbers it) and the field. EI and the grade are computed here
from the sub-indices (the stored EI is always the standard's).

Columns (Chinese or English headers; case and spaces ignored):

=====================  ==============================================================
county / 县域代码       6-digit GB/T 2260 code of the county (required)
name / 县域名称         the county's name (optional)
year / 年份             the year evaluated (required)
region / 所属区域       the region whose mean the county counts in (6 digits, required)
key / 重点生态功能区    是/否, yes/no, true/false, 1/0 (default yes)
abundance / 生物丰度指数 … pollution / 污染负荷指数   the five sub-indices, 0–100
restriction / 环境限制  a restriction code (:data:`~.hj192_2015.RESTRICTIONS`) or empty
=====================  ==============================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.ecology.standards.hj192_2015 import RESTRICTIONS, SUB_INDICES, SubIndices, evaluate
from ecoplan.ingest.tables import read_table

__all__ = ["COLUMNS", "REASONS", "EIBatch", "read_ei_file"]

#: Stored columns of ``ecology_ei`` (without ``import_id``), in the table's order.
COLUMNS: tuple[str, ...] = (
    "county",
    "year",
    "name",
    "region",
    "key_county",
    *SUB_INDICES,
    "restriction",
    "ei",
    "grade",
)

#: Reason codes of a rejected row.
REASONS: tuple[str, ...] = (
    "missing",
    "bad_code",
    "bad_year",
    "not_number",
    "out_of_range",
    "bad_flag",
    "unknown_restriction",
    "region_unknown",
    "duplicate",
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "county": ("county", "county_code", "县域代码", "县代码", "行政区划代码"),
    "name": ("name", "county_name", "县域名称", "县名", "名称"),
    "year": ("year", "年份", "年度"),
    "region": ("region", "所属区域", "区域代码", "所属地区"),
    "key": ("key", "key_county", "重点生态功能区", "是否重点生态功能区县"),
    "abundance": ("abundance", "biological_abundance", "生物丰度指数", "生物丰度"),
    "vegetation": ("vegetation", "vegetation_cover", "植被覆盖指数", "植被覆盖"),
    "water": ("water", "water_network", "水网密度指数", "水网密度"),
    "stress": ("stress", "land_stress", "土地胁迫指数", "土地胁迫"),
    "pollution": ("pollution", "pollution_load", "污染负荷指数", "污染负荷"),
    "restriction": ("restriction", "环境限制", "环境限制指数"),
}
_REQUIRED = ("county", "year", "region", *SUB_INDICES)
_YES = {"是", "yes", "y", "true", "1", "重点"}
_NO = {"否", "no", "n", "false", "0"}


def _key(h: str) -> str:
    return re.sub(r"[\s_（）()]+", "", h).lower()


_LOOKUP = {_key(a): canon for canon, names in _ALIASES.items() for a in names}


@dataclass
class EIBatch:
    """Rows to store (:data:`COLUMNS`), the rejects (file, row, field, value, reason)
    and the files read."""

    rows: pd.DataFrame
    rejects: pd.DataFrame
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def read_ei_file(path: str | Path, regions: set[str] | None = None) -> EIBatch:
    """Read and check one file (see the module docstring). ``regions``: the known region
    codes (a row naming another is rejected ``region_unknown``). A missing required
    column refuses the whole file (:class:`InputFileError`)."""
    name = str(path)
    header, raw = read_table(path)
    cols: dict[str, str] = {}
    for h in header:
        canon = _LOOKUP.get(_key(h))
        if canon and canon not in cols:
            cols[canon] = h
    missing = [c for c in _REQUIRED if c not in cols]
    if missing:
        raise InputFileError(
            name,
            [Problem(file=name, row=1, field=c, reason="required column missing") for c in missing],
        )
    rows: list[dict[str, Any]] = []
    rejects: list[tuple[str, int, str, str, str]] = []
    seen: dict[tuple[str, int], int] = {}
    for n, cells in raw:

        def cell(c: str, cells: dict[str, str] = cells) -> str:
            return cells.get(cols[c], "").strip() if c in cols else ""

        bad: list[tuple[str, str, str]] = []
        county = cell("county")
        if not re.fullmatch(r"\d{6}", county):
            bad.append(("county", county, "bad_code" if county else "missing"))
        region = cell("region")
        if not re.fullmatch(r"\d{6}", region):
            bad.append(("region", region, "bad_code" if region else "missing"))
        elif regions is not None and region not in regions:
            bad.append(("region", region, "region_unknown"))
        y = cell("year")
        year = int(y) if re.fullmatch(r"\d{4}", y) else None
        if year is None:
            bad.append(("year", y, "bad_year" if y else "missing"))
        flag = cell("key").lower()
        key_county = True if not flag else (True if flag in _YES else False if flag in _NO else None)
        if key_county is None:
            bad.append(("key", flag, "bad_flag"))
        vals: dict[str, float] = {}
        for s in SUB_INDICES:
            t = cell(s)
            if not t:
                bad.append((s, t, "missing"))
                continue
            try:
                v = _num(t)
            except ValueError:
                bad.append((s, t, "not_number"))
                continue
            if not 0 <= v <= 100:
                bad.append((s, t, "out_of_range"))
            vals[s] = v
        restriction = cell("restriction") or None
        if restriction is not None and restriction not in RESTRICTIONS:
            bad.append(("restriction", restriction, "unknown_restriction"))
        if not bad and year is not None:
            first = seen.setdefault((county, year), n)
            if first != n:
                bad.append(("county", county, "duplicate"))
        if bad:
            rejects += [(name, n, f, v, r) for f, v, r in bad]
            continue
        assert year is not None
        res = evaluate(SubIndices(**vals), restriction)
        rows.append(
            {
                "county": county,
                "year": year,
                "name": cell("name") or None,
                "region": region,
                "key_county": bool(key_county),
                **vals,
                "restriction": restriction,
                "ei": res["ei"],
                "grade": res["grade"],
            }
        )
    return EIBatch(
        pd.DataFrame(rows, columns=list(COLUMNS)),
        pd.DataFrame(rejects, columns=["file", "row", "field", "value", "reason"]),
        [name],
    )

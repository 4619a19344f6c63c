"""The station registry (断面/点位 metadata) and the plans' target classes per section.

A registry file (CSV or an XLSX sheet) has the columns of
:data:`~.batch.STATION_COLUMNS`; ``code`` and ``name`` are required, the others
optional. A targets file (or sheet) has ``station, plan, year, target_class`` with the
class written ``Ⅰ … 劣Ⅴ`` or ``I … 劣V`` (spec §0.3). A file is one or the other by its
header (``target_class`` → targets). Bad metadata is an
:class:`~ecoplan.core.errors.InputFileError` listing every problem (row, field, text):
a registry is read whole or not at all. A target for a station the registry read with
it does not hold is an ``unknown_station`` reject.

The water body (GB 3838—2002 Table 1 row 8: 河流 or 湖、库) is, when the registry leaves
it empty, inferred by :func:`infer_water_body` from the river name, then the station
name. ``region`` may be empty: it is then resolved by :func:`resolve_region` from the
city and province names (GB/T 2260, :mod:`ecoplan.core.regions`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.regions import bundled_regions, is_known_region, region_lineage
from ecoplan.water.readers.accumulate import empty_stations, finish, station_frame
from ecoplan.water.readers.batch import STATION_COLUMNS, TARGET_COLUMNS, WaterBatch
from ecoplan.water.readers.parsing import Sources, expand, name_of, read_tables
from ecoplan.water.standards import gb3838_2002 as gb

__all__ = [
    "LAKE_SUFFIXES",
    "VARIABLE_MAP",
    "infer_water_body",
    "read_stations",
    "registry",
    "resolve_region",
]

VARIABLE_MAP: Mapping[str, str] = {c: c for c in (*STATION_COLUMNS, *TARGET_COLUMNS)}
"""Column names of the format -> canonical names (matched case-insensitively)."""

#: A name ending with one of these (after removing a bracketed part, ``石门水库（褒河）``)
#: names a lake or reservoir: 湖 (太湖), 水库/库, 海 (洱海, 程海, 乌梁素海), 海子, 池 (滇池),
#: 淀 (白洋淀), 泊 (梁子泊). A name ending otherwise (河, 江, 渠, 运河, 塘, 荡 …) is a river —
#: 海河 and 海拉尔河 end with 河; 湘家荡 is classed by CNEMC with the river TP row.
LAKE_SUFFIXES = ("湖", "水库", "库", "海", "海子", "池", "淀", "泊")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def infer_water_body(river: str | None, station: str | None = None) -> str:
    """``"lake"`` when the river (or, without one, the station) name ends with one of
    :data:`LAKE_SUFFIXES`, else ``"river"``. A registry's ``water_body`` overrides it.

    >>> infer_water_body("洱海"), infer_water_body("海河"), infer_water_body("", "密云水库")
    ('lake', 'river', 'lake')
    """
    name = (river or "").strip() or (station or "").strip()
    name = _BRACKETS.sub("", name).strip()
    return "lake" if name.endswith(LAKE_SUFFIXES) else "river"


@cache
def _names() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in bundled_regions().values():
        out.setdefault(r.name_zh, []).append(r.code)
    return out


@cache
def resolve_region(province: str, city: str = "") -> str | None:
    """The GB/T 2260 code of ``city`` inside ``province`` (names as written; ``辛集`` also
    as ``辛集市``), else of ``province``, else ``None``.

    >>> resolve_region("北京市", "朝阳区"), resolve_region("山东省", "莱芜市")
    ('110105', '370000')
    """
    names = _names()
    prov = [c for c in names.get(province.strip(), []) if bundled_regions()[c].level == "province"]
    pcode = prov[0] if len(prov) == 1 else None
    city = city.strip()
    if city in (province.strip(), province.strip().removesuffix("市")):
        return pcode  # a municipality (北京市 in 北京市): the province-level code
    if city and pcode:
        for name in (city, city + "市", city + "地区"):
            inside = [c for c in names.get(name, []) if c != pcode and pcode in region_lineage(c)]
            if len(inside) == 1:
                return inside[0]
    return pcode


_BODY = {
    "river": "river",
    "lake": "lake",
    "河流": "river",
    "河": "river",
    "湖库": "lake",
    "湖泊": "lake",
    "水库": "lake",
    "湖": "lake",
    "库": "lake",
    "reservoir": "lake",
}
_LEVEL = {
    "national": "national",
    "provincial": "provincial",
    "city": "city",
    "国控": "national",
    "省控": "provincial",
    "市控": "city",
}
_BOOL = {
    "true": True,
    "yes": True,
    "1": True,
    "是": True,
    "y": True,
    "false": False,
    "no": False,
    "0": False,
    "否": False,
    "n": False,
    "": None,
}


def _registry_rows(t: Any, pos: dict[str, int], problems: list[Problem]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for r, rec in zip(t.rows, t.cells.itertuples(index=False), strict=True):

        def cell(col: str, rec: tuple[str, ...] = rec) -> str:
            return str(rec[pos[col]]).strip() if col in pos else ""

        def bad(col: str, why: str, r: int = int(r)) -> None:
            problems.append(Problem(t.name, why, row=r, field=col, text=cell(col)))

        code, name = cell("code"), cell("name")
        if not code:
            bad("code", "empty station code")
        elif code in seen:
            bad("code", "station code given twice")
        seen.add(code)
        if not name:
            bad("name", "empty station name")
        body = _BODY.get(cell("water_body").lower()) if cell("water_body") else None
        if cell("water_body") and body is None:
            bad("water_body", "water_body must be river or lake (河流/湖库)")
        level = _LEVEL.get(cell("control_level").lower()) if cell("control_level") else None
        if cell("control_level") and level is None:
            bad("control_level", "control_level must be national, provincial or city")
        drink = _BOOL.get(cell("drinking_source").lower(), "bad")
        if drink == "bad":
            bad("drinking_source", "drinking_source must be yes or no")
        region = cell("region") or resolve_region(cell("province"), cell("city"))
        if region and not is_known_region(region):
            bad("region", "not a GB/T 2260 code")
        coords: dict[str, float] = {}
        for col, lim in (("lat", 90.0), ("lon", 180.0)):
            try:
                coords[col] = float(cell(col)) if cell(col) else float("nan")
            except ValueError:
                coords[col] = float("nan")
                bad(col, "not a number")
            if abs(coords[col]) > lim:
                bad(col, f"outside ±{lim:g}")
        rows.append(
            {
                "code": code,
                "name": name,
                "province": cell("province") or None,
                "city": cell("city") or None,
                "region": region or None,
                "basin": cell("basin") or None,
                "river": cell("river") or None,
                "water_body": body or infer_water_body(cell("river"), name),
                "control_level": level,
                "drinking_source": None if drink == "bad" else drink,
                **coords,
            }
        )
    return rows


def _target_rows(t: Any, pos: dict[str, int], problems: list[Problem]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for r, rec in zip(t.rows, t.cells.itertuples(index=False), strict=True):
        st, plan, year, cls = (str(rec[pos[c]]).strip() for c in TARGET_COLUMNS)
        where = {"file": t.name, "row": int(r)}
        if not st or not plan:
            problems.append(Problem(reason="empty station or plan", field="station", text=st, **where))
        if not (year.isdigit() and 1900 <= int(year) <= 2100):
            problems.append(
                Problem(reason="year must be a four-digit year", field="year", text=year, **where)
            )
        try:
            target = gb.parse_class(cls)
        except ValueError:
            problems.append(
                Problem(reason="not a class Ⅰ…劣Ⅴ / I…V", field="target_class", text=cls, **where)
            )
            continue
        rows.append(
            {
                "station": st,
                "plan": plan,
                "year": int(year) if year.isdigit() else 0,
                "target_class": target,
                "_file": t.name,
                "_row": int(r),
            }
        )
    return rows


def read_stations(sources: Sources) -> WaterBatch:
    """The registry and targets of ``sources`` (files, folders, streams; CSV or XLSX).

    Returns a :class:`WaterBatch` with no samples. Raises ``InputFileError`` listing every
    bad row: empty or repeated code, unknown water body, control level, drinking-source
    flag, region code, coordinates; bad year or class of a target.
    """
    regs: list[dict[str, object]] = []
    tgts: list[dict[str, object]] = []
    files: list[str] = []
    for item in expand(sources):
        files.append(name_of(item))
        problems: list[Problem] = []
        for t in read_tables(item):
            lower = [h.lower() for h in t.header]
            if "target_class" in lower:
                pos = {h: lower.index(h) for h in TARGET_COLUMNS if h in lower}
                if len(pos) < len(TARGET_COLUMNS):
                    missing = ", ".join(c for c in TARGET_COLUMNS if c not in pos)
                    problems.append(Problem(t.name, f"missing column(s) {missing}", row=1))
                    continue
                tgts += _target_rows(t, pos, problems)
            else:
                pos = {h: lower.index(h) for h in STATION_COLUMNS if h in lower}
                if "code" not in pos or "name" not in pos:
                    problems.append(
                        Problem(
                            t.name, f"missing column(s) code, name; header is {', '.join(t.header)}", row=1
                        )
                    )
                    continue
                regs += _registry_rows(t, pos, problems)
        if problems:
            raise InputFileError(name_of(item), problems)
    codes = [str(r["code"]) for r in regs]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InputFileError(files[-1], f"station code(s) given in two files: {', '.join(twice)}")
    stations = station_frame(regs) if regs else empty_stations()
    known = set(codes)
    cand = pd.DataFrame(
        [
            {
                "file": t["_file"],
                "row": t["_row"],
                "field": "station",
                "station": t["station"],
                "time_text": str(t["year"]),
                "time": pd.NaT,
                "item": None,
                "named_body": None,
                "raw": t["station"],
                "value": float("nan"),
                "published": float("nan"),
                "flag": None,
                "revised_at": pd.NaT,
                "reason": "unknown_station",
            }
            for t in tgts
            if regs and t["station"] not in known
        ]
    )
    targets = pd.DataFrame(
        [{c: t[c] for c in TARGET_COLUMNS} for t in tgts if not regs or t["station"] in known],
        columns=list(TARGET_COLUMNS),
    )
    targets = targets.astype({"station": object, "plan": object, "year": "int64", "target_class": "int64"})
    return finish([cand], stations, registry_given=False, files=files, targets=targets)


def registry(stations: Sources | pd.DataFrame | WaterBatch | None) -> pd.DataFrame | None:
    """The ``stations`` option of a reader as a registry frame (``None`` when not given)."""
    if stations is None:
        return None
    if isinstance(stations, WaterBatch):
        return stations.stations
    if isinstance(stations, pd.DataFrame):
        missing = [c for c in STATION_COLUMNS if c not in stations.columns]
        if missing:
            raise ValueError(f"a station registry needs the columns {', '.join(missing)}")
        return stations
    return read_stations(stations).stations

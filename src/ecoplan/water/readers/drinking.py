"""Drinking-water sources (集中式饮用水水源地): the register and their monthly monitoring.

The register (CSV or an XLSX sheet) has the columns :data:`SOURCE_COLUMNS`: ``code``
(the source id), ``name``, ``region`` (GB/T 2260 code of the county or city the
source serves), ``type`` (``river`` 河流型, ``lake`` 湖库型, ``groundwater`` 地下水型),
``level`` (``city`` 地级及以上城市, ``county`` 县级城市, ``township`` 乡镇) and
``supply_m3d`` (daily supply in m³/d, ≥ 0; empty when unknown — the rate by volume is
then not given). A bad register is an :class:`~ecoplan.core.errors.InputFileError`
listing every problem (file, row, field, the cell and why, words
``water.drinking.problem.*``): a register is read whole or not at all.

Monitoring is read by the long and wide sample readers (:mod:`.long`, :mod:`.wide`)
with the register as their station registry: items of GB 3838—2002 Table 1, Table 2
(硫酸盐, 氯化物, 硝酸盐, 铁, 锰) and Table 3 (by the table's names), each with its unit
declared (:mod:`.items`); a source the register does not hold is an
``unknown_station`` reject, as every other check of :mod:`.accumulate`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from importlib import resources
from typing import Any

import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.regions import is_known_region
from ecoplan.core.words import has, register, word
from ecoplan.water.readers.accumulate import station_frame
from ecoplan.water.readers.batch import WaterBatch
from ecoplan.water.readers.long import read_long
from ecoplan.water.readers.parsing import Sources, expand, name_of, read_tables
from ecoplan.water.readers.wide import read_wide

__all__ = [
    "LEVELS",
    "SAMPLE_FORMATS",
    "SOURCE_COLUMNS",
    "SOURCE_TYPES",
    "problem_word",
    "read_drinking_samples",
    "read_drinking_sources",
    "source_stations",
]

SOURCE_COLUMNS: tuple[str, ...] = ("code", "name", "region", "type", "level", "supply_m3d")
SOURCE_TYPES: tuple[str, ...] = ("river", "lake", "groundwater")
LEVELS: tuple[str, ...] = ("city", "county", "township")
SAMPLE_FORMATS: tuple[str, ...] = ("long", "wide")

_TYPE: Mapping[str, str] = {
    "river": "river", "河流": "river", "河流型": "river", "河": "river",
    "lake": "lake", "reservoir": "lake", "湖库": "lake", "湖库型": "lake", "湖泊": "lake",
    "水库": "lake", "湖泊型": "lake", "水库型": "lake",
    "groundwater": "groundwater", "地下水": "groundwater", "地下水型": "groundwater",
}  # fmt: skip
_LEVEL: Mapping[str, str] = {
    "city": "city", "地级": "city", "地级及以上": "city", "地级及以上城市": "city", "市级": "city",
    "county": "county", "县级": "county", "县级城市": "county", "县": "county",
    "township": "township", "乡镇": "township", "乡镇级": "township", "千吨万人": "township",
}  # fmt: skip


def problem_word(key: str) -> str:
    """A problem's reason (English, as every ``InputFileError``) from the water words; the
    file holding the drinking and black-odorous words is registered when the domain
    registry has not been read yet (a reader used on its own)."""
    if not has(key):
        register(resources.files("ecoplan.water").joinpath("words_drinking.yaml"), prefix="water")
    return word(key, "en")


def _why(code: str) -> str:
    return problem_word(f"water.drinking.problem.{code}")


def _rows(t: Any, pos: dict[str, int], problems: list[Problem], seen: set[str]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for r, rec in zip(t.rows, t.cells.itertuples(index=False), strict=True):

        def cell(col: str, rec: tuple[str, ...] = rec) -> str:
            return str(rec[pos[col]]).strip() if col in pos else ""

        def bad(col: str, code: str, r: int = int(r)) -> None:
            problems.append(Problem(t.name, _why(code), row=r, field=col, text=cell(col)))

        code = cell("code")
        if not code:
            bad("code", "empty")
        elif code in seen:
            bad("code", "twice")
        seen.add(code)
        if not cell("name"):
            bad("name", "empty")
        region = cell("region")
        if not is_known_region(region):
            bad("region", "region")
        kind = _TYPE.get(cell("type").lower())
        if kind is None:
            bad("type", "type")
        level = _LEVEL.get(cell("level").lower())
        if level is None:
            bad("level", "level")
        supply = math.nan
        if cell("supply_m3d"):
            try:
                supply = float(cell("supply_m3d").replace(",", ""))
            except ValueError:
                bad("supply_m3d", "number")
            else:
                if not math.isfinite(supply) or supply < 0:
                    bad("supply_m3d", "supply")
                    supply = math.nan
        out.append(
            {"code": code, "name": cell("name"), "region": region, "type": kind, "level": level,
             "supply_m3d": supply}
        )  # fmt: skip
    return out


def read_drinking_sources(sources: Sources) -> pd.DataFrame:
    """The register of ``sources`` (files, folders, streams; CSV or XLSX) in the columns
    :data:`SOURCE_COLUMNS`, sorted by code. Raises ``InputFileError`` listing every bad
    row (module doc); a code given in two files is refused too."""
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for item in expand(sources):
        problems: list[Problem] = []
        for t in read_tables(item):
            lower = [h.lower() for h in t.header]
            pos = {h: lower.index(h) for h in SOURCE_COLUMNS if h in lower}
            missing = [c for c in SOURCE_COLUMNS[:5] if c not in pos]
            if missing:
                problems.append(Problem(t.name, _why("columns") + ": " + ", ".join(missing), row=1))
                continue
            rows += _rows(t, pos, problems, seen)
        if problems:
            raise InputFileError(name_of(item), problems)
    df = pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))
    df["supply_m3d"] = pd.to_numeric(df["supply_m3d"]).astype("float64")
    for c in SOURCE_COLUMNS[:5]:
        df[c] = df[c].astype(object)
    return df.sort_values("code", kind="stable").reset_index(drop=True)


def source_stations(register: pd.DataFrame) -> pd.DataFrame:
    """The register as a station registry for the sample readers (water body: the
    source type for river and lake sources, none for groundwater)."""
    return station_frame(
        [
            {
                "code": str(r["code"]),
                "name": r["name"],
                "region": r["region"],
                "water_body": r["type"] if r["type"] in ("river", "lake") else None,
                "drinking_source": True,
            }
            for r in register.to_dict("records")
        ]
    )


def read_drinking_samples(sources: Sources, *, register: pd.DataFrame, format: str = "long") -> WaterBatch:
    """Monthly monitoring of the sources in ``register`` (:func:`read_drinking_sources`),
    in the long or wide sample format; a source missing from the register is an
    ``unknown_station`` reject. Raises ``ValueError`` for another format."""
    if format not in SAMPLE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(SAMPLE_FORMATS)}, got {format!r}")
    reader = read_long if format == "long" else read_wide
    return reader(sources, stations=source_stations(register))

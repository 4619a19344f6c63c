"""Monitoring stations: station files (:func:`read_stations`) and the shipped metadata of
Beijing's 12 national-control stations (:data:`BEIJING_STATIONS`).

A station file gives ``code, name, region`` (six-digit GB/T 2260 code) and
optionally ``name_zh, lat, lon, type``; a reader given one rejects observations
of other codes as ``unknown_station`` and returns every station of the file in
``AirBatch.stations``. Without one, codes are accepted as they are and no
metadata is invented.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from ecoplan.air.readers.batch import (
    STATION_COLUMNS,
    STATION_TYPES,
    BoolArray,
    _station_frame,
)
from ecoplan.core.errors import InputFileError, Problem
from ecoplan.ingest.tables import read_table

__all__ = ["BEIJING_STATIONS", "read_stations"]


# (national code, English name, Chinese name, lat, lon). Coordinates are APPROXIMATE: three
# decimals of the widely circulated CNEMC national station list, whose datum (WGS-84 or the
# GCJ-02 offset of Chinese web maps) is not stated -- good to a few hundred metres, for maps only.
BEIJING_STATIONS: tuple[tuple[str, str, str, float, float], ...] = (
    ("1001A", "Wanshouxigong", "万寿西宫", 39.867, 116.366),
    ("1002A", "Dingling", "定陵", 40.287, 116.170),
    ("1003A", "Dongsi", "东四", 39.952, 116.434),
    ("1004A", "Tiantan", "天坛", 39.875, 116.434),
    ("1005A", "Nongzhanguan", "农展馆", 39.972, 116.473),
    ("1006A", "Guanyuan", "官园", 39.943, 116.361),
    ("1007A", "Wanliu", "海淀区万柳", 39.993, 116.315),
    ("1008A", "Shunyi", "顺义新城", 40.144, 116.720),
    ("1009A", "Huairou", "怀柔镇", 40.394, 116.644),
    ("1010A", "Changping", "昌平镇", 40.195, 116.230),
    ("1011A", "Aotizhongxin", "奥体中心", 40.003, 116.407),
    ("1012A", "Gucheng", "古城", 39.928, 116.225),
)


_TYPE_ALIASES = {
    "city": "city",
    "城市": "city",
    "城市点": "city",
    "regional": "regional",
    "区域": "regional",
    "区域点": "regional",
    "background": "background",
    "背景": "background",
    "背景点": "background",
    "source": "source",
    "污染源": "source",
    "traffic": "traffic",
    "交通": "traffic",
    "交通点": "traffic",
    "other": "other",
    "其他": "other",
}


def read_stations(path: str | Path) -> pd.DataFrame:
    """Read a station file (CSV or XLSX).

    Columns ``code``, ``name``, ``region`` (six-digit GB/T 2260 code) are
    required; ``name_zh``, ``lat``, ``lon``, ``type`` are optional (``type``
    defaults to ``city``; one of :data:`~ecoplan.air.readers.batch.STATION_TYPES`, Chinese 城市/区域/背景/
    污染源/交通/其他 accepted).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~ecoplan.air.readers.batch.STATION_COLUMNS`, in file order.

    Raises
    ------
    InputFileError
        Listing every problem with its row: missing column, empty code or
        name, duplicate code, region not six digits, lat/lon not a number or
        out of range, unknown type.
    """
    name = str(path)
    header, rows = read_table(path)
    lower = {h.lower(): h for h in header if h}
    missing = [c for c in ("code", "name", "region") if c not in lower]
    if missing:
        raise InputFileError(
            name,
            [Problem(name, f"missing column(s) {', '.join(missing)}; header is {', '.join(header)}", row=1)],
        )
    problems: list[Problem] = []
    out: dict[str, list[Any]] = {c: [] for c in STATION_COLUMNS}
    first_row: dict[str, int] = {}
    for rownum, r in rows:

        def get(col: str, _r: dict[str, str] = r) -> str:
            h = lower.get(col)
            return _r.get(h, "").strip() if h else ""

        def bad(col: str, reason: str, _row: int = rownum) -> None:
            problems.append(Problem(name, reason, row=_row, field=col, text=get(col)))

        code = get("code")
        if not code:
            bad("code", "empty station code")
        elif code in first_row:
            bad("code", f"duplicate station code (first given in row {first_row[code]})")
        else:
            first_row[code] = rownum
        if not get("name"):
            bad("name", "empty station name")
        region = get("region")
        if not (len(region) == 6 and region.isascii() and region.isdigit()):
            bad("region", "region must be a six-digit GB/T 2260 code")
        coords: dict[str, float] = {}
        for col, limit in (("lat", 90.0), ("lon", 180.0)):
            text = get(col)
            if not text:
                coords[col] = math.nan
                continue
            try:
                v = float(text)
            except ValueError:
                bad(col, "not a number")
                continue
            if not -limit <= v <= limit:
                bad(col, f"out of range (-{limit:g} to {limit:g})")
            coords[col] = v
        type_text = get("type")
        st = _TYPE_ALIASES.get(type_text.lower()) if type_text else "city"
        if st is None:
            bad("type", f"unknown station type (one of {', '.join(STATION_TYPES)})")
        out["code"].append(code)
        out["name"].append(get("name"))
        out["name_zh"].append(get("name_zh"))
        out["region"].append(region)
        out["lat"].append(coords.get("lat", math.nan))
        out["lon"].append(coords.get("lon", math.nan))
        out["type"].append(st)
    if not rows:
        problems.append(Problem(name, "no stations: the file has a header but no rows"))
    if problems:
        raise InputFileError(name, problems)
    return _station_frame(out)


def _stations_arg(stations: str | Path | pd.DataFrame | None) -> pd.DataFrame | None:
    if stations is None:
        return None
    if isinstance(stations, pd.DataFrame):
        return stations
    return read_stations(stations)


def _station_check(codes: pd.Series, known: pd.DataFrame | None) -> BoolArray:
    ok = (codes != "").to_numpy(dtype=bool)
    if known is not None:
        ok = ok & codes.isin(set(known["code"])).to_numpy(dtype=bool)
    return ok


def _known_stations(known: pd.DataFrame | None) -> pd.DataFrame:
    """The station table of a batch: the station file, or nothing (no metadata is invented)."""
    if known is not None:
        return known
    return _station_frame({c: [] for c in STATION_COLUMNS})

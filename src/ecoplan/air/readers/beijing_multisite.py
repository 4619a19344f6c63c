"""The UCI "Beijing Multi-Site Air-Quality" files (``PRSA_Data_<Station>_*.csv[.gz]``).

Columns ``year, month, day, hour, PM2.5, PM10, SO2, NO2, CO, O3, station``
(other columns are ignored). All six pollutants are in µg/m³ there, CO included;
this named format declares that, so CO is divided by 1000 into the canonical
mg/m³ (HJ 633-2012). The ``hour`` (0–23, Beijing time) is taken as the START of
the hour. Stations are the 12 national-control stations of
:data:`~ecoplan.air.readers.stations.BEIJING_STATIONS`, stored under their
national codes (``1001A`` …).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ecoplan.air.readers.accumulate import _Acc, _add_rows, _finish
from ecoplan.air.readers.batch import (
    POLLUTANT_NAMES,
    POLLUTANTS,
    AirBatch,
    _station_frame,
)
from ecoplan.air.readers.parsing import (
    _check_region,
    _Column,
    _conversion,
    _map_unique,
    _pollutant,
    _read_csv,
    _require,
    _text,
)
from ecoplan.air.readers.stations import (
    BEIJING_STATIONS,
)
from ecoplan.air.readers.times import _assemble
from ecoplan.core.sources import Sources
from ecoplan.core.sources import expand as _expand
from ecoplan.core.sources import name_of as _name

__all__ = ["VARIABLE_MAP", "read_beijing_multisite"]

VARIABLE_MAP: Mapping[str, str] = {
    "year": "year",
    "month": "month",
    "day": "day",
    "hour": "hour",
    "station": "station",
    **POLLUTANT_NAMES,
}
"""Column names of the format -> canonical names (matched case-insensitively;
canonical pollutant names accepted too)."""
_COLUMNS = {k.lower(): v for k, v in VARIABLE_MAP.items()}
_BEIJING_TZ = "Asia/Shanghai"


def read_beijing_multisite(paths: Sources, *, region: str = "110000") -> AirBatch:
    """Read UCI "Beijing Multi-Site Air-Quality" files (``*.csv`` / ``*.csv.gz``; folders allowed).

    CO is given in µg/m³ by this format and is converted to mg/m³. ``hour``
    (0–23, Asia/Shanghai) is taken as the start of the hour. Stations are
    identified by English name (Chinese name or national code also accepted)
    and stored under their national code (``1001A`` …); a name that is not one
    of the 12 national-control stations is rejected as ``unknown_station``.

    Parameters
    ----------
    paths
        Files, folders, or open file-like objects (text or binary; gzip bytes are recognised).
    region
        GB/T 2260 code given to the stations (default Beijing, 110000).

    Raises
    ------
    InputFileError
        A file is missing, unreadable or lacks a year/month/day/hour/station column.
    """
    _check_region(region)
    files = _expand(paths, (".csv", ".csv.gz"))
    lookup: dict[str, str] = {}
    for code, en, zh, _lat, _lon in BEIJING_STATIONS:
        lookup.update({code.lower(): code, en.lower(): code, zh: code})
    wanted = {*_COLUMNS, *POLLUTANTS}
    acc = _Acc()
    for path in files:
        name = _name(path)
        df = _read_csv(path, usecols=lambda c: c.lower() in wanted)
        cols = _require(name, df, ("year", "month", "day", "hour", "station"))
        rows = df.index.to_numpy(dtype=np.int64) + 2
        ymdh = [_text(df[cols[k]]).str.strip() for k in ("year", "month", "day", "hour")]
        ttext = ymdh[0] + "-" + ymdh[1] + "-" + ymdh[2] + " " + ymdh[3] + ":00"
        y, mo, d, h = (pd.to_numeric(c, errors="coerce").to_numpy(dtype=np.float64) for c in ymdh)
        zero, whole = np.zeros(len(df)), np.ones(len(df), dtype=bool)
        times, why = _assemble(y, mo, d, h, zero, zero, whole, zero + np.nan, _BEIJING_TZ)
        raw_station = _text(df[cols["station"]]).str.strip()
        mapped = _map_unique(raw_station, lambda s: lookup.get(s.lower()))
        ok = ~pd.isna(mapped)
        station = pd.Series(np.where(ok, mapped, raw_station.to_numpy(dtype=object)), dtype="str")
        columns: dict[str, _Column] = {}
        for c in df.columns:
            p = _pollutant(c)
            if p is not None and p not in columns:
                columns[p] = _Column(df[c], *_conversion(p, "ug"), name=str(c))
        _add_rows(
            acc,
            file=name,
            rows=rows,
            station=station,
            station_ok=ok,
            time_text=ttext,
            times=times,
            time_why=why,
            columns=columns,
        )
    seen = {str(c) for part in acc.parts for c in part["station"].unique()}
    meta = [s for s in BEIJING_STATIONS if s[0] in seen]
    stations = _station_frame(
        {
            "code": [s[0] for s in meta],
            "name": [s[1] for s in meta],
            "name_zh": [s[2] for s in meta],
            "region": [region] * len(meta),
            "lat": [s[3] for s in meta],
            "lon": [s[4] for s in meta],
            "type": ["city"] * len(meta),
        }
    )
    return _finish(acc, stations)

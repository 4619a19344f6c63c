"""Long CSV: one value per row, ``station, time, pollutant, value, unit``.

Every row that has a value declares its unit (µg/m³ or mg/m³, in any of the
accepted spellings); values are converted to canonical units — µg/m³, except CO
in mg/m³ (HJ 633-2012). A pollutant name that is neither one of
:data:`~ecoplan.air.readers.batch.POLLUTANT_NAMES` nor canonical, or a missing
or unknown unit, rejects the whole file with every bad row listed. A pollutant
in no row of any file is ``absent``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ecoplan.air.readers.accumulate import _Acc, _add_rows, _finish
from ecoplan.air.readers.batch import (
    POLLUTANTS,
    AirBatch,
    BoolArray,
)
from ecoplan.air.readers.parsing import (
    _MISSING_LOWER,
    _Column,
    _conversion,
    _map_unique,
    _pollutant,
    _read_csv,
    _require,
    _unit_key,
)
from ecoplan.air.readers.stations import (
    _known_stations,
    _station_check,
    _stations_arg,
)
from ecoplan.air.readers.times import _check_tz, _parse_times
from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.sources import Sources
from ecoplan.core.sources import expand as _expand
from ecoplan.core.sources import name_of as _name

__all__ = ["VARIABLE_MAP", "read_long_csv"]

VARIABLE_MAP: Mapping[str, str] = {
    "station": "station",
    "time": "time",
    "pollutant": "pollutant",
    "value": "value",
    "unit": "unit",
}
"""Column names of the format -> canonical names (matched case-insensitively; all required)."""


def read_long_csv(
    paths: Sources,
    *,
    stations: str | Path | pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
) -> AirBatch:
    """Read long CSV files: one value per row, ``station, time, pollutant, value, unit``.

    ``unit`` is required on every row that has a value (µg/m³, ug/m3, μg/m3,
    ug/m³, mg/m³, mg/m3); values are converted to canonical units. A pollutant
    that appears in no row of any file is ``absent``.

    Parameters
    ----------
    paths
        Files (``.csv``, ``.csv.gz``), folders, or open file-like objects
        (text or binary; gzip bytes are recognised).
    stations
        A station file (see :func:`~ecoplan.air.readers.stations.read_stations`) or its
        parsed table; codes not in it are rejected as ``unknown_station``.
    tz
        IANA time zone of the times (naive times are in it; offsets must match it).

    Raises
    ------
    InputFileError
        Missing column, unknown pollutant name, missing or unknown unit (every
        bad row listed), unreadable file.
    """
    _check_tz(tz)
    known = _stations_arg(stations)
    acc = _Acc()
    for path in _expand(paths, (".csv", ".csv.gz")):
        name = _name(path)
        df = _read_csv(path)
        cols = _require(name, df, tuple(VARIABLE_MAP))
        rows = df.index.to_numpy(dtype=np.int64) + 2
        pol = pd.Series(_map_unique(df[cols["pollutant"]], _pollutant))
        unit = pd.Series(_map_unique(df[cols["unit"]], _unit_key))
        value = df[cols["value"]]
        value_missing = value.str.strip().str.lower().isin(_MISSING_LOWER).to_numpy()
        problems: list[Problem] = []
        for i in np.flatnonzero(pol.isna().to_numpy()):
            problems.append(
                Problem(
                    name,
                    f"unknown pollutant (one of {', '.join(POLLUTANTS)}; PM2.5 accepted)",
                    row=int(rows[i]),
                    field=cols["pollutant"],
                    text=str(df[cols["pollutant"]].iat[int(i)]),
                )
            )
        for i in np.flatnonzero(unit.isna().to_numpy() & ~value_missing):
            text = str(df[cols["unit"]].iat[int(i)])
            problems.append(
                Problem(
                    name,
                    "unit not declared: every value needs ug/m3 or mg/m3"
                    if not text.strip()
                    else "unknown unit (use ug/m3 or mg/m3)",
                    row=int(rows[i]),
                    field=cols["unit"],
                    text=text,
                )
            )
        if problems:
            raise InputFileError(name, problems)
        pol_a = pol.to_numpy(dtype=object)
        unit_a = unit.fillna("ug").to_numpy(dtype=object)
        station = df[cols["station"]].str.strip()
        ttext = df[cols["time"]]
        times, why = _parse_times(ttext, tz)
        station_ok = _station_check(station, known)
        columns: dict[str, _Column] = {}
        given: dict[str, BoolArray] = {}
        for p in POLLUTANTS:
            mask = pol_a == p
            if not mask.any():
                continue
            mul = np.ones(len(df))
            div = np.ones(len(df))
            for u in ("ug", "mg"):
                m, d = _conversion(p, u)
                mul[mask & (unit_a == u)] = m
                div[mask & (unit_a == u)] = d
            # cells of other pollutants are blank in this column: missing, not given
            columns[p] = _Column(value.where(mask, ""), mul, div, name=cols["value"])
            given[p] = mask
        _add_rows(
            acc,
            file=name,
            rows=rows,
            station=station,
            station_ok=station_ok,
            time_text=ttext,
            times=times,
            time_why=why,
            columns=columns,
            given=given,
        )
    return _finish(acc, _known_stations(known))

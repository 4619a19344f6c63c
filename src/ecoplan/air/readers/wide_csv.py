"""Wide CSV: one station-hour per row, ``station, time`` and any of the pollutant columns.

A pollutant header may carry its unit in brackets (``co[mg/m3]``,
``PM2.5(μg/m³)``); otherwise the ``units`` argument declares it. Canonical units
are µg/m³, except CO in mg/m³ (HJ 633-2012). A value whose unit is declared
nowhere is taken as µg/m³ — what every Chinese network reports — except CO,
whose unit must be declared (µg/m³ and mg/m³ differ by a factor of 1000 and both
occur in the wild). Columns that are not pollutants are ignored. The column
handling (:func:`_add_wide`) is shared with :mod:`.parquet_hourly`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecoplan.air.readers.accumulate import _Acc, _add_rows, _finish
from ecoplan.air.readers.batch import (
    POLLUTANT_NAMES,
    AirBatch,
)
from ecoplan.air.readers.parsing import (
    _Column,
    _conversion,
    _declared_units,
    _pollutant,
    _read_csv,
    _require,
    _text,
    _unit_key,
)
from ecoplan.air.readers.stations import (
    _known_stations,
    _station_check,
    _stations_arg,
)
from ecoplan.air.readers.times import _check_tz, _datetimes, _parse_times
from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.sources import Sources
from ecoplan.core.sources import expand as _expand
from ecoplan.core.sources import name_of as _name

__all__ = ["VARIABLE_MAP", "read_wide_csv"]

VARIABLE_MAP: Mapping[str, str] = {"station": "station", "time": "time", **POLLUTANT_NAMES}
"""Column names of the format -> canonical names (matched case-insensitively; canonical
pollutant names accepted too; a pollutant header may end in ``[unit]`` or ``(unit)``)."""


_HEADER = re.compile(r"^\s*(?P<name>[^\[\(]*?)\s*(?:[\[\(](?P<unit>[^\]\)]*)[\]\)])?\s*$")


def _wide_columns(name: str, df: pd.DataFrame, units: Mapping[str, str]) -> dict[str, _Column]:
    """Pollutant columns of a wide table with their unit conversion; other columns are ignored."""
    problems: list[Problem] = []
    found: dict[str, _Column] = {}
    header_of: dict[str, str] = {}
    for c in df.columns:
        m = _HEADER.match(str(c))
        if m is None:
            continue
        p = _pollutant(m.group("name"))
        if p is None:
            continue
        if p in found:
            problems.append(
                Problem(name, f"{p} given twice (columns {header_of[p]!r} and {c!r})", row=1, field=str(c))
            )
            continue
        unit_text = m.group("unit")
        unit: str | None = None
        if unit_text is not None:
            unit = _unit_key(unit_text)
            if unit is None:
                problems.append(
                    Problem(name, "unknown unit (use ug/m3 or mg/m3)", row=1, field=str(c), text=unit_text)
                )
                continue
            if p in units and units[p] != unit:
                problems.append(
                    Problem(
                        name,
                        f"unit of {p} declared twice: header says {unit_text.strip()}, "
                        f"--unit says {units[p]}/m3",
                        row=1,
                        field=str(c),
                    )
                )
                continue
        else:
            unit = units.get(p)
        if unit is None:
            if p == "co":
                problems.append(
                    Problem(
                        name,
                        "unit of co not declared; write co[mg/m3] in the header or pass --unit co=mg/m3",
                        row=1,
                        field=str(c),
                    )
                )
                continue
            unit = "ug"
        mul, div = _conversion(p, unit)
        found[p] = _Column(df[c], mul, div, name=str(c))
        header_of[p] = str(c)
    if problems:
        raise InputFileError(name, problems)
    return found


def _add_wide(
    acc: _Acc,
    name: str,
    df: pd.DataFrame,
    rows: npt.NDArray[np.int64],
    units: Mapping[str, str],
    known: pd.DataFrame | None,
    tz: str,
) -> None:
    cols = _require(name, df, ("station", "time"))
    columns = _wide_columns(name, df, units)
    station = _text(df[cols["station"]]).str.strip()
    tcol = df[cols["time"]]
    if pd.api.types.is_datetime64_any_dtype(tcol.dtype):
        times, why, ttext = _datetimes(tcol, tz)
    else:
        ttext = _text(tcol)
        times, why = _parse_times(ttext, tz)
    acc_station_ok = _station_check(station, known)
    _add_rows(
        acc,
        file=name,
        rows=rows,
        station=station,
        station_ok=acc_station_ok,
        time_text=ttext,
        times=times,
        time_why=why,
        columns=columns,
    )


def read_wide_csv(
    paths: Sources,
    *,
    units: Mapping[str, str] | None = None,
    stations: str | Path | pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
) -> AirBatch:
    """Read wide CSV files: ``station, time`` and any of the pollutant columns.

    A pollutant header may carry its unit in brackets (``co[mg/m3]``,
    ``PM2.5[ug/m3]``, ``PM2.5(μg/m³)``); otherwise ``units`` declares it
    (``{"co": "mg/m3"}``). An undeclared unit means µg/m³, except for CO,
    whose unit must be declared. Columns that are not pollutants are ignored.
    ``paths``, ``stations`` and ``tz`` are as in
    :func:`~ecoplan.air.readers.long_csv.read_long_csv`.

    Raises
    ------
    InputFileError
        Missing ``station``/``time`` column, undeclared CO unit, unknown or
        conflicting unit, a pollutant given twice, unreadable file.
    ValueError
        ``units`` names an unknown pollutant or unit, or ``tz`` is unknown.
    """
    _check_tz(tz)
    declared = _declared_units(units)
    known = _stations_arg(stations)
    acc = _Acc()
    for path in _expand(paths, (".csv", ".csv.gz")):
        df = _read_csv(path)
        _add_wide(acc, _name(path), df, df.index.to_numpy(dtype=np.int64) + 2, declared, known, tz)
    return _finish(acc, _known_stations(known))

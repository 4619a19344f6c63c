"""Parquet: the columns of a wide CSV (:mod:`.wide_csv`: the same
:data:`VARIABLE_MAP`, the same unit rules, CO in mg/m³ per HJ 633-2012).

Value columns may be numeric or text; ``time`` may be text or a timestamp (a
time-zone-aware timestamp must be in a zone with the declared offset). ``row``
in rejects is the 1-based record number (Parquet has no header row). Folders
stand for their ``*.parquet`` / ``*.pq`` files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ecoplan.air.readers.accumulate import _Acc, _finish
from ecoplan.air.readers.batch import (
    AirBatch,
)
from ecoplan.air.readers.parsing import (
    _declared_units,
)
from ecoplan.air.readers.stations import (
    _known_stations,
    _stations_arg,
)
from ecoplan.air.readers.times import _check_tz
from ecoplan.air.readers.wide_csv import VARIABLE_MAP as WIDE_VARIABLE_MAP
from ecoplan.air.readers.wide_csv import _add_wide
from ecoplan.core.errors import InputFileError
from ecoplan.core.sources import Sources
from ecoplan.core.sources import expand as _expand
from ecoplan.core.sources import name_of as _name

__all__ = ["VARIABLE_MAP", "read_parquet_hourly"]

VARIABLE_MAP: Mapping[str, str] = WIDE_VARIABLE_MAP
"""Column names of the format -> canonical names: those of a wide CSV."""


def read_parquet_hourly(
    paths: Sources,
    *,
    units: Mapping[str, str] | None = None,
    stations: str | Path | pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
) -> AirBatch:
    """Read Parquet files with the columns of a wide CSV (see :func:`.wide_csv.read_wide_csv`).

    Value columns may be numeric or text; ``time`` may be text or a timestamp
    (a time-zone-aware timestamp must be in a zone with the declared offset).
    ``row`` in rejects is the 1-based record number (Parquet has no header row).
    Folders stand for their ``*.parquet`` / ``*.pq`` files; binary file-like objects are read as they are.
    """
    _check_tz(tz)
    declared = _declared_units(units)
    known = _stations_arg(stations)
    acc = _Acc()
    for path in _expand(paths, (".parquet", ".pq")):
        name = _name(path)
        try:
            df = pd.read_parquet(path)  # type: ignore[arg-type]  # a text stream fails here too
        except Exception as exc:  # pyarrow raises many kinds for a bad file
            raise InputFileError(name, f"not a readable Parquet file ({exc})") from exc
        df = df.reset_index(drop=True)
        df.columns = [str(c).strip() for c in df.columns]
        _add_wide(acc, name, df, df.index.to_numpy(dtype=np.int64) + 1, declared, known, tz)
    return _finish(acc, _known_stations(known))

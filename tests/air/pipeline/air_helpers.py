"""Synthetic hourly observations for pipeline tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ecoplan.air.readers.batch import POLLUTANTS, REJECT_COLUMNS, STATION_COLUMNS, AirBatch

BASE = {"pm25": 40.0, "pm10": 70.0, "so2": 10.0, "no2": 30.0, "co": 0.8, "o3": 80.0}


def stations(codes: Sequence[str], region: str, type_: str = "city") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"code": c, "name": c, "name_zh": c, "region": region, "lat": 40.0, "lon": 116.0, "type": type_}
            for c in codes
        ],
        columns=list(STATION_COLUMNS),
    )


def hourly(
    codes: Sequence[str],
    start: dt.date,
    days: int,
    values: Mapping[str, float] | None = None,
    hours: Sequence[int] = tuple(range(24)),
) -> pd.DataFrame:
    """Constant values for every station, day and listed hour."""
    vals = {**BASE, **(values or {})}
    times = [
        dt.datetime.combine(start + dt.timedelta(days=d), dt.time(h)) for d in range(days) for h in hours
    ]
    rows = []
    for c in codes:
        df = pd.DataFrame({"station": c, "time": pd.to_datetime(times)})
        for p in POLLUTANTS:
            df[p] = float(vals[p]) if p in vals else np.nan
        rows.append(df)
    out = pd.concat(rows, ignore_index=True)
    out["time"] = out["time"].astype("datetime64[ns]")
    return out


def batch(h: pd.DataFrame, st: pd.DataFrame, absent: Sequence[str] = ()) -> AirBatch:
    return AirBatch(
        hourly=h.sort_values(["station", "time"]).reset_index(drop=True),
        stations=st,
        rejects=pd.DataFrame(columns=list(REJECT_COLUMNS)),
        absent=frozenset(absent),
        files=["synthetic"],
    )

"""The pipeline's SQL against the NumPy reference of HJ 663 (issue #9: one source
for each rule). The percentile order statistics and the MDA8 windows are generated
from :mod:`ecoplan.air.standards.hj663_2013`; these properties check, on generated
data, that the SQL DuckDB runs gives what the tested reference gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.air.pipeline.evaluate import _percentile
from ecoplan.air.pipeline.sql import annual_sql, city_daily_sql
from ecoplan.air.standards import gb3095, hj663_2013
from ecoplan.core.sql import to_dialect
from ecoplan.store.engines import DuckDBEngine

S = 1_000_000
DAY0 = dt.date(2015, 1, 1)


@pytest.fixture(scope="module")
def engine() -> Iterator[DuckDBEngine]:
    e = DuckDBEngine(threads=1)
    yield e
    e.close()


def _city_daily_frame(values: list[int]) -> pd.DataFrame:
    """A one-region city daily table whose PM2.5 daily values are ``values`` (µg/m³)."""
    n = len(values)
    null = pd.array([None] * n, dtype="Int64")
    return pd.DataFrame(
        {
            "region": "110000",
            "day": pd.to_datetime([DAY0 + dt.timedelta(days=i) for i in range(n)]),
            "pm25": pd.array([v * S for v in values], dtype="Int64"),
            **{c: null for c in ("pm10", "so2", "no2", "co", "o3_8h")},
            "valid": True,
            "aqi_raw": pd.array([50] * n, dtype="Int64"),
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.integers(0, 999), min_size=1, max_size=366),
    p=st.one_of(st.sampled_from(hj663_2013.ANNUAL_PERCENTILES), st.integers(0, 100)),
)
def test_sql_percentile_equals_reference(engine: DuckDBEngine, values: list[int], p: int) -> None:
    """annual_sql picks X(s), X(s+1) and the assembly interpolates: = hj663_2013.percentile."""
    engine.register_frame("ref_daily", _city_daily_frame(values))
    got = engine.fetch(to_dialect(annual_sql([p], source="ref_daily"), engine.dialect))
    row = got[got["item"] == "pm25"].iloc[0]
    n = int(row["n"])
    assert n == len(values)
    value = float(_percentile(n, p, int(row[f"p{p}_lo"]), int(row[f"p{p}_hi"])) / S)
    want = hj663_2013.percentile(values, p)
    assert want is not None
    assert value == pytest.approx(want, rel=1e-12, abs=1e-9)


# one day of hourly O3: None = the row is absent, NaN = the row with a NULL value
_hour = st.one_of(st.none(), st.just(float("nan")), st.integers(0, 400).map(float))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.lists(_hour, min_size=24, max_size=24), min_size=1, max_size=12))
def test_sql_mda8_equals_reference(engine: DuckDBEngine, days: list[list[float | None]]) -> None:
    """city_daily_sql's O3 8-h value (one station) = hj663_2013.mda8 + mda8_valid."""
    rows = []
    for d, hours in enumerate(days):
        for h, v in enumerate(hours):
            if v is not None:
                t = dt.datetime.combine(DAY0 + dt.timedelta(days=d), dt.time(h))
                rows.append({"station": "S1", "time": t, "o3": v})
    frame = pd.DataFrame(rows, columns=["station", "time", "o3"])
    for p in ("pm25", "pm10", "so2", "no2", "co"):
        frame[p] = np.nan
    frame["time"] = pd.to_datetime(frame["time"]).astype("datetime64[us]")
    frame["o3"] = frame["o3"].astype("float64")
    engine.register_frame("air_hourly", frame)
    engine.register_frame(
        "air_stations", pd.DataFrame({"code": ["S1"], "region": ["110000"], "type": ["city"]})
    )
    end = DAY0 + dt.timedelta(days=len(days) - 1)
    got = engine.fetch(
        to_dialect(
            f"SELECT day, o3_8h FROM ({city_daily_sql(DAY0, end, '2012')}) ORDER BY day", engine.dialect
        )
    )
    sql = {pd.Timestamp(r.day).date(): r.o3_8h for r in got.itertuples()}

    matrix = np.array([[np.nan if v is None else v for v in hours] for hours in days], dtype=np.float64)
    best, windows = hj663_2013.mda8(matrix)
    limit = gb3095.limit("o3", "8h", on=DAY0)
    for d in range(len(days)):
        day = DAY0 + dt.timedelta(days=d)
        want_valid = hj663_2013.mda8_valid(float(best[d]), int(windows[d]), limit)
        value = sql.get(day)
        have = value is not None and not pd.isna(value)
        assert have is want_valid, (day, best[d], windows[d], value)
        if have:
            assert float(value) / S == pytest.approx(float(best[d]), abs=1e-6)

"""The air pipeline's SQL, generated once from the standards' tables.

Every rule comes from :mod:`ecoplan.air.standards` — breakpoints (HJ 633 表1/表3),
the special > 800 rules, validity (GB 3095 表4, HJ 663 §6.1.2), MDA8 windows — and is
turned into DuckDB-dialect SQL here; :func:`ecoplan.core.sql.to_dialect`
transpiles it for Spark. Nothing in this code knows an engine. Missing values are
SQL NULLs (the store writes Parquet nulls, never NaN). The code lives in
:mod:`.sql_expr` (exact scaled arithmetic, IAQI, GB/T 8170 rounding, editions),
:mod:`.sql_daily` (city daily values, event deduction), :mod:`.sql_hourly`
(real-time reports) and :mod:`.sql_annual` (annual statistics, AQI day counts);
this module is their public face.
"""

from __future__ import annotations

from ecoplan.air.pipeline.sql_annual import annual_sql, aqi_counts_sql
from ecoplan.air.pipeline.sql_daily import (
    DAILY_COLUMNS,
    EVENT_POLLUTANTS,
    PACK,
    PACK_CAP,
    city_daily_sql,
    deducted_daily_sql,
)
from ecoplan.air.pipeline.sql_expr import DailyOptions, S
from ecoplan.air.pipeline.sql_hourly import HOURLY_COLUMNS, MOVING_MIN, hourly_sql

__all__ = [
    "DAILY_COLUMNS",
    "EVENT_POLLUTANTS",
    "HOURLY_COLUMNS",
    "MOVING_MIN",
    "PACK",
    "PACK_CAP",
    "DailyOptions",
    "S",
    "annual_sql",
    "aqi_counts_sql",
    "city_daily_sql",
    "deducted_daily_sql",
    "hourly_sql",
]

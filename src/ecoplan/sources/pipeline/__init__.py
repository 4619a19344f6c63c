"""The facts pipeline: minute → hour → day rollups with hourly and daily compliance,
exceedance events, abnormal-data alarms and annual totals.

The SQL (:mod:`.sql`) is written once in DuckDB's dialect from the standards' data and
run on the store's DuckDB or, through SQLGlot, on Spark (:mod:`.run`).
"""

from ecoplan.sources.pipeline.run import (
    ALARM_COLUMNS,
    DAILY_COLUMNS,
    EVENT_COLUMNS,
    HOURLY_COLUMNS,
    INPUTS,
    TOTAL_COLUMNS,
    alarms,
    daily,
    events,
    fetch,
    hourly,
    register,
    rollups,
    totals,
)
from ecoplan.sources.pipeline.sql import Window

__all__ = [
    "ALARM_COLUMNS",
    "DAILY_COLUMNS",
    "EVENT_COLUMNS",
    "HOURLY_COLUMNS",
    "INPUTS",
    "TOTAL_COLUMNS",
    "Window",
    "alarms",
    "daily",
    "events",
    "fetch",
    "hourly",
    "register",
    "rollups",
    "totals",
]

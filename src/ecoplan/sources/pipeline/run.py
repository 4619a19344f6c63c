"""Run the facts SQL (:mod:`.sql`) on an engine.

An engine sees the store's tables under their own names: the store's DuckDB runs the SQL
on them where they are (no copy); another engine (Spark, or an in-memory DuckDB in the
parity tests) gets them as frames through :func:`register`. Each step materialises a
table on the engine: ``f_minute_hours`` (the one pass over the minute data) →
``f_interval`` → ``f_hourly`` (hours with limits and verdicts, one statement) →
``f_daily_base`` → ``f_daily`` → ``f_events``; ``f_minutes`` → ``f_alarms``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from ecoplan.core.sql import Engine, to_dialect
from ecoplan.sources.pipeline.sql import (
    Window,
    alarms_sql,
    daily_sql,
    events_sql,
    hourly_sql,
    interval_sql,
    judged_sql,
    minute_hours_sql,
    minutes_sql,
    totals_sql,
)
from ecoplan.sources.standards.alarms import AlarmParams

__all__ = [
    "ALARM_COLUMNS",
    "DAILY_COLUMNS",
    "EVENT_COLUMNS",
    "HOURLY_COLUMNS",
    "INPUTS",
    "TOTAL_COLUMNS",
    "alarms",
    "daily",
    "events",
    "hourly",
    "register",
    "rollups",
    "totals",
]

#: The store tables the SQL reads, with their columns' kinds (str, float, int, ts, date).
INPUTS: Mapping[str, Mapping[str, str]] = {
    "sources_values": {
        "frame_id": "int", "mn": "str", "cn": "str", "data_time": "ts", "factor": "str", "rtd": "float",
        "avg": "float", "min": "float", "max": "float", "cou": "float", "zs_rtd": "float",
        "zs_avg": "float", "flag": "str",
    },
    "sources_devices": {"mn": "str", "outlet_id": "str"},
    "sources_outlets": {"outlet_id": "str", "credit_code": "str", "medium": "str", "ref_o2": "float"},
    "sources_enterprises": {"credit_code": "str", "region": "str"},
    "sources_permits": {"permit_no": "str", "credit_code": "str", "valid_from": "date", "valid_to": "date"},
    "sources_permit_limits": {
        "permit_no": "str", "outlet_id": "str", "factor": "str", "limit_value": "float", "basis": "str",
        "ref_o2": "float",
    },
}  # fmt: skip

HOURLY_COLUMNS: tuple[str, ...] = (
    "outlet_id", "mn", "medium", "factor", "hour", "avg", "zs_avg", "min", "max", "cou", "records",
    "valid_minutes", "stopped_minutes", "flag", "status", "source", "limit_value", "limit_ref_o2", "value",
    "exceed",
)  # fmt: skip
DAILY_COLUMNS: tuple[str, ...] = (
    "outlet_id", "mn", "medium", "factor", "day", "avg", "zs_avg", "min", "max", "cou", "hours",
    "valid_hours", "stopped_hours", "status", "source", "limit_value", "limit_ref_o2", "value", "exceed",
)  # fmt: skip
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "outlet_id", "mn", "factor", "basis", "start", "end", "periods", "max_value",
    "mean_value", "limit_value", "ref_o2",
)  # fmt: skip
ALARM_COLUMNS: tuple[str, ...] = (
    "alarm_id", "kind", "mn", "outlet_id", "factor", "start", "end", "value", "records",
)  # fmt: skip
TOTAL_COLUMNS: tuple[str, ...] = (
    "year", "credit_code", "region", "factor", "tonnes", "days", "expected_days", "outlets",
)  # fmt: skip

_CAST = {"str": "VARCHAR", "float": "DOUBLE", "int": "BIGINT", "ts": "TIMESTAMP", "date": "DATE"}


def _raw_frame(frame: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """The columns typed so that every engine infers a type: strings ('' for missing),
    doubles (NaN for missing), timestamps."""
    out = pd.DataFrame(index=range(len(frame)))
    for col, kind in kinds.items():
        s = frame[col] if col in frame.columns else pd.Series([None] * len(frame), dtype=object)
        s = s.reset_index(drop=True)
        if kind == "str":
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
        elif kind in ("float", "int"):
            out[col] = pd.to_numeric(s, errors="coerce").astype("float64")
        else:
            out[col] = pd.to_datetime(s).astype("datetime64[us]")
    return out


def register(engine: Engine, tables: Mapping[str, pd.DataFrame]) -> None:
    """Expose the store's tables (:data:`INPUTS`) to ``engine`` under their own names:
    missing values become NULL on every engine (not NaN, not '')."""
    for name, kinds in INPUTS.items():
        frame = tables.get(name, pd.DataFrame(columns=list(kinds)))
        engine.register_frame(f"raw_{name}", _raw_frame(frame, kinds))
        cols = []
        for col, kind in kinds.items():
            if kind == "str":
                cols.append(f"NULLIF({col}, '') AS {col}")
            elif kind in ("float", "int"):
                cols.append(
                    f"CAST(CASE WHEN ISNAN({col}) THEN NULL ELSE {col} END AS {_CAST[kind]}) AS {col}"
                )
            else:
                cols.append(f"CAST({col} AS {_CAST[kind]}) AS {col}")
        _materialize(engine, name, f"SELECT {', '.join(cols)} FROM raw_{name}")


def _materialize(engine: Engine, name: str, sql: str) -> None:
    """``engine.materialize`` of the SQL in the engine's dialect (on Spark the step is
    checkpointed: each step is planned on its own)."""
    engine.materialize(name, to_dialect(sql, engine.dialect))


def _fetch(engine: Engine, sql: str) -> pd.DataFrame:
    return engine.fetch(to_dialect(sql, engine.dialect))


def hourly(engine: Engine, w: Window) -> None:
    """Materialise ``f_hourly``: hours with their limits and verdicts (hourly compliance)."""
    _materialize(engine, "f_minute_hours", minute_hours_sql(w))
    _materialize(engine, "f_interval", interval_sql())
    _materialize(engine, "f_hourly", f"SELECT {', '.join(HOURLY_COLUMNS)} FROM ({hourly_sql(w)}) t")


def daily(engine: Engine, w: Window) -> None:
    """Materialise ``f_daily`` from ``f_hourly`` and the device's daily data."""
    _materialize(engine, "f_daily_base", daily_sql(w))
    _materialize(
        engine, "f_daily", f"SELECT {', '.join(DAILY_COLUMNS)} FROM ({judged_sql('f_daily_base', 'day')}) t"
    )


def events(engine: Engine) -> None:
    """Materialise ``f_events`` from ``f_hourly`` and ``f_daily``."""
    _materialize(engine, "f_events", events_sql())


def rollups(engine: Engine, w: Window) -> None:
    """Hours, days and exceedance events of the window."""
    hourly(engine, w)
    daily(engine, w)
    events(engine)


def alarms(
    engine: Engine, w: Window, params: AlarmParams | None = None, horizon: dt.datetime | None = None
) -> None:
    """Materialise ``f_minutes`` and ``f_alarms`` (:func:`.sql.alarms_sql`; after
    :func:`hourly`, whose ``f_interval`` it reads)."""
    _materialize(engine, "f_minutes", minutes_sql(w))
    _materialize(engine, "f_alarms", alarms_sql(w, params or AlarmParams(), horizon))


def totals(engine: Engine, years: Iterable[int], daily_table: str = "sources_daily") -> pd.DataFrame:
    """Annual emissions per enterprise and pollutant (:data:`TOTAL_COLUMNS`)."""
    df = _fetch(engine, totals_sql(years, daily_table))
    return df[list(TOTAL_COLUMNS)] if len(df) else pd.DataFrame(columns=list(TOTAL_COLUMNS))


def fetch(engine: Engine, table: str, columns: Iterable[str], order: str) -> pd.DataFrame:
    """A materialised table as a frame, in a stable order."""
    cols = ", ".join(f'"{c}"' for c in columns)
    return _fetch(engine, f"SELECT {cols} FROM {table} ORDER BY {order}")

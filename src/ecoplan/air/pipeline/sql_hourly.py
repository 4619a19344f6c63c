"""Hourly rows → real-time (hourly) reports per station or city (:func:`hourly_sql`,
HJ 633—2012 表4 / HJ 633—2026 §4.2.3).

Moving averages (O3 8-h, PM and SO2 24-h) end at the hour and use the hours of
the station's own series, so a missing row is a missing hour; the minimum counts
(:data:`MOVING_MIN`) are GB 3095 表4 applied to moving averages (spec §2.4 marks
this UNCONFIRMED for real-time reports). A city hour is the mean of its stations'
values of each indicator (HJ 663), then the IAQI.
"""

from __future__ import annotations

import datetime as dt

from ecoplan.air.pipeline.sql_expr import (
    DailyOptions,
    _by_edition,
    _complete,
    _edition_iaqi,
    _editions,
    _mean,
    _reported_aqi,
    _scaled,
)
from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import hj663_2013

__all__ = ["HOURLY_COLUMNS", "MOVING_MIN", "hourly_sql"]

#: Hourly (real-time) indicator columns: both editions' sets plus the SO2 24-h
#: moving average the 2012 > 800 rule needs.
HOURLY_COLUMNS = (
    "so2_1h",
    "no2_1h",
    "co_1h",
    "o3_1h",
    "o3_8h",
    "pm10_24h",
    "pm25_24h",
    "pm10_1h",
    "pm25_1h",
    "so2_24h",
)
#: Minimum hourly values in a moving window (GB 3095 表4 applied to moving
#: averages; spec §2.4 marks this UNCONFIRMED for real-time reports).
MOVING_MIN = {
    "o3_8h": hj663_2013.O3_8H_MIN_HOURS,
    "pm10_24h": hj663_2013.DAILY_MIN_HOURS,
    "pm25_24h": hj663_2013.DAILY_MIN_HOURS,
    "so2_24h": hj663_2013.DAILY_MIN_HOURS,
}


def hourly_sql(
    start: dt.datetime,
    end: dt.datetime,
    edition: str,
    *,
    city: bool = False,
    opts: DailyOptions | None = None,
) -> str:
    """Real-time (hourly) report per station — or per city with ``city=True`` —
    for the hours ``start`` … ``end`` inclusive (HJ 633—2012 表4 / HJ 633—2026 §4.2.3).

    Moving averages (O3 8-h, PM and SO2 24-h; 2012 only) end at the hour and use the
    hours of the station's own series, so a missing row is a missing hour; they need
    ≥ 6 of 8 and ≥ 20 of 24 values. A city hour is the mean of its stations' values
    of each indicator (HJ 663), then the IAQI. Output: ``unit`` (station code or
    region), ``time``, ``edition``, scaled indicator columns, ``iaqi_<indicator>``,
    ``aqi_raw``, ``complete``, ``aqi`` (2026: §5.3.1 and the 1～500 range).
    """
    o = opts or DailyOptions()
    t0 = start - dt.timedelta(hours=23)
    t1 = end + dt.timedelta(hours=1)
    hk = "DATE_DIFF('hour', TIMESTAMP '2000-01-01 00:00:00', time)"

    def win(n: int) -> str:
        return f"OVER (PARTITION BY station ORDER BY {hk} RANGE BETWEEN {n - 1} PRECEDING AND CURRENT ROW)"

    moving = []
    for col, src, n in (
        ("o3_8h", "o3", hj663_2013.MDA8_WINDOW_HOURS),
        ("pm10_24h", "pm10", 24),
        ("pm25_24h", "pm25", 24),
        ("so2_24h", "so2", 24),
    ):
        moving.append(f"SUM({src}) {win(n)} AS {col}_s, COUNT({src}) {win(n)} AS {col}_n")
    ind_cols = [f"{p} AS {p}_1h" for p in ("so2", "no2", "co", "o3", "pm10", "pm25")]
    ind_cols += [
        f"CASE WHEN {c}_n >= {MOVING_MIN[c]} THEN {_mean(f'{c}_s', f'{c}_n')} END AS {c}" for c in MOVING_MIN
    ]
    if city:
        types = ", ".join(f"'{t}'" for t in o.station_types)
        means = {c: _mean(f"SUM(v.{c})", f"COUNT(v.{c})") for c in HOURLY_COLUMNS}
        agg = ", ".join(
            f"CASE WHEN COUNT(v.{c}) >= {o.min_stations} THEN {means[c]} END AS {c}" for c in HOURLY_COLUMNS
        )
        unit = f"""
u AS (
  SELECT s.region AS unit, v.time AS time, {agg}
  FROM iv v JOIN air_stations s ON v.station = s.code
  WHERE s.type IN ({types})
  GROUP BY s.region, v.time
)"""
    else:
        unit = f"u AS (SELECT station AS unit, time, {', '.join(HOURLY_COLUMNS)} FROM iv)"
    cols = {c: c for c in HOURLY_COLUMNS}

    def block(ed: str) -> dict[str, str]:
        inds = aqi_std.indicators("hourly", ed)
        iaqi = {c: _edition_iaqi(c, ed, cols) for c in inds}
        raw = "GREATEST(" + ", ".join(f"({e})" for e in iaqi.values()) + ")"
        return {
            "raw": raw,
            "complete": _complete(inds, o.absent),
            "aqi": _reported_aqi(ed),
            "edition": f"'{ed}'",
            **{f"iaqi_{c}": e for c, e in iaqi.items()},
        }

    eds = _editions(edition, start.date(), end.date())
    blocks = {ed: block(ed) for ed in eds}

    def pick(key: str) -> str:
        return _by_edition(eds, {ed: blocks[ed].get(key, "NULL") for ed in eds}, "time", "TIMESTAMP")

    iaqi_sel = ", ".join(f"{pick(f'iaqi_{c}')} AS iaqi_{c}" for c in HOURLY_COLUMNS if c != "so2_24h")
    scaled = ", ".join(f"{_scaled(p)} AS {p}" for p in ("so2", "no2", "co", "o3", "pm10", "pm25"))
    return f"""
WITH h AS (
  SELECT station, time, {scaled}
  FROM air_hourly
  WHERE time >= TIMESTAMP '{t0:%Y-%m-%d %H:%M:%S}' AND time < TIMESTAMP '{t1:%Y-%m-%d %H:%M:%S}'
),
m AS (
  SELECT station, time, so2, no2, co, o3, pm10, pm25, {", ".join(moving)} FROM h
),
iv AS (
  SELECT station, time, {", ".join(ind_cols)} FROM m
  WHERE time >= TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}'
),
{unit},
ci AS (
  SELECT *, {pick("edition")} AS edition, {iaqi_sel}, {pick("raw")} AS aqi_raw,
    {pick("complete")} AS complete FROM u
)
SELECT *, {pick("aqi")} AS aqi
FROM ci
"""

"""Hourly rows → city daily values, IAQI and AQI (:func:`city_daily_sql`), and the same
days with exceptional events deducted (:func:`deducted_daily_sql`).

Station-day aggregation is one GROUP BY: the 24 hourly O3 values are pivoted into
columns, so the 17 MDA8 windows (hours 0–7 … 16–23, HJ 663—2013) are plain column
arithmetic and a missing hour (a row absent, not only a NULL) is handled exactly.
Validity follows GB 3095 表4 and HJ 663 §6.1.2 (20 hourly values a day, 6 of 8 in
an O3 window); a city value is the mean of its stations' values (HJ 663: 城市点);
a day counts when complete or its AQI is above 100 (HJ 633—2026 §5.3.1).
"""

from __future__ import annotations

import datetime as dt

from ecoplan.air.pipeline.sql_expr import (
    DailyOptions,
    S,
    _by_edition,
    _complete,
    _edition_iaqi,
    _editions,
    _mean,
    _reported_aqi,
    _scaled,
)
from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import gb3095, hj663_2013

__all__ = ["DAILY_COLUMNS", "EVENT_POLLUTANTS", "city_daily_sql", "deducted_daily_sql"]

#: Packing base and cap of the hourly O3 pivot (see :func:`city_daily_sql`).
PACK = 2**31
PACK_CAP = 2147
#: City daily concentration columns (scaled BIGINT), in output order.
DAILY_COLUMNS = ("pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h")
_MEANS = ("pm25", "pm10", "so2", "no2", "co")
#: DAILY column → HJ 633 daily indicator.
_INDICATOR = {
    "pm25": "pm25_24h",
    "pm10": "pm10_24h",
    "so2": "so2_24h",
    "no2": "no2_24h",
    "co": "co_24h",
    "o3_8h": "o3_8h",
    "o3_1h": "o3_1h",
}
#: HJ 633 daily indicator → DAILY column.
_COLUMN_OF = {v: k for k, v in _INDICATOR.items()}


def _daily_set(edition: str) -> tuple[str, ...]:
    return tuple(_COLUMN_OF[i] for i in aqi_std.indicators("daily", edition))


def city_daily_sql(start: dt.date, end: dt.date, edition: str, opts: DailyOptions | None = None) -> str:
    """Hourly rows (table ``air_hourly``) → city daily values, IAQI, AQI.

    ``start`` … ``end`` inclusive. ``edition`` is ``"2012"``, ``"2026"`` or
    ``"auto"`` (each day by the edition in force that day). Stations come from
    table ``air_stations`` (code, region, type).

    Output columns: ``region, day, edition``, scaled concentrations
    :data:`DAILY_COLUMNS`, station counts ``n_<col>``, ``iaqi_<col>`` of the
    edition's daily indicators, ``aqi_raw`` (max of the available IAQIs),
    ``complete``, ``valid`` (a day that counts: complete, or AQI > 100 whatever is
    missing — HJ 633—2026 §5.3.1) and ``aqi`` (the reported AQI: 2012 = max IAQI;
    2026 = NULL unless complete or > 100, and at least 1, §4.1.1).
    """
    o = opts or DailyOptions()
    t0 = dt.datetime.combine(start, dt.time())
    t1 = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    lim_8h = int(gb3095.limit("o3", "8h", on=start))  # 160 in every phase
    lim_1h = int(gb3095.limit("o3", "1h", on=start))  # 200 in every phase
    minh = hj663_2013.DAILY_MIN_HOURS
    types = ", ".join(f"'{t}'" for t in o.station_types)

    h_cols = ", ".join([*_MEANS, f"{_scaled('o3')} AS o3"])
    # Sums of the scaled integers; FLOOR keeps them integral (a double in DuckDB, a
    # BIGINT in Spark) and ≤ 24 values under the ingest ceilings stay far below 2⁵³,
    # so the sum is exact in either type and in any order.
    sd_cols = [f"SUM(FLOOR({p} * {S} + 0.5)) AS {p}_q, COUNT({p}) AS {p}_n" for p in _MEANS]
    # The 24 hourly O3 values of a station-day, two per BIGINT: hour h goes to slot
    # h % 12, in the low 31 bits (h < 12) or the high bits (h >= 12), stored as
    # value + 1 so that 0 means "no value". One BIT_OR per slot (the two hours use
    # disjoint bits) halves the per-row work of the pivot. O3 is capped at PACK_CAP
    # (2147 µg/m³), above the ingest ceiling of 2000, so it always fits.
    sd_cols += [f"BIT_OR(CASE WHEN slot = {j} THEN pk END) AS p{j}" for j in range(12)]
    # Unpacked: c<h> the hour's value (0 when missing) and f<h> 1 when present.
    unpack = [f"CAST({p}_q AS BIGINT) AS {p}_s" for p in _MEANS]
    for j in range(12):
        lo, hi = f"(COALESCE(p{j}, 0) % {PACK})", f"(COALESCE(p{j}, 0) // {PACK})"
        unpack.append(f"GREATEST({lo} - 1, 0) AS c{j}, (CASE WHEN {lo} > 0 THEN 1 ELSE 0 END) AS f{j}")
        unpack.append(
            f"GREATEST({hi} - 1, 0) AS c{j + 12}, (CASE WHEN {hi} > 0 THEN 1 ELSE 0 END) AS f{j + 12}"
        )

    win_cols = [
        "GREATEST(" + ", ".join(f"c{k}" for k in range(24)) + ") AS o3_max",
        " + ".join(f"f{k}" for k in range(24)) + " AS o3_n",
    ]
    for s in hj663_2013.MDA8_WINDOW_STARTS:
        hrs = range(s, s + hj663_2013.MDA8_WINDOW_HOURS)
        win_cols.append(" + ".join(f"c{k}" for k in hrs) + f" AS w{s}_s")
        win_cols.append(" + ".join(f"f{k}" for k in hrs) + f" AS w{s}_n")
    minw = hj663_2013.O3_8H_MIN_HOURS
    means = ", ".join(
        f"CASE WHEN w{s}_n >= {minw} THEN {_mean(f'w{s}_s', f'w{s}_n')} END AS m{s}"
        for s in hj663_2013.MDA8_WINDOW_STARTS
    )
    nwin = " + ".join(
        f"(CASE WHEN w{s}_n >= {minw} THEN 1 ELSE 0 END)" for s in hj663_2013.MDA8_WINDOW_STARTS
    )
    greatest = "GREATEST(" + ", ".join(f"m{s}" for s in hj663_2013.MDA8_WINDOW_STARTS) + ")"
    sv_cols = [f"CASE WHEN {p}_n >= {minh} THEN {_mean(f'{p}_s', f'{p}_n')} END AS {p}" for p in _MEANS]
    sv_cols.append(f"CASE WHEN o3_n >= {minh} OR o3_max > {lim_1h * S} THEN o3_max END AS o3_1h")
    sv_cols.append(
        f"CASE WHEN nwin >= {hj663_2013.MDA8_MIN_WINDOWS} OR mda8 > {lim_8h * S} THEN mda8 END AS o3_8h"
    )

    cd_cols = []
    for c in DAILY_COLUMNS:
        cd_cols.append(f"COUNT(v.{c}) AS n_{c}")
        mean = _mean(f"SUM(v.{c})", f"COUNT(v.{c})")
        cd_cols.append(f"CASE WHEN COUNT(v.{c}) >= {o.min_stations} THEN {mean} END AS {c}")

    def edition_block(ed: str) -> dict[str, str]:
        cols = _daily_set(ed)
        iaqi = {c: _edition_iaqi(c, ed, _COLUMN_OF) for c in DAILY_COLUMNS if c in cols}
        raw = "GREATEST(" + ", ".join(f"({e})" for e in iaqi.values()) + ")"
        return {
            "raw": raw,
            "complete": _complete(cols, o.absent),
            "aqi": _reported_aqi(ed),
            "edition": f"'{ed}'",
            **{f"iaqi_{c}": e for c, e in iaqi.items()},
        }

    eds = _editions(edition, start, end)
    blocks = {ed: edition_block(ed) for ed in eds}

    def pick(key: str, default: str = "NULL") -> str:
        return _by_edition(eds, {ed: blocks[ed].get(key, default) for ed in eds}, "day", "DATE")

    iaqi_sel = ", ".join(f"{pick(f'iaqi_{c}')} AS iaqi_{c}" for c in DAILY_COLUMNS)

    # Only the columns the next stage needs travel on.
    keep_n = ", ".join(f"{p}_n" for p in _MEANS)
    keep = ", ".join(f"{p}_s, {p}_n" for p in _MEANS)
    return f"""
WITH h0 AS (
  SELECT station, CAST(time AS DATE) AS day, HOUR(time) AS hr, {h_cols}
  FROM air_hourly
  WHERE time >= TIMESTAMP '{t0:%Y-%m-%d %H:%M:%S}' AND time < TIMESTAMP '{t1:%Y-%m-%d %H:%M:%S}'
),
h AS (
  SELECT station, day, {", ".join(_MEANS)}, hr % 12 AS slot,
    ((CASE WHEN o3 > {PACK_CAP * S} THEN {PACK_CAP * S} ELSE o3 END) + 1)
      * (CASE WHEN hr >= 12 THEN {PACK} ELSE 1 END) AS pk
  FROM h0
),
sd0 AS (
  SELECT station, day, {", ".join(sd_cols)}
  FROM h GROUP BY station, day
),
sd AS (
  SELECT station, day, {keep_n}, {", ".join(unpack)} FROM sd0
),
sw AS (
  SELECT station, day, {keep}, {", ".join(win_cols)} FROM sd
),
sm AS (
  SELECT station, day, {keep}, o3_max, o3_n, {means}, {nwin} AS nwin FROM sw
),
sg AS (
  SELECT station, day, {keep}, o3_max, o3_n, nwin, {greatest} AS mda8 FROM sm
),
sv AS (
  SELECT station, day, {", ".join(sv_cols)} FROM sg
),
cd AS (
  SELECT s.region AS region, v.day AS day, {", ".join(cd_cols)}
  FROM sv v JOIN air_stations s ON v.station = s.code
  WHERE s.type IN ({types})
  GROUP BY s.region, v.day
),
ci AS (
  SELECT *, {pick("edition")} AS edition, {iaqi_sel}, {pick("raw")} AS aqi_raw,
    {pick("complete")} AS complete
  FROM cd
)
SELECT *,
  (aqi_raw IS NOT NULL AND (complete OR aqi_raw > {aqi_std.GOOD_MAX})) AS valid,
  {pick("aqi")} AS aqi
FROM ci
"""


#: Pollutant flag columns of the ``air_events`` table.
EVENT_POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co", "o3")


def deducted_daily_sql() -> str:
    """City daily values with exceptional-event days deducted (HJ 663—2026 例外事件;
    sand-dust practice of 环办监测〔2016〕120号): a flagged pollutant's daily value
    leaves the concentration statistics; a flagged day with AQI > 100 leaves the
    valid days of the good/heavy-days ratios. Table ``air_events``: ``region, day``
    and one boolean per pollutant of :data:`EVENT_POLLUTANTS`."""
    cols = {
        "pm25": "pm25",
        "pm10": "pm10",
        "so2": "so2",
        "no2": "no2",
        "co": "co",
        "o3_8h": "o3",
        "o3_1h": "o3",
    }
    sel = ", ".join(f"CASE WHEN e.{flag} THEN NULL ELSE c.{col} END AS {col}" for col, flag in cols.items())
    return f"""
SELECT c.region AS region, c.day AS day, c.aqi_raw AS aqi_raw, {sel},
  (c.valid AND NOT (e.region IS NOT NULL AND c.aqi_raw > {aqi_std.GOOD_MAX})) AS valid,
  (e.region IS NOT NULL) AS flagged
FROM air_city_daily c LEFT JOIN air_events e ON c.region = e.region AND c.day = e.day
"""

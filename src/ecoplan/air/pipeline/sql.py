"""The air pipeline's SQL, generated once from the standards' tables.

Every rule comes from :mod:`ecoplan.air.standards` — breakpoints (HJ 633 表1/表3),
the special > 800 rules, validity (GB 3095 表4, HJ 663 §6.1.2), MDA8 windows — and is
turned into DuckDB-dialect SQL here; :func:`ecoplan.core.sql.to_dialect`
transpiles it for Spark. Nothing in this module knows an engine.

Exact arithmetic in SQL. Concentrations are carried as BIGINT in units of 10⁻⁶
(``FLOOR(c * 1000000 + 0.5)``, the same rule as :mod:`ecoplan.air.standards.aqi`).
A mean of n scaled values is ``(2·Σ + n) // (2·n)`` (half-up to 10⁻⁶), and an
IAQI is ``I_lo + ((I_hi − I_lo)·(x − BP_lo) + d − 1) // d`` with
``d = (BP_hi − BP_lo)·10⁶`` — an exact integer ceiling. Both engines therefore
produce the same integers, and the numpy calculator gives the same IAQIs.

Missing values are SQL NULLs (the store writes Parquet nulls, never NaN).

Station-day aggregation is one GROUP BY: the 24 hourly O3 values are pivoted into
columns, so the 17 MDA8 windows (hours 0–7 … 16–23, HJ 663—2013) are plain column
arithmetic and a missing hour (a row absent, not only a NULL) is handled exactly.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import gb3095, hj633_2012, hj663_2013
from ecoplan.air.standards.editions import editions_between, get_edition

__all__ = [
    "DAILY_COLUMNS",
    "EVENT_POLLUTANTS",
    "HOURLY_COLUMNS",
    "DailyOptions",
    "annual_sql",
    "city_daily_sql",
    "deducted_daily_sql",
    "hourly_sql",
]

S = 1_000_000
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


def _editions(edition: str, start: dt.date, end: dt.date) -> list[str]:
    """The editions whose rules the SQL needs: the one given, or (``"auto"``) every
    edition in force on some day of ``start`` … ``end``."""
    if edition == "auto":
        return [e.key for e in editions_between(start, end)]
    return [get_edition(edition).key]


def _by_edition(
    eds: Sequence[str], values: Mapping[str, str], at: str, kind: Literal["DATE", "TIMESTAMP"]
) -> str:
    """SQL choosing ``values[edition]`` by the edition in force at column ``at``
    (a DATE or TIMESTAMP); the change dates come from the editions table."""
    if len(eds) == 1:
        return values[eds[0]]
    parts = ["(CASE"]
    for ed, nxt in itertools.pairwise(eds):
        first = get_edition(nxt).effective_from.isoformat()
        lit = f"DATE '{first}'" if kind == "DATE" else f"TIMESTAMP '{first} 00:00:00'"
        parts.append(f"WHEN {at} < {lit} THEN {values[ed]}")
    parts.append(f"ELSE {values[eds[-1]]} END)")
    return " ".join(parts)


def _reported_aqi(edition: str) -> str:
    """The reported AQI from ``aqi_raw`` and ``complete`` under an edition's rules
    (HJ 633—2026 §4.1.1 range and §5.3.1 publication; none in 2012)."""
    spec = aqi_std.spec(edition)
    expr = "aqi_raw"
    if spec.AQI_MIN is not None:
        expr = f"GREATEST(aqi_raw, {spec.AQI_MIN})"
    if spec.WITHHOLD_INCOMPLETE_UP_TO is not None:
        w = spec.WITHHOLD_INCOMPLETE_UP_TO
        expr = f"(CASE WHEN aqi_raw IS NOT NULL AND (complete OR aqi_raw > {w}) THEN {expr} END)"
    return expr


def _complete(indicators: Iterable[str], absent: Iterable[str]) -> str:
    """A report is complete when each basic pollutant (but the ``absent`` ones) has
    one of its ``indicators``."""
    skip = set(absent)
    need = []
    for p in aqi_std.BASIC:
        mine = [c for c in indicators if c.split("_")[0] == p]
        if p in skip or not mine:
            continue
        need.append("(" + " OR ".join(f"{c} IS NOT NULL" for c in mine) + ")")
    return " AND ".join(need) or "TRUE"


@dataclass(frozen=True)
class DailyOptions:
    """Choices the standards leave open (``docs/air-quality.md``)."""

    #: A city daily value needs at least this many valid station values
    #: (HJ 663 sets no number the spec could confirm; UNCONFIRMED).
    min_stations: int = 1
    #: Station types whose values form the city value (HJ 663: 城市点).
    station_types: tuple[str, ...] = ("city",)
    #: Pollutants not monitored by design (HJ 633—2026 §5.3.2): they do not make a
    #: day incomplete.
    absent: frozenset[str] = frozenset()


def _scaled(col: str) -> str:
    return f"CAST(FLOOR({col} * {S} + 0.5) AS BIGINT)"


def _mean(s: str, n: str) -> str:
    return f"(2 * {s} + {n}) // (2 * {n})"


def _round_half_even(x: str, digits: int) -> str:
    """GB/T 8170 rounding of a scaled BIGINT expression (HJ 633—2026 §4.2.2)."""
    u = 10 ** (6 - digits)
    h = u // 2
    return (
        f"(CASE WHEN {x} % {u} > {h} OR ({x} % {u} = {h} AND ({x} // {u}) % 2 = 1) "
        f"THEN ({x} // {u} + 1) * {u} ELSE ({x} // {u}) * {u} END)"
    )


def _iaqi(x: str, table: tuple[int | None, ...]) -> str:
    """CASE expression: exact ceiling IAQI of scaled BIGINT ``x`` (NULL stays NULL)."""
    levels = hj633_2012.IAQI_LEVELS
    bps = [(b, levels[i]) for i, b in enumerate(table) if b is not None]
    parts = [f"CASE WHEN {x} IS NULL THEN NULL"]
    for (lo, ilo), (hi, ihi) in itertools.pairwise(bps):
        d = (hi - lo) * S
        parts.append(f"WHEN {x} <= {hi * S} THEN {ilo} + ({ihi - ilo} * ({x} - {lo * S}) + {d - 1}) // {d}")
    parts.append("ELSE 500 END")
    return " ".join(parts)


def _edition_iaqi(col: str, edition: str, columns: dict[str, str] | None = None) -> str:
    """IAQI of a column under an edition, special rules included.

    ``columns`` maps HJ 633 indicators to the SQL columns holding them (default:
    the city daily columns, :data:`_INDICATOR` inverted).
    """
    cols = columns or {v: k for k, v in _INDICATOR.items()}
    ind = next(i for i, c in cols.items() if c == col)
    spec = aqi_std.spec(edition)
    x = col
    if spec.ROUND_DIGITS is not None:
        x = _round_half_even(col, spec.ROUND_DIGITS[ind.split("_")[0]])
    expr = _iaqi(x, spec.TABLE[ind])
    special = spec.SPECIAL.get(ind)
    if special is not None:
        limit, repl = special
        if isinstance(repl, int):
            sub = str(repl)
        else:
            sub = _edition_iaqi(cols[repl], edition, cols) if repl in cols else "NULL"
        expr = f"(CASE WHEN {x} > {limit * S} THEN {sub} ELSE {expr} END)"
    return expr


def _daily_set(edition: str) -> tuple[str, ...]:
    inv = {v: k for k, v in _INDICATOR.items()}
    return tuple(inv[i] for i in aqi_std.indicators("daily", edition))


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
        iaqi = {c: _edition_iaqi(c, ed) for c in DAILY_COLUMNS if c in cols}
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


def annual_sql(
    percentiles: Iterable[int] = hj663_2013.ANNUAL_PERCENTILES, source: str = "air_city_daily"
) -> str:
    """City daily values (table ``air_city_daily``) → per region and item: the
    count, exact sum, monthly counts and the two order statistics around each
    percentile (HJ 663 附录A; the interpolation is done exactly by the caller),
    plus the AQI day counts (item ``aqi``). The items (pollutant and its daily
    series) are those of :data:`~ecoplan.air.standards.hj663_2013.ANNUAL_ITEMS`."""
    items = list(dict.fromkeys((i.pollutant, i.series) for i in hj663_2013.ANNUAL_ITEMS))
    long = "\n  UNION ALL ".join(
        f"SELECT region, '{item}' AS item, CAST({col} AS BIGINT) AS v, MONTH(day) AS mon "
        f"FROM {source} WHERE {col} IS NOT NULL"
        for item, col in items
    )
    # The order statistics X(s) and X(min(s + 1, n)) of the sorted list of the year's
    # values (1-based LIST_EXTRACT; Spark: ELEMENT_AT), s as in
    # hj663_2013.percentile_position: the integer part of k = 1 + (n − 1)·p/100.
    pcols = []
    for p in percentiles:
        s = _percentile_rank("n", p)
        pcols.append(f"LIST_EXTRACT(l, CAST({s} AS INTEGER)) AS p{p}_lo")
        pcols.append(f"LIST_EXTRACT(l, CAST(LEAST({s} + 1, n) AS INTEGER)) AS p{p}_hi")
    months = ", ".join(f"COUNT(CASE WHEN mon = {m} THEN 1 END) AS m{m}" for m in range(1, 13))
    mcols = ", ".join(f"m{m}" for m in range(1, 13))
    return f"""
WITH long AS (
  {long}
),
g AS (
  SELECT region, item, LIST_SORT(LIST(v)) AS l, COUNT(*) AS n, CAST(SUM(v) AS BIGINT) AS s, {months}
  FROM long GROUP BY region, item
)
SELECT region, item, n, s, {", ".join(pcols)}, {mcols}
FROM g
UNION ALL
SELECT region, 'aqi' AS item,
  COUNT(CASE WHEN valid THEN 1 END) AS n,
  COUNT(*) AS s,
  {", ".join(f"CAST(NULL AS BIGINT) AS p{p}_lo, CAST(NULL AS BIGINT) AS p{p}_hi" for p in percentiles)},
  {", ".join(f"COUNT(CASE WHEN valid AND MONTH(day) = {m} THEN 1 END) AS m{m}" for m in range(1, 13))}
FROM {source} GROUP BY region
"""


def _percentile_rank(n: str, p: int) -> str:
    """SQL of ``s`` of :func:`ecoplan.air.standards.hj663_2013.percentile_position`
    for an integer ``p``: ⌊1 + (n − 1)·p/100⌋ = 1 + ((n − 1)·p) // 100 (property-tested
    against the NumPy reference)."""
    if int(p) != p:
        raise ValueError(f"the SQL percentile needs an integer p, not {p!r}")
    return f"(1 + (({n} - 1) * {int(p)}) // 100)"


def aqi_counts_sql(source: str = "air_city_daily") -> str:
    """Per region: good (AQI ≤ 100), excellent (≤ 50), heavy (> 200) and severe
    (> 300) valid days; the bounds are HJ 633's level table
    (:data:`ecoplan.air.standards.aqi.LEVEL_UPPER`)."""
    return f"""
SELECT region,
  COUNT(*) AS days_total,
  COUNT(CASE WHEN valid THEN 1 END) AS days_valid,
  COUNT(CASE WHEN valid AND aqi_raw <= {aqi_std.GOOD_MAX} THEN 1 END) AS good_days,
  COUNT(CASE WHEN valid AND aqi_raw <= {aqi_std.EXCELLENT_MAX} THEN 1 END) AS excellent_days,
  COUNT(CASE WHEN valid AND aqi_raw > {aqi_std.HEAVY_ABOVE} THEN 1 END) AS heavy_days,
  COUNT(CASE WHEN valid AND aqi_raw > {aqi_std.SEVERE_ABOVE} THEN 1 END) AS severe_days
FROM {source} GROUP BY region
"""


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

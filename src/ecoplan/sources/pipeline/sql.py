"""The facts SQL, written once in DuckDB's dialect from the standards' data, run on DuckDB or
(through :func:`ecoplan.core.sql.to_dialect`) on Spark.

Tables the SQL reads (the store's, or frames registered under the same names):
``sources_values`` (the frames' data areas), ``sources_devices``, ``sources_outlets``,
``sources_enterprises``, ``sources_permits``, ``sources_permit_limits``; the steps write
``f_hourly`` → ``f_daily`` → ``f_events``, and ``f_alarms`` (see :mod:`.run`).

Every threshold comes from :mod:`ecoplan.sources.standards`; nothing is re-typed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ecoplan.sources.standards import alarms as al
from ecoplan.sources.standards.conversion import AIR_O2, POLLUTANTS
from ecoplan.sources.standards.validity import PERIOD_RULES, STOPPED_FLAGS, VALID_FLAGS

__all__ = [
    "EPOCH",
    "Window",
    "alarms_sql",
    "daily_sql",
    "events_sql",
    "hourly_sql",
    "interval_sql",
    "judged_sql",
    "minute_hours_sql",
    "minutes_sql",
    "totals_sql",
]

#: The origin of the hour and day indices (gaps and islands).
EPOCH = "TIMESTAMP '2000-01-01 00:00:00'"
O2 = "a19001"


@dataclass(frozen=True)
class Window:
    """The period computed, [start, end), whole days."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ts(t: dt.datetime) -> str:
    return f"TIMESTAMP '{t:%Y-%m-%d %H:%M:%S}'"


def _in(col: str, values: Iterable[str]) -> str:
    vals = list(values)
    return f"{col} IN ({', '.join(_q(v) for v in vals)})" if vals else "FALSE"


def _num(x: float) -> str:
    return f"CAST({float(x)!r} AS DOUBLE)"


def _rule(period: str) -> str:
    """The valid lower-level periods the medium's period needs (validity.PERIOD_RULES)."""
    return (
        f"CASE WHEN medium = 'water' THEN {PERIOD_RULES[('water', period)].min_valid} "
        f"ELSE {PERIOD_RULES[('air', period)].min_valid} END"
    )


VALID = f"(flag IS NULL OR {_in('flag', VALID_FLAGS)}) AND avg IS NOT NULL"
STOPPED = _in("flag", STOPPED_FLAGS)


def _raw_sql(w: Window) -> str:
    """Minute records in the window: CN 2051 values, and real-time (CN 2011) values rolled
    up to the minute for devices that send no minute data (``cn`` says which)."""
    win = f"v.data_time >= {_ts(w.start)} AND v.data_time < {_ts(w.end)}"
    return f"""
    SELECT v.mn, v.factor, v.data_time, v.avg, v.min, v.max, v.cou, v.zs_avg, v.flag
    FROM sources_values v WHERE v.cn = '2051' AND {win}
    UNION ALL
    SELECT v.mn, v.factor, DATE_TRUNC('minute', v.data_time) AS data_time, AVG(v.rtd) AS avg,
      MIN(v.rtd) AS min, MAX(v.rtd) AS max, CAST(NULL AS DOUBLE) AS cou, AVG(v.zs_rtd) AS zs_avg,
      MAX(CASE WHEN v.flag IS NULL OR v.flag = 'N' THEN NULL ELSE v.flag END) AS flag
    FROM sources_values v
    WHERE v.cn = '2011' AND {win}
      AND v.mn NOT IN (SELECT DISTINCT mn FROM sources_values WHERE cn = '2051'
        AND data_time >= {_ts(w.start)} AND data_time < {_ts(w.end)})
    GROUP BY v.mn, v.factor, DATE_TRUNC('minute', v.data_time)"""


def minute_hours_sql(w: Window) -> str:
    """The minute records of the window aggregated per device, factor, hour and source
    (``src``: 2051 minute data, or 2011 real-time data rolled up to the minute), before any
    join — the one pass over the minute data: mean, min, max of the valid records, Σ Cou,
    mean ZsAvg, records, valid and stopped records. Each source is grouped on its own (no
    constant key in the large group-by; the 2011 branch is empty for minute-data devices)."""
    win = f"data_time >= {_ts(w.start)} AND data_time < {_ts(w.end)}"
    ok = f"((flag IS NULL OR {_in('flag', VALID_FLAGS)}) AND avg IS NOT NULL)"
    aggs = f"""DATE_TRUNC('hour', data_time) AS hour,
  AVG(CASE WHEN {ok} THEN avg END) AS avg, MIN(CASE WHEN {ok} THEN min END) AS min,
  MAX(CASE WHEN {ok} THEN max END) AS max, SUM(cou) AS cou,
  AVG(CASE WHEN {ok} THEN zs_avg END) AS zs_avg, COUNT(*) AS records,
  SUM(CASE WHEN {ok} THEN 1 ELSE 0 END) AS n_valid,
  SUM(CASE WHEN {STOPPED} THEN 1 ELSE 0 END) AS n_stopped"""
    return f"""
SELECT '2051' AS src, mn, factor, {aggs}
FROM sources_values WHERE cn = '2051' AND {win}
GROUP BY mn, factor, DATE_TRUNC('hour', data_time)
UNION ALL
SELECT '2011' AS src, mn, factor, {aggs}
FROM (
  SELECT mn, factor, DATE_TRUNC('minute', data_time) AS data_time, AVG(rtd) AS avg, MIN(rtd) AS min,
    MAX(rtd) AS max, CAST(NULL AS DOUBLE) AS cou, AVG(zs_rtd) AS zs_avg,
    MAX(CASE WHEN flag IS NULL OR flag = 'N' THEN NULL ELSE flag END) AS flag
  FROM sources_values WHERE cn = '2011' AND {win}
  GROUP BY mn, factor, DATE_TRUNC('minute', data_time)
) r
GROUP BY mn, factor, DATE_TRUNC('hour', data_time)"""


def interval_sql(minute_hours: str = "f_minute_hours") -> str:
    """Each device's minute interval: 60 ÷ the most records it sent for one factor in one
    hour, rounded up (MinInterval, HJ 212-2017 Table 4: six records an hour → 10 minutes,
    sixty → 1)."""
    return f"""
SELECT mn, LEAST(60, CAST(CEIL(60.0 / MAX(records)) AS INTEGER)) AS interval_min
FROM {minute_hours} GROUP BY mn"""


def minutes_sql(w: Window, interval: str = "f_interval") -> str:
    """Minute records of registered devices in the window (:func:`_raw_sql`) with the
    device's outlet, medium and minute interval (:func:`interval_sql`)."""
    return f"""
  SELECT r.mn, d.outlet_id, o.medium, r.factor, r.data_time, r.avg, r.min, r.max, r.cou, r.zs_avg,
    COALESCE(r.flag, 'N') AS flag, COALESCE(iv.interval_min, 10) AS interval_min
  FROM ({_raw_sql(w)}
  ) r JOIN sources_devices d ON d.mn = r.mn JOIN sources_outlets o ON o.outlet_id = d.outlet_id
  LEFT JOIN {interval} iv ON iv.mn = r.mn"""


def _limits_sql(basis: str, periods: str, period_col: str) -> str:
    """The strictest limit of ``basis`` in force on each (outlet, factor, day) of the days of
    ``periods`` (the permit's validity, sources_permits): the limits × the distinct days —
    small; the periods themselves are not grouped."""
    return f"""
  SELECT l.outlet_id, l.factor, k.day, MIN(l.limit_value) AS limit_value,
    ARG_MIN(l.ref_o2, l.limit_value) AS limit_ref_o2
  FROM (SELECT DISTINCT CAST({period_col} AS DATE) AS day FROM {periods}) k
  CROSS JOIN sources_permit_limits l
  JOIN sources_permits p ON p.permit_no = l.permit_no AND k.day >= p.valid_from AND k.day <= p.valid_to
  WHERE l.basis = {_q(basis)}
  GROUP BY l.outlet_id, l.factor, k.day"""


def _judged_tail(base: str, period_col: str, days: str | None = None, o2: str | None = None) -> str:
    """CTEs and the final SELECT adding to ``base`` (a CTE or table, rows per mn, factor and
    period) the limit in force, the compared value (折算 with the limit's reference O2 and
    the period's mean O2, HJ 212-2017 Annex D.2 formula (28); the device's ZsAvg without
    O2) and the verdict (valid periods only). The O2 of a period is a join on the period's
    O2 rows (one per device and period), not a self-join of all rows, and only for the rows
    whose limit has a reference O2 (the others' key is NULL: no lookup). ``days``: a relation
    with ``period_col`` covering the periods' days, ``o2``: one with ``mn``, ``period_col``
    and ``avg`` (default: ``base`` itself for both)."""
    o2_ok = f"o.o2 >= 0 AND o.o2 < {_num(AIR_O2)}"
    value = (
        f"CASE WHEN lim.limit_value IS NULL THEN NULL WHEN lim.limit_ref_o2 IS NULL THEN b.avg "
        f"WHEN b.avg IS NOT NULL AND {o2_ok} THEN b.avg * ({_num(AIR_O2)} - lim.limit_ref_o2) / "
        f"({_num(AIR_O2)} - o.o2) ELSE b.zs_avg END"
    )
    return f""",
lim AS ({_limits_sql(period_col, days or base, period_col)}
),
o2 AS (SELECT mn, {period_col}, avg AS o2 FROM {o2 or base} t WHERE factor = '{O2}'),
j AS (
  SELECT b.*, lim.limit_value, lim.limit_ref_o2, {value} AS value
  FROM {base} b
  LEFT JOIN lim ON lim.outlet_id = b.outlet_id AND lim.factor = b.factor
    AND lim.day = CAST(b.{period_col} AS DATE)
  LEFT JOIN o2 o ON o.mn = CASE WHEN lim.limit_ref_o2 IS NOT NULL THEN b.mn END
    AND o.{period_col} = b.{period_col}
)
SELECT j.*, CASE WHEN j.status = 'valid' AND j.value IS NOT NULL THEN j.value > j.limit_value END AS exceed
FROM j"""


def judged_sql(base: str, period_col: str) -> str:
    """The table ``base`` (rows per mn, factor, period) with the limit in force, the compared
    value and the verdict (:func:`_judged_tail`)."""
    return f"""
WITH b0 AS (SELECT * FROM {base}){_judged_tail("b0", period_col)}"""


def _hour_rows_sql(w: Window, minute_hours: str, interval: str, factor: str | None = None) -> str:
    """The hours of registered devices: the minute hours (2011 hours only where the device
    sent no 2051 record in that hour), and CN 2061 hours where the device has no minute hour;
    ``factor``: only that factor's rows (the O2 of the hours)."""
    win = f"v.data_time >= {_ts(w.start)} AND v.data_time < {_ts(w.end)}"
    iv = "COALESCE(iv.interval_min, 10)"
    ok = f"(v.flag IS NULL OR {_in('v.flag', VALID_FLAGS)}) AND v.avg IS NOT NULL"
    only = f" AND factor = {_q(factor)}" if factor is not None else ""
    return f"""
  SELECT d.outlet_id, a.mn, o.medium, a.factor, a.hour, a.avg, a.min, a.max, a.cou, a.zs_avg, a.records,
    LEAST(60, a.n_valid * {iv}) AS valid_minutes, LEAST(60, a.n_stopped * {iv}) AS stopped_minutes,
    a.n_valid, 'minute' AS source
  FROM (
    SELECT * FROM {minute_hours} WHERE src = '2051'{only}
    UNION ALL
    SELECT r.* FROM {minute_hours} r
    LEFT JOIN (
      SELECT DISTINCT mn, hour FROM {minute_hours}
      WHERE src = '2051' AND mn IN (SELECT DISTINCT mn FROM {minute_hours} WHERE src = '2011')
    ) x ON x.mn = r.mn AND x.hour = r.hour
    WHERE r.src = '2011' AND x.mn IS NULL{only.replace("factor", "r.factor")}
  ) a JOIN sources_devices d ON d.mn = a.mn
  JOIN sources_outlets o ON o.outlet_id = d.outlet_id
  LEFT JOIN {interval} iv ON iv.mn = a.mn
  UNION ALL
  SELECT d.outlet_id, v.mn, o.medium, v.factor, v.data_time AS hour, v.avg, v.min, v.max, v.cou, v.zs_avg,
    1 AS records, CASE WHEN {ok} THEN 60 ELSE 0 END AS valid_minutes,
    CASE WHEN {_in("v.flag", STOPPED_FLAGS)} THEN 60 ELSE 0 END AS stopped_minutes,
    CASE WHEN {ok} THEN 1 ELSE 0 END AS n_valid, 'device' AS source
  FROM sources_values v JOIN sources_devices d ON d.mn = v.mn
  JOIN sources_outlets o ON o.outlet_id = d.outlet_id
  LEFT JOIN (
    SELECT DISTINCT mn, hour FROM {minute_hours}
    WHERE mn IN (SELECT DISTINCT mn FROM sources_values WHERE cn = '2061' AND {win.replace("v.", "")})
  ) x ON x.mn = v.mn AND x.hour = v.data_time
  WHERE v.cn = '2061' AND {win} AND x.mn IS NULL{only.replace("factor", "v.factor")}"""


def hourly_sql(w: Window, minute_hours_table: str = "f_minute_hours", interval: str = "f_interval") -> str:
    """Hours per device and factor with their compliance, one statement over the hour rows
    of :func:`minute_hours_sql` (HJ 212-2017 Annex D.2 formula (24), D.1 formula (3)): the
    mean, min and max of the valid minute records, the sum of their Cou, the mean of ZsAvg,
    the valid minutes (each record stands for its interval, capped at 60), the stopped
    minutes, the flag (S17 notes under C.17) and the status (validity.hour_status); hours a
    device sent only as CN 2061 are taken as sent (:func:`_hour_rows_sql`); then the hourly
    limit in force, the value judged and the verdict (:func:`_judged_tail`) — every join on
    hours, none on minutes, and no common table read twice (each would be materialised)."""
    win = f"data_time >= {_ts(w.start)} AND data_time < {_ts(w.end)}"
    days = (
        f"(SELECT hour FROM {minute_hours_table} UNION ALL "
        f"SELECT data_time AS hour FROM sources_values WHERE cn = '2061' AND {win})"
    )
    o2 = f"(SELECT mn, factor, hour, avg FROM ({_hour_rows_sql(w, minute_hours_table, interval, O2)}) t)"
    return f"""
WITH u AS (
  SELECT outlet_id, mn, medium, factor, hour, avg, zs_avg, min, max, cou, records, valid_minutes,
    stopped_minutes,
    CASE WHEN medium = 'air' AND 4 * n_valid >= 3 * records THEN 'N'
         WHEN medium <> 'air' AND n_valid = records THEN 'N' ELSE 'D' END AS flag,
    CASE WHEN valid_minutes >= {_rule("hour")} THEN 'valid'
         WHEN stopped_minutes > 0 THEN 'stopped' ELSE 'invalid' END AS status,
    source
  FROM ({_hour_rows_sql(w, minute_hours_table, interval)}
  ) t
){_judged_tail("u", "hour", days=days, o2=o2)}"""


def daily_sql(w: Window, hourly: str = "f_hourly") -> str:
    """Days per device and factor from the hours (Annex D.2 formula (25), D.1 formula (4)):
    the mean of the valid hours' means, the sum of the hours' Cou (formula (34) as
    corrected), valid and stopped hours, the status; days a device sent only as CN 2031
    are taken as sent. :func:`judged_sql` adds the daily limit and the verdict."""
    win = f"v.data_time >= {_ts(w.start)} AND v.data_time < {_ts(w.end)}"
    base = f"""
  WITH hd AS (
    SELECT outlet_id, mn, medium, factor, DATE_TRUNC('day', hour) AS day,
      AVG(CASE WHEN status = 'valid' THEN avg END) AS avg,
      AVG(CASE WHEN status = 'valid' THEN zs_avg END) AS zs_avg,
      MIN(CASE WHEN status = 'valid' THEN min END) AS min,
      MAX(CASE WHEN status = 'valid' THEN max END) AS max,
      SUM(cou) AS cou, COUNT(*) AS hours,
      SUM(CASE WHEN status = 'valid' THEN 1 ELSE 0 END) AS valid_hours,
      SUM(CASE WHEN status = 'stopped' THEN 1 ELSE 0 END) AS stopped_hours
    FROM {hourly} GROUP BY outlet_id, mn, medium, factor, DATE_TRUNC('day', hour)
  ),
  dev AS (
    SELECT d.outlet_id, v.mn, o.medium, v.factor, v.data_time AS day, v.avg, v.zs_avg, v.min, v.max, v.cou,
      1 AS hours,
      CASE WHEN (v.flag IS NULL OR {_in("v.flag", VALID_FLAGS)}) AND v.avg IS NOT NULL THEN 24 ELSE 0 END
        AS valid_hours,
      CASE WHEN {_in("v.flag", STOPPED_FLAGS)} THEN 24 ELSE 0 END AS stopped_hours
    FROM sources_values v JOIN sources_devices d ON d.mn = v.mn
    JOIN sources_outlets o ON o.outlet_id = d.outlet_id
    LEFT JOIN (SELECT DISTINCT mn, day FROM hd) x ON x.mn = v.mn AND x.day = v.data_time
    WHERE v.cn = '2031' AND {win} AND x.mn IS NULL
  ),
  u AS (
    SELECT *, 'hourly' AS source FROM hd
    UNION ALL
    SELECT *, 'device' AS source FROM dev
  )
  SELECT outlet_id, mn, medium, factor, day, avg, zs_avg, min, max, cou, hours, valid_hours, stopped_hours,
    CASE WHEN valid_hours >= {_rule("day")} THEN 'valid'
         WHEN stopped_hours > 0 THEN 'stopped' ELSE 'invalid' END AS status,
    source
  FROM u"""
    return base


def events_sql(hourly: str = "f_hourly", daily: str = "f_daily") -> str:
    """Exceedance events: consecutive exceeding hours (daily limits: days) of one device,
    factor and basis merged (gaps and islands on the period index), with an id
    ``outlet:factor:basis:YYYYMMDDHH``."""
    return f"""
WITH x AS (
  SELECT outlet_id, mn, factor, 'hour' AS basis, hour AS t, value, limit_value, limit_ref_o2,
    DATE_DIFF('hour', {EPOCH}, hour) AS k
  FROM {hourly} WHERE exceed
  UNION ALL
  SELECT outlet_id, mn, factor, 'day' AS basis, day AS t, value, limit_value, limit_ref_o2,
    DATE_DIFF('day', {EPOCH}, day) AS k
  FROM {daily} WHERE exceed
),
g AS (SELECT *, k - ROW_NUMBER() OVER (PARTITION BY outlet_id, mn, factor, basis ORDER BY t) AS grp FROM x),
e AS (
  SELECT outlet_id, mn, factor, basis, MIN(t) AS start, MAX(t) AS last, COUNT(*) AS periods,
    MAX(value) AS max_value, AVG(value) AS mean_value, MIN(limit_value) AS limit_value,
    MIN(limit_ref_o2) AS ref_o2
  FROM g GROUP BY outlet_id, mn, factor, basis, grp
)
SELECT outlet_id || ':' || factor || ':' || basis || ':' || STRFTIME(start, '%Y%m%d%H') AS event_id,
  outlet_id, mn, factor, basis, start,
  CASE WHEN basis = 'hour' THEN last + INTERVAL 1 HOUR ELSE last + INTERVAL 1 DAY END AS "end",
  periods, max_value, mean_value, limit_value, ref_o2
FROM e"""


def _bounds_case(factor: str, v: str) -> str:
    """alarms.out_of_bounds as SQL: 'negative', 'impossible' or NULL."""
    whens = []
    for f, (lo, hi) in al.BOUNDS.items():
        conds = []
        if lo is not None:
            conds.append(f"{v} < {_num(lo)}")
        if hi is not None:
            conds.append(f"{v} > {_num(hi)}")
        neg = f"WHEN {factor} = {_q(f)} AND {v} < 0 THEN 'negative' " if lo is not None and lo >= 0 else ""
        whens.append(f"{neg}WHEN {factor} = {_q(f)} AND ({' OR '.join(conds)}) THEN 'impossible'")
    exempt = _in(factor, [f for f in al.NON_NEGATIVE_EXEMPT if f not in al.BOUNDS])
    return f"CASE {' '.join(whens)} WHEN {exempt} THEN NULL WHEN {v} < 0 THEN 'negative' ELSE NULL END"


def alarms_sql(
    w: Window, p: al.AlarmParams, horizon: dt.datetime | None = None, minutes: str = "f_minutes"
) -> str:
    """Abnormal-data alarms (:mod:`ecoplan.sources.standards.alarms`, ecoplan's rules):
    silence and flatline as runs of records, negative/impossible values, flag storms and
    zero flow while emitting as runs of consecutive hours; an id
    ``kind:mn:factor:YYYYMMDDHHMM``. ``horizon``: the end of a trailing silence (default:
    the newest record of any registered device in the window — frames of devices the
    registry does not know, such as a captured file of other sites' packets, do not make
    every registered device look silent)."""
    win = f"data_time >= {_ts(w.start)} AND data_time < {_ts(w.end)}"
    hz = _ts(horizon) if horizon is not None else "(SELECT MAX(data_time) FROM seen)"
    flows = _in("m.factor", al.FLOW_FACTORS)
    pollutant = _in("q.factor", POLLUTANTS)
    return f"""
WITH m AS (SELECT * FROM {minutes}),
iv AS (SELECT DISTINCT mn, interval_min FROM m),
seen AS (
  SELECT DISTINCT v.mn, v.data_time FROM sources_values v JOIN sources_devices d ON d.mn = v.mn
  WHERE v.cn IN ('2011', '2051') AND {win.replace("data_time", "v.data_time")}
),
sg AS (
  SELECT s.mn, s.data_time AS start, LEAD(s.data_time) OVER (PARTITION BY s.mn ORDER BY s.data_time) AS nxt
  FROM seen s
),
silence AS (
  SELECT 'silence' AS kind, sg.mn, CAST(NULL AS VARCHAR) AS factor, sg.start, sg.nxt AS "end",
    CAST(DATE_DIFF('minute', sg.start, COALESCE(sg.nxt, {hz})) - COALESCE(iv.interval_min, 10) AS DOUBLE)
      AS value, 0 AS records
  FROM sg LEFT JOIN iv ON iv.mn = sg.mn
  WHERE DATE_DIFF('minute', sg.start, COALESCE(sg.nxt, {hz})) - COALESCE(iv.interval_min, 10)
    > {int(p.silence_minutes)}
),
fr AS (
  SELECT mn, factor, data_time, avg, interval_min,
    ROW_NUMBER() OVER (PARTITION BY mn, factor ORDER BY data_time)
    - ROW_NUMBER() OVER (PARTITION BY mn, factor, avg ORDER BY data_time) AS grp
  FROM m WHERE {VALID}
),
flatline AS (
  SELECT 'flatline' AS kind, mn, factor, MIN(data_time) AS start,
    MAX(data_time) + INTERVAL 1 MINUTE * MAX(interval_min) AS "end", MIN(avg) AS value, COUNT(*) AS records
  FROM fr GROUP BY mn, factor, avg, grp
  HAVING COUNT(*) * MAX(interval_min) >= {int(p.flatline_minutes)}
),
bounds AS (
  SELECT kind, mn, factor, DATE_TRUNC('hour', data_time) AS hour, MIN(avg) AS value, COUNT(*) AS records
  FROM (SELECT m.*, {_bounds_case("m.factor", "m.avg")} AS kind FROM m WHERE m.avg IS NOT NULL) b
  WHERE kind IS NOT NULL GROUP BY kind, mn, factor, DATE_TRUNC('hour', data_time)
),
fl AS (
  SELECT mn, factor, data_time, flag,
    LAG(flag) OVER (PARTITION BY mn, factor ORDER BY data_time) AS prev
  FROM m
),
storm AS (
  SELECT 'flag_storm' AS kind, mn, factor, DATE_TRUNC('hour', data_time) AS hour,
    CAST(SUM(CASE WHEN flag <> prev THEN 1 ELSE 0 END) AS DOUBLE) AS value, COUNT(*) AS records
  FROM fl GROUP BY mn, factor, DATE_TRUNC('hour', data_time)
  HAVING SUM(CASE WHEN flag <> prev THEN 1 ELSE 0 END) >= {int(p.storm_changes)}
),
zero AS (
  SELECT 'zero_flow' AS kind, m.mn, m.factor, DATE_TRUNC('hour', m.data_time) AS hour,
    MAX(m.avg) AS value, COUNT(*) AS records
  FROM m JOIN m q ON q.mn = m.mn AND q.data_time = m.data_time AND {pollutant}
    AND q.avg > 0 AND q.flag = 'N'
  WHERE {flows} AND m.avg <= 0 AND NOT {_in("m.flag", STOPPED_FLAGS)}
  GROUP BY m.mn, m.factor, DATE_TRUNC('hour', m.data_time)
),
hours AS (
  SELECT * FROM bounds UNION ALL SELECT * FROM storm UNION ALL SELECT * FROM zero
),
hg AS (
  SELECT *, DATE_DIFF('hour', {EPOCH}, hour)
    - ROW_NUMBER() OVER (PARTITION BY kind, mn, factor ORDER BY hour) AS grp
  FROM hours
),
runs AS (
  SELECT kind, mn, factor, MIN(hour) AS start, MAX(hour) + INTERVAL 1 HOUR AS "end",
    CASE WHEN kind = 'flag_storm' THEN MAX(value) ELSE MIN(value) END AS value, SUM(records) AS records
  FROM hg GROUP BY kind, mn, factor, grp
),
a AS (
  SELECT kind, mn, factor, start, "end", value, records FROM silence
  UNION ALL SELECT kind, mn, factor, start, "end", value, records FROM flatline
  UNION ALL SELECT kind, mn, factor, start, "end", value, records FROM runs
)
SELECT a.kind || ':' || a.mn || ':' || COALESCE(a.factor, '-') || ':' || STRFTIME(a.start, '%Y%m%d%H%M')
    AS alarm_id,
  a.kind, a.mn, d.outlet_id, a.factor, a.start, a."end", a.value, CAST(a.records AS BIGINT) AS records
FROM a JOIN sources_devices d ON d.mn = a.mn"""


def totals_sql(years: Iterable[int], daily: str = "sources_daily") -> str:
    """Annual emissions per enterprise and pollutant (:data:`POLLUTANTS`, Cou in kg → t):
    the sum of the days' Cou, the outlet-days covered (a day valid or stopped) and the
    outlet-days expected — every outlet with a limit or data for the pollutant that year,
    times the days of the year."""
    ys = sorted({int(y) for y in years})
    if not ys:
        raise ValueError("no year to total")
    yv = " UNION ALL ".join(
        f"SELECT {y} AS year, {(dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days} AS ndays" for y in ys
    )
    pol = _in("factor", POLLUTANTS)
    return f"""
WITH yrs AS ({yv}),
d AS (
  SELECT outlet_id, factor, YEAR(day) AS year, SUM(cou) AS kg,
    SUM(CASE WHEN status IN ('valid', 'stopped') THEN 1 ELSE 0 END) AS days
  FROM {daily} WHERE {pol} AND YEAR(day) IN ({", ".join(str(y) for y in ys)})
  GROUP BY outlet_id, factor, YEAR(day)
),
x AS (
  SELECT DISTINCT outlet_id, factor, year FROM (
    SELECT l.outlet_id, l.factor, y.year FROM sources_permit_limits l CROSS JOIN yrs y
    WHERE {_in("l.factor", POLLUTANTS)}
    UNION ALL SELECT outlet_id, factor, year FROM d
  ) u
)
SELECT x.year, e.credit_code, e.region, x.factor, SUM(d.kg) / 1000.0 AS tonnes,
  CAST(COALESCE(SUM(d.days), 0) AS BIGINT) AS days, CAST(COUNT(*) * MAX(y.ndays) AS BIGINT) AS expected_days,
  CAST(COUNT(*) AS BIGINT) AS outlets
FROM x JOIN yrs y ON y.year = x.year
JOIN sources_outlets o ON o.outlet_id = x.outlet_id
JOIN sources_enterprises e ON e.credit_code = o.credit_code
LEFT JOIN d ON d.outlet_id = x.outlet_id AND d.factor = x.factor AND d.year = x.year
GROUP BY x.year, e.credit_code, e.region, x.factor"""

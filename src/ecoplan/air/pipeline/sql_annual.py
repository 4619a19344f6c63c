"""City daily values → annual statistics per region (:func:`annual_sql`, HJ 663 附录A)
and AQI day counts by level (:func:`aqi_counts_sql`, HJ 633's level table).

:func:`annual_sql` returns counts, exact sums, monthly counts and the two order
statistics around each percentile; the interpolation itself is done exactly by
the caller (:mod:`ecoplan.air.pipeline.evaluate`) on those integers. The rank is
:func:`_percentile_rank`, the SQL form of
:func:`ecoplan.air.standards.hj663_2013.percentile_position`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import hj663_2013

__all__ = ["annual_sql", "aqi_counts_sql"]


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

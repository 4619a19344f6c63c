"""The water pipeline's SQL, generated once from the standards' tables (DuckDB dialect).

Every limit comes from :mod:`ecoplan.water.standards.gb3838_2002` (Table 1) and every
rule from :mod:`ecoplan.water.standards.evaluation_2011` (环办〔2011〕22号); nothing is
re-typed here. :func:`ecoplan.core.sql.to_dialect` transpiles the text for Spark.

Tables the SQL reads: ``water_samples`` (``station, time, item, value, flag``, the
columns of :data:`~ecoplan.water.readers.batch.SAMPLE_COLUMNS`) and ``water_stations``
(:data:`~ecoplan.water.readers.batch.STATION_COLUMNS`). Missing values are NULLs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb
from ecoplan.water.standards.gb3838_2002 import EqualLimits

__all__ = [
    "GRADE_CODES",
    "PeriodOptions",
    "class_case",
    "item_periods_sql",
    "main_pollutants_sql",
    "sample_classes_sql",
    "sections_sql",
    "shares_sql",
]

#: Section grade codes of classes 1..6 (环办〔2011〕22号 §二(一)2: Ⅰ–Ⅱ 优, Ⅲ 良好,
#: Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染).
GRADE_CODES: tuple[str, ...] = ev.GRADE_CODES


@dataclass(frozen=True)
class PeriodOptions:
    """The UNCONFIRMED choices of the 2011 method (spec §10), with its defaults.

    ``min_values``: valid values a month needs (``period_mean(min_count=…)``);
    ``min_months``: monthly means a year needs; ``nd_flag``: the sample flag marking a
    value below the detection limit (the value then is the limit), counted as
    ``nd_factor`` × the limit (½ DL, spec §2.2); ``items``: the evaluation items (§一,
    21 items); ``equal_limits``: GB 3838 shared limits; ``heavy_metal_priority`` and
    ``severe_below``: as in :func:`evaluation_2011.main_pollutants` and
    :func:`evaluation_2011.river_grade`.
    """

    min_values: int = 1
    min_months: int = 1
    nd_flag: str = "L"
    nd_factor: float = 0.5
    items: tuple[str, ...] = ev.EVALUATION_ITEMS
    equal_limits: EqualLimits = "best"
    heavy_metal_priority: bool = True
    severe_below: float = 0.75

    def __post_init__(self) -> None:
        unknown = [i for i in self.items if i not in gb.ITEMS]
        if unknown:
            raise ValueError(f"unknown GB 3838 Table 1 items: {unknown}")
        if self.min_values < 1 or self.min_months < 1:
            raise ValueError("min_values and min_months must be ≥ 1")
        if self.equal_limits not in ("best", "worst"):
            raise ValueError(f"equal_limits must be 'best' or 'worst': {self.equal_limits!r}")


def _num(x: float) -> str:
    """A double literal that means the same number on DuckDB and Spark."""
    return f"CAST({float(x)!r} AS DOUBLE)"


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _row_case(key: str, v: str, equal_limits: EqualLimits) -> str:
    """CASE of one Table 1 row (``key`` as :func:`gb3838_2002.row` names it)."""
    if key == "pH":
        lo, hi = gb.PH_RANGE
        return f"CASE WHEN {v} >= {_num(lo)} AND {v} <= {_num(hi)} THEN 1 ELSE {gb.WORSE_THAN_V} END"
    if key == "DO":
        # "≥" limits: the first class whose limit the value reaches (no shared limits)
        whens = " ".join(f"WHEN {v} >= {_num(lim)} THEN {k}" for k, lim in enumerate(gb.DO_LIMITS, 1))
        return f"CASE {whens} ELSE {gb.WORSE_THAN_V} END"
    lims = gb.LE_LIMITS[key]
    parts = []
    for k, lim in enumerate(lims, 1):
        nxt = lims[k] if k < len(lims) else None
        if equal_limits == "worst" and nxt is not None and nxt == lim:
            # on a limit shared with the next class: the value belongs further down
            parts.append(f"WHEN {v} < {_num(lim)} THEN {k}")
        else:
            parts.append(f"WHEN {v} <= {_num(lim)} THEN {k}")
    return f"CASE {' '.join(parts)} ELSE {gb.WORSE_THAN_V} END"


def class_case(v: str, item: str, water_body: str, equal_limits: EqualLimits = "best") -> str:
    """SQL of :func:`gb3838_2002.item_class` over the columns ``v`` (value), ``item``
    and ``water_body`` (``river``/``lake``): NULL where the value is NULL or Table 1
    gives the item no class there (水温; 总氮 of a river), GB 3838—2002 Table 1."""
    whens = []
    for it in gb.ITEMS:
        rkey, lkey = gb.row(it, "river"), gb.row(it, "lake")
        if rkey is None and lkey is None:
            continue
        if rkey == lkey and rkey is not None:
            whens.append(f"WHEN {item} = {_q(it)} THEN {_row_case(rkey, v, equal_limits)}")
            continue
        for wb, key in (("river", rkey), ("lake", lkey)):
            if key is not None:
                cond = f"{item} = {_q(it)} AND {water_body} = {_q(wb)}"
                whens.append(f"WHEN {cond} THEN {_row_case(key, v, equal_limits)}")
    return f"CASE WHEN {v} IS NULL THEN NULL {' '.join(whens)} ELSE NULL END"


def _multiple_case(v: str, item: str, water_body: str) -> str:
    """超标倍数 (C − C_Ⅲ)/C_Ⅲ against the Ⅲ limit of the water body's row
    (环办〔2011〕22号 §二(一)3); NULL for 水温, pH, 溶解氧 and unclassed items."""
    whens = []
    for it in gb.ITEMS:
        if it in ev.NO_MULTIPLE:
            continue
        for wb in ("river", "lake"):
            key = gb.row(it, wb)
            if key is None:
                continue
            s3 = _num(gb.LE_LIMITS[key][2])
            whens.append(f"WHEN {item} = {_q(it)} AND {water_body} = {_q(wb)} THEN ({v} - {s3}) / {s3}")
    return f"CASE {' '.join(whens)} ELSE NULL END"


def _in(col: str, values: Iterable[str]) -> str:
    return f"{col} IN ({', '.join(_q(x) for x in values)})"


def _prio_case(item: str, on: bool) -> str:
    if not on:
        return "1"
    return f"CASE WHEN {_in(item, sorted(ev.PRIORITY_ITEMS))} THEN 0 ELSE 1 END"


def _order_case(item: str) -> str:
    return "CASE " + " ".join(f"WHEN {item} = {_q(it)} THEN {k}" for k, it in enumerate(gb.ITEMS)) + " END"


def item_periods_sql(year: int, month: int | None, o: PeriodOptions, *, period: str) -> str:
    """Per station, period and item: the period mean (环办〔2011〕22号 §二(一)1, spec
    §2.2: monthly mean of the valid values; annual = mean of the monthly means), the
    item class (GB 3838—2002 Table 1), the multiple (§二(一)3) and whether the item
    counts in the section class (§一 evaluation items).

    ``period`` is ``"month"`` (every month of ``year``, or only ``month``) or ``"year"``.
    """
    if period not in ("month", "year"):
        raise ValueError(f"period must be 'year' or 'month', got {period!r}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month!r}")
    classed = sorted({*gb.CLASSED_ITEMS["lake"]})
    where = f"YEAR(s.time) = {int(year)} AND s.value IS NOT NULL AND {_in('s.item', classed)}"
    if month is not None:
        where += f" AND MONTH(s.time) = {int(month)}"
    nd = f"CASE WHEN s.flag = {_q(o.nd_flag)} THEN {_num(o.nd_factor)} * s.value ELSE s.value END"
    monthly = f"""
  SELECT s.station, MONTH(s.time) AS month, s.item, AVG({nd}) AS mean, COUNT(*) AS n_values
  FROM water_samples s WHERE {where}
  GROUP BY s.station, MONTH(s.time), s.item
  HAVING COUNT(*) >= {int(o.min_values)}"""
    if period == "month":
        means = "SELECT station, month, item, mean, n_values, 1 AS n_months FROM m"
    else:
        means = f"""SELECT station, 0 AS month, item, AVG(mean) AS mean, SUM(n_values) AS n_values,
    COUNT(*) AS n_months FROM m GROUP BY station, item HAVING COUNT(*) >= {int(o.min_months)}"""
    cls = class_case("p.mean", "p.item", "w.water_body", o.equal_limits)
    mult = _multiple_case("p.mean", "p.item", "w.water_body")
    evaluated = _in("item", o.items)
    return f"""
WITH m AS ({monthly}
),
p AS ({means}),
c AS (
  SELECT p.station, p.month, p.item, p.mean, p.n_values, p.n_months, w.water_body,
    {cls} AS cls,
    {mult} AS multiple
  FROM p JOIN water_stations w ON w.code = p.station
)
SELECT station, month, item, mean, n_values, n_months, water_body, cls, multiple,
  CASE WHEN {evaluated} THEN 1 ELSE 0 END AS evaluated
FROM c
"""


def sections_sql(items: str = "water_items") -> str:
    """One row per station and period from the item rows of :func:`item_periods_sql`:
    the section class = the worst evaluated item (环办〔2011〕22号 §二(一)1, GB 3838—2002
    §5.1), the number of values, and ``mean_<item>``/``class_<item>`` of every Table 1
    item (NULL where the item has no value)."""
    wide = ",\n  ".join(
        f"MAX(CASE WHEN item = {_q(it)} THEN mean END) AS mean_{it}, "
        f"MAX(CASE WHEN item = {_q(it)} THEN cls END) AS class_{it}"
        for it in gb.CLASSED_ITEMS["lake"]
    )
    return f"""
SELECT station, month, MAX(n_values) AS n_samples,
  MAX(CASE WHEN evaluated = 1 THEN cls END) AS cls,
  {wide}
FROM {items} GROUP BY station, month
"""


def main_pollutants_sql(o: PeriodOptions, items: str = "water_items") -> str:
    """主要污染指标 (环办〔2011〕22号 §二(一)3): per station and period, the evaluated items
    worse than Ⅲ, ranked — priority items (CN, heavy metals) first when
    ``heavy_metal_priority``, then the worst class, items with a multiple before those
    without (pH, DO), the larger multiple, Table 1 order — at most three."""
    order = (
        f"{_prio_case('item', o.heavy_metal_priority)}, cls DESC, "
        f"CASE WHEN multiple IS NULL THEN 1 ELSE 0 END, multiple DESC, {_order_case('item')}"
    )
    return f"""
SELECT station, month, item, multiple, main_rank FROM (
  SELECT station, month, item, multiple,
    ROW_NUMBER() OVER (PARTITION BY station, month ORDER BY {order}) AS main_rank
  FROM {items} WHERE evaluated = 1 AND cls > 3
) r WHERE main_rank <= {ev.MAX_MAIN_POLLUTANTS}
"""


def sample_classes_sql(value: str, items: Iterable[str], equal_limits: EqualLimits = "best") -> str:
    """Per station and time: the single-factor class of one sample over ``items``
    (GB 3838—2002 §5.1; 环办〔2011〕22号 §二(一)1), on the column ``value`` (``value``
    or ``published``, the CNEMC printed value of spec §2.8)."""
    if value not in ("value", "published"):
        raise ValueError(f"value must be 'value' or 'published', got {value!r}")
    cls = class_case(f"s.{value}", "s.item", "w.water_body", equal_limits)
    return f"""
SELECT s.station, s.time, MAX({cls}) AS cls, COUNT({cls}) AS n_items
FROM water_samples s JOIN water_stations w ON w.code = s.station
WHERE {_in("s.item", items)}
GROUP BY s.station, s.time
"""


def _keys_sql(by: str) -> str:
    if by == "region":
        # GB/T 2260: the province (first 2 digits) and the city (first 4 digits) roll-up
        return """
  SELECT DISTINCT station, key FROM (
    SELECT code AS station, SUBSTR(region, 1, 2) || '0000' AS key FROM water_stations
      WHERE region IS NOT NULL AND LENGTH(region) = 6
    UNION ALL
    SELECT code AS station, SUBSTR(region, 1, 4) || '00' AS key FROM water_stations
      WHERE region IS NOT NULL AND LENGTH(region) = 6
  ) k"""
    if by in ("basin", "river"):
        return f"SELECT code AS station, {by} AS key FROM water_stations WHERE {by} IS NOT NULL"
    raise ValueError(f"by must be 'region', 'basin' or 'river', got {by!r}")


def shares_sql(
    by: str, o: PeriodOptions, sections: str = "water_sections", items: str = "water_items"
) -> str:
    """Per key (region, basin or river) and period: sections, sections per class, the
    share counts, and the grade (环办〔2011〕22号 §二(一)2): the 断面水质类别比例法 from
    5 sections (exact integer comparisons of :func:`evaluation_2011.river_grade`),
    below that the class of the item means over the sections (:func:`mean_class`;
    lake rows when every section is a lake). ``sections``: station, month, cls;
    ``items``: the rows of :func:`item_periods_sql`."""
    sb = Fraction(str(o.severe_below))
    n_min = ev.SHARE_METHOD_MIN_SECTIONS
    counts = ", ".join(f"COUNT(CASE WHEN s.cls = {k} THEN 1 END) AS n_class_{k}" for k in range(1, 7))
    wb = "CASE WHEN MAX(CASE WHEN i.water_body = 'river' THEN 1 ELSE 0 END) = 1 THEN 'river' ELSE 'lake' END"
    small_cls = class_case("mean", "item", "water_body", o.equal_limits)
    section_grade = " ".join(f"WHEN small_cls = {k} THEN {_q(g)}" for k, g in enumerate(GRADE_CODES, 1))
    return f"""
WITH keys AS ({_keys_sql(by)}
),
g AS (
  SELECT k.key, s.month, COUNT(s.cls) AS n_sections, {counts},
    COUNT(CASE WHEN s.cls <= 3 THEN 1 END) AS n13
  FROM {sections} s JOIN keys k ON k.station = s.station
  GROUP BY k.key, s.month
),
im AS (
  SELECT k.key, i.month, i.item, AVG(i.mean) AS mean, {wb} AS water_body
  FROM {items} i JOIN keys k ON k.station = i.station
  WHERE i.evaluated = 1
  GROUP BY k.key, i.month, i.item
),
small AS (
  SELECT key, month, MAX({small_cls}) AS small_cls FROM im GROUP BY key, month
)
SELECT g.*, small.small_cls,
  CASE WHEN g.n_sections >= {n_min} THEN
    CASE WHEN 10 * g.n13 >= 9 * g.n_sections THEN 'excellent'
         WHEN 4 * g.n13 >= 3 * g.n_sections THEN 'good'
         WHEN 5 * g.n_class_6 < g.n_sections THEN 'light'
         WHEN 5 * g.n_class_6 < 2 * g.n_sections THEN 'moderate'
         WHEN {sb.denominator} * g.n13 < {sb.numerator} * g.n_sections THEN 'severe'
         ELSE NULL END
  ELSE CASE {section_grade} ELSE NULL END END AS grade
FROM g LEFT JOIN small ON small.key = g.key AND small.month = g.month
"""

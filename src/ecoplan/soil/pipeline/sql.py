"""The soil SQL, generated once from the standards' tables (DuckDB dialect).

Every value comes from :mod:`ecoplan.soil.standards.gb15618_2018` (Table 1, Table 3,
the pH bands of §5.1 and the level rule of §5.4) and every rate rule from
:mod:`ecoplan.soil.standards.safe_use`; nothing here knows an engine. Inputs are the
tables ``soil_samples`` (:data:`ecoplan.soil.readers.SAMPLE_COLUMNS`), ``soil_units``
and ``soil_plots``; missing values are SQL NULLs.
"""

from __future__ import annotations

from ecoplan.soil.standards.gb15618_2018 import BASIC, CATEGORIES, CONTROLLED, INTERVENTION, SCREENING

__all__ = ["counts_sql", "farmland_sql", "sample_classes_sql", "sites_sql", "unit_means_sql"]


def _d(v: float) -> str:
    return f"CAST({float(v)!r} AS DOUBLE)"


#: §5.1: pH ≤ 5.5 | 5.5 < pH ≤ 6.5 | 6.5 < pH ≤ 7.5 | pH > 7.5.
_BAND = (
    "CASE WHEN ph IS NULL THEN NULL WHEN ph <= 5.5 THEN 0 WHEN ph <= 6.5 THEN 1 "
    "WHEN ph <= 7.5 THEN 2 ELSE 3 END"
)


def _by_band(values: tuple[float, ...]) -> str:
    whens = " ".join(f"WHEN band = {i} THEN {_d(v)}" for i, v in enumerate(values))
    return f"CASE {whens} END"


def _screening(metal: str, rotation: bool) -> str:
    rows = SCREENING[metal]
    if "all" in rows:
        return _by_band(rows["all"])
    if metal == "Cu":
        orchard, other = _by_band(rows["orchard"]), _by_band(rows["other"])
        return f"CASE WHEN land_use = 'orchard' THEN {orchard} ELSE {other} END"
    if rotation:
        return _by_band(tuple(min(a, b) for a, b in zip(rows["paddy"], rows["other"], strict=True)))
    return f"CASE WHEN land_use = 'paddy' THEN {_by_band(rows['paddy'])} ELSE {_by_band(rows['other'])} END"


def unit_means_sql() -> str:
    """Evaluation units (spec §5.4 "per evaluation unit mean"): one row per region and land
    use, the mean of each metal and of pH over its samples, ``samples`` counted. Taking the
    arithmetic mean of pH (not of H⁺) is a design choice: UNCONFIRMED."""
    means = ", ".join(f'AVG("{m}") AS "{m}"' for m in (*BASIC, "crop_cd"))
    return f"""
SELECT region || ':' || land_use AS sample_id, region, CAST(NULL AS INTEGER) AS year,
  AVG(lon) AS lon, AVG(lat) AS lat, land_use, AVG(ph) AS ph, {means}, COUNT(*) AS samples
FROM soil_samples GROUP BY region, land_use
"""


def sample_classes_sql(
    *, include_cu_ni_zn: bool = False, rotation: bool = False, per_unit: bool = False
) -> str:
    """Each sample (or, ``per_unit``, each region × land-use unit of mean contents) with its
    band, each metal's screening, intervention and level, and its ``level`` (1..3, NULL when
    pH or every metal is missing) and ``category``."""
    cols = []
    for m in BASIC:
        ctl = _by_band(INTERVENTION[m]) if m in INTERVENTION else "CAST(NULL AS DOUBLE)"
        cols.append(f"{_screening(m, rotation)} AS {m}_screening, {ctl} AS {m}_intervention")
    levels = []
    for m in BASIC:
        levels.append(
            f'CASE WHEN "{m}" IS NULL OR band IS NULL THEN NULL WHEN "{m}" <= {m}_screening THEN 1 '
            f'WHEN {m}_intervention IS NULL OR "{m}" <= {m}_intervention THEN 2 ELSE 3 END AS {m}_level'
        )
    counted = [m for m in BASIC if include_cu_ni_zn or m in CONTROLLED]
    worst = "GREATEST(" + ", ".join(f"COALESCE({m}_level, 0)" for m in counted) + ")"
    cats = " ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(CATEGORIES, start=1))
    return f"""
WITH src AS ({unit_means_sql() if per_unit else "SELECT * FROM soil_samples"}),
b AS (SELECT *, {_BAND} AS band FROM src),
v AS (SELECT *, {", ".join(cols)} FROM b),
l AS (SELECT *, {", ".join(levels)} FROM v),
s AS (SELECT *, CASE WHEN band IS NULL OR {worst} = 0 THEN NULL ELSE {worst} END AS level FROM l)
SELECT *, CASE level {cats} END AS category,
  CASE WHEN ph IS NULL THEN 'ph_missing' WHEN level IS NULL THEN 'no_metals' END AS reason
FROM s ORDER BY sample_id
"""


def counts_sql() -> str:
    """Samples per region, land use and category (from the table ``soil_classes``)."""
    return """
SELECT region, land_use, COALESCE(category, 'not_computable') AS category, COUNT(*) AS samples
FROM soil_classes GROUP BY region, land_use, COALESCE(category, 'not_computable')
ORDER BY region, land_use, category
"""


def farmland_sql() -> str:
    """B, C, D, E (hm²) of 受污染耕地安全利用率 per region and year (safe_use.farmland_rate)."""
    return """
SELECT region, year,
  SUM(CASE WHEN level = 'slight' AND measure <> 'none' THEN area_hm2 ELSE 0 END) AS b,
  SUM(CASE WHEN level = 'light_moderate' AND measure IN ('safe_use', 'remediation', 'strict_control')
      AND crop_compliant THEN area_hm2 ELSE 0 END) AS c,
  SUM(CASE WHEN level = 'severe' AND measure = 'strict_control' THEN area_hm2 ELSE 0 END) AS d,
  SUM(CASE WHEN level <> 'none' THEN area_hm2 ELSE 0 END) AS e
FROM soil_units GROUP BY region, year ORDER BY region, year
"""


def sites_sql() -> str:
    """Safe and counted plots (all, and 重点 only) per region and year (safe_use.site_rate)."""
    counted = "contaminated AND (planned_reuse OR status = 'reused')"
    safe = f"{counted} AND status = 'reused' AND COALESCE(reuse_compliant, FALSE)"
    return f"""
SELECT region, year,
  SUM(CASE WHEN {safe} THEN 1 ELSE 0 END) AS safe,
  SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS counted,
  SUM(CASE WHEN key AND {safe} THEN 1 ELSE 0 END) AS key_safe,
  SUM(CASE WHEN key AND {counted} THEN 1 ELSE 0 END) AS key_counted
FROM soil_plots GROUP BY region, year ORDER BY region, year
"""

"""Lake and reservoir trophic state per station: TLI(Σ) from the stored samples.

The period means are SQL (written once, run on DuckDB or Spark like the rest of the
pipeline): per lake or reservoir station (registry ``water_body = 'lake'``) the monthly
mean of chlorophyll a, TP, TN, transparency SD and CODMn, then the annual mean of the
monthly means (环办〔2011〕22号 §二(一)1 period rule, as for the classes). TLI(Σ) and its
grade are :func:`ecoplan.water.standards.tli.tli` and :func:`~ecoplan.water.standards.tli.grade`
(《湖泊（水库）富营养化评价方法及分级技术规定》, 总站生字〔2001〕090号) on those means;
chlorophyll a is stored in mg/L as CNEMC publishes it and converted to mg/m³ (× 1000).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecoplan.core.sql import Engine, to_dialect
from ecoplan.water.standards import tli as tli_std

__all__ = ["TROPHIC_COLUMNS", "TROPHIC_ITEMS", "lake_means_sql", "trophic"]

#: Stored item code → TLI parameter of :data:`ecoplan.water.standards.tli.PARAMETERS`.
TROPHIC_ITEMS: dict[str, str] = {"Chla": "chla", "TP": "TP", "TN": "TN", "SD": "SD", "CODMn": "CODMn"}

TROPHIC_COLUMNS: tuple[str, ...] = (
    "station", "period", "n_months", "chla_mg_m3", "tp_mg_l", "tn_mg_l", "sd_m", "codmn_mg_l",
    "n_params", "tli", "grade", "reason",
)  # fmt: skip
"""``trophic()``: the period means of the five parameters (NaN when not monitored),
``n_params`` (how many the TLI uses), ``tli`` (TLI(Σ), NaN without one), ``grade``
(:data:`tli.GRADES` code or None) and ``reason`` (``too_few_params`` | ``nonpositive`` |
None)."""

_COLUMN = {"Chla": "chla_mg_m3", "TP": "tp_mg_l", "TN": "tn_mg_l", "SD": "sd_m", "CODMn": "codmn_mg_l"}


def lake_means_sql(year: int, month: int | None = None) -> str:
    """Per lake/reservoir station and item of :data:`TROPHIC_ITEMS`: the mean of the
    monthly means of ``year`` (or the mean of ``month``) and the number of months."""
    items = ", ".join(f"'{i}'" for i in TROPHIC_ITEMS)
    where = f"YEAR(s.time) = {int(year)} AND s.value IS NOT NULL AND s.item IN ({items})"
    if month is not None:
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, got {month!r}")
        where += f" AND MONTH(s.time) = {int(month)}"
    return f"""
WITH m AS (
  SELECT s.station, MONTH(s.time) AS month, s.item, AVG(s.value) AS mean
  FROM water_samples s JOIN water_stations w ON w.code = s.station
  WHERE {where} AND w.water_body = 'lake'
  GROUP BY s.station, MONTH(s.time), s.item
)
SELECT station, item, AVG(mean) AS mean, COUNT(*) AS n_months
FROM m GROUP BY station, item
"""


def trophic(engine: Engine, *, year: int, month: int | None = None, min_params: int = 5) -> pd.DataFrame:
    """TLI(Σ) per lake/reservoir station of ``year`` (or ``month``) from the registered
    samples (:func:`ecoplan.water.pipeline.register`); columns :data:`TROPHIC_COLUMNS`.

    ``min_params``: how many of the five parameters a TLI needs (the method uses all
    five; fewer is the documented option of :func:`tli_std.tli`). A station below it, or
    with a mean ≤ 0 (no logarithm), gets no TLI and says why in ``reason``.
    """
    long = engine.fetch(to_dialect(lake_means_sql(year, month), engine.dialect))
    period = str(year) if month is None else f"{year}-{month:02d}"
    if long.empty:
        return pd.DataFrame(columns=list(TROPHIC_COLUMNS))
    wide = long.pivot_table(index="station", columns="item", values="mean", aggfunc="first")
    months = long.groupby("station")["n_months"].max()
    out = pd.DataFrame({"station": wide.index.astype(str), "period": period})
    out["n_months"] = months.reindex(wide.index).to_numpy(dtype=np.int64)
    for item, col in _COLUMN.items():
        v = wide[item].to_numpy(dtype=np.float64) if item in wide else np.full(len(wide), np.nan)
        out[col] = v * 1000.0 if item == "Chla" else v  # CNEMC mg/L → the method's mg/m³
    values = out[list(_COLUMN.values())].to_numpy(dtype=np.float64)
    present = ~np.isnan(values)
    out["n_params"] = present.sum(axis=1)
    bad = (present & (np.nan_to_num(values, nan=1.0) <= 0)).any(axis=1)
    tlis = np.full(len(out), np.nan)
    grades: list[str | None] = [None] * len(out)
    reasons: list[str | None] = [None] * len(out)
    params = list(TROPHIC_ITEMS.values())
    for i in range(len(out)):  # ≤ a few hundred lakes: one call each, the standard's code
        if bad[i]:
            reasons[i] = "nonpositive"
            continue
        given = {params[j]: float(values[i, j]) for j in range(len(params)) if present[i, j]}
        if len(given) < min_params:
            reasons[i] = "too_few_params"
            continue
        tlis[i] = float(tli_std.tli(given, min_params=min_params).total)
        grades[i] = tli_std.grade(tlis[i])
    out["tli"] = tlis
    out["grade"] = pd.Series(grades, index=out.index, dtype=object)
    out["reason"] = pd.Series(reasons, index=out.index, dtype=object)
    return out[list(TROPHIC_COLUMNS)]

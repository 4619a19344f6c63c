"""Run the water SQL on an engine: samples → station periods → sections → shares.

Each function registers its inputs on the engine (``water_samples``,
``water_stations``), runs the SQL of :mod:`.sql` (transpiled with
:func:`ecoplan.core.sql.to_dialect`) and shapes the result with pandas: labels,
grades, the main pollutants as JSON and shares rounded half to even (GB/T 8170).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from ecoplan.core.sql import Engine, to_dialect
from ecoplan.water.pipeline.sql import (
    GRADE_CODES,
    PeriodOptions,
    item_periods_sql,
    sample_classes_sql,
    shares_sql,
)
from ecoplan.water.standards import gb3838_2002 as gb
from ecoplan.water.standards.evaluation_2011 import EVALUATION_ITEMS

__all__ = [
    "SECTION_COLUMNS",
    "SHARE_COLUMNS",
    "TARGET_RESULT_COLUMNS",
    "register",
    "sample_classes",
    "sections",
    "shares",
    "targets",
]

SECTION_COLUMNS: tuple[str, ...] = (
    "station", "name", "region", "province", "city", "basin", "river", "water_body", "lat", "lon",
    "period", "n_samples", "class", "class_label", "grade", "main_pollutants",
)  # fmt: skip
SHARE_COLUMNS: tuple[str, ...] = (
    "key", "name", "period", "n_sections", *(f"n_class_{k}" for k in range(1, 7)),
    "share_i_iii_pct", "share_worse_v_pct", "grade",
)  # fmt: skip
TARGET_RESULT_COLUMNS: tuple[str, ...] = ("station", "name", "plan", "year", "target_class", "class", "met")


def register(engine: Engine, samples: pd.DataFrame, stations: pd.DataFrame) -> None:
    """Expose samples and the registry to ``engine`` (NULLs for missing values)."""
    s = samples[["station", "time", "item", "value", "published", "flag"]].copy()
    s["time"] = pd.to_datetime(s["time"]).astype("datetime64[us]")
    for c in ("station", "item", "flag", "value", "published"):
        s[c] = s[c].astype(object).where(s[c].notna(), None)
    st = stations[["code", "region", "basin", "river", "water_body"]].copy()
    for c in st.columns:
        st[c] = st[c].astype(object).where(st[c].notna(), None)
    if engine.name == "spark":
        s = _spark_safe(s)
        st = _spark_safe(st)
    engine.register_frame("water_samples", s)
    engine.register_frame("water_stations", st)


def _spark_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Spark infers no type from an all-NULL object column: give it strings/doubles."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object and out[c].isna().all():
            out[c] = out[c].astype("float64") if c in ("value", "published") else ""
    return out


def _run(engine: Engine, sql: str) -> pd.DataFrame:
    return engine.fetch(to_dialect(sql, engine.dialect))


def _materialize(engine: Engine, name: str, sql: str) -> None:
    engine.materialize(name, to_dialect(sql, engine.dialect))


def _items(engine: Engine, year: int, period: str, month: int | None, o: PeriodOptions) -> pd.DataFrame:
    _materialize(engine, "water_items", item_periods_sql(year, month, o, period=period))
    df = engine.fetch("SELECT * FROM water_items")
    for c in ("cls", "main_rank", "month", "n_values", "n_months", "evaluated"):
        df[c] = pd.to_numeric(df[c]).astype("Int64")
    for c in ("mean", "multiple"):
        df[c] = pd.to_numeric(df[c]).astype("float64")
    return df


def _prepare(engine: Engine, year: int, period: str, month: int | None, o: PeriodOptions) -> pd.DataFrame:
    """Materialise ``water_items`` and ``water_sections`` (station, month, cls); return the items."""
    items = _items(engine, year, period, month, o)
    _materialize(
        engine,
        "water_sections",
        "SELECT station, month, MAX(CASE WHEN evaluated = 1 THEN cls END) AS cls FROM water_items "
        "GROUP BY station, month",
    )
    return items


def _period(year: int, month: int) -> str:
    return str(year) if month == 0 else f"{year}-{month:02d}"


def sections(
    engine: Engine,
    stations: pd.DataFrame,
    *,
    year: int,
    period: str = "year",
    month: int | None = None,
    options: PeriodOptions | None = None,
) -> pd.DataFrame:
    """Sections of a period (registered samples, :func:`register`): the registry's
    columns, ``period`` (``2025`` or ``2025-11``), ``n_samples``, ``class`` (1..6, the
    worst evaluation item, 环办〔2011〕22号 §二(一)1), ``class_label``, ``grade`` (code),
    ``main_pollutants`` (JSON list of ``{item, multiple}``, §二(一)3) and
    ``mean_<item>``/``class_<item>`` per item with a value (GB 3838—2002 Table 1)."""
    o = options or PeriodOptions()
    return _shape_sections(_prepare(engine, year, period, month, o), stations, year)


def _mains_json(items: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per section: its main pollutants (rank ≤ 3) as a JSON list of {item, multiple}."""
    m = items[items["main_rank"].notna() & (items["main_rank"] <= 3)].sort_values([*keys, "main_rank"])
    if m.empty:
        return pd.Series(dtype=object)
    parts = [
        json.dumps({"item": str(i), "multiple": None if pd.isna(x) else float(x)}, ensure_ascii=False)
        for i, x in zip(m["item"], m["multiple"], strict=True)
    ]
    # rows are sorted by section: join each run of equal keys (no Python call per group)
    k = m[keys].to_numpy()
    starts = np.flatnonzero(np.r_[True, (k[1:] != k[:-1]).any(axis=1)])
    ends = np.r_[starts[1:], len(parts)]
    texts = ["[" + ", ".join(parts[a:b]) + "]" for a, b in zip(starts, ends, strict=True)]
    index = pd.MultiIndex.from_arrays([k[starts, 0], k[starts, 1]], names=keys)
    return pd.Series(texts, index=index, dtype=object)


def _shape_sections(items: pd.DataFrame, stations: pd.DataFrame, year: int) -> pd.DataFrame:
    """The long item rows as one row per section and period (vectorised)."""
    if items.empty:
        return pd.DataFrame(columns=list(SECTION_COLUMNS))
    keys = ["station", "month"]
    found = set(items["item"].unique())
    present = [i for i in gb.ITEMS if i in found]
    grouped = items.groupby(keys, sort=True)
    df = grouped["n_values"].max().rename("n_samples").to_frame()
    df["class"] = items[items["evaluated"] == 1].groupby(keys)["cls"].max().reindex(df.index).astype("Int64")
    df["main_pollutants"] = _mains_json(items, keys).reindex(df.index).fillna("[]")
    means = items.pivot(index=keys, columns="item", values="mean").reindex(index=df.index, columns=present)
    classes = items.pivot(index=keys, columns="item", values="cls").reindex(index=df.index, columns=present)
    for it in present:
        df[f"mean_{it}"] = means[it].astype("float64")
        df[f"class_{it}"] = classes[it].astype("Int64")
    df = df.reset_index()
    cls = df["class"]
    df["class_label"] = cls.map(lambda c: None if pd.isna(c) else gb.class_label(int(c))).astype(object)
    df["grade"] = cls.map(lambda c: None if pd.isna(c) else GRADE_CODES[int(c) - 1]).astype(object)
    df["period"] = [_period(year, int(m)) for m in df["month"]]
    df["n_samples"] = df["n_samples"].astype("int64")
    meta = stations.set_index("code").reindex(df["station"])[
        ["name", "region", "province", "city", "basin", "river", "water_body", "lat", "lon"]
    ]
    df = pd.concat([df.drop(columns=["month"]), meta.reset_index(drop=True)], axis=1)
    rest = [c for c in df.columns if c not in SECTION_COLUMNS]
    return df[[*SECTION_COLUMNS, *rest]].sort_values(["period", "station"]).reset_index(drop=True)


def _pct(n: int, d: int) -> float | None:
    """100·n/d to one decimal, half to even (GB/T 8170) on the exact quotient."""
    if d == 0:
        return None
    q = (Decimal(100 * n) / Decimal(d)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return float(q)


def shares(
    engine: Engine,
    *,
    year: int,
    by: str = "region",
    period: str = "year",
    month: int | None = None,
    options: PeriodOptions | None = None,
    fresh: bool = True,
) -> pd.DataFrame:
    """Shares per region (province and city, GB/T 2260), basin or river and period:
    ``n_sections``, ``n_class_1`` … ``n_class_6``, ``share_i_iii_pct``,
    ``share_worse_v_pct`` (one decimal, GB/T 8170 half to even), ``grade`` (环办〔2011〕22号
    §二(一)2) and ``n_months`` (the months the period's data cover). ``name`` is
    left to the caller (region names are the catalog's). ``fresh=False`` reuses the
    period tables a :func:`sections` call of the same year and period left."""
    o = options or PeriodOptions()
    if fresh:
        _prepare(engine, year, period, month, o)
    df = _run(engine, shares_sql(by, o))
    months = _run(
        engine,
        "SELECT COUNT(DISTINCT MONTH(time)) AS n FROM water_samples WHERE YEAR(time) = " + str(int(year)),
    )
    n_months = int(months["n"].iloc[0]) if len(months) else 0
    if df.empty:
        return pd.DataFrame(columns=[*SHARE_COLUMNS, "n_months"])
    for c in ["n_sections", "n13", *(f"n_class_{k}" for k in range(1, 7))]:
        df[c] = pd.to_numeric(df[c]).astype("int64")
    df["month"] = pd.to_numeric(df["month"]).astype("int64")
    df["period"] = [_period(year, int(m)) for m in df["month"]]
    df["share_i_iii_pct"] = [_pct(int(a), int(b)) for a, b in zip(df["n13"], df["n_sections"], strict=True)]
    df["share_worse_v_pct"] = [
        _pct(int(a), int(b)) for a, b in zip(df["n_class_6"], df["n_sections"], strict=True)
    ]
    df["grade"] = df["grade"].astype(object).where(df["grade"].notna(), None)
    df["name"] = df["key"]
    df["n_months"] = 1 if period == "month" else n_months
    df = df[df["n_sections"] > 0]
    return df[[*SHARE_COLUMNS, "n_months"]].sort_values(["period", "key"]).reset_index(drop=True)


def sample_classes(
    engine: Engine, *, value: str = "value", items: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Per registered sample (station, time): its single-factor class (``cls``) over
    ``items`` (default the 21 evaluation items) on ``value`` or ``published``."""
    df = _run(engine, sample_classes_sql(value, items or EVALUATION_ITEMS))
    df["cls"] = pd.to_numeric(df["cls"]).astype("Int64")
    df["time"] = pd.to_datetime(df["time"]).astype("datetime64[ns]")
    return df.sort_values(["station", "time"]).reset_index(drop=True)


def targets(sections_year: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """Control-unit attainment: a section meets its plan's target when its annual class
    is at or better than the target class (class ≤ target class, GB 3838—2002 §3);
    ``met`` is ``None`` when the section has no class for the year."""
    t = targets[targets["year"] == year]
    if t.empty:
        return pd.DataFrame(columns=list(TARGET_RESULT_COLUMNS))
    s = sections_year[["station", "name", "class"]] if len(sections_year) else None
    if s is None:
        s = pd.DataFrame(
            {
                "station": pd.Series(dtype=object),
                "name": pd.Series(dtype=object),
                "class": pd.Series(dtype="Int64"),
            }
        )
    out = t.merge(s, on="station", how="left")
    out["class"] = out["class"].astype("Int64")
    out["target_class"] = out["target_class"].astype("int64")
    out["met"] = [
        None if pd.isna(c) else bool(int(c) <= int(tc))
        for c, tc in zip(out["class"], out["target_class"], strict=True)
    ]
    return out[list(TARGET_RESULT_COLUMNS)].sort_values(["plan", "station"]).reset_index(drop=True)

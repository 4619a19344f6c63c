"""Run the water SQL on an engine: samples → station periods → sections → shares.

Each function registers its inputs on the engine (``water_samples``,
``water_stations``), runs the SQL of :mod:`.sql` (transpiled with
:func:`ecoplan.core.sql.to_dialect`) and shapes the result with pandas: labels,
grades, the main pollutants as JSON and shares rounded half to even (GB/T 8170).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from ecoplan.core.sql import Engine, to_dialect
from ecoplan.water.pipeline.sql import (
    GRADE_CODES,
    PeriodOptions,
    item_periods_sql,
    main_pollutants_sql,
    sample_classes_sql,
    sections_sql,
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


def _prepare(engine: Engine, year: int, period: str, month: int | None, o: PeriodOptions) -> None:
    """Materialise ``water_items`` (:func:`item_periods_sql`) and ``water_sections``
    (:func:`sections_sql`) for the period."""
    _materialize(engine, "water_items", item_periods_sql(year, month, o, period=period))
    _materialize(engine, "water_sections", sections_sql())


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
    _prepare(engine, year, period, month, o)
    wide = engine.fetch("SELECT * FROM water_sections ORDER BY month, station")
    mains = _run(engine, main_pollutants_sql(o))
    return _shape_sections(wide, mains, stations, year)


def _mains_json(m: pd.DataFrame) -> pd.Series:
    """Per section: its main pollutants as a JSON list of {item, multiple}, in rank order."""
    if m.empty:
        return pd.Series(dtype=object)
    m = m.assign(month=pd.to_numeric(m["month"]).astype("int64"), main_rank=pd.to_numeric(m["main_rank"]))
    m = m.sort_values(["station", "month", "main_rank"])
    # items are Table 1 codes (plain ASCII), multiples finite floats: their repr is JSON
    parts = [
        f'{{"item": "{i}", "multiple": {"null" if pd.isna(x) else repr(float(x))}}}'
        for i, x in zip(m["item"], m["multiple"], strict=True)
    ]
    # rows are sorted by section: join each run of equal keys (no Python call per group)
    st = m["station"].to_numpy(dtype=object)
    mo = m["month"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (st[1:] != st[:-1]) | (mo[1:] != mo[:-1])])
    ends = np.r_[starts[1:], len(parts)]
    texts = ["[" + ", ".join(parts[a:b]) + "]" for a, b in zip(starts, ends, strict=True)]
    index = pd.MultiIndex.from_arrays([st[starts], mo[starts]], names=["station", "month"])
    return pd.Series(texts, index=index, dtype=object)


_LABELS = np.array([None, *gb.CLASS_LABELS], dtype=object)
_GRADES = np.array([None, *GRADE_CODES], dtype=object)


def _shape_sections(
    wide: pd.DataFrame, mains: pd.DataFrame, stations: pd.DataFrame, year: int
) -> pd.DataFrame:
    """The wide rows of :func:`sections_sql` with labels, grades, main pollutants and
    the registry's columns (vectorised; items without any value dropped)."""
    if wide.empty:
        return pd.DataFrame(columns=list(SECTION_COLUMNS))
    df = wide.copy()
    df["month"] = pd.to_numeric(df["month"]).astype("int64")
    df["station"] = df["station"].astype(object)
    cls = pd.to_numeric(df.pop("cls")).astype("Int64")
    df["class"] = cls
    code = cls.fillna(0).to_numpy(dtype=np.int64)
    df["class_label"] = _LABELS[code]
    df["grade"] = _GRADES[code]
    df["n_samples"] = pd.to_numeric(df["n_samples"]).astype("int64")
    key = pd.MultiIndex.from_arrays([df["station"], df["month"]])
    df["main_pollutants"] = _mains_json(mains).reindex(key).fillna("[]").to_numpy()
    months = df["month"].to_numpy()
    df["period"] = str(year) if (months == 0).all() else [_period(year, int(m)) for m in months]
    item_cols = []
    for it in gb.ITEMS:
        mc, cc = f"mean_{it}", f"class_{it}"
        if mc in df.columns:
            mean = pd.to_numeric(df[mc]).astype("float64")
            if mean.isna().all():
                df = df.drop(columns=[mc, cc])
                continue
            df[mc] = mean
            df[cc] = pd.to_numeric(df[cc]).astype("Int64")
            item_cols += [mc, cc]
    meta = stations.set_index("code").reindex(df["station"])[
        ["name", "region", "province", "city", "basin", "river", "water_body", "lat", "lon"]
    ]
    df = pd.concat([df.reset_index(drop=True), meta.reset_index(drop=True)], axis=1)
    # already in period (month) and station order (the fetch's ORDER BY)
    return df[[*SECTION_COLUMNS, *item_cols]]


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

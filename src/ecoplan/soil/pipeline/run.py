"""Run the soil SQL on an engine (:class:`ecoplan.core.sql.Engine`): frames in, frames out.

Inputs go to the engine as Parquet files in a temporary folder (both engines read
Parquet nulls as SQL NULL); percentages are computed here from the engine's sums with
GB/T 8170 rounding (:func:`ecoplan.soil.standards.safe_use`), so both engines give the
same numbers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from ecoplan.core.sql import Engine, to_dialect
from ecoplan.soil.pipeline.sql import counts_sql, farmland_sql, sample_classes_sql, sites_sql
from ecoplan.soil.readers.batch import PLOT_COLUMNS, SAMPLE_COLUMNS, UNIT_COLUMNS
from ecoplan.soil.standards.safe_use import Rate, combined_rate, pct

__all__ = ["RATE_COLUMNS", "class_counts", "classify_samples", "rates_table"]

RATE_COLUMNS = (
    "region",
    "year",
    "farmland_safe_use_pct",
    "site_safe_use_pct",
    "key_site_safe_use_pct",
    "combined_safe_use_pct",
    "farmland_b_hm2",
    "farmland_c_hm2",
    "farmland_d_hm2",
    "farmland_e_hm2",
    "sites_safe",
    "sites_counted",
    "key_sites_safe",
    "key_sites_counted",
)


def _register(engine: Engine, name: str, frame: pd.DataFrame, folder: Path) -> None:
    path = folder / f"{name}.parquet"
    frame.to_parquet(path, index=False)
    engine.register_parquet(name, [str(path)])


def _run(engine: Engine, sql: str) -> pd.DataFrame:
    return engine.fetch(to_dialect(sql, engine.dialect))


def classify_samples(
    engine: Engine,
    samples: pd.DataFrame,
    *,
    include_cu_ni_zn: bool = False,
    rotation: bool = False,
    per_unit: bool = False,
) -> pd.DataFrame:
    """Every sample (``per_unit``: every region × land-use unit, by mean contents) with its
    per-metal values and levels, ``level``, ``category`` and ``reason``."""
    with tempfile.TemporaryDirectory(prefix="ecoplan-soil-") as tmp:
        frame = samples[list(SAMPLE_COLUMNS)].copy()
        frame["year"] = frame["year"].astype("Int64")
        _register(engine, "soil_samples", frame, Path(tmp))
        out = _run(
            engine,
            sample_classes_sql(include_cu_ni_zn=include_cu_ni_zn, rotation=rotation, per_unit=per_unit),
        )
    return out.sort_values("sample_id").reset_index(drop=True)


def class_counts(engine: Engine, classes: pd.DataFrame) -> pd.DataFrame:
    """Samples per region, land use and category."""
    with tempfile.TemporaryDirectory(prefix="ecoplan-soil-") as tmp:
        keep = classes[["sample_id", "region", "land_use", "category"]]
        _register(engine, "soil_classes", keep, Path(tmp))
        out = _run(engine, counts_sql())
    out["samples"] = out["samples"].astype("int64")
    return out.sort_values(["region", "land_use", "category"]).reset_index(drop=True)


def _pct(num: float, den: float) -> Rate:
    return Rate(pct(num, den), num, den, {}, "")


def rates_table(engine: Engine, units: pd.DataFrame, plots: pd.DataFrame) -> pd.DataFrame:
    """The rates per region and year (columns :data:`RATE_COLUMNS`)."""
    with tempfile.TemporaryDirectory(prefix="ecoplan-soil-") as tmp:
        folder = Path(tmp)
        fm = sc = pd.DataFrame()
        if len(units):
            u = units[list(UNIT_COLUMNS)].copy()
            u["crop_compliant"] = u["crop_compliant"].astype("boolean")
            _register(engine, "soil_units", u, folder)
            fm = _run(engine, farmland_sql())
        if len(plots):
            p = plots[list(PLOT_COLUMNS)].copy()
            for c in ("contaminated", "planned_reuse", "reuse_compliant", "key"):
                p[c] = p[c].astype("boolean")
            _register(engine, "soil_plots", p, folder)
            sc = _run(engine, sites_sql())
    keys = sorted(
        {
            (str(r), int(y))
            for df in (fm, sc)
            if len(df)
            for r, y in zip(df["region"], df["year"], strict=True)
        }
    )
    fmi: dict[tuple[str, int], pd.Series] = (
        {(str(r["region"]), int(r["year"])): r for _, r in fm.iterrows()} if len(fm) else {}
    )
    sci: dict[tuple[str, int], pd.Series] = (
        {(str(r["region"]), int(r["year"])): r for _, r in sc.iterrows()} if len(sc) else {}
    )
    rows = []
    for k in keys:
        f, s = fmi.get(k), sci.get(k)
        fb, fc, fd, fe = (0.0 if f is None else float(f[x]) for x in ("b", "c", "d", "e"))
        n, m, kn, km = (
            float(s[x]) if s is not None else 0.0 for x in ("safe", "counted", "key_safe", "key_counted")
        )
        farm, site, key = _pct(fb + fc + fd, fe), _pct(n, m), _pct(kn, km)
        rows.append(
            (
                k[0],
                k[1],
                farm.value_pct,
                site.value_pct,
                key.value_pct,
                combined_rate(farm, site).value_pct,
                fb,
                fc,
                fd,
                fe,
                int(n),
                int(m),
                int(kn),
                int(km),
            )
        )
    return pd.DataFrame(rows, columns=list(RATE_COLUMNS))

"""Water pipeline benchmark: GB 3838 classification and the 2011 annual evaluation of
~10 M section-samples (long form: one value per station, time and item).

Builds the input by tiling the real CNEMC automatic-station snapshots
(``shared/data/water/``, read with the ``cnemc-snapshot`` reader): copy *k* of every
station is a new station ``<code>~<k>`` of the same region and water body, its times
moved into month ``(month + k) mod 12`` of ``--year`` (day capped at 28) and every value
but pH scaled by a deterministic factor 0.8 + 0.4·u (u from ``numpy.random.default_rng
(seed)``, one per copy and item). Written as Parquet (reused when already built).

Then times, side by side, medians of ``--repeat`` runs, in the same process:

1. ecoplan on DuckDB: ``sections`` (monthly means → annual means → item classes →
   section class, grade, main pollutants; shaped to pandas) and ``shares`` by region
   (province and city roll-up, grade), fresh engine per run;
2. a bare DuckDB scan of the same columns (``station, time, item, value, flag``);
   goal: 1 / 2 ≤ 3×;
3. ``pandas_reference_evaluation`` — a straightforward pandas implementation written for
   this comparison (group-by means, ``gb3838_2002.item_class_array``, group-by max and
   counts), checked equal to ecoplan's classes and shares;
4. the same pipeline on Spark (local mode): one cold and ``--spark-runs`` warm runs,
   checked equal to DuckDB's results.

Run: ``.venv/bin/python benchmarks/water_pipeline.py [--rows 10000000] [--repeat 3] [--no-spark]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ecoplan.store.engines import DuckDBEngine
from ecoplan.water import readers
from ecoplan.water.pipeline import sections, shares
from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb

HERE = Path(__file__).resolve().parent
CNEMC = HERE.parent.parent / "shared" / "data" / "water" / "cnemc_autostation_snapshots_2025-11_2026-02.csv"
FILES = 10
STATION_COLS = ["code", "region", "basin", "river", "water_body", "name", "province", "city", "lat", "lon"]


def build(rows: int, year: int, seed: int, work: Path) -> tuple[list[str], pd.DataFrame, int]:
    """Tile the CNEMC rows to about ``rows`` section-samples; Parquet files + registry."""
    b = readers.read("cnemc-snapshot", [CNEMC])
    base = b.samples[["station", "time", "item", "value", "published", "flag"]].reset_index(drop=True)
    copies = max(1, math.ceil(rows / len(base)))
    key = hashlib.sha256(f"{CNEMC.stat().st_size}-{rows}-{year}-{seed}".encode()).hexdigest()[:10]
    folder = work / f"water-{copies}x-{year}-{key}"
    st = b.stations
    reg = pd.concat([st.assign(code=st["code"] + f"~{k:03d}") for k in range(copies)], ignore_index=True)[
        STATION_COLS
    ]
    manifest = folder / "manifest.json"
    if manifest.exists():
        done = json.loads(manifest.read_text())
        return [str(folder / f) for f in done["files"]], reg, int(done["rows"])
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    items = sorted(base["item"].unique())
    factors = {(k, it): 0.8 + 0.4 * rng.random() for k in range(copies) for it in items}
    month0 = base["time"].dt.month.to_numpy() - 1
    day = np.minimum(base["time"].dt.day.to_numpy(), 28)
    hour = base["time"].dt.hour.to_numpy()
    total = 0
    per_file = math.ceil(copies / FILES)
    for f in range(FILES):
        parts = []
        for k in range(f * per_file, min(copies, (f + 1) * per_file)):
            t = pd.to_datetime(
                {"year": np.full(len(base), year), "month": (month0 + k) % 12 + 1, "day": day, "hour": hour}
            )
            fac = np.array([1.0 if it == "pH" else factors[(k, it)] for it in base["item"]])
            parts.append(
                pd.DataFrame(
                    {
                        "station": base["station"] + f"~{k:03d}",
                        "time": t.astype("datetime64[us]"),
                        "item": base["item"],
                        "value": base["value"].to_numpy() * fac,
                        "published": base["published"],
                        "flag": base["flag"].astype(object),
                    }
                )
            )
        if parts:
            df = pd.concat(parts, ignore_index=True)
            total += len(df)
            df.to_parquet(folder / f"part-{f:02d}.parquet", index=False, row_group_size=131072)
    paths = sorted(str(p) for p in folder.glob("part-*.parquet"))
    manifest.write_text(json.dumps({"files": [Path(p).name for p in paths], "rows": total, "copies": copies}))
    return paths, reg, total


def ecoplan_duckdb(paths: list[str], reg: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    eng = DuckDBEngine()
    eng.register_parquet("water_samples", paths)
    eng.register_frame("water_stations", reg[["code", "region", "basin", "river", "water_body"]])
    sec = sections(eng, reg, year=year)
    sh = shares(eng, year=year, by="region", fresh=False)
    eng.close()
    return sec, sh


def bare_scan(paths: list[str]) -> Any:
    con = duckdb.connect()
    files = ", ".join(f"'{p}'" for p in paths)
    got = con.execute(
        f"SELECT count(station), count(item), sum(value), count(flag), min(time) FROM read_parquet([{files}])"
    ).fetchone()
    con.close()
    return got


def pandas_reference_evaluation(
    paths: list[str], reg: pd.DataFrame, year: int
) -> tuple[pd.Series, pd.DataFrame]:
    """A straightforward pandas implementation, written for this comparison only:
    monthly means, annual mean of the months, item classes (``item_class_array``),
    section class over the 21 evaluation items, Ⅰ–Ⅲ and 劣Ⅴ counts per province/city."""
    cols = ["station", "time", "item", "value", "flag"]
    df = pd.concat([pd.read_parquet(p, columns=cols) for p in paths], ignore_index=True)
    df = df[(df["time"].dt.year == year) & df["item"].isin(gb.CLASSED_ITEMS["lake"])]
    v = np.where(df["flag"].to_numpy() == "L", 0.5 * df["value"].to_numpy(), df["value"].to_numpy())
    df = df.assign(v=v, month=df["time"].dt.month)
    monthly = df.groupby(["station", "month", "item"], observed=True)["v"].mean().rename("m").reset_index()
    annual = monthly.groupby(["station", "item"], observed=True)["m"].mean().rename("mean").reset_index()
    wb = reg.set_index("code")["water_body"]
    annual["water_body"] = annual["station"].map(wb).to_numpy()
    annual = annual[annual["item"].isin(ev.EVALUATION_ITEMS)]
    cls = np.full(len(annual), np.nan)
    for item, idx in annual.groupby("item").indices.items():
        sub = annual.iloc[idx]
        cls[idx] = gb.item_class_array(str(item), sub["mean"].to_numpy(), sub["water_body"].to_numpy())
    annual["cls"] = cls
    section = annual.groupby("station")["cls"].max().dropna().astype(int)
    region = reg.set_index("code")["region"].reindex(section.index)
    rows = []
    for key_of in (lambda r: r[:2] + "0000", lambda r: r[:4] + "00"):
        mapped = region.dropna().map(key_of)
        rows.append(pd.DataFrame({"station": mapped.index, "key": mapped.to_numpy()}))
    pairs = pd.concat(rows).drop_duplicates()
    pairs["cls"] = pairs["station"].map(section).to_numpy()
    counts = pairs.groupby("key").agg(
        n_sections=("cls", "size"),
        n13=("cls", lambda c: int((c <= 3).sum())),
        n6=("cls", lambda c: int((c == 6).sum())),
    )
    return section, counts


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--spark-runs", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ecoplan-bench")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    figures: dict[str, Any] = {
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cores": os.cpu_count(),
    }
    t0 = time.perf_counter()
    paths, reg, n = build(a.rows, a.year, a.seed, a.work)
    mib = sum(os.path.getsize(p) for p in paths) / 2**20
    built = time.perf_counter() - t0
    print(f"input: {n:,} section-samples, {len(reg):,} stations, {len(paths)} Parquet files "
          f"({mib:.0f} MiB); built/read in {built:.1f} s")  # fmt: skip
    figures["rows"], figures["stations"] = n, len(reg)

    t_eco, (sec, sh) = _time(lambda: ecoplan_duckdb(paths, reg, a.year), a.repeat)
    t_scan, _ = _time(lambda: bare_scan(paths), a.repeat)
    print(f"1. ecoplan DuckDB (sections + shares by region): {t_eco:8.2f} s  "
          f"({len(sec):,} sections, {len(sh):,} regions)")  # fmt: skip
    print(f"2. bare DuckDB scan of the same columns:         {t_scan:8.2f} s  "
          f"ratio {t_eco / t_scan:.2f}× (goal ≤ 3×)")  # fmt: skip
    figures.update(duckdb_s=t_eco, scan_s=t_scan, ratio_scan=t_eco / t_scan)

    t_pd, (section, counts) = _time(lambda: pandas_reference_evaluation(paths, reg, a.year), a.repeat)
    mine = sec.set_index("station")["class"].dropna().astype(int)
    same_cls = mine.sort_index().equals(section.sort_index())
    got = sh.set_index("key")
    same_counts = (
        got["n_sections"].astype(int).sort_index().equals(counts["n_sections"].astype(int).sort_index())
        and (got["n_class_1"] + got["n_class_2"] + got["n_class_3"])
        .astype(int)
        .sort_index()
        .equals(counts["n13"].astype(int).sort_index())
        and got["n_class_6"].astype(int).sort_index().equals(counts["n6"].astype(int).sort_index())
    )
    print(f"3. pandas_reference_evaluation:                  {t_pd:8.2f} s  "
          f"pandas / ecoplan {t_pd / t_eco:.2f}×; classes equal: {same_cls}, "
          f"share counts equal: {same_counts}")  # fmt: skip
    figures.update(pandas_s=t_pd, ratio_pandas=t_pd / t_eco, pandas_equal=bool(same_cls and same_counts))

    if not a.no_spark:
        from ecoplan.store.engines import SparkEngine

        def spark_run() -> tuple[pd.DataFrame, pd.DataFrame]:
            eng = SparkEngine()
            eng.spark.catalog.clearCache()
            eng.register_parquet("water_samples", paths)
            eng.register_frame("water_stations", reg[["code", "region", "basin", "river", "water_body"]])
            return sections(eng, reg, year=a.year), shares(eng, year=a.year, by="region", fresh=False)

        t_cold, (ssec, ssh) = _time(spark_run, 1)
        t_warm, _ = _time(spark_run, a.spark_runs) if a.spark_runs else (math.nan, None)
        means = [c for c in sec.columns if c.startswith("mean_")]
        try:
            pd.testing.assert_frame_equal(
                sec.drop(columns=means), ssec.drop(columns=means), check_dtype=False
            )
            pd.testing.assert_frame_equal(sec[means], ssec[means], check_dtype=False, atol=1e-9, rtol=0)
            pd.testing.assert_frame_equal(sh, ssh, check_dtype=False)
            equal = True
        except AssertionError as exc:
            equal = False
            print(f"   Spark differs: {str(exc)[:300]}")
        print(f"4. Spark local: cold {t_cold:.1f} s, warm {t_warm:.1f} s (×{t_warm / t_eco:.1f} DuckDB); "
              f"equal to DuckDB: {equal}")  # fmt: skip
        figures.update(spark_cold_s=t_cold, spark_warm_s=t_warm, spark_equal=equal)
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

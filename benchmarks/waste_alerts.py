"""Hazardous-waste alerts benchmark (issue 14): a national manifest year, every rule.

Generates a year with :func:`ecoplan.waste.simulate.generate` (``--scale 1`` ≈ 5 M
manifests and 15 M waste lines, 200 k producers, 2 k receivers, with ``--per-rule``
injected anomalies of every check), writes it as Parquet (reused when already built for
the same scale, seed and per-rule count), then, side by side:

1. all 18 checks (R1–R11) on DuckDB over a DuckDB database file holding the tables, as
   the store holds them (loaded once from the Parquet files and reused; loading is not
   timed; the fact tables each run builds first are): median of ``--repeat`` runs;
   goal ≤ 10 s at scale 1;
2. the same SQL on Spark local mode (through SQLGlot) over the Parquet files: one cold
   and ``--spark-runs`` warm runs; checked equal to DuckDB's alerts (keys and evidence);
3. both checked against the injected alerts (exactly those, no more, no fewer).

Run: ``.venv/bin/python benchmarks/waste_alerts.py [--scale 0.01] [--repeat 3] [--no-spark]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ecoplan.store.engines import ConnectionEngine, SparkEngine
from ecoplan.waste.pipeline import TABLES, alerts
from ecoplan.waste.simulate import Simulated, generate, write_parquet

#: The generated tables' shape: a cached year of another shape is built anew
#: (v2: ``containers_received`` on the lines, the approvals' receivers of R6.expiry/method).
DATA_VERSION = "v2"


class FileEngine(ConnectionEngine):
    """DuckDB on a database file (the tables in place, as in the store)."""

    def __init__(self, path: Path) -> None:
        super().__init__(duckdb.connect(str(path)))


def _keyed(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return sorted(
        (str(r.rule), str(r.subject), json.dumps(r.evidence, sort_keys=True)) for r in frame.itertuples()
    )


def build(
    scale: float, seed: int, per_rule: int | None, work: Path
) -> tuple[dict[str, list[str]], pd.DataFrame, Any]:
    """The Parquet files of the year (built once per scale/seed/per-rule) and its injected alerts."""
    folder = work / f"waste-{scale}-{seed}-{per_rule}-{DATA_VERSION}"
    marker = folder / "injected.parquet"
    if marker.exists():
        paths = {t: [str(folder / f"{t}.parquet")] for t in TABLES}
        settings_path = folder / "settings.json"
        sim_settings = json.loads(settings_path.read_text())
        return paths, pd.read_parquet(marker), sim_settings
    t = time.perf_counter()
    sim: Simulated = generate(scale=scale, seed=seed, per_rule=per_rule)
    print(f"generated in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    paths = write_parquet(sim, folder)
    sim.injected.to_parquet(marker, index=False)
    (folder / "settings.json").write_text(json.dumps(sim.settings.to_dict()))
    print(f"written in {time.perf_counter() - t:.1f} s to {folder}", flush=True)
    return paths, sim.injected, sim.settings.to_dict()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-rule", type=int, default=300, help="anomalies injected per check")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--spark-runs", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ecoplan-bench")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    import datetime as dt

    from ecoplan.waste.rules import AlertSettings

    paths, injected, sdict = build(args.scale, args.seed, args.per_rule, args.work)
    settings = AlertSettings().at(dt.datetime.fromisoformat(sdict["as_of"]), int(sdict["year"]))
    expected = sorted(zip(injected["rule"], injected["subject"], strict=True))

    db = Path(paths["waste_manifests"][0]).parent / "tables.duckdb"
    fresh = not db.exists()
    duck = FileEngine(db)
    rows = {}
    for name, p in paths.items():
        if fresh:
            duck.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet('{p[0]}')")
        rows[name] = int(duck.fetch(f"SELECT COUNT(*) AS n FROM {name}")["n"].iloc[0])
    print("rows:", rows, flush=True)
    times = []
    out = pd.DataFrame()
    for _ in range(args.repeat):
        t = time.perf_counter()
        out = alerts(duck, settings)
        times.append(time.perf_counter() - t)
    duck_med = statistics.median(times)
    got = sorted(zip(out["rule"], out["subject"], strict=True))
    exact = got == expected
    print(f"duckdb: median {duck_med:.2f} s of {times}; alerts {len(out)}; exactly the injected: {exact}")
    result: dict[str, Any] = {
        "scale": args.scale, "rows": rows, "alerts": len(out), "duckdb_s": times, "duckdb_median_s": duck_med,
        "exact": exact, "cpus": os.cpu_count(), "python": platform.python_version(),
    }  # fmt: skip
    if not args.no_spark:
        spark = SparkEngine()
        for name, p in paths.items():
            spark.register_parquet(name, p)
        st = []
        sp = pd.DataFrame()
        for _ in range(1 + args.spark_runs):
            t = time.perf_counter()
            sp = alerts(spark, settings)
            st.append(time.perf_counter() - t)
        warm = statistics.median(st[1:]) if len(st) > 1 else st[0]
        same = _keyed(sp) == _keyed(out)
        print(f"spark: cold {st[0]:.2f} s, warm median {warm:.2f} s; same alerts as DuckDB: {same}")
        print(f"{'engine':8} {'median s':>9}\n{'duckdb':8} {duck_med:9.2f}\n{'spark':8} {warm:9.2f}")
        print(f"ratio spark/duckdb: {warm / duck_med:.1f}x")
        result.update({"spark_s": st, "spark_warm_median_s": warm, "spark_same": same})
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if exact and result.get("spark_same", True) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Sources rollups benchmark: one month of minute data for 1,000 outlets → hourly compliance.

Builds, in a fresh store (a DuckDB file in a temporary folder), a register of ``--outlets``
air outlets (one device each, an hourly SO2 limit at 9 % reference O2, an hourly NOx and
particulate limit), and a month of CN 2051 minute data generated in the store by SQL
(MinInterval ``--interval`` minutes, 10 factors per record: SO2, NOx, particulate, CO, O2,
flow, temperature, pressure, humidity, velocity; values from a hash of outlet, factor and
time, 0.5 % of SO2 records over the limit, 1 % flagged M). With the defaults that is
1,000 × 30 × 144 × 10 = 43.2 M rows of ``sources_values``.

Then times, medians of ``--repeat`` runs:

1. ecoplan on the store's DuckDB: ``pipeline.hourly`` — minute records → hours (validity,
   valid minutes, flag, status) → the limit in force, the converted value (折算 with the
   hour's O2) and the verdict, materialised (``f_hourly``); goal ≤ 5 s; with the median
   time of each step (the one pass over the minutes ``f_minute_hours``, ``f_interval``,
   the hours with their verdicts ``f_hourly``);
2. the whole ``ep.sources.facts.compute`` (hours, days, events with evidence, alarms,
   totals, cards, written in one transaction), once;
3. the same ``pipeline.hourly`` on Spark (local mode) reading the values exported to
   Parquet, ``--spark-runs`` runs (``--no-spark`` to skip), its hour count checked equal.

Run: ``.venv/bin/python benchmarks/sources_rollups.py [--outlets 1000] [--days 30] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ecoplan.app import Ecoplan
from ecoplan.sources import pipeline
from ecoplan.sources.pipeline import Window
from ecoplan.sources.storage.facts import StoreEngine

FACTORS = ("a21026", "a21002", "a34013", "a21005", "a19001", "a00000", "a01012", "a01013", "a01014", "a01011")
START = dt.datetime(2020, 6, 1)


def build(ep: Ecoplan, outlets: int, days: int, interval: int) -> int:
    """The register and the minute data, generated in the store."""
    con = ep.catalog.con
    con.execute(
        "INSERT INTO sources_enterprises SELECT printf('91130100BENCH%05d', i), printf('Bench %d', i), "
        "'130102', NULL, NULL, NULL, NULL, TRUE, 0 FROM range(?) t(i)",
        [outlets],
    )
    con.execute(
        "INSERT INTO sources_outlets SELECT printf('O%05d', i), printf('91130100BENCH%05d', i), 'air', "
        "NULL, NULL, NULL, 'GB 13271-2014', 9.0, 0 FROM range(?) t(i)",
        [outlets],
    )
    con.execute(
        "INSERT INTO sources_devices SELECT printf('MN%022d', i), printf('O%05d', i), '31', '123456', "
        "'2017', NULL, TRUE, 0 FROM range(?) t(i)",
        [outlets],
    )
    con.execute(
        "INSERT INTO sources_permits SELECT printf('P%05d', i), printf('91130100BENCH%05d', i), "
        "DATE '2020-01-01', DATE '2024-12-31', 'quarter', 0 FROM range(?) t(i)",
        [outlets],
    )
    for factor, limit, ref in (("a21026", 100.0, 9.0), ("a21002", 200.0, 9.0), ("a34013", 80.0, 9.0)):
        con.execute(
            "INSERT INTO sources_permit_limits SELECT printf('P%05d', i), printf('O%05d', i), ?, ?, 'mg/m3', "
            "'hour', ?, NULL, 0 FROM range(?) t(i)",
            [factor, limit, ref, outlets],
        )
    steps = days * 24 * 60 // interval
    factors = ", ".join(f"('{f}', {k})" for k, f in enumerate(FACTORS))
    con.execute(
        f"""
        INSERT INTO sources_values
        SELECT d.i * {steps} + s.k AS frame_id, printf('MN%022d', d.i) AS mn, '2051' AS cn,
          TIMESTAMP '{START:%Y-%m-%d %H:%M:%S}' + to_minutes(CAST(s.k * {interval} AS BIGINT)) AS data_time,
          f.code AS factor, NULL AS rtd,
          CASE WHEN f.code = 'a19001' THEN 9.0 + (h % 100) / 100.0
               WHEN f.code = 'a21026' AND h % 200 = 0 THEN 150.0 + h % 50
               ELSE 10.0 + h % 50 END AS avg,
          NULL AS min, NULL AS max, (h % 1000) / 1000.0 AS cou, NULL AS zs_rtd, NULL AS zs_avg,
          NULL AS zs_min, NULL AS zs_max, CASE WHEN h % 100 = 7 THEN 'M' ELSE 'N' END AS flag,
          NULL AS eflag, NULL AS extra
        FROM range({outlets}) d(i) CROSS JOIN range({steps}) s(k) CROSS JOIN (VALUES {factors}) f(code, n),
          LATERAL (SELECT hash(d.i, s.k, f.n) % 100000 AS h) x
        """
    )
    row = con.execute("SELECT count(*) FROM sources_values").fetchone()
    return int(row[0]) if row else 0


class TimedEngine(StoreEngine):
    """The store engine, timing each materialised step (where the time goes)."""

    def __init__(self, ep: Ecoplan) -> None:
        super().__init__(ep.catalog)
        self.steps: dict[str, float] = {}

    def materialize(self, name: str, sql: str) -> None:
        t = time.perf_counter()
        super().materialize(name, sql)
        self.steps[name] = time.perf_counter() - t


def hourly_duckdb(ep: Ecoplan, w: Window) -> tuple[float, int, dict[str, float], float]:
    """Wall seconds, hours, seconds per step, CPU seconds of the process (every thread: on
    a shared machine the wall time depends on the others' load, the CPU time much less)."""
    se = TimedEngine(ep)
    t, c = time.perf_counter(), time.process_time()
    pipeline.hourly(se, w)
    took, cpu = time.perf_counter() - t, time.process_time() - c
    row = ep.catalog.con.execute("SELECT count(*) FROM f_hourly").fetchone()
    return took, int(row[0]) if row else 0, se.steps, cpu


def hourly_spark(ep: Ecoplan, w: Window, folder: Path, runs: int) -> list[tuple[float, int]]:
    from ecoplan.store.engines import SparkEngine

    con = ep.catalog.con
    paths: dict[str, str] = {}
    for name, kinds in pipeline.INPUTS.items():
        target = folder / f"{name}.parquet"
        con.execute(f"COPY (SELECT {', '.join(kinds)} FROM {name}) TO '{target}' (FORMAT parquet)")
        paths[name] = str(target)
    eng = SparkEngine()
    for name, p in paths.items():
        eng.register_parquet(name, [p])
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        pipeline.hourly(eng, w)
        took = time.perf_counter() - t
        n = int(eng.fetch("SELECT count(*) AS n FROM f_hourly")["n"].iloc[0])
        out.append((took, n))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outlets", type=int, default=1000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--interval", type=int, default=10, help="MinInterval, minutes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--spark-runs", type=int, default=3)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--no-compute", action="store_true")
    a = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        ep = Ecoplan(Path(tmp) / "bench.duckdb")
        ep.init()
        t = time.perf_counter()
        rows = build(ep, a.outlets, a.days, a.interval)
        print(f"built {rows:,} minute rows ({a.outlets} outlets × {a.days} days, MinInterval {a.interval}, "
              f"{len(FACTORS)} factors) in {time.perf_counter() - t:.1f} s")  # fmt: skip
        w = Window(START, START + dt.timedelta(days=a.days))
        runs = [hourly_duckdb(ep, w) for _ in range(a.repeat)]
        times = [r[0] for r in runs]
        shown = ", ".join(f"{x:.2f}" for x in times)
        print(f"DuckDB hourly compliance: {runs[0][1]:,} hours; runs {shown} s; "
              f"median {statistics.median(times):.2f} s (goal ≤ 5 s)")  # fmt: skip
        cpu = [r[3] for r in runs]
        shown = ", ".join(f"{x:.2f}" for x in cpu)
        print(f"  CPU time (both cores): {shown} s; median {statistics.median(cpu):.2f} s")
        steps = {k: statistics.median(r[2][k] for r in runs) for k in runs[0][2]}
        print("  steps (medians): " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
        exceed = ep.catalog.con.execute("SELECT count(*) FROM f_hourly WHERE exceed").fetchone()
        print(f"  exceeding hours: {exceed[0] if exceed else 0:,}")
        if not a.no_compute:
            t = time.perf_counter()
            res = ep.sources.facts.compute(start=w.start, end=w.end)
            print(f"full compute (hours, days, events + evidence, alarms, totals, cards; one transaction): "
                  f"{time.perf_counter() - t:.1f} s; {res.to_dict()}")  # fmt: skip
        if not a.no_spark:
            got = hourly_spark(ep, w, Path(tmp), a.spark_runs)
            st = [g[0] for g in got]
            same = all(g[1] == runs[0][1] for g in got)
            shown = ", ".join(f"{x:.1f}" for x in st)
            print(f"Spark (local[2]) hourly compliance from Parquet: runs {shown} s; "
                  f"median {statistics.median(st):.1f} s; hours equal to DuckDB's: {same}")  # fmt: skip
        ep.close()


if __name__ == "__main__":
    main()

"""Assessment at national scale: every built-in plan x every region x every plan year.

Measured side by side in one run (issue 8):

1. **Full assessment from scratch** — the materialised assessment of every built-in plan
   for every region of its territory with values (all 3,340 regions under the national
   plans), every year from the base year to the end year, computed and stored
   (``Catalog.refresh_assessments``). Goal ≤ 2 s.
2. **Incremental** — one value changed (``ecoplan values import`` of a one-row file: the
   validated write and the refresh of that region in the same transaction). Goal ≤ 100 ms.
3. **Pages under load** — a real ``ecoplan serve`` process on 127.0.0.1, ``--clients``
   concurrent keep-alive connections (default 50), ``--requests`` per page: ``/``,
   ``/rankings``, ``/warnings``, ``/regions/110000`` and the assessment API. Goals: p95 ≤
   200 ms for every page, ≥ 200 requests/s for the home page.
4. **The code before issue 8** (``--old-rev``, default the last commit before it),
   extracted with ``git archive`` and run on the same values for a sample of regions
   (``--old-sample``): its per-region assessment loop and its pages, scaled linearly to
   every region (its cost is one assessment per region and year) and printed as ratios.

The values are synthetic (``ecoplan.demo.synthetic``: each region's own base-year level
drawn around the plan's baseline, moving toward the target at its own speed, with noise
and missing years), about 240,000 of them.

Run: ``.venv/bin/python benchmarks/assess_national.py [--repeat 5] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ecoplan.app import Ecoplan
from ecoplan.core.regions import bundled_regions
from ecoplan.demo.synthetic import synthetic_values, territory
from ecoplan.plans import builtin_plans
from ecoplan.store.catalog import VALUE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "/": "/",
    "/rankings": "/rankings",
    "/warnings": "/warnings",
    "/regions/110000": "/regions/110000",
    "assessment API": "/api/v1/plans/cn-13th-eco/assessment?region=110000&year=2018",
}
OLD_REV = "7d7d77747f4a768cdb9eae5555d5d9de642ca4d4"  # main before issue 8


def median(xs: Sequence[float]) -> float:
    return float(statistics.median(xs))


def pct(xs: Sequence[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


# -- data ---------------------------------------------------------------------------------


def make_values(share: float, seed: int) -> pd.DataFrame:
    regions = bundled_regions().values()
    frames = []
    for i, plan in enumerate(builtin_plans()):
        terr = territory(plan, regions)
        frames.append(synthetic_values(plan, terr, seed=seed + i, share=share, present=0.8))
    return pd.concat(frames, ignore_index=True)


# -- a tiny keep-alive HTTP/1.1 load client (asyncio, bounded) --------------------------


async def _one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, float]:
    t = time.perf_counter()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:  # chunked
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, time.perf_counter() - t


async def _load(port: int, path: str | list[str], clients: int, total: int, limit_s: float) -> dict[str, Any]:
    """``total`` requests over ``clients`` keep-alive connections; a list of paths is
    walked in order (every request a different URL: no answer computed before)."""
    paths = [path] if isinstance(path, str) else path
    lat: list[float] = []
    errors = 0
    todo = [total]
    deadline = time.perf_counter() + limit_s

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while todo[0] > 0 and time.perf_counter() < deadline:
                todo[0] -= 1
                status, dt_ = await _one(reader, writer, paths[todo[0] % len(paths)])
                lat.append(dt_)
                errors += status != 200
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    return {
        "requests": len(lat),
        "errors": errors,
        "rps": len(lat) / wall,
        "p50_ms": 1000 * pct(lat, 0.5),
        "p95_ms": 1000 * pct(lat, 0.95),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("ecoplan")), "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def timed_get(port: int, path: str) -> float:
    async def go() -> float:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            status, t = await _one(reader, writer, path)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            return t
        finally:
            writer.close()

    return asyncio.run(go())


# -- the code before issue 8 --------------------------------------------------------------

OLD_ASSESS = r"""
import sys, time, json
from ecoplan.app import Ecoplan
db, plan, years, regions = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
ep = Ecoplan(db, read_only=True)
t = time.perf_counter()
for r in regions:
    for y in years:
        ep.assess(plan, r, y)
print(time.perf_counter() - t)
"""


def old_tree(rev: str, work: Path) -> Path:
    dest = work / "old"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = work / "old.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev, "src"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def old_store(src: Path, db: Path, values: pd.DataFrame) -> None:
    """Create a store with the old code and put the values in its table directly."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = "import sys; from ecoplan.app import Ecoplan; Ecoplan(sys.argv[1]).init()"
    subprocess.run([sys.executable, "-c", code, str(db)], env=env, check=True)
    import duckdb

    con = duckdb.connect(str(db))
    frame = values.rename(columns={"plan": "plan_id", "indicator": "indicator_id"}).assign(
        revision=1,
        source="benchmark",
        note=None,
        recorded_at=pd.Timestamp("2022-01-01"),
        actor=None,
        origin="benchmark",
    )[list(VALUE_COLUMNS)]
    con.register("v", frame)
    con.execute("INSERT INTO value_revisions SELECT * FROM v")
    con.close()


# -- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--share", type=float, default=0.26, help="share of (region, indicator) series present")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--old-rev", default=OLD_REV)
    ap.add_argument("--old-sample", type=int, default=60, help="regions of the sample the old code assesses")
    ap.add_argument("--no-old", action="store_true")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="ecoplan-assess-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}

    values = make_values(args.share, args.seed)
    n_regions = values["region"].nunique()
    out["values"] = len(values)
    out["regions_with_values"] = int(n_regions)
    csv_path = work / "values.csv"
    values.to_csv(csv_path, index=False)
    print(f"input: {len(values):,} synthetic values, {n_regions:,} regions, {len(builtin_plans())} plans")

    db = work / "new.duckdb"
    for p in work.glob("new.duckdb*"):
        p.unlink()
    with Ecoplan(db) as ep:
        ep.init()
        t = time.perf_counter()
        res = ep.import_values(csv_path, recorded_at="2022-01-01")
        out["import_s"] = time.perf_counter() - t
        rows = ep.catalog.con.execute("SELECT count(*) FROM assessments").fetchone()
        out["assessment_rows"] = int(rows[0]) if rows else 0
        print(
            f"import + validation + assessment: {res.inserted:,} values in {out['import_s']:.2f} s; "
            f"{out['assessment_rows']:,} assessment rows stored"
        )
        full = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            ep.catalog.refresh_assessments()
            full.append(time.perf_counter() - t)
        out["full_s"] = full
        print(
            f"1. full assessment from scratch (compute + store), median of {args.repeat}: "
            f"{median(full):.2f} s  (goal <= 2 s: {'PASS' if median(full) <= 2 else 'MISS'})"
        )
        inc = []
        for i in range(args.repeat):
            one = work / f"one-{i}.csv"
            one.write_text(
                f"plan,indicator,region,year,value\ncn-13th-eco,air-good-days,110000,2018,{60 + i}.5\n",
                encoding="utf-8",
            )
            t = time.perf_counter()
            ep.import_values(one)
            inc.append(time.perf_counter() - t)
        out["incremental_s"] = inc
        print(
            f"2. one value changed, validated, stored and re-assessed, median of {args.repeat}: "
            f"{1000 * median(inc):.0f} ms  "
            f"(goal <= 100 ms: {'PASS' if median(inc) <= 0.1 else 'MISS'})"
        )

    proc, port = start_server(db)
    loads: dict[str, Any] = {}
    cities = sorted(values[values["plan"] == "cn-13th-eco"]["region"].unique())
    distinct = {
        "regions, each new": [f"/regions/{c}" for c in cities],
        "API, each new": [
            f"/api/v1/plans/cn-13th-eco/assessment?region={c}&year={y}" for c in cities for y in (2017, 2018)
        ],
    }
    try:
        for name, path in PAGES.items():
            first = timed_get(port, path)  # the answer computed once for this store state
            res = asyncio.run(_load(port, path, args.clients, args.requests, 120))
            res["first_ms"] = 1000 * first
            loads[name] = res
        for name, paths in distinct.items():  # every request a new URL: nothing cached
            res = asyncio.run(_load(port, paths, args.clients, min(args.requests, len(paths)), 120))
            res["first_ms"] = float("nan")
            loads[name] = res
    finally:
        stop(proc)
    out["pages"] = loads
    print(
        f"3. pages, {args.clients} concurrent clients, {args.requests} requests each "
        "(real server, 127.0.0.1):"
    )
    print(f"   {'page':<18} {'first':>9} {'p50':>8} {'p95':>8} {'req/s':>8} errors")
    for name, r in loads.items():
        ok = "PASS" if r["p95_ms"] <= 200 else "MISS"
        print(
            f"   {name:<18} {r['first_ms']:>7.0f}ms {r['p50_ms']:>6.0f}ms {r['p95_ms']:>6.0f}ms "
            f"{r['rps']:>8.0f} {r['errors']}  p95 {ok}"
        )
    home_ok = loads["/"]["rps"] >= 200
    print(f"   home page: {loads['/']['rps']:.0f} requests/s (goal >= 200: {'PASS' if home_ok else 'MISS'})")

    if not args.no_old:
        src = old_tree(args.old_rev, work)
        rng = sorted(values["region"].unique())
        step = max(1, len(rng) // args.old_sample)
        sample = rng[::step][: args.old_sample]
        old_db = work / "old.duckdb"
        for p in work.glob("old.duckdb*"):
            p.unlink()
        old_store(src, old_db, values[values["region"].isin(sample)])
        env = {**os.environ, "PYTHONPATH": str(src)}
        per_plan = {}
        total_old = 0.0
        for plan in builtin_plans():
            regs = sorted(set(values[(values["plan"] == plan.id)]["region"]))
            mine = [r for r in sample if r in set(regs)]
            if not mine:
                continue
            years = list(range(plan.base_year, plan.end + 1))
            t = subprocess.run(
                [sys.executable, "-c", OLD_ASSESS, str(old_db), plan.id, json.dumps(years), json.dumps(mine)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            secs = float(t.stdout.strip())
            scaled = secs * len(regs) / len(mine)
            per_plan[plan.id] = {"sample": len(mine), "measured_s": secs, "all_regions_s": scaled}
            total_old += scaled
        out["old_full_s"] = total_old
        out["old_per_plan"] = per_plan
        print(
            f"4. the code before issue 8 ({args.old_rev[:7]}), on a sample of {len(sample)} regions, "
            "scaled to every region:"
        )
        print(
            f"   full assessment (a loop of per-region assessments): {total_old:.1f} s "
            f"-> ecoplan now {total_old / median(full):.0f}x faster"
        )
        proc, port = start_server(old_db, env)
        try:
            old_pages = {}
            for name, path in PAGES.items():
                ts = [timed_get(port, path) for _ in range(3)]
                old_pages[name] = median(ts)
        finally:
            stop(proc)
        scale = n_regions / len(sample)
        out["old_pages_s"] = old_pages
        print(f"   one request, measured on the sample (regions loop: x{scale:.0f} for every region):")
        for name, secs in old_pages.items():
            if name not in loads:
                continue
            scaled = secs * scale if name in ("/", "/rankings", "/warnings") else secs
            now = loads[name]["p50_ms"] / 1000
            print(
                f"   {name:<18} old {1000 * secs:>8.0f} ms on the sample, ~{scaled:>7.2f} s at full scale; "
                f"now p50 {1000 * now:.0f} ms under {args.clients} clients -> {scaled / now:.0f}x"
            )
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

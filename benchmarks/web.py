"""Web benchmark: server time of the dashboard pages and the assessment API.

Loads the built-in plans, the national demo values, values of the national plan for
338 prefecture-level cities (the national series with a per-city offset) and the
Beijing air data, starts the real server (uvicorn, 127.0.0.1) and times, over
``--repeat`` requests each, the home page, the national plan page, the Beijing region
page and ``/api/v1/plans/cn-13th-eco/assessment``: median and p95 (goal p95 < 200 ms).
Then times the national plan's PDF report (headless Chromium).

Run: ``.venv/bin/python benchmarks/web.py [--repeat 30] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from ecoplan.api import create_app
from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.core.regions import bundled_regions
from ecoplan.reports import build, write_report
from ecoplan.web import register

BEIJING = Path(__file__).resolve().parents[2] / "shared" / "data" / "beijing-multisite"
PAGES = {
    "home": "/",
    "plan (national, 2020)": "/plans/cn-13th-eco?year=2020",
    "region (Beijing)": "/regions/110000",
    "API assessment": "/api/v1/plans/cn-13th-eco/assessment?year=2020",
}


def load(db: Path) -> int:
    """The store: plans, demo values, 338 cities' values, Beijing air. Returns the city count."""
    with Ecoplan(db) as ep:
        ep.init()
        ep.import_values(demo_values_path(), recorded_at="2021-06-30")
        cities = sorted(c for c, r in bundled_regions().items() if r.level == "prefecture")[:338]
        national = [r for r in csv.DictReader(demo_values_path().open(encoding="utf-8"))]
        rows = ["plan,indicator,region,year,value,source"]
        for i, city in enumerate(cities):
            shift = (i % 21 - 10) / 10.0
            for r in national:
                if r["plan"] != "cn-13th-eco":
                    continue
                v = float(r["value"])
                val = min(100.0, max(0.0, v + shift)) if "%" in r.get("unit", "%") else v + shift
                rows.append(f"{r['plan']},{r['indicator']},{city},{r['year']},{val:.2f},benchmark")
        f = db.parent / "cities.csv"
        f.write_text("\n".join(rows) + "\n", encoding="utf-8")
        ep.import_values(f, recorded_at="2021-06-30")
        if BEIJING.exists():
            ep.air.load([BEIJING], "beijing-multisite")
        return len(cities)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.duckdb"
        t0 = time.perf_counter()
        cities = load(db)
        print(
            f"store: built-in plans + national demo values + {cities} cities' values + Beijing air "
            f"({time.perf_counter() - t0:.1f} s to load)"
        )
        app = create_app(db)
        register(app)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, dict[str, float]] = {}
        with httpx.Client(base_url=base, timeout=120) as client:
            for name, path in PAGES.items():
                client.get(path)  # warm
                for mode in ("computed", "cached"):
                    times = []
                    for i in range(args.repeat):
                        # a new query parameter each time: the answer is computed, not served from
                        # the per-store-state cache (api/cache.py)
                        url = path if mode == "cached" else f"{path}{'&' if '?' in path else '?'}_bench={i}"
                        t = time.perf_counter()
                        r = client.get(url)
                        times.append((time.perf_counter() - t) * 1000)
                        assert r.status_code == 200, (url, r.status_code)
                    times.sort()
                    p95 = times[max(0, round(0.95 * len(times)) - 1)]
                    results[f"{name}, {mode}"] = {
                        "median_ms": statistics.median(times),
                        "p95_ms": p95,
                        "n": len(times),
                    }
        server.should_exit = True
        thread.join(timeout=30)  # the server's app owns the store until it has stopped
        with Ecoplan(db, read_only=True) as ep:
            data = build(ep, "cn-13th-eco", None, 2020, "zh")
        pdf_times = []
        for _ in range(3):
            t = time.perf_counter()
            try:
                write_report(data, "pdf", Path(tmp) / "report.pdf")
            except Exception as exc:  # no chromium: say so, do not fail the benchmark
                print(f"PDF report: skipped ({exc})")
                break
            pdf_times.append(time.perf_counter() - t)
    print(f"\n{'page':38s} {'n':>4s} {'median ms':>10s} {'p95 ms':>8s}  goal p95 < 200 ms")
    for name, r in results.items():
        verdict = "PASS" if r["p95_ms"] < 200 else "MISS"
        print(f"{name:38s} {r['n']:4d} {r['median_ms']:10.1f} {r['p95_ms']:8.1f}  {verdict}")
    if pdf_times:
        print(
            f"\nnational plan PDF report (zh, 2020): median {statistics.median(pdf_times):.2f} s over "
            f"{len(pdf_times)} runs"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": results, "pdf_s": pdf_times}, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

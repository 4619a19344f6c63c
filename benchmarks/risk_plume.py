"""The plume performance goal of issue 14: a plume with 10⁴ receptors in ≤ 100 ms.

Places ``--receptors`` receptors (seeded RNG) uniformly in a 20 km × 20 km square around
a source, as lon/lat, and times, side by side, medians of ``--repeat`` runs:

1. ``plume.at_receptors``: lon/lat → local metres → plume coordinates → Briggs σ →
   ground-reflected Gaussian, one vectorised numpy pass (what the incident page and
   ``ecoplan risk incident`` run);
2. the same formula as a naive per-receptor Python loop (``math`` only), the baseline;
3. the full decision support ``incidents.assess`` for the same receptors as point
   targets (three threat zones with their outlines, targets per zone).

The loop's results are checked equal to the vectorised ones (relative 1e-9). Each
stability class A–F is timed for (1); the headline figure is the worst class.

Run: ``.venv/bin/python benchmarks/risk_plume.py [--receptors 10000] [--repeat 21] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ecoplan.risk import incidents
from ecoplan.risk.standards import plume
from ecoplan.risk.standards.incident import Facts

GOAL_MS = 100.0
SOURCE = (118.80, 32.05)


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def naive(
    q: float, u: float, stab: str, h: float, lon: list[float], lat: list[float], wind_from: float
) -> list[float]:
    """The same model, one receptor at a time in plain Python."""
    a, b, c, d, e = plume.BRIGGS_RURAL[stab]
    k = math.pi / 180.0 * plume.EARTH_RADIUS_M
    coslat = math.cos(math.radians(SOURCE[1]))
    t = math.radians(wind_from)
    dx, dy = -math.sin(t), -math.cos(t)
    out = []
    for lo, la in zip(lon, lat, strict=True):
        east = (lo - SOURCE[0]) * k * coslat
        north = (la - SOURCE[1]) * k
        x = east * dx + north * dy
        y = -east * dy + north * dx
        if x <= 0:
            out.append(0.0)
            continue
        sy = a * x / math.sqrt(1.0 + b * x)
        sz = c * x * (1.0 + d * x) ** e
        out.append(
            q
            / (2 * math.pi * u * sy * sz)
            * math.exp(-(y**2) / (2 * sy**2))
            * 2
            * math.exp(-(h**2) / (2 * sz**2))
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--receptors", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--json", default=None, help="write the figures to this file")
    args = ap.parse_args(argv)

    rng = np.random.default_rng(14)
    east = rng.uniform(-10_000, 10_000, args.receptors)
    north = rng.uniform(-10_000, 10_000, args.receptors)
    lon, lat = plume.local_to_lonlat(east, north, *SOURCE)
    q, u, h, wind = 1000.0, 2.0, 10.0, 225.0

    def run(stab: str) -> Callable[[], Any]:
        def once() -> Any:
            return plume.at_receptors(q, u, stab, h, lon, lat, SOURCE, wind)

        return once

    per_class = {s: median_ms(run(s), args.repeat) for s in plume.STABILITIES}
    vec = plume.at_receptors(q, u, "D", h, lon, lat, SOURCE, wind)
    lon_l, lat_l = lon.tolist(), lat.tolist()
    loop_ms = median_ms(lambda: naive(q, u, "D", h, lon_l, lat_l, wind), max(3, args.repeat // 4))
    ref = np.array(naive(q, u, "D", h, lon_l, lat_l, wind))
    same = bool(np.allclose(vec, ref, rtol=1e-9, atol=1e-300))

    inc = incidents.Incident(
        discovered_at=dt.datetime(2026, 12, 6, 9, 30),
        lon=SOURCE[0],
        lat=SOURCE[1],
        place="bench",
        substance="chlorine",
        rate_g_s=q,
        height_m=h,
        wind_m_s=u,
        wind_from_deg=wind,
        stability="D",
        locs_g_m3={"red": 0.058, "orange": 0.0058, "yellow": 0.0015},
        facts=Facts(poisoned=12),
    )
    targets = [
        incidents.Target(str(i), f"t{i}", "residential", float(a), float(b))
        for i, (a, b) in enumerate(zip(lon_l, lat_l, strict=True))
    ]
    assess_ms = median_ms(lambda: incidents.assess(inc, targets), max(3, args.repeat // 4))

    worst = max(per_class.values())
    figures = {
        "receptors": args.receptors,
        "repeat": args.repeat,
        "vectorised_ms_by_class": {k: round(v, 3) for k, v in per_class.items()},
        "vectorised_ms_worst": round(worst, 3),
        "naive_loop_ms": round(loop_ms, 2),
        "speedup_vs_loop": round(loop_ms / per_class["D"], 1),
        "loop_equals_vectorised": same,
        "assess_with_targets_ms": round(assess_ms, 2),
        "goal_ms": GOAL_MS,
        "goal_met": worst <= GOAL_MS,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    print(f"receptors: {args.receptors}, median of {args.repeat} runs")
    for s, v in per_class.items():
        print(f"  vectorised, class {s}: {v:8.3f} ms")
    print(f"  naive Python loop (D): {loop_ms:8.2f} ms  ({figures['speedup_vs_loop']}x slower)")
    print(f"  loop equals vectorised: {same}")
    print(f"  incidents.assess with {args.receptors} point targets: {assess_ms:8.2f} ms")
    verdict = "met" if figures["goal_met"] else "NOT met"
    print(f"goal: ≤ {GOAL_MS:.0f} ms for {args.receptors} receptors: {verdict}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=2)
    return 0 if same and figures["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""The overlay performance goal of issue 15: 10⁵ patches on 10⁴ protected areas with
zones in ≤ 5 s (median), against a naive per-pair intersection on a sample.

Generates (``ecoplan.ecology.spatial.generate``, seeded) ``--reserves`` reserves of three
nested zones (core, buffer, experimental; 48-vertex irregular outlines, 0.2° apart) and
``--patches`` small square patches placed with known answers (a sixth each: inside the
core, straddling core and buffer, inside the buffer, inside the experimental zone,
straddling the outer boundary, outside: a pessimistic share of straddling patches). The
nested zones are cut apart once (layer preparation, timed apart). Then, medians of
``--repeat`` runs:

1. **indexed**: ``ZoneIndex`` built (STRtree over the 3 × reserves zone polygons) and
   ``overlay`` for all patches, patch areas included — bulk ``query(predicate=
   "intersects")``, ``contains_properly`` on prepared zones, ``intersection`` for the
   straddling pairs only, Albers areas;
2. **naive**: for a sample of ``--sample`` patches, every patch against every zone polygon
   (``intersects``, then ``intersection`` and its area), no index — the per-patch time
   extrapolated to all patches. Its answers on the sample are checked equal to (1)'s.

Also checks that (1) reproduces every generated answer (reserve, deciding zone, priority).

Run: ``.venv/bin/python benchmarks/ecology_overlay.py [--reserves 10000] [--patches 100000]
[--repeat 5] [--sample 20] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.crs import area_km2
from ecoplan.ecology.spatial.generate import generate
from ecoplan.ecology.spatial.layers import Layer, disjoint_zones
from ecoplan.ecology.spatial.model import PRIORITY
from ecoplan.ecology.spatial.overlay import ZoneIndex, overlay

GOAL_S = 5.0


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def naive(patches: np.ndarray, zones: np.ndarray, meta: pd.DataFrame) -> list[tuple[str | None, str | None]]:
    """Each patch against every zone, one pair at a time: (reserve, zone) deciding."""
    out: list[tuple[str | None, str | None]] = []
    reserves = [str(r) for r in meta["reserve_id"]]
    names = [str(z) for z in meta["zone"]]
    for p in patches:
        best: tuple[int, float, str, str] | None = None
        for z, rid, zone in zip(zones, reserves, names, strict=True):
            if not p.intersects(z):
                continue
            a = float(area_km2(p.intersection(z))[0])
            if a <= 0:
                continue
            key = (PRIORITY[zone], -a, rid, zone)
            if best is None or key < best:
                best = key
        out.append((None, None) if best is None else (best[2], best[3]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reserves", type=int, default=10_000)
    ap.add_argument("--patches", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sample", type=int, default=20, help="patches for the naive baseline")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--json", default=None, help="write the figures to this file")
    args = ap.parse_args(argv)

    per = max(1, args.patches // args.reserves)
    t0 = time.perf_counter()
    syn = generate(args.reserves, per, seed=args.seed)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    zones, _ = disjoint_zones(syn.zones)
    t_prep = time.perf_counter() - t0
    layer = Layer("pa", "protected_area", dt.date(2020, 1, 1), "generated", zones)
    patches = syn.patches
    n_patches = len(patches)

    def indexed() -> Any:
        return overlay(patches, ZoneIndex([layer]))

    med, runs, ov = timed(indexed, args.repeat)
    dec = ov.decisions.set_index("patch_id")
    wrong = sum(
        1
        for pid, a in syn.answers.items()
        if (dec.at[pid, "reserve_id"], dec.at[pid, "zone"]) != (a.reserve_id, a.zone)
    )

    rng = np.random.default_rng(args.seed)
    pick = rng.choice(n_patches, size=min(args.sample, n_patches), replace=False)
    pgeoms = np.asarray(patches.geometry.values, dtype=object)[pick]
    zgeoms = np.asarray(zones.geometry.values, dtype=object)
    meta = pd.DataFrame(zones[["reserve_id", "zone"]])
    t0 = time.perf_counter()
    slow = naive(pgeoms, zgeoms, meta)
    t_naive = time.perf_counter() - t0
    per_patch = t_naive / len(pick)
    naive_all = per_patch * n_patches
    ids = patches["patch_id"].to_numpy()[pick]
    agree = all(
        (dec.at[pid, "reserve_id"], dec.at[pid, "zone"]) == got for pid, got in zip(ids, slow, strict=True)
    )
    figures = {
        "reserves": args.reserves,
        "zone_polygons": len(zones),
        "patches": n_patches,
        "overlay_parts": len(ov.parts),
        "generate_s": round(t_gen, 3),
        "prepare_zones_s": round(t_prep, 3),
        "indexed_median_s": round(med, 3),
        "indexed_runs_s": [round(t, 3) for t in runs],
        "goal_s": GOAL_S,
        "meets_goal": med <= GOAL_S,
        "answers_wrong": wrong,
        "naive_sample": len(pick),
        "naive_sample_s": round(t_naive, 3),
        "naive_extrapolated_s": round(naive_all, 1),
        "ratio_naive_over_indexed": round(naive_all / med, 1),
        "naive_agrees_on_sample": agree,
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "geos": ".".join(map(str, shapely.geos_version)),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print(
        f"{n_patches:,} patches on {args.reserves:,} reserves ({len(zones):,} zone polygons): "
        f"indexed overlay median {med:.2f} s "
        f"(goal ≤ {GOAL_S:.0f} s: {'met' if med <= GOAL_S else 'NOT met'}), "
        f"runs {', '.join(f'{t:.2f}' for t in runs)}"
    )
    print(f"zone preparation (nested → disjoint, once per layer import): {t_prep:.2f} s")
    print(f"answers wrong: {wrong} of {n_patches:,}; parts: {len(ov.parts):,}")
    print(
        f"naive per-pair on {len(pick)} patches: {t_naive:.2f} s → {naive_all:,.0f} s for all; "
        f"ratio naive/indexed: {naive_all / med:,.0f}×; same answers on the sample: {agree}"
    )
    print(f"load average {figures['load_average']} on {figures['cpus']} CPUs")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=2)
    return 0 if wrong == 0 and agree else 1


if __name__ == "__main__":
    sys.exit(main())

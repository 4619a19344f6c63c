"""National-scale air benchmark: ecoplan's air pipeline on 1,500 stations × one year.

Builds the input by tiling the real Beijing multi-site data (12 national-control
stations, hourly) into ``--stations`` synthetic stations for ``--year`` (station i
copies Beijing station i mod 12, each pollutant scaled by a deterministic factor
0.8 + 0.4·u, u from a seeded RNG) spread over the real prefecture-level cities of
``ecoplan.core.regions`` (plus the four municipalities), and writes it as Parquet
(one file per 100 stations; reused when already built with the same parameters).

Then times, side by side, medians of ``--repeat`` runs:

1. the full pipeline on DuckDB (``evaluate_year``; also ``city_daily`` alone);
2. a bare DuckDB scan of the same files summing the six pollutant columns;
3. the daily AQI of every station-day: ecoplan's vectorised calculator versus the
   PyPI peers ``aqi-hub==0.2.1`` and ``python-aqi==0.6.1`` (per-value loops), and
   the station-days where each peer disagrees with ecoplan, by cause;
4. the same pipeline on Spark (local mode), checked equal to DuckDB's results.

Run: ``.venv/bin/python benchmarks/air_national.py [--repeat 5] [--no-spark] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ecoplan.air.pipeline import city_daily, evaluate_year
from ecoplan.air.readers import read_beijing_multisite
from ecoplan.air.standards import aqi as ecoaqi
from ecoplan.air.standards import hj633_2012
from ecoplan.store.engines import DuckDBEngine

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co", "o3")
#: Decimals kept in the tiled hourly values (µg/m³; CO mg/m³ = integer µg/m³).
DECIMALS = {"pm25": 1, "pm10": 1, "so2": 1, "no2": 1, "co": 3, "o3": 1}
MUNICIPALITIES = ("110000", "120000", "310000", "500000")
FORMAT_VERSION = 2  # 2: missing values written as Parquet nulls (1 wrote NaN)
#: The real data beside the repository (``../shared/data/beijing-multisite``).
BEIJING = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "beijing-multisite")

#: Daily indicators (HJ 633—2012 表3) and the city_daily column each comes from.
DAILY_INDICATORS = {
    "pm25_24h": "pm25",
    "pm10_24h": "pm10",
    "so2_24h": "so2",
    "no2_24h": "no2",
    "co_24h": "co",
    "o3_8h": "o3_8h",
    "o3_1h": "o3_1h",
}
IND_LABEL = {
    "pm25_24h": "PM2.5 24h",
    "pm10_24h": "PM10 24h",
    "so2_24h": "SO2 24h",
    "no2_24h": "NO2 24h",
    "co_24h": "CO 24h",
    "o3_8h": "O3 MDA8",
    "o3_1h": "O3 max 1h",
}
#: aqi-hub 0.2.1 daily mode: its IAQI keys → our indicators (no O3 1-h input).
AQIHUB_KEYS = {
    "PM2.5": "pm25_24h",
    "PM10": "pm10_24h",
    "SO2": "so2_24h",
    "NO2": "no2_24h",
    "CO": "co_24h",
    "O3": "o3_8h",
}
AQIHUB_ORDER = ("pm25_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h", "o3_8h")

TOP_CAUSES = 8
#: CPU seconds of this process (all its threads) per timed run, by label.
CPU: dict[str, list[float]] = {}
GOALS = {"pipeline_s": 2.0, "pipeline_vs_scan": 8.0, "aqi_vs_aqihub": 40.0}


# --------------------------------------------------------------------------- helpers


def _median(xs: Sequence[float]) -> float:
    return float(statistics.median(xs))


def _timed(
    fn: Callable[[], Any], runs: int, label: str, between: Callable[[], None] | None = None
) -> tuple[list[float], Any]:
    times: list[float] = []
    cpu = CPU.setdefault(label, [])
    out: Any = None
    for k in range(runs):
        if between is not None:
            between()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        print(f"    {label} run {k + 1}/{runs}: {times[-1]:.3f} s (CPU {cpu[-1]:.3f} s)", flush=True)
    return times, out


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def machine_info() -> dict[str, Any]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    mem = _mem_gb()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "memory_gb": None if mem is None else round(mem, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "ecoplan": _version("ecoplan"),
        "duckdb": duckdb.__version__,
        "pyspark": _version("pyspark"),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "pyarrow": pa.__version__,
        "aqi-hub": _version("aqi-hub"),
        "python-aqi": _version("python-aqi"),
    }


# --------------------------------------------------------------------------- input


def city_codes() -> list[str]:
    """Real GB/T 2260 codes of the prefecture-level cities plus the four municipalities.

    Read from the bundled ``regions.csv`` rather than ``bundled_regions()``: the file
    lists 东莞 441900, 中山 442000 and 儋州 460400 twice (prefecture and county level,
    same code) and the dict keeps the county row, which would drop three real cities.
    """
    text = resources.files("ecoplan.core").joinpath("data/regions.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    pref = {r["code"] for r in rows if r["level"] == "prefecture"}
    known = {r["code"] for r in rows}
    return sorted(pref | {c for c in MUNICIPALITIES if c in known})


def stations_frame(n: int) -> pd.DataFrame:
    """Station i → city i mod (number of cities); columns code, region, type."""
    cities = city_codes()
    ncity = min(len(cities), max(1, math.ceil(n / 4)))
    return pd.DataFrame(
        {
            "code": [f"T{i:04d}" for i in range(n)],
            "region": [cities[i % ncity] for i in range(n)],
            "type": ["city"] * n,
        }
    )


def build_input(
    work: Path, source: str, n_stations: int, year: int, seed: int, per_file: int
) -> dict[str, Any]:
    """Tile Beijing into ``n_stations`` stations for ``year``; reuse a matching build."""
    src_files = sorted(Path(source).glob("*.csv*")) if Path(source).is_dir() else [Path(source)]
    params = {
        "format": FORMAT_VERSION,
        "stations": n_stations,
        "year": year,
        "seed": seed,
        "per_file": per_file,
        "decimals": DECIMALS,
        "source": [[p.name, p.stat().st_size] for p in src_files],
    }
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:12]
    folder = work / f"air-national-{n_stations}st-{year}-{key}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        paths = [str(folder / f) for f in m["files"]]
        if m.get("params") == params and all(Path(p).exists() for p in paths):
            m["paths"] = paths
            m["reused"] = True
            m["folder"] = str(folder)
            return m
    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    batch = read_beijing_multisite([source])
    h = batch.hourly
    t_lo, t_hi = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
    h = h[(h["time"] >= t_lo) & (h["time"] < t_hi)].sort_values(["station", "time"])
    base_codes = sorted(h["station"].unique())
    if not base_codes:
        raise SystemExit(f"no Beijing data for {year} in {source}")
    hours = pd.date_range(t_lo, t_hi, freq="h", inclusive="left")
    base: list[np.ndarray] = []
    for code in base_codes:
        g = h[h["station"] == code].set_index("time").reindex(hours)
        base.append(g[list(POLLUTANTS)].to_numpy(dtype=np.float64))
    nh = len(hours)
    rng = np.random.default_rng(seed)
    factors = 0.8 + 0.4 * rng.random((n_stations, len(POLLUTANTS)))
    times_us = hours.to_numpy().astype("datetime64[us]")
    files: list[str] = []
    rows = 0
    for f0 in range(0, n_stations, per_file):
        ids = range(f0, min(f0 + per_file, n_stations))
        blocks = []
        for i in ids:
            v = base[i % len(base)] * factors[i]
            for j, p in enumerate(POLLUTANTS):
                v[:, j] = np.round(v[:, j], DECIMALS[p])
            blocks.append(v)
        vals = np.vstack(blocks)
        table = pa.table(
            {
                "station": pa.array(np.repeat([f"T{i:04d}" for i in ids], nh), type=pa.string()),
                "time": pa.array(np.tile(times_us, len(ids)), type=pa.timestamp("us")),
                **{
                    p: pa.array(vals[:, j], type=pa.float64(), from_pandas=True)
                    for j, p in enumerate(POLLUTANTS)
                },
            }
        )
        name = f"part-{f0 // per_file:03d}.parquet"
        pq.write_table(table, folder / name, row_group_size=2**17)
        files.append(name)
        rows += table.num_rows
    m = {
        "params": params,
        "files": files,
        "rows": rows,
        "hours": nh,
        "base_stations": base_codes,
        "bytes": sum((folder / f).stat().st_size for f in files),
        "build_s": round(time.perf_counter() - t0, 2),
    }
    manifest.write_text(json.dumps(m, indent=1))
    m["paths"] = [str(folder / f) for f in files]
    m["reused"] = False
    m["folder"] = str(folder)
    return m


# --------------------------------------------------------------------------- 1, 2: pipeline and scan


def bench_pipeline(stations: pd.DataFrame, paths: list[str], year: int, repeat: int) -> dict[str, Any]:
    print("\n[1] ecoplan pipeline on DuckDB: evaluate_year(DuckDBEngine(), …) — fresh engine per run")
    times, evals = _timed(
        lambda: evaluate_year(DuckDBEngine(), stations, paths, year), repeat, "evaluate_year"
    )
    print("    where the time goes: city_daily(…, fetch=False) alone (hourly → city daily AQI, materialised)")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cd_times, _ = _timed(
        lambda: city_daily(DuckDBEngine(), stations, paths, start, end, fetch=False), repeat, "city_daily"
    )
    print("\n[2] bare DuckDB scan: sum of the six pollutant columns, fresh duckdb.connect() per run")
    files = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    sql = f"SELECT sum(pm25), sum(pm10), sum(so2), sum(no2), sum(co), sum(o3) FROM read_parquet([{files}])"

    def scan() -> Any:
        con = duckdb.connect()
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    scan_times, _ = _timed(scan, repeat, "scan")
    return {"evals": evals, "pipeline": times, "city_daily": cd_times, "scan": scan_times}


# --------------------------------------------------------------------------- 3: daily AQI


def station_days(stations: pd.DataFrame, paths: list[str], year: int) -> pd.DataFrame:
    """Station-day daily concentrations (and the pipeline's own station-day AQI).

    Each station is made its own "city" so that ``city_daily`` returns station-day
    values with exactly the pipeline's rules: 24-h means with ≥ 20 hours, daily
    max 1-h O3, MDA8 over the 17 in-day windows (GB 3095 表4, HJ 663—2013).
    """
    own = pd.DataFrame({"code": stations["code"], "region": stations["code"], "type": "city"})
    eng = DuckDBEngine()
    try:
        df = city_daily(eng, own, paths, dt.date(year, 1, 1), dt.date(year, 12, 31))
    finally:
        eng.close()
    return df.rename(columns={"region": "station"})


def _exact(ind: str, c: Fraction) -> Fraction | None:
    """Exact pre-ceiling IAQI (HJ 633—2012 式1), None above the top / in an empty cell."""
    levels = hj633_2012.IAQI_LEVELS
    table = hj633_2012.TABLE[ind]
    for k in range(1, len(table)):
        lo, hi = table[k - 1], table[k]
        if lo is None or hi is None:
            return None
        if lo <= c <= hi:
            return levels[k - 1] + Fraction(levels[k] - levels[k - 1], hi - lo) * (c - lo)
    return None


def _pyaqi_exact(elem: str, t: int) -> Fraction | None:
    """python-aqi's MEP formula (its discontinuous segments) on integer t, exactly."""
    from aqi.algos.mep import AQI as MEP

    pw = MEP.piecewise
    for idx, (lo, hi) in enumerate(pw["bp"][elem]):
        if lo <= t <= hi:
            alo, ahi = pw["aqi"][idx]
            return Fraction(ahi - alo) / (Fraction(hi) - Fraction(lo)) * (t - Fraction(lo)) + alo
    return None


def _pyaqi_elems() -> dict[str, str]:
    """Our daily indicators → python-aqi 0.6.1 pollutant constants."""
    from aqi import constants as k

    return {
        "pm25_24h": k.POLLUTANT_PM25,
        "pm10_24h": k.POLLUTANT_PM10,
        "so2_24h": k.POLLUTANT_SO2_24H,
        "no2_24h": k.POLLUTANT_NO2_24H,
        "co_24h": k.POLLUTANT_CO_24H,
        "o3_8h": k.POLLUTANT_O3_8H,
        "o3_1h": k.POLLUTANT_O3_1H,
    }


def _fr(x: float) -> Fraction:
    return Fraction(math.floor(x * 10**6 + 0.5), 10**6)


def bench_aqi(sd: pd.DataFrame, repeat: int, args: argparse.Namespace) -> dict[str, Any]:
    n = len(sd)
    conc = {ind: sd[col].to_numpy(dtype=np.float64, na_value=np.nan) for ind, col in DAILY_INDICATORS.items()}
    has_any = ~np.all(np.isnan(np.vstack(list(conc.values()))), axis=0)
    print(
        f"\n[3] daily AQI (HJ 633—2012) of {n:,} station-days "
        f"({int(has_any.sum()):,} with at least one valid daily value)"
    )
    times, res = _timed(lambda: ecoaqi.compute("daily", conc, edition="2012"), repeat, "ecoplan compute")
    eco_aqi = res["aqi"]
    sql_aqi = sd["aqi"].to_numpy(dtype=np.float64, na_value=np.nan)
    same = bool(np.array_equal(eco_aqi, sql_aqi, equal_nan=True))
    print(f"    check: ecoplan numpy AQI == pipeline SQL AQI on all station-days: {same}")
    out: dict[str, Any] = {
        "station_days": n,
        "station_days_with_data": int(has_any.sum()),
        "ecoplan": {"times": times, "per_day_us": _median(times) / n * 1e6, "numpy_equals_sql": same},
    }

    # Inputs for the peers, prepared outside the timing (the peers get their best case).
    vals = {ind: conc[ind].tolist() for ind in conc}
    nan_free = {ind: [None if math.isnan(x) else x for x in vals[ind]] for ind in vals}
    hub_rows = list(zip(*(nan_free[i] for i in AQIHUB_ORDER), strict=True))
    import aqi as pyaqi

    pyaqi_elem = _pyaqi_elems()
    py_rows = [
        [
            (pyaqi_elem[ind], f"{nan_free[ind][k]:.6f}")
            for ind in DAILY_INDICATORS
            if nan_free[ind][k] is not None
        ]
        for k in range(n)
    ]
    from aqi_hub.aqi_cn.aqi import cal_aqi_cn

    def run_hub(idx: Sequence[int]) -> list[int | None]:
        got: list[int | None] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # aqi-hub warns on every missing value
            for k in idx:
                got.append(cal_aqi_cn(*hub_rows[k], data_type="daily")[0])
        return got

    def run_py(idx: Sequence[int]) -> tuple[list[Any], list[tuple[int, str]]]:
        got: list[Any] = []
        fails: list[tuple[int, str]] = []
        for k in idx:
            ccs = py_rows[k]
            if not ccs:
                got.append(None)
                continue
            try:
                got.append(pyaqi.to_aqi(ccs, algo=pyaqi.ALGO_MEP))
            except Exception as exc:  # the peer raises on some valid inputs (spec §7.1 item 5)
                got.append(None)
                fails.append((k, type(exc).__name__))
        return got, fails

    order = np.random.default_rng(args.seed + 1).permutation(n)
    peers: dict[str, Any] = {}
    for name, runner in (("aqi-hub 0.2.1", run_hub), ("python-aqi 0.6.1", run_py)):
        pilot = order[: args.pilot].tolist()
        t0 = time.perf_counter()
        runner(pilot)
        est = (time.perf_counter() - t0) / len(pilot) * n
        if est > args.peer_budget:
            idx = sorted(order[: args.peer_sample].tolist())
            mode = (
                f"SAMPLE of {len(idx):,} station-days "
                f"(full loop estimated {est:.0f} s > {args.peer_budget:.0f} s)"
            )
        else:
            idx = list(range(n))
            mode = f"all {n:,} station-days (full loop estimated {est:.0f} s)"
        runs = max(1, min(args.peer_repeat, int(args.peer_budget // max(est * len(idx) / n, 1e-9))))
        print(f"    {name}: per-value Python loop over {mode}; {runs} run(s)")
        ptimes, got = _timed(lambda idx=idx, runner=runner: runner(idx), runs, name)
        fails: list[tuple[int, str]] = []
        if isinstance(got, tuple):
            got, fails = got
        peer_aqi = np.full(n, np.nan)
        peer_aqi[np.array(idx, dtype=np.int64)] = [np.nan if v is None else float(v) for v in got]
        per_day = _median(ptimes) / len(idx) * 1e6
        peers[name] = {
            "times": ptimes,
            "runs": runs,
            "days_timed": len(idx),
            "sampled": len(idx) < n,
            "estimated_full_s": est,
            "per_day_us": per_day,
            "extrapolated_full_s": per_day * n / 1e6,
            "failures": len(fails),
            "failure_types": dict(Counter(t for _, t in fails)),
            "idx": np.array(idx, dtype=np.int64),
            "aqi": peer_aqi,
            "fail_idx": {k for k, _ in fails},
        }
    out["peers"] = peers
    out["disagreements"] = disagreements(sd, conc, res, peers, pyaqi_elem)
    for p in peers.values():
        for k in ("idx", "aqi", "fail_idx"):
            p.pop(k)
    return out


# --------------------------------------------------------------------------- disagreements

HUB_CAUSES = {
    "so2": (
        "SO2 24h on the 1-h breakpoints",
        "HJ 633—2012 表1 SO2 24h column 0/50/150/475/800/1600/2100/2620 (aqi-hub 0.2.1 uses "
        "0/150/500/650/800…, the 1-h values; spec §7.2 item 1) → ecoplan",
    ),
    "o3_1h": (
        "O3 daily max 1h omitted",
        "HJ 633—2012 §5.1.2 + 表3: the daily AQI takes the max over 7 IAQIs including the O3 daily "
        "max 1-h average (spec §1.6; aqi-hub: spec §7.2 item 4) → ecoplan",
    ),
    "o3_8h_800": (
        "O3 8h > 800 → None",
        "HJ 633—2012 表1 note 3: O3 8h > 800 → report the O3 1-h IAQI (spec §1.4) → ecoplan",
    ),
    "float": (
        "float ceiling (+1)",
        "HJ 633—2012 §6.2 进位取整 of the exact value of 式1 (spec §1.3, vector V12) → ecoplan",
    ),
    "other": ("other (unexplained)", "investigate"),
}
PY_CAUSES = {
    "trunc": (
        "truncation to integer",
        "HJ 633—2012 sets no input rounding: concentrations are used as supplied (spec §1.3; "
        "python-aqi: spec §7.1 item 1) → ecoplan",
    ),
    "trunc_co": (
        "CO mg/m³ truncation",
        "HJ 633—2012 表1 CO 24h column 0/2/4/14/24/36/48/60 mg/m³, no input rounding (spec §1.3, "
        "§7.1 items 1, 3) → ecoplan",
    ),
    "seg": (
        "EPA-style segments",
        "HJ 633—2012 式1 with the contiguous 表1 segments BP_Lo ≤ C ≤ BP_Hi "
        "(spec §1.2; §7.1 item 2) → ecoplan",
    ),
    "round": (
        "half-even rounding",
        "HJ 633—2012 §6.2 计算结果应全部进位取整数 (ceiling; spec §1.3, §7.1 item 4) → ecoplan",
    ),
    "exc_top": (
        "exception: above top breakpoint",
        "HJ 633—2012 is silent above the top breakpoint; ecoplan reports IAQI 500 + beyond_scale "
        "(spec §1.4 recommendation) — the standard supports neither, but an exception loses the whole day",
    ),
    "exc_o3": (
        "exception: O3 8h > 800",
        "HJ 633—2012 表1 note 3: use the O3 1-h IAQI (spec §1.4) → ecoplan",
    ),
    "exc_other": ("exception (other)", "investigate"),
    "other": ("other (unexplained)", "investigate"),
}


def disagreements(
    sd: pd.DataFrame,
    conc: dict[str, np.ndarray],
    res: dict[str, np.ndarray],
    peers: dict[str, Any],
    pyaqi_elem: dict[str, str],
) -> dict[str, Any]:
    import aqi as pyaqi
    from aqi_hub.aqi_cn.aqi import cal_aqi_cn

    eco = res["aqi"]
    eco_i = {ind: res[f"iaqi_{ind}"] for ind in DAILY_INDICATORS}
    report: dict[str, Any] = {}

    def val(ind: str, k: int) -> float | None:
        x = conc[ind][k]
        return None if math.isnan(x) else float(x)

    def eco_int(ind: str, k: int) -> int | None:
        x = eco_i[ind][k]
        return None if math.isnan(x) else int(x)

    for name, p in peers.items():
        idx = p["idx"]
        pa_ = p["aqi"][idx]
        ea = eco[idx]
        diff_mask = ~((pa_ == ea) | (np.isnan(pa_) & np.isnan(ea)))
        diff = idx[diff_mask]
        causes: Counter[str] = Counter()
        by_ind: dict[str, Counter[str]] = defaultdict(Counter)
        examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
        direction: Counter[str] = Counter()
        is_hub = name.startswith("aqi-hub")
        table = HUB_CAUSES if is_hub else PY_CAUSES
        for k in diff.tolist():
            e_aqi = None if math.isnan(eco[k]) else int(eco[k])
            labels: set[str] = set()
            inds: list[str] = []
            if is_hub:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    h_aqi, h_iaqi = cal_aqi_cn(*(val(i, k) for i in AQIHUB_ORDER), data_type="daily")
                pi: dict[str, int | None] = {AQIHUB_KEYS[key]: v for key, v in h_iaqi.items()}
                pi["o3_1h"] = None
                p_aqi = h_aqi
            else:
                pi = {}
                exc: list[str] = []
                for ind in DAILY_INDICATORS:
                    c = val(ind, k)
                    if c is None:
                        pi[ind] = None
                        continue
                    try:
                        pi[ind] = int(pyaqi.to_iaqi(pyaqi_elem[ind], f"{c:.6f}", algo=pyaqi.ALGO_MEP))
                    except Exception as err:
                        pi[ind] = None
                        t = int(c)
                        if ind == "o3_8h" and t > 800:
                            exc.append("exc_o3")
                        elif t > (hj633_2012.TABLE[ind][-1] or 0):
                            exc.append("exc_top")
                        else:
                            exc.append("exc_other")
                        inds.append(ind + f" ({type(err).__name__})")
                p_aqi = (
                    None if k in p["fail_idx"] else (None if math.isnan(p["aqi"][k]) else int(p["aqi"][k]))
                )
                if exc:
                    labels.update(exc)
            if not labels:
                if e_aqi is None:
                    labels.add("other")
                elif p_aqi is None or p_aqi < e_aqi:
                    dec = [i for i in DAILY_INDICATORS if eco_int(i, k) == e_aqi]
                    inds += dec
                    for i in dec:
                        labels.update(_cause(is_hub, i, val(i, k), eco_int(i, k), pi.get(i)))
                else:
                    dec = [
                        i
                        for i in DAILY_INDICATORS
                        if pi.get(i) == p_aqi and (pi[i] or 0) > (eco_int(i, k) or -1)
                    ]
                    inds += dec
                    for i in dec:
                        labels.update(_cause(is_hub, i, val(i, k), eco_int(i, k), pi.get(i)))
                if not labels:
                    labels.add("other")
            key = " + ".join(table[lab][0] for lab in sorted(labels))
            causes[key] += 1
            for i in inds:
                by_ind[key][IND_LABEL.get(i.split(" ")[0], i)] += 1
            if p_aqi is not None and e_aqi is not None:
                direction["peer higher" if p_aqi > e_aqi else "peer lower"] += 1
            else:
                direction["peer no AQI" if p_aqi is None else "ecoplan no AQI"] += 1
            if len(examples[key]) < 3:
                examples[key].append(
                    {
                        "station": str(sd["station"].iloc[k]),
                        "day": str(sd["day"].iloc[k]),
                        "inputs": {IND_LABEL[i]: val(i, k) for i in DAILY_INDICATORS},
                        "ecoplan_aqi": e_aqi,
                        "ecoplan_iaqi": {IND_LABEL[i]: eco_int(i, k) for i in DAILY_INDICATORS},
                        "peer_aqi": p_aqi,
                        "peer_iaqi": {IND_LABEL[i]: pi.get(i) for i in DAILY_INDICATORS if i in pi},
                        "indicators": inds,
                        "supported": " | ".join(table[lab][1] for lab in sorted(labels)),
                        "exact": {
                            IND_LABEL[i]: _fmt_frac(_exact(i, _fr(c)))
                            for i in inds
                            if i in DAILY_INDICATORS and (c := val(i, k)) is not None
                        },
                    }
                )
        report[name] = {
            "compared": len(idx),
            "disagree": len(diff),
            "disagree_pct": 100.0 * len(diff) / max(len(idx), 1),
            "direction": dict(direction),
            "causes": dict(causes.most_common()),
            "indicators": {k: dict(v.most_common()) for k, v in by_ind.items()},
            "examples": dict(examples),
        }
    return report


def _fmt_frac(f: Fraction | None) -> str | None:
    if f is None:
        return None
    if f.denominator == 1:
        return str(f.numerator)
    return f"{float(f):.6f}"


def _cause(is_hub: bool, ind: str, c: float | None, eco: int | None, peer: int | None) -> set[str]:
    """Why the peer's IAQI of ``ind`` differs from ecoplan's."""
    if c is None:
        return {"other"}
    if is_hub:
        if ind == "o3_1h":
            return {"o3_1h"}
        if ind == "o3_8h" and c > 800 and peer is None:
            return {"o3_8h_800"}
        if ind == "so2_24h" and peer != eco:
            return {"so2"}
        ex = _exact(ind, _fr(c))
        if (
            peer is not None
            and eco is not None
            and ex is not None
            and ex.denominator == 1
            and peer == eco + 1
        ):
            return {"float"}
        return {"other"}
    # python-aqi: walk the chain exact → truncated input → its segments → half-even rounding.
    t = int(c)
    v1 = _exact(ind, Fraction(t))
    elem = _pyaqi_elems()[ind]

    v2 = _pyaqi_exact(elem, t)
    if v1 is None or v2 is None:
        return {"other"}
    s1, s2 = math.ceil(v1), math.ceil(v2)
    v3 = int(Decimal(v2.numerator / Decimal(v2.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    out: set[str] = set()
    if s1 != eco:
        out.add("trunc_co" if ind == "co_24h" else "trunc")
    if s2 != s1:
        out.add("seg")
    if v3 != s2:
        out.add("round")
    if v3 != peer:
        out.add("other")
    return out or {"other"}


# --------------------------------------------------------------------------- 4: Spark


def _comparable(ev: Any) -> dict[str, Any]:
    d = ev.to_dict()
    d.pop("engine", None)
    return d


def bench_spark(
    stations: pd.DataFrame, paths: list[str], year: int, runs: int, duck_evals: list[Any]
) -> dict[str, Any]:
    print("\n[4] ecoplan pipeline on Spark: evaluate_year(SparkEngine(), …)")
    try:
        from ecoplan.store.engines import SparkEngine
    except ImportError as exc:  # pragma: no cover
        return {"error": str(exc)}
    t0 = time.perf_counter()
    try:
        eng = SparkEngine()
    except Exception as exc:
        print(f"    Spark unavailable: {exc}")
        return {"error": str(exc)}
    start_s = time.perf_counter() - t0
    ev = evaluate_year(eng, stations, paths, year)
    cold = time.perf_counter() - t0
    print(f"    cold run (session + JVM start {start_s:.1f} s included): {cold:.3f} s", flush=True)

    def warm() -> Any:
        return evaluate_year(SparkEngine(), stations, paths, year)

    warm_times, ev_w = _timed(warm, runs, "warm", between=eng.spark.catalog.clearCache)
    duck = {e.region: _comparable(e) for e in duck_evals}
    mism: list[str] = []
    for evs in (ev, ev_w):
        spark = {e.region: _comparable(e) for e in evs}
        if set(spark) != set(duck):
            mism.append(f"region sets differ: {len(spark)} vs {len(duck)}")
        for r, d in duck.items():
            if r in spark and spark[r] != d:
                bad = sorted(k for k in d if spark[r].get(k) != d.get(k))
                mism.append(f"{r}: {', '.join(bad)}")
    equal = not mism
    print(f"    results equal to DuckDB's for all {len(duck)} cities (to_dict() minus 'engine'): {equal}")
    for m in mism[:5]:
        print(f"      mismatch {m}")
    eng.spark.catalog.clearCache()
    eng.spark.stop()
    return {
        "session_start_s": start_s,
        "cold_s": cold,
        "warm": warm_times,
        "equal_to_duckdb": equal,
        "mismatches": mism[:20],
        "cities": len(duck),
    }


# --------------------------------------------------------------------------- report


def _fmt_row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def print_table(rows: list[list[str]], head: list[str]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [_fmt_row(head, widths), _fmt_row(["-" * w for w in widths], widths)]
    lines += [_fmt_row(r, widths) for r in rows]
    for line in lines:
        print(line)
    return lines


def _stat(ts: Sequence[float], label: str | None = None) -> tuple[str, str, str, str, str]:
    cpu = f"{_median(CPU[label]):.3f}" if label in CPU else ""
    return str(len(ts)), f"{_median(ts):.3f}", f"{min(ts):.3f}", f"{max(ts):.3f}", cpu


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stations", type=int, default=1500)
    ap.add_argument("--year", type=int, default=2015)
    ap.add_argument("--repeat", type=int, default=5, help="runs per timing (median reported)")
    ap.add_argument("--seed", type=int, default=20150101)
    ap.add_argument("--per-file", type=int, default=100, help="stations per Parquet file")
    ap.add_argument("--data", default=BEIJING, help="Beijing multi-site folder")
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "ecoplan-bench"), help="input folder")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--spark-runs", type=int, default=1, help="warm Spark runs after the cold one")
    ap.add_argument("--no-peers", action="store_true", help="skip the daily-AQI comparison")
    ap.add_argument("--peer-repeat", type=int, default=3, help="max runs of a peer loop")
    ap.add_argument("--peer-budget", type=float, default=120.0, help="seconds a peer loop may take")
    ap.add_argument("--peer-sample", type=int, default=50_000, help="station-days timed if over budget")
    ap.add_argument("--pilot", type=int, default=2_000, help="station-days of the pilot estimate")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)

    t_all = time.perf_counter()
    info = machine_info()
    print("ecoplan air benchmark — national scale")
    print("=" * 72)
    print(
        f"machine : {info['cpu']}; {info['cores']} cores ({info['cores_usable']} usable); "
        f"{info['memory_gb']} GB RAM"
    )
    print(f"          {info['os']}")
    print(
        f"versions: python {info['python']}, ecoplan {info['ecoplan']}, duckdb {info['duckdb']}, "
        f"pyspark {info['pyspark']}, pandas {info['pandas']}, numpy {info['numpy']}, "
        f"pyarrow {info['pyarrow']}"
    )
    print(f"peers   : aqi-hub {info['aqi-hub']}, python-aqi {info['python-aqi']}")
    print(f"load    : {_load()} (1/5/15-min load average at start; the machine may be shared)")

    stations = stations_frame(args.stations)
    m = build_input(Path(args.work), args.data, args.stations, args.year, args.seed, args.per_file)
    paths = m["paths"]
    ncity = stations["region"].nunique()
    per_city = stations.groupby("region").size()
    print(
        f"input   : {m['rows']:,} station-hours = {args.stations:,} stations × {m['hours']:,} h "
        f"({args.year}), "
        f"{ncity} cities ({per_city.min()}–{per_city.max()} stations each; real prefecture-level codes "
        f"+ 4 municipalities), {len(paths)} Parquet files, {m['bytes'] / 2**20:.1f} MiB"
    )
    print(
        f"          tiled from {len(m['base_stations'])} Beijing stations, ×(0.8 + 0.4·u) per station and "
        f"pollutant (seed {args.seed}); "
        + (f"reused {m['folder']}" if m["reused"] else f"built in {m['build_s']} s → {m['folder']}")
    )

    fig: dict[str, Any] = {
        "machine": info,
        "load_start": _load(),
        "input": {
            "rows": m["rows"],
            "stations": args.stations,
            "cities": int(ncity),
            "files": len(paths),
            "bytes": m["bytes"],
            "year": args.year,
            "folder": m["folder"],
        },
        "repeat": args.repeat,
    }

    pl = bench_pipeline(stations, paths, args.year, args.repeat)
    evals = pl["evals"]
    print(f"    evaluate_year returned {len(evals)} city evaluations")
    fig["pipeline_duckdb_s"] = pl["pipeline"]
    fig["city_daily_duckdb_s"] = pl["city_daily"]
    fig["scan_duckdb_s"] = pl["scan"]

    aq: dict[str, Any] | None = None
    if not args.no_peers:
        t0 = time.perf_counter()
        sd = station_days(stations, paths, args.year)
        print(
            "\n    station-day inputs via city_daily (each station its own city): "
            f"{time.perf_counter() - t0:.1f} s"
        )
        aq = bench_aqi(sd, args.repeat, args)
        fig["daily_aqi"] = aq

    sp: dict[str, Any] | None = None
    if not args.no_spark:
        sp = bench_spark(stations, paths, args.year, args.spark_runs, evals)
        fig["spark"] = sp

    # ----------------------------------------------------------------------- summary
    rows_n = m["rows"]
    print("\n" + "=" * 72)
    print(f"RESULTS — medians of --repeat {args.repeat} (peers and Spark: runs as listed)")
    head = ["step", "runs", "median s", "min s", "max s", "CPU s", "throughput"]
    rows: list[list[str]] = []
    med_pipe = _median(pl["pipeline"])
    med_scan = _median(pl["scan"])
    rows.append(
        [
            "1 pipeline, DuckDB (evaluate_year)",
            *_stat(pl["pipeline"], "evaluate_year"),
            f"{rows_n / med_pipe / 1e6:.1f} M rows/s",
        ]
    )
    rows.append(
        [
            "  of which city_daily (fetch=False)",
            *_stat(pl["city_daily"], "city_daily"),
            f"{rows_n / _median(pl['city_daily']) / 1e6:.1f} M rows/s",
        ]
    )
    rows.append(
        [
            "  rest: annual SQL + Python assembly",
            "",
            f"{med_pipe - _median(pl['city_daily']):.3f}",
            "",
            "",
            "",
            "(difference of medians)",
        ]
    )
    rows.append(
        ["2 bare DuckDB scan (6 sums)", *_stat(pl["scan"], "scan"), f"{rows_n / med_scan / 1e6:.1f} M rows/s"]
    )
    if aq is not None:
        nd = aq["station_days"]
        e = aq["ecoplan"]
        rows.append(
            [
                "3a daily AQI, ecoplan compute",
                *_stat(e["times"], "ecoplan compute"),
                f"{e['per_day_us']:.3f} µs/day",
            ]
        )
        for name, p in aq["peers"].items():
            tag = f" [sample {p['days_timed']:,}]" if p["sampled"] else ""
            rows.append(
                [
                    f"3{'b' if 'hub' in name else 'c'} daily AQI, {name}{tag}",
                    *_stat(p["times"], name),
                    f"{p['per_day_us']:.2f} µs/day",
                ]
            )
            if p["sampled"]:
                rows.append(
                    [
                        f"   {name} extrapolated to {nd:,} days",
                        "",
                        f"{p['extrapolated_full_s']:.1f}",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    if sp is not None and "error" not in sp:
        rows.append(
            [
                "4 pipeline, Spark cold (incl. JVM start)",
                "1",
                f"{sp['cold_s']:.3f}",
                "",
                "",
                "",
                f"session start {sp['session_start_s']:.1f} s",
            ]
        )
        med_w = _median(sp["warm"])
        rows.append(
            [
                "4 pipeline, Spark warm",
                *_stat(sp["warm"]),
                f"{rows_n / med_w / 1e6:.1f} M rows/s",
            ]
        )
    table_lines = print_table(rows, head)
    fig["table"] = table_lines

    print("\nGOALS")
    goals: list[list[str]] = []
    ok = med_pipe <= GOALS["pipeline_s"]
    goals.append(["pipeline (DuckDB) time", f"{med_pipe:.2f} s", f"≤ {GOALS['pipeline_s']:.0f} s", _pf(ok)])
    ratio = med_pipe / med_scan
    goals.append(
        [
            "pipeline / bare scan",
            f"{ratio:.1f}×",
            f"≤ {GOALS['pipeline_vs_scan']:.0f}×",
            _pf(ratio <= GOALS["pipeline_vs_scan"]),
        ]
    )
    fig["goals"] = {"pipeline_s": med_pipe, "pipeline_vs_scan": ratio}
    if aq is not None:
        e_us = aq["ecoplan"]["per_day_us"]
        for name, p in aq["peers"].items():
            sp_ratio = p["per_day_us"] / e_us
            is_hub = "hub" in name
            goal = f"≥ {GOALS['aqi_vs_aqihub']:.0f}×" if is_hub else "(no goal)"
            verdict = _pf(sp_ratio >= GOALS["aqi_vs_aqihub"]) if is_hub else "info"
            goals.append(
                [f"daily AQI: ecoplan vs {name} (per station-day)", f"{sp_ratio:.0f}×", goal, verdict]
            )
            fig["goals"][f"aqi_vs_{name.split()[0]}"] = sp_ratio
        goals.append(
            [
                "ecoplan numpy AQI == pipeline SQL AQI",
                str(aq["ecoplan"]["numpy_equals_sql"]),
                "True",
                _pf(aq["ecoplan"]["numpy_equals_sql"]),
            ]
        )
    if sp is not None and "error" not in sp:
        goals.append(
            [
                "Spark results == DuckDB results",
                str(sp["equal_to_duckdb"]),
                "True",
                _pf(sp["equal_to_duckdb"]),
            ]
        )
        goals.append(
            ["Spark warm / DuckDB pipeline", f"{_median(sp['warm']) / med_pipe:.1f}×", "(no goal)", "info"]
        )
    fig["goals_table"] = print_table(goals, ["check", "measured", "goal", "verdict"])

    if aq is not None:
        print_disagreements(aq)
    fig["load_end"] = _load()
    print(f"\nload average at the end {fig['load_end']}; total wall time {time.perf_counter() - t_all:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=1, ensure_ascii=False, default=_json_default))
        print(f"figures written to {args.json}")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _pf(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, set):
        return sorted(o)
    return str(o)


def print_disagreements(aq: dict[str, Any]) -> None:
    print("\nDISAGREEMENTS WITH ecoplan (daily AQI, HJ 633—2012; spec ../shared/specs/air-quality.md §7)")
    for name, d in aq["disagreements"].items():
        p = aq["peers"][name]
        scope = f"the timed sample of {d['compared']:,}" if p["sampled"] else f"all {d['compared']:,}"
        print(
            f"\n{name}: {d['disagree']:,} of {scope} station-days differ ({d['disagree_pct']:.2f} %); "
            + ", ".join(f"{k} {v:,}" for k, v in d["direction"].items())
        )
        if p["failures"]:
            print(
                f"  exceptions caught: {p['failures']:,} "
                f"({', '.join(f'{k} {v}' for k, v in p['failure_types'].items())})"
            )
        rows = []
        items = list(d["causes"].items())
        for cause, cnt in items[:TOP_CAUSES]:
            inds = ", ".join(f"{k} {v:,}" for k, v in d["indicators"].get(cause, {}).items())
            rows.append([cause, f"{cnt:,}", inds])
        if len(items) > TOP_CAUSES:
            rest = items[TOP_CAUSES:]
            rows.append([f"({len(rest)} rarer combinations)", f"{sum(c for _, c in rest):,}", "see --json"])
        if rows:
            print_table(
                rows, ["cause (deviations of the deciding IAQI)", "station-days", "deciding indicator(s)"]
            )
        covered: set[str] = set()
        # single causes first, then combinations that add a deviation not shown yet
        for cause, _ in sorted(items, key=lambda kv: (kv[0].count(" + "), -kv[1])):
            parts = cause.split(" + ")
            if all(x in covered for x in parts):
                continue
            covered.update(parts)
            exs = d["examples"][cause]
            print(f"  examples — {cause}:")
            for ex in exs[:2]:
                inp = ", ".join(f"{k} {_num(v)}" for k, v in ex["inputs"].items())
                print(f"    {ex['station']} {ex['day']}: {inp}")
                dec = [i.split(" ")[0] for i in ex["indicators"]]
                per = "; ".join(
                    f"{IND_LABEL[i]}: ecoplan {ex['ecoplan_iaqi'][IND_LABEL[i]]} "
                    f"(exact {ex['exact'].get(IND_LABEL[i]) or 'n/a, above the table'}), "
                    f"peer {_na(ex['peer_iaqi'].get(IND_LABEL[i]))}"
                    for i in dec
                    if i in IND_LABEL
                )
                print(f"      AQI ecoplan {ex['ecoplan_aqi']} vs peer {_na(ex['peer_aqi'])} — IAQI {per}")
                print(f"      standard: {ex['supported']}")


def _na(v: Any) -> str:
    return "none" if v is None else str(v)


def _num(v: float | None) -> str:
    if v is None:
        return "NA"
    return f"{v:.6f}".rstrip("0").rstrip(".")


if __name__ == "__main__":
    sys.exit(main())

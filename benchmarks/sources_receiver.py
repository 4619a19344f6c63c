"""Receiver benchmark: 1,000 concurrent device connections on 127.0.0.1 (issue 11).

Goal: ≥ 20,000 frames/s durably logged (fsynced) and acknowledged (9014 received by the
device) on 2 cores, p99 ack latency < 50 ms.

Each run starts ``ecoplan receive`` (the command, with the simulated devices' register
CSV, so the password check runs) in its own process, then simulated devices in
``--sim-procs`` other processes (``ecoplan.sources.simulate``), each device on its own
connection with ``--window`` uploads waiting for their answer at once; it counts the
answers the devices got, their latency (send → 9014), and after the receiver stopped,
the records in its raw log. Prints each run and the medians of ``--runs`` runs, and the
ratio to the goal.

Run: ``.venv/bin/python benchmarks/sources_receiver.py [--runs 3] [--frames 100000]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ecoplan.sources.readers.rawlog import read_log
from ecoplan.sources.simulate.client import SimConfig
from ecoplan.sources.simulate.devices import make_devices, write_register
from ecoplan.sources.simulate.run import simulate

GOAL_FPS = 20_000
GOAL_P99_MS = 50.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"receiver did not listen on {port}")


def _sim(
    args: tuple[int, int, int, int, int, int], queue: mp.Queue[tuple[float, int, int, int, list[float]]]
) -> None:
    n_devices, first, count, frames, port, window = args
    devices = make_devices(n_devices)[first : first + count]
    config = SimConfig(port=port, rate=0, frames=frames, window=window, over_time=10.0, seed=first + 1)
    t0 = time.monotonic()
    stats = simulate(devices, config)
    queue.put((time.monotonic() - t0, stats.acked, stats.given_up, stats.resent, stats.latencies))


def run_once(n_devices: int, frames: int, window: int, procs: int, tmp: Path) -> dict[str, Any]:
    port = _free_port()
    register = write_register(tmp / "devices.csv", make_devices(n_devices))
    log_dir = tmp / "logs"
    exe = Path(sys.executable).parent / "ecoplan"
    recv = subprocess.Popen(
        [str(exe), "receive", "--log-dir", str(log_dir), "--port", str(port), "--devices", str(register),
         "--lang", "en", "--max-connections", str(n_devices + 100)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_port(port)
        queue: mp.Queue[tuple[float, int, int, int, list[float]]] = mp.Queue()
        per = n_devices // procs
        jobs = [
            mp.Process(
                target=_sim,
                args=(
                    (
                        n_devices,
                        i * per,
                        per if i < procs - 1 else n_devices - i * per,
                        frames // procs,
                        port,
                        window,
                    ),
                    queue,
                ),
            )
            for i in range(procs)
        ]
        for j in jobs:
            j.start()
        results = [queue.get() for _ in jobs]
        for j in jobs:
            j.join()
    finally:
        recv.send_signal(signal.SIGTERM)
        output = recv.communicate(timeout=60)[0].decode()
    elapsed = max(float(r[0]) for r in results)
    acked = sum(int(r[1]) for r in results)
    given_up = sum(int(r[2]) for r in results)
    latencies = sorted(x for r in results for x in r[4])
    p99 = (
        latencies[min(len(latencies) - 1, round(0.99 * len(latencies)) - 1)] * 1000
        if latencies
        else float("nan")
    )
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else float("nan")
    logged = sum(1 for _ in read_log(log_dir, "r1"))
    return {
        "acked": acked,
        "given_up": given_up,
        "logged": logged,
        "seconds": elapsed,
        "fps": acked / elapsed,
        "p50_ms": p50,
        "p99_ms": p99,
        "receiver": output.strip().splitlines()[-1] if output.strip() else "",
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--frames", type=int, default=100_000)
    ap.add_argument("--window", type=int, default=4)
    ap.add_argument("--sim-procs", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args(argv)
    print(f"cores={os.cpu_count()} python={sys.version.split()[0]} devices={a.devices} frames/run={a.frames} "
          f"window={a.window} sim-procs={a.sim_procs}")  # fmt: skip
    rows = []
    for i in range(a.runs):
        with tempfile.TemporaryDirectory(prefix="ecoplan-recv-bench-") as tmp:
            r = run_once(a.devices, a.frames, a.window, a.sim_procs, Path(tmp))
        rows.append(r)
        print(
            f"run {i + 1}: {r['acked']} acked ({r['given_up']} given up), {r['logged']} logged, "
            f"{r['seconds']:.2f} s, {r['fps']:.0f} frames/s, "
            f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
        )
        print(f"        {r['receiver']}")
    fps = statistics.median(r["fps"] for r in rows)
    p99 = statistics.median(r["p99_ms"] for r in rows)
    print(f"median: {fps:.0f} frames/s durably logged and acknowledged; p99 ack latency {p99:.1f} ms")
    print(
        f"ratio to goal: throughput {fps / GOAL_FPS:.2f} × of {GOAL_FPS}/s; "
        f"p99 {p99 / GOAL_P99_MS:.2f} × of {GOAL_P99_MS:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Receiver benchmark: 1,000 concurrent device connections on 127.0.0.1 (issue 11).

Goal: ≥ 20,000 frames/s durably logged (fsynced) and acknowledged (9014 received by the
device) on 2 cores, p99 ack latency < 50 ms.

Each run starts ``ecoplan receive`` (the command, with the simulated devices' register
CSV, so the password check runs) in its own process, then simulated devices in
``--sim-procs`` other processes (``ecoplan.sources.simulate``), each device on its own
connection with ``--window`` uploads waiting for their answer at once (answers are
matched by QN without re-checking their CRC, to spare the load generator); it counts the
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


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sim(
    args: tuple[int, int, int, int, int, int, float],
    queue: mp.Queue[tuple[float, int, int, int, list[float]]],
) -> None:
    n_devices, first, count, frames, port, window, rate = args
    devices = make_devices(n_devices)[first : first + count]
    config = SimConfig(
        port=port,
        rate=rate,
        frames=frames,
        window=window,
        over_time=10.0,
        seed=first + 1,
        check_replies=False,
    )
    t0 = time.monotonic()
    stats = simulate(devices, config)
    queue.put((time.monotonic() - t0, stats.acked, stats.given_up, stats.resent, stats.latencies))


def run_once(
    n_devices: int, frames: int, window: int, procs: int, tmp: Path, rate: float = 0.0
) -> dict[str, Any]:
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
        cpu0 = _cpu_seconds(recv.pid)  # after the start (imports, register)
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
                        rate,
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
        cpu = _cpu_seconds(recv.pid) - cpu0
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
        "recv_cpu_s": cpu,
        "per_cpu_s": logged / cpu if cpu else float("nan"),
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
    ap.add_argument("--latency-rate", type=float, default=1.0, help="uploads/s per device, latency phase")
    a = ap.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
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
        print(f"        receiver CPU {r['recv_cpu_s']:.1f} s = {r['per_cpu_s']:.0f} frames per CPU-second; "
              f"{r['receiver']}")  # fmt: skip
    fps = statistics.median(r["fps"] for r in rows)
    p99 = statistics.median(r["p99_ms"] for r in rows)
    print(f"median: {fps:.0f} frames/s durably logged and acknowledged; p99 ack latency {p99:.1f} ms")
    print(
        f"ratio to goal: throughput {fps / GOAL_FPS:.2f} × of {GOAL_FPS}/s; "
        f"p99 {p99 / GOAL_P99_MS:.2f} × of {GOAL_P99_MS:.0f} ms"
    )
    lat = []
    for i in range(a.runs):
        with tempfile.TemporaryDirectory(prefix="ecoplan-recv-bench-") as tmp:
            r = run_once(a.devices, a.devices * 10, 1, a.sim_procs, Path(tmp), rate=a.latency_rate)
        lat.append(r)
        print(
            f"latency run {i + 1}: offered {a.devices * a.latency_rate:.0f} uploads/s, {r['acked']} acked, "
            f"{r['fps']:.0f} frames/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
        )
    p99_lat = statistics.median(r["p99_ms"] for r in lat)
    print(f"median p99 ack latency at {a.devices * a.latency_rate:.0f} uploads/s offered: {p99_lat:.1f} ms "
          f"({p99_lat / GOAL_P99_MS:.2f} × of {GOAL_P99_MS:.0f} ms)")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

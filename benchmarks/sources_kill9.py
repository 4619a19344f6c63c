"""Reliability run (issue 11): kill -9 the receiver 20 times during a 200k-frame simulated run.

1. ``ecoplan receive`` runs in its own process with the simulated devices' register;
2. ``ecoplan sources simulate`` plays ``--devices`` devices for ``--frames`` uploads,
   writing every QN it got a 9014 for to its ledger (devices resend what was not
   answered, reconnect when the link breaks);
3. meanwhile the receiver is killed with SIGKILL ``--kills`` times at random moments
   (uniform ``--min-gap``..``--max-gap`` seconds apart) and restarted each time on the
   same port and log (its recovery truncates the torn tail);
4. then one ``ep.sources.frames.ingest`` of the log into a new store, and the check:
   every (MN, CN, QN, DataTime) of the ledger is in ``sources_frames`` exactly once.

Prints the counts. Run: ``.venv/bin/python benchmarks/sources_kill9.py [--frames 200000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ecoplan.app import Ecoplan
from ecoplan.sources.readers.rawlog import read_log
from ecoplan.sources.simulate.client import Ledger


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
        time.sleep(0.02)
    raise RuntimeError(f"receiver did not listen on {port}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--frames", type=int, default=200_000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--min-gap", type=float, default=0.5)
    ap.add_argument("--max-gap", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    exe = str(Path(sys.executable).parent / "ecoplan")
    with tempfile.TemporaryDirectory(prefix="ecoplan-kill9-") as tmp_name:
        tmp = a.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        register, ledger, logs = tmp / "devices.csv", tmp / "ledger.txt", tmp / "logs"
        subprocess.run(
            [exe, "sources", "simulate", "--devices", str(a.devices), "--register", str(register),
             "--lang", "en"],
            check=True, capture_output=True,
        )  # fmt: skip
        recv_cmd = [exe, "receive", "--log-dir", str(logs), "--port", str(port), "--devices", str(register),
                    "--lang", "en", "--reload", "0"]  # fmt: skip
        recv = subprocess.Popen(recv_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(port)
        t0 = time.monotonic()
        sim = subprocess.Popen(
            [exe, "sources", "simulate", "--devices", str(a.devices), "--rate", "0",
             "--frames", str(a.frames), "--port", str(port), "--ledger", str(ledger),
             "--over-time", "5", "--re-count", "5",
             "--window", "2", "--format", "json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        kills: list[float] = []
        while len(kills) < a.kills and sim.poll() is None:
            time.sleep(rng.uniform(a.min_gap, a.max_gap))
            if sim.poll() is not None:
                break
            recv.send_signal(signal.SIGKILL)
            recv.wait()
            kills.append(time.monotonic() - t0)
            recv = subprocess.Popen(recv_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _wait_port(port)
        sim_out, sim_err = sim.communicate()
        elapsed = time.monotonic() - t0
        recv.send_signal(signal.SIGTERM)
        recv.wait(timeout=60)
        stats = json.loads(sim_out.decode() or "{}")
        records = list(read_log(logs, "r1"))
        ok = sum(1 for _, _, r in records if r.verdict == "ok")
        t1 = time.monotonic()
        with Ecoplan(tmp / "store.duckdb") as ep:
            ep.init()
            res = ep.sources.frames.ingest(logs)
            frames = ep.sources.frames.frames(limit=10**9)
        ingest_s = time.monotonic() - t1
        stored: Counter[tuple[str, str, str, str]] = Counter(
            (m, c, q, "" if d is None or d != d else d.strftime("%Y%m%d%H%M%S"))
            for m, c, q, d in zip(frames["mn"], frames["cn"], frames["qn"], frames["data_time"], strict=True)
        )
        book = Ledger.read(ledger)
        seen = Counter(stored.get(e, 0) for e in book)
        print(f"run: {a.devices} devices, {a.frames} uploads asked, {len(kills)} kill -9 of the receiver "
              f"at {', '.join(f'{k:.1f}' for k in kills)} s; run {elapsed:.1f} s")  # fmt: skip
        print(f"simulator: {json.dumps(stats)}")
        if sim_err.strip():
            print(f"simulator stderr: {sim_err.decode().strip()[:500]}")
        print(f"raw log: {len(records)} records ({ok} ok), {len(list(logs.glob('r1/*.log')))} segment(s)")
        print(
            f"ingest: {json.dumps({k: v for k, v in res.to_dict().items() if k != 'logs'})} "
            f"in {ingest_s:.1f} s"
        )
        print(
            f"store: {len(frames)} frames, "
            f"{sum(1 for n in stored.values() if n > 1)} keys stored more than once"
        )
        twice = sum(n for k, n in seen.items() if k > 1)
        print(f"ledger: {len(book)} QNs acknowledged; in the store exactly once: {seen.get(1, 0)}, "
              f"missing: {seen.get(0, 0)}, more than once: {twice}")  # fmt: skip
        verdict = seen.get(1, 0) == len(book) and len(book) > 0
        print("PASS: every acknowledged frame is stored exactly once" if verdict else "FAIL")
        return 0 if verdict else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

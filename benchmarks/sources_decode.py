"""HJ 212 decode throughput: ecoplan's batch decoder vs the Go peer ``teafull/hjt212``.

Issue 11, benchmark 1: "Parse + CRC + decode throughput on the real packet corpus (tiled to
1 M frames) vs teafull/hjt212 … side by side in one run: goal ≥ the Go peer's throughput per
core."

Input: the 51 lines of ``shared/data/hj212/packets.txt`` plus the 3 plaintext packets of
``packets-2025.txt`` (the 2 SM4-encrypted ones need a key the peer does not have), one
packet per line, tiled in order to ``--frames`` lines (default 1,000,000; 42 of every 54 are
valid, 12 are rejected for their CRC or length). Written once to ``--work`` and reused.

Each run is a fresh process pinned to CPU 0 (``taskset -c 0``, unless ``--no-pin``) that
reads the file and splits it into lines *before* the clock starts, then times one pass over
all lines in-process (wall and CPU seconds of that loop):

- **ours**: ``ecoplan.sources.protocol.batch.decode_lines(lines)`` — framing, CRC16,
  header fields and the data area into (frame, code, kind, text) rows, as Arrow columns;
- **go-parts**: our Go driver (``benchmarks/peers/hjt212/main.go``) doing the same steps with
  the peer's ``VerifyCrc`` and ``ExtractDataByHeadAndTail`` and the split loop of its
  ``HjtDecoder.Decoder`` (key → value map per frame);
- **per-frame**: ecoplan's per-frame decoder (``FrameDecoder``, ``Segment.parse``,
  ``plain()``, ``factors()``) on the first ``--per-frame`` lines, for scale;
- **go-decoder**: the peer's own ``HjtDecoder.Decoder`` (which prints every data area; the
  driver sends that print to /dev/null).

Runs alternate (ours, go-parts, go-decoder, ours, …), ``--runs`` each (≥ 3); the medians,
frames per second (wall) and per CPU second, and the ratio ours / Go are printed. The run
fails (exit 1) if the implementations do not accept and reject the same number of frames.

The Go driver is built at run time into a temporary directory from a peer checkout given by
``--peer DIR`` or ``$HJT212_DIR`` (``go mod edit -replace``; ``GOPROXY=off GOFLAGS=-mod=mod``
as in spec §12). Go: ``--go``, ``$GO``, ``go`` on the PATH, else Debian's golang-1.19.

Run: ``.venv/bin/python benchmarks/sources_decode.py --peer ../hjt212 [--frames N] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "hj212"
DRIVER = HERE / "peers" / "hjt212"
DEBIAN_GO = "/usr/lib/go-1.19/bin/go"
ENCRYPTED = b"CP=&&{0x"


def corpus_lines(data: Path) -> list[bytes]:
    """packets.txt and the plaintext packets of packets-2025.txt, one packet per line."""
    lines = (data / "packets.txt").read_bytes().splitlines()
    lines += [x for x in (data / "packets-2025.txt").read_bytes().splitlines() if ENCRYPTED not in x]
    return [x for x in lines if x]


def build_corpus(frames: int, data: Path, work: Path) -> Path:
    base = corpus_lines(data)
    path = work / f"hj212-tiled-{len(base)}x-{frames}.txt"
    if not path.exists():
        tiled = [base[i % len(base)] for i in range(frames)]
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(b"\n".join(tiled) + b"\n")
        tmp.replace(path)
    return path


def find_go(option: str | None) -> str:
    for candidate in (option, os.environ.get("GO"), shutil.which("go"), DEBIAN_GO):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("no Go toolchain: apt-get install golang-1.19-go, or give --go")


def build_driver(go: str, peer: Path, out: Path) -> Path:
    """Copy our driver, point its ``replace`` at the peer checkout, build it."""
    src = out / "driver-src"
    src.mkdir(parents=True, exist_ok=True)
    for name in ("main.go", "go.mod"):
        shutil.copy(DRIVER / name, src / name)
    env = os.environ | {"GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOCACHE": str(out / "gocache")}
    run = {"cwd": src, "env": env, "check": True}
    subprocess.run([go, "mod", "edit", "-replace", f"github.com/teafull/hjt212={peer.resolve()}"], **run)  # type: ignore[call-overload]
    subprocess.run([go, "build", "-o", str(out / "hjt212driver"), "."], **run)  # type: ignore[call-overload]
    return out / "hjt212driver"


def per_frame(lines: list[bytes]) -> tuple[int, int]:
    """The per-frame decoder on every line (FrameDecoder, Segment.parse, plain, factors)."""
    from ecoplan.sources.protocol.errors import RemoteProtocolError
    from ecoplan.sources.protocol.frame import Frame, FrameDecoder
    from ecoplan.sources.protocol.segment import Segment

    accepted = fields = 0
    for line in lines:
        decoder = FrameDecoder()
        events = decoder.feed(line + b"\r\n") + decoder.close()
        if len(events) != 1 or not isinstance(events[0], Frame):
            continue
        try:
            area = Segment.parse(events[0].segment).cp
        except RemoteProtocolError:
            continue
        accepted += 1
        fields += len(area.plain()) + sum(len(kinds) for kinds in area.factors().values())
    return accepted, fields


def worker(corpus: Path, sample: int) -> None:
    """One timed pass of ecoplan's batch decoder (or, with ``sample``, of the per-frame
    decoder on the first ``sample`` lines); prints a JSON line like the Go driver's."""
    from ecoplan.sources.protocol.batch import decode_lines

    lines = corpus.read_bytes().splitlines()
    if sample:
        lines = lines[:sample]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if sample:
        accepted, fields = per_frame(lines)
    else:
        decoded = decode_lines(lines)
        accepted, fields = decoded.accepted, decoded.fields.num_rows
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    out = {
        "mode": "per-frame" if sample else "ours",
        "frames": len(lines),
        "accepted": accepted,
        "rejected": len(lines) - accepted,
        "fields": fields,
        "seconds": wall,
        "cpu_seconds": cpu,
        "frames_per_s": len(lines) / wall,
        "frames_per_cpu_s": len(lines) / cpu,
    }
    print(json.dumps(out))


def timed(cmd: list[str], pin: bool) -> dict[str, Any]:
    full = (["taskset", "-c", "0"] if pin else []) + cmd
    res = subprocess.run(full, capture_output=True, text=True, check=True)
    return dict(json.loads(res.stdout.strip().splitlines()[-1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frames", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer", type=Path, default=os.environ.get("HJT212_DIR"))
    ap.add_argument("--go")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ecoplan-bench")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the runs to CPU 0")
    ap.add_argument("--json", type=Path, help="write every run's figures here")
    ap.add_argument(
        "--per-frame", type=int, default=54_000, help="lines for the per-frame decoder's row (0: none)"
    )
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--sample", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.sample)
        return 0
    if args.peer is None:
        sys.exit("give the teafull/hjt212 checkout: --peer DIR or HJT212_DIR")
    if args.runs < 3:
        sys.exit("--runs must be at least 3")
    pin = not args.no_pin and shutil.which("taskset") is not None
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(args.frames, args.data, args.work)
    with tempfile.TemporaryDirectory(prefix="hjt212-") as tmp:
        driver = build_driver(find_go(args.go), args.peer, Path(tmp))
        commands = {
            "ours": [sys.executable, str(Path(__file__).resolve()), "--worker", str(corpus)],
            "go-parts": [str(driver), "-corpus", str(corpus), "-mode", "parts"],
            "go-decoder": [str(driver), "-corpus", str(corpus), "-mode", "decoder"],
        }
        if args.per_frame:
            commands["per-frame"] = commands["ours"] + ["--sample", str(args.per_frame)]
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                runs[name].append(timed(cmd, pin))
    print(
        f"HJ 212 decode, {args.frames:,} frames ({corpus.stat().st_size / 1e6:.0f} MB) tiled from "
        f"{len(corpus_lines(args.data))} real packets; {args.runs} runs each, medians; "
        f"{'pinned to CPU 0' if pin else 'not pinned'}; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    heads = (
        ("wall s", 7),
        ("CPU s", 7),
        ("frames/s", 10),
        ("frames/CPU-s", 13),
        ("accepted", 9),
        ("rejected", 9),
    )
    print(f"{'':11} " + " ".join(f"{h:>{w}}" for h, w in heads))
    med: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():
        m = {k: statistics.median(r[k] for r in rs) for k in ("seconds", "cpu_seconds")}
        m["fps"] = rs[0]["frames"] / m["seconds"]
        m["fpc"] = rs[0]["frames"] / m["cpu_seconds"]
        med[name] = m
        print(
            f"{name:11} {m['seconds']:7.2f} {m['cpu_seconds']:7.2f} {m['fps']:10,.0f} {m['fpc']:13,.0f} "
            f"{rs[0]['accepted']:9,} {rs[0]['rejected']:9,}"
        )
    if "per-frame" in med:
        print(
            f"per-frame: ecoplan's per-frame decoder on the first {args.per_frame:,} lines; "
            f"batch / per-frame {med['ours']['fpc'] / med['per-frame']['fpc']:.1f}× per CPU second"
        )
    for peer in ("go-parts", "go-decoder"):
        print(
            f"ours / {peer}: {med['ours']['fpc'] / med[peer]['fpc']:.2f}× per CPU second, "
            f"{med['ours']['fps'] / med[peer]['fps']:.2f}× wall"
        )
    counts = {(r["accepted"], r["rejected"]) for name, rs in runs.items() if name != "per-frame" for r in rs}
    same = len(counts) == 1
    print(f"same accepted/rejected counts in every run: {'yes' if same else 'NO: ' + str(sorted(counts))}")
    if args.json:
        args.json.write_text(json.dumps({"frames": args.frames, "pinned": pin, "runs": runs}, indent=1))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

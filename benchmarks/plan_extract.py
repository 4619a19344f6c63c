"""Plan-text extraction time per MB: 1, 10 and 50 MB synthetic documents.

Issue 13, point 3: "Extraction is O(n) in document size (benchmark 1, 10, 50 MB: time
per MB constant within 2×)".

Input: the five seed documents (``shared/seeds/``, or ``--seeds``) repeated, each copy
varied, up to each size and written once to ``--work``. ``--shape``:

- ``mixed`` (default): the Jiangmen plan (a tab table, Markdown headings), the Hebei plan
  (targets in the running text) and the newspaper chapters (OCR breaks, page jumps, boxes)
  in turn — every finder has work on every copy;
- ``oneline``: the national 13th FYP copy with its line breaks removed (one line of the
  whole size: headings glued to the text);
- ``sentence``: the Hebei plan with no line break and ``。；`` turned into ``，`` (one
  paragraph, one sentence of the whole size).

Each copy's small numbers (not four-digit years) are shifted by the copy's index mod 7, so
copies differ the way plans do. Each run is a fresh process that times
``extract_plan(path, max_bytes=None)`` alone (interpreter start and imports excluded) and
reports its peak resident memory. Medians of ``--runs`` (default 3) for 1 and 10 MB,
``--big-runs`` (default 1) for 50 MB; it prints seconds and s/MB per size and the ratio of
the largest s/MB to the smallest (goal ≤ 2).

``--baseline REV``: the same runs for the code of git revision ``REV`` (checked out with
``git worktree`` into a temporary directory, removed afterwards), side by side; a run
longer than ``--baseline-timeout`` seconds (default 300) is stopped and shown as ``>T``.

    .venv/bin/python benchmarks/plan_extract.py
    .venv/bin/python benchmarks/plan_extract.py --baseline fe780d5 --baseline-timeout 600
    .venv/bin/python benchmarks/plan_extract.py --shape oneline --sizes 1 10 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024

# One timed extraction in a fresh interpreter: argv = path; prints one JSON line.
_CHILD = r"""
import inspect, json, resource, sys, time
import ecoplan
from ecoplan.plans.extract import extract_plan
kw = {"max_bytes": None} if "max_bytes" in inspect.signature(extract_plan).parameters else {}
t = time.perf_counter()
r = extract_plan(sys.argv[1], **kw)
s = time.perf_counter() - t
print(json.dumps({"seconds": s, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "found": [len(r.indicators), len(r.commitments), len(r.projects)],
                  "module": ecoplan.__file__}))
"""

_SMALL_NUMBER = re.compile(r"(?<![\d.])(\d{1,2})(?![\d年])")


def _vary(text: str, i: int) -> str:
    """Copy ``i`` of ``text``: numbers of one or two digits (not years) shifted by i mod 7."""
    k = i % 7
    if not k:
        return text
    return _SMALL_NUMBER.sub(lambda m: str(int(m.group(1)) + k), text)


def _unit(seeds: Path, shape: str) -> list[str]:
    def read(name: str) -> str:
        return (seeds / name).read_text(encoding="utf-8")

    if shape == "mixed":
        return [read(n) for n in ("003_ced3bd6005114f5c.txt", "004_0ca249838f595933.txt",
                                  "001_ec3a463adf956f3f.txt")]  # fmt: skip
    if shape == "oneline":
        return [read("000_9380b4ef97fd83be.txt").replace("\n", "")]
    if shape == "sentence":
        flat = read("004_0ca249838f595933.txt").replace("\n", "")
        return [flat.replace("。", "，").replace("；", "，")]
    raise SystemExit(f"unknown shape {shape!r}")


def build(seeds: Path, shape: str, mb: float, work: Path) -> Path:
    """The synthetic document of ``mb`` megabytes (UTF-8), written once and reused."""
    path = work / f"plan-{shape}-{mb:g}MB.txt"
    if path.exists():
        return path
    target = int(mb * MB)
    units = _unit(seeds, shape)
    size, i = 0, 0
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as f:
        while size < target:
            chunk = _vary(units[i % len(units)], i)
            data = chunk.encode("utf-8")
            if size + len(data) > target:  # cut the last copy at a character boundary
                f.write(data[: target - size].decode("utf-8", errors="ignore"))
                break
            f.write(chunk)
            size += len(data)
            i += 1
    tmp.replace(path)
    return path


def run_once(path: Path, src: Path | None, timeout: float | None) -> dict[str, Any] | None:
    """One extraction in a fresh process (``src``: another checkout's ``src``); ``None`` on timeout."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True, text=True, env=env, timeout=timeout, check=True,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"extraction of {path} failed:\n{exc.stderr}") from None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if src is not None and not str(result["module"]).startswith(str(src)):
        raise SystemExit(f"the baseline run imported {result['module']}, not the checkout {src}")
    return result


def measure(
    paths: dict[float, Path], runs: int, big_runs: int, src: Path | None, timeout: float | None
) -> dict[float, dict[str, Any]]:
    out: dict[float, dict[str, Any]] = {}
    for mb, path in paths.items():
        n = big_runs if mb >= 50 else runs
        got = []
        for _ in range(n):
            r = run_once(path, src, timeout)
            if r is None:
                break
            got.append(r)
        real_mb = path.stat().st_size / MB
        if len(got) < n:
            out[mb] = {"runs": len(got), "timeout": timeout, "mb": real_mb}
            # a bigger document would take longer still: stop here
            for rest in [m for m in paths if m > mb]:
                out[rest] = {"runs": 0, "timeout": timeout, "mb": paths[rest].stat().st_size / MB}
            break
        med = statistics.median(r["seconds"] for r in got)
        out[mb] = {
            "runs": n,
            "seconds": med,
            "s_per_mb": med / real_mb,
            "all_seconds": [r["seconds"] for r in got],
            "rss_mb": max(r["rss_mb"] for r in got),
            "found": got[0]["found"],
            "mb": real_mb,
        }
    return out


def _ratio(res: dict[float, dict[str, Any]]) -> float | None:
    per: list[float] = [r["s_per_mb"] for r in res.values() if "s_per_mb" in r]
    if len(per) < len(res) or not per:
        return None
    return max(per) / min(per)


def _show(label: str, res: dict[float, dict[str, Any]]) -> None:
    print(f"\n{label}")
    print(f"{'size':>8} {'runs':>4} {'seconds':>9} {'s/MB':>7} {'peak RSS':>9}  found (ind/tasks/boxes)")
    for mb, r in res.items():
        if "seconds" not in r:
            print(f"{mb:>6g}MB {r['runs']:>4} {'>' + format(r['timeout'], 'g'):>9} {'-':>7} {'-':>9}")
            continue
        ind, tasks, boxes = r["found"]
        print(
            f"{mb:>6g}MB {r['runs']:>4} {r['seconds']:>9.2f} {r['s_per_mb']:>7.3f} "
            f"{r['rss_mb']:>7.0f}MB  {ind}/{tasks}/{boxes}"
        )
    ratio = _ratio(res)
    shown = "n/a (a run did not finish)" if ratio is None else f"{ratio:.2f} (goal <= 2)"
    print(f"largest s/MB / smallest s/MB: {shown}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], help="MB (default 1 10 50)")
    ap.add_argument("--shape", choices=["mixed", "oneline", "sentence"], default="mixed")
    ap.add_argument("--runs", type=int, default=3, help="runs per size below 50 MB (median)")
    ap.add_argument("--big-runs", type=int, default=1, help="runs for 50 MB and more")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ecoplan-bench")
    ap.add_argument("--baseline", metavar="REV", help="also time the code of this git revision")
    ap.add_argument("--baseline-timeout", type=float, default=300.0, help="seconds per baseline run")
    ap.add_argument("--json", type=Path, help="write every figure here")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    paths = {mb: build(args.seeds, args.shape, mb, args.work) for mb in sorted(args.sizes)}
    print(f"shape {args.shape}; documents in {args.work}")
    ours = measure(paths, args.runs, args.big_runs, None, None)
    _show("this checkout", ours)
    report: dict[str, Any] = {"shape": args.shape, "ours": ours, "ratio": _ratio(ours)}
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="ecoplan-baseline-") as tmp:
            tree = Path(tmp) / "tree"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree),
                            args.baseline], check=True)  # fmt: skip
            try:
                base = measure(paths, args.runs, args.big_runs, tree / "src", args.baseline_timeout)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               check=False)  # fmt: skip
        _show(f"baseline {args.baseline}", base)
        report["baseline"] = {"rev": args.baseline, "results": base, "ratio": _ratio(base)}
        print("\nspeed-up (baseline seconds / ours):")
        for mb in paths:
            b, o = base[mb], ours[mb]
            if "seconds" in b:
                print(f"{mb:>6g}MB  {b['seconds'] / o['seconds']:.1f}x")
            else:
                stopped = f"baseline stopped after {b['timeout']:g} s"
                print(f"{mb:>6g}MB  > {b['timeout'] / o['seconds']:.0f}x ({stopped})")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Extractor accuracy on the plan corpus: field-level precision and recall per document.

Issue 13, point 1: "Report field-level precision and recall per document and overall in a
benchmark script". Each folder of ``tests/corpus/`` holds a real plan document as it was
stored (``document.*``) and its hand-checked ``expected.yaml``; the rules of the comparison
are in :mod:`ecoplan.plans.extract.score`.

For every document it runs ``extract_plan`` (with the region and period the expectation
names, as a user gives ``--region``/``--period``) and prints:

- indicators: right / found / expected fields, precision, recall, F1;
- commitments: found with their due date / expected (recall), and the due-date precision;
- the overall (micro-averaged) figures, and the goal of the issue: overall indicator F1 ≥ 0.95
  and no document below 0.8.

``--baseline REV`` scores the extractor of git revision ``REV`` (checked out with ``git
worktree`` into a temporary directory, run in a child interpreter) side by side with today's,
with today's scoring rules. ``--details`` lists every missed and extra field.

    .venv/bin/python benchmarks/plan_corpus.py
    .venv/bin/python benchmarks/plan_corpus.py --baseline bff2965 --details
    .venv/bin/python benchmarks/plan_corpus.py --json build/corpus.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ecoplan.plans.extract.score import (  # noqa: E402
    Counts,
    DocumentScore,
    found_from_result,
    load_expected,
    score,
    total,
)

# Extraction of every document by whatever ``ecoplan`` is importable; argv = JSON list of
# [slug, path, overrides]; prints one JSON object: slug -> {"found": …} or {"error": …}.
_CHILD = r"""
import json, sys
from ecoplan.plans.extract import extract_plan
out = {}
for slug, path, over in json.loads(sys.argv[1]):
    try:
        r = extract_plan(path, **over)
    except Exception as e:  # noqa: BLE001 - any refusal is a scored failure
        out[slug] = {"error": f"{type(e).__name__}: {e}"}
        continue
    inds = [{"name": x.name_zh, "unit": x.unit or None,
             "baseline": ({"year": x.baseline[0], "value": x.baseline[1]}
                          if x.baseline is not None and x.baseline[1] is not None else None),
             "targets": [{"year": y, "expr": e} for y, e in x.targets],
             "attribute": x.attribute} for x in r.indicators]
    out[slug] = {"found": {"indicators": inds,
                           "tasks": [{"due": c.due_date, "text": c.text} for c in r.commitments]}}
print(json.dumps(out, ensure_ascii=False))
"""


def corpus_documents(corpus: Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """(slug, document path, expected) for every corpus folder, in name order."""
    out = []
    for folder in sorted(p for p in corpus.iterdir() if (p / "expected.yaml").is_file()):
        docs = sorted(folder.glob("document.*"))
        if len(docs) != 1:
            raise SystemExit(f"{folder}: expected exactly one document.* file, found {len(docs)}")
        out.append((folder.name, docs[0], load_expected(folder / "expected.yaml")))
    return out


def overrides(expected: dict[str, Any]) -> dict[str, Any]:
    """What a user gives ``plans extract`` on the command line: region and period."""
    src = expected.get("source") or {}
    over: dict[str, Any] = {}
    if src.get("region"):
        over["region"] = str(src["region"])
    period = src.get("period")
    if isinstance(period, list) and len(period) == 2:
        over["start"], over["end"] = int(period[0]), int(period[1])
    return over


def run_current(docs: list[tuple[str, Path, dict[str, Any]]]) -> tuple[list[DocumentScore], float]:
    """Score today's extractor, in this process; returns the scores and seconds spent extracting."""
    from ecoplan.plans.extract import extract_plan

    scores = []
    spent = 0.0
    for slug, path, exp in docs:
        t = time.perf_counter()
        try:
            found = found_from_result(extract_plan(path, **overrides(exp)))
            err = None
        except Exception as e:  # any refusal is a scored failure
            found, err = None, f"{type(e).__name__}: {e}"
        spent += time.perf_counter() - t
        scores.append(score(slug, exp, found, err))
    return scores, spent


def run_revision(rev: str, docs: list[tuple[str, Path, dict[str, Any]]]) -> list[DocumentScore]:
    """Score the extractor of git revision ``rev`` (a temporary worktree) with today's rules."""
    with tempfile.TemporaryDirectory(prefix="ecoplan-corpus-") as tmp:
        wt = Path(tmp) / "wt"
        git = ["git", "-C", str(ROOT), "worktree"]
        subprocess.run([*git, "add", "--detach", "-q", str(wt), rev], check=True)
        try:
            arg = json.dumps([[s, str(p), overrides(e)] for s, p, e in docs], ensure_ascii=False)
            env = {**os.environ, "PYTHONPATH": str(wt / "src")}
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, arg], env=env, capture_output=True, text=True, check=True
            )
            res = json.loads(proc.stdout)
        finally:
            subprocess.run([*git, "remove", "--force", str(wt)], check=False)
    return [score(s, e, res[s].get("found"), res[s].get("error")) for s, _p, e in docs]


def _pct(x: float | None) -> str:
    return "   —" if x is None else f"{x:4.2f}"


def _row(sc: DocumentScore) -> str:
    i, c = sc.indicators, sc.commitments
    return (
        f"{i.right:4d}/{i.found:<4d}/{i.expected:<4d}"
        f" P {_pct(i.precision)} R {_pct(i.recall)} F1 {_pct(i.f1)}"
        f" | tasks {c.right:2d}/{c.expected:<2d} R {_pct(c.recall)} due-P {_pct(c.precision)}"
    )


def _totals_line(label: str, ind: Counts, com: Counts) -> str:
    fake = DocumentScore(label, ind, com)
    return f"{label:28s} {_row(fake)}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    ap.add_argument("--baseline", metavar="REV", help="also score the extractor of this git revision")
    ap.add_argument("--details", action="store_true", help="list every missed and extra field")
    ap.add_argument("--json", type=Path, help="write the scores as JSON to this file")
    args = ap.parse_args(argv)

    docs = corpus_documents(args.corpus)
    size = sum(p.stat().st_size for _s, p, _e in docs)
    print(f"plan corpus: {len(docs)} documents, {size / 1024:.0f} KB, {args.corpus.relative_to(ROOT)}")
    now, spent = run_current(docs)
    base = run_revision(args.baseline, docs) if args.baseline else None
    print("indicator fields right/found/expected, precision, recall, F1 | commitments found/expected")
    for k, sc in enumerate(now):
        print(f"{sc.slug:28s} {_row(sc)}" + (f"  ERROR {sc.error}" if sc.error else ""))
        if base is not None:
            b = base[k]
            print(f"{'  ' + args.baseline:28s} {_row(b)}" + (f"  ERROR {b.error[:60]}" if b.error else ""))
        if args.details:
            for m in sc.misses:
                print(f"    - miss  {m}")
            for x in sc.extras:
                print(f"    - extra {x}")
    ind, com = total(now)
    print(_totals_line("OVERALL", ind, com))
    if base is not None:
        bi, bc = total(base)
        print(_totals_line(f"OVERALL {args.baseline}", bi, bc))
        if bi.f1 and ind.f1:
            print(f"indicator F1 ratio today / {args.baseline}: {ind.f1 / bi.f1:.2f}")
    low = [s.slug for s in now if (s.indicators.f1 or 0.0) < 0.8]
    goal = (ind.f1 or 0.0) >= 0.95 and not low
    print(
        f"goal (overall indicator F1 ≥ 0.95, no document below 0.8): {'met' if goal else 'NOT met'}"
        + (f"; below 0.8: {', '.join(low)}" if low else "")
    )
    print(f"extraction time: {spent:.2f} s for {size / 1024 / 1024:.2f} MB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "documents": [s.to_dict() for s in now],
            "overall": {"indicators": vars(ind), "commitments": vars(com)},
            "baseline": [s.to_dict() for s in base] if base is not None else None,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The plan corpus (issue 13, point 1): well-formed expectations, and scores that do not fall.

Each ``tests/corpus/<slug>/`` holds a real plan document as it was stored and its
hand-checked ``expected.yaml`` (``tests/corpus/README.md``). These tests check that every
expectation is well formed and can be checked against its own document (each number and
each commitment text is in it), then run the extractor on every document and hold the
indicator F1 and commitment recall at or above the figures recorded in ``floors.yaml``
(raised when the extractor improves, never lowered to let a change through).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecoplan.plans.extract import extract_plan
from ecoplan.plans.extract.score import DocumentScore, found_from_result, load_expected, score, total
from ecoplan.plans.targets import format_number

HERE = Path(__file__).parent
FOLDERS = sorted(p for p in HERE.iterdir() if (p / "expected.yaml").is_file())
SLUGS = [p.name for p in FOLDERS]
FLOORS: dict[str, Any] = yaml.safe_load((HERE / "floors.yaml").read_text(encoding="utf-8"))


def _document(folder: Path) -> Path:
    docs = sorted(folder.glob("document.*"))
    assert len(docs) == 1, f"{folder}: exactly one document.* file, found {[d.name for d in docs]}"
    return docs[0]


def _flat(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"(?<=\d)[。，](?=\d)", ".", s)  # full-width decimal points, as some reprints print them
    return re.sub(r"\s+", "", s)


def test_the_corpus_has_fifteen_documents_or_more() -> None:
    assert len(FOLDERS) >= 15, SLUGS


@pytest.mark.parametrize("folder", FOLDERS, ids=SLUGS)
def test_expectation_is_well_formed_and_checkable(folder: Path) -> None:
    exp = load_expected(folder / "expected.yaml")
    src = exp.get("source") or {}
    for key in ("address", "retrieved", "title", "region", "period"):
        assert src.get(key), f"{folder.name}/expected.yaml: source.{key} is required"
    assert re.fullmatch(r"\d{6}", str(src["region"])), f"{folder.name}: source.region is a 6-digit code"
    doc = _document(folder)
    assert doc.stat().st_size < 400 * 1024, f"{doc}: keep corpus documents under 400 KB"
    text = _flat(doc.read_text(encoding="utf-8"))
    for ind in exp["indicators"]:
        b = ind.get("baseline")
        if b is not None and b.get("value") is not None:
            n = format_number(float(b["value"]))
            assert n in text, f"{folder.name}: baseline {n} of {ind['name']} is not in the document"
    for c in exp.get("commitments") or []:
        where = f"{folder.name}: commitment {c['contains']!r}"
        assert _flat(str(c["contains"])) in text, f"{where}: text not in the document"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(c["due"])), f"{where}: due is not YYYY-MM-DD"


@cache
def _scored(slug: str) -> DocumentScore:
    folder = HERE / slug
    exp = load_expected(folder / "expected.yaml")
    src = exp.get("source") or {}
    over: dict[str, Any] = {"region": str(src["region"])}
    over["start"], over["end"] = (int(y) for y in src["period"])
    try:
        found = found_from_result(extract_plan(_document(folder), **over))
    except Exception as e:  # a refusal is scored as nothing found
        return score(slug, exp, None, f"{type(e).__name__}: {e}")
    return score(slug, exp, found)


@pytest.mark.parametrize("slug", SLUGS)
def test_document_scores_hold(slug: str) -> None:
    floor = (FLOORS.get("documents") or {}).get(slug)
    assert floor is not None, f"tests/corpus/floors.yaml: no figures for {slug} (benchmarks/plan_corpus.py)"
    sc = _scored(slug)
    f1 = sc.indicators.f1 or 0.0
    why = "\n".join(sc.misses + sc.extras)
    assert f1 >= floor["indicator_f1"], f"{slug}: indicator F1 {f1:.3f} < {floor['indicator_f1']}\n{why}"
    rec = sc.commitments.recall
    if rec is not None:
        low = floor["commitment_recall"]
        assert rec >= low, f"{slug}: commitment recall {rec:.3f} < {low}"


def test_overall_scores_hold() -> None:
    ind, com = total(_scored(s) for s in SLUGS)
    assert (ind.f1 or 0.0) >= FLOORS["overall"]["indicator_f1"]
    assert (ind.precision or 0.0) >= FLOORS["overall"]["indicator_precision"]
    assert (ind.recall or 0.0) >= FLOORS["overall"]["indicator_recall"]
    assert (com.recall or 0.0) >= FLOORS["overall"]["commitment_recall"]

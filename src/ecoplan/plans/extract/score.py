"""How well the extractor reads a document: field-level precision and recall.

Issue 13, point 1: every document of the plan corpus (``tests/corpus/<slug>/``)
has a hand-checked ``expected.yaml`` — its indicators (name, unit, baseline year
and value, targets, attribute) and some of its dated commitments, written before
the extractor was run on it. This module compares what the extractor *found*
with that expectation, field by field.

The comparison works on a neutral, JSON-able "found" mapping
(:func:`found_from_result`), so the benchmark can score the output of an older
revision of the extractor with today's rules, side by side.

Rules
-----
**Indicator matching.** Names are compared after :func:`name_key`: NFKC,
traditional script made simplified (OpenCC ``t2s``; units, targets and commitment
texts too), row numbers (``16.``, ``（3）``, ``①``) removed,
bracketed units at the end (``（%）``, ``（微克/立方米）``) removed, then only
letters, digits and CJK kept. Each expected indicator is matched to at most one
found indicator, greedily by the best similarity (:class:`difflib.SequenceMatcher`
ratio, at least :data:`MATCH_AT`).

**Fields.** An expected indicator has: its name (1), its unit (1 if not null),
its baseline (1 if not null: year and value both right), one field per target
(year and expression both right) and its attribute (1 if not null). A found
indicator has: its name, its unit (if any), its baseline (if any), its targets
and its attribute (if any) — an attribute the document does not state is a
wrong field, not a free one. A found indicator matched to nothing contributes
only wrong fields.

- name right: the keys' similarity is at least :data:`NAME_AT`;
- unit right: equal after :func:`unit_key` (NFKC, brackets and spaces gone,
  ``μg/m3`` = ``微克/立方米``, ``％`` = ``%``);
- baseline right: same year and the same value (to 1e-9);
- target right: same year and :func:`target_key` equal (the grammar's canonical
  spelling, or the NFKC text when the grammar cannot read it);
- attribute right: equal.

precision = right found fields / found fields; recall = right found fields /
expected fields; F1 their harmonic mean. Totals are summed over fields (micro
average) across documents.

**Commitments.** ``expected.yaml`` lists *some* dated commitments (the clearest
ones), not all, so only their recall is meaningful: an expected commitment is
found when a found task has its due date and its ``contains`` text (compared
without whitespace): recall = found / expected. Precision is measured on the
expected commitments whose clause was found at all: the share of them read with
the right due date.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ecoplan.core.errors import TargetSyntaxError
from ecoplan.plans.targets import parse_target

__all__ = [
    "MATCH_AT",
    "NAME_AT",
    "Counts",
    "DocumentScore",
    "found_from_result",
    "load_expected",
    "name_key",
    "score",
    "target_key",
    "total",
    "unit_key",
]

#: The least name similarity for a found indicator to be matched to an expected one.
MATCH_AT = 0.6
#: The least name similarity for the matched name to count as right.
NAME_AT = 0.9

_ROW_NUMBER = re.compile(
    r"^\s*(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.、．)]|[①-⑳]|[一二三四五六七八九十]{1,3}\s*[、.．])\s*"
)
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]{0,24}[)）]\s*$")
_UNITISH = re.compile(
    r"[%％‰]|^(?:[^\u4e00-\u9fff]*|.*(?:万|亿|千|吨|米|公顷|亩|立方|克|天|个|座|条|处|家|元|千瓦|度|公里|小时))$"
)
_KEEP = re.compile(r"[0-9a-z\u4e00-\u9fff\u2160-\u216b]+")
_UNIT_SYNONYMS = {
    "μg/m3": "微克/立方米",
    "μg/m³": "微克/立方米",
    "ug/m3": "微克/立方米",
    "µg/m3": "微克/立方米",
    "mg/m3": "毫克/立方米",
    "km2": "平方公里",
    "km²": "平方公里",
}


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(s: str) -> str:
    """Traditional script as simplified (OpenCC ``t2s``): the scorer judges reading, not script."""
    return str(_t2s().convert(s))


def name_key(name: str) -> str:
    """An indicator name reduced to what identifies it (see the module rules).

    >>> name_key("16.地级及以上城市细颗粒物（PM2.5）浓度（微克/立方米）")
    '地级及以上城市细颗粒物pm25浓度'
    """
    s = _nfkc(_simplified(_ROW_NUMBER.sub("", name.strip(), count=1)))  # ① before NFKC makes it "1"
    s = _ROW_NUMBER.sub("", s, count=1)
    while True:
        m = _TRAILING_BRACKET.search(s)
        if m is None or not _UNITISH.search(m.group(0)[1:-1].strip()):
            break
        s = s[: m.start()].rstrip()
    return "".join(_KEEP.findall(s.lower()))


def unit_key(unit: str | None) -> str:
    """A unit as compared: NFKC, no brackets or spaces, common Latin spellings folded."""
    if not unit:
        return ""
    s = re.sub(r"[\s()（）]", "", _nfkc(_simplified(unit)))
    return _UNIT_SYNONYMS.get(s.lower(), s)


def target_key(expr: str) -> str:
    """A target expression as compared: the grammar's canonical spelling when it reads it."""
    expr = _simplified(expr)
    try:
        return parse_target(expr).canonical()
    except (TargetSyntaxError, ValueError):
        return re.sub(r"\s+", "", _nfkc(expr))


@dataclass
class Counts:
    """Right, found and expected field counts."""

    right: int = 0
    found: int = 0
    expected: int = 0

    def add(self, other: Counts) -> None:
        self.right += other.right
        self.found += other.found
        self.expected += other.expected

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.right / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentScore:
    """One document's scores and what went wrong, field by field."""

    slug: str
    indicators: Counts = field(default_factory=Counts)
    #: right = expected commitments found with their due date; found = those whose clause was found
    commitments: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)  # expected fields not found right
    extras: list[str] = field(default_factory=list)  # found fields that are wrong
    error: str | None = None  # the extractor refused the document

    def to_dict(self) -> dict[str, Any]:
        def c(x: Counts) -> dict[str, Any]:
            return {
                "right": x.right,
                "found": x.found,
                "expected": x.expected,
                "precision": x.precision,
                "recall": x.recall,
                "f1": x.f1,
            }

        return {
            "slug": self.slug,
            "indicators": c(self.indicators),
            "commitments": c(self.commitments),
            "misses": list(self.misses),
            "extras": list(self.extras),
            "error": self.error,
        }


def load_expected(path: str | Path) -> dict[str, Any]:
    """Read and check one ``expected.yaml`` (see ``tests/corpus/README.md``)."""
    import yaml

    p = Path(path)
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise ValueError(f"{p}: expected a mapping with an 'indicators' list")
    for i, ind in enumerate(data["indicators"], start=1):
        if not isinstance(ind, dict) or not ind.get("name"):
            raise ValueError(f"{p}: indicator {i}: a mapping with a 'name' is required")
        for t in ind.get("targets") or []:
            if not isinstance(t, dict) or "year" not in t or "expr" not in t:
                raise ValueError(f"{p}: indicator {i} ({ind['name']}): each target needs year and expr")
        b = ind.get("baseline")
        if b is not None and (not isinstance(b, dict) or "year" not in b or "value" not in b):
            raise ValueError(f"{p}: indicator {i} ({ind['name']}): baseline needs year and value, or null")
        if ind.get("attribute") not in (None, "binding", "expected"):
            raise ValueError(f"{p}: indicator {i} ({ind['name']}): attribute is binding, expected or null")
    for i, c in enumerate(data.get("commitments") or [], start=1):
        if not isinstance(c, dict) or not c.get("due") or not c.get("contains"):
            raise ValueError(f"{p}: commitment {i}: due and contains are required")
    return data


def found_from_result(result: Any) -> dict[str, Any]:
    """The neutral "found" mapping of an :class:`~ecoplan.plans.extract.ExtractResult`.

    Works on older revisions' results too (it reads only long-standing
    attributes), so the benchmark can compare revisions.
    """
    inds = []
    for ex in result.indicators:
        inds.append(
            {
                "name": ex.name_zh,
                "unit": ex.unit or None,
                "baseline": (
                    {"year": ex.baseline[0], "value": ex.baseline[1]}
                    if ex.baseline is not None and ex.baseline[1] is not None
                    else None
                ),
                "targets": [{"year": y, "expr": e} for y, e in ex.targets],
                "attribute": ex.attribute,
            }
        )
    tasks = [{"due": c.due_date, "text": c.text} for c in result.commitments]
    return {"indicators": inds, "tasks": tasks}


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pairs(expected: Sequence[Mapping[str, Any]], found: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Expected index → found index, greedily by best name similarity."""
    ek = [name_key(str(e["name"])) for e in expected]
    fk = [name_key(str(f["name"])) for f in found]
    cands = sorted(
        ((_similarity(a, b), i, j) for i, a in enumerate(ek) for j, b in enumerate(fk)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    out: dict[int, int] = {}
    used: set[int] = set()
    for sim, i, j in cands:
        if sim < MATCH_AT:
            break
        if i in out or j in used:
            continue
        out[i] = j
        used.add(j)
    return out


def _found_fields(f: Mapping[str, Any]) -> int:
    return (
        1
        + (1 if f.get("unit") else 0)
        + (1 if f.get("baseline") else 0)
        + len(f.get("targets") or [])
        + (1 if f.get("attribute") else 0)
    )


def _expected_fields(e: Mapping[str, Any]) -> int:
    return (
        1
        + (1 if e.get("unit") else 0)
        + (1 if e.get("baseline") else 0)
        + len(e.get("targets") or [])
        + (1 if e.get("attribute") else 0)
    )


def _same_value(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    except (TypeError, ValueError):
        return False


def _score_indicator(e: Mapping[str, Any], f: Mapping[str, Any], sc: DocumentScore) -> int:
    """Right fields of found ``f`` for expected ``e``; misses and extras noted."""
    label = str(e["name"])
    right = 0
    if _similarity(name_key(label), name_key(str(f["name"]))) >= NAME_AT:
        right += 1
    else:
        sc.misses.append(f"{label}: name read as “{f['name']}”")
    if f.get("unit") or e.get("unit"):
        if f.get("unit") and e.get("unit") and unit_key(f["unit"]) == unit_key(e["unit"]):
            right += 1
        elif e.get("unit"):
            sc.misses.append(f"{label}: unit {e['unit']!r}, found {f.get('unit')!r}")
        else:
            sc.extras.append(f"{label}: unit {f.get('unit')!r} not printed")
    eb, fb = e.get("baseline"), f.get("baseline")
    if eb or fb:
        if eb and fb and int(eb["year"]) == int(fb["year"]) and _same_value(eb["value"], fb["value"]):
            right += 1
        elif eb:
            sc.misses.append(f"{label}: baseline {eb['year']} {eb['value']}, found {fb}")
        else:
            sc.extras.append(f"{label}: baseline {fb} not printed")
    want = [(int(t["year"]), target_key(str(t["expr"]))) for t in e.get("targets") or []]
    got = [(int(t["year"]), target_key(str(t["expr"]))) for t in f.get("targets") or []]
    remaining = list(got)
    for w in want:
        if w in remaining:
            remaining.remove(w)
            right += 1
        else:
            sc.misses.append(f"{label}: target {w[0]} {w[1]}, found {got}")
    for g in remaining:
        sc.extras.append(f"{label}: target {g[0]} {g[1]} not expected")
    ea, fa = e.get("attribute"), f.get("attribute")
    if ea or fa:
        if ea and fa == ea:
            right += 1
        elif ea:
            sc.misses.append(f"{label}: attribute {ea}, found {fa}")
        else:
            sc.extras.append(f"{label}: attribute {fa} not printed")
    return right


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", _nfkc(_simplified(s)))


def score(
    slug: str, expected: Mapping[str, Any], found: Mapping[str, Any] | None, error: str | None = None
) -> DocumentScore:
    """Score one document: ``found`` from :func:`found_from_result`, None if the extractor failed."""
    sc = DocumentScore(slug, error=error)
    exp_inds = list(expected.get("indicators") or [])
    found_inds = list((found or {}).get("indicators") or [])
    pairs = _pairs(exp_inds, found_inds)
    counts = sc.indicators
    counts.expected = sum(_expected_fields(e) for e in exp_inds)
    counts.found = sum(_found_fields(f) for f in found_inds)
    for i, e in enumerate(exp_inds):
        j = pairs.get(i)
        if j is None:
            sc.misses.append(f"{e['name']}: not found")
            continue
        counts.right += _score_indicator(e, found_inds[j], sc)
    matched = set(pairs.values())
    for j, f in enumerate(found_inds):
        if j not in matched:
            sc.extras.append(f"{f['name']}: not an indicator of the document")
    tasks = [(t.get("due"), _squash(str(t.get("text") or ""))) for t in (found or {}).get("tasks") or []]
    exp_c = list(expected.get("commitments") or [])
    cc = sc.commitments
    cc.expected = len(exp_c)
    for c in exp_c:
        want = _squash(str(c["contains"]))
        due = str(c["due"])
        holders = [d for d, text in tasks if want in text]
        if holders:
            cc.found += 1
        if due in holders:
            cc.right += 1
        else:
            sc.misses.append(f"commitment {due} “{c['contains']}”: found due {holders or 'no clause'}")
    return sc


def total(scores: Iterable[DocumentScore]) -> tuple[Counts, Counts]:
    """Indicator and commitment counts summed over documents (micro average)."""
    ind, com = Counts(), Counts()
    for s in scores:
        ind.add(s.indicators)
        com.add(s.commitments)
    return ind, com

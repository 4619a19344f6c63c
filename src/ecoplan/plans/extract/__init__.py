"""Plan documents → a reviewable plan: indicators, targets, dated commitments, projects.

Rule-based, offline. :func:`extract_plan` loads a document (UTF-8 or GB18030 text,
Markdown, HTML, .docx, text-layer PDF — :mod:`.document`), finds its indicator
table(s) (:mod:`.tables`; prose targets when there is no table, :mod:`.prose`), its
dated commitments (:mod:`.commitments`) and its 专栏 lists (:mod:`.projects`), and
builds a plan that goes through the same validation as a hand-written one
(:func:`ecoplan.plans.serialize.plan_from_mapping`). Every extracted field keeps
its source span (character offsets into the decoded text, and the quote) and a
confidence, for review (:mod:`.report`) before ``ecoplan plans import``.

Extraction is linear in the document's size (every finder makes a bounded
number of passes over the text; lookups between them are bisections), and a
document over ``max_bytes`` (default 20 MB) is refused before it is read.
``progress`` is told each stage (:data:`STAGES`) as it starts, for a caller
that shows progress on long documents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ecoplan.core.errors import EcoplanError
from ecoplan.core.regions import bundled_regions
from ecoplan.core.words import word
from ecoplan.plans.extract.document import DEFAULT_MAX_BYTES
from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.model import Plan
from ecoplan.plans.serialize import plan_from_mapping, plan_json, plan_to_mapping
from ecoplan.plans.targets import Op, parse_target

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STAGES",
    "Document",
    "ExtractResult",
    "Progress",
    "Span",
    "extract_plan",
    "extract_text",
]

#: The stages of an extraction, in order, as :data:`Progress` callbacks are told
#: them (``prose`` only for a document without an indicator table).
STAGES = ("load", "tables", "prose", "commitments", "projects", "plan")
#: Told the name of each stage as it starts.
Progress = Callable[[str], None]

_PERIODS = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
_NATIONAL_ISSUERS = ("国务院", "生态环境部", "环境保护部", "国家发展改革委")
_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
_LOWER_WORDS = (
    "下降",
    "减少",
    "降低",
    "劣Ⅴ类",
    "劣V类",
    "劣于",
    "丧失使用功能",
    "黑臭",
    "重度及以上",
    "极差",
    "排放总量",
    "PM2.5",
    "PM10",
    "细颗粒物",
    "可吸入颗粒物",
    "能耗",
    "消耗",
    "单位地区生产总值",
    "单位国内生产总值",
    "用水量",
    "二氧化碳排放",
)


@dataclass
class ExtractResult:
    """What was found in one document, and the plan built from it."""

    document: Document
    plan: Plan
    indicators: list[Any]  # tables.ExtractedIndicator (spans, confidence, raw cells)
    commitments: list[Any]  # commitments.Commitment
    projects: list[Any]  # projects.ProjectList
    source: str  # "table" or "prose"
    warnings: list[str] = field(default_factory=list)
    #: Target-like text that was not read: prose.ProseNotUnderstood (a clause of a target
    #: sentence) and tables.NotUnderstood (a cell of the indicator table used), in that order.
    not_understood: list[Any] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``plans show --format json`` schema plus spans, tasks and projects."""
        out = plan_json(self.plan)
        for d, ex in zip(out["indicators"], self.indicators, strict=True):
            span = {"start": ex.span.start, "end": ex.span.end, "quote": ex.span.quote}
            d["source"] = {**d["source"], **span}
            d["confidence"] = ex.confidence
            d["cells"] = list(ex.cells)
            for t in d["targets"]:
                t["source"] = span
        out["tasks"] = [
            {
                "id": c.id,
                "text": c.text,
                "due_date": c.due_date,
                "start_date": c.start_date,
                "recurrence": c.recurrence,
                "quantity": c.quantity,
                "responsible": c.responsible,
                "confidence": c.confidence,
                "source": c.span.to_dict(),
            }
            for c in self.commitments
        ]
        out["projects"] = [
            {
                "id": p.id,
                "title": p.title,
                "stated_total": p.stated_total,
                "counted": p.counted,
                "consistent": p.consistent,
                "items": [
                    {"text": i.text, "quantity": i.quantity, "source": i.span.to_dict()} for i in p.items
                ],
                "source": p.span.to_dict(),
            }
            for p in self.projects
        ]
        out["extraction"] = {
            "file": self.document.path,
            "kind": self.document.kind,
            "encoding": self.document.encoding,
            "indicators_from": self.source,
            "counts": {
                "indicators": len(self.indicators),
                "tasks": len(self.commitments),
                "projects": len(self.projects),
            },
            "warnings": list(self.warnings),
        }
        if self.not_understood:  # only when there is something (the key is absent otherwise)
            out["extraction"]["not_understood"] = [_unread_dict(x) for x in self.not_understood]
        return out

    def to_mapping(self) -> dict[str, Any]:
        """The plan YAML mapping (``plans import`` reads it back)."""
        return plan_to_mapping(self.plan)


def _unread_dict(x: Any) -> dict[str, Any]:
    """``{start, end, quote, reason}`` of a clause or table cell that was not understood."""
    if hasattr(x, "to_dict"):
        return dict(x.to_dict())
    reason = word("extract.prose.reason.table_cell", "en", row=x.row)
    return {**x.span.to_dict(), "reason": reason}


def _title(head: str, fallback: str) -> str:
    """The plan's title: the X of "关于印发X的通知", else an opening line naming a plan
    or opinion, else 《…规划…》, else ``fallback``."""
    m = re.search(r"关于印发(.{2,60}?)的通知", head)
    if m:
        return re.sub(r"\s+", "", m.group(1)).strip("《》")
    lines = [ln.strip().lstrip("#").strip() for ln in head.splitlines() if ln.strip()][:10]
    for t in lines:
        plain = "http" not in t and "，" not in t and "。" not in t
        if 6 <= len(t) <= 80 and plain and any(w in t for w in ("规划", "意见", "方案", "纲要")):
            return re.sub(r"\s+", "", t)
    for m in re.finditer(r"《([^》\n]{2,60})》", head):
        if "规划" in m.group(1):
            return re.sub(r"\s+", "", m.group(1))
    return fallback


def _period(title: str, text: str) -> tuple[int | None, int | None]:
    for key, span in _PERIODS.items():
        if key in title:
            return span
    counts = Counter(k for k in _PERIODS for _ in re.finditer(k, text[:20000]))
    if counts:
        return _PERIODS[counts.most_common(1)[0][0]]
    years = [int(y) for y in re.findall(r"(20[1-4]\d)年", text[:20000])]
    if years:
        end = Counter(years).most_common(1)[0][0]
        return end - 4, end
    return None, None


def _metadata(doc: Document) -> dict[str, Any]:
    head = doc.text[:3000]
    title = _title(head, Path(doc.path).stem)
    start, end = _period(title, doc.text)
    region, level = "000000", "national"
    regions = bundled_regions()
    best: tuple[int, str, str] | None = None
    for code, r in regions.items():
        if r.level not in ("province", "prefecture") or len(r.name_zh) < 3:
            continue
        pos = title.find(r.name_zh)
        if pos < 0:
            if any(n in head[:300] for n in _NATIONAL_ISSUERS):
                continue  # a national document names provinces in its body, not as its issuer
            pos = head.find(r.name_zh)
            if pos < 0:
                continue
            pos += 1000  # the title wins over the body
        rank = (pos, "0" if r.level == "prefecture" else "1", code)
        if best is None or rank < best:
            best = rank
    if best is not None:
        region = best[2]
        level = "city" if regions[region].level == "prefecture" else "provincial"
    issuer = None
    mi = re.search(r"([\u4e00-\u9fff]{0,20}?(?:国务院|人民政府|办公厅|部|委员会|局))关于", head[:1500])
    if mi:
        issuer = mi.group(1)
    docno = None
    m = _DOCNO.search(head)
    if m:
        docno = re.sub(r"^.*?(通知|意见|决定|批复|函)", "", m.group(0)) or m.group(0)
    return {
        "title": title,
        "start": start,
        "end": end,
        "region": region,
        "level": level,
        "document_number": docno,
        "issuer": issuer,
    }


def _direction(name: str, targets: list[tuple[int, str]]) -> str:
    for _, expr in targets:
        try:
            t = parse_target(expr)
        except EcoplanError:
            continue
        if t.op in (Op.LE, Op.LT, Op.TABLE_LT):
            return "lower"
        if t.op in (Op.GE, Op.GT, Op.TABLE_GT):
            return "higher"
    return "lower" if any(w in name for w in _LOWER_WORDS) else "higher"


def _within(found: list[Any], end: int) -> list[Any]:
    """The prose targets of the plan's period: an outlook (展望2035年) states none of its targets."""
    out = []
    for ex in found:
        targets = [(y, e) for y, e in ex.targets if y <= end]
        if targets:
            out.append(ex if targets == list(ex.targets) else replace(ex, targets=targets))
    return out


def _own_region_dropped(found: list[Any], region: str) -> list[Any]:
    """ "河南省优良天数比率" in Henan's plan is its 优良天数比率: the plan's own region opening a
    prose name (and a 全省/全市 after it) is dropped; another region's name stays."""
    r = bundled_regions().get(region)
    if r is None or region == "000000":
        return found
    full = r.name_zh
    short = re.sub(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", full)
    lead = re.compile(rf"^(?:{re.escape(full)}|{re.escape(short)})(?:全省|全市|全区)?(?=.{{2}})")
    return [replace(ex, name_zh=lead.sub("", ex.name_zh)) if lead.match(ex.name_zh) else ex for ex in found]


def _quiet(stage: str) -> None:
    """No progress wanted."""


def extract_text(doc: Document, *, progress: Progress | None = None, **overrides: Any) -> ExtractResult:
    """:func:`extract_plan` on an already loaded document."""
    tell = progress or _quiet
    from ecoplan.plans.extract.commitments import extract_commitments
    from ecoplan.plans.extract.projects import extract_projects
    from ecoplan.plans.extract.prose import read_prose_targets
    from ecoplan.plans.extract.tables import extract_tables

    meta = _metadata(doc)
    meta.update({k: v for k, v in overrides.items() if v is not None})
    if meta["start"] is None:
        raise EcoplanError(
            f"{doc.path}: no plan period found (十三五, 十四五 … or target years); give --period"
        )
    base_year = int(meta["start"]) - 1
    warnings: list[str] = list(doc.notes)  # what the clean-up of the text changed
    unread: list[Any] = []
    tell("tables")
    tables = extract_tables(doc)
    source = "table"
    if tables:
        table = max(tables, key=lambda t: len(t.indicators))
        found = list(table.indicators)
        unread.extend(getattr(table, "not_understood", ()))
        if len(tables) > 1:
            warnings.append(f"{len(tables)} indicator tables found; used “{table.title}” ({len(found)} rows)")
    else:
        tell("prose")
        prose = read_prose_targets(doc, base_year=base_year, end_year=int(meta["end"]))
        found = _within(prose.indicators, int(meta["end"]))
        found = _own_region_dropped(found, str(meta["region"]))
        unread.extend(prose.not_understood)
        source = "prose"
        if found:
            warnings.append("no indicator table found: targets recovered from the running text")
    warnings.extend(x.message("en") for x in unread)
    if not found:
        raise EcoplanError(
            f"{doc.path}: no indicator table and no targets stated in the text were recognised; "
            "nothing to import"
        )
    fname = Path(doc.path).name
    indicators = []
    no_attr = [f"i{i:02d}" for i, ex in enumerate(found, start=1) if ex.attribute is None]
    if no_attr:
        warnings.append(
            f"{len(no_attr)} indicator(s) without 约束性/预期性, set to expected: {', '.join(no_attr)}"
        )
    for i, ex in enumerate(found, start=1):
        attribute = ex.attribute or "expected"
        by, bv = ex.baseline if ex.baseline is not None else (base_year, None)
        indicators.append(
            {
                "id": f"i{i:02d}",
                "category": {"zh": ex.category_zh or "未分类", "en": ""},
                "name": {"zh": ex.name_zh, "en": ""},
                "unit": ex.unit or "1",  # dimensionless (an index), as the built-in plans write it
                "direction": _direction(ex.name_zh, list(ex.targets)),
                "attribute": attribute,
                "baseline": {"year": by, "value": bv},
                "targets": [
                    {"year": y, "expr": e, **({"stretch": ex.stretch[y]} if y in ex.stretch else {})}
                    for y, e in ex.targets
                ],
                "footnotes": list(ex.footnotes),
                "source": {"file": fname, "quote": ex.span.quote},
            }
        )
    tell("commitments")
    commitments = extract_commitments(doc, not_before=int(meta["start"]))
    tasks = [
        {
            "id": c.id,
            "text": {"zh": c.text},
            "due": c.due_date,
            "responsible": [c.responsible] if c.responsible else [],
            "source": {"file": fname, "quote": c.span.quote},
        }
        for c in commitments
    ]
    tell("projects")
    projects = extract_projects(doc)
    tell("plan")
    region = str(meta["region"])
    slug = re.sub(r"[^a-z0-9]+", "-", Path(doc.path).stem.lower()).strip("-")
    default_id = f"ext-{slug}"[:64] if slug else f"extracted-{region}-{meta['start']}-{meta['end']}"
    plan_id = str(meta.get("id") or default_id)
    mapping = {
        "id": plan_id,
        "title": {"zh": meta["title"], "en": ""},
        "issuer": {"zh": meta.get("issuer") or "", "en": ""},
        "document_number": meta["document_number"],
        "level": meta["level"],
        "region": region,
        "period": {"start": int(meta["start"]), "end": int(meta["end"])},
        "base_year": base_year,
        "source": {"file": fname, "note": "extracted by ecoplan plans extract; review before import"},
        "indicators": indicators,
        "tasks": tasks,
    }
    plan = plan_from_mapping(mapping, file=doc.path)
    return ExtractResult(doc, plan, found, commitments, projects, source, warnings, unread)


def extract_plan(
    path: str | Path,
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    **overrides: Any,
) -> ExtractResult:
    """Read a plan document and build a reviewable plan from it.

    ``max_bytes``: the largest file read (default 20 MB, ``None`` for no
    limit); a larger one is refused before it is read. ``progress``: told each
    stage's name (:data:`STAGES`) as it starts. ``overrides``: ``id``,
    ``region``, ``level``, ``start``, ``end``, ``title``, ``issuer`` when the
    document does not say (or says it differently).

    Raises
    ------
    InputFileError
        Empty, binary or undecodable files; a PDF without a text layer.
    EcoplanError
        A document with no recognisable indicator table or targets; a file
        over ``max_bytes`` (key ``extract.too_large``).
    """
    from ecoplan.plans.extract.document import load_document

    if progress is not None:
        progress("load")
    return extract_text(load_document(path, max_bytes=max_bytes), progress=progress, **overrides)

"""A self-contained HTML review page for an extraction (``plans extract --report``).

The document is shown with every extracted span highlighted (indicators yellow,
dated commitments blue, 专栏 lists green) and linked from the tables of what was
found, so a reviewer can check each field against its source before importing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from ecoplan.core.templating import render

if TYPE_CHECKING:
    from ecoplan.plans.extract import ExtractResult

__all__ = ["render_report"]

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;display:flex;height:100vh}
#found{width:46%;overflow:auto;padding:1em;border-right:1px solid #ccc}
#doc{width:54%;overflow:auto;padding:1em;white-space:pre-wrap;line-height:1.6}
table{border-collapse:collapse;font-size:13px;margin-bottom:1.5em}
td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top}
th{background:#f4f4f4}
mark.ind{background:#fff3a0}mark.task{background:#cfe6ff}mark.proj{background:#d4f5d0}
mark:target{outline:3px solid #e4572e}
.low{color:#b00}.warn{color:#a60}
"""


def render_report(result: ExtractResult, lang: str = "zh") -> str:
    """The review page as one HTML string (no external resources; template ``review.html``)."""
    zh = lang == "zh"
    text = result.document.text
    marks: list[tuple[int, int, str, str]] = []
    for i, ex in enumerate(result.indicators):
        marks.append((ex.span.start, ex.span.end, "ind", f"ind-{i}"))
    for p in result.projects:
        # only the box's heading: its rows hold indicators and commitments, marked on their own
        at = text.find(p.title, p.span.start, p.span.end)
        start = at if at >= 0 else p.span.start
        marks.append((start, min(start + max(len(p.title), 4), p.span.end), "proj", f"proj-{p.id}"))
    for c in result.commitments:
        marks.append((c.span.start, c.span.end, "task", f"task-{c.id}"))
    marks.sort(key=lambda m: (m[0], -m[1]))
    segments: list[tuple[str, str | None, str | None]] = []
    pos = 0
    for start, end, cls, anchor in marks:
        if start < pos:  # overlaps an earlier highlight: listed in the tables, not marked twice
            continue
        segments.append((text[pos:start], None, None))
        segments.append((text[start:end], cls, anchor))
        pos = end
    segments.append((text[pos:], None, None))

    plan = result.plan
    indicators = [
        {
            "id": ind.id,
            "category": ind.category.zh,
            "name": ind.name.zh,
            "unit": ind.unit,
            "baseline": ": ".join(
                "" if x is None else str(x) for x in (ind.baseline.year, ind.baseline.value)
            ),
            "targets": "; ".join(f"{t.year}: {t.target.text or t.target.canonical()}" for t in ind.targets),
            "attribute": ind.attribute.value,
            "footnotes": "; ".join(ind.footnotes),
            "confidence": f"{ex.confidence:.2f}",
            "low": ex.confidence < 0.7,
        }
        for ind, ex in zip(plan.indicators, result.indicators, strict=True)
    ]
    t = {
        "title": "规划文本提取结果（待审核）" if zh else "Plan extraction (for review)",
        "ind": "指标" if zh else "Indicators",
        "task": "有时限的任务" if zh else "Dated commitments",
        "proj": "专栏清单" if zh else "Lists in boxes (专栏)",
        "hint": "点击编号定位原文；黄色=指标，蓝色=任务，绿色=专栏。审核后用 ecoplan plans import 导入。"
        if zh
        else "Click an id to jump to its source; yellow = indicators, blue = commitments, green = boxes. "
        "Review, then import with ecoplan plans import.",
    }
    return (
        render(
            "ecoplan.plans.extract",
            "review.html",
            zh=zh,
            t=t,
            css=Markup(_CSS),
            plan=plan,
            path=result.document.path,
            doc_kind=f"{result.document.kind}, {result.document.encoding}",
            warnings=result.warnings,
            indicators=indicators,
            commitments=result.commitments,
            projects=result.projects,
            segments=segments,
        )
        + "\n"
    )

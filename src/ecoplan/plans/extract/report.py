"""A self-contained HTML review page for an extraction (``plans extract --report``).

The document is shown with every extracted span highlighted (indicators yellow,
dated commitments blue, 专栏 lists green) and linked from the tables of what was
found, so a reviewer can check each field against its source before importing.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

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


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def render_report(result: ExtractResult, lang: str = "zh") -> str:
    """The review page as one HTML string (no external resources)."""
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
    body: list[str] = []
    pos = 0
    for start, end, cls, anchor in marks:
        if start < pos:  # overlaps an earlier highlight: listed in the tables, not marked twice
            continue
        body.append(_e(text[pos:start]))
        body.append(f'<mark class="{cls}" id="{anchor}">{_e(text[start:end])}</mark>')
        pos = end
    body.append(_e(text[pos:]))

    plan = result.plan
    rows = []
    for i, (ind, ex) in enumerate(zip(plan.indicators, result.indicators, strict=True)):
        targets = "; ".join(f"{t.year}: {t.target.text or t.target.canonical()}" for t in ind.targets)
        low = ' class="low"' if ex.confidence < 0.7 else ""
        rows.append(
            f"<tr><td><a href='#ind-{i}'>{_e(ind.id)}</a></td><td>{_e(ind.category.zh)}</td>"
            f"<td>{_e(ind.name.zh)}</td><td>{_e(ind.unit)}</td>"
            f"<td>{_e(ind.baseline.year)}: {_e(ind.baseline.value)}</td><td>{_e(targets)}</td>"
            f"<td>{_e(ind.attribute.value)}</td><td>{_e('; '.join(ind.footnotes))}</td>"
            f"<td{low}>{ex.confidence:.2f}</td></tr>"
        )
    tasks = [
        f"<tr><td><a href='#task-{_e(c.id)}'>{_e(c.id)}</a></td><td>{_e(c.due_date or c.start_date)}</td>"
        f"<td>{_e(c.recurrence)}</td><td>{_e(c.quantity)}</td><td>{_e(c.responsible)}</td>"
        f"<td>{_e(c.text)}</td></tr>"
        for c in result.commitments
    ]
    projects = [
        f"<tr><td><a href='#proj-{_e(p.id)}'>{_e(p.title)}</a></td><td>{len(p.items)}</td>"
        f"<td>{_e(p.stated_total)}</td><td>{_e(p.counted)}</td>"
        f"<td>{'' if p.consistent is None else ('✓' if p.consistent else '✗')}</td></tr>"
        for p in result.projects
    ]
    warn = "".join(f"<li class='warn'>{_e(w)}</li>" for w in result.warnings)
    doc_kind = f"{result.document.kind}, {result.document.encoding}"
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
    return f"""<!doctype html>
<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">
<title>{_e(t["title"])} — {_e(plan.title.zh)}</title><style>{_CSS}</style></head>
<body><section id="found">
<h1>{_e(t["title"])}</h1>
<p><b>{_e(plan.title.zh)}</b> · {_e(plan.id)} · {_e(plan.level.value)} {_e(plan.region)} ·
{plan.start}–{plan.end} · {_e(result.document.path)} ({_e(doc_kind)})</p>
<p>{_e(t["hint"])}</p><ul>{warn}</ul>
<h2>{_e(t["ind"])} ({len(rows)})</h2>
<table><tr><th>id</th><th>类别</th><th>指标</th><th>单位</th><th>基期</th><th>目标</th><th>属性</th><th>注</th>
<th>conf.</th></tr>{"".join(rows)}</table>
<h2>{_e(t["task"])} ({len(tasks)})</h2>
<table><tr><th>id</th><th>due</th><th>recurrence</th><th>quantity</th><th>responsible</th><th>text</th></tr>
{"".join(tasks)}</table>
<h2>{_e(t["proj"])} ({len(projects)})</h2>
<table><tr><th>专栏</th><th>items</th><th>stated</th><th>counted</th><th>ok</th></tr>{"".join(projects)}</table>
</section><section id="doc">{"".join(body)}</section></body></html>
"""

"""Turning a row's placed cells into an :class:`ExtractedIndicator`; footnote marks in names.

Shared by both parsers. The baseline cell is the baseline unless its note gives
another unit (``单位为万吨`` in a ``%`` row); a note reading ``为2013年数据``
moves the baseline year; the last year's target takes the ``〔累计〕`` value
(``23.04`` + ``〔1.38〕`` → ``23.04〔1.38〕``) and the header's cumulative note; a
target the grammar rejects is dropped and lowers the confidence. Footnote
digits glued to names (``地级及以上城市2``) are removed and returned with the
phrase they mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecoplan.core.words import word
from ecoplan.plans.extract.spans import Span
from ecoplan.plans.extract.tables.cells import _Cell
from ecoplan.plans.extract.tables.model import ExtractedIndicator, NotUnderstood
from ecoplan.plans.extract.tables.target_cells import _valid_target, as_cumulative_change
from ecoplan.plans.extract.tables.text import _CJK, _nfkc, _norm_unit

_NAME_FN = re.compile(rf"(?<=[{_CJK}）)\]】])([1-9][0-9]?)(?=[{_CJK}（(]|$)")
_YEAR_NOTE = re.compile(r"^(?:为|系|是)?((?:19|20)\d{2})\s*年(?:的)?(?:数据|数值|值)")
# a '*' note naming the year of the starred values: "带*的为2024年数据", "*为2019年数据"
_STAR_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:的)?(?:数据|数值|值)")
_CUMULATIVE = re.compile(r"[〔\[【]\s*\d+(?:\.\d+)?\s*%?\s*[〕\]】]")
_UNIT_NOTE = re.compile(r"单位(?:为|是|[：:])\s*([^\s，。；,;]+)")


@dataclass
class _RowBuild:
    """What both parsers know about a row before it becomes an ExtractedIndicator."""

    name: str
    unit: str
    category: str | None
    attribute: str | None
    slots: list[_Cell | None]
    fns: set[int] = field(default_factory=set)
    start: int = 0
    end: int = 0
    cells: list[str] = field(default_factory=list)
    confidence: float = 1.0
    #: Where each slot's cell is (grids); None: the row's span stands for every cell (streams).
    cell_spans: list[Span] | None = None


def _build(
    text: str, row: _RowBuild, years: list[int], has_cum: bool, cum_fn: int | None, notes: dict[int, str]
) -> ExtractedIndicator:
    ny = len(years)
    fns = set(row.fns)
    base_cell = row.slots[0]
    baseline: tuple[int, float] | None = None
    conf = row.confidence
    unread: list[NotUnderstood] = []
    footnotes: list[str] = []

    def where(j: int) -> Span:
        if row.cell_spans is not None and j < len(row.cell_spans):
            return row.cell_spans[j]
        return Span.of(text, row.start, row.end)

    cumulative: str | None = None
    if base_cell is not None and base_cell.kind in ("cum", "text"):
        if _CUMULATIVE.fullmatch(_nfkc(base_cell.expr or base_cell.raw)):
            cumulative = base_cell.expr or base_cell.raw  # the previous period's achievement, not a level
            footnotes.append(word("extract.table.cumulative_baseline", "zh", value=cumulative, year=years[0]))
        else:
            unread.append(NotUnderstood(base_cell.raw, row.name, where(0)))
            conf -= 0.2
    if base_cell is not None and base_cell.kind == "num" and base_cell.value is not None:
        year = years[0]
        value: float | None = base_cell.value
        for note_key in ([base_cell.fn] if base_cell.fn else []) + ([0] if base_cell.star else []):
            note = notes.get(note_key)
            if note is None:
                continue
            fns.add(note_key)
            body = note.lstrip("*＊ ")
            ym = _YEAR_NOTE.match(body) if note_key else _STAR_YEAR.search(body)
            if ym:
                year = int(ym.group(1))
            um = _UNIT_NOTE.search(body)
            if um and _norm_unit(um.group(1)) != row.unit:
                value = None
        if value is not None:
            baseline = (year, value)
    targets: list[tuple[int, str]] = []
    for j in range(1, ny):
        cell = row.slots[j]
        expr = cell.expr if cell is not None and cell.kind in ("num", "text", "cum") else ""
        if cell is not None and (cell.fn or cell.star):
            fns.update(k for k in ([cell.fn] if cell.fn else []) + ([0] if cell.star else []) if k in notes)
        if j == ny - 1 and has_cum:
            cum = row.slots[ny]
            if cum is not None and cum.kind == "cum":
                expr = (expr if cell is not None and cell.kind == "num" else "") + cum.expr
                if cum_fn is not None and cum_fn in notes:
                    fns.add(cum_fn)
        if not expr:
            continue
        expr = as_cumulative_change(row.name, row.unit, expr)
        if _valid_target(expr):
            targets.append((years[j], expr))
        else:
            unread.append(NotUnderstood(expr, row.name, where(j)))
            conf -= 0.2
    return ExtractedIndicator(
        name_zh=row.name,
        unit=row.unit,
        category_zh=row.category,
        attribute=row.attribute,
        baseline=baseline,
        targets=targets,
        footnotes=[notes[k] for k in sorted(fns) if k in notes] + footnotes,
        span=Span.of(text, row.start, row.end),
        confidence=max(0.0, round(conf, 2)),
        cells=row.cells,
        baseline_cumulative=cumulative,
        not_understood=unread,
    )


def _name_markers(name: str, notes: dict[int, str]) -> tuple[str, list[tuple[int, str]]]:
    """Strip footnote digits glued into a name; return them with the phrase they mark."""
    marks: list[tuple[int, str]] = []
    out = name
    while True:
        hit = next((m for m in _NAME_FN.finditer(out) if int(m.group(1)) in notes), None)
        if hit is None:
            break
        marks.append((int(hit.group(1)), out[: hit.start()]))
        out = out[: hit.start()] + out[hit.end() :]
    if not notes:  # a copy without the table's notes still marks them in names (城市2空气质量)
        out = _NAME_FN.sub("", out)
    if out.endswith(("*", "＊")) and 0 in notes:
        marks.append((0, out[:-1]))
        out = out[:-1]
    return out, marks


def _group_item_name(title: str, item: str) -> str:
    """A sub-row's name under its group heading: 氨氮 under 主要污染物排放总量减少 -> 氨氮排放总量减少."""
    if item in title:
        return title
    if "污染物" in title:
        return item + title.split("污染物", 1)[1]
    return title + item

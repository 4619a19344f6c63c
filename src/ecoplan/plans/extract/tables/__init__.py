r"""Indicator tables in plan text: find them whatever the layout, split the cells.

Plans print their indicator table (专栏1, 表1, 附件) in many shapes once
converted to text:

* **flattened** — the whole table on one line, cells glued together
  (``…比率（%）76.7＞80-约束性细颗粒物…``);
* **one cell per line** — the same cells, each on its own line;
* **grid** — tab-separated or Markdown ``|`` rows with explicit (possibly
  empty) cells.

Both the flattened and the one-cell-per-line layouts are read by one *stream*
parser that ignores line breaks and spacing (whitespace only separates cells);
grids are read row by row.

Reading rules
-------------
* The header row (``指标 2015年 2020年 〔累计〕1 属性``) gives the column years;
  the first year is the baseline column, the later ones milestones/targets; a
  ``〔累计〕`` column holds the five-year cumulative value and is merged into the
  last year's target (``23.04`` + ``〔1.38〕`` → ``23.04〔1.38〕``).
* A name ends at its unit in parentheses (``（%）``, ``(μg/m³)``); text before a
  numbered item (``生态环境质量1.空气质量…``) is a category heading carried
  down to the following rows; a numbered heading with a unit followed by
  sub-items (``5.主要污染物排放总量减少（%）化学需氧量…氨氮…``) is a group whose
  sub-items are named after it (``氨氮排放总量减少``) and share its unit.
* Glued cells (``70.570左右``, ``151165〔14〕``, ``5456``) are split by scoring
  every reading: numbers have at most two decimals and no padding zeros,
  percentages stay within 0–100, baseline and target are of similar size, and
  ``target − baseline = 〔cumulative〕`` when all three are printed.
* Footnote digits glued to names (``地级及以上城市2``) are removed and the
  note attached; the note also applies to later rows of the same sub-heading
  that repeat the marked phrase (``地表水质量3…`` / ``地表水质量劣Ⅴ类…``).
  A note that no name or header refers to must be glued to a number between
  the neighbouring notes' rows (``15.74`` = 15.7 with note 4); a note reading
  ``为2013年数据`` moves the baseline year. The ``〔累计〕`` header note goes to
  every row with a cumulative value. A ``*`` note is keyed ``0`` in
  :attr:`ExtractedTable.notes`; a value whose note gives another unit
  (``单位为万吨`` in a ``%`` row) is not a baseline of the indicator.
* ``-``/``--``/``—`` and empty cells mean no value; a missing attribute is
  inherited from the previous row of the same group (merged cell); in grids an
  empty target cell right of an inherited target (``控制在省下达的指标内``), or a
  row with all target cells empty, takes the merged cell's value.
* A plain-number target of a ``…减少/下降/降低（%）`` indicator is a change since
  the base year and is written as a cumulative target (``12`` → ``〔12〕``).

Layouts and notations of reprinted and recent plans (issue 13)
-------------------------------------------------------------
* Category and 序号 columns before the name (``类别 序号 指标 2025年 2030年 属性``):
  a merged category cell left empty is carried down; in a grid, a row that *left
  out* its empty merged cells (``| 2 | 地级… | 87.2 | 88 | 约束性 |``, one cell
  fewer) is placed by the header's columns, and so is a row cut by the text's end;
  in a stream the 序号 separates the category from the name, and a category on a
  line of its own (or a known category name on a flattened line) is split off.
* A numbered row without values (``1 | 主要污染物排放总量减少（%）|  |  |``) heads
  its sub-rows (``化学需氧量`` → ``化学需氧量排放总量减少``, the heading's unit and
  merged attribute); labels ``16.`` ``（3）`` ``①`` are stripped from names;
  ``（PM2.5）`` inside a name is a symbol, not the unit; ``指标性质`` is the attribute
  column; a 单位 column is read in every layout (``—`` for none); year columns may be
  written ``现状值（2020年）``; ``稳定在73以上``/``低于1.3`` are one value cell, and a
  glued ``——`` may be two cells' placeholders.
* A plain number where the plan printed ``＜27`` (the sign lost in a copy) stays the
  level target ``27``; for a lower-is-better indicator the assessment reads it as
  "at most 27" — no sign is guessed.
* ``*`` on a value: the ``*`` note (``注：*为2019年数据``, ``带*的为2024年数据``, also as
  a numbered note) gives the baseline year; the note is kept as a footnote.
* ``〔x〕`` in the baseline column is the previous period's cumulative achievement,
  not a level: ``baseline`` stays None, ``baseline_cumulative`` keeps ``〔x〕`` and a
  footnote says so (``extract.table.cumulative_baseline``); ``〔16〕左右`` is one cell.
* Cells are read on :func:`.cellnorm.mask_cells` of the text: ``87。5``/``0，6`` are
  87.5/0.6, anti-scraping ASCII glued to a cell (``87.5xK3p``, ``约束性Qz9``) is
  blanked, real symbols and units (PM2.5, SO2, NOx, VOCs, GDP, mg/L, km²) are kept;
  the text keeps its length, so spans quote the document as printed. Bars scattered
  through a flattened table (``| 76。7``) separate cells like spaces.
* Nothing is dropped silently: a cell the reader cannot read (a target the grammar
  rejects, text in the baseline column, a value in the name column, a row whose
  values fit no reading) is a :class:`NotUnderstood` (cell, row, span) on its row
  and on the table; the raw cell stays in ``cells``.

Every target is checked against :func:`~ecoplan.plans.targets.parse_target`;
one the grammar rejects is dropped and lowers the row's confidence.

Modules
-------
:mod:`.model` (the result types), :mod:`.text` (cells, names, units),
:mod:`.cellnorm` (junk and full-width decimal points masked, number labels),
:mod:`.target_cells` (targets against the grammar), :mod:`.notes` (``注：``),
:mod:`.cells` (lexing a value chunk), :mod:`.segment` (splitting glued values),
:mod:`.header` (header row and title), :mod:`.rows` (cells to indicators),
:mod:`.stream` and :mod:`.grid` (the two parsers).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import replace

from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables.cellnorm import mask_cells
from ecoplan.plans.extract.tables.grid import _YEAR_CELL, _parse_grid, _split_grid
from ecoplan.plans.extract.tables.header import _HEADER
from ecoplan.plans.extract.tables.model import ExtractedIndicator, ExtractedTable, NotUnderstood
from ecoplan.plans.extract.tables.stream import _parse_stream
from ecoplan.plans.extract.tables.target_cells import as_cumulative_change
from ecoplan.plans.extract.tables.text import _squash

__all__ = ["ExtractedIndicator", "ExtractedTable", "NotUnderstood", "as_cumulative_change", "extract_tables"]


def extract_tables(doc: Document) -> list[ExtractedTable]:
    """Every indicator table of ``doc`` (a header row with column years and 属性).

    Returns
    -------
    list of ExtractedTable
        In document order; empty when the document has no indicator table.

    The tables are read on :func:`~.cellnorm.mask_cells` of the text (junk blanked,
    ``87。5`` read as ``87.5``, same length); their spans quote the document as printed.
    """
    masked = mask_cells(doc.text)
    if masked == doc.text:
        return _extract(doc)
    return [_requote(t, doc.text) for t in _extract(Document(masked, doc.path, doc.kind, doc.encoding))]


def _requote(table: ExtractedTable, text: str) -> ExtractedTable:
    """``table`` with every span quoting ``text`` (the original of the masked text it was read on)."""

    def q(s: Span) -> Span:
        return Span.of(text, s.start, s.end)

    def nu(items: list[NotUnderstood]) -> list[NotUnderstood]:
        return [replace(n, span=q(n.span)) for n in items]

    rows = [replace(i, span=q(i.span), not_understood=nu(i.not_understood)) for i in table.indicators]
    return replace(table, indicators=rows, span=q(table.span), not_understood=nu(table.not_understood))


def _extract(doc: Document) -> list[ExtractedTable]:
    text = doc.text
    found: list[tuple[int, ExtractedTable]] = []
    covered = _Covered()
    lines: list[tuple[int, str]] = []
    off = 0
    for ln in text.splitlines(keepends=True):
        lines.append((off, ln.rstrip("\r\n")))
        off += len(ln)
    for i, (off, line) in enumerate(lines):
        cells = _split_grid(line)
        if cells is None or covered.covers(off):
            continue
        years = [c for c in cells if _YEAR_CELL.match(_squash(c))]
        if len(years) >= 2 and any("属性" in c or "指标性质" in c for c in cells):
            grid = _parse_grid(doc, _nonblank_run(lines, i), 0)
            if grid is not None:
                found.append((off, grid))
                covered.add(grid.span.start, grid.span.end)
    covered = covered.again()  # the flattened tables are looked for from the start
    if "|" in text:  # cell bars scattered through a flattened table ("| 76.7\n| >80") separate like spaces
        text = text.replace("|", " ")
        doc = Document(text, doc.path, doc.kind, doc.encoding)
    for m in _HEADER.finditer(text):
        if covered.covers(m.start()):
            continue
        cols = m.group("cols")
        col_years = [int(y) for y in re.findall(r"((?:19|20)\d{2})[\s\u3000]*年", cols)]
        if len(col_years) < 2:
            continue
        cum = re.search(r"累[\s\u3000]*计[\s\u3000]*[〕\]】]([1-9])?", cols)
        cum_fn = int(cum.group(1)) if cum and cum.group(1) else None
        table = _parse_stream(doc, m, col_years, cum is not None, cum_fn)
        if table is not None:
            found.append((m.start(), table))
            covered.add(table.span.start, table.span.end)
    return [t for _, t in sorted(found, key=lambda x: x[0])]


def _nonblank_run(lines: list[tuple[int, str]], i: int) -> list[tuple[int, str]]:
    """The header line and the lines after it up to the first blank line (a grid's rows)."""
    run = [lines[i]]
    for j in range(i + 1, len(lines)):  # not a copy of every line to the end
        if not lines[j][1].strip():
            break
        run.append(lines[j])
    return run


class _Covered:
    """The spans of the tables found so far, asked whether they cover positions
    that never decrease (lines, then header matches, in text order).

    ``covers(q)`` is ``any(a <= q < b)`` over the spans added; spans are taken
    from a heap as the positions reach their starts, keeping the furthest end,
    so a document with many tables costs a logarithm per question, not a walk
    over every table found.
    """

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._all: list[tuple[int, int]] = list(spans or [])
        self._pending = list(self._all)
        heapq.heapify(self._pending)
        self._reach = -1  # the furthest end among spans starting at or before the last question

    def add(self, start: int, end: int) -> None:
        self._all.append((start, end))
        heapq.heappush(self._pending, (start, end))

    def covers(self, pos: int) -> bool:
        while self._pending and self._pending[0][0] <= pos:
            self._reach = max(self._reach, heapq.heappop(self._pending)[1])
        return pos < self._reach

    def again(self) -> _Covered:
        """The same spans, for questions that start again from the beginning."""
        return _Covered(self._all)

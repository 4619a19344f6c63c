"""The grid parser: tab-separated and Markdown ``|`` tables, read row by row.

Cells are explicit (possibly empty). The header names the year columns (the
first is the baseline), the 属性, 单位 and ``累计`` columns and the name column
(指标/名称; text columns left of it are category columns). An empty target cell
right of an inherited target (``控制在省下达的指标内``), or a row with all target
cells empty, takes the merged cell's value, and an empty attribute the previous
row's; a note no name or header refers to is glued to one value cell
(``15.74`` = 15.7 with note 4).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables.cellnorm import strip_number_label
from ecoplan.plans.extract.tables.cells import _Cell, _lex
from ecoplan.plans.extract.tables.header import _title
from ecoplan.plans.extract.tables.model import ExtractedTable, NotUnderstood
from ecoplan.plans.extract.tables.notes import _parse_notes
from ecoplan.plans.extract.tables.rows import _build, _group_item_name, _name_markers, _RowBuild
from ecoplan.plans.extract.tables.segment import _ORPHAN_GAIN, _segment
from ecoplan.plans.extract.tables.target_cells import _is_inherited, _valid_target
from ecoplan.plans.extract.tables.text import _ATTRS, _CJK, _clean_name, _norm_unit, _split_unit, _squash
from ecoplan.plans.targets import TargetKind, parse_target

_NO_UNIT = frozenset({"-", "—", "–", "/", "无", "无量纲"})  # a 单位 cell saying the indicator has none
_BAR = re.compile(r"(?<!\\)\|")
# a year column: "2025年", "2020年现状", "现状值（2020年）", "目标值(2030年)"
_YEAR_CELL = re.compile(
    r"^(?:现状值?|基期值?|基准值?|基准年|基数|目标值?|规划值?|预期值?)?[（(]?((?:19|20)\d{2})\s*年"
)


def _split_grid(line: str) -> list[str] | None:
    if "\t" not in line and line.count("|") < 2:  # most lines of a document: not a grid row
        return None
    at = _split_grid_at(line)
    return None if at is None else [line[a:b] for a, b in at]


def _split_grid_at(line: str) -> list[tuple[int, int]] | None:
    """Where each cell of a tab or ``|`` row is in ``line`` (stripped of spacing); None: not a grid row."""
    line = line.rstrip("\n")
    if "\t" in line:
        bounds = [-1, *(m.start() for m in re.finditer("\t", line)), len(line)]
    elif line.count("|") >= 2:
        start, end = len(line) - len(line.lstrip()), len(line.rstrip())
        start += line.startswith("|", start)  # an outer bar, as the plain split strips it
        end -= end > start and line[end - 1] == "|"
        bars = [m.start() for m in _BAR.finditer(line, start, end)]
        bounds = [start - 1, *bars, end]
    else:
        return None
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        cell = line[a + 1 : b]
        lead = len(cell) - len(cell.lstrip())
        out.append((a + 1 + lead, a + 1 + len(cell.rstrip())) if cell.strip() else (a + 1, a + 1))
    return out


def _grid_cell(raw: str, percent: bool, value_fns: frozenset[int]) -> tuple[_Cell | None, float]:
    """One explicit grid cell (and the score of its reading); a note digit may be glued on."""
    s = _squash(raw)
    if not s:
        return None, 0.0
    items = _lex(s)
    if items is not None and len(items) == 1:
        sg = _segment(
            items, ny=1, has_cum=False, percent=percent, lead_ok=False, notes=frozenset(), value_fns=value_fns
        )
        if sg is not None and sg.slots[0] is not None:
            return sg.slots[0], sg.score
    if _valid_target(s) and parse_target(s).kind is TargetKind.NONE:
        return _Cell("dash", s), 0.0
    return _Cell("text", s, expr=s), 0.0  # an unparseable target is dropped (and penalised) later


def _parse_grid(doc: Document, lines: list[tuple[int, str]], hi: int) -> ExtractedTable | None:
    text = doc.text
    header_start, header_line = lines[hi]
    head = _split_grid(header_line) or []
    year_cols = [(i, int(m.group(1))) for i, c in enumerate(head) if (m := _YEAR_CELL.match(_squash(c)))]
    attr_col = next((i for i, c in enumerate(head) if "属性" in c or "性质" in c), None)
    unit_col = next((i for i, c in enumerate(head) if _squash(c) == "单位"), None)
    cum_col = next((i for i, c in enumerate(head) if "累计" in c and i not in dict(year_cols)), None)
    skip = {attr_col, unit_col, cum_col, *dict(year_cols)}
    seq_cols = [i for i, c in enumerate(head) if i not in skip and re.search(r"序号|编号", c)]
    text_cols = [i for i, c in enumerate(head) if i not in skip and i not in seq_cols]
    if not text_cols:
        return None
    name_col = next((i for i in reversed(text_cols) if "指标" in head[i] or "名称" in head[i]), text_cols[-1])
    cat_cols = [i for i in text_cols if i < name_col]
    cols = _Cols(len(head), name_col, [*cat_cols, *seq_cols], [i for i, _ in year_cols], attr_col)
    years = [y for _, y in year_cols]
    body: list[tuple[int, list[str], list[tuple[int, int]]]] = []
    end = header_start + len(header_line)
    piped = "\t" not in header_line
    cut_rows: set[int] = set()  # rows the text's end cut short: nothing of theirs is merged from above
    for off, line in lines[hi + 1 :]:
        at = _split_grid_at(line)
        if at is None and piped and "|" in line and "\t" not in line:
            cut = _split_grid_at(line + "||")  # a row cut after its first bar (the text ends inside it)
            at = cut[:-1] if cut else None
            cut_rows.add(off)
        if at is None:
            break
        end = off + len(line)
        cells = [line[x:y] for x, y in at]
        if all(re.fullmatch(r":?-{2,}:?", c.strip()) or not c.strip() for c in cells):
            continue
        body.append((off, cells, at))
    notes, notes_end = _parse_notes(text, end)
    cum_fn: int | None = None
    if cum_col is not None and (cm := re.search(r"([1-9])$", _squash(head[cum_col]))) and int(cm[1]) in notes:
        cum_fn = int(cm[1])
    rows: list[_RowBuild] = []
    raws: list[list[str]] = []  # the value cells of each row as read (after merged-cell filling)
    scores: list[list[float]] = []
    unread: list[NotUnderstood] = []
    category: str | None = None
    group: tuple[str, str] | None = None  # a heading row without values: (title, unit) of its sub-rows
    prev_targets: list[str] = []
    prev_attr: str | None = None
    aligned = [(off, *_align(cells, at, cols)) for off, cells, at in body]
    for bi, (off, cells, at) in enumerate(aligned):
        spans = [Span.of(text, off + x, off + y) for x, y in at]
        for i in cat_cols:  # a category is text (not a stray token left in an empty merged cell)
            if re.search(rf"[{_CJK}]", cells[i]) and _clean_name(cells[i]) != category:
                category, group = _clean_name(cells[i]), None
        name_raw = _squash(cells[name_col])
        if not name_raw:
            continue
        name_raw, _ = strip_number_label(name_raw)
        if not re.search(rf"[{_CJK}A-Za-z]", name_raw):  # a value where the name should be
            unread.append(NotUnderstood(_squash(cells[name_col]), _squash(cells[name_col]), spans[name_col]))
            continue
        name_text, unit = _split_unit(
            re.sub(r"[（(][^）)]*$", "", name_raw)
        )  # a unit cut off by the text's end
        if unit_col is not None and _squash(cells[unit_col]):
            unit = "" if _squash(cells[unit_col]) in _NO_UNIT else _norm_unit(cells[unit_col])
        value_cols = [i for i, _ in year_cols] + ([cum_col] if cum_col is not None else [])
        numbered = any(_squash(cells[i]) for i in seq_cols)
        no_attr = attr_col is None or not _squash(cells[attr_col])
        nxt = aligned[bi + 1][1] if bi + 1 < len(aligned) else None
        subrow_next = bool(seq_cols) and nxt is not None and not any(_squash(nxt[i]) for i in seq_cols)
        if nxt is not None and not any(_squash(cells[i]) for i in value_cols) and (no_attr or subrow_next):
            if not no_attr:
                prev_attr = _ATTRS.get(_squash(cells[attr_col] if attr_col is not None else ""))
            title, _ = _name_markers(_clean_name(name_text), notes)
            group = (title, unit)  # a heading row: its sub-rows follow
            continue
        if group is not None and (numbered if seq_cols else bool(unit)):
            group = None
        name, marks = _name_markers(_clean_name(name_text), notes)
        if group is not None:
            name, unit = _group_item_name(group[0], name), unit or group[1]
        conf = 1.0
        raw_targets = [_squash(cells[i]) for i, _ in year_cols[1:]]
        for j in range(1, len(raw_targets)):
            if not raw_targets[j] and _is_inherited(raw_targets[j - 1]):
                raw_targets[j] = raw_targets[j - 1]
                conf -= 0.1
        if raw_targets and not any(raw_targets) and any(prev_targets) and _squash(cells[year_cols[0][0]]):
            raw_targets = list(prev_targets)
            conf -= 0.1
        prev_targets = raw_targets
        values = [cells[year_cols[0][0]], *raw_targets] + ([cells[cum_col]] if cum_col is not None else [])
        read = [_grid_cell(v, unit == "%", frozenset()) for v in values]
        attr_raw = _squash(cells[attr_col]) if attr_col is not None else ""
        attribute = _ATTRS.get(attr_raw)
        if attribute is None and attr_col is not None and not attr_raw and off not in cut_rows:
            attribute = prev_attr
            conf -= 0.1
        if attr_col is not None and attr_raw and attribute is None:
            unread.append(NotUnderstood(attr_raw, name, spans[attr_col]))
            conf -= 0.2
        prev_attr = attribute
        rows.append(
            _RowBuild(
                name=name,
                unit=unit,
                category=category,
                attribute=attribute,
                slots=[c for c, _ in read],
                fns={k for k, _ in marks},
                start=off,
                end=off + len(_line_at(text, off)),
                cells=[c.strip() for c in cells],
                confidence=conf,
                cell_spans=[spans[i] for i in value_cols],
            )
        )
        raws.append(values)
        scores.append([sc for _, sc in read])
    if not rows:
        return None
    # a numbered note no name or header refers to is glued to one value cell (15.74 = 15.7 + note 4)
    where = {k: i for i in reversed(range(len(rows))) for k in rows[i].fns}
    referenced = set(where) | ({cum_fn} if cum_fn else set())
    for k in sorted(set(notes) - referenced - {0}):
        best: tuple[float, int, int, _Cell] | None = None
        lo = max((i for n, i in where.items() if n < k), default=0)
        for i in range(lo, len(rows)):
            row, values = rows[i], raws[i]
            for j, v in enumerate(values):
                if not _squash(v).endswith(str(k)):
                    continue
                cell, score = _grid_cell(v, row.unit == "%", frozenset({k}))
                if cell is None or cell.fn != k:
                    continue
                gain = score - scores[i][j]
                if gain > _ORPHAN_GAIN and best is None:  # the first plausible cell in reading order
                    best = (gain, i, j, cell)
        if best is not None:
            _, i, j, cell = best
            rows[i].slots[j] = cell
            rows[i].confidence -= 0.1
            where[k] = i
    out = [_build(text, row, years, cum_col is not None, cum_fn, notes) for row in rows]
    unread.extend(n for row in out for n in row.not_understood)
    unread.sort(key=lambda n: n.span.start)
    title, title_start = _title(text, header_start)
    span = Span.of(text, title_start, max(end, notes_end))
    return ExtractedTable(title, years, out, notes, span, unread)


@dataclass(frozen=True)
class _Cols:
    """The header's columns: how many, the name column, the columns a merged cell may leave out."""

    n: int
    name: int
    mergeable: list[int]  # category and 序号 columns left of the name
    years: list[int]
    attr: int | None


def _align(
    cells: list[str], at: list[tuple[int, int]], cols: _Cols
) -> tuple[list[str], list[tuple[int, int]]]:
    """A short row's cells placed in the header's columns.

    A row with fewer cells than the header lost cells at its end (padded there,
    as before), or left out its empty merged cells at the start (the category
    and 序号 columns, categories first): ``| 2 | 地级… | 87.2 | 88 | 约束性 |``
    under ``| 类别 | 序号 | 指标 | 2025年 | 2030年 | 属性 |``, or both (a text cut
    inside a row). A merged reading is taken only when it fits the header
    better: text in the name column, values and an attribute where the header
    wants them.
    """
    short = cols.n - len(cells)
    end = at[-1][1] if at else 0
    best = (cells + [""] * short, at + [(end, end)] * short)
    if short <= 0:
        return best
    lead = [i for i in cols.mergeable if i < cols.name]
    start = at[0][0] if at else 0
    best_fit = _fit(best[0], cols)
    for k in range(1, min(short, len(lead)) + 1):  # k merged cells left out, the rest lost at the end
        drop = set(lead[:k])
        it = iter(zip(cells, at, strict=True))
        placed = [("", (start, start)) if i in drop else next(it, ("", (end, end))) for i in range(cols.n)]
        fit = _fit([c for c, _ in placed], cols)
        if fit > best_fit:
            best, best_fit = ([c for c, _ in placed], [a for _, a in placed]), fit
    return best


def _fit(cells: list[str], cols: _Cols) -> int:
    """How well a placement of cells fits the header (text name, value years, attribute)."""
    name = _squash(cells[cols.name])
    score = 2 if re.search(rf"[{_CJK}]", name) and _lex(name) is None else 0
    for i in cols.years:
        v = _squash(cells[i])
        if v and (_lex(v) is not None or _valid_target(v)):
            score += 1
    if cols.attr is not None and _squash(cells[cols.attr]) in _ATTRS:
        score += 1
    return score


def _line_at(text: str, off: int) -> str:
    nl = text.find("\n", off)
    return text[off : nl if nl >= 0 else len(text)]

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

import re

from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables.cells import _Cell, _lex
from ecoplan.plans.extract.tables.header import _title
from ecoplan.plans.extract.tables.model import ExtractedTable
from ecoplan.plans.extract.tables.notes import _parse_notes
from ecoplan.plans.extract.tables.rows import _build, _name_markers, _RowBuild
from ecoplan.plans.extract.tables.segment import _ORPHAN_GAIN, _segment
from ecoplan.plans.extract.tables.target_cells import _is_inherited, _valid_target
from ecoplan.plans.extract.tables.text import _ATTRS, _clean_name, _norm_unit, _split_unit, _squash
from ecoplan.plans.targets import TargetKind, parse_target

_YEAR_CELL = re.compile(r"^((?:19|20)\d{2})\s*年")


def _split_grid(line: str) -> list[str] | None:
    if "\t" in line:
        return [c.strip() for c in line.rstrip("\n").split("\t")]
    if line.count("|") >= 2:
        inner = line.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
        return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]
    return None


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
    attr_col = next((i for i, c in enumerate(head) if "属性" in c), None)
    unit_col = next((i for i, c in enumerate(head) if _squash(c) == "单位"), None)
    cum_col = next((i for i, c in enumerate(head) if "累计" in c and i not in dict(year_cols)), None)
    skip = {attr_col, unit_col, cum_col, *dict(year_cols)}
    text_cols = [i for i, c in enumerate(head) if i not in skip and not re.search(r"序号|编号", c)]
    if not text_cols:
        return None
    name_col = next((i for i in reversed(text_cols) if "指标" in head[i] or "名称" in head[i]), text_cols[-1])
    cat_cols = [i for i in text_cols if i < name_col]
    years = [y for _, y in year_cols]
    body: list[tuple[int, list[str]]] = []
    end = header_start + len(header_line)
    for off, line in lines[hi + 1 :]:
        cells = _split_grid(line)
        if cells is None:
            break
        end = off + len(line)
        if all(re.fullmatch(r":?-{2,}:?", c.strip()) or not c.strip() for c in cells):
            continue
        body.append((off, cells))
    notes, notes_end = _parse_notes(text, end)
    cum_fn: int | None = None
    if cum_col is not None and (cm := re.search(r"([1-9])$", _squash(head[cum_col]))) and int(cm[1]) in notes:
        cum_fn = int(cm[1])
    rows: list[_RowBuild] = []
    raws: list[list[str]] = []  # the value cells of each row as read (after merged-cell filling)
    scores: list[list[float]] = []
    category: str | None = None
    prev_targets: list[str] = []
    prev_attr: str | None = None
    for off, cells in body:
        cells = cells + [""] * (len(head) - len(cells))
        for i in cat_cols:
            if _squash(cells[i]):
                category = _clean_name(cells[i])
        name_raw = _squash(cells[name_col])
        if not name_raw:
            continue
        name_text, unit = _split_unit(name_raw)
        if unit_col is not None and _squash(cells[unit_col]):
            unit = _norm_unit(cells[unit_col])
        name, marks = _name_markers(_clean_name(name_text), notes)
        conf = 1.0
        raw_targets = [_squash(cells[i]) for i, _ in year_cols[1:]]
        for j in range(1, len(raw_targets)):
            if not raw_targets[j] and _is_inherited(raw_targets[j - 1]):
                raw_targets[j] = raw_targets[j - 1]
                conf -= 0.1
        if raw_targets and not any(raw_targets) and any(prev_targets):
            raw_targets = list(prev_targets)
            conf -= 0.1
        prev_targets = raw_targets
        values = [cells[year_cols[0][0]], *raw_targets] + ([cells[cum_col]] if cum_col is not None else [])
        read = [_grid_cell(v, unit == "%", frozenset()) for v in values]
        attr_raw = _squash(cells[attr_col]) if attr_col is not None else ""
        attribute = _ATTRS.get(attr_raw)
        if attribute is None and attr_col is not None and not attr_raw:
            attribute = prev_attr
            conf -= 0.1
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
    title, title_start = _title(text, header_start)
    return ExtractedTable(title, years, out, notes, Span.of(text, title_start, max(end, notes_end)))


def _line_at(text: str, off: int) -> str:
    nl = text.find("\n", off)
    return text[off : nl if nl >= 0 else len(text)]

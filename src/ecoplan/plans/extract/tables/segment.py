"""Choosing how a glued value chunk reads: which numbers, in which columns.

Every combination of the items' readings is placed in the columns (baseline,
target years, ``〔累计〕``) and scored: numbers have at most two decimals and no
padding zeros, percentages stay within 0–100, baseline and target are of
similar size, and ``target − baseline = 〔cumulative〕`` when all three are
printed; a digit read as a note that must be glued somewhere earns a bonus.
The best reading wins; its margin over the runner-up sets the row's confidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ecoplan.plans.extract.tables.cells import _Cell, _digit_splits, _Item
from ecoplan.plans.extract.tables.text import _nfkc

_FN_BONUS = 4.0  # score of reading a glued digit as the unreferenced note it must be
_ORPHAN_GAIN = 2.0  # ... unless the rest of the reading becomes implausible


@dataclass(frozen=True)
class _Seg:
    slots: list[_Cell | None]  # baseline, target years..., [cumulative]
    cells: list[_Cell]
    lead_fn: int | None
    score: float
    margin: float  # best minus second-best score


def _segment(
    items: list[_Item],
    *,
    ny: int,
    has_cum: bool,
    percent: bool,
    lead_ok: bool,
    notes: frozenset[int],
    value_fns: frozenset[int],
) -> _Seg | None:
    """The best reading of a row's value chunk as cells placed in the columns."""
    ncols = ny + (1 if has_cum else 0)
    options: list[list[tuple[int | None, list[_Cell]]]] = []
    for idx, it in enumerate(items):
        if it.kind == "dash" and len(it.raw) == 2 and it.raw[0] == it.raw[1]:
            # "——": one placeholder printed double, or two cells' placeholders glued together
            one = _Cell("dash", it.raw, expr=it.raw)
            two = [_Cell("dash", it.raw[0], expr=it.raw[0])] * 2
            options.append([(None, [one]), (None, two)])
            continue
        if it.kind != "num":
            options.append([(None, [_Cell(it.kind, it.raw, expr=re.sub(r"\s+", "", it.raw))])])
            continue
        alts: list[tuple[int | None, list[_Cell]]] = []
        leads: list[tuple[int | None, str]] = [(None, it.digits)]
        if idx == 0 and lead_ok and not it.op:
            for width in (1, 2):
                d = it.digits[:width]
                if len(d) == width and d.isdigit() and d[0] != "0" and int(d) in notes:
                    leads.append((int(d), it.digits[width:]))
        for lead, rest in leads:
            if not rest:
                if lead is not None and not it.tail and not it.star:
                    alts.append((lead, []))
                continue
            for split in _digit_splits(rest, ncols + 1, value_fns):
                cells = []
                for k, (piece, fn) in enumerate(split):
                    first, last = k == 0, k == len(split) - 1
                    op = it.op if first else ""
                    tail = it.tail if last else ""
                    raw = op + piece + (str(fn) if fn else "") + tail + ("*" if last and it.star else "")
                    cells.append(_Cell("num", raw, op + piece + tail, float(piece), fn, it.star and last))
                alts.append((lead, cells))
        if not alts:
            return None
        options.append(alts)
    best: tuple[float, list[_Cell | None], list[_Cell], int | None] | None = None
    second = -math.inf
    for combo in _product(options, limit=20000):
        lead_fn = combo[0][0] if combo else None
        cells = [c for _, cs in combo for c in cs]
        placed = _place(cells, ny, has_cum)
        if placed is None:
            continue
        slots, missing_years, missing_cum = placed
        s = _score(combo, slots, ny, percent)
        if s is None:
            continue
        s -= 1.5 * missing_years + 0.2 * missing_cum
        if best is None or s > best[0]:
            if best is not None:
                second = max(second, best[0])
            best = (s, slots, cells, lead_fn)
        else:
            second = max(second, s)
    if best is None:
        return None
    score, slots, cells, lead_fn = best
    return _Seg(slots, cells, lead_fn, score, score - second if second > -math.inf else math.inf)


def _product(
    options: list[list[tuple[int | None, list[_Cell]]]], limit: int
) -> Iterator[list[tuple[int | None, list[_Cell]]]]:
    count = 0

    def rec(
        i: int, acc: list[tuple[int | None, list[_Cell]]]
    ) -> Iterator[list[tuple[int | None, list[_Cell]]]]:
        nonlocal count
        if i == len(options):
            count += 1
            yield list(acc)
            return
        for opt in options[i]:
            if count >= limit:
                return
            acc.append(opt)
            yield from rec(i + 1, acc)
            acc.pop()

    yield from rec(0, [])


def _place(cells: list[_Cell], ny: int, has_cum: bool) -> tuple[list[_Cell | None], int, int] | None:
    ncols = ny + (1 if has_cum else 0)
    slots: list[_Cell | None] = []
    missing_years = 0
    for c in cells:
        if c.kind == "cum" and has_cum:
            if len(slots) > ny:
                return None
            missing_years += ny - len(slots)
            slots.extend([None] * (ny - len(slots)))
            slots.append(c)
            continue
        last = slots[-1] if slots else None
        if c.kind == "cum" and not has_cum and len(slots) == ny and last is not None and last.kind == "num":
            # 23.04〔1.38〕: a target and its cumulative change printed in one cell
            slots[-1] = _Cell("num", last.raw + c.raw, last.expr + c.expr, last.value, last.fn, last.star)
            continue
        if len(slots) >= ncols:
            return None
        if has_cum and len(slots) == ny and c.kind != "dash":
            return None
        if c.kind == "cum" and len(slots) == 0 and len(cells) < 2 and ny > 1:
            missing_years += ny - 1  # a lone 〔8〕 is the target (the empty baseline left out)
            slots.extend([None] * (ny - 1))
            slots.append(c)
            continue
        if c.kind == "cum" and len(slots) == 0 and has_cum:
            return None  # a cumulative baseline (〔18〕 under 2020) only before a target of its own
        slots.append(c)
    for i in range(len(slots), ncols):
        if i < ny:
            missing_years += 1
        slots.append(None)
    missing_cum = 1 if has_cum and slots[ny] is None else 0
    return slots, missing_years, missing_cum


def _score(
    combo: list[tuple[int | None, list[_Cell]]], slots: list[_Cell | None], ny: int, percent: bool
) -> float | None:
    s = 0.0
    for _, cells in combo:
        glued = sum(1 for c in cells if c.kind == "num")  # a split number costs; "——" as two cells does not
        if glued > 1:
            s -= 0.3 * (glued - 1)
        for c in cells:
            if c.kind != "num" or c.value is None:
                continue
            digits = c.expr.lstrip("＞＜≥≤<>=")
            m = re.match(r"\d+(?:\.(\d+))?", _nfkc(digits))
            dec = m.group(1) or "" if m else ""
            if len(dec) > 2:
                s -= 2.0 * (len(dec) - 2)
            if dec.endswith("0"):
                s -= 3.0
            if percent and c.value > 100:
                return None
            if c.fn is not None:
                s += _FN_BONUS
    base = slots[0]
    level = next((c for c in slots[1:ny] if c is not None and c.kind == "num"), None)
    if base is not None and base.value is not None and level is not None and level.value is not None:
        s -= abs(math.log((level.value + 1.0) / (base.value + 1.0)))
        cum = slots[ny] if len(slots) > ny else None
        in_cell = re.search(r"[〔\[【](\d+(?:\.\d+)?)", _nfkc(level.raw))  # 165〔14〕 in one target cell
        if cum is not None and cum.kind == "cum":
            in_cell = re.search(r"(\d+(?:\.\d+)?)", _nfkc(cum.raw))
        if in_cell is not None:
            x = float(in_cell.group(1))
            diff = abs(level.value - base.value)
            rel = diff / base.value * 100 if base.value else math.inf
            if abs(diff - x) <= 0.01 + 0.01 * x or abs(rel - x) <= 0.05 + 0.01 * x:
                s += 3.0
    return s

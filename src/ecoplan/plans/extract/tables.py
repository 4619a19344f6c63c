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

Every target is checked against :func:`~ecoplan.plans.targets.parse_target`;
one the grammar rejects is dropped and lowers the row's confidence.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from ecoplan.errors import TargetSyntaxError
from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.targets import Op, TargetKind, parse_target

__all__ = ["ExtractedIndicator", "ExtractedTable", "as_cumulative_change", "extract_tables"]


@dataclass(frozen=True)
class ExtractedIndicator:
    """One indicator row read from a plan table (or a prose sentence)."""

    name_zh: str
    unit: str
    category_zh: str | None
    attribute: str | None  # "binding" | "expected" | None
    baseline: tuple[int, float] | None
    targets: list[tuple[int, str]]
    footnotes: list[str]
    span: Span
    confidence: float
    cells: list[str]
    #: Stretch goals (力争 …) by target year, as a plain expression ("35").
    stretch: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractedTable:
    """An indicator table: its title, column years, rows and notes."""

    title: str
    years: list[int]
    indicators: list[ExtractedIndicator]
    notes: dict[int, str]  # footnote number -> text; 0 is the '*' note
    span: Span


# ---------------------------------------------------------------------------
# shared text helpers

_CJK = "\u3400-\u9fff"
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
_ATTRS = {"约束性": "binding", "预期性": "expected"}
_ATTR_AFTER = re.compile(r"\s*(约束性|预期性)")
_CN_UNITS = (
    r"(?:[万亿千百十]?(?:吨标准煤|吨标煤|标准煤|千瓦时|立方米|平方公里|平方米|公顷|千瓦|公里|"
    r"微克|毫克|吨|亩|个|人|元|天|米|辆|户|座|家|处|条|项|套|台|次|分贝))"
)
_UNIT_BODY = (
    rf"(?:[%‰％]|{_CN_UNITS}(?:/{_CN_UNITS}|/(?:年|日|天|人|升|立方米))?|"
    r"[A-Za-zμµ][A-Za-z0-9μµ/²³·.]{0,11})"
)
_UNIT_PAREN = re.compile(rf"[（(]\s*({_UNIT_BODY})\s*[)）]")
_UNIT_AT_END = re.compile(rf"[（(]\s*({_UNIT_BODY})\s*[)）]\s*$")
_NUMBERED = re.compile(r"(?<![0-9０-９.．A-Za-z])([0-9０-９]{1,2})[.．、](?![0-9０-９])")
_TRAILING_NUMBERED = re.compile(r"(?<![0-9０-９.．])[0-9０-９]{1,2}[.．、]$")
_SUBHEAD = re.compile(
    r"(?:大气环境|空气|大气|水环境|地表水|地下水|水|海洋环境|海洋|近岸海域|土壤环境|土壤|"
    r"声环境|声|生态环境|生态|城市环境|农村环境|辐射环境)(?:环境)?(?:质量|状况)"
)
_NAME_CONTINUES = (
    *("优良", "达标", "综合", "指数", "平均", "年均"),
    *("浓度", "天数", "比例", "比率", "改善", "达到"),
)
_NAME_FN = re.compile(rf"(?<=[{_CJK}）)\]】])([1-9][0-9]?)(?=[{_CJK}（(]|$)")
_DECLINE = re.compile(r"(?:减少|下降|降低|削减)(?:比例|幅度|率)?$")
_YEAR_NOTE = re.compile(r"^(?:为|系|是)?((?:19|20)\d{2})\s*年(?:的)?(?:数据|数值|值)")
_UNIT_NOTE = re.compile(r"单位(?:为|是|[：:])\s*([^\s，。；,;]+)")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _squash(s: str) -> str:
    """Remove Markdown/HTML markup and all whitespace from a cell."""
    s = re.sub(r"<sup>\s*2\s*</sup>", "²", s, flags=re.I)
    s = re.sub(r"<sup>\s*3\s*</sup>", "³", s, flags=re.I)
    s = re.sub(r"</?(?:sub|sup|b|i|strong|em|span)[^>]*>", "", s, flags=re.I)
    s = re.sub(r"\\([*_\\|])", r"\1", s)
    s = s.replace("**", "")
    return re.sub(r"\s+", "", s)


def _clean_name(s: str) -> str:
    s = _squash(s).replace("(", "（").replace(")", "）")
    return re.sub(r"(?<![A-Za-z])(VI|IV|V|III|II|I)(?=类)", lambda m: _ROMAN[m.group(1)], s)


def _norm_unit(u: str) -> str:
    u = _squash(u).replace("％", "%").replace("µ", "μ")
    u = re.sub(r"^ug/", "μg/", u)
    u = re.sub(r"m3$", "m³", u)
    u = re.sub(r"m2$", "m²", u)
    return {"微克/立方米": "μg/m³"}.get(u, u)


def _split_unit(s: str) -> tuple[str, str]:
    """``name（unit）`` -> (name, unit); unit '' when the text has none."""
    m = _UNIT_AT_END.search(s)
    if not m:
        return s, ""
    return s[: m.start()], _norm_unit(m.group(1))


def _norm_note(s: str) -> str:
    s = re.sub(r"[ \t\u3000\u2002\u2003]*\n[ \t\u3000\u2002\u2003]*", "", s)
    s = re.sub(r"\\([*_\\])", r"\1", s)
    s = s.strip(" \t\r\n\u2002\u2003\u3000")
    if s.endswith(("；", ";")):
        s = s[:-1] + "。"
    return s


def _valid_target(expr: str) -> bool:
    try:
        parse_target(expr)
    except TargetSyntaxError:
        return False
    return True


def _is_inherited(expr: str) -> bool:
    return bool(expr) and _valid_target(expr) and parse_target(expr).kind is TargetKind.INHERITED


def as_cumulative_change(name: str, unit: str, expr: str) -> str:
    """``expr`` as a cumulative target when it is a plain number under a ``…减少（%）`` indicator.

    A decline indicator in percent measures the change since the base year,
    so its plain-number target ``12`` means ``〔12〕``; other targets are returned unchanged.
    """
    if unit != "%" or not _DECLINE.search(name):
        return expr
    try:
        t = parse_target(expr)
    except TargetSyntaxError:
        return expr
    if t.kind is TargetKind.LEVEL and t.op is Op.REACH:
        return f"〔{_nfkc(expr).rstrip('%')}〕"
    return expr


# ---------------------------------------------------------------------------
# notes

_BODY_END = re.compile(
    r"(?:(?:^|(?<=[\s。\u2002\u3000]))(?:注|备注)[\s\u3000]*[：:])"
    r"|(?:(?:注|备注)[\s\u3000]*[：:](?=[\s\u2002\u3000]*(?:1[\s\u3000]*[.．、]|\\?[*＊])))",
    re.M,
)
_NOTE_HEAD = re.compile(r"[\s\u2002\u3000]*(?:注|备注)\s*[：:][\s\u2002\u3000]*")
_STAR_NOTE = re.compile(r"[\s\u2002\u3000]*(?:\\?[*＊])([^\n]*)")
_FIRST_NOTE = re.compile(r"[\s\u2002\u3000]*1\s*[.．、]")


def _numbered_notes(text: str, pos: int) -> tuple[dict[int, str], int] | None:
    m = _FIRST_NOTE.match(text, pos)
    if not m:
        return None
    notes: dict[int, str] = {}
    k, start = 1, m.end()
    while True:
        nxt = re.compile(rf"(?:(?<=[\s。；;])|^){k + 1}\s*[.．、]", re.M).search(text, start, start + 400)
        if nxt is not None:
            notes[k] = _norm_note(text[start : nxt.start()])
            k, start = k + 1, nxt.end()
            continue
        period = text.find("。", start, start + 400)
        line = re.compile(r"\n(?=\S)").search(text, start, start + 400)
        ends = [x for x in (period + 1 if period >= 0 else -1, line.start() if line else -1) if x > 0]
        end = min(ends) if ends else min(len(text), start + 400)
        notes[k] = _norm_note(text[start:end])
        return notes, end


def _parse_notes(text: str, pos: int) -> tuple[dict[int, str], int]:
    """Notes right after a table body: ``注：1.… 2.…`` and ``*…`` lines."""
    notes: dict[int, str] = {}
    end = pos
    for _ in range(3):
        head = _NOTE_HEAD.match(text, end)
        q = head.end() if head else end
        numbered = _numbered_notes(text, q)
        if numbered is not None:
            notes.update(numbered[0])
            end = numbered[1]
            continue
        star = _STAR_NOTE.match(text, q)
        if star is not None and 0 not in notes:
            notes[0] = "*" + _norm_note(star.group(1))
            end = star.end()
            continue
        break
    return notes, end


# ---------------------------------------------------------------------------
# cells: lexing and splitting glued values

_TEXT_TARGETS = (
    r"基本消除|全面消除|控制在省下达的指标内|达到省下达(?:的)?(?:目标|指标)(?:要求)?|"
    r"完成省下达(?:的)?(?:目标|任务)|省下达|达到国家要求|国家要求"
)
_CHUNK = re.compile(
    rf"(?:[0-9０-９.．＞＜≥≤<>\-－–—〔〕\[\]【】%％*＊\s\u2002\u3000]|左右|以上|以下|以内|{_TEXT_TARGETS})+"
)
_TOKEN = re.compile(
    r"(?P<ws>[\s\u2002\u3000]+)|(?P<op>>=|<=|[＞＜≥≤<>])|(?P<num>[0-9０-９][0-9０-９.．]*)"
    r"|(?P<suf>左右|以上|以下|以内)|(?P<pct>[%％])|(?P<star>\\?[*＊])|(?P<dash>-|－|–|—+)"
    rf"|(?P<cum>[〔\[【][^〕\]】]*[〕\]】])|(?P<text>{_TEXT_TARGETS})"
)
_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_FN_BONUS = 4.0  # score of reading a glued digit as the unreferenced note it must be
_ORPHAN_GAIN = 2.0  # ... unless the rest of the reading becomes implausible


@dataclass(frozen=True)
class _Cell:
    kind: str  # "num" | "dash" | "cum" | "text"
    raw: str
    expr: str = ""
    value: float | None = None
    fn: int | None = None  # glued footnote digit
    star: bool = False


@dataclass(frozen=True)
class _Item:
    """A lexed piece of a value chunk; 'num' items may hold several glued numbers."""

    kind: str
    raw: str
    op: str = ""
    digits: str = ""
    tail: str = ""  # % and/or 左右/以上/以下/以内
    star: bool = False


def _lex(core: str) -> list[_Item] | None:
    items: list[_Item] = []
    toks: list[tuple[str, str]] = []
    pos = 0
    while pos < len(core):
        m = _TOKEN.match(core, pos)
        if m is None or m.lastgroup is None:
            return None
        toks.append((m.lastgroup, m.group()))
        pos = m.end()
    i = 0
    while i < len(toks):
        kind, raw = toks[i]
        if kind == "ws":
            i += 1
        elif kind in ("op", "num"):
            op = ""
            if kind == "op":
                op = raw
                i += 1
                if i >= len(toks) or toks[i][0] != "num":
                    return None
            digits = _nfkc(toks[i][1])
            i += 1
            tail, star = "", False
            while i < len(toks) and toks[i][0] in ("pct", "suf", "star") and not star:
                if toks[i][0] == "star":
                    star = True
                else:
                    tail += toks[i][1]
                i += 1
            items.append(_Item("num", op + toks[i - 1][1], op, digits, tail, star))
        elif kind in ("dash", "text"):
            items.append(_Item(kind, raw))
            i += 1
        elif kind == "cum":
            inner = _nfkc(raw[1:-1]).strip()
            if not re.fullmatch(r"\d+(?:\.\d+)?%?", inner):
                return None
            items.append(_Item("cum", raw))
            i += 1
        else:  # a lone %, suffix or star
            return None
    return items


def _digit_splits(digits: str, max_pieces: int, fns: frozenset[int]) -> list[list[tuple[str, int | None]]]:
    """Every reading of a glued digit run as numbers, each optionally followed by a note digit."""
    out: list[list[tuple[str, int | None]]] = []
    acc: list[tuple[str, int | None]] = []

    def rec(i: int) -> None:
        if i == len(digits):
            out.append(list(acc))
            return
        if len(acc) >= max_pieces:
            return
        for j in range(i + 1, len(digits) + 1):
            piece = digits[i:j]
            if not _NUMBER.fullmatch(piece):
                continue
            acc.append((piece, None))
            rec(j)
            acc.pop()
            for width in (1, 2):
                d = digits[j : j + width]
                if len(d) == width and d.isdigit() and d[0] != "0" and int(d) in fns:
                    acc.append((piece, int(d)))
                    rec(j + width)
                    acc.pop()

    if len(digits) <= 18:
        rec(0)
    return out


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
        if len(slots) >= ncols:
            return None
        if has_cum and len(slots) == ny and c.kind != "dash":
            return None
        if c.kind == "cum" and len(slots) == 0:
            return None
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
        if len(cells) > 1:
            s -= 0.3 * (len(cells) - 1)
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
        if cum is not None and cum.kind == "cum":
            x = float(re.sub(r"[^\d.]", "", _nfkc(cum.raw)))
            diff = abs(level.value - base.value)
            rel = diff / base.value * 100 if base.value else math.inf
            if abs(diff - x) <= 0.01 + 0.01 * x or abs(rel - x) <= 0.05 + 0.01 * x:
                s += 3.0
    return s


# ---------------------------------------------------------------------------
# headers and titles

_HEADER = re.compile(
    r"指[\s\u3000]*标(?:[\s\u3000]*名[\s\u3000]*称)?"
    r"(?P<cols>(?:[\s\u3000]*(?:(?:19|20)\d{2}[\s\u3000]*年(?:[\s\u3000]*[（(][^）)\n]{0,8}[)）])?"
    r"|[〔\[【][\s\u3000]*累[\s\u3000]*计[\s\u3000]*[〕\]】])(?:[1-9](?![0-9年]))?)+)"
    r"[\s\u3000]*(?:指[\s\u3000]*标[\s\u3000]*)?属[\s\u3000]*性"
)
_HEADING = re.compile(
    r"(?:^|(?<=[\s。；]))[#\s]*((?:专栏|附表|附件|表)[\s\u3000]*[0-9０-９一二三四五六七八九十]*)", re.M
)


def _title(text: str, header_start: int) -> tuple[str, int]:
    window_start = max(0, header_start - 300)
    window = text[window_start:header_start]
    found = list(_HEADING.finditer(window))
    if found:
        start = window_start + found[-1].start(1)
    else:
        lines = [ln for ln in re.finditer(r"[^\n]+", window) if ln.group().strip()]
        if not lines:
            return "", header_start
        start = window_start + lines[-1].start()
    title = re.sub(r"[\s\u3000\u2002#]+", " ", text[start:header_start]).strip()
    return title, start


# ---------------------------------------------------------------------------
# building indicators


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


def _build(
    text: str, row: _RowBuild, years: list[int], has_cum: bool, cum_fn: int | None, notes: dict[int, str]
) -> ExtractedIndicator:
    ny = len(years)
    fns = set(row.fns)
    base_cell = row.slots[0]
    baseline: tuple[int, float] | None = None
    conf = row.confidence
    if base_cell is not None and base_cell.kind == "num" and base_cell.value is not None:
        year = years[0]
        value: float | None = base_cell.value
        for note_key in ([base_cell.fn] if base_cell.fn else []) + ([0] if base_cell.star else []):
            note = notes.get(note_key)
            if note is None:
                continue
            fns.add(note_key)
            body = note.lstrip("*＊ ")
            ym = _YEAR_NOTE.match(body)
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
            conf -= 0.2
    return ExtractedIndicator(
        name_zh=row.name,
        unit=row.unit,
        category_zh=row.category,
        attribute=row.attribute,
        baseline=baseline,
        targets=targets,
        footnotes=[notes[k] for k in sorted(fns) if k in notes],
        span=Span.of(text, row.start, row.end),
        confidence=max(0.0, round(conf, 2)),
        cells=row.cells,
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
    if out.endswith(("*", "＊")) and 0 in notes:
        marks.append((0, out[:-1]))
        out = out[:-1]
    return out, marks


def _group_item_name(title: str, item: str) -> str:
    if item in title:
        return title
    if "污染物" in title:
        return item + title.split("污染物", 1)[1]
    return title + item


# ---------------------------------------------------------------------------
# the stream parser (flattened and one-cell-per-line tables)


@dataclass
class _StreamRow:
    name_start: int
    name_raw: str
    core_start: int
    items: list[_Item]
    attr: str | None
    end: int
    lead_ok: bool


def _stream_rows(
    text: str, start: int, end: int, ny: int, has_cum: bool, notes: frozenset[int]
) -> list[_StreamRow]:
    rows: list[_StreamRow] = []
    pos = start
    for m in _CHUNK.finditer(text, start, end):
        if m.start() < pos:
            continue
        raw = m.group()
        lstrip = len(raw) - len(raw.lstrip())
        core = raw.strip()
        trail = _TRAILING_NUMBERED.search(core)
        if trail is not None:
            core = core[: trail.start()].rstrip()
        if not core:
            continue
        core_start = m.start() + lstrip
        core_end = core_start + len(core)
        before = text[core_start - 1] if core_start > 0 else ""
        if before.isascii() and before.isalpha():
            continue
        name_raw = text[pos:core_start]
        squashed = _squash(name_raw)
        if not squashed:
            continue
        if "。" in squashed or len(squashed) > 80:
            break
        items = _lex(core)
        if not items:
            continue
        lead_ok = bool(re.match(rf"[{_CJK}]", before))
        attr_m = _ATTR_AFTER.match(text, core_end) if trail is None else None
        seg = _segment(
            items, ny=ny, has_cum=has_cum, percent=False, lead_ok=lead_ok, notes=notes, value_fns=frozenset()
        )
        if seg is None:
            continue
        if attr_m is None and len(seg.cells) < 2:
            continue
        row_end = attr_m.end() if attr_m else core_end
        attr = attr_m.group(1) if attr_m else None
        rows.append(_StreamRow(pos, name_raw, core_start, items, attr, row_end, lead_ok))
        pos = row_end
    return rows


@dataclass
class _NameInfo:
    name: str
    unit: str
    category: str | None
    subcategory: str | None
    group: tuple[str, str] | None
    marks: list[tuple[int, str]]
    text_start: int
    row_text: str


def _read_names(rows: list[_StreamRow], notes: dict[int, str]) -> list[_NameInfo]:
    infos: list[_NameInfo] = []
    category: str | None = None
    subcategory: str | None = None
    group: tuple[str, str] | None = None
    for r in rows:
        nt = r.name_raw
        parts = list(_NUMBERED.finditer(nt))
        offset = 0
        numbered = False
        if parts:
            pre = _squash(nt[: parts[0].start()])
            if pre:
                category, subcategory, group = _clean_name(pre), None, None
            for p, q in itertools.pairwise(parts):
                head = _squash(nt[p.end() : q.start()])
                if head:
                    subcategory, group = _clean_name(_split_unit(head)[0]), None
            offset = parts[-1].start()
            numbered = True
        last_raw = nt[parts[-1].end() :] if parts else nt
        last_off = parts[-1].end() if parts else 0
        lead_ws = len(last_raw) - len(last_raw.lstrip())
        last_raw, last_off = last_raw.lstrip(), last_off + lead_ws
        sub = _SUBHEAD.match(last_raw) if numbered else None
        if sub is not None:
            rest = last_raw[sub.end() :]
            rest_sq = _squash(rest)
            if rest_sq and not rest_sq.startswith(_NAME_CONTINUES) and not _UNIT_AT_END.fullmatch(rest_sq):
                subcategory, group = sub.group(), None
                ws = len(rest) - len(rest.lstrip())
                last_raw, last_off = rest.lstrip(), last_off + sub.end() + ws
                offset, numbered = last_off, False
        if not numbered:
            offset = last_off
        text = _squash(last_raw)
        unit_m = _UNIT_PAREN.search(text)
        if unit_m is not None and text[unit_m.end() :]:
            title, _ = _name_markers(_clean_name(text[: unit_m.start()]), notes)
            group = (title, _norm_unit(unit_m.group(1)))
            text = text[unit_m.end() :]
        elif numbered:
            group = None
        name_text, unit = _split_unit(text)
        name, marks = _name_markers(_clean_name(name_text), notes)
        if unit:
            group = None
        elif group is not None:
            name, unit = _group_item_name(group[0], name), group[1]
        infos.append(
            _NameInfo(name, unit, category, subcategory, group, marks, r.name_start + offset, nt[offset:])
        )
    return infos


def _parse_stream(
    doc: Document, header: re.Match[str], years: list[int], has_cum: bool, cum_fn: int | None
) -> ExtractedTable | None:
    text = doc.text
    body_start = header.end()
    limit = min(len(text), body_start + 12000)
    head = _BODY_END.search(text, body_start, limit)
    body_end = head.start() if head else limit
    notes, notes_end = _parse_notes(text, body_end) if head else ({}, body_end)
    ny = len(years)
    keys = frozenset(notes)
    rows = _stream_rows(text, body_start, body_end, ny, has_cum, keys)
    if len(rows) < 2:
        return None
    if head is not None and text[rows[-1].end : body_end].strip():
        notes, notes_end = {}, rows[-1].end
        keys = frozenset()
        rows = _stream_rows(text, body_start, body_end, ny, has_cum, keys)
    infos = _read_names(rows, notes)

    # pass 1: segment without value footnotes; collect the notes names and the header refer to
    def seg(i: int, value_fns: frozenset[int]) -> _Seg | None:
        return _segment(
            rows[i].items,
            ny=ny,
            has_cum=has_cum,
            percent=infos[i].unit == "%",
            lead_ok=rows[i].lead_ok,
            notes=keys,
            value_fns=value_fns,
        )

    segs = [seg(i, frozenset()) for i in range(len(rows))]
    where: dict[int, int] = {}  # note -> row index (-1: header)
    if cum_fn is not None:
        where[cum_fn] = -1
    for i, (info, sg) in enumerate(zip(infos, segs, strict=True)):
        for k, _ in info.marks:
            where.setdefault(k, i)
        if sg is not None and sg.lead_fn is not None:
            where.setdefault(sg.lead_fn, i)
    value_fn_rows: dict[int, _Seg] = {}
    for k in sorted(set(notes) - set(where) - {0}):
        lo = max((r for n, r in where.items() if n < k), default=-1)
        hi = min((r for n, r in where.items() if n > k), default=len(rows) - 1)
        best: tuple[float, int, _Seg] | None = None
        for i in range(max(lo, 0), hi + 1):
            alt = seg(i, frozenset({k}))
            old = segs[i]
            if alt is None or not any(c.fn == k for c in alt.cells):
                continue
            gain = alt.score - (old.score if old is not None else -10.0)
            if gain > _ORPHAN_GAIN:  # notes are numbered in reading order: the first plausible cell
                best = (gain, i, alt)
                break
        if best is not None:
            value_fn_rows[best[1]] = best[2]
            where[k] = best[1]
    segs = [value_fn_rows.get(i, s) for i, s in enumerate(segs)]

    out: list[ExtractedIndicator] = []
    carry: list[tuple[int, str, tuple[str | None, str | None]]] = []
    prev: tuple[_NameInfo, str | None] | None = None
    for row, info, sg in zip(rows, infos, segs, strict=True):
        if sg is None:
            continue
        scope = (info.category, info.subcategory)
        carry = [c for c in carry if c[2] == scope]
        fns: set[int] = set()
        for k, phrase in info.marks:
            fns.add(k)
            if phrase:
                carry.append((k, phrase, scope))
        for k, phrase, _ in carry:
            if phrase in info.name:
                fns.add(k)
        if sg.lead_fn is not None:
            fns.add(sg.lead_fn)
            carry.append((sg.lead_fn, info.name, scope))
        conf = 1.0
        attribute = _ATTRS.get(row.attr or "")
        if attribute is None and prev is not None and info.group is not None and prev[0].group == info.group:
            attribute = prev[1]
            conf -= 0.1
        if sg.margin < 1.0:
            conf -= 0.1
        if any(c.fn is not None for c in sg.cells):
            conf -= 0.1
        name_cell = re.sub(r"\s+", "", info.row_text) + (str(sg.lead_fn) if sg.lead_fn is not None else "")
        cells = [name_cell] + [c.raw for c in sg.cells] + ([row.attr] if row.attr else [])
        build = _RowBuild(
            name=info.name,
            unit=info.unit,
            category=info.category,
            attribute=attribute,
            slots=sg.slots,
            fns=fns,
            start=info.text_start,
            end=row.end,
            cells=cells,
            confidence=conf,
        )
        out.append(_build(text, build, years, has_cum, cum_fn, notes))
        prev = (info, attribute)
    title, title_start = _title(text, header.start())
    end = notes_end if notes else rows[-1].end
    return ExtractedTable(title, years, out, notes, Span.of(text, title_start, end))


# ---------------------------------------------------------------------------
# the grid parser (tab-separated or Markdown pipe rows)

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


# ---------------------------------------------------------------------------


def extract_tables(doc: Document) -> list[ExtractedTable]:
    """Every indicator table of ``doc`` (a header row with column years and 属性).

    Returns
    -------
    list of ExtractedTable
        In document order; empty when the document has no indicator table.
    """
    text = doc.text
    found: list[tuple[int, ExtractedTable]] = []
    covered: list[tuple[int, int]] = []
    lines: list[tuple[int, str]] = []
    off = 0
    for ln in text.splitlines(keepends=True):
        lines.append((off, ln.rstrip("\r\n")))
        off += len(ln)
    for i, (off, line) in enumerate(lines):
        cells = _split_grid(line)
        if cells is None or any(a <= off < b for a, b in covered):
            continue
        years = [c for c in cells if _YEAR_CELL.match(_squash(c))]
        if len(years) >= 2 and any("属性" in c for c in cells):
            grid = _parse_grid(doc, _nonblank_run(lines, i), 0)
            if grid is not None:
                found.append((off, grid))
                covered.append((grid.span.start, grid.span.end))
    for m in _HEADER.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
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
            covered.append((table.span.start, table.span.end))
    return [t for _, t in sorted(found, key=lambda x: x[0])]


def _nonblank_run(lines: list[tuple[int, str]], i: int) -> list[tuple[int, str]]:
    """The header line and the lines after it up to the first blank line (a grid's rows)."""
    run = [lines[i]]
    for off, ln in lines[i + 1 :]:
        if not ln.strip():
            break
        run.append((off, ln))
    return run

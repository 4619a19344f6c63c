"""The stream parser: flattened and one-cell-per-line tables.

Line breaks and spacing are ignored (whitespace only separates cells); a row is
a name, a value chunk and optionally its attribute (约束性/预期性). Text before a
numbered item (``生态环境质量1.空气质量…``) is a category heading carried down to
the following rows; a numbered heading with a unit followed by sub-items
(``5.主要污染物排放总量减少（%）化学需氧量…氨氮…``) is a group whose sub-items are
named after it (``氨氮排放总量减少``), share its unit and inherit a missing
attribute. A footnote mark also applies to later rows of the same sub-heading
that repeat the marked phrase (``地表水质量3…`` / ``地表水质量劣Ⅴ类…``), and a note
no name or header refers to is glued to a number between the neighbouring
notes' rows (``15.74`` = 15.7 with note 4).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables.cellnorm import strip_number_label
from ecoplan.plans.extract.tables.cells import _CHUNK, _Item, _lex
from ecoplan.plans.extract.tables.header import _pre_columns, _title
from ecoplan.plans.extract.tables.model import ExtractedIndicator, ExtractedTable, NotUnderstood
from ecoplan.plans.extract.tables.notes import _BODY_END, _parse_notes
from ecoplan.plans.extract.tables.rows import _build, _group_item_name, _name_markers, _RowBuild
from ecoplan.plans.extract.tables.segment import _ORPHAN_GAIN, _Seg, _segment
from ecoplan.plans.extract.tables.text import (
    _ATTRS,
    _CJK,
    _CN_UNITS,
    _UNIT_AT_END,
    _UNIT_BODY,
    _UNIT_PAREN,
    _clean_name,
    _norm_unit,
    _split_unit,
    _squash,
    _unit_paren,
)

_ATTR_AFTER = re.compile(r"\s*(约束性|预期性)")
_ATTR_IN = re.compile(r"约束性|预期性")
_SEQ_NUMBER = re.compile(r"[0-9０-９]{1,3}")
_NUMBERED = re.compile(
    r"(?<![0-9０-９.．A-Za-z])([0-9０-９]{1,2})[.．、](?![0-9０-９])|[（(][0-9０-９]{1,2}[)）]|[①-⑳]"
)
_TRAILING_NUMBERED = re.compile(r"(?<![0-9０-９.．])[0-9０-９]{1,2}[.．、]$")
_SUBHEAD = re.compile(
    r"(?:大气环境|空气|大气|水环境|地表水|地下水|水|海洋环境|海洋|近岸海域|土壤环境|土壤|"
    r"声环境|声|生态环境|生态|城市环境|农村环境|辐射环境)(?:环境)?(?:质量|状况)"
)
_NAME_CONTINUES = (
    *("优良", "达标", "综合", "指数", "平均", "年均"),
    *("浓度", "天数", "比例", "比率", "改善", "达到", "劣", "好于", "优于", "极差", "较差", "良好"),
)


@dataclass
class _StreamRow:
    name_start: int
    name_raw: str
    core_start: int
    items: list[_Item]
    attr: str | None
    end: int
    lead_ok: bool
    #: Text before the name that ends with an attribute: a row the reader could not split.
    lost: tuple[int, int] | None = None


def _stream_rows(
    text: str,
    start: int,
    end: int,
    ny: int,
    has_cum: bool,
    notes: frozenset[int],
    seq: bool = False,
    unit_col: bool = False,
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
        if unit_col and core[0] in "%％‰":  # the 单位 cell "%" before the values
            rest = core[1:].lstrip()
            core_start, core = core_start + len(core) - len(rest), rest
            if not core:
                continue
        core_end = core_start + len(core)
        before = text[core_start - 1] if core_start > 0 else ""
        if before.isascii() and before.isalpha():
            continue
        if text.startswith("年", core_end) and re.search(r"(?:19|20)\d{2}$", core):
            continue  # a year in running text (到2030年), not a value
        if before in "（(" and text.startswith(("）", ")"), core_end) and core.isdigit():
            continue  # a label (（3）) before a name, not a value
        name_raw = text[pos:core_start]
        squashed = _squash(name_raw)
        if not squashed:
            continue
        if "。" in squashed or len(squashed) > 80:
            break
        if seq and _SEQ_NUMBER.fullmatch(core) and not _ATTR_AFTER.match(text, core_end):
            continue  # the 序号 after a category cell ("应对气候变化 / 12 / 单位…"), not a value
        items = _lex(core)
        if not items:
            continue
        lead_ok = bool(re.match(rf"[{_CJK}]", before))
        attr_m = _ATTR_AFTER.match(text, core_end) if trail is None else None
        seg = _segment(
            items, ny=ny, has_cum=has_cum, percent=False, lead_ok=lead_ok, notes=notes, value_fns=frozenset()
        )
        if seg is None and unit_col and len(items) > 1 and items[0].kind == "dash":
            # one cell too many: the leading "—" is the 单位 cell of an indicator without a unit
            rest = core[core.index(items[0].raw) + len(items[0].raw) :].lstrip()
            core_start, core, items = core_start + len(core) - len(rest), rest, items[1:]
            name_raw = text[pos:core_start]
            seg = _segment(
                items,
                ny=ny,
                has_cum=has_cum,
                percent=False,
                lead_ok=False,
                notes=notes,
                value_fns=frozenset(),
            )
        if seg is None:
            continue
        if attr_m is None and len(seg.cells) < 2:
            continue
        row_end = attr_m.end() if attr_m else core_end
        attr = attr_m.group(1) if attr_m else None
        lost: tuple[int, int] | None = None
        missed = list(_ATTR_IN.finditer(name_raw))
        if missed and _squash(name_raw[missed[-1].end() :]):
            lost = (pos + len(name_raw) - len(name_raw.lstrip()), pos + missed[-1].end())
            name_raw = name_raw[missed[-1].end() :]
        rows.append(
            _StreamRow(core_start - len(name_raw), name_raw, core_start, items, attr, row_end, lead_ok, lost)
        )
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


@dataclass(frozen=True)
class _Lead:
    """What a row's name text starts with under a header with category/序号 columns."""

    start: int  # where the rest of the name text starts
    category: str | None = None
    numbered: bool = False
    title: str | None = None  # a group heading (numbered, without values) before this sub-row


_SEQ_LEAD = re.compile(
    rf"[\s\u3000]*(?P<cat>[^0-9０-９（(\n]{{0,20}}?)[\s\u3000]*(?P<num>[0-9０-９]{{1,3}})"
    rf"(?![0-9０-９.．%％])[\s\u3000]*(?=[{_CJK}A-Za-z（(“‘\"《])"
)


_LINE = re.compile(r"[^\n]+")
#: Category names glued before the first name of their rows in a flattened table.
_KNOWN_CATEGORY = re.compile(
    r"[\s\u3000]*((?:生态环境质量|环境质量|环境治理|污染防治|主要污染物减排|污染物减排|污染减排|总量控制|"
    r"应对气候变化|绿色低碳发展|绿色低碳|绿色发展|生态保护修复|生态保护|生态建设|生态质量|生态状况|"
    r"环境风险防控|风险防控|环境安全|资源利用|资源节约|环境基础设施建设|环境基础设施|核与辐射安全|"
    rf"城乡环境|农村环境|环境管理)(?:类)?)[\s\u3000]*(?=[{_CJK}A-Za-z]{{4}})(?!{'|'.join(_NAME_CONTINUES)}|指数)"
)


def _lead(nt: str, has_cat: bool, has_seq: bool, has_unit: bool = False) -> _Lead:
    """Split the category, 序号 and group heading off a row's name text.

    With a 序号 column the number separates the category (before it, present
    on the first row of a merged category) from the name; in the
    one-cell-per-line layout a numbered name of two or more lines whose last
    line is short is a group heading and its first sub-row (``1`` /
    ``主要污染物排放总量减少`` / ``化学需氧量``). Without 序号, a category
    column shows as a line of its own before the name.
    """
    if has_seq:
        m = _SEQ_LEAD.match(nt)
        if m is None:
            return _Lead(0)
        cat = _squash(m.group("cat"))
        lines = [x for x in _LINE.finditer(nt, m.end()) if x.group().strip()]
        if has_unit and lines and _UNIT_CELL.fullmatch(_squash(lines[-1].group())):
            lines = lines[:-1]  # the 单位 cell, not a sub-row
        lead = _Lead(m.end(), _clean_name(cat) if cat else None, True)
        if len(lines) >= 2 and len(_squash(lines[-1].group())) <= 12:
            title = _squash(nt[m.end() : lines[-1].start()])
            if not title.endswith(_NAME_CONTINUES) and not _squash(lines[-1].group()).startswith(
                _NAME_CONTINUES
            ):
                return _Lead(lines[-1].start(), lead.category, True, title)
        return lead
    if has_cat:
        lines = [x for x in _LINE.finditer(nt) if x.group().strip()]
        if has_unit and lines and _UNIT_CELL.fullmatch(_squash(lines[-1].group())):
            lines = lines[:-1]  # the 单位 cell
        if len(lines) >= 2 and not _UNIT_PAREN.search(lines[0].group()):
            return _Lead(lines[1].start(), _clean_name(lines[0].group()))
        m = _KNOWN_CATEGORY.match(nt)  # flattened onto one line: only a known category name is split off
        if m is not None:
            return _Lead(m.end(), m.group(1))
    return _Lead(0)


_UNIT_CELL = re.compile(rf"(?:{_UNIT_BODY})|[-—–/]|无|无量纲")
#: A unit column flattened onto the name's line: only units that cannot end a name (%, x/y, 万吨,
#: m², a dash for none).
_UNIT_GLUED = re.compile(
    rf"(?:[%‰％]|(?:{_CN_UNITS}|[A-Za-zμµ]+[23²³]?)/[^\s/]{{1,8}}|[万亿千百]{_CN_UNITS}"
    r"|立方米|平方公里|平方米|公顷|千瓦时|吨标准煤|[A-Za-zμµ]+[23²³]|[-—–])$"
)
_NO_UNIT = frozenset({"-", "—", "–", "/", "无", "无量纲"})


def _unit_cell(name_text: str) -> tuple[int, str] | None:
    """The 单位 cell at the end of a row's name text: (where it starts, the unit), or None.

    One cell per line: the name's last line when it is a unit; flattened: a ``%`` or
    ``x/y`` unit glued to the name's end.
    """
    lines = [m for m in _LINE.finditer(name_text) if m.group().strip()]
    if len(lines) >= 2 and _UNIT_CELL.fullmatch(_squash(lines[-1].group())):
        return lines[-1].start(), _squash(lines[-1].group())
    squashed = name_text.rstrip()
    m = _UNIT_GLUED.search(squashed)
    if m is not None and m.start() > 0 and not _UNIT_AT_END.search(squashed):
        return m.start(), m.group()
    return None


def _read_names(
    rows: list[_StreamRow],
    notes: dict[int, str],
    has_cat: bool = False,
    has_seq: bool = False,
    has_unit: bool = False,
) -> list[_NameInfo]:
    infos: list[_NameInfo] = []
    category: str | None = None
    subcategory: str | None = None
    group: tuple[str, str] | None = None
    for r in rows:
        lead = _lead(r.name_raw, has_cat, has_seq, has_unit) if has_cat or has_seq else _Lead(0)
        if lead.category is not None:
            category, subcategory, group = lead.category, None, None
        if lead.numbered:
            group = None
        if lead.title is not None:
            title_text, title_unit = _split_unit(lead.title)
            group = (_name_markers(_clean_name(title_text), notes)[0], title_unit)
        base = lead.start
        nt = r.name_raw[base:]
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
        unit_cell = _unit_cell(last_raw) if has_unit else None
        if unit_cell is not None:
            last_raw = last_raw[: unit_cell[0]]
        text, _ = strip_number_label(_squash(last_raw))
        unit_m = _unit_paren(text)
        if unit_m is not None and text[unit_m.end() :]:
            title, _ = _name_markers(_clean_name(text[: unit_m.start()]), notes)
            group = (title, _norm_unit(unit_m.group(1)))
            text = text[unit_m.end() :]
        elif numbered:
            group = None
        name_text, unit = _split_unit(text)
        if unit_cell is not None and not unit:
            unit = _norm_unit(unit_cell[1]) if unit_cell[1] not in _NO_UNIT else ""
        name, marks = _name_markers(_clean_name(name_text), notes)
        if unit:
            group = None
        elif group is not None:
            name, unit = _group_item_name(group[0], name), group[1]
        infos.append(
            _NameInfo(
                name, unit, category, subcategory, group, marks, r.name_start + base + offset, nt[offset:]
            )
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
    header_start, pre_text = _pre_columns(text, header.start())
    pre = _squash(pre_text)
    seq = "号" in pre
    unit_col = header.group("unit") is not None
    rows = _stream_rows(text, body_start, body_end, ny, has_cum, keys, seq, unit_col)
    if len(rows) < 2:
        return None
    if head is not None and text[rows[-1].end : body_end].strip():
        notes, notes_end = {}, rows[-1].end
        keys = frozenset()
        rows = _stream_rows(text, body_start, body_end, ny, has_cum, keys, seq, unit_col)
    has_cat = bool(re.search("类别|类型|领域|分类", pre))
    infos = _read_names(rows, notes, has_cat=has_cat, has_seq=seq, has_unit=unit_col)

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
    dropped: list[NotUnderstood] = []
    for row, info, sg in zip(rows, infos, segs, strict=True):
        if sg is None:  # its values read no way that fits the columns and the unit (667 in a % row)
            values = _squash(text[row.core_start : row.end])
            dropped.append(NotUnderstood(values, info.name, Span.of(text, info.text_start, row.end)))
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
    title, title_start = _title(text, header_start)
    end = notes_end if notes else rows[-1].end
    unread = [
        NotUnderstood(
            _squash(text[a:b]),
            _squash(re.split(r"[0-9０-９〔（(]", text[a:b], maxsplit=1)[0]),
            Span.of(text, a, b),
        )
        for a, b in (r.lost for r in rows if r.lost is not None)
    ]
    unread += dropped + [n for row in out for n in row.not_understood]
    unread.sort(key=lambda n: n.span.start)
    return ExtractedTable(title, years, out, notes, Span.of(text, title_start, end), unread)

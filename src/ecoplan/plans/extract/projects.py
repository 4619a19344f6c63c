"""Key projects and lists in 专栏 boxes, with their stated totals checked.

Plans put their key projects (重点工程) and the lists a task applies to (the
580 priority control units, the 16 heavy-metal demonstration areas, the 29
eutrophic lakes) in boxes headed ``专栏N``. :func:`extract_projects` finds the
boxes, splits each into items and, where a list states how many members it
has, counts the members it names.

Heuristics
----------
*Where a box is.* A box starts at its ``专栏N`` heading. When the heading has
a line of its own, the box runs to the next heading (chapter, section, part
``十三、``, another box) or page-jump marker. When the copy has lost its line
breaks and the box is glued into the running text, it runs to the next heading
but stops earlier after its last numbered item, at the first *lead sentence*
of the running text that resumes there: a short sentence (at most 24
characters) without ``，、；：`` that starts with a verb (``加强汞污染控制。``,
``实施流域污染综合治理。``) and has more text after it. A box whose heading is
printed *after* its content — a newspaper moving a box across a page jump,
``下转八版`` / items / ``专栏5 …`` / ``上接六版`` — takes the block between
the jump marker and its heading.

*Items.* Sequentially numbered markers ``（一）（二）…``, else ``1. 2. …``
(notes after ``注：`` are not part of the last item), else the box's
paragraphs when it has lines of its own, else its sentences.

*Lists with a stated total* become extra :class:`ProjectList` entries after
their box, with ids ``box-N.1``, ``box-N.2`` …:

1. an item heading with a count: ``（一）长江流域（108个）。`` followed by
   members ``A控制单元等40个单元……；B控制单元……`` (each ``；`` clause counts its
   ``等N个`` or 1) or by a ``、`` list;
2. ``N个X……，包括：A、B、C等。``;
3. a stated total whose members are not named: ``以580个优先控制单元为重点``,
   ``对378个……江河湖库实施``, ``在N个X开展|实施``, ``选择N个X开展``
   (``counted`` is None).

A ``、`` list counts its members outside brackets (``赣州大余县浮江河流域
（砷）、三门峡灵宝市宏农涧河流域（镉、汞）`` is two), splits the last member
at ``和`` (``三沙市和海南省直辖县级行政区``), and drops a trailing ``等``. A
two-level list (groups separated by ``，``, members by ``、``) does not count a
bare province or city name that only qualifies the next member (``安徽省、湖北省
南漪湖`` is one lake).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from ecoplan.plans.extract.commitments import find_quantity
from ecoplan.plans.extract.document import (
    LEAD_VERBS,
    Heading,
    PageJump,
    SkipRanges,
    cleaned,
    find_headings,
    find_page_jumps,
    is_blank,
    paragraphs,
    zh_number,
)
from ecoplan.plans.extract.spans import Document, Span

__all__ = ["ProjectItem", "ProjectList", "extract_projects"]


@dataclass(frozen=True)
class ProjectItem:
    """One item of a box or list: its text (cleaned for reading), the first
    quantity it states, and where it is."""

    text: str
    quantity: str | None
    span: Span


@dataclass(frozen=True)
class ProjectList:
    """A 专栏 box (``box-5``) or a list with a stated total inside one (``box-5.1``).

    Attributes
    ----------
    id
        ``box-N`` for 专栏N; ``box-N.k`` for the k-th list with a stated total
        in it; a repeated box number gets ``-2``, ``-3``.
    title
        ``专栏5 重金属综合整治示范``; a list's title adds what it counts:
        ``专栏5 重金属综合整治示范 / 区域综合防控（16个）``.
    items
        The box's items, or the list's members.
    stated_total
        The total the text states, or None.
    counted
        How many members the text names (None when it names none).
    consistent
        ``stated_total == counted`` when both are known, else None.
    span
        The box or the list in the document.
    """

    id: str
    title: str
    items: list[ProjectItem]
    stated_total: int | None
    counted: int | None
    consistent: bool | None
    span: Span


def extract_projects(doc: Document) -> list[ProjectList]:
    """The 专栏 boxes of ``doc`` (in document order), each followed by the
    lists with a stated total found in it.

    Parameters
    ----------
    doc
        A loaded document.

    Returns
    -------
    list[ProjectList]
        Boxes have ids ``box-N``; their lists ``box-N.k``.
    """
    text = doc.text
    headings = find_headings(text)
    jumps = find_page_jumps(text)
    skip = SkipRanges([(j.start, j.end) for j in jumps])
    where = _Layout(headings, jumps)
    out: list[ProjectList] = []
    used: dict[str, int] = {}
    for h in headings:
        if h.level != "box":
            continue
        a, b = _box_region(text, h, where)
        box_id = f"box-{h.number}"
        used[box_id] = used.get(box_id, 0) + 1
        if used[box_id] > 1:
            box_id += f"-{used[box_id]}"
        title = f"专栏{h.number} {h.title}".strip()
        ranges = _item_ranges(text, a, b, h.own_line, jumps)
        if ranges and not h.own_line:
            b = _cut_at_lead_sentence(text, ranges, b)
            ranges[-1] = (ranges[-1][0], min(ranges[-1][1], b))
        items = [it for r in ranges if (it := _item(text, r, skip)) is not None]
        intro = cleaned(text, [(a, ranges[0][0] if ranges else b)], skip)[0]
        stated = _intro_total(h.title + intro)
        counted = len(items) if stated is not None else None
        lo, hi = min(a, h.start), max(b, h.end)
        out.append(
            ProjectList(
                box_id, title, items, stated, counted, _consistent(stated, counted), _span(text, lo, hi)
            )
        )
        k = 0
        for r in ranges or [(a, b)]:
            for sub in _lists_in(text, r, skip):
                k += 1
                out.append(
                    ProjectList(
                        f"{box_id}.{k}",
                        f"{title} / {sub.title}",
                        sub.items,
                        sub.stated,
                        sub.counted,
                        _consistent(sub.stated, sub.counted),
                        sub.span,
                    )
                )
    return out


def _consistent(stated: int | None, counted: int | None) -> bool | None:
    return None if stated is None or counted is None else stated == counted


def _span(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Span.of(text, a, b)


# --- where a box is ------------------------------------------------------------


class _Layout:
    """A document's headings and page jumps (both in text order), with their
    positions listed once so each box finds its neighbours by bisection."""

    def __init__(self, headings: list[Heading], jumps: list[PageJump]) -> None:
        self.heading_starts = [g.start for g in headings]
        self.jumps = jumps
        self.jump_starts = [j.start for j in jumps]
        self.downs = [j for j in jumps if j.direction == "down"]
        self.down_ends = [j.end for j in self.downs]


_ITEM_AHEAD = re.compile(r"\s*（[一二三四五六七八九十]+）|\s*\d{1,2}[.．]")


def _box_region(text: str, h: Heading, where: _Layout) -> tuple[int, int]:
    """The box's content as ``(start, end)`` (the heading excluded)."""
    g = bisect.bisect_left(where.heading_starts, h.end)
    upper = where.heading_starts[g] if g < len(where.heading_starts) else len(text)
    if h.own_line:
        k = bisect.bisect_left(where.jump_starts, h.end)
        nxt_jump = where.jumps[k] if k < len(where.jumps) else None
        blank = is_blank(text, h.end, nxt_jump.start if nxt_jump else upper)
        if nxt_jump is not None and nxt_jump.start < upper and blank:
            # the heading is followed by a page jump: the content was printed before it
            d = bisect.bisect_right(where.down_ends, h.start) - 1
            down = where.downs[d] if d >= 0 else None
            up_next = nxt_jump.direction == "up" and down is not None
            if up_next and down is not None and _ITEM_AHEAD.match(text, down.end, h.start):
                return down.end, h.start
            return h.end, h.end
        if nxt_jump is not None:
            upper = min(upper, nxt_jump.start)
    return h.end, upper


_ITEM_ZH = re.compile(r"（([一二三四五六七八九十]+)）")
_ITEM_NUM = re.compile(r"(?<![\d.．〔])(\d{1,2})[.．](?!\d)")


def _item_ranges(text: str, a: int, b: int, own_line: bool, jumps: list[PageJump]) -> list[tuple[int, int]]:
    for pattern, number in ((_ITEM_ZH, zh_number), (_ITEM_NUM, int)):
        starts: list[int] = []
        for m in pattern.finditer(text, a, b):
            # what stands before the marker (spaces skipped), looked at from
            # the marker back, never re-read from the box's start
            k = m.start()
            while k > a and text[k - 1] in " \t\u3000":
                k -= 1
            if text[max(a, k - 2) : k] in ("注：", "注:"):
                break  # the notes under a table restart the numbering
            if number(m.group(1)) != len(starts) + 1:
                continue
            if pattern is _ITEM_ZH and k > a and text[k - 1] not in "。；：:\n":
                continue
            starts.append(m.start())
        if starts:
            bounds = [*starts, b]
            ranges = list(itertools.pairwise(bounds))
            last_a, last_b = ranges[-1]
            note = re.search(r"注[：:]", text[last_a:last_b])
            if note:  # notes under the last item are not part of it
                ranges[-1] = (last_a, last_a + note.start())
            return ranges
    if own_line:
        return paragraphs(text, a, b, jumps=jumps)
    out = []
    pos = a
    for m in re.finditer(r"[。；]", text[a:b]):
        out.append((pos, a + m.end()))
        pos = a + m.end()
    if text[pos:b].strip():
        out.append((pos, b))
    return out


def _cut_at_lead_sentence(text: str, ranges: list[tuple[int, int]], end: int) -> int:
    """Where the running text resumes inside a glued box's last item."""
    a, b = ranges[-1]
    sentences = []
    pos = a
    for m in re.finditer(r"[。；]", text[a:b]):
        sentences.append((pos, a + m.end()))
        pos = a + m.end()
    for s, e in sentences[1:]:
        sentence = text[s:e].strip()
        body = sentence.rstrip("。；")
        if (
            len(body) <= 24
            and not re.search(r"[，、；：,]", body)
            and body.startswith(LEAD_VERBS)
            and not is_blank(text, e, end)
        ):
            return s
    return end


# --- items and lists -------------------------------------------------------------

_LEAD_MARK = re.compile(r"^\s*(?:（[一二三四五六七八九十]+）|\d{1,2}[.．](?!\d)|——|[-*•·])\s*")


def _item(text: str, r: tuple[int, int], skip: SkipRanges) -> ProjectItem | None:
    clean, where = cleaned(text, [r], skip)
    m = _LEAD_MARK.match(clean)
    lead = m.end() if m else 0
    body = clean[lead:].strip()
    if not body:
        return None
    first = lead + (len(clean[lead:]) - len(clean[lead:].lstrip()))
    return ProjectItem(
        body, find_quantity(body), Span.of(text, where[first], where[first + len(body) - 1] + 1)
    )


def _intro_total(s: str) -> int | None:
    m = re.search(r"(\d+)\s*[个项]", s)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class _Sub:
    title: str
    items: list[ProjectItem]
    stated: int
    counted: int | None
    span: Span


_HEAD_TOTAL = re.compile(r"^\s*(?:（[一二三四五六七八九十]+）)?\s*([^。（]{1,20}（(\d+)\s*个）)[。：:]?")
_INCLUDES = re.compile(r"(\d+)\s*个([^，。；：]{1,40})[，,]?\s*包括[：:]\s*([^。]+)")
_UNENUMERATED = re.compile(
    r"(?:以[^，。；]{0,20}?(\d+)\s*个([^，。；]{1,25}?)为重点"
    r"|对[^，。；]{0,20}?(\d+)\s*个([^，。；]{1,30}?)实施"
    r"|(?:在|选择)(\d+)\s*个([^，。；]{1,25}?)(?:开展|实施))"
)
_NOUN_CUT = re.compile(r"实施|开展|推进|建设|为重点|汇水范围|范围内")
_ADMIN = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|市|自治区|特别行政区|自治州|地区|盟)$")


def _lists_in(text: str, r: tuple[int, int], skip: SkipRanges) -> list[_Sub]:
    clean, where = cleaned(text, [r], skip)
    if not clean:
        return []

    def span(a: int, b: int) -> Span:
        while a < b and clean[a].isspace():
            a += 1
        return Span.of(text, where[a], where[b - 1] + 1)

    def items(ranges: list[tuple[int, int]]) -> list[ProjectItem]:
        return [
            ProjectItem(clean[a:b], find_quantity(clean[a:b]), span(a, b))
            for a, b in ranges
            if clean[a:b].strip()
        ]

    subs: list[_Sub] = []
    taken: list[tuple[int, int]] = []
    head = _HEAD_TOTAL.match(clean)
    if head:
        body_start = head.end()
        body_end = len(clean)
        body = clean[body_start:body_end]
        if "；" in body:
            ranges = _split_top(clean, body_start, body_end, "；。")
            counted = 0
            for a, b in ranges:
                n = re.search(r"等(\d+)\s*个", clean[a:b])
                counted += int(n.group(1)) if n else 1
        else:
            first_end = clean.find("。", body_start)
            ranges = _members(clean, body_start, first_end if first_end >= 0 else body_end)
            counted = len(ranges)
        subs.append(
            _Sub(
                head.group(1).strip(), items(ranges), int(head.group(2)), counted or None, span(0, len(clean))
            )
        )
        taken.append((0, len(clean)))
    for m in _INCLUDES.finditer(clean):
        if any(a <= m.start() < b for a, b in taken):
            continue
        noun = _NOUN_CUT.split(m.group(2))[0]
        ranges = _members(clean, m.start(3), m.end(3))
        subs.append(
            _Sub(
                f"{m.group(1)}个{noun}", items(ranges), int(m.group(1)), len(ranges), span(m.start(), m.end())
            )
        )
        taken.append((m.start(), m.end()))
    for m in _UNENUMERATED.finditer(clean):
        n_at = m.start(1) if m.group(1) else m.start(3) if m.group(3) else m.start(5)
        if any(a <= n_at < b for a, b in taken):
            continue
        groups = [g for g in m.groups() if g is not None]
        number, noun = int(groups[0]), _NOUN_CUT.split(groups[1])[0]
        subs.append(_Sub(f"{number}个{noun}", [], number, None, span(n_at, m.end())))
    subs.sort(key=lambda s: s.span.start)
    return subs


def _split_top(s: str, a: int, b: int, seps: str) -> list[tuple[int, int]]:
    """Split ``s[a:b]`` at ``seps`` outside brackets, as trimmed ranges."""
    out: list[tuple[int, int]] = []
    depth = 0
    pos = a
    for i in range(a, b):
        c = s[i]
        if c in "（(《“":
            depth += 1
        elif c in "）)》”" and depth:
            depth -= 1
        elif c in seps and depth == 0:
            out.append((pos, i))
            pos = i + 1
    out.append((pos, b))
    trimmed = []
    for x, y in out:
        while x < y and s[x] in " \u3000，、；。等":
            x += 1
        while y > x and s[y - 1] in " \u3000，、；。":
            y -= 1
        if y <= x or s[x:y] == "等":
            continue
        trimmed.append((x, y))
    return trimmed


def _members(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Members of a ``、`` list (maybe grouped by ``，``) in ``s[a:b]``."""
    # a trailing 等 ("……陕西省等") closes the list, it is not a member
    while b > a and s[b - 1] in " \u3000。":
        b -= 1
    if s[a:b].endswith("等"):
        b -= 1
    groups = _split_top(s, a, b, "，,")
    two_level = len(groups) > 1
    members: list[tuple[int, int]] = []
    for ga, gb in groups:
        parts = _split_top(s, ga, gb, "、")
        for x, y in parts:
            if two_level and _ADMIN.match(s[x:y]) and (x, y) != parts[-1]:
                continue  # 安徽省、湖北省南漪湖: a qualifier of the next member
            members.append((x, y))
    if len(members) >= 3:
        x, y = members[-1]
        k = s.find("和", x, y)
        if k > x and not re.search(r"[（(]", s[x:k]):
            members[-1:] = [(x, k), (k + 1, y)]
    return members

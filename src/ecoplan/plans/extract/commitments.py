"""Dated commitments: the clauses of a plan that promise something by a date.

``2017年底前，京津冀区域……划定生态保护红线`` becomes a :class:`Commitment`
due 2017-12-31, with the clause's text, the quantity it names, the unit it
makes responsible and the span it comes from.

How the text is cut into clauses
--------------------------------
1. :func:`~ecoplan.plans.extract.document.paragraphs` rejoins lines wrapped
   inside a sentence (OCR, PDF) and cuts at page-jump markers.
2. Headings are cut off, also when glued to the text (``第五节　严格评估考核
   环境保护部要……`` gives ``环境保护部要……``).
3. Sentences end at ``。；！？``.
4. A sentence broken by a newspaper page jump (``……生态建设与环境`` /
   ``下转八版`` … ``上接六版`` / ``保护制度化。``) is rejoined: its span then
   runs from the first part to the second (covering the markers and whatever
   was printed between), its text has neither marker.
5. A sentence with several deadlines is cut at the last comma before each
   deadline after the first, so each part keeps its own date.

Date rules
----------
=========================================  ===========================================
written                                    result
=========================================  ===========================================
``2017年底前``, ``2017年年底前``,          due 2017-12-31
``到2017年底``, ``2017年末``
``2020年前``, ``到2020年``, ``至2020年``   due 2020-12-31
``2018年6月底前``, ``到2018年6月``         due 2018-06-30 (end of that month)
``2017年9月前``                            due 2017-09-30: "before September" is read
                                           as "by the end of September", the plans'
                                           usage (a deadline month is the month the
                                           work must be done in)
``2017年9月30日前``                        due 2017-09-30
``2018年上半年``                           due 2018-06-30
``力争2020年建成``, ``2020年内``,          due 2020-12-31 (lower confidence)
``2017年全面采用``, ``2020年底`` (no 前),
``2015年，……全部迁出`` (a year opening
the clause)
``在2018年、2020年底``                     due 2018-12-31 (a listed year shares the
                                           deadline word of the next one)
``自2018年起``, ``从2017年开始``,          start 2018-01-01 (no due date)
``2016年起``, ``2018年7月起``              (start 2018-07-01)
``每年``/``每季度``/``每月``/``每半年``    recurrence ``yearly``/``quarterly``/
                                           ``monthly``/``half-yearly``; also
                                           ``weekly``, ``daily``, ``every-5-years``
=========================================  ===========================================

Not deadlines: ``截至2015年底`` (a status), ``比2015年下降``/``较2020年``
(a baseline), ``（2011—2015年）`` (a period), ``2020年前后`` (about),
``2016年11月24日`` (a date without 前). Years may be written ``2020 年``,
``２０２０年`` or ``二〇二〇年``. ``持续`` is not read as a recurrence: in these
plans it means "keep improving", not a schedule.

A clause with a date but no action (a heading, a table cell) is skipped, and
identical clauses are kept once.

Confidence
----------
0.9 for an explicit deadline (``前``, ``到``, ``起``), 0.75 for a weaker one
(``2020年底`` without ``前``, ``力争2020年``), 0.6 for a recurrence alone;
minus 0.15 when the clause has no recognised action verb, minus 0.1 when it is
very short or very long, plus 0.05 when a responsible unit is named.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ecoplan.plans.extract.document import (
    LEAD_VERBS,
    PageJump,
    SkipRanges,
    cleaned,
    find_headings,
    find_page_jumps,
    is_blank,
    paragraphs,
)
from ecoplan.plans.extract.spans import Document, Span

__all__ = [
    "Commitment",
    "DateExpr",
    "extract_commitments",
    "find_dates",
    "find_quantity",
    "find_responsible",
    "plan_start_year",
]


@dataclass(frozen=True)
class Commitment:
    """One dated commitment (a task with a deadline, start or schedule).

    Attributes
    ----------
    id
        ``c001``, ``c002`` … in document order.
    text
        The clause as people read it: page-jump markers, Markdown emphasis,
        layout line breaks and a leading list marker removed.
    due_date, start_date
        ISO dates (``2017-12-31``) or None; see the module's date rules.
    recurrence
        ``yearly``, ``half-yearly``, ``quarterly``, ``monthly``, ``weekly``,
        ``daily``, ``every-N-years`` or None.
    quantity
        The first number with a unit or percentage in the clause (``10%以上``,
        ``580个``, ``3000万亩``), or None.
    responsible
        The first unit or level named as the actor (``环境保护部``,
        ``各省（区、市）``), or None.
    span
        Where the clause is in the document (it may cover a page jump).
    confidence
        0..1, see the module notes.
    """

    id: str
    text: str
    due_date: str | None
    start_date: str | None
    recurrence: str | None
    quantity: str | None
    responsible: str | None
    span: Span
    confidence: float


@dataclass(frozen=True)
class DateExpr:
    """A date expression found in a clause (offsets into the searched string)."""

    start: int
    end: int
    kind: str  # "due" | "start"
    date: str  # ISO
    strong: bool  # an explicit deadline word (前, 到, 起) rather than a weaker reading


# --- dates -------------------------------------------------------------------

_ZH_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_ZH_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ZH_MONTH |= {"十一": 11, "十二": 12}

_DATE = re.compile(
    r"(?P<y>[12][0-9]{3}|[１２][０-９]{3}|[〇零一二][〇零一二三四五六七八九]{3})\s*年"
    r"(?:\s*(?P<m>1[0-2]|0?[1-9]|[１][０-２]|[０]?[１-９]|十[一二]?|[一二三四五六七八九])\s*月份?"
    r"(?:\s*(?P<d>[0-3]?[0-9])\s*[日号])?)?"
    r"(?P<tail>\s*(?:年底|年末|年内|底|末|内(?!蒙)|上半年|下半年))?"
)
_NOT_BEFORE = ("截至", "截止", "截止到", "比", "较", "同比", "相比", "与", "对比", "于是")
_WEAK_BEFORE = ("力争", "争取", "确保", "将于", "要在", "计划", "预计", "力求")
_RANGE_DASH = "—－-–～~"
_DONE_AFTER = ("全面", "基本", "完成", "建成", "实现", "建立", "启动", "出台")
_LISTED = re.compile(r"\s*[、和及]\s*")


def find_dates(s: str) -> list[DateExpr]:
    """Deadlines and start dates in ``s`` (see the module's date rules).

    The dates are classified last to first: a year listed before another
    (``2018年、2020年底``) takes the next one's kind, which is then already
    known — a long list costs one pass, not one pass per year (nor a
    recursion as deep as the list).
    """
    known: dict[int, DateExpr | None] = {}
    for m in reversed(list(_DATE.finditer(s))):
        known[m.start()] = _classify(s, m, known)
    return [d for d in reversed(known.values()) if d is not None]


def _year(raw: str) -> int:
    raw = raw.translate(_FW)
    if raw[0] in _ZH_DIGIT:
        raw = "".join(_ZH_DIGIT[c] for c in raw)
    return int(raw)


def _month(raw: str | None) -> int | None:
    if raw is None:
        return None
    raw = raw.translate(_FW)
    return int(raw) if raw.isdigit() else _ZH_MONTH.get(raw)


def _classify(s: str, m: re.Match[str], known: dict[int, DateExpr | None] | None = None) -> DateExpr | None:
    """The date ``m`` as a deadline or start, or ``None``; ``known``: the dates
    after it already classified, by their start."""
    pre = s[max(0, m.start() - 4) : m.start()].rstrip()
    post = s[m.end() : m.end() + 3].lstrip()
    tail = (m.group("tail") or "").strip()
    year, month = _year(m.group("y")), _month(m.group("m"))
    day = int(m.group("d")) if m.group("d") else None
    if not 1949 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return None
    if pre.endswith(_NOT_BEFORE) or post.startswith(("前后", "以来", "的基础")):
        return None
    if pre and pre[-1] in _RANGE_DASH and len(pre) >= 2 and pre[-2].isdigit():
        return None  # the end of a period: （2011—2015年）
    if post[:1] in _RANGE_DASH and post[1:2].isdigit():
        return None  # the start of a period: 2016—2020年
    kind: str | None = None
    strong = True
    if post.startswith(("前", "以前", "之前")):
        kind = "due"
    elif post.startswith(("起", "开始")) and not post.startswith("起草"):
        kind = "start"
    elif pre.endswith(("自", "从")):
        return None  # 从2016年到2020年: a period's start
    elif not s[: m.start()].strip() and month is None and post[:1] in "，,":
        kind, strong = "due", False  # "2015年，…全部迁出；2020年，…": a year opening the clause
    elif pre.endswith(("到", "至")):
        kind = "due"
    elif (
        tail in ("年底", "年末", "底", "末", "年内", "内", "上半年", "下半年")
        or pre.endswith(_WEAK_BEFORE)
        or post.startswith(_DONE_AFTER)
    ):
        kind, strong = "due", False
    else:
        # 在2018年、2020年底: a year listed before a deadline shares it
        nxt = _LISTED.match(s, m.end())
        if nxt:
            again = _DATE.match(s, nxt.end())
            if again is None:
                listed = None
            elif known is not None and again.start() in known:
                listed = known[again.start()]
            else:
                listed = _classify(s, again, known)
            if listed is not None and listed.kind == "due":
                kind, strong = "due", listed.strong
    if kind is None:
        return None
    try:
        if kind == "start":
            start_month = month or (7 if tail == "下半年" else 1)
            iso = f"{year:04d}-{start_month:02d}-{day or 1:02d}"
        else:
            if month is None:
                month = 6 if tail == "上半年" else 12
            last = calendar.monthrange(year, month)[1]
            if day is None or day > last:
                day = last
            iso = f"{year:04d}-{month:02d}-{day:02d}"
    except ValueError:
        return None
    # the words around the date, white space skipped (looked at in place: no
    # copy of the rest of the sentence per date)
    end = after = m.end()
    while after < len(s) and s[after].isspace():
        after += 1
    for word in ("以前", "之前", "前", "开始", "起"):
        if s.startswith(word, after):
            end = after + len(word)
            break
    start = before = m.start()
    while before > 0 and s[before - 1].isspace():
        before -= 1
    for word in ("截止到", *_WEAK_BEFORE, "应于", "要于", "须于", "于", "到", "至", "自", "从", "在"):
        if s.endswith(word, 0, before):
            start = before - len(word)
            break
    return DateExpr(start, end, kind, iso, strong)


_RECUR = re.compile(
    r"每\s*(?:(?P<n>[2-9]|[两二三四五六七八九十])\s*年|(?P<u>半年|季度|季|年度|年|月|周|日|天))"
)
_RECUR_NAMES = {
    "半年": "half-yearly",
    "季度": "quarterly",
    "季": "quarterly",
    "年度": "yearly",
    "年": "yearly",
    "月": "monthly",
    "周": "weekly",
    "日": "daily",
    "天": "daily",
}
_ZH_N = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _recurrence(s: str) -> tuple[str, int, int] | None:
    m = _RECUR.search(s)
    if not m:
        return None
    if m.group("n"):
        n = m.group("n")
        return f"every-{int(n) if n.isdigit() else _ZH_N[n]}-years", m.start(), m.end()
    return _RECUR_NAMES[m.group("u")], m.start(), m.end()


# --- quantities and responsible units ------------------------------------------

_UNITS = sorted(
    [
        "%", "％", "‰", "平方公里", "平方千米", "平方米", "立方米", "公顷", "亩", "公里", "千米",
        "米", "千瓦时", "千瓦", "蒸吨", "吨", "个", "家", "座", "处", "条", "项", "户", "株",
        "台", "辆", "套", "所", "人", "名", "块", "倍", "微克/立方米", "毫克/立方米", "毫克/升",
        "克/千瓦时", "吨/日", "立方米/日", "元", "度",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_QUANTITY = re.compile(
    r"(?<![A-Za-z0-9.．])(?:[0-9]+(?:\.[0-9]+)?)\s*多?\s*[万亿千百]?\s*(?:"
    + "|".join(re.escape(u).replace("/", r"\s*/\s*") for u in _UNITS)
    + r")(?:及以上|以上|以下|以内|左右)?"
)


def find_quantity(s: str) -> str | None:
    """The first number with a unit or percentage in ``s`` (spaces removed)."""
    for m in _QUANTITY.finditer(s):
        q = re.sub(r"\s+", "", m.group(0))
        if q.endswith("度") and not re.search(r"\d度", q):
            continue
        return q
    return None


_ACTORS = sorted(
    [
        "国务院有关部门", "国务院各有关部门", "国务院各部门", "地方各级人民政府", "地方各级政府",
        "各级地方政府", "县级以上地方人民政府", "县级以上人民政府", "县级及以上人民政府",
        "省级人民政府", "市级人民政府", "县级人民政府", "区县人民政府", "各级人民政府",
        "各级政府", "各省（区、市）", "各省(区、市)", "各省份", "各地区", "各地", "各市（区）",
        "各县（市、区）", "各县(市、区)", "各级生态环境部门", "各级环保部门", "生态环境部门",
        "环境保护部门", "环保部门", "有关部门", "相关部门", "环境保护部", "生态环境部",
        "国家发展改革委", "发展改革委", "财政部", "工业和信息化部", "住房城乡建设部",
        "国土资源部", "自然资源部", "水利部", "农业部", "农业农村部", "交通运输部", "商务部",
        "科技部", "国家林业局", "国家林业和草原局", "国家海洋局", "国家能源局", "卫生计生委",
        "国家卫生健康委", "质检总局", "国家统计局", "国务院", "地方政府", "供水单位",
        "重点排污单位", "排污单位",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_ACTOR = re.compile(
    "|".join(re.escape(a) for a in _ACTORS)
    + r"|[省市县区](?:生态环境厅|生态环境局|环保局|环境保护局|发展改革委|住建局|水务局|农业局|"
    r"林业局|交通运输局|自然资源局|人民政府|政府)"
)
_NOT_ACTOR_BEFORE = (
    "向", "对", "给", "与", "和", "及", "会同", "协同", "配合", "督促", "指导", "支持", "鼓励",
    "要求", "经", "报", "由", "在", "将",
)  # fmt: skip


def find_responsible(s: str) -> str | None:
    """The first unit or level named as an actor in ``s`` (not as an object:
    ``向国务院报告`` and ``会同有关部门`` are skipped)."""
    for m in _ACTOR.finditer(s):
        before = s[max(0, m.start() - 2) : m.start()]
        if before.endswith(("由",)):
            return m.group(0)
        if before.endswith(_NOT_ACTOR_BEFORE):
            continue
        if s[m.end() : m.end() + 1] == "的":
            continue
        return m.group(0)
    return None


# --- clauses -------------------------------------------------------------------

_ACTION = re.compile(
    "|".join(LEAD_VERBS)
    + r"|达到|提高|下降|降低|减少|削减|建成|实现|公开|公布|发布|关闭|取缔|编制|出台|报告|监测|"
    r"改造|消除|覆盖|划定|查明|掌握|摸清|评估|考核|清理|搬迁|替代|安装|更新|配套|纳入|执行|"
    r"开工|投运|退出|上收|设立|核发|申报|达标|稳定|保持|不低于|不超过|低于|高于|试行|启动|试点"
)
_LEAD_MARK = re.compile(
    r"^(?:[\s，,、：:；;。]+|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{1,2}[.．、](?!\d)|"
    r"——|--|[-*•·#>]+)+"
)
_DESCRIPTIVE = re.compile(r"近年来|以来|多年来|历年|平均每年|年均")
_SENTENCE_END = re.compile(r"[。；！？!?;][”’\"')）」』】]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class _Clause:
    ranges: list[tuple[int, int]]


def extract_commitments(doc: Document, *, not_before: int | None = None) -> list[Commitment]:
    """Every dated commitment in ``doc``, in document order.

    Parameters
    ----------
    doc
        A loaded document (:func:`~ecoplan.plans.extract.document.load_document`).
    not_before
        The first year of the plan: deadlines and start dates before it are
        the review of the last period (``到2015年，……提高到99%``), not
        commitments. By default the start of the first five-year plan the
        document names in its opening (``“十三五”`` -> 2016); no filter when
        it names none.

    Returns
    -------
    list[Commitment]
        One per clause with a deadline, a start date or a schedule and an
        action; ids ``c001``… follow the document order.
    """
    text = doc.text
    jumps = find_page_jumps(text)
    skip = SkipRanges([(j.start, j.end) for j in jumps])
    if not_before is None:
        not_before = plan_start_year(text)
    found: list[tuple[int, Commitment]] = []
    seen: set[str] = set()
    for clause in _clauses(text, jumps):
        clean, where = cleaned(text, clause.ranges, skip)
        for a, b in _parts(clean):
            got = _commitment(text, clean[a:b], where[a:b])
            if got is None or got.text in seen:
                continue
            year = got.due_date or got.start_date
            if not_before is not None and year is not None and int(year[:4]) < not_before:
                continue
            seen.add(got.text)
            found.append((got.span.start, got))
    found.sort(key=lambda f: f[0])
    return [
        Commitment(f"c{i:03d}", c.text, c.due_date, c.start_date, c.recurrence, c.quantity, c.responsible,
                   c.span, c.confidence)
        for i, (_, c) in enumerate(found, 1)
    ]  # fmt: skip


_FYP = re.compile(r"十([一二三四五六七八九])五")


def plan_start_year(text: str) -> int | None:
    """The first year of the first five-year plan named in the opening of
    ``text`` (its first 1 500 characters): ``“十三五”`` -> 2016, ``“十四五”`` -> 2021."""
    m = _FYP.search(text[:1500])
    if not m:
        return None
    n = 10 + "一二三四五六七八九".index(m.group(1)) + 1
    return 1966 + 5 * (n - 3)


def _clauses(text: str, jumps: list[PageJump]) -> list[_Clause]:
    """Sentences (as ranges of ``text``) with headings cut off and page jumps rejoined.

    Linear in the text: the heading cuts, the jumps and the sentences are
    sorted lists searched by bisection, never scanned per paragraph or sentence.
    """
    cut_set: set[int] = set()
    for h in find_headings(text):
        cut_set.add(h.start)
        if h.title or h.own_line:
            cut_set.add(h.end)
    cuts = sorted(cut_set)
    sentences: list[tuple[int, int]] = []
    for a, b in paragraphs(text, jumps=jumps):
        inner = cuts[bisect.bisect_right(cuts, a) : bisect.bisect_left(cuts, b)]
        bounds = [a, *inner, b] if b != a else [a]
        for s, e in itertools.pairwise(bounds):
            pos = s
            for m in _SENTENCE_END.finditer(text, s, e):
                sentences.append((pos, m.end()))
                pos = m.end()
            if text[pos:e].strip():
                sentences.append((pos, e))
    sentences = [_strip(text, s, e) for s, e in sentences]
    sentences = [r for r in sentences if r[1] > r[0]]
    # rejoin a sentence cut by 下转 with the text after the matching 上接
    downs = [j for j in jumps if j.direction == "down"]
    ups = [j for j in jumps if j.direction == "up"]
    down_starts = [j.start for j in downs]
    up_starts = [j.start for j in ups]
    sentence_starts = [s for s, _ in sentences]  # in text order
    clauses: list[_Clause] = []
    taken: set[int] = set()
    for i, (s, e) in enumerate(sentences):
        if i in taken:
            continue
        ranges = [(s, e)]
        d = bisect.bisect_left(down_starts, e)
        down = downs[d] if d < len(downs) else None
        ends_open = not _SENTENCE_END.search(text[max(s, e - 3) : e].rstrip("*"))
        if ends_open and down is not None and is_blank(text, e, down.start):
            u = bisect.bisect_right(up_starts, down.end)
            up = ups[u] if u < len(ups) else None
            if up is not None:
                k = bisect.bisect_left(sentence_starts, up.end)
                if k < len(sentences) and is_blank(text, up.end, sentences[k][0]):
                    ranges.append(sentences[k])
                    taken.add(k)
        clauses.append(_Clause(ranges))
    return clauses


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "*"):
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _parts(clean: str) -> list[tuple[int, int]]:
    """Cut a sentence at the last comma before each deadline after the first."""
    dates = find_dates(clean)
    cuts = [0]
    prev_end = dates[0].end if dates else 0
    for d in dates[1:]:
        window = clean[prev_end : d.start]
        k = max(window.rfind("，"), window.rfind(","))
        if k >= 0:
            cuts.append(prev_end + k + 1)
        prev_end = d.end
    cuts.append(len(clean))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _commitment(text: str, clause: str, where: Sequence[int]) -> Commitment | None:
    m = _LEAD_MARK.match(clause)
    lead = m.end() if m else 0
    body = clause[lead:].rstrip()
    if not body:
        return None
    where = where[lead : lead + len(body)]
    dates = find_dates(body)
    recur = _recurrence(body)
    due = next((d for d in dates if d.kind == "due"), None)
    start = next((d for d in dates if d.kind == "start"), None)
    if due is None and start is None and recur is None:
        return None
    # an action must remain once dates and schedule words are taken out
    rest = body
    for d in dates:
        rest = rest[: d.start] + " " * (d.end - d.start) + rest[d.end :]
    if recur:
        rest = rest[: recur[1]] + " " * (recur[2] - recur[1]) + rest[recur[2] :]
    if len(_CJK.findall(rest)) < 4 or "\t" in body:
        return None
    if due is None and start is None and (not _ACTION.search(rest) or _DESCRIPTIVE.search(body)):
        return None  # 全国湿地面积近年来每年减少约510万亩: a statistic, not a schedule
    responsible = find_responsible(body)
    dated = due or start
    confidence = 0.6 if dated is None else (0.9 if dated.strong else 0.75)
    if not _ACTION.search(rest):
        confidence -= 0.15
    if len(body) < 12 or len(body) > 250:
        confidence -= 0.1
    if responsible:
        confidence += 0.05
    span = Span.of(text, where[0], where[-1] + 1)
    return Commitment(
        id="",
        text=body,
        due_date=due.date if due else None,
        start_date=start.date if start else None,
        recurrence=recur[0] if recur else None,
        quantity=find_quantity(rest),
        responsible=responsible,
        span=span,
        confidence=round(min(0.99, max(0.05, confidence)), 2),
    )

r"""Indicator targets stated in running text, for plans whose table is missing.

Used only when :func:`~ecoplan.plans.extract.tables.extract_tables` finds no
table. A target sentence starts with its deadline (``到2025年，``) and lists
clauses of the form *name + verb + value*; :mod:`.prose_clauses` reads one
clause (its table lists every form: ``比2020年下降18%`` → ``〔18〕``, ``达到87.5%``
→ ``87.5``, ``X和Y排放总量分别下降10%以上``, ``控制在…以内``, ``有效保障`` …).

``力争…`` after a target is the stretch goal of that target; with no target
before it (``力争达到X``) it is the target itself. A clause without a name of its
own (``…浓度下降10%，达到35微克/立方米``) takes the previous clause's indicator.
``A及B…达到国家要求`` gives two indicators (a shared ``单位地区生产总值`` prefix is
copied). Baselines come from statements of the base year in the same sentence
(``2020年，全省细颗粒物（PM2.5）浓度44.8微克/立方米``) before any deadline, matched
by the indicator's core name (territorial qualifiers such as 全省/地级城市 and
the PM2.5 / class Ⅰ–Ⅲ spellings folded) and unit. Spaces and line breaks inside
sentences (OCR) are ignored. Indicators carry no category or attribute (the
table that would state them is missing).

A clause of a target sentence that looks like a target (an indicator word and a
number or a target word) but matches no form is returned as
:class:`ProseNotUnderstood` with its span — never dropped silently.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ecoplan.core.words import word
from ecoplan.plans.extract.prose_clauses import (
    UNIT,
    VERBS,
    Reading,
    clean,
    for_region,
    looks_like_target,
    percent_name,
    read_clause,
    shorten,
    starts_with_verb,
    unit_of,
)
from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables import ExtractedIndicator
from ecoplan.plans.targets import Target, TargetKind, parse_target

__all__ = ["ProseNotUnderstood", "ProseTargets", "extract_prose_targets", "read_prose_targets"]

_SPACE = " \t\u3000\u2002\u2003\u00a0\r"
_TERMINATORS = "。；！？：:;"
_NUM = r"(\d+(?:\.\d+)?)"
#: "到2025年", "明确到2025年" (a few words may lead), "2025年前", "“十四五”期间".
_DEADLINE = re.compile(
    r"^[^\d，,]{0,12}?(?:到|至|于|在)(\d{4})年(?:底|末)?(?:之前|前)?|^(\d{4})年(?:底|末)?前"
    r"|^[^\d，,]{0,12}?[“\"]?(十三五|十四五|十五五)[”\"]?(?:期间|时期|末)"
)
#: A year inside a clause: "森林覆盖率2020年要达到23.2%", "2025年要达到24.1%".
_INLINE_YEAR = re.compile(
    rf"^(?P<name>.*?)(?P<y>(?:19|20)\d{{2}})年(?:底|末)?(?P<rest>(?:要|将|应)?(?:{VERBS}).+)$"
)
_YEAR_OPENS = re.compile(r"^(\d{4})年(?:底|末)?$")
#: "未来五年", "今后三年", "要经过三年努力": the plan's own span (checked against its length) as a
#: deadline: its end year.
_FIVE_YEARS = re.compile(r"^[^\d，,]{0,12}?(?:未来|今后|经过)(?P<n>[三五])年")
_YEARS_OF = {"三": 3, "五": 5}
#: A clause ending in its deadline after a long lead ("…纲要(附全文)】“十四五”时期"): the
#: deadline opens the target list that follows (same groups as :data:`_DEADLINE`).
_DEADLINE_ENDS = re.compile(
    r"(?:到|至|在)(\d{4})年(?:底|末)?(?:之前|前)?$()|[“\"]?(十三五|十四五|十五五)[”\"]?(?:期间|时期|末)$"
)
#: A sentence that names a time of its own (a year, this year, so far) or states what was
#: achieved ("下降了", "已接近"): not a target of the plan's end when it states no deadline.
_OTHER_TIME = re.compile(
    r"\d{4}年|今年|去年|明年|前[一二三]季度|上半年|目前|当前|截至|已|"
    r"(?:下降|降低|减少|提高|提升|增加|增长|达到|完成|实现|降至|升至)了"
)
#: The end year of a five-year period named as a deadline ("“十四五”期间").
_PERIOD_END = {"十三五": 2020, "十四五": 2025, "十五五": 2030}
_BASELINE = re.compile(
    rf"^(?P<name>.+?)(?:为|是|达到|达|提升至|提升到|提高到|提高至|下降到|下降至|降至|降到|"
    rf"由{_NUM}{UNIT}?(?:下降|降低|减少|提高|提升|上升|增加)(?:到|至))?"
    rf"(?P<value>\d+(?:\.\d+)?)(?P<unit>{UNIT})$"
)
_QUALIFIER = re.compile(
    r"^(?:全省|全市|全区|全国|各地|\d+个国考断面|\d+个国控断面|国考断面|国控断面|"
    r"地级及以上城市|地级以上城市|设区市|地级城市|县级及以上城市|城市|地表水)+"
)
#: "力争降至35微克/立方米", "力争达到80%", "力争35%": the stretch goal's number.
_STRETCH = re.compile(r"^力争(?:[^0-9，。；]{0,6}?)(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class ProseNotUnderstood:
    """A clause of a target sentence that looks like a target but was not read.

    ``reason`` is a key under ``extract.prose.reason`` (``no_form``,
    ``count_mismatch``, ``bad_target``).
    """

    span: Span
    reason: str

    def message(self, lang: str = "en") -> str:
        """``not understood: "…" (characters a–b): why``, for the extraction's warnings."""
        return word(
            "extract.prose.not_understood",
            lang,
            quote=self.span.quote,
            start=self.span.start,
            end=self.span.end,
            reason=word(f"extract.prose.reason.{self.reason}", lang),
        )

    def to_dict(self) -> dict[str, Any]:
        """``{start, end, quote, reason}`` (the reason in English) for the JSON output."""
        return {**self.span.to_dict(), "reason": word(f"extract.prose.reason.{self.reason}", "en")}


@dataclass(frozen=True)
class ProseTargets:
    """The targets read from the running text, and the clauses that could not be read."""

    indicators: list[ExtractedIndicator]
    not_understood: list[ProseNotUnderstood]


@dataclass(frozen=True)
class _Text:
    """Text with whitespace removed, and where each character came from."""

    chars: str
    origin: Sequence[int]  # an array of machine integers: 8 bytes a character, not a list of ints

    def span(self, doc_text: str, start: int, end: int) -> Span:
        return Span.of(doc_text, self.origin[start], self.origin[end - 1] + 1)


#: A numbered list item opening a line ("1、…", "（2）…", "三、…"): a new paragraph.
_ITEM = re.compile(r"\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、")
_SQUASH_TOKEN = re.compile(rf"[^\n{re.escape(_SPACE)}]+|[{re.escape(_SPACE)}]+|\n")


def _squash(text: str) -> _Text:
    """Drop spaces; keep a line break only where a new paragraph starts.

    Works run by run (a stretch of text without spaces or line breaks is
    copied as one slice), so a long document costs no object per character.
    """
    parts: list[str] = []
    origin = array("q")
    prev = "\n"  # the last character kept ("\n" at the start)
    n = len(text)
    item_line = bool(_ITEM.match(text))  # a numbered item is one line: its line break ends it
    for m in _SQUASH_TOKEN.finditer(text):
        i, token = m.start(), m.group()
        if token == "\n":
            nxt = text[i + 1] if i + 1 < n else "\n"
            next_item = bool(_ITEM.match(text, i + 1))
            new_paragraph = nxt in _SPACE or nxt == "\n" or prev in _TERMINATORS or next_item or item_line
            item_line = next_item
            if new_paragraph and prev != "\n":
                parts.append("\n")
                origin.append(i)
                prev = "\n"
        elif token[0] not in _SPACE:
            parts.append(token)
            origin.extend(range(i, m.end()))
            prev = token[-1]
    return _Text("".join(parts), origin)


def _core(name: str) -> str:
    """The indicator's core name for matching a baseline to a target."""
    s = re.sub(r"细颗粒物（PM2\.5）|细颗粒物\(PM2\.5\)|细颗粒物", "PM2.5", name)
    s = re.sub(r"(?:达到或好于|达到或优于|好于|优于)Ⅲ类|Ⅰ[—～~\-－–]Ⅲ类|I-III类", "Ⅰ-Ⅲ类", s)
    return _QUALIFIER.sub("", s)


@dataclass(frozen=True)
class _Clause:
    text: str
    start: int  # in the squashed text
    end: int


#: A sentence: up to 。！？, a line break, or a '.' that is no decimal point (OCR and
#: PDF copies print 。 as '.').
_SENTENCE = re.compile(r"(?:[^。！？.\n]|(?<=\d)\.(?=\d))+")
#: A page footer inside a sentence of a PDF copy: "比2005年下降 —2— 70%".
#: Target clauses are short; a longer "clause" (a run of text without commas) is not read,
#: so that no clause costs more than a bounded amount of work.
_LONGEST_CLAUSE = 300
#: Where one comma-less clause holds two targets: "…降低15%、碳排放降低19.5%".
_TARGET_LIST = re.compile(r"(?<=[\d%])、(?=\D)|(?<=以上|以下|以内|左右)、")
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_PAGE_MARK = re.compile(r"[—－]{1,2}\d{1,3}[—－]{1,2}")


def _sentences(t: _Text) -> list[list[_Clause]]:
    out: list[list[_Clause]] = []
    for sm in _SENTENCE.finditer(t.chars):
        clauses = [
            _Clause(cm.group(), sm.start() + cm.start(), sm.start() + cm.end())
            for cm in re.finditer(r"[^，,；;：:]+", sm.group())
        ]
        if clauses:
            out.append(clauses)
    return out


class _Row:
    """One indicator read from the text: its first clause and its target for each year.

    A second target for the same year joins the first when one is a level and the
    other a cumulative change (``浓度下降10%，达到35微克/立方米`` → ``35〔10〕``);
    otherwise the first stands.
    """

    def __init__(self, name: str, unit: str, clause: _Clause) -> None:
        self.name, self.unit, self.clause = name, unit, clause
        self.targets: dict[int, str] = {}

    def add(self, year: int, expr: str) -> None:
        old = self.targets.get(year)
        if old is None:
            self.targets[year] = expr
            return
        a, b = _target(old), _target(expr)
        if _worded(a) and not _worded(b):  # 持续提升，达到95%以上: the number states the target
            self.targets[year] = expr
            return
        if a.kind is TargetKind.LEVEL and b.kind is TargetKind.CUMULATIVE and b.value is None:
            a, b = b, a
        if a.kind is TargetKind.CUMULATIVE and a.value is None and b.kind is TargetKind.LEVEL:
            self.targets[year] = replace(a, op=b.op, value=b.value).canonical()


_CHANGE = re.compile(r"^〔(\d+(?:\.\d+)?)〕(以上|以下|左右)?$")


def _other_base(expr: str, since: int, direction: str) -> str | None:
    """``〔15〕以上`` counted from 2015 → ``比2015年下降15%以上`` (the grammar's words for a change
    from another year than the plan's base); None when ``expr`` is no plain change."""
    m = _CHANGE.match(expr)
    if m is None or not direction:
        return None
    phrase = f"比{since}年{direction}{m.group(1)}%{m.group(2) or ''}"
    return phrase if _parses(phrase) else None


def _worded(t: Target) -> bool:
    """A target without a number: a qualitative aim, or 保持 / 稳中向好."""
    return t.kind is TargetKind.QUALITATIVE or (t.kind is TargetKind.MAINTAIN and t.value is None)


def _deadline_year(d: re.Match[str]) -> int:
    return int(d.group(1) or d.group(2)) if d.group(3) is None else _PERIOD_END[d.group(3)]


def _plausible(name: str) -> bool:
    return 2 <= len(name) <= 40 and not re.search(r"[0-9]{4}年|[（(]$|^[的和与及]", name)


@lru_cache(maxsize=4096)
def _target(expr: str) -> Target:
    """:func:`parse_target`, remembered: a document repeats few expressions many times."""
    return parse_target(expr)


def _parses(expr: str) -> bool:
    try:
        _target(expr)
    except ValueError:
        return False
    return True


#: name, expr, unit, year, clause, since, direction (of a change counted from ``since``)
_Found = tuple[str, str, str, int, _Clause, int | None, str]


def _read_sentences(
    t: _Text,
    doc_text: str,
    sentences: list[list[_Clause]],
    default_year: int | None = None,
    *,
    base_year: int | None = None,
    end_year: int | None = None,
    dated: list[int] | None = None,
    undated: bool = False,
) -> tuple[list[_Found], dict[tuple[str, int], str], list[ProseNotUnderstood], dict[str, tuple[int, float]]]:
    """The targets of every target sentence, the stretch goals, the clauses not understood, and
    the base-year values stated beside targets ("2020年要达到87%"), by indicator name.

    ``dated`` (when given) gets the year of every deadline a sentence states by its year
    (``到2025年``), and -1 for each stated as the plan's span (``未来三年``).

    ``undated``: a sentence that states no deadline and names no other time
    (:data:`_OTHER_TIME`: a year, 今年, an achievement "下降了") takes the deadline of the
    last target read before it, in any earlier paragraph — a plan's targets written without
    their year after its dated ones ("湿地保护率提高到55%" in the paragraph after
    "“十四五”时期…"). Before the first dated target (a review of the past period) nothing
    undated is read.

    ``default_year``: the deadline of a sentence that states none (every sentence is then
    a target sentence). With ``base_year``, a sentence opening with a later year
    ("2020年，pm2.5年均值降至50微克/立方米") states targets for it; with ``end_year``,
    "未来五年" is a deadline.
    """
    found: list[_Found] = []
    stretch: dict[tuple[str, int], str] = {}
    unread: list[ProseNotUnderstood] = []
    stated: dict[str, tuple[int, float]] = {}  # base-year values stated beside the targets
    carried: int | None = None  # the deadline of the previous sentence of the paragraph
    latest: int | None = None  # the deadline of the last target read (for ``undated``)
    carried_guess = False  # ``carried`` was itself the last target's year (``undated``)
    for clauses in sentences:
        same_paragraph = clauses[0].start > 0 and t.chars[clauses[0].start - 1] != "\n"
        year: int | None = carried if same_paragraph else None
        guessed = year is not None and carried_guess  # unread clauses are then not reported
        year = year or default_year
        undated_here = year is None and undated and latest is not None
        if undated_here and not _OTHER_TIME.search(t.chars, clauses[0].start, clauses[-1].end):
            year, guessed = latest, True
        carried, carried_guess = None, guessed
        last: tuple[str, int] | None = None  # the target a following 力争 clause raises
        base = ""  # the last clause's indicator, for a clause without a name
        for cl in clauses:
            text = cl.text
            if len(text) > _LONGEST_CLAUSE:  # no target clause is that long: not searched
                continue
            if text.startswith("力争") and last is not None:
                m = _STRETCH.match(text)
                if m:
                    stretch.setdefault(last, m.group(1))
                continue
            d = _DEADLINE.match(text) or _DEADLINE_ENDS.search(text)
            y = _YEAR_OPENS.match(text) if d is None and base_year is not None else None
            if y and base_year is not None and int(y.group(1)) <= base_year:
                y = None  # "2020年，" of the base year: a baseline statement follows, no deadline
            f = _FIVE_YEARS.match(text) if d is None and end_year is not None else None
            if (
                f
                and base_year is not None
                and end_year is not None
                and _YEARS_OF[f.group("n")] != end_year - base_year
            ):
                f = None  # "未来五年" in a three-year plan: not the plan's span
            if d:
                year = _deadline_year(d)
                text = text[d.end() :]
            elif y:
                year = int(y.group(1))  # a later year than the base year: a deadline
                text = text[y.end() :]
            elif f:
                year = end_year
                text = text[f.end() :]
            if d or y or f:
                guessed = False  # the sentence states its deadline after all
                if dated is not None and year is not None:
                    dated.append(year if (d or y) else -1)
            if (d or y or f) and not text:
                continue
            clause_year = year
            i = _INLINE_YEAR.match(text) if base_year is not None else None
            if i and (i.group("name") or base):  # …比率2020年要达到87%，2025年要达到87.5%
                text = (i.group("name") or base) + i.group("rest")
                if base_year is not None and int(i.group("y")) <= base_year:
                    one = read_clause(text)  # a base-year value, stated beside its target
                    if len(one.targets) == 1 and _parses(one.targets[0][1]):
                        value = _target(one.targets[0][1]).value
                        if value is not None:
                            stated.setdefault(one.targets[0][0], (int(i.group("y")), value))
                        base = one.base
                    continue
                clause_year = int(i.group("y"))
            if clause_year is None:
                continue
            carried = year
            text = _PAGE_MARK.sub("", text)
            if text.startswith("力争"):  # no target before it: the stretch goal is the target
                text = text[2:]
            if base and starts_with_verb(text):
                text = base + text
            pieces = [text] if "分别" in text else _TARGET_LIST.split(text)
            if len(pieces) > 1:  # 能耗降低15%、碳排放降低19.5%: two clauses in one
                readings = [read_clause(p) for p in pieces]
                reading = Reading([x for r in readings for x in r.targets], base=readings[-1].base)
                if not all(r.targets for r in readings):
                    reading = read_clause(text)
            else:
                reading = read_clause(text)
            reading = for_region(reading, base)
            named = [(n if _plausible(n) else shorten(n), e, u) for n, e, u in reading.targets]
            good = [(n, e, u) for n, e, u in named if _plausible(n) and _parses(e)]
            if reading.stretch and last is not None and [n for n, *_ in good] == [last[0]]:
                stretch.setdefault(last, good[0][1].rstrip("%"))
                continue
            if good and (base_year is None or clause_year > base_year):
                latest = clause_year
            for name, expr, unit in good:
                found.append((name, expr, unit, clause_year, cl, reading.since, reading.direction))
                last = (name, clause_year)
            if good:
                base = reading.base
            elif not reading.aim and not guessed and looks_like_target(text):
                unparsed = any(_plausible(n) and not _parses(e) for n, e, _ in named)
                reason = reading.problem or ("bad_target" if unparsed else "no_form")
                unread.append(ProseNotUnderstood(t.span(doc_text, cl.start, cl.end), reason))
    return found, stretch, unread, stated


def read_prose_targets(
    doc: Document, *, base_year: int | None = None, end_year: int | None = None
) -> ProseTargets:
    """Indicator targets stated in the running text of ``doc``, and the clauses not understood.

    Parameters
    ----------
    doc : Document
    base_year : int, optional
        The plan's base year (baselines are read from statements of that
        year). Default: five years before the most common target year.
    end_year : int, optional
        The plan's end year. When no sentence states a deadline (a plan whose
        title gives its period: "三年行动计划（2023—2025年）… 湿地保护率达到63%"),
        every sentence is read as a target for this year.

    Returns
    -------
    ProseTargets
        ``indicators`` in document order, one per (name, year); ``category_zh``
        and ``attribute`` are None, ``cells`` holds the clause.
        ``not_understood``: target-like clauses that match no form, in
        document order.
    """
    t = _squash(doc.text)
    sentences = _sentences(t)
    dated: list[int] = []
    found, stretch_of, unread, stated = _read_sentences(
        t, doc.text, sentences, base_year=base_year, end_year=end_year, dated=dated, undated=True
    )
    if end_year is not None and (not found or (-1 in dated and max(dated) < 0)):
        # nothing found, or no sentence names a deadline year (only "未来三年"): every sentence
        # is read as a target of the plan's end (the title gives the period)
        found, stretch_of, unread, stated = _read_sentences(
            t, doc.text, sentences, default_year=end_year, base_year=base_year, end_year=end_year
        )
    if base_year is None:
        years = Counter(f[3] for f in found)
        base_year = years.most_common(1)[0][0] - 5 if years else None
    baselines = _baselines(sentences, base_year) if base_year is not None else []
    # the first baseline stated for each core name (and unit): looked up, not searched
    # for every target (a document with many targets and baselines stays linear)
    first_of: dict[str, tuple[float, str]] = {}
    first_in: dict[tuple[str, str], float] = {}
    for b_name, b_value, b_unit in baselines:
        core = _core(b_name)
        first_of.setdefault(core, (b_value, b_unit))
        first_in.setdefault((core, b_unit), b_value)
    rows: dict[str, _Row] = {}  # by name: one indicator, its targets by year
    other_year: set[int] = set()
    for name, expr, unit, year, cl, since, direction in found:
        if base_year is not None and year <= base_year:
            continue
        if since is not None and base_year is not None and since != base_year:
            # 比2005年下降70%, or 比2015年下降15% in a plan of 2018–2020: a change from another
            # year than the plan's base year is no 〔x〕 (that is counted from the plan's base);
            # it is kept as written, a target "not judged quantitatively"
            phrase = _other_base(expr, since, direction)
            if phrase is None:
                if cl.start not in other_year:  # once for a clause of several indicators (分别)
                    other_year.add(cl.start)
                    unread.append(ProseNotUnderstood(t.span(doc.text, cl.start, cl.end), "other_base_year"))
                continue
            expr = phrase
        # "…优良(达到或优于Ⅲ类)比例" and "…优良比例", "地级及以上城市…比例" and "城市…比例" in
        # another year's sentence: one indicator (two names of one core in one year stay two)
        key = _core(_BRACKETED.sub("", name))
        row = rows.get(key)
        if row is not None and year in row.targets and row.name != name:
            key = name
            row = rows.get(key)
        if row is None:
            rows[key] = row = _Row(name, unit, cl)
        elif not row.unit:  # 单位生产总值二氧化碳排放达到国家要求 …，比2005年下降70%: the unit printed later
            row.unit = unit
        row.add(year, expr)
    unread.sort(key=lambda n: n.span.start)
    out: list[ExtractedIndicator] = []
    for row in rows.values():
        unit, baseline = row.unit, stated.get(row.name)
        if base_year is not None and baseline is None:
            key = _core(row.name)
            if not unit and key in first_of:
                b_value, unit = first_of[key]
                baseline = (base_year, b_value)
            elif unit and (key, unit) in first_in:
                baseline = (base_year, first_in[(key, unit)])
        numbers = any(re.search(r"\d", e) for e in row.targets.values())
        if (
            not unit
            and percent_name(row.name)
            and (numbers or not all(_worded(_target(e)) for e in row.targets.values()))
        ):
            unit = "%"  # a share; not for a worded target alone (its unit is not printed)
        kinds = {_target(e).kind for e in row.targets.values()}
        conf = 0.5 if kinds & {TargetKind.INHERITED, TargetKind.QUALITATIVE} else 0.6
        stretch = {y: stretch_of[(row.name, y)] for y in row.targets if (row.name, y) in stretch_of}
        cl = row.clause
        out.append(
            ExtractedIndicator(
                name_zh=row.name,
                unit=unit,
                category_zh=None,
                attribute=None,
                baseline=baseline,
                targets=sorted(row.targets.items()),
                footnotes=[],
                span=t.span(doc.text, cl.start, cl.end),
                confidence=conf,
                cells=[cl.text],
                stretch=stretch,
            )
        )
    return ProseTargets(out, unread)


def extract_prose_targets(doc: Document, *, base_year: int | None = None) -> list[ExtractedIndicator]:
    """The indicators of :func:`read_prose_targets` (the clauses not understood left out)."""
    return read_prose_targets(doc, base_year=base_year).indicators


def _baselines(sentences: list[list[_Clause]], base_year: int) -> list[tuple[str, float, str]]:
    """(name, value, unit) stated for the base year: '2020年，…浓度44.8微克/立方米'.

    Only clauses before a deadline (到2025年) count: the rest of such a sentence states targets.
    """
    out: list[tuple[str, float, str]] = []
    mark = f"{base_year}年"
    for clauses in sentences:
        if not any(mark in c.text for c in clauses):
            continue
        for cl in clauses:
            text = cl.text
            d = _DEADLINE.match(text)
            if d and _deadline_year(d) != base_year:
                break
            if text.startswith(mark):
                text = text[len(mark) :]
            if re.match(r"^(?:较|比|与)", text) or re.search(r"\d{4}年", text):
                continue
            m = _BASELINE.match(text)
            if m:
                out.append((clean(m.group("name")), float(m.group("value")), unit_of(m.group("unit"))))
    return out

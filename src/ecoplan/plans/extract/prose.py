r"""Indicator targets stated in running text, for plans whose table is missing.

Used only when :func:`~ecoplan.plans.extract.tables.extract_tables` finds no
table. A target sentence starts with its deadline (``到2025年，``) and lists
clauses of the form *name + verb + value*:

=====================================================  ===========================
clause                                                 target
=====================================================  ===========================
``PM2.5浓度确保降至37微克/立方米``                        ``37``  (μg/m³)
``优良天数比率确保达到75%``                              ``75``
``重度及以上污染天气比率控制在0.9%以内``                  ``0.9%以内``
``Ⅰ—Ⅲ类水体比例达到70%以上``                             ``70%以上``
``草原综合植被盖度稳定在73%以上``                        ``稳定在73以上``
``单位地区生产总值用水量累计下降15%``                    ``〔15〕`` (name + 下降)
``新增水土流失综合治理面积10000平方公里``                ``〔10000〕`` (新增 = added)
``受污染耕地安全利用率达到国家要求``                      ``达到国家要求`` (inherited)
``县级城市建成区全面消除黑臭水体``                        ``全面消除``
=====================================================  ===========================

``力争…`` clauses are stretch goals of the previous clause and are not
indicators. ``A及B…达到国家要求`` gives two indicators (a shared ``单位地区生产总值``
prefix is copied). Baselines come from statements of the base year in the
same sentence (``2020年，全省细颗粒物（PM2.5）浓度44.8微克/立方米``), matched by
the indicator's core name (territorial qualifiers such as 全省/地级城市 and
the PM2.5 / class Ⅰ–Ⅲ spellings folded) and unit. Spaces and line breaks
inside sentences (OCR) are ignored. Indicators carry no category or
attribute (the table that would state them is missing).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables import ExtractedIndicator, as_cumulative_change
from ecoplan.plans.targets import TargetKind, parse_target

__all__ = ["extract_prose_targets"]

_SPACE = " \t\u3000\u2002\u2003\u00a0\r"
_TERMINATORS = "。；！？：:;"
_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = (
    r"(%|％|‰|个百分点|微克/立方米|μg/m3|µg/m3|毫克/升|万平方公里|平方公里|平方米|万公顷|公顷|万亩|亿亩|"
    r"亿立方米|万立方米|立方米|万吨标准煤|万吨|吨/天|吨|万千瓦|千瓦|个|天)"
)
_VERBS = (
    "降至|降到|下降至|下降到|提高到|提高至|提升到|提升至|增加到|增加至|达到|达|控制在|稳定在|保持在|"
    "不低于|不超过|不高于|不少于|低于|高于|超过"
)
_DEADLINE = re.compile(r"^(?:到|至|于)(\d{4})年(?:底|末)?(?:前)?|^(\d{4})年(?:底|末)?前")
_CLAUSE_LEVEL = re.compile(
    rf"^(?P<name>.+?)(?P<how>确保|力争|要|将)?(?P<verb>{_VERBS}){_NUM}(?P<unit>{_UNIT})?"
    r"(?P<suf>以上|以下|以内|左右)?$"
)
_CLAUSE_CUMULATIVE = re.compile(
    rf"^(?P<name>.+?)(?:比\d{{4}}年|较\d{{4}}年)?累计(?P<dir>下降|降低|减少|提高|增加|上升){_NUM}(?P<unit>{_UNIT})?"
    r"(?:以上)?$"
)
_CLAUSE_AMOUNT = re.compile(rf"^(?P<name>(?:新增|累计|完成).+?){_NUM}(?P<unit>{_UNIT})$")
_CLAUSE_NATIONAL = re.compile(r"^(?P<name>.+?)(?:达到|满足|完成)国家(?:考核)?(?:目标)?要求$")
_CLAUSE_ELIMINATE = re.compile(r"^(?P<subj>.+?)(?P<how>全面消除|基本消除)(?P<obj>.+)$")
_BASELINE = re.compile(
    rf"^(?P<name>.+?)(?:为|是|达到|达|提升至|提升到|提高到|提高至|下降到|下降至|降至|降到|"
    rf"由{_NUM}{_UNIT}?(?:下降|降低|减少|提高|提升|上升|增加)(?:到|至))?"
    rf"(?P<value>\d+(?:\.\d+)?)(?P<unit>{_UNIT})$"
)
_LEADING_FILLER = re.compile(r"^(?:并|且|使|其中|同时|以及|和|确保|全面|进一步|持续|全省|全市|全国)+")
_QUALIFIER = re.compile(
    r"^(?:全省|全市|全区|全国|各地|\d+个国考断面|\d+个国控断面|国考断面|国控断面|"
    r"地级及以上城市|地级以上城市|设区市|地级城市|县级及以上城市|城市|地表水)+"
)
_PER_UNIT = re.compile(r"^(单位(?:地区生产总值|国内生产总值|GDP))")
_PERCENT_NAME = re.compile(r"(?:率|比例|比率|比重|盖度|占比|下降|降低|减少)$")


@dataclass(frozen=True)
class _Text:
    """Text with whitespace removed, and where each character came from."""

    chars: str
    origin: Sequence[int]  # an array of machine integers: 8 bytes a character, not a list of ints

    def span(self, doc_text: str, start: int, end: int) -> Span:
        return Span.of(doc_text, self.origin[start], self.origin[end - 1] + 1)


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
    for m in _SQUASH_TOKEN.finditer(text):
        i, token = m.start(), m.group()
        if token == "\n":
            nxt = text[i + 1] if i + 1 < n else "\n"
            new_paragraph = nxt in _SPACE or nxt == "\n" or prev in _TERMINATORS
            if new_paragraph and prev != "\n":
                parts.append("\n")
                origin.append(i)
                prev = "\n"
        elif token[0] not in _SPACE:
            parts.append(token)
            origin.extend(range(i, m.end()))
            prev = token[-1]
    return _Text("".join(parts), origin)


def _unit(u: str | None) -> str:
    if not u:
        return ""
    u = u.replace("％", "%")
    return {"微克/立方米": "μg/m³", "μg/m3": "μg/m³", "µg/m3": "μg/m³", "个百分点": "%"}.get(u, u)


def _core(name: str) -> str:
    """The indicator's core name for matching a baseline to a target."""
    s = re.sub(r"细颗粒物（PM2\.5）|细颗粒物\(PM2\.5\)|细颗粒物", "PM2.5", name)
    s = re.sub(r"(?:达到或好于|达到或优于|好于|优于)Ⅲ类|Ⅰ[—～~\-－–]Ⅲ类|I-III类", "Ⅰ-Ⅲ类", s)
    return _QUALIFIER.sub("", s)


def _clean(name: str) -> str:
    name = _LEADING_FILLER.sub("", name) if not name.startswith(("全省", "全市", "全国")) else name
    return name.strip("，,、")


@dataclass(frozen=True)
class _Clause:
    text: str
    start: int  # in the squashed text
    end: int


def _sentences(t: _Text) -> list[list[_Clause]]:
    out: list[list[_Clause]] = []
    for sm in re.finditer(r"[^。！？\n]+", t.chars):
        clauses = [
            _Clause(cm.group(), sm.start() + cm.start(), sm.start() + cm.end())
            for cm in re.finditer(r"[^，,；;：:]+", sm.group())
        ]
        if clauses:
            out.append(clauses)
    return out


#: "力争降至35微克/立方米", "力争达到80%", "力争35%": the stretch goal's number.
_STRETCH = re.compile(r"^力争(?:[^0-9，。；]{0,6}?)(\d+(?:\.\d+)?)")


def _targets_of(clause: str) -> list[tuple[str, str, str]]:
    """(name, expr, unit) for each indicator target stated in one clause."""
    if clause.startswith("力争"):
        return []
    m = _CLAUSE_CUMULATIVE.match(clause)
    if m:
        word = "下降" if m.group("dir") in ("下降", "降低", "减少") else "增加"
        return [(_clean(m.group("name")) + word, f"〔{m.group(3)}〕", _unit(m.group("unit")) or "%")]
    m = _CLAUSE_NATIONAL.match(clause)
    if m:
        names = _split_and(_clean(m.group("name")))
        return [(n, "达到国家要求", "%" if _PERCENT_NAME.search(n) else "") for n in names]
    m = _CLAUSE_ELIMINATE.match(clause)
    if m and len(m.group("obj")) <= 12:
        return [(_clean(m.group("subj")) + m.group("obj"), m.group("how"), "%")]
    m = _CLAUSE_LEVEL.match(clause)
    if m:
        if m.group("how") == "力争":
            return []
        verb, num, suf = m.group("verb"), m.group(4), m.group("suf") or ""
        unit = _unit(m.group("unit"))
        if verb in ("稳定在", "保持在"):
            expr = f"{verb}{num}{suf}"
        elif verb in ("不低于", "不超过", "不高于", "不少于", "低于", "高于", "超过"):
            expr = f"{verb}{num}"
        else:
            expr = f"{num}{'%' if unit == '%' else ''}{suf}"
        name = _clean(m.group("name"))
        return [(name, as_cumulative_change(name, unit, expr), unit)]
    m = _CLAUSE_AMOUNT.match(clause)
    if m:
        name = _clean(m.group("name"))
        num = m.group(2)
        expr = f"〔{num}〕" if name.startswith(("新增", "累计")) else num
        return [(name, expr, _unit(m.group("unit")))]
    return []


def _split_and(name: str) -> list[str]:
    parts = re.split(r"及(?!以上|以下|其)", name)
    if len(parts) != 2 or not all(parts):
        return [name]
    left, right = parts
    prefix = _PER_UNIT.match(left)
    if prefix and not _PER_UNIT.match(right):
        right = prefix.group(1) + right
    return [left, right]


def _plausible(name: str) -> bool:
    return 2 <= len(name) <= 40 and not re.search(r"[0-9]{4}年|[（(]$|^[的和与及]", name)


def extract_prose_targets(doc: Document, *, base_year: int | None = None) -> list[ExtractedIndicator]:
    """Indicator targets stated in the running text of ``doc``.

    Parameters
    ----------
    doc : Document
    base_year : int, optional
        The plan's base year (baselines are read from statements of that
        year). Default: five years before the most common target year.

    Returns
    -------
    list of ExtractedIndicator
        In document order, one per (name, year); ``category_zh`` and
        ``attribute`` are None, ``cells`` holds the clause.
    """
    t = _squash(doc.text)
    sentences = _sentences(t)
    found: list[tuple[str, str, str, int, _Clause]] = []
    stretch: dict[tuple[str, int], str] = {}
    for clauses in sentences:
        year: int | None = None
        last: tuple[str, int] | None = None  # the target a following 力争 clause raises
        for cl in clauses:
            text = cl.text
            if text.startswith("力争") and last is not None:
                m = _STRETCH.match(text)
                if m:
                    stretch.setdefault(last, m.group(1))
                continue
            d = _DEADLINE.match(text)
            if d:
                year = int(d.group(1) or d.group(2))
                text = text[d.end() :]
                if not text:
                    continue
            if year is None:
                continue
            for name, expr, unit in _targets_of(text):
                if _plausible(name):
                    found.append((name, expr, unit, year, cl))
                    last = (name, year)
    if base_year is None:
        years = Counter(y for *_, y, _ in found)
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
    out: list[ExtractedIndicator] = []
    seen: set[tuple[str, int]] = set()
    for name, expr, unit, year, cl in found:
        if (name, year) in seen or (base_year is not None and year <= base_year):
            continue
        seen.add((name, year))
        try:
            target = parse_target(expr)
        except ValueError:
            continue
        baseline = None
        if base_year is not None:
            key = _core(name)
            if not unit and key in first_of:
                b_value, unit = first_of[key]
                baseline = (base_year, b_value)
            elif unit and (key, unit) in first_in:
                baseline = (base_year, first_in[(key, unit)])
        if not unit and _PERCENT_NAME.search(name):
            unit = "%"
        conf = 0.5 if target.kind is TargetKind.INHERITED else 0.6
        out.append(
            ExtractedIndicator(
                name_zh=name,
                unit=unit,
                category_zh=None,
                attribute=None,
                baseline=baseline,
                targets=[(year, expr)],
                footnotes=[],
                span=t.span(doc.text, cl.start, cl.end),
                confidence=conf,
                cells=[cl.text],
                stretch={year: stretch[(name, year)]} if (name, year) in stretch else {},
            )
        )
    return out


def _baselines(sentences: list[list[_Clause]], base_year: int) -> list[tuple[str, float, str]]:
    """(name, value, unit) stated for the base year: '2020年，…浓度44.8微克/立方米'."""
    out: list[tuple[str, float, str]] = []
    mark = f"{base_year}年"
    for clauses in sentences:
        if not any(mark in c.text for c in clauses):
            continue
        for cl in clauses:
            text = cl.text
            if text.startswith(mark):
                text = text[len(mark) :]
            if re.match(r"^(?:较|比|与)", text) or re.search(r"\d{4}年", text):
                continue
            m = _BASELINE.match(text)
            if m:
                out.append((_clean(m.group("name")), float(m.group("value")), _unit(m.group("unit"))))
    return out

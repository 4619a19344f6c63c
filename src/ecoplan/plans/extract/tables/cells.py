"""Lexing a row's value chunk: numbers, dashes, cumulative values, text targets.

The values of a row are the run of characters a value can contain (digits,
comparison signs, ``〔…〕``, ``%``, ``左右/以上/以下/以内``, ``-``/``--``/``—``, and
text targets such as ``控制在省下达的指标内``); :func:`_lex` cuts it into items. A
number item may hold several glued cells (``70.570左右``, ``151165``, ``5456``):
:func:`_digit_splits` lists every reading of its digits as numbers without
padding zeros, each optionally followed by a footnote digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecoplan.plans.extract.tables.text import _nfkc

_TEXT_TARGETS = (
    r"基本消除|全面消除|控制在省下达的指标内|达到省下达(?:的)?(?:目标|指标)(?:要求)?|"
    r"完成省下达(?:的)?(?:目标|任务)|省下达|达到国家要求|国家要求"
)
# comparison words written before a number in a cell (稳定在73以上, 低于1.3, 不低于95)
_WORD_OPS = r"稳定在|保持在|控制在|不低于|不高于|低于|高于|小于|大于"
_CHUNK = re.compile(
    rf"(?:[0-9０-９.．＞＜≥≤<>\-－–—〔〕\[\]【】%％*＊\s\u2002\u3000]|左右|以上|以下|以内|{_TEXT_TARGETS}"
    rf"|(?:{_WORD_OPS})(?=[0-9０-９]))+"
)
_TOKEN = re.compile(
    rf"(?P<ws>[\s\u2002\u3000]+)|(?P<op>>=|<=|[＞＜≥≤<>]|(?:{_WORD_OPS})(?=[0-9０-９]))|(?P<num>[0-9０-９][0-9０-９.．]*)"
    r"|(?P<suf>左右|以上|以下|以内)|(?P<pct>[%％])|(?P<star>\\?[*＊])|(?P<dash>-|－|–|—+)"
    rf"|(?P<cum>[〔\[【][^〕\]】]*[〕\]】])|(?P<text>{_TEXT_TARGETS})"
)
_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


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
            i += 1
            if i < len(toks) and toks[i][0] == "suf":  # 〔16〕左右: about the cumulative value
                raw += toks[i][1]
                i += 1
            items.append(_Item("cum", raw))
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

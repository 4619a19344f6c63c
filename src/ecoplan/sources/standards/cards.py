"""Yellow and red cards (黄牌/红牌) per enterprise and quarter, and the quarter arithmetic.

The rule is that of 《"十三五"生态环境保护规划》 (国发〔2016〕65号) chapter 5 §1, "实施工业
污染源全面达标排放计划" (seed 000): "对污染物排放超标或者重点污染物排放超总量的企业予以
'黄牌'警示，限制生产或停产整治；对整治后仍不能达到要求且情节严重的企业予以'红牌'处罚，
限期停业、关闭 … 每季度向社会公布'黄牌'、'红牌'企业名单". The 2013 notice of the Ministry
(《关于加强污染源环境监管信息公开工作的通知》) was not found as a primary text; the
details below are ecoplan's reading [M]:

- **yellow** in a quarter: the enterprise has an exceedance event (a permit limit, any
  outlet) starting in the quarter, or its emission of a pollutant so far in the year
  exceeds its permitted annual quantity (许可排放量) on a day of the quarter;
- **red** in the next quarter: a cause of the quarter's card (the same kind and factor)
  occurs again in the next quarter on or after the rectification deadline, the quarter's
  end plus ``rectify_days`` (default 30 days, [M]: "整治后仍不能达到要求"); a red card
  whose cause occurs again after its own deadline stays red in the quarter after;
- one card per enterprise and quarter, red over yellow; the quarterly list is the cards
  of one quarter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ecoplan.core.words import has, word
from ecoplan.sources.standards.emission_standards import factor_name

__all__ = [
    "CAUSE_KINDS",
    "Card",
    "Occurrence",
    "causes",
    "next_quarter",
    "quarter_bounds",
    "quarter_cards",
    "quarter_of",
]

CAUSE_KINDS: tuple[str, ...] = ("exceedance", "quantity")
_Q = re.compile(r"^(\d{4})Q([1-4])$")


def quarter_of(at: dt.date | dt.datetime) -> str:
    """``2020Q2`` for a date in April–June 2020."""
    return f"{at.year}Q{(at.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of ``2020Q2``; ValueError for a bad name."""
    m = _Q.match(quarter)
    if m is None:
        raise ValueError(f"quarter must look like 2020Q2, got {quarter!r}")
    y, q = int(m.group(1)), int(m.group(2))
    start = dt.datetime(y, 3 * q - 2, 1)
    end = dt.datetime(y + 1, 1, 1) if q == 4 else dt.datetime(y, 3 * q + 1, 1)
    return start, end


def next_quarter(quarter: str) -> str:
    y, q = int(quarter[:4]), int(quarter[-1])
    return f"{y + 1}Q1" if q == 4 else f"{y}Q{q + 1}"


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a card cause: an exceedance event starting ``at`` or a day ``at``
    on which the year's emission is over the permitted quantity."""

    credit_code: str
    kind: str  # exceedance | quantity
    factor: str
    at: dt.datetime


@dataclass(frozen=True)
class Card:
    """The card of an enterprise in a quarter: its causes (``kind:factor``) and, for a red
    card, the causes that persisted after the previous quarter's deadline."""

    credit_code: str
    quarter: str
    card: str  # yellow | red
    causes: tuple[str, ...]
    persisting: tuple[str, ...]


def quarter_cards(occurrences: Iterable[Occurrence], rectify_days: int = 30) -> list[Card]:
    """The cards of every enterprise and quarter with an occurrence (see the module rule),
    ordered by quarter and credit code."""
    if rectify_days < 0:
        raise ValueError(f"rectify_days must be ≥ 0, got {rectify_days!r}")
    by: dict[tuple[str, str], list[Occurrence]] = {}
    for o in occurrences:
        if o.kind not in CAUSE_KINDS:
            raise ValueError(f"unknown cause kind {o.kind!r}; expected one of {CAUSE_KINDS}")
        by.setdefault((o.credit_code, quarter_of(o.at)), []).append(o)
    cards: dict[tuple[str, str], Card] = {}
    for code, q in sorted(by, key=lambda k: (k[1], k[0])):
        occ = by[(code, q)]
        causes = tuple(sorted({f"{o.kind}:{o.factor}" for o in occ}))
        prev_q = _previous_quarter(q)
        prev = cards.get((code, prev_q))
        persisting: tuple[str, ...] = ()
        if prev is not None:
            deadline = quarter_bounds(prev_q)[1] + dt.timedelta(days=rectify_days)
            late = {f"{o.kind}:{o.factor}" for o in occ if o.at >= deadline}
            persisting = tuple(sorted(late & set(prev.causes)))
        cards[(code, q)] = Card(code, q, "red" if persisting else "yellow", causes, persisting)
    return [cards[k] for k in sorted(cards, key=lambda k: (k[1], k[0]))]


def _previous_quarter(quarter: str) -> str:
    y, q = int(quarter[:4]), int(quarter[-1])
    return f"{y - 1}Q4" if q == 1 else f"{y}Q{q - 1}"


def causes(value: Any, lang: str) -> str:
    """A card's causes (``exceedance:a21026``, ``quantity:w01018``) in words, in ``lang``."""
    items = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    out = []
    for item in items:
        kind, _, factor = str(item).strip().partition(":")
        if not kind:
            continue
        key = f"sources.web.cause.{kind}"
        text = word(key, lang) if has(key) else kind
        out.append(f"{text} {factor_name(factor, lang)}" if factor else text)
    return word("label.report.list_sep", lang).join(out)

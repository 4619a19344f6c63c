"""The registries' rules, pure: the kinds of sensitive targets, the levels, and when an
emergency plan is due for review.

Review: 企业事业单位突发环境事件应急预案备案管理办法（试行）(环发〔2015〕4号) — an enterprise
reviews its emergency plan (回顾性评估) at least every three years and revises it on the
listed changes (Art. 12 as quoted by secondary pages; one of them, chinesebi.com,
attributes the text to 部令第34号 Art. 12, whose text in ``Fungwingwaa/cee`` says nothing
of the kind). A Guangdong bureau's answer (quoted at daycf.cn) names the 备案管理办法 and
treats a plan filed more than three years ago without review and re-filing as not filed
(部令第34号 Art. 38 (3)); the 2010 暂行办法 (环发〔2010〕113号) already asked for a revision
at least every three years. So a plan is due three years after the latest of its filing,
review and revision dates, and overdue the day after (:func:`plan_status`). The period is
:data:`REVIEW_YEARS`, an option of :func:`plan_status`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ecoplan.core.words import word

if TYPE_CHECKING:
    from ecoplan.risk.standards.hj941 import Grade

__all__ = [
    "KINDS",
    "LEVELS",
    "REVIEW_YEARS",
    "TARGET_KINDS",
    "PlanStatus",
    "add_years",
    "notation",
    "plan_status",
]

#: The registries (the ``KIND`` of ``ecoplan risk import KIND FILE``).
KINDS: Final = ("sources", "targets", "plans")
#: Sensitive target kinds; ``drinking_water_intake`` is what incident screening looks downstream for.
TARGET_KINDS: Final = ("school", "hospital", "drinking_water_intake", "residential", "other")
LEVELS: Final = ("general", "larger", "major")
#: Years between reviews of an emergency plan (环发〔2015〕4号: at least every three years).
REVIEW_YEARS: Final = 3


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _day(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


@dataclass(frozen=True)
class PlanStatus:
    """When a plan's review is due and whether it is overdue on ``as_of``."""

    last: dt.date
    due: dt.date
    overdue: bool
    days_overdue: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "last": self.last.isoformat(),
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "days_overdue": self.days_overdue,
        }


def plan_status(plan: Mapping[str, Any], as_of: dt.date, years: int = REVIEW_YEARS) -> PlanStatus:
    """The review status of a plan row (``filed_on``, ``reviewed_on``, ``revised_on``)."""
    days = [_day(d) for d in (plan.get("filed_on"), plan.get("reviewed_on"), plan.get("revised_on")) if d]
    last = max(days)
    due = add_years(last, years)
    late = (as_of - due).days
    return PlanStatus(last, due, late > 0, max(late, 0))


def notation(g: Grade, lang: str) -> str:
    """The level as HJ 941-2018 writes it: ``较大[较大-大气(Q1-M2-E1)+一般-水(Q0)]``."""

    def part(level: str, medium: str, text: str) -> str:
        return f"{word(f'risk.level.{level}', lang)}-{word(f'risk.medium.{medium}', lang)}({text})"

    air = part(g.air.level, "air", g.air.notation())
    water = part(g.water.level, "water", g.water.notation())
    return f"{word(f'risk.level.{g.level}', lang)}[{air}+{water}]"

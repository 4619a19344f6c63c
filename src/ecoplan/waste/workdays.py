"""Working days (工作日) for the hazardous-waste deadlines.

危险废物转移管理办法 counts its deadlines in working days: a receipt is confirmed within
5 working days (Art. 18), a paper manifest is back-filled within 10 (Art. 20). A working
day is Monday to Friday, except the State Council's public holidays, plus the Saturdays
and Sundays it declares working days (调休). Both come from ``chinese_calendar`` (the
State Council's notices, 2004–2026).

Beyond those years no notice exists yet: the fallback counts Monday to Friday and every
answer for such a date says so (``confirmed`` is ``False``; surfaces show it as an
"unconfirmed calendar"). It is never applied silently.

Counting convention: ``workdays_between(a, b)`` is the number of working days in the
half-open span ``(a, b]`` (after ``a``, up to and including ``b``); ``add_workdays(d, n)``
is the ``n``-th working day after ``d`` (before it for ``n < 0``; ``d`` itself for ``0``),
so ``workdays_between(d, add_workdays(d, n)) == n``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar  # type: ignore[import-untyped]
import numpy as np
import pandas as pd

__all__ = [
    "CALENDAR_END",
    "CALENDAR_START",
    "FIRST_YEAR",
    "LAST_YEAR",
    "Span",
    "add_workdays",
    "calendar_frame",
    "confirmed",
    "is_workday",
    "span",
    "workdays_between",
]

#: The years the State Council's notices cover in ``chinese_calendar``.
FIRST_YEAR: int = min(chinese_calendar.holidays).year
LAST_YEAR: int = max(max(chinese_calendar.holidays), max(chinese_calendar.workdays)).year
#: The dates this module answers for (the fallback on both sides of the notices' years).
CALENDAR_START = dt.date(1990, 1, 1)
CALENDAR_END = dt.date(2099, 12, 31)


def confirmed(day: dt.date) -> bool:
    """Whether ``day`` lies in a year the State Council's notices cover."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _official(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def is_workday(day: dt.date) -> bool:
    """A working day: by the notices in their years, Monday to Friday elsewhere."""
    return _official(day) if confirmed(day) else day.weekday() < 5


@dataclass(frozen=True)
class _Table:
    """Every day of the answered span: its working-day flag and the running count."""

    days: pd.DatetimeIndex
    work: np.ndarray  # bool per day
    cum: np.ndarray  # working days on or before the day, from CALENDAR_START


@lru_cache(maxsize=1)
def _table() -> _Table:
    days = pd.date_range(CALENDAR_START, CALENDAR_END, freq="D")
    work = np.array([is_workday(d.date()) for d in days], dtype=bool)
    return _Table(days, work, np.cumsum(work, dtype=np.int64))


def _index(day: dt.date) -> int:
    if not CALENDAR_START <= day <= CALENDAR_END:
        raise ValueError(f"{day} outside the working-day calendar {CALENDAR_START}..{CALENDAR_END}")
    return (day - CALENDAR_START).days


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days in ``(a, b]``; negative (−count of ``(b, a]``) when ``b < a``."""
    cum = _table().cum
    return int(cum[_index(b)] - cum[_index(a)])


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``n < 0``: before it; ``0``: ``day``)."""
    if n == 0:
        return day
    t = _table()
    base = int(t.cum[_index(day)])
    # The k-th working day after: running count base + k. The k-th before: the working
    # days before ``day`` end at count base - work(day), so count base - work(day) - k + 1.
    target = base + n if n > 0 else base - int(t.work[_index(day)]) + n + 1
    pos = int(np.searchsorted(t.cum, target, side="left"))
    if pos >= len(t.days) or pos < 0 or t.cum[pos] != target:
        raise ValueError(f"{day} + {n} working days falls outside the calendar")
    return t.days[pos].date()


@dataclass(frozen=True)
class Span:
    """A working-day count with whether the calendar behind it is confirmed."""

    workdays: int
    confirmed: bool


def span(a: dt.date, b: dt.date) -> Span:
    """:func:`workdays_between` with the calendar's status over the span."""
    return Span(workdays_between(a, b), confirmed(a) and confirmed(b))


def calendar_frame(start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> pd.DataFrame:
    """The calendar as a table for SQL: ``d`` (DATE), ``workday``, ``cum`` (working days
    on or before ``d``, counted from :data:`CALENDAR_START`, so ``cum(b) − cum(a)`` is
    :func:`workdays_between`) and ``confirmed``."""
    t = _table()
    lo, hi = _index(start), _index(end) + 1
    days = t.days[lo:hi]
    return pd.DataFrame(
        {
            "d": days.date,
            "workday": t.work[lo:hi],
            "cum": t.cum[lo:hi],
            "confirmed": [FIRST_YEAR <= y <= LAST_YEAR for y in days.year],
        }
    )

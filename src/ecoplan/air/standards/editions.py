"""Which edition of the ambient-air standards applies to a date.

On 2026-03-01 GB 3095—2026, HJ 633—2026 and HJ 663—2026 replaced GB 3095—2012,
HJ 633—2012 and HJ 663—2013 (GB 3095—2026 foreword; HJ 633—2026 §1). GB 3095—2026
§4.4 sets a transitional phase: "自本标准实施之日起至2030年12月31日止，环境空气污染物
基本项目（表1）实施过渡阶段浓度限值；自2031年1月1日起 … 实施基本项目（表1）浓度限值".

The dates live in :data:`EDITIONS` and :data:`GB3095_PHASES` (data, not code), so a
later amendment is one new row. Each day is judged by the edition in force on that
day; a period (month, year) that straddles a change is judged, for its period
statistics, by the edition in force on its **last** day and flagged ``straddles``
(the standards do not say how MEE treats calendar year 2026; see
``docs/air-quality.md``). Callers can always override the choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "EDITIONS",
    "EDITION_KEYS",
    "GB3095_PHASES",
    "Edition",
    "EditionKey",
    "PeriodEdition",
    "Phase",
    "edition_for",
    "edition_for_period",
    "editions_between",
    "gb3095_phase",
    "get_edition",
]

EditionKey = Literal["2012", "2026"]
Phase = Literal["2012", "2026-transition", "2026-final"]


@dataclass(frozen=True)
class Edition:
    """One edition of the three air standards, with its period of validity."""

    key: EditionKey
    aqi: str
    limits: str
    evaluation: str
    effective_from: dt.date
    effective_until: dt.date | None  # last day in force; None = still in force
    #: The evaluation standard introduces three-year moving averages (HJ 663—2026).
    three_year_mean: bool = False

    def covers(self, start: dt.date, end: dt.date) -> bool:
        """In force on some day of ``start`` … ``end`` (inclusive)."""
        return self.effective_from <= end and (self.effective_until is None or start <= self.effective_until)


EDITIONS: tuple[Edition, ...] = (
    Edition(
        "2012",
        "HJ 633—2012",
        "GB 3095—2012",
        "HJ 663—2013",
        # GB 3095—2012 / HJ 633—2012 in force nationwide 2016-01-01; earlier in the
        # 74 cities of phase 1 (2012-2013). Data before 2016 are evaluated with it too,
        # which is what MEE's own historical series do.
        dt.date(1900, 1, 1),
        dt.date(2026, 2, 28),
    ),
    Edition("2026", "HJ 633—2026", "GB 3095—2026", "HJ 663—2026", dt.date(2026, 3, 1), None, True),
)

#: The edition keys, oldest first (``"2012"``, ``"2026"``).
EDITION_KEYS: tuple[EditionKey, ...] = tuple(e.key for e in EDITIONS)

# (phase, first day, last day) of the GB 3095 basic-item limits (GB 3095—2026 §4.4).
GB3095_PHASES: tuple[tuple[Phase, dt.date, dt.date | None], ...] = (
    ("2012", dt.date(1900, 1, 1), dt.date(2026, 2, 28)),
    ("2026-transition", dt.date(2026, 3, 1), dt.date(2030, 12, 31)),
    ("2026-final", dt.date(2031, 1, 1), None),
)


def _as_date(day: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(day, str):
        return dt.date.fromisoformat(day[:10])
    if isinstance(day, dt.datetime):
        return day.date()
    return day


def get_edition(key: str) -> Edition:
    """The edition named ``"2012"`` or ``"2026"``."""
    for e in EDITIONS:
        if e.key == key:
            return e
    raise ValueError(f"unknown air-standard edition {key!r}; expected one of {', '.join(EDITION_KEYS)}")


def edition_for(day: dt.date | dt.datetime | str) -> Edition:
    """The edition in force on ``day``."""
    d = _as_date(day)
    for e in EDITIONS:
        if e.effective_from <= d and (e.effective_until is None or d <= e.effective_until):
            return e
    raise ValueError(f"no air-standard edition covers {d}")  # pragma: no cover - table is total


def editions_between(start: dt.date, end: dt.date) -> tuple[Edition, ...]:
    """The editions in force on some day of ``start`` … ``end``, oldest first."""
    return tuple(e for e in EDITIONS if e.covers(start, end))


def gb3095_phase(day: dt.date | dt.datetime | str) -> Phase:
    """The GB 3095 limit set in force on ``day`` (GB 3095—2026 §4.4)."""
    d = _as_date(day)
    for phase, start, end in GB3095_PHASES:
        if start <= d and (end is None or d <= end):
            return phase
    raise ValueError(f"no GB 3095 phase covers {d}")  # pragma: no cover


@dataclass(frozen=True)
class PeriodEdition:
    """The edition chosen for a period, and whether the period straddles a change."""

    edition: Edition
    phase: Phase
    straddles: bool
    #: When it straddles: the first day of the edition in force at its end.
    change: dt.date | None = None


def edition_for_period(start: dt.date, end: dt.date, override: str | None = None) -> PeriodEdition:
    """Edition for period statistics over ``start`` … ``end`` (inclusive).

    ``override`` (``"2012"``/``"2026"``; ``None`` or ``"auto"`` = by date) wins.
    With an override of 2026 the GB 3095 phase is the one in force at ``end``, but
    never earlier than the transitional phase.
    """
    straddles = edition_for(start).key != edition_for(end).key
    change = edition_for(end).effective_from if straddles else None
    if override in (None, "auto"):
        return PeriodEdition(edition_for(end), gb3095_phase(end), straddles, change)
    ed = get_edition(str(override))
    # the phase in force at ``end``, or, when ``end`` lies outside the edition's
    # validity, the edition's nearest phase
    day = max(end, ed.effective_from)
    if ed.effective_until is not None:
        day = min(day, ed.effective_until)
    return PeriodEdition(ed, gb3095_phase(day), straddles, change)

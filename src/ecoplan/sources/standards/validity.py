"""Data flags and period validity: which minute values count, when an hour or a day is
valid, and how a period's flag is aggregated.

Flags (HJ 212-2017 §6.6.4 Table 8, hj212 spec §6.4): N normal; F instrument stopped (the
source or its monitor not running); M maintenance; S manually entered set value; D fault;
C calibration; T above the measuring upper limit; B instrument ↔ data-logger
communication abnormal. How each is handled is :data:`FLAGS`.

Period validity, as data (:data:`PERIOD_RULES`), each with its source:

- flue gas, hour: the hourly mean is the mean of ≥ 45 valid minute means (HJ 212-2017
  Annex D.2 formula (24), "k ≥ 45", which cites HJ/T 75-2007; HJ 75-2017 keeps the
  45-minute hour — its clause could not be read here, so the threshold is cited from
  Annex D) ;
- flue gas, day: ≥ 20 valid hours (Annex D.2 formula (25), "m ≥ 20");
- wastewater, hour: ecoplan applies the flue-gas 45 minutes [M] — Annex D.1 formula (3)
  sums 1 ≤ m ≤ 6 ten-minute values and HJ 355/356-2019's clause was not found;
- wastewater, day: ≥ 1 valid hour (Annex D.1 formula (4), "1 ≤ h ≤ 24").

Minute data are interval aware: a CN 2051 value with MinInterval = 10 stands for
10 minutes (S17 Table 4 MinInterval; DataTime is the start of the period, §5.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FLAGS",
    "MIN_INTERVALS",
    "PERIOD_RULES",
    "STOPPED_FLAGS",
    "VALID_FLAGS",
    "FlagRule",
    "PeriodRule",
    "aggregate_flag",
    "hour_status",
    "valid_minutes",
]

Handling = Literal["valid", "invalid", "stopped"]


@dataclass(frozen=True)
class FlagRule:
    """How a flagged value is handled: counted as ``valid`` data, ``invalid`` (not counted,
    the hour may fall short of its minutes) or ``stopped`` (the source/instrument was not
    running: not counted, and an hour short of valid minutes is "stopped", not "invalid")."""

    flag: str
    handling: Handling
    why: str
    own: bool  # True: ecoplan's own choice, not a standard's


FLAGS: Mapping[str, FlagRule] = {
    r.flag: r
    for r in (
        FlagRule("N", "valid", "instrument normal (Table 8)", False),
        FlagRule(
            "T",
            "valid",
            "above the measuring upper limit: the real value is at least the reported one, "
            "so it counts and can exceed a limit",
            True,
        ),
        FlagRule("F", "stopped", "instrument stopped (Table 8): the source or its monitor not running", True),
        FlagRule("M", "invalid", "maintenance (Table 8): not measured emission", False),
        FlagRule("S", "invalid", "manually entered set value (Table 8): not a measurement", False),
        FlagRule("D", "invalid", "instrument fault (Table 8)", False),
        FlagRule("C", "invalid", "calibration (Table 8): the analyser measures a standard gas", False),
        FlagRule(
            "B",
            "invalid",
            "communication abnormal (Table 8): the value did not come from the analyser",
            False,
        ),
    )
}

#: Flags whose values count as valid data.
VALID_FLAGS: tuple[str, ...] = tuple(f for f, r in FLAGS.items() if r.handling == "valid")
#: Flags that mark the source or instrument as stopped.
STOPPED_FLAGS: tuple[str, ...] = tuple(f for f, r in FLAGS.items() if r.handling == "stopped")

#: MinInterval values HJ 212-2017 allows, minutes (Table 4).
MIN_INTERVALS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)


@dataclass(frozen=True)
class PeriodRule:
    """The valid lower-level data a period needs (minutes for an hour, hours for a day)."""

    medium: str  # air | water
    period: str  # hour | day
    min_valid: int
    source: str
    own: bool = False


PERIOD_RULES: Mapping[tuple[str, str], PeriodRule] = {
    (r.medium, r.period): r
    for r in (
        PeriodRule(
            "air", "hour", 45, "HJ 212-2017 Annex D.2 formula (24), k ≥ 45 (HJ/T 75-2007; HJ 75-2017)"
        ),
        PeriodRule("air", "day", 20, "HJ 212-2017 Annex D.2 formula (25), m ≥ 20"),
        PeriodRule("water", "hour", 45, "ecoplan: the flue-gas hour of Annex D.2 formula (24)", own=True),
        PeriodRule("water", "day", 1, "HJ 212-2017 Annex D.1 formula (4), 1 ≤ h ≤ 24"),
    )
}


def valid_minutes(records: Iterable[tuple[str | None, int]]) -> int:
    """Valid minutes of an hour from its minute records ``(flag, interval_minutes)``: each
    valid record stands for its interval; capped at 60. A missing flag counts as N."""
    total = 0
    for flag, interval in records:
        if interval not in MIN_INTERVALS and interval != 60:
            raise ValueError(f"interval must be a MinInterval of HJ 212-2017 Table 4, got {interval!r}")
        if FLAGS.get(flag or "N", FLAGS["D"]).handling == "valid":
            total += interval
    return min(total, 60)


def hour_status(valid: int, stopped: int, medium: str = "air") -> str:
    """``valid`` (enough valid minutes, :data:`PERIOD_RULES`), ``stopped`` (short of them
    and some minutes flagged stopped) or ``invalid``."""
    rule = PERIOD_RULES[(medium, "hour")]
    if valid >= rule.min_valid:
        return "valid"
    return "stopped" if stopped > 0 else "invalid"


def aggregate_flag(medium: str, flags: Iterable[str | None]) -> str:
    """The flag of an hour or day from its lower-level flags (S17 notes under C.16–C.18,
    hj212 spec §6.4): flue gas — N when ≥ 75 % of them are normal, else D; wastewater —
    N only when all are normal, else D (the letter for water is UNCONFIRMED: D)."""
    fl = [f or "N" for f in flags]
    if not fl:
        return "D"
    normal = sum(1 for f in fl if FLAGS.get(f, FLAGS["D"]).handling == "valid")
    if medium == "air":
        return "N" if 4 * normal >= 3 * len(fl) else "D"
    return "N" if normal == len(fl) else "D"

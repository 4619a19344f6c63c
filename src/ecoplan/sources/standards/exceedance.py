"""Exceedance of a permit limit (超标) and exceedance events.

- The value compared is the one of the limit's basis: an hourly limit is compared with the
  valid hour's mean, a daily limit with the valid day's mean; where the limit carries a
  reference O2 (the emission standard's, hj212 spec §9.4) the converted (折算)
  concentration is compared: ``C × (21 − O2ref) / (21 − O2)`` with the period's mean O2
  (HJ 212-2017 Annex D.2 formula (28)), or the device's ZsAvg where no O2 was measured.
- A value exceeds when it is strictly greater than the limit (a value equal to the limit
  complies: emission standards give maxima, "不得超过").
- Only valid periods (:mod:`.validity`) are judged.
- Consecutive exceeding periods of one outlet, factor and basis are one event
  (ecoplan's rule [M]): an hour that is not exceeding — compliant, invalid or missing —
  ends it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ecoplan.sources.standards.conversion import AIR_O2

__all__ = ["Event", "compared_value", "exceeds", "merge_events"]

STEP = {"hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1)}


def compared_value(
    avg: float | None, zs_avg: float | None, o2: float | None, ref_o2: float | None
) -> float | None:
    """The value judged against a limit: ``avg`` where the limit has no reference O2; the
    converted value from ``avg`` and the period's O2 where it has one; the device's
    ``zs_avg`` where O2 is missing or impossible (≥ 21 %); None when nothing is left."""
    if ref_o2 is None:
        return avg
    if avg is not None and o2 is not None and 0 <= o2 < AIR_O2:
        return avg * (AIR_O2 - ref_o2) / (AIR_O2 - o2)
    return zs_avg


def exceeds(value: float | None, limit: float | None) -> bool | None:
    """True when ``value`` > ``limit``; None when either is missing."""
    if value is None or limit is None:
        return None
    return value > limit


@dataclass(frozen=True)
class Event:
    """An exceedance event: ``start`` of its first period, ``end`` the end of its last
    (exclusive), ``periods`` its number of periods."""

    outlet_id: str
    factor: str
    basis: str
    start: dt.datetime
    end: dt.datetime
    periods: int


def merge_events(periods: Iterable[tuple[str, str, str, dt.datetime]]) -> list[Event]:
    """Events from exceeding periods ``(outlet_id, factor, basis, start)``: consecutive
    periods of one outlet, factor and basis merged (the reference of the pipeline SQL)."""
    out: list[Event] = []
    for outlet, factor, basis, start in sorted(set(periods)):
        step = STEP[basis]
        last = out[-1] if out else None
        if (
            last is not None
            and (last.outlet_id, last.factor, last.basis) == (outlet, factor, basis)
            and last.end == start
        ):
            out[-1] = Event(outlet, factor, basis, last.start, start + step, last.periods + 1)
        else:
            out.append(Event(outlet, factor, basis, start, start + step, 1))
    return out

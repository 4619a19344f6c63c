"""SQL expression builders shared by the air pipeline's queries: exact scaled arithmetic,
IAQI, rounding and edition choice.

Concentrations are carried as BIGINT in units of 10⁻⁶ (:func:`_scaled`,
``FLOOR(c * 1000000 + 0.5)``, the same rule as :mod:`ecoplan.air.standards.aqi`).
A mean of n scaled values is ``(2·Σ + n) // (2·n)`` (:func:`_mean`, half-up to
10⁻⁶), and an IAQI is ``I_lo + ((I_hi − I_lo)·(x − BP_lo) + d − 1) // d`` with
``d = (BP_hi − BP_lo)·10⁶`` (:func:`_iaqi`, breakpoints of HJ 633 表1/表3) — an
exact integer ceiling, so both engines produce the same integers and the numpy
calculator gives the same IAQIs. :func:`_edition_iaqi` adds an edition's special
> 800 rules and its GB/T 8170 rounding (:func:`_round_half_even`, HJ 633—2026
§4.2.2); :func:`_reported_aqi` and :func:`_complete` apply HJ 633—2026 §4.1.1 and
§5.3.1; :func:`_by_edition` picks an edition's expression by date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import hj633_2012
from ecoplan.air.standards.editions import editions_between, get_edition
from ecoplan.core.rounding import round_scaled_sql

__all__ = ["DailyOptions", "S"]

S = 1_000_000


def _editions(edition: str, start: dt.date, end: dt.date) -> list[str]:
    """The editions whose rules the SQL needs: the one given, or (``"auto"``) every
    edition in force on some day of ``start`` … ``end``."""
    if edition == "auto":
        return [e.key for e in editions_between(start, end)]
    return [get_edition(edition).key]


def _by_edition(
    eds: Sequence[str], values: Mapping[str, str], at: str, kind: Literal["DATE", "TIMESTAMP"]
) -> str:
    """SQL choosing ``values[edition]`` by the edition in force at column ``at``
    (a DATE or TIMESTAMP); the change dates come from the editions table."""
    if len(eds) == 1:
        return values[eds[0]]
    parts = ["(CASE"]
    for ed, nxt in itertools.pairwise(eds):
        first = get_edition(nxt).effective_from.isoformat()
        lit = f"DATE '{first}'" if kind == "DATE" else f"TIMESTAMP '{first} 00:00:00'"
        parts.append(f"WHEN {at} < {lit} THEN {values[ed]}")
    parts.append(f"ELSE {values[eds[-1]]} END)")
    return " ".join(parts)


def _reported_aqi(edition: str) -> str:
    """The reported AQI from ``aqi_raw`` and ``complete`` under an edition's rules
    (HJ 633—2026 §4.1.1 range and §5.3.1 publication; none in 2012)."""
    spec = aqi_std.spec(edition)
    expr = "aqi_raw"
    if spec.AQI_MIN is not None:
        expr = f"GREATEST(aqi_raw, {spec.AQI_MIN})"
    if spec.WITHHOLD_INCOMPLETE_UP_TO is not None:
        w = spec.WITHHOLD_INCOMPLETE_UP_TO
        expr = f"(CASE WHEN aqi_raw IS NOT NULL AND (complete OR aqi_raw > {w}) THEN {expr} END)"
    return expr


def _complete(indicators: Iterable[str], absent: Iterable[str]) -> str:
    """A report is complete when each basic pollutant (but the ``absent`` ones) has
    one of its ``indicators``."""
    skip = set(absent)
    need = []
    for p in aqi_std.BASIC:
        mine = [c for c in indicators if c.split("_")[0] == p]
        if p in skip or not mine:
            continue
        need.append("(" + " OR ".join(f"{c} IS NOT NULL" for c in mine) + ")")
    return " AND ".join(need) or "TRUE"


@dataclass(frozen=True)
class DailyOptions:
    """Choices the standards leave open (``docs/air-quality.md``)."""

    #: A city daily value needs at least this many valid station values
    #: (HJ 663 sets no number the spec could confirm; UNCONFIRMED).
    min_stations: int = 1
    #: Station types whose values form the city value (HJ 663: 城市点).
    station_types: tuple[str, ...] = ("city",)
    #: Pollutants not monitored by design (HJ 633—2026 §5.3.2): they do not make a
    #: day incomplete.
    absent: frozenset[str] = frozenset()


def _scaled(col: str) -> str:
    return f"CAST(FLOOR({col} * {S} + 0.5) AS BIGINT)"


def _mean(s: str, n: str) -> str:
    return f"(2 * {s} + {n}) // (2 * {n})"


def _round_half_even(x: str, digits: int) -> str:
    """GB/T 8170 rounding of a scaled BIGINT expression (HJ 633—2026 §4.2.2)."""
    return round_scaled_sql(x, digits)


def _iaqi(x: str, table: tuple[int | None, ...]) -> str:
    """CASE expression: exact ceiling IAQI of scaled BIGINT ``x`` (NULL stays NULL)."""
    levels = hj633_2012.IAQI_LEVELS
    bps = [(b, levels[i]) for i, b in enumerate(table) if b is not None]
    parts = [f"CASE WHEN {x} IS NULL THEN NULL"]
    for (lo, ilo), (hi, ihi) in itertools.pairwise(bps):
        d = (hi - lo) * S
        parts.append(f"WHEN {x} <= {hi * S} THEN {ilo} + ({ihi - ilo} * ({x} - {lo * S}) + {d - 1}) // {d}")
    parts.append("ELSE 500 END")
    return " ".join(parts)


def _edition_iaqi(col: str, edition: str, columns: Mapping[str, str]) -> str:
    """IAQI of a column under an edition, special rules included.

    ``columns`` maps HJ 633 indicators to the SQL columns holding them.
    """
    cols = columns
    ind = next(i for i, c in cols.items() if c == col)
    spec = aqi_std.spec(edition)
    x = col
    if spec.ROUND_DIGITS is not None:
        x = _round_half_even(col, spec.ROUND_DIGITS[ind.split("_")[0]])
    expr = _iaqi(x, spec.TABLE[ind])
    special = spec.SPECIAL.get(ind)
    if special is not None:
        limit, repl = special
        if isinstance(repl, int):
            sub = str(repl)
        else:
            sub = _edition_iaqi(cols[repl], edition, cols) if repl in cols else "NULL"
        expr = f"(CASE WHEN {x} > {limit * S} THEN {sub} ELSE {expr} END)"
    return expr

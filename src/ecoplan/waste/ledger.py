"""Ledgers per HJ 1259-2022 (危险废物管理计划和管理台账制定技术导则): one record per container
and stage, the stages linked by batch codes, and the mass balance of the declaration
forms (Annex C: 上期末剩余 + 本期产生 − 委外 − 自行利用处置 = 本期末剩余).

The stored quantity is what the storage records hold (入库 − 出库); the balance per
actor, code and period checks that the waste generated was stored, shipped or treated:
``opening + generated − shipped − self_treated = closing``, where ``opening`` and
``closing`` are the stored quantities at the period's start and end. An imbalance beyond
:data:`TOLERANCE_T` is reported with its numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from ecoplan.core.errors import EcoplanError

__all__ = ["TOLERANCE_T", "Balance", "balance", "period_bounds"]

#: Weighing and rounding leave kilograms; a larger gap is an imbalance (configurable).
TOLERANCE_T = 0.001


def period_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """``2025-03`` (month), ``2025Q1`` (quarter) or ``2025`` (year, 1900–2999) → [start, end)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})|Q([1-4]))?", period)
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12) or not 1900 <= int(m.group(1)) <= 2999:
        raise EcoplanError.worded("waste.error.bad_period", period=period)
    y = int(m.group(1))
    if m.group(2):
        first, n = int(m.group(2)), 1
    elif m.group(3):
        first, n = 3 * int(m.group(3)) - 2, 3
    else:
        first, n = 1, 12
    end_m = first - 1 + n
    start = dt.datetime(y, first, 1)
    end = dt.datetime(y + end_m // 12, end_m % 12 + 1, 1)
    return start, end


@dataclass(frozen=True)
class Balance:
    """One actor's balance of one code over one period (tonnes)."""

    actor_id: str
    code: str
    period: str
    opening: float
    generated: float
    shipped: float
    self_treated: float
    closing: float
    imbalance: float
    balanced: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def balance(
    actor_id: str, code: str, period: str, sums: dict[str, float], tolerance: float = TOLERANCE_T
) -> Balance:
    """The balance from the stage sums: ``opening`` and ``closing`` stored, and
    ``generated``, ``shipped``, ``self_treated`` within the period."""
    o, g = sums.get("opening", 0.0), sums.get("generated", 0.0)
    s, t, c = sums.get("shipped", 0.0), sums.get("self_treated", 0.0), sums.get("closing", 0.0)
    gap = round(o + g - s - t - c, 6)
    return Balance(actor_id, code, period, o, g, s, t, c, gap, abs(gap) <= tolerance)

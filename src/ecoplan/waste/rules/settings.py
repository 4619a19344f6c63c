"""The alert thresholds: those the texts fix, and the configurable defaults where they do not.

Confirmed by a primary text (changing them departs from the rule):
``confirm_workdays`` (转移管理办法 Art. 18), ``backfill_workdays`` (Art. 20),
``storage_days`` (固废法 Art. 81 ¶3: one year), ``piece_tolerance`` (Art. 18 ¶2: any
数量 difference, pieces included; 0), ``reapply_pct`` (许可证管理办法: throughput
over the approved scale by more than 20 %), the declaration deadlines (HJ 1259-2022 §7.2:
the 15th, 31 March).

Configurable, shown as "unconfirmed" (no Chinese text sets a number):
``tolerance_pct`` (10 % by weight, the US anchor 40 CFR 264.72), ``transit_allowance_days``
(R2's fallback when no arrival time is recorded), the transit-time model of R7
(``road_factor``, ``speed_kmh``, ``transit_slack_h``), ``balance_tolerance_t``, and
``treatment_methods``: the approval methods (``利用、处置方式``) a collection-only permit
does not cover (许可证管理办法 Art. 3), read as the Basel-style codes ``R…`` (utilisation)
and ``D…`` (disposal); the codes of HJ 1033 附录F are not in the stores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = ["AlertSettings"]


@dataclass(frozen=True)
class AlertSettings:
    """Thresholds of the rules and the moment they are judged at (``as_of``)."""

    #: The moment the open clocks are read at (an unconfirmed manifest is late once its
    #: deadline is before it). ``None``: the caller supplies it (normally now).
    as_of: dt.datetime | None = None
    #: The reporting year for capacity (R5), storage and declarations (R9, R10).
    year: int | None = None
    tolerance_pct: float = 10.0
    #: Pieces (containers) a line may differ by at receipt (R3.pieces): none.
    piece_tolerance: int = 0
    confirm_workdays: int = 5
    transit_allowance_days: int = 3
    backfill_workdays: int = 10
    storage_days: int = 365
    reapply_pct: float = 120.0
    road_factor: float = 1.3
    speed_kmh: float = 50.0
    transit_slack_h: float = 24.0
    balance_tolerance_t: float = 0.001
    #: A regular expression (both engines' syntax) matching the approval methods that are
    #: utilisation or disposal, beyond a collection permit (R6.method).
    treatment_methods: str = "^[RD][0-9]+$"
    declare_day: int = 15
    annual_due_month: int = 3
    annual_due_day: int = 31

    def at(self, as_of: dt.datetime, year: int | None = None) -> AlertSettings:
        """These settings judged at ``as_of`` (for ``year``: default, the year before ``as_of``
        when ``as_of`` is in its first half, else ``as_of``'s year)."""
        y = year if year is not None else (self.year or (as_of.year - 1 if as_of.month <= 6 else as_of.year))
        return replace(self, as_of=as_of, year=y)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (the ``as_of`` as ISO text) for JSON output."""
        d = asdict(self)
        d["as_of"] = None if self.as_of is None else self.as_of.isoformat(sep=" ")
        return d

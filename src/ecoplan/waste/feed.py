"""The indicators the waste data measure, declared as data (:data:`FEEDS`).

Each :class:`Feed` names the plan indicator code it would feed (``Indicator.code``; the
built-in plans use ``waste.hazardous_use_disposal_rate``, 危险废物利用处置率) or a KPI of
the manifests' own (能考核: on-time confirmation, closed loop), the statistic it reads,
and its rule. The two manifest rates are computed now by simple SQL in
:meth:`ecoplan.waste.storage.WasteStore.rates` (on time: within 7 calendar days of arrival,
a stand-in for Art. 18's 5 working days — UNCONFIRMED until the alerts' pipeline counts
working days); the capacity ratio by :meth:`~ecoplan.waste.storage.WasteStore.capacity`.
None is written to plan values yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ecoplan.plans.model import Basis

__all__ = ["FEEDS", "Feed"]


@dataclass(frozen=True)
class Feed:
    """One indicator the waste data produce."""

    code: str
    statistic: str
    rule: str
    unit: str = "%"
    basis: Basis = Basis.LEVEL


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed(
            "waste.manifest_on_time_confirmation_rate",
            "on_time_pct",
            "confirmed within 5 working days of arrival (转移管理办法 Art. 18); "
            "now 7 calendar days, UNCONFIRMED",
        ),
        Feed(
            "waste.manifest_closed_loop_rate",
            "closed_loop_pct",
            "shipped manifests confirmed or closed, not rejected "
            "(closed loop: shipped → confirmed → treated)",
        ),
        Feed(
            "waste.capacity_generation_ratio",
            "ratio",
            "licensed annual capacity (经营许可证 年经营规模, permits valid on 1 July) / ledger generation, "
            "per province",
            unit="1",
        ),
        Feed(
            "waste.hazardous_use_disposal_rate",
            "use_disposal_pct",
            "(self-treated + shipped to a licensed receiver) / generated; not computed yet",
        ),
    )
}

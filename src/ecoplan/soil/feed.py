"""The plan indicators the soil rates measure, declared as data.

Each :class:`Feed` names the plan's indicator code (``Indicator.code``) and the column of
the rates table (:data:`ecoplan.soil.pipeline.run.RATE_COLUMNS`) it reads. Every rate
is computed by a rule named UNCONFIRMED in :mod:`ecoplan.soil.standards.safe_use`; the
provenance note stored with each value says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecoplan.plans.model import Basis
from ecoplan.soil.standards.safe_use import FARMLAND_RULE, SITE_RULE

__all__ = ["FEEDS", "Feed", "feed_value"]


@dataclass(frozen=True)
class Feed:
    """One plan indicator the soil rates produce (a level, %)."""

    code: str
    statistic: str
    rule: str
    basis: Basis = Basis.LEVEL


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed("soil.polluted_farmland_safe_use", "farmland_safe_use_pct", FARMLAND_RULE),
        Feed("soil.contaminated_site_safe_use", "site_safe_use_pct", SITE_RULE),
        Feed("soil.key_construction_land_safe_use", "key_site_safe_use_pct", f"{SITE_RULE}; key plots only"),
        Feed(
            "soil.polluted_farmland_and_site_safe_use",
            "combined_safe_use_pct",
            "min(farmland, site); UNCONFIRMED",
        ),
    )
}


def feed_value(feed: Feed, row: Mapping[str, Any]) -> tuple[float, str] | None:
    """The value of ``feed`` in one row of the rates table and its provenance note, or
    None when the rate is not defined (no contaminated land counted)."""
    v = row.get(feed.statistic)
    if v is None or v != v:
        return None
    safe = row["farmland_b_hm2"] + row["farmland_c_hm2"] + row["farmland_d_hm2"]
    parts = {
        "farmland_safe_use_pct": f"B+C+D={safe:.4g} hm², E={row['farmland_e_hm2']:.4g} hm²",
        "site_safe_use_pct": f"{row['sites_safe']}/{row['sites_counted']} plots",
        "key_site_safe_use_pct": f"{row['key_sites_safe']}/{row['key_sites_counted']} key plots",
    }
    return float(v), f"{feed.rule}; {parts.get(feed.statistic, '')}".rstrip("; ")

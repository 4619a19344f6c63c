"""What the domains' services share when they feed plan indicators: the indicators a
region's stored plans (its own, its ancestors' and the nation's) ask a domain's feeds for."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from ecoplan.plans.model import Indicator, Plan
from ecoplan.store.catalog import Catalog

__all__ = ["fed_indicators"]

F = TypeVar("F")


def fed_indicators(cat: Catalog, region: str, feeds: Mapping[str, F]) -> Iterator[tuple[Plan, Indicator, F]]:
    """Each indicator of a stored plan of ``region``, of one of its ancestors (GB/T 2260)
    or of the nation whose code is a key of ``feeds``, with its plan and feed, in the
    catalog's order. An unknown ``region`` raises :class:`~ecoplan.core.errors.NotFound`."""
    chain = {region, "000000"}
    code: str | None = region
    while code:
        code = cat.region(code).parent
        if code:
            chain.add(code)
    for plan in cat.plans():
        if plan.region not in chain:
            continue
        for ind in plan.indicators:
            feed = feeds.get(ind.code or "")
            if feed is not None:
                yield plan, ind, feed

"""What the domains' services share when they feed plan indicators: the indicators a
region's stored plans (its own, its ancestors' and the nation's) ask a domain's feeds for,
and the guard that keeps a value a person entered from being overwritten by a pipeline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from ecoplan.core.feeds import Skip
from ecoplan.plans.model import Indicator, Plan
from ecoplan.store.catalog import Catalog

__all__ = ["fed_indicators", "manual_skip", "manual_source"]

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


def manual_source(cat: Catalog, plan: str, indicator: str, region: str, year: int, source: str) -> str | None:
    """The source of the value in force for ``year`` when it came from somewhere else than
    the pipeline ``source`` (a person's entry, a bulletin, another import); None when the
    pipeline's own value or no value is in force. A pipeline never overwrites such a value."""
    for r in cat.value_rows(plan, region, indicator):
        if int(r["year"]) == year and r.get("source") != source:
            return str(r.get("source") or "—")
    return None


def manual_skip(cat: Catalog, plan: str, indicator: str, region: str, year: int, source: str) -> Skip | None:
    """:class:`Skip` ``feeds.manual`` when :func:`manual_source` finds a value to keep."""
    manual = manual_source(cat, plan, indicator, region, year, source)
    return None if manual is None else Skip("feeds.manual", {"source": manual, "year": year})

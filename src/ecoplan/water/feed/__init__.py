"""The plan indicators the water evaluation measures, declared as data.

Each :class:`Feed` names the indicator code a plan gives (``Indicator.code``) and the
column of the regional shares (:func:`ecoplan.water.pipeline.shares`) it reads:

- ``water.grade_i_iii_share`` — 地表水达到或好于Ⅲ类水体比例: sections of class Ⅰ–Ⅲ for
  the year ÷ sections classed × 100 % (spec §9 table; 环办〔2011〕22号 §二(一)2);
- ``water.worse_than_v_share`` — 地表水劣Ⅴ类水体比例: sections of class 劣Ⅴ ÷ sections
  classed × 100 %.

The 15th FYP's 优良水体比例 (``water.good_water_bodies_share``) is a different indicator
whose method is not published: no feed maps to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.core.errors import NotFound
from ecoplan.core.feeds import Skip
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.store.feeds import manual_skip

__all__ = ["FEEDS", "SOURCE", "Feed", "FeedSkip", "Skip", "plan_rows"]

#: The source of the values the water pipeline writes (word ``water.pipeline_source``).
SOURCE = "pipeline water"


@dataclass(frozen=True)
class Feed:
    """One plan indicator the water evaluation produces (a level, in %)."""

    code: str  # the plan indicator's code (Indicator.code)
    statistic: str  # a column of the regional shares

    @property
    def basis(self) -> Basis:
        return Basis.LEVEL


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed("water.grade_i_iii_share", "share_i_iii_pct"),
        Feed("water.worse_than_v_share", "share_worse_v_pct"),
    )
}


@dataclass(frozen=True)
class FeedSkip:
    """A plan indicator, region and year the feed gives no value for, and why."""

    plan: str
    indicator: str
    region: str
    year: int
    why: Skip


def _chain(cat: Any, region: str) -> set[str]:
    """The region, its ancestors (GB/T 2260) and the nation."""
    out = {region, "000000"}
    code: str | None = region
    while code:
        try:
            code = cat.region(code).parent
        except NotFound:
            break
        if code:
            out.add(code)
    return out


def _note(row: pd.Series, months: Sequence[int]) -> str:
    """The provenance stored with a value: the method, the sections, the months covered."""
    listed = ", ".join(f"{m:02d}" for m in months)
    return (
        f"GB 3838—2002 / 环办〔2011〕22号; {int(row['n_sections'])} sections; "
        f"{len(months)} of 12 months ({listed})"
    )


def plan_rows(
    cat: Any, shares: pd.DataFrame, year: int, months: Sequence[int]
) -> tuple[list[ValueRow], list[FeedSkip]]:
    """The values of :data:`FEEDS` for ``year`` from the regional shares, for every
    stored plan whose region is the share's region or one of its ancestors (a
    national plan's indicators are measured in every region), within the plan's
    years; a year whose latest stored value was entered by hand (any source but
    :data:`SOURCE`) is skipped and that value stays."""
    rows: list[ValueRow] = []
    skipped: list[FeedSkip] = []
    if shares.empty:
        return rows, skipped
    by_key = {str(r["key"]): r for _, r in shares.iterrows()}
    chains = {k: _chain(cat, k) for k in by_key}
    for plan in cat.plans():
        inds = [i for i in plan.indicators if (i.code or "") in FEEDS]
        if not inds or not (plan.base_year <= year <= plan.end):
            continue
        for key, share in by_key.items():
            if plan.region not in chains[key]:
                continue
            for ind in inds:
                feed = FEEDS[ind.code or ""]
                value = share[feed.statistic]
                if value is None or pd.isna(value):
                    why = Skip("water.feed.no_sections", {"region": key, "year": year})
                    skipped.append(FeedSkip(plan.id, ind.id, key, year, why))
                    continue
                kept = manual_skip(cat, plan.id, ind.id, key, year, SOURCE)
                if kept is not None:
                    skipped.append(FeedSkip(plan.id, ind.id, key, year, kept))
                    continue
                rows.append(
                    ValueRow(
                        plan=plan.id,
                        indicator=ind.id,
                        region=key,
                        year=year,
                        value=float(value),
                        unit=ind.unit,
                        basis=feed.basis,
                        source=SOURCE,
                        note=_note(share, months),
                    )
                )
    return rows, skipped

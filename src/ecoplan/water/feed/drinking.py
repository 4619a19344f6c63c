"""Plan indicators fed from drinking-water sources and black-odorous water bodies.

- ``water.drinking_source_compliance`` — 县级及以上城市饮用水水源水质达标率 (%): the
  region's city- and county-level sources attaining the year ÷ those monitored × 100
  (by count; :func:`ecoplan.water.pipeline.drinking.region_rates`);
- ``water.county_drinking_source_compliance`` — 县级集中式饮用水水源水质达标率 (%):
  the same over county-level sources;
- ``water.black_odorous_share`` — 建成区黑臭水体比例 (%) of prefecture-level built-up
  areas: listed bodies not eliminated ÷ listed bodies × 100
  (:func:`ecoplan.water.pipeline.drinking.black_ratios`);
- ``water.black_odorous_county_share`` — the same for county-level built-up areas.

Values are written for every stored plan whose region is the value's region or one of
its ancestors, within the plan's years, source :data:`~ecoplan.water.feed.SOURCE`; a
hand-entered value in force is never overwritten (:func:`ecoplan.store.feeds.manual_skip`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.core.feeds import Skip
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.store.feeds import manual_skip
from ecoplan.water.feed import SOURCE, FeedSkip, _chain

__all__ = ["BLACK_FEEDS", "DRINKING_FEEDS", "RegisterFeed", "black_rows", "drinking_rows"]


@dataclass(frozen=True)
class RegisterFeed:
    """A plan indicator: the frame's selector (``levels`` or ``area``) and the column read."""

    code: str
    select: str
    statistic: str


DRINKING_FEEDS: Mapping[str, RegisterFeed] = {
    f.code: f
    for f in (
        RegisterFeed("water.drinking_source_compliance", "county_and_above", "rate_count_pct"),
        RegisterFeed("water.county_drinking_source_compliance", "county", "rate_count_pct"),
    )
}
BLACK_FEEDS: Mapping[str, RegisterFeed] = {
    f.code: f
    for f in (
        RegisterFeed("water.black_odorous_share", "prefecture", "remaining_pct"),
        RegisterFeed("water.black_odorous_county_share", "county", "remaining_pct"),
    )
}


def _rows(
    cat: Any,
    frame: pd.DataFrame,
    selector: str,
    feeds: Mapping[str, RegisterFeed],
    year: int,
    note: Callable[[pd.Series], str],
    empty: str,
) -> tuple[list[ValueRow], list[FeedSkip]]:
    rows: list[ValueRow] = []
    skipped: list[FeedSkip] = []
    if frame.empty:
        return rows, skipped
    chains = {k: _chain(cat, str(k)) for k in set(frame["key"].astype(str))}
    for plan in cat.plans():
        inds = [i for i in plan.indicators if (i.code or "") in feeds]
        if not inds or not (plan.base_year <= year <= plan.end):
            continue
        for ind in inds:
            feed = feeds[ind.code or ""]
            part = frame[frame[selector] == feed.select]
            for _, r in part.iterrows():
                key = str(r["key"])
                if plan.region not in chains[key]:
                    continue
                value = r[feed.statistic]
                if value is None or pd.isna(value):
                    skipped.append(
                        FeedSkip(plan.id, ind.id, key, year, Skip(empty, {"region": key, "year": year}))
                    )
                    continue
                kept = manual_skip(cat, plan.id, ind.id, key, year, SOURCE)
                if kept is not None:
                    skipped.append(FeedSkip(plan.id, ind.id, key, year, kept))
                    continue
                rows.append(
                    ValueRow(plan=plan.id, indicator=ind.id, region=key, year=year, value=float(value),
                             unit=ind.unit, basis=Basis.LEVEL, source=SOURCE, note=note(r))
                )  # fmt: skip
    return rows, skipped


def _drinking_note(r: pd.Series) -> str:
    vol = r["rate_volume_pct"]
    by_volume = "" if vol is None or pd.isna(vol) else f"; by volume {float(vol):.1f}%"
    return (
        f"GB 3838—2002 Tables 1–3 (groundwater: GB/T 14848—2017), yearly means; {int(r['n_meeting'])} of "
        f"{int(r['n_sources'])} sources attain; at least {int(r['n_months'])} months each{by_volume}"
    )


def _black_note(r: pd.Series) -> str:
    return (
        f"城市黑臭水体整治工作指南（2015）; {int(r['n_eliminated'])} of {int(r['n_listed'])} listed bodies "
        f"eliminated, {int(r['n_assessed'])} assessed"
    )


def drinking_rows(cat: Any, rates: pd.DataFrame, year: int) -> tuple[list[ValueRow], list[FeedSkip]]:
    """Values of :data:`DRINKING_FEEDS` for ``year`` from the rates of every level set."""
    return _rows(cat, rates, "levels", DRINKING_FEEDS, year, _drinking_note, "water.drinking.feed.no_sources")


def black_rows(cat: Any, ratios: pd.DataFrame, year: int) -> tuple[list[ValueRow], list[FeedSkip]]:
    """Values of :data:`BLACK_FEEDS` for ``year`` from the regional ratios; a region
    with no body assessed is skipped (``water.black_odorous.feed.none_assessed``)."""
    r = ratios.copy()
    if len(r):
        r.loc[r["n_assessed"] == 0, "remaining_pct"] = None
    return _rows(cat, r, "area", BLACK_FEEDS, year, _black_note, "water.black_odorous.feed.none_assessed")

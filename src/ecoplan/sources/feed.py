"""The plan indicators the emission totals measure: the binding total-emission reductions
of cn-13th-eco (seed 000 专栏1, "主要污染物排放总量减少（%）… 〔10〕〔15〕"), declared as data.

Each value is the cumulative decline since the plan's base year (2015), in %:
``(base − total) / base × 100`` (basis ``change``), where

- ``base`` is the region's reported total of the base year (:func:`FactsOps.load_reported`;
  the monitored sources did not exist in 2015, so the base is a published statistic and
  must cover the same scope — the key sources the monitored total sums);
- ``total`` is the region's monitored total of the year (:mod:`.pipeline`: Σ daily Cou of
  every outlet under the region), fed only when the year is covered: the outlet-days with
  a valid or stopped day reach :data:`MIN_COVERAGE` of the outlet-days expected (every
  outlet with a limit or data for the pollutant, every day of the year). Nothing is
  extrapolated: an uncovered year is skipped with its coverage (ecoplan's rule [M]).

The source of the values is :data:`SOURCE`; a value a user entered (another source) is
never overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.core.errors import NotFound
from ecoplan.core.feeds import Skip
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.store.feeds import fed_indicators, manual_skip

__all__ = ["FEEDS", "MIN_COVERAGE", "SOURCE", "Feed", "FeedSkip", "decline_pct", "plan_rows"]

#: The source of the values this feed writes (word ``sources.pipeline_source``).
SOURCE = "pipeline sources"
#: The share of expected outlet-days a year's monitored total needs to be fed ([M]).
MIN_COVERAGE = 0.95


@dataclass(frozen=True)
class Feed:
    """One plan indicator: the cumulative decline of a pollutant's total (%)."""

    code: str
    factor: str  # HJ 212-2017 factor code

    @property
    def basis(self) -> Basis:
        return Basis.CHANGE


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed("emission.cod_decline", "w01018"),
        Feed("emission.nh3n_decline", "w21003"),
        Feed("emission.so2_decline", "a21026"),
        Feed("emission.nox_decline", "a21002"),
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


def decline_pct(base: float, total: float) -> float:
    """Cumulative decline since the base year, %: ``(base − total) / base × 100``."""
    if base <= 0:
        raise ValueError(f"base must be > 0, got {base!r}")
    return (base - total) / base * 100.0


def plan_rows(
    cat: Any,
    region_totals: pd.DataFrame,
    reported: pd.DataFrame,
    *,
    plan: str | None = None,
    min_coverage: float = MIN_COVERAGE,
) -> tuple[list[ValueRow], list[FeedSkip]]:
    """The values of :data:`FEEDS` for every region of ``region_totals`` (year, region,
    factor, tonnes, days, expected_days) and every stored plan (or ``plan``) of the region,
    an ancestor or the nation, within the plan's years after its base year."""
    rows: list[ValueRow] = []
    skipped: list[FeedSkip] = []
    base: dict[tuple[str, int, str], tuple[float, str]] = {}
    for rec in reported.to_dict("records"):
        g: dict[str, Any] = {str(k): v for k, v in rec.items()}
        base[(str(g["region"]), int(g["year"]), str(g["factor"]))] = (float(g["tonnes"]), str(g["source"]))
    by_region: dict[str, pd.DataFrame] = (
        {str(k): g for k, g in region_totals.groupby("region")} if len(region_totals) else {}
    )
    for region, part in sorted(by_region.items()):
        try:
            fed = list(fed_indicators(cat, region, FEEDS))
        except NotFound:
            continue
        tot: dict[tuple[int, str], dict[str, Any]] = {
            (int(r["year"]), str(r["factor"])): {str(k): v for k, v in r.items()}
            for r in part.to_dict("records")
        }
        for p, ind, feed in fed:
            if plan is not None and p.id != plan:
                continue
            b = base.get((region, p.base_year, feed.factor))
            years = sorted({y for (y, f) in tot if f == feed.factor and p.base_year < y <= p.end})
            for y in years:
                r = tot[(y, feed.factor)]
                if b is None or b[0] <= 0:
                    why = Skip(
                        "sources.facts.feed.no_base",
                        {"region": region, "year": p.base_year, "command": "ecoplan sources reported load"},
                    )
                    skipped.append(FeedSkip(p.id, ind.id, region, y, why))
                    continue
                cov = float(r["days"]) / float(r["expected_days"]) if r["expected_days"] else 0.0
                if cov < min_coverage:
                    why = Skip(
                        "sources.facts.feed.not_covered",
                        {"year": y, "coverage": f"{100 * cov:.1f}", "needed": f"{100 * min_coverage:.0f}"},
                    )
                    skipped.append(FeedSkip(p.id, ind.id, region, y, why))
                    continue
                kept = manual_skip(cat, p.id, ind.id, region, y, SOURCE)
                if kept is not None:
                    skipped.append(FeedSkip(p.id, ind.id, region, y, kept))
                    continue
                t = float(r["tonnes"])
                note = (
                    f"({b[0]:.6g} t − {t:.6g} t) / {b[0]:.6g} t; base {p.base_year}: {b[1]}; "
                    f"monitored {y}: {int(r['days'])}/{int(r['expected_days'])} outlet-days"
                )
                rows.append(
                    ValueRow(
                        plan=p.id,
                        indicator=ind.id,
                        region=region,
                        year=y,
                        value=round(decline_pct(b[0], float(r["tonnes"])), 6),
                        unit=ind.unit,
                        basis=feed.basis,
                        source=SOURCE,
                        note=note,
                    )
                )
    return rows, skipped

"""The air section of a plan's assessment report (``Domain.report``).

For the report's region, the HJ 663 annual evaluation of every year the air store holds
from the plan's base year to the report's year: valid days, share of good-air days
(HJ 633—2012 AQI ≤ 100, HJ 663—2013 §4.2), share of heavily polluted days (AQI > 200),
PM2.5 annual mean (GB 3095—2012 Table 1) and the composite index (HJ 663—2013 §5.3).
The evaluations are the dashboard's, cached per state of the air store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecoplan.air.pages import PAGES
from ecoplan.core.domain import ReportSection
from ecoplan.core.words import word

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section"]


def _with_unit(key: str, unit: str, lang: str) -> str:
    return word("air.cli.header.with_unit", lang, name=word(key, lang), unit=unit)


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """The region's air evaluations from the plan's base year to ``year``; None without air data."""
    years = [y for y in ep.air.years(region) if plan.base_year <= y <= year]
    if not years:
        return None
    state = ep.air.state()
    evals: list[dict[str, Any]] = [PAGES.evaluate(ep, region, y, state) for y in years]
    header = (
        word("header.year", lang),
        word("air.valid_days", lang),
        _with_unit("air.good_days", "%", lang),
        _with_unit("air.heavy_days", "%", lang),
        _with_unit("air.pm25_annual", "µg/m³", lang),
        word("air.composite_index", lang),
    )
    rows = tuple(
        (
            e["year"],
            e["days_valid"],
            e["good_days_ratio_pct"],
            e["heavy_days_ratio_pct"],
            e["pm25_annual_ugm3"],
            e["composite_index"],
        )
        for e in evals
    )
    standards = sorted(
        {str(e["standards"]["evaluation"]) for e in evals} | {str(e["standards"]["aqi"]) for e in evals}
    )
    name = ep.region(region).name(lang)
    title = f"{word('air.title', lang)} · {name}"
    note = word(
        "label.report.domain_standards", lang, standards=word("label.report.list_sep", lang).join(standards)
    )
    return ReportSection(title, header, rows, note)

"""The soil section of a plan's assessment report (``Domain.report``).

For the report's region: the safe-use rates of every year of the register from the
plan's base year to the report's year (受污染耕地安全利用率, 污染地块安全利用率,
重点建设用地安全利用率; rules UNCONFIRMED, :mod:`ecoplan.soil.standards.safe_use`), and
the GB 15618—2018 class counts of the stored samples in the note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.core.domain import ReportSection
from ecoplan.core.errors import NotFound
from ecoplan.core.words import word

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section"]


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """The region's safe-use rates from the plan's base year to ``year``; None without a register."""
    if region not in ep.soil.regions():
        return None
    try:
        rates = ep.soil.rates(region)
    except NotFound:
        rates = None
    rows: tuple[tuple[object, ...], ...] = ()
    if rates is not None:
        keep = rates[(rates["year"] >= plan.base_year) & (rates["year"] <= year)]
        rows = tuple(
            (
                int(r.year),
                *(
                    None if v != v else v
                    for v in (r.farmland_safe_use_pct, r.site_safe_use_pct, r.key_site_safe_use_pct)
                ),
            )
            for r in keep.itertuples(index=False)
        )
    counts_text = ""
    try:
        counts = ep.soil.counts(region)
        sep = word("label.report.list_sep", lang)
        counts_text = sep.join(
            " ".join(
                (
                    word(f"soil.land_use.{r.land_use}", lang),
                    word(f"soil.category.{r.category}", lang),
                    str(r.samples),
                )
            )
            for r in counts.itertuples(index=False)
        )
    except NotFound:
        pass
    if not rows and not counts_text:
        return None
    header = (
        word("header.year", lang),
        word("soil.report.with_unit", lang, name=word("soil.rate.farmland", lang)),
        word("soil.report.with_unit", lang, name=word("soil.rate.site", lang)),
        word("soil.report.with_unit", lang, name=word("soil.rate.key_site", lang)),
    )
    note = word("soil.rate.unconfirmed", lang, doc="docs/soil.md")
    if counts_text:
        note = f"{word('soil.report.counts', lang, counts=counts_text)} {note}"
    title = f"{word('soil.title', lang)} · {ep.region(region).name(lang)}"
    return ReportSection(title, header, rows, note)

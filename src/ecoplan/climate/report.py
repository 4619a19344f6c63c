"""The climate section of a plan's assessment report (``Domain.report``).

For the report's region: energy-related CO2 (10⁴ t) of every stored year from the plan's
base year to the report's year — fuel combustion, net imported electricity, the total —
by the methods of :mod:`ecoplan.climate.standards`; the note names the factor tables'
sources and any unconfirmed factor used. None when no energy use is stored for the region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.core.domain import ReportSection
from ecoplan.core.rounding import round_half_even
from ecoplan.core.words import word

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section"]


def _wan(t: float) -> float:
    v = round_half_even(t / 1e4, 2)
    assert v is not None
    return v


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """The region's energy CO2 from the plan's base year to ``year``; None without energy data."""
    inv = ep.domain("climate").inventory(region)
    totals = {y: d for (r, y), d in inv.totals().items() if r == region and plan.base_year <= y <= year}
    if not totals:
        return None
    rows = tuple(
        (y, _wan(d["combustion"]), _wan(d["electricity"]), _wan(d["total"]))
        for y, d in sorted(totals.items())
    )
    shaky = sorted(
        {k for k, f in inv.fuels.items() if f.status == "unconfirmed"}
        | {str(y) for y, g in inv.grid.items() if g.status == "unconfirmed"}
    )
    note = word("climate.report.note", lang)
    if shaky:
        note += " " + word("climate.cli.inventory.unconfirmed", lang, items=", ".join(shaky))
    return ReportSection(
        title=word("climate.report.title", lang),
        header=(
            word("climate.report.year", lang),
            word("climate.report.combustion", lang),
            word("climate.report.electricity", lang),
            word("climate.report.total", lang),
        ),
        rows=rows,
        note=note,
    )

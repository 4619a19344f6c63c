"""The ecology section of a plan's assessment report (``Domain.report``).

For the report's region: the mean HJ 192-2015 EI of its key ecological function counties
for every year from the plan's base year to the report's year, and the number of
counties counted (what the feed writes to 重点生态功能区所属县域生态环境状况指数).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.core.domain import ReportSection
from ecoplan.core.words import word
from ecoplan.ecology.standards.hj192_2015 import grade_of

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section"]


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """The region's key-county mean EI from the plan's base year to ``year``; None without data."""
    means = ep.ecology.key_means(region)
    keep = means[(means["year"] >= plan.base_year) & (means["year"] <= year)]
    if keep.empty:
        return None
    rows = tuple(
        (
            int(r["year"]),
            float(r["ei"]),
            word(f"ecology.grade.{grade_of(float(r['ei'])).key}", lang),
            int(r["counties"]),
        )
        for r in keep.to_dict(orient="records")
    )
    header = (
        word("header.year", lang),
        word("ecology.web.key_mean", lang),
        word("ecology.grade", lang),
        word("ecology.web.key_counties", lang),
    )
    title = f"{word('ecology.web.region', lang)} · {ep.region(region).name(lang)}"
    return ReportSection(title, header, rows, word("ecology.report.note", lang))

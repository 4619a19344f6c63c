"""The water section of a plan's assessment report (``Domain.report``).

For the report's region, every year the water store holds from the plan's base year to
the report's year: the months with samples (a year's value from few months is shown
as such), the sections classed (GB 3838—2002 Table 1, period means per the 2011
evaluation method 环办〔2011〕22号), the sections in each class, and the shares of class
Ⅰ–Ⅲ and worse than Ⅴ (§3.2). These are the 2011-method shares; they never stand for the
15th FYP 优良水体比例, whose method is not yet published (``docs/plan-format.md``).

The note adds, for the latest year in the same span, the region's drinking-water source
compliance (county level and above, by count) and its black-odorous remaining share per
built-up area kind (:mod:`ecoplan.water.service.drinking`); with only those data the
section is the note alone.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ecoplan.core.domain import ReportSection
from ecoplan.core.rounding import round_fraction
from ecoplan.core.words import word
from ecoplan.water.pages import PAGES, in_region

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section"]


def _pct(part: int, n: int) -> float | None:
    """100·part/n to one decimal, half to even (GB/T 8170) on the exact quotient."""
    return float(round_fraction(Fraction(100 * part, n), 1)) if n else None


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """The region's section classes by year from the plan's base year to ``year``; None
    without water data for them."""
    state = ep.water.state()
    rows: list[tuple[Any, ...]] = []
    for y in ep.water.years():
        if not plan.base_year <= y <= year:
            continue
        secs = [r for r in PAGES.sections(ep, y, state=state) if in_region(r["region"], region)]
        counts = [sum(1 for r in secs if r["class"] == c) for c in range(1, 7)]
        n = sum(counts)
        if n:
            months = len(ep.water.months(y))
            rows.append((y, n, *counts, _pct(sum(counts[:3]), n), _pct(counts[5], n), months))
    extra = _register_notes(ep, plan, region, year, lang)
    if not rows:
        if not extra:
            return None
        title = word("water.web.report_title", lang, region=ep.region(region).name(lang))
        return ReportSection(title, (), (), " ".join(extra))
    header = (
        word("header.year", lang),
        word("water.web.n_sections", lang),
        *(word(f"water.web.class.{c}", lang) for c in range(1, 7)),
        word("water.web.pct", lang, name=word("water.web.share_i_iii", lang)),
        word("water.web.pct", lang, name=word("water.web.share_worse_v", lang)),
        word("water.web.months_monitored", lang),
    )
    title = word("water.web.report_title", lang, region=ep.region(region).name(lang))
    note = word("label.report.domain_standards", lang, standards="GB 3838—2002")
    return ReportSection(title, header, tuple(rows), " ".join([note, *extra]))


def _register_notes(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> list[str]:
    """Sentences on the region's drinking-water sources and black-odorous water bodies
    (the latest year within the plan's span to ``year`` that has them)."""
    out: list[str] = []
    for y in reversed(ep.water.drinking.years()):
        if not plan.base_year <= y <= year:
            continue
        rates = ep.water.drinking.rates(year=y, region=region)
        if len(rates):
            r = rates.iloc[0]
            n, m = int(r["n_sources"]), int(r["n_meeting"])
            out.append(word("water.drinking.report_note", lang, year=y, pct=_pct(m, n), meeting=m, n=n))
            break
    for y in reversed(ep.water.black_odorous.years()):
        if not plan.base_year <= y <= year:
            continue
        ratios = ep.water.black_odorous.ratios(year=y, region=region)
        ratios = ratios[ratios["n_assessed"] > 0]
        for r in ratios.to_dict("records"):
            listed, gone = int(r["n_listed"]), int(r["n_eliminated"])
            out.append(
                word("water.black_odorous.report_note", lang, year=y,
                     area=word(f"water.black_odorous.area.{r['area']}", lang),
                     pct=_pct(listed - gone, listed), listed=listed, eliminated=gone)
            )  # fmt: skip
        if len(ratios):
            break
    return out

"""The sources section of a plan's assessment report (``Domain.report``).

For the report's region and year, one row per pollutant: the annual emissions of the
region's registered enterprises computed from their HJ 212 data (HJ 212-2017 Annex D;
the facts' totals), the same in the plan's base year (computed, or else the reported
statistics loaded as the base year), the change against it, and the quantities their
discharge permits allow for the year (许可排放量) with the share emitted. The note gives
the exceedance hours of the year (hourly means over the permit's hourly limit) and the
yellow and red cards of its quarters.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ecoplan.core.domain import ReportSection
from ecoplan.core.rounding import round_fraction, round_half_even
from ecoplan.core.words import word
from ecoplan.sources.pages.common import factor_name, frame, records

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section", "section_rows"]


def _by_factor(rows: list[dict[str, Any]], value: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in rows:
        if r.get(value) is not None and r.get("factor") is not None:
            out[str(r["factor"])] = out.get(str(r["factor"]), 0.0) + float(r[value])
    return out


def _tonnes(ep: Ecoplan, region: str, year: int) -> dict[str, float]:
    """Computed emissions (t) of ``region``'s enterprises in ``year``, per factor."""
    rows = records(frame(ep, "facts", "totals", year=year, region=region, by="enterprise"))
    return _by_factor([r for r in rows if r.get("year") in (None, year)], "tonnes")


def _reported(ep: Ecoplan, region: str, year: int) -> dict[str, float]:
    """Reported statistics (t) of ``region`` in ``year`` (the base year's figures)."""
    rows = records(frame(ep, "facts", "reported", region=region, year=year))
    return _by_factor([r for r in rows if str(r.get("region")) == region], "tonnes")


def _permitted(ep: Ecoplan, codes: set[str], year: int) -> dict[str, float]:
    rows = records(frame(ep, "registry", "quantities", year=year))
    return _by_factor([r for r in rows if r.get("credit_code") in codes], "quantity_t")


def _pct(part: float | None, whole: float | None) -> float | None:
    """100 × part / whole to one decimal, rounded half to even on the exact quotient (GB/T 8170)."""
    if part is None or not whole:
        return None
    return float(round_fraction(100 * Fraction(part) / Fraction(whole), 1))


def _t(x: float | None) -> float | None:
    """Tonnes to three decimals (kilograms), GB/T 8170."""
    return round_half_even(x, 3)


def section_rows(
    ep: Ecoplan, region: str, base_year: int, year: int, lang: str
) -> tuple[tuple[Any, ...], ...]:
    """One row per factor: name, base-year t, year t, change %, permitted t, share %
    (tonnes to three decimals, percentages to one; GB/T 8170)."""
    codes = {str(e["credit_code"]) for e in records(frame(ep, "registry", "enterprises", region=region))}
    now = _tonnes(ep, region, year)
    base = _tonnes(ep, region, base_year) or _reported(ep, region, base_year)
    permitted = _permitted(ep, codes, year)
    factors = sorted(set(now) | set(base) | set(permitted))
    rows = []
    for f in factors:
        t, b, p = now.get(f), base.get(f), permitted.get(f)
        change = None if t is None or not b else _pct(t - b, b)
        rows.append((factor_name(f, lang), _t(b), _t(t), change, _t(p), _pct(t, p)))
    return tuple(rows)


def _note(ep: Ecoplan, region: str, year: int, lang: str) -> str:
    exc = records(
        frame(ep, "facts", "exceedances", region=region, start=f"{year}-01-01", end=f"{year}-12-31T23:59:59")
    )
    hours = sum(int(e.get("periods") or 0) for e in exc if e.get("basis") in (None, "hour"))
    cards = []
    for q in range(1, 5):
        found = records(frame(ep, "facts", "cards", quarter=f"{year}Q{q}", region=region))
        yellow, red = (
            sum(c.get("card") == "yellow" for c in found),
            sum(c.get("card") == "red" for c in found),
        )
        if yellow or red:
            cards.append(
                word("sources.web.report.quarter_cards", lang, quarter=f"{year}Q{q}", yellow=yellow, red=red)
            )
    sep = word("label.report.list_sep", lang)
    return word(
        "sources.web.report.note",
        lang,
        events=len(exc),
        hours=hours,
        cards=sep.join(cards) or word("sources.web.report.no_cards", lang),
    )


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """The region's emissions of ``year`` against the plan's base year and the permitted
    quantities; None when no enterprise of the region is registered."""
    if frame(ep, "registry", "enterprises", region=region).empty:
        return None
    rows = section_rows(ep, region, plan.base_year, year, lang)
    header = (
        word("sources.web.col.factor", lang),
        word("sources.web.report.tonnes", lang, year=plan.base_year),
        word("sources.web.report.tonnes", lang, year=year),
        word("sources.web.report.change_pct", lang),
        word("sources.web.col.permitted_t", lang),
        word("sources.web.col.share_pct", lang),
    )
    title = f"{word('sources.title', lang)} · {ep.region(region).name(lang)}"
    return ReportSection(title, header, rows, _note(ep, region, year, lang))

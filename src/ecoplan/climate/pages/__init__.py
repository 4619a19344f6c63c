"""The climate section of a region's dashboard page, and what the pages of the domain's
own (:mod:`.web`) share: a region's CO2 by fuel and sector over the years, its
CO2-intensity decline against each plan's target trajectory, and the carbon-market
facilities' figures, each as the template's tables and SVG charts (:mod:`.charts`).
The section also gives each plan's decline as the dashboard's ECharts sparkline
(``div.chart[data-series][data-target]``, drawn by ``/static/ecoplan.js`` as on the plan
page, the target as the dashed line).

Figures are shown in 10⁴ t CO2 with 2 decimals (GB/T 8170); the JSON twins keep t CO2
unrounded, as ``/api/v1/climate/emissions`` gives them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecoplan.climate.pages.charts import PALETTE, Series, lines, stacked
from ecoplan.climate.scope import within
from ecoplan.climate.standards.energy import to_base
from ecoplan.core.errors import EcoplanError
from ecoplan.core.rounding import round_half_even
from ecoplan.core.words import word
from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = [
    "PAGES",
    "ClimatePages",
    "Col",
    "emissions_view",
    "market_rows",
    "table",
    "trajectory_view",
    "within",
]

#: Fuels in the order the tables and the stacks show them (the factor tables' keys).
FUEL_ORDER = (
    "raw_coal",
    "coke",
    "crude_oil",
    "fuel_oil",
    "gasoline",
    "kerosene",
    "diesel",
    "lpg",
    "refinery_gas",
    "natural_gas",
    "electricity",
)


def wan(t: float | None) -> float | None:
    """t → 10⁴ t, 2 decimals (GB/T 8170)."""
    return None if t is None else round_half_even(t / 1e4, 2)


@dataclass(frozen=True)
class Col:
    """A table column: the row's field and its header word (``climate.col.<field>``);
    ``quoted`` marks text from the data (a name: ``lang="zh"`` on an English page),
    ``code`` an identifier (``lang="zxx"``)."""

    field: str
    quoted: bool = False
    code: bool = False
    href: str | None = None


def _text(field: str, v: Any, lang: str) -> str:
    if v is None:
        return "—"
    if field == "status":
        return word(f"climate.market.status.{v}", lang)
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if lang == "en" else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


def table(tid: str, cols: Sequence[Col], rows: Sequence[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Rows as the template's table: ``id``, worded ``header`` and cells."""
    return {
        "id": tid,
        "header": [word(f"climate.col.{c.field}", lang) for c in cols],
        "rows": [
            [
                {
                    "text": _text(c.field, r.get(c.field), lang),
                    "quoted": c.quoted,
                    "code": c.code,
                    "cls": "overdue" if c.field == "status" and r.get(c.field) == "overdue" else "",
                    "href": c.href.format(**r, lang=lang) if c.href and r.get(c.field) is not None else None,
                }
                for c in cols
            ]
            for r in rows
        ],
    }


def _fuel(key: str, lang: str) -> str:
    return word(f"climate.fuel.{key}", lang)


def _excluded(year: int, fuel: str, unit: str, amount: float, lang: str) -> dict[str, Any]:
    """A line set aside as non-energy use, its amount in 10⁴ t or 10⁸ m³ (worded units)."""
    try:
        basis, base = to_base(amount, unit)
    except EcoplanError:  # a unit the calculator does not convert: shown as given
        return {"year": year, "fuel": _fuel(fuel, lang), "amount": amount, "unit": unit}
    scale = 1e7 if basis == "mass" else 1e8
    return {
        "year": year,
        "fuel": _fuel(fuel, lang),
        "amount": round_half_even(base / scale, 2),
        "unit": word(f"climate.page.unit.{basis}", lang),
    }


def emissions_view(ep: Ecoplan, code: str, lang: str) -> dict[str, Any] | None:
    """The region's CO2 (10⁴ t) by fuel and by sector per year, the stacked chart, what was
    excluded (non-energy use) or refused (electricity without a factor); None without data."""
    inv = ep.climate.inventory(code)
    if not inv.by_fuel and not inv.rejects:
        return None
    years = sorted({y for (_, y, _, _) in inv.by_fuel})
    fuels = sorted({f for (_, _, f, _) in inv.by_fuel}, key=lambda f: (*FUEL_ORDER, f).index(f))
    by_fuel: dict[tuple[int, str], float] = {}
    by_sector: dict[tuple[int, str], float] = {}
    for (_, y, f, s), t in inv.by_fuel.items():
        by_fuel[(y, f)] = by_fuel.get((y, f), 0.0) + t
        by_sector[(y, s)] = by_sector.get((y, s), 0.0) + t
    sectors = sorted({s for (_, s) in by_sector})
    totals = inv.totals()
    fuel_rows = [
        {
            "year": y,
            "cells": [wan(by_fuel.get((y, f))) for f in fuels],
            "total": wan(totals[(code, y)]["total"]),
        }
        for y in years
    ]
    sector_rows = (
        [{"year": y, "cells": [wan(by_sector.get((y, s))) for s in sectors]} for y in years]
        if any(sectors)
        else []
    )
    chart = stacked(
        years,
        [
            Series(_fuel(f, lang), [wan(by_fuel.get((y, f))) for y in years], PALETTE[i % len(PALETTE)])
            for i, f in enumerate(fuels)
        ],
    )
    unconfirmed = sorted(
        {k for k, f in inv.fuels.items() if f.status == "unconfirmed"}
        | {str(y) for y, g in inv.grid.items() if g.status == "unconfirmed"}
    )
    return {
        "years": years,
        "fuels": [{"key": f, "label": _fuel(f, lang)} for f in fuels],
        "fuel_rows": fuel_rows,
        "sectors": [s or word("climate.page.no_sector", lang) for s in sectors],
        "sector_rows": sector_rows,
        "chart": chart,
        "latest": {"year": years[-1], "total": fuel_rows[-1]["total"]} if years else None,
        "excluded": [_excluded(y, f, u, a, lang) for (_, y, f, u), a in sorted(inv.excluded.items())],
        "refused_years": sorted({int(r.value) for r in inv.rejects}),
        "unconfirmed": unconfirmed,
        "json": {
            "rows": inv.to_dict()["rows"],
            "totals": inv.to_dict()["totals"],
            "excluded": inv.to_dict()["excluded"],
            "rejected": [r.to_dict() for r in inv.rejects],
        },
    }


def trajectory_view(t: dict[str, Any], lang: str) -> dict[str, Any]:
    """One plan's trajectory (``Trajectory.to_dict``) as the template shows it: the chart of
    the decline achieved against the linear and compound schedules, and the summary."""
    rows = t["schedule"]
    years = [r["year"] for r in rows]
    series = [Series(word("climate.page.actual", lang), [r["actual_pct"] for r in rows], "#0b5d3b")]
    if t["target_pct"] is not None:
        series += [
            Series(word("climate.page.linear", lang), [r["linear_pct"] for r in rows], "#0969da", "6,4"),
            Series(word("climate.page.compound", lang), [r["compound_pct"] for r in rows], "#bf8700", "2,3"),
        ]
    last = t["latest"]
    summary = None
    if last is not None and t["target_pct"] is not None:
        where = {
            (True, True): "climate.page.ahead_both",
            (True, False): "climate.page.ahead_linear",
            (False, True): "climate.page.ahead_compound",
            (False, False): "climate.page.behind_both",
        }[(bool(last["on_linear"]), bool(last["on_compound"]))]
        summary = word(
            "climate.page.latest",
            lang,
            year=last["year"],
            actual=last["actual_pct"],
            linear=last["linear_pct"],
            compound=last["compound_pct"],
        ) + word(where, lang)
        if last["required_yearly_pct"] is not None:
            summary += word("climate.page.required", lang, value=last["required_yearly_pct"])
    elif last is not None:
        summary = word("climate.page.latest_no_target", lang, year=last["year"], actual=last["actual_pct"])
    spark = [[r["year"], r["actual_pct"]] for r in rows if r["actual_pct"] is not None]
    return {
        **t,
        "name": t["title"].get(lang) or t["title"]["zh"],
        "spark": json.dumps(spark),
        "chart": lines(years, series),
        "summary": summary,
        "skips": [word(s["reason"], lang, **s["params"]) if s["reason"] else "" for s in t["skipped"]],
    }


def market_rows(ep: Ecoplan, code: str | None, year: int | None = None) -> list[dict[str, Any]]:
    """The facility-years of ``code`` and the regions under it (all regions for None)."""
    return within(ep.climate.market(None, year), code)


class ClimatePages:
    """The climate section of a region's page: the newest year's CO2 and the chart by fuel,
    where the region stands against each plan's CO2-intensity target, the carbon-market
    totals of its facilities; links to the pages of their own."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        return None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        em = emissions_view(ep, code, lang)
        market = market_rows(ep, code)
        if em is None and not market:
            return None
        plans = [
            trajectory_view(t.to_dict(), lang) for t in ep.climate.trajectories(code) if t.actual or t.skipped
        ]
        totals: dict[int, dict[str, Any]] = {}
        for r in market:
            s = totals.setdefault(
                r["year"], {"year": r["year"], "facilities": 0, "verified_t": 0.0, "overdue": 0}
            )
            s["facilities"] += 1
            s["verified_t"] += r["verified_t"] or 0.0
            s["overdue"] += r["status"] == "overdue"
        mt = [totals[y] for y in sorted(totals)]
        data = {
            "climate": {
                "emissions": None if em is None else em["json"]["totals"],
                "trajectories": [{k: p[k] for k in ("plan", "indicator", "latest")} for p in plans],
                "market": mt,
            }
        }
        context = {
            "em": em,
            "plans": plans,
            "market": [{**m, "verified": wan(m["verified_t"])} for m in mt],
            "code": code,
        }
        return Section(data, "climate/region.html", context)

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = ClimatePages()

"""The climate pages of their own (``Domain.web``), mounted by the web shell at
``/climate/…`` with the dashboard's layout and language switch, each with its JSON twin
(``?format=json``):

``/climate/regions/{code}``
    A region's energy-related CO2 by fuel (a stacked bar per year) and by sector where
    the data name one, what was excluded as non-energy use, and its CO2-intensity decline
    against each plan's linear and compound target schedules.
``/climate/market``
    The carbon-market facilities (``?region=`` and the regions under it, ``?year=``,
    ``?as_of=``): totals per region and year, the report-vs-verified discrepancies (largest
    first) and every facility-year with its surrender status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ecoplan.climate.pages import Col, emissions_view, market_rows, table, trajectory_view, within
from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import word

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")

MARKET_COLS = (
    Col("facility", code=True),
    Col("name", quoted=True),
    Col("region_name", href="/climate/regions/{region}?lang={lang}"),
    Col("sector", quoted=True),
    Col("guide", quoted=True),
    Col("year"),
    Col("reported_t"),
    Col("verified_t"),
    Col("discrepancy_t"),
    Col("discrepancy_pct"),
    Col("allocation_t"),
    Col("balance_t"),
    Col("surrendered_t"),
    Col("deadline"),
    Col("status"),
    Col("shortfall_t"),
)
DISCREPANCY_COLS = (
    Col("facility", code=True),
    Col("name", quoted=True),
    Col("region_name", href="/climate/regions/{region}?lang={lang}"),
    Col("year"),
    Col("reported_t"),
    Col("verified_t"),
    Col("discrepancy_t"),
    Col("discrepancy_pct"),
)
TOTAL_COLS = (
    Col("region_name", href="/climate/regions/{region}?lang={lang}"),
    Col("year"),
    Col("facilities"),
    Col("verified_t"),
    Col("allocation_t"),
    Col("surrendered_t"),
    Col("overdue"),
)


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The climate pages, each reading through ``session()`` and answered by ``render``."""
    router = APIRouter()

    @router.get("/regions/{code}")
    def region_page(code: str = Path(pattern=r"^\d{6}$"), lang: str = Lang, format: str = Format) -> Response:
        with session() as ep:
            name = ep.region(code).name(lang)
            em = emissions_view(ep, code, lang)
            trajectories = [t.to_dict() for t in ep.climate.trajectories(code)]
            has_market = bool(market_rows(ep, code))
        shown = [
            trajectory_view(t, lang) for t in trajectories if t["schedule"] and (t["latest"] or t["skipped"])
        ]
        data = {
            "region": code,
            "emissions": None if em is None else em["json"],
            "trajectories": [
                {k: v for k, v in t.items() if k not in ("chart", "skips", "name")} for t in shown
            ],
        }
        return render(
            "climate/regions.html",
            word("climate.page.region", lang, region=name),
            lang,
            f"/climate/regions/{code}",
            data,
            format,
            code=code,
            em=em,
            plans=shown,
            has_market=has_market,
        )

    @router.get("/market")
    def market_page(
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        year: int | None = Query(None, ge=2000, le=2100),
        as_of: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$"),
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        try:
            when = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError:
            raise EcoplanError.worded("climate.error.bad_date", value=as_of) from None
        with session() as ep:
            name = ep.region(region).name(lang) if region else None
            rows = within(ep.climate.market(None, year, when), region)
            gaps = within(ep.climate.discrepancies(0.0, None, year), region)
            totals = within(ep.climate.market_totals(None, year, when), region)
            names = {c: ep.region(c).name(lang) for c in {str(r["region"]) for r in rows}}
        for r in (*rows, *gaps, *totals):
            r["region_name"] = names.get(str(r["region"]), str(r["region"]))
        query = "&".join(
            f"{k}={v}" for k, v in (("region", region), ("year", year), ("as_of", as_of)) if v is not None
        )
        data = {"region": region, "year": year, "as_of": when.isoformat(), "totals": totals,
                "discrepancies": gaps, "facilities": rows}  # fmt: skip
        return render(
            "climate/market.html",
            word("climate.page.market_of", lang, region=name) if name else word("climate.page.market", lang),
            lang,
            "/climate/market" + (f"?{query}" if query else ""),
            data,
            format,
            as_of=when.isoformat(),
            overdue=sum(r["status"] == "overdue" for r in rows),
            totals=table("climate-market-totals", TOTAL_COLS, totals, lang),
            gaps=table("climate-discrepancies", DISCREPANCY_COLS, gaps, lang),
            facilities=table("climate-facilities", MARKET_COLS, rows, lang),
        )

    return router

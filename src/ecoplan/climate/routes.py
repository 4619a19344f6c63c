"""The climate API, mounted at ``/api/v1/climate`` by the API shell (found through the registry).

``GET /intensity``
    The contract of ``ecoplan climate intensity``: ``{intensity_base, intensity,
    decline_pct}`` (400 with the worded message on a zero or negative input).
``GET /inventory``
    CO2 of the stored energy use (of ``region``): the JSON of ``ecoplan climate inventory``.
``GET /factors``
    The factor tables in use: per fuel its factors, CO2 per unit, status and sources; the
    grid factors with their documents and status.
``GET /emissions``
    CO2 (t) by region, year, fuel and sector of the stored energy use (``region``,
    ``year``); ``format`` json (``{items, next_cursor, total}``), csv or parquet.
``GET /trajectory/{region}``
    The region's CO2-intensity decline against each plan's linear and compound schedules
    (:mod:`ecoplan.climate.trajectory`).
``GET /market``, ``/market/discrepancies``, ``/market/totals``
    The carbon-market facility-years (``region`` and the regions under it, ``year``,
    ``as_of``), those whose reported and verified figures differ (``threshold`` % of the
    verified one), and the totals per region and year; json, csv or parquet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ecoplan.climate.scope import within
from ecoplan.climate.standards.factors import fuel_factors, grid_factors
from ecoplan.climate.standards.intensity import contract
from ecoplan.core.words import word
from ecoplan.kit.http import ApiError, Fmt, export, json_response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

#: Inputs of the intensity: finite, and small enough that no ratio overflows.
_BOUND = 1e15
Region: Any = Query(None, pattern=r"^\d{6}$", description="Region code (GB/T 2260)")
Year: Any = Query(None, ge=1949, le=2100)
AsOf: Any = Query(
    None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="Date of the compliance status (ISO; default today)"
)


def _reply(request: Request, rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    """A list as every list of the API answers it: JSON ``{items, next_cursor, total}``,
    or the whole list as CSV or Parquet."""
    if fmt != "json":
        return export(rows, fmt, name)
    return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The climate routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/intensity")
    def climate_intensity(
        request: Request,
        base_emissions: float = Query(gt=0, le=_BOUND),
        base_gdp: float = Query(gt=0, le=_BOUND),
        emissions: float = Query(ge=0, le=_BOUND),
        gdp: float = Query(gt=0, le=_BOUND),
    ) -> Response:
        """CO2 intensity of the base year and the year, and the decline (%, 2 decimals)."""
        return json_response(request, contract(base_emissions, base_gdp, emissions, gdp))

    @router.get("/inventory")
    def climate_inventory(request: Request, region: str | None = Query(None, pattern=r"^\d{6}$")) -> Response:
        """Energy-related CO2 (t) of the stored energy use by region, year and fuel."""
        with session() as ep:
            inv = ep.domain("climate").inventory(region)
        body: dict[str, Any] = inv.to_dict()
        body["rejected"] = [r.to_dict() for r in inv.rejects]
        return json_response(request, body)

    @router.get("/factors")
    def climate_factors(request: Request) -> Response:
        """The shipped factor tables, each value with its status and sources."""
        fuels = {
            k: {
                "basis": f.basis,
                "ncv_kj": f.ncv_kj,
                "carbon_content_tc_per_tj": f.carbon_content,
                "oxidation": f.oxidation,
                "coal_equivalent": f.coal_equivalent,
                "kg_co2_per_unit": f.co2_per_base_unit,
                "status": f.status,
                "sources": list(f.sources),
            }
            for k, f in fuel_factors().items()
        }
        grid = [
            {
                "year": g.year,
                "series": g.series,
                "region": g.region,
                "t_co2_per_mwh": g.value,
                "document": g.document,
                "status": g.status,
                "via": g.via,
            }
            for g in grid_factors()
        ]
        return json_response(request, {"fuels": fuels, "grid": grid})

    @router.get("/emissions")
    def climate_emissions(
        request: Request, region: str | None = Region, year: int | None = Year, format: str = Fmt
    ) -> Response:
        """Energy-related CO2 (t, unrounded) by region, year, fuel and sector."""
        with session() as ep:
            rows = ep.domain("climate").emissions(region, year)
        return _reply(request, rows, format, "climate-emissions")

    @router.get("/trajectory/{region}")
    def climate_trajectory(request: Request, region: str = Path(pattern=r"^\d{6}$")) -> Response:
        """The CO2-intensity decline against each plan's target trajectory."""
        with session() as ep:
            got = [t.to_dict() for t in ep.domain("climate").trajectories(region)]
        return json_response(request, {"region": region, "plans": got})

    def _as_of(text: str | None) -> dt.date | None:
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ApiError(400, "bad_date", word("climate.error.bad_date", "en", value=text)) from None

    @router.get("/market")
    def climate_market(
        request: Request,
        region: str | None = Region,
        year: int | None = Year,
        as_of: str | None = AsOf,
        format: str = Fmt,
    ) -> Response:
        """Facility-years: figures, discrepancy, allocation balance, surrender status."""
        with session() as ep:
            rows = within(ep.domain("climate").market(None, year, _as_of(as_of)), region)
        return _reply(request, rows, format, "climate-market")

    @router.get("/market/discrepancies")
    def climate_market_discrepancies(
        request: Request,
        region: str | None = Region,
        year: int | None = Year,
        threshold: float = Query(0.0, ge=0, le=100, description="Only differences above this % of verified"),
        format: str = Fmt,
    ) -> Response:
        """Facility-years whose reported and verified emissions differ, the largest first."""
        with session() as ep:
            rows = within(ep.domain("climate").discrepancies(threshold, None, year), region)
        return _reply(request, rows, format, "climate-market-discrepancies")

    @router.get("/market/totals")
    def climate_market_totals(
        request: Request,
        region: str | None = Region,
        year: int | None = Year,
        as_of: str | None = AsOf,
        format: str = Fmt,
    ) -> Response:
        """Per region and year: facilities, verified, allocation, surrendered, overdue."""
        with session() as ep:
            rows = within(ep.domain("climate").market_totals(None, year, _as_of(as_of)), region)
        return _reply(request, rows, format, "climate-market-totals")

    return router

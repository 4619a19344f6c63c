"""The climate API, mounted at ``/api/v1/climate`` by the API shell (found through the registry).

``GET /intensity``
    The contract of ``ecoplan climate intensity``: ``{intensity_base, intensity,
    decline_pct}`` (400 with the worded message on a zero or negative input).
``GET /inventory``
    CO2 of the stored energy use (of ``region``): the JSON of ``ecoplan climate inventory``.
``GET /factors``
    The factor tables in use: per fuel its factors, CO2 per unit, status and sources; the
    grid factors with their documents and status.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.climate.standards.factors import fuel_factors, grid_factors
from ecoplan.climate.standards.intensity import contract
from ecoplan.kit.http import json_response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

#: Inputs of the intensity: finite, and small enough that no ratio overflows.
_BOUND = 1e15


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

    return router

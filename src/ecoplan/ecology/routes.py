"""The ecology API, mounted at ``/api/v1/ecology`` by the API shell (found through the
registry):

``GET /ei``
    The HJ 192-2015 calculator (the ``ecoplan ecology ei`` contract as query parameters).
``GET /ei/counties``
    Stored county EI with sub-indices (``region``, ``year``); JSON, or CSV/Parquet.
``GET /ei/counties/{county}``
    One county's EI per year.
``GET /ei/means``
    The mean EI of the key counties per region and year (what the feed writes).
``GET /methods``
    The evaluation methods and whether each is loaded (EQI: not loaded).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ecoplan.ecology.service import EcologyOps
from ecoplan.kit.http import Fmt, export, json_response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Region = Query(None, pattern=r"^\d{6}$")
#: A sub-index (0–100); an Annotated type, so each parameter gets its own Query.
Sub = Annotated[float, Query(ge=0, le=100)]


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
    return rows


def _reply(request: Request, df: pd.DataFrame, fmt: str, name: str) -> Response:
    rows = _rows(df)
    if fmt != "json":
        return export(rows, fmt, name)
    return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The ecology routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/ei")
    def ecology_ei(
        request: Request,
        abundance: Sub,
        vegetation: Sub,
        water: Sub,
        stress: Sub,
        pollution: Sub,
        restriction: str | None = Query(None, max_length=64),
        previous: float | None = Query(None, ge=0, le=100),
    ) -> Response:
        """EI (2 decimals), grade and, with ``previous``, ΔEI and its change class."""
        d = EcologyOps.ei(abundance, vegetation, water, stress, pollution, restriction, previous)
        return json_response(request, d)

    @router.get("/ei/counties")
    def ecology_counties(
        request: Request, region: str | None = Region, year: int | None = None, format: str = Fmt
    ) -> Response:
        """Stored county EI with the five sub-indices, the restriction and the grade."""
        with session() as ep:
            df = ep.ecology.counties(region, year)
        return _reply(request, df, format, "ecology-ei-counties")

    @router.get("/ei/counties/{county}")
    def ecology_county(request: Request, county: str = Path(..., pattern=r"^\d{6}$")) -> Response:
        """One county's EI per year, with ΔEI against the year before when stored."""
        with session() as ep:
            df = ep.ecology.county(county)
        return json_response(request, {"county": county, "years": _rows(df)})

    @router.get("/ei/means")
    def ecology_means(request: Request, region: str | None = Region, format: str = Fmt) -> Response:
        """Mean EI of the key ecological function counties per region and year."""
        with session() as ep:
            df = ep.ecology.key_means(region)
        return _reply(request, df, format, "ecology-ei-means")

    @router.get("/methods")
    def ecology_methods(request: Request) -> Response:
        """The evaluation methods the domain knows and whether each is loaded."""
        return json_response(request, {"items": EcologyOps.methods()})

    return router

"""The soil API: samples with their GB 15618 classes, class counts and safe-use rates,
mounted at ``/api/v1/soil`` by the API shell (it finds this module through the registry).
Every list is JSON, or all rows as CSV/Parquet (``format=csv|parquet``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.kit.http import Fmt, export, json_response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Region = Query(None, pattern=r"^\d{6}$")


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
    return rows


def _reply(request: Request, df: pd.DataFrame, fmt: str, name: str) -> Response:
    rows = _rows(df)
    if fmt != "json":
        return export(rows, fmt, name)
    return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The soil routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/samples")
    def soil_samples(request: Request, region: str | None = Region, format: str = Fmt) -> Response:
        """Stored samples (mg/kg)."""
        with session() as ep:
            df = ep.soil.samples(region)
        return _reply(request, df, format, "soil-samples")

    @router.get("/classes")
    def soil_classes(
        request: Request,
        region: str | None = Region,
        include_cu_ni_zn: bool = False,
        per_unit: bool = False,
        format: str = Fmt,
    ) -> Response:
        """Each sample's GB 15618—2018 class, with each metal's values and level
        (``per_unit``: each region × land-use unit, from mean contents)."""
        with session() as ep:
            df = ep.soil.classify(region, include_cu_ni_zn=include_cu_ni_zn, per_unit=per_unit)
        return _reply(request, df, format, "soil-classes")

    @router.get("/counts")
    def soil_counts(request: Request, region: str | None = Region, format: str = Fmt) -> Response:
        """Samples per region, land use and class."""
        with session() as ep:
            df = ep.soil.counts(region)
        return _reply(request, df, format, "soil-counts")

    @router.get("/rates")
    def soil_rates(request: Request, region: str | None = Region, format: str = Fmt) -> Response:
        """Safe-use rates per region and year (UNCONFIRMED rules; see docs/soil.md)."""
        with session() as ep:
            df = ep.soil.rates(region)
        return _reply(request, df, format, "soil-rates")

    return router

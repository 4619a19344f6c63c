"""The air API: stations, HJ 663 evaluations and HJ 633 daily AQI, mounted at
``/api/v1/air`` by the API shell (it finds this module through the registry)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.air.standards.editions import EDITION_KEYS
from ecoplan.kit.http import ApiError, Fmt, JsonOnly, Limit, export, json_response, page

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The air routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/stations")
    def air_stations(
        request: Request,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        with session() as ep:
            st = ep.air.stations(region)
        rows = json.loads(st.to_json(orient="records", force_ascii=False))
        return page(request, rows, lambda r: str(r["code"]), cursor, limit, format, "air-stations")

    @router.get("/evaluations/{region}/{year}")
    def air_evaluation(
        request: Request,
        region: str,
        year: int,
        month: int | None = Query(None, ge=1, le=12),
        edition: str = Query("auto", pattern=f"^(auto|{'|'.join(EDITION_KEYS)})$"),
        format: str = JsonOnly,
    ) -> Response:
        """HJ 663 annual (or monthly) evaluation — the ``ecoplan air evaluate`` JSON."""
        with session() as ep:
            ev = ep.air.evaluate(region, year, edition=edition, month=month)
            return json_response(request, ev.to_dict())

    @router.get("/daily/{region}")
    def air_daily(
        request: Request,
        region: str,
        start: dt.date = Query(..., alias="from"),
        end: dt.date = Query(..., alias="to"),
        format: str = Fmt,
    ) -> Response:
        """City daily AQI (HJ 633) with concentrations and primary pollutants."""
        if (end - start).days > 3660:
            raise ApiError(400, "range_too_large", "at most ten years per request")
        with session() as ep:
            df = ep.air.daily(region, start, end)
        df["day"] = df["day"].astype(str)
        rows = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
        if format != "json":
            return export(rows, format, f"air-daily-{region}")
        return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})

    return router

"""The water API: stations, samples, section classes (GB 3838—2002 Table 1, the 2011
evaluation method 环办〔2011〕22号), shares per region, basin or river, and control-unit
targets, drinking-water sources (``/drinking``) and black-odorous water bodies
(``/black-odorous``), mounted at ``/api/v1/water`` by the API shell (found through the registry).

Collections are paged JSON (``items``, ``next_cursor``, ``total``) or, with
``?format=csv|parquet``, every row as a download; text a spreadsheet could run is
neutralised (:func:`ecoplan.kit.http.export`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.kit.http import ApiError, Fmt, JsonOnly, Limit, json_response, page

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

#: The longest span of samples one request returns.
MAX_SAMPLE_DAYS = 3660
_YEAR = Query(..., ge=1900, le=2200)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON records: NaN as null, times as ISO text."""
    out: list[dict[str, Any]] = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
    return out


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The water routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/status")
    def water_status(request: Request, format: str = JsonOnly) -> Response:
        """Counts of the stored tables, the years with samples, rejects per reason code."""
        with session() as ep:
            return json_response(request, ep.water.status())

    @router.get("/years")
    def water_years(request: Request, format: str = JsonOnly) -> Response:
        with session() as ep:
            return json_response(request, {"years": ep.water.years()})

    @router.get("/stations")
    def water_stations(
        request: Request, cursor: str | None = None, limit: int = Limit, format: str = Fmt
    ) -> Response:
        """The section registry: code, name, region, basin, river, water body, position."""
        with session() as ep:
            rows = _records(ep.water.stations())
        return page(request, rows, lambda r: str(r["code"]), cursor, limit, format, "water-stations")

    @router.get("/samples/{station}")
    def water_samples(
        request: Request,
        station: str,
        start: dt.date | None = Query(None, alias="from"),
        end: dt.date | None = Query(None, alias="to"),
        items: str | None = Query(None, pattern=r"^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$"),
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """One section's samples in time order (404 for an unknown station)."""
        if start is not None and end is not None and (end - start).days > MAX_SAMPLE_DAYS:
            raise ApiError(400, "range_too_large", "at most ten years per request")
        t0 = None if start is None else dt.datetime.combine(start, dt.time())
        t1 = None if end is None else dt.datetime.combine(end, dt.time.max)
        with session() as ep:
            df = ep.water.samples(station, start=t0, end=t1, items=items.split(",") if items else None)
        rows = _records(df)  # unique (time, item): ISO times sort as times
        return page(
            request,
            rows,
            lambda r: f"{r['time']}|{r['item']}",
            cursor,
            limit,
            format,
            f"water-samples-{station}",
        )

    @router.get("/sections")
    def water_sections(
        request: Request,
        year: int = _YEAR,
        period: str = Query("year", pattern="^(year|month)$"),
        month: int | None = Query(None, ge=1, le=12),
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        basin: str | None = None,
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """Each section's class of the year (or month): GB 3838 class 1–6 and its label
        Ⅰ…劣Ⅴ, grade, main pollutants, item means and classes."""
        with session() as ep:
            df = ep.water.sections(year=year, period=period, month=month, region=region, basin=basin)
        rows = _records(df)
        return page(
            request,
            rows,
            lambda r: f"{r['station']}|{r['period']}",
            cursor,
            limit,
            format,
            f"water-sections-{year}",
        )

    @router.get("/shares")
    def water_shares(
        request: Request,
        year: int = _YEAR,
        by: str = Query("region", pattern="^(region|basin|river)$"),
        period: str = Query("year", pattern="^(year|month)$"),
        month: int | None = Query(None, ge=1, le=12),
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """Shares of sections per class (Ⅰ–Ⅲ and 劣Ⅴ, 环办〔2011〕22号 §3.2) by region, basin
        or river."""
        with session() as ep:
            df = ep.water.shares(year=year, by=by, period=period, month=month)
        rows = _records(df)
        return page(
            request,
            rows,
            lambda r: f"{r['key']}|{r['period']}",
            cursor,
            limit,
            format,
            f"water-shares-{by}-{year}",
        )

    @router.get("/targets")
    def water_targets(
        request: Request, year: int = _YEAR, cursor: str | None = None, limit: int = Limit, format: str = Fmt
    ) -> Response:
        """Control-unit attainment: each section's target class against its class."""
        with session() as ep:
            df = ep.water.targets(year=year)
        rows = _records(df)
        return page(
            request,
            rows,
            lambda r: f"{r['station']}|{r['plan']}",
            cursor,
            limit,
            format,
            f"water-targets-{year}",
        )

    @router.get("/drinking")
    def water_drinking(
        request: Request,
        year: int = _YEAR,
        levels: str = Query("county_and_above", pattern="^(county_and_above|county)$"),
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """集中式饮用水水源地水质达标率 per region (itself and every region below it): by
        count and by daily supply, over city- and county-level sources or county-level ones."""
        with session() as ep:
            df = ep.water.drinking.rates(year=year, levels=levels, region=region)
        rows = _records(df)
        return page(request, rows, lambda r: str(r["key"]), cursor, limit, format, f"water-drinking-{year}")

    @router.get("/drinking/sources")
    def water_drinking_sources(
        request: Request, year: int = _YEAR, cursor: str | None = None, limit: int = Limit, format: str = Fmt
    ) -> Response:
        """Each source's verdict of the year (GB 3838—2002 Tables 1–3; groundwater GB/T 14848—2017)."""
        with session() as ep:
            df = ep.water.drinking.attainment(year=year)
        rows = _records(df)
        return page(
            request, rows, lambda r: str(r["source"]), cursor, limit, format, f"water-drinking-sources-{year}"
        )

    @router.get("/black-odorous")
    def water_black_odorous(
        request: Request,
        year: int = _YEAR,
        area: str | None = Query(None, pattern="^(prefecture|county)$"),
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """黑臭水体消除比例 and the remaining share per region and built-up area kind."""
        with session() as ep:
            df = ep.water.black_odorous.ratios(year=year, area=area, region=region)
        rows = _records(df)
        return page(
            request,
            rows,
            lambda r: f"{r['area']}|{r['key']}",
            cursor,
            limit,
            format,
            f"water-black-odorous-{year}",
        )

    @router.get("/black-odorous/bodies")
    def water_black_bodies(
        request: Request, year: int = _YEAR, cursor: str | None = None, limit: int = Limit, format: str = Fmt
    ) -> Response:
        """Each listed water body of the year: point grades, verdict, eliminated
        (城市黑臭水体整治工作指南, 2015)."""
        with session() as ep:
            df = ep.water.black_odorous.bodies(year=year)
        rows = _records(df)
        return page(
            request, rows, lambda r: str(r["body"]), cursor, limit, format, f"water-black-bodies-{year}"
        )

    return router

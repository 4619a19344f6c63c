"""The risk API, mounted at ``/api/v1/risk`` by the API shell: the registries (risk
sources with their levels, sensitive targets, emergency plans with their review due dates
and overdue flags, import rejects) and one source with its grading's evidence. Every list
is JSON, or all rows as CSV/Parquet (``format=csv|parquet``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.kit.http import Fmt, export, json_response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Region = Query(None, pattern=r"^\d{6}$", description="Region code (GB/T 2260) and its subdivisions")


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _reply(request: Request, rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    rows = [{k: _plain(v) for k, v in r.items()} for r in rows]
    if fmt != "json":
        flat = [{k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in r.items()} for r in rows]
        return export(flat, fmt, name)
    return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The risk routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/sources")
    def risk_sources(
        request: Request,
        region: str | None = Region,
        level: str | None = Query(None, pattern="^(general|larger|major)$"),
        format: str = Fmt,
    ) -> Response:
        """Risk sources with their HJ 941-2018 levels (air, water, the enterprise's)."""
        with session() as ep:
            rows = ep.risk.sources(region, level)
        return _reply(request, rows, format, "risk-sources")

    @router.get("/sources/{source_id}")
    def risk_source(request: Request, source_id: str) -> Response:
        """One risk source: its grading with every sub-score and its evidence, and its plans."""
        with session() as ep:
            row = ep.risk.source(source_id)
        row["plans"] = [{k: _plain(v) for k, v in p.items()} for p in row["plans"]]
        return json_response(request, {k: _plain(v) for k, v in row.items()})

    @router.get("/targets")
    def risk_targets(
        request: Request,
        region: str | None = Region,
        kind: str | None = Query(None, pattern="^(school|hospital|drinking_water_intake|residential|other)$"),
        format: str = Fmt,
    ) -> Response:
        """Sensitive targets: points, and polygons as rings of [lon, lat]."""
        with session() as ep:
            rows = ep.risk.targets(kind, region)
        return _reply(request, rows, format, "risk-targets")

    @router.get("/plans")
    def risk_plans(
        request: Request,
        overdue: bool = False,
        as_of: dt.date | None = None,
        format: str = Fmt,
    ) -> Response:
        """Emergency plans: the review due 3 years after the latest filing, review or
        revision (环发〔2015〕4号), overdue on ``as_of`` (default today)."""
        with session() as ep:
            rows = ep.risk.plans(overdue=overdue, as_of=as_of)
        return _reply(request, rows, format, "risk-plans")

    @router.get("/rejects")
    def risk_rejects(
        request: Request,
        kind: str | None = Query(None, pattern="^(sources|targets|plans)$"),
        format: str = Fmt,
    ) -> Response:
        """Rows the registry imports rejected: file, row, field, value and reason code."""
        with session() as ep:
            rows = ep.risk.rejects(kind)
        return _reply(request, rows, format, "risk-rejects")

    return router

"""The risk API, mounted at ``/api/v1/risk`` by the API shell: the registries (risk
sources with their levels, sensitive targets, emergency plans with their review due dates
and overdue flags, import rejects) and one source with its grading's evidence; the
recorded incidents with their reporting clocks. Every list is JSON, or all rows as
CSV/Parquet (``format=csv|parquet``).

Two write routes (``POST /incidents``, ``POST /incidents/{id}/reports``) need a signed-in
reporter of the incident's region (bearer token or session with its CSRF token, as the
other write routes: the server's :class:`~ecoplan.kit.auth.Auth` on ``app.state.auth``);
they write through the server's app (``app.state.store.app()``), whose single writer
stores the incident or report and its audit row in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.auth import role_extra
from ecoplan.kit.http import Fmt, export, json_response
from ecoplan.risk.clock import to_local

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


_Strict = ConfigDict(extra="forbid", allow_inf_nan=False)
IncidentId = Path(ge=1, le=2**31 - 1, description="A recorded incident's number")


class Place(BaseModel):
    model_config = _Strict
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    name: str | None = Field(None, max_length=200)


class Release(BaseModel):
    model_config = _Strict
    rate_g_s: float = Field(gt=0, le=1e12, description="Release rate, g/s")
    height_m: float = Field(0.0, ge=0, le=10_000)


class Weather(BaseModel):
    model_config = _Strict
    wind_m_s: float = Field(gt=0, le=100)
    wind_from_deg: float = Field(0.0, ge=-360, le=360, description="Where the wind blows from")
    stability: str = Field(pattern="^[A-Fa-f]$", description="Pasquill-Gifford class")


class Loc(BaseModel):
    model_config = _Strict
    unit: str = Field("mg_m3", pattern="^(g_m3|mg_m3|ug_m3)$")
    red: float | None = Field(None, gt=0, le=1e9)
    orange: float | None = Field(None, gt=0, le=1e9)
    yellow: float | None = Field(None, gt=0, le=1e9)


class Counts(BaseModel):
    model_config = _Strict
    deaths: int | None = Field(None, ge=0, le=10**9)
    poisoned: int | None = Field(None, ge=0, le=10**9)
    evacuated: int | None = Field(None, ge=0, le=10**10)
    direct_loss_yuan: float | None = Field(None, ge=0, le=1e15)
    water_source_cut: str | None = Field(None, pattern="^(prefecture|county|township)$")
    cross_boundary: str | None = Field(None, pattern="^(national|province|prefecture)$")
    ecology: str | None = Field(
        None,
        pattern="^(function_lost|species_extinct|function_partly_lost|species_mass_death|species_damaged)$",
    )
    sensitive_area: bool = False
    undetermined: bool = False
    art4: list[str] = Field(default_factory=list, max_length=6)


class NewIncident(BaseModel):
    """An incident to record: the fields of the incident file (``docs/risk-incidents.md``)
    and the region it happened in."""

    model_config = _Strict
    region: str = Field(pattern=r"^\d{6}$", description="Region code (GB/T 2260): within your scope")
    time: str = Field(max_length=25, description="Discovered or learned of, local time (2026-12-06 09:30)")
    place: Place
    substance: str = Field("", max_length=100)
    release: Release
    weather: Weather
    loc: Loc
    counts: Counts | None = None
    province_received_at: str | None = Field(None, max_length=25)


class NewReport(BaseModel):
    """A report made on a recorded incident (Art. 12)."""

    model_config = _Strict
    kind: str = Field(pattern="^(initial|progress|final)$", description="初报, 续报 or 处理结果报告")
    party: str = Field("local_bureau", pattern="^(local_bureau|provincial_bureau)$")
    at: str | None = Field(None, max_length=25, description="When it was made, local time (default now)")
    note: str | None = Field(None, max_length=2000)


def _reporter(request: Request) -> Principal:
    """The request's signed-in reporter (or above), by the server's auth (401/403/429 else)."""
    p: Principal = request.app.state.auth.role(Role.REPORTER)(request)
    return p


def _moment(text: str | None, fld: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return to_local(dt.datetime.fromisoformat(text.strip().replace(" ", "T")))
    except ValueError:
        raise EcoplanError.worded(
            "risk.incident.error.time", file="body", field=fld, value=repr(text)
        ) from None


def _stored(data: dict[str, Any], created: bool) -> JSONResponse:
    return JSONResponse(data, 201 if created else 200, headers={"Cache-Control": "private, no-store"})


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

    @router.get("/incidents")
    def risk_incidents(
        request: Request,
        region: str | None = Region,
        overdue: bool = False,
        as_of: dt.datetime | None = None,
        format: str = Fmt,
    ) -> Response:
        """Recorded incidents, newest first, with their reporting clocks on ``as_of``
        (default now; local time): each clock's deadline and state (on_time, late, open,
        overdue), the overdue flag, the next deadline and the reports made."""
        with session() as ep:
            rows = ep.risk.incidents(overdue=overdue, region=region, as_of=_naive(as_of))
        return _reply(request, rows, format, "risk-incidents")

    @router.get("/incidents/{incident_id}")
    def risk_incident(
        request: Request, incident_id: int = IncidentId, as_of: dt.datetime | None = None
    ) -> Response:
        """One recorded incident: its input, the screening result when recorded (grade,
        deadlines, zones, targets inside, intakes downstream), its reports and clocks."""
        with session() as ep:
            row = ep.risk.incident(incident_id, as_of=_naive(as_of))
        return json_response(request, row)

    @router.post("/incidents", status_code=201, openapi_extra=role_extra("reporter"))
    def record_incident(
        request: Request, body: NewIncident, who: Principal = Depends(_reporter)
    ) -> JSONResponse:
        """Record an incident in a region of your scope: graded, screened against the
        registry's targets and stored with its reporting clocks (201; the same incident
        again: 200, nothing stored)."""
        data = body.model_dump(exclude_none=True)
        region = data.pop("region")
        app = request.app.state.store.app()
        res = app.risk.record_incident(data, file="body", region=region, who=who)
        return _stored(res, res["recorded"])

    @router.post("/incidents/{incident_id}/reports", status_code=201, openapi_extra=role_extra("reporter"))
    def report_made(
        request: Request,
        body: NewReport,
        incident_id: int = IncidentId,
        who: Principal = Depends(_reporter),
    ) -> JSONResponse:
        """Record a report made on an incident of your scope (初报 stops its clock; 处理结果报告
        closes it). 201; the same report again: 200, nothing stored."""
        at = _moment(body.at, "at")
        app = request.app.state.store.app()
        res = app.risk.report_made(incident_id, body.kind, at, party=body.party, note=body.note, who=who)
        return _stored(res, res["recorded"])

    return router


def _naive(t: dt.datetime | None) -> dt.datetime | None:
    return None if t is None else to_local(t)

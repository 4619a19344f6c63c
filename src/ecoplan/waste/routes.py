"""The waste API, mounted at ``/api/v1/waste`` by the API shell (found through the registry).

``/actors`` (``?role=&region=``), ``/actors/{actor_id}`` (with its permits),
``/manifests`` (``?status=&actor=&limit=``), ``/manifests/{manifest_no}`` (its lines,
events and parties), ``/ledger/{actor_id}`` (``?period=``), ``/ledger/{actor_id}/balance``
(``?period=``: the mass balance per code), ``/alerts`` (``?rule=&subject=``) and
``/rates`` (on-time confirmation and closed-loop rates per producer region). Lists are
JSON (``{items, next_cursor, total}``), or all rows as CSV/Parquet (``format=csv|parquet``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ecoplan.kit.http import Fmt, export, json_response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Region: Any = Query(None, pattern=r"^\d{6}$")
Role: Any = Query(None, pattern="^(producer|transporter|receiver)$")
Status: Any = Query(None, pattern="^(draft|shipped|received|confirmed|rejected|closed|corrected)$")
Period: Any = Query(..., pattern=r"^\d{4}(-\d{2}|Q[1-4])?$", description="2025-03, 2025Q1 or 2025")
ManifestNo: Any = Path(pattern=r"^\d{14}$")
Id: Any = Path(min_length=1, max_length=64)


def _reply(request: Request, rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    if fmt != "json":
        flat = [{k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items()} for r in rows]
        return export(flat, fmt, name)
    return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The waste routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/actors")
    def waste_actors(
        request: Request, role: str | None = Role, region: str | None = Region, format: str = Fmt
    ) -> Response:
        """Producers, transporters and receivers (of ``role``; in ``region`` and below)."""
        with session() as ep:
            rows = ep.waste.actors(role, region)
        return _reply(request, rows, format, "waste-actors")

    @router.get("/actors/{actor_id}")
    def waste_actor(request: Request, actor_id: str = Id) -> Response:
        """One actor with its permits (经营许可证)."""
        with session() as ep:
            return json_response(request, ep.waste.actor(actor_id))

    @router.get("/manifests")
    def waste_manifests(
        request: Request,
        status: str | None = Status,
        actor: str | None = Query(None, max_length=64),
        limit: int = Query(500, ge=1, le=10000),
        format: str = Fmt,
    ) -> Response:
        """Manifests, newest shipment first (of ``status``; where ``actor`` is a party)."""
        with session() as ep:
            rows = ep.waste.manifests(status, actor, limit)
        return _reply(request, rows, format, "waste-manifests")

    @router.get("/manifests/{manifest_no}")
    def waste_manifest(request: Request, manifest_no: str = ManifestNo) -> Response:
        """A manifest with its waste lines, its events (state moves, corrections with
        their versions) and its parties."""
        with session() as ep:
            return json_response(request, ep.waste.manifest(manifest_no))

    @router.get("/ledger/{actor_id}")
    def waste_ledger(
        request: Request,
        actor_id: str = Id,
        period: str | None = Query(None, pattern=r"^\d{4}(-\d{2}|Q[1-4])?$"),
        format: str = Fmt,
    ) -> Response:
        """An actor's ledger records (HJ 1259-2022), by time."""
        with session() as ep:
            rows = ep.waste.ledger(actor_id, period)
        return _reply(request, rows, format, "waste-ledger")

    @router.get("/ledger/{actor_id}/balance")
    def waste_balance(
        request: Request, actor_id: str = Id, period: str = Period, format: str = Fmt
    ) -> Response:
        """The mass balance per code: opening + generated − shipped − self-treated = closing."""
        with session() as ep:
            rows = [b.to_dict() for b in ep.waste.balance(actor_id, period)]
        return _reply(request, rows, format, "waste-balance")

    @router.get("/alerts")
    def waste_alerts(
        request: Request,
        rule: str | None = Query(None, max_length=64),
        subject: str | None = Query(None, max_length=64),
        format: str = Fmt,
    ) -> Response:
        """The alerts the alerts' pipeline stored, newest first."""
        with session() as ep:
            rows = ep.waste.alerts(rule, subject)
        return _reply(request, rows, format, "waste-alerts")

    @router.get("/rates")
    def waste_rates(request: Request, format: str = Fmt) -> Response:
        """On-time confirmation and closed-loop rates per producer region."""
        with session() as ep:
            rows = ep.waste.rates()
        return _reply(request, rows, format, "waste-rates")

    return router

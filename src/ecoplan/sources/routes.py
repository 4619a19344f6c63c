"""The sources API, mounted at ``/api/v1/sources`` by the API shell (found through the
registry): the register (enterprises, outlets, devices, permits, limits, permitted
quantities), live values, hourly series, exceedance events with their evidence frames,
abnormal-data alarms, the quarterly yellow/red cards and annual emission totals.

Collections are paged JSON (``items``, ``next_cursor``, ``total``; the cursor is the
position of the last row given, in the service's order) or, with
``?format=csv|parquet``, every row as a download (text a spreadsheet could run is
neutralised, :func:`ecoplan.kit.http.export`). Parameters are checked before the store
is read: a malformed region, credit code, date, quarter or year, or a start after the
end, is a 422 ``invalid_request`` naming the parameter. A device's password and SM4 key
(HJ 212-2017 §6.3.1 PW; HJ 212-2025 SM4) never leave the store through the API: not as
register columns, not inside an evidence frame's text (``PW=******``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from ecoplan.core.words import word
from ecoplan.kit.http import ApiError, Fmt, JsonOnly, Limit, export, json_response
from ecoplan.sources.standards.alarms import KINDS

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["SECRET_COLUMNS", "masked", "records", "routes", "span"]

#: Register columns the API never shows (a device's access password and SM4 key).
SECRET_COLUMNS = ("pw", "sm4_key")
#: 统一社会信用代码 (GB 32100—2015 §4: 18 characters of the code's alphabet, no I/O/Z/S/V).
CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
_ID = r"^[0-9A-Za-z_.:-]{1,64}$"
_PW = re.compile(r"(?<![A-Za-z])(PW=)[^;&]*")


def masked(raw: str) -> str:
    """A frame's text with its access password hidden (``PW=******``): the evidence shows
    what the device sent but not the credential (the stored frame, whose CRC covers the
    password, keeps it)."""
    return _PW.sub(r"\1******", raw)


Region = Query(None, pattern=r"^\d{6}$", description="6-digit region code (that region and those under it)")
Enterprise = Query(None, pattern=CREDIT_CODE, description="the enterprise's credit code (统一社会信用代码)")
Outlet = Query(None, pattern=_ID, description="outlet id")
Factor = Query(None, pattern=r"^[A-Za-z0-9-]{1,16}$", description="factor code (HJ 212-2017 Annex B)")
Start = Query(None, max_length=19, description="from (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")
End = Query(None, max_length=19, description="to, included (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")
Quarter = Query(None, pattern=r"^\d{4}Q[1-4]$", description="quarter like 2020Q2 (default: the latest)")
Year = Query(None, ge=1900, le=2200)
Cursor = Query(None, pattern=r"^\d{1,9}$", description="next_cursor of the previous page")


def records(df: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as JSON records (NaN as null, times as ISO text), secrets dropped."""
    if df is None or df.empty:
        return []
    df = df.drop(columns=[c for c in SECRET_COLUMNS if c in df.columns])
    out: list[dict[str, Any]] = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
    return out


def _when(value: str | None, name: str, *, end: bool = False) -> dt.datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        message = word("sources.web.api.bad_time", "en", name=name, value=value)
        raise ApiError(422, "invalid_request", message, [{"loc": ["query", name], "msg": message}]) from None


def span(start: str | None, end: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``start`` and ``end`` as times (a date is its whole day); 422 when either is
    malformed or ``start`` is after ``end``."""
    s, e = _when(start, "start"), _when(end, "end", end=True)
    if s is not None and e is not None and s > e:
        message = word("sources.web.api.start_after_end", "en", start=start, end=end)
        raise ApiError(422, "invalid_request", message, [{"loc": ["query", "start"], "msg": message}])
    return s, e


@dataclass(frozen=True)
class Page:
    """The request and its paging parameters (``cursor``, ``limit``, ``format``), which
    every collection takes."""

    request: Request
    cursor: str | None
    limit: int
    format: str


def _page(request: Request, cursor: str | None = Cursor, limit: int = Limit, format: str = Fmt) -> Page:
    return Page(request, cursor, limit, format)


Paged = Depends(_page)


def _call(ep: Ecoplan, part: str, method: str, /, *args: Any, **kw: Any) -> Any:
    """``ep.sources.<part>.<method>(…)``."""
    return getattr(getattr(ep.sources, part), method)(*args, **kw)


def _reply(page: Page, rows: list[dict[str, Any]], name: str) -> Response:
    """``rows`` paged by position, or all of them as CSV/Parquet."""
    request, cursor, limit, fmt = page.request, page.cursor, page.limit, page.format
    if fmt != "json":
        return export(rows, fmt, name)
    start = 0 if cursor is None else int(cursor) + 1
    if cursor is not None and start > len(rows):
        raise ApiError(400, "invalid_cursor", f"cursor {cursor!r} does not point into this collection")
    items = rows[start : start + limit]
    more = start + limit < len(rows)
    nxt = str(start + len(items) - 1) if more and items else None
    return json_response(request, {"items": items, "next_cursor": nxt, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The sources routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    def listing(page: Page, part: str, method: str, name: str, **kw: Any) -> Response:
        with session() as ep:
            rows = records(_call(ep, part, method, **kw))
        return _reply(page, rows, name)

    @router.get("/enterprises")
    def sources_enterprises(region: str | None = Region, page: Page = Paged) -> Response:
        """Registered enterprises (credit code, name, region, industry, position)."""
        return listing(page, "registry", "enterprises", "sources-enterprises", region=region)

    @router.get("/enterprises/{credit_code}")
    def sources_enterprise(
        request: Request, credit_code: str = Path(pattern=CREDIT_CODE), format: str = JsonOnly
    ) -> Response:
        """One enterprise with its outlets, devices and permits (404 when not registered)."""
        with session() as ep:
            found = _call(ep, "registry", "enterprise", credit_code)  # NotFound: a 404
            data = {
                **json.loads(json.dumps(found, ensure_ascii=False, default=str)),
                "outlets": records(_call(ep, "registry", "outlets", credit_code=credit_code)),
                "devices": [
                    {k: v for k, v in d.items() if k not in SECRET_COLUMNS} for d in found.get("devices", [])
                ],
                "permits": records(_call(ep, "registry", "permits", credit_code=credit_code)),
            }
        return json_response(request, data)

    @router.get("/outlets")
    def sources_outlets(enterprise: str | None = Enterprise, page: Page = Paged) -> Response:
        """Outlets (medium air|water, the standard and its reference O₂)."""
        return listing(page, "registry", "outlets", "sources-outlets", credit_code=enterprise)

    @router.get("/devices")
    def sources_devices(outlet: str | None = Outlet, page: Page = Paged) -> Response:
        """Monitoring devices (MN, ST, edition, outlet); never their password or key."""
        return listing(page, "registry", "devices", "sources-devices", outlet_id=outlet)

    @router.get("/permits")
    def sources_permits(enterprise: str | None = Enterprise, page: Page = Paged) -> Response:
        """Discharge permits (排污许可证): number, holder, validity, report cycle."""
        return listing(page, "registry", "permits", "sources-permits", credit_code=enterprise)

    @router.get("/limits")
    def sources_limits(
        outlet: str | None = Outlet,
        at: str | None = Query(None, max_length=10, description="in force on this date (YYYY-MM-DD)"),
        page: Page = Paged,
    ) -> Response:
        """Permitted concentration limits per outlet and factor, with their basis and reference O₂."""
        day = None if at is None else _when(at, "at")
        return listing(
            page,
            "registry",
            "limits",
            "sources-limits",
            outlet_id=outlet,
            at=None if day is None else day.date(),
        )

    @router.get("/quantities")
    def sources_quantities(
        enterprise: str | None = Enterprise, year: int | None = Year, page: Page = Paged
    ) -> Response:
        """Permitted annual quantities (许可排放量, t) per permit, factor and year."""
        return listing(
            page, "registry", "quantities", "sources-quantities", credit_code=enterprise, year=year
        )

    @router.get("/live")
    def sources_live(
        enterprise: str | None = Enterprise, outlet: str | None = Outlet, page: Page = Paged
    ) -> Response:
        """The newest value of every outlet and factor (of one enterprise or outlet)."""
        return listing(page, "frames", "latest", "sources-live", outlet_id=outlet, credit_code=enterprise)

    @router.get("/hourly")
    def sources_hourly(
        outlet: str = Query(..., pattern=_ID, description="outlet id"),
        factor: str | None = Factor,
        start: str | None = Start,
        end: str | None = End,
        page: Page = Paged,
    ) -> Response:
        """An outlet's hourly series: mean, converted (折算) mean, valid minutes, status."""
        s, e = span(start, end)
        return listing(
            page, "facts", "hourly", "sources-hourly", outlet_id=outlet, factor=factor, start=s, end=e
        )

    @router.get("/exceedances")
    def sources_exceedances(
        region: str | None = Region,
        enterprise: str | None = Enterprise,
        start: str | None = Start,
        end: str | None = End,
        page: Page = Paged,
    ) -> Response:
        """Exceedance events (each with its ``event_id``; its frames at ``…/evidence``)."""
        s, e = span(start, end)
        return listing(
            page,
            "facts",
            "exceedances",
            "sources-exceedances",
            region=region,
            credit_code=enterprise,
            start=s,
            end=e,
        )

    @router.get("/exceedances/{event_id}/evidence")
    def sources_evidence(event_id: str = Path(pattern=_ID), page: Page = Paged) -> Response:
        """The frames an exceedance event rests on (frame id, data time, raw text with the
        device's password masked)."""
        with session() as ep:
            rows = records(_call(ep, "facts", "evidence", event_id))
        for r in rows:
            if isinstance(r.get("raw"), str):
                r["raw"] = masked(r["raw"])
        return _reply(page, rows, f"sources-evidence-{event_id}")

    @router.get("/alarms")
    def sources_alarms(
        region: str | None = Region,
        enterprise: str | None = Enterprise,
        kind: str | None = Query(None, pattern=f"^({'|'.join(KINDS)})$", description=", ".join(KINDS)),
        start: str | None = Start,
        end: str | None = End,
        page: Page = Paged,
    ) -> Response:
        """Abnormal-data alarms: silence, flatline, impossible values, flag storms, zero flow."""
        s, e = span(start, end)
        return listing(
            page,
            "facts",
            "alarms",
            "sources-alarms",
            region=region,
            credit_code=enterprise,
            kind=kind,
            start=s,
            end=e,
        )

    @router.get("/cards")
    def sources_cards(
        quarter: str | None = Quarter, region: str | None = Region, page: Page = Paged
    ) -> Response:
        """The quarterly yellow/red list (黄牌/红牌) with each card's reasons."""
        return listing(page, "facts", "cards", "sources-cards", quarter=quarter, region=region)

    @router.get("/credit")
    def sources_credit(year: int | None = Year, region: str | None = Region, page: Page = Paged) -> Response:
        """Credit-rating inputs per enterprise and year: exceedance events and hours, alarms
        per kind, yellow and red cards, hours stored and valid."""
        return listing(page, "facts", "credit", "sources-credit", year=year, region=region)

    @router.get("/totals")
    def sources_totals(
        year: int | None = Year,
        region: str | None = Region,
        by: str = Query("enterprise", pattern="^(enterprise|region)$"),
        page: Page = Paged,
    ) -> Response:
        """Annual emissions (t) per enterprise or region and factor, beside the permitted quantity."""
        return listing(page, "facts", "totals", "sources-totals", year=year, region=region, by=by)

    return router

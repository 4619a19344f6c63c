"""The REST API, ``/api/v1`` (FastAPI; OpenAPI at ``/api/openapi.json``).

Anonymous callers read what is published; signed-in callers (a web session or an API
token, :mod:`ecoplan.kit.auth`) also write, each write route with the role it needs
(:mod:`ecoplan.api.writes`). Every
error is ``{"error": {"code", "message", "message_zh", "details"}}`` with a 4xx status for what
the caller got wrong; collections use cursor pagination with a stable order
(``?cursor=&limit=`` → ``next_cursor``; a cursor past the end is a 400, never a
silent empty page) and can be exported whole with ``?format=csv|parquet``. JSON
responses carry an ``ETag`` and honour ``If-None-Match``. A request the store cannot
serve (busy, gone, damaged) is a 503 with ``Retry-After`` and a fixed message, never
the store's path, a process id or a stack trace; anything unexpected is a bare 500.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecoplan.api import lineage, subscriptions, writes
from ecoplan.api.cache import ResponseCache
from ecoplan.api.security import SECURITY_HEADERS, SecurityHeaders
from ecoplan.api.writes import MAX_UPLOAD
from ecoplan.app import Ecoplan
from ecoplan.core import words
from ecoplan.core.access import Role
from ecoplan.core.domain import load
from ecoplan.core.errors import EcoplanError, InputFileError, NotFound, StoreError
from ecoplan.domains import domains
from ecoplan.kit.auth import Auth, error_answers
from ecoplan.kit.http import ApiError, Fmt, JsonOnly, Limit, export, json_response, page
from ecoplan.plans.serialize import plan_json

__all__ = [
    "MAX_BODY",
    "STORE_UNAVAILABLE",
    "StoreHolder",
    "create_app",
    "error_body",
    "plan_summary",
]

_log = logging.getLogger("ecoplan.api")

MAX_BODY = 1_000_000  # bytes; beyond the upload routes, a large body is a mistake or an attack
#: Routes that take files (values, evidence, targets): their bodies may reach ``MAX_UPLOAD``.
UPLOAD_PATHS = ("/api/v1/submissions/", "/api/v1/decompositions", "/me/upload", "/me/task")


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """``{"error": {code, message, message_zh, details}}``: ``message`` in English with
    the request's context; ``message_zh`` the fixed Chinese text of ``code`` from the
    catalog of words (``api.error.<code>``), or the English message for a code without one."""
    key = f"api.error.{code}"
    message_zh = words.word(key, "zh") if words.has(key) else message
    return {"error": {"code": code, "message": message, "message_zh": message_zh, "details": details}}


#: The answer to a request the store could not serve (busy, gone, damaged): never its
#: path, a process id or a stack trace; the details go to the server's log.
STORE_UNAVAILABLE = error_body("store_unavailable", "the data store is busy or unavailable; retry shortly")
RETRY_AFTER = "5"


class StoreHolder:
    """The app the server reads through: given (``ecoplan serve`` owns it), or opened on
    first use (read-write, this process then owns the store) and closed with the server."""

    def __init__(self, db: str | None, ecoplan: Ecoplan | None = None) -> None:
        self.db, self._ep, self._owned = db, ecoplan, False
        self._lock = threading.Lock()

    def app(self) -> Ecoplan:
        if self._ep is None:
            with self._lock:
                if self._ep is None:
                    self._ep, self._owned = Ecoplan(self.db), True
        return self._ep

    def reader(self) -> AbstractContextManager[Ecoplan]:
        return self.app().reader()

    def close(self) -> None:
        with self._lock:
            if self._owned and self._ep is not None:
                self._ep.close()
                self._ep = None


class RetryReads:
    """A GET or HEAD the store could not serve (a 503 with ``Retry-After``) is run again
    after a moment, twice at most, before its 503 goes out: a reader that met a busy or
    changing store (say, a data file replaced by a commit after its snapshot) retries on a
    fresh snapshot."""

    def __init__(self, app: ASGIApp, attempts: int = 3, pause: float = 0.2) -> None:
        self.app, self.attempts, self.pause = app, attempts, pause

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        for attempt in range(1, self.attempts + 1):
            retry = False
            last = attempt == self.attempts

            async def guarded(message: Message, last: bool = last) -> None:
                nonlocal retry
                if message["type"] == "http.response.start" and not last:
                    headers = dict(message.get("headers", []))
                    retry = message["status"] == 503 and b"retry-after" in headers
                if not retry:
                    await send(message)

            replayed = attempt > 1

            async def replay() -> Message:
                nonlocal replayed
                if replayed:
                    replayed = False
                    return {"type": "http.request", "body": b"", "more_body": False}
                return await receive()

            await self.app(scope, replay, guarded)
            if not retry:
                return
            await asyncio.sleep(self.pause * attempt)


def _region(r: Any) -> dict[str, Any]:
    return {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level, "parent": r.parent}


def plan_summary(p: Any) -> dict[str, Any]:
    """One line of the plan list (API and dashboard)."""
    return {
        "id": p.id,
        "title_zh": p.title.zh,
        "title_en": p.title.en,
        "level": p.level.value,
        "region": p.region,
        "period": {"start": p.start, "end": p.end},
        "indicators": len(p.indicators),
        "binding": sum(i.attribute.value == "binding" for i in p.indicators),
    }


DOCS_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>ecoplan API</title><link rel="stylesheet" href="/api/static/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="/api/static/swagger-ui-bundle.js"></script><script src="/api/static/swagger-init.js"></script>
</body></html>"""


def create_app(
    db: str | Path | None = None, *, ecoplan: Ecoplan | None = None, secure_cookies: bool = False
) -> FastAPI:
    """The API over the database ``db`` (default: ``$ECOPLAN_DB`` or ./ecoplan.duckdb).

    Requests read through one app: ``ecoplan`` when given (``ecoplan serve`` passes the
    app it owns), else one opened on the first request and closed at shutdown. Each
    request reads a snapshot (:meth:`~ecoplan.app.Ecoplan.reader`), so readers
    never wait for or fail on a writer. ``app.state.reader()`` gives the dashboard the same.
    """
    store = StoreHolder(str(db) if db is not None else None, ecoplan)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="ecoplan API",
        version="1",
        description="生态环境规划实施监测评估平台 — plans, indicator values, assessments and the "
        "environmental domains' data, published for everyone; reporting, review and administration "
        "for signed-in callers (`Authorization: Bearer ecp_…` or the session cookie with "
        "`X-CSRF-Token`); each write route names the role it needs in `x-ecoplan-role` "
        "(docs/accounts-and-permissions.md). Errors answer "
        '`{"error": {"code", "message", "message_zh", "details"}}`: `code` is stable, `message` '
        "English with the request's context, `message_zh` the code's fixed Chinese text.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # our own /api/docs below: packaged Swagger UI, no CDN, no inline script
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = store.db
    app.state.store = store
    app.state.reader = store.reader
    app.state.security_headers = SECURITY_HEADERS  # for the 500 pages the dashboard adds

    def session() -> AbstractContextManager[Ecoplan]:
        return store.reader()

    app.state.session = session
    auth = Auth(store.reader, secure_cookies=secure_cookies)
    app.state.auth = auth
    app.add_middleware(RetryReads)
    app.add_middleware(ResponseCache, generation=lambda: store.app().state())

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Any]) -> Response:
        size = request.headers.get("content-length")
        uploads = request.method in ("POST", "PUT") and request.url.path.startswith(UPLOAD_PATHS)
        limit = MAX_UPLOAD if uploads else MAX_BODY
        if size is not None and (not size.isdigit() or int(size) > limit):
            return JSONResponse(error_body("request_too_large", f"request body over {limit} bytes"), 413)
        response: Response = await call_next(request)
        return response

    app.add_middleware(SecurityHeaders)  # outermost: cached answers and 413s carry the headers too

    # Swagger UI (swagger-ui-dist from npm, copied by the Makefile) served from the package.
    app.mount("/api/static", StaticFiles(directory=Path(__file__).with_name("static")), name="api-static")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The API documentation, offline: Swagger UI from /api/static."""
        return HTMLResponse(DOCS_HTML)

    for exc_class, handler in error_answers(error_body).items():
        app.add_exception_handler(exc_class, handler)

    @app.exception_handler(InputFileError)
    async def bad_file(_: Request, exc: InputFileError) -> JSONResponse:
        details = [
            {
                "file": p.file,
                "sheet": p.sheet,
                "row": p.row,
                "field": p.field,
                "text": p.text,
                "reason": p.reason,
            }
            for p in exc.problems
        ]
        return JSONResponse(error_body("invalid_file", str(exc), details), 400)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.details), exc.status)

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(error_body("not_found", str(exc)), 404)

    @app.exception_handler(EcoplanError)
    async def bad_request(_: Request, exc: EcoplanError) -> JSONResponse:
        body = error_body("bad_request", str(exc))
        if exc.key is not None:
            body["error"]["message_zh"] = exc.message("zh")
        return JSONResponse(body, 400)

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, exc: StoreError) -> JSONResponse:
        _log.warning("%s %s: store error: %s", request.method, request.url.path, exc)
        return JSONResponse(STORE_UNAVAILABLE, 503, headers={"Retry-After": RETRY_AFTER})

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        _log.error("%s %s failed: %r", request.method, request.url.path, exc)  # traceback: uvicorn's log
        # a 500 is answered outside the middleware: it carries the security headers itself
        body = error_body("internal_error", "internal server error")
        return JSONResponse(body, 500, headers=SECURITY_HEADERS)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return JSONResponse(error_body("invalid_request", "invalid query or path parameters", details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code)

    @app.get("/api/v1/regions", tags=["regions"])
    def regions(
        request: Request,
        level: str | None = Query(None, pattern="^(national|province|prefecture|county)$"),
        parent: str | None = Query(None, pattern=r"^\d{6}$"),
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """GB/T 2260 regions (code order)."""
        with session() as ep:
            rows = [
                {
                    "code": r.code,
                    "name_zh": r.name_zh,
                    "name_en": r.name_en,
                    "level": r.level,
                    "parent": r.parent,
                }
                for r in ep.regions(level, parent)
            ]
        return page(request, rows, lambda r: r["code"], cursor, limit, format, "regions")

    @app.get("/api/v1/regions/{code}", tags=["regions"])
    def region(request: Request, code: str, format: str = JsonOnly) -> Response:
        with session() as ep:
            r = ep.region(code)
        return json_response(
            request,
            {
                "code": r.code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "level": r.level,
                "parent": r.parent,
            },
        )

    @app.get("/api/v1/plans", tags=["plans"])
    def plans(request: Request, cursor: str | None = None, limit: int = Limit, format: str = Fmt) -> Response:
        with session() as ep:
            rows = [plan_summary(p) for p in ep.plans()]
        if format != "json":
            flat = [
                {
                    **{k: v for k, v in r.items() if k != "period"},
                    "start": r["period"]["start"],
                    "end": r["period"]["end"],
                }
                for r in rows
            ]
            return export(flat, format, "plans")
        return page(request, rows, lambda r: str(r["id"]), cursor, limit, format, "plans")

    @app.get("/api/v1/plans/{plan_id}", tags=["plans"])
    def plan(request: Request, plan_id: str, format: str = JsonOnly) -> Response:
        with session() as ep:
            return json_response(request, plan_json(ep.definition(plan_id)))

    @app.get("/api/v1/plans/{plan_id}/indicators", tags=["plans"])
    def indicators(
        request: Request, plan_id: str, cursor: str | None = None, limit: int = Limit, format: str = Fmt
    ) -> Response:
        """The plan's indicators (the ``indicators`` of ``plans show``), in plan order."""
        with session() as ep:
            rows = plan_json(ep.definition(plan_id))["indicators"]
        for i, r in enumerate(rows):
            r["order"] = i + 1
        if format != "json":
            flat = [{k: v for k, v in r.items() if not isinstance(v, dict | list)} for r in rows]
            return export(flat, format, f"indicators-{plan_id}")
        return page(request, rows, lambda r: f"{r['order']:04d}", cursor, limit, format, "indicators")

    def _assess(
        ep: Ecoplan,
        plan_id: str,
        region: str | None,
        year: int | None,
        as_of: str | None,
        pending: dict[str, Any] | None = None,
    ) -> Any:
        p = ep.definition(plan_id)
        y = year if year is not None else p.end
        if not 1900 <= y <= 2200:
            raise ApiError(400, "bad_year", f"year {y} is out of range")
        if as_of is not None:
            try:
                dt.date.fromisoformat(as_of[:10])
            except ValueError:
                raise ApiError(400, "bad_as_of", "as_of must be a date YYYY-MM-DD") from None
        return ep.assess(plan_id, region or p.region, y, as_of, pending=pending)

    @app.get("/api/v1/plans/{plan_id}/assessment", tags=["assessment"])
    def assessment(
        request: Request,
        plan_id: str,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        year: int | None = None,
        as_of: str | None = None,
        lang: str = Query("zh", pattern="^(zh|en)$"),
        basis: str = Query("published", pattern="^(published|submitted)$"),
        format: str = JsonOnly,
    ) -> Response:
        """Per-indicator status, verdict and reason; summary; warnings (``?year=&as_of=``).

        ``basis=submitted`` (signed-in callers whose scope covers the region) lays the values
        of submissions not yet published over the published ones; the answer names the plan
        version and the basis."""
        who = auth.optional(request) if basis == "submitted" else None
        with session() as ep:
            pending = None
            if basis == "submitted":
                p = ep.definition(plan_id)
                ep.people.require(who, Role.VIEWER, region or p.region, "assessment.submitted")
                pending = ep.review.pending(plan_id, region or p.region)
            pa = _assess(ep, plan_id, region, year, as_of, pending)
            data = pa.to_dict()
            data["score"] = ep.score(pa).to_dict()
            data["plan_version"] = ep.plan_version(plan_id)
            data["basis"] = basis
            if basis == "submitted":
                return writes.private(data)
            return json_response(request, data)

    WarnLevel = Query(None, pattern="^(red|amber|watch)$", description="red, amber or watch")
    RegionLevel = Query(None, pattern="^(national|province|prefecture|county)$")

    def _warning_page(
        request: Request,
        plan_id: str | None,
        year: int | None,
        level: str | None,
        region_level: str | None,
        cursor: str | None,
        limit: int,
        format: str,
    ) -> Response:
        offset = 0
        if cursor is not None:
            if not cursor.isdigit():
                raise ApiError(
                    400, "invalid_cursor", f"cursor {cursor!r} does not point into this collection"
                )
            offset = int(cursor)
        with session() as ep:
            wp = ep.warnings(
                plan_id,
                year,
                level=level,
                region_level=region_level,
                offset=0 if format != "json" else offset,
                limit=None if format != "json" else limit,
            )
        if format != "json":
            return export(wp.items, format, f"warnings-{plan_id or 'all'}")
        if cursor is not None and offset >= max(wp.total, 1):
            raise ApiError(400, "invalid_cursor", f"cursor {cursor!r} does not point into this collection")
        nxt = offset + len(wp.items)
        return json_response(
            request,
            {
                "items": wp.items,
                "next_cursor": str(nxt) if nxt < wp.total else None,
                "total": wp.total,
                "counts": wp.counts,
            },
        )

    @app.get("/api/v1/plans/{plan_id}/warnings", tags=["assessment"])
    def warnings(
        request: Request,
        plan_id: str,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        year: int | None = None,
        level: str | None = WarnLevel,
        region_level: str | None = RegionLevel,
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """Warnings of one region (``?region=``), or of every region of the plan in ``?year=``
        (default: each region's latest year with a value), most severe first."""
        if region is None:
            return _warning_page(request, plan_id, year, level, region_level, cursor, limit, format)
        with session() as ep:
            pa = _assess(ep, plan_id, region, year, None)
            items = pa.to_dict()["warnings"]
        if format != "json":
            return export(items, format, f"warnings-{plan_id}")
        return json_response(request, {"items": items, "next_cursor": None, "total": len(items)})

    @app.get("/api/v1/warnings", tags=["assessment"])
    def all_warnings(
        request: Request,
        year: int | None = None,
        level: str | None = WarnLevel,
        region_level: str | None = RegionLevel,
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """Every plan's warnings of every region (the dispatch view), most severe first, paged."""
        return _warning_page(request, None, year, level, region_level, cursor, limit, format)

    @app.get("/api/v1/plans/{plan_id}/decompositions", tags=["plans"])
    def decompositions(request: Request, plan_id: str, format: str = Fmt) -> Response:
        """Targets the plan hands down to regions (逐级分解), with their source."""
        with session() as ep:
            ep.definition(plan_id)
            rows = ep.decompositions(plan_id)
        if format != "json":
            return export(rows, format, f"decompositions-{plan_id}")
        return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})

    @app.get("/api/v1/plans/{plan_id}/ranking", tags=["assessment"])
    def ranking(
        request: Request,
        plan_id: str,
        year: int | None = None,
        level: str | None = Query(None, pattern="^(province|prefecture|county)$"),
        format: str = Fmt,
    ) -> Response:
        """Regions of one level ranked (default level: the highest below the plan's region)."""
        with session() as ep:
            p = ep.definition(plan_id)
            rows = [vars(r) for r in ep.rank(plan_id, year or p.end, level=level)]
        if format != "json":
            return export(rows, format, f"ranking-{plan_id}")
        return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})

    @app.get("/api/v1/values", tags=["values"])
    def values(
        request: Request,
        plan: str | None = None,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        indicator: str | None = None,
        history: bool = False,
        cursor: str | None = None,
        limit: int = Limit,
        format: str = Fmt,
    ) -> Response:
        """Indicator values (latest revision, or every revision with ``history``)."""
        with session() as ep:
            rows = ep.values(plan, region, indicator, history=history)

        def key(r: dict[str, Any]) -> str:
            return (
                f"{r['plan_id']}|{r['indicator_id']}|{r['region']}|{r['year']:04d}|{r.get('revision', 0):04d}"
            )

        return page(request, rows, key, cursor, limit, format, "values")

    app.include_router(writes.router(store.app, auth), prefix="/api/v1")
    app.include_router(subscriptions.router(store.app, auth.writer, auth.required), tags=["accounts"])
    app.include_router(lineage.router(session), tags=["plans"])

    for d in domains():
        if d.routes is not None:
            app.include_router(load(d.routes)(session), prefix=f"/api/v1/{d.name}", tags=[d.name])

    return app

"""Error answers: JSON for the API (``/api/…``, ``?format=json``), a page in the
visitor's language for the dashboard (404, 400, 503, 500), words from the catalog.

The error's own message follows the catalog's sentence when it is in the page's language
(an English message on an English page, nothing of another language); otherwise the
catalog's sentence stands alone.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ecoplan.core.errors import EcoplanError, NotFound, StoreError
from ecoplan.core.words import Words
from ecoplan.core.words.purity import foreign
from ecoplan.web.common import lang_of
from ecoplan.web.templating import render

__all__ = ["error_page", "register"]

_log = logging.getLogger("ecoplan.web")
#: status -> (heading word, sentence word)
_WORDS = {
    400: ("error.bad_request", "error.web.bad_request"),
    404: ("error.not_found", "error.web.not_found"),
    500: ("error.internal", "error.web.internal"),
    503: ("error.store_unavailable.title", "error.store_unavailable.text"),
}


def error_page(status: int, lang: str, detail: object = None, **kw: Any) -> HTMLResponse:
    """The error page of ``status`` in ``lang`` (``detail`` shown when it is in ``lang``)."""
    w = Words(lang)
    if isinstance(detail, EcoplanError) and detail.key is not None:
        shown: str | None = detail.message(lang)  # a worded error speaks the page's language
    else:
        shown = None if detail is None else str(detail)
    if shown is not None and foreign(shown, lang):
        shown = None
    heading, text = _WORDS[status]
    body = render(
        "error.html",
        status=status,
        lang=lang,
        w=w,
        heading=w(heading),
        text=w(text),
        detail=shown,
    )
    return HTMLResponse(body, status, **kw)


def _html_only(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/admin/")) and (
        request.query_params.get("format") != "json"
    )


def register(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"code": "not_found", "message": str(exc), "details": None}}, 404)
        return error_page(404, lang_of(request), exc)

    @app.exception_handler(EcoplanError)
    async def bad(request: Request, exc: EcoplanError) -> Response:
        if request.url.path.startswith("/api/"):
            zh = exc.message("zh") if exc.key is not None else str(exc)
            body = {"error": {"code": "bad_request", "message": str(exc), "message_zh": zh, "details": None}}
            return JSONResponse(body, 400)
        return error_page(400, lang_of(request), exc)

    @app.exception_handler(StoreError)
    async def unavailable(request: Request, exc: StoreError) -> Response:
        _log.warning("%s %s: store error: %s", request.method, request.url.path, exc)
        headers = {"Retry-After": "5"}
        if not _html_only(request):
            message = "the data store is busy or unavailable; retry shortly"
            body = {"error": {"code": "store_unavailable", "message": message, "details": None}}
            return JSONResponse(body, 503, headers=headers)
        return error_page(503, lang_of(request), headers=headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # answered outside the app's middleware: the security headers are added here
        security: dict[str, str] = getattr(request.app.state, "security_headers", {})
        _log.error("%s %s failed: %r", request.method, request.url.path, exc)  # traceback: uvicorn's log
        if not _html_only(request):
            body = {"error": {"code": "internal_error", "message": "internal server error", "details": None}}
            return JSONResponse(body, 500, headers=security)
        return error_page(500, lang_of(request), headers=security)

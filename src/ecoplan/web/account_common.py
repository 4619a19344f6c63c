"""What the account pages share (issue #12): who is signed in, the answers they give
(a page, a redirect, a worded refusal) and the app's single writer.

A page for a signed-in visitor is private (``Cache-Control: private, no-store``, set
by :class:`~ecoplan.web.account.Visitors` for every request carrying the session
cookie). A form that changes anything carries the session's CSRF token in its ``csrf``
field; :func:`signed_in` hands it to :mod:`ecoplan.kit.auth` before resolving the
session, which refuses a missing or wrong one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal
from ecoplan.core.errors import (
    Conflict,
    EcoplanError,
    Forbidden,
    InputFileError,
    NotFound,
    RateLimited,
    Unauthorized,
)
from ecoplan.core.regions import bundled_regions
from ecoplan.core.words import word
from ecoplan.kit.auth import SESSION_COOKIE, Auth, client_of
from ecoplan.web.common import VISITOR, Visitor, lang_of, page

__all__ = [
    "PRIVATE",
    "SESSION_COOKIE",
    "Auth",
    "auth_of",
    "client_of",
    "go",
    "private",
    "refusal",
    "signed_in",
    "status_of",
    "visitor_for",
    "write",
]

PRIVATE = {"Cache-Control": "private, no-store"}
T = TypeVar("T")


def auth_of(request: Request) -> Auth:
    """The server's :class:`~ecoplan.kit.auth.Auth` (``app.state.auth``, made by the API)."""
    auth: Auth = request.app.state.auth
    return auth


def visitor_for(principal: Principal, csrf: str | None) -> Visitor:
    """The header's view of ``principal`` (name, role, the name of their region)."""
    r = bundled_regions().get(principal.region)
    return Visitor(
        principal, csrf, r.name_zh if r else principal.region, r.name_en if r else principal.region
    )


def signed_in(request: Request, csrf: str | None) -> Principal:
    """The principal of a form post: a live session whose CSRF token is ``csrf`` (else
    :class:`Unauthorized` / :class:`Forbidden`), under the write rate limit."""
    request.state.form_csrf = csrf or ""
    who = auth_of(request).writer(request)
    VISITOR.set(visitor_for(who, getattr(request.state, "csrf", None)))
    return who


def write(request: Request, fn: Callable[[Ecoplan], T]) -> T:
    """Run ``fn`` with the server's app under its single writer."""
    with request.app.state.store.app().writer() as w:
        result: T = fn(w)
        return result


def go(path: str, lang: str, **params: Any) -> RedirectResponse:
    """A 303 to ``path`` in ``lang`` (after a form post: the browser GETs the result)."""
    query = {k: v for k, v in {**params, "lang": lang}.items() if v is not None}
    return RedirectResponse(f"{path}?{urlencode(query)}", 303, headers=PRIVATE)


def status_of(exc: Exception) -> int:
    for cls, status in (
        (Unauthorized, 401),
        (Forbidden, 403),
        (NotFound, 404),
        (Conflict, 409),
        (RateLimited, 429),
    ):
        if isinstance(exc, cls):
            return status
    return 400


def refusal(request: Request, exc: EcoplanError, *, back: str | None = None) -> HTMLResponse:
    """A page saying, in the visitor's language, why the act was refused (nothing was
    written), with the right status (401, 403, 404, 409, 429 with ``Retry-After``, 400)."""
    lang = lang_of(request)
    status = status_of(exc)
    headers = dict(PRIVATE)
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    problems = exc.problems if isinstance(exc, InputFileError) else []
    resp = page(
        "account/message.html",
        word("account.title.refused", lang),
        lang,
        request.url.path,
        status=status,
        heading_key=f"account.refused.{status}",
        text=None if problems else exc.message(lang),
        problems=problems,
        back=back,
    )
    resp.status_code = status
    resp.headers.update(headers)
    return resp


def private(resp: Response) -> Response:
    resp.headers.update(PRIVATE)
    return resp

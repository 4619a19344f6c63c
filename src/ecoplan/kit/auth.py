"""Who is asking: the principal of a request, CSRF, and the error answers (issue #12).

A request proves who it is with an API token (``Authorization: Bearer ecp_…``, for
machines) or a web session (the ``ecoplan_session`` cookie: HttpOnly, SameSite=Lax,
Secure when served over TLS). A bad token is a 401 — never silently anonymous. A
cookie-authenticated request that changes anything must carry the session's CSRF token
(header ``X-CSRF-Token``, or the ``csrf`` field of a form), the synchronizer-token
pattern of the OWASP CSRF cheat sheet; a token-authenticated one needs none (a browser
never sends a bearer token on its own). Sign-in failures and writes are rate-limited
(:mod:`ecoplan.kit.ratelimit`).

Every write route declares the role it needs in its OpenAPI operation
(``x-ecoplan-role``) and whether it writes an audit row (``x-ecoplan-audit``); a test walks
the OpenAPI document and proves the permission matrix for each.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import JSONResponse

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import Conflict, EcoplanError, Forbidden, RateLimited, Unauthorized
from ecoplan.kit.ratelimit import SIGNIN_ACCOUNT, SIGNIN_CLIENT, WRITES, Limiter, signin_keys

__all__ = [
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Auth",
    "SubmissionId",
    "client_of",
    "error_answers",
    "role_extra",
]

SESSION_COOKIE = "ecoplan_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


#: A submission id in a path: a positive 32-bit integer (a larger one is a 422, never a
#: database error).
SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def role_extra(role: str, *, audit: bool = True) -> dict[str, Any]:
    """The OpenAPI extension of a write route: the role it needs and whether it audits."""
    return {"x-ecoplan-role": role, "x-ecoplan-audit": audit}


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class Auth:
    """The request's principal, resolved once (``request.state.principal``), through a
    snapshot reader of the app (``reader``)."""

    def __init__(self, reader: Callable[[], Any], secure_cookies: bool = False) -> None:
        self.reader = reader
        self.secure_cookies = secure_cookies
        self.signin_account = SIGNIN_ACCOUNT.limiter()
        self.signin_client = SIGNIN_CLIENT.limiter()
        self.writes: Limiter = WRITES.limiter()

    # -- resolving -----------------------------------------------------------------
    def resolve(self, request: Request) -> Principal | None:
        """The principal, or None for an anonymous request; :class:`Unauthorized` for a bad
        token (a stale session cookie is anonymous for reads, a 401 for writes)."""
        if "principal" in request.state._state:
            p: Principal | None = request.state.principal
            return p
        source = client_of(request)
        principal: Principal | None = None
        csrf: str | None = None
        header = request.headers.get("authorization")
        if header is None and SESSION_COOKIE not in request.cookies:
            request.state.principal = None
            request.state.csrf = None
            return None
        what = f"{request.method} {request.url.path}"
        with self.reader() as ep:
            try:
                if header is not None:
                    scheme, _, raw = header.partition(" ")
                    if scheme.lower() != "bearer" or not raw.strip():
                        raise Unauthorized.worded("access.error.bad_token")
                    principal = ep.people.principal_for_token(raw.strip(), source)
                elif (sid := request.cookies.get(SESSION_COOKIE)) is not None:
                    try:
                        principal, csrf = ep.people.session(sid, source)
                    except Unauthorized:
                        if request.method in _SAFE:
                            principal = None  # a stale cookie reads as anonymous
                        else:
                            raise
            except Unauthorized as exc:
                ep.audit.append(
                    None,
                    "auth.token" if header is not None else "auth.session",
                    outcome="denied",
                    target=what[:200],
                    source=source,
                    after={"reason": exc.key or str(exc)},
                )
                raise
            request.state.principal = principal
            request.state.csrf = csrf
            if principal is not None and principal.via == "session" and request.method not in _SAFE:
                got = request.headers.get(CSRF_HEADER) or getattr(request.state, "form_csrf", None) or ""
                if not csrf or not secrets.compare_digest(got.encode(), csrf.encode()):
                    ep.audit.denied(principal, "auth.csrf", "missing or wrong CSRF token", target=what[:200])
                    raise Forbidden.worded("access.error.csrf")
        return principal

    # -- dependencies ------------------------------------------------------------------
    def optional(self, request: Request) -> Principal | None:
        return self.resolve(request)

    def required(self, request: Request) -> Principal:
        p = self.resolve(request)
        if p is None:
            raise Unauthorized.worded("access.error.signin")
        return p

    def writer(self, request: Request) -> Principal:
        """A signed-in principal allowed one more write now (else 429)."""
        p = self.required(request)
        wait = self.writes.hit(p.user, time.monotonic())
        if wait is not None:
            exc = RateLimited.worded("access.error.rate_limited", seconds=max(1, round(wait)))
            exc.retry_after = wait
            raise exc
        return p

    def role(self, needed: Role) -> Callable[[Request], Principal]:
        """A dependency: a writer whose role includes ``needed`` (403 and an audit row if not)."""

        def dep(request: Request) -> Principal:
            p = self.writer(request)
            if not p.can(needed):
                with self.reader() as ep:
                    ep.people.require(p, needed, None, f"{request.method} {request.url.path}")
            return p

        return dep

    # -- sign-in -------------------------------------------------------------------------
    def signin(self, app: Ecoplan, name: str, password: str, source: str) -> Principal:
        """Check a password under the sign-in limits: while one refuses, a 429 before the
        password is even checked; a failure counts against both."""
        account_key, client_key = signin_keys(name, source)
        now = time.monotonic()
        wait = max(
            self.signin_account.wait(account_key, now) or 0.0, self.signin_client.wait(client_key, now) or 0.0
        )
        if wait > 0:
            app.audit.append(
                name[:64] or None,
                "auth.login",
                outcome="denied",
                source=source,
                after={"reason": "rate limited"},
            )
            exc = RateLimited.worded("access.error.rate_limited", seconds=max(1, round(wait)))
            exc.retry_after = wait
            raise exc
        try:
            return app.people.sign_in(name, password, source)
        except Unauthorized:
            self.signin_account.hit(account_key, now)
            self.signin_client.hit(client_key, now)
            raise


def error_answers(
    error_body: Callable[..., dict[str, Any]],
) -> dict[type[EcoplanError], Callable[[Request, Any], Any]]:
    """Exception handlers: 401 (with ``WWW-Authenticate``), 403, 409, 429 (``Retry-After``)."""

    def answer(status: int, code: str) -> Callable[[Request, Any], Any]:
        async def handler(request: Request, exc: Any) -> JSONResponse:
            headers = {}
            if status == 401:
                headers["WWW-Authenticate"] = 'Bearer realm="ecoplan"'
            if status == 429:
                headers["Retry-After"] = str(max(1, round(getattr(exc, "retry_after", 60))))
            body = error_body(code, str(exc))
            body["error"]["message_zh"] = exc.message("zh")
            return JSONResponse(body, status, headers=headers)

        return handler

    return {
        Unauthorized: answer(401, "unauthorized"),
        Forbidden: answer(403, "forbidden"),
        Conflict: answer(409, "conflict"),
        RateLimited: answer(429, "rate_limited"),
    }

"""Security headers on every response of the public app (issue #9).

A Content-Security-Policy that allows scripts, styles, fonts and fetches from the
app's own origin only: no inline ``<script>``, no ``eval``, no ``<style>`` element,
no plugins, no ``<base>``, no framing. Style *attributes* stay allowed
(``style-src-attr``): ECharts and Swagger UI position their tooltips and panels with
them; they cannot run script. Plus ``X-Content-Type-Options: nosniff`` and
``Referrer-Policy: same-origin``. Over TLS (the request's scheme is ``https``: ``ecoplan
serve --tls-cert … --tls-key …``, or a trusted proxy's ``X-Forwarded-Proto``) also
``Strict-Transport-Security`` (:data:`HSTS`, issue #12): browsers then refuse plain HTTP
to this host for a year. Never over plain HTTP, where it would mean nothing (and a
browser ignores it).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "HSTS", "SECURITY_HEADERS", "SecurityHeaders"]

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
#: Strict-Transport-Security of a response over TLS: one year (not the subdomains: other
#: services of the same domain are not ecoplan's to decide).
HSTS = "max-age=31536000"
_HSTS = (b"strict-transport-security", HSTS.encode("latin-1"))


class SecurityHeaders:
    """ASGI middleware: add :data:`SECURITY_HEADERS` to every HTTP response, and
    :data:`HSTS` to those over TLS (a header the app already set is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        extra = [*_RAW, _HSTS] if scope.get("scheme") == "https" else _RAW

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in extra if k not in have)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

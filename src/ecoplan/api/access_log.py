"""The access log of ``ecoplan serve``: one line per request, appended to a file.

A line is space-separated, in this order::

    2026-12-06T09:51:14.123Z 127.0.0.1 GET /api/v1/plans 200 1532 4.2ms alice

time the request arrived (UTC), client address, method, path, status, bytes of the body
sent, duration, and the user when the request was signed in (``request.state.principal``,
set by the API's authentication; ``-`` otherwise). The path is the raw path as sent,
**without the query string**: a query may carry a token or a password, and the log must
not. Bytes outside printable ASCII are percent-escaped, so a request cannot forge a line
of its own. A request that ended without a response (the client went away) is logged
with status ``-``.

The file is opened for appending, readable by its owner only (it holds addresses and
user names); each line is one ``write`` under a lock, so lines never interleave.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog", "LogFile", "format_line"]


class Sink(Protocol):
    def write_line(self, line: str) -> None: ...


class LogFile:
    """An append-only text file of lines (created mode 0600); thread-safe."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._fh = os.fdopen(fd, "a", encoding="utf-8", buffering=1)

    def write_line(self, line: str) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.write(line + "\n")

    def close(self) -> None:
        with self._lock:
            self._fh.close()


def _safe(text: str | bytes) -> str:
    """Printable ASCII as is; any other byte (space, control, non-ASCII: UTF-8) as ``%XX``."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    return "".join(chr(b) if 0x21 <= b <= 0x7E else f"%{b:02X}" for b in raw)


def _user(scope: Scope) -> str:
    state = scope.get("state")
    principal = state.get("principal") if isinstance(state, dict) else None
    user = getattr(principal, "user", None)
    return _safe(str(user)) if user else "-"


def format_line(
    at: dt.datetime,
    client: str,
    method: str,
    path: str | bytes,
    status: int | None,
    size: int,
    ms: float,
    user: str,
) -> str:
    """One line of the log (see the module docstring)."""
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
    code = str(status) if status is not None else "-"
    return " ".join(
        (stamp, _safe(client) or "-", _safe(method), _safe(path) or "/", code, str(size), f"{ms:.1f}ms", user)
    )


class AccessLog:
    """ASGI middleware: write a line to ``sink`` for every HTTP request once it has ended."""

    def __init__(self, app: ASGIApp, sink: Sink) -> None:
        self.app, self.sink = app, sink

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # one dict for every layer below: request.state
        at = dt.datetime.now(dt.UTC)
        start = time.perf_counter()
        status: int | None = None
        size = 0

        async def counting(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            client: Any = scope.get("client")
            raw = scope.get("raw_path")
            path: str | bytes = raw if isinstance(raw, bytes) else str(scope.get("path", ""))
            path = path.split(b"?", 1)[0] if isinstance(path, bytes) else path.split("?", 1)[0]
            self.sink.write_line(
                format_line(
                    at,
                    str(client[0]) if client else "-",
                    str(scope.get("method", "-")),
                    path,
                    status,
                    size,
                    (time.perf_counter() - start) * 1000,
                    _user(scope),
                )
            )

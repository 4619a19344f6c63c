"""Responses kept per state of the store: a page is computed once per write, not per request.

Every page and API answer is a function of the store; the store changes only when the
app commits a write (:meth:`ecoplan.store.catalog.Catalog.state`: None once the store is
closed, and nothing is then served from memory). This ASGI
middleware keeps the last successful answer of each ``GET`` URL (path and query) with
the commit count it was computed at, and serves it again until the next commit. A
request that asks for revalidation (``If-None-Match``), goes to ``/admin`` or
``/static``, or is signed in (a bearer token or a session cookie) passes through.
Bounded: at most ``max_entries`` answers of at most
``max_body`` bytes each, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]


class ResponseCache:
    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], int | None],
        max_entries: int = 2048,
        max_body: int = 4_000_000,
    ) -> None:
        self.app, self.generation = app, generation
        self.max_entries, self.max_body = max_entries, max_body
        self.entries: OrderedDict[tuple[str, bytes], tuple[int, dict[str, Any], bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].startswith(("/admin", "/static"))
            or any(k == b"if-none-match" for k, _ in scope.get("headers", ()))
            or any(  # a signed-in caller's answer is theirs: never kept, never served to another
                k == b"authorization" or (k == b"cookie" and b"ecoplan_session=" in v)
                for k, v in scope.get("headers", ())
            )
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        gen = self.generation()
        if gen is None:  # the store is closed: no answer from memory
            self.entries.clear()
            await self.app(scope, receive, send)
            return
        hit = self.entries.get(key)
        if hit is not None and hit[0] == gen:
            self.entries.move_to_end(key)
            start = dict(hit[1])
            start["headers"] = [*start["headers"], (b"x-ecoplan-cache", b"hit")]
            await send(start)
            await send({"type": "http.response.body", "body": hit[2], "more_body": False})
            return
        start_msg: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start_msg.update(message)
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                size += len(body)
                if size <= self.max_body:
                    chunks.append(body)
                done = not message.get("more_body", False) and start_msg.get("status") == 200
                if done and size <= self.max_body and self.generation() == gen:
                    self.entries[key] = (gen, dict(start_msg), b"".join(chunks))
                    self.entries.move_to_end(key)
                    while len(self.entries) > self.max_entries:
                        self.entries.popitem(last=False)
            await send(message)

        await self.app(scope, receive, capture)

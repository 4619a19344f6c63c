"""The response cache serves an answer again only while the store has not changed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ecoplan.api.cache import ResponseCache


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


class Client:
    """Calls the ASGI app in-process (one request, whole answer)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        path, _, query = url.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        asyncio.run(self.app(scope, receive, send))
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        hdrs = {k.decode(): v.decode() for k, v in start["headers"]}
        return Answer(start["status"], hdrs, body.decode())


def make(state: dict[str, int | None]) -> tuple[Client, dict[str, int]]:
    calls = {"n": 0}

    def page(request: Request) -> PlainTextResponse:
        calls["n"] += 1
        status = 404 if request.url.path == "/missing" else 200
        return PlainTextResponse(f"answer {calls['n']} {request.url.query}", status_code=status)

    app = Starlette(routes=[Route("/{p:path}", page)])
    app.add_middleware(ResponseCache, generation=lambda: state["gen"], max_entries=2)
    return Client(app), calls


def test_an_answer_is_served_again_until_the_next_commit() -> None:
    state: dict[str, int | None] = {"gen": 1}
    client, calls = make(state)
    first = client.get("/rankings?lang=en")
    again = client.get("/rankings?lang=en")
    assert first.text == again.text == "answer 1 lang=en" and calls["n"] == 1
    assert again.headers["x-ecoplan-cache"] == "hit" and "x-ecoplan-cache" not in first.headers
    assert client.get("/rankings?lang=zh").text == "answer 2 lang=zh"  # the query is part of the key
    state["gen"] = 2  # a write committed
    assert client.get("/rankings?lang=en").text == "answer 3 lang=en"


def test_errors_revalidation_and_a_closed_store_are_never_served_from_memory() -> None:
    state: dict[str, int | None] = {"gen": 1}
    client, calls = make(state)
    client.get("/missing")
    client.get("/missing")
    assert calls["n"] == 2  # a 404 is not kept
    client.get("/a")
    client.get("/a", headers={"If-None-Match": '"x"'})
    assert calls["n"] == 4
    state["gen"] = None
    client.get("/a")
    assert calls["n"] == 5


def test_the_cache_is_bounded() -> None:
    client, calls = make({"gen": 1})
    for p in ("/a", "/b", "/c", "/a"):
        client.get(p)
    assert calls["n"] == 4  # /a was the least recently used of three, with room for two

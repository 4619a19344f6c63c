"""The admin endpoint of ``ecoplan serve``: CLI commands run inside the server that owns the store.

``POST /admin/v1/run`` with ``{"argv": [...], "cwd": "...", "db": "..."}`` and the
token of the server file in ``X-Ecoplan-Token`` runs the command line in the server
process against its app and answers ``{"exit_code", "stdout", "stderr"}``. It is a
separate application, served on 127.0.0.1 only, absent from the public OpenAPI; it
refuses any client that is not on the loopback interface, and any request without
the token (403). How a command runs is injected by the composition root (the CLI):
this package never imports it.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ecoplan.api.app import error_body

__all__ = ["TOKEN_HEADER", "AdminHook", "create_admin_app"]

TOKEN_HEADER = "X-Ecoplan-Token"
MAX_ARGS = 500
MAX_ARG = 10_000


@dataclass(frozen=True)
class AdminHook:
    """What the admin endpoint needs: the token, the database it serves (absolute,
    symlinks resolved) and ``run(argv, cwd) -> (exit code, stdout, stderr)``."""

    token: str
    db: str
    run: Callable[[list[str], str], tuple[int, str, str]]


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_admin_app(hook: AdminHook) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    def refuse(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse(error_body(code, message), status)

    @app.post("/admin/v1/run", include_in_schema=False)
    async def run(request: Request) -> JSONResponse:
        if not _loopback(request.client.host if request.client else None):
            return refuse(403, "forbidden", "the admin endpoint answers local clients only")
        token = request.headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(token.encode(), hook.token.encode()):
            return refuse(403, "forbidden", "missing or wrong admin token")
        try:
            body: Any = await request.json()
            argv, cwd, db = body["argv"], body["cwd"], body["db"]
        except (ValueError, KeyError, TypeError):
            return refuse(400, "bad_request", 'expected {"argv": [...], "cwd": "...", "db": "..."}')
        if (
            not isinstance(argv, list)
            or len(argv) > MAX_ARGS
            or not all(isinstance(a, str) and len(a) <= MAX_ARG for a in argv)
            or not isinstance(cwd, str)
            or not os.path.isabs(cwd)
            or not isinstance(db, str)
        ):
            return refuse(400, "bad_request", "argv must be a list of strings, cwd an absolute path")
        if os.path.realpath(db) != hook.db:
            return refuse(409, "other_store", "this server serves another database")
        code, out, err = await run_in_threadpool(hook.run, argv, cwd)
        return JSONResponse({"exit_code": code, "stdout": out, "stderr": err})

    return app

"""What every command shares: consoles, the --db option, error exit, JSON output."""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import AbstractContextManager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ecoplan.app import Ecoplan, default_db_path
from ecoplan.core.errors import StoreBusy
from ecoplan.kit import server as _server

__all__ = ["DbOpt", "LangOpt", "_dump_json", "_fail", "_session", "err", "open_store", "out", "set_wait"]

out = Console(soft_wrap=False, width=200)
# Errors are never hard-wrapped: one line per problem, greppable in CI logs.
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database file [env ECOPLAN_DB, default ./ecoplan.duckdb]")
]
LangOpt = Annotated[str, typer.Option("--lang", help="zh or en")]


#: Seconds to wait for a store another process holds (``ecoplan --wait``, $ECOPLAN_WAIT).
DEFAULT_WAIT = 120.0
_wait = [DEFAULT_WAIT]


def set_wait(seconds: float) -> None:
    _wait[0] = max(0.0, seconds)


def _forward_if_served(path: str) -> None:
    """When ``ecoplan serve`` owns ``path``, run this command line there and exit with its status."""
    argv = _server.ARGV.get()
    info = _server.live_server(path)
    if argv is None or info is None:
        return
    err.print(f"sent to the running server (pid {info.pid})", highlight=False)
    res = _server.forward(info, argv, os.getcwd())
    if res is None:
        err.print("the server does not answer; opening the store directly", highlight=False)
        return
    _server.print_forwarded(res)
    raise typer.Exit(res.code)


def open_store(path: str, *, forward: bool = True) -> Ecoplan:
    """Open the store read-write; while another process holds it, say so and retry
    (forwarding to a server that starts meanwhile) until the wait runs out."""
    if forward:
        _forward_if_served(path)
    said = [-1.0]

    def waiting(waited: float, exc: StoreBusy) -> None:
        if forward:
            _forward_if_served(path)
        if said[0] < 0 or time.monotonic() - said[0] >= 10:
            who = f"process {exc.pid}" if exc.pid else "another process"
            err.print(
                f"waiting for the store {path} (held by {who}, maybe another ecoplan command); "
                f"{_wait[0] - waited:.0f} s left",
                highlight=False,
            )
            said[0] = time.monotonic()

    try:
        return Ecoplan(path, wait=_wait[0], on_wait=waiting)
    except StoreBusy as exc:
        who = f"process {exc.pid}" if exc.pid else "another process"
        waited = f" after waiting {exc.waited:.0f} s" if exc.waited else ""
        _fail(
            f"the store {path} is still in use by {who}{waited}; try again when it has finished, "
            "or wait longer with --wait SECONDS / ECOPLAN_WAIT"
        )


def _session(db: str | None) -> AbstractContextManager[Ecoplan]:
    """The store for one command: inside ``ecoplan serve`` its app (one writer at a
    time); else, when a server owns the file, the command runs there; else the file,
    opened read-write (waiting while another process holds it)."""
    attached = _server.ATTACHED.get()
    if attached is not None:
        return attached.writer()
    return open_store(db or default_db_path())


def _fail(exc: Exception | str) -> NoReturn:
    # The message carries user text (file names, plan and indicator names, values):
    # escaped, so "[/]" or "[red]x" in it print as written instead of being Rich markup.
    err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
    raise typer.Exit(1)


def _dump_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")

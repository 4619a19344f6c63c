"""What every command shares: consoles, the --db option, error exit, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ecoplan.session import Ecoplan
from ecoplan.store.catalog import default_db_path

__all__ = ["DbOpt", "LangOpt", "_dump_json", "_fail", "_session", "err", "out"]

out = Console(soft_wrap=False, width=200)
# Errors are never hard-wrapped: one line per problem, greppable in CI logs.
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database file [env ECOPLAN_DB, default ./ecoplan.duckdb]")
]
LangOpt = Annotated[str, typer.Option("--lang", help="zh or en")]


def _session(db: str | None) -> Ecoplan:
    return Ecoplan(db or default_db_path())


def _fail(exc: Exception) -> NoReturn:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    raise typer.Exit(1)


def _dump_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")

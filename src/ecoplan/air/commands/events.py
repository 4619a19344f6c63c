"""``ecoplan air events import|list``: exceptional events (sand-dust …)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import OutFmt, events_app
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, _dump_json, _fail, _session, out


@events_app.command("import")
def events_import(file: Path, db: DbOpt = None) -> None:
    """Import exceptional events: region, start[, end], kind[, pollutants, approved, note]. / 导入例外事件"""
    try:
        with _session(db) as ep:
            new, changed = ep.air.import_events(file)
    except EcoplanError as exc:
        _fail(exc)
    out.print(f"{file}: {new} new event-days, {changed} changed", markup=False)


@events_app.command("list")
def events_list(
    region: Annotated[str | None, typer.Option(help="Region code")] = None,
    db: DbOpt = None,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.table,
) -> None:
    """List exceptional events. / 例外事件列表"""
    try:
        with _session(db) as ep:
            df = ep.air.events(region)
    except EcoplanError as exc:
        _fail(exc)
    if fmt is OutFmt.json:
        _dump_json(json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False)))
        return
    t = Table("region", "day", "kind", "approved", "pollutants", "note")
    for r in df.itertuples(index=False):
        polls = ",".join(p for p in ("pm25", "pm10", "so2", "no2", "co", "o3") if getattr(r, p))
        t.add_row(
            str(r.region),
            str(r.day),
            escape(str(r.kind)),
            "yes" if r.approved else "no",
            polls,
            escape(str(r.note or "")),
        )
    out.print(t)

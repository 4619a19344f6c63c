"""``ecoplan air events import|list``: exceptional events (sand-dust …)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import events_app, symbols
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, place, words
from ecoplan.kit.options import TableFmt

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co", "o3")


@events_app.command("import")
def events_import(file: Path, lang: LangOpt = "zh", db: DbOpt = None) -> None:
    """Import exceptional events: region, start[, end], kind[, pollutants, approved, note]. / 导入例外事件"""
    try:
        with _session(db, lang) as ep:
            new, changed = ep.air.import_events(file)
    except EcoplanError as exc:
        _fail(exc, lang)
    out.print(words(lang)("air.cli.events_imported", file=str(file), new=new, changed=changed), markup=False)


@events_app.command("list")
def events_list(
    region: Annotated[str | None, typer.Option(help="Region code")] = None,
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List exceptional events. / 例外事件列表"""
    try:
        with _session(db, lang) as ep:
            df = ep.air.events(region)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json(json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False)))
        return
    w = words(lang)
    t = Table(
        w("header.region"),
        w("header.day"),
        w("air.cli.header.event_kind"),
        w("air.cli.header.approved"),
        w("air.cli.header.pollutants"),
        w("header.note"),
    )
    for r in df.itertuples(index=False):
        code, kind = str(r.region), str(r.kind)
        t.add_row(
            escape(place(names.get(code), code, lang)),
            f"{r.day:%Y-%m-%d}",
            escape(w.get(f"air.cli.event_kind.{kind}", kind)),
            w("label.yes" if r.approved else "label.no"),
            symbols([p for p in POLLUTANTS if getattr(r, p)], lang),
            escape(str(r.note or "")),  # as written in the events file
        )
    out.print(t)

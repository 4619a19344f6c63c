"""``ecoplan risk import|sources|targets|plans|rivers|rejects``: the registries.

``import KIND FILE…`` (sources, targets or plans: CSV, XLSX or GeoJSON; rivers: CSV,
GeoJSON, YAML/JSON) stores the rows and lists the rejects with their reasons; the lists
print as a table, JSON or CSV.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text
from ecoplan.core.words import Words
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, say, words

__all__ = ["register"]


class Kind(StrEnum):
    sources = "sources"
    targets = "targets"
    plans = "plans"
    rivers = "rivers"


class ListFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FmtOpt = Annotated[ListFmt, typer.Option("--format", help="table, json or csv")]

#: The columns each list shows in a table (all of them go to JSON and CSV).
_TABLE_COLS = {
    "sources": ("source_id", "name", "region", "level", "air_level", "water_level", "graded_on"),
    "targets": ("target_id", "name", "kind", "region", "lon", "lat", "population"),
    "plans": ("plan_id", "source_id", "source_name", "title", "filed_on", "last", "due", "overdue"),
    "rivers": ("river_id", "name", "downstream_id", "length_m"),
}


def _cell(col: str, v: Any, w: Words) -> str:
    if v is None:
        return "—"
    if col in ("level", "air_level", "water_level"):
        return w(f"risk.level.{v}")
    if col == "kind":
        return w(f"risk.target.{v}")
    if col == "overdue":
        return w("risk.yes" if v else "risk.no")
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def show(kind: str, rows: list[dict[str, Any]], fmt: ListFmt, lang: str) -> None:
    """A registry list as a table in ``lang``, JSON or CSV."""
    if fmt is ListFmt.json:
        _dump_json([{k: _plain(v) for k, v in r.items()} for r in rows])
        return
    if fmt is ListFmt.csv:
        import pandas as pd

        df = pd.DataFrame(
            [{k: _plain(v) for k, v in r.items() if k not in ("polygon", "coords")} for r in rows]
        )
        sys.stdout.write(csv_text(df))
        return
    w = words(lang)
    if not rows:
        say(w("risk.cli.none"))
        return
    t = Table()
    cols = _TABLE_COLS[kind]
    for c in cols:
        t.add_column(w(f"risk.col.{c}"))
    for r in rows:
        t.add_row(*(_cell(c, r.get(c), w) for c in cols))
    out.print(t, markup=False)


def register(app: typer.Typer) -> None:
    """Add the registry commands to the ``ecoplan risk`` group."""

    @app.command("import")
    def risk_import(
        kind: Annotated[Kind, typer.Argument(help="sources, targets, plans or rivers")],
        paths: Annotated[list[Path], typer.Argument(help="CSV, XLSX or GeoJSON files")],
        db: DbOpt = None,
        fmt: Annotated[ListFmt, typer.Option("--format", help="table or json")] = ListFmt.table,
        lang: LangOpt = "zh",
    ) -> None:
        """Import a registry (idempotent; bad rows rejected with a reason). / 导入风险登记"""
        w = words(lang)
        try:
            with _session(db, lang) as ep:
                batch, res = ep.risk.load(kind.value, [str(p) for p in paths])
        except EcoplanError as exc:
            _fail(exc, lang)
        if fmt is ListFmt.json:
            _dump_json({**res.to_dict(), "rejected": batch.rejects})
            return
        say(
            w(
                "risk.cli.imported",
                kind=w(f"risk.kind.{res.kind}"),
                rows=res.rows_in,
                new=res.rows_new,
                revised=res.rows_revised,
                unchanged=res.rows_unchanged,
                rejected=len(batch.rejects),
            )
        )
        for r in batch.rejects:
            reason = w(f"risk.reason.{r['reason']}")
            say(
                w(
                    "risk.cli.reject",
                    file=r["file"],
                    row=r["row"],
                    field=r["field"],
                    value=r["value"],
                    reason=reason,
                )
            )

    @app.command("sources")
    def risk_sources(
        region: Annotated[str | None, typer.Option(help="Region code (GB/T 2260)")] = None,
        level: Annotated[str | None, typer.Option(help="general, larger or major")] = None,
        db: DbOpt = None,
        fmt: FmtOpt = ListFmt.table,
        lang: LangOpt = "zh",
    ) -> None:
        """Risk sources with their levels. / 环境风险源"""
        try:
            with _session(db, lang) as ep:
                rows = ep.risk.sources(region, level)
        except EcoplanError as exc:
            _fail(exc, lang)
        show("sources", rows, fmt, lang)

    @app.command("targets")
    def risk_targets(
        kind: Annotated[
            str | None, typer.Option(help="school, hospital, drinking_water_intake, residential, other")
        ] = None,
        region: Annotated[str | None, typer.Option(help="Region code (GB/T 2260)")] = None,
        db: DbOpt = None,
        fmt: FmtOpt = ListFmt.table,
        lang: LangOpt = "zh",
    ) -> None:
        """Sensitive targets. / 环境敏感目标"""
        try:
            with _session(db, lang) as ep:
                rows = ep.risk.targets(kind, region)
        except EcoplanError as exc:
            _fail(exc, lang)
        show("targets", rows, fmt, lang)

    @app.command("plans")
    def risk_plans(
        overdue: Annotated[bool, typer.Option("--overdue", help="Only plans overdue for review")] = False,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Day of the check (YYYY-MM-DD, default today)")
        ] = None,
        db: DbOpt = None,
        fmt: FmtOpt = ListFmt.table,
        lang: LangOpt = "zh",
    ) -> None:
        """Emergency plans with their review due dates (every 3 years). / 突发环境事件应急预案"""
        try:
            day = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            _fail(EcoplanError.worded("risk.error.bad_date", option="--as-of", value=as_of), lang)
        try:
            with _session(db, lang) as ep:
                rows = ep.risk.plans(overdue=overdue, as_of=day)
        except EcoplanError as exc:
            _fail(exc, lang)
        show("plans", rows, fmt, lang)

    @app.command("rivers")
    def risk_rivers(
        db: DbOpt = None,
        fmt: FmtOpt = ListFmt.table,
        lang: LangOpt = "zh",
    ) -> None:
        """River reaches of the registry (incidents look downstream on them). / 河流河段"""
        try:
            with _session(db, lang) as ep:
                rows = ep.risk.rivers()
        except EcoplanError as exc:
            _fail(exc, lang)
        for r in rows:
            r.pop("id", None)
        show("rivers", rows, fmt, lang)

    @app.command("rejects")
    def risk_rejects(
        kind: Annotated[Kind | None, typer.Option(help="sources, targets, plans or rivers")] = None,
        db: DbOpt = None,
        fmt: Annotated[ListFmt, typer.Option("--format", help="table or json")] = ListFmt.table,
        lang: LangOpt = "zh",
    ) -> None:
        """Rows the imports rejected, with their reasons. / 导入时拒收的行"""
        try:
            with _session(db, lang) as ep:
                rows = ep.risk.rejects(kind.value if kind else None)
        except EcoplanError as exc:
            _fail(exc, lang)
        if fmt is not ListFmt.table:
            _dump_json(rows)
            return
        w = words(lang)
        for r in rows:
            reason = w(f"risk.reason.{r['reason']}")
            say(
                w(
                    "risk.cli.reject",
                    file=r["file"],
                    row=r["row"],
                    field=r["field"],
                    value=r["value"],
                    reason=reason,
                )
            )

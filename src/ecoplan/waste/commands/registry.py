"""``ecoplan waste import|actors|permits|approvals|manifests|manifest|move|ledger|balance|rates``:
the registry, the manifests and the ledgers, through ``ep.waste`` (``docs/waste.md``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, out, say, words
from ecoplan.kit.options import ListFmt, TableFmt, fetched

__all__ = ["register"]


class Kind(StrEnum):
    actors = "actors"
    permits = "permits"
    approvals = "approvals"
    manifests = "manifests"
    ledger = "ledger"
    declarations = "declarations"


class Event(StrEnum):
    ship = "ship"
    receive = "receive"
    confirm = "confirm"
    reject = "reject"
    close = "close"
    correct = "correct"


Fmt = Annotated[ListFmt, typer.Option("--format", help="table, json or csv")]
MANIFEST_COLS = (
    "manifest_no",
    "status",
    "producer_id",
    "receiver_id",
    "shipped_at",
    "arrived_at",
    "confirmed_at",
)
LINE_COLS = (
    "line_no",
    "code",
    "form",
    "packaging",
    "containers",
    "qty_shipped_t",
    "qty_received_t",
    "containers_received",
    "code_received",
)
EVENT_COLS = ("at", "event", "from_status", "to_status", "version")
LEDGER_COLS = ("batch_code", "stage", "at", "code", "quantity_t", "container_code", "linked_batch")
BALANCE_COLS = ("code", "opening", "generated", "shipped", "self_treated", "closing", "imbalance", "balanced")


def _text(v: Any, lang: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return words(lang)("waste.yes" if v else "waste.no")
    if isinstance(v, list):
        return ";".join(map(str, v))
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


#: Columns whose values are codes shown by their words (``waste.<area>.<value>``).
_WORDED = {
    "status": "status",
    "from_status": "status",
    "to_status": "status",
    "event": "event",
    "stage": "stage",
    "roles": "role",
    "unit_class": "unit_class",
    "kind": "permit_kind",
}


def _cell(col: str, v: Any, lang: str) -> str:
    if col in _WORDED and v is not None:
        w = words(lang)
        if isinstance(v, list):
            return w("cli.list_sep").join(w(f"waste.{_WORDED[col]}.{x}") for x in v)
        return w(f"waste.{_WORDED[col]}.{v}")
    return _text(v, lang)


def _show(rows: Sequence[dict[str, Any]], cols: Sequence[str], fmt: str, lang: str) -> None:
    """Rows as a table (headers in ``lang``), JSON (every field) or CSV (``cols``)."""
    if fmt == "json":
        _dump_json(list(rows))
        return
    if fmt == "csv":
        buf = io.StringIO()
        wr = csv.writer(buf, lineterminator="\n")
        wr.writerow(cols)
        for r in rows:
            wr.writerow([_text(r.get(c), "en") for c in cols])
        sys.stdout.write(buf.getvalue())
        return
    w = words(lang)
    if not rows:
        say(w("waste.cli.none"))
        return
    t = RichTable(*(w(f"waste.col.{c}") for c in cols))
    for r in rows:
        t.add_row(*(_cell(c, r.get(c), lang) for c in cols))
    out.print(t)


def _time(text: str | None, lang: str) -> dt.datetime:
    if text is None:
        return dt.datetime.now().replace(microsecond=0)
    for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, f)
        except ValueError:
            continue
    _fail(EcoplanError.worded("waste.error.bad_time", value=text), lang)


def _received(items: list[str] | None, lang: str) -> dict[int, dict[str, Any]]:
    got: dict[int, dict[str, Any]] = {}
    for item in items or ():
        line, _, qty = item.partition("=")
        try:
            got[int(line)] = {"qty_received_t": float(qty)}
        except ValueError:
            _fail(EcoplanError.worded("waste.error.bad_received", value=item), lang)
    return got


def register(app: typer.Typer) -> None:
    """Add the registry, manifest and ledger commands to ``ecoplan waste``."""

    @app.command("import")
    def waste_import(
        kind: Annotated[
            Kind, typer.Argument(help="actors, permits, approvals, manifests, ledger or declarations")
        ],
        file: Annotated[Path, typer.Argument(help="A CSV or XLSX file (columns: docs/waste.md)")],
        fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Import a file whole or nothing (re-importing is idempotent). / 导入危险废物数据"""
        res = fetched(lambda ep: ep.waste.import_file(kind.value, file), db, lang)
        if fmt is TableFmt.json:
            _dump_json(res.to_dict())
            return
        w = words(lang)
        say(w("waste.cli.imported", **{**res.to_dict(), "kind": w(f"waste.kind.{kind.value}")}))

    @app.command("actors")
    def waste_actors(
        role: Annotated[str | None, typer.Option("--role", help="producer, transporter or receiver")] = None,
        region: Annotated[str | None, typer.Option("--region", help="A region code (and below)")] = None,
        fmt: Fmt = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Producers, transporters and receivers. / 产生、运输、接受单位"""
        rows = fetched(lambda ep: ep.waste.actors(role, region), db, lang)
        _show(rows, ("actor_id", "name", "roles", "region", "unit_class"), fmt.value, lang)

    @app.command("permits")
    def waste_permits(
        actor: Annotated[str | None, typer.Option("--actor", help="One receiver's permits")] = None,
        fmt: Fmt = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Permits: kind, validity, capacity, categories and codes. / 经营许可证"""
        rows = fetched(lambda ep: ep.waste.permits(actor), db, lang)
        cols = ("permit_no", "actor_id", "kind", "valid_from", "valid_to", "annual_capacity_t", "codes")
        _show(rows, cols, fmt.value, lang)

    @app.command("manifests")
    def waste_manifests(
        status: Annotated[str | None, typer.Option("--status", help="draft, shipped, received, …")] = None,
        actor: Annotated[str | None, typer.Option("--actor", help="Where this actor is a party")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1)] = 500,
        fmt: Fmt = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Manifests, newest shipment first. / 转移联单"""
        rows = fetched(lambda ep: ep.waste.manifests(status, actor, limit), db, lang)
        _show(rows, MANIFEST_COLS, fmt.value, lang)

    @app.command("manifest")
    def waste_manifest(
        manifest_no: Annotated[str, typer.Argument(help="The 14-digit manifest number")],
        fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """A manifest with its lines and events. / 联单详情"""
        m = fetched(lambda ep: ep.waste.manifest(manifest_no), db, lang)
        if fmt is TableFmt.json:
            _dump_json(m)
            return
        _show([m], MANIFEST_COLS, "table", lang)
        _show(m["lines"], LINE_COLS, "table", lang)
        _show(m["events"], EVENT_COLS, "table", lang)

    @app.command("move")
    def waste_move(
        manifest_no: Annotated[str, typer.Argument(help="The 14-digit manifest number")],
        event: Annotated[Event, typer.Argument(help="ship, receive, confirm, reject, close or correct")],
        at: Annotated[str | None, typer.Option("--at", help="YYYY-MM-DD HH:MM (default: now)")] = None,
        received: Annotated[list[str] | None, typer.Option("--received", help="LINE=TONNES received")] = None,
        rejection: Annotated[str | None, typer.Option("--rejection", help="full or partial")] = None,
        residue: Annotated[
            str | None, typer.Option("--residue", help="The residue's new manifest number")
        ] = None,
        residue_receiver: Annotated[str | None, typer.Option("--residue-receiver")] = None,
        set_: Annotated[list[str] | None, typer.Option("--set", help="FIELD=VALUE to correct")] = None,
        fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Move a manifest through its states (illegal moves are refused). / 联单流转"""
        when = _time(at, lang)
        got = _received(received, lang)
        changes = dict(s.partition("=")[::2] for s in set_ or ())
        m = fetched(
            lambda ep: ep.waste.move(
                manifest_no,
                event.value,
                when,
                received=got,
                rejection=rejection,
                residue_no=residue,
                residue_receiver=residue_receiver,
                changes=changes or None,
            ),
            db,
            lang,
        )
        if fmt is TableFmt.json:
            _dump_json(m)
            return
        w = words(lang)
        say(
            w(
                "waste.cli.moved",
                manifest=manifest_no,
                event=w(f"waste.event.{event.value}"),
                status=w(f"waste.status.{m['status']}"),
                version=m["version"],
            )
        )

    @app.command("ledger")
    def waste_ledger(
        actor: Annotated[str, typer.Argument(help="The actor")],
        period: Annotated[str | None, typer.Option("--period", help="2025-03, 2025Q1 or 2025")] = None,
        fmt: Fmt = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """An actor's ledger records (HJ 1259-2022). / 管理台账"""
        rows = fetched(lambda ep: ep.waste.ledger(actor, period), db, lang)
        _show(rows, LEDGER_COLS, fmt.value, lang)

    @app.command("balance")
    def waste_balance(
        actor: Annotated[str, typer.Argument(help="The actor")],
        period: Annotated[str, typer.Argument(help="2025-03, 2025Q1 or 2025")],
        fmt: Fmt = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """The mass balance per code; exit status 1 when a code does not balance. / 物料平衡"""
        rows = [b.to_dict() for b in fetched(lambda ep: ep.waste.balance(actor, period), db, lang)]
        _show(rows, BALANCE_COLS, fmt.value, lang)
        bad = [r for r in rows if not r["balanced"]]
        if fmt is ListFmt.table:
            w = words(lang)
            for r in bad:
                say(w("waste.cli.imbalance", actor=actor, **{k: v for k, v in r.items() if k != "actor_id"}))
            if not bad:
                say(w("waste.cli.balanced", actor=actor, period=period))
        if bad:
            raise typer.Exit(1)

    @app.command("rates")
    def waste_rates(
        fmt: Fmt = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """On-time confirmation and closed-loop rates per producer region. / 联单考核"""
        rows = fetched(lambda ep: ep.waste.rates(), db, lang)
        _show(
            rows,
            ("region", "shipped", "confirmed_on_time", "on_time_pct", "closed_loop", "closed_loop_pct"),
            fmt.value,
            lang,
        )

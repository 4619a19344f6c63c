"""``ecoplan sources registry load|load-folder|rejects`` and the register's lists
``ecoplan sources enterprises|outlets|devices|permits|limits|quantities`` (through
``ep.sources.registry``; ``docs/sources-registry.md``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table as RichTable

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import Words
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, out, place, say, words
from ecoplan.kit.options import ListFmt, TableFmt, fetched, write_frame
from ecoplan.sources.commands.options import sources_app

__all__ = [
    "registry_app",
    "sources_devices",
    "sources_enterprises",
    "sources_limits",
    "sources_outlets",
    "sources_permits",
    "sources_quantities",
]

registry_app = typer.Typer(
    no_args_is_help=True,
    help="The register: enterprises, outlets, devices, permits (CSV/XLSX) / 污染源台账与排污许可",
)
sources_app.add_typer(registry_app, name="registry")


class Kind(StrEnum):
    enterprises = "enterprises"
    outlets = "outlets"
    devices = "devices"
    permits = "permits"
    limits = "limits"
    quantities = "quantities"


class InFmt(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


Fmt = Annotated[ListFmt, typer.Option("--format")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write csv/json to this file")]
SHOWN = 20


def _say_import(res: Any, lang: str) -> None:
    w = words(lang)
    say(
        w(
            "sources.registry.cli.loaded",
            kind=w(f"sources.registry.kind.{res.kind}"),
            rows=res.rows_in,
            new=res.rows_new,
            revised=res.rows_revised,
            unchanged=res.rows_unchanged,
            rejected=len(res.rejected),
            import_id=res.import_id,
        )
    )
    for r in res.rejected.head(SHOWN).itertuples(index=False):
        say(
            w(
                "sources.registry.cli.reject",
                file=r.file,
                row=r.row,
                field=r.field,
                value=r.value,
                reason=w(f"sources.registry.reason.{r.reason}"),
            )
        )
    more = len(res.rejected) - SHOWN
    if more > 0:
        say(w("sources.registry.cli.more_rejects", count=more, command="ecoplan sources registry rejects"))


@registry_app.command("load")
def registry_load(
    paths: Annotated[list[Path], typer.Argument(help="CSV/XLSX files or folders of one kind")],
    kind: Annotated[Kind, typer.Option("--kind", help="What the files hold")],
    fmt: Annotated[InFmt | None, typer.Option("--format", help="csv or xlsx (default: by suffix)")] = None,
    output: Annotated[TableFmt, typer.Option("--output-format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Load one kind of the register (checked; re-loading is idempotent). / 导入台账"""
    res = fetched(
        lambda ep: ep.sources.registry.load([str(p) for p in paths], kind.value, fmt.value if fmt else None),
        db,
        lang,
        (EcoplanError, ValueError),
    )
    if output is TableFmt.json:
        _dump_json(res.to_dict())
        return
    _say_import(res, lang)


@registry_app.command("load-folder")
def registry_load_folder(
    folder: Annotated[Path, typer.Argument(help="A folder of CSV/XLSX files, one kind each")],
    output: Annotated[TableFmt, typer.Option("--output-format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Load every register file of a folder, kinds in order of dependence. / 导入台账目录"""
    results = fetched(
        lambda ep: ep.sources.registry.load_folder(str(folder)), db, lang, (EcoplanError, ValueError)
    )
    if output is TableFmt.json:
        _dump_json([r.to_dict() for r in results])
        return
    for res in results:
        _say_import(res, lang)


@registry_app.command("rejects")
def registry_rejects(
    import_id: Annotated[int | None, typer.Option("--import", help="One import's rejects")] = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Rejected rows of the register imports, with their reasons. / 拒收记录"""
    df = fetched(lambda ep: ep.sources.registry.rejects(import_id), db, lang)
    cols = ("import_id", "file", "row", "field", "value", "reason")

    def row(r: Any, w: Words) -> tuple[str, ...]:
        reason = w(f"sources.registry.reason.{r.reason}")
        return str(r.import_id), r.file, _text(r.row), _text(r.field), _text(r.value), reason

    _show(df, fmt, output, lang, cols, row)


@sources_app.command("enterprises")
def sources_enterprises(
    region: Annotated[str | None, typer.Option(help="Region code (and the regions under it)")] = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Registered enterprises. / 企业名录"""
    df, counts, names = fetched(
        lambda ep: (
            ep.sources.registry.enterprises(region),
            ep.sources.registry.outlets()["credit_code"].value_counts().to_dict(),
            ep.region_names(),
        ),
        db,
        lang,
    )
    cols = ("credit_code", "name", "region", "industry", "key_unit", "outlets")

    def row(r: Any, w: Words) -> tuple[str, ...]:
        return (
            r.credit_code,
            r.name,
            place(names.get(r.region), r.region, lang),
            _text(r.industry),
            w("sources.registry.yes" if r.key_unit else "sources.registry.no"),
            str(counts.get(r.credit_code, 0)),
        )

    _show(df, fmt, output, lang, cols, row)


@sources_app.command("outlets")
def sources_outlets(
    enterprise: Annotated[str | None, typer.Option("--enterprise", help="Credit code")] = None,
    fmt: Fmt = ListFmt.json,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Registered outlets (json or csv). / 排放口"""
    _list(lambda ep: ep.sources.registry.outlets(enterprise), fmt, output, db, lang)


@sources_app.command("devices")
def sources_devices(
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet id")] = None,
    secrets: Annotated[
        bool, typer.Option("--show-secrets", help="Include the password (PW) and the SM4 key")
    ] = False,
    fmt: Fmt = ListFmt.json,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Registered devices: MN, ST, edition, active (json or csv); PW and SM4 key only with
    --show-secrets. / 监测设备"""

    def get(ep: Any) -> pd.DataFrame:
        df: pd.DataFrame = ep.sources.registry.devices(outlet)
        return df if secrets else df.drop(columns=["pw", "sm4_key"])

    _list(get, fmt, output, db, lang)


@sources_app.command("quantities")
def sources_quantities(
    enterprise: Annotated[str | None, typer.Option("--enterprise", help="Credit code")] = None,
    year: Annotated[int | None, typer.Option(help="Year")] = None,
    fmt: Fmt = ListFmt.json,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Permitted annual quantities, t (json or csv). / 许可排放量"""
    _list(lambda ep: ep.sources.registry.quantities(enterprise, year), fmt, output, db, lang)


@sources_app.command("permits")
def sources_permits(
    enterprise: Annotated[str | None, typer.Option("--enterprise", help="Credit code")] = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Registered discharge permits. / 排污许可证"""
    df = fetched(lambda ep: ep.sources.registry.permits(enterprise), db, lang)
    cols = ("permit_no", "credit_code", "valid", "report_cycle")

    def row(r: Any, w: Words) -> tuple[str, ...]:
        cycle = w(f"sources.registry.cycle.{r.report_cycle}") if isinstance(r.report_cycle, str) else "—"
        return r.permit_no, r.credit_code, f"{_day(r.valid_from)} – {_day(r.valid_to)}", cycle

    _show(df, fmt, output, lang, cols, row)


@sources_app.command("limits")
def sources_limits(
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet id")] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Only permits valid on this date (YYYY-MM-DD)")
    ] = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Permit limits per outlet and factor (in force at a date). / 许可排放限值"""
    df = fetched(lambda ep: ep.sources.registry.limits(outlet, at), db, lang)
    cols = ("permit_no", "outlet_id", "factor", "limit", "basis", "ref_o2")

    def row(r: Any, w: Words) -> tuple[str, ...]:
        basis = w(f"sources.registry.basis.{r.basis}")
        return r.permit_no, r.outlet_id, r.factor, f"{r.limit_value:g} {r.unit}", basis, _text(r.ref_o2)

    _show(df, fmt, output, lang, cols, row)


# -- helpers ----------------------------------------------------------------------------------
def _list(get: Any, fmt: ListFmt, output: Path | None, db: str | None, lang: str) -> None:
    """A list command without a table form: json (default) or csv."""
    df = fetched(lambda ep: get(ep), db, lang)
    _write(df, "csv" if fmt is ListFmt.csv else "json", output, lang)


def _write(df: pd.DataFrame, fmt: str, output: Path | None, lang: str) -> None:
    df = df.copy()
    for c in ("valid_from", "valid_to"):
        if c in df.columns:
            df[c] = df[c].map(_day)
    if fmt == "json" and output is None:
        recs = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
        _dump_json(recs)
        return
    write_frame(df, fmt, output, lang, "sources.registry.cli.written", "sources.registry.cli.needs_output")


def _show(
    df: pd.DataFrame,
    fmt: ListFmt,
    output: Path | None,
    lang: str,
    cols: tuple[str, ...],
    row: Callable[[Any, Words], tuple[str, ...]],
) -> None:
    """``df`` as json/csv (:func:`_write`), or a table of ``cols`` (headers from the
    words) with a row ``row(r, w)`` for each row ``r``."""
    if fmt is not ListFmt.table:
        _write(df, fmt.value, output, lang)
        return
    w = words(lang)
    t = RichTable(*(w(f"sources.registry.header.{c}") for c in cols))
    for r in df.itertuples(index=False):
        t.add_row(*row(r, w))
    _print(t, df, lang)


def _print(t: RichTable, df: pd.DataFrame, lang: str) -> None:
    if df.empty:
        say(words(lang)("sources.registry.cli.none"))
    else:
        out.print(t)


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return "—"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _day(v: Any) -> str:
    if v is None or v is pd.NaT:
        return "—"
    return str(v)[:10]

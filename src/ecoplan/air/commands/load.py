"""``ecoplan air load`` and ``ecoplan air rejects``: hourly observations in, rejected values listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import (
    _LOAD_HELP,
    JSON_REJECTS,
    SHOW_REJECTS,
    DailyFmt,
    LoadFmt,
    _progress,
    _write_frame,
    air_app,
    symbol,
    symbols,
)
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, words
from ecoplan.kit.options import ListFmt, TableFmt, unit_options


def _when(x: Any) -> str:
    """A time as ``2013-03-01 00:00:00`` (ISO text or a timestamp; empty for none)."""
    return "" if x is None else str(x).replace("T", " ")[:19]


@air_app.command("load")
def air_load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders")],
    fmt: Annotated[LoadFmt, typer.Option("--format", help=_LOAD_HELP)],
    region: Annotated[
        str | None, typer.Option(help="Region code (beijing-multisite: default 110000)")
    ] = None,
    stations: Annotated[
        Path | None, typer.Option(help="Station file: code, name, region[, lat, lon, type]")
    ] = None,
    unit: Annotated[list[str] | None, typer.Option(help="Declare a unit, e.g. co=mg/m3 (repeatable)")] = None,
    tz: Annotated[str, typer.Option(help="Time zone of naive timestamps")] = "Asia/Shanghai",
    db: DbOpt = None,
    fmt_out: Annotated[TableFmt, typer.Option("--output-format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load hourly observations (validated; re-loading is idempotent). / 导入小时监测数据

    Rejected values are counted by reason and the first ones listed (file, row,
    reason, station, time, pollutant, value; `ecoplan air rejects` lists all);
    CO whose values look like the other unit is warned about, with its rows."""
    w = words(lang)
    units = unit_options(unit, w, "air.cli.load.bad_unit", lower=True)
    try:
        with _session(db, lang) as ep, _progress() as prog:
            task = prog.add_task(w("air.cli.progress.reading"), total=None)

            def step(stage: str) -> None:
                prog.update(
                    task,
                    description=w(
                        "air.cli.progress.storing" if stage == "store" else "air.cli.progress.reading"
                    ),
                )

            batch, res = ep.air.load(
                [str(p) for p in paths],
                fmt.value,
                region=region,
                stations=stations,
                units=units or None,
                tz=tz,
                progress=step,
            )
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    summary = batch.summary()
    rejected = _reject_records(batch.rejects)
    if fmt_out is TableFmt.json:
        _dump_json(
            {
                "input": summary,
                "import": res.to_dict(),
                "rejected": {"total": len(rejected), "rows": rejected[:JSON_REJECTS]},
                "warnings": [x.to_dict(limit=JSON_REJECTS) for x in batch.warnings],
            }
        )
        return
    sep = w("cli.list_sep")
    shares: dict[str, float | None] = summary["missing_share"]
    miss = sep.join(f"{symbol(p)} {v:.1%}" for p, v in shares.items() if v is not None) or w("label.none")
    rej = {k: n for k, n in res.rejects.items() if n}
    counts = sep.join(f"{w.get(f'reason.reject.{k}', k)} {n}" for k, n in rej.items()) or w("label.none")
    written = sep.join(f"{r}/{y}" for r, y in res.partitions_written) or w("label.none")
    read = w(
        "air.cli.load.read",
        files=summary["files"],
        rows=summary["rows"],
        stations=summary["stations"],
        first=_when(summary["first"]),
        last=_when(summary["last"]),
    )
    out.print(read, markup=False)
    out.print(w("air.cli.load.missing", shares=miss), markup=False)
    out.print(w("air.cli.load.rejected", counts=counts), markup=False)
    if rejected:
        out.print(_reject_table(rejected[:SHOW_REJECTS], lang))
        more = len(rejected) - SHOW_REJECTS
        if more > 0:
            out.print(w("note.rejects_more", count=more), markup=False)
    for warning in batch.warnings:
        # one line per warning, never wrapped (greppable in CI logs)
        line = w("air.cli.load.warning", label=w("label.warning"), message=warning.message(lang))
        out.print(f"[yellow]{escape(line)}[/]", highlight=False, soft_wrap=True)
    if res.absent:
        out.print(w("note.air.not_in_input", pollutants=symbols(res.absent, lang)), markup=False)
    stored = w(
        "air.cli.load.stored",
        new=res.rows_new,
        revised=res.values_revised,
        unchanged=res.rows_unchanged,
        partitions=written,
    )
    out.print(stored, markup=False)


def _reject_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rejected values as JSON-ready records: file, row, reason, station, time, pollutant, value
    (``time`` ISO or null; ``time_text`` as written, when the frame has it)."""
    if df.empty:
        return []
    cols = [
        c for c in ("file", "row", "reason", "station", "time", "pollutant", "value", "time_text") if c in df
    ]
    recs: list[dict[str, Any]] = json.loads(
        df[cols].to_json(orient="records", date_format="iso", force_ascii=False)
    )
    return recs


def _reject_table(rows: list[dict[str, Any]], lang: str) -> Table:
    w = words(lang)
    t = Table(
        w("header.file"),
        w("header.row"),
        w("air.cli.header.reject_reason"),
        w("header.station"),
        w("header.time"),
        w("header.pollutant"),
        w("header.stored_value"),
    )
    for r in rows:
        reason = str(r["reason"])
        cells = (
            Path(str(r["file"])).name,
            str(r["row"]),
            w.get(f"reason.reject.{reason}", reason),
            str(r.get("station") or ""),
            _when(r.get("time") or r.get("time_text")),
            symbol(str(r["pollutant"])),
            str(r["value"]),
        )
        t.add_row(*(escape(c) for c in cells))  # cells as written: "[x]" is text, not markup
    return t


@air_app.command("rejects")
def air_rejects(
    reason: Annotated[str | None, typer.Option(help="Only this reason code (see docs/air-input.md)")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N rows (default: all)")] = None,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """List the stored rejected values: file, row, reason, station, time, pollutant, value. / 剔除数值"""
    try:
        with _session(db, lang) as ep:
            df = ep.air.rejects(reason)
    except EcoplanError as exc:
        _fail(exc, lang)
    total = len(df)
    if limit is not None:
        df = df.head(limit)
    df = df[["file", "row", "reason", "station", "time", "pollutant", "value"]]
    if fmt is not ListFmt.table:
        _write_frame(df, DailyFmt(fmt.value), None, "rejects", lang)
        return
    w = words(lang)
    if total:
        out.print(_reject_table(_reject_records(df), lang))
    shown = w("note.rejects_first", count=len(df)) if len(df) < total else ""
    out.print(w("note.rejects_total", count=total) + shown, markup=False)

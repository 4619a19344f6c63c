"""``ecoplan water load`` and ``ecoplan water rejects``: samples in, rejected values listed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, out, say, words
from ecoplan.kit.options import FrameFmt, TableFmt, fetched
from ecoplan.water.commands.options import FmtOpt, OutputOpt, water_app, write_frame
from ecoplan.water.readers import FORMATS as INPUT_FORMATS

_FORMATS_HELP = "Input format: " + "; ".join(f"{k}: {r.description}" for k, r in INPUT_FORMATS.items())
#: Rejected values the table shows (all of them with --format json/csv).
SHOW_REJECTS = 20


@water_app.command("load")
def water_load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders")],
    fmt: Annotated[str, typer.Option("--format", help=_FORMATS_HELP)],
    stations: Annotated[Path | None, typer.Option(help="Station registry file")] = None,
    targets: Annotated[
        Path | None, typer.Option(help="Target classes: station, plan, year, target_class")
    ] = None,
    db: DbOpt = None,
    fmt_out: Annotated[TableFmt, typer.Option("--output-format", help="table or json")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load surface-water samples (checked; re-loading is idempotent). / 导入地表水监测数据"""
    w = words(lang)
    res = fetched(
        lambda ep: ep.water.load([str(p) for p in paths], format=fmt, stations=stations, targets=targets),
        db,
        lang,
        (EcoplanError, OSError, TypeError, ValueError),
    )
    if fmt_out is TableFmt.json:
        _dump_json(res.to_dict())
        return
    say(
        w(
            "water.eval.loaded",
            added=res.added,
            revised=res.revised,
            unchanged=res.unchanged,
            files=len(res.files),
        )
    )
    if res.stations_new:
        say(w("water.eval.stations_new", count=res.stations_new))
    if res.targets:
        say(w("water.eval.targets_loaded", count=res.targets))
    rejected = {k: v for k, v in res.rejected.items() if v}
    if rejected:
        say(w("water.eval.rejected", count=sum(rejected.values())))
        for reason, n in rejected.items():
            say(f"  {w(f'water.reason.{reason}')}: {n}")


@water_app.command("rejects")
def water_rejects(
    reason: Annotated[str | None, typer.Option(help="Only this reason code")] = None,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """List rejected values: file, row, field, reason. / 列出被拒绝的数值"""
    w = words(lang)
    df = fetched(lambda ep: ep.water.rejects(reason), db, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    if df.empty:
        say(w("water.eval.no_rejects"))
        return
    t = Table()
    for key in ("file", "row", "field", "station", "time", "item", "value", "reason"):
        t.add_column(w(f"water.eval.header.{key}"))
    for r in df.head(SHOW_REJECTS).itertuples(index=False):
        t.add_row(
            str(r.file), str(r.row), str(r.field or ""), str(r.station or ""), str(r.time or ""),
            str(r.item or ""), str(r.value or ""), w(f"water.reason.{r.reason}"),
        )  # fmt: skip
    out.print(t)
    if len(df) > SHOW_REJECTS:
        say(w("water.eval.more_rejects", shown=SHOW_REJECTS, count=len(df)))

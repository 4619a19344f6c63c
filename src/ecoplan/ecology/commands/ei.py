"""``ecoplan ecology ei|ei-import|counties|feed|methods``.

The JSON contract of ``ecoplan ecology ei`` is in ``docs/json.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from ecoplan.core.errors import EcoplanError
from ecoplan.ecology.commands._common import records, say_feed
from ecoplan.ecology.commands.options import FmtOpt, OutFmt, ecology_app
from ecoplan.ecology.standards.hj192_2015 import RESTRICTIONS
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, out, place, say, words
from ecoplan.kit.options import fetched

__all__ = ["ecology_counties", "ecology_ei", "ecology_ei_import", "ecology_feed", "ecology_methods"]

RESTRICTION_HELP = "Environmental restriction (UNCONFIRMED rules): " + ", ".join(
    f"{k} ({r.zh})" for k, r in RESTRICTIONS.items()
)


@ecology_app.command("ei")
def ecology_ei(
    abundance: Annotated[float, typer.Option("--abundance", help="生物丰度指数 (0–100)")],
    vegetation: Annotated[float, typer.Option("--vegetation", help="植被覆盖指数 (0–100)")],
    water: Annotated[float, typer.Option("--water", help="水网密度指数 (0–100)")],
    stress: Annotated[float, typer.Option("--stress", help="土地胁迫指数 (0–100)")],
    pollution: Annotated[float, typer.Option("--pollution", help="污染负荷指数 (0–100)")],
    restriction: Annotated[str | None, typer.Option("--restriction", help=RESTRICTION_HELP)] = None,
    previous: Annotated[
        float | None, typer.Option("--previous", help="EI of the earlier year: adds delta and change_class")
    ] = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """HJ 192-2015 ecological status index from its five sub-indices. / 生态环境状况指数"""
    from ecoplan.ecology.service import EcologyOps

    try:
        d = EcologyOps.ei(abundance, vegetation, water, stress, pollution, restriction, previous)
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is OutFmt.json:
        _dump_json(d)
        return
    w = words(lang)
    say(w("ecology.cli.ei", ei=f"{d['ei']:.2f}", grade=w("ecology.grade." + d["grade"])))
    if "restriction" in d:
        say(w("ecology.restriction.unconfirmed", doc="docs/ecology.md"))
    if "delta" in d:
        cls = w("ecology.change." + d["change_class"])
        if d["direction"]:
            way = w(f"ecology.direction.{d['direction']}")
            cls = w("ecology.change.with_direction", change=cls, direction=way)
        say(w("ecology.cli.delta", delta=f"{d['delta']:+.2f}", change=cls))


@ecology_app.command("ei-import")
def ecology_ei_import(
    file: Annotated[Path, typer.Argument(help="CSV/XLSX: county, year, region, key, five sub-indices")],
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Import county EI (checked; re-importing is idempotent). / 导入县域生态环境状况指数"""
    batch, res = fetched(lambda ep: ep.ecology.import_ei(file), db, lang)
    if fmt is OutFmt.json:
        _dump_json({**res.to_dict(), "rejected": batch.rejects.head(50).to_dict(orient="records")})
        return
    w = words(lang)
    say(
        w(
            "ecology.cli.imported",
            rows=res.rows_in,
            new=res.rows_new,
            revised=res.rows_revised,
            unchanged=res.rows_unchanged,
            rejected=len(batch.rejects),
        )
    )
    for r in batch.rejects.head(20).itertuples(index=False):
        say(
            w(
                "ecology.cli.reject",
                file=r.file,
                row=r.row,
                field=r.field,
                value=r.value,
                reason=w(f"ecology.reason.{r.reason}"),
            )
        )


@ecology_app.command("counties")
def ecology_counties(
    region: Annotated[str | None, typer.Option(help="Region code")] = None,
    year: Annotated[int | None, typer.Option(help="Year")] = None,
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Stored county EI with sub-indices. / 县域生态环境状况指数"""
    df = fetched(lambda ep: ep.ecology.counties(region, year), db, lang)
    if fmt is OutFmt.json:
        _dump_json(records(df))
        return
    w = words(lang)
    t = RichTable(
        w("ecology.county"),
        w("header.year"),
        *(w(f"ecology.{k}") for k in ("abundance", "vegetation", "water", "stress", "pollution")),
        w("ecology.ei"),
        w("ecology.grade"),
    )
    for r in df.itertuples(index=False):
        t.add_row(
            place(r.name, str(r.county), lang),
            str(r.year),
            *(f"{getattr(r, k):.2f}" for k in ("abundance", "vegetation", "water", "stress", "pollution")),
            f"{r.ei:.2f}",
            w(f"ecology.grade.{r.grade}"),
        )
    out.print(t)


@ecology_app.command("feed")
def ecology_feed(
    region: Annotated[str | None, typer.Option(help="Region code; default every region in the data")] = None,
    year: Annotated[list[int] | None, typer.Option(help="Year(s); default every year")] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Write 重点生态功能区所属县域生态环境状况指数 (source "pipeline ecology"). / 写入规划指标"""
    fr = fetched(lambda ep: ep.ecology.feed(region, year), db, lang)
    say_feed(fr, lang)


@ecology_app.command("methods")
def ecology_methods(lang: LangOpt = "zh") -> None:
    """The evaluation methods and whether each is loaded (EQI: not loaded). / 评价方法"""
    from ecoplan.ecology.service import EcologyOps

    _dump_json(EcologyOps.methods())

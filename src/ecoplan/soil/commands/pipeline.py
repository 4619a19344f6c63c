"""``ecoplan soil load|classify|rates|feed``: the stored data through the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, place, say, with_unit, words
from ecoplan.kit.options import EngineName, EngineOpt, FrameFmt, TableFmt, unit_options
from ecoplan.soil.commands.options import LOAD_HELP, LoadFmt, soil_app, write_frame

__all__ = ["soil_classify", "soil_feed", "soil_load", "soil_rates"]


Region = Annotated[str | None, typer.Option(help="Region code (GB/T 2260)")]


@soil_app.command("load")
def soil_load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders")],
    fmt: Annotated[LoadFmt, typer.Option("--format", help=LOAD_HELP)],
    region: Region = None,
    year: Annotated[int | None, typer.Option(help="Survey year of samples that give none")] = None,
    unit: Annotated[list[str] | None, typer.Option(help="Declare a unit, e.g. Cd=mg/kg (repeatable)")] = None,
    area_unit: Annotated[
        str | None, typer.Option(help="Area unit of a register without one (亩, hm2)")
    ] = None,
    db: DbOpt = None,
    output: Annotated[
        TableFmt, typer.Option("--output-format", help="table or json (as air and water load)")
    ] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load samples or the parcel register (checked; re-loading is idempotent). / 导入土壤数据"""
    w = words(lang)
    units = unit_options(unit, w, "soil.cli.bad_unit")
    try:
        with _session(db, lang) as ep:
            batch, res = ep.soil.load(
                [str(p) for p in paths],
                fmt.value,
                region=region,
                year=year,
                units=units or None,
                area_unit=area_unit,
            )
    except (EcoplanError, TypeError) as exc:
        _fail(exc, lang)
    if output is TableFmt.json:
        _dump_json({**res.to_dict(), "rejected": batch.rejects.head(50).to_dict(orient="records")})
        return
    say(
        w(
            "soil.cli.loaded",
            kind=w(f"soil.kind.{res.kind}"),
            rows=res.rows_in,
            new=res.rows_new,
            revised=res.rows_revised,
            unchanged=res.rows_unchanged,
        )
    )
    for r in batch.rejects.head(20).itertuples(index=False):
        say(w("soil.cli.reject", file=r.file, row=r.row, field=r.field, value=r.value, reason=r.reason))


@soil_app.command("classify")
def soil_classify(
    region: Region = None,
    counts: Annotated[bool, typer.Option("--counts", help="Counts per region, land use and class")] = False,
    include_cu_ni_zn: Annotated[bool, typer.Option("--include-cu-ni-zn")] = False,
    per_unit: Annotated[
        bool, typer.Option("--per-unit", help="One class per region × land use, from mean contents")
    ] = False,
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[FrameFmt, typer.Option("--format")] = FrameFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """GB 15618—2018 class of every stored sample (or the counts). / 样品分类"""
    try:
        with _session(db, lang) as ep:
            df = ep.soil.classify(
                region, include_cu_ni_zn=include_cu_ni_zn, per_unit=per_unit, engine=engine.value
            )
            if counts:
                df = ep.soil.counts(region, include_cu_ni_zn=include_cu_ni_zn, engine=engine.value)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt.value)
        return
    w = words(lang)
    if counts:
        t = RichTable(w("header.region"), w("soil.land_use"), w("soil.category"), w("soil.samples"))
        for r in df.itertuples(index=False):
            t.add_row(
                place(names.get(r.region), r.region, lang),
                w(f"soil.land_use.{r.land_use}"),
                w(f"soil.category.{r.category}"),
                str(r.samples),
            )
    else:
        t = RichTable(w("soil.sample"), w("soil.land_use"), "pH", w("soil.category"))
        for r in df.itertuples(index=False):
            cat = w(f"soil.category.{r.category}") if r.category else w(f"soil.reason.{r.reason}")
            t.add_row(
                str(r.sample_id), w(f"soil.land_use.{r.land_use}"), "—" if r.ph != r.ph else f"{r.ph:g}", cat
            )
    out.print(t)


@soil_app.command("rates")
def soil_rates(
    region: Region = None,
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[FrameFmt, typer.Option("--format")] = FrameFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Safe-use rates per region and year (UNCONFIRMED rules, docs/soil.md). / 安全利用率"""
    try:
        with _session(db, lang) as ep:
            df = ep.soil.rates(region, engine=engine.value)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt.value)
        return
    w = words(lang)
    t = RichTable(
        w("header.region"),
        w("header.year"),
        w("soil.rate.farmland"),
        w("soil.rate.site"),
        w("soil.rate.key_site"),
    )
    for r in df.itertuples(index=False):
        t.add_row(
            place(names.get(r.region), r.region, lang),
            str(r.year),
            *(
                with_unit(v, "%", lang)
                for v in (r.farmland_safe_use_pct, r.site_safe_use_pct, r.key_site_safe_use_pct)
            ),
        )
    out.print(t)
    say(w("soil.rate.unconfirmed", doc="docs/soil.md"))


@soil_app.command("feed")
def soil_feed(
    region: Annotated[
        str | None, typer.Option(help="Region code; default every region the register covers")
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option(help="Year(s); default every year of the register")
    ] = None,
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Write the plan indicators the safe-use rates measure (source "pipeline soil"). / 写入规划指标"""
    try:
        with _session(db, lang) as ep:
            fr = ep.soil.feed(region, year, engine=engine.value)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    _say_feed(fr, names, lang)
    res = fr.result
    say(w("soil.cli.feed.summary", new=res.inserted, revised=res.revised, unchanged=res.unchanged))


def _say_feed(fr: Any, names: Mapping[str, Any], lang: str) -> None:
    """The rows one region's feed wrote and the plan indicators it skipped."""
    w = words(lang)
    for r in fr.rows:
        say(
            w(
                "soil.cli.feed.row",
                plan=r.plan,
                indicator=r.indicator,
                region=place(names.get(r.region), r.region, lang),
                year=r.year,
                value=with_unit(r.value, r.unit, lang),
            )
        )
    for plan, ind, y in fr.skipped:
        say(w("soil.cli.feed.skipped", plan=plan, indicator=ind, year=y))

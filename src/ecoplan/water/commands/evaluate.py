"""``ecoplan water classify|evaluate|rank|feed|status``: sections of a period, shares by
region, basin or river (环办〔2011〕22号 §二(一)2), regions ranked by the Ⅰ–Ⅲ share, plan
indicators fed, what is stored."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from ecoplan.core.words import NONE_TEXT
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, out, place, say, words
from ecoplan.kit.options import EngineName, EngineOpt, FrameFmt, fetched
from ecoplan.water.commands.options import (
    By,
    DryRunOpt,
    FeedYearOpt,
    FmtOpt,
    MonthOpt,
    OutputOpt,
    Period,
    TableJsonOpt,
    YearOpt,
    grade_word,
    mains_text,
    pct,
    run_feed,
    water_app,
    write_frame,
)


def _label(v: Any) -> str:
    return NONE_TEXT if v is None or pd.isna(v) else str(v)


@water_app.command("classify")
def water_classify(
    year: YearOpt,
    period: Annotated[Period, typer.Option("--period")] = Period.year,
    month: MonthOpt = None,
    region: Annotated[str | None, typer.Option(help="Region code (province or city)")] = None,
    basin: Annotated[str | None, typer.Option(help="Basin name")] = None,
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Classify the sections of a year or month (GB 3838—2002). / 断面水质类别"""
    w = words(lang)
    df = fetched(
        lambda ep: ep.water.sections(
            year=year, period=period.value, month=month, region=region, basin=basin, engine=engine.value
        ),
        db,
        lang,
    )
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    t = Table()
    for key in ("station", "name", "period", "n_samples", "class", "grade", "main"):
        t.add_column(w(f"water.eval.header.{key}"))
    for r in df.to_dict("records"):
        t.add_row(
            str(r["station"]), str(r["name"] or ""), str(r["period"]), str(r["n_samples"]),
            _label(r["class_label"]), grade_word(r["grade"], lang), mains_text(r["main_pollutants"], lang),
        )  # fmt: skip
    out.print(t)
    say(w("water.eval.sections_count", count=len(df)))


def _shares_table(df: pd.DataFrame, lang: str, by: str, rank: bool = False) -> None:
    w = words(lang)
    t = Table()
    cols = ["rank"] if rank else []
    cols += [by, "period", "n_sections", "share_i_iii", "share_worse_v", "grade"]
    for key in cols:
        t.add_column(w(f"water.eval.header.{key}"))
    for r in df.to_dict("records"):
        shown = r.get("name_en") if lang == "en" else r["name"]
        name = place(shown, str(r["key"]), lang) if by == "region" else str(r["key"])
        row = [str(r["rank"])] if rank else []
        row += [
            name, str(r["period"]), str(r["n_sections"]), pct(r["share_i_iii_pct"]),
            pct(r["share_worse_v_pct"]), grade_word(r["grade"], lang),
        ]  # fmt: skip
        t.add_row(*row)
    out.print(t)


@water_app.command("evaluate")
def water_evaluate(
    year: YearOpt,
    by: Annotated[By, typer.Option("--by")] = By.region,
    period: Annotated[Period, typer.Option("--period")] = Period.year,
    month: MonthOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Shares of sections per class by region, basin or river. / 断面水质类别比例"""
    df = fetched(
        lambda ep: ep.water.shares(
            year=year, by=by.value, period=period.value, month=month, engine=engine.value
        ),
        db,
        lang,
    )
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    _shares_table(df, lang, by.value)


@water_app.command("rank")
def water_rank(
    year: YearOpt,
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Regions ranked by the share of class Ⅰ–Ⅲ sections. / 按Ⅰ—Ⅲ类断面比例排名"""
    df = fetched(lambda ep: ep.water.rank(year=year, engine=engine.value), db, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    _shares_table(df, lang, "region", rank=True)


@water_app.command("feed")
def water_feed(
    year: FeedYearOpt = None,
    dry_run: DryRunOpt = False,
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
    fmt: TableJsonOpt = FrameFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Write the Ⅰ–Ⅲ and worse-than-Ⅴ shares to the plans (source "pipeline water"). / 写入规划指标"""
    run_feed(lambda ep: ep.water.feed(year=year, dry_run=dry_run, engine=engine.value), db, lang, fmt)


@water_app.command("status")
def water_status(
    db: DbOpt = None,
    fmt: TableJsonOpt = FrameFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """What the store holds: stations, samples, years, imports, rejects. / 数据概况"""
    w = words(lang)
    st = fetched(lambda ep: ep.water.status(), db, lang)
    if fmt is not FrameFmt.table:
        _dump_json(st)
        return
    for key in ("stations", "samples", "imports", "rejects", "revisions", "targets"):
        say(w(f"water.eval.status.{key}", count=st[key]))
    years = w("water.eval.list_sep").join(str(y) for y in st["years"]) or NONE_TEXT
    say(
        w(
            "water.eval.status.years",
            years=years,
            first=st["first_time"] or NONE_TEXT,
            last=st["last_time"] or NONE_TEXT,
        )
    )

"""``ecoplan water drinking …`` and ``ecoplan water black-odorous …``: registers and
measurements in, yearly verdicts, regional rates and ratios out, plan indicators fed
(json/csv/table; :mod:`ecoplan.water.service.drinking`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import NONE_TEXT, has
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, out, place, say, words
from ecoplan.kit.options import FrameFmt, TableFmt, fetched
from ecoplan.water.commands.options import (
    DryRunOpt,
    FeedYearOpt,
    FmtOpt,
    OutputOpt,
    TableJsonOpt,
    YearOpt,
    pct,
    run_feed,
    water_app,
    write_frame,
)

__all__ = ["black_app", "drinking_app"]

drinking_app = typer.Typer(
    no_args_is_help=True, help="Drinking-water sources: load, attainment, rates, feed / 饮用水水源地"
)
black_app = typer.Typer(
    no_args_is_help=True, help="Urban black-odorous water bodies: load, bodies, ratios, feed / 城市黑臭水体"
)
water_app.add_typer(drinking_app, name="drinking")
water_app.add_typer(black_app, name="black-odorous")

RegisterOpt = Annotated[Path | None, typer.Option("--register", help="Register file (CSV/XLSX)")]
JsonOpt = Annotated[TableFmt, typer.Option("--output-format", help="table or json")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="Only this region (GB/T 2260 code)")]


def _text(v: Any) -> str:
    return NONE_TEXT if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _item(code: str, lang: str) -> str:
    """An item's name: Table 1 and 2 items by their words, Table 3 items by the table's name."""
    for key in (f"water.cli.item.{code.lower()}", f"water.drinking.item.{code.lower()}"):
        if has(key):
            return words(lang)(key)
    return code


def _loaded(res: Any, key: str, lang: str, fmt: TableFmt) -> None:
    if fmt is TableFmt.json:
        _dump_json(res.to_dict())
        return
    w = words(lang)
    say(
        w(key, files=len(res.files), registered=res.registered, new=res.registered_new, added=res.added,
          revised=res.revised, unchanged=res.unchanged, rejected=sum(res.rejected.values()))
    )  # fmt: skip
    for reason, n in res.rejected.items():
        say(f"  {w(f'water.reason.{reason}')}: {n}")


# -- drinking-water sources ------------------------------------------------------------
@drinking_app.command("load")
def drinking_load(
    paths: Annotated[list[Path] | None, typer.Argument(help="Monitoring files or folders")] = None,
    register: RegisterOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="Monitoring format: long or wide")] = "long",
    db: DbOpt = None,
    fmt_out: JsonOpt = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load a source register and monthly monitoring (idempotent). / 导入饮用水水源地名录与监测数据"""
    res = fetched(
        lambda ep: ep.water.drinking.load([str(p) for p in paths or []], register=register, format=fmt),
        db,
        lang,
        (EcoplanError, OSError, ValueError),
    )
    _loaded(res, "water.drinking.loaded", lang, fmt_out)


@drinking_app.command("attainment")
def drinking_attainment(
    year: YearOpt,
    rule: Annotated[str, typer.Option("--rule", help="mean (yearly means) or every_sample")] = "mean",
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Each source's attainment for a year. / 水源地年度水质达标情况"""
    w = words(lang)
    df, names = fetched(
        lambda ep: (ep.water.drinking.attainment(year=year, rule=rule), ep.region_names()), db, lang
    )
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    t = Table()
    for key in ("source", "region", "type", "level", "months", "class", "meets", "failing"):
        t.add_column(w(f"water.drinking.header.{key}"))
    for r in df.to_dict("records"):
        meets = "none" if pd.isna(r["meets"]) else ("yes" if r["meets"] else "no")
        failing = w("water.eval.list_sep").join(_item(i, lang) for i in json.loads(r["failing"])) or NONE_TEXT
        t.add_row(
            str(r["name"]), place(names.get(str(r["region"])), str(r["region"]), lang),
            w(f"water.drinking.type.{r['type']}"), w(f"water.drinking.level.{r['level']}"),
            str(r["n_months"]), _text(r["cls"]), w(f"water.drinking.meets.{meets}"), failing,
        )  # fmt: skip
    out.print(t)
    say(w("water.drinking.summary", year=year, sources=len(df), meeting=int(df["meets"].fillna(False).sum())))


@drinking_app.command("rates")
def drinking_rates(
    year: YearOpt,
    levels: Annotated[str, typer.Option("--levels", help="county_and_above or county")] = "county_and_above",
    region: RegionOpt = None,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Attainment rates per region, by count and by volume. / 饮用水水源地水质达标率"""
    w = words(lang)
    df = fetched(lambda ep: ep.water.drinking.rates(year=year, levels=levels, region=region), db, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    t = Table(title=w("water.drinking.rates_title", year=year, levels=w(f"water.drinking.levels.{levels}")))
    for key in ("region", "sources", "meeting", "rate_count", "rate_volume"):
        t.add_column(w(f"water.drinking.header.{key}"))
    for r in df.to_dict("records"):
        name = r["name"] if lang == "zh" else r["name_en"]
        t.add_row(_text(name or r["key"]), str(r["n_sources"]), str(r["n_meeting"]), pct(r["rate_count_pct"]),
                  pct(r["rate_volume_pct"]))  # fmt: skip
    out.print(t)


@drinking_app.command("feed")
def drinking_feed(
    year: FeedYearOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
    fmt: TableJsonOpt = FrameFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Write the drinking-source compliance rates to the plans (source "pipeline water"). / 写入规划指标"""
    run_feed(lambda ep: ep.water.drinking.feed(year=year, dry_run=dry_run), db, lang, fmt)


# -- black-odorous water bodies -----------------------------------------------------------
@black_app.command("load")
def black_load(
    paths: Annotated[list[Path] | None, typer.Argument(help="Point measurement files or folders")] = None,
    register: RegisterOpt = None,
    db: DbOpt = None,
    fmt_out: JsonOpt = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load a water-body register and point measurements (idempotent). / 导入黑臭水体名录与监测数据"""
    res = fetched(
        lambda ep: ep.water.black_odorous.load([str(p) for p in paths or []], register=register),
        db,
        lang,
        (EcoplanError, OSError, ValueError),
    )
    _loaded(res, "water.black_odorous.loaded", lang, fmt_out)


@black_app.command("bodies")
def black_bodies(
    year: YearOpt,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Each listed water body in a year: points graded, verdict, eliminated. / 黑臭水体年度评价"""
    w = words(lang)
    df, names = fetched(lambda ep: (ep.water.black_odorous.bodies(year=year), ep.region_names()), db, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    t = Table()
    for key in ("body", "region", "area", "points", "samplings", "verdict", "eliminated"):
        t.add_column(w(f"water.black_odorous.header.{key}"))
    for r in df.to_dict("records"):
        if isinstance(r["reason"], str):
            verdict, gone = NONE_TEXT, w(f"water.black_odorous.reason.{r['reason']}")
        else:
            verdict = w(f"water.black_odorous.verdict.{r['verdict']}")
            gone = w(f"water.black_odorous.eliminated.{'yes' if r['eliminated'] else 'no'}")
        t.add_row(
            str(r["name"]), place(names.get(str(r["region"])), str(r["region"]), lang),
            w(f"water.black_odorous.area.{r['area']}"), str(r["n_points"]),
            str(r["n_samplings"]), verdict, gone,
        )  # fmt: skip
    out.print(t)
    say(
        w("water.black_odorous.summary", year=year, listed=len(df),
          assessed=int(df["eliminated"].notna().sum()), eliminated=int(df["eliminated"].fillna(False).sum()),
          guide=w("water.black_odorous.guide"))
    )  # fmt: skip


@black_app.command("ratios")
def black_ratios(
    year: YearOpt,
    area: Annotated[str | None, typer.Option("--area", help="prefecture or county")] = None,
    region: RegionOpt = None,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Elimination ratio and remaining share per region. / 黑臭水体消除比例"""
    w = words(lang)
    df = fetched(lambda ep: ep.water.black_odorous.ratios(year=year, area=area, region=region), db, lang)
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    t = Table(title=w("water.black_odorous.ratios_title", year=year))
    for key in ("region", "area", "listed", "assessed", "eliminated_n", "ratio", "remaining"):
        t.add_column(w(f"water.black_odorous.header.{key}"))
    for r in df.to_dict("records"):
        name = r["name"] if lang == "zh" else r["name_en"]
        t.add_row(
            _text(name or r["key"]), w(f"water.black_odorous.area.{r['area']}"), str(r["n_listed"]),
            str(r["n_assessed"]), str(r["n_eliminated"]), pct(100 * r["elimination_ratio"]),
            pct(r["remaining_pct"]),
        )  # fmt: skip
    out.print(t)


@black_app.command("feed")
def black_feed(
    year: FeedYearOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
    fmt: TableJsonOpt = FrameFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Write the black-odorous shares to the plans (source "pipeline water"). / 写入规划指标"""
    run_feed(lambda ep: ep.water.black_odorous.feed(year=year, dry_run=dry_run), db, lang, fmt)

"""``ecoplan aqi``: one AQI calculation (HJ 633)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import Num, _edition, item_label, symbol, unit_of
from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards.editions import edition_for
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, out, with_unit, words
from ecoplan.kit.options import TableFmt

__all__ = ["aqi"]


def aqi(
    daily: Annotated[
        bool, typer.Option("--daily/--hourly", help="Daily report (日报) or real-time (实时报)")
    ] = True,
    pm25: Num = None,
    pm10: Num = None,
    so2: Num = None,
    no2: Num = None,
    co: Annotated[float | None, typer.Option(help="CO in mg/m³")] = None,
    o3_8h: Annotated[float | None, typer.Option("--o3-8h", help="O3 8-h (daily: daily max 8-h)")] = None,
    o3_1h: Annotated[float | None, typer.Option("--o3-1h", help="O3 1-h (daily: daily max 1-h)")] = None,
    pm25_24h: Annotated[
        float | None, typer.Option("--pm25-24h", help="Hourly, HJ 633—2012: PM2.5 24-h moving average")
    ] = None,
    pm10_24h: Annotated[
        float | None, typer.Option("--pm10-24h", help="Hourly, HJ 633—2012: PM10 24-h moving average")
    ] = None,
    so2_24h: Annotated[
        float | None, typer.Option("--so2-24h", help="Hourly, HJ 633—2012: SO2 24-h average (SO2 1-h > 800)")
    ] = None,
    edition: Annotated[
        str | None, typer.Option("--edition", help="2012 or 2026 (default: the edition in force today)")
    ] = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """One AQI calculation (HJ 633). Concentrations in µg/m³, CO in mg/m³. / 计算空气质量指数"""
    ed = _edition(edition or edition_for(dt.date.today()).key, allow_auto=False)
    try:
        if daily:
            res = aqi_std.daily(
                pm25=pm25, pm10=pm10, so2=so2, no2=no2, co=co, o3_8h=o3_8h, o3_1h=o3_1h, edition=ed
            )
        else:
            if (
                "pm25_24h" in aqi_std.indicators("hourly", ed)
                and (pm25 is not None or pm10 is not None)
                and pm25_24h is None
                and pm10_24h is None
            ):
                raise ValueError(
                    "HJ 633—2012 表4: the hourly PM IAQI uses the 24-h moving average; "
                    "give --pm25-24h / --pm10-24h (1-h PM values carry no IAQI)"
                )
            res = aqi_std.hourly(
                so2_1h=so2,
                no2_1h=no2,
                co_1h=co,
                o3_1h=o3_1h,
                o3_8h=o3_8h,
                pm10_24h=pm10_24h,
                pm25_24h=pm25_24h,
                pm10_1h=pm10,
                pm25_1h=pm25,
                so2_24h=so2_24h,
                edition=ed,
            )
    except ValueError as exc:
        _fail(exc, lang)
    d = res.to_dict()
    if fmt is TableFmt.json:
        _dump_json(d)
        return
    w = words(lang)
    sep = w("cli.list_sep")
    if d["aqi"] is None:
        missing = sep.join(item_label(m, lang) for m in d["missing"])
        out.print(w("air.cli.aqi_missing", pollutants=missing), markup=False)
    else:
        line = w(
            "air.cli.aqi_line",
            aqi=d["aqi"],
            level=w(f"aqi.level.{d['level']}"),
            category=w(f"aqi.category.{d['level']}"),
        )
        prim = sep.join(symbol(p) for p in d["primary_pollutants"]) or w("label.none")
        primary = w("cli.pair", label=w("header.primary_pollutant"), value=prim)
        out.print(f"{escape(line)}  [{d['color']}]■[/]  {escape(primary)}  ({d['standard']})")
    t = Table(w("header.pollutant"), w("air.cli.header.concentration"), w("air.cli.header.iaqi"))
    for ind, v in d["iaqi"].items():
        c = d["concentrations"].get(ind)
        t.add_row(item_label(ind, lang), with_unit(c, unit_of(ind), lang), "—" if v is None else str(v))
    out.print(t)

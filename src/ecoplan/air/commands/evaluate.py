"""``ecoplan air evaluate|rank|feed|status``: annual and monthly evaluation (HJ 663), the
ranking of cities, the plan indicators it measures, and what is loaded."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import (
    EditionOpt,
    EngineName,
    EngineOpt,
    OutFmt,
    _edition,
    _progress,
    _s,
    air_app,
)
from ecoplan.air.standards import hj663_2013
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out


@air_app.command("evaluate")
def air_evaluate(
    region: Annotated[str, typer.Option(help="Region code")],
    year: Annotated[int, typer.Option(help="Calendar year")],
    month: Annotated[int | None, typer.Option(min=1, max=12, help="A month instead of the year")] = None,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.table,
    lang: LangOpt = "zh",
    three_years: Annotated[
        bool | None,
        typer.Option(
            "--three-year/--no-three-year", help="Three-year moving averages (HJ 663—2026, provisional)"
        ),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Annual evaluation of a city (HJ 663): means, percentiles, days, attainment. / 年度评价"""
    try:
        with _session(db) as ep, _progress() as prog:
            prog.add_task(f"evaluating {region} {year} on {engine.value} / 评价…", total=None)
            ev = ep.air.evaluate(
                region,
                year,
                edition=_edition(edition),
                engine=engine.value,
                three_years=three_years,
                month=month,
            )
            name = ep.region(region).name_zh
    except EcoplanError as exc:
        _fail(exc)
    d = ev.to_dict()
    if fmt is OutFmt.json:
        _dump_json(d)
        return
    _print_evaluation(d, name, lang)


def _print_evaluation(d: dict[str, Any], name: str, lang: str) -> None:
    zh = lang == "zh"

    def v(x: Any, unit: str = "") -> str:
        if x is None:
            return "无效" if zh else "invalid"
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        return f"{x}{unit}"

    period = f"{d['year']}-{d['month']:02d}" if d.get("month") else str(d["year"])
    out.print(
        f"[bold]{escape(name)} {d['region']} {period}[/]  "
        f"{d['standards']['aqi']} · {d['standards']['limits']}"
        f" · {d['standards']['evaluation']}  ({d['stations']} stations, engine {d['engine']})"
    )
    if zh:
        out.print(
            f"有效天数 {d['days_valid']}/{d['days_total']}；"
            f"优良天数 {d['good_days']}（{v(d['good_days_ratio_pct'], '%')}）；"
            f"重度及以上污染 {d['heavy_days']} 天（{v(d['heavy_days_ratio_pct'], '%')}）；"
            f"严重污染 {d['severe_days']} 天"
        )
    else:
        out.print(
            f"valid days {d['days_valid']}/{d['days_total']}; good days {d['good_days']} "
            f"({v(d['good_days_ratio_pct'], '%')}); heavy+ days {d['heavy_days']} "
            f"({v(d['heavy_days_ratio_pct'], '%')}); severe {d['severe_days']}"
        )
    if d.get("month"):
        t = Table("statistic", "value")
        for key in (
            "pm25_mean_ugm3",
            "pm10_mean_ugm3",
            "so2_mean_ugm3",
            "no2_mean_ugm3",
            "co_p95_mgm3",
            "o3_8h_p90_ugm3",
        ):
            t.add_row(key, v(d[key]))
        for key, val in d["percentiles"].items():
            t.add_row(key, v(val))
        out.print(t)
    t = Table("pollutant", "statistic", "value", "limit", "attains" if not zh else "达标", "×limit")
    for p, per in d["attainment"].items():
        if p == "city_attains":
            continue
        for st in (i.statistic for i in hj663_2013.ANNUAL_ITEMS if i.pollutant == p):
            if st in per:
                s = per[st]
                ok = {True: "✓", False: "✗", None: "–"}[s["attains"]]
                t.add_row(
                    p,
                    st,
                    v(s["value"]),
                    f"{s['limit']:g}",
                    ok,
                    "" if s["exceedance_multiple"] in (None, 0.0) else str(s["exceedance_multiple"]),
                )
    if not d.get("month"):
        out.print(t)
    ca = d["attainment"]["city_attains"]
    out.print(
        ("城市达标：" if zh else "city attains: ")
        + {
            True: "是" if zh else "yes",
            False: "否" if zh else "no",
            None: "无法判定" if zh else "undetermined",
        }[ca]
    )
    if d["composite_index"] is not None:
        out.print(
            ("综合指数 " if zh else "composite index ") + f"{d['composite_index']} "
            f"({'首要' if zh else 'largest'}: {d['composite']['primary']})"
        )
    ty = d.get("three_year")
    if ty:
        st = ty["statistics"]
        out.print(
            ("三年滑动平均（暂行）" if zh else "three-year moving average (provisional) ")
            + f"{ty['years'][0]}–{ty['years'][-1]}: PM2.5 {v(st['pm25_mean']['value'])}, "
            + f"O3-8h P90 {v(st['o3_p90']['value'])}, "
            + ("优良天数比例 " if zh else "good days ")
            + v(ty["good_days_ratio_pct"], "%")
        )
    ev = d.get("exceptional_events")
    if ev:
        dd = ev["deducted"]
        out.print(
            ("扣除例外事件后（" if zh else "with exceptional events deducted (")
            + f"{ev['flagged_days']} {'天' if zh else 'days'}{'）' if zh else ')'}: "
            + f"PM2.5 {v(dd.get('pm25_annual_ugm3', dd.get('pm25_mean_ugm3')))}, "
            + f"PM10 {v(dd.get('pm10_annual_ugm3', dd.get('pm10_mean_ugm3')))}, "
            + ("优良天数比例 " if zh else "good days ")
            + f"{v(dd['good_days_ratio_pct'], '%')}, "
            + ("综合指数 " if zh else "composite ")
            + v(dd["composite_index"])
        )
    for n in d["notes"]:
        out.print(f"[yellow]• {n['zh'] if zh else n['en']}[/]")


@air_app.command("rank")
def air_rank(
    year: Annotated[int, typer.Option(help="Calendar year")],
    month: Annotated[int | None, typer.Option(min=1, max=12, help="Monthly ranking")] = None,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.table,
    db: DbOpt = None,
) -> None:
    """Rank the loaded cities by the composite index (smaller is better). / 城市排名"""
    try:
        with _session(db) as ep, _progress() as prog:
            prog.add_task(f"evaluating every city {year} / 评价…", total=None)
            rows = ep.air.rank(year, edition=_edition(edition), engine=engine.value, month=month)
    except EcoplanError as exc:
        _fail(exc)
    if fmt is OutFmt.json:
        _dump_json(rows)
        return
    t = Table("rank", "region", "name", "composite", "primary", "PM2.5", "good days %", "valid days")
    for r in rows:
        t.add_row(
            _s(r["rank"]),
            r["region"],
            r["name_zh"] or "",
            _s(r["composite_index"]),
            r["primary"] or "",
            _s(r["pm25_ugm3"]),
            _s(r["good_days_ratio_pct"]),
            str(r["days_valid"]),
        )
    out.print(t)


@air_app.command("feed")
def air_feed(
    region: Annotated[str, typer.Option(help="Region code")],
    year: Annotated[list[int] | None, typer.Option(help="Year(s); default every loaded year")] = None,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
) -> None:
    """Write the plan indicators the air evaluation measures (source "pipeline air"). / 写入规划指标"""
    try:
        with _session(db) as ep:
            fr = ep.air.feed(region, year, edition=_edition(edition), engine=engine.value)
    except EcoplanError as exc:
        _fail(exc)
    for r in fr.rows:
        out.print(
            f"{r.plan}/{r.indicator} {r.region} {r.year}: {r.value} {r.unit} ({r.basis.value})", markup=False
        )
    for s in fr.skipped:
        out.print(f"[dim]skipped {escape(str(s))}[/]")
    res = fr.result
    out.print(f"indicator values: {res.inserted} new, {res.revised} revised, {res.unchanged} unchanged")


@air_app.command("status")
def air_status(db: DbOpt = None, fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.table) -> None:
    """What is loaded: partitions, stations, rejected values by reason. / 数据概况"""
    try:
        with _session(db) as ep:
            parts = ep.air.summary()
            rej = ep.air.reject_counts()
            nst = len(ep.air.stations())
    except EcoplanError as exc:
        _fail(exc)
    if fmt is OutFmt.json:
        _dump_json({"stations": nst, "partitions": parts.to_dict(orient="records"), "rejects": rej})
        return
    t = Table("region", "year", "station-hours", "stations", "first", "last")
    for r in parts.itertuples(index=False):
        cells = (r.region, r.year, r.rows, r.stations, r.first_time, r.last_time)
        t.add_row(*(str(c) for c in cells))
    out.print(t)
    out.print(
        f"{nst} stations; rejected values: " + (", ".join(f"{k} {n}" for k, n in rej.items()) or "none")
    )

"""``ecoplan air evaluate|rank|feed|status``: annual and monthly evaluation (HJ 663), the
ranking of cities, the plan indicators it measures, and what is loaded."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import (
    EditionOpt,
    _edition,
    _progress,
    _s,
    air_app,
    symbol,
    symbols,
    unit_of,
)
from ecoplan.air.standards import hj663_2013
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, place, with_unit, words
from ecoplan.kit.options import EngineName, EngineOpt, TableFmt


@air_app.command("evaluate")
def air_evaluate(
    region: Annotated[str, typer.Option(help="Region code")],
    year: Annotated[int, typer.Option(help="Calendar year")],
    month: Annotated[int | None, typer.Option(min=1, max=12, help="A month instead of the year")] = None,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
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
        with _session(db, lang) as ep, _progress() as prog:
            w = words(lang)
            prog.add_task(
                w("air.cli.progress.evaluating", region=region, year=year, engine=engine.value), total=None
            )
            ev = ep.air.evaluate(
                region,
                year,
                edition=_edition(edition),
                engine=engine.value,
                three_years=three_years,
                month=month,
            )
            r = ep.region(region)
            name = r.name_en if lang == "en" and r.name_en else r.name_zh
    except EcoplanError as exc:
        _fail(exc, lang)
    d = ev.to_dict()
    if fmt is TableFmt.json:
        _dump_json(d)
        return
    _print_evaluation(d, name, lang)


#: The monthly statistics: (key, pollutant, statistic word).
_MONTHLY = (
    ("pm25_mean_ugm3", "pm25", "month_mean"),
    ("pm10_mean_ugm3", "pm10", "month_mean"),
    ("so2_mean_ugm3", "so2", "month_mean"),
    ("no2_mean_ugm3", "no2", "month_mean"),
    ("co_p95_mgm3", "co", "p95"),
    ("o3_8h_p90_ugm3", "o3", "p90"),
)


def _print_evaluation(d: dict[str, Any], name: str, lang: str) -> None:
    w = words(lang)

    def v(x: Any, unit: str = "") -> str:
        if x is None:
            return w("label.invalid")
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        if unit == "%":
            return f"{x}%"
        return with_unit(x, unit, lang) if unit else str(x)

    period = f"{d['year']}-{d['month']:02d}" if d.get("month") else str(d["year"])
    std = d["standards"]
    engine = w("air.cli.stations_engine", stations=d["stations"], engine=d["engine"])
    out.print(
        f"[bold]{escape(name)} {d['region']} {period}[/]  "
        f"{std['aqi']} · {std['limits']} · {std['evaluation']}  ({escape(engine)})"
    )
    days = w(
        "air.cli.days",
        valid=d["days_valid"],
        total=d["days_total"],
        good=d["good_days"],
        good_pct=v(d["good_days_ratio_pct"], "%"),
        heavy=d["heavy_days"],
        heavy_pct=v(d["heavy_days_ratio_pct"], "%"),
        severe=d["severe_days"],
    )
    out.print(days, markup=False)
    if d.get("month"):
        t = Table(w("header.statistic"), w("header.value"))
        for key, p, st in _MONTHLY:
            t.add_row(f"{symbol(p)} {w(f'air.cli.statistic.{st}')}", v(d[key], unit_of(p)))
        for key, val in d["percentiles"].items():
            t.add_row(escape(key), v(val))
        out.print(t)
    t = Table(
        w("header.pollutant"),
        w("header.statistic"),
        w("header.value"),
        w("header.limit"),
        w("header.attains"),
        w("air.cli.header.exceedance"),
    )
    for p, per in d["attainment"].items():
        if p == "city_attains":
            continue
        for st in (i.statistic for i in hj663_2013.ANNUAL_ITEMS if i.pollutant == p):
            if st in per:
                s = per[st]
                ok = {True: "✓", False: "✗", None: "–"}[s["attains"]]
                t.add_row(
                    symbol(p),
                    w(f"air.cli.statistic.{st}"),
                    v(s["value"], unit_of(p)),
                    with_unit(s["limit"], unit_of(p), lang),
                    ok,
                    "" if s["exceedance_multiple"] in (None, 0.0) else str(s["exceedance_multiple"]),
                )
    if not d.get("month"):
        out.print(t)
    ca = d["attainment"]["city_attains"]
    answer = w({True: "label.yes", False: "label.no", None: "label.undetermined"}[ca])
    out.print(w("cli.pair", label=w("label.city_attains"), value=answer), markup=False)
    if d["composite_index"] is not None:
        primary = symbol(d["composite"]["primary"])
        out.print(w("air.cli.composite", index=d["composite_index"], primary=primary), markup=False)
    ty = d.get("three_year")
    if ty:
        st3 = ty["statistics"]
        line = w(
            "air.cli.three_year",
            label=w("label.three_year_mean"),
            first=ty["years"][0],
            last=ty["years"][-1],
            pm25=v(st3["pm25_mean"]["value"], "µg/m³"),
            o3=v(st3["o3_p90"]["value"], "µg/m³"),
            good=v(ty["good_days_ratio_pct"], "%"),
        )
        out.print(line, markup=False)
    ev = d.get("exceptional_events")
    if ev:
        dd = ev["deducted"]
        line = w(
            "air.cli.deducted",
            label=w("label.events_deducted", days=ev["flagged_days"]),
            pm25=v(dd.get("pm25_annual_ugm3", dd.get("pm25_mean_ugm3")), "µg/m³"),
            pm10=v(dd.get("pm10_annual_ugm3", dd.get("pm10_mean_ugm3")), "µg/m³"),
            good=v(dd["good_days_ratio_pct"], "%"),
            composite=v(dd["composite_index"]),
        )
        out.print(line, markup=False)
    for n in d["notes"]:
        out.print(f"[yellow]• {escape(n[lang])}[/]")


@air_app.command("rank")
def air_rank(
    year: Annotated[int, typer.Option(help="Calendar year")],
    month: Annotated[int | None, typer.Option(min=1, max=12, help="Monthly ranking")] = None,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """Rank the loaded cities by the composite index (smaller is better). / 城市排名"""
    w = words(lang)
    try:
        with _session(db, lang) as ep, _progress() as prog:
            prog.add_task(w("air.cli.progress.ranking", year=year), total=None)
            rows = ep.air.rank(year, edition=_edition(edition), engine=engine.value, month=month)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json(rows)
        return
    t = Table(
        w("header.rank"),
        w("header.region"),
        w("header.composite_index"),
        w("header.primary_pollutant"),
        w("air.cli.header.pm25_month" if month else "header.pm25_annual"),
        w("header.good_days_ratio"),
        w("header.days_valid"),
    )
    for r in rows:
        code = str(r["region"])
        t.add_row(
            _s(r["rank"]),
            escape(place(names.get(code) or r.get("name_zh"), code, lang)),
            _s(r["composite_index"]),
            symbols(r["primary"], lang),
            with_unit(r["pm25_ugm3"], "µg/m³", lang),
            with_unit(r["good_days_ratio_pct"], "%", lang),
            _s(r["days_valid"]),
        )
    out.print(t)


@air_app.command("feed")
def air_feed(
    region: Annotated[str, typer.Option(help="Region code")],
    year: Annotated[list[int] | None, typer.Option(help="Year(s); default every loaded year")] = None,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """Write the plan indicators the air evaluation measures (source "pipeline air"). / 写入规划指标"""
    try:
        with _session(db, lang) as ep:
            fr = ep.air.feed(region, year, edition=_edition(edition), engine=engine.value)
            names = ep.region_names()
            plans = {p.id: p for p in ep.plans()}
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)

    def names_of(plan_id: str, indicator_id: str) -> tuple[str, str]:
        """The plan's title and the indicator's name in ``lang`` (ids if unknown)."""
        p = plans.get(plan_id)
        if p is None:
            return plan_id, indicator_id
        try:
            return p.title.get(lang), p.indicator(indicator_id).name.get(lang)
        except KeyError:
            return p.title.get(lang), indicator_id

    for r in fr.rows:
        plan, indicator = names_of(r.plan, r.indicator)
        line = w(
            "air.cli.feed.row",
            plan=plan,
            indicator=indicator,
            region=place(names.get(r.region), r.region, lang),
            year=r.year,
            value=with_unit(r.value, r.unit, lang),
            basis=w.get(f"cli.basis.{r.basis.value}", r.basis.value),
        )
        out.print(line, markup=False)
    for s in fr.skipped:
        plan, indicator = names_of(s.plan, s.indicator)
        item = w("air.feed.skip_item", plan=plan, indicator=indicator, year=s.year, why=s.why.text(lang))
        out.print(f"[dim]{escape(w('air.cli.feed.skipped', item=item))}[/]")
    res = fr.result
    summary = w("air.cli.feed.summary", new=res.inserted, revised=res.revised, unchanged=res.unchanged)
    out.print(summary, markup=False)


@air_app.command("status")
def air_status(
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """What is loaded: partitions, stations, rejected values by reason. / 数据概况"""
    try:
        with _session(db, lang) as ep:
            parts = ep.air.summary()
            rej = ep.air.reject_counts()
            nst = len(ep.air.stations())
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json({"stations": nst, "partitions": parts.to_dict(orient="records"), "rejects": rej})
        return
    w = words(lang)
    t = Table(
        w("header.region"),
        w("header.year"),
        w("air.cli.header.station_hours"),
        w("air.cli.header.stations"),
        w("air.cli.header.first"),
        w("air.cli.header.last"),
    )
    for r in parts.itertuples(index=False):
        region = place(names.get(str(r.region)), str(r.region), lang)
        cells = (region, r.year, r.rows, r.stations, r.first_time, r.last_time)
        t.add_row(*(escape(str(c)) for c in cells))
    out.print(t)
    sep = w("cli.list_sep")
    counts = sep.join(f"{w.get(f'reason.reject.{k}', k)} {n}" for k, n in rej.items()) or w("label.none")
    out.print(w("air.cli.status_summary", stations=nst, rejects=counts), markup=False)

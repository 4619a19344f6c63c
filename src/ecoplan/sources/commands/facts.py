"""``ecoplan sources compute|hourly|exceedances|evidence|alarms|cards|credit|totals|feed``,
``ecoplan sources reported load FILE`` and ``ecoplan sources scenario`` (through
``ep.sources.facts``; ``docs/sources-facts.md``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table as RichTable

from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, out, say, words
from ecoplan.kit.options import EngineName, EngineOpt, ListFmt, TableFmt, fetched, write_frame
from ecoplan.sources.commands.options import sources_app
from ecoplan.sources.standards.cards import causes

__all__ = ["reported_app"]

reported_app = typer.Typer(no_args_is_help=True, help="Reported emission totals (statistics) / 统计排放量")
sources_app.add_typer(reported_app, name="reported")

Fmt = Annotated[ListFmt, typer.Option("--format", help="table, json or csv")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write json/csv to this file")]
Region = Annotated[str | None, typer.Option("--region", help="Region code (and the regions under it)")]
Enterprise = Annotated[str | None, typer.Option("--enterprise", help="Credit code")]
Start = Annotated[str | None, typer.Option("--start", help="From (ISO date or time)")]
End = Annotated[str | None, typer.Option("--end", help="Before (ISO date or time)")]

#: Columns whose values are words (status, kind, card, basis).
_WORDED = {"status": "status", "kind": "kind", "card": "card", "basis": "basis"}


def _cell(col: str, v: Any, w: Any, lang: str) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return "—"
    if col in ("causes", "persisting"):
        return causes(v, lang) if str(v) else ""
    if col in _WORDED:
        return str(w(f"sources.facts.{_WORDED[col]}.{v}"))
    if col == "exceed" or isinstance(v, bool):
        return str(w("sources.facts.yes" if v else "sources.facts.no"))
    if col == "coverage":
        return f"{100 * float(v):.1f}%"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)


def _show(df: pd.DataFrame, cols: Sequence[str], fmt: ListFmt, output: Path | None, lang: str) -> None:
    """A table of ``cols`` (headers from the words), or every column as json/csv."""
    if fmt is not ListFmt.table:
        if fmt is ListFmt.json and output is None:
            _dump_json(json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False)))
            return
        write_frame(
            df, fmt.value, output, lang, "sources.facts.cli.written", "sources.facts.cli.needs_output"
        )
        return
    w = words(lang)
    if df.empty:
        say(w("sources.facts.cli.none"))
        return
    shown = [c for c in cols if c in df.columns]
    t = RichTable(*(w(f"sources.facts.header.{c}") for c in shown))
    for rec in df[shown].itertuples(index=False):
        t.add_row(*(_cell(c, v, w, lang) for c, v in zip(shown, rec, strict=True)))
    out.print(t)


def _run(get: Callable[[Any], pd.DataFrame], cols: Sequence[str], fmt: ListFmt, output: Path | None,
         db: str | None, lang: str) -> None:  # fmt: skip
    df = fetched(get, db, lang, (EcoplanError, ValueError))
    _show(df, cols, fmt, output, lang)


@sources_app.command("compute")
def sources_compute(
    engine: EngineOpt = EngineName.duckdb,
    start: Start = None,
    end: End = None,
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Rollups, hourly compliance, exceedances, alarms, cards and totals of a period (whole
    days; default: all the data). / 计算小时值、超标、报警、黄红牌与排放量"""
    res = fetched(
        lambda ep: ep.sources.facts.compute(engine=engine.value, start=start, end=end),
        db,
        lang,
        (EcoplanError, ValueError),
    )
    if fmt is TableFmt.json:
        _dump_json(res.to_dict())
        return
    say(words(lang)("sources.facts.cli.computed", **res.to_dict()))


@sources_app.command("hourly")
def sources_hourly(
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet id")] = None,
    factor: Annotated[str | None, typer.Option("--factor", help="Factor code, e.g. a21026")] = None,
    start: Start = None,
    end: End = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Hourly values with their validity, limit and verdict. / 小时值与达标判定"""
    cols = ("outlet_id", "factor", "hour", "avg", "zs_avg", "valid_minutes", "status", "limit_value", "value",
            "exceed")  # fmt: skip
    _run(lambda ep: ep.sources.facts.hourly(outlet, factor, start, end), cols, fmt, output, db, lang)


@sources_app.command("exceedances")
def sources_exceedances(
    region: Region = None,
    enterprise: Enterprise = None,
    start: Start = None,
    end: End = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Exceedance events (consecutive exceeding hours merged). / 超标事件"""
    cols = (
        "event_id",
        "credit_code",
        "factor",
        "basis",
        "start",
        "end",
        "periods",
        "max_value",
        "limit_value",
    )
    _run(lambda ep: ep.sources.facts.exceedances(region, enterprise, start, end), cols, fmt, output, db, lang)


@sources_app.command("evidence")
def sources_evidence(
    event: Annotated[str, typer.Argument(help="Event id (from exceedances)")],
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """The frames an exceedance event rests on. / 超标事件的证据报文"""
    cols = ("frame_id", "data_time", "cn", "raw")
    _run(lambda ep: ep.sources.facts.evidence(event), cols, fmt, output, db, lang)


@sources_app.command("alarms")
def sources_alarms(
    region: Region = None,
    enterprise: Enterprise = None,
    kind: Annotated[str | None, typer.Option("--kind", help="silence, flatline, negative, …")] = None,
    start: Start = None,
    end: End = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Abnormal-data alarms. / 异常数据报警"""
    cols = ("alarm_id", "kind", "credit_code", "mn", "factor", "start", "end", "value", "records")
    _run(
        lambda ep: ep.sources.facts.alarms(region, enterprise, kind, start, end), cols, fmt, output, db, lang
    )


@sources_app.command("cards")
def sources_cards(
    quarter: Annotated[str | None, typer.Option("--quarter", help="e.g. 2020Q2 (the quarterly list)")] = None,
    region: Region = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Yellow and red cards. / 黄牌、红牌企业名单"""
    cols = ("quarter", "credit_code", "name", "region", "card", "causes", "persisting")
    _run(lambda ep: ep.sources.facts.cards(quarter, region), cols, fmt, output, db, lang)


@sources_app.command("credit")
def sources_credit(
    year: Annotated[int | None, typer.Option("--year")] = None,
    region: Region = None,
    fmt: Annotated[ListFmt, typer.Option("--format", help="json or csv")] = ListFmt.json,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Credit-rating inputs per enterprise and year (json or csv). / 企业环境信用评价依据"""
    _run(lambda ep: ep.sources.facts.credit(year, region), ("year", "credit_code"), fmt, output, db, lang)


@sources_app.command("totals")
def sources_totals(
    year: Annotated[int | None, typer.Option("--year")] = None,
    by: Annotated[str, typer.Option("--by", help="enterprise or region")] = "enterprise",
    region: Region = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Annual emissions per enterprise or region, with their coverage. / 年排放量"""
    first = ("credit_code", "name") if by == "enterprise" else ("region", "name")
    cols = ("year", *first, "factor", "tonnes", "days", "expected_days", "coverage")
    _run(lambda ep: ep.sources.facts.totals(year, region, by), cols, fmt, output, db, lang)


@reported_app.command("load")
def reported_load(
    files: Annotated[list[Path], typer.Argument(help="CSV: region, year, pollutant, tonnes, source")],
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Load reported totals (the base year of the reduction indicators). / 导入统计排放量"""
    res = fetched(
        lambda ep: ep.sources.facts.load_reported([str(f) for f in files]),
        db,
        lang,
        (EcoplanError, ValueError),
    )
    if fmt is TableFmt.json:
        _dump_json(res.to_dict())
        return
    say(words(lang)("sources.facts.cli.reported", **{**res.to_dict(), "files": ", ".join(res.files)}))


@reported_app.command("list")
def reported_list(
    region: Region = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    fmt: Fmt = ListFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Stored reported totals. / 已导入的统计排放量"""
    cols = ("region", "year", "factor", "tonnes")
    _run(lambda ep: ep.sources.facts.reported(region, year), cols, fmt, output, db, lang)


@sources_app.command("feed")
def sources_feed(
    plan: Annotated[str | None, typer.Option("--plan", help="Plan id (default: every plan)")] = None,
    region: Region = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show, write nothing")] = False,
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Feed the total-emission reduction indicators (cumulative decline since the base
    year). / 写入规划的主要污染物排放总量减少指标"""
    res = fetched(
        lambda ep: ep.sources.facts.feed(plan, region, dry_run), db, lang, (EcoplanError, ValueError)
    )
    w = words(lang)
    if fmt is TableFmt.json:
        _dump_json(
            {
                "dry_run": dry_run,
                "rows": [
                    {
                        "plan": r.plan,
                        "indicator": r.indicator,
                        "region": r.region,
                        "year": r.year,
                        "value": r.value,
                        "source": r.source,
                        "note": r.note,
                    }
                    for r in res.rows
                ],
                "skipped": [
                    {
                        "plan": s.plan,
                        "indicator": s.indicator,
                        "region": s.region,
                        "year": s.year,
                        "reason": s.why.key,
                        "why": s.why.text(lang),
                    }
                    for s in res.skipped
                ],
                "result": None if res.result is None else res.result.__dict__,
            }
        )
        return
    for r in res.rows:
        say(w("sources.facts.cli.fed_row", plan=r.plan, indicator=r.indicator, region=r.region, year=r.year,
              value=f"{r.value:.2f}%"))  # fmt: skip
    for s in res.skipped:
        why = s.why.text(lang)
        say(w("sources.facts.cli.skipped_row", plan=s.plan, indicator=s.indicator, region=s.region,
              year=s.year, why=why))  # fmt: skip
    if dry_run or res.result is None:
        say(w("sources.facts.cli.would_feed", rows=len(res.rows), skipped=len(res.skipped)))
    else:
        r = res.result
        say(w("sources.facts.cli.fed", rows=len(res.rows), inserted=r.inserted, revised=r.revised,
              unchanged=r.unchanged, skipped=len(res.skipped)))  # fmt: skip


@sources_app.command("scenario")
def sources_scenario(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the scenario into")],
    outlets: Annotated[int, typer.Option("--outlets", help="Outlets (half air, half water)")] = 200,
    month: Annotated[str, typer.Option("--month", help="The month of minute data, e.g. 2020-06")] = "2020-06",
    seed: Annotated[int, typer.Option("--seed")] = 1,
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Write a simulated month (register, HJ 212 frames, reported base year, ground truth of
    the injected exceedances and faults). / 生成模拟月份数据"""
    from ecoplan.sources.simulate.month import write_scenario

    try:
        res = write_scenario(out_dir, outlets=outlets, month=month, seed=seed)
    except ValueError as exc:
        _fail(EcoplanError.worded("sources.facts.error.bad_scenario", detail=str(exc)), lang)
    if fmt is TableFmt.json:
        _dump_json(res)
        return
    say(words(lang)("sources.facts.cli.scenario", **res))

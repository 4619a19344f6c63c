"""``ecoplan aqi`` and ``ecoplan air …``: one AQI, and the air pipeline."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ecoplan.air.readers import FORMATS as INPUT_FORMATS
from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import hj663_2013
from ecoplan.air.standards.editions import EDITION_KEYS, edition_for
from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, err, out

__all__ = ["air_app", "aqi"]

air_app = typer.Typer(no_args_is_help=True, help="Ambient air: load, daily AQI, evaluate, rank / 环境空气")
events_app = typer.Typer(no_args_is_help=True, help="Exceptional events (sand-dust …) / 例外事件")
air_app.add_typer(events_app, name="events")


class OutFmt(StrEnum):
    table = "table"
    json = "json"


class DailyFmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


class ListFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


#: ``--format`` of ``ecoplan air load``: the names of :data:`ecoplan.air.readers.FORMATS`.
LoadFmt = StrEnum("LoadFmt", {name.replace("-", "_"): name for name in INPUT_FORMATS})  # type: ignore[misc]
_LOAD_HELP = "Input format: " + "; ".join(f"{k}: {r.description}" for k, r in INPUT_FORMATS.items())


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


EditionOpt = Annotated[
    str, typer.Option("--edition", help="auto (by the date the data describe), 2012 or 2026 / 标准版本")
]
EngineOpt = Annotated[EngineName, typer.Option("--engine", help="duckdb (default) or spark")]
Num = Annotated[float | None, typer.Option()]

#: Reason codes of rejected values (``docs/air-input.md``), in Chinese.
REASON_ZH = {
    "negative": "负值",
    "impossible": "超出上限",
    "unparseable": "无法解析",
    "duplicate": "重复",
    "timezone": "时区不符",
    "bad_time": "时间无效",
    "unknown_station": "未知站点",
}
#: Rejected values listed by ``air load``: in the table, and in the JSON output.
SHOW_REJECTS = 20
JSON_REJECTS = 1000


def _edition(value: str, allow_auto: bool = True) -> str:
    if value in EDITION_KEYS or (allow_auto and value == "auto"):
        return value
    keys = " or ".join(EDITION_KEYS)
    raise typer.BadParameter(f"--edition must be {'auto, ' if allow_auto else ''}{keys}, not {value!r}")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    )


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
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.table,
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
        _fail(exc)
    d = res.to_dict()
    if fmt is OutFmt.json:
        _dump_json(d)
        return
    zh = lang == "zh"
    if d["aqi"] is None:
        out.print(
            ("AQI: NA（缺测：" if zh else "AQI: NA (missing: ")
            + ", ".join(d["missing"])
            + ("）" if zh else ")")
        )
    else:
        cat = d["category_zh"] if zh else d["category_en"]
        prim = ", ".join(d["primary_pollutants"]) or ("无" if zh else "none")
        out.print(
            f"AQI {d['aqi']}  {d['level_zh'] if zh else 'level ' + str(d['level'])}  {cat}  "
            f"[{d['color']}]■[/]  {'首要污染物' if zh else 'primary'}: {prim}  ({d['standard']})"
        )
    t = Table("indicator", "C", "IAQI")
    for ind, v in d["iaqi"].items():
        c = d["concentrations"].get(ind)
        t.add_row(ind, "NA" if c is None else f"{c:g}", "NA" if v is None else str(v))
    out.print(t)


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
    fmt_out: Annotated[OutFmt, typer.Option("--output-format")] = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load hourly observations (validated; re-loading is idempotent). / 导入小时监测数据

    Rejected values are counted by reason and the first ones listed (file, row,
    reason, station, time, pollutant, value; `ecoplan air rejects` lists all);
    CO whose values look like the other unit is warned about, with its rows."""
    units: dict[str, str] = {}
    for u in unit or []:
        k, sep, v = u.partition("=")
        if not sep:
            _fail(ValueError(f"--unit {u!r}: expected POLLUTANT=UNIT, e.g. co=mg/m3"))
        units[k.strip().lower()] = v.strip()
    try:
        with _session(db) as ep, _progress() as prog:
            task = prog.add_task("reading / 读取…", total=None)

            def step(stage: str) -> None:
                prog.update(task, description={"read": "reading / 读取…", "store": "storing / 写入…"}[stage])

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
        _fail(exc)
    summary = batch.summary()
    rejected = _reject_records(batch.rejects)
    if fmt_out is OutFmt.json:
        _dump_json(
            {
                "input": summary,
                "import": res.to_dict(),
                "rejected": {"total": len(rejected), "rows": rejected[:JSON_REJECTS]},
                "warnings": [w.to_dict(limit=JSON_REJECTS) for w in batch.warnings],
            }
        )
        return
    zh = lang == "zh"
    shares: dict[str, float | None] = summary["missing_share"]
    miss = ", ".join(f"{p} {v:.1%}" for p, v in shares.items() if v is not None)
    rej = {k: v for k, v in res.rejects.items() if v}
    written = ", ".join(f"{r}/{y}" for r, y in res.partitions_written) or ("无" if zh else "none")
    if zh:
        out.print(
            f"读取 {summary['files']} 个文件：{summary['rows']} 个站点小时，{summary['stations']} 个站点，"
            f"{summary['first']} … {summary['last']}"
        )
        out.print(f"缺测比例：{miss}")
        out.print("剔除数值：" + ("，".join(f"{k}（{REASON_ZH[k]}）{v}" for k, v in rej.items()) or "无"))
    else:
        out.print(
            f"read {summary['files']} file(s): {summary['rows']} station-hours, "
            f"{summary['stations']} stations, {summary['first']} … {summary['last']}"
        )
        out.print(f"missing values: {miss}")
        out.print("rejected values: " + (", ".join(f"{k} {v}" for k, v in rej.items()) or "none"))
    if rejected:
        out.print(_reject_table(rejected[:SHOW_REJECTS], zh))
        more = len(rejected) - SHOW_REJECTS
        if more > 0:
            out.print(
                f"… 另有 {more} 个剔除数值；`ecoplan air rejects` 列出全部"
                if zh
                else f"… and {more} more; `ecoplan air rejects` lists all"
            )
    for w in batch.warnings:
        # one line per warning, never wrapped (greppable in CI logs)
        out.print(
            f"[yellow]⚠ {'警告' if zh else 'warning'}: {escape(w.message(lang))}[/]",
            highlight=False,
            soft_wrap=True,
        )
    if res.absent:
        out.print(
            ("输入中没有（未监测）：" if zh else "not in the input (not monitored): ") + ", ".join(res.absent)
        )
    if zh:
        out.print(
            f"写入：新增 {res.rows_new} 个站点小时，修订 {res.values_revised} 个数值，"
            f"{res.rows_unchanged} 个站点小时未变；写入分区：{written}"
        )
    else:
        out.print(
            f"stored: {res.rows_new} new station-hours, {res.values_revised} values revised, "
            f"{res.rows_unchanged} unchanged; partitions written: {written}"
        )


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


def _reject_table(rows: list[dict[str, Any]], zh: bool) -> Table:
    t = (
        Table("文件", "行", "原因", "站点", "时间", "污染物", "数值")
        if zh
        else Table("file", "row", "reason", "station", "time", "pollutant", "value")
    )
    for r in rows:
        when = r.get("time") or r.get("time_text") or ""
        cells = (
            Path(str(r["file"])).name,
            str(r["row"]),
            f"{r['reason']}（{REASON_ZH.get(r['reason'], '')}）" if zh else str(r["reason"]),
            str(r.get("station") or ""),
            str(when).replace("T", " ")[:19],
            str(r["pollutant"]),
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
        with _session(db) as ep:
            df = ep.air.rejects(reason)
    except EcoplanError as exc:
        _fail(exc)
    total = len(df)
    if limit is not None:
        df = df.head(limit)
    df = df[["file", "row", "reason", "station", "time", "pollutant", "value"]]
    if fmt is not ListFmt.table:
        _write_frame(df, DailyFmt(fmt.value), None, "rejected values")
        return
    zh = lang == "zh"
    if total:
        out.print(_reject_table(_reject_records(df), zh))
    shown = f"（显示前 {len(df)} 个）" if zh else f" (first {len(df)} shown)"
    out.print(
        (f"{total} 个剔除数值" if zh else f"{total} rejected values") + (shown if len(df) < total else "")
    )


def _write_frame(df: Any, fmt: DailyFmt, output: Path | None, noun: str) -> None:
    """csv/json to ``output`` or stdout; parquet to ``output`` (required)."""
    if fmt is DailyFmt.parquet:
        if output is None:
            _fail(ValueError("--format parquet needs --output FILE"))
        df.to_parquet(output, index=False)
        out.print(f"{output}: {len(df)} {noun}", markup=False)
        return
    if fmt is DailyFmt.csv:
        text = csv_text(df)
    else:
        recs = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
        text = json.dumps(recs, ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(f"{output}: {len(df)} {noun}", markup=False)
    else:
        sys.stdout.write(text)


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{name}: expected a date YYYY-MM-DD, got {text!r}") from None


@air_app.command("daily")
def air_daily(
    region: Annotated[str, typer.Option(help="Region code")],
    start: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD")],
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[DailyFmt, typer.Option("--format")] = DailyFmt.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file (parquet needs it)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """City daily concentrations, IAQI, AQI and primary pollutants. / 城市日报"""
    d0, d1 = _date(start, "--from"), _date(end, "--to")
    try:
        with _session(db) as ep, _progress() as prog:
            prog.add_task(f"computing on {engine.value} / 计算…", total=None)
            df = ep.air.daily(region, d0, d1, edition=_edition(edition), engine=engine.value)
    except EcoplanError as exc:
        _fail(exc)
    cols = [
        "region",
        "day",
        "edition",
        "aqi",
        "level",
        "category_zh",
        "category_en",
        "primary",
        "pm25",
        "pm10",
        "so2",
        "no2",
        "co",
        "o3_8h",
        "o3_1h",
        "valid",
        "complete",
    ]
    cols += [c for c in df.columns if c.startswith(("iaqi_", "n_"))]
    df = df[[c for c in cols if c in df.columns]]
    if fmt is not DailyFmt.table:
        _write_frame(df, fmt, output, "days")
        return
    t = Table("day", "AQI", "类别", "primary", "PM2.5", "PM10", "SO2", "NO2", "CO", "O3-8h")
    for r in df.itertuples(index=False):
        t.add_row(
            str(r.day),
            _s(r.aqi),
            str(r.category_zh or "-"),
            str(r.primary or ""),
            *(_f(getattr(r, c)) for c in ("pm25", "pm10", "so2", "no2")),
            _f(r.co, 2),
            _f(r.o3_8h),
        )
    out.print(t)


def _datetime(text: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{name}: expected YYYY-MM-DD[THH:MM], got {text!r}") from None


@air_app.command("hourly")
def air_hourly(
    region: Annotated[str, typer.Option(help="Region code")],
    start: Annotated[str, typer.Option("--from", help="First hour, YYYY-MM-DDTHH:MM (a date means 00:00)")],
    end: Annotated[str, typer.Option("--to", help="Last hour (a date means 23:00 of that day)")],
    station: Annotated[str | None, typer.Option(help="One station code")] = None,
    city: Annotated[bool, typer.Option("--city", help="The city as a whole (mean over stations)")] = False,
    edition: EditionOpt = "auto",
    engine: EngineOpt = EngineName.duckdb,
    fmt: Annotated[DailyFmt, typer.Option("--format")] = DailyFmt.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file")] = None,
    db: DbOpt = None,
) -> None:
    """Real-time (hourly) AQI per station or city (HJ 633 实时报). / 实时报"""
    t0 = _datetime(start, "--from")
    t1 = _datetime(end, "--to")
    if len(end) == 10:
        t1 = t1.replace(hour=23)
    try:
        with _session(db) as ep, _progress() as prog:
            prog.add_task(f"computing on {engine.value} / 计算…", total=None)
            df = ep.air.hourly(
                region, t0, t1, station=station, city=city, edition=_edition(edition), engine=engine.value
            )
    except EcoplanError as exc:
        _fail(exc)
    cols = ["unit", "time", "edition", "aqi", "level", "category_zh", "category_en", "primary", "complete"]
    cols += [c for c in df.columns if c.endswith(("_1h", "_8h", "_24h")) or c.startswith("iaqi_")]
    df = df[[c for c in dict.fromkeys(cols) if c in df.columns]]
    if fmt is not DailyFmt.table:
        _write_frame(df, fmt, output, "hours")
        return
    t = Table("unit", "time", "AQI", "类别", "primary", "PM2.5 1h", "PM2.5 24h", "O3 1h", "O3 8h")
    for r in df.itertuples(index=False):
        t.add_row(
            str(r.unit),
            f"{r.time:%Y-%m-%d %H:%M}",
            _s(r.aqi),
            str(r.category_zh or "-"),
            str(r.primary or ""),
            _f(r.pm25_1h),
            _f(r.pm25_24h),
            _f(r.o3_1h),
            _f(r.o3_8h),
        )
    out.print(t)


def _s(v: Any) -> str:
    return "NA" if v is None or v is pd.NA else str(v)


def _f(v: Any, digits: int = 1) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return "NA"
    return "NA" if x != x else f"{x:.{digits}f}"


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


@events_app.command("import")
def events_import(file: Path, db: DbOpt = None) -> None:
    """Import exceptional events: region, start[, end], kind[, pollutants, approved, note]. / 导入例外事件"""
    try:
        with _session(db) as ep:
            new, changed = ep.air.import_events(file)
    except EcoplanError as exc:
        _fail(exc)
    out.print(f"{file}: {new} new event-days, {changed} changed", markup=False)


@events_app.command("list")
def events_list(
    region: Annotated[str | None, typer.Option(help="Region code")] = None,
    db: DbOpt = None,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.table,
) -> None:
    """List exceptional events. / 例外事件列表"""
    try:
        with _session(db) as ep:
            df = ep.air.events(region)
    except EcoplanError as exc:
        _fail(exc)
    if fmt is OutFmt.json:
        _dump_json(json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False)))
        return
    t = Table("region", "day", "kind", "approved", "pollutants", "note")
    for r in df.itertuples(index=False):
        polls = ",".join(p for p in ("pm25", "pm10", "so2", "no2", "co", "o3") if getattr(r, p))
        t.add_row(
            str(r.region),
            str(r.day),
            escape(str(r.kind)),
            "yes" if r.approved else "no",
            polls,
            escape(str(r.note or "")),
        )
    out.print(t)

"""``ecoplan air daily`` and ``ecoplan air hourly``: city daily reports and real-time AQI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ecoplan.air.commands.options import (
    DailyFmt,
    EditionOpt,
    EngineName,
    EngineOpt,
    _date,
    _datetime,
    _edition,
    _f,
    _progress,
    _s,
    _write_frame,
    air_app,
)
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, _fail, _session, out


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

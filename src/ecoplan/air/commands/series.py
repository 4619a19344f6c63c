"""``ecoplan air daily`` and ``ecoplan air hourly``: city daily reports and real-time AQI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ecoplan.air.commands.options import (
    DailyFmt,
    EditionOpt,
    _date,
    _datetime,
    _edition,
    _f,
    _progress,
    _s,
    _write_frame,
    air_app,
    item_label,
    symbol,
    symbols,
    unit_of,
    with_unit_header,
)
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _fail, _session, out, place, words
from ecoplan.kit.options import EngineName, EngineOpt


def _category(level: object, lang: str) -> str:
    """The AQI category of a level (``aqi.category.<level>``), ``—`` for none."""
    try:
        n = int(level)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return _s(None)
    key = f"aqi.category.{n}"
    w = words(lang)
    return w(key) if w.has(key) else _s(None)


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
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """City daily concentrations, IAQI, AQI and primary pollutants. / 城市日报"""
    d0, d1 = _date(start, "--from"), _date(end, "--to")
    w = words(lang)
    try:
        with _session(db, lang) as ep, _progress() as prog:
            prog.add_task(w("air.cli.progress.computing", engine=engine.value), total=None)
            df = ep.air.daily(region, d0, d1, edition=_edition(edition), engine=engine.value)
    except EcoplanError as exc:
        _fail(exc, lang)
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
        _write_frame(df, fmt, output, "days", lang)
        return
    concentrations = ("pm25", "pm10", "so2", "no2", "co", "o3_8h")
    t = Table(
        w("header.day"),
        w("air.cli.header.aqi"),
        w("header.category"),
        w("header.primary_pollutant"),
        *(
            with_unit_header(item_label(c, lang) if c == "o3_8h" else symbol(c), unit_of(c), lang)
            for c in concentrations
        ),
    )
    for r in df.itertuples(index=False):
        t.add_row(
            f"{r.day:%Y-%m-%d}",
            _s(r.aqi),
            _category(r.level, lang),
            symbols(r.primary, lang),
            *(_f(getattr(r, c), 2 if c == "co" else 1) for c in concentrations),
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
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """Real-time (hourly) AQI per station or city (HJ 633 实时报). / 实时报"""
    t0 = _datetime(start, "--from")
    t1 = _datetime(end, "--to")
    if len(end) == 10:
        t1 = t1.replace(hour=23)
    w = words(lang)
    try:
        with _session(db, lang) as ep, _progress() as prog:
            prog.add_task(w("air.cli.progress.computing", engine=engine.value), total=None)
            df = ep.air.hourly(
                region, t0, t1, station=station, city=city, edition=_edition(edition), engine=engine.value
            )
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    cols = ["unit", "time", "edition", "aqi", "level", "category_zh", "category_en", "primary", "complete"]
    cols += [c for c in df.columns if c.endswith(("_1h", "_8h", "_24h")) or c.startswith("iaqi_")]
    df = df[[c for c in dict.fromkeys(cols) if c in df.columns]]
    if fmt is not DailyFmt.table:
        _write_frame(df, fmt, output, "hours", lang)
        return
    items = ("pm25_1h", "pm25_24h", "o3_1h", "o3_8h")
    t = Table(
        w("header.region" if city else "header.station"),
        w("header.time"),
        w("air.cli.header.aqi"),
        w("header.category"),
        w("header.primary_pollutant"),
        *(with_unit_header(item_label(c, lang), unit_of(c), lang) for c in items),
    )
    for r in df.itertuples(index=False):
        unit = str(r.unit)
        t.add_row(
            place(names.get(unit), unit, lang) if city else unit,
            f"{r.time:%Y-%m-%d %H:%M}",
            _s(r.aqi),
            _category(r.level, lang),
            symbols(r.primary, lang),
            *(_f(getattr(r, c, None)) for c in items),
        )
    out.print(t)

"""What the ``ecoplan air …`` commands share: the command groups, the options, the
formats, progress, frames to files, and the air words (pollutant symbols, AQI items)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ecoplan.air.readers import FORMATS as INPUT_FORMATS
from ecoplan.air.standards.editions import EDITION_KEYS
from ecoplan.core.words import NONE_TEXT
from ecoplan.kit.cli import err, words
from ecoplan.kit.options import write_frame

air_app = typer.Typer(no_args_is_help=True, help="Ambient air: load, daily AQI, evaluate, rank / 环境空气")
events_app = typer.Typer(no_args_is_help=True, help="Exceptional events (sand-dust …) / 例外事件")
air_app.add_typer(events_app, name="events")


class DailyFmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


#: ``--format`` of ``ecoplan air load``: the names of :data:`ecoplan.air.readers.FORMATS`.
LoadFmt = StrEnum("LoadFmt", {name.replace("-", "_"): name for name in INPUT_FORMATS})  # type: ignore[misc]
_LOAD_HELP = "Input format: " + "; ".join(f"{k}: {r.description}" for k, r in INPUT_FORMATS.items())


EditionOpt = Annotated[
    str, typer.Option("--edition", help="auto (by the date the data describe), 2012 or 2026 / 标准版本")
]
Num = Annotated[float | None, typer.Option()]

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


def _write_frame(df: Any, fmt: DailyFmt, output: Path | None, noun: str, lang: str = "en") -> None:
    """csv/json to ``output`` or stdout; parquet to ``output`` (required). ``noun``: what
    a row is (``days``, ``hours``, ``rejects``: the word ``air.cli.written.<noun>``)."""
    write_frame(df, fmt, output, lang, f"air.cli.written.{noun}", "--format parquet needs --output FILE")


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{name}: expected a date YYYY-MM-DD, got {text!r}") from None


def _datetime(text: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{name}: expected YYYY-MM-DD[THH:MM], got {text!r}") from None


def _s(v: Any) -> str:
    """A cell: the value as text, ``—`` for none (a word of no language)."""
    return NONE_TEXT if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def _f(v: Any, digits: int = 1) -> str:
    """A number with ``digits`` decimals, ``—`` for none."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return NONE_TEXT
    return NONE_TEXT if x != x else f"{x:.{digits}f}"


#: Pollutant codes as the standards write them (symbols, the same in every language).
SYMBOL = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"}


def symbol(code: str | None) -> str:
    """``pm25`` -> ``PM2.5``; ``o3_8h`` -> ``O3``; an unknown code as given."""
    if not code:
        return ""
    return SYMBOL.get(code.split("_")[0], code)


def unit_of(code: str) -> str:
    """The unit of a pollutant's concentration: CO in mg/m³, the others in µg/m³."""
    return "mg/m³" if code.split("_")[0] == "co" else "µg/m³"


def symbols(codes: Any, lang: str) -> str:
    """Pollutant codes (a list, or a text ``pm25,o3``) as symbols joined in ``lang``."""
    if codes is None or codes is pd.NA or (isinstance(codes, float) and codes != codes):
        return ""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    return words(lang)("cli.list_sep").join(symbol(c.strip()) for c in items if c and c.strip())


def with_unit_header(name: str, unit: str, lang: str) -> str:
    """A column header with its unit: ``PM2.5（µg/m³）`` / ``PM2.5 (µg/m³)``."""
    return words(lang)("air.cli.header.with_unit", name=name, unit=unit)


def item_label(code: str, lang: str) -> str:
    """An AQI item (``pm25_24h``, ``o3_8h``) as ``PM2.5 24小时平均`` / ``PM2.5 24-h mean``."""
    _, _, period = code.partition("_")
    w = words(lang)
    return f"{symbol(code)} {w(f'air.cli.avg.{period}')}" if w.has(f"air.cli.avg.{period}") else symbol(code)

"""What the ``ecoplan water …`` commands share: the command group, the output formats,
frames to files, and the water words the commands print (items, grades, classes)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from ecoplan.core.words import NONE_TEXT
from ecoplan.kit.cli import words
from ecoplan.kit.options import FrameFmt
from ecoplan.kit.options import write_frame as kit_write_frame

water_app = typer.Typer(
    no_args_is_help=True, help="Surface water: classify, load, evaluate, rank, feed / 地表水"
)


class Period(StrEnum):
    year = "year"
    month = "month"


class By(StrEnum):
    region = "region"
    basin = "basin"
    river = "river"


FmtOpt = Annotated[FrameFmt, typer.Option("--format", help="table, json, csv or parquet (with --output)")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file")]
YearOpt = Annotated[int, typer.Option("--year", help="Year evaluated / 评价年份")]
MonthOpt = Annotated[int | None, typer.Option("--month", min=1, max=12, help="One month (1..12)")]


def write_frame(df: pd.DataFrame, fmt: FrameFmt, output: Path | None, lang: str) -> None:
    """csv/json to ``output`` or stdout; parquet to ``output`` (required)."""
    needs = words(lang)("water.eval.parquet_needs_output", fmt="--format parquet", option="--output")
    kit_write_frame(df, fmt, output, lang, "water.eval.written", needs)


def item_word(item: str, lang: str) -> str:
    """An item's name in ``lang`` (the words of ``water.cli.item.*``)."""
    return words(lang)(f"water.cli.item.{item.lower()}")


def grade_word(code: Any, lang: str) -> str:
    """A grade code (excellent … severe) in ``lang``; — for none."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return NONE_TEXT
    return words(lang)(f"water.grade.{code}")


def pct(v: Any) -> str:
    if v is None or pd.isna(v):
        return NONE_TEXT
    return f"{float(v):.1f}%"


def mains_text(text: str, lang: str) -> str:
    """Main pollutants (JSON list of {item, multiple}) as ``氨氮(1.4)、总磷(0.2)``."""
    w = words(lang)
    parts = []
    for m in json.loads(text or "[]"):
        name = item_word(m["item"], lang)
        parts.append(name if m["multiple"] is None else f"{name}({m['multiple']:.1f})")
    return w("water.eval.list_sep").join(parts) if parts else NONE_TEXT

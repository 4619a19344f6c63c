"""What the ``ecoplan soil …`` commands share: the group, the formats, frame output."""

from __future__ import annotations

import io
import sys
from enum import StrEnum

import pandas as pd
import typer

from ecoplan.core.exports import csv_text
from ecoplan.soil.readers import FORMATS as INPUT_FORMATS

__all__ = ["LoadFmt", "OutFmt", "soil_app", "write_frame"]

soil_app = typer.Typer(
    no_args_is_help=True, help="Soil: GB 15618/GB 36600 classes, safe-use rates / 土壤环境"
)


class OutFmt(StrEnum):
    json = "json"
    csv = "csv"


LoadFmt = StrEnum("LoadFmt", {n.replace("-", "_"): n for n in INPUT_FORMATS})  # type: ignore[misc]
LOAD_HELP = "Input format: " + "; ".join(f"{k}: {r.description}" for k, r in INPUT_FORMATS.items())


def write_frame(df: pd.DataFrame, fmt: str) -> None:
    """A frame on stdout as JSON records, CSV or Parquet bytes."""
    if fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(csv_text(df))
    else:
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        sys.stdout.buffer.write(buf.getvalue())

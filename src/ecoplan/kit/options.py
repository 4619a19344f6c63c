"""What the domains' commands share beside :mod:`ecoplan.kit.cli`: the engine option,
the output formats, and frames written to files or stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import pandas as pd
import typer

from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text
from ecoplan.core.words import Words
from ecoplan.kit.cli import _fail, _session, out, words

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = [
    "EngineName",
    "EngineOpt",
    "FrameFmt",
    "ListFmt",
    "TableFmt",
    "fetched",
    "unit_options",
    "write_frame",
]

T = TypeVar("T")


def fetched(
    get: Callable[[Ecoplan], T],
    db: str | None,
    lang: str,
    errors: tuple[type[Exception], ...] = (EcoplanError,),
) -> T:
    """``get(ep)`` in one store session (:func:`ecoplan.kit.cli._session`); one of
    ``errors`` (raised by ``get`` or by closing the session) is printed as ``error: …``
    and the command exits with status 1."""
    try:
        with _session(db, lang) as ep:
            return get(ep)
    except errors as exc:
        _fail(exc, lang)


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


EngineOpt = Annotated[EngineName, typer.Option("--engine", help="duckdb (default) or spark")]


class TableFmt(StrEnum):
    """``--format`` table or json: what the command prints as a table, or its JSON form."""

    table = "table"
    json = "json"


class ListFmt(StrEnum):
    """``--format`` table, json or csv."""

    table = "table"
    json = "json"
    csv = "csv"


class FrameFmt(StrEnum):
    """``--format`` table, json, csv or parquet (to a file): rows that may be many."""

    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


def write_frame(
    df: pd.DataFrame, fmt: str, output: Path | None, lang: str, written: str, needs_output: str
) -> None:
    """csv/json to ``output`` or stdout; parquet to ``output`` (required: else the error
    ``needs_output``). ``written``: the key of the words saying where the rows went
    (``path``, ``count``)."""
    w = words(lang)
    if fmt == "parquet":
        if output is None:
            _fail(needs_output, lang)
        df.to_parquet(output, index=False)
        out.print(w(written, path=str(output), count=len(df)), markup=False)
        return
    if fmt == "csv":
        text = csv_text(df)
    else:
        recs = json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))
        text = json.dumps(recs, ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(w(written, path=str(output), count=len(df)), markup=False)
    else:
        sys.stdout.write(text)


def unit_options(given: list[str] | None, w: Words, bad: str, *, lower: bool = False) -> dict[str, str]:
    """``--unit co=mg/m3`` options as ``{"co": "mg/m3"}`` (names lower-cased when ``lower``);
    one without ``=`` is an error: the words ``bad`` with ``given``."""
    units: dict[str, str] = {}
    for u in given or []:
        k, sep, v = u.partition("=")
        if not sep:
            _fail(w(bad, given=u), w.lang)
        units[k.strip().lower() if lower else k.strip()] = v.strip()
    return units

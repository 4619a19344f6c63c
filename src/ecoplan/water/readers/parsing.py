"""Parsing helpers shared by the water readers: inputs, tables, cells, times.

Files: :func:`expand` turns a reader's ``sources`` (files, folders, file-like objects)
into inputs; :func:`read_tables` reads a CSV (UTF-8 or GB18030, gzip recognised) or
every sheet of an XLSX as text, or raises :class:`~ecoplan.core.errors.InputFileError`
naming the file and why — nothing is half-read (items and units: :mod:`.items`,
re-exported here). Cells: :func:`parse_number` reads a decimal exactly (``Decimal``), with ``<0.05`` and
``0.05L`` read as "below the detection limit 0.05". Internal to :mod:`ecoplan.water.readers`.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.sources import Input, Source, Sources, name_of
from ecoplan.core.sources import expand as expand_sources
from ecoplan.water.readers.items import CEILINGS, item_key, unit_factor

__all__ = [
    "CEILINGS",
    "MISSING_MARKERS",
    "ND_FLAG",
    "Input",
    "Number",
    "Source",
    "Sources",
    "expand",
    "item_key",
    "name_of",
    "parse_number",
    "parse_time",
    "read_tables",
    "require",
    "unit_factor",
]

#: Cells meaning "no value" (compared case-insensitively after stripping blanks):
#: CNEMC writes ``*`` (not measured) and ``--`` (no value).
MISSING_MARKERS = frozenset({"", "-", "--", "—", "*", "na", "nan", "null", "none"})

#: The flag of a value written below its detection limit (``<0.05``, ``0.05L``): the
#: value stored is the detection limit; the pipeline decides what to average (spec §2.2).
ND_FLAG = "nd"


@dataclass(frozen=True)
class Number:
    """A cell read as a number: ``value`` exact; ``nd`` when written below a detection limit."""

    value: Decimal
    nd: bool = False


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ND = re.compile(r"(?:<\s*(?P<a>.+)|(?P<b>.+?)\s*[lL])")


def parse_number(text: object) -> Number | str | None:
    """A cell as a :class:`Number`, ``None`` when missing, ``"unparseable"`` otherwise.

    >>> parse_number("0.025"), parse_number("--"), parse_number("1,2")
    (Number(value=Decimal('0.025'), nd=False), None, 'unparseable')
    >>> parse_number("<0.05").nd, parse_number("0.01L").value
    (True, Decimal('0.01'))
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    t = str(text).strip()
    if t.lower() in MISSING_MARKERS:
        return None
    if _NUMBER.fullmatch(t):
        try:
            d = Decimal(t)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return "unparseable"
        return Number(d) if d.is_finite() else "unparseable"
    m = _ND.fullmatch(t)
    if m:
        inner = (m.group("a") or m.group("b") or "").strip()
        if _NUMBER.fullmatch(inner):
            return Number(Decimal(inner), nd=True)
    return "unparseable"


_TIME = re.compile(
    r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?|月)?"
)


def parse_time(text: object) -> pd.Timestamp | None:
    """A naive local time (UTC+8) from ``YYYY-MM-DD[ HH:MM[:SS]]``, ``YYYY/MM/DD``,
    ``YYYY-MM`` or ``2025年11月`` (a month: its first day); ``None`` when not a time.

    >>> parse_time("2025-11-06 04:00"), parse_time("2025-11"), parse_time("2025-13-01")
    (Timestamp('2025-11-06 04:00:00'), Timestamp('2025-11-01 00:00:00'), None)
    """
    if isinstance(text, pd.Timestamp):
        return None if pd.isna(text) else text.tz_localize(None) if text.tz else text
    m = _TIME.fullmatch(str(text).strip())
    if m is None:
        return None
    y, mo, d, h, mi, s = (int(g) if g else None for g in m.groups())
    try:
        return pd.Timestamp(
            year=y or 0, month=mo or 0, day=d or 1, hour=h or 0, minute=mi or 0, second=s or 0
        )
    except (ValueError, OverflowError):
        return None


_SUFFIXES = (".csv", ".csv.gz", ".txt", ".xlsx")


def expand(sources: Sources) -> list[Input]:
    """The inputs named in ``sources``; a folder stands for its CSV/XLSX files, sorted."""
    return expand_sources(sources, _SUFFIXES, ".csv or .xlsx")


def _bytes(item: Input) -> bytes:
    name = name_of(item)
    try:
        data = item.read_bytes() if isinstance(item, Path) else item.read()
    except OSError as exc:
        raise InputFileError(name, f"cannot be read ({exc.strerror or exc})") from exc
    return data.encode("utf-8") if isinstance(data, str) else data


def _csv(name: str, data: bytes) -> pd.DataFrame:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputFileError(name, f"not a readable gzip file ({exc})") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputFileError(name, "not UTF-8 or GB18030 text")
    if "\x00" in text:
        raise InputFileError(name, "not a text file (NUL bytes)")
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False, header=None
        )
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(name, "empty file: expected a header row") from exc
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise InputFileError(name, f"not a readable CSV file ({exc})") from exc


def _xlsx(name: str, data: bytes) -> dict[str, pd.DataFrame]:
    try:
        sheets = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl"
        )
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, TypeError) as exc:
        raise InputFileError(name, f"not a readable XLSX file ({exc})") from exc
    out = {}
    for sheet, df in sheets.items():
        cells = df.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else _cell_text(v))
        out[str(sheet)] = cells
    return out


def _cell_text(v: object) -> str:
    if isinstance(v, pd.Timestamp):
        return v.isoformat(sep=" ")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@dataclass
class Table:
    """One table of an input: header (stripped), cells as text, and each row's number
    as a spreadsheet shows it (header = 1)."""

    name: str
    header: list[str]
    cells: pd.DataFrame
    rows: np.ndarray[Any, np.dtype[np.int64]]


def read_tables(item: Input) -> list[Table]:
    """The tables of one input: a CSV's one table, or each non-empty sheet of an XLSX
    (named ``file [sheet]``). Blank rows are dropped (their numbers kept)."""
    name = name_of(item)
    data = _bytes(item)
    raw: dict[str, pd.DataFrame]
    if data[:4] == b"PK\x03\x04":
        raw = {f"{name} [{k}]": v for k, v in _xlsx(name, data).items()}
    else:
        raw = {name: _csv(name, data)}
    out = []
    for tname, df in raw.items():
        df = df.fillna("").astype(str)
        if df.empty:
            continue
        header = [str(c).strip() for c in df.iloc[0]]
        body = df.iloc[1:]
        body.columns = pd.RangeIndex(len(header))
        rows = np.arange(2, len(df) + 1, dtype=np.int64)
        keep = ~(body.apply(lambda s: s.str.strip() == "")).all(axis=1).to_numpy()
        seen: set[str] = set()
        twice = [h for h in header if h and (h in seen or seen.add(h))]  # type: ignore[func-returns-value]
        if twice:
            raise InputFileError(
                name, [Problem(tname, "column given twice", row=1, field=h) for h in sorted(set(twice))]
            )
        out.append(Table(tname, header, body[keep].reset_index(drop=True), rows[keep]))
    if not out:
        raise InputFileError(name, "empty file: expected a header row")
    return out


def require(table: Table, columns: Sequence[str]) -> dict[str, int]:
    """Column positions by lower-cased name; :class:`InputFileError` when one of ``columns`` is missing."""
    pos: dict[str, int] = {}
    for i, h in enumerate(table.header):
        pos.setdefault(h.lower(), i)
    missing = [c for c in columns if c not in pos]
    if missing:
        got = ", ".join(table.header)
        raise InputFileError(
            table.name,
            [Problem(table.name, f"missing column(s) {', '.join(missing)}; header is {got}", row=1)],
        )
    return pos

"""Parsing helpers shared by the hourly readers: input files, cells, units, pollutant names.

Files: :func:`ecoplan.core.sources.expand` turns the ``paths`` argument of a reader
(files, folders, or file-like objects) into the inputs to read, :func:`_read_csv` reads a CSV as
text (UTF-8 or GB18030, gzip decompressed). Cells: :func:`_parse_values` turns
the cells of one pollutant column into canonical values (µg/m³; CO mg/m³,
HJ 633-2012) and reason codes (``unparseable``, ``negative``, ``impossible``);
:func:`_co_unit_warnings` flags CO that looks like the other unit. Units are
declared, never guessed: :func:`_declared_units` checks a ``units`` argument,
:func:`_unit_key` a unit as written. Internal to :mod:`ecoplan.air.readers`.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecoplan.air.readers.batch import (
    CO_UNIT_SPLIT,
    MISSING_MARKERS,
    POLLUTANT_NAMES,
    POLLUTANTS,
    BoolArray,
    FloatArray,
    ObjArray,
    UnitWarning,
)
from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.sources import Input
from ecoplan.core.sources import name_of as _name

_ALIASES = {**{k.lower(): v for k, v in POLLUTANT_NAMES.items()}, **{p: p for p in POLLUTANTS}}
_MISSING_LOWER = frozenset(m.lower() for m in MISSING_MARKERS)
# no \s in these patterns: pandas then runs them in pyarrow (RE2) rather than Python's re;
# the texts are stripped beforehand
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"


@dataclass
class _Column:
    """One pollutant column of a file: raw cells and the conversion to canonical units."""

    raw: pd.Series
    mul: float | FloatArray = 1.0
    div: float | FloatArray = 1.0
    name: str = ""  # the header as written (named in warnings)


def _unit_key(text: str) -> str | None:
    t = text.strip().lower().replace("µ", "u").replace("μ", "u").replace("³", "3").replace(" ", "")
    return {"ug/m3": "ug", "mg/m3": "mg"}.get(t)


def _conversion(pollutant: str, unit: str) -> tuple[float, float]:
    """``(multiplier, divisor)`` from ``unit`` ("ug"/"mg") to the canonical unit."""
    if pollutant == "co":
        return (1.0, 1000.0) if unit == "ug" else (1.0, 1.0)
    return (1000.0, 1.0) if unit == "mg" else (1.0, 1.0)


def _pollutant(text: str) -> str | None:
    return _ALIASES.get(text.strip().lower())


def _map_unique(s: pd.Series, func: Callable[[str], str | None]) -> ObjArray:
    """``func`` applied to each distinct text of ``s`` (None where it gives None)."""
    codes, uniques = pd.factorize(_text(s))
    mapped = np.array([func(str(u)) for u in uniques] + [None], dtype=object)
    return mapped[codes]  # code -1 (none here, as _text has no NaN) would pick the trailing None


def _read_csv(path: Input, usecols: Callable[[str], bool] | None = None) -> pd.DataFrame:
    """All cells as text (blank cell = ""), headers stripped, blank lines dropped.

    The index is the record number minus 2 (header = record 1), blank lines included.
    A file-like object is read whole first (so both encodings can be tried); gzip
    bytes are recognised by their magic number.
    """
    name = _name(path)
    data = None if isinstance(path, Path) else path.read()

    def source() -> Any:
        if data is None:
            return path
        return io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)

    compression = (
        "infer" if data is None else ("gzip" if isinstance(data, bytes) and data[:2] == b"\x1f\x8b" else None)
    )
    last: Exception | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            df = pd.read_csv(
                source(),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                encoding=encoding,
                compression=compression,  # type: ignore[arg-type]
                usecols=(lambda c: usecols(str(c).strip())) if usecols else None,
            )
            break
        except UnicodeDecodeError as exc:
            last = exc
        except pd.errors.EmptyDataError as exc:
            raise InputFileError(name, "empty file: expected a header row") from exc
        except (pd.errors.ParserError, OSError, EOFError, zlib.error, gzip.BadGzipFile, csv.Error) as exc:
            raise InputFileError(name, f"not a readable CSV file ({exc})") from exc
    else:
        raise InputFileError(name, f"not UTF-8 or GB18030 text ({last})")
    df.columns = [str(c).strip() for c in df.columns]
    names = set(df.columns)
    twice = [c for c in df.columns if (m := re.fullmatch(r"(.+)\.[0-9]+", c)) and m.group(1) in names]
    if twice:  # pandas renames a repeated header "co" to "co.1"
        raise InputFileError(
            name,
            [Problem(name, "column given twice", row=1, field=c.rsplit(".", 1)[0]) for c in twice],
        )
    if len(df.columns) and len(df):
        blank = (df.fillna("") == "").all(axis=1).to_numpy()
        if blank.any():
            df = df[~blank]
    return df


def _columns_ci(df: pd.DataFrame) -> dict[str, str]:
    """Lower-cased header -> header as written (first occurrence wins)."""
    out: dict[str, str] = {}
    for c in df.columns:
        out.setdefault(str(c).strip().lower(), str(c))
    return out


def _require(name: str, df: pd.DataFrame, required: Sequence[str]) -> dict[str, str]:
    cols = _columns_ci(df)
    missing = [c for c in required if c not in cols]
    if missing:
        header = ", ".join(str(c) for c in df.columns)
        raise InputFileError(
            name, [Problem(name, f"missing column(s) {', '.join(missing)}; header is {header}", row=1)]
        )
    return cols


def _text(s: pd.Series) -> pd.Series:
    """A column as str dtype; NaN/None become ""."""
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return s.astype("str").fillna("")
    out = s.astype("str")
    return out.where(s.notna(), "")


def _parse_values(col: _Column, ceiling: float | FloatArray) -> tuple[FloatArray, ObjArray, FloatArray]:
    """Canonical values (NaN if missing or rejected), reason codes (None if accepted/missing)
    and the numbers as written, before conversion and checks (NaN if missing or unparseable)."""
    raw = col.raw
    n = len(raw)
    reasons: ObjArray = np.full(n, None, dtype=object)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        written = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        text = _text(raw).str.strip()
        missing = text.str.lower().isin(_MISSING_LOWER).to_numpy()
        number = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool, na_value=False) & ~missing
        written = np.full(n, np.nan)
        if number.any():
            written[number] = text[number].astype("float64").to_numpy()
        reasons[~missing & ~number] = "unparseable"
    with np.errstate(invalid="ignore", over="ignore"):
        values = written * col.mul / col.div
        negative = values < 0
        impossible = values > ceiling
    reasons[negative] = "negative"
    reasons[impossible] = "impossible"
    values[negative | impossible] = np.nan
    return values, reasons, written


def _co_unit_warnings(
    file: str,
    col: _Column,
    rows: npt.NDArray[np.int64],
    written: FloatArray,
    given: BoolArray,
    raw: pd.Series,
) -> list[UnitWarning]:
    """CO of one file whose values, per declared unit, sit on the wrong side of
    :data:`~.batch.CO_UNIT_SPLIT`."""
    div = np.broadcast_to(np.asarray(col.div, dtype=np.float64), written.shape)
    with np.errstate(invalid="ignore"):
        ok = given & np.isfinite(written) & (written >= 0)
        out = []
        for ug in (True, False):
            mask = ok & ((div == 1000.0) if ug else (div != 1000.0))
            if not mask.any():
                continue
            median = float(np.median(written[mask]))
            if (median >= CO_UNIT_SPLIT) if ug else (median <= CO_UNIT_SPLIT):
                continue
            odd = np.flatnonzero(mask & ((written < CO_UNIT_SPLIT) if ug else (written > CO_UNIT_SPLIT)))
            texts = raw.to_numpy(dtype=object)[odd]
            out.append(
                UnitWarning(
                    file=file,
                    column=col.name or "co",
                    declared="µg/m³" if ug else "mg/m³",
                    likely="mg/m³" if ug else "µg/m³",
                    median=median,
                    total=int(mask.sum()),
                    rows=tuple(int(r) for r in rows[odd]),
                    values=tuple(str(v).strip() for v in texts),
                )
            )
    return out


def _missing_cell(col: _Column) -> BoolArray:
    raw = col.raw
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.isna().to_numpy()
    return _text(raw).str.strip().str.lower().isin(_MISSING_LOWER).to_numpy()


def _check_region(region: str | None) -> None:
    if region is not None and not (len(region) == 6 and region.isascii() and region.isdigit()):
        raise ValueError(f"region must be a six-digit GB/T 2260 code, not {region!r}")


def _declared_units(units: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    bad: list[str] = []
    for k, v in (units or {}).items():
        p, u = _pollutant(k), _unit_key(v)
        if p is None or u is None:
            bad.append(f"{k}={v}")
        else:
            out[p] = u
    if bad:
        raise ValueError(
            f"bad unit declaration(s) {', '.join(bad)}: pollutants are {', '.join(POLLUTANTS)}, "
            "units ug/m3 or mg/m3"
        )
    return out

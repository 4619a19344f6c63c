"""Exports that cannot attack their reader (OWASP CSV/formula injection).

A spreadsheet opening a CSV or XLSX runs a cell that begins with ``=``, ``+``,
``-``, ``@``, tab or carriage return as a formula (``=cmd|' /C calc'!A0``). Every
CSV, XLSX and template export of ecoplan goes through this module:

* **CSV**: a text cell beginning with one of those characters is written with a
  leading single quote (``'=cmd…``), the OWASP rule; the spreadsheet shows it as
  text. Real numbers (int, float, Decimal, bool) are written as numbers, untouched,
  and so is text that *is* a plain number (``-5``, ``+3.2``, ``-1e3``): a negative
  number is a number, not a formula.
* **XLSX**: every text cell is stored as explicit text (``data_type "s"``, never a
  formula) and a hostile one also carries Excel's *quote prefix* style, so editing
  the cell does not turn it into a formula either. The value itself is unchanged,
  so an exported plan template imports back as the same plan.

Parquet is typed (no formulas) and is left as it is. This module imports nothing
of ecoplan, so every layer may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "HOSTILE_PREFIXES",
    "append_row",
    "csv_text",
    "is_hostile",
    "neutralise",
    "neutralise_frame",
    "neutralise_rows",
    "protect_cell",
    "write_xlsx",
]

HOSTILE_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_hostile(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (a plain number is not)."""
    return text.startswith(HOSTILE_PREFIXES) and _PLAIN_NUMBER.fullmatch(text) is None


def neutralise(cell: Any) -> Any:
    """A CSV cell: hostile text gets a leading ``'``; anything else is returned as it is.

    >>> neutralise("=1+1"), neutralise("-2+3"), neutralise("-5"), neutralise(-5), neutralise("PM2.5")
    ("'=1+1", "'-2+3", '-5', -5, 'PM2.5')
    """
    if isinstance(cell, str) and is_hostile(cell):
        return "'" + cell
    return cell


def neutralise_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows (dicts) with every cell passed through :func:`neutralise`."""
    return [{k: neutralise(v) for k, v in r.items()} for r in rows]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with its text cells neutralised; numeric columns untouched."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(neutralise)
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index), safe to open in a spreadsheet."""
    return str(neutralise_frame(frame).to_csv(index=False))


def protect_cell(cell: Cell | MergedCell) -> None:
    """An openpyxl cell: text stays text (never a formula); hostile text gets the quote prefix."""
    if isinstance(cell.value, str):
        cell.data_type = "s"  # not "f": a formula
        if is_hostile(cell.value):
            cell.quotePrefix = True


def append_row(sheet: Worksheet, row: Iterable[Any]) -> None:
    """``sheet.append(row)``, then :func:`protect_cell` on every cell of the new row."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        protect_cell(cell)


def write_xlsx(frame: pd.DataFrame, path: str | Path, sheet: str = "Sheet1") -> None:
    """``frame`` (header + rows, no index) as an XLSX workbook whose text cannot be a formula."""
    import json

    import openpyxl
    import pandas as pd

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    append_row(ws, [str(c) for c in frame.columns])
    for rec in frame.itertuples(index=False, name=None):
        cells = []
        for v in rec:
            if isinstance(v, dict | list | tuple):
                v = json.dumps(v, ensure_ascii=False, default=str)
            elif pd.isna(v):
                v = None
            elif hasattr(v, "item") and not isinstance(v, str):  # numpy scalar → Python
                v = v.item()
            cells.append(v)
        append_row(ws, cells)
    wb.save(path)

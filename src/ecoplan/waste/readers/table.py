"""A CSV or XLSX file as its header and its rows of text cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

__all__ = ["read_table"]


def _text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError("neither UTF-8 nor GBK")


def _cell(v: object) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return str(v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat())
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the data rows (each a dict column → text; blank rows kept so the row
    numbers stay those of the file, skipped only at the end)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds on a broken file
            raise ValueError(f"not an XLSX workbook ({type(exc).__name__})") from exc
        ws = wb.worksheets[0]
        grid = [[_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        grid = list(csv.reader(io.StringIO(_text(path))))
    while grid and not any(c.strip() for c in grid[-1]):
        grid.pop()
    if not grid:
        return [], []
    header = [h.strip() for h in grid[0]]
    rows = [{h: (r[j] if j < len(r) else "") for j, h in enumerate(header) if h} for r in grid[1:]]
    return header, rows

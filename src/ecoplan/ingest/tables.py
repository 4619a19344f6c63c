"""Read a CSV or XLSX table into rows of strings, remembering spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ecoplan.core.errors import InputFileError

__all__ = ["read_table"]


def read_table(
    path: str | Path, sheet: str | None = None
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and ``(row_number, {column: text})`` rows of a ``.csv`` or ``.xlsx`` file.

    Row numbers are as a spreadsheet shows them (header = row 1). Blank rows
    are skipped. CSV is read as UTF-8 (a BOM is accepted) or, failing that, GB18030.

    Raises
    ------
    InputFileError
        Missing file, unknown extension, unreadable content, no header.
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputFileError(name, "file not found")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise InputFileError(name, f"not a readable Excel workbook ({exc})") from exc
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        raw = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
    elif suffix in (".csv", ".txt"):
        data = p.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise InputFileError(name, "not UTF-8 or GB18030 text") from exc
        raw = list(csv.reader(io.StringIO(text)))
    else:
        raise InputFileError(name, f"unknown file type {suffix!r}: use .csv or .xlsx")
    if not raw or not any(c.strip() for c in raw[0]):
        raise InputFileError(name, "empty file: expected a header row")
    header = [h.strip() for h in raw[0]]
    rows = []
    for i, cells in enumerate(raw[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((i, {h: (cells[j].strip() if j < len(cells) else "") for j, h in enumerate(header) if h}))
    return header, rows

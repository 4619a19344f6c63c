"""Checks on files that arrive over the web (issue #12): size, type and formulas.

A values file uploaded through the browser or the API is read like the CLI's
(:func:`ecoplan.ingest.values.read_values`), after these checks: a size cap; the
type decided by the file's bytes, not its name (an .xlsx is a ZIP with
``xl/workbook.xml``; a CSV is UTF-8 text); and no formula anywhere — an Excel cell
holding a formula (its cached value may be stale or absent), or a CSV cell that a
spreadsheet would run as one (``=``, ``+``, ``-``, ``@`` followed by something other
than a number; OWASP "CSV injection"). Evidence files are PDF, PNG, JPEG, text, or
Office Open XML documents, recognised by their signature.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ecoplan.core.errors import InputFileError, Problem

__all__ = [
    "EVIDENCE_TYPES",
    "MAX_EVIDENCE",
    "MAX_UNZIPPED",
    "MAX_VALUES_FILE",
    "check_values_upload",
    "evidence_type",
]

MAX_VALUES_FILE = 5_000_000
MAX_UNZIPPED = 20 * MAX_VALUES_FILE  # a workbook's parts unpacked (a 5 MB "zip bomb" is not 5 MB)
MAX_EVIDENCE = 10_000_000
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None


def _formula_text(cell: str) -> bool:
    t = cell.strip()
    if not t or t[0] not in "=+-@":
        return False
    return not (t[0] in "+-" and _NUMBER.fullmatch(t))


def check_values_upload(name: str, data: bytes) -> str:
    """The suffix (``.csv`` or ``.xlsx``) of an acceptable values upload, else
    :class:`InputFileError` naming the file (and the sheet, row and column of a formula)."""
    if len(data) > MAX_VALUES_FILE:
        raise InputFileError(name, f"the file is {len(data)} bytes; the limit is {MAX_VALUES_FILE}")
    names = _zip_names(data) if data[:2] == b"PK" else None
    if names is not None:
        if "xl/workbook.xml" not in names:
            raise InputFileError(name, "a ZIP file that is not an Excel workbook (.xlsx)")
        with zipfile.ZipFile(io.BytesIO(data)) as z:  # sizes as declared: reading stops there
            unzipped = sum(i.file_size for i in z.infolist())
        if unzipped > MAX_UNZIPPED:
            raise InputFileError(
                name, f"the workbook unpacks to {unzipped} bytes; the limit is {MAX_UNZIPPED}"
            )
        import openpyxl

        problems = []
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception:  # a damaged workbook: openpyxl raises KeyError, ValueError, XML errors ...
            raise InputFileError(name, "a damaged Excel workbook (.xlsx) that cannot be read") from None
        try:
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        v = getattr(c, "value", None)
                        if getattr(c, "data_type", None) == "f" or (isinstance(v, str) and v.startswith("=")):
                            problems.append(
                                Problem(
                                    name,
                                    "a formula; upload values only (copy, paste as values)",
                                    row=getattr(c, "row", None),
                                    field=getattr(c, "column_letter", None),
                                    text=str(v)[:80],
                                    sheet=ws.title,
                                )
                            )
        except Exception:  # a sheet damaged inside a readable workbook
            raise InputFileError(name, "a damaged Excel workbook (.xlsx) that cannot be read") from None
        finally:
            wb.close()
        if problems:
            raise InputFileError(name, problems)
        return ".xlsx"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # a CSV saved by a Chinese Excel: GB 18030, as the CLI's reader accepts it
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputFileError(
                name, "neither an Excel workbook (.xlsx) nor CSV text (UTF-8 or GB 18030)"
            ) from None
    if "\x00" in text:
        raise InputFileError(name, "binary data, not CSV text")
    import csv

    problems = []
    try:
        for i, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
            for j, cell in enumerate(cells):
                if _formula_text(cell):
                    problems.append(
                        Problem(
                            name,
                            "a cell a spreadsheet would run as a formula",
                            row=i,
                            field=f"column {j + 1}",
                            text=cell[:80],
                        )
                    )
    except csv.Error as exc:  # a cell beyond the csv module's field limit, say
        raise InputFileError(name, f"not readable as CSV: {exc}") from None
    if problems:
        raise InputFileError(name, problems)
    return ".csv"


def evidence_type(name: str, data: bytes) -> str:
    """The media type of an evidence file from its bytes, else :class:`InputFileError`."""
    if len(data) > MAX_EVIDENCE:
        raise InputFileError(name, f"the file is {len(data)} bytes; the limit is {MAX_EVIDENCE}")
    if not data:
        raise InputFileError(name, "the file is empty")
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:2] == b"PK":
        names = _zip_names(data) or set()
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    try:
        text = data.decode("utf-8")
        if "\x00" not in text:
            return "text/plain"
    except UnicodeDecodeError:
        pass
    suffix = Path(name).suffix or "?"
    raise InputFileError(
        name, f"type not accepted ({suffix}); evidence is PDF, PNG, JPEG, plain text, .docx or .xlsx"
    )

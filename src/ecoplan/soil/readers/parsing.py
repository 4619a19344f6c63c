"""Shared parsing: a table file (CSV or XLSX) as rows of text, numbers, units, yes/no."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ecoplan.core.errors import EcoplanError
from ecoplan.soil.readers.batch import Rejects

__all__ = [
    "MISSING",
    "Table",
    "column_unit",
    "concentration_factor",
    "expand",
    "key_of",
    "number",
    "yes_no",
]

#: Cells read as "no value".
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "—", "/"})
#: Factors to mg/kg.
_CONC = {
    "mg/kg": 1.0,
    "µg/g": 1.0,
    "ug/g": 1.0,
    "μg/g": 1.0,
    "ppm": 1.0,
    "µg/kg": 0.001,
    "ug/kg": 0.001,
    "μg/kg": 0.001,
    "g/kg": 1000.0,
}
_YES = {"yes", "y", "true", "1", "是", "已", "合格", "达标"}
_NO = {"no", "n", "false", "0", "否", "未", "不合格", "超标"}


def concentration_factor(unit: str) -> float | None:
    """The factor from ``unit`` to mg/kg (None: unknown unit)."""
    return _CONC.get(unit.strip().lower().replace(" ", "").replace("mg·kg-1", "mg/kg"))


def expand(paths: list[str | Path]) -> Iterator[Path]:
    """Files of ``paths`` (folders: their CSV/XLSX files, sorted)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.iterdir() if q.suffix.lower() in (".csv", ".xlsx"))
        elif p.exists():
            yield p
        else:
            raise EcoplanError(f"{p}: no such file")


class Table:
    """A file's cells as text (``cells[i]`` is the file's row ``i + 1``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.cells: list[list[str]]
        try:
            if path.suffix.lower() == ".xlsx":
                df = pd.read_excel(path, header=None, dtype=str, keep_default_na=False)
                self.cells = [[str(c).strip() for c in row] for row in df.itertuples(index=False)]
            else:
                with path.open(encoding="utf-8-sig", newline="") as fh:
                    self.cells = [[c.strip() for c in row] for row in csv.reader(fh)]
        except (OSError, ValueError, csv.Error) as exc:
            raise EcoplanError(f"{path}: cannot read ({exc})") from exc

    def header(self, known: set[str]) -> int:
        """The index of the first row naming at least two ``known`` columns (lower case)."""
        for i, row in enumerate(self.cells[:20]):
            if sum(_key(c) in known for c in row) >= 2:
                return i
        raise EcoplanError(
            f"{self.name}: no header row naming the expected columns ({', '.join(sorted(known))})"
        )


def _key(text: str) -> str:
    """A column name without its ``[unit]`` and case."""
    return re.sub(r"\s*[\[(（].*?[\])）]\s*$", "", text).strip().lower()


def column_unit(text: str) -> str | None:
    """The unit a column name declares in brackets (``Cd [mg/kg]``)."""
    m = re.search(r"[\[(（](.*?)[\])）]\s*$", text)
    return m.group(1).strip() if m else None


def number(
    text: str, file: str, row: int, fld: str, rejects: Rejects, *, signed: bool = False
) -> float | None:
    """A number, None for a missing cell; a reject for text or (unless ``signed``) < 0."""
    if text.strip().lower() in MISSING:
        return None
    try:
        v = float(text.replace(",", ""))
    except ValueError:
        rejects.add(file, row, fld, text, "not_a_number")
        return None
    if v != v:
        return None
    if v < 0 and not signed:
        rejects.add(file, row, fld, text, "negative")
        return None
    return v


def yes_no(text: str) -> bool | None:
    """True / False / None (missing); :class:`ValueError` for other text."""
    t = text.strip().lower()
    if t in MISSING:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ValueError(text)


key_of = _key

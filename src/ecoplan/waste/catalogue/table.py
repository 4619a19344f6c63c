"""An edition's table as rows (:class:`Entry`), read from its CSV, all or nothing.

The CSV is the shipped one's format (``data/minglu-2021.csv``): UTF-8 (a BOM allowed),
lines starting with ``#`` are comments, then the header
``code,category,category_name,industry,description,hazard`` and one row per code.
``code``, ``category``, ``description`` and ``hazard`` are required in every row;
``category_name`` and ``industry`` may be empty (columns may come in any order; others
are ignored). A file with any bad row raises :class:`~ecoplan.core.errors.InputFileError`
listing every problem (file, row as a spreadsheet counts it with the header as row 1,
field, text, reason code) and nothing of it is used.

Reason codes: ``unreadable``, ``missing_column``, ``empty`` (no row), ``missing`` (a
required cell is empty), ``malformed_code`` (not ``NNN-NNN-NN``), ``category_mismatch``
(``category`` is not ``HW`` + the code's last two digits), ``bad_hazard`` (not letters
of T, C, I, R, In joined by ``,`` or ``/``), ``duplicate_code``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.waste.catalogue.codes import category_of, hazard_letters, is_hazard, normalise_code

__all__ = ["COLUMNS", "REQUIRED", "Entry", "parse_table", "read_shipped", "read_table"]

COLUMNS = ("code", "category", "category_name", "industry", "description", "hazard")
REQUIRED = ("code", "category", "description", "hazard")


@dataclass(frozen=True)
class Entry:
    """One code of an edition: category (``HW08``) and its name, the industry of origin
    (行业来源), the description (危险废物) and the hazard letters as printed (``T,I``)."""

    code: str
    category: str
    category_name: str
    industry: str
    description: str
    hazard: str
    edition: str

    @property
    def hazards(self) -> tuple[str, ...]:
        """The hazard letters one by one: ``("T", "I")``."""
        return hazard_letters(self.hazard)

    def record(self) -> dict[str, str]:
        """The contract's object: ``{code, category, industry, description, hazard}``."""
        return {
            "code": self.code,
            "category": self.category,
            "industry": self.industry,
            "description": self.description,
            "hazard": self.hazard,
        }


def _data_lines(text: str) -> Iterable[tuple[int, str]]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.lstrip().startswith("#") and line.strip():
            yield n, line


def parse_table(text: str, edition: str, name: str) -> tuple[Entry, ...]:
    """The entries of CSV ``text`` (``name`` is the file named in problems)."""
    kept = list(_data_lines(text.removeprefix("\ufeff")))
    if not kept:
        raise InputFileError(name, [Problem(file=name, reason="empty")])
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in kept))))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputFileError(
            name, [Problem(file=name, reason="missing_column", row=kept[0][0], field=c) for c in missing]
        )
    at = {c: header.index(c) for c in COLUMNS if c in header}
    problems: list[Problem] = []
    out: list[Entry] = []
    seen: set[str] = set()
    if len(rows) < 2:
        raise InputFileError(name, [Problem(file=name, reason="empty")])
    for (line, _), cells in zip(kept[1:], rows[1:], strict=True):
        cell = {c: cells[i].strip() if i < len(cells) else "" for c, i in at.items()}
        bad = [c for c in REQUIRED if not cell.get(c)]
        problems += [Problem(file=name, reason="missing", row=line, field=c) for c in bad]
        code = normalise_code(cell["code"]) if cell["code"] else None
        if cell["code"] and code is None:
            problems.append(Problem(name, "malformed_code", line, "code", cell["code"]))
        elif code is not None and cell["category"] and cell["category"] != category_of(code):
            problems.append(Problem(name, "category_mismatch", line, "category", cell["category"]))
        elif code is not None and code in seen:
            problems.append(Problem(name, "duplicate_code", line, "code", cell["code"]))
        hazard = cell["hazard"].replace("，", ",")
        if hazard and not is_hazard(hazard):
            problems.append(Problem(name, "bad_hazard", line, "hazard", cell["hazard"]))
        if code is None or bad:
            continue
        seen.add(code)
        out.append(
            Entry(
                code,
                cell["category"],
                cell.get("category_name", ""),
                cell.get("industry", ""),
                cell["description"],
                hazard,
                edition,
            )
        )
    if problems:
        raise InputFileError(name, problems)
    return tuple(out)


def read_table(path: str | Path, edition: str) -> tuple[Entry, ...]:
    """The entries of the CSV file at ``path`` for ``edition`` (problems name its file name)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            p.name, [Problem(file=p.name, reason="unreadable", text=str(exc)[:200])]
        ) from exc
    return parse_table(text, edition, p.name)


def read_shipped(file: str, edition: str) -> tuple[Entry, ...]:
    """The entries of a table shipped in ``data/``."""
    text = (resources.files(__package__ or "ecoplan.waste.catalogue") / "data" / file).read_text("utf-8")
    return parse_table(text, edition, file)


def codes(entries: Sequence[Entry]) -> frozenset[str]:
    """The codes of ``entries``."""
    return frozenset(e.code for e in entries)

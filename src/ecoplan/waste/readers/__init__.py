"""Readers of the waste registry, manifests and ledgers: CSV (UTF-8, or GBK) or XLSX (the
first sheet), one kind per file, the columns of :mod:`.columns`.

:func:`read` returns a :class:`WasteBatch`: typed rows and every problem found, each a
:class:`~ecoplan.core.errors.Problem` naming the file, the row (the header is row 1), the
field and a reason code (:data:`REASONS`). The service refuses a batch with any problem:
nothing of the file is stored (all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecoplan.core.errors import Problem
from ecoplan.waste.readers.cells import parse_cell
from ecoplan.waste.readers.checks import HEADER_FIELDS as COLUMNS_HEADER
from ecoplan.waste.readers.checks import check_rows
from ecoplan.waste.readers.columns import COLUMNS, KEYS, KINDS, Column
from ecoplan.waste.readers.table import read_table

__all__ = [
    "COLUMNS",
    "COLUMNS_HEADER",
    "KEYS",
    "KINDS",
    "REASONS",
    "Column",
    "WasteBatch",
    "read",
    "read_rows",
]

#: Every reason code a reader or the service gives (``docs/waste.md`` explains each).
REASONS = (
    "unreadable",  # not CSV/XLSX, or not decodable
    "missing_column",  # a required column is absent (row 1)
    "required",  # a required cell is empty
    "not_a_number",
    "negative",
    "bad_date",
    "bad_time",
    "bad_region",  # not six digits
    "bad_province",  # not two digits
    "bad_lonlat",
    "bad_bool",
    "bad_choice",  # outside the column's vocabulary
    "bad_code",  # not a waste code (900-249-08) or category (HW08)
    "duplicate_key",  # the same key twice in the file
    "manifest_no_format",  # not 14 digits (Art. 15)
    "manifest_no_year",
    "manifest_no_province",  # not the producer's province (Art. 15)
    "manifest_no_city",  # not the producer's city (Art. 15)
    "manifest_no_serial",
    "manifest_inconsistent",  # the lines of one manifest disagree on a manifest field
    "several_producers",  # more than one producer on one manifest (Art. 16)
    "receipt_before_shipment",
    "confirmed_before_receipt",
    "time_missing",  # the status needs a time the row lacks
    "validity_order",  # valid_to before valid_from
    "permit_validity",  # longer than the permit kind allows (5 / 3 years)
    "approval_validity",  # longer than 12 months (Art. 27)
    "approval_past_permit",  # past the receiver's permit (Art. 27)
    "approval_province",  # a province not the producer's/receiver's
    "unknown_actor",
    "actor_role",  # the actor lacks the role the field needs
    "unknown_approval",
    "unknown_code",  # not in the catalogue edition in force on the date
    "wrong_edition",  # in another edition of the catalogue, not the one in force on the date
    "unknown_batch",  # linked_batch names no batch of the actor
    "bad_period",  # a declaration's period not of its kind (2025-03, 2025Q1, 2025)
    "illegal_transition",  # a stored manifest cannot move to the imported status
)


@dataclass
class WasteBatch:
    """Rows of one kind read from ``files``, typed, with the problems found."""

    kind: str
    rows: list[dict[str, Any]]
    lines: list[int]  # each row's line in its file (the header is 1)
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_rows(kind: str, name: str, raw: list[dict[str, str]], header: list[str]) -> WasteBatch:
    """Type and check the raw cells of one file (``raw``: one dict per data row)."""
    cols = COLUMNS[kind]
    problems: list[Problem] = []
    have = {h.strip() for h in header}
    missing = [c.name for c in cols if c.required and c.name not in have]
    for m in missing:
        problems.append(Problem(file=name, reason="missing_column", row=1, field=m))
    if missing:
        return WasteBatch(kind, [], [], [name], problems)
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    for i, cells in enumerate(raw):
        line = i + 2
        row: dict[str, Any] = {}
        for c in cols:
            text = (cells.get(c.name) or "").strip()
            value, reason = parse_cell(c, text)
            if reason:
                problems.append(Problem(file=name, reason=reason, row=line, field=c.name, text=text))
            row[c.name] = value
        rows.append(row)
        lines.append(line)
    problems.extend(check_rows(kind, name, rows, lines))
    return WasteBatch(kind, rows, lines, [name], problems)


def read(kind: str, path: str | Path) -> WasteBatch:
    """Read one file of ``kind`` (:data:`KINDS`)."""
    name = Path(path).name
    try:
        header, raw = read_table(Path(path))
    except (OSError, ValueError) as exc:
        return WasteBatch(
            kind, [], [], [name], [Problem(file=name, reason="unreadable", text=str(exc)[:200])]
        )
    return read_rows(kind, name, raw, header)

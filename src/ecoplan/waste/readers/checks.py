"""Checks across the cells of a row and the rows of a file (no store needed): duplicate
keys, validity periods, time order, the statuses' times, one manifest's lines agreeing on
the manifest's fields, one producer per manifest (Art. 16), the manifest number's year."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ecoplan.core.errors import Problem
from ecoplan.waste.model import (
    APPROVAL_MONTHS,
    DECLARATION_PERIODS,
    PERMIT_YEARS,
    add_months,
    add_years,
    manifest_no_problems,
)
from ecoplan.waste.readers.columns import KEYS

__all__ = ["HEADER_FIELDS", "NEEDS", "check_rows"]

#: The manifest's own fields, repeated on each of its lines.
HEADER_FIELDS = (
    "producer_id",
    "transporter_id",
    "receiver_id",
    "approval_no",
    "status",
    "paper",
    "shipped_at",
    "arrived_at",
    "confirmed_at",
    "closed_at",
    "backfilled_at",
    "vehicle",
    "producers_on_manifest",
)
#: The times a status needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "shipped": ("shipped_at",),
    "received": ("shipped_at", "arrived_at"),
    "confirmed": ("shipped_at", "arrived_at", "confirmed_at"),
    "rejected": ("shipped_at",),
    "closed": ("shipped_at", "closed_at"),
}


def _validity(kind: str, row: dict[str, Any]) -> str | None:
    a, b = row.get("valid_from"), row.get("valid_to")
    if not (isinstance(a, dt.date) and isinstance(b, dt.date)):
        return None
    if b < a:
        return "validity_order"
    if (
        kind == "permits"
        and row.get("kind") in PERMIT_YEARS
        and b > add_years(a, PERMIT_YEARS[str(row["kind"])])
    ):
        return "permit_validity"
    if kind == "approvals" and b > add_months(a, APPROVAL_MONTHS):
        return "approval_validity"
    return None


def _times(row: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    s, a, c = row.get("shipped_at"), row.get("arrived_at"), row.get("confirmed_at")
    if s and a and a < s:
        out.append(("arrived_at", "receipt_before_shipment"))
    if a and c and c < a:
        out.append(("confirmed_at", "confirmed_before_receipt"))
    for f in NEEDS.get(str(row.get("status")), ()):
        if row.get(f) is None:
            out.append((f, "time_missing"))
    return out


def check_rows(kind: str, name: str, rows: list[dict[str, Any]], lines: list[int]) -> list[Problem]:
    """The problems across cells and rows of one file."""
    out: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    first: dict[str, dict[str, Any]] = {}
    today = dt.date.today()
    for row, line in zip(rows, lines, strict=True):

        def bad(field: str, reason: str, _line: int = line, _row: dict[str, Any] = row) -> None:
            v = _row.get(field)
            out.append(
                Problem(file=name, reason=reason, row=_line, field=field, text=None if v is None else str(v))
            )

        key = tuple(row.get(k) for k in KEYS[kind])
        if None not in key:
            if key in seen:
                bad(KEYS[kind][-1], "duplicate_key")
            seen.add(key)
        pattern = DECLARATION_PERIODS.get(str(row.get("kind"))) if kind == "declarations" else None
        if pattern and row.get("period") and not re.fullmatch(pattern, str(row["period"])):
            bad("period", "bad_period")
        if kind in ("permits", "approvals"):
            why = _validity(kind, row)
            if why:
                bad("valid_to", why)
        if kind == "manifests":
            for f, why in _times(row):
                bad(f, why)
            if (row.get("producers_on_manifest") or 1) > 1:
                bad("producers_on_manifest", "several_producers")
            no = row.get("manifest_no")
            if no:
                shipped = row["shipped_at"].date() if row.get("shipped_at") else None
                for why in manifest_no_problems(str(no), None, shipped, today):
                    bad("manifest_no", why)
                head = first.setdefault(str(no), row)
                for f in HEADER_FIELDS:
                    if head is not row and head.get(f) != row.get(f):
                        bad(f, "manifest_inconsistent")
    return out

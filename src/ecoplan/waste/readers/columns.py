"""The documented column set of each import kind (``docs/waste.md``).

Every file has a header row naming its columns (English, as below; extra columns are
ignored). ``*`` columns are required in every row. Lists (roles, codes) are separated by
``;`` (``|`` and ``、`` are read too). Dates are ``YYYY-MM-DD``; times ``YYYY-MM-DD HH:MM[:SS]``
(local China time). Quantities are tonnes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecoplan.waste.model import DECLARATION_KINDS, LEDGER_STAGES, PERMIT_YEARS, STATUSES, UNIT_CLASSES

__all__ = ["COLUMNS", "KEYS", "KINDS", "Column"]


@dataclass(frozen=True)
class Column:
    """One column: its name, type and whether every row must fill it.

    Types: ``text``, ``region`` (six-digit GB/T 2260 code), ``province`` (two digits),
    ``number`` (≥ 0), ``count`` (integer ≥ 0), ``lon``, ``lat``, ``date``, ``time``,
    ``bool``, ``codes`` (waste codes or categories), ``code`` (one waste code),
    ``roles``, ``manifest_no`` (14 digits), or ``enum`` with ``choices``."""

    name: str
    type: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()


def _c(name: str, type: str = "text", required: bool = False, choices: tuple[str, ...] = ()) -> Column:
    return Column(name, type, required, choices)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "actors": (
        _c("actor_id", required=True),
        _c("roles", "roles", True),
        _c("name", required=True),
        _c("credit_code"),
        _c("region", "region", True),
        _c("address"),
        _c("lon", "lon"),
        _c("lat", "lat"),
        _c("unit_class", "enum", choices=UNIT_CLASSES),
    ),
    "permits": (
        _c("permit_no", required=True),
        _c("actor_id", required=True),
        _c("kind", "enum", True, tuple(PERMIT_YEARS)),
        _c("valid_from", "date", True),
        _c("valid_to", "date", True),
        _c("annual_capacity_t", "number"),
        _c("codes", "codes", True),
    ),
    "approvals": (
        _c("approval_no", required=True),
        _c("from_province", "province", True),
        _c("to_province", "province", True),
        _c("producer_id", required=True),
        _c("receiver_id", required=True),
        _c("codes", "codes", True),
        _c("quantity_t", "number", True),
        _c("method"),
        _c("valid_from", "date", True),
        _c("valid_to", "date", True),
    ),
    "manifests": (
        _c("manifest_no", "manifest_no", True),
        _c("producer_id", required=True),
        _c("transporter_id"),
        _c("receiver_id", required=True),
        _c("approval_no"),
        _c("status", "enum", True, STATUSES),
        _c("paper", "bool"),
        _c("shipped_at", "time"),
        _c("arrived_at", "time"),
        _c("confirmed_at", "time"),
        _c("closed_at", "time"),
        _c("backfilled_at", "time"),
        _c("vehicle"),
        _c("producers_on_manifest", "count"),
        _c("line_no", "count", True),
        _c("code", "code", True),
        _c("form"),
        _c("packaging"),
        _c("containers", "count"),
        _c("qty_shipped_t", "number", True),
        _c("qty_received_t", "number"),
        _c("code_received", "code"),
        _c("form_received"),
        _c("packaging_received"),
        _c("containers_received", "count"),
    ),
    "ledger": (
        _c("actor_id", required=True),
        _c("batch_code", required=True),
        _c("stage", "enum", True, LEDGER_STAGES),
        _c("at", "time", True),
        _c("code", "code", True),
        _c("quantity_t", "number", True),
        _c("container_code"),
        _c("linked_batch"),
        _c("facility"),
    ),
    "declarations": (
        _c("actor_id", required=True),
        _c("kind", "enum", True, DECLARATION_KINDS),
        _c("period", required=True),
        _c("submitted_at", "time"),
    ),
}
KINDS = tuple(COLUMNS)
#: The key columns of each kind (a key twice in one file is refused).
KEYS: dict[str, tuple[str, ...]] = {
    "actors": ("actor_id",),
    "permits": ("permit_no",),
    "approvals": ("approval_no",),
    "manifests": ("manifest_no", "line_no"),
    "ledger": ("actor_id", "batch_code", "stage"),
    "declarations": ("actor_id", "kind", "period"),
}

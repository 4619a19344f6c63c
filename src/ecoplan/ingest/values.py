"""Indicator values from a CSV/XLSX file, validated against the stored plans.

Columns: ``plan``, ``indicator`` (its id or its exact Chinese name),
``region`` (GB/T 2260 code), ``year``, ``value``; optional ``unit``,
``basis`` (``level`` or ``change``; default: the indicator's form, see
:mod:`ecoplan.plans.model`), ``source``, ``note``.

Every bad row is reported (file, row, field, text, reason); a file with any
bad row imports nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ecoplan.errors import Problem, ValuesImportError
from ecoplan.ingest.tables import read_table
from ecoplan.plans.model import Basis, Plan

__all__ = ["REQUIRED_COLUMNS", "ValueRow", "read_values"]

REQUIRED_COLUMNS = ("plan", "indicator", "region", "year", "value")
OPTIONAL_COLUMNS = ("unit", "basis", "source", "note")
_PERCENT = {"%", "％", "percent"}


@dataclass(frozen=True)
class ValueRow:
    """One validated indicator value."""

    plan: str
    indicator: str
    region: str
    year: int
    value: float
    unit: str
    basis: Basis
    source: str | None = None
    note: str | None = None


def _same_unit(a: str, b: str) -> bool:
    norm = {"%": "%", "％": "%", "percent": "%"}
    return norm.get(a.strip(), a.strip()) == norm.get(b.strip(), b.strip())


def read_values(
    path: str | Path, plans: Mapping[str, Plan], regions: set[str], *, sheet: str | None = None
) -> list[ValueRow]:
    """Read and validate an indicator-values file.

    Raises
    ------
    ValuesImportError
        Listing every bad row: missing column, unknown plan / indicator /
        region, non-numeric or impossible value (a share below 0 or above 100),
        unit mismatch, year outside the plan period, duplicate rows.
    """
    name = str(path)
    header, rows = read_table(path, sheet)
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValuesImportError(
            name,
            [Problem(name, f"missing column(s) {', '.join(missing)}; header is {', '.join(header)}", row=1)],
        )
    out: list[ValueRow] = []
    seen: dict[tuple[str, str, str, int], int] = {}
    for rownum, r in rows:

        def bad(field: str, reason: str, _row: int = rownum, _r: dict[str, str] = r) -> None:
            problems.append(Problem(name, reason, row=_row, field=field, text=_r.get(field, "")))

        plan = plans.get(r["plan"])
        if plan is None:
            bad("plan", f"unknown plan (known: {', '.join(sorted(plans))})")
            continue
        try:
            ind = plan.indicator(r["indicator"])
        except KeyError:
            bad("indicator", f"not an indicator id or exact Chinese name of plan {plan.id!r}")
            continue
        region = r["region"].strip()
        if region.isdigit() and len(region) < 6:
            region = region.ljust(6, "0") if len(region) in (2, 4) else region.zfill(6)
        ok = True
        if region not in regions:
            bad("region", "unknown region code (GB/T 2260, six digits; 000000 = national)")
            ok = False
        try:
            year = int(float(r["year"]))
        except ValueError:
            bad("year", "not a year")
            continue
        lo = min(plan.base_year, ind.baseline.year)
        if not lo <= year <= plan.end:
            bad("year", f"outside the plan period ({lo}–{plan.end}, baseline included)")
            ok = False
        try:
            value = float(r["value"].replace(",", ""))
            if math.isnan(value) or math.isinf(value):
                raise ValueError
        except ValueError:
            bad("value", "not a number")
            continue
        unit = r.get("unit", "") or ind.unit
        if not _same_unit(unit, ind.unit):
            bad("unit", f"indicator {ind.id!r} is measured in {ind.unit!r}")
            ok = False
        basis_text = (r.get("basis") or "").strip().lower()
        try:
            basis = Basis(basis_text) if basis_text else ind.default_basis
        except ValueError:
            bad("basis", "basis is 'level' or 'change'")
            continue
        if basis is Basis.LEVEL and ind.default_basis is Basis.CHANGE:
            bad(
                "basis",
                f"indicator {ind.id!r} has no baseline level: give the change since {ind.baseline.year}",
            )
            ok = False
        if basis is Basis.CHANGE and not ind.is_cumulative:
            bad("basis", f"indicator {ind.id!r} has no cumulative target: values are levels")
            ok = False
        if ind.unit in _PERCENT and basis is Basis.LEVEL and not 0 <= value <= 100:
            bad("value", "a percentage share must lie between 0 and 100")
            ok = False
        if ind.unit in _PERCENT and basis is Basis.CHANGE and value > 100:
            bad("value", "a relative change cannot exceed 100 %")
            ok = False
        key = (plan.id, ind.id, region, year)
        if key in seen:
            bad("year", f"duplicate of row {seen[key]} (same plan, indicator, region and year)")
            ok = False
        else:
            seen[key] = rownum
        if ok:
            out.append(
                ValueRow(
                    plan.id,
                    ind.id,
                    region,
                    year,
                    value,
                    ind.unit,
                    basis,
                    r.get("source") or None,
                    r.get("note") or None,
                )
            )
    if problems:
        raise ValuesImportError(name, problems)
    return out

"""Indicator values from a CSV/XLSX file, validated against the stored plans.

Columns: ``plan``, ``indicator`` (its id or its exact Chinese name),
``region`` (GB/T 2260 code, exactly six digits), ``year`` (a whole number;
``2018.0`` as Excel may write it is accepted), ``value``; optional ``unit``,
``basis`` (``level`` or ``change``; default: the indicator's form, see
:mod:`ecoplan.plans.model`), ``source``, ``note``.

Nothing is coerced silently: a year ``2018.5`` is "not a whole year" (never
2018), and a region ``11`` or ``4407`` is not a six-digit code (never padded to
110000 / 440700; the error suggests the padded code when it exists).

Every bad row is reported (file, row, field, text, reason); a file with any
bad row imports nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from ecoplan.core.errors import Problem, ValuesImportError
from ecoplan.core.regions import bundled_regions
from ecoplan.ingest.tables import read_table
from ecoplan.plans.model import Basis, Plan

__all__ = ["REQUIRED_COLUMNS", "ValueRow", "parse_year", "read_values", "region_hint"]

REQUIRED_COLUMNS = ("plan", "indicator", "region", "year", "value")
OPTIONAL_COLUMNS = ("unit", "basis", "source", "note")
_PERCENT = {"%", "％", "percent"}
_WHOLE_YEAR = re.compile(r"[0-9]+(?:\.0+)?")  # 2018, or 2018.0 as a spreadsheet writes it
_DECIMAL = re.compile(r"[0-9]*\.[0-9]+")


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


def parse_year(text: str) -> int:
    """A year as written in a values file: ASCII digits, optionally ``.0`` (Excel).

    Raises
    ------
    ValueError
        "not a whole year" for ``2018.5``; "not a year …" for anything else
        that is not digits (``2018a``, ``二〇一八``, ``2e3``, blank).
    """
    t = text.strip()
    if _WHOLE_YEAR.fullmatch(t):
        return int(t.split(".")[0])
    if _DECIMAL.fullmatch(t):
        raise ValueError("not a whole year")
    raise ValueError("not a year (a whole number such as 2018)")


def _bundled_names() -> dict[str, str]:
    return {c: r.name_zh for c, r in bundled_regions().items()}


def region_hint(text: str, regions: Mapping[str, str] | Set[str]) -> str:
    """Why ``text`` is not a region code, with the codes it may have meant.

    A code that lost its trailing zeros (``11``, ``4407``) or its leading
    zeros (``0`` for 000000), a number a spreadsheet wrote as ``110000.0``, or a
    12-digit statistical code ending in zeros are suggested as the six-digit
    code they stand for, if that code exists; none is ever taken silently.
    """
    t = text.strip()
    whole = re.fullmatch(r"([0-9]+)\.0+", t)
    digits = whole.group(1) if whole else t
    candidates: list[str] = []
    if digits.isascii() and digits.isdigit():
        if len(digits) < 6:
            candidates = [digits.ljust(6, "0"), digits.zfill(6)]
        elif len(digits) == 6 or set(digits[6:]) == {"0"}:
            candidates = [digits[:6]]
    known = [c for c in dict.fromkeys(candidates) if c in regions and c != t]
    reason = (
        "unknown region code (GB/T 2260, six digits; 000000 = national)"
        if t.isascii() and t.isdigit() and len(t) == 6
        else "not a six-digit GB/T 2260 region code (000000 = national)"
    )
    if known:
        names = regions if isinstance(regions, Mapping) else _bundled_names()
        reason += "; did you mean " + " or ".join(f"{c} {names.get(c, '')}".rstrip() for c in known) + "?"
    return reason


def read_values(
    path: str | Path,
    plans: Mapping[str, Plan],
    regions: Mapping[str, str] | Set[str],
    *,
    sheet: str | None = None,
) -> list[ValueRow]:
    """Read and validate an indicator-values file.

    ``regions``: the known region codes, or codes -> Chinese names (named in hints).

    Raises
    ------
    ValuesImportError
        Listing every bad row: missing column, unknown plan / indicator /
        region (not six digits, with a hint), year that is not a whole number,
        non-numeric or impossible value (a share below 0 or above 100), unit
        mismatch, year outside the plan period, duplicate rows.
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
        ok = True
        if region not in regions:
            bad("region", region_hint(region, regions))
            ok = False
        try:
            year = parse_year(r["year"])
        except ValueError as exc:
            bad("year", str(exc))
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

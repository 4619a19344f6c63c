"""Decomposed targets (逐级分解) from CSV, XLSX or YAML, validated against the stored plans.

A plan's targets are handed down to the regions below it: a province's
good-air-days ratio for 2020, a city's PM2.5 decline. One row per plan,
indicator, region and year:

CSV / XLSX columns: ``plan``, ``indicator`` (id or exact Chinese name),
``region`` (six-digit GB/T 2260 code), ``year``, ``target`` (an expression of
the target grammar: ``＞56``, ``〔20〕``, ``45左右`` …); optional ``stretch``
(力争), ``source`` (the document that decomposes), ``note``.

YAML::

    plan: cn-13th-eco
    source: 某省“十三五”生态环境保护规划目标分解方案
    targets:
      - {indicator: air-good-days, region: "110000", year: 2020, target: "＞56"}

(``plan`` and ``source`` at the top apply to every row that does not name
its own.) Every bad row is reported (file, row, field, text, reason) and a
file with any bad row stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ecoplan.core.errors import InputFileError, Problem, TargetSyntaxError
from ecoplan.core.regions import region_lineage
from ecoplan.ingest.tables import read_table
from ecoplan.ingest.values import parse_year, region_hint
from ecoplan.plans.model import Plan
from ecoplan.plans.targets import TargetKind, parse_target

__all__ = ["Decomposition", "read_decompositions"]

REQUIRED = ("plan", "indicator", "region", "year", "target")


@dataclass(frozen=True)
class Decomposition:
    """One decomposed target: plan x indicator x region x year -> expression."""

    plan: str
    indicator: str
    region: str
    year: int
    expr: str
    stretch: str | None = None
    source: str | None = None
    note: str | None = None


def _rows(path: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    """(row or entry number, fields as text) of a table or YAML file."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        header, rows = read_table(path)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputFileError(
                name,
                [Problem(name, f"missing column(s) {', '.join(missing)}; header is {', '.join(header)}", 1)],
            )
        return rows
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputFileError(name, f"not a readable YAML file ({exc})") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("targets"), list):
        raise InputFileError(name, "expected a mapping with a 'targets' list (see docs/assessment.md)")
    out = []
    for i, entry in enumerate(data["targets"], start=1):
        if not isinstance(entry, Mapping):
            raise InputFileError(name, [Problem(name, "each target is a mapping", row=i, field="targets")])
        merged: dict[str, Any] = {"plan": data.get("plan"), "source": data.get("source"), **entry}
        out.append((i, {k: "" if v is None else str(v) for k, v in merged.items()}))
    return out


def read_decompositions(
    path: str | Path, plans: Mapping[str, Plan], regions: Mapping[str, str]
) -> list[Decomposition]:
    """Read and validate a decomposition file.

    ``regions`` maps every known code to its name. Rows are checked for: a
    known plan and indicator, a six-digit region inside the plan's territory
    and other than the plan's own region, a whole year within the plan period,
    a target in the grammar (not one handed down again), duplicates.

    Raises
    ------
    InputFileError
        Listing every bad row.
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputFileError(name, "file not found")
    problems: list[Problem] = []
    out: list[Decomposition] = []
    seen: dict[tuple[str, str, str, int], int] = {}
    yaml_file = p.suffix.lower() in (".yaml", ".yml")
    for rownum, r in _rows(p, name):
        where = "entry" if yaml_file else "row"

        def bad(field: str, reason: str, _n: int = rownum, _r: dict[str, str] = r) -> None:
            problems.append(Problem(name, reason, row=_n, field=field, text=_r.get(field, "")))

        plan = plans.get((r.get("plan") or "").strip())
        if plan is None:
            bad("plan", f"unknown plan (known: {', '.join(sorted(plans))})")
            continue
        try:
            ind = plan.indicator((r.get("indicator") or "").strip())
        except KeyError:
            bad("indicator", f"not an indicator id or exact Chinese name of plan {plan.id!r}")
            continue
        region = (r.get("region") or "").strip()
        ok = True
        if not (len(region) == 6 and region.isdigit()) or region not in regions:
            bad("region", region_hint(region, regions))
            ok = False
        elif region == plan.region:
            bad("region", f"the plan's own region ({regions[region]}): its targets are the plan's")
            ok = False
        elif plan.region != "000000" and plan.region not in region_lineage(region):
            bad("region", f"{regions[region]} is outside the plan's territory ({regions[plan.region]})")
            ok = False
        try:
            year = parse_year(r.get("year") or "")
        except ValueError as exc:
            bad("year", str(exc))
            continue
        lo = min(plan.base_year, ind.baseline.year)
        if not lo < year <= plan.end:
            bad("year", f"outside the plan period ({lo + 1}–{plan.end})")
            ok = False
        expr = (r.get("target") or "").strip()
        try:
            target = parse_target(expr)
            if target.kind is TargetKind.INHERITED:
                bad("target", "a decomposed target must state the target, not hand it down again")
                ok = False
        except TargetSyntaxError as exc:
            bad("target", str(exc))
            ok = False
        stretch = (r.get("stretch") or "").strip() or None
        if stretch is not None:
            try:
                parse_target(stretch)
            except TargetSyntaxError as exc:
                bad("stretch", str(exc))
                ok = False
        key = (plan.id, ind.id, region, year)
        if key in seen:
            bad("year", f"duplicate of {where} {seen[key]} (same plan, indicator, region and year)")
            ok = False
        else:
            seen[key] = rownum
        if ok:
            out.append(
                Decomposition(
                    plan.id,
                    ind.id,
                    region,
                    year,
                    expr,
                    stretch,
                    (r.get("source") or "").strip() or None,
                    (r.get("note") or "").strip() or None,
                )
            )
    if problems:
        raise InputFileError(name, problems)
    return out

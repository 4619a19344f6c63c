"""Materialised assessments and decomposed targets in the catalog.

The ``assessments`` table holds, for every plan, the assessment of every
region of the plan's territory that has values (and of the plan's own region),
indicator and year from the base year to the end year, computed with
:func:`ecoplan.assess.table.assess_arrow` on the values in force. It is
sparse: a row that would only say "no value for that year" (status
``insufficient_data`` without a value) is not stored, and a missing row
reads as exactly that — at national scale most region-indicator-years are
empty, and storing them would double the time of every refresh. The writer
refreshes it inside the transaction of every write that touches its inputs:

* values (``Catalog.add_values``): the (plan, region) pairs written;
* a plan definition (``Catalog.save_plan``): the whole plan and the plans
  whose indicators name it as parent;
* decomposed targets (``save_decompositions``/``remove_decompositions``):
  the regions named, in the plan and its child plans.

So the rows are never older than the data they were computed from, and a
crash rolls the values and their assessment back together. Past states
(``--as-of``) are recomputed on demand, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

from ecoplan.assess.table import COLUMNS, assess_arrow
from ecoplan.core.errors import NotFound
from ecoplan.core.regions import region_lineage
from ecoplan.ingest.decompositions import Decomposition
from ecoplan.plans.model import Plan, TargetSpec
from ecoplan.plans.targets import parse_target

if TYPE_CHECKING:
    from ecoplan.store.catalog import Catalog

__all__ = [
    "Decomposition",
    "assessment_frame",
    "assessment_table",
    "decomposed_targets",
    "plan_years",
    "refresh",
    "territory_of",
]


def plan_years(plan: Plan) -> list[int]:
    """The years a plan is assessed in: its base year through its end year."""
    return list(range(min(plan.base_year, plan.start), plan.end + 1))


def in_territory(plan: Plan, region: str) -> bool:
    """True when ``region`` is the plan's region or lies below it."""
    return plan.region == "000000" or plan.region in region_lineage(region)


def territory_of(plan: Plan, regions: Iterable[str]) -> list[str]:
    return sorted(r for r in regions if in_territory(plan, r))


def values_frame(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    moment: dt.datetime | None = None,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The values in force at ``moment`` (default now): indicator_id, region, year, value,
    basis and source (the assessment drops a pipeline's values of an indicator whose
    method is not published, :mod:`ecoplan.assess.evaluate`)."""
    sql = (
        "SELECT indicator_id, region, year, value, basis, source FROM value_revisions WHERE plan_id = ?"
        "{cond} QUALIFY row_number() OVER (PARTITION BY indicator_id, region, year "
        "ORDER BY revision DESC) = 1"
    )
    args: list[Any] = [plan_id]
    cond = ""
    if moment is not None:
        cond += " AND recorded_at <= ?"
        args.append(moment)
    if regions is not None:
        cond += " AND region IN (SELECT unnest(?))"
        args.append(list(regions))
    return con.execute(sql.format(cond=cond), args).df()


def decomposed_targets(
    con: duckdb.DuckDBPyConnection, plan_id: str, regions: Sequence[str] | None = None
) -> dict[tuple[str, str], tuple[TargetSpec, ...]]:
    """Stored decomposed targets of a plan by (indicator id, region), years in order."""
    sql = "SELECT indicator_id, region, year, expr, stretch FROM target_decompositions WHERE plan_id = ?"
    args: list[Any] = [plan_id]
    if regions is not None:
        sql += " AND region IN (SELECT unnest(?))"
        args.append(list(regions))
    out: dict[tuple[str, str], list[TargetSpec]] = {}
    for ind, region, year, expr, stretch in con.execute(sql + " ORDER BY 1, 2, 3", args).fetchall():
        out.setdefault((ind, region), []).append(
            TargetSpec(int(year), parse_target(expr), None if stretch is None else parse_target(stretch))
        )
    return {k: tuple(v) for k, v in out.items()}


def assessment_frame(
    cat: Catalog,
    plan: Plan,
    *,
    as_of: dt.datetime | None = None,
    regions: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Compute (not store) the sparse assessment rows of ``plan``; see :func:`refresh`."""
    return assessment_table(cat, plan, as_of=as_of, regions=regions, years=years).to_pandas()


def assessment_table(
    cat: Catalog,
    plan: Plan,
    *,
    as_of: dt.datetime | None = None,
    regions: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pa.Table:
    """The sparse assessment rows of ``plan`` as an Arrow table."""
    con = cat.con
    vals = values_frame(con, plan.id, as_of, regions)
    codes = set(vals["region"]) | {plan.region}
    if regions is not None:
        codes = set(regions)
    codes = {c for c in codes if in_territory(plan, c)}
    names = cat.region_names()
    return assess_arrow(
        plan,
        vals,
        years or plan_years(plan),
        regions=sorted(codes),
        decomposed=decomposed_targets(con, plan.id, sorted(codes) if regions is not None else None),
        resolver=cat.resolver(),
        region_names={c: names[c] for c in codes if c in names},
        sparse=True,
    )


def refresh(
    cat: Catalog, plan_ids: Iterable[str] | None = None, regions: Mapping[str, set[str]] | None = None
) -> int:
    """Recompute and store assessment rows; call inside the writer's transaction.

    ``plan_ids``: plans to recompute whole (default: none unless ``regions``
    is None too, then every plan). ``regions``: plan id -> regions to
    recompute. Returns the number of rows written.
    """
    con = cat.con
    whole = set(cat.plan_ids()) if plan_ids is None and regions is None else set(plan_ids or ())
    parts = {p: set(r) for p, r in (regions or {}).items() if p not in whole}
    written = 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for pid in sorted(whole | set(parts)):
        try:
            plan = cat.plan(pid)
        except NotFound:  # a plan removed meanwhile: drop its rows
            con.execute("DELETE FROM assessments WHERE plan_id = ?", [pid])
            continue
        subset = None if pid in whole else sorted(parts[pid])
        frame = assessment_table(cat, plan, regions=subset)
        if subset is None:
            con.execute("DELETE FROM assessments WHERE plan_id = ?", [pid])
        else:
            con.execute(
                "DELETE FROM assessments WHERE plan_id = ? AND region IN (SELECT unnest(?))", [pid, subset]
            )
        if frame.num_rows:
            con.register("_new_assessments", frame)
            con.execute(f"INSERT INTO assessments SELECT {', '.join(COLUMNS)} FROM _new_assessments")
            con.unregister("_new_assessments")
        written += frame.num_rows
        row = con.execute(
            "SELECT max(recorded_at), count(DISTINCT region) FROM value_revisions WHERE plan_id = ?", [pid]
        ).fetchone()
        total = con.execute("SELECT count(*) FROM assessments WHERE plan_id = ?", [pid]).fetchone()
        con.execute(
            "INSERT OR REPLACE INTO assessment_runs VALUES (?, ?, ?, ?, ?)",
            [pid, now, row[0] if row else None, int(row[1]) if row else 0, int(total[0]) if total else 0],
        )
    return written

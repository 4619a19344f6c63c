"""The catalog: one DuckDB file holding regions, plans, values and histories.

This module (with the rest of ``ecoplan.store``) is the only place that knows
DuckDB. Every write runs in one transaction: a failed import leaves the file
as it was. Indicator values are append-only revisions; the value in force at
a moment is the latest revision recorded at or before it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pandas as pd

from ecoplan.assess.evaluate import Message, Observation
from ecoplan.core.errors import NotFound, PlanError, SchemaVersionError, StoreBusy, StoreError
from ecoplan.core.regions import Region, bundled_regions
from ecoplan.ingest.decompositions import Decomposition
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.builtin import builtin_plans
from ecoplan.plans.model import Basis, IndicatorRef, Plan, TargetSpec
from ecoplan.plans.serialize import plan_from_mapping, plan_to_mapping
from ecoplan.store import assessments
from ecoplan.store.migrations import MIGRATIONS, SCHEMA_VERSION, domain_migrations

__all__ = ["DEFAULT_DB", "VALUE_COLUMNS", "Catalog", "ImportResult", "default_db_path", "store_errors"]

DEFAULT_DB = "ecoplan.duckdb"


def default_db_path() -> str:
    """``$ECOPLAN_DB`` or ``./ecoplan.duckdb``."""
    return os.environ.get("ECOPLAN_DB") or DEFAULT_DB


def _is_lock_error(exc: BaseException) -> bool:
    """DuckDB's "another process holds this file" (one read-write process per file)."""
    text = str(exc)
    return "Could not set lock on file" in text or "Conflicting lock" in text


@contextmanager
def store_errors(path: str = "the store") -> Iterator[None]:
    """Turn DuckDB's errors (and a data file gone from under a reader) into :class:`StoreError`,
    so that the edges never see a driver exception."""
    try:
        yield
    except duckdb.Error as exc:
        raise StoreError(f"{path}: {exc}") from exc
    except FileNotFoundError as exc:
        raise StoreError(f"{path}: a data file is missing ({exc})") from exc


@dataclass(frozen=True)
class ImportResult:
    """What an import did: new rows, revised rows, rows already stored as they are."""

    inserted: int
    revised: int
    unchanged: int

    @property
    def changed(self) -> int:
        return self.inserted + self.revised


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_of_moment(as_of: str | dt.date | dt.datetime | None) -> dt.datetime | None:
    """The end of an as-of date (``2019-06-30`` -> before 2019-07-01 00:00), or a moment."""
    if as_of is None:
        return None
    if isinstance(as_of, dt.datetime):
        return as_of
    if isinstance(as_of, dt.date):
        return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()) - dt.timedelta(microseconds=1)
    text = str(as_of).strip()
    try:
        if len(text) == 10:
            return as_of_moment(dt.date.fromisoformat(text))
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(f"--as-of {text!r}: expected a date YYYY-MM-DD or an ISO timestamp") from exc


def recorded_moment(when: str | dt.datetime | None) -> dt.datetime | None:
    """When values became known: a date means its start (00:00), or an ISO timestamp."""
    if when is None or isinstance(when, dt.datetime):
        return when
    try:
        return dt.datetime.fromisoformat(str(when).strip()).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(f"--recorded-at {when!r}: expected a date YYYY-MM-DD or an ISO timestamp") from exc


#: The columns of ``value_revisions``, in table order.
VALUE_COLUMNS = (
    "plan_id",
    "indicator_id",
    "region",
    "year",
    "revision",
    "value",
    "unit",
    "basis",
    "source",
    "note",
    "recorded_at",
    "actor",
    "origin",
    "reviewer",
    "submission_id",
)

#: Parsed plans by (id, stored definition); region names by file, with the commit count.
_PLANS: dict[tuple[str, str], Plan] = {}
_NAMES: dict[str, tuple[int, dict[str, Message]]] = {}


class Catalog:
    """An open ecoplan database file.

    ``commits`` counts the write transactions this process committed (to any
    catalog): a state number for caches of what the store shows.

    Opening creates the file when missing and upgrades an older schema;
    a file written by a newer ecoplan is refused.
    """

    commits: ClassVar[int] = 0

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        self.path = str(path or default_db_path())
        self._names: dict[str, Message] | None = None
        self._tx_depth = 0
        self.closed = False
        #: True when this catalog must not write: a read-only open, or a snapshot view.
        self.read_only = read_only
        if con is not None:  # a connection (or cursor) of an open, migrated file
            self.con = con
            return
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            if _is_lock_error(exc):
                m = re.search(r"\(PID (\d+)\)", str(exc))
                raise StoreBusy(self.path, int(m[1]) if m else None) from exc
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from exc
        with store_errors(self.path):
            if not read_only:
                self._migrate()
            else:
                self._check_version()

    @classmethod
    def from_connection(
        cls, con: duckdb.DuckDBPyConnection, path: str | Path, *, read_only: bool = False
    ) -> Catalog:
        """A catalog on an open connection (or cursor) of the file ``path``; no migration runs."""
        return cls(path, read_only=read_only, con=con)

    def fresh(self) -> Catalog:
        """A new catalog object on this same connection: nothing cached."""
        return Catalog(self.path, read_only=self.read_only, con=self.con)

    # -- lifecycle ---------------------------------------------------------
    def snapshot_view(self) -> Catalog:
        """A read view on a new cursor of this connection (see :meth:`begin_snapshot`).

        DuckDB cursors of one connection may each be used by one thread while
        another thread writes through the connection; :meth:`close` closes the cursor.
        """
        with store_errors(self.path):
            return Catalog.from_connection(self.con.cursor(), self.path, read_only=True)

    def begin_snapshot(self) -> None:
        """Start a transaction that only reads: every query until :meth:`end_snapshot`
        sees the store as it was now (MVCC), never waits for a writer and never fails
        because one commits meanwhile."""
        with store_errors(self.path):
            self.con.execute("BEGIN TRANSACTION")
            # DuckDB takes the snapshot when the transaction first reads the file, not at BEGIN
            self.con.execute("SELECT 1 FROM meta LIMIT 0").fetchall()

    def end_snapshot(self) -> None:
        with store_errors(self.path):
            self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.closed = True
        self.con.close()

    def state(self) -> int | None:
        """A number that changes with every commit of this process, or None once closed
        (for caches of what the store shows)."""
        return None if self.closed else Catalog.commits

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction; a ``transaction()`` inside another joins it (a write and
        its audit row commit together or not at all)."""
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield self.con
            finally:
                self._tx_depth -= 1
            return
        self.con.execute("BEGIN TRANSACTION")
        self._tx_depth = 1
        try:
            yield self.con
        except BaseException:
            self._tx_depth = 0
            self.con.execute("ROLLBACK")
            raise
        self._tx_depth = 0
        self.con.execute("COMMIT")
        Catalog.commits += 1

    @property
    def in_transaction(self) -> bool:
        return self._tx_depth > 0

    def schema_version(self) -> int:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()
        if not has_meta or not has_meta[0]:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _check_version(self) -> int:
        v = self.schema_version()
        if v > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.path}: schema version {v} was written by a newer ecoplan "
                f"(this one reads up to {SCHEMA_VERSION}); upgrade ecoplan"
            )
        return v

    def _domain_versions(self, core: int) -> list[tuple[str, int, tuple[str, ...]]]:
        """``(domain, stored version, migrations)`` of every domain with tables."""
        out = []
        for name, migrations in domain_migrations():
            row = None
            if core > 0:
                row = self.con.execute(
                    "SELECT value FROM meta WHERE key = ?", [f"schema_version:{name}"]
                ).fetchone()
            v = int(row[0]) if row else 0
            if v > len(migrations):
                raise SchemaVersionError(
                    f"{self.path}: the {name} tables are at version {v}, written by a newer "
                    f"ecoplan (this one reads up to {len(migrations)}); upgrade ecoplan"
                )
            out.append((name, v, migrations))
        return out

    def _migrate(self) -> None:
        v = self._check_version()
        pending = [(n, dv, m) for n, dv, m in self._domain_versions(v) if dv < len(m)]
        if v == SCHEMA_VERSION and not pending:
            return
        with self.transaction() as con:
            for sql in MIGRATIONS[v:]:
                con.execute(sql)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            for name, dv, migrations in pending:
                for sql in migrations[dv:]:
                    con.execute(sql)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [f"schema_version:{name}", str(len(migrations))],
                )
            if 0 < v < 4:  # a store from before the materialised assessments: compute them
                assessments.refresh(self)

    # -- regions -----------------------------------------------------------
    def load_regions(self, regions: Iterable[Region] | None = None) -> int:
        import pandas as pd

        frame = pd.DataFrame(
            [
                (r.code, r.name_zh, r.name_en, r.level, r.parent)
                for r in (regions or bundled_regions().values())
            ],
            columns=["code", "name_zh", "name_en", "level", "parent"],
        )
        with self.transaction() as con:
            con.register("new_regions", frame)
            con.execute("DELETE FROM regions WHERE code IN (SELECT code FROM new_regions)")
            con.execute("INSERT INTO regions SELECT * FROM new_regions")
            con.unregister("new_regions")
        self._names = None
        return len(frame)

    def regions(self, level: str | None = None, parent: str | None = None) -> list[Region]:
        sql = "SELECT code, name_zh, name_en, level, parent FROM regions WHERE 1=1"
        args: list[Any] = []
        if level:
            sql += " AND level = ?"
            args.append(level)
        if parent:
            sql += " AND parent = ?"
            args.append(parent)
        return [Region(*r) for r in self.con.execute(sql + " ORDER BY code", args).fetchall()]

    def region(self, code: str) -> Region:
        r = self.con.execute(
            "SELECT code, name_zh, name_en, level, parent FROM regions WHERE code = ?", [code]
        ).fetchone()
        if r is None:
            raise NotFound(f"unknown region {code!r} (run `ecoplan init`, or see `ecoplan regions list`)")
        return Region(*r)

    def region_codes(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT code FROM regions").fetchall()}

    def region_names(self) -> dict[str, Message]:
        """Every region's name (en, zh) by code, for reasons and tables (kept until the
        process commits a write)."""
        if self._names is None:
            got = _NAMES.get(self.path)
            if got is not None and got[0] == Catalog.commits:
                self._names = got[1]
            else:
                rows = self.con.execute("SELECT code, name_zh, name_en FROM regions").fetchall()
                self._names = {c: Message(en or zh, zh) for c, zh, en in rows}
                _NAMES[self.path] = (Catalog.commits, self._names)
        return self._names

    # -- plans -------------------------------------------------------------
    def init(self) -> tuple[int, int]:
        """Register the bundled regions and the built-in plans (idempotent)."""
        n_regions = self.load_regions()
        n_plans = 0
        for plan in builtin_plans():
            if self.save_plan(plan, builtin=True, replace=True):
                n_plans += 1
        return n_regions, n_plans

    def save_plan(self, plan: Plan, *, builtin: bool = False, replace: bool = False) -> bool:
        """Store ``plan``; returns False when the same definition is already stored.

        Raises
        ------
        PlanError
            Another definition with this id exists and ``replace`` is False.
        """
        definition = json.dumps(plan_to_mapping(plan), ensure_ascii=False, sort_keys=True)
        row = self.con.execute("SELECT definition FROM plans WHERE id = ?", [plan.id]).fetchone()
        if row is not None:
            if json.loads(row[0]) == json.loads(definition):
                return False
            if not replace:
                raise PlanError(
                    f"plan {plan.id!r} is already stored with a different definition; "
                    "use --replace to overwrite it (its indicator values are kept)"
                )
        with self.transaction() as con:
            if row is not None:  # the replaced definition is kept as an earlier version
                con.execute(
                    "INSERT INTO plan_versions SELECT id, (SELECT count(*) + 1 FROM plan_versions "
                    "WHERE plan_id = ?), definition, imported_at, NULL FROM plans WHERE id = ?",
                    [plan.id, plan.id],
                )
            for table in ("plans", "indicators", "targets", "tasks", "projects"):
                key = "id" if table == "plans" else "plan_id"
                con.execute(f"DELETE FROM {table} WHERE {key} = ?", [plan.id])
            con.execute(
                "INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    plan.id,
                    plan.title.zh,
                    plan.title.en,
                    plan.issuer.zh,
                    plan.document_number,
                    plan.level.value,
                    plan.region,
                    plan.start,
                    plan.end,
                    plan.base_year,
                    plan.parent,
                    builtin,
                    definition,
                    _now(),
                ],
            )
            for i, ind in enumerate(plan.indicators):
                con.execute(
                    "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        plan.id,
                        ind.id,
                        i,
                        ind.code,
                        ind.category.zh,
                        ind.name.zh,
                        ind.name.en,
                        ind.unit,
                        ind.direction.value,
                        ind.attribute.value,
                        ind.baseline.year,
                        ind.baseline.value,
                        ind.is_cumulative,
                        ind.parent.plan if ind.parent else None,
                        ind.parent.indicator if ind.parent else None,
                        ind.source.file,
                        ind.source.quote,
                    ],
                )
                specs = [(plan.region, s) for s in ind.targets] + [
                    (region, s) for region, ss in ind.allocations.items() for s in ss
                ]
                con.executemany(
                    "INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            plan.id,
                            ind.id,
                            region,
                            s.year,
                            s.target.text or s.target.canonical(),
                            s.target.kind.value,
                            s.target.canonical(),
                            None if s.stretch is None else s.stretch.canonical(),
                        )
                        for region, s in specs
                    ],
                )
            for t in plan.tasks:
                con.execute(
                    "INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [plan.id, t.id, t.text.zh, t.text.en, t.due, "; ".join(t.responsible), t.source.quote],
                )
            for p in plan.projects:
                con.execute(
                    "INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [plan.id, p.id, p.name.zh, p.name.en, p.category, p.region, p.investment],
                )
            assessments.refresh(self, plan_ids=[plan.id, *self.child_plans(plan.id)])
        return True

    def child_plans(self, plan_id: str) -> list[str]:
        """Plans with an indicator whose parent indicator belongs to ``plan_id``."""
        rows = self.con.execute(
            "SELECT DISTINCT plan_id FROM indicators WHERE parent_plan = ? AND plan_id <> ? ORDER BY 1",
            [plan_id, plan_id],
        ).fetchall()
        return [r[0] for r in rows]

    def plan_version(self, plan_id: str) -> int:
        """The stored definition's version: 1 + the number of definitions it replaced."""
        row = self.con.execute(
            "SELECT count(*) + 1 FROM plan_versions WHERE plan_id = ?", [plan_id]
        ).fetchone()
        return int(row[0]) if row else 1

    def plan_versions(self, plan_id: str) -> list[dict[str, Any]]:
        """Earlier definitions of ``plan_id`` (version, saved_at, actor, definition), oldest first."""
        cur = self.con.execute(
            "SELECT version, saved_at, actor, definition FROM plan_versions "
            "WHERE plan_id = ? ORDER BY version",
            [plan_id],
        )
        return [
            {"version": v, "saved_at": at, "actor": a, "definition": json.loads(d)}
            for v, at, a, d in cur.fetchall()
        ]

    def plan_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM plans ORDER BY id").fetchall()]

    def plan(self, plan_id: str) -> Plan:
        row = self.con.execute("SELECT definition FROM plans WHERE id = ?", [plan_id]).fetchone()
        if row is None:
            known = ", ".join(self.plan_ids()) or "none; run `ecoplan init`"
            raise NotFound(f"unknown plan {plan_id!r} (known: {known})")
        key = (plan_id, str(row[0]))
        plan = _PLANS.get(key)
        if plan is None:  # parsed once per stored definition
            plan = plan_from_mapping(json.loads(row[0]), file=f"store:{plan_id}")
            if len(_PLANS) > 256:
                _PLANS.clear()
            _PLANS[key] = plan
        return plan

    def plans(self) -> list[Plan]:
        return [self.plan(i) for i in self.plan_ids()]

    def resolver(self) -> _Resolver:
        """Targets handed down by parent plans (:class:`_Resolver`)."""
        return _Resolver(self)

    # -- decomposed targets (逐级分解) ----------------------------------------
    def save_decompositions(
        self,
        rows: Sequence[Decomposition],
        *,
        recorded_at: dt.datetime | None = None,
        actor: str | None = None,
        origin: str | None = None,
    ) -> ImportResult:
        """Store decomposed targets (insert or replace by plan, indicator, region, year).

        All or nothing, in one transaction with the refreshed assessment of
        the regions named (in the plan and its child plans). A row equal to
        the stored one is counted unchanged, so re-importing changes nothing.
        """
        when = recorded_at or _now()
        stored = {
            tuple(r[:4]): tuple(r[4:])
            for r in self.con.execute(
                "SELECT plan_id, indicator_id, region, year, expr, stretch, source, note "
                "FROM target_decompositions"
            ).fetchall()
        }
        inserted = revised = unchanged = 0
        new: list[tuple[Any, ...]] = []
        for d in rows:
            key = (d.plan, d.indicator, d.region, d.year)
            old = stored.get(key)
            if old == (d.expr, d.stretch, d.source, d.note):
                unchanged += 1
                continue
            inserted += old is None
            revised += old is not None
            new.append((*key, d.expr, d.stretch, d.source, d.note, when, actor, origin))
        if new:
            with self.transaction() as con:
                con.executemany(
                    "INSERT OR REPLACE INTO target_decompositions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new,
                )
                self._refresh_decomposed({(str(r[0]), str(r[2])) for r in new})
        return ImportResult(inserted, revised, unchanged)

    def remove_decompositions(self, keys: Iterable[tuple[str, str, str, int | None]]) -> int:
        """Delete decomposed targets by (plan, indicator, region, year or None = every year).

        The regions named return to the plan's inherited targets.
        """
        removed = 0
        touched: set[tuple[str, str]] = set()
        with self.transaction() as con:
            for plan, ind, region, year in keys:
                sql = (
                    "DELETE FROM target_decompositions WHERE plan_id = ? AND indicator_id = ? AND region = ?"
                )
                args: list[Any] = [plan, ind, region]
                if year is not None:
                    sql += " AND year = ?"
                    args.append(year)
                row = con.execute(sql + " RETURNING 1", args).fetchall()
                if row:
                    removed += len(row)
                    touched.add((plan, region))
            if touched:
                self._refresh_decomposed(touched)
        return removed

    def _refresh_decomposed(self, touched: set[tuple[str, str]]) -> None:
        by_plan: dict[str, set[str]] = {}
        for plan, region in touched:
            by_plan.setdefault(plan, set()).add(region)
            for child in self.child_plans(plan):
                by_plan.setdefault(child, set()).add(region)
        assessments.refresh(self, regions=by_plan)

    def decomposition_rows(
        self, plan_id: str | None = None, region: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored decomposed targets, by plan, indicator, region and year."""
        sql = "SELECT * FROM target_decompositions WHERE 1=1"
        args: list[Any] = []
        for col, val in (("plan_id", plan_id), ("region", region)):
            if val:
                sql += f" AND {col} = ?"
                args.append(val)
        cur = self.con.execute(sql + " ORDER BY plan_id, indicator_id, region, year", args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def decomposed(self, plan_id: str, region: str) -> dict[str, tuple[TargetSpec, ...]]:
        """A region's stored decomposed targets of a plan, by indicator id."""
        got = assessments.decomposed_targets(self.con, plan_id, [region])
        return {ind: specs for (ind, _), specs in got.items()}

    # -- materialised assessments -------------------------------------------
    def assessment_rows(
        self,
        plan_id: str,
        *,
        year: int | None = None,
        region: str | None = None,
        level: str | None = None,
        warnings_only: bool = False,
        latest: bool = False,
        indicator: str | None = None,
    ) -> pd.DataFrame:
        """Stored assessment rows joined with region names and levels.

        ``latest``: each region's latest year with a value (instead of ``year``);
        ``indicator``: one indicator's rows only.
        """
        src = "assessments"
        if latest:
            src = (
                "(SELECT * FROM assessments WHERE plan_id = ? QUALIFY year = coalesce(max(CASE WHEN "
                "value IS NOT NULL THEN year END) OVER (PARTITION BY region), max(year) OVER "
                "(PARTITION BY region)))"
            )
        sql = (
            "SELECT a.*, r.name_zh AS region_zh, r.name_en AS region_en, r.level AS region_level "
            f"FROM {src} a JOIN regions r ON r.code = a.region WHERE a.plan_id = ?"
        )
        args: list[Any] = [plan_id, plan_id] if latest else [plan_id]
        if year is not None:
            sql += " AND a.year = ?"
            args.append(year)
        if region is not None:
            sql += " AND a.region = ?"
            args.append(region)
        if level is not None:
            sql += " AND r.level = ?"
            args.append(level)
        if indicator is not None:
            sql += " AND a.indicator_id = ?"
            args.append(indicator)
        if warnings_only:
            sql += " AND a.warning IS NOT NULL"
        return self.con.execute(sql + " ORDER BY a.region, a.year", args).df()

    def assessed_regions(self, plan_id: str) -> list[str]:
        """Regions with stored assessment rows (any year) under the plan."""
        rows = self.con.execute(
            "SELECT DISTINCT region FROM assessments WHERE plan_id = ? ORDER BY 1", [plan_id]
        ).fetchall()
        return [str(r[0]) for r in rows]

    def latest_assessed_year(self, plan_id: str, region: str) -> int:
        """The region's latest year with a value under the plan (the plan's end year if none)."""
        row = self.con.execute(
            "SELECT max(year) FILTER (WHERE value IS NOT NULL), max(year) FROM assessments "
            "WHERE plan_id = ? AND region = ?",
            [plan_id, region],
        ).fetchone()
        if row is None or row[1] is None:
            return self.plan(plan_id).end
        return int(row[0] if row[0] is not None else row[1])

    def assessment_years(self, plan_id: str, level: str | None = None) -> list[int]:
        """Years with at least one value (of a region of ``level``, when given)."""
        sql = "SELECT DISTINCT a.year FROM assessments a"
        args: list[Any] = [plan_id]
        if level is not None:
            sql += " JOIN regions r ON r.code = a.region AND r.level = ?"
            args.insert(0, level)
        rows = self.con.execute(
            sql + " WHERE a.plan_id = ? AND a.value IS NOT NULL ORDER BY 1", args
        ).fetchall()
        return [int(r[0]) for r in rows]

    def refresh_assessments(self, plan_ids: Iterable[str] | None = None) -> int:
        """Recompute the stored assessment of ``plan_ids`` (default: every plan)."""
        with self.transaction():
            return assessments.refresh(self, plan_ids=list(plan_ids) if plan_ids is not None else None)

    # -- values ------------------------------------------------------------
    def add_values(
        self,
        rows: Sequence[ValueRow],
        *,
        recorded_at: dt.datetime | None = None,
        actor: str | None = None,
        origin: str | None = None,
        only_new: bool = False,
        reviewer: str | None = None,
        submission_id: int | None = None,
    ) -> ImportResult:
        """Append revisions for rows whose value differs from the one in force.

        All or nothing: the whole batch is one transaction. A row equal to the
        latest stored revision (value, unit, basis, source, note) is skipped,
        so re-importing a file changes nothing. With ``only_new`` (the demo
        values) a row whose key has any stored revision is left as it is and
        counted as unchanged: nothing stored is ever revised.
        """
        when = recorded_at or _now()
        inserted = revised = unchanged = 0
        latest = self._latest_revisions({r.plan for r in rows}, {r.region for r in rows})
        new_rows = []
        for r in rows:
            last = latest.get((r.plan, r.indicator, r.region, r.year))
            if last is not None and (
                only_new or last[1:6] == (r.value, r.unit, r.basis.value, r.source, r.note)
            ):
                unchanged += 1
                continue
            if last is not None and last[6] > when:
                raise StoreError(
                    f"{r.plan}/{r.indicator}/{r.region}/{r.year}: a revision recorded at "
                    f"{last[6]} is newer than {when}; revisions are append-only in time"
                )
            rev = 1 if last is None else int(last[0]) + 1
            new_rows.append(
                (
                    r.plan,
                    r.indicator,
                    r.region,
                    r.year,
                    rev,
                    r.value,
                    r.unit,
                    r.basis.value,
                    r.source,
                    r.note,
                    when,
                    actor,
                    origin,
                    reviewer,
                    submission_id,
                )
            )
            if last is None:
                inserted += 1
            else:
                revised += 1
        if new_rows:
            touched: dict[str, set[str]] = {}
            for nr in new_rows:
                touched.setdefault(str(nr[0]), set()).add(str(nr[2]))
            with self.transaction() as con:
                con.register(
                    "_new_values",
                    pd.DataFrame(
                        new_rows,
                        columns=list(VALUE_COLUMNS),
                    ),
                )
                con.execute("INSERT INTO value_revisions SELECT * FROM _new_values")
                con.unregister("_new_values")
                assessments.refresh(self, regions=touched)
        return ImportResult(inserted, revised, unchanged)

    def _latest_revisions(
        self, plans: set[str], regions: set[str]
    ) -> dict[tuple[str, str, str, int], tuple[Any, ...]]:
        """Latest revision of every stored value of ``plans`` and ``regions``, by
        (plan, indicator, region, year)."""
        if not plans:
            return {}
        rows = self.con.execute(
            "SELECT plan_id, indicator_id, region, year, revision, value, unit, basis, source, note, "
            "recorded_at FROM value_revisions WHERE plan_id IN (SELECT unnest(?)) "
            "AND region IN (SELECT unnest(?)) "
            "QUALIFY row_number() OVER (PARTITION BY plan_id, indicator_id, region, year "
            "ORDER BY revision DESC) = 1",
            [sorted(plans), sorted(regions)],
        ).fetchall()
        return {(r[0], r[1], r[2], int(r[3])): tuple(r[4:]) for r in rows}

    def observations(
        self, plan_id: str, region: str, as_of: str | dt.date | dt.datetime | None = None
    ) -> dict[str, list[Observation]]:
        """Values in force at ``as_of`` (default: now), by indicator id."""
        moment = as_of_moment(as_of)
        sql = """
            SELECT indicator_id, year, value, basis, source, revision, recorded_at, note
            FROM value_revisions
            WHERE plan_id = ? AND region = ? {cond}
            QUALIFY row_number() OVER (PARTITION BY indicator_id, year ORDER BY revision DESC) = 1
            ORDER BY indicator_id, year
        """
        args: list[Any] = [plan_id, region]
        cond = ""
        if moment is not None:
            cond = "AND recorded_at <= ?"
            args.append(moment)
        out: dict[str, list[Observation]] = {}
        for ind, year, value, basis, source, rev, rec, note in self.con.execute(
            sql.format(cond=cond), args
        ).fetchall():
            out.setdefault(ind, []).append(
                Observation(int(year), float(value), Basis(basis), source, int(rev), str(rec), note)
            )
        return out

    def regions_with_values(self, plan_id: str) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT DISTINCT region FROM value_revisions WHERE plan_id = ? ORDER BY region",
                [plan_id],
            ).fetchall()
        ]

    def value_rows(
        self,
        plan_id: str | None = None,
        region: str | None = None,
        indicator: str | None = None,
        *,
        history: bool = False,
    ) -> list[dict[str, Any]]:
        """Stored values (the latest revision, or every revision with ``history``)."""
        sql = "SELECT * FROM value_revisions WHERE 1=1"
        args: list[Any] = []
        for col, val in (("plan_id", plan_id), ("region", region), ("indicator_id", indicator)):
            if val:
                sql += f" AND {col} = ?"
                args.append(val)
        if not history:
            sql += (
                " QUALIFY row_number() OVER (PARTITION BY plan_id, indicator_id, region, year "
                "ORDER BY revision DESC) = 1"
            )
        sql += " ORDER BY plan_id, indicator_id, region, year, revision"
        cur = self.con.execute(sql, args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    # -- tasks -------------------------------------------------------------
    def tasks(self, plan_id: str | None = None) -> list[dict[str, Any]]:
        sql = """
            SELECT t.plan_id, t.id, t.text_zh, t.text_en, t.due, t.responsible,
                   s.status, s.note, s.evidence, s.recorded_at
            FROM tasks t LEFT JOIN (
                SELECT * FROM task_status
                QUALIFY row_number() OVER (PARTITION BY plan_id, task_id ORDER BY seq DESC) = 1
            ) s ON s.plan_id = t.plan_id AND s.task_id = t.id
            {where} ORDER BY t.plan_id, t.due NULLS LAST, t.id
        """
        args = [plan_id] if plan_id else []
        cur = self.con.execute(sql.format(where="WHERE t.plan_id = ?" if plan_id else ""), args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def update_task(
        self,
        plan_id: str,
        task_id: str,
        status: str,
        *,
        note: str | None = None,
        evidence: str | None = None,
        actor: str | None = None,
    ) -> int:
        """Append a status to a task's history; returns its sequence number."""
        known = self.con.execute(
            "SELECT 1 FROM tasks WHERE plan_id = ? AND id = ?", [plan_id, task_id]
        ).fetchone()
        if known is None:
            raise NotFound(f"unknown task {task_id!r} of plan {plan_id!r} (see `ecoplan tasks list`)")
        with self.transaction() as con:
            row = con.execute(
                "SELECT coalesce(max(seq), 0) FROM task_status WHERE plan_id = ? AND task_id = ?",
                [plan_id, task_id],
            ).fetchone()
            seq = int(row[0] if row else 0) + 1
            con.execute(
                "INSERT INTO task_status VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [plan_id, task_id, seq, status, note, evidence, _now(), actor],
            )
        return seq

    # -- key projects ------------------------------------------------------
    def projects(self, plan_id: str | None = None) -> list[dict[str, Any]]:
        """Key projects with their latest progress."""
        sql = """
            SELECT p.plan_id, p.id, p.name_zh, p.name_en, p.category, p.region,
                   p.investment AS planned_investment,
                   g.progress_pct, g.investment, g.milestone, g.note, g.recorded_at, g.actor, g.reviewer
            FROM projects p LEFT JOIN (
                SELECT * FROM project_progress
                QUALIFY row_number() OVER (PARTITION BY plan_id, project_id ORDER BY seq DESC) = 1
            ) g ON g.plan_id = p.plan_id AND g.project_id = p.id
            {where} ORDER BY p.plan_id, p.id
        """
        args = [plan_id] if plan_id else []
        cur = self.con.execute(sql.format(where="WHERE p.plan_id = ?" if plan_id else ""), args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def add_project_progress(
        self,
        plan_id: str,
        project_id: str,
        *,
        progress_pct: float,
        note: str | None = None,
        investment: float | None = None,
        milestone: str | None = None,
        actor: str | None = None,
        reviewer: str | None = None,
    ) -> int:
        """Append a progress record to a key project's history; returns its sequence number."""
        known = self.con.execute(
            "SELECT 1 FROM projects WHERE plan_id = ? AND id = ?", [plan_id, project_id]
        ).fetchone()
        if known is None:
            raise NotFound(f"unknown project {project_id!r} of plan {plan_id!r}")
        with self.transaction() as con:
            row = con.execute(
                "SELECT coalesce(max(seq), 0) FROM project_progress WHERE plan_id = ? AND project_id = ?",
                [plan_id, project_id],
            ).fetchone()
            seq = int(row[0] if row else 0) + 1
            con.execute(
                "INSERT INTO project_progress VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    plan_id,
                    project_id,
                    seq,
                    progress_pct,
                    note,
                    _now(),
                    actor,
                    investment,
                    milestone,
                    reviewer,
                ],
            )
        return seq


class _Resolver:
    """Targets handed down by parent plans: the parent indicator's allocation to the
    region, or the parent's own target when the parent plan is the region's own plan.
    Milestone of the same year first, else the next one. It also names (per language)
    the parent plan, its indicator and the region, for the reason a target could not be
    resolved (:class:`~ecoplan.assess.model.NamingResolver`)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._plans: dict[str, Plan | None] = {}

    def _plan(self, plan_id: str) -> Plan | None:
        if plan_id not in self._plans:
            try:
                self._plans[plan_id] = self._catalog.plan(plan_id)
            except NotFound:
                self._plans[plan_id] = None
        return self._plans[plan_id]

    def __call__(self, ref: IndicatorRef, region: str, year: int) -> TargetSpec | None:
        parent = self._plan(ref.plan)
        if parent is None:
            return None
        try:
            ind = parent.indicator(ref.indicator)
        except KeyError:
            return None
        stored = assessments.decomposed_targets(self._catalog.con, ref.plan, [region]).get(
            (ref.indicator, region)
        )
        specs = stored or ind.targets_for(region, parent.region)
        same = [s for s in specs if s.year == year]
        later = [s for s in specs if s.year > year]
        match = same or later
        return match[0] if match else None

    def names(self, ref: IndicatorRef, region: str) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        parent = self._plan(ref.plan)
        if parent is not None:
            out["plan"] = {"zh": parent.title.zh, "en": parent.title.en or parent.title.zh}
            try:
                ind = parent.indicator(ref.indicator)
                out["indicator"] = {"zh": ind.name.zh, "en": ind.name.en or ind.name.zh}
            except KeyError:
                pass
        reg = self._catalog.region_names().get(region)
        if reg is not None:
            out["region"] = {"zh": reg.zh, "en": reg.en}
        return out

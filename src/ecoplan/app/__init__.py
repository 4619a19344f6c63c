"""The Python API: ``ecoplan.open(db)`` and what the CLI does, as methods.

>>> import ecoplan
>>> ep = ecoplan.open("ecoplan.duckdb")            # doctest: +SKIP
>>> ep.init()                                       # doctest: +SKIP
>>> res = ep.plan("cn-13th-eco").assess("000000", 2020)   # doctest: +SKIP
>>> res.to_frame()[["id", "value", "status", "verdict"]]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.app import assessment
from ecoplan.app.audit import Audit
from ecoplan.app.editing import Editing
from ecoplan.app.notify import Notify
from ecoplan.app.people import People
from ecoplan.app.review import Review
from ecoplan.assess.evaluate import Message, Observation, PlanAssessment
from ecoplan.assess.ranking import RankRow
from ecoplan.assess.scoring import ScoreCard, ScoringRules, load_rules, score
from ecoplan.core.domain import load
from ecoplan.core.errors import InputFileError, NotFound, Problem, StoreBusy
from ecoplan.core.regions import Region
from ecoplan.domains import domain, domains
from ecoplan.ingest.plans import read_plan_file
from ecoplan.ingest.values import read_values
from ecoplan.plans.model import Plan
from ecoplan.store.catalog import Catalog, ImportResult, default_db_path, recorded_moment, store_errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Ecoplan",
    "PlanHandle",
    "default_db_path",
    "demo_value_files",
    "demo_values_path",
    "open",
]


def demo_values_path() -> Path:
    """The bundled demo values: published national figures 2015–2020 (see its ``source`` column)."""
    return Path(str(resources.files("ecoplan.demo").joinpath("cn_13th_values.csv")))


#: The demo value files ``ecoplan init --demo`` loads, each with the date its values count
#: as recorded (as-of queries): the 13th period's figures, then the 14th's (2021–2025,
#: published up to March 2026).
_DEMO_FILES = (
    ("cn_13th_values.csv", "2021-06-30"),
    ("cn_14th_values.csv", "2026-03-31"),
    ("cn_beautiful_china_values.csv", "2026-03-31"),
    ("zhejiang_14th_values.csv", "2026-03-31"),
    ("shanghai_14th_values.csv", "2026-03-31"),
    ("henan_14th_values.csv", "2026-03-31"),
    ("hebei_14th_values.csv", "2026-03-31"),
)


def demo_value_files() -> tuple[tuple[Path, str], ...]:
    """Every bundled demo value file with its recorded-at date, in loading order."""
    root = resources.files("ecoplan.demo")
    return tuple((Path(str(root.joinpath(name))), recorded) for name, recorded in _DEMO_FILES)


@dataclass
class PlanHandle:
    """A stored plan bound to its session."""

    session: Ecoplan
    plan: Plan

    def assess(
        self, region: str | None = None, year: int | None = None, as_of: str | None = None
    ) -> PlanAssessment:
        return self.session.assess(self.plan.id, region or self.plan.region, year or self.plan.end, as_of)


#: Idle snapshot cursors an app keeps for the next readers.
_IDLE_READERS = 8


def _open_catalog(
    db: str | Path | None,
    read_only: bool,
    wait: float,
    on_wait: Callable[[float, StoreBusy], None] | None,
) -> Catalog:
    """Open the file, retrying every quarter second for up to ``wait`` seconds while
    another process holds it; ``on_wait(seconds waited, error)`` is called before each retry."""
    start = time.monotonic()
    while True:
        try:
            return Catalog(db, read_only=read_only)
        except StoreBusy as exc:
            waited = time.monotonic() - start
            if waited >= wait:
                raise StoreBusy(exc.path, exc.pid, waited if wait else 0.0) from None
            if on_wait is not None:
                on_wait(waited, exc)
            time.sleep(min(0.25, max(0.0, wait - waited)))


class Ecoplan:
    """An ecoplan database and the operations on it: the app.

    The app holds the path, one read-write connection and a writer lock. Within one
    process, threads read through :meth:`reader` (a consistent snapshot on a cursor of
    its own, which never waits for a writer) and write through :meth:`writer` (one at a
    time). DuckDB allows one read-write process per file: opening a file another
    process holds raises :class:`~ecoplan.core.errors.StoreBusy`, after retrying for up to
    ``wait`` seconds (``on_wait`` hears of each retry).
    """

    def __init__(
        self,
        db: str | Path | None = None,
        *,
        read_only: bool = False,
        wait: float = 0.0,
        on_wait: Callable[[float, StoreBusy], None] | None = None,
        catalog: Catalog | None = None,
        owner: Ecoplan | None = None,
    ) -> None:
        #: The catalog of this object: the app's own, or a reader's snapshot view.
        self.catalog = catalog if catalog is not None else _open_catalog(db, read_only, wait, on_wait)
        self._domains: dict[str, Any] = {}
        # A reader view (``owner`` set) borrows its owner's connection, lock and cursors.
        self._app: Ecoplan = owner if owner is not None else self
        if owner is None:
            self._write_lock = threading.RLock()
            self._idle: list[Catalog] = []
            self._idle_lock = threading.Lock()

    def close(self) -> None:
        """Close the app's connection (and its idle reader cursors); a reader view's
        close does nothing: its app owns the connection."""
        if self._app is not self:
            return
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for cat in idle:
            cat.close()
        self.catalog.close()

    def __enter__(self) -> Ecoplan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def reader(self) -> Iterator[Ecoplan]:
        """A read view for one thread: its queries see the store as it was when the
        view opened, whatever writers commit meanwhile; DuckDB errors (and a data
        file deleted under the reader) surface as :class:`~ecoplan.core.errors.StoreError`."""
        app = self._app
        with app._idle_lock:
            idle = app._idle.pop() if app._idle else None
        # a reused cursor gets a new catalog object: no cache outlives its snapshot
        cat = idle.fresh() if idle is not None else app.catalog.snapshot_view()
        try:
            cat.begin_snapshot()
        except BaseException:
            cat.close()
            raise
        try:
            with store_errors(app.catalog.path):
                yield Ecoplan(catalog=cat, owner=app)
        finally:
            app._release(cat)

    def _release(self, cat: Catalog) -> None:
        try:
            cat.end_snapshot()
        except Exception:
            cat.close()  # a cursor that cannot roll back is not reused
            return
        with self._idle_lock:
            if len(self._idle) < _IDLE_READERS:
                self._idle.append(cat)
                return
        cat.close()

    @contextmanager
    def writer(self) -> Iterator[Ecoplan]:
        """The app, for one writer at a time (re-entrant within a thread): imports,
        task updates, air loads and feeds of a shared app go through here."""
        app = self._app
        with app._write_lock:
            yield app

    # the store's state and the domains
    @property
    def path(self) -> str:
        """The database file."""
        return self.catalog.path

    def state(self) -> int | None:
        """A number that changes with every committed write (None once closed): a cache key."""
        return self.catalog.state()

    def domain(self, name: str) -> Any:
        """The service of the registered domain ``name`` (:mod:`ecoplan.domains`), made on first use."""
        ops = self._domains.get(name)
        if ops is None:
            d = domain(name)
            if d.service is None:
                raise NotFound(f"domain {name!r} has no service")
            ops = self._domains[name] = load(d.service)(self)
        return ops

    # people at work (issue #12): accounts, review, audit
    @property
    def people(self) -> People:
        """Accounts, sign-in, tokens and sessions (:mod:`ecoplan.app.people`)."""
        return People(self)

    @property
    def audit(self) -> Audit:
        """The hash-chained audit log (:mod:`ecoplan.app.audit`)."""
        return Audit(self)

    @property
    def review(self) -> Review:
        """Submissions and their review (:mod:`ecoplan.app.review`)."""
        return Review(self)

    @property
    def notify(self) -> Notify:
        """Subscriptions and the notification digest (:mod:`ecoplan.app.notify`)."""
        return Notify(self)

    @property
    def editing(self) -> Editing:
        """Plan edits as new versions, decomposed targets, by principals (:mod:`ecoplan.app.editing`)."""
        return Editing(self)

    def plan_version(self, plan_id: str) -> int:
        """The version of the stored definition of ``plan_id`` (1 + the definitions it replaced)."""
        return self.catalog.plan_version(plan_id)

    def plan_versions(self, plan_id: str) -> list[dict[str, Any]]:
        """The definitions ``plan_id`` had before its current one (version, saved_at, actor, definition)."""
        return self.catalog.plan_versions(plan_id)

    def projects(self, plan_id: str | None = None) -> list[dict[str, Any]]:
        """Key projects with their latest published progress."""
        return self.catalog.projects(plan_id)

    def __getattr__(self, name: str) -> Any:
        # ``ep.air`` is ``ep.domain("air")``: the shells name no domain, tests and users may
        if name.startswith("_") or name not in {d.name for d in domains()}:
            raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")
        return self.domain(name)

    # plans and regions
    def regions(self, level: str | None = None, parent: str | None = None) -> list[Region]:
        return self.catalog.regions(level, parent)

    def region(self, code: str) -> Region:
        """The region ``code`` (:class:`~ecoplan.core.errors.NotFound` if unknown)."""
        return self.catalog.region(code)

    def region_names(self) -> dict[str, Message]:
        """Every region's name (en, zh) by code."""
        return self.catalog.region_names()

    def plan_ids(self) -> list[str]:
        return self.catalog.plan_ids()

    def definition(self, plan_id: str) -> Plan:
        """The stored plan ``plan_id`` (:class:`~ecoplan.core.errors.NotFound` naming the known ones)."""
        return self.catalog.plan(plan_id)

    def observations(
        self, plan_id: str, region: str, as_of: str | dt.date | dt.datetime | None = None
    ) -> dict[str, list[Observation]]:
        """The values of a plan's indicators for one region, by indicator, as known on ``as_of``."""
        return self.catalog.observations(plan_id, region, as_of)

    def values(
        self,
        plan_id: str | None = None,
        region: str | None = None,
        indicator: str | None = None,
        *,
        history: bool = False,
    ) -> list[dict[str, Any]]:
        """Stored values (the latest revision, or every revision with ``history``)."""
        return self.catalog.value_rows(plan_id, region, indicator, history=history)

    def tasks(self, plan_id: str | None = None) -> list[dict[str, Any]]:
        """Tasks with their latest status."""
        return self.catalog.tasks(plan_id)

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
        with self.writer() as w, w.catalog.transaction():
            seq = w.catalog.update_task(plan_id, task_id, status, note=note, evidence=evidence, actor=actor)
            w.audit.append(
                actor or "shell",
                "task.update",
                target=f"{plan_id}/{task_id}",
                after={"status": status, "note": note, "evidence": evidence},
                source="cli",
            )
            return seq

    def decompositions(self, plan_id: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
        """Stored decomposed targets, by plan, indicator, region and year."""
        return self.catalog.decomposition_rows(plan_id, region)

    def latest_assessed_year(self, plan_id: str, region: str) -> int:
        """The last year with a value of the plan for ``region`` (else the plan's end)."""
        return self.catalog.latest_assessed_year(plan_id, region)

    def assessment_years(self, plan_id: str, level: str | None = None) -> list[int]:
        """Years with at least one value (of a region of ``level``, when given)."""
        return self.catalog.assessment_years(plan_id, level)

    def init(self) -> tuple[int, int]:
        """Register regions and built-in plans; returns (regions, plans newly stored)."""
        return self.catalog.init()

    def plans(self) -> list[Plan]:
        return self.catalog.plans()

    def plan(self, plan_id: str) -> PlanHandle:
        return PlanHandle(self, self.catalog.plan(plan_id))

    def import_plan(self, path: str | Path, *, replace: bool = False) -> tuple[Plan, bool]:
        plan = read_plan_file(path)
        if plan.region not in self.catalog.region_codes():
            raise NotFound(f"{path}: region {plan.region} is not in the store (run `ecoplan init`)")
        self._refuse_unsound_links(plan, path)
        with self.writer() as w, w.catalog.transaction():
            changed = w.catalog.save_plan(plan, replace=replace)
            if changed:
                w.audit.append(
                    "shell",
                    "plan.import",
                    target=f"plan/{plan.id}",
                    region=plan.region,
                    after={"file": Path(path).name, "version": w.catalog.plan_version(plan.id)},
                    source="cli",
                )
            return plan, changed

    def _refuse_unsound_links(self, plan: Plan, path: str | Path) -> None:
        """Refuse a plan whose cross-period links contradict themselves (nothing stored).

        A ``redefined`` indicator keeping its predecessor's series code would make two
        definitions one series; a predecessor of the same or a later period is no
        predecessor. A predecessor plan or indicator not (yet) in the store is not refused:
        ``plans import`` and ``plans check`` report it.
        """
        from ecoplan.plans.lineage import links_of

        plans = {p.id: p for p in self.catalog.plans()} | {plan.id: plan}
        refused = ("lineage.redefined_same_code", "lineage.not_earlier")
        bad = [lk for lk in links_of(plan, plans) if lk.problem is not None and lk.problem.code in refused]
        if bad:
            name = Path(path).name
            raise InputFileError(
                name,
                [Problem(name, f"{lk.indicator.id}: {lk.problem_text('en')}", field=lk.field) for lk in bad],
            )

    # values
    def import_values(
        self,
        path: str | Path,
        *,
        recorded_at: str | dt.datetime | None = None,
        actor: str | None = None,
        sheet: str | None = None,
        only_new: bool = False,
    ) -> ImportResult:
        """Validate and store a values file (all or nothing; re-import is a no-op).

        ``only_new``: store only values of keys (plan, indicator, region, year) with
        no stored revision at all; the others are left as they are (the demo values).
        """
        plans = {p.id: p for p in self.catalog.plans()}
        names = {r.code: r.name_zh for r in self.catalog.regions()}
        rows = read_values(path, plans, names, sheet=sheet)
        with self.writer() as w, w.catalog.transaction():
            res = w.catalog.add_values(
                rows,
                recorded_at=recorded_moment(recorded_at),
                actor=actor,
                origin=Path(path).name,
                only_new=only_new,
            )
            if res.changed:
                w.audit.append(
                    actor or "shell",
                    "values.import",
                    target=Path(path).name,
                    after={"inserted": res.inserted, "revised": res.revised, "unchanged": res.unchanged},
                    source="cli",
                )
            return res

    # assessment
    def assess(
        self,
        plan_id: str,
        region: str,
        year: int,
        as_of: str | None = None,
        *,
        pending: dict[str, list[Observation]] | None = None,
    ) -> PlanAssessment:
        """Assess one region on its own baseline and target (:mod:`ecoplan.app.assessment`);
        ``pending`` lays unpublished values over the published ones (``ep.review.pending``)."""
        return assessment.assess(self.catalog, plan_id, region, year, as_of, pending=pending)

    def score(
        self, pa: PlanAssessment, rules: ScoringRules | None = None, flags: set[str] | None = None
    ) -> ScoreCard:
        return score(pa, rules or load_rules(), flags)

    def rank(
        self,
        plan_id: str,
        year: int,
        regions: list[str] | None = None,
        as_of: str | None = None,
        rules: ScoringRules | None = None,
        *,
        level: str | None = None,
    ) -> list[RankRow]:
        """Rank the regions of one level (default: the highest below the plan's region)."""
        return assessment.rank(self.catalog, plan_id, year, regions, as_of, rules, level=level)

    def warnings(
        self,
        plan_id: str | None = None,
        year: int | None = None,
        *,
        level: str | None = None,
        region_level: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> assessment.WarningPage:
        """The warnings of every region for ``year`` (default: each region's latest year with
        a value), most severe first; filtered and paged (:func:`assessment.warnings`)."""
        return assessment.warnings(
            self.catalog, plan_id, year, level=level, region_level=region_level, offset=offset, limit=limit
        )

    def progress(self, plan_id: str, level: str) -> list[dict[str, Any]]:
        """Share of assessed indicators achieved or on track, per region of ``level``, latest year."""
        return assessment.progress(self.catalog, plan_id, level)

    def import_decompositions(self, path: str | Path, *, actor: str | None = None) -> ImportResult:
        """Store the decomposed targets of a file (:mod:`ecoplan.ingest.decompositions`)."""
        with self.writer() as w, w.catalog.transaction():
            res = assessment.import_decompositions(w.catalog, path, actor=actor)
            if res.changed:
                w.audit.append(
                    actor or "shell",
                    "decomposition.import",
                    target=Path(path).name,
                    after={"inserted": res.inserted, "revised": res.revised},
                    source="cli",
                )
            return res

    def remove_decompositions(self, path: str | Path) -> int:
        """Delete the decomposed targets a file lists; those regions inherit again."""
        return assessment.remove_decompositions(self.catalog, path)


def open(db: str | Path | None = None, *, read_only: bool = False, wait: float = 0.0) -> Ecoplan:
    """Open (creating or upgrading) an ecoplan database; ``None`` = ``$ECOPLAN_DB`` or ./ecoplan.duckdb.

    ``wait``: seconds to keep retrying while another process holds the file."""
    return Ecoplan(db, read_only=read_only, wait=wait)


def assessment_frame(pa: PlanAssessment) -> pd.DataFrame:
    """One row per indicator, the columns of the JSON form (flattened)."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for d in (a.to_dict() for a in pa.indicators):
        t = d.pop("target") or {}
        b = d.pop("baseline")
        d.pop("milestone")
        rows.append(
            {
                **d,
                "baseline_year": b["year"],
                "baseline_value": b["value"],
                "target_year": t.get("year"),
                "target_expr": t.get("expr"),
                "target_value": t.get("value"),
            }
        )
    return pd.DataFrame(rows)


PlanAssessment.to_frame = assessment_frame  # type: ignore[attr-defined]

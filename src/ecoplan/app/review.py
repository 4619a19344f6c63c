"""``ep.review``: what reporters submit and reviewers return, accept and publish (issue #12).

The seeds' 调度: a city reports its indicator values, task progress and key-project
progress; the province reviews, sends back with a comment, or accepts; accepted work
is published, and only published work reaches the values the public pages, the
anonymous API and the stored assessments read. The states::

    submitted ──return──▶ returned ──resubmit──▶ submitted
        │                    │
        ├──accept──▶ accepted ──publish──▶ published
        └──withdraw (author; also from returned) ──▶ withdrawn

A reviewer acts on submissions of regions in their scope, never on their own. A
values file is validated exactly as ``ecoplan values import`` validates it
(:func:`ecoplan.ingest.values.read_values`) after the upload checks of
:mod:`ecoplan.ingest.uploads`; :meth:`Review.preview` says, row by row, what would
change, and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.assess.model import Observation
from ecoplan.core.access import Principal, Role, covers
from ecoplan.core.errors import Conflict, EcoplanError, Forbidden, InputFileError, NotFound
from ecoplan.core.regions import region_lineage
from ecoplan.ingest.uploads import check_values_upload, evidence_type
from ecoplan.ingest.values import ValueRow, read_values
from ecoplan.plans.model import Basis
from ecoplan.store import submissions as store

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["KINDS", "STATES", "Review"]

KINDS = ("values", "task", "project")
STATES = ("submitted", "returned", "accepted", "published", "withdrawn")
TASK_STATUSES = ("not_started", "in_progress", "done", "delayed")
MAX_COMMENT = 2000


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row_json(r: ValueRow) -> dict[str, Any]:
    return {
        "indicator": r.indicator,
        "region": r.region,
        "year": r.year,
        "value": r.value,
        "unit": r.unit,
        "basis": r.basis.value,
        "source": r.source,
        "note": r.note,
    }


class Review:
    def __init__(self, ep: Ecoplan) -> None:
        self.ep = ep

    # -- reading a values file -----------------------------------------------------
    def read_upload(
        self, name: str, data: bytes, who: Principal | None = None, action: str = "submission.create"
    ) -> list[ValueRow]:
        """The validated rows of an uploaded values file (CSV or XLSX bytes), or the
        CLI's error report (:class:`~ecoplan.core.errors.InputFileError`); a refused file
        of ``who`` leaves an audit row naming its first problems."""
        try:
            return self._read_upload(name, data)
        except InputFileError as exc:
            if who is not None:
                self.ep.audit.denied(
                    who,
                    action,
                    f"{len(exc.problems)} problem(s) in the file",
                    target=name[:200],
                    after_problems=[str(p) for p in exc.problems[:5]],
                )
            raise

    def _read_upload(self, name: str, data: bytes) -> list[ValueRow]:
        suffix = check_values_upload(name, data)
        plans = {p.id: p for p in self.ep.catalog.plans()}
        names = {r.code: r.name_zh for r in self.ep.catalog.regions()}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / ("upload" + suffix)  # never the sent name: "", NUL, "/"
            path.write_bytes(data)
            try:
                return read_values(path, plans, names)
            except EcoplanError as exc:  # name the uploaded file, not the temporary copy
                problems = getattr(exc, "problems", None)
                if problems is not None:
                    from dataclasses import replace

                    from ecoplan.core.errors import ValuesImportError

                    raise ValuesImportError(name, [replace(p, file=name) for p in problems]) from None
                raise

    def _scope_rows(self, who: Principal, rows: list[ValueRow], action: str) -> tuple[str, str]:
        """(plan, region) of a file's rows: one plan; every region inside ``who``'s scope."""
        plans = sorted({r.plan for r in rows})
        if not rows:
            raise EcoplanError.worded("review.error.empty")
        if len(plans) > 1:
            raise EcoplanError.worded("review.error.one_plan", plans=", ".join(plans))
        regions = sorted({r.region for r in rows})
        for region in regions:
            self.ep.people.require(who, Role.REPORTER, region, action)
        # the nearest region above all rows (a city and its county: the city), not the
        # sender's whole scope: that region's reviewers and overlay must find it
        lines = [region_lineage(r) for r in regions]
        region = next((c for c in lines[0] if all(c in line for line in lines[1:])), who.region)
        return plans[0], region

    def preview(self, who: Principal, name: str, data: bytes) -> dict[str, Any]:
        """What submitting the file would change, row by row (``new``, ``changed`` with the
        published value, ``unchanged``); nothing is stored."""
        self.ep.people.require(who, Role.REPORTER, None, "submission.preview")
        rows = self.read_upload(name, data, who, "submission.preview")
        plan_id, region = self._scope_rows(who, rows, "submission.preview")
        published = {
            (v["indicator_id"], v["region"], int(v["year"])): v for v in self.ep.catalog.value_rows(plan_id)
        }
        out = []
        for r in rows:
            old = published.get((r.indicator, r.region, r.year))
            change = "new" if old is None else ("unchanged" if old["value"] == r.value else "changed")
            out.append({**_row_json(r), "change": change, "published": None if old is None else old["value"]})
        counts = {k: sum(o["change"] == k for o in out) for k in ("new", "changed", "unchanged")}
        return {"file": name, "plan": plan_id, "region": region, "rows": out, "counts": counts}

    # -- submitting ------------------------------------------------------------------
    def submit_values(self, who: Principal, name: str, data: bytes) -> dict[str, Any]:
        """Store an uploaded values file as one submission (state ``submitted``)."""
        self.ep.people.require(who, Role.REPORTER, None, "submission.create")
        rows = self.read_upload(name, data, who, "submission.create")
        plan_id, region = self._scope_rows(who, rows, "submission.create")
        payload = [_row_json(r) for r in rows]
        return self._create(who, "values", plan_id, region, payload, name)

    def submit_task(
        self,
        who: Principal,
        plan_id: str,
        task_id: str,
        status: str,
        *,
        note: str | None = None,
        evidence_text: str | None = None,
        evidence_link: str | None = None,
        evidence_file: tuple[str, bytes] | None = None,
    ) -> dict[str, Any]:
        """Task progress (a status, a note and evidence: text, a link or a file)."""
        plan = self.ep.catalog.plan(plan_id)
        if task_id not in {t.id for t in plan.tasks}:
            raise NotFound.worded("review.error.unknown_task", task=task_id, plan=plan_id)
        if status not in TASK_STATUSES:
            raise EcoplanError.worded(
                "review.error.task_status", status=status, known=", ".join(TASK_STATUSES)
            )
        self.ep.people.require(who, Role.REPORTER, plan.region, "submission.create")
        if evidence_link is not None and not evidence_link.startswith(("https://", "http://")):
            raise EcoplanError.worded("review.error.link", link=evidence_link[:200])
        evidence: dict[str, Any] | None = None
        if evidence_file is not None:
            fname, content = evidence_file
            media = evidence_type(fname, content)
            sha = hashlib.sha256(content).hexdigest()
            with self.ep.writer() as w:
                store.add_evidence(
                    w.catalog, sha, Path(fname).name[:200], media, content, when=_now(), by=who.user
                )
            evidence = {"kind": "file", "sha256": sha, "name": Path(fname).name[:200], "media_type": media}
        elif evidence_link:
            evidence = {"kind": "link", "url": evidence_link}
        elif evidence_text:
            evidence = {"kind": "text", "text": evidence_text[:MAX_COMMENT]}
        payload = {
            "task": task_id,
            "status": status,
            "note": (note or "")[:MAX_COMMENT] or None,
            "evidence": evidence,
        }
        return self._create(who, "task", plan_id, plan.region, payload, None)

    def submit_project(
        self,
        who: Principal,
        plan_id: str,
        project_id: str,
        *,
        progress_pct: float,
        investment: float | None = None,
        milestone: str | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Key-project progress: completion %, investment to date (亿元, as the plan's
        projects), the milestone reached."""
        plan = self.ep.catalog.plan(plan_id)
        project = next((p for p in plan.projects if p.id == project_id), None)
        if project is None:
            raise NotFound.worded("review.error.unknown_project", project=project_id, plan=plan_id)
        if not 0 <= progress_pct <= 100:
            raise EcoplanError.worded("review.error.progress", value=progress_pct)
        if investment is not None and investment < 0:
            raise EcoplanError.worded("review.error.investment", value=investment)
        region = getattr(project, "region", None) or plan.region
        self.ep.people.require(who, Role.REPORTER, region, "submission.create")
        payload = {
            "project": project_id,
            "progress_pct": progress_pct,
            "investment": investment,
            "milestone": (milestone or "")[:500] or None,
            "note": (note or "")[:MAX_COMMENT] or None,
        }
        return self._create(who, "project", plan_id, region, payload, None)

    def _create(
        self, who: Principal, kind: str, plan_id: str, region: str, payload: Any, origin: str | None
    ) -> dict[str, Any]:
        with self.ep.writer() as w, w.catalog.transaction():
            sid = store.create(
                w.catalog,
                kind=kind,
                plan_id=plan_id,
                region=region,
                author=who.user,
                payload=payload,
                origin=origin,
                when=_now(),
            )
            w.audit.record(
                who,
                "submission.create",
                target=f"submission/{sid}",
                region=region,
                after={"kind": kind, "plan": plan_id, "origin": origin, "payload": payload},
            )
            return self._get(w, sid)

    # -- the workflow ----------------------------------------------------------------
    @staticmethod
    def _get(ep: Ecoplan, sid: int) -> dict[str, Any]:
        s = store.find(ep.catalog, sid)
        if s is None:
            raise NotFound.worded("review.error.unknown", id=sid)
        return s

    def get(self, who: Principal, sid: int) -> dict[str, Any]:
        """A submission with its events, for a viewer (or above) whose scope covers it."""
        s = self._get(self.ep, sid)
        self.ep.people.require(who, Role.VIEWER, s["region"], "submission.read")
        return {**s, "events": store.events(self.ep.catalog, sid)}

    def listing(
        self,
        who: Principal,
        *,
        states: list[str] | None = None,
        mine: bool = False,
        plan_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Submissions in ``who``'s scope (or their own with ``mine``), newest first."""
        rows = store.listing(
            self.ep.catalog, states=states, author=who.user if mine else None, plan_id=plan_id
        )
        return [s for s in rows if covers(who.region, s["region"])]

    def queue(self, who: Principal) -> list[dict[str, Any]]:
        """A reviewer's queue: submitted or accepted work of their scope, not their own."""
        self.ep.people.require(who, Role.REVIEWER, None, "submission.queue")
        return [s for s in self.listing(who, states=["submitted", "accepted"]) if s["author"] != who.user]

    def _transition(
        self,
        who: Principal,
        sid: int,
        action: str,
        new: str,
        *,
        allowed_from: tuple[str, ...],
        role: Role,
        author_only: bool = False,
        not_author: bool = False,
        comment: str | None = None,
        payload: Any = None,
        origin: str | None = None,
    ) -> dict[str, Any]:
        with self.ep.writer() as w:
            s = self._get(w, sid)
            w.people.require(who, role, s["region"], action)
            if author_only and s["author"] != who.user:
                w.audit.denied(who, action, "not the author", target=f"submission/{sid}", region=s["region"])
                raise Forbidden.worded("review.error.not_author", id=sid)
            if not_author and s["author"] == who.user:
                w.audit.denied(who, action, "own submission", target=f"submission/{sid}", region=s["region"])
                raise Forbidden.worded("review.error.own", id=sid)
            if s["state"] not in allowed_from:
                raise Conflict.worded(
                    "review.error.state", id=sid, state=s["state"], action=action.split(".")[-1]
                )
            with w.catalog.transaction():
                if new == "published":
                    self._apply(w, s, who)
                store.set_state(
                    w.catalog,
                    sid,
                    new,
                    actor=who.user,
                    when=_now(),
                    comment=comment,
                    reviewer=who.user if not_author else None,
                    payload=payload,
                    origin=origin,
                )
                w.audit.record(
                    who,
                    action,
                    target=f"submission/{sid}",
                    region=s["region"],
                    before={
                        "state": s["state"],
                        **({"payload": s["payload"]} if payload is not None else {}),
                    },
                    after={
                        "state": new,
                        **({"comment": comment} if comment else {}),
                        **({"payload": payload} if payload is not None else {}),
                    },
                )
            return self._get(w, sid)

    def review(self, who: Principal, sid: int, decision: str, comment: str | None = None) -> dict[str, Any]:
        """``accept`` or ``return`` (a comment is required to return) a submitted submission."""
        if decision not in ("accept", "return"):
            raise EcoplanError.worded("review.error.decision", decision=decision)
        comment = (comment or "").strip()[:MAX_COMMENT] or None
        if decision == "return" and not comment:
            raise EcoplanError.worded("review.error.comment")
        return self._transition(
            who,
            sid,
            f"submission.{decision}",
            "accepted" if decision == "accept" else "returned",
            allowed_from=("submitted",),
            role=Role.REVIEWER,
            not_author=True,
            comment=comment,
        )

    def publish(self, who: Principal, sid: int) -> dict[str, Any]:
        """Publish accepted work: its values become revisions (author and reviewer kept),
        task and project progress join their histories; assessments are refreshed."""
        return self._transition(
            who,
            sid,
            "submission.publish",
            "published",
            allowed_from=("accepted",),
            role=Role.REVIEWER,
            not_author=True,
        )

    def withdraw(self, who: Principal, sid: int) -> dict[str, Any]:
        return self._transition(
            who,
            sid,
            "submission.withdraw",
            "withdrawn",
            allowed_from=("submitted", "returned"),
            role=Role.REPORTER,
            author_only=True,
        )

    def resubmit(self, who: Principal, sid: int, name: str, data: bytes) -> dict[str, Any]:
        """The author sends a corrected values file for a returned (or still submitted) submission."""
        s = self._get(self.ep, sid)
        if s["kind"] != "values":
            raise Conflict.worded("review.error.kind", id=sid, kind=s["kind"])
        rows = self.read_upload(name, data, who, "submission.resubmit")
        plan_id, region = self._scope_rows(who, rows, "submission.resubmit")
        if plan_id != s["plan_id"]:
            raise EcoplanError.worded("review.error.other_plan", id=sid, plan=s["plan_id"], got=plan_id)
        if region != s["region"]:  # the reviewer and the overlay find a submission by its region
            raise EcoplanError.worded("review.error.other_region", id=sid, region=s["region"], got=region)
        return self._transition(
            who,
            sid,
            "submission.resubmit",
            "submitted",
            allowed_from=("returned", "submitted"),
            role=Role.REPORTER,
            author_only=True,
            payload=[_row_json(r) for r in rows],
            origin=name,
        )

    # -- publishing --------------------------------------------------------------------
    def _apply(self, w: Ecoplan, s: dict[str, Any], who: Principal) -> None:
        cat, kind, p = w.catalog, s["kind"], s["payload"]
        if kind == "values":
            rows = [
                ValueRow(
                    s["plan_id"],
                    r["indicator"],
                    r["region"],
                    int(r["year"]),
                    float(r["value"]),
                    r["unit"],
                    Basis(r["basis"]),
                    r.get("source"),
                    r.get("note"),
                )
                for r in p
            ]
            cat.add_values(
                rows,
                actor=s["author"],
                origin=s["origin"] or f"submission {s['id']}",
                reviewer=who.user,
                submission_id=int(s["id"]),
            )
        elif kind == "task":
            ev = p.get("evidence")
            evidence = None
            if ev:
                evidence = ev.get("url") or ev.get("text") or f"file:{ev.get('sha256')} {ev.get('name')}"
            note = p.get("note")
            cat.update_task(
                s["plan_id"],
                p["task"],
                p["status"],
                note=f"{note or ''} [reviewed by {who.user}, submission {s['id']}]".strip(),
                evidence=evidence,
                actor=s["author"],
            )
        elif kind == "project":
            cat.add_project_progress(
                s["plan_id"],
                p["project"],
                progress_pct=p["progress_pct"],
                note=p.get("note"),
                investment=p.get("investment"),
                milestone=p.get("milestone"),
                actor=s["author"],
                reviewer=who.user,
            )

    # -- the assessment on "latest submitted" --------------------------------------------
    def pending(self, plan_id: str, region: str) -> dict[str, list[Observation]]:
        """Values of unpublished submissions (submitted or accepted) of ``plan_id`` and
        ``region``, by indicator, the latest (re)submitted winning — not the latest
        touched: accepting an older submission does not make its values newer."""
        out: dict[str, dict[int, Observation]] = {}
        rows = store.pending_values(self.ep.catalog, plan_id, region)
        sent = {
            sid: max(
                e["occurred_at"] for e in store.events(self.ep.catalog, sid) if e["state"] == "submitted"
            )
            for sid in {r["submission_id"] for r in rows}
        }
        rows.sort(key=lambda r: (sent[r["submission_id"]], r["submission_id"]))
        for r in rows:
            if r["region"] != region:
                continue
            out.setdefault(r["indicator"], {})[int(r["year"])] = Observation(
                int(r["year"]),
                float(r["value"]),
                Basis(r["basis"]),
                r.get("source"),
                0,
                None,
                f"{r['state']} (submission {r['submission_id']})",
            )
        return {k: sorted(v.values(), key=lambda o: o.year) for k, v in out.items()}

    def evidence(self, who: Principal, sha256: str) -> dict[str, Any]:
        self.ep.people.require(who, Role.VIEWER, None, "evidence.read")
        e = store.evidence(self.ep.catalog, sha256)
        if e is None:
            raise NotFound.worded("review.error.no_evidence", sha=sha256[:16])
        return e

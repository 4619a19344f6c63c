"""Waste operations of a session: ``ep.waste``.

``ep.waste.import_file("manifests", path)`` reads, checks against the stored registry
(actors and their roles, permits, approvals, the manifest number against the producer's
region, the catalogue edition in force, the state machine) and stores all of a file or
nothing; ``ep.waste.move(no, "confirm", at)`` moves a manifest; ``ep.waste.balance(actor,
period)`` is the ledger's mass balance; ``ep.waste.replace_alerts(rows)`` is the alerts'
pipeline's write; ``ep.waste.feed(year, region)`` writes the rates of
:mod:`ecoplan.waste.feed` to the plan indicators that ask for them (source
``pipeline waste``). Every read returns plain rows (dicts).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.app.single_writer import as_writer
from ecoplan.core.errors import EcoplanError, InputFileError, NotFound, Problem
from ecoplan.core.feeds import Skip
from ecoplan.ingest.values import ValueRow
from ecoplan.store.catalog import ImportResult
from ecoplan.store.feeds import fed_indicators, manual_skip
from ecoplan.waste import readers
from ecoplan.waste.feed import FEEDS, SOURCE, FeedSkip, feed_value, region_rates
from ecoplan.waste.ledger import TOLERANCE_T, Balance, balance, period_bounds
from ecoplan.waste.manifest_states import next_status, reachable
from ecoplan.waste.model import code_matches, manifest_no_problems, parse_manifest_no
from ecoplan.waste.readers import WasteBatch
from ecoplan.waste.readers.cells import parse_cell
from ecoplan.waste.storage import LINE_FIELDS, WasteImportResult, WasteStore

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["CodeCheck", "FeedResult", "WasteInputError", "WasteOps", "catalogue_check"]

#: ``check(code, date)``: None when the catalogue edition in force on ``date`` lists
#: ``code`` (or cannot tell), else the reason code of the refusal.
CodeCheck = Callable[[str, dt.date], str | None]
#: The catalogue's reasons this domain refuses a row for; any other (the edition in force
#: is not loaded, no edition before the date) leaves the code checked for its form only.
_CATALOGUE_REASONS = {
    "unknown_code": "unknown_code",
    "wrong_edition": "wrong_edition",
    "malformed_code": "bad_code",
}
_ROLE_OF = {"producer_id": "producer", "transporter_id": "transporter", "receiver_id": "receiver"}


@dataclass
class FeedResult:
    """What ``ep.waste.feed`` wrote (``result`` None on a dry run or when nothing was to
    be written), the plan indicators, regions and years it gave no value for and why,
    and the rates it computed (:data:`ecoplan.waste.feed.RATE_COLUMNS`)."""

    rows: list[ValueRow]
    skipped: list[FeedSkip]
    result: ImportResult | None
    rates: pd.DataFrame


class WasteInputError(InputFileError):
    """A waste file refused whole; ``problems`` name file, row, field and reason code."""

    def message(self, lang: str) -> str:
        from ecoplan.core.words import word

        head = word("waste.error.rejected", lang, file=self.file, count=len(self.problems))
        body = [
            word(
                "waste.error.problem",
                lang,
                row="—" if p.row is None else p.row,
                field=p.field or "—",
                text=p.text or "",
                reason=word(f"waste.reason.{p.reason}", lang),
            )
            for p in self.problems[:50]
        ]
        return "\n".join([head, *body])


def catalogue_check() -> CodeCheck | None:
    """The check of a code against the catalogue edition in force on a date
    (``ecoplan.waste.catalogue.lookup``) when the catalogue module is present; None
    otherwise, and codes are then checked for their form only."""
    name = "ecoplan.waste.catalogue"
    if importlib.util.find_spec(name) is None:
        return None
    module = importlib.import_module(name)
    lookup = getattr(module, "lookup", None)
    error = getattr(module, "CatalogueError", None)
    if not callable(lookup) or not (isinstance(error, type) and issubclass(error, Exception)):
        return None
    refused: type[Exception] = error

    @functools.lru_cache(maxsize=65536)
    def check(code: str, on: dt.date) -> str | None:
        try:
            lookup(code, on)
        except refused as exc:
            return _CATALOGUE_REASONS.get(str(getattr(exc, "reason", "")))
        return None

    return check


def _day(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


class WasteOps:
    """The waste part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = WasteStore(session.catalog)
        self.code_check: CodeCheck | None = catalogue_check()

    # -- import ----------------------------------------------------------------
    def read(self, kind: str, path: str | Path) -> WasteBatch:
        """Read and check one file (nothing stored): the batch with every problem."""
        if kind not in readers.KINDS:
            raise EcoplanError.worded("waste.error.bad_kind", kind=kind, choices=", ".join(readers.KINDS))
        batch = readers.read(kind, path)
        if not batch.problems:
            batch.problems.extend(self._references(batch))
        return batch

    @as_writer("waste")
    def import_file(self, kind: str, path: str | Path) -> WasteImportResult:
        """Store a file of ``kind`` whole, or nothing (:class:`WasteInputError`); idempotent."""
        batch = self.read(kind, path)
        if batch.problems:
            raise WasteInputError(batch.files[0], batch.problems)
        return self.store.import_rows(kind, batch.rows, batch.files)

    def _actors_index(self) -> dict[str, dict[str, Any]]:
        return {str(a["actor_id"]): a for a in self.store.table("actors")}

    def _references(self, batch: WasteBatch) -> list[Problem]:
        """The problems only the store can tell (see the module docstring)."""
        actors = self._actors_index()
        if batch.kind == "actors":
            return []
        out: list[Problem] = []
        name = batch.files[0]

        def bad(line: int, field: str, reason: str, text: Any) -> None:
            out.append(
                Problem(
                    file=name, reason=reason, row=line, field=field, text=None if text is None else str(text)
                )
            )

        def actor(line: int, field: str, value: Any, role: str | None) -> dict[str, Any] | None:
            if value is None:
                return None
            a = actors.get(str(value))
            if a is None:
                bad(line, field, "unknown_actor", value)
            elif role and role not in (a["roles"] or []):
                bad(line, field, "actor_role", value)
            return a

        permits: dict[str, list[dict[str, Any]]] = {}
        for pm in self.store.table("permits"):
            permits.setdefault(str(pm["actor_id"]), []).append(pm)
        approvals = {str(a["approval_no"]) for a in self.store.table("approvals")}
        stored_status = (
            self.store.statuses(sorted({str(r["manifest_no"]) for r in batch.rows}))
            if batch.kind == "manifests"
            else {}
        )
        batches: set[tuple[str, str]] = set()
        if batch.kind == "ledger":
            batches = {(str(r["actor_id"]), str(r["batch_code"])) for r in self.store.table("ledger")}
            batches |= {(str(r["actor_id"]), str(r["batch_code"])) for r in batch.rows}
        for row, line in zip(batch.rows, batch.lines, strict=True):
            p: dict[str, Any] | None = None
            r: dict[str, Any] | None = None
            if batch.kind == "permits":
                actor(line, "actor_id", row["actor_id"], "receiver")
            elif batch.kind == "approvals":
                p = actor(line, "producer_id", row["producer_id"], "producer")
                r = actor(line, "receiver_id", row["receiver_id"], "receiver")
                if p and p["region"][:2] != row["from_province"]:
                    bad(line, "from_province", "approval_province", row["from_province"])
                if r and r["region"][:2] != row["to_province"]:
                    bad(line, "to_province", "approval_province", row["to_province"])
                if r:
                    held = [
                        x for x in permits.get(str(r["actor_id"]), []) if x["valid_from"] <= row["valid_from"]
                    ]
                    if not held or row["valid_to"] > max(x["valid_to"] for x in held):
                        bad(line, "valid_to", "approval_past_permit", row["valid_to"])
            elif batch.kind == "manifests":
                for f, role in _ROLE_OF.items():
                    got = actor(line, f, row[f], role)
                    p = got if f == "producer_id" else p
                shipped = _day(row["shipped_at"])
                if p:
                    for why in manifest_no_problems(
                        str(row["manifest_no"]), str(p["region"]), shipped, dt.date.today()
                    ):
                        if why in ("manifest_no_province", "manifest_no_city"):
                            bad(line, "manifest_no", why, row["manifest_no"])
                if row["approval_no"] and str(row["approval_no"]) not in approvals:
                    bad(line, "approval_no", "unknown_approval", row["approval_no"])
                old = stored_status.get(str(row["manifest_no"]))
                if old and not reachable(old, str(row["status"])):
                    bad(line, "status", "illegal_transition", f"{old} → {row['status']}")
                self._code(bad, line, "code", row["code"], shipped)
                self._code(
                    bad, line, "code_received", row["code_received"], _day(row["arrived_at"]) or shipped
                )
            elif batch.kind in ("ledger", "declarations"):
                actor(line, "actor_id", row["actor_id"], None)
            if batch.kind == "ledger":
                if row["linked_batch"] and (str(row["actor_id"]), str(row["linked_batch"])) not in batches:
                    bad(line, "linked_batch", "unknown_batch", row["linked_batch"])
                self._code(bad, line, "code", row["code"], _day(row["at"]))
        return out

    def _code(
        self, bad: Callable[[int, str, str, Any], None], line: int, field: str, code: Any, on: dt.date | None
    ) -> None:
        if code is None or self.code_check is None:
            return
        why = self.code_check(str(code), on or dt.date.today())
        if why:
            bad(line, field, why, code)

    # -- registry ----------------------------------------------------------------
    def actors(self, role: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
        """Stored actors (of ``role``; in ``region`` or below it)."""
        rows = self.store.table("actors")
        if role:
            rows = [a for a in rows if role in (a["roles"] or [])]
        if region:
            prefix = (
                region[:2] if region.endswith("0000") else region[:4] if region.endswith("00") else region
            )
            rows = [a for a in rows if str(a["region"]).startswith(prefix)]
        return rows

    def actor(self, actor_id: str) -> dict[str, Any]:
        """One actor with its permits (:class:`NotFound` if unknown)."""
        rows = self.store.table("actors", "WHERE actor_id = ?", [actor_id])
        if not rows:
            raise NotFound.worded("waste.error.no_actor", actor=actor_id)
        return {**rows[0], "permits": self.permits(actor_id)}

    def permits(self, actor_id: str | None = None) -> list[dict[str, Any]]:
        if actor_id:
            return self.store.table("permits", "WHERE actor_id = ?", [actor_id])
        return self.store.table("permits")

    def approvals(self) -> list[dict[str, Any]]:
        return self.store.table("approvals")

    def permits_for(self, receiver_id: str, code: str, on: dt.date) -> list[dict[str, Any]]:
        """The receiver's permits valid on ``on`` that cover ``code``."""
        return [
            p
            for p in self.permits(receiver_id)
            if p["valid_from"] <= on <= p["valid_to"] and code_matches(code, p["codes"] or [])
        ]

    # -- manifests -------------------------------------------------------------
    def manifests(
        self, status: str | None = None, actor: str | None = None, limit: int | None = 500
    ) -> list[dict[str, Any]]:
        """Stored manifests, newest shipment first (of ``status``; where ``actor`` is one party)."""
        where, params = [], []
        if status:
            where.append("m.status = ?")
            params.append(status)
        if actor:
            where.append("? IN (m.producer_id, m.transporter_id, m.receiver_id)")
            params.append(actor)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.store.manifests(clause, params, limit)

    def manifest(self, manifest_no: str) -> dict[str, Any]:
        """A manifest with its lines, events and parties (:class:`NotFound` if unknown)."""
        rows = self.store.manifests("WHERE m.manifest_no = ?", [manifest_no])
        if not rows:
            raise NotFound.worded("waste.error.no_manifest", manifest=manifest_no)
        m = rows[0]
        idx = self._actors_index()
        lines = self.store.lines([manifest_no])
        for x in lines:
            x.pop("manifest_no", None)
        parties = {role: idx.get(str(m[f])) for f, role in _ROLE_OF.items() if m.get(f) is not None}
        return {**m, "lines": lines, "events": self.store.events(manifest_no), "parties": parties}

    @as_writer("waste")
    def move(
        self,
        manifest_no: str,
        event: str,
        at: dt.datetime,
        *,
        received: Mapping[int, Mapping[str, Any]] | None = None,
        rejection: str | None = None,
        residue_no: str | None = None,
        residue_receiver: str | None = None,
        changes: Mapping[str, Any] | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Move a manifest by ``event`` (:mod:`ecoplan.waste.manifest_states`); refused moves
        raise :class:`~ecoplan.waste.manifest_states.IllegalMove` and store nothing.

        ``receive``: ``received`` maps line numbers to ``qty_received_t`` (and optionally
        ``code_received``, ``form_received``, ``packaging_received``, ``containers_received``
        — the pieces counted, Art. 18 ¶2); lines not given are
        taken as received as shipped. ``reject``: ``rejection`` ``full`` or ``partial``;
        a residue (what was not accepted) leaves on ``residue_no``, a new draft whose producer
        is this manifest's receiver and whose receiver is ``residue_receiver`` (default: the
        original producer). ``correct``: ``changes`` of the manifest's own fields (not its
        status); the version goes up by one."""
        m = self.manifest(manifest_no)
        to = next_status(str(m["status"]), event)
        shipped = m["shipped_at"]
        if event != "correct" and shipped is not None and at < shipped:
            raise EcoplanError.worded(
                "waste.error.before_shipment", manifest=manifest_no, at=str(at), shipped=str(shipped)
            )
        updates: dict[str, Any] = {}
        line_updates: list[dict[str, Any]] = []
        detail: dict[str, Any] = {"note": note} if note else {}
        residue = None
        version = int(m["version"])
        if event == "ship":
            updates["shipped_at"] = at
        elif event == "receive":
            updates["arrived_at"] = at
            for ln in m["lines"]:
                got = dict((received or {}).get(int(ln["line_no"]), {}))
                q = got.get("qty_received_t", ln["qty_shipped_t"])
                if q is None or float(q) < 0:
                    raise EcoplanError.worded("waste.error.negative", field="qty_received_t", value=str(q))
                pieces = got.get("containers_received")
                if pieces is not None and (not float(pieces).is_integer() or float(pieces) < 0):
                    raise EcoplanError.worded(
                        "waste.error.negative", field="containers_received", value=str(pieces)
                    )
                line_updates.append(
                    {
                        "line_no": ln["line_no"],
                        "qty_received_t": float(q),
                        **{
                            k: v
                            for k, v in got.items()
                            if k
                            in ("code_received", "form_received", "packaging_received", "containers_received")
                        },
                    }
                )
            detail["received"] = {str(x["line_no"]): x["qty_received_t"] for x in line_updates}
        elif event == "confirm":
            updates["confirmed_at"] = at
        elif event == "close":
            updates["closed_at"] = at
        elif event == "reject":
            kind = rejection or "full"
            if kind not in ("full", "partial"):
                raise EcoplanError.worded("waste.error.bad_rejection", kind=kind)
            detail["rejection"] = kind
            if m["arrived_at"] is None:
                updates["arrived_at"] = at
            if residue_no:
                residue = self._residue(m, kind, residue_no, residue_receiver, at)
                detail["residue_manifest"] = residue_no
        elif event == "correct":
            fixed = self._corrections(changes or {})
            updates.update(fixed)
            version += 1
            detail["changes"] = {k: {"old": m.get(k), "new": v} for k, v in fixed.items()}
        self.store.move(
            manifest_no,
            event,
            to,
            at,
            version=version,
            updates=updates,
            line_updates=line_updates,
            detail=detail,
            residue=residue,
        )
        return self.manifest(manifest_no)

    def _corrections(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The changes a correction makes, typed and checked as an import checks them:
        only the manifest's own fields (not its status), parties known and in their roles,
        one producer (Art. 16); refused whole (``waste.error.bad_correction``) otherwise."""
        cols = {c.name: c for c in readers.COLUMNS["manifests"] if c.name in readers.COLUMNS_HEADER}
        cols.pop("status", None)
        bad = sorted(set(changes) - set(cols))
        fixed: dict[str, Any] = {}
        idx = self._actors_index()
        for k, v in changes.items():
            if k not in cols:
                continue
            value, why = parse_cell(cols[k], v.strip()) if isinstance(v, str) else (v, None)
            role = _ROLE_OF.get(k)
            known = idx.get(str(value)) if role and value is not None else None
            wrong_party = role and value is not None and (known is None or role not in (known["roles"] or []))
            several = k == "producers_on_manifest" and (value or 1) > 1
            if why or wrong_party or several:
                bad.append(k)
            else:
                fixed[k] = value
        if not changes or bad:
            raise EcoplanError.worded("waste.error.bad_correction", fields=", ".join(sorted(bad)) or "—")
        return fixed

    def _residue(
        self, m: dict[str, Any], kind: str, residue_no: str, receiver: str | None, at: dt.datetime
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The residue manifest a rejection starts (e-Manifest: a new manifest tracking
        number for the residue), checked as an imported one is."""
        if self.store.manifests("WHERE m.manifest_no = ?", [residue_no]):
            raise EcoplanError.worded("waste.error.residue_exists", manifest=residue_no)
        producer = self._actors_index().get(str(m["receiver_id"]))
        region = str(producer["region"]) if producer else None
        why = (
            manifest_no_problems(residue_no, region, None, at.date())
            if parse_manifest_no(residue_no)
            else ["manifest_no_format"]
        )
        if why:
            raise EcoplanError.worded("waste.error.residue_no", manifest=residue_no, reasons=", ".join(why))
        head = {
            "manifest_no": residue_no,
            "producer_id": m["receiver_id"],
            "transporter_id": None,
            "receiver_id": receiver or m["producer_id"],
            "approval_no": None,
            "status": "draft",
            "paper": False,
            "shipped_at": None,
            "arrived_at": None,
            "confirmed_at": None,
            "closed_at": None,
            "backfilled_at": None,
            "vehicle": None,
            "producers_on_manifest": 1,
        }
        lines = []
        for ln in m["lines"]:
            got = ln["qty_received_t"] if ln["qty_received_t"] is not None else 0.0
            qty = ln["qty_shipped_t"] if kind == "full" else max(float(ln["qty_shipped_t"]) - float(got), 0.0)
            if qty > 0:
                lines.append(
                    {
                        "manifest_no": residue_no,
                        **{k: ln.get(k) for k in LINE_FIELDS},
                        "qty_shipped_t": qty,
                        "qty_received_t": None,
                        "code_received": None,
                        "form_received": None,
                        "packaging_received": None,
                    }
                )
        return head, lines

    # -- ledger ------------------------------------------------------------------
    def ledger(self, actor_id: str, period: str | None = None) -> list[dict[str, Any]]:
        """The actor's ledger records (in ``period``), by time."""
        if period:
            start, end = period_bounds(period)
            where = 'WHERE actor_id = ? AND "at" >= ? AND "at" < ?'
            rows = self.store.table("ledger", where, [actor_id, start, end])
        else:
            rows = self.store.table("ledger", "WHERE actor_id = ?", [actor_id])
        return sorted(rows, key=lambda r: (r["at"], r["batch_code"]))

    def declarations(self, actor_id: str | None = None) -> list[dict[str, Any]]:
        """Stored declarations (申报: monthly, quarterly, annual) with their submission times."""
        if actor_id:
            return self.store.table("declarations", "WHERE actor_id = ?", [actor_id])
        return self.store.table("declarations")

    def balance(self, actor_id: str, period: str, tolerance: float = TOLERANCE_T) -> list[Balance]:
        """The mass balance per code of ``actor_id`` over ``period`` (:mod:`ecoplan.waste.ledger`)."""
        start, end = period_bounds(period)
        return [
            balance(
                actor_id,
                str(r["code"]),
                period,
                {k: float(v) for k, v in r.items() if k != "code"},
                tolerance,
            )
            for r in self.store.ledger_sums(actor_id, start, end)
        ]

    # -- alerts and rates ------------------------------------------------------------
    def alerts(self, rule: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
        """Stored alerts (written by the alerts' pipeline), newest first."""
        return self.store.alerts(rule, subject)

    @as_writer("waste")
    def replace_alerts(
        self, rows: Iterable[Mapping[str, Any]] | pd.DataFrame, rules: Sequence[str] | None = None
    ) -> int:
        """Replace the stored alerts (all, or those of ``rules``) in one transaction."""
        return self.store.replace_alerts(rows, rules)

    def evaluate_alerts(
        self,
        rules: Iterable[str] | None = None,
        *,
        as_of: dt.datetime | None = None,
        year: int | None = None,
        engine: str = "duckdb",
        store: bool = True,
    ) -> tuple[pd.DataFrame, Any]:
        """Evaluate the alert rules (``docs/waste-alerts.md``) over the stored tables on
        ``engine`` (duckdb or spark), judged at ``as_of`` for ``year``; the alerts replace
        the earlier ones of the same rules unless ``store`` is false. Returns the alerts
        and the settings used."""
        from ecoplan.waste.pipeline.session import evaluate

        return evaluate(self.session, rules, as_of=as_of, year=year, engine=engine, store=store)

    @as_writer("waste")
    def load_simulated(self, sim: Any) -> dict[str, int]:
        """Write a generated year (``ecoplan.waste.simulate.generate``) into the store, all
        tables in one transaction; rows with the same keys are replaced."""
        from ecoplan.waste.pipeline.session import load_simulated

        return load_simulated(self.session, sim)

    def rates(self) -> list[dict[str, Any]]:
        """Per producer region: on-time confirmation and closed-loop counts and rates (%)."""
        out = []
        for r in self.store.rates():
            n = int(r["shipped"])
            out.append(
                {
                    **r,
                    "on_time_pct": 100.0 * r["confirmed_on_time"] / n if n else None,
                    "closed_loop_pct": 100.0 * r["closed_loop"] / n if n else None,
                }
            )
        return out

    def latest_year(self) -> int | None:
        """The newest year of waste generated in the ledgers."""
        return self.store.latest_year()

    def capacity(self, year: int) -> list[dict[str, Any]]:
        """Per province: licensed capacity vs generation (tonnes) and their ratio."""
        return [
            {**r, "ratio": (r["capacity_t"] / r["generated_t"]) if r["generated_t"] else None}
            for r in self.store.capacity(year)
        ]

    # -- plan values -------------------------------------------------------------------
    def _chain(self, code: str, cache: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """``code`` and the regions holding it (GB/T 2260 parents up to the nation); a code
        the catalog does not know is held by its prefecture and province by its digits."""
        if code in cache:
            return cache[code]
        out = [code]
        cat = self.session.catalog
        try:
            parent = cat.region(code).parent
            while parent:
                out.append(parent)
                parent = cat.region(parent).parent
        except NotFound:
            out += [c for c in (code[:4] + "00", code[:2] + "0000") if c != code]
        if "000000" not in out:
            out.append("000000")
        cache[code] = tuple(dict.fromkeys(out))
        return cache[code]

    def region_rates(self, years: Sequence[int] | None = None, region: str | None = None) -> pd.DataFrame:
        """The rates of :mod:`ecoplan.waste.feed` per region (every region holding an actor,
        up to the nation; or ``region`` only) and year (``years``, default all)."""
        ys = sorted({int(y) for y in years}) if years else None
        where, params = "WHERE m.status <> 'draft' AND m.shipped_at IS NOT NULL", []
        lwhere, lparams = "WHERE stage IN ('generated', 'self_treated', 'shipped')", []
        if ys:
            marks = ", ".join("?" for _ in ys)
            where += f" AND year(m.shipped_at) IN ({marks})"
            lwhere += f' AND year("at") IN ({marks})'
            params, lparams = list(ys), list(ys)
        manifests = self.store.manifests(where, params, None)
        lines = self.store.lines([str(m["manifest_no"]) for m in manifests])
        actors = self.store.table("actors")
        cache: dict[str, tuple[str, ...]] = {}
        chain = {str(a["region"]): self._chain(str(a["region"]), cache) for a in actors}
        table = region_rates(
            manifests,
            lines,
            self.store.table("ledger", lwhere, lparams),
            self.store.table("permits"),
            actors,
            chain,
            ys,
        )
        if region is not None:
            table = table[table["region"] == region].reset_index(drop=True)
        return table

    @as_writer("waste")
    def feed(
        self,
        year: int | Sequence[int] | None = None,
        region: str | None = None,
        *,
        plan: str | None = None,
        dry_run: bool = False,
    ) -> FeedResult:
        """Write the rates (:data:`ecoplan.waste.feed.FEEDS`) to the indicators of the stored
        plans of each region (or ``region``), an ancestor or the nation that carry their
        codes, for the years within the plan's period (``year``: those only), source
        ``pipeline waste``. One transaction; a value entered from another source is never
        overwritten; re-running with the same data writes nothing new."""
        cat = self.session.catalog
        if plan is not None:
            cat.plan(plan)  # NotFound for an unknown plan
        if region is not None:
            cat.region(region)
        years = [year] if isinstance(year, int) else list(year) if year else None
        table = self.region_rates(years, region)
        plans = cat.plans()
        asking = {p.region for p in plans if any((i.code or "") in FEEDS for i in p.indicators)}
        cache: dict[str, tuple[str, ...]] = {}
        rows: list[ValueRow] = []
        skipped: list[FeedSkip] = []
        for code, part in table.groupby("region", sort=True):
            reg = str(code)
            if not asking.intersection(self._chain(reg, cache)):
                continue
            try:
                fed = list(fed_indicators(cat, reg, FEEDS))
            except NotFound:
                continue
            by_year = {int(r["year"]): {str(k): v for k, v in r.items()} for r in part.to_dict("records")}
            for p, ind, feed in fed:
                if plan is not None and p.id != plan:
                    continue
                for y, r in sorted(by_year.items()):
                    if not p.base_year <= y <= p.end:
                        continue
                    got = feed_value(feed, r)
                    if got is None:
                        why = Skip("waste.feed.undefined", {"year": y})
                        skipped.append(FeedSkip(p.id, ind.id, reg, y, why))
                        continue
                    kept = manual_skip(cat, p.id, ind.id, reg, y, SOURCE)
                    if kept is not None:
                        skipped.append(FeedSkip(p.id, ind.id, reg, y, kept))
                        continue
                    rows.append(
                        ValueRow(
                            plan=p.id,
                            indicator=ind.id,
                            region=reg,
                            year=y,
                            value=got[0],
                            unit=ind.unit,
                            basis=feed.basis,
                            source=SOURCE,
                            note=got[1],
                        )
                    )
        if dry_run or not rows:
            return FeedResult(rows, skipped, None, table)
        result = cat.add_values(rows, actor="ecoplan waste", origin=SOURCE)
        return FeedResult(rows, skipped, result, table)

    def state(self) -> tuple[object, ...]:
        return self.store.state()

"""Risk operations of a session (``ep.risk``): the registries and the recorded gradings.

``ep.risk.load("targets", ["targets.geojson"])`` imports a registry (rows of an unknown
region, and plans of an unknown source, are rejected with their reason);
``ep.risk.sources()``, ``.targets()``, ``.plans(overdue=True)`` read them;
``ep.risk.record_grade(source_id, grade)`` stores an HJ 941-2018 grading.

Incidents (``docs/risk-incidents.md``): ``ep.risk.record_incident(data, region=…)`` grades
and screens an incident (the registry's targets, and any given) and stores it with the
result; ``ep.risk.report_made(incident_id, kind, at)`` records a report made on it;
``ep.risk.incidents(overdue=True)`` and ``ep.risk.incident(incident_id)`` read them with their
reporting clocks on a moment (default now). Every write goes through the app's single
writer, one transaction with its audit row.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ecoplan.app.single_writer import as_writer
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.risk import incidents as inc_mod
from ecoplan.risk.clock import local_now, to_local
from ecoplan.risk.readers.registry import REASONS, RegistryBatch, read_registry
from ecoplan.risk.registries import KINDS, LEVELS, REVIEW_YEARS, TARGET_KINDS, notation, plan_status
from ecoplan.risk.standards.hj941 import Grade
from ecoplan.risk.storage import RiskImportResult, RiskStore

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["RIVER_REASONS", "RiskOps"]

#: Reasons a river row is rejected for, beyond the registries' (words ``risk.reason.*``).
RIVER_REASONS = ("bad_line", "unknown_downstream")


def _bad_downstream(row: Mapping[str, Any], known: set[str]) -> bool:
    """A reach naming a downstream reach that is not known, or itself."""
    down = row["downstream_id"]
    return bool(down) and (down not in known or down == row["river_id"])


def _river_items(path: Path) -> list[tuple[int, Mapping[str, Any]]]:
    """The rows of a rivers file with their row numbers (a CSV's header is row 1; a
    GeoJSON's or YAML's items are numbered from 1)."""
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                return list(enumerate(csv.DictReader(f), start=2))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise EcoplanError.worded(
            "risk.incident.error.read", file=path.name, detail=type(exc).__name__
        ) from None
    if isinstance(data, Mapping):
        data = data.get("features", data.get("rivers", []))
    if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
        raise EcoplanError.worded("risk.incident.error.geometry", file=path.name, field="rivers")
    return list(enumerate(data, start=1))


class RiskOps:
    """The risk part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = RiskStore(session.catalog)

    # -- write -------------------------------------------------------------------
    def read(self, kind: str, paths: Sequence[str | Path]) -> RegistryBatch:
        """Read registry files, rejecting rows of an unknown region or (plans) source."""
        batch = read_registry(kind, paths)
        regions = self.session.catalog.region_codes()
        sources = self.store.ids("sources") if kind == "plans" else set()
        keep = []
        for r in batch.rows:
            if r.get("region") and regions and r["region"] not in regions:
                batch.reject(r["__file__"], r["__row__"], "region", r["region"], "unknown_region")
            elif kind == "plans" and r["source_id"] not in sources:
                batch.reject(r["__file__"], r["__row__"], "source_id", r["source_id"], "unknown_source")
            else:
                keep.append(r)
        batch.rows = keep
        batch.rejects.sort(key=lambda r: (r["file"], r["row"] or 0))
        return batch

    def read_rivers(self, paths: Sequence[str | Path]) -> RegistryBatch:
        """Read river reaches (CSV with ``river_id``, ``name``, ``downstream_id``,
        ``length_m``, ``coords`` as ``lon lat; lon lat; …``; or GeoJSON LineStrings, or
        YAML/JSON rows), rejecting a row without an id, a repeated id, unreadable or
        out-of-range vertices (fewer than two), a bad length, and a downstream reach that is
        neither in the files nor stored (or the reach itself)."""
        batch = RegistryBatch("rivers", [Path(p).name for p in paths])
        seen: set[str] = set()
        for path in paths:
            name = Path(path).name
            for row_no, item in _river_items(Path(path)):
                props = item.get("properties") if isinstance(item.get("properties"), Mapping) else item
                assert isinstance(props, Mapping)
                rid = str(props.get("river_id") or props.get("id") or "").strip()
                if not rid:
                    batch.reject(name, row_no, "river_id", None, "missing")
                    continue
                if rid in seen:
                    batch.reject(name, row_no, "river_id", rid, "duplicate")
                    continue
                try:
                    reaches = inc_mod.rivers_from([item], name)
                except EcoplanError as exc:
                    bad_len = exc.key == "risk.incident.error.number"
                    fld, value = ("length_m", props.get("length_m")) if bad_len else ("coords", None)
                    batch.reject(name, row_no, fld, value, "bad_number" if bad_len else "bad_line")
                    continue
                if len(reaches) != 1:  # a MultiLineString: one reach per row in the registry
                    batch.reject(name, row_no, "coords", None, "bad_line")
                    continue
                r = reaches[0]
                seen.add(rid)
                batch.rows.append(
                    {"river_id": rid, "name": r.name, "downstream_id": r.downstream, "length_m": r.length_m,
                     "coords": [list(p) for p in r.coords], "__file__": name, "__row__": row_no}
                )  # fmt: skip
        stored = self.store.ids("rivers")
        while True:  # a reach whose downstream reach was rejected is rejected in turn
            known = {row["river_id"] for row in batch.rows} | stored
            bad = [row for row in batch.rows if _bad_downstream(row, known)]
            if not bad:
                break
            for row in bad:
                batch.reject(row["__file__"], row["__row__"], "downstream_id", row["downstream_id"],
                             "unknown_downstream")  # fmt: skip
            batch.rows = [row for row in batch.rows if row not in bad]
        batch.rejects.sort(key=lambda r: (r["file"], r["row"] or 0))
        return batch

    def rivers(self) -> list[dict[str, Any]]:
        """The river registry: reaches with ``river_id`` (and ``id``), ``name``,
        ``downstream_id``, ``length_m``, ``coords`` (the rows incident screening takes)."""
        rows = self.store.rows("rivers")
        for r in rows:
            r["id"] = r["river_id"]
        return rows

    @as_writer("risk")
    def load(
        self, kind: str, paths: Sequence[str | Path], *, actor: str | None = None
    ) -> tuple[RegistryBatch, RiskImportResult]:
        """Read and store registry files (``sources``, ``targets``, ``plans`` or ``rivers``;
        idempotent; one transaction with an audit row ``risk.import`` when a row changed).
        All of it — the reads of the store it checks against too — runs as the app's single
        writer, on the app's connection, one writer at a time."""
        batch = self.read_rivers(paths) if kind == "rivers" else self.read(kind, paths)
        fmt = ",".join(sorted({Path(p).suffix.lower().lstrip(".") for p in paths}))
        with self.session.writer() as w:

            def audit(res: RiskImportResult) -> None:
                w.audit.append(
                    actor or "shell", "risk.import", target=kind, after=res.to_dict(), source="cli"
                )

            return batch, w.domain("risk").store.import_batch(batch, fmt=fmt, audit=audit)

    @as_writer("risk")
    def record_grade(self, source_id: str, grade: Grade, graded_on: dt.date | None = None) -> None:
        """Store ``grade`` as the source's grading (the whole grading kept with its evidence)."""
        if source_id not in self.store.ids("sources"):
            raise NotFound.worded(
                "risk.error.no_source", source=source_id, command="ecoplan risk import sources"
            )
        fields = {
            "level": grade.level,
            "air_level": grade.air.level,
            "water_level": grade.water.level,
            "notation": notation(grade, "zh"),
            "graded_on": graded_on or dt.date.today(),
        }
        self.store.record_grade(source_id, fields, grade.to_dict())

    # -- incidents ---------------------------------------------------------------
    @as_writer("risk")
    def record_incident(
        self,
        data: Mapping[str, Any],
        *,
        file: str = "incident",
        region: str | None = None,
        targets: Sequence[inc_mod.Target] = (),
        rivers: Sequence[inc_mod.River] = (),
        who: Principal | None = None,
        downstream_km: float = inc_mod.DOWNSTREAM_KM,
        now: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Grade, screen and store the incident ``data`` (the mapping of the incident file;
        its own ``targets``/``rivers`` and the registry's targets are used with the given
        ones). ``who`` (a signed-in principal) must be a reporter of ``region``'s subtree.
        Recording the same input again stores nothing (``recorded`` False). Returns
        :meth:`incident` of the stored one."""
        if region is not None and region not in self.session.catalog.region_codes():
            raise NotFound.worded("risk.incident.error.region", file=file, region=region)
        if who is not None:
            self.session.people.require(who, Role.REPORTER, region, "risk.incident.record")
        inc = inc_mod.incident_from_mapping(data, file)
        when = (now or local_now()).replace(microsecond=0)
        for fld, at in (("time", inc.discovered_at), ("province_received_at", inc.province_received_at)):
            if at is not None and at > when:  # (and the clocks of a far future would overflow)
                raise EcoplanError.worded("risk.incident.error.future", file=file, field=fld, value=str(at))
        if inc.province_received_at is not None and inc.province_received_at < inc.discovered_at:
            raise EcoplanError.worded(
                "risk.incident.error.received_before", file=file, field="province_received_at"
            )
        tg = [*inc_mod.targets_from(list(data.get("targets") or []), file), *targets]
        rv = [*inc_mod.rivers_from(list(data.get("rivers") or []), file), *rivers]
        tg += inc_mod.registry_targets(self.session)
        rv += inc_mod.rivers_from(self.rivers(), "risk_rivers")
        res = inc_mod.assess(inc, tg, rv, downstream_km=downstream_km)
        row = {
            "digest": inc_mod.digest(dict(data), region),
            "region": region,
            "discovered_at": inc.discovered_at,
            "province_received_at": inc.province_received_at,
            "lon": inc.lon,
            "lat": inc.lat,
            "place": inc.place,
            "substance": inc.substance,
            "grade": res["grade"]["grade"],
            "reporting_grade": res["grade"]["reporting_grade"],
            "input": dict(data),
            "result": res,
            "recorded_at": when,
            "recorded_by": who.user if who else "shell",
        }
        with self.session.writer() as w, w.catalog.transaction():
            new_id, new = w.domain("risk").store.insert_incident(row)
            if new:
                w.audit.append(
                    row["recorded_by"],
                    "risk.incident.record",
                    target=f"risk/incident/{new_id}",
                    region=region,
                    after={"grade": row["grade"], "reporting_grade": row["reporting_grade"],
                           "discovered_at": inc.discovered_at.isoformat(timespec="minutes")},
                    source=who.source if who else "cli",
                )  # fmt: skip
        out = self.incident(new_id, as_of=now)
        out["recorded"] = new
        return out

    @as_writer("risk")
    def report_made(
        self,
        incident_id: int,
        kind: str,
        at: dt.datetime | None = None,
        *,
        party: str = "local_bureau",
        note: str | None = None,
        who: Principal | None = None,
        now: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Record that ``party`` made a report of ``kind`` (initial, progress, final) at
        ``at`` (default now). Refused: an unknown kind or party, a time before the incident
        was discovered or after ``now``, a progress or final report before the initial one
        (Art. 13), anything after the final report, the province on an incident below 重大.
        The same report recorded again stores nothing (``recorded`` False). Returns
        :meth:`incident` with the new clocks."""
        moment = (now or local_now()).replace(microsecond=0)
        when = to_local(at).replace(microsecond=0) if at is not None else moment.replace(second=0)
        for option, value, choices in (
            ("--kind", kind, inc_mod.REPORT_KINDS),
            ("--party", party, inc_mod.REPORT_PARTIES),
        ):
            if value not in choices:
                raise EcoplanError.worded(
                    "risk.incident.error.choice", file=option, field=option, value=repr(value),
                    choices=", ".join(choices),
                )  # fmt: skip
        with self.session.writer() as w:
            store = w.domain("risk").store
            found = store.incidents("incident_id = ?", [incident_id])
            if not found:
                raise NotFound.worded("risk.incident.error.no_incident", id=incident_id)
            if who is not None:  # a refusal's audit row is its own transaction
                w.people.require(who, Role.REPORTER, found[0]["region"], "risk.incident.report")
        with self.session.writer() as w, w.catalog.transaction():
            row = found[0]
            made = store.incident_reports([incident_id])
            same = [r for r in made if (r["kind"], r["party"], r["made_at"]) == (kind, party, when)]
            if same:
                out = self.incident(incident_id, as_of=now)
                out["recorded"] = False
                return out
            self._check_report(row, made, kind, party, when, moment)
            by = who.user if who else "shell"
            seq = store.insert_report(
                {"incident_id": incident_id, "kind": kind, "party": party, "made_at": when,
                 "note": note, "recorded_at": moment, "recorded_by": by}
            )  # fmt: skip
            w.audit.append(
                by,
                "risk.incident.report",
                target=f"risk/incident/{incident_id}/{seq}",
                region=row["region"],
                after={"kind": kind, "party": party, "made_at": when.isoformat(timespec="minutes")},
                source=who.source if who else "cli",
            )
        out = self.incident(incident_id, as_of=now)
        out["recorded"] = True
        return out

    @staticmethod
    def _check_report(
        row: dict[str, Any],
        made: list[dict[str, Any]],
        kind: str,
        party: str,
        when: dt.datetime,
        now: dt.datetime,
    ) -> None:
        iid, stamp = row["incident_id"], when.isoformat(sep=" ", timespec="minutes")
        if when < row["discovered_at"]:
            found = row["discovered_at"].isoformat(sep=" ", timespec="minutes")
            raise EcoplanError.worded("risk.incident.error.report_before", id=iid, at=stamp, discovered=found)
        if when > now:
            raise EcoplanError.worded("risk.incident.error.report_future", id=iid, at=stamp)
        final = [r for r in made if r["kind"] == "final"]
        if final:
            closed = final[0]["made_at"].isoformat(sep=" ", timespec="minutes")
            raise EcoplanError.worded("risk.incident.error.closed", id=iid, at=closed)
        if party == "provincial_bureau" and row["reporting_grade"] not in ("I", "II"):
            raise EcoplanError.worded("risk.incident.error.province_grade", id=iid)
        initial = [r for r in made if r["kind"] == "initial" and r["party"] == party]
        if kind == "initial" and initial:
            first = initial[0]["made_at"].isoformat(sep=" ", timespec="minutes")
            raise EcoplanError.worded("risk.incident.error.initial_twice", id=iid, at=first)
        if kind != "initial" and not initial:
            raise EcoplanError.worded("risk.incident.error.no_initial", id=iid, kind=kind)
        if kind != "initial" and when < initial[0]["made_at"]:
            raise EcoplanError.worded("risk.incident.error.before_initial", id=iid, at=stamp)

    def incidents(
        self, *, overdue: bool = False, region: str | None = None, as_of: dt.datetime | None = None
    ) -> list[dict[str, Any]]:
        """Recorded incidents, newest first, each with its reporting clocks on ``as_of``
        (default now): ``state`` per clock, ``overdue``/``late`` flags, ``next_due``,
        ``closed_at`` and the reports made (without the stored screening result)."""
        where, params = self._region(region)
        rows = self.store.incidents(where, params, full=False)
        reports = self.store.incident_reports([r["incident_id"] for r in rows])
        out = [self._with_clocks(r, reports, as_of) for r in rows]
        return [r for r in out if r["overdue"] or not overdue]

    def incident(self, incident_id: int, as_of: dt.datetime | None = None) -> dict[str, Any]:
        """One recorded incident with its input, the screening result when recorded, its
        reports and its clocks on ``as_of`` (default now)."""
        rows = self.store.incidents("incident_id = ?", [incident_id])
        if not rows:
            raise NotFound.worded("risk.incident.error.no_incident", id=incident_id)
        return self._with_clocks(rows[0], self.store.incident_reports([incident_id]), as_of)

    @staticmethod
    def _with_clocks(
        row: dict[str, Any], reports: list[dict[str, Any]], as_of: dt.datetime | None
    ) -> dict[str, Any]:
        now = to_local(as_of) if as_of is not None else local_now()
        mine = [
            {"seq": r["seq"], "kind": r["kind"], "party": r["party"], "made_at": r["made_at"],
             "note": r["note"], "recorded_at": r["recorded_at"], "recorded_by": r["recorded_by"]}
            for r in reports if r["incident_id"] == row["incident_id"]
        ]  # fmt: skip
        st = inc_mod.clocks(
            row["reporting_grade"], row["discovered_at"], row["province_received_at"], mine, now
        )
        out = {k: v for k, v in row.items() if k != "digest"}
        for k in ("discovered_at", "province_received_at", "recorded_at"):
            out[k] = out[k].isoformat(timespec="minutes") if out[k] else None
        for r in mine:
            r["made_at"] = r["made_at"].isoformat(timespec="minutes")
            r["recorded_at"] = r["recorded_at"].isoformat(timespec="minutes")
        return {**out, **st, "reports": mine, "as_of": now.isoformat(timespec="minutes")}

    # -- read --------------------------------------------------------------------
    def sources(self, region: str | None = None, level: str | None = None) -> list[dict[str, Any]]:
        """Risk sources (of a region and its subdivisions, of a level), without the gradings' evidence."""
        if level is not None and level not in LEVELS:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="level", value=level, choices=", ".join(LEVELS)
            )
        where, params = self._region(region)
        if level:
            where = f"{where} AND level = ?" if where else "level = ?"
            params.append(level)
        rows = self.store.rows("sources", where, params)
        for r in rows:
            r.pop("grade", None)
        return rows

    def source(self, source_id: str) -> dict[str, Any]:
        """One risk source with its grading (evidence included) and its plans."""
        rows = self.store.rows("sources", "source_id = ?", [source_id])
        if not rows:
            raise NotFound.worded(
                "risk.error.no_source", source=source_id, command="ecoplan risk import sources"
            )
        row = rows[0]
        row["plans"] = self.plans(source_id=source_id)
        return row

    def targets(self, kind: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
        """Sensitive targets (``id``, ``name``, ``kind``, ``lon``, ``lat``, ``polygon`` …):
        the rows incident screening takes."""
        if kind is not None and kind not in TARGET_KINDS:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="kind", value=kind, choices=", ".join(TARGET_KINDS)
            )
        where, params = self._region(region)
        if kind:
            where = f"{where} AND kind = ?" if where else "kind = ?"
            params.append(kind)
        rows = self.store.rows("targets", where, params)
        for r in rows:
            r["id"] = r["target_id"]
        return rows

    def plans(
        self,
        *,
        overdue: bool = False,
        as_of: dt.date | None = None,
        source_id: str | None = None,
        years: int = REVIEW_YEARS,
    ) -> list[dict[str, Any]]:
        """Emergency plans with their review due date and overdue flag on ``as_of`` (today)."""
        day = as_of or local_now().date()
        where, params = ("source_id = ?", [source_id]) if source_id else ("", [])
        names = {r["source_id"]: r["name"] for r in self.store.rows("sources")}
        out = []
        for r in self.store.rows("plans", where, params):
            st = plan_status(r, day, years)
            if overdue and not st.overdue:
                continue
            out.append(
                {**r, "source_name": names.get(r["source_id"]), **st.to_dict(), "as_of": day.isoformat()}
            )
        return out

    def rejects(self, kind: str | None = None, reason: str | None = None) -> list[dict[str, Any]]:
        """Rejected rows of the imports (of a registry, of a reason)."""
        kinds, reasons = (*KINDS, "rivers"), (*REASONS, *RIVER_REASONS)
        if kind is not None and kind not in kinds:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="kind", value=kind, choices=", ".join(kinds)
            )
        if reason is not None and reason not in reasons:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="reason", value=reason, choices=", ".join(reasons)
            )
        rows = self.store.rejects(kind)
        return [r for r in rows if reason is None or r["reason"] == reason]

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    def _region(self, region: str | None) -> tuple[str, list[Any]]:
        """A condition on ``region`` (a code and its subdivisions: 110000 → 11xxxx)."""
        if region is None:
            return "", []
        code = region
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
        return "region LIKE ?", [code + "%"]

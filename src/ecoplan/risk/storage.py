"""The registries in the catalog's database (only this module and the service use it).

An import is one catalog transaction (rows, rejects, the import log): the store is as it
was before or as it is after, never half of it. Re-importing identical rows writes no
row (counted unchanged); a changed row replaces the stored one (counted revised); the
rejects of a file replace that file's earlier rejects. A source's recorded grading is
kept when its row is re-imported without a level.

Incidents and their reports: one row each, written inside the caller's transaction (the
service's, with its audit row); an incident's id is the next integer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ecoplan.core.errors import StoreError
from ecoplan.risk.clock import local_now
from ecoplan.risk.readers.registry import COLUMNS, RegistryBatch
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "RiskImportResult", "RiskStore"]

FAULT_POINTS = ("risk.before_commit", "risk.after_commit")
_TABLE = {
    "sources": "risk_sources",
    "targets": "risk_targets",
    "plans": "risk_plans",
    "rivers": "risk_rivers",
}
#: The columns of each registry (the rivers' are this module's: the readers know the others).
_COLS: dict[str, tuple[str, ...]] = {
    **COLUMNS,
    "rivers": ("river_id", "name", "downstream_id", "length_m", "coords"),
}
_GRADE_COLS = ("level", "air_level", "water_level", "notation", "graded_on")


@dataclass
class RiskImportResult:
    """What one import did."""

    import_id: int
    kind: str
    rows_in: int
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    rejects: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "rows_in": self.rows_in,
            "rows_new": self.rows_new,
            "rows_revised": self.rows_revised,
            "rows_unchanged": self.rows_unchanged,
            "rejects": dict(self.rejects),
        }


def _plain(col: str, v: Any) -> Any:
    """A value as stored and compared (polygons as JSON text, dates as dates)."""
    if col in ("polygon", "coords") and v is not None and not isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, dt.datetime):
        return v.date()
    return v


class RiskStore:
    """Risk registries of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    def rows(self, kind: str, where: str = "", params: list[Any] | None = None) -> list[dict[str, Any]]:
        """The stored rows of a registry (``where``: an SQL condition on its columns)."""
        cols = list(_COLS[kind]) + (["grade"] if kind == "sources" else [])
        sql = f"SELECT {', '.join(cols)} FROM {_TABLE[kind]}"
        if where:
            sql += f" WHERE {where}"
        cur = self.con.execute(sql + f" ORDER BY {cols[0]}", params or [])
        out = []
        for r in cur.fetchall():
            d = dict(zip(cols, r, strict=True))
            for col in ("polygon", "coords"):
                if d.get(col):
                    d[col] = json.loads(d[col])
            if kind == "sources":
                d["grade"] = json.loads(d["grade"]) if d["grade"] else None
            out.append(d)
        return out

    def ids(self, kind: str) -> set[str]:
        col = _COLS[kind][0]
        return {str(r[0]) for r in self.con.execute(f"SELECT {col} FROM {_TABLE[kind]}").fetchall()}

    def rejects(self, kind: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT kind, file, row, field, value, reason FROM risk_rejects"
        params: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        cur = self.con.execute(sql + " ORDER BY kind, file, row, field", params)
        return [
            dict(zip(("kind", "file", "row", "field", "value", "reason"), r, strict=True))
            for r in cur.fetchall()
        ]

    def state(self) -> tuple[object, ...]:
        row = self.con.execute("SELECT coalesce(max(id), 0), count(*) FROM risk_imports").fetchone()
        return ("risk", *(row or ()))

    def import_batch(
        self,
        batch: RegistryBatch,
        *,
        fmt: str,
        recorded_at: dt.datetime | None = None,
        audit: Callable[[RiskImportResult], object] | None = None,
    ) -> RiskImportResult:
        """Store ``batch`` (see the module docstring); ``audit(result)`` runs inside the
        transaction when the import changed a row (the audit row commits with it)."""
        if getattr(self.catalog, "read_only", False):
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        when = recorded_at or local_now()
        kind, cols = batch.kind, _COLS[batch.kind]
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM risk_imports").fetchone()
        import_id = int(row[0]) if row else 1
        res = RiskImportResult(import_id, kind, len(batch.rows) + len(batch.rejects), rejects=batch.counts())
        stored = {str(r[cols[0]]): r for r in self.rows(kind)}
        upserts: list[list[Any]] = []
        for r in batch.rows:
            new = {c: _plain(c, r.get(c)) for c in cols}
            old = stored.get(str(new[cols[0]]))
            if kind == "sources" and old is not None and new["level"] is None:
                for c in _GRADE_COLS:  # keep the recorded grading
                    new[c] = old[c]
            old_plain = None if old is None else {c: _plain(c, old.get(c)) for c in cols}
            if old_plain == new:
                res.rows_unchanged += 1
                continue
            if old is None:
                res.rows_new += 1
            else:
                res.rows_revised += 1
            grade = None
            if kind == "sources" and old is not None and new["level"] == old["level"] and old.get("grade"):
                grade = json.dumps(old["grade"], ensure_ascii=False)
            upserts.append([new[c] for c in cols] + ([grade] if kind == "sources" else []) + [import_id])
        with self.catalog.transaction() as con:
            if upserts:
                marks = ", ".join("?" for _ in upserts[0])
                con.executemany(f"INSERT OR REPLACE INTO {_TABLE[kind]} VALUES ({marks})", upserts)
            files = sorted(set(batch.files))
            if files:
                con.execute(
                    f"DELETE FROM risk_rejects WHERE kind = ? AND file IN ({', '.join('?' for _ in files)})",
                    [kind, *files],
                )
            for rj in batch.rejects:
                con.execute(
                    "INSERT INTO risk_rejects VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [import_id, kind, rj["file"], rj["row"], rj["field"], rj["value"], rj["reason"]],
                )
            con.execute(
                "INSERT INTO risk_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    when,
                    kind,
                    fmt,
                    json.dumps(files, ensure_ascii=False),
                    res.rows_in,
                    res.rows_new,
                    res.rows_revised,
                    res.rows_unchanged,
                    json.dumps(res.rejects),
                ],
            )
            if audit is not None and (res.rows_new or res.rows_revised):
                audit(res)
            faults.point("risk.before_commit")
        faults.point("risk.after_commit")
        return res

    def record_grade(self, source_id: str, fields: dict[str, Any], grade: dict[str, Any]) -> None:
        """Store a source's grading (levels, notation, date and the whole grading)."""
        with self.catalog.transaction() as con:
            con.execute(
                "UPDATE risk_sources SET level = ?, air_level = ?, water_level = ?, notation = ?, "
                "graded_on = ?, grade = ? WHERE source_id = ?",
                [*(fields[c] for c in _GRADE_COLS), json.dumps(grade, ensure_ascii=False), source_id],
            )

    # -- incidents -------------------------------------------------------------------------
    _INCIDENT_COLS = (
        "incident_id", "digest", "region", "discovered_at", "province_received_at", "lon", "lat",
        "place", "substance", "grade", "reporting_grade", "input", "result", "recorded_at", "recorded_by",
    )  # fmt: skip
    _REPORT_COLS = ("incident_id", "seq", "kind", "party", "made_at", "note", "recorded_at", "recorded_by")

    def incidents(
        self, where: str = "", params: list[Any] | None = None, *, full: bool = True
    ) -> list[dict[str, Any]]:
        """Recorded incidents (``input`` and ``result`` parsed; left out unless ``full``), newest first."""
        cols = tuple(c for c in self._INCIDENT_COLS if full or c not in ("input", "result"))
        sql = f"SELECT {', '.join(cols)} FROM risk_incidents"
        if where:
            sql += f" WHERE {where}"
        cur = self.con.execute(sql + " ORDER BY discovered_at DESC, incident_id DESC", params or [])
        out = []
        for r in cur.fetchall():
            d = dict(zip(cols, r, strict=True))
            if full:
                d["input"], d["result"] = json.loads(d["input"]), json.loads(d["result"])
            out.append(d)
        return out

    def incident_reports(self, ids: list[int] | None = None) -> list[dict[str, Any]]:
        """Reports made on incidents (of ``ids``), by incident and in order."""
        sql = f"SELECT {', '.join(self._REPORT_COLS)} FROM risk_incident_reports"
        params: list[Any] = []
        if ids is not None:
            if not ids:
                return []
            sql += f" WHERE incident_id IN ({', '.join('?' for _ in ids)})"
            params = list(ids)
        cur = self.con.execute(sql + " ORDER BY incident_id, seq", params)
        return [dict(zip(self._REPORT_COLS, r, strict=True)) for r in cur.fetchall()]

    def insert_incident(self, row: dict[str, Any]) -> tuple[int, bool]:
        """Store an incident (inside the caller's transaction, when there is one): its id,
        and False when an incident of the same ``digest`` was stored already (nothing written)."""
        with self.catalog.transaction() as con:
            got = con.execute("SELECT incident_id FROM risk_incidents WHERE digest = ?", [row["digest"]])
            old = got.fetchone()
            if old is not None:
                return int(old[0]), False
            nxt = con.execute("SELECT coalesce(max(incident_id), 0) + 1 FROM risk_incidents").fetchone()
            new_id = int(nxt[0]) if nxt else 1
            vals = {**row, "incident_id": new_id}
            vals["input"] = json.dumps(row["input"], ensure_ascii=False, default=str)
            vals["result"] = json.dumps(row["result"], ensure_ascii=False, default=str)
            con.execute(
                f"INSERT INTO risk_incidents VALUES ({', '.join('?' for _ in self._INCIDENT_COLS)})",
                [vals[c] for c in self._INCIDENT_COLS],
            )
            faults.point("risk.before_commit")
        return new_id, True

    def insert_report(self, row: dict[str, Any]) -> int:
        """Append a report to an incident (inside the caller's transaction); its ``seq``."""
        with self.catalog.transaction() as con:
            nxt = con.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM risk_incident_reports WHERE incident_id = ?",
                [row["incident_id"]],
            ).fetchone()
            seq = int(nxt[0]) if nxt else 1
            vals = {**row, "seq": seq}
            con.execute(
                f"INSERT INTO risk_incident_reports VALUES ({', '.join('?' for _ in self._REPORT_COLS)})",
                [vals[c] for c in self._REPORT_COLS],
            )
        return seq

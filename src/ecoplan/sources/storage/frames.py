"""Frames, their values and the quarantine in the catalog; how far each raw log is ingested.

One catalog transaction per batch writes the new frames, their values, the quarantine
rows **and** the log's new offset (``sources_log_offsets``): a process killed at any point
leaves the store as it was before the batch or after it, and the next ingest resumes at
the stored offset, so nothing is stored twice and nothing acknowledged is skipped.

Duplicates — a device resending a frame whose 9014 it missed, or a frame already
ingested from another log — are recognised by (MN, CN, QN, DataTime) (hj212 spec §11
item 4), skipped and counted; so are values whose (MN, CN, DataTime, factor) is already
stored from another frame (``value_conflicts``: the first frame's values are kept).
``ecoplan.store.faults`` marks the steps for crash tests (:data:`FAULT_POINTS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.sources.readers.frames_file import VALUE_KINDS, Columns, Decoded, rows_columns
from ecoplan.sources.readers.rawlog import Position
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "FramesStore", "IngestResult"]

FAULT_POINTS = ("sources.ingest.before_commit", "sources.ingest.after_commit")

_FRAME_COLS = (
    "frame_id", "log", "seg", "pos", "received_at", "peer", "mn", "st", "cn", "qn",
    "data_time", "flag", "edition", "rf", "status", "raw",
)  # fmt: skip
_VALUE_COLS = ("frame_id", "mn", "cn", "data_time", "factor", *VALUE_KINDS, "flag", "eflag", "extra")
_QUARANTINE_COLS = ("log", "seg", "pos", "received_at", "peer", "mn", "reason", "detail", "raw")


@dataclass
class IngestResult:
    """What an ingest did, over all its logs and batches."""

    records: int = 0
    frames_new: int = 0
    duplicates: int = 0
    values: int = 0
    value_conflicts: int = 0
    quarantined: int = 0
    batches: int = 0
    logs: dict[str, tuple[Position, Position]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, other: IngestResult) -> None:
        for name in (
            "records",
            "frames_new",
            "duplicates",
            "values",
            "value_conflicts",
            "quarantined",
            "batches",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for log, (a, b) in other.logs.items():
            self.logs[log] = (self.logs[log][0] if log in self.logs else a, b)
        for reason, n in other.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + n

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "frames_new": self.frames_new,
            "duplicates": self.duplicates,
            "values": self.values,
            "value_conflicts": self.value_conflicts,
            "quarantined": self.quarantined,
            "batches": self.batches,
            "logs": {k: {"from": list(a), "to": list(b)} for k, (a, b) in sorted(self.logs.items())},
            "reasons": dict(sorted(self.reasons.items())),
        }


def _insert_frames(con: Any, batch: Columns) -> tuple[int, int, int]:
    """Insert the batch's new frames and their values; (frames, values, value conflicts)."""
    base = _count(con, "SELECT coalesce(max(frame_id), 0) FROM sources_frames")
    con.register("_sf_in", batch.frames)
    con.register("_sv_in", batch.values)
    try:
        # the first of the batch with its key, and no stored frame with it (§11 item 4)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _sf_new AS "
            "SELECT ? + row_number() OVER (ORDER BY n.i) AS frame_id, n.* EXCLUDE (k) FROM ("
            "SELECT *, row_number() OVER (PARTITION BY mn, cn, qn, data_time ORDER BY i) AS k "
            "FROM _sf_in) n WHERE n.k = 1 AND NOT EXISTS (SELECT 1 FROM sources_frames f "
            "WHERE f.mn IS NOT DISTINCT FROM n.mn AND f.cn IS NOT DISTINCT FROM n.cn "
            "AND f.qn IS NOT DISTINCT FROM n.qn AND f.data_time IS NOT DISTINCT FROM n.data_time)",
            [base],
        )
        frames = _count(con, f"INSERT INTO sources_frames SELECT {', '.join(_FRAME_COLS)} FROM _sf_new")
        kept = _count(con, "SELECT count(*) FROM _sv_in v SEMI JOIN _sf_new f ON f.i = v.i")
        # the first frame's value of each (MN, CN, DataTime, factor), none stored before
        values = _count(
            con,
            f"INSERT INTO sources_values SELECT {', '.join(_VALUE_COLS)} FROM ("
            "SELECT f.frame_id, v.*, row_number() OVER (PARTITION BY v.mn, v.cn, v.data_time, v.factor "
            "ORDER BY f.frame_id) AS k FROM _sv_in v JOIN _sf_new f ON f.i = v.i) n "
            "WHERE n.k = 1 AND NOT EXISTS (SELECT 1 FROM sources_values s WHERE s.mn = n.mn "
            "AND s.cn = n.cn AND s.data_time = n.data_time AND s.factor = n.factor)",
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _sf_new")
        con.unregister("_sf_in")
        con.unregister("_sv_in")
    return frames, values, kept - values


def _count(con: Any, sql: str) -> int:
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0


class FramesStore:
    """The frame tables of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    # -- offsets -------------------------------------------------------------------------
    def offsets(self) -> dict[str, Position]:
        rows = self.con.execute("SELECT log, seg, pos FROM sources_log_offsets").fetchall()
        return {str(r[0]): Position(int(r[1]), int(r[2])) for r in rows}

    def offset(self, log: str) -> Position:
        return self.offsets().get(log, Position(0, 0))

    # -- write ---------------------------------------------------------------------------
    def store_batch(
        self,
        log: str,
        decoded: Sequence[Decoded],
        start: Position,
        end: Position,
        *,
        move_offset: bool = True,
    ) -> IngestResult:
        """:meth:`store_columns` of records decoded one by one."""
        return self.store_columns(log, rows_columns(decoded), start, end, move_offset=move_offset)

    def store_columns(
        self,
        log: str,
        batch: Columns,
        start: Position,
        end: Position,
        *,
        move_offset: bool = True,
    ) -> IngestResult:
        """Store the rows of one batch of ``log`` (records from ``start`` to ``end``) and
        move its offset to ``end``, in one transaction.

        Uniqueness by construction, without an index (hj212 spec §11 item 4): a frame is
        inserted only if no earlier frame of the batch and no stored frame has its
        (MN, CN, QN, DataTime); a value only if no frame before it (lower frame_id) has its
        (MN, CN, DataTime, factor). Both are one anti-join of the batch against the table;
        the catalog lets one transaction write at a time, so nothing slips in between."""
        if self.catalog.read_only:
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot ingest")
        res = IngestResult(records=batch.records, batches=1, logs={log: (start, end)})
        for q in batch.quarantine:
            res.reasons[q.reason] = res.reasons.get(q.reason, 0) + 1
        with self.catalog.transaction() as con:
            if batch.frames.num_rows:
                res.frames_new, res.values, res.value_conflicts = _insert_frames(con, batch)
                res.duplicates = batch.frames.num_rows - res.frames_new
            if batch.quarantine:
                qf = pd.DataFrame(
                    [(q.log, q.seg, q.pos, q.received_at, q.peer, q.mn, q.reason, q.detail, q.raw)
                     for q in batch.quarantine],
                    columns=list(_QUARANTINE_COLS),
                )  # fmt: skip
                qf["received_at"] = pd.to_datetime(qf["received_at"])
                con.register("_sq_new", qf)
                before = _count(con, "SELECT count(*) FROM sources_quarantine")
                con.execute(
                    "INSERT INTO sources_quarantine SELECT * FROM _sq_new n WHERE NOT EXISTS ("
                    "SELECT 1 FROM sources_quarantine q WHERE q.log = n.log AND q.seg = n.seg "
                    "AND q.pos = n.pos)"
                )
                con.unregister("_sq_new")
                res.quarantined = _count(con, "SELECT count(*) FROM sources_quarantine") - before
            if move_offset:
                con.execute(
                    "INSERT OR REPLACE INTO sources_log_offsets VALUES (?, ?, ?, ?)",
                    [log, end.seg, end.pos, dt.datetime.now().replace(microsecond=0)],
                )
            faults.point("sources.ingest.before_commit")
        faults.point("sources.ingest.after_commit")
        return res

    # -- read ----------------------------------------------------------------------------
    def frames(
        self,
        mn: str | None = None,
        cn: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        limit: int = 1000,
    ) -> pd.DataFrame:
        where, params = _where(mn=mn, cn=cn, start=start, end=end)
        return self.con.execute(
            "SELECT frame_id, log, seg, pos, received_at, peer, mn, st, cn, qn, data_time, flag, "
            f"edition, rf, status, raw FROM sources_frames{where} ORDER BY frame_id LIMIT ?",
            [*params, limit],
        ).df()

    def frame(self, frame_id: int) -> dict[str, Any] | None:
        df = self.con.execute("SELECT * FROM sources_frames WHERE frame_id = ?", [frame_id]).df()
        if df.empty:
            return None
        row: dict[str, Any] = {str(k): v for k, v in df.iloc[0].to_dict().items()}
        row["values"] = self.con.execute(
            "SELECT * EXCLUDE (frame_id) FROM sources_values WHERE frame_id = ? ORDER BY factor", [frame_id]
        ).df()
        return row

    def values(self, frame_ids: Sequence[int] | None = None) -> pd.DataFrame:
        if frame_ids is None:
            return self.con.execute("SELECT * FROM sources_values ORDER BY frame_id, factor").df()
        if not frame_ids:
            return self.con.execute("SELECT * FROM sources_values LIMIT 0").df()
        marks = ", ".join("?" for _ in frame_ids)
        return self.con.execute(
            f"SELECT * FROM sources_values WHERE frame_id IN ({marks}) ORDER BY frame_id, factor",
            list(frame_ids),
        ).df()

    def latest(self, outlet_id: str | None = None, credit_code: str | None = None) -> pd.DataFrame:
        """The newest value of each device's factors (by DataTime; at the same DataTime the
        real-time value before the minute, hour and day ones), with the device's outlet.

        The devices are chosen first (by outlet and enterprise), then the newest value of
        each (MN, factor) of theirs is one hash aggregate (``arg_max`` on DataTime and the
        data kind's rank) — no ranking or sorting of every stored value."""
        conds, params = ["TRUE"], []
        if outlet_id is not None:
            conds.append("d.outlet_id = ?")
            params.append(outlet_id)
        if credit_code is not None:
            conds.append("o.credit_code = ?")
            params.append(credit_code)
        return self.con.execute(
            "WITH devs AS (SELECT d.mn, d.outlet_id, o.credit_code FROM sources_devices d "
            "LEFT JOIN sources_outlets o ON o.outlet_id = d.outlet_id "
            f"WHERE {' AND '.join(conds)}), "
            "newest AS (SELECT v.mn, v.factor, arg_max({'cn': v.cn, 'data_time': v.data_time, "
            "'rtd': v.rtd, 'avg': v.avg, 'min': v.min, 'max': v.max, 'cou': v.cou, 'zs_rtd': v.zs_rtd, "
            "'zs_avg': v.zs_avg, 'flag': v.flag}, epoch_us(v.data_time) * 4 + CASE v.cn WHEN '2011' "
            "THEN 3 WHEN '2051' THEN 2 WHEN '2061' THEN 1 ELSE 0 END) AS r "
            "FROM sources_values v SEMI JOIN devs ON devs.mn = v.mn GROUP BY v.mn, v.factor) "
            "SELECT d.credit_code, d.outlet_id, n.mn, n.factor, n.r.cn AS cn, n.r.data_time AS data_time, "
            "n.r.rtd AS rtd, n.r.avg AS avg, n.r.min AS min, n.r.max AS max, n.r.cou AS cou, "
            "n.r.zs_rtd AS zs_rtd, n.r.zs_avg AS zs_avg, n.r.flag AS flag "
            "FROM newest n JOIN devs d ON d.mn = n.mn ORDER BY d.outlet_id, n.factor, n.mn",
            params,
        ).df()

    def quarantine(self, limit: int = 1000) -> pd.DataFrame:
        return self.con.execute(
            "SELECT log, seg, pos, received_at, peer, mn, reason, detail, raw FROM sources_quarantine "
            "ORDER BY log, seg, pos LIMIT ?",
            [limit],
        ).df()

    def stats(self) -> dict[str, Any]:
        con = self.con
        by_reason = con.execute(
            "SELECT reason, count(*) FROM sources_quarantine GROUP BY reason ORDER BY reason"
        ).fetchall()
        return {
            "frames": _count(con, "SELECT count(*) FROM sources_frames"),
            "devices_seen": _count(con, "SELECT count(DISTINCT mn) FROM sources_frames"),
            "values": _count(con, "SELECT count(*) FROM sources_values"),
            "quarantined": _count(con, "SELECT count(*) FROM sources_quarantine"),
            "quarantine_reasons": {str(r): int(n) for r, n in by_reason},
            "logs": {k: list(v) for k, v in sorted(self.offsets().items())},
        }

    def devices(self) -> list[tuple[str, str, str, str, str | None, bool]]:
        """(mn, pw, st, edition, sm4_key, active) of every registered device."""
        rows = self.con.execute(
            "SELECT mn, pw, st, edition, sm4_key, active FROM sources_devices ORDER BY mn"
        ).fetchall()
        return [
            (str(a), str(b), str(c), str(d), None if e is None else str(e), bool(f))
            for a, b, c, d, e, f in rows
        ]

    def state(self) -> tuple[object, ...]:
        return ("sources.frames", _count(self.con, "SELECT coalesce(max(frame_id), 0) FROM sources_frames"))


def _where(**conds: object) -> tuple[str, list[object]]:
    parts: list[str] = []
    params: list[object] = []
    for name, value in conds.items():
        if value is None:
            continue
        if name == "start":
            parts.append("data_time >= ?")
        elif name == "end":
            parts.append("data_time < ?")
        else:
            parts.append(f"{name} = ?")
        params.append(value)
    return (" WHERE " + " AND ".join(parts) if parts else ""), params

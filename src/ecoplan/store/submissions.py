"""Submissions under review, their events and evidence files, in the catalog (issue #12).

A submission holds what a reporter sent (``payload``: JSON rows) until a reviewer
publishes it; only then do its values reach ``value_revisions`` (what the public reads).
The state machine lives in :mod:`ecoplan.app.review`; this module stores it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecoplan.store.catalog import Catalog

__all__ = [
    "add_evidence",
    "create",
    "events",
    "evidence",
    "find",
    "listing",
    "pending_values",
    "set_state",
]


def _dicts(cur: Any) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        d = dict(zip(cols, r, strict=True))
        if isinstance(d.get("payload"), str):
            d["payload"] = json.loads(d["payload"])
        out.append(d)
    return out


def create(
    cat: Catalog,
    *,
    kind: str,
    plan_id: str,
    region: str,
    author: str,
    payload: Any,
    origin: str | None,
    when: dt.datetime,
) -> int:
    """Store a new submission in state ``submitted``; returns its id."""
    with cat.transaction() as con:
        row = con.execute("SELECT coalesce(max(id), 0) + 1 FROM submissions").fetchone()
        sid = int(row[0]) if row else 1
        con.execute(
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, NULL, NULL, NULL)",
            [sid, kind, plan_id, region, author, json.dumps(payload, ensure_ascii=False), origin, when, when],
        )
        con.execute(
            "INSERT INTO submission_events VALUES (?, 1, ?, ?, 'submitted', NULL)", [sid, when, author]
        )
    return sid


def find(cat: Catalog, sid: int) -> dict[str, Any] | None:
    rows = _dicts(cat.con.execute("SELECT * FROM submissions WHERE id = ?", [sid]))
    return rows[0] if rows else None


def listing(
    cat: Catalog,
    *,
    states: list[str] | None = None,
    author: str | None = None,
    plan_id: str | None = None,
    regions: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Submissions, newest first, filtered (``regions``: any of these codes)."""
    sql = "SELECT * FROM submissions WHERE 1=1"
    args: list[Any] = []
    if states:
        sql += " AND state IN (SELECT unnest(?))"
        args.append(states)
    if author:
        sql += " AND author = ?"
        args.append(author)
    if plan_id:
        sql += " AND plan_id = ?"
        args.append(plan_id)
    if regions is not None:
        sql += " AND region IN (SELECT unnest(?))"
        args.append(regions)
    return _dicts(cat.con.execute(sql + " ORDER BY updated_at DESC, id DESC", args))


def set_state(
    cat: Catalog,
    sid: int,
    state: str,
    *,
    actor: str,
    when: dt.datetime,
    comment: str | None = None,
    reviewer: str | None = None,
    payload: Any = None,
    origin: str | None = None,
) -> None:
    """Move a submission to ``state`` and log the event (one transaction)."""
    with cat.transaction() as con:
        sets, args = ["state = ?", "updated_at = ?"], [state, when]
        if comment is not None:
            sets.append("comment = ?")
            args.append(comment)
        if reviewer is not None:
            sets.append("reviewer = ?")
            args.append(reviewer)
        if payload is not None:
            sets.append("payload = ?")
            args.append(json.dumps(payload, ensure_ascii=False))
        if origin is not None:
            sets.append("origin = ?")
            args.append(origin)
        if state == "published":
            sets.append("published_at = ?")
            args.append(when)
        con.execute(f"UPDATE submissions SET {', '.join(sets)} WHERE id = ?", [*args, sid])
        row = con.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM submission_events WHERE submission_id = ?", [sid]
        ).fetchone()
        con.execute(
            "INSERT INTO submission_events VALUES (?, ?, ?, ?, ?, ?)",
            [sid, int(row[0]) if row else 1, when, actor, state, comment],
        )


def events(cat: Catalog, sid: int) -> list[dict[str, Any]]:
    return _dicts(
        cat.con.execute("SELECT * FROM submission_events WHERE submission_id = ? ORDER BY seq", [sid])
    )


def pending_values(cat: Catalog, plan_id: str, region: str) -> list[dict[str, Any]]:
    """The value rows of submissions of ``plan_id``/``region`` not yet published nor
    withdrawn (submitted, returned or accepted), oldest first, with their submission."""
    subs = _dicts(
        cat.con.execute(
            "SELECT * FROM submissions WHERE kind = 'values' AND plan_id = ? AND region = ? "
            "AND state IN ('submitted', 'accepted') ORDER BY updated_at, id",
            [plan_id, region],
        )
    )
    return [{**row, "submission_id": s["id"], "state": s["state"]} for s in subs for row in s["payload"]]


def add_evidence(
    cat: Catalog, sha256: str, name: str, media_type: str, content: bytes, *, when: dt.datetime, by: str
) -> None:
    with cat.transaction() as con:
        if con.execute("SELECT 1 FROM evidence_files WHERE sha256 = ?", [sha256]).fetchone() is None:
            con.execute(
                "INSERT INTO evidence_files VALUES (?, ?, ?, ?, ?, ?, ?)",
                [sha256, name, media_type, len(content), content, when, by],
            )


def evidence(cat: Catalog, sha256: str) -> dict[str, Any] | None:
    rows = _dicts(cat.con.execute("SELECT * FROM evidence_files WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None

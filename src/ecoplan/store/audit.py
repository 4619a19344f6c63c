"""The audit log: every write and sign-in, append-only and hash-chained (issue #12).

Each row's ``hash`` is SHA-256 over the previous row's hash and the canonical JSON of the
row's own fields (:func:`row_hash`); the first row chains from 64 zeros. Editing a row,
deleting one, or inserting one out of order breaks the chain at that row, and
:func:`verify` names it. Deleting the newest rows leaves a shorter valid chain; the
head (``seq``, ``hash``) printed by ``ecoplan audit verify`` is what to keep elsewhere
to catch that (``expect_head``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecoplan.store.catalog import Catalog

__all__ = ["COLUMNS", "GENESIS", "Broken", "append", "head", "row_hash", "rows", "verify"]

GENESIS = "0" * 64
COLUMNS = (
    "seq",
    "occurred_at",
    "actor",
    "action",
    "target",
    "region",
    "outcome",
    "before",
    "after",
    "source",
    "prev_hash",
    "hash",
)


def _dump(value: Any) -> str | None:
    """A Python value as canonical JSON text (None stays NULL)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _canon(value: Any) -> str | None:
    """Canonical JSON of a stored ``before``/``after`` (JSON text) or of a Python value."""
    if isinstance(value, str):  # JSON read back from the store
        value = json.loads(value)
    return _dump(value)


def row_hash(
    prev_hash: str,
    seq: int,
    occurred_at: dt.datetime,
    actor: str | None,
    action: str,
    target: str | None,
    region: str | None,
    outcome: str,
    before: Any,
    after: Any,
    source: str | None,
) -> str:
    """SHA-256 (hex) of the previous hash and the row's fields as canonical JSON."""
    body = json.dumps(
        [
            seq,
            occurred_at.isoformat(timespec="microseconds"),
            actor,
            action,
            target,
            region,
            outcome,
            _canon(before),
            _canon(after),
            source,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def head(cat: Catalog) -> tuple[int, str]:
    """The newest row's (seq, hash); (0, GENESIS) when the log is empty."""
    row = cat.con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    cat: Catalog,
    actor: str | None,
    action: str,
    *,
    target: str | None = None,
    region: str | None = None,
    outcome: str = "ok",
    before: Any = None,
    after: Any = None,
    source: str | None = None,
    when: dt.datetime | None = None,
) -> int:
    """Append one row (inside the caller's transaction when there is one); returns its seq."""
    with cat.transaction() as con:
        seq, prev = head(cat)
        seq += 1
        at = (when or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
        # to JSON text first: a str value is a JSON string here, not JSON text to parse
        b, a = _dump(before), _dump(after)
        h = row_hash(prev, seq, at, actor, action, target, region, outcome, b, a, source)
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, at, actor, action, target, region, outcome, b, a, source, prev, h],
        )
    return seq


def rows(
    cat: Catalog,
    *,
    actor: str | None = None,
    action: str | None = None,
    region: str | None = None,
    outcome: str | None = None,
    since: dt.datetime | None = None,
    after_seq: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Rows in chain order, filtered (``action`` matches a prefix: ``submission.``)."""
    sql = "SELECT * FROM audit_log WHERE seq > ?"
    args: list[Any] = [after_seq]
    if actor:
        sql += " AND actor = ?"
        args.append(actor)
    if action:
        sql += " AND starts_with(action, ?)"
        args.append(action)
    if region:
        sql += " AND region = ?"
        args.append(region)
    if outcome:
        sql += " AND outcome = ?"
        args.append(outcome)
    if since is not None:
        sql += " AND occurred_at >= ?"
        args.append(since)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cur = cat.con.execute(sql, args)
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        d = dict(zip(cols, r, strict=True))
        for k in ("before", "after"):
            if isinstance(d[k], str):
                d[k] = json.loads(d[k])
        out.append(d)
    return out


@dataclass(frozen=True)
class Broken:
    """The first row where the chain breaks: ``seq`` (or the expected seq of a missing
    row) and why (``edited``, ``missing``, ``relinked``, ``head``)."""

    seq: int
    why: str


def verify(cat: Catalog, expect_head: tuple[int, str] | None = None) -> tuple[int, str, Broken | None]:
    """Recompute the chain: ``(rows checked, head hash, first break or None)``.

    ``expect_head`` (seq, hash), kept from an earlier verify, must still be in the chain:
    the log may have grown since, but not lost that row nor changed it."""
    prev, expected_seq, n = GENESIS, 1, 0
    kept = GENESIS if expect_head is not None and expect_head[0] == 0 else None
    cur = cat.con.execute("SELECT * FROM audit_log ORDER BY seq")
    cols = [d[0] for d in cur.description]
    while batch := cur.fetchmany(10_000):
        for r in batch:
            d = dict(zip(cols, r, strict=True))
            seq = int(d["seq"])
            if seq != expected_seq:
                return n, prev, Broken(expected_seq, "missing")
            if d["prev_hash"] != prev:
                return n, prev, Broken(seq, "relinked")
            h = row_hash(
                prev,
                seq,
                d["occurred_at"],
                d["actor"],
                d["action"],
                d["target"],
                d["region"],
                d["outcome"],
                d["before"],
                d["after"],
                d["source"],
            )
            if h != d["hash"]:
                return n, prev, Broken(seq, "edited")
            if expect_head is not None and seq == expect_head[0]:
                kept = h
            prev, expected_seq, n = h, seq + 1, n + 1
    if expect_head is not None:
        if n < expect_head[0]:  # rows at the end were deleted
            return n, prev, Broken(n + 1, "head")
        if kept != expect_head[1]:  # the kept row was replaced (the tail cut and rewritten)
            return n, prev, Broken(expect_head[0], "head")
    return n, prev, None

"""Notification subscriptions and what was sent, in the catalog (issue #12, point 5).

``subscriptions`` holds, per user, what they want to hear of (a region subtree, an
optional plan, a minimum warning level, the kinds) and where (an e-mail address and/or
a webhook URL with its signing secret). ``notification_log`` holds one row per item
delivered on a channel — its key, the user, the channel, when — so the next run sends
only what is new; a delivery that failed writes nothing here and is retried. Nothing
here decides who may subscribe to what (:mod:`ecoplan.app.notify` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecoplan.store.catalog import Catalog

__all__ = ["add", "find", "record_sent", "remove", "sent_keys", "subscriptions"]


def _dicts(cur: Any) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def subscriptions(cat: Catalog, user: str | None = None) -> list[dict[str, Any]]:
    """The subscriptions of ``user`` (every user's when None), by user and id."""
    sql = "SELECT * FROM subscriptions"
    args: list[Any] = []
    if user is not None:
        sql += " WHERE user_name = ?"
        args.append(user)
    return _dicts(cat.con.execute(sql + " ORDER BY user_name, id", args))


def find(cat: Catalog, user: str, sid: int) -> dict[str, Any] | None:
    rows = _dicts(cat.con.execute("SELECT * FROM subscriptions WHERE user_name = ? AND id = ?", [user, sid]))
    return rows[0] if rows else None


def add(
    cat: Catalog,
    user: str,
    *,
    region: str,
    plan_id: str | None,
    min_severity: str,
    kinds: str,
    email: str | None,
    webhook_url: str | None,
    webhook_secret: str | None,
    created_at: dt.datetime,
) -> int:
    """Store one subscription of ``user``; returns its id (numbered per user from 1)."""
    with cat.transaction() as con:
        row = con.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM subscriptions WHERE user_name = ?", [user]
        ).fetchone()
        sid = int(row[0]) if row else 1
        con.execute(
            "INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [user, sid, region, plan_id, min_severity, kinds, email, webhook_url, webhook_secret, created_at],
        )
    return sid


def remove(cat: Catalog, user: str, sid: int) -> None:
    with cat.transaction() as con:
        con.execute("DELETE FROM subscriptions WHERE user_name = ? AND id = ?", [user, sid])


def sent_keys(cat: Catalog, user: str, channel: str) -> set[str]:
    """Keys of the items already delivered to ``user`` on ``channel``."""
    cur = cat.con.execute(
        "SELECT key FROM notification_log WHERE user_name = ? AND channel = ?", [user, channel]
    )
    return {str(r[0]) for r in cur.fetchall()}


def record_sent(
    cat: Catalog, user: str, channel: str, items: Iterable[tuple[str, str]], sent_at: dt.datetime
) -> int:
    """Record ``(key, kind)`` items as delivered on ``channel`` (a key already there is kept)."""
    rows = [[key, user, kind, channel, sent_at] for key, kind in items]
    if not rows:
        return 0
    with cat.transaction() as con:
        con.executemany("INSERT INTO notification_log VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
    return len(rows)

"""``ep.audit``: the append-only, hash-chained audit log (issue #12).

Every write through the app and every sign-in appends a row — who, when, what, before
→ after, from where, and whether it was done, denied or failed — in the same
transaction as the write it records (:func:`ecoplan.store.audit.append`). Rows of
refused acts are written on their own: nothing else was. ``verify`` recomputes the
chain (:func:`ecoplan.store.audit.verify`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecoplan.core.access import Principal, Role, covers
from ecoplan.core.errors import Forbidden
from ecoplan.store import audit as store

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["Audit", "Verification"]


@dataclass(frozen=True)
class Verification:
    """What ``audit verify`` found: rows checked, the head (seq, hash), the first break."""

    rows: int
    head: str
    broken_seq: int | None = None
    why: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


class Audit:
    def __init__(self, ep: Ecoplan) -> None:
        self.ep = ep

    def append(
        self,
        actor: str | None,
        action: str,
        *,
        target: str | None = None,
        region: str | None = None,
        before: Any = None,
        after: Any = None,
        source: str | None = None,
        outcome: str = "ok",
    ) -> int:
        """Append a row through the single writer; inside a write's transaction, the row
        commits (or rolls back) with it. Returns its sequence number."""
        with self.ep.writer() as w:
            return store.append(
                w.catalog,
                actor,
                action,
                target=target,
                region=region,
                outcome=outcome,
                before=before,
                after=after,
                source=source,
            )

    def record(self, who: Principal, action: str, **kw: Any) -> int:
        """:meth:`append` for a principal (actor and source from it)."""
        return self.append(who.user, action, source=kw.pop("source", who.source), **kw)

    def denied(self, who: Principal | None, action: str, why: str, **kw: Any) -> None:
        """Record a refused act (its own transaction: nothing else was written);
        ``after_problems`` lists what was wrong with a refused file."""
        problems = kw.pop("after_problems", None)
        if kw.get("region") is None and who is not None:
            kw["region"] = who.region  # an admin of the actor's region sees the refusal
        self.append(
            who.user if who else None,
            action,
            outcome="denied",
            after={"reason": why, **({"problems": problems} if problems else {})},
            source=kw.pop("source", who.source if who else None),
            **kw,
        )

    def rows(
        self,
        who: Principal,
        *,
        actor: str | None = None,
        action: str | None = None,
        region: str | None = None,
        outcome: str | None = None,
        since: dt.datetime | None = None,
        after_seq: int = 0,
        limit: int | None = 500,
    ) -> list[dict[str, Any]]:
        """The log for an admin: every row when national, else rows of regions in scope."""
        if not who.can(Role.ADMIN):
            raise Forbidden.worded("access.error.role", role=Role.ADMIN.value, have=who.role.value)
        out = store.rows(
            self.ep.catalog,
            actor=actor,
            action=action,
            region=region,
            outcome=outcome,
            since=since,
            after_seq=after_seq,
            limit=None,
        )
        visible = [
            r
            for r in out
            if (r["region"] is None and who.region == "000000")
            or (r["region"] is not None and covers(who.region, r["region"]))
        ]
        return visible[:limit] if limit is not None else visible

    def verify(self, expect_head: tuple[int, str] | None = None) -> Verification:
        n, h, broken = store.verify(self.ep.catalog, expect_head)
        if broken is None:
            return Verification(n, h)
        return Verification(n, h, broken.seq, broken.why)

    def head(self) -> tuple[int, str]:
        return store.head(self.ep.catalog)

"""``/audit``: the audit log for admins (issue #12).

Rows in chain order, filtered by actor, action prefix (``submission.``) and outcome,
a page at a time (``?after=<seq>`` continues after a row), each with before → after
and where from; and the verification of the whole hash chain
(:meth:`ecoplan.app.audit.Audit.verify`): intact, or the first row that breaks it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from ecoplan.core.access import Role
from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import word
from ecoplan.web.account_common import go, refusal
from ecoplan.web.common import VISITOR, Format, Lang, Session, page, respond

__all__ = ["PAGE", "register"]

PAGE = 100
OUTCOMES = ("ok", "denied", "failed")


def _shown(v: Any) -> str:
    if v is None:
        return ""
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str, sort_keys=True)
    return text if len(text) <= 300 else text[:300] + "…"


def register(app: FastAPI, session: Session) -> None:
    @app.get("/audit", include_in_schema=False)
    def audit_page(
        request: Request,
        lang: str = Lang,
        format: str = Format,
        actor: str | None = Query(None, max_length=64),
        action: str | None = Query(None, max_length=64),
        outcome: str | None = Query(None, pattern="^(ok|denied|failed)?$"),
        after: int = Query(0, ge=0),
    ) -> Response:
        v = VISITOR.get()
        if v is None:
            return go("/login", lang)
        who = v.principal
        filters = {"actor": actor or None, "action": action or None, "outcome": outcome or None}
        with session() as ep:
            try:
                if not who.can(Role.ADMIN):
                    ep.people.require(who, Role.ADMIN, None, "audit.read")  # refuses, audited
                rows = ep.audit.rows(
                    who,
                    actor=filters["actor"],
                    action=filters["action"],
                    outcome=filters["outcome"],
                    after_seq=after,
                    limit=PAGE + 1,
                )
                check = ep.audit.verify()
            except EcoplanError as exc:
                return refusal(request, exc, back="/me")
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        verification = {"ok": check.ok, "rows": check.rows, "broken_seq": check.broken_seq, "why": check.why}
        data = {
            "filters": filters,
            "rows": rows,
            "next_after": rows[-1]["seq"] if more and rows else None,
            "verify": verification,
        }
        shown = [{**r, "before": _shown(r.get("before")), "after": _shown(r.get("after"))} for r in rows]
        return respond(
            data,
            format,
            lambda: page(
                "account/audit.html",
                word("account.title.audit", lang),
                lang,
                request.url.path,
                rows=shown,
                filters=filters,
                outcomes=OUTCOMES,
                next_after=data["next_after"],
                verify=verification,
            ),
        )

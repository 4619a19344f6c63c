"""``/review``: a reviewer's queue in the browser (issue #12).

Each submission of the reviewer's region scope waiting for them (submitted, or
accepted and not yet published; never their own: :meth:`ecoplan.app.review.Review.queue`)
with its rows — every value beside the published one it would replace, marked as a
draft — and its buttons: accept, return with a comment, publish. Each button is a
form carrying the session's CSRF token; the app checks role, scope and state and
writes the audit row.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import Response

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import word
from ecoplan.kit.auth import SubmissionId
from ecoplan.web.account_common import go, refusal, signed_in, write
from ecoplan.web.common import VISITOR, Format, Lang, Session, lang_of, page, respond

__all__ = ["WEB_WRITES", "queue", "register"]

WEB_WRITES: dict[str, str] = {
    "/review/{sid}/decide": "reviewer",
    "/review/{sid}/publish": "reviewer",
}


def queue(ep: Ecoplan, who: Principal, lang: str) -> list[dict[str, Any]]:
    """The reviewer's queue, each values row with the published value beside it and
    each submission with its plan's title and its region's name."""
    out = []
    titles = {p.id: p.title.get(lang) for p in ep.plans()}
    for s in ep.review.queue(who):
        s = dict(s)
        s["plan_title"] = titles.get(s["plan_id"], s["plan_id"])
        s["region_name"] = ep.region(s["region"]).name(lang)
        if s["kind"] == "values":
            plan = ep.definition(s["plan_id"])
            names = {i.id: i.name.get(lang) for i in plan.indicators}
            published = {
                (str(v["indicator_id"]), str(v["region"]), int(v["year"])): v["value"]
                for v in ep.values(s["plan_id"], None)
            }
            s["rows"] = [
                {
                    **r,
                    "name": names.get(r["indicator"], r["indicator"]),
                    "published": published.get((r["indicator"], r["region"], int(r["year"]))),
                }
                for r in s["payload"]
            ]
        elif s["kind"] == "task":
            plan = ep.definition(s["plan_id"])
            texts = {t.id: t.text.get(lang) for t in plan.tasks}
            s["task_text"] = texts.get(s["payload"].get("task"), s["payload"].get("task"))
        out.append(s)
    return out


def register(app: FastAPI, session: Session) -> None:
    @app.get("/review", include_in_schema=False)
    def review_page(request: Request, lang: str = Lang, format: str = Format) -> Response:
        v = VISITOR.get()
        if v is None:
            return go("/login", lang)
        who = v.principal
        if not who.can(Role.REVIEWER):
            with session() as ep:
                try:
                    ep.review.queue(who)  # refuses, with its audit row
                except EcoplanError as exc:
                    return refusal(request, exc, back="/me")
        with session() as ep:
            items = queue(ep, who, lang)
        data = {"user": who.user, "region": who.region, "queue": items}
        return respond(
            data,
            format,
            lambda: page(
                "account/review.html", word("account.title.review", lang), lang, request.url.path, items=items
            ),
        )

    @app.post("/review/{sid}/decide", include_in_schema=False)
    def decide(
        request: Request,
        sid: SubmissionId,
        decision: Annotated[str, Form()] = "",
        comment: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        """Accept, or return with a comment, a submitted submission."""
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            write(request, lambda w: w.review.review(who, sid, decision, comment[:2000] or None))
        except EcoplanError as exc:
            return refusal(request, exc, back="/review")
        return go("/review", lang, done=sid)

    @app.post("/review/{sid}/publish", include_in_schema=False)
    def publish(request: Request, sid: SubmissionId, csrf: Annotated[str, Form()] = "") -> Response:
        """Publish an accepted submission: its values become public and are assessed."""
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            write(request, lambda w: w.review.publish(who, sid))
        except EcoplanError as exc:
            return refusal(request, exc, back="/review")
        return go("/review", lang, done=sid)

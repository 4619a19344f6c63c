"""The dashboard's account pages (issue #12): sign-in, sign-out and a reporter's
"my region" workspace, with the upload → preview → submit path for values files.

``/login`` signs in with a name and password (the API's rules: one message for an
unknown user and a wrong password, rate-limited, a 429 page while refused) and sets
the session cookie exactly as ``POST /api/v1/auth/login`` does; ``/logout`` ends the
session. ``/me`` shows what is due for the visitor's region (per plan, the indicators
with neither a published nor a pending value for the plan's latest year), what was
returned (with the reviewer's comment), their submissions and their states, the
upload form, and the task-progress form with evidence. An uploaded file is checked
and previewed exactly as ``ecoplan values import`` reads it; its bytes wait server
side (:mod:`ecoplan.web.uploads_cache`) until the visitor presses "submit".

The reviewer's queue is :mod:`ecoplan.web.account_review`, the audit page
:mod:`ecoplan.web.account_audit`. These routes are not in the OpenAPI document; the
role each write route needs is listed in :data:`WEB_WRITES` (the permission test
reads it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role, covers
from ecoplan.core.errors import EcoplanError, Forbidden, Unauthorized
from ecoplan.core.words import word
from ecoplan.ingest.uploads import MAX_EVIDENCE, MAX_VALUES_FILE
from ecoplan.kit.auth import SubmissionId
from ecoplan.web import account_admin, account_audit, account_review
from ecoplan.web.account_common import (
    PRIVATE,
    SESSION_COOKIE,
    auth_of,
    client_of,
    go,
    private,
    refusal,
    signed_in,
    visitor_for,
    write,
)
from ecoplan.web.common import VISITOR, Format, Lang, Session, lang_of, page, respond
from ecoplan.web.uploads_cache import UploadCache

__all__ = ["TASK_STATUSES", "WEB_WRITES", "Visitors", "register", "workspace"]

#: Every write route of the dashboard and the least role it needs ("anonymous": none).
WEB_WRITES: dict[str, str] = {
    "/login": "anonymous",
    "/logout": "viewer",
    "/me/upload": "reporter",
    "/me/submit": "reporter",
    "/me/task": "reporter",
    "/me/project": "reporter",
    "/me/withdraw/{sid}": "reporter",
    **account_review.WEB_WRITES,
    **account_admin.WEB_WRITES,
}
TASK_STATUSES = ("not_started", "in_progress", "done", "delayed")
_SAFE = ("GET", "HEAD")
_OWN = ("/api/", "/static/")
_EXPIRED = "account.upload.expired"


class Visitors:
    """ASGI middleware: for a dashboard request carrying the session cookie, resolve
    the visitor (GET/HEAD; a form post resolves itself with its CSRF token) into
    :data:`~ecoplan.web.common.VISITOR` for the page header, and make the answer
    ``Cache-Control: private, no-store``."""

    def __init__(self, app: ASGIApp, host: FastAPI) -> None:
        self.app, self.host = app, host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_OWN):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if SESSION_COOKIE not in request.cookies:
            await self.app(scope, receive, send)
            return
        visitor = None
        if scope["method"] in _SAFE:
            try:
                who = await run_in_threadpool(auth_of(request).resolve, request)
            except EcoplanError:  # a stale session reads as anonymous
                who = None
            if who is not None:
                visitor = visitor_for(who, getattr(request.state, "csrf", None))

        async def private_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers.append((b"cache-control", PRIVATE["Cache-Control"].encode()))
                message = {**message, "headers": headers}
            await send(message)

        token = VISITOR.set(visitor)
        try:
            await self.app(scope, receive, private_send)
        finally:
            VISITOR.reset(token)


def _plans_of(ep: Ecoplan, region: str) -> list[Any]:
    """Plans that bind ``region``: plans of a region above or equal to it, or inside it."""
    return [p for p in ep.plans() if covers(p.region, region) or covers(region, p.region)]


def _reporting_year(ep: Ecoplan, plan: Any, region: str, today: dt.date) -> int | None:
    """The year a plan's values are due for: its latest year with a value for the
    region (else its end), never a year not yet over; None before the plan starts."""
    year = min(ep.latest_assessed_year(plan.id, region), plan.end, today.year - 1)
    return year if year >= plan.start else None


def workspace(ep: Ecoplan, who: Principal, lang: str, today: dt.date | None = None) -> dict[str, Any]:
    """What the "my region" page shows ``who``: per plan binding their region, the
    reporting year and the indicators with no published or pending value for it; their
    returned submissions (with the comment); all their submissions; the tasks of the
    plans of their scope (for the progress form)."""
    today = today or dt.date.today()
    region = who.region
    mine = ep.review.listing(who, mine=True)
    pending = ep.review.listing(who, states=["submitted", "accepted"])
    due = []
    for plan in _plans_of(ep, region):
        year = _reporting_year(ep, plan, region, today)
        if year is None:
            continue
        published = {str(v["indicator_id"]) for v in ep.values(plan.id, region) if int(v["year"]) == year}
        submitted = {
            str(r["indicator"])
            for s in pending
            if s["kind"] == "values" and s["plan_id"] == plan.id
            for r in s["payload"]
            if r["region"] == region and int(r["year"]) == year
        }
        missing = [
            {"id": i.id, "name": i.name.get(lang), "unit": i.unit}
            for i in plan.indicators
            if i.id not in published and i.id not in submitted
        ]
        due.append(
            {
                "plan": plan.id,
                "title": plan.title.get(lang),
                "year": year,
                "indicators": len(plan.indicators),
                "published": len(published),
                "pending": len(submitted - published),
                "missing": missing,
            }
        )
    tasks = []
    for plan in ep.plans():
        if plan.tasks and covers(region, plan.region):
            for t in ep.tasks(plan.id):
                tasks.append(
                    {
                        "plan": plan.id,
                        "plan_title": plan.title.get(lang),
                        "id": t["id"],
                        "text": t["text_en"] if lang == "en" else t["text_zh"],
                        "due": t["due"],
                        "status": t["status"],
                    }
                )
    projects = [
        {
            "plan": p["plan_id"],
            "plan_title": next((x.title.get(lang) for x in ep.plans() if x.id == p["plan_id"]), p["plan_id"]),
            "id": p["id"],
            "name": p["name_en"] if lang == "en" and p["name_en"] else p["name_zh"],
            "progress_pct": p["progress_pct"],
        }
        for p in ep.projects()
        if covers(region, p["region"] or _plan_region(ep, p["plan_id"]))
    ]
    titles = {p.id: p.title.get(lang) for p in ep.plans()}
    for s in mine:
        s["plan_title"] = titles.get(s["plan_id"], s["plan_id"])
    return {
        "user": who.user,
        "role": who.role.value,
        "region": region,
        "due": due,
        "returned": [s for s in mine if s["state"] == "returned"],
        "submissions": mine,
        "tasks": tasks,
        "projects": projects,
    }


def _number(text: str, *, optional: bool = False) -> float | None:
    """A number typed into a form (``1,234.5`` accepted), or a worded error naming the field."""
    t = text.strip().replace(",", "")
    if not t and optional:
        return None
    try:
        value = float(t)
    except ValueError:
        raise EcoplanError.worded("account.form.not_a_number", text=text[:40]) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise EcoplanError.worded("account.form.not_a_number", text=text[:40])
    return value


def entered_csv(form: Any, region: str) -> bytes | None:
    """The values typed into the workspace's form (fields ``v|<plan>|<year>|<indicator>``)
    as the CSV a values file would hold, for ``region``; None when nothing was typed.
    Each text goes into the CSV as typed: the upload checks and the values reader judge it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["plan", "indicator", "region", "year", "value"])
    n = 0
    for key, value in form.multi_items():
        if not key.startswith("v|") or not isinstance(value, str) or not value.strip():
            continue
        parts = key.split("|")
        if len(parts) != 4:
            continue
        _, plan, year, indicator = parts
        writer.writerow([plan, indicator, region, year, value.strip()])
        n += 1
    return out.getvalue().encode("utf-8") if n else None


def _plan_region(ep: Ecoplan, plan_id: str) -> str:
    return ep.definition(plan_id).region


def _names(ep: Ecoplan, plan_id: str, lang: str) -> dict[str, str]:
    return {i.id: i.name.get(lang) for i in ep.definition(plan_id).indicators}


def register(app: FastAPI, session: Session) -> None:
    """Add the account pages, the reviewer's queue and the audit page to ``app``."""
    uploads = UploadCache()
    app.add_middleware(Visitors, host=app)

    # -- sign-in -------------------------------------------------------------------
    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, lang: str = Lang) -> Response:
        return page(
            "account/login.html",
            word("account.title.login", lang),
            lang,
            request.url.path,
            failed=None,
            user_name="",
        )

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        name: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
    ) -> Response:
        lang = lang_of(request)
        auth, source = auth_of(request), client_of(request)

        def go_in(w: Ecoplan) -> tuple[str, str]:
            who = auth.signin(w, name[:200], password[:1000], source)
            return w.people.open_session(who)

        try:
            sid, _ = write(request, go_in)
        except EcoplanError as exc:
            if not isinstance(exc, Unauthorized):
                return refusal(request, exc, back="/login")
            failed = page(
                "account/login.html",
                word("account.title.login", lang),
                lang,
                request.url.path,
                failed=exc.message(lang),
                user_name=name[:200],
            )
            failed.status_code = 401
            return private(failed)
        resp = go("/me", lang)
        resp.set_cookie(
            SESSION_COOKIE,
            sid,
            httponly=True,
            samesite="lax",
            secure=auth.secure_cookies,
            max_age=12 * 3600,
            path="/",
        )
        return resp

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            sid = request.cookies.get(SESSION_COOKIE, "")
            write(request, lambda w: w.people.close_session(sid, who))
        except EcoplanError as exc:
            return refusal(request, exc)
        VISITOR.set(None)
        resp = go("/", lang)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # -- my region -------------------------------------------------------------------
    @app.get("/me", include_in_schema=False)
    def me(request: Request, lang: str = Lang, format: str = Format, done: int | None = None) -> Response:
        v = VISITOR.get()
        if v is None:
            return go("/login", lang)
        who = v.principal
        with session() as ep:
            data = workspace(ep, who, lang)
        return respond(
            data,
            format,
            lambda: page(
                "account/me.html",
                word("account.title.me", lang),
                lang,
                request.url.path,
                data=data,
                done=done,
                can_report=who.can(Role.REPORTER),
                statuses=TASK_STATUSES,
                max_mb=MAX_VALUES_FILE // 1_000_000,
                max_evidence_mb=MAX_EVIDENCE // 1_000_000,
            ),
        )

    async def _read(upload: UploadFile, limit: int) -> tuple[str, bytes]:
        data = await upload.read(limit + 1)
        name = (upload.filename or "upload")[:200]
        if len(data) > limit:
            raise EcoplanError.worded("account.upload.too_large", file=name, mb=limit // 1_000_000)
        return name, data

    @app.post("/me/upload", include_in_schema=False)
    async def upload(
        request: Request,
        file: Annotated[UploadFile | None, File()] = None,
        csrf: Annotated[str, Form()] = "",
        resubmit: Annotated[int | None, Form()] = None,
    ) -> Response:
        """Check an uploaded values file and show what submitting it would change."""
        lang = lang_of(request)
        try:
            who = await run_in_threadpool(signed_in, request, csrf)
            VISITOR.set(visitor_for(who, getattr(request.state, "csrf", None)))  # this context too
            if file is not None and file.filename:
                name, data = await _read(file, MAX_VALUES_FILE)
            else:  # values typed into the workspace's form: the same checks as a file
                entered = entered_csv(await request.form(), who.region)
                if entered is None:
                    raise EcoplanError.worded("account.upload.no_file")
                name, data = word("account.me.form_file", lang), entered

            def check(w: Ecoplan) -> dict[str, Any]:
                preview = w.review.preview(who, name, data)
                if resubmit is not None:  # only its author corrects it, with values of its plan
                    s = w.review.get(who, resubmit)
                    if s["author"] != who.user:
                        raise Forbidden.worded("review.error.not_author", id=resubmit)
                    if s["plan_id"] != preview["plan"]:
                        raise EcoplanError.worded(
                            "review.error.other_plan", id=resubmit, plan=s["plan_id"], got=preview["plan"]
                        )
                names = _names(w, preview["plan"], lang)
                for r in preview["rows"]:
                    r["name"] = names.get(r["indicator"], r["indicator"])
                preview["plan_title"] = w.definition(preview["plan"]).title.get(lang)
                preview["region_name"] = w.region(preview["region"]).name(lang)
                return preview

            preview = await run_in_threadpool(write, request, check)
        except EcoplanError as exc:
            return refusal(request, exc, back="/me")
        key = uploads.put(who.user, name, data, resubmit)
        return private(
            page(
                "account/preview.html",
                word("account.title.preview", lang),
                lang,
                request.url.path,
                preview=preview,
                upload=key,
                resubmit=resubmit,
            )
        )

    @app.post("/me/submit", include_in_schema=False)
    def submit(
        request: Request, upload: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
    ) -> Response:
        """Submit the previewed file (or the corrected file of a returned submission)."""
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            u = uploads.get(who.user, upload)
            if u is None:
                raise EcoplanError.worded(_EXPIRED)
            rs = u.resubmit
            if rs is None:
                s = write(request, lambda w: w.review.submit_values(who, u.name, u.data))
            else:
                s = write(request, lambda w: w.review.resubmit(who, rs, u.name, u.data))
        except EcoplanError as exc:
            return refusal(request, exc, back="/me")
        uploads.drop(upload)
        return go("/me", lang, done=s["id"])

    @app.post("/me/task", include_in_schema=False)
    async def task(
        request: Request,
        task: Annotated[str, Form()] = "",
        status: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
        evidence_text: Annotated[str, Form()] = "",
        evidence_link: Annotated[str, Form()] = "",
        evidence_file: Annotated[UploadFile | None, File()] = None,
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        """Task progress with evidence: text, a link or a file (type-checked, ≤ 10 MB)."""
        lang = lang_of(request)
        try:
            who = await run_in_threadpool(signed_in, request, csrf)
            VISITOR.set(visitor_for(who, getattr(request.state, "csrf", None)))  # this context too
            plan_id, _, task_id = task.partition("/")
            ev = None
            if evidence_file is not None and evidence_file.filename:
                ev = await _read(evidence_file, MAX_EVIDENCE)
            s = await run_in_threadpool(
                write,
                request,
                lambda w: w.review.submit_task(
                    who,
                    plan_id,
                    task_id,
                    status,
                    note=note[:2000] or None,
                    evidence_text=evidence_text[:2000] or None,
                    evidence_link=evidence_link[:2000] or None,
                    evidence_file=ev,
                ),
            )
        except EcoplanError as exc:
            return refusal(request, exc, back="/me")
        return go("/me", lang, done=s["id"])

    @app.post("/me/project", include_in_schema=False)
    def project(
        request: Request,
        project: Annotated[str, Form()] = "",
        progress: Annotated[str, Form()] = "",
        investment: Annotated[str, Form()] = "",
        milestone: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        """Key-project progress: completion %, investment to date (亿元), the milestone reached."""
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            plan_id, _, project_id = project.partition("/")
            pct, money = _number(progress), _number(investment, optional=True)
            s = write(
                request,
                lambda w: w.review.submit_project(
                    who,
                    plan_id,
                    project_id,
                    progress_pct=pct if pct is not None else -1.0,
                    investment=money,
                    milestone=milestone[:500] or None,
                    note=note[:2000] or None,
                ),
            )
        except EcoplanError as exc:
            return refusal(request, exc, back="/me")
        return go("/me", lang, done=s["id"])

    @app.post("/me/withdraw/{sid}", include_in_schema=False)
    def withdraw(request: Request, sid: SubmissionId, csrf: Annotated[str, Form()] = "") -> Response:
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            write(request, lambda w: w.review.withdraw(who, sid))
        except EcoplanError as exc:
            return refusal(request, exc, back="/me")
        return go("/me", lang)

    account_review.register(app, session)
    account_admin.register(app, session)
    account_audit.register(app, session)

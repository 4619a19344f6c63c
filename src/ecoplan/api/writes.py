"""The write routes of ``/api/v1`` (issue #12): sign-in, submissions and their review,
plan edits, decomposed targets, accounts and tokens.

Every route here names the role it needs (``x-ecoplan-role`` in its OpenAPI operation)
and runs through the app's single writer; the app checks the region scope and writes
the audit row in the same transaction as the write (:mod:`ecoplan.app.review`,
:mod:`ecoplan.app.people`). Answers to signed-in callers are ``Cache-Control: private,
no-store``. Internal reads (submissions, the audit log, evidence) live here too: they
need a principal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role, covers
from ecoplan.core.errors import EcoplanError
from ecoplan.ingest.uploads import MAX_EVIDENCE, MAX_VALUES_FILE
from ecoplan.kit.auth import SESSION_COOKIE, Auth, SubmissionId, client_of, role_extra
from ecoplan.plans.serialize import plan_to_mapping

__all__ = ["MAX_UPLOAD", "router"]

#: The largest request body of an upload route (the file plus the form around it).
MAX_UPLOAD = MAX_EVIDENCE + 100_000
_PRIVATE = {"Cache-Control": "private, no-store"}


def private(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(_jsonable(data), status, headers=_PRIVATE)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items() if k != "content"}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v


class Login(BaseModel):
    name: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class ReviewDecision(BaseModel):
    decision: str = Field(pattern="^(accept|return)$")
    comment: str | None = Field(None, max_length=2000)


class ProjectProgress(BaseModel):
    plan: str = Field(max_length=200)
    project: str = Field(max_length=200)
    progress_pct: float = Field(ge=0, le=100)
    investment: float | None = Field(None, ge=0, le=1e9)
    milestone: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=2000)


class NewUser(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(min_length=1, max_length=1000)
    role: Role
    region: str = Field(pattern=r"^\d{6}$")
    display: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=320)


class NewToken(BaseModel):
    role: Role | None = None
    region: str | None = Field(None, pattern=r"^\d{6}$")
    days: int = Field(90, ge=1, le=366)
    label: str | None = Field(None, max_length=200)
    user: str | None = Field(None, max_length=64)


def _reader(app_of: Callable[[], Ecoplan]) -> Callable[[UploadFile, int, Principal], Any]:
    async def read(upload: UploadFile, limit: int, who: Principal) -> tuple[str, bytes]:
        """The upload's name and bytes; an oversized file is refused (and audited) unread."""
        data = await upload.read(limit + 1)
        name = (upload.filename or "upload")[:200]
        if len(data) > limit:
            app_of().audit.denied(who, "upload", f"over {limit} bytes", target=name)
            raise EcoplanError.worded("api.upload.too_large", file=name, limit=limit)
        return name, data

    return read


def router(app_of: Callable[[], Ecoplan], auth: Auth) -> APIRouter:
    """The write routes over the app ``app_of()`` (the server's own), with ``auth``."""
    r = APIRouter()
    _read = _reader(app_of)

    as_reporter = Depends(auth.role(Role.REPORTER))
    as_reviewer = Depends(auth.role(Role.REVIEWER))
    as_admin = Depends(auth.role(Role.ADMIN))

    def write(fn: Callable[[Ecoplan], Any]) -> Any:
        with app_of().writer() as w:
            return fn(w)

    # -- sign-in -----------------------------------------------------------------------
    @r.post("/auth/login", tags=["accounts"], openapi_extra=role_extra("anonymous"))
    def login(request: Request, body: Login) -> Response:
        """Sign in with a name and password: sets the session cookie and answers the CSRF
        token to send as ``X-CSRF-Token`` with every write of this session."""
        source = client_of(request)

        def go(w: Ecoplan) -> tuple[Principal, str, str]:
            who = auth.signin(w, body.name, body.password, source)
            sid, csrf = w.people.open_session(who)
            return who, sid, csrf

        who, sid, csrf = write(go)
        resp = private({"user": who.user, "role": who.role.value, "region": who.region, "csrf": csrf})
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

    @r.post("/auth/logout", tags=["accounts"], openapi_extra=role_extra("viewer"))
    def logout(request: Request, who: Principal = Depends(auth.writer)) -> Response:
        """End this web session (a token-authenticated caller has none: 400)."""
        sid = request.cookies.get(SESSION_COOKIE)
        if who.via != "session" or not sid:
            raise EcoplanError.worded("api.auth.no_session")
        write(lambda w: w.people.close_session(sid, who))
        resp = private({"signed_out": who.user})
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    @r.get("/me", tags=["accounts"])
    def me(request: Request, who: Principal = Depends(auth.required)) -> Response:
        """Who the caller is: name, role, region scope, how they signed in."""
        return private(
            {
                "user": who.user,
                "role": who.role.value,
                "region": who.region,
                "via": who.via,
                "token": who.token_id,
                "csrf": getattr(request.state, "csrf", None),
            }
        )

    # -- submissions ---------------------------------------------------------------------
    @r.post(
        "/submissions/values/preview",
        tags=["submissions"],
        openapi_extra=role_extra("reporter", audit=False),
    )
    async def preview_values(
        file: Annotated[UploadFile, File(description="CSV or XLSX, the columns of `ecoplan values import`")],
        who: Principal = as_reporter,
    ) -> Response:
        """What submitting the file would change, row by row; nothing is stored."""
        name, data = await _read(file, MAX_VALUES_FILE, who)
        with app_of().writer() as w:
            return private(w.review.preview(who, name, data))

    @r.post(
        "/submissions/values", tags=["submissions"], openapi_extra=role_extra("reporter"), status_code=201
    )
    async def submit_values(
        file: Annotated[UploadFile, File(description="CSV or XLSX, the columns of `ecoplan values import`")],
        who: Principal = as_reporter,
    ) -> Response:
        """Submit a values file for review (state ``submitted``)."""
        name, data = await _read(file, MAX_VALUES_FILE, who)
        with app_of().writer() as w:
            return private(w.review.submit_values(who, name, data), 201)

    @r.put("/submissions/{sid}/values", tags=["submissions"], openapi_extra=role_extra("reporter"))
    async def resubmit_values(
        sid: SubmissionId,
        file: Annotated[UploadFile, File(description="the corrected CSV or XLSX")],
        who: Principal = as_reporter,
    ) -> Response:
        """The author replaces the values of a returned submission; it is submitted again."""
        name, data = await _read(file, MAX_VALUES_FILE, who)
        with app_of().writer() as w:
            return private(w.review.resubmit(who, sid, name, data))

    @r.post("/submissions/tasks", tags=["submissions"], openapi_extra=role_extra("reporter"), status_code=201)
    async def submit_task(
        plan: Annotated[str, Form(max_length=200)],
        task: Annotated[str, Form(max_length=200)],
        status: Annotated[str, Form(max_length=40)],
        who: Principal = as_reporter,
        note: Annotated[str | None, Form(max_length=2000)] = None,
        evidence_text: Annotated[str | None, Form(max_length=2000)] = None,
        evidence_link: Annotated[str | None, Form(max_length=2000)] = None,
        evidence_file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        """Task progress with evidence (text, a link, or a PDF/image/document ≤ 10 MB)."""
        ev = await _read(evidence_file, MAX_EVIDENCE, who) if evidence_file is not None else None
        with app_of().writer() as w:
            s = w.review.submit_task(
                who,
                plan,
                task,
                status,
                note=note,
                evidence_text=evidence_text,
                evidence_link=evidence_link,
                evidence_file=ev,
            )
            return private(s, 201)

    @r.post(
        "/submissions/projects", tags=["submissions"], openapi_extra=role_extra("reporter"), status_code=201
    )
    def submit_project(body: ProjectProgress, who: Principal = as_reporter) -> Response:
        """Key-project progress: completion %, investment to date (亿元), milestone."""
        return private(
            write(
                lambda w: w.review.submit_project(
                    who,
                    body.plan,
                    body.project,
                    progress_pct=body.progress_pct,
                    investment=body.investment,
                    milestone=body.milestone,
                    note=body.note,
                )
            ),
            201,
        )

    @r.post("/submissions/{sid}/review", tags=["submissions"], openapi_extra=role_extra("reviewer"))
    def review(sid: SubmissionId, body: ReviewDecision, who: Principal = as_reviewer) -> Response:
        """Accept, or return with a comment, a submitted submission (not one's own)."""
        return private(write(lambda w: w.review.review(who, sid, body.decision, body.comment)))

    @r.post("/submissions/{sid}/publish", tags=["submissions"], openapi_extra=role_extra("reviewer"))
    def publish(sid: SubmissionId, who: Principal = as_reviewer) -> Response:
        """Publish an accepted submission: its values become public and are assessed."""
        return private(write(lambda w: w.review.publish(who, sid)))

    @r.post("/submissions/{sid}/withdraw", tags=["submissions"], openapi_extra=role_extra("reporter"))
    def withdraw(sid: SubmissionId, who: Principal = as_reporter) -> Response:
        """The author withdraws a submitted or returned submission."""
        return private(write(lambda w: w.review.withdraw(who, sid)))

    @r.get("/submissions", tags=["submissions"])
    def submissions(
        who: Principal = Depends(auth.required),
        state: str | None = Query(None, pattern="^(submitted|returned|accepted|published|withdrawn)$"),
        mine: bool = False,
        plan: str | None = None,
    ) -> Response:
        """Submissions in the caller's scope (or their own: ``?mine=true``), newest first."""
        with app_of().writer() as w:
            rows = w.review.listing(who, states=[state] if state else None, mine=mine, plan_id=plan)
        return private({"items": rows, "total": len(rows)})

    @r.get("/submissions/{sid}", tags=["submissions"])
    def submission(sid: SubmissionId, who: Principal = Depends(auth.required)) -> Response:
        """One submission with its events (who did what, when, with which comment)."""
        with app_of().writer() as w:
            return private(w.review.get(who, sid))

    @r.get("/evidence/{sha256}", tags=["submissions"])
    def evidence(sha256: str, who: Principal = Depends(auth.required)) -> Response:
        """An evidence file (as uploaded, with its checked media type)."""
        with app_of().writer() as w:
            e = w.review.evidence(who, sha256)
        return Response(
            e["content"],
            media_type=e["media_type"],
            headers={**_PRIVATE, "Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"},
        )

    # -- plans and targets -----------------------------------------------------------------
    @r.get("/plans/{plan_id}/definition", tags=["plans"])
    def plan_definition(plan_id: str) -> Response:
        """The plan in its file format (``docs/plan-format.md``): what ``PUT /api/v1/plans/{id}``
        takes back, edited, as the plan's next version."""
        with app_of().reader() as ep:
            return JSONResponse(_jsonable(plan_to_mapping(ep.definition(plan_id))))

    @r.put("/plans/{plan_id}", tags=["plans"], openapi_extra=role_extra("admin"))
    def edit_plan(
        plan_id: str,
        definition: Annotated[
            dict[str, Any], Body(description="the plan, as `GET /api/v1/plans/{id}/definition` gives it")
        ],
        who: Principal = as_admin,
    ) -> Response:
        """Store a new version of a plan (the replaced one is kept; assessments name the version)."""
        return private(write(lambda w: w.editing.edit_plan(who, plan_id, definition)))

    @r.post("/decompositions", tags=["plans"], openapi_extra=role_extra("admin"))
    async def decompositions(
        file: Annotated[UploadFile, File(description="CSV or XLSX, the columns of `ecoplan targets import`")],
        who: Principal = as_admin,
    ) -> Response:
        """Store decomposed targets (逐级分解) for regions in the caller's scope."""
        name, data = await _read(file, MAX_VALUES_FILE, who)
        with app_of().writer() as w:
            return private(w.editing.import_decompositions(who, name, data))

    # -- accounts and tokens -------------------------------------------------------------------
    @r.post("/users", tags=["accounts"], openapi_extra=role_extra("admin"), status_code=201)
    def add_user(body: NewUser, who: Principal = as_admin) -> Response:
        """Create an account in the caller's scope, with a role up to the caller's."""
        return private(
            write(
                lambda w: w.people.add_user(
                    who,
                    body.name,
                    body.password,
                    body.role,
                    body.region,
                    display=body.display,
                    email=body.email,
                )
            ),
            201,
        )

    @r.post("/users/{name}/disable", tags=["accounts"], openapi_extra=role_extra("admin"))
    def disable_user(name: str, who: Principal = as_admin) -> Response:
        """Disable an account: its sessions end and its tokens stop working."""
        write(lambda w: w.people.set_disabled(who, name, True))
        return private({"user": name, "disabled": True})

    @r.get("/users", tags=["accounts"])
    def users(who: Principal = Depends(auth.required)) -> Response:
        """Accounts in the caller's scope (admins)."""
        with app_of().writer() as w:
            w.people.require(who, Role.ADMIN, None, "user.list")
            rows = [u for u in w.people.users() if covers(who.region, u["region"])]
        return private({"items": rows, "total": len(rows)})

    @r.post("/tokens", tags=["accounts"], openapi_extra=role_extra("viewer"), status_code=201)
    def issue_token(body: NewToken, who: Principal = Depends(auth.writer)) -> Response:
        """Issue an API token (shown once): at most the owner's role and region, expiring."""
        rec, text = write(
            lambda w: w.people.issue_token(
                who, user=body.user, role=body.role, region=body.region, days=body.days, label=body.label
            )
        )
        return private({**rec, "token": text}, 201)

    @r.delete("/tokens/{token_id}", tags=["accounts"], openapi_extra=role_extra("viewer"))
    def revoke_token(token_id: str, who: Principal = Depends(auth.writer)) -> Response:
        """Revoke a token (one's own; an admin any in scope)."""
        write(lambda w: w.people.revoke_token(who, token_id))
        return private({"token": token_id, "revoked": True})

    @r.get("/tokens", tags=["accounts"])
    def tokens(who: Principal = Depends(auth.required), user: str | None = None) -> Response:
        with app_of().writer() as w:
            rows = w.people.tokens(who, user)
        return private({"items": rows, "total": len(rows)})

    # -- audit ----------------------------------------------------------------------------------
    @r.get("/audit", tags=["audit"])
    def audit(
        who: Principal = Depends(auth.required),
        actor: str | None = None,
        action: str | None = None,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        outcome: str | None = Query(None, pattern="^(ok|denied|failed)$"),
        after_seq: int = Query(0, ge=0),
        limit: int = Query(200, ge=1, le=1000),
    ) -> Response:
        """The audit log (admins; rows of their scope), oldest first from ``after_seq``."""
        with app_of().writer() as w:
            rows = w.audit.rows(
                who,
                actor=actor,
                action=action,
                region=region,
                outcome=outcome,
                after_seq=after_seq,
                limit=limit,
            )
        nxt = str(rows[-1]["seq"]) if len(rows) == limit else None
        return private({"items": rows, "next_after_seq": nxt})

    @r.get("/audit/verify", tags=["audit"])
    def audit_verify(who: Principal = Depends(auth.required)) -> Response:
        """Recompute the hash chain: rows checked, head hash, the first broken row."""
        with app_of().writer() as w:
            w.people.require(who, Role.ADMIN, None, "audit.verify")
            v = w.audit.verify()
        return private({"ok": v.ok, "rows": v.rows, "head": v.head, "broken_seq": v.broken_seq, "why": v.why})

    return r

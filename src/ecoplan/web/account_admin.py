"""``/manage/…``: what an admin edits in the browser (issue #12) — a plan, as a new version,
and decomposed targets.

``/manage/plans/{id}`` shows the plan in its file format (YAML, ``docs/plan-format.md``)
in a text box, with its earlier versions; saving stores the next version through
:meth:`ecoplan.app.editing.Editing.edit_plan` (the old one is kept; every problem of the
text is listed, nothing is stored). ``/manage/targets`` takes a decomposition file (the
columns of ``ecoplan targets import``) for regions of the admin's scope. Both are forms
with the session's CSRF token; the app checks role and scope and writes the audit row.
"""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ecoplan.core.access import Role
from ecoplan.core.errors import EcoplanError, InputFileError, Problem
from ecoplan.core.words import word
from ecoplan.ingest.uploads import MAX_VALUES_FILE
from ecoplan.plans.serialize import plan_to_mapping
from ecoplan.web.account_common import go, private, refusal, signed_in, write
from ecoplan.web.common import VISITOR, Format, Lang, Session, lang_of, page, respond

__all__ = ["MAX_PLAN_TEXT", "WEB_WRITES", "register"]

WEB_WRITES: dict[str, str] = {
    "/manage/plans/{plan_id}": "admin",
    "/manage/targets": "admin",
}
#: The longest plan definition the form takes (characters).
MAX_PLAN_TEXT = 2_000_000


def _plan_text(definition: Any) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


def register(app: FastAPI, session: Session) -> None:
    @app.get("/manage/plans/{plan_id}", include_in_schema=False)
    def plan_form(request: Request, plan_id: str, lang: str = Lang, format: str = Format) -> Response:
        """The plan as YAML in a form (admins whose scope covers the plan's region)."""
        v = VISITOR.get()
        if v is None:
            return go("/login", lang)
        with session() as ep:
            plan = ep.definition(plan_id)
            try:
                ep.people.require(v.principal, Role.ADMIN, plan.region, "plan.edit")
            except EcoplanError as exc:
                return refusal(request, exc, back=f"/plans/{plan_id}")
            text = _plan_text(plan_to_mapping(plan))
            version = ep.plan_version(plan_id)
            versions = [
                {"version": x["version"], "saved_at": x["saved_at"], "actor": x["actor"]}
                for x in ep.plan_versions(plan_id)
            ]
        data = {"plan": plan_id, "version": version, "versions": versions, "definition": text}
        return private(
            respond(
                data,
                format,
                lambda: page(
                    "account/plan_edit.html",
                    word("account.manage.plan_title", lang, plan=plan.title.get(lang)),
                    lang,
                    request.url.path,
                    plan=plan_id,
                    plan_title=plan.title.get(lang),
                    version=version,
                    versions=versions,
                    text=text,
                    max_chars=MAX_PLAN_TEXT,
                ),
            )
        )

    @app.post("/manage/plans/{plan_id}", include_in_schema=False)
    def plan_save(
        request: Request,
        plan_id: str,
        definition: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        """Store the edited text as the plan's next version."""
        lang = lang_of(request)
        try:
            who = signed_in(request, csrf)
            if len(definition) > MAX_PLAN_TEXT:
                raise InputFileError(plan_id, f"the text is over {MAX_PLAN_TEXT} characters")
            try:
                mapping = yaml.safe_load(definition)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                row = mark.line + 1 if mark is not None else None
                raise InputFileError(plan_id, [Problem(plan_id, f"not YAML: {exc}", row=row)]) from None
            res = write(request, lambda w: w.editing.edit_plan(who, plan_id, mapping))
        except EcoplanError as exc:
            return refusal(request, exc, back=f"/manage/plans/{plan_id}")
        return go(f"/manage/plans/{plan_id}", lang, saved=res["version"] if res["changed"] else None)

    @app.get("/manage/targets", include_in_schema=False)
    def targets_form(request: Request, lang: str = Lang) -> Response:
        """The form for a decomposition file (admins)."""
        v = VISITOR.get()
        if v is None:
            return go("/login", lang)
        if not v.principal.can(Role.ADMIN):
            with session() as ep:
                try:
                    ep.people.require(v.principal, Role.ADMIN, None, "decomposition.import")
                except EcoplanError as exc:
                    return refusal(request, exc, back="/me")
        return private(
            page(
                "account/targets.html",
                word("account.manage.targets_title", lang),
                lang,
                request.url.path,
                max_mb=MAX_VALUES_FILE // 1_000_000,
            )
        )

    @app.post("/manage/targets", include_in_schema=False)
    async def targets_save(
        request: Request,
        file: Annotated[UploadFile | None, File()] = None,
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        """Store the decomposed targets of an uploaded file (all or nothing)."""
        lang = lang_of(request)
        try:
            who = await run_in_threadpool(signed_in, request, csrf)
            if file is None or not file.filename:
                raise EcoplanError.worded("account.upload.no_file")
            data = await file.read(MAX_VALUES_FILE + 1)
            name = file.filename[:200]
            if len(data) > MAX_VALUES_FILE:
                raise EcoplanError.worded(
                    "account.upload.too_large", file=name, mb=MAX_VALUES_FILE // 1_000_000
                )
            res = await run_in_threadpool(
                write, request, lambda w: w.editing.import_decompositions(who, name, data)
            )
        except EcoplanError as exc:
            return refusal(request, exc, back="/manage/targets")
        return go(
            "/manage/targets", lang, stored=res["inserted"] + res["revised"], unchanged=res["unchanged"]
        )

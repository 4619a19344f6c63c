"""What every dashboard page shares: the language and format parameters, the store
session, rendering a page with the catalog's words, the JSON twin, and names for ids.

Every word a page shows comes from the catalog (:mod:`ecoplan.core.words`): templates
get ``w`` (``w("header.status")``), code uses :mod:`ecoplan.reports.labels` (statuses,
units, sources, targets) so a status reads the same on a page and in a report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal
from ecoplan.core.words import Words
from ecoplan.web.templating import render

__all__ = [
    "VISITOR",
    "Format",
    "Lang",
    "Session",
    "Visitor",
    "lang_of",
    "page",
    "plan_titles",
    "respond",
    "session_of",
]

Session = Callable[[], AbstractContextManager[Ecoplan]]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")


@dataclass(frozen=True)
class Visitor:
    """A signed-in visitor as the page header shows them: the principal, the session's
    CSRF token (for the sign-out form) and the name of their region."""

    principal: Principal
    csrf: str | None
    region_zh: str
    region_en: str

    def region(self, lang: str) -> str:
        return self.region_en if lang == "en" and self.region_en else self.region_zh


#: The signed-in visitor of the request being answered, None for an anonymous one. Set
#: by the account pages' middleware (:mod:`ecoplan.web.account`) from the session cookie.
VISITOR: ContextVar[Visitor | None] = ContextVar("ecoplan_web_visitor", default=None)


def session_of(app: FastAPI) -> Session:
    """The app's snapshot reader (``state.reader`` of :func:`ecoplan.api.create_app`)."""
    reader: Session | None = getattr(app.state, "reader", None)
    if reader is None:
        raise TypeError("register(app): app must come from ecoplan.api.create_app (it owns the store)")
    return reader


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "zh"


def page(template: str, title: str | None, lang: str, path: str, **context: Any) -> HTMLResponse:
    """A dashboard page: ``template`` (extending ``base.html``) rendered with ``context``
    (``visitor``: the signed-in :class:`Visitor` the header shows, by default the
    request's :data:`VISITOR`)."""
    context.setdefault("visitor", VISITOR.get())
    return HTMLResponse(render(template, title=title, lang=lang, path=path, w=Words(lang), **context))


def respond(data: dict[str, Any], fmt: str, html: Callable[[], HTMLResponse]) -> Response:
    """The page's JSON twin (``?format=json``) or the page."""
    if fmt == "json":
        return JSONResponse(json.loads(json.dumps(data, ensure_ascii=False, default=str)))
    return html()


def plan_titles(ep: Ecoplan, lang: str) -> dict[str, str]:
    """Every plan's title in ``lang``, by id."""
    return {p.id: p.title.get(lang) for p in ep.plans()}


def indicator_names(ep: Ecoplan, plan_id: str, lang: str) -> dict[str, tuple[str, str]]:
    """(name in ``lang``, unit) of every indicator of ``plan_id``, by id."""
    return {i.id: (i.name.get(lang), i.unit) for i in ep.definition(plan_id).indicators}

"""The risk pages of the domain's own (``Domain.web``), mounted by the web shell at
``/risk/…`` with the dashboard's layout and language switch, each with its JSON twin:

``/risk/``
    The risk sources with their levels (most severe first; ``?region=``, ``?level=``) and
    the emergency plans overdue for review on the day (``?as_of=``).
``/risk/sources/{source_id}``
    One source: its grading (air and water: Q, M, E, level) with every step's evidence,
    and its plans.

The incident page (``pages_incident``) is mounted here when its module is present.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ecoplan.core.words import Words, word
from ecoplan.risk.clock import local_now
from ecoplan.risk.pages import LEVEL_ORDER, summary
from ecoplan.risk.standards.hj941_text import basis, describe

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")
Region: Any = Query(None, pattern=r"^\d{6}$")
Level: Any = Query(None, pattern="^(general|larger|major)$")


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The risk pages, each reading through ``session()``."""
    router = APIRouter()

    @router.get("/")
    def risk_home(
        lang: str = Lang,
        format: str = Format,
        region: str | None = Region,
        level: str | None = Level,
        as_of: dt.date | None = None,
    ) -> Response:
        day = as_of or local_now().date()
        with session() as ep:
            sources = ep.risk.sources(region, level)
            plans = ep.risk.plans(overdue=True, as_of=day)
            s = summary(ep, day)
            names = {r["code"]: ep.region(r["code"]).name(lang) for r in _regions(sources)}
        sources.sort(key=lambda r: (_rank(r["level"]), str(r["source_id"])))
        rows = [{k: _plain(v) for k, v in r.items()} for r in sources]
        plan_rows = [{k: _plain(v) for k, v in p.items()} for p in plans]
        data = {"as_of": day.isoformat(), "summary": s, "sources": rows, "plans_overdue": plan_rows}
        query = "&".join(f"{k}={v}" for k, v in (("region", region), ("level", level), ("as_of", as_of)) if v)
        return render(
            "risk/sources.html",
            word("risk.web.title", lang),
            lang,
            "/risk/" + (f"?{query}" if query else ""),
            data,
            format,
            sources=rows,
            plans=plan_rows,
            s=s,
            levels=LEVEL_ORDER,
            region_names=names,
            as_of=day.isoformat(),
        )

    @router.get("/sources/{source_id}")
    def risk_source(source_id: str, lang: str = Lang, format: str = Format) -> Response:
        with session() as ep:
            src = ep.risk.source(source_id)
        row = {k: _plain(v) for k, v in src.items()}
        row["plans"] = [{k: _plain(v) for k, v in p.items()} for p in src["plans"]]
        grade = src.get("grade")
        steps = _steps(grade, lang) if grade else []
        return render(
            "risk/source.html",
            str(src["name"]),
            lang,
            f"/risk/sources/{source_id}",
            row,
            format,
            src=row,
            grade=grade,
            steps=steps,
        )

    if importlib.util.find_spec("ecoplan.risk.pages_incident") is not None:
        router.include_router(importlib.import_module("ecoplan.risk.pages_incident").routes(session, render))
    return router


def _regions(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"code": c} for c in sorted({str(r["region"]) for r in rows if r.get("region")})]


def _steps(grade: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The grading's evidence as sentences (the CLI's wording), with the unconfirmed flag."""
    w = Words(lang)
    return [
        {
            "text": describe(e, w),
            "basis": basis(str(e.get("basis", "")), w),
            "confirmed": e.get("confirmed", True),
        }
        for e in grade.get("evidence", [])
    ]

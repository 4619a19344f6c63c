"""The dispatch views: ``/warnings`` (every region's warnings, most severe first),
``/rankings`` (regions ranked within their level, and each domain's ranking) and
``/tasks`` (the plans' key tasks and their deadlines)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from ecoplan.core.words import word
from ecoplan.reports import labels
from ecoplan.web.common import Format, Lang, Session, page, plan_titles, respond
from ecoplan.web.sections import domain_sections, section_html

__all__ = ["register"]

LEVELS_PATTERN = "^(province|prefecture|county)(,(province|prefecture|county))*$"
#: Warnings on one page.
PAGE_SIZE = 200


def register(app: FastAPI, session: Session) -> None:
    @app.get("/warnings", include_in_schema=False)
    def warnings_page(
        request: Request,
        lang: str = Lang,
        format: str = Format,
        year: int | None = None,
        level: str | None = Query(None, pattern="^(red|amber|watch)$"),
        region_level: str | None = Query(None, pattern="^(province|prefecture|county)$"),
        page_no: int = Query(1, ge=1, alias="page"),
    ) -> Response:
        """Dispatch view: the warnings the region pages show, for ``year`` (default: each
        region's latest year with a value), most severe first, 200 a page."""
        size = PAGE_SIZE
        with session() as ep:
            wp = ep.warnings(
                year=year, level=level, region_level=region_level, offset=(page_no - 1) * size, limit=size
            )
        items = wp.items
        pages = max(1, -(-wp.total // size))

        def link(**kw: Any) -> str:
            q = {"lang": lang, "year": year, "level": level, "region_level": region_level, "page": page_no}
            q.update(kw)
            return "/warnings?" + "&".join(f"{k}={v}" for k, v in q.items() if v is not None)

        def html() -> HTMLResponse:
            en = lang == "en"
            rows = [
                {
                    "level": w["level"],
                    "label": labels.warning_level(w["level"], lang),
                    "plan": w["plan"],
                    "plan_title": w["plan_title_en"] if en else w["plan_title_zh"],
                    "region": w["region"],
                    "region_name": w["region_en"] if en else w["region_zh"],
                    "year": w["year"],
                    "indicator": w["indicator_en"] if en else w["indicator_zh"],
                    "reason": labels.reason(w, lang),
                }
                for w in items
            ]
            filters = [
                {
                    "href": link(level=lv, page=1),
                    "label": labels.warning_level(lv, lang),
                    "count": wp.counts.get(lv, 0),
                }
                for lv in ("red", "amber", "watch")
            ]
            return page(
                "warnings.html",
                word("label.warnings", lang),
                lang,
                "/warnings",
                which=f"{year}" if year is not None else word("label.all_years", lang),
                total=wp.total,
                filters=filters,
                items=rows,
                page_no=page_no,
                pages=pages,
                prev=link(page=page_no - 1) if page_no > 1 else None,
                next=link(page=page_no + 1) if page_no < pages else None,
            )

        data = {
            "year": year,
            "total": wp.total,
            "counts": wp.counts,
            "page": page_no,
            "pages": pages,
            "items": items,
        }
        return respond(data, format, html)

    @app.get("/rankings", include_in_schema=False)
    def rankings_page(
        request: Request,
        lang: str = Lang,
        format: str = Format,
        year: int | None = None,
        level: str = Query("province,prefecture", pattern=LEVELS_PATTERN),
    ) -> Response:
        """Regions ranked within their level (provinces with provinces, cities with cities)."""
        data: dict[str, Any] = {"plans": []}
        levels = level.split(",")
        with session() as ep:
            for plan in ep.plans():
                for lv in levels:
                    known = ep.assessment_years(plan.id, lv)
                    y = year if year is not None else (max(known) if known else None)
                    if y is None or y not in range(min(plan.base_year, plan.start), plan.end + 1):
                        continue
                    rows = [vars(r) for r in ep.rank(plan.id, y, level=lv)]
                    if rows:
                        data["plans"].append(
                            {
                                "plan": plan.id,
                                "title": plan.title.get(lang),
                                "year": y,
                                "level": lv,
                                "rows": rows,
                            }
                        )
            sections = domain_sections(lambda pages: pages.rankings(ep, year, lang))
        data.update({k: v for s in sections.values() for k, v in s.json.items()})

        def html() -> HTMLResponse:
            en = lang == "en"
            plans = [
                {
                    "title": p["title"],
                    "level": p["level"],
                    "level_label": word(f"region_level.{p['level']}", lang),
                    "year": p["year"],
                    "rows": [
                        {
                            "rank": r["rank"],
                            "region": r["region"],
                            "name": (r["name_en"] if en else r["name_zh"]) or r["region"],
                            "score": r["score"],
                            "grade": r["grade_en"] if en else r["grade"],
                            "assessed": r["assessed"],
                            "total": r["total"],
                            "note": r["note"] if en else r["note_zh"],
                        }
                        for r in p["rows"]
                    ],
                }
                for p in data["plans"]
            ]
            return page(
                "rankings.html",
                word("label.rankings", lang),
                lang,
                "/rankings",
                plans=plans,
                sections=section_html(sections, lang),
            )

        return respond(data, format, html)

    @app.get("/tasks", include_in_schema=False)
    def tasks_page(
        request: Request, plan: str | None = None, lang: str = Lang, format: str = Format
    ) -> Response:
        today = dt.date.today()
        with session() as ep:
            if plan is not None:
                ep.definition(plan)
            rows = ep.tasks(plan)
            titles = plan_titles(ep, lang)
        for r in rows:
            due = r.get("due")
            r["overdue"] = bool(due is not None and due < today and r.get("status") != "done")

        def html() -> HTMLResponse:
            items = [
                {
                    "plan": r["plan_id"],
                    "plan_title": titles.get(r["plan_id"], r["plan_id"]),
                    "due": r["due"],
                    "text": r["text_zh"] if lang == "zh" else (r["text_en"] or r["text_zh"]),
                    "status": labels.status(r["status"], lang) if r.get("status") else "",
                    "overdue": r["overdue"],
                }
                for r in rows
            ]
            path = "/tasks" + (f"?plan={plan}" if plan else "")
            return page("tasks.html", word("label.tasks", lang), lang, path, rows=items)

        return respond({"items": rows}, format, html)

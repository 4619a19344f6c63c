"""``/``: the plans, the national binding-indicator summary, the map of progress by
region — or, chosen with ``?plan=&indicator=&level=&year=&by=``, of one indicator's
latest value (or assessed status) by province or city (:mod:`ecoplan.web.indicators`) —
and each domain's home section."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from ecoplan.app import Ecoplan
from ecoplan.app.indicators import indicator_regions, levels_below
from ecoplan.plans.model import Plan
from ecoplan.web.common import Format, Lang, Session, page, respond
from ecoplan.web.geo import drillable, province_geojson
from ecoplan.web.indicators import By, Level, PageYear, map_context, page_year
from ecoplan.web.sections import domain_sections, section_html

__all__ = ["register"]

#: The plan whose indicators the map and the summary show.
NATIONAL_PLAN = "cn-13th-eco"


def _chosen(
    ep: Ecoplan,
    plans: list[Plan],
    plan_id: str | None,
    indicator: str | None,
    level: str | None,
    year: int | None,
) -> dict[str, Any] | None:
    """The map's indicator payload (:func:`indicator_regions`) when one is chosen: a level
    not below the plan's region, or a year outside its period, falls back to the default."""
    plan = next((p for p in plans if p.id == (plan_id or NATIONAL_PLAN)), None)
    if plan is None or indicator is None or all(i.id != indicator for i in plan.indicators):
        return None
    allowed = levels_below(plan)
    lv = level if level in allowed else allowed[0]
    yr = year if year is not None and plan.start - 1 <= year <= plan.end else None
    return indicator_regions(ep, plan.id, indicator, level=lv, year=yr)


def register(app: FastAPI, session: Session) -> None:
    @app.get("/", include_in_schema=False)
    def home(
        request: Request,
        plan: str | None = Query(None, max_length=100),
        indicator: str | None = Query(None, max_length=100),
        level: str | None = Level,
        year: str | None = PageYear,
        by: str = By,
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        with session() as ep:
            plans = ep.plans()
            chosen = _chosen(ep, plans, plan, indicator, level, page_year(year))
            summary = None
            national = next((p for p in plans if p.id == NATIONAL_PLAN), None)
            regions_map: list[dict[str, Any]] = []
            prefectures_map: list[dict[str, Any]] = []
            if national is not None:
                pa = ep.assess(national.id, national.region, national.end)
                summary = {"plan": national.id, "year": national.end, **pa.summary()}
                regions_map = ep.progress(national.id, "province")
                prefectures_map = ep.progress(national.id, "prefecture")
            region_names = {p.region: ep.region(p.region).name(lang) for p in plans}
            sections = domain_sections(lambda pages: pages.home(ep, lang))
        data: dict[str, Any] = {
            "plans": [
                {
                    "id": p.id,
                    "title": p.title.get(lang),
                    "level": p.level.value,
                    "region": p.region,
                    "region_name": region_names[p.region],
                    "period": [p.start, p.end],
                    "indicators": len(p.indicators),
                }
                for p in plans
            ],
            "national_summary": summary,
            "map": regions_map,
            "map_prefectures": prefectures_map,
            "map_indicator": chosen,
            **{k: v for s in sections.values() for k, v in s.json.items()},
        }

        def html() -> HTMLResponse:
            current = next((p for p in plans if p.id == (chosen or {}).get("plan", plan)), None)
            by_plan = current or next((p for p in plans if p.id == NATIONAL_PLAN), None)
            chooser = {
                "plans": [
                    (
                        p.id,
                        p.title.get(lang),
                        json.dumps(list(levels_below(p))),
                        json.dumps(list(range(p.start - 1, p.end + 1))),
                    )
                    for p in plans
                ],
                "indicators": [
                    (p.id, p.title.get(lang), [(i.id, i.name.get(lang)) for i in p.indicators]) for p in plans
                ],
                "plan": by_plan.id if by_plan else None,
                "indicator": chosen["indicator"]["id"] if chosen else None,
                "levels": ["province", "prefecture", "county"],
                "level": chosen["level"] if chosen else None,
                "years": list(range(by_plan.start - 1, by_plan.end + 1)) if by_plan else [],
                "year": chosen["year"] if chosen else None,
                "by": by,
            }
            indicator_map = None
            if chosen is not None and current is not None:
                indicator_map = map_context(chosen, current.region, lang, by)
            names = {
                f["properties"]["name"]: f["properties"]["name_zh" if lang == "zh" else "name_en"]
                for f in province_geojson()["features"]
            }
            path = "/"
            if chosen is not None:
                path += (
                    f"?plan={chosen['plan']}&indicator={chosen['indicator']['id']}&level={chosen['level']}"
                )
                path += (f"&year={chosen['year']}" if chosen["year"] is not None else "") + f"&by={by}"
            return page(
                "home.html",
                None,
                lang,
                path,
                plans=data["plans"],
                summary=summary,
                sections=section_html(sections, lang),
                map_values=json.dumps(data["map"]),
                map_names=json.dumps(names, ensure_ascii=False),
                map_prefectures=json.dumps(data["map_prefectures"]),
                drill=json.dumps(list(drillable())),
                chooser=chooser,
                m=indicator_map,
                chosen=chosen,
            )

        return respond(data, format, html)

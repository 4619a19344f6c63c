"""``/``: the plans, the national binding-indicator summary, the map of progress by
region, and each domain's home section."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from ecoplan.web.common import Format, Lang, Session, page, respond
from ecoplan.web.geo import drillable, province_geojson
from ecoplan.web.sections import domain_sections, section_html

__all__ = ["register"]

#: The plan whose indicators the map and the summary show.
NATIONAL_PLAN = "cn-13th-eco"


def register(app: FastAPI, session: Session) -> None:
    @app.get("/", include_in_schema=False)
    def home(request: Request, lang: str = Lang, format: str = Format) -> Response:
        with session() as ep:
            plans = ep.plans()
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
            **{k: v for s in sections.values() for k, v in s.json.items()},
        }

        def html() -> HTMLResponse:
            names = {
                f["properties"]["name"]: f["properties"]["name_zh" if lang == "zh" else "name_en"]
                for f in province_geojson()["features"]
            }
            return page(
                "home.html",
                None,
                lang,
                "/",
                plans=data["plans"],
                summary=summary,
                sections=section_html(sections, lang),
                map_values=json.dumps(data["map"]),
                map_names=json.dumps(names, ensure_ascii=False),
                map_prefectures=json.dumps(data["map_prefectures"]),
                drill=json.dumps(list(drillable())),
            )

        return respond(data, format, html)

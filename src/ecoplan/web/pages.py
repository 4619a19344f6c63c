"""The dashboard: server-rendered pages in zh (default) and en, each with a JSON twin.

``/`` plans and the national binding-indicator summary; ``/plans/{id}`` every
indicator with baseline, target, latest value, status and source; ``/regions/{code}``
its indicator values; each registered domain adds its sections to the home, region
and rankings pages (:mod:`ecoplan.web.sections`). ``?lang=en`` switches language,
``?format=json`` returns the data the page shows. No external resources: the pages
work offline.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ecoplan.app import Ecoplan
from ecoplan.core.errors import EcoplanError, NotFound, StoreError
from ecoplan.core.words import Words
from ecoplan.reports import FORMATS, build, write_report
from ecoplan.web.geo import drillable, prefecture_geojson, province_geojson, south_china_sea
from ecoplan.web.sections import domain_sections, section_html
from ecoplan.web.templating import render

__all__ = ["register"]

_log = logging.getLogger("ecoplan.web")
#: What a page says when the store cannot serve it (nothing about the store itself).
UNAVAILABLE = {
    "zh": ("数据暂时无法访问", "数据存储正忙或暂不可用，请稍后重试。"),
    "en": ("Data temporarily unavailable", "The data store is busy or unavailable; retry shortly."),
}

T: dict[str, dict[str, str]] = {
    "zh": {
        "site": "生态环境规划实施监测评估平台",
        "plans": "规划",
        "plan": "规划",
        "indicator": "指标",
        "attr": "属性",
        "baseline": "基期值",
        "target": "目标",
        "latest": "最新值",
        "status": "状态",
        "verdict": "结论",
        "source": "出处",
        "binding": "约束性",
        "expected": "预期性",
        "summary": "约束性指标完成情况",
        "region": "地区",
        "year": "年份",
        "values": "指标数据",
        "none": "暂无数据",
        "json": "JSON 数据",
        "api": "开放接口",
        "report": "评估报告",
        "trend": "趋势",
        "milestone": "阶段目标",
        "map": "各地规划实施进展",
        "map_legend": "国家规划指标中已实现或达到序时进度的比例（%）",
        "map_inset": "南海诸岛",
        "map_back": "返回全国",
        "warnings": "预警",
        "rankings": "排名",
        "tasks": "重点任务",
        "due": "完成时限",
        "overdue": "已逾期",
        "done": "已完成",
        "level": "级别",
        "rank": "名次",
        "score": "得分",
        "grade": "等级",
        "all_years": "各地最新年份",
        "why": "依据",
    },
    "en": {
        "site": "Eco-environmental plan monitoring and assessment",
        "plans": "Plans",
        "plan": "Plan",
        "indicator": "Indicator",
        "attr": "Attribute",
        "baseline": "Baseline",
        "target": "Target",
        "latest": "Latest value",
        "status": "Status",
        "verdict": "Verdict",
        "source": "Source",
        "binding": "binding",
        "expected": "expected",
        "summary": "Binding indicators",
        "region": "Region",
        "year": "Year",
        "values": "Indicator values",
        "none": "no data yet",
        "json": "JSON",
        "api": "API",
        "report": "assessment report",
        "trend": "Trend",
        "milestone": "Milestone",
        "map": "Progress by region",
        "map_legend": "share of the national plan's indicators achieved or on track (%)",
        "map_inset": "South China Sea Islands",
        "map_back": "back to China",
        "warnings": "Warnings",
        "rankings": "Rankings",
        "tasks": "Tasks",
        "due": "Due",
        "overdue": "overdue",
        "done": "done",
        "level": "Level",
        "rank": "Rank",
        "score": "Score",
        "grade": "Grade",
        "all_years": "each region's latest year",
        "why": "Why",
    },
}
TARGET_SOURCE_LABEL = {
    "zh": {"own": "", "inherited": "沿用上级", "decomposed": "分解目标"},
    "en": {"own": "", "inherited": "inherited", "decomposed": "decomposed"},
}
LEVELS_PATTERN = "^(province|prefecture|county)(,(province|prefecture|county))*$"
WARNING_LABEL = {
    "zh": {"red": "红色", "amber": "橙色", "watch": "关注"},
    "en": {"red": "red", "amber": "amber", "watch": "watch"},
}
REGION_LEVEL_LABEL = {
    "zh": {"national": "全国", "province": "省级", "prefecture": "地市级", "county": "区县级"},
    "en": {
        "national": "national",
        "province": "provinces",
        "prefecture": "prefecture-level cities",
        "county": "counties",
    },
}
STATUS_LABEL = {
    "zh": {
        "achieved": "已实现",
        "on_track": "达到序时进度",
        "at_risk": "存在风险",
        "off_track": "偏离目标",
        "insufficient_data": "数据不足",
        "not_assessable": "无法评估",
    },
    "en": {
        "achieved": "achieved",
        "on_track": "on track",
        "at_risk": "at risk",
        "off_track": "off track",
        "insufficient_data": "insufficient data",
        "not_assessable": "not assessable",
    },
}


def _page(template: str, title: str | None, lang: str, path: str, **context: Any) -> HTMLResponse:
    """A dashboard page: ``template`` (extending ``base.html``) rendered with ``context``."""
    return HTMLResponse(
        render(template, title=title, lang=lang, path=path, t=T[lang], w=Words(lang), **context)
    )


def _error(status: int, lang: str, heading: str, text: Any = None, **kw: Any) -> HTMLResponse:
    body = render("error.html", status=status, lang=lang, heading=heading, text=text)
    return HTMLResponse(body, status, **kw)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "zh"


def register(app: FastAPI) -> None:
    """Add the dashboard pages to ``app``, an API from :func:`ecoplan.api.create_app`
    (the pages read through its ``state.reader()``: a snapshot of the app's store)."""
    reader: Callable[[], AbstractContextManager[Ecoplan]] | None = getattr(app.state, "reader", None)
    if reader is None:
        raise TypeError("register(app): app must come from ecoplan.api.create_app (it owns the store)")

    def session() -> AbstractContextManager[Ecoplan]:
        assert reader is not None
        return reader()

    static = Path(__file__).with_name("static")

    # Packaged browser assets (ECharts and Swagger UI from npm, ecoplan.js/.css): no CDN.
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/geo/provinces.json", include_in_schema=False)
    def provinces_geo() -> Response:
        """Province boundaries for the map (:mod:`ecoplan.web.geo`)."""
        body = json.dumps(province_geojson(), ensure_ascii=False, separators=(",", ":"))
        return Response(
            body, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"}
        )

    @app.get("/geo/south-china-sea.json", include_in_schema=False)
    def south_china_sea_geo() -> Response:
        """The South China Sea inset and the dashes of the maritime boundary line."""
        body = json.dumps(south_china_sea(), ensure_ascii=False, separators=(",", ":"))
        return Response(
            body, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"}
        )

    @app.get("/geo/prefectures/{province}.json", include_in_schema=False)
    def prefectures_geo(province: str) -> Response:
        """Prefecture boundaries of one province, for the map's drill-down (404 if none)."""
        geo = prefecture_geojson(province) if province.isdigit() and len(province) == 6 else None
        if geo is None:
            return JSONResponse({"detail": "no prefecture boundaries"}, status_code=404)
        body = json.dumps(geo, ensure_ascii=False, separators=(",", ":"))
        return Response(
            body, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"}
        )

    Lang = Query("zh", pattern="^(zh|en)$")
    Format = Query("html", pattern="^(html|json)$")

    def respond(
        request: Request, data: dict[str, Any], fmt: str, render: Callable[[], HTMLResponse]
    ) -> Response:
        if fmt == "json":
            return JSONResponse(json.loads(json.dumps(data, ensure_ascii=False, default=str)))
        return render()

    @app.get("/", include_in_schema=False)
    def home(request: Request, lang: str = Lang, format: str = Format) -> Response:
        t = T[lang]
        with session() as ep:
            plans = ep.plans()
            summary = None
            national = next((p for p in plans if p.id == "cn-13th-eco"), None)
            regions_map: list[dict[str, Any]] = []
            prefectures_map: list[dict[str, Any]] = []
            if national is not None:
                pa = ep.assess(national.id, national.region, national.end)
                summary = {"plan": national.id, "year": national.end, **pa.summary()}
                regions_map = ep.progress(national.id, "province")
                prefectures_map = ep.progress(national.id, "prefecture")
            sections = domain_sections(lambda pages: pages.home(ep, lang))
        data: dict[str, Any] = {
            "plans": [
                {
                    "id": p.id,
                    "title": p.title.get(lang),
                    "level": p.level.value,
                    "region": p.region,
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

        def render() -> HTMLResponse:
            names = {
                f["properties"]["name"]: f["properties"]["name_zh" if lang == "zh" else "name_en"]
                for f in province_geojson()["features"]
            }
            return _page(
                "home.html",
                t["site"],
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

        return respond(request, data, format, render)

    @app.get("/plans/{plan_id}", include_in_schema=False)
    def plan_page(
        request: Request,
        plan_id: str,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        year: int | None = Query(None, ge=1900, le=2200),
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        t = T[lang]
        with session() as ep:
            plan = ep.definition(plan_id)
            pa = ep.assess(plan_id, region or plan.region, year or plan.end)
            data = pa.to_dict()
            obs = ep.observations(plan_id, region or plan.region)
            data["series"] = {k: [[o.year, o.value] for o in v] for k, v in obs.items()}
            region_name = ep.region(region or plan.region).name(lang)

        def render() -> HTMLResponse:
            rows = []
            for ind, a in zip(plan.indicators, data["indicators"], strict=False):
                target = (a.get("target") or {}).get("expr", "—")
                ms = a.get("milestone")
                source = TARGET_SOURCE_LABEL[lang].get(a.get("target_source", "own"), "")
                rows.append(
                    {
                        "name": ind.name.get(lang),
                        "attr": t[ind.attribute.value],
                        "base": a["baseline"]["value"] if a.get("space") == "level" else None,
                        "milestone": f"{ms['year']}: {ms['expr']}" if ms else "—",
                        "target": f"{target} ({source})" if source else target,
                        "value": a.get("value"),
                        "status": a["status"],
                        "label": STATUS_LABEL[lang].get(a["status"], a["status"]),
                        "series": json.dumps(data["series"].get(ind.id, [])),
                        "target_value": (a.get("target") or {}).get("value"),
                        "reason": a.get("reason_zh") if lang == "zh" else a.get("reason"),
                        "quote": ind.source.quote,
                    }
                )
            return _page(
                "plan.html",
                plan.title.get(lang),
                lang,
                f"/plans/{plan_id}",
                plan_id=plan_id,
                region=data["region"],
                region_name=region_name,
                year=data["year"],
                rows=rows,
            )

        return respond(request, data, format, render)

    @app.get("/plans/{plan_id}/report.{fmt}", include_in_schema=False)
    def plan_report(
        plan_id: str,
        fmt: str,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        year: int | None = Query(None, ge=1900, le=2200),
        lang: str = Lang,
    ) -> Response:
        """The assessment report (pdf, xlsx or html) for download."""
        if fmt not in FORMATS:
            return _error(404, lang, "404")
        with session() as ep:
            data = build(ep, plan_id, region, year, lang)
        with tempfile.TemporaryDirectory() as tmp:
            path = write_report(data, fmt, Path(tmp) / f"report.{fmt}")
            content = path.read_bytes()
        media = {
            "pdf": "application/pdf",
            "html": "text/html; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[fmt]
        name = f"{plan_id}-{data['region']['code']}-{data['year']}-{lang}.{fmt}"
        return Response(
            content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @app.get("/regions/{code}", include_in_schema=False)
    def region_page(
        request: Request, code: str, lang: str = Lang, format: str = Format, year: int | None = None
    ) -> Response:
        with session() as ep:
            reg = ep.region(code)
            values = ep.values(None, code, None)
            with_values = {str(v["plan_id"]) for v in values}
            region_plans: list[dict[str, Any]] = []
            for plan in ep.plans():
                if plan.id not in with_values:
                    continue
                latest = ep.latest_assessed_year(plan.id, code)
                if year is not None and year not in range(min(plan.base_year, plan.start), plan.end + 1):
                    continue
                pa = ep.assess(plan.id, code, year if year is not None else latest).to_dict()
                year_shown = pa["year"]
                by_id = {i["id"]: i["name_en" if lang == "en" else "name_zh"] for i in pa["indicators"]}
                for w in pa["warnings"]:
                    w["indicator_name"] = by_id.get(w["indicator"]) or w["indicator"]
                region_plans.append(
                    {
                        "plan": plan.id,
                        "title": plan.title.get(lang),
                        "year": year_shown,
                        "summary": pa["summary"],
                        "warnings": pa["warnings"],
                    }
                )
            sections = domain_sections(lambda pages: pages.region(ep, code, lang, year))
        data: dict[str, Any] = {
            "region": {"code": reg.code, "name": reg.name(lang)},
            "plans": region_plans,
            "values": values,
            **{k: v for s in sections.values() for k, v in s.json.items()},
        }

        def render() -> HTMLResponse:
            warns = [w for p in region_plans for w in p["warnings"]]
            names = {w["indicator"]: w.get("indicator_name", w["indicator"]) for w in warns}
            warnings = [
                {
                    "name": names.get(w["indicator"], w["indicator"]),
                    "reason": w.get("reason_zh") if lang == "zh" else w.get("reason"),
                }
                for w in warns
            ]
            return _page(
                "region.html",
                f"{reg.name(lang)} {reg.code}",
                lang,
                f"/regions/{code}",
                code=code,
                plans=region_plans,
                warnings=warnings,
                sections=section_html(sections, lang),
                values=values,
            )

        return respond(request, data, format, render)

    @app.get("/warnings", include_in_schema=False)
    def warnings_page(
        request: Request,
        lang: str = Lang,
        format: str = Format,
        year: int | None = None,
        level: str | None = Query(None, pattern="^(red|amber|watch)$"),
        region_level: str | None = Query(None, pattern="^(province|prefecture|county)$"),
        page: int = Query(1, ge=1),
    ) -> Response:
        """Dispatch view: the warnings the region pages show, for ``year`` (default: each
        region's latest year with a value), most severe first, 200 a page."""
        t = T[lang]
        size = 200
        with session() as ep:
            wp = ep.warnings(
                year=year, level=level, region_level=region_level, offset=(page - 1) * size, limit=size
            )
        items = wp.items
        levels = WARNING_LABEL[lang]
        pages = max(1, -(-wp.total // size))

        def link(**kw: Any) -> str:
            q = {"lang": lang, "year": year, "level": level, "region_level": region_level, "page": page}
            q.update(kw)
            return "/warnings?" + "&".join(f"{k}={v}" for k, v in q.items() if v is not None)

        def render() -> HTMLResponse:
            en = lang == "en"
            rows = [
                {
                    "level": w["level"],
                    "label": levels.get(w["level"], w["level"]),
                    "plan": w["plan"],
                    "plan_title": w["plan_title_en"] if en else w["plan_title_zh"],
                    "region": w["region"],
                    "region_name": w["region_en"] if en else w["region_zh"],
                    "year": w["year"],
                    "indicator": w["indicator_en"] if en else w["indicator_zh"],
                    "reason": w["reason"] if en else w["reason_zh"],
                }
                for w in items
            ]
            filters = [
                {"href": link(level=lv, page=1), "label": levels[lv], "count": wp.counts.get(lv, 0)}
                for lv in ("red", "amber", "watch")
            ]
            return _page(
                "warnings.html",
                t["warnings"],
                lang,
                "/warnings",
                which=f"{year}" if year is not None else t["all_years"],
                total=wp.total,
                filters=filters,
                items=rows,
                page=page,
                pages=pages,
                prev=link(page=page - 1) if page > 1 else None,
                next=link(page=page + 1) if page < pages else None,
            )

        data = {
            "year": year,
            "total": wp.total,
            "counts": wp.counts,
            "page": page,
            "pages": pages,
            "items": items,
        }
        return respond(request, data, format, render)

    @app.get("/rankings", include_in_schema=False)
    def rankings_page(
        request: Request,
        lang: str = Lang,
        format: str = Format,
        year: int | None = None,
        level: str = Query("province,prefecture", pattern=LEVELS_PATTERN),
    ) -> Response:
        """Regions ranked within their level (provinces with provinces, cities with cities)."""
        t = T[lang]
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

        def render() -> HTMLResponse:
            en = lang == "en"
            plans = [
                {
                    "title": p["title"],
                    "level": p["level"],
                    "level_label": REGION_LEVEL_LABEL[lang][p["level"]],
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
            return _page(
                "rankings.html",
                t["rankings"],
                lang,
                "/rankings",
                plans=plans,
                sections=section_html(sections, lang),
            )

        return respond(request, data, format, render)

    @app.get("/tasks", include_in_schema=False)
    def tasks_page(
        request: Request, plan: str | None = None, lang: str = Lang, format: str = Format
    ) -> Response:
        t = T[lang]
        today = dt.date.today()
        with session() as ep:
            if plan is not None:
                ep.definition(plan)
            rows = ep.tasks(plan)
        for r in rows:
            due = r.get("due")
            r["overdue"] = bool(due is not None and due < today and r.get("status") != "done")

        def render() -> HTMLResponse:
            items = [
                {
                    "plan": r["plan_id"],
                    "due": r["due"],
                    "text": r["text_zh"] if lang == "zh" else (r["text_en"] or r["text_zh"]),
                    "status": r.get("status") or "",
                    "overdue": r["overdue"],
                }
                for r in rows
            ]
            return _page(
                "tasks.html", t["tasks"], lang, "/tasks" + (f"?plan={plan}" if plan else ""), rows=items
            )

        return respond(request, {"items": rows}, format, render)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"code": "not_found", "message": str(exc), "details": None}}, 404)
        return _error(404, _lang(request), "404", exc)

    @app.exception_handler(EcoplanError)
    async def bad(request: Request, exc: EcoplanError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"code": "bad_request", "message": str(exc), "details": None}}, 400)
        return _error(400, _lang(request), "400", exc)

    def _html_only(request: Request) -> bool:
        return not request.url.path.startswith(("/api/", "/admin/")) and (
            request.query_params.get("format") != "json"
        )

    @app.exception_handler(StoreError)
    async def unavailable(request: Request, exc: StoreError) -> Response:
        _log.warning("%s %s: store error: %s", request.method, request.url.path, exc)
        headers = {"Retry-After": "5"}
        if not _html_only(request):
            message = "the data store is busy or unavailable; retry shortly"
            body = {"error": {"code": "store_unavailable", "message": message, "details": None}}
            return JSONResponse(body, 503, headers=headers)
        lang = _lang(request)
        title, text = UNAVAILABLE[lang]
        return _error(503, lang, title, text, headers=headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # answered outside the app's middleware: the security headers are added here
        security: dict[str, str] = getattr(request.app.state, "security_headers", {})
        _log.error("%s %s failed: %r", request.method, request.url.path, exc)  # traceback: uvicorn's log
        if not _html_only(request):
            body = {"error": {"code": "internal_error", "message": "internal server error", "details": None}}
            return JSONResponse(body, 500, headers=security)
        return _error(500, _lang(request), "500", headers=security)

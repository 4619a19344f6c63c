"""The dashboard: server-rendered pages in zh (default) and en, each with a JSON twin.

``/`` plans and the national binding-indicator summary, the cities with air data;
``/plans/{id}`` every indicator with baseline, target, latest value, status and
source; ``/regions/{code}`` its indicator values and its air quality (annual
evaluations and a calendar of daily AQI in the HJ 633 colours, each cell labelled
with its number so colour is never the only cue). ``?lang=en`` switches language,
``?format=json`` returns the data the page shows. No external resources: the pages
work offline.
"""

from __future__ import annotations

import datetime as dt
import html
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

from ecoplan.errors import EcoplanError, NotFound, StoreError
from ecoplan.reports import FORMATS, build, write_report
from ecoplan.session import Ecoplan
from ecoplan.standards.air.aqi import CATEGORY_EN, CATEGORY_ZH, level_of
from ecoplan.web.geo import drillable, prefecture_geojson, province_geojson, south_china_sea

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
        "air": "环境空气质量",
        "region": "地区",
        "year": "年份",
        "good": "优良天数比例",
        "heavy": "重度及以上污染天数比例",
        "pm25": "PM2.5年均浓度",
        "calendar": "日空气质量指数（AQI）",
        "values": "指标数据",
        "none": "暂无数据",
        "json": "JSON 数据",
        "api": "开放接口",
        "invalid": "无效",
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
        "days": "有效天数",
        "index": "综合指数",
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
        "air": "Ambient air quality",
        "region": "Region",
        "year": "Year",
        "good": "Good-air days",
        "heavy": "Heavily polluted days",
        "pm25": "PM2.5 annual mean",
        "calendar": "Daily air quality index (AQI)",
        "values": "Indicator values",
        "none": "no data yet",
        "json": "JSON",
        "api": "API",
        "invalid": "invalid",
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
        "days": "valid days",
        "index": "composite index",
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


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _fmt(v: Any, lang: str) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if lang == "en" else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


def _page(title: str, body: str, lang: str, path: str) -> HTMLResponse:
    t = T[lang]
    other = "en" if lang == "zh" else "zh"
    sep = "&" if "?" in path else "?"
    doc = f"""<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<script src="/static/echarts.min.js" defer></script><script src="/static/ecoplan.js" defer></script><title>{_e(title)} · ecoplan</title>
<link rel="stylesheet" href="/static/ecoplan.css"></head><body><header><a href="/?lang={lang}"><b>ecoplan</b></a>
<span>{_e(t["site"])}</span>
<a href="{_e(path)}{sep}lang={other}" id="lang-switch">{"English" if lang == "zh" else "中文"}</a>
<a href="/warnings?lang={lang}">{_e(t["warnings"])}</a><a href="/rankings?lang={lang}">{_e(t["rankings"])}</a>
<a href="/tasks?lang={lang}">{_e(t["tasks"])}</a><a href="/api/docs">{_e(t["api"])}</a></header><main><h1>{_e(title)}</h1>{body}
<p class="muted"><a href="{_e(path)}{sep}format=json">{_e(t["json"])}</a></p></main></body></html>"""
    return HTMLResponse(doc)


def _badge(status: str, label: str) -> str:
    return f'<span class="badge s-{_e(status)}">{_e(label)}</span>'


def register(app: FastAPI) -> None:
    """Add the dashboard pages to ``app``, an API from :func:`ecoplan.api.create_app`
    (the pages read through its ``state.reader()``: a snapshot of the app's store)."""
    reader: Callable[[], AbstractContextManager[Ecoplan]] | None = getattr(app.state, "reader", None)
    if reader is None:
        raise TypeError("register(app): app must come from ecoplan.api.create_app (it owns the store)")
    # Air evaluations are pure functions of the stored observations and events: cache
    # them per state of the store (last import id, events), so pages stay fast.
    air_cache: dict[tuple[Any, ...], Any] = {}

    def air_state(ep: Ecoplan) -> tuple[Any, ...]:
        row = ep.catalog.con.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM air_imports), "
            "(SELECT count(*) FROM air_events), (SELECT max(recorded_at) FROM air_events)"
        ).fetchone()
        return tuple(row or ())

    def evaluate(ep: Ecoplan, region: str, year: int) -> dict[str, Any]:
        key = ("eval", air_state(ep), region, year)
        if key not in air_cache:
            air_cache[key] = ep.air.evaluate(region, year).to_dict()
        result: dict[str, Any] = air_cache[key]
        return result

    def daily_aqi(ep: Ecoplan, region: str, year: int) -> list[dict[str, Any]]:
        key = ("daily", air_state(ep), region, year)
        if key not in air_cache:
            df = ep.air.daily(region, dt.date(year, 1, 1), dt.date(year, 12, 31))
            aqis = df["aqi"].to_numpy(dtype="float64", na_value=float("nan"))
            air_cache[key] = [
                {"day": str(day), "aqi": None if a != a else int(a)}
                for day, a in zip(df["day"], aqis, strict=True)
            ]
        result: list[dict[str, Any]] = air_cache[key]
        return result

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
            air = []
            for region in ep.air.store.regions():
                years = ep.air.store.years(region)
                for y in sorted(years, reverse=True):
                    d = evaluate(ep, region, y)
                    if d["good_days_ratio_pct"] is not None:
                        air.append({"region": region, "name": ep.catalog.region(region).name(lang), **d})
                        break
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
            "air": [
                {k: a[k] for k in ("region", "name", "year", "good_days_ratio_pct", "pm25_annual_ugm3")}
                for a in air
            ],
        }

        def render() -> HTMLResponse:
            rows = "".join(
                f"<tr><td><a href='/plans/{_e(p['id'])}?lang={lang}'>{_e(p['title'])}</a></td>"
                f"<td>{_e(p['period'][0])}–{_e(p['period'][1])}</td><td>{_e(p['region'])}</td>"
                f"<td>{p['indicators']}</td></tr>"
                for p in data["plans"]
            )
            names = {
                f["properties"]["name"]: f["properties"]["name_zh" if lang == "zh" else "name_en"]
                for f in province_geojson()["features"]
            }
            map_div = (
                f"<h2>{_e(t['map'])}</h2><div id='map' data-lang='{lang}' "
                f"data-values='{_e(json.dumps(data['map']))}' data-names='{_e(json.dumps(names, ensure_ascii=False))}' "
                f"data-prefectures='{_e(json.dumps(data['map_prefectures']))}' "
                f"data-drill='{_e(json.dumps(list(drillable())))}' "
                f"data-title='{_e(t['map_legend'])}' data-inset='{_e(t['map_inset'])}' "
                f"data-back='{_e(t['map_back'])}'></div>"
            )
            body = map_div + (
                f"<h2>{_e(t['plans'])}</h2><table><tr><th>{_e(t['plan'])}</th><th></th>"
                f"<th>{_e(t['region'])}</th><th>{_e(t['indicator'])}</th></tr>{rows}</table>"
            )
            if summary:
                body += (
                    f"<h2>{_e(t['summary'])} ({summary['year']})</h2><p id='binding-summary'>"
                    f"{summary.get('binding_met', '—')} / {summary.get('binding_total', '—')}</p>"
                )
            if data["air"]:
                arows = "".join(
                    f"<tr><td><a href='/regions/{_e(a['region'])}?lang={lang}'>{_e(a['name'])}</a></td>"
                    f"<td>{a['year']}</td><td>{_fmt(a['good_days_ratio_pct'], lang)} %</td>"
                    f"<td>{_fmt(a['pm25_annual_ugm3'], lang)} µg/m³</td></tr>"
                    for a in data["air"]
                )
                body += (
                    f"<h2>{_e(t['air'])}</h2><table><tr><th>{_e(t['region'])}</th><th>{_e(t['year'])}</th>"
                    f"<th>{_e(t['good'])}</th><th>{_e(t['pm25'])}</th></tr>{arows}</table>"
                )
            return _page(t["site"], body, lang, "/")

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
            plan = ep.catalog.plan(plan_id)
            pa = ep.assess(plan_id, region or plan.region, year or plan.end)
            data = pa.to_dict()
            obs = ep.catalog.observations(plan_id, region or plan.region)
            data["series"] = {k: [[o.year, o.value] for o in v] for k, v in obs.items()}
            region_name = ep.catalog.region(region or plan.region).name(lang)

        def render() -> HTMLResponse:
            rows = []
            for ind, a in zip(plan.indicators, data["indicators"], strict=False):
                target = (a.get("target") or {}).get("expr", "—")
                ms = a.get("milestone")
                milestone = f"{ms['year']}: {ms['expr']}" if ms else "—"
                label = STATUS_LABEL[lang].get(a["status"], a["status"])
                reason = a.get("reason_zh") if lang == "zh" else a.get("reason")
                series = json.dumps(data["series"].get(ind.id, []))
                tv = (a.get("target") or {}).get("value")
                chart = f"<div class='chart' data-series='{_e(series)}' data-target='{'' if tv is None else tv}'></div>"
                base = a["baseline"]["value"] if a.get("space") == "level" else None
                source = TARGET_SOURCE_LABEL[lang].get(a.get("target_source", "own"), "")
                if source:
                    target = f"{target} ({source})"
                rows.append(
                    f"<tr><td>{_e(ind.name.get(lang))}</td><td>{_e(t[ind.attribute.value])}</td>"
                    f"<td>{_fmt(base, lang)}</td><td class='hide-s'>{_e(milestone)}</td><td>{_e(target)}</td>"
                    f"<td>{_fmt(a.get('value'), lang)}</td><td>{_badge(a['status'], label)}</td>"
                    f"<td class='hide-s'>{chart}</td><td class='hide-s'>{_e(reason)}</td>"
                    f"<td class='src hide-s'>{_e(ind.source.quote)}</td></tr>"
                )
            head = (
                f"<tr><th>{_e(t['indicator'])}</th><th>{_e(t['attr'])}</th><th>{_e(t['baseline'])}</th>"
                f"<th class='hide-s'>{_e(t['milestone'])}</th><th>{_e(t['target'])}</th><th>{_e(t['latest'])}</th><th>{_e(t['status'])}</th>"
                f"<th class='hide-s'>{_e(t['trend'])}</th><th class='hide-s'>{_e(t['verdict'])}</th>"
                f"<th class='hide-s'>{_e(t['source'])}</th></tr>"
            )
            table = f"<table id='indicators'>{head}{''.join(rows)}</table>"
            q = f"region={_e(data['region'])}&year={data['year']}&lang={lang}"
            links = " · ".join(
                f"<a class='report' href='/plans/{_e(plan_id)}/report.{f}?{q}' download>{f.upper()}</a>"
                for f in ("pdf", "xlsx", "html")
            )
            body = f"<p>{_e(region_name)} {_e(data['region'])} · {data['year']} · {_e(t['report'])}: {links}</p>{table}"
            return _page(plan.title.get(lang), body, lang, f"/plans/{plan_id}")

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
            return HTMLResponse("<!doctype html><meta charset='utf-8'><h1>404</h1>", 404)
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
        t = T[lang]
        with session() as ep:
            reg = ep.catalog.region(code)
            values = ep.catalog.value_rows(None, code, None)
            with_values = {str(v["plan_id"]) for v in values}
            region_plans: list[dict[str, Any]] = []
            for plan in ep.plans():
                if plan.id not in with_values:
                    continue
                latest = ep.catalog.latest_assessed_year(plan.id, code)
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
            evals = []
            for y in ep.air.store.years(code):
                evals.append(evaluate(ep, code, y))
            valid = [e for e in evals if e["good_days_ratio_pct"] is not None]
            daily: list[dict[str, Any]] = []
            if valid:
                daily = daily_aqi(ep, code, valid[-1]["year"])
        data: dict[str, Any] = {
            "region": {"code": reg.code, "name": reg.name(lang)},
            "plans": region_plans,
            "values": values,
            "air": [
                {
                    k: e[k]
                    for k in (
                        "year",
                        "days_valid",
                        "good_days_ratio_pct",
                        "heavy_days_ratio_pct",
                        "pm25_annual_ugm3",
                        "composite_index",
                    )
                }
                for e in evals
            ],
            "daily": daily,
        }

        def render() -> HTMLResponse:
            body = ""
            if region_plans:
                prow = "".join(
                    f"<tr><td><a href='/plans/{_e(p['plan'])}?region={_e(code)}&year={p['year']}&lang={lang}'>"
                    f"{_e(p['title'])}</a></td><td>{p['year']}</td>"
                    f"<td>{p['summary'].get('binding_met', 0)} / {p['summary'].get('binding_total', 0)}</td>"
                    f"<td>{len(p['warnings'])}</td></tr>"
                    for p in region_plans
                )
                body += (
                    f"<h2>{_e(t['plans'])}</h2><table id='region-plans'><tr><th>{_e(t['plan'])}</th>"
                    f"<th>{_e(t['year'])}</th><th>{_e(t['summary'])}</th><th>{_e(t['warnings'])}</th></tr>{prow}</table>"
                )
                warns = [w for p in region_plans for w in p["warnings"]]
                names = {w["indicator"]: w.get("indicator_name", w["indicator"]) for w in warns}
                if warns:
                    body += (
                        "<ul id='region-warnings'>"
                        + "".join(
                            f"<li>{_e(names.get(w['indicator'], w['indicator']))}: "
                            f"{_e(w.get('reason_zh') if lang == 'zh' else w.get('reason'))}</li>"
                            for w in warns
                        )
                        + "</ul>"
                    )
            if data["air"]:

                def ratio(v: Any) -> str:
                    return t["invalid"] if v is None else _fmt(v, lang)

                arows = "".join(
                    f"<tr><td>{a['year']}</td><td>{a['days_valid']}</td><td>{ratio(a['good_days_ratio_pct'])}</td>"
                    f"<td>{ratio(a['heavy_days_ratio_pct'])}</td><td>{_fmt(a['pm25_annual_ugm3'], lang)}</td>"
                    f"<td>{_fmt(a['composite_index'], lang)}</td></tr>"
                    for a in data["air"]
                )
                body += (
                    f"<h2>{_e(t['air'])}</h2><table id='air'><tr><th>{_e(t['year'])}</th>"
                    f"<th>{_e(t['days'])}</th>"
                    f"<th>{_e(t['good'])} %</th><th>{_e(t['heavy'])} %</th><th>{_e(t['pm25'])}</th>"
                    f"<th>{_e(t['index'])}</th></tr>{arows}</table>"
                )
            if daily:
                cells = []
                for d in daily:
                    lv = level_of(d["aqi"])
                    if lv is None:
                        cells.append(f"<span title='{_e(d['day'])}' class='aqi-0'>–</span>")
                        continue
                    cat = (CATEGORY_ZH if lang == "zh" else CATEGORY_EN)[lv - 1]
                    cells.append(
                        f"<span title='{_e(d['day'])} AQI {d['aqi']} {_e(cat)}' "
                        f"class='aqi-{lv}'>{d['aqi']}</span>"
                    )
                cats = json.dumps(list(CATEGORY_ZH if lang == "zh" else CATEGORY_EN), ensure_ascii=False)
                points = json.dumps([[d["day"], d["aqi"]] for d in daily if d["aqi"] is not None])
                chart = (
                    f"<div id='aqi-chart' data-year='{valid[-1]['year']}' "
                    f"data-days='{_e(points)}' data-labels='{_e(cats)}'></div>"
                )
                cal = chart + f"<div class='cal' id='calendar'>{''.join(cells)}</div>"
                body += f"<h2>{_e(t['calendar'])} {valid[-1]['year']}</h2>{cal}"
            if values:
                vrows = "".join(
                    f"<tr><td>{_e(v['plan_id'])}</td><td>{_e(v['indicator_id'])}</td><td>{v['year']}</td>"
                    f"<td>{_fmt(v['value'], lang)} {_e(v['unit'])}</td>"
                    f"<td class='src'>{_e(v.get('source'))}</td></tr>"
                    for v in values
                )
                body += f"<h2>{_e(t['values'])}</h2><table id='values'>{vrows}</table>"
            if not body:
                body = f"<p class='muted'>{_e(t['none'])}</p>"
            return _page(f"{reg.name(lang)} {reg.code}", body, lang, f"/regions/{code}")

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
            rows = "".join(
                f"<tr><td><span class='badge w-{_e(w['level'])}'>"
                f"{_e(levels.get(w['level'], w['level']))}</span></td>"
                f"<td><a href='/plans/{_e(w['plan'])}?region={_e(w['region'])}&year={w['year']}&lang={lang}'>"
                f"{_e(w['plan_title_en'] if en else w['plan_title_zh'])}</a></td>"
                f"<td><a href='/regions/{_e(w['region'])}?lang={lang}'>"
                f"{_e(w['region_en'] if en else w['region_zh'])}</a></td><td>{w['year']}</td>"
                f"<td>{_e(w['indicator_en'] if en else w['indicator_zh'])}</td>"
                f"<td>{_e(w['reason'] if en else w['reason_zh'])}</td></tr>"
                for w in items
            )
            which = f"{year}" if year is not None else t["all_years"]
            filters = " · ".join(
                f"<a href='{_e(link(level=lv, page=1))}'>{_e(levels[lv])} {wp.counts.get(lv, 0)}</a>"
                for lv in ("red", "amber", "watch")
            )
            nav = ""
            if pages > 1:
                prev = f"<a href='{_e(link(page=page - 1))}'>‹</a> " if page > 1 else ""
                nxt = f" <a href='{_e(link(page=page + 1))}'>›</a>" if page < pages else ""
                nav = f"<p id='pages'>{prev}{page} / {pages}{nxt}</p>"
            body = f"<p class='muted'>{_e(t['year'])}: {_e(which)} · {wp.total} · {filters}</p>" + (
                f"<table id='warnings'><tr><th>{_e(t['level'])}</th><th>{_e(t['plan'])}</th>"
                f"<th>{_e(t['region'])}</th><th>{_e(t['year'])}</th><th>{_e(t['indicator'])}</th>"
                f"<th>{_e(t['why'])}</th></tr>{rows}</table>{nav}"
                if items
                else f"<p class='muted'>{_e(t['none'])}</p>"
            )
            return _page(t["warnings"], body, lang, "/warnings")

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
        data: dict[str, Any] = {"plans": [], "air": []}
        levels = level.split(",")
        with session() as ep:
            for plan in ep.plans():
                for lv in levels:
                    known = ep.catalog.assessment_years(plan.id, lv)
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
            years = sorted({y for r in ep.air.store.regions() for y in ep.air.store.years(r)})
            for y in reversed(years):
                ranked = ep.air.rank(y)
                if any(r["composite_index"] is not None for r in ranked):
                    data["air"] = [{"year": y, **r} for r in ranked]
                    break

        def render() -> HTMLResponse:
            body = ""
            en = lang == "en"
            for p in data["plans"]:
                rows = "".join(
                    f"<tr><td>{_e(r['rank'] or '—')}</td><td><a href='/regions/{_e(r['region'])}?lang={lang}'>"
                    f"{_e((r['name_en'] if en else r['name_zh']) or r['region'])}</a></td>"
                    f"<td>{_fmt(r['score'], lang)}</td><td>{_e(r['grade_en'] if en else r['grade'])}</td>"
                    f"<td>{r['assessed']}/{r['total']}</td>"
                    f"<td class='muted'>{_e(r['note'] if en else r['note_zh'])}</td></tr>"
                    for r in p["rows"]
                )
                body += (
                    f"<h2>{_e(p['title'])} · {_e(REGION_LEVEL_LABEL[lang][p['level']])} ({p['year']})</h2>"
                    f"<table class='rank' data-level='{_e(p['level'])}'><tr><th>{_e(t['rank'])}</th>"
                    f"<th>{_e(t['region'])}</th><th>{_e(t['score'])}</th><th>{_e(t['grade'])}</th><th></th>"
                    f"<th></th></tr>{rows}</table>"
                )
            if data["air"]:
                rows = "".join(
                    f"<tr><td>{_e(r['rank'])}</td><td>{_e(r['name_zh'])}</td><td>{_fmt(r['composite_index'], lang)}</td>"
                    f"<td>{_e(r['primary'])}</td></tr>"
                    for r in data["air"]
                )
                body += (
                    f"<h2>{_e(t['air'])} ({data['air'][0]['year']})</h2><table id='air-rank'><tr><th>{_e(t['rank'])}</th>"
                    f"<th>{_e(t['region'])}</th><th>{_e(t['index'])}</th><th></th></tr>{rows}</table>"
                )
            return _page(t["rankings"], body or f"<p class='muted'>{_e(t['none'])}</p>", lang, "/rankings")

        return respond(request, data, format, render)

    @app.get("/tasks", include_in_schema=False)
    def tasks_page(
        request: Request, plan: str | None = None, lang: str = Lang, format: str = Format
    ) -> Response:
        t = T[lang]
        today = dt.date.today()
        with session() as ep:
            if plan is not None:
                ep.catalog.plan(plan)
            rows = ep.catalog.tasks(plan)
        for r in rows:
            due = r.get("due")
            r["overdue"] = bool(due is not None and due < today and r.get("status") != "done")

        def render() -> HTMLResponse:
            trs = "".join(
                f"<tr><td>{_e(r['plan_id'])}</td><td>{_e(r['due'])}</td>"
                f"<td>{_e(r['text_zh'] if lang == 'zh' else (r['text_en'] or r['text_zh']))}</td>"
                f"<td>{_e(r.get('status') or '')}"
                f"{(' ' + _badge('off_track', t['overdue'])) if r['overdue'] else ''}</td></tr>"
                for r in rows
            )
            body = (
                f"<table id='tasks'><tr><th>{_e(t['plan'])}</th><th>{_e(t['due'])}</th><th>{_e(t['tasks'])}</th>"
                f"<th>{_e(t['status'])}</th></tr>{trs}</table>"
            )
            return _page(t["tasks"], body, lang, "/tasks" + (f"?plan={plan}" if plan else ""))

        return respond(request, {"items": rows}, format, render)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"code": "not_found", "message": str(exc), "details": None}}, 404)
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><h1>404</h1><p>{_e(exc)}</p>", 404)

    @app.exception_handler(EcoplanError)
    async def bad(request: Request, exc: EcoplanError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"code": "bad_request", "message": str(exc), "details": None}}, 400)
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><h1>400</h1><p>{_e(exc)}</p>", 400)

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
        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        title, text = UNAVAILABLE[lang]
        return HTMLResponse(
            f"<!doctype html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><meta charset='utf-8'>"
            f"<title>503</title><h1>{title}</h1><p>{text}</p></html>",
            503,
            headers=headers,
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        _log.error("%s %s failed: %r", request.method, request.url.path, exc)  # traceback: uvicorn's log
        if not _html_only(request):
            body = {"error": {"code": "internal_error", "message": "internal server error", "details": None}}
            return JSONResponse(body, 500)
        return HTMLResponse("<!doctype html><meta charset='utf-8'><h1>500</h1>", 500)

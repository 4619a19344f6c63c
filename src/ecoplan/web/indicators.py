"""``/indicators/{plan}/{indicator}``: one indicator across every region of one level —
a map coloured by its value, a ranked bar chart and a table (value, unit, baseline,
target, status, verdict, progress toward the next milestone), zh/en, with its JSON twin;
and ``GET /api/v1/plans/{plan}/indicators/{indicator}/regions``, the same data in the API.

The data come from :func:`ecoplan.app.indicators.indicator_regions` (stored assessment
rows: published values). :func:`map_context` gives the ``data-*`` attributes the map of
``ecoplan.js`` reads; the home page colours its map with it too.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ecoplan.app.indicators import LEVELS, indicator_regions
from ecoplan.core.words import Words
from ecoplan.reports import labels
from ecoplan.web.common import Format, Lang, Session, page, respond
from ecoplan.web.geo import drillable
from ecoplan.web.templating import fmt

__all__ = ["STATUS_COLOURS", "geo_url", "map_context", "page_year", "register", "router"]

#: The status colours of the badges (``ecoplan.css`` ``.s-*``), for the map by status.
STATUS_COLOURS = {
    "achieved": "#1a7f37",
    "on_track": "#0969da",
    "at_risk": "#9a6700",
    "off_track": "#cf222e",
    "insufficient_data": "#6e7781",
    "not_assessable": "#6e7781",
}
Level: Any = Query(None, pattern="^(" + "|".join(LEVELS) + ")$")
Year: Any = Query(None, ge=1900, le=2200)
#: A page's year: a form's "latest" option sends it empty.
PageYear: Any = Query(None, pattern=r"^(\d{4})?$")
By: Any = Query("value", pattern="^(value|status)$")


def page_year(year: str | None) -> int | None:
    """The year a page's form asked for (``None``: each region's latest)."""
    return int(year) if year else None


def geo_url(plan_region: str, level: str) -> tuple[str, bool] | None:
    """(boundaries URL, national layout) of a map of ``level`` under ``plan_region``;
    ``None`` when there are no boundaries (counties)."""
    if level == "province":
        return "/geo/provinces.json", True
    if level == "prefecture":
        if plan_region == "000000":
            return "/geo/prefectures.json", True
        province = plan_region[:2] + "0000"
        if province in drillable():
            return f"/geo/prefectures/{province}.json", False
    return None


def _legend(w: Words, name: str, unit: str, by: str) -> str:
    if by == "status":
        return w("dispatch.label.legend_status", indicator=name)
    if unit:
        return w("dispatch.label.legend_value", indicator=name, unit=unit)
    return w("dispatch.label.legend_plain", indicator=name)


def map_context(data: dict[str, Any], plan_region: str, lang: str, by: str = "value") -> dict[str, Any]:
    """The ``data-*`` values of the map of ``ecoplan.js`` for an :func:`indicator_regions` payload
    (``geo`` None when the level has no boundaries)."""
    w = Words(lang)
    ind = data["indicator"]
    name = ind["name_zh" if lang == "zh" else "name_en"]
    unit = labels.unit(ind["unit"], lang)
    values = [
        {
            "name": r["region"],
            "value": r["value"],
            "year": r["year"],
            "status": r["status"],
            "label": labels.status(r["status"], lang),
            **({"itemStyle": {"areaColor": STATUS_COLOURS[r["status"]]}} if by == "status" else {}),
        }
        for r in data["regions"]
        if r["value"] is not None or by == "status"
    ]
    names = {r["region"]: r["name_zh" if lang == "zh" else "name_en"] for r in data["regions"]}
    geo = geo_url(plan_region, data["level"])
    return {
        "mode": by,
        "values": json.dumps(values, ensure_ascii=False),
        "names": json.dumps(names, ensure_ascii=False),
        "unit": unit,
        "direction": data["better"],
        "legend": _legend(w, name, unit, by),
        "geo": None if geo is None else geo[0],
        "national": None if geo is None else int(geo[1]),
        "statuses": [(s, labels.status(s, lang)) for s in STATUS_COLOURS if s != "not_assessable"],
    }


def _rows(data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The table rows of the page: the payload's regions with their words."""
    w = Words(lang)
    unit = labels.unit(data["indicator"]["unit"], lang)
    rows = []
    for r in data["regions"]:
        ms = r["next_milestone"]
        progress = None
        if ms is not None and r["progress"] is not None:
            value = fmt(ms["value"], lang) + (f" {unit}" if unit else "")
            progress = w("dispatch.label.toward", share=f"{r['progress']:.0%}", year=ms["year"], value=value)
        rows.append(
            {
                **r,
                "name": r["name_zh" if lang == "zh" else "name_en"],
                "status_label": labels.status(r["status"], lang),
                "verdict_label": labels.verdict(r["verdict"], lang),
                "progress_text": progress,
                "annual_unit_label": labels.unit(r["annual_unit"], lang),
            }
        )
    return rows


def _bars(data: dict[str, Any], lang: str) -> str:
    bars = [
        {
            "name": r["name_zh" if lang == "zh" else "name_en"],
            "value": r["value"],
            "colour": STATUS_COLOURS[r["status"]],
        }
        for r in data["regions"]
        if r["value"] is not None
    ]
    return json.dumps(bars, ensure_ascii=False)


def _payload(
    session: Session, plan_id: str, indicator_id: str, level: str | None, year: int | None
) -> tuple[dict[str, Any], str]:
    with session() as ep:
        data = indicator_regions(ep, plan_id, indicator_id, level=level, year=year)
        region = ep.definition(plan_id).region
    return data, region


def router(session: Session) -> APIRouter:
    """``GET /api/v1/plans/{plan_id}/indicators/{indicator_id}/regions`` (read-only)."""
    api = APIRouter()

    @api.get("/api/v1/plans/{plan_id}/indicators/{indicator_id}/regions", tags=["plans"])
    def indicator_regions_api(
        plan_id: str, indicator_id: str, level: str | None = Level, year: int | None = Year
    ) -> JSONResponse:
        """One indicator in every region of one level (default: the first below the plan's
        region): latest value (or the value of ``year``), baseline, target, status, verdict,
        annual change, progress toward the next milestone; best first. ``missing``: the
        level's regions in the plan's territory without any assessment row."""
        data, _ = _payload(session, plan_id, indicator_id, level, year)
        return JSONResponse(json.loads(json.dumps(data, ensure_ascii=False, default=str)))

    return api


def register(app: FastAPI, session: Session) -> None:
    """Add the indicator page and its API twin to ``app``."""
    app.include_router(router(session))

    @app.get("/indicators/{plan_id}/{indicator_id}", include_in_schema=False)
    def indicator_page(
        request: Request,
        plan_id: str,
        indicator_id: str,
        level: str | None = Level,
        year: str | None = PageYear,
        by: str = By,
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        asked = page_year(year)
        data, plan_region = _payload(session, plan_id, indicator_id, level, asked)

        def html() -> HTMLResponse:
            w = Words(lang)
            ind = data["indicator"]
            name = ind["name_zh" if lang == "zh" else "name_en"]
            with_value = sum(1 for r in data["regions"] if r["value"] is not None)
            return page(
                "indicator.html",
                w("dispatch.label.indicator_page", indicator=name),
                lang,
                f"/indicators/{plan_id}/{indicator_id}?level={data['level']}"
                + (f"&year={asked}" if asked is not None else "")
                + (f"&by={by}" if by != "value" else ""),
                d=data,
                plan_title=data["plan_title_zh" if lang == "zh" else "plan_title_en"],
                unit=labels.unit(ind["unit"], lang),
                attr=labels.attribute(ind["attribute"], lang),
                m=map_context(data, plan_region, lang, by),
                rows=_rows(data, lang),
                bars=_bars(data, lang),
                with_value=with_value,
                missing=len(data["missing"]) + len(data["regions"]) - with_value,
                by=by,
            )

        return respond(data, format, html)

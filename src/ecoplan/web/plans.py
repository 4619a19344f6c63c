"""``/plans/{id}``: every indicator of a plan for a region and year (baseline, milestone,
target, latest value with its unit, status, trend, why, the plan's own words), and
``/plans/{id}/report.{pdf,xlsx,html}``, the assessment report for download."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from ecoplan.app.lineage import plan_lineage
from ecoplan.core.access import covers
from ecoplan.reports import FORMATS, build, labels, write_report
from ecoplan.web.common import VISITOR, Format, Lang, Session, page, respond
from ecoplan.web.errors import error_page
from ecoplan.web.lineage import lineage_cells

__all__ = ["quote_html", "register"]

#: The only markup a plan's quoted words keep: the sub- and superscripts of text taken
#: from HTML editions (``PM <sub>2.5</sub>``, ``m <sup>3</sup>``), shown as such.
_SCRIPT = re.compile(r"\s*&lt;(/?)(sub|sup)&gt;")


def quote_html(quote: str | None) -> Markup | None:
    """A quote from the plan's document, escaped, with its ``<sub>``/``<sup>`` (and no
    other tag) shown as sub- and superscripts and the space the HTML put before them
    dropped; the stored quote stays verbatim."""
    if quote is None:
        return None
    return Markup(_SCRIPT.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", str(escape(quote))))


_MEDIA = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def register(app: FastAPI, session: Session) -> None:
    @app.get("/plans/{plan_id}", include_in_schema=False)
    def plan_page(
        request: Request,
        plan_id: str,
        region: str | None = Query(None, pattern=r"^\d{6}$"),
        year: int | None = Query(None, ge=1900, le=2200),
        lang: str = Lang,
        format: str = Format,
        basis: str = Query("published", pattern="^(published|submitted)$"),
    ) -> Response:
        """``?basis=submitted``: for a signed-in visitor whose scope covers the region, the
        assessment with the values of unpublished submissions laid over the published ones."""
        with session() as ep:
            plan = ep.definition(plan_id)
            where = region or plan.region
            visitor = VISITOR.get()
            internal = visitor is not None and covers(visitor.principal.region, where)
            pending = ep.review.pending(plan_id, where) if internal and basis == "submitted" else None
            pa = ep.assess(plan_id, where, year or plan.end, pending=pending)
            data = pa.to_dict()
            data["plan_version"] = ep.plan_version(plan_id)
            data["basis"] = "submitted" if pending is not None else "published"
            obs = ep.observations(plan_id, region or plan.region)
            data["series"] = {k: [[o.year, o.value] for o in v] for k, v in obs.items()}
            region_name = ep.region(region or plan.region).name(lang)
            data["lineage"] = plan_lineage(ep, plan_id, where).to_dict()["links"]
        lineage = lineage_cells(data["lineage"], lang)

        def html() -> HTMLResponse:
            rows = []
            for ind, a in zip(plan.indicators, data["indicators"], strict=False):
                ms = a.get("milestone")
                rows.append(
                    {
                        "id": ind.id,
                        "name": labels.indicator_name(a, lang),
                        "attr": labels.attribute(ind.attribute.value, lang),
                        "unit": labels.unit(a.get("unit"), lang),
                        "base": a["baseline"]["value"] if a.get("space") == "level" else None,
                        "milestone": f"{ms['year']}: {ms['expr']}" if ms else "—",
                        "target": labels.target(a, lang),
                        "value": a.get("value"),
                        "status": a["status"],
                        "label": labels.status(a["status"], lang),
                        "series": json.dumps(data["series"].get(ind.id, [])),
                        "target_value": (a.get("target") or {}).get("value"),
                        "reason": labels.reason(a, lang),
                        "quote": quote_html(ind.source.quote),
                        "lineage": lineage.get(ind.id, []),
                    }
                )
            return page(
                "plan.html",
                plan.title.get(lang),
                lang,
                f"/plans/{plan_id}",
                plan_id=plan_id,
                region=data["region"],
                region_name=region_name,
                year=data["year"],
                rows=rows,
                formats=FORMATS,
                internal=internal,
                basis=data["basis"],
                drafts=sum(len(v) for v in (pending or {}).values()),
            )

        return respond(data, format, html)

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
            return error_page(404, lang)
        with session() as ep:
            data = build(ep, plan_id, region, year, lang)
        with tempfile.TemporaryDirectory() as tmp:
            path = write_report(data, fmt, Path(tmp) / f"report.{fmt}")
            content = path.read_bytes()
        name = f"{plan_id}-{data['region']['code']}-{data['year']}-{lang}.{fmt}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(content, media_type=_MEDIA[fmt], headers=headers)

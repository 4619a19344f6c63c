"""``/regions/{code}``: a region's plans (binding indicators met, warnings), each
domain's region section, and its stored indicator values by plan title and indicator
name, each value with its unit and source."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from ecoplan.core.access import covers
from ecoplan.reports import labels
from ecoplan.web.common import VISITOR, Format, Lang, Session, indicator_names, page, respond
from ecoplan.web.sections import domain_sections, section_html

__all__ = ["register"]


def _drafts(ep: Any, code: str, lang: str, titles: dict[str, str]) -> list[dict[str, Any]] | None:
    """The values of unpublished submissions (submitted, returned, accepted) of region
    ``code``, for a signed-in visitor whose scope covers it; None for anyone else (the
    public page shows published values only)."""
    visitor = VISITOR.get()
    if visitor is None or not covers(visitor.principal.region, code):
        return None
    out = []
    for s in ep.review.listing(visitor.principal, states=["submitted", "returned", "accepted"]):
        if s["kind"] != "values":
            continue
        names = indicator_names(ep, s["plan_id"], lang)
        for r in s["payload"]:
            if r["region"] != code:
                continue
            name, _ = names.get(r["indicator"], (r["indicator"], r["unit"]))
            out.append(
                {
                    "submission": s["id"],
                    "plan": titles.get(s["plan_id"], s["plan_id"]),
                    "indicator": name,
                    "indicator_id": r["indicator"],
                    "year": r["year"],
                    "value": r["value"],
                    "unit": labels.unit(r["unit"], lang),
                    "state": s["state"],
                    "author": s["author"],
                }
            )
    return out


def register(app: FastAPI, session: Session) -> None:
    @app.get("/regions/{code}", include_in_schema=False)
    def region_page(
        request: Request, code: str, lang: str = Lang, format: str = Format, year: int | None = None
    ) -> Response:
        with session() as ep:
            reg = ep.region(code)
            values = ep.values(None, code, None)
            with_values = {str(v["plan_id"]) for v in values}
            region_plans: list[dict[str, Any]] = []
            titles: dict[str, str] = {}
            names: dict[str, dict[str, tuple[str, str]]] = {}
            for plan in ep.plans():
                titles[plan.id] = plan.title.get(lang)
                if plan.id not in with_values:
                    continue
                names[plan.id] = indicator_names(ep, plan.id, lang)
                latest = ep.latest_assessed_year(plan.id, code)
                if year is not None and year not in range(min(plan.base_year, plan.start), plan.end + 1):
                    continue
                pa = ep.assess(plan.id, code, year if year is not None else latest).to_dict()
                by_id = {i["id"]: labels.indicator_name(i, lang) for i in pa["indicators"]}
                for w in pa["warnings"]:
                    w["indicator_name"] = by_id.get(w["indicator"]) or w["indicator"]
                region_plans.append(
                    {
                        "plan": plan.id,
                        "title": titles[plan.id],
                        "year": pa["year"],
                        "summary": pa["summary"],
                        "warnings": pa["warnings"],
                    }
                )
            drafts = _drafts(ep, code, lang, titles)
            sections = domain_sections(lambda pages: pages.region(ep, code, lang, year))
        data: dict[str, Any] = {
            "region": {"code": reg.code, "name": reg.name(lang)},
            "plans": region_plans,
            "values": values,
            **{k: v for s in sections.values() for k, v in s.json.items()},
        }
        if drafts is not None:  # a signed-in visitor whose scope covers the region
            data["drafts"] = drafts

        def html() -> HTMLResponse:
            warnings = [
                {
                    "name": w["indicator_name"],
                    "level": w.get("level"),
                    "label": labels.warning_level(str(w.get("level")), lang),
                    "reason": labels.reason(w, lang),
                }
                for p in region_plans
                for w in p["warnings"]
            ]
            rows = []
            for v in values:
                pid, iid = str(v["plan_id"]), str(v["indicator_id"])
                name, unit = names.get(pid, {}).get(iid, (iid, v.get("unit") or ""))
                rows.append(
                    {
                        "plan": titles.get(pid, pid),
                        "indicator": name,
                        "year": v["year"],
                        "value": v["value"],
                        "unit": labels.unit(v.get("unit") or unit, lang),
                        "source": labels.source(v.get("source"), lang),
                    }
                )
            return page(
                "region.html",
                reg.name(lang),
                lang,
                f"/regions/{code}",
                code=code,
                plans=region_plans,
                warnings=warnings,
                sections=section_html(sections, lang),
                values=rows,
                drafts=drafts or [],
            )

        return respond(data, format, html)

"""The ecology pages of their own (``Domain.web``), mounted by the web shell at
``/ecology/…`` with the dashboard's layout and language switch, each with its JSON twin
(``?format=json``):

``/ecology/ei/{county}``
    A county's ecological status index (HJ 192-2015) per year: EI, grade, ΔEI and its
    change class, and the five sub-indices as bars.
``/ecology/map``, ``/ecology/reserves/{id}``
    Layers and patches on an SVG map; a reserve's zones, patches and counts
    (:mod:`.spatial_pages`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ecoplan.core.words import word
from ecoplan.ecology.pages.spatial_pages import add_routes
from ecoplan.ecology.standards.hj192_2015 import SUB_INDICES, WEIGHTS

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")


def _year(r: dict[str, Any], lang: str) -> dict[str, Any]:
    """One year of a county as the template shows it (words in ``lang``)."""
    change = None
    if r.get("change_class"):
        change = word(f"ecology.change.{r['change_class']}", lang)
        if r.get("direction"):
            change = word(
                "ecology.change.with_direction",
                lang,
                change=change,
                direction=word(f"ecology.direction.{r['direction']}", lang),
            )
    return {
        **r,
        "grade_text": word(f"ecology.grade.{r['grade']}", lang),
        "restriction_text": (
            word(f"ecology.restriction.{r['restriction']}", lang) if r.get("restriction") else None
        ),
        "change_text": change,
        "subs": [
            {
                "key": k,
                "name": word(f"ecology.{k}", lang),
                "value": r[k],
                "weight": float(WEIGHTS[k]),
                "inverted": k in ("stress", "pollution"),
            }
            for k in SUB_INDICES
        ],
    }


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The ecology pages, each reading through ``session()``."""
    router = APIRouter()

    @router.get("/ei/{county}")
    def county_page(
        county: str = Path(..., pattern=r"^\d{6}$"), lang: str = Lang, format: str = Format
    ) -> Response:
        with session() as ep:
            df = ep.ecology.county(county)
        rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
        name = next((r["name"] for r in rows if r.get("name")), None)
        title = word("ecology.page.county", lang, county=f"{name} ({county})" if name else county)
        return render(
            "ecology/county.html",
            title,
            lang,
            f"/ecology/ei/{county}",
            {"county": county, "name": name, "years": rows},
            format,
            years=[_year(r, lang) for r in reversed(rows)],
        )

    add_routes(router, session, render)
    return router

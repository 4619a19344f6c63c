"""``GET /api/v1/plans/{id}/lineage``: a plan's indicators beside those of an earlier plan.

For each indicator that names a predecessor (``docs/plan-format.md`` "Across periods"):
the predecessor's end value with the stored value's source, this plan's baseline with the
plan's quote and file, the difference when the two are one series, the verdict
(``consistent``, ``differs``, ``not_comparable``, ``insufficient_data``, ``broken_link``)
and its reason in zh and en (:meth:`ecoplan.app.lineage.PlanLineage.to_dict`). Mounted by
the API's composition root::

    app.include_router(lineage.router(session), tags=["plans"])
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.app import Ecoplan
from ecoplan.app.lineage import plan_lineage
from ecoplan.kit.http import JsonOnly, json_response

__all__ = ["router"]


def router(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The lineage route over the readers ``session()`` gives."""
    r = APIRouter()

    @r.get("/api/v1/plans/{plan_id}/lineage")
    def lineage(
        request: Request,
        plan_id: str,
        region: str | None = Query(None, pattern=r"^\d{6}$", description="Region code; default: the plan's"),
        as_of: str | None = Query(None, max_length=40, description="Values as known on this date (ISO)"),
        format: str = JsonOnly,
    ) -> Response:
        """The plan's linked indicators: predecessor's end value and source, this plan's
        baseline and source, difference (one series only), verdict and reason."""
        with session() as ep:
            return json_response(request, plan_lineage(ep, plan_id, region, as_of).to_dict())

    return r

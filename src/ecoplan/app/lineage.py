"""Across periods, as the app serves it: a plan's linked indicators beside their predecessors.

:func:`plan_lineage` reads the plan, each predecessor plan named by its indicators, and the
stored values of both for one region (as known on ``as_of``), and assesses every link
(:func:`ecoplan.assess.lineage.assess_link`): the predecessor's end value with its source
beside the successor's baseline with the plan's quote, the difference when the two are
one series, and the verdict. :func:`check_stored_links` checks the links among every
stored plan (:func:`ecoplan.plans.lineage.broken_links`).

It takes the app (``ep``): the shells call it as ``plan_lineage(ep, ...)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecoplan.app.assessment import check_scope
from ecoplan.assess.lineage import LinkAssessment, assess_link
from ecoplan.core.errors import EcoplanError
from ecoplan.plans.lineage import Link, broken_links, links_of
from ecoplan.plans.model import Plan

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PlanLineage", "check_stored_links", "plan_lineage"]


@dataclass
class PlanLineage:
    """Every link of one plan's indicators to an earlier plan, for one region."""

    plan: Plan
    region: str
    as_of: str | None
    links: list[LinkAssessment] = field(default_factory=list)

    def of(self, indicator: str) -> list[LinkAssessment]:
        """The links of one successor indicator (by id)."""
        return [a for a in self.links if a.link.indicator.id == indicator]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (``plans lineage --format json``, ``/api/v1/plans/{id}/lineage``)."""
        rule = self.plan.settings.comparable_baseline
        return {
            "plan": self.plan.id,
            "region": self.region,
            "as_of": self.as_of,
            "comparable_baseline": None
            if rule is None
            else {"rule": rule.rule.value, "note_zh": rule.note.zh, "note_en": rule.note.en},
            "links": [a.to_dict() for a in self.links],
        }


def _plans_named(ep: Ecoplan, plan: Plan) -> dict[str, Plan]:
    """``plan`` and the stored plans its indicators name as predecessors (missing ones left out)."""
    known = set(ep.plan_ids())
    out = {plan.id: plan}
    for ind in plan.indicators:
        for pred in ind.predecessors:
            if pred.plan in known and pred.plan not in out:
                out[pred.plan] = ep.definition(pred.plan)
    return out


def _check_as_of(as_of: str | None) -> None:
    """Refuse an ``as_of`` that is neither a date ``YYYY-MM-DD`` nor an ISO timestamp."""
    if as_of is None:
        return
    try:
        if len(as_of.strip()) == 10:
            dt.date.fromisoformat(as_of.strip())
        else:
            dt.datetime.fromisoformat(as_of.strip())
    except ValueError:
        raise EcoplanError.worded("error.lineage.bad_as_of", as_of=as_of) from None


def plan_lineage(
    ep: Ecoplan, plan_id: str, region: str | None = None, as_of: str | None = None
) -> PlanLineage:
    """The links of ``plan_id``'s indicators for ``region`` (default: the plan's own), on the
    values known on ``as_of``.

    Raises
    ------
    ecoplan.core.errors.NotFound
        An unknown plan or region.
    ecoplan.core.errors.OutOfScope
        A region outside the plan's territory.
    ecoplan.core.errors.EcoplanError
        An ``as_of`` that is not a date or an ISO timestamp.
    """
    _check_as_of(as_of)
    plan = ep.definition(plan_id)
    where = region or plan.region
    ep.region(where)
    check_scope(ep.catalog, plan, plan.base_year, where)  # OutOfScope: a region outside the plan's territory
    if not any(ind.predecessors for ind in plan.indicators):
        return PlanLineage(plan, where, as_of)
    plans = _plans_named(ep, plan)
    own = ep.observations(plan.id, where, as_of)
    theirs = {pid: ep.observations(pid, where, as_of) for pid in plans if pid != plan.id}
    out = PlanLineage(plan, where, as_of)
    for link in links_of(plan, plans):
        pred_values = []
        if link.pred_plan is not None and link.pred_indicator is not None:
            series = own if link.pred_plan.id == plan.id else theirs[link.pred_plan.id]
            pred_values = series.get(link.pred_indicator.id, [])
        out.links.append(assess_link(link, where, pred_values, own.get(link.indicator.id, [])))
    return out


def check_stored_links(ep: Ecoplan, plan_id: str | None = None) -> list[Link]:
    """The broken links among the stored plans (of ``plan_id``'s indicators only, when given);
    each says why (:meth:`~ecoplan.plans.lineage.Link.problem_text`)."""
    if plan_id is not None:
        ep.definition(plan_id)  # NotFound naming the known plans
    return [link for link in broken_links(ep.plans()) if plan_id is None or link.plan.id == plan_id]

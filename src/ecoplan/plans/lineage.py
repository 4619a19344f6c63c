"""Links between the indicators of successive plans (``docs/plan-format.md`` "Across periods").

An indicator names the indicator of an earlier plan it follows (``Indicator.predecessors``)
and how (:class:`~ecoplan.plans.model.Relation`). One plan file cannot tell whether the
plan and indicator it names exist, or whether a ``redefined`` successor kept the
predecessor's series code: :func:`check_links` does, over every plan loaded together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ecoplan.core.errors import Problem
from ecoplan.core.words import Reason
from ecoplan.plans.model import Indicator, Plan, Predecessor, Relation

__all__ = ["Link", "broken_links", "check_links", "find_indicator", "links_of"]


@dataclass(frozen=True)
class Link:
    """One successor indicator and one predecessor it names, found or not.

    ``pred_plan``/``pred_indicator`` are None when the plans given do not hold them;
    ``problem`` then says why (as :func:`check_links` reports it).
    """

    plan: Plan
    indicator: Indicator
    index: int  #: the successor's position in ``plan.indicators`` (the field path)
    predecessor: Predecessor
    pred_plan: Plan | None
    pred_indicator: Indicator | None
    problem: Reason | None = None  #: the word ``reason.lineage.*``

    def problem_text(self, lang: str = "en") -> str | None:
        """Why the link is broken, in ``lang``; None when it is sound."""
        return None if self.problem is None else self.problem.text(lang)

    @property
    def field(self) -> str:
        """The field path of the link in the successor's plan file."""
        n = len(self.indicator.predecessors)
        at = self.indicator.predecessors.index(self.predecessor)
        return f"indicators[{self.index}].predecessor" + (f"[{at}]" if n > 1 else "")


def find_indicator(plan: Plan, key: str) -> Indicator | None:
    """The indicator ``key`` (its id, or its exact Chinese name) of ``plan``, or None."""
    try:
        return plan.indicator(key)
    except KeyError:
        return None


def _problem(
    plan: Plan, ind: Indicator, pred: Predecessor, pred_plan: Plan | None, found: Indicator | None
) -> Reason | None:
    """Why the link is broken (the word ``reason.lineage.*``), or None."""
    params: dict[str, object] = {"plan": pred.plan, "indicator": pred.indicator}
    if pred_plan is None:
        return Reason("lineage.unknown_plan", params)
    if found is None:
        return Reason("lineage.unknown_indicator", params)
    if pred.relation is Relation.REDEFINED and ind.code is not None and ind.code == found.code:
        return Reason("lineage.redefined_same_code", {**params, "code": ind.code})
    if pred_plan.start >= plan.start:
        return Reason("lineage.not_earlier", {**params, "start": pred_plan.start, "end": pred_plan.end})
    return None


def links_of(plan: Plan, plans: Mapping[str, Plan]) -> list[Link]:
    """Every link of ``plan``'s indicators, resolved against ``plans`` (by id)."""
    out: list[Link] = []
    for i, ind in enumerate(plan.indicators):
        for pred in ind.predecessors:
            pred_plan = plans.get(pred.plan)
            found = None if pred_plan is None else find_indicator(pred_plan, pred.indicator)
            out.append(
                Link(plan, ind, i, pred, pred_plan, found, _problem(plan, ind, pred, pred_plan, found))
            )
    return out


def broken_links(plans: Iterable[Plan]) -> list[Link]:
    """The links among ``plans`` that are broken (each with its :attr:`Link.problem`)."""
    by_id = {p.id: p for p in plans}
    return [link for plan in by_id.values() for link in links_of(plan, by_id) if link.problem is not None]


def check_links(plans: Iterable[Plan], files: Mapping[str, str] | None = None) -> list[Problem]:
    """Every broken link among ``plans``: an unknown predecessor plan or indicator, a
    ``redefined`` successor that keeps its predecessor's series code, a predecessor of a
    later period. Each problem names the successor's plan file (``files[plan id]``, else
    ``plan <id>``), the field (``indicators[3].predecessor``) and the link."""
    problems: list[Problem] = []
    for link in broken_links(plans):
        file = (files or {}).get(link.plan.id, f"plan {link.plan.id}")
        text = f"{link.predecessor.plan} {link.predecessor.indicator}"
        why = f"{link.indicator.id}: {link.problem_text('en')}"
        problems.append(Problem(file, why, field=link.field, text=text))
    return problems

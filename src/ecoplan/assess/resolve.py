"""Whose target: the targets that apply to a region, inherited ones resolved.

The rule of ``docs/assessment.md`` "Whose baseline, whose target": a stored
逐级分解 row or the plan's own allocation to the region (``decomposed``); the
plan's targets for the plan's own region (``own``); otherwise the plan's
targets, inherited (``inherited``). A target handed down by a parent plan
(省下达 / 国家要求) is replaced by the parent's decomposed target for the region,
or left out with the reason it cannot be resolved (rule 2 of
:mod:`ecoplan.assess.evaluate`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ecoplan.assess.model import Message, NamingResolver, TargetResolver
from ecoplan.assess.reasons import authority, message
from ecoplan.core.words import Reason
from ecoplan.plans.model import Indicator, Plan, TargetSpec
from ecoplan.plans.targets import TargetKind


def _targets_for(
    plan: Plan,
    ind: Indicator,
    region: str,
    resolver: TargetResolver | None,
    decomposed: Sequence[TargetSpec] | None,
) -> tuple[tuple[TargetSpec, ...], Message | None, str]:
    """The resolved targets of ``ind`` for ``region``, why one could not be resolved, and their source."""
    own_region = region == plan.region
    if decomposed:
        raw, target_source = tuple(decomposed), "decomposed"
    elif region in ind.allocations:
        raw, target_source = ind.allocations[region], "decomposed"
    else:
        raw, target_source = ind.targets, "own" if own_region else "inherited"
    specs, inherit_problem = _resolve(
        ind, raw, plan.region if target_source == "inherited" else region, resolver
    )
    return specs, inherit_problem, target_source


def _resolve(
    ind: Indicator, specs: tuple[TargetSpec, ...], region: str, resolver: TargetResolver | None
) -> tuple[tuple[TargetSpec, ...], Message | None]:
    """Replace inherited targets by the parent's decomposed target, or explain why not."""
    out: list[TargetSpec] = []
    problem: Message | None = None
    for spec in specs:
        if spec.target.kind is not TargetKind.INHERITED:
            out.append(spec)
            continue
        by = authority(spec.target.scope)
        if ind.parent is None:
            expr = spec.target.text or spec.target.canonical()
            problem = message(Reason("inherited_unlinked", {"by": by, "target": expr}))
            continue
        got = resolver(ind.parent, region, spec.year) if resolver is not None else None
        if got is None:
            params: dict[str, object] = {
                "by": by,
                "plan": ind.parent.plan,
                "indicator": ind.parent.indicator,
                "region": region,
                "year": spec.year,
            }
            if isinstance(resolver, NamingResolver):  # names per language instead of ids
                params.update(resolver.names(ind.parent, region))
            problem = message(Reason("inherited_unresolved", params))
            continue
        out.append(TargetSpec(spec.year, got.target, got.stretch))
    return tuple(out), problem

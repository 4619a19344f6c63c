"""Across periods: a successor's baseline beside its predecessor's assessed end value.

Pure: :func:`assess_link` takes one :class:`~ecoplan.plans.lineage.Link` (a 15th-period
indicator and the 14th-period indicator it follows), a region and the stored values of
both, and gives

* the predecessor's *end*: its value of its final target year (from its own series),
  with the stored value's source, revision and recorded date, and the status and
  verdict of its final assessment (:func:`ecoplan.assess.evaluate.assess_indicator`);
* the successor's *baseline*: the plan's printed base-year value with the plan's quote
  and file (for another region, the region's own stored base-year value and its source),
  and the plan's comparable-baseline rule;
* the difference (baseline − end), only when the relation keeps one series
  (``continued``, ``renamed``) and both are levels; and the verdict: ``consistent`` /
  ``differs`` (one series), ``not_comparable`` (``redefined``, ``split``, ``merged``:
  both shown, never a difference), ``new_count`` (one definition, but the successor is
  a cumulative 〔x〕 counted afresh from its base year, so the predecessor's end is no
  baseline), ``insufficient_data`` (one series, a value missing) or ``broken_link``
  (the predecessor is not among the plans).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ecoplan.assess.baseline import _base_level, _baseline_source
from ecoplan.assess.evaluate import assess_indicator
from ecoplan.assess.model import Message, Observation
from ecoplan.assess.reasons import message, number, unit_param
from ecoplan.core.words import LANGS, Reason, word
from ecoplan.plans.lineage import Link
from ecoplan.plans.model import Basis, Text

__all__ = [
    "RELATION_REASONS",
    "BaselineSide",
    "EndSide",
    "LinkAssessment",
    "LinkVerdict",
    "assess_link",
    "end_year",
]

#: Two levels closer than this (in the indicator's unit) are the same published figure.
_SAME = 1e-6


class LinkVerdict(StrEnum):
    CONSISTENT = "consistent"
    DIFFERS = "differs"
    NOT_COMPARABLE = "not_comparable"
    NEW_COUNT = "new_count"
    INSUFFICIENT_DATA = "insufficient_data"
    BROKEN_LINK = "broken_link"


@dataclass(frozen=True)
class EndSide:
    """The predecessor's assessed value of its final target year, and where it comes from."""

    plan: str
    indicator: str
    name: Text
    code: str | None
    unit: str
    year: int
    target: str | None  #: the final target as the plan writes it
    value: float | None
    basis: str | None  #: ``level`` or ``change`` (the cumulative change since the base year)
    source: str | None  #: the stored value's source (document, pipeline)
    revision: int | None
    recorded_at: str | None
    status: str
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "indicator": self.indicator,
            "name_zh": self.name.zh,
            "name_en": self.name.en,
            "code": self.code,
            "unit": self.unit,
            "year": self.year,
            "target": self.target,
            "value": self.value,
            "basis": self.basis,
            "source": self.source,
            "revision": self.revision,
            "recorded_at": self.recorded_at,
            "status": self.status,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class BaselineSide:
    """The successor's base-year value, and where it comes from."""

    year: int
    value: float | None
    unit: str
    source: str | None  #: ``plan`` (printed in the plan), a stored value's source, or None
    file: str | None  #: the plan's source for the indicator (file or address)
    quote: str | None  #: the plan's words
    rule: str | None  #: the plan's comparable-baseline rule
    rule_note: Text

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "file": self.file,
            "quote": self.quote,
            "comparable_baseline": None
            if self.rule is None
            else {"rule": self.rule, "note_zh": self.rule_note.zh, "note_en": self.rule_note.en},
        }


@dataclass(frozen=True)
class LinkAssessment:
    """One successor indicator beside one predecessor, for one region."""

    link: Link
    region: str
    end: EndSide | None
    baseline: BaselineSide
    difference: float | None
    verdict: LinkVerdict
    reason: Message

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (``plans lineage --format json``, ``/api/v1/plans/{id}/lineage``)."""
        ind, pred = self.link.indicator, self.link.predecessor
        return {
            "indicator": ind.id,
            "name_zh": ind.name.zh,
            "name_en": ind.name.en,
            "code": ind.code,
            "predecessor": {
                "plan": pred.plan,
                "indicator": pred.indicator,
                "relation": pred.relation.value,
                "note_zh": pred.note.zh,
                "note_en": pred.note.en,
                "one_series": pred.relation.one_series,
            },
            "region": self.region,
            "end": None if self.end is None else self.end.to_dict(),
            "baseline": self.baseline.to_dict(),
            "difference": None if self.difference is None else round(self.difference, 6),
            "verdict": self.verdict.value,
            **self.reason.fields(),
            "problem": None if self.link.problem is None else self.link.problem.to_dict(),
        }


def end_year(link: Link) -> int | None:
    """The predecessor's final target year (its plan's end when it states no target)."""
    if link.pred_indicator is None or link.pred_plan is None:
        return None
    final = link.pred_indicator.final
    return final.year if final is not None else link.pred_plan.end


def _end(link: Link, region: str, observations: Sequence[Observation]) -> EndSide | None:
    plan, ind, year = link.pred_plan, link.pred_indicator, end_year(link)
    if plan is None or ind is None or year is None:
        return None
    a = assess_indicator(plan, ind, region, year, observations)
    obs = a.observation
    final = ind.final
    return EndSide(
        plan=plan.id,
        indicator=ind.id,
        name=ind.name,
        code=ind.code,
        unit=ind.unit,
        year=year,
        target=None if final is None else final.target.text or final.target.canonical(),
        value=None if obs is None else obs.value,
        basis=None if obs is None else obs.basis.value,
        source=None if obs is None else obs.source,
        revision=None if obs is None else obs.revision,
        recorded_at=None if obs is None else obs.recorded_at,
        status=a.status.value,
        verdict=a.verdict.value,
    )


def _baseline(link: Link, region: str, observations: Sequence[Observation]) -> BaselineSide:
    plan, ind = link.plan, link.indicator
    value, base_obs = _base_level(plan, ind, region, observations)
    rule = plan.settings.comparable_baseline
    return BaselineSide(
        year=ind.baseline.year,
        value=value,
        unit=ind.unit,
        source=_baseline_source(plan, ind, region, base_obs),
        file=ind.source.file or plan.source.file,
        quote=ind.source.quote,
        rule=None if rule is None else rule.rule.value,
        rule_note=Text("") if rule is None else rule.note,
    )


def _verdict(link: Link, end: EndSide | None, base: BaselineSide) -> tuple[LinkVerdict, float | None]:
    if link.problem is not None or end is None:
        return LinkVerdict.BROKEN_LINK, None
    if not link.predecessor.relation.one_series:
        return LinkVerdict.NOT_COMPARABLE, None
    if link.indicator.default_basis is Basis.CHANGE:  # a cumulative 〔x〕 counted from its base year
        return LinkVerdict.NEW_COUNT, None
    if end.value is None or end.basis != Basis.LEVEL.value or base.value is None:
        return LinkVerdict.INSUFFICIENT_DATA, None
    diff = base.value - end.value
    return (LinkVerdict.CONSISTENT if abs(diff) <= _SAME else LinkVerdict.DIFFERS), diff


def _basis(link: Link, end: EndSide) -> str:
    """The form of the end value: as stored, else the predecessor's default form."""
    if end.basis is not None or link.pred_indicator is None:
        return end.basis or Basis.LEVEL.value
    return link.pred_indicator.default_basis.value


#: The words of the relations (``reason.lineage.relation.*``).
RELATION_REASONS = {
    "continued": Reason("lineage.relation.continued"),
    "redefined": Reason("lineage.relation.redefined"),
    "split": Reason("lineage.relation.split"),
    "merged": Reason("lineage.relation.merged"),
    "renamed": Reason("lineage.relation.renamed"),
}


def _reason(
    link: Link, verdict: LinkVerdict, end: EndSide | None, base: BaselineSide, diff: float | None
) -> Reason:
    pred = link.predecessor
    params: dict[str, object] = {
        "plan": pred.plan,
        "indicator": pred.indicator if end is None else {"zh": end.name.zh, "en": end.name.en or end.name.zh},
        "relation": RELATION_REASONS[pred.relation.value],
        "base_year": base.year,
        "base": number(base.value),
        "unit": unit_param(base.unit),
    }
    if end is not None:
        params.update(
            end_year=end.year,
            end=number(end.value)
            if end.value is not None
            else {k: word("label.lineage.no_value", k) for k in LANGS},
            end_unit=unit_param(end.unit if end.value is not None else ""),
            change=Reason("lineage.change")
            if _basis(link, end) == Basis.CHANGE.value
            else Reason("lineage.level"),
        )
    if verdict is LinkVerdict.BROKEN_LINK and link.problem is not None:
        return link.problem
    if verdict is LinkVerdict.DIFFERS:
        rule = {
            "fixed-stations": Reason("lineage.rule.fixed_stations"),
            "rebased": Reason("lineage.rule.rebased"),
            "as-published": Reason("lineage.rule.as_published"),
        }.get(base.rule or "", Reason("lineage.rule.none"))
        params.update(difference=number(diff), rule=rule)
        return Reason("lineage.differs", params)
    if verdict is LinkVerdict.CONSISTENT:
        return Reason("lineage.consistent", params)
    if verdict is LinkVerdict.NOT_COMPARABLE:
        return Reason("lineage.not_comparable", params)
    if verdict is LinkVerdict.NEW_COUNT:
        return Reason("lineage.new_count", params)
    # insufficient data, and a broken link without a stated problem
    return Reason("lineage.insufficient_data", params)


def assess_link(
    link: Link,
    region: str,
    predecessor_values: Sequence[Observation],
    successor_values: Sequence[Observation] = (),
) -> LinkAssessment:
    """The predecessor's end beside the successor's baseline for ``region``.

    ``predecessor_values``: the predecessor indicator's stored values for the region (its
    series, the revision in force); ``successor_values``: the successor's, used for the
    baseline of a region other than the successor plan's own.
    """
    end = _end(link, region, predecessor_values)
    base = _baseline(link, region, successor_values)
    verdict, diff = _verdict(link, end, base)
    return LinkAssessment(
        link, region, end, base, diff, verdict, message(_reason(link, verdict, end, base, diff))
    )

"""What the assessment takes and gives: statuses, values, targets handed down, results.

:class:`Observation` is one stored value (the revision in force);
:data:`TargetResolver` finds a target a parent plan hands down;
:class:`IndicatorAssessment` and :class:`PlanAssessment` are the results, with
their stable JSON forms (``docs/json.md``); :class:`Warning` is an early
warning (``assessment.md`` §5). Status and verdict words (zh and en) are the
catalog's ``status.*`` and ``verdict.*`` (:mod:`ecoplan.core.words`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from ecoplan.core.words import Reason
from ecoplan.plans.model import Attribute, Basis, Indicator, IndicatorRef, Plan, TargetSpec
from ecoplan.plans.targets import format_number

__all__ = [
    "IndicatorAssessment",
    "Message",
    "NamingResolver",
    "Observation",
    "PlanAssessment",
    "Status",
    "TargetResolver",
    "Verdict",
    "Warning",
]


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_ASSESSABLE = "not_assessable"


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"


@dataclass(frozen=True)
class Message:
    """A user-facing sentence in English and Chinese, and the reason it renders.

    The rules build a :class:`~ecoplan.core.words.Reason` (a code and parameters) and
    render it from the catalog of words (:func:`ecoplan.assess.reasons.message`);
    ``en``/``zh`` stay for the surfaces that print them. ``reason`` is None for a
    plain pair of names (a region's name).
    """

    en: str
    zh: str
    reason: Reason | None = field(default=None, compare=False)

    def get(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def fields(self) -> dict[str, Any]:
        """The JSON fields of a reason: ``reason`` (en), ``reason_zh``, ``reason_code``
        and ``reason_params`` (``None`` without a reason)."""
        d = None if self.reason is None else self.reason.to_dict()
        return {
            "reason": self.en,
            "reason_zh": self.zh,
            "reason_code": None if d is None else d["code"],
            "reason_params": None if d is None else d["params"],
        }


@dataclass(frozen=True)
class Observation:
    """One indicator value for one year, as stored (the revision in force)."""

    year: int
    value: float
    basis: Basis = Basis.LEVEL
    source: str | None = None
    revision: int = 1
    recorded_at: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Warning:
    """An early warning (``assessment.md`` §5): level red/amber/watch, severity by attribute."""

    indicator: str
    region: str
    level: str
    severity: str
    reason: Message


TargetResolver = Callable[[IndicatorRef, str, int], TargetSpec | None]


@runtime_checkable
class NamingResolver(Protocol):
    """A :data:`TargetResolver` that also names, per language (``{"zh": …, "en": …}``),
    the parent plan, its indicator and the region of a target it could not resolve (the
    store's does); reasons then show names instead of ids."""

    def __call__(self, ref: IndicatorRef, region: str, year: int) -> TargetSpec | None: ...

    def names(self, ref: IndicatorRef, region: str) -> dict[str, dict[str, str]]: ...


"""Finds the target a parent plan hands down: (parent indicator, region, year) -> spec."""


@dataclass
class IndicatorAssessment:
    """Everything the engine found for one indicator, region and year."""

    plan: str
    indicator: Indicator
    region: str
    year: int
    space: str  # "level" or "change"
    value: float | None
    observation: Observation | None
    baseline_year: int
    baseline_value: float | None
    start_note: str | None
    target: TargetSpec | None
    target_value: float | None
    milestone: TargetSpec | None
    expected: float | None
    change: float | None
    required_annual: float | None
    actual_annual: float | None
    annual_unit: str
    rr: float | None
    rr_form: str
    rr_category: str | None
    cs: float | None
    projected: float | None
    ap: float | None
    within_tolerance: bool | None
    status: Status
    verdict: Verdict
    reason: Message
    warning: Warning | None = None
    target_source: str = "own"
    baseline_source: str | None = None

    @property
    def attribute(self) -> Attribute:
        return self.indicator.attribute

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The stable JSON form (``docs/json.md``)."""
        t = self.target
        return {
            "id": self.indicator.id,
            "name_zh": self.indicator.name.zh,
            "name_en": self.indicator.name.en,
            "attribute": self.attribute.value,
            "unit": self.indicator.unit,
            "space": self.space,
            "value": self.value,
            "value_source": None if self.observation is None else self.observation.source,
            "value_revision": None if self.observation is None else self.observation.revision,
            "baseline": {
                "year": self.baseline_year,
                "value": self.baseline_value,
                "source": self.baseline_source,
            },
            "target_source": self.target_source,
            "target": None
            if t is None
            else {
                "year": t.year,
                "expr": t.target.text or t.target.canonical(),
                "kind": t.target.kind.value,
                "value": self.target_value,
            },
            "milestone": None
            if self.milestone is None
            else {"year": self.milestone.year, "expr": self.milestone.target.canonical()},
            "expected": _r(self.expected),
            "change_since_baseline": _r(self.change),
            "required_annual_change": _r(self.required_annual),
            "actual_annual_change": _r(self.actual_annual),
            "annual_change_unit": self.annual_unit,
            "rr": _r(self.rr),
            "rr_form": self.rr_form,
            "rr_category": self.rr_category,
            "current_status_index": _r(self.cs),
            "projected_final": _r(self.projected),
            "anticipated_progress": _r(self.ap),
            "within_tolerance": self.within_tolerance,
            "status": self.status.value,
            "verdict": self.verdict.value,
            **self.reason.fields(),
        }


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None or math.isnan(x) else round(x, nd)


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return format_number(round(x, 2))


@dataclass
class PlanAssessment:
    """A plan assessed for one region and year, as of a date."""

    plan: Plan
    region: str
    year: int
    as_of: str | None
    indicators: list[IndicatorAssessment] = field(default_factory=list)

    @property
    def warnings(self) -> list[Warning]:
        order = {"red": 0, "amber": 1, "watch": 2}
        ws = [a.warning for a in self.indicators if a.warning is not None]
        return sorted(ws, key=lambda w: (order[w.level], w.severity != "high", w.indicator))

    def summary(self) -> dict[str, Any]:
        binding = [a for a in self.indicators if a.attribute is Attribute.BINDING]
        by_status = {s.value: 0 for s in Status}
        for a in self.indicators:
            by_status[a.status.value] += 1
        return {
            "binding_total": len(binding),
            "binding_met": sum(a.verdict is Verdict.MET for a in binding),
            "binding_on_schedule": sum(a.status in (Status.ACHIEVED, Status.ON_TRACK) for a in binding),
            "indicators_total": len(self.indicators),
            "by_status": by_status,
        }

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form of ``ecoplan assess --format json``."""
        return {
            "plan": self.plan.id,
            "region": self.region,
            "year": self.year,
            "as_of": self.as_of,
            "stage": "final" if self.year >= self.plan.end else "interim",
            "indicators": [a.to_dict() for a in self.indicators],
            "summary": self.summary(),
            "warnings": [
                {
                    "indicator": w.indicator,
                    "region": w.region,
                    "level": w.level,
                    "severity": w.severity,
                    **w.reason.fields(),
                }
                for w in self.warnings
            ],
        }

"""Early warnings (``assessment.md`` §5 [DESIGN]): the level and the numbers behind it.

red: a binding indicator that missed its final target, or whose projection or
progress ratio points away from it; amber: behind schedule, or projected or
progressing short of it; watch: moderate progress. Severity is high for a
binding indicator, else medium; the reason gives the required and achieved
annual change and the projection.
"""

from __future__ import annotations

from ecoplan.assess.model import IndicatorAssessment, Message, Status, Verdict, Warning
from ecoplan.assess.reasons import annual_unit_param, message, number
from ecoplan.core.words import Reason
from ecoplan.plans.model import Attribute

__all__ = ["warning_level", "warning_reason"]


def _warning(a: IndicatorAssessment) -> Warning | None:
    """Early-warning level per ``assessment.md`` §5 [DESIGN]."""
    binding = a.attribute is Attribute.BINDING
    level = warning_level(a.status, a.verdict, binding, a.rr, a.ap)
    if level is None:
        return None
    reason = warning_reason(
        a.required_annual,
        a.actual_annual,
        a.annual_unit,
        a.baseline_year,
        a.projected,
        a.target.year if a.target else None,
        sign=1 if a.space == "change" else a.indicator.direction.sign,
    )
    return Warning(
        indicator=a.indicator.id,
        region=a.region,
        level=level,
        severity="high" if binding else "medium",
        reason=reason or a.reason,
    )


def warning_level(status: str, verdict: str, binding: bool, rr: float | None, ap: float | None) -> str | None:
    """Early-warning level per ``assessment.md`` §5 [DESIGN]: red, amber, watch or None.

    red: a binding indicator that missed its final target, or whose
    projection or progress ratio points away from it; amber: behind
    schedule, or projected/progressing short of it; watch: moderate progress.
    """
    if status in (Status.ACHIEVED, Status.NOT_ASSESSABLE, Status.INSUFFICIENT_DATA):
        return None
    behind = status in (Status.AT_RISK, Status.OFF_TRACK)
    if binding and (verdict == Verdict.NOT_MET or (ap is not None and ap < 0) or (rr is not None and rr < 0)):
        return "red"
    if behind or (ap is not None and 0 <= ap < 1) or (rr is not None and 0 <= rr < 0.6):
        return "amber"
    if rr is not None and 0.6 <= rr < 0.95:
        return "watch"
    return None


def warning_reason(
    required: float | None,
    actual: float | None,
    unit: str,
    baseline_year: int,
    projected: float | None,
    target_year: int | None,
    *,
    sign: int = 1,
) -> Message | None:
    """The numbers of a warning: required vs achieved annual change, and the projection.

    ``sign`` is +1 when larger values are better. When the baseline already met the target
    (the "required" change points away from better: a region below a PM2.5 bar of 37 may
    rise to it), no change is required: the warning says the target was met and how the
    value has moved since.
    """
    if required is None or actual is None:
        return None
    per_year = annual_unit_param(unit)
    if sign * required <= 0:
        moved = {"base_year": baseline_year, "actual": actual, "unit": per_year}
        reason = Reason("warning.met_before", moved)
    else:
        reason = Reason(
            "warning.needs",
            {"required": required, "actual": actual, "unit": per_year, "base_year": baseline_year},
        )
    if projected is not None:
        if target_year is None:
            reason = Reason("warning.projected_undated", {"reason": reason, "projected": number(projected)})
        else:
            reason = Reason(
                "warning.projected",
                {"reason": reason, "target_year": target_year, "projected": number(projected)},
            )
    return message(reason)

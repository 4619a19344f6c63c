"""Early warnings (``assessment.md`` §5 [DESIGN]): the level and the numbers behind it.

red: a binding indicator that missed its final target, or whose projection or
progress ratio points away from it; amber: behind schedule, or projected or
progressing short of it; watch: moderate progress. Severity is high for a
binding indicator, else medium; the reason gives the required and achieved
annual change and the projection.
"""

from __future__ import annotations

from ecoplan.assess.model import IndicatorAssessment, Message, Status, Verdict, Warning, _fmt
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
    if sign * required <= 0:
        en = f"met the target in {baseline_year}, moved {actual:+.1f} {unit} since"
        zh = f"{baseline_year}年已达到目标，此后年均变化{actual:+.1f} {unit}"
    else:
        en = f"needs {required:+.1f} {unit}, achieved {actual:+.1f} {unit} since {baseline_year}"
        zh = f"需年均变化{required:+.1f} {unit}，{baseline_year}年以来实际{actual:+.1f} {unit}"
    if projected is not None:
        en += f"; projected {target_year or ''}: {_fmt(projected)}"
        zh += f"；预计{target_year or ''}年{_fmt(projected)}"
    return Message(en, zh)

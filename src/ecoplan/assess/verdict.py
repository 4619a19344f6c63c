"""The status rules of one assessment (``assessment.md`` §1 and §5) and their reasons.

Rules 1–3 (no quantitative target — none at all, or a qualitative one such as
``有效保障`` that is "not judged quantitatively" —, an unresolved inherited target, no value
for the evaluation year) stop before any measure is computed
(:func:`_not_assessed`); rules 4–6 (met; missed at or after the target year;
on schedule, behind but improving, or off track before it) give the status,
the verdict and the reason in English and Chinese (:func:`_status`).
"""

from __future__ import annotations

from ecoplan.assess.model import Message, Status, Verdict
from ecoplan.assess.reasons import message, name_param, number, unit_param
from ecoplan.assess.space import _cmp, _Course, _meets, _Space, _target_value
from ecoplan.core.words import Reason
from ecoplan.plans.model import CumulativeMode, Indicator, Plan, TargetSpec
from ecoplan.plans.targets import TargetKind


def _not_assessed(
    plan: Plan,
    final: TargetSpec | None,
    inherit_problem: Message | None,
    year: int,
    v: float | None,
    ind: Indicator | None = None,
) -> tuple[Status, Verdict, Message] | None:
    """Rules 1–3: the status, verdict and reason when ``v`` cannot be judged at all, else None.

    Rule 3 has a variant: without a value, an indicator whose method is not yet
    published (``Indicator.method``) is ``not_assessable`` with the reason
    ``method_unpublished`` rather than "no value" — nobody can compute the value yet.
    """
    if inherit_problem is not None and (final is None or final.year < plan.end):
        return Status.NOT_ASSESSABLE, Verdict.PENDING, inherit_problem
    if final is None or final.target.kind is TargetKind.NONE:
        return Status.NOT_ASSESSABLE, Verdict.PENDING, message(Reason("no_target"))
    if final.target.kind is TargetKind.QUALITATIVE:  # 有效保障, 与GDP增长同步: no number judges it
        expr = final.target.text or final.target.canonical()
        return Status.NOT_ASSESSABLE, Verdict.PENDING, message(Reason("qualitative_target", {"target": expr}))
    if v is None and ind is not None and ind.method.unpublished:
        note = {"zh": ind.method.note.zh, "en": ind.method.note.get("en")}
        return Status.NOT_ASSESSABLE, Verdict.PENDING, message(Reason("method_unpublished", {"note": note}))
    if v is None:
        return Status.INSUFFICIENT_DATA, Verdict.PENDING, message(Reason("no_value", {"year": year}))
    return None


def _unit_param(ind: Indicator, sp: _Space) -> dict[str, str]:
    """The unit after a value in the reasons: none if unitless, "%" for a relative change."""
    if sp.name == "change" and sp.mode is CumulativeMode.RELATIVE:
        return unit_param("%")
    return unit_param(ind.unit)


def _status(
    plan: Plan,
    ind: Indicator,
    c: _Course,
    final: TargetSpec,
    year: int,
    v: float,
    milestone: TargetSpec | None,
    expected: float | None,
    met: bool | None,
    within: bool | None,
    who: Message | None,
    region: str = "",
) -> tuple[Status, Verdict, Message]:
    """Rules 4–6: the status, verdict and reason of value ``v`` in ``year`` against ``final``.

    ``who`` is the region's name (``region``'s code when None).
    """
    sp, t0, y0, y_t = c.sp, c.t0, c.y0, c.y_t
    T = final.year
    s = sp.sign
    expr = final.target.text or final.target.canonical()
    unit = _unit_param(ind, sp)
    value = {"year": year, "value": number(v), "unit": unit, "target": expr}
    baseline = {"region": name_param(who, region), "base_year": t0, "target": expr}
    if met is None:
        status, verdict = Status.INSUFFICIENT_DATA, Verdict.PENDING
        reason = Reason("target_needs_baseline", baseline)
    elif met:
        status = Status.ACHIEVED
        verdict = Verdict.MET if year >= T else Verdict.PENDING
        met_params = {**value, "target_year": T}
        if year >= T:
            reason = (
                Reason("meets_target_within_tolerance", met_params)
                if within
                else Reason("meets_target", met_params)
            )
        else:
            reason = (
                Reason("meets_target_within_tolerance_ahead", met_params)
                if within
                else Reason("meets_target_ahead", met_params)
            )
    elif year >= T:
        status, verdict = Status.OFF_TRACK, Verdict.NOT_MET
        gap = None if y_t is None else v - y_t
        reason = Reason("misses_target", {**value, "gap": number(gap)})
    else:
        verdict = Verdict.PENDING
        on_schedule, basis = _on_schedule(plan, c, year, v, milestone, expected, unit)
        if on_schedule is None or basis is None:
            status = Status.INSUFFICIENT_DATA
            reason = Reason("progress_needs_baseline", baseline)
        elif on_schedule:
            status = Status.ON_TRACK
            reason = Reason("on_schedule", {**value, "basis": basis, "target_year": T})
        elif y0 is not None and s * (v - y0) > 0:
            status = Status.AT_RISK
            reason = Reason("behind_improving", {**value, "basis": basis, "base_year": t0})
        else:
            status = Status.OFF_TRACK
            reason = Reason("behind_not_improving", {**value, "basis": basis, "base_year": t0})
    return status, verdict, message(reason)


def _on_schedule(
    plan: Plan,
    c: _Course,
    year: int,
    v: float,
    milestone: TargetSpec | None,
    expected: float | None,
    unit: dict[str, str],
) -> tuple[bool | None, Reason | None]:
    """Whether ``v`` is on 序时进度 before the target year, and what it was compared with
    (a ``basis.*`` reason).

    The milestone of that year decides when it can; else the value expected on
    the schedule; None when neither is known.
    """
    sp = c.sp
    s = sp.sign
    on_schedule: bool | None = None
    basis: Reason | None = None
    if milestone is not None:
        y_m = _target_value(milestone, sp, c.thr)
        on_schedule, _ = _meets(milestone, v, sp, y_m, plan)
        mexpr = milestone.target.text or milestone.target.canonical()
        basis = Reason("basis.milestone", {"year": year, "target": mexpr})
    if on_schedule is None and expected is not None:
        on_schedule = _cmp(s * v, ">=", s * expected)
        at = {"year": year, "expected": number(expected), "unit": unit}
        compound = plan.settings.schedule == "compound"
        basis = Reason("basis.compound", at) if compound else Reason("basis.linear", at)
    return on_schedule, basis


def _with_start_note(reason: Message, start_note: str | None) -> Message:
    """``reason`` saying where progress was measured from when the plan gives no baseline."""
    if not start_note or reason.reason is None:
        return reason
    return message(Reason("from_start", {"reason": reason.reason, "start": int(start_note)}))

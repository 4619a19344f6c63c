"""The status rules of one assessment (``assessment.md`` §1 and §5) and their reasons.

Rules 1–3 (no quantitative target, an unresolved inherited target, no value
for the evaluation year) stop before any measure is computed
(:func:`_not_assessed`); rules 4–6 (met; missed at or after the target year;
on schedule, behind but improving, or off track before it) give the status,
the verdict and the reason in English and Chinese (:func:`_status`).
"""

from __future__ import annotations

from ecoplan.assess.model import Message, Status, Verdict, _fmt
from ecoplan.assess.space import _cmp, _Course, _meets, _Space, _target_value
from ecoplan.plans.model import CumulativeMode, Indicator, Plan, TargetSpec
from ecoplan.plans.targets import TargetKind


def _not_assessed(
    plan: Plan, final: TargetSpec | None, inherit_problem: Message | None, year: int, v: float | None
) -> tuple[Status, Verdict, Message] | None:
    """Rules 1–3: the status, verdict and reason when ``v`` cannot be judged at all, else None."""
    if inherit_problem is not None and (final is None or final.year < plan.end):
        return Status.NOT_ASSESSABLE, Verdict.PENDING, inherit_problem
    if final is None or final.target.kind is TargetKind.NONE:
        return (
            Status.NOT_ASSESSABLE,
            Verdict.PENDING,
            Message("no quantitative target in the plan", "规划未设定量化目标"),
        )
    if v is None:
        return Status.INSUFFICIENT_DATA, Verdict.PENDING, Message(f"no value for {year}", f"缺少{year}年数据")
    return None


def _unit_label(ind: Indicator, sp: _Space) -> str:
    """The unit after a value in the reasons: none if unitless, "%" for a relative change, else " unit"."""
    unit = "" if sp.name == "level" and ind.unit in ("1", "") else f" {ind.unit}"
    if sp.name == "change":
        unit = "%" if sp.mode is CumulativeMode.RELATIVE else f" {ind.unit}"
    return unit


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
    who: Message,
) -> tuple[Status, Verdict, Message]:
    """Rules 4–6: the status, verdict and reason of value ``v`` in ``year`` against ``final``."""
    sp, t0, y0, y_t = c.sp, c.t0, c.y0, c.y_t
    T = final.year
    s = sp.sign
    no_baseline = Message(f"no {t0} value for {who.en}", f"缺少{who.zh}{t0}年基期值")
    unit = _unit_label(ind, sp)
    expr = final.target.text or final.target.canonical()
    if met is None:
        status, verdict = Status.INSUFFICIENT_DATA, Verdict.PENDING
        reason = Message(
            f"{no_baseline.en}: the target {expr} is measured from it",
            f"{no_baseline.zh}，目标“{expr}”须据此衡量",
        )
    elif met:
        status = Status.ACHIEVED
        verdict = Verdict.MET if year >= T else Verdict.PENDING
        ahead = "" if year >= T else f", ahead of {T}"
        ahead_zh = "" if year >= T else f"，提前完成{T}年目标"
        tol = " (within the 左右 tolerance)" if within else ""
        reason = Message(
            f"{year} value {_fmt(v)}{unit} meets the target {expr}{tol}{ahead}",
            f"{year}年值{_fmt(v)}{unit.strip()}达到目标“{expr}”{ahead_zh}",
        )
    elif year >= T:
        status, verdict = Status.OFF_TRACK, Verdict.NOT_MET
        gap = None if y_t is None else v - y_t
        reason = Message(
            f"{year} value {_fmt(v)}{unit} does not meet the target {expr} (gap {_fmt(gap)})",
            f"{year}年值{_fmt(v)}{unit.strip()}未达到目标“{expr}”（差距{_fmt(gap)}）",
        )
    else:
        verdict = Verdict.PENDING
        on_schedule, basis_en, basis_zh = _on_schedule(plan, c, year, v, milestone, expected, unit)
        if on_schedule is None:
            status = Status.INSUFFICIENT_DATA
            reason = Message(
                f"{no_baseline.en}: progress toward {expr} is measured from it",
                f"{no_baseline.zh}，无法衡量进度（目标“{expr}”）",
            )
        elif on_schedule:
            status = Status.ON_TRACK
            reason = Message(
                f"{year} value {_fmt(v)}{unit} is on or ahead of {basis_en}; target {expr} by {T}",
                f"{year}年值{_fmt(v)}{unit.strip()}达到{basis_zh}，{T}年目标“{expr}”",
            )
        elif y0 is not None and s * (v - y0) > 0:
            status = Status.AT_RISK
            reason = Message(
                f"{year} value {_fmt(v)}{unit} is behind {basis_en}, though improving since {t0}",
                f"{year}年值{_fmt(v)}{unit.strip()}落后于{basis_zh}，但较{t0}年有所改善",
            )
        else:
            status = Status.OFF_TRACK
            reason = Message(
                f"{year} value {_fmt(v)}{unit} is behind {basis_en} and not improving since {t0}",
                f"{year}年值{_fmt(v)}{unit.strip()}落后于{basis_zh}，且较{t0}年未改善",
            )
    return status, verdict, reason


def _on_schedule(
    plan: Plan,
    c: _Course,
    year: int,
    v: float,
    milestone: TargetSpec | None,
    expected: float | None,
    unit: str,
) -> tuple[bool | None, str, str]:
    """Whether ``v`` is on 序时进度 before the target year, and what it was compared with (en, zh).

    The milestone of that year decides when it can; else the value expected on
    the schedule; None when neither is known.
    """
    sp = c.sp
    s = sp.sign
    on_schedule: bool | None = None
    basis_en, basis_zh = "", ""
    if milestone is not None:
        y_m = _target_value(milestone, sp, c.thr)
        on_schedule, _ = _meets(milestone, v, sp, y_m, plan)
        mexpr = milestone.target.text or milestone.target.canonical()
        basis_en, basis_zh = f"the {year} milestone {mexpr}", f"{year}年阶段目标“{mexpr}”"
    if on_schedule is None and expected is not None:
        on_schedule = _cmp(s * v, ">=", s * expected)
        how = "compound" if plan.settings.schedule == "compound" else "linear"
        basis_en = f"the {how} schedule ({_fmt(expected)}{unit} expected in {year})"
        basis_zh = f"序时进度（{year}年应达{_fmt(expected)}{unit.strip()}）"
    return on_schedule, basis_en, basis_zh


def _with_start_note(reason: Message, start_note: str | None) -> Message:
    """``reason`` saying where progress was measured from when the plan gives no baseline."""
    if not start_note:
        return reason
    return Message(
        reason.en + f" (the plan gives no baseline; progress measured from {start_note})",
        reason.zh + f"（规划无基期值，以{start_note}年为起点）",
    )

"""The safe-use rates of plan indicators (spec §6): 受污染耕地安全利用率 and 污染地块安全利用率.

**受污染耕地安全利用率** — 《受污染耕地安全利用率核算方法（试行）》 (spec S14) names the
variables [S×1]: B = 轻微污染 farmland under 优先保护类 measures; C = 轻中度污染
farmland under 安全利用类 (or 治理修复) measures **whose crops meet the food
standards**; D = 重度污染 farmland under 严格管控类 measures; E = all contaminated
farmland (轻微 + 轻中度 + 重度). The formula image was not read, so the form
``A = (B + C + D) / E × 100 %`` is **UNCONFIRMED** (spec §10 item 13): it is
:data:`FARMLAND_RULE`, a named rule, and every value carries it.

**污染地块安全利用率** — no 核算 text was found in the corpora searched (pages and code;
queries recorded in ``docs/soil.md``). The rule chosen here, **UNCONFIRMED**
(:data:`SITE_RULE`): over the plots in the register that are contaminated (a risk
assessment found them above the GB 36600 screening values of their planned use) and
that are reused or planned for reuse, the share of plots reused whose soil met the
requirements of the planned use (status ``reused`` after risk control or remediation,
with ``reuse_compliant``). 重点建设用地安全利用率 (Hebei 14th FYP) applies the same rule
to the plots marked ``key`` (default: planned for 第一类用地, GB 36600 §3.3) —
UNCONFIRMED. The combined 受污染耕地和污染地块安全利用率 (Jiangmen 13th FYP) is the lower
of the two rates (UNCONFIRMED; areas and plot counts do not add up).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ecoplan.core.rounding import round_half_even

__all__ = [
    "FARMLAND_RULE",
    "LEVELS",
    "MEASURES",
    "SITE_RULE",
    "STATUSES",
    "Plot",
    "Rate",
    "Unit",
    "combined_rate",
    "farmland_rate",
    "pct",
    "site_rate",
]

#: Pollution levels of a farmland unit: none, 轻微, 轻中度, 重度.
LEVELS = ("none", "slight", "light_moderate", "severe")
#: Measures taken: none, 优先保护, 安全利用 (农艺调控 …), 治理修复, 严格管控.
MEASURES = ("none", "priority_protection", "safe_use", "remediation", "strict_control")
#: Construction-land plot status, in order.
STATUSES = ("investigated", "risk_assessed", "controlled", "remediated", "reused")

FARMLAND_RULE = "A=(B+C+D)/E; 核算方法（试行） variables [S×1], form UNCONFIRMED"
SITE_RULE = "safely reused contaminated plots / contaminated plots reused or planned for reuse; UNCONFIRMED"


@dataclass(frozen=True)
class Unit:
    """One farmland unit of the register (area in hm²)."""

    unit_id: str
    area_hm2: float
    level: str
    measure: str
    crop_compliant: bool | None = None

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unit {self.unit_id}: pollution level {self.level!r} not one of {LEVELS}")
        if self.measure not in MEASURES:
            raise ValueError(f"unit {self.unit_id}: measure {self.measure!r} not one of {MEASURES}")
        if not self.area_hm2 >= 0:
            raise ValueError(f"unit {self.unit_id}: area {self.area_hm2} must be ≥ 0")


@dataclass(frozen=True)
class Plot:
    """One construction-land plot of the register."""

    plot_id: str
    contaminated: bool
    status: str
    planned_reuse: bool
    reuse_compliant: bool | None = None
    key: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"plot {self.plot_id}: status {self.status!r} not one of {STATUSES}")


@dataclass(frozen=True)
class Rate:
    """A rate (%, GB/T 8170 to 0.1), its parts and the rule it was computed by."""

    value_pct: float | None
    numerator: float
    denominator: float
    parts: dict[str, float]
    rule: str
    confidence: str = "UNCONFIRMED"

    def to_dict(self) -> dict[str, Any]:
        return {
            "value_pct": self.value_pct,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "parts": dict(self.parts),
            "rule": self.rule,
            "confidence": self.confidence,
        }


def pct(num: float, den: float) -> float | None:
    """``num / den`` in % to 0.1 (GB/T 8170, round half even); None when ``den`` ≤ 0."""
    return None if den <= 0 else round_half_even(num / den * 100, 1)


def farmland_safe(u: Unit) -> str | None:
    """Which of B, C, D unit ``u`` counts in (None: contaminated, not safely used; or
    not contaminated)."""
    if u.level == "slight" and u.measure != "none":
        return "B"
    if u.level == "light_moderate" and u.measure in ("safe_use", "remediation", "strict_control"):
        return "C" if u.crop_compliant else None
    if u.level == "severe" and u.measure == "strict_control":
        return "D"
    return None


def farmland_rate(units: Iterable[Unit]) -> Rate:
    """受污染耕地安全利用率 A = (B + C + D) / E × 100 % (areas in hm²; :data:`FARMLAND_RULE`).

    B: 轻微 with any measure (优先保护类 measures or stricter); C: 轻中度 under 安全利用,
    治理修复 or 严格管控 **and** crops compliant; D: 重度 under 严格管控; E: every unit
    whose level is not ``none``. No contaminated farmland → no rate (None)."""
    parts = {"B": 0.0, "C": 0.0, "D": 0.0, "E": 0.0}
    for u in units:
        if u.level == "none":
            continue
        parts["E"] += u.area_hm2
        got = farmland_safe(u)
        if got:
            parts[got] += u.area_hm2
    num = parts["B"] + parts["C"] + parts["D"]
    return Rate(pct(num, parts["E"]), num, parts["E"], parts, FARMLAND_RULE)


def site_rate(plots: Iterable[Plot], *, key_only: bool = False) -> Rate:
    """污染地块安全利用率 (:data:`SITE_RULE`), or 重点建设用地安全利用率 with ``key_only``."""
    den = num = 0
    for p in plots:
        if key_only and not p.key:
            continue
        if not p.contaminated or not (p.planned_reuse or p.status == "reused"):
            continue
        den += 1
        if p.status == "reused" and p.reuse_compliant:
            num += 1
    parts = {"safe": float(num), "contaminated_reused_or_planned": float(den)}
    return Rate(pct(num, den), float(num), float(den), parts, SITE_RULE)


def combined_rate(farmland: Rate, site: Rate) -> Rate:
    """受污染耕地和污染地块安全利用率: the lower of the two (UNCONFIRMED); None unless both."""
    value = None
    if farmland.value_pct is not None and site.value_pct is not None:
        value = min(farmland.value_pct, site.value_pct)
    parts = {"farmland_pct": farmland.value_pct or 0.0, "site_pct": site.value_pct or 0.0}
    return Rate(value, 0.0, 0.0, parts, "min(farmland, site); UNCONFIRMED")

"""HJ 192-2015 生态环境状况评价技术规范: the ecological status index (EI) of a county,
its grade, the change class of ΔEI and the environmental restriction.

Pure functions; no I/O. What is confirmed and what is an option (see ``docs/ecology.md``).
Clause references are to §5 of the standard (indicators and methods, per its table of
contents); the sub-clause numbers below are where the table of contents places them, their
text was not read — the figures are confirmed by the published sources named:

* **Formula** (§5.1, the EI of a county): ``EI = 0.35·生物丰度 + 0.25·植被覆盖 +
  0.15·水网密度 + 0.15·(100 − 土地胁迫) + 0.10·(100 − 污染负荷) + 环境限制指数``.
  The weights are confirmed by the published Nantong 2017 sub-indices
  (30.59, 76.93, 93.94, 6.08, 1.48 → 67.97, 良), which they reproduce exactly.
* **Grades** (§5.3.1) confirmed with their inclusive lower bounds by the bulletins that
  apply the standard: 优 EI≥75; 良 55≤EI<75; 一般 35≤EI<55; 较差 20≤EI<35; 差 EI<20.
* **Change classes** (§5.3.2) confirmed likewise: 无明显变化 |ΔEI|<1; 略微变化
  1≤|ΔEI|<3; 明显变化 3≤|ΔEI|<8; 显著变化 |ΔEI|≥8, each but the first with its
  direction (变好 for ΔEI>0, 变差 for ΔEI<0).
* **Rounding**: EI is reported with 2 decimals (as the published figures are), rounded
  per GB/T 8170 (:func:`ecoplan.core.rounding.round_half_even`); the grade is the grade
  of the reported value. The sum is taken on the decimal inputs (no binary drift at a
  grade boundary).
* **Environmental restriction** (环境限制指数, a constraint on the grade, not a number
  added to EI): the events and what they do are UNCONFIRMED (the standard's table was
  not found in full text); :data:`RESTRICTIONS` holds them as data, each a cap on the
  best grade allowed and a number of grades to drop. EI itself is left as computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ecoplan.core.rounding import round_half_even

__all__ = [
    "CHANGE_CLASSES",
    "GRADES",
    "RESTRICTIONS",
    "STANDARD",
    "SUB_INDICES",
    "WEIGHTS",
    "Change",
    "Grade",
    "Restriction",
    "SubIndices",
    "change_class",
    "evaluate",
    "grade_of",
    "restrict",
]

STANDARD = "HJ 192-2015"

#: The five sub-indices in the formula's order, with their weights (§5.1). Land stress
#: and pollution load enter as ``100 − value``.
WEIGHTS: Mapping[str, Decimal] = {
    "abundance": Decimal("0.35"),
    "vegetation": Decimal("0.25"),
    "water": Decimal("0.15"),
    "stress": Decimal("0.15"),
    "pollution": Decimal("0.10"),
}
SUB_INDICES: tuple[str, ...] = tuple(WEIGHTS)
_INVERTED = frozenset({"stress", "pollution"})


@dataclass(frozen=True)
class Grade:
    """One EI grade: its key, Chinese name and inclusive lower bound."""

    key: str
    zh: str
    lower: float


#: Best first (§5.3.1). A value equal to a bound belongs to the higher grade.
GRADES: tuple[Grade, ...] = (
    Grade("excellent", "优", 75.0),
    Grade("good", "良", 55.0),
    Grade("fair", "一般", 35.0),
    Grade("poor", "较差", 20.0),
    Grade("bad", "差", float("-inf")),
)


@dataclass(frozen=True)
class Change:
    """One ΔEI class: key, Chinese name and the inclusive lower bound of |ΔEI|."""

    key: str
    zh: str
    lower: float


#: Largest first (§5.3.2).
CHANGE_CLASSES: tuple[Change, ...] = (
    Change("significant", "显著变化", 8.0),
    Change("obvious", "明显变化", 3.0),
    Change("slight", "略微变化", 1.0),
    Change("none", "无明显变化", 0.0),
)


@dataclass(frozen=True)
class Restriction:
    """What one restricting event does to the grade: the grade is lowered by ``drop``
    grades, then may be no better than ``cap`` (a grade key). UNCONFIRMED unless
    ``confirmed``."""

    code: str
    zh: str
    drop: int = 1
    cap: str | None = None
    confirmed: bool = False


#: The environmental restriction events (环境限制指数), UNCONFIRMED: the standard's
#: table was not found in a primary text; these follow the structure reported by a
#: third-party implementation of the standard (events of the gravest class may not be
#: 优 or 良 and drop one grade; the others drop one grade and may not be 优). Replace or
#: extend by passing a mapping of your own to :func:`evaluate`.
RESTRICTIONS: Mapping[str, Restriction] = {
    r.code: r
    for r in (
        Restriction("incident_major", "特大或重大突发环境事件", drop=1, cap="fair"),
        Restriction("incident", "较大或一般突发环境事件", drop=1),
        Restriction("pollution_damage", "通报的环境污染或生态破坏事件", drop=1, cap="good"),
        Restriction("violation", "通报的环境违法案件", drop=1, cap="good"),
        Restriction("regional_approval_ban", "纳入区域限批", drop=1, cap="good"),
    )
}


@dataclass(frozen=True)
class SubIndices:
    """The five sub-indices of one area and year (each 0–100)."""

    abundance: float
    vegetation: float
    water: float
    stress: float
    pollution: float

    def __post_init__(self) -> None:
        for name in SUB_INDICES:
            v = getattr(self, name)
            if not isinstance(v, int | float) or v != v or not 0 <= v <= 100:
                raise ValueError(f"{name}: {v!r} is not a sub-index between 0 and 100")

    def as_dict(self) -> dict[str, float]:
        return {n: float(getattr(self, n)) for n in SUB_INDICES}


def _dec(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def ei_exact(s: SubIndices) -> Decimal:
    """The weighted sum of §5.1 on the decimal inputs, unrounded."""
    total = Decimal(0)
    for name, w in WEIGHTS.items():
        v = _dec(getattr(s, name))
        total += w * ((Decimal(100) - v) if name in _INVERTED else v)
    return total


def grade_of(ei: float) -> Grade:
    """The grade of a reported EI value (§5.3.1; a bound belongs to the higher grade)."""
    for g in GRADES:
        if ei >= g.lower:
            return g
    return GRADES[-1]


def _grade(key: str) -> Grade:
    for g in GRADES:
        if g.key == key:
            return g
    raise KeyError(f"no EI grade {key!r}; known: {', '.join(g.key for g in GRADES)}")


def restrict(grade: Grade, r: Restriction) -> Grade:
    """``grade`` lowered by the restriction ``r`` (never raised)."""
    i = min(GRADES.index(grade) + max(r.drop, 0), len(GRADES) - 1)
    if r.cap is not None:
        i = max(i, GRADES.index(_grade(r.cap)))
    return GRADES[i]


def change_class(delta: float) -> tuple[Change, str | None]:
    """The class of ``delta`` (ΔEI, already rounded to 2 decimals) and its direction:
    ``"better"`` (ΔEI>0), ``"worse"`` (ΔEI<0), None for 无明显变化 (§5.3.2)."""
    a = abs(delta)
    for c in CHANGE_CLASSES:
        if a >= c.lower:
            if c.key == "none":
                return c, None
            return c, ("better" if delta > 0 else "worse")
    return CHANGE_CLASSES[-1], None


_DIRECTION_ZH = {"better": "变好", "worse": "变差"}


def evaluate(
    s: SubIndices,
    restriction: str | None = None,
    previous: float | None = None,
    *,
    restrictions: Mapping[str, Restriction] = RESTRICTIONS,
) -> dict[str, Any]:
    """EI, its grade (after the restriction, if any) and, with ``previous``, ΔEI and its
    change class: the JSON contract of ``ecoplan ecology ei`` (``docs/json.md``).

    ``restriction`` is a key of ``restrictions`` (KeyError naming the known ones)."""
    ei = round_half_even(float(ei_exact(s)), 2)
    assert ei is not None
    base = grade_of(ei)
    g = base
    out: dict[str, Any] = {"ei": ei}
    if restriction is not None:
        if restriction not in restrictions:
            raise KeyError(restriction)
        r = restrictions[restriction]
        g = restrict(base, r)
        out["restriction"] = {
            "code": r.code,
            "zh": r.zh,
            "grade_before": base.key,
            "confirmed": r.confirmed,
        }
    out["grade"] = g.key
    out["grade_zh"] = g.zh
    if previous is not None:
        d = round_half_even(float(_dec(ei) - _dec(previous)), 2)
        assert d is not None
        c, direction = change_class(d)
        out["delta"] = d
        out["change_class"] = c.key
        out["change_class_zh"] = c.zh
        out["direction"] = direction
        out["change_zh"] = c.zh if direction is None else c.zh.replace("变化", _DIRECTION_ZH[direction])
    out["standard"] = STANDARD
    return out

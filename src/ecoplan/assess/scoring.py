"""Scores and grades of a plan assessment from a YAML rule set.

The default rule set (``rules/default.yaml``) is documented line by line; it
is a [DESIGN] of this project built from documented Chinese practice
(``assessment.md`` §6.2–6.7): attribute weights 3:2, missing data scored 60
with its weight kept, grade bands 90/70/60, a binding-indicator veto and an
incident cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ecoplan.assess.evaluate import IndicatorAssessment, PlanAssessment, Status, Verdict
from ecoplan.errors import ScoringRuleError

__all__ = ["Grade", "ScoreCard", "ScoringRules", "grade", "load_rules", "score"]


@dataclass(frozen=True)
class Grade:
    min: float
    zh: str
    en: str


@dataclass(frozen=True)
class ScoringRules:
    name: str
    weights: dict[str, float]
    missing_score: float
    grades: tuple[Grade, ...]
    veto: str | None
    caps: dict[str, str]


def load_rules(path: str | Path | None = None) -> ScoringRules:
    """Read a rule set; ``None`` reads the shipped default.

    Raises
    ------
    ScoringRuleError
        A missing or malformed field, named.
    """
    if path is None:
        text = resources.files("ecoplan.assess").joinpath("rules/default.yaml").read_text("utf-8")
        where = "rules/default.yaml"
    else:
        where = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ScoringRuleError(f"{where}: cannot read the scoring rules ({exc.strerror})") from exc
    try:
        d = yaml.safe_load(text)
        grades = tuple(Grade(float(g["min"]), str(g["zh"]), str(g.get("en", g["zh"]))) for g in d["grades"])
        rules = ScoringRules(
            name=str(d["name"]),
            weights={k: float(v) for k, v in d["weights"].items()},
            missing_score=float(d.get("missing_score", 60)),
            grades=tuple(sorted(grades, key=lambda g: -g.min)),
            veto=d.get("veto"),
            caps={str(k): str(v) for k, v in (d.get("caps") or {}).items()},
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ScoringRuleError(f"{where}: malformed scoring rules ({exc!r})") from exc
    if not rules.grades:
        raise ScoringRuleError(f"{where}: grades must list at least one band")
    names = {n for g in rules.grades for n in (g.zh, g.en)}
    for flag, cap in rules.caps.items():
        if cap not in names:
            raise ScoringRuleError(f"{where}: cap {flag!r} names no grade ({cap!r})")
    if set(rules.weights) != {"binding", "expected"}:
        raise ScoringRuleError(f"{where}: weights must name 'binding' and 'expected'")
    if rules.veto not in (None, "binding_not_met"):
        raise ScoringRuleError(f"{where}: veto is 'binding_not_met' or absent, not {rules.veto!r}")
    return rules


def indicator_score(a: IndicatorAssessment, rules: ScoringRules) -> float | None:
    """Score 0–100 of one indicator, or None when it is left out (not assessable)."""
    if a.status is Status.NOT_ASSESSABLE:
        return None
    if a.status is Status.INSUFFICIENT_DATA:
        return rules.missing_score
    if a.status in (Status.ACHIEVED, Status.ON_TRACK):
        return 100.0
    made = a.cs
    if made is None:
        return 0.0
    if a.verdict is Verdict.NOT_MET or a.target is None:
        share = made
    else:
        elapsed = (a.year - a.baseline_year) / max(1, a.target.year - a.baseline_year)
        share = made / elapsed if elapsed > 0 else 0.0
    return 100.0 * min(1.0, max(0.0, share))


def grade(score: float, rules: ScoringRules, *, vetoed: bool = False, flags: set[str] | None = None) -> Grade:
    """Grade band of ``score`` after vetoes and caps (``assessment.md`` §6.7)."""
    worst = rules.grades[-1]
    if vetoed:
        return worst
    g = next((g for g in rules.grades if score >= g.min - 1e-9), worst)
    for flag in sorted(flags or ()):
        cap = rules.caps.get(flag)
        if cap is None:
            raise ScoringRuleError(f"unknown flag {flag!r} (known: {', '.join(rules.caps)})")
        cap_grade = next((x for x in rules.grades if cap in (x.zh, x.en)), None)
        if cap_grade is not None and g.min > cap_grade.min:
            g = cap_grade
    return g


@dataclass(frozen=True)
class ScoreCard:
    rules: str
    score: float | None
    grade: Grade | None
    vetoed_by: tuple[str, ...]
    indicator_scores: dict[str, float | None]
    assessed: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "score": None if self.score is None else round(self.score, 2),
            "grade": None if self.grade is None else {"zh": self.grade.zh, "en": self.grade.en},
            "vetoed_by": list(self.vetoed_by),
            "assessed": self.assessed,
            "total": self.total,
            "indicator_scores": {
                k: None if v is None else round(v, 2) for k, v in self.indicator_scores.items()
            },
        }


def score(pa: PlanAssessment, rules: ScoringRules | None = None, flags: set[str] | None = None) -> ScoreCard:
    """Weighted score and grade of a plan assessment."""
    rules = rules or load_rules()
    scores: dict[str, float | None] = {}
    num = den = 0.0
    for a in pa.indicators:
        s = indicator_score(a, rules)
        scores[a.indicator.id] = s
        if s is not None:
            w = rules.weights[a.attribute.value]
            num += w * s
            den += w
    total = num / den if den else None
    vetoed = tuple(
        a.indicator.id
        for a in pa.indicators
        if rules.veto == "binding_not_met" and a.attribute.value == "binding" and a.verdict is Verdict.NOT_MET
    )
    g = None if total is None else grade(total, rules, vetoed=bool(vetoed), flags=flags)
    assessed = sum(a.status not in (Status.NOT_ASSESSABLE, Status.INSUFFICIENT_DATA) for a in pa.indicators)
    return ScoreCard(rules.name, total, g, vetoed, scores, assessed, len(pa.indicators))

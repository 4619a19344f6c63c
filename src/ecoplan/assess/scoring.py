"""Scores and grades of a plan assessment from a YAML rule set.

The default rule set (``rules/default.yaml``) is documented line by line; it
is a [DESIGN] of this project built from documented Chinese practice
(``assessment.md`` §6.2–6.7): attribute weights 3:2, grade bands 90/70/60, a
binding-indicator veto and an incident cap. An indicator without data scores
nothing and is counted as not assessed; a plan with fewer assessed indicators
than the rule set's minimum share gets no score and no grade ("not gradable:
3 of 26 assessed") — never a pass mark for data nobody reported.

:func:`score` scores one assessment; :func:`score_frame` scores every region
of a table of assessment rows (:mod:`ecoplan.assess.table`) at once, by the
same rules (a test holds them equal).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ecoplan.assess.evaluate import IndicatorAssessment, PlanAssessment, Status, Verdict
from ecoplan.core.errors import ScoringRuleError

__all__ = ["Grade", "ScoreCard", "ScoringRules", "grade", "load_rules", "score", "score_frame"]


@dataclass(frozen=True)
class Grade:
    min: float
    zh: str
    en: str


@dataclass(frozen=True)
class ScoringRules:
    name: str
    weights: dict[str, float]
    min_assessed_share: float
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
        return _default_rules()
    return _load(path)


@functools.cache
def _default_rules() -> ScoringRules:
    return _load(None)


def _load(path: str | Path | None) -> ScoringRules:
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
            min_assessed_share=float(d.get("min_assessed_share", 0.8)),
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
    if "missing_score" in d:
        raise ScoringRuleError(
            f"{where}: 'missing_score' is no longer supported: an indicator without data scores "
            "nothing; set 'min_assessed_share' instead"
        )
    if not 0 < rules.min_assessed_share <= 1:
        raise ScoringRuleError(f"{where}: min_assessed_share lies in (0, 1], not {rules.min_assessed_share}")
    if set(rules.weights) != {"binding", "expected"}:
        raise ScoringRuleError(f"{where}: weights must name 'binding' and 'expected'")
    if rules.veto not in (None, "binding_not_met"):
        raise ScoringRuleError(f"{where}: veto is 'binding_not_met' or absent, not {rules.veto!r}")
    return rules


def indicator_score(a: IndicatorAssessment, rules: ScoringRules) -> float | None:
    """Score 0–100 of one indicator, or None when it is not assessed (no data, no target)."""
    if a.status in (Status.NOT_ASSESSABLE, Status.INSUFFICIENT_DATA):
        return None
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
    """The score of one plan assessment; ``score`` and ``grade`` are None when not gradable."""

    rules: str
    score: float | None
    grade: Grade | None
    vetoed_by: tuple[str, ...]
    indicator_scores: dict[str, float | None]
    assessed: int
    total: int
    assessable: int = 0
    min_share: float = 0.8

    @property
    def gradable(self) -> bool:
        return self.score is not None

    def note(self, lang: str = "en") -> str | None:
        """Why there is no grade, or None."""
        if self.gradable:
            return None
        if lang == "zh":
            share = f"{self.min_share:.0%}"
            return f"不予评分：{self.total}项指标中仅{self.assessed}项可评估（规则要求不少于{share}）"
        return (
            f"not gradable: {self.assessed} of {self.total} assessed "
            f"(the rules need at least {self.min_share:.0%})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "score": None if self.score is None else round(self.score, 2),
            "grade": None if self.grade is None else {"zh": self.grade.zh, "en": self.grade.en},
            "gradable": self.gradable,
            "note": self.note("en"),
            "note_zh": self.note("zh"),
            "vetoed_by": list(self.vetoed_by),
            "assessed": self.assessed,
            "assessable": self.assessable,
            "total": self.total,
            "indicator_scores": {
                k: None if v is None else round(v, 2) for k, v in self.indicator_scores.items()
            },
        }


def _gradable(assessed: int, assessable: int, share: float) -> bool:
    return assessed > 0 and assessed >= share * assessable - 1e-9


def score(pa: PlanAssessment, rules: ScoringRules | None = None, flags: set[str] | None = None) -> ScoreCard:
    """Weighted score and grade of a plan assessment (None when not gradable)."""
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
    vetoed = tuple(
        a.indicator.id
        for a in pa.indicators
        if rules.veto == "binding_not_met" and a.attribute.value == "binding" and a.verdict is Verdict.NOT_MET
    )
    assessed = sum(a.status not in (Status.NOT_ASSESSABLE, Status.INSUFFICIENT_DATA) for a in pa.indicators)
    assessable = sum(a.status is not Status.NOT_ASSESSABLE for a in pa.indicators)
    ok = den > 0 and _gradable(assessed, assessable, rules.min_assessed_share)
    total = num / den if ok else None
    g = None if total is None else grade(total, rules, vetoed=bool(vetoed), flags=flags)
    return ScoreCard(
        rules.name,
        total,
        g,
        vetoed,
        scores,
        assessed,
        len(pa.indicators),
        assessable,
        rules.min_assessed_share,
    )


def score_frame(
    rows: pd.DataFrame,
    rules: ScoringRules | None = None,
    *,
    indicators: int | None = None,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Score every region of a table of assessment rows of one plan and year.

    ``rows`` has the columns of :data:`ecoplan.assess.table.COLUMNS`; when it
    is sparse (rows without a value left out, as stored), ``indicators`` is
    the plan's indicator count and ``regions`` every region to score (a region
    without rows scores as having no data). Returns one row per region:
    ``region, score, grade_zh, grade_en, vetoed, binding_met, assessed,
    assessable, total`` (score and grades NaN/None when not gradable), by the
    rules of :func:`score`.
    """
    import numpy as np

    rules = rules or load_rules()
    st = rows["status"].astype(str).to_numpy()
    verdict = rows["verdict"].astype(str).to_numpy()
    binding = (rows["attribute"].astype(str) == "binding").to_numpy()
    out_of = np.isin(st, [Status.NOT_ASSESSABLE.value, Status.INSUFFICIENT_DATA.value])
    full = np.isin(st, [Status.ACHIEVED.value, Status.ON_TRACK.value])
    cs = rows["cs"].to_numpy(dtype=float)
    made = np.where(np.isnan(cs), 0.0, cs)
    ty = rows["target_year"].to_numpy(dtype=float, na_value=np.nan)
    by = rows["baseline_year"].to_numpy(dtype=float)
    yr = rows["year"].to_numpy(dtype=float)
    elapsed = (yr - by) / np.maximum(1.0, ty - by)
    final = (verdict == Verdict.NOT_MET.value) | np.isnan(ty)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(final, made, np.where(elapsed > 0, made / elapsed, 0.0))
    s = np.where(full, 100.0, 100.0 * np.clip(share, 0.0, 1.0))
    s = np.where(out_of, np.nan, s)
    w = np.where(binding, rules.weights["binding"], rules.weights["expected"])
    frame = pd.DataFrame(
        {
            "region": rows["region"].astype(str).to_numpy(),
            "num": np.where(out_of, 0.0, w * s),
            "den": np.where(out_of, 0.0, w),
            "assessed": ~out_of,
            "assessable": st != Status.NOT_ASSESSABLE.value,
            "total": 1,
            "veto": binding & (verdict == Verdict.NOT_MET.value) & (rules.veto == "binding_not_met"),
            "binding_met": binding & (verdict == Verdict.MET.value),
        }
    )
    g = frame.groupby("region", sort=True).sum()
    if regions is not None:
        g = g.reindex(sorted(set(regions) | set(g.index)), fill_value=0)
    if indicators is not None:  # sparse rows: the missing ones are insufficient data
        g["assessable"] = g["assessable"] + (indicators - g["total"])
        g["total"] = indicators
    ok = (
        (g["den"] > 0)
        & (g["assessed"] > 0)
        & (g["assessed"] >= rules.min_assessed_share * g["assessable"] - 1e-9)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(ok, g["num"] / g["den"].where(g["den"] > 0, 1.0), np.nan)
    mins = np.array([gr.min for gr in rules.grades])
    idx = np.array([int(np.argmax(t >= mins - 1e-9)) if t == t else -1 for t in total])
    idx = np.where(g["veto"].to_numpy() > 0, len(rules.grades) - 1, idx)
    idx = np.where(np.isnan(total), -1, idx)
    zh = [None if i < 0 else rules.grades[i].zh for i in idx]
    en = [None if i < 0 else rules.grades[i].en for i in idx]
    return pd.DataFrame(
        {
            "region": g.index.to_numpy(),
            "score": total,
            "grade_zh": zh,
            "grade_en": en,
            "vetoed": g["veto"].to_numpy() > 0,
            "binding_met": g["binding_met"].to_numpy().astype(int),
            "assessed": g["assessed"].to_numpy().astype(int),
            "assessable": g["assessable"].to_numpy().astype(int),
            "total": g["total"].to_numpy().astype(int),
        }
    )

"""Ranking of regions on a plan's indicators (``assessment.md`` §5.6).

Regions are ranked among regions of one level — provinces with provinces,
prefecture-level cities with cities, counties with counties — never the
nation with Beijing. Within a level they are ordered by score (high first),
ties broken by the number of binding indicators met, then by code. A region
that is not gradable (fewer assessed indicators than the rule set's minimum
share, :mod:`ecoplan.assess.scoring`) is listed after the ranked ones, with
the reason, but not ranked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.assess.evaluate import PlanAssessment
from ecoplan.assess.scoring import ScoreCard

__all__ = ["LEVELS", "RankRow", "rank_frame", "rank_regions"]

#: Region levels, top down (``regions.csv``).
LEVELS = ("national", "province", "prefecture", "county")


@dataclass(frozen=True)
class RankRow:
    rank: int | None
    region: str
    score: float | None
    grade: str | None
    binding_met: int
    assessed: int
    total: int
    note: str | None
    level: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    grade_en: str | None = None
    note_zh: str | None = None


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _note(assessed: int, total: int, share: float) -> tuple[str, str]:
    return (
        f"not ranked: {assessed} of {total} assessed (the rules need at least {share:.0%})",
        f"不参与排名：{total}项指标中仅{assessed}项可评估（规则要求不少于{share:.0%}）",
    )


def rank_frame(
    scores: pd.DataFrame,
    levels: Mapping[str, str],
    names: Mapping[str, tuple[str | None, str | None]] | None = None,
    *,
    level: str | None = None,
    min_share: float = 0.8,
) -> list[RankRow]:
    """Rank the regions of ``scores`` (:func:`~ecoplan.assess.scoring.score_frame`) within one level.

    ``levels`` maps region code to level; ``level`` picks one (default: the
    highest level present below the nation, or the nation alone).
    """
    df = scores.assign(level=scores["region"].map(levels))
    if level is None:
        present = [lv for lv in LEVELS if lv in set(df["level"]) and lv != "national"]
        level = present[0] if present else "national"
    df = df[df["level"] == level]
    ok = df[df["score"].notna()].sort_values(
        ["score", "binding_met", "region"], ascending=[False, False, True], kind="stable"
    )
    rest = df[df["score"].isna()].sort_values("region")
    names = names or {}
    out: list[RankRow] = []
    for i, r in enumerate(_records(ok), start=1):
        zh, en = names.get(r["region"], (None, None))
        out.append(
            RankRow(
                i,
                r["region"],
                round(float(r["score"]), 2),
                r["grade_zh"],
                int(r["binding_met"]),
                int(r["assessed"]),
                int(r["total"]),
                None,
                level,
                zh,
                en,
                r["grade_en"],
                None,
            )
        )
    for r in _records(rest):
        zh, en = names.get(r["region"], (None, None))
        note_en, note_zh = _note(int(r["assessed"]), int(r["total"]), min_share)
        out.append(
            RankRow(
                None,
                r["region"],
                None,
                None,
                int(r["binding_met"]),
                int(r["assessed"]),
                int(r["total"]),
                note_en,
                level,
                zh,
                en,
                None,
                note_zh,
            )
        )
    return out


def rank_regions(
    results: Sequence[tuple[PlanAssessment, ScoreCard]], *, min_share: float = 0.8
) -> list[RankRow]:
    """Rank scalar results (all of one level, as the caller chose them)."""
    rows = []
    for pa, card in results:
        summ = pa.summary()
        rows.append(
            {
                "region": pa.region,
                "score": card.score,
                "grade_zh": None if card.grade is None else card.grade.zh,
                "grade_en": None if card.grade is None else card.grade.en,
                "binding_met": summ["binding_met"],
                "assessed": card.assessed,
                "total": card.total,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["region", "score", "grade_zh", "grade_en", "binding_met", "assessed", "total"]
    )
    frame["score"] = frame["score"].astype(float)
    return rank_frame(frame, dict.fromkeys(frame["region"], "any"), level="any", min_share=min_share)

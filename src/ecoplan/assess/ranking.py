"""Ranking of regions on a plan's indicators (``assessment.md`` §5.6).

Regions are ordered by score (high first), ties broken by the number of
binding indicators met, then by code. A region that assessed fewer than
``min_share`` (80 %, the SDSN index rule) of the indicators is listed but
not ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecoplan.assess.evaluate import PlanAssessment
from ecoplan.assess.scoring import ScoreCard

__all__ = ["RankRow", "rank_regions"]


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


def rank_regions(
    results: Sequence[tuple[PlanAssessment, ScoreCard]], *, min_share: float = 0.8
) -> list[RankRow]:
    rows = []
    for pa, card in results:
        summ = pa.summary()
        ok = card.total > 0 and card.assessed / card.total >= min_share and card.score is not None
        rows.append(
            (
                ok,
                RankRow(
                    rank=None,
                    region=pa.region,
                    score=None if card.score is None else round(card.score, 2),
                    grade=None if card.grade is None else card.grade.zh,
                    binding_met=summ["binding_met"],
                    assessed=card.assessed,
                    total=card.total,
                    note=None
                    if ok
                    else f"not ranked: {card.assessed}/{card.total} indicators assessed (< {min_share:.0%})",
                ),
            )
        )
    ranked = sorted((r for ok, r in rows if ok), key=lambda r: (-(r.score or 0.0), -r.binding_met, r.region))
    out = []
    for i, r in enumerate(ranked):
        out.append(RankRow(i + 1, r.region, r.score, r.grade, r.binding_met, r.assessed, r.total, None))
    out.extend(sorted((r for ok, r in rows if not ok), key=lambda r: r.region))
    return out

"""Ranking regions of one level (``assessment.md`` §5.6) on scores given by hand.

The scores are inputs here, not computed, so the order is known independently:
score high first; equal scores by binding indicators met (more first), then by code.
"""

from __future__ import annotations

import pandas as pd

from ecoplan.assess.ranking import rank_frame

COLUMNS = ["region", "score", "grade_zh", "grade_en", "binding_met", "assessed", "total"]
LEVELS = {
    "000000": "national",
    "110000": "province",
    "120000": "province",
    "130000": "province",
    "140000": "province",
    "150000": "province",
    "310000": "province",
    "130100": "prefecture",
    "130200": "prefecture",
}


def _scores() -> pd.DataFrame:
    rows = [
        ("000000", 99.0, "优秀", "excellent", 12, 26, 26),  # the nation: never ranked with provinces
        ("110000", 80.0, "良好", "good", 9, 26, 26),
        ("120000", 92.5, "优秀", "excellent", 11, 26, 26),
        ("130000", 80.0, "良好", "good", 10, 26, 26),  # ties 110000 and 150000 on score, more binding met
        ("140000", 61.25, "合格", "pass", 6, 24, 26),
        ("150000", 80.0, "良好", "good", 9, 25, 26),  # ties 110000 on score and binding: code decides
        ("310000", None, None, None, 2, 10, 26),  # 10 of 26 assessed: not gradable
        ("130100", 95.0, "优秀", "excellent", 11, 26, 26),
        ("130200", 70.0, "合格", "pass", 8, 26, 26),
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame


def test_provinces_ranked_by_score_then_binding_met_then_code() -> None:
    rows = rank_frame(_scores(), LEVELS)  # default level: the highest below the nation
    assert [(r.rank, r.region, r.score) for r in rows] == [
        (1, "120000", 92.5),
        (2, "130000", 80.0),  # 10 binding met beats 9
        (3, "110000", 80.0),  # 9 binding met, code 110000 before 150000
        (4, "150000", 80.0),
        (5, "140000", 61.25),
        (None, "310000", None),  # listed after the ranked ones, with the reason
    ]
    assert {r.level for r in rows} == {"province"}
    assert "000000" not in {r.region for r in rows}
    last = rows[-1]
    assert last.note == "not ranked: 10 of 26 assessed (the rules need at least 80%)"
    assert last.note_zh == "不参与排名：26项指标中仅10项可评估（规则要求不少于80%）"
    assert all(r.note is None for r in rows[:-1])


def test_cities_are_ranked_only_with_cities() -> None:
    rows = rank_frame(_scores(), LEVELS, level="prefecture")
    assert [(r.rank, r.region) for r in rows] == [(1, "130100"), (2, "130200")]

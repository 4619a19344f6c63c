"""An indicator whose method is not yet published (the 15th FYP 优良水体比例).

Without a value it is not assessed and says why (``method_unpublished``, zh and en),
never "no value"; a value a domain pipeline computed (the class Ⅰ–Ⅲ share) is never
used for it; a value entered with its own source is assessed as usual. The vectorised
table follows the same rule.
"""

from __future__ import annotations

import pandas as pd

from ecoplan.assess.evaluate import Observation, Status, Verdict, assess_indicator, assess_plan
from ecoplan.assess.table import assess_table
from ecoplan.plans import builtin_plans

OUTLINE = next(p for p in builtin_plans() if p.id == "cn-15th-outline")
WATER = OUTLINE.indicator("water-good-bodies")


def test_no_value_says_method_unpublished_in_both_languages() -> None:
    a = assess_indicator(OUTLINE, WATER, "000000", 2027, [])
    assert (a.status, a.verdict) == (Status.NOT_ASSESSABLE, Verdict.PENDING)
    assert a.reason.reason is not None and a.reason.reason.code == "method_unpublished"
    assert "计算方法尚未公布" in a.reason.zh and "水生态" in a.reason.zh
    assert "not yet published" in a.reason.en and "water-ecology" in a.reason.en
    assert "缺少" not in a.reason.zh and "no value" not in a.reason.en
    d = a.to_dict()
    assert d["reason_code"] == "method_unpublished" and "not yet published" in d["reason"]


def test_pipeline_value_is_never_used() -> None:
    """91.4, the 2011-method class Ⅰ–Ⅲ share, fed by a pipeline: ignored, not judged."""
    fed = [Observation(2026, 91.4, source="pipeline water")]
    a = assess_indicator(OUTLINE, WATER, "000000", 2026, fed)
    assert a.value is None and a.status is Status.NOT_ASSESSABLE
    assert a.reason.reason is not None and a.reason.reason.code == "method_unpublished"


def test_entered_value_with_its_own_source_is_assessed() -> None:
    entered = [Observation(2030, 86.0, source="生态环境部公报 2030")]
    a = assess_indicator(OUTLINE, WATER, "000000", 2030, entered)
    assert a.value == 86.0 and (a.status, a.verdict) == (Status.ACHIEVED, Verdict.MET)
    below = assess_indicator(OUTLINE, WATER, "000000", 2030, [Observation(2030, 84.0, source="公报")])
    assert (below.status, below.verdict) == (Status.OFF_TRACK, Verdict.NOT_MET)


def test_other_indicators_keep_no_value() -> None:
    co2 = OUTLINE.indicator("co2-intensity-decline")
    a = assess_indicator(OUTLINE, co2, "000000", 2027, [])
    assert a.status is Status.INSUFFICIENT_DATA and a.reason.reason is not None
    assert a.reason.reason.code == "no_value"


def test_table_follows_the_same_rule() -> None:
    values = pd.DataFrame(
        {
            "indicator_id": ["water-good-bodies", "water-good-bodies", "co2-intensity-decline"],
            "region": ["000000", "110000", "110000"],
            "year": [2027, 2027, 2027],
            "value": [82.0, 91.4, 5.0],
            "basis": ["level", "level", "change"],
            "source": ["公报", "pipeline water", None],
        }
    )
    t = assess_table(OUTLINE, values, [2027])
    row = t[(t["indicator_id"] == "water-good-bodies") & (t["region"] == "000000")].iloc[0]
    assert row["status"] == "on_track" and row["value"] == 82.0
    fed = t[(t["indicator_id"] == "water-good-bodies") & (t["region"] == "110000")].iloc[0]
    assert fed["status"] == "not_assessable" and pd.isna(fed["value"])
    fed_obs = [Observation(2027, 91.4, source="pipeline water")]
    pa_ = assess_plan(OUTLINE, "110000", 2027, {"water-good-bodies": fed_obs})
    assert pa_.indicators[0].status.value == fed["status"]

"""The 14th period's end beside the 15th's baseline, on a real DuckDB file (``ep``).

Expected figures are the stored values and plan baselines of ``tests/plans/test_lineage.py``
read by hand: PM2.5 2025 decline 20 % (change form) vs a 28 µg/m³ baseline — redefined,
never one series; Ⅰ–Ⅲ share 91.4 vs good-water share 80 — redefined; good-air days
89.3 vs 89.3 — continued, consistent; forest cover 25.09 vs 25.1 — continued, differs by
0.01 under the plan's fixed-station rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.plans.test_lineage import plan14, plan15, store_periods

from ecoplan.app import Ecoplan
from ecoplan.app.lineage import check_stored_links, plan_lineage
from ecoplan.assess.lineage import LinkVerdict, assess_link
from ecoplan.assess.model import Observation
from ecoplan.core.errors import NotFound, OutOfScope
from ecoplan.plans.lineage import links_of
from ecoplan.plans.model import Relation
from ecoplan.plans.serialize import plan_from_mapping


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecoplan]:
    """One real DuckDB file with the built-in plans, both test plans and their values."""
    tmp = tmp_path_factory.mktemp("lineage")
    with Ecoplan(tmp / "lineage.duckdb") as ep:
        ep.init()
        store_periods(ep, tmp)
        yield ep


def _by_id(ep: Ecoplan, region: str | None = None, as_of: str | None = None) -> dict[str, dict[str, Any]]:
    return {d["indicator"]: d for d in plan_lineage(ep, "t15-eco", region, as_of).to_dict()["links"]}


def test_redefined_pm25_shows_both_never_a_difference(stored: Ecoplan) -> None:
    d = _by_id(stored)["pm25"]
    assert d["verdict"] == "not_comparable" and d["difference"] is None
    assert d["predecessor"] == {
        "plan": "t14-eco",
        "indicator": "pm25-decline",
        "relation": "redefined",
        "note_zh": "由下降比例改为浓度绝对值",
        "note_en": "from a decline to a concentration",
        "one_series": False,
    }
    end = d["end"]
    assert (end["year"], end["value"], end["basis"], end["unit"]) == (2025, 20.0, "change", "%")
    assert end["source"] == "S14 PM2.5 communiqué" and end["revision"] == 1
    assert (end["target"], end["status"], end["verdict"]) == ("〔10〕", "achieved", "met")
    base = d["baseline"]
    assert (base["year"], base["value"], base["unit"], base["source"]) == (2025, 28.0, "微克/立方米", "plan")
    assert (base["file"], base["quote"]) == ("t15.txt", "细颗粒物浓度（微克/立方米）28 → 25")
    assert base["comparable_baseline"]["rule"] == "fixed-stations"
    assert d["reason_zh"] == (
        "重新定义，不作为同一序列比较：前身指标2025年末值 20%（较其基期的累计变化），"
        "本期2025年基数 28微克/立方米"
    )
    assert d["reason"] == (
        "redefined, not compared as one series: the predecessor's 2025 end value 20% "
        "(cumulative change since its base year), this period's 2025 baseline 28 µg/m³"
    )


def test_redefined_water_share_91_4_beside_80(stored: Ecoplan) -> None:
    d = _by_id(stored)["good-water"]
    assert (d["end"]["value"], d["end"]["basis"], d["end"]["source"]) == (91.4, "level", "S14 water bulletin")
    assert (d["baseline"]["value"], d["baseline"]["source"]) == (80.0, "plan")
    assert d["baseline"]["file"] == "t15-plan.pdf" and d["baseline"]["quote"] is None  # the plan's own source
    assert d["verdict"] == "not_comparable" and d["difference"] is None


def test_continued_consistent_and_differs(stored: Ecoplan) -> None:
    links = _by_id(stored)
    days, forest = links["good-days"], links["forest"]
    assert (days["end"]["value"], days["baseline"]["value"]) == (89.3, 89.3)
    assert days["verdict"] == "consistent" and days["difference"] == 0
    assert days["reason_zh"] == "同一序列：2025年基数 89.3% 与前身指标2025年末值 89.3% 一致"
    assert (forest["end"]["value"], forest["baseline"]["value"]) == (25.09, 25.1)
    assert forest["verdict"] == "differs" and forest["difference"] == pytest.approx(0.01)
    assert forest["end"]["source"] == "S14 forest census" and forest["baseline"]["source"] == "plan"
    assert forest["reason_zh"] == (
        "同一序列，但2025年基数 25.1% 与前身指标2025年末值 25.09% 相差 0.01%；本期基数按固定监测点位口径核算"
    )


def test_another_region_is_measured_on_its_own_stored_values(stored: Ecoplan) -> None:
    links = _by_id(stored, "110000")
    days = links["good-days"]
    assert (days["end"]["value"], days["end"]["source"]) == (79.0, "BJ 2025 bulletin")
    assert (days["baseline"]["value"], days["baseline"]["source"]) == (80.1, "BJ 2025 fixed-station recount")
    assert days["verdict"] == "differs" and days["difference"] == pytest.approx(1.1)
    assert links["forest"]["verdict"] == "insufficient_data" and links["forest"]["end"]["value"] is None
    pm = links["pm25"]
    assert (
        pm["verdict"] == "not_comparable"
        and pm["baseline"]["value"] is None
        and pm["baseline"]["source"] is None
    )


def test_as_of_before_the_values_were_recorded(stored: Ecoplan) -> None:
    links = _by_id(stored, as_of="2020-01-01")
    assert links["good-days"]["end"]["value"] is None
    assert links["good-days"]["verdict"] == "insufficient_data"
    assert links["pm25"]["verdict"] == "not_comparable"


def test_a_missing_predecessor_plan_is_a_broken_link(ep: Ecoplan, tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "t15.yaml"
    path.write_text(yaml.safe_dump(plan15(), allow_unicode=True), encoding="utf-8")
    ep.import_plan(path)  # its predecessor plan is not stored
    links = _by_id(ep)
    assert {d["verdict"] for d in links.values()} == {"broken_link"}
    assert links["pm25"]["end"] is None
    assert links["pm25"]["reason_zh"] == "前身规划 t14-eco 未载入（未知的规划编号）"
    assert links["pm25"]["problem"] == {
        "code": "lineage.unknown_plan",
        "params": {"plan": "t14-eco", "indicator": "pm25-decline"},
    }
    broken = check_stored_links(ep, "t15-eco")
    assert (broken[0].field, broken[0].problem_text("en")) == (
        "indicators[0].predecessor",
        "predecessor plan t14-eco is not loaded (unknown plan id)",
    )


def test_unknown_plan_or_region(stored: Ecoplan) -> None:
    with pytest.raises(NotFound):
        plan_lineage(stored, "t16-eco")
    with pytest.raises(NotFound):
        plan_lineage(stored, "t15-eco", "999999")
    with pytest.raises(OutOfScope, match="outside the territory"):
        plan_lineage(stored, "jiangmen-13th-eco", "110000")  # Beijing is not in Jiangmen
    assert check_stored_links(stored) == []


def test_a_plan_without_links_has_none(stored: Ecoplan) -> None:
    assert plan_lineage(stored, "t14-eco").to_dict()["links"] == []


_LINK = links_of(plan_from_mapping(plan15()), {"t14-eco": plan_from_mapping(plan14())})[2]  # good-days
_values = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1))


@given(end=_values, base=_values, relation=st.sampled_from(list(Relation)))
def test_difference_only_for_one_series(end: float, base: float, relation: Relation) -> None:
    from dataclasses import replace

    ind = replace(_LINK.indicator, baseline=replace(_LINK.indicator.baseline, value=base))
    link = replace(_LINK, indicator=ind, predecessor=replace(_LINK.predecessor, relation=relation))
    a = assess_link(link, "000000", [Observation(2025, end, source="s")])
    assert a.end is not None and a.end.value == end and a.baseline.value == base
    if relation in (Relation.CONTINUED, Relation.RENAMED):
        assert a.difference == pytest.approx(base - end)
        assert a.verdict is (LinkVerdict.CONSISTENT if base == end else LinkVerdict.DIFFERS)
    else:
        assert a.difference is None and a.verdict is LinkVerdict.NOT_COMPARABLE


def test_continued_cumulative_is_counted_afresh() -> None:
    """The CO2-intensity decline: 〔18〕 from 2020 then 〔17〕 from 2025 — one definition, but
    the 14th period's end (a change since 2020) is no baseline of the 15th's count."""
    from tests.plans.test_lineage import _ind

    p14, p15 = plan14(), plan15()
    p14["indicators"].append(_ind("co2", "t.co2", "二氧化碳排放降低", "%", "lower", None, 2025, "〔18〕"))
    co2 = _ind("co2", "t.co2", "二氧化碳排放降低", "%", "lower", None, 2030, "〔17〕")
    co2["predecessor"] = {"plan": "t14-eco", "indicator": "co2", "relation": "continued"}
    p15["indicators"].append(co2)
    link = links_of(plan_from_mapping(p15), {"t14-eco": plan_from_mapping(p14)})[-1]
    from ecoplan.plans.model import Basis

    a = assess_link(link, "000000", [Observation(2025, 17.7, Basis.CHANGE, source="S14 CO2")])
    assert a.verdict is LinkVerdict.NEW_COUNT and a.difference is None
    assert a.end is not None and (a.end.value, a.end.basis, a.end.source) == (17.7, "change", "S14 CO2")
    assert a.reason.zh == (
        "延续，同一定义，自2025年起重新累计：前身指标2025年末值 17.7%（较其基期的累计变化）不是本期基数"
    )
    none = assess_link(link, "000000", [])
    assert none.verdict is LinkVerdict.NEW_COUNT
    assert "前身指标2025年末值 无数值（较其基期的累计变化）" in none.reason.zh
    assert "the predecessor's 2025 end value no value (cumulative" in none.reason.en

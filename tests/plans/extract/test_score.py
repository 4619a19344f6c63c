"""The corpus scorer (ecoplan.plans.extract.score): counts worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.plans.extract.score import load_expected, name_key, score, target_key, total, unit_key

EXPECTED = {
    "indicators": [
        {
            "name": "地级及以上城市细颗粒物（PM2.5）浓度",
            "unit": "微克/立方米",
            "baseline": {"year": 2020, "value": 33},
            "targets": [{"year": 2025, "expr": "29"}],
            "attribute": "binding",
        },  # 5 fields
        {
            "name": "空气质量优良天数比率",
            "unit": "%",
            "baseline": {"year": 2020, "value": 87},
            "targets": [{"year": 2025, "expr": "87.5"}],
            "attribute": None,
        },  # 4 fields
        # 2 fields
        {"name": "森林覆盖率", "unit": None, "baseline": None, "targets": [{"year": 2025, "expr": "〔1〕"}]},
    ],
    "commitments": [
        {"due": "2023-12-31", "contains": "淘汰35蒸吨/小时以下燃煤锅炉"},
        {"due": "2022-06-30", "contains": "完成重点行业清洁生产审核"},
        {"due": "2025-12-31", "contains": "建成区黑臭水体基本消除"},
    ],
}


def test_counts_worked_by_hand() -> None:
    found = {
        "indicators": [
            {  # right: name, unit (μg/m3 folded), baseline, target; wrong attribute
                "name": "1.地级及以上城市细颗粒物（PM2.5）浓度（μg/m3）",
                "unit": "μg/m3",
                "baseline": {"year": 2020, "value": 33.0},
                "targets": [{"year": 2025, "expr": "29"}],
                "attribute": "expected",
            },  # 5 found, 4 right
            {  # name, unit right; baseline year wrong; target right (87.5 = 87.50); attribute not printed
                "name": "空气质量优良天数比率",
                "unit": "％",
                "baseline": {"year": 2019, "value": 87},
                "targets": [{"year": 2025, "expr": "87.50"}],
                "attribute": "binding",
            },  # 5 found, 3 right
            # 2 found, 0 right
            {"name": "城市污水处理率", "unit": "%", "baseline": None, "targets": [], "attribute": None},
        ],
        "tasks": [
            {"due": "2023-12-31", "text": "到2023年底，淘汰35蒸吨/小时 以下燃煤锅炉。"},
            {"due": "2022-12-31", "text": "2022年6月底前完成重点行业清洁生产审核"},
        ],
    }
    sc = score("t", EXPECTED, found)
    assert (sc.indicators.right, sc.indicators.found, sc.indicators.expected) == (7, 12, 11)
    assert sc.indicators.precision == pytest.approx(7 / 12)
    assert sc.indicators.recall == pytest.approx(7 / 11)
    # 森林覆盖率 is not found: its 2 fields are missed; 城市污水处理率 is an extra
    assert "森林覆盖率: not found" in sc.misses
    assert "城市污水处理率: not an indicator of the document" in sc.extras
    assert any("attribute binding, found expected" in m for m in sc.misses)
    assert any("attribute binding not printed" in x for x in sc.extras)
    # commitments: the first found with its date, the second's clause with a wrong date, the third not
    assert (sc.commitments.right, sc.commitments.found, sc.commitments.expected) == (1, 2, 3)
    assert sc.commitments.recall == pytest.approx(1 / 3)
    assert sc.commitments.precision == pytest.approx(1 / 2)


def test_nothing_found_is_zero_recall_and_no_precision() -> None:
    sc = score("t", EXPECTED, None, "EcoplanError: no indicator table")
    assert sc.indicators.recall == 0.0
    assert sc.indicators.precision is None
    assert sc.indicators.f1 == 0.0
    assert sc.error == "EcoplanError: no indicator table"


def test_each_expected_matches_at_most_one_found() -> None:
    exp = {"indicators": [{"name": "化学需氧量排放总量减少", "targets": [{"year": 2025, "expr": "〔8〕"}]}]}
    found = {
        "indicators": [
            {"name": "化学需氧量排放总量减少", "targets": [{"year": 2025, "expr": "〔8〕"}]},
            {"name": "化学需氧量排放总量减少", "targets": [{"year": 2025, "expr": "〔8〕"}]},
        ]
    }
    sc = score("t", exp, found)
    assert (sc.indicators.right, sc.indicators.found, sc.indicators.expected) == (2, 4, 2)


def test_totals_are_micro_averages() -> None:
    a = score("a", {"indicators": [{"name": "森林覆盖率"}]}, {"indicators": [{"name": "森林覆盖率"}]})
    b = score("b", {"indicators": [{"name": "湿地保护率"}, {"name": "草原综合植被盖度"}]}, {"indicators": []})
    ind, _ = total([a, b])
    assert (ind.right, ind.found, ind.expected) == (1, 1, 3)


def test_keys() -> None:
    key = name_key("16.地级及以上城市细颗粒物（PM2.5）浓度（微克/立方米）")
    assert key == "地级及以上城市细颗粒物pm25浓度"
    assert name_key("（3）森林覆盖率（%）") == "森林覆盖率"
    assert name_key("①单位GDP二氧化碳排放降低") == "单位gdp二氧化碳排放降低"
    # a bracket that is part of the name stays
    assert name_key("近岸海域水质优良（一、二类）比例") == "近岸海域水质优良一二类比例"
    assert unit_key("（微克/立方米）") == unit_key("μg/m3") == "微克/立方米"
    assert target_key("＞80") == target_key(">80")
    assert target_key("90以上") == target_key("≥90")
    assert target_key("天 天 向上") == "天天向上"  # not grammar: compared as NFKC text without spaces


@given(st.text(min_size=1, max_size=30))
def test_name_key_is_idempotent_on_its_output(s: str) -> None:
    k = name_key(s)
    assert name_key(k) == k


def test_load_expected_names_the_file_and_field(tmp_path: Path) -> None:
    p = tmp_path / "expected.yaml"
    p.write_text("indicators:\n  - name: 森林覆盖率\n    baseline: {year: 2020}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"expected\.yaml: indicator 1 \(森林覆盖率\): baseline needs year"):
        load_expected(p)
    p.write_text("indicators: []\ncommitments:\n  - due: 2025-12-31\n", encoding="utf-8")
    with pytest.raises(ValueError, match="commitment 1: due and contains are required"):
        load_expected(p)


def test_traditional_script_compares_as_simplified() -> None:
    exp = {
        "indicators": [
            {"name": "細顆粒物濃度", "unit": "微克/立方米", "targets": [{"year": 2025, "expr": "穩中向好"}]}
        ]
    }
    found = {
        "indicators": [
            {"name": "细颗粒物浓度", "unit": "微克/立方米", "targets": [{"year": 2025, "expr": "稳中向好"}]}
        ]
    }
    sc = score("t", exp, found)
    assert (sc.indicators.right, sc.indicators.found, sc.indicators.expected) == (3, 3, 3)

"""Targets stated in running text (seed 004: Hebei, whose indicator table is missing)."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import pytest

from ecoplan.plans import TargetKind, builtin_plans, parse_target
from ecoplan.plans.extract.prose import extract_prose_targets
from ecoplan.plans.extract.spans import Document
from ecoplan.plans.extract.tables import ExtractedIndicator, extract_tables

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
HEBEI = next(p for p in builtin_plans() if p.id == "hebei-14th-eco")

# built-in indicator id -> the name the sentence gives it (the YAML normalises names:
# it adds the subject of an earlier clause, spells out 细颗粒物（PM2.5）, adds 降低 …)
NAMES = {
    "air-pm25": "地级城市PM2.5浓度",
    "air-good-days": "空气质量优良天数比率",
    "air-heavy-days": "全省重度及以上污染天气比率",
    "water-grade-i-iii": "地表水Ⅰ—Ⅲ类水体比例",
    "water-drinking-sources": "县级及以上城市饮用水水源水质达标率",
    "water-black-odorous-county": "县级城市建成区黑臭水体",
    "water-rural-sewage": "农村生活污水治理率",
    "water-use-per-gdp": "单位地区生产总值用水量下降",
    "sea-river-tn-decline": "国控入海河流总氮浓度下降比例",
    "noise-night-compliance": "声环境功能区夜间达标率",
    "climate-co2-intensity": "单位地区生产总值二氧化碳排放量",
    "climate-energy-intensity": "单位地区生产总值能源消耗",
    "climate-nonfossil-share": "非化石能源消费占能源消费比重",
    "soil-farmland-safe-use": "受污染耕地安全利用率",
    "soil-heavy-metal-decline": "重点行业重点重金属污染物排放量下降比例",
    "eco-grassland-cover": "草原综合植被盖度",
    "eco-wetland-protection": "湿地保护率",
    "eco-soil-erosion-treated": "新增水土流失综合治理面积",
    "eco-urban-park-per-capita": "城市人均公园绿地面积",
}
# no quantitative sentence: '重点建设用地安全利用率有效保障' (the YAML records '-')
NOT_STATED = {"soil-construction-land-safe-use"}
# the sentence states no unit for these two ('…能源消耗及二氧化碳排放量达到国家要求')
UNIT_EXCEPTIONS = {"climate-co2-intensity", "climate-energy-intensity"}


def load(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return Document(text=path.read_text("utf-8"), path=str(path), kind="text", encoding="utf-8")


@cache
def hebei() -> dict[str, ExtractedIndicator]:
    return {i.name_zh: i for i in extract_prose_targets(load("004"))}


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def test_hebei_has_no_table_so_prose_is_used() -> None:
    assert extract_tables(load("004")) == []


def test_every_builtin_indicator_with_a_stated_target_is_found() -> None:
    assert set(NAMES) | NOT_STATED == {i.id for i in HEBEI.indicators}
    got = hebei()
    missing = [ind_id for ind_id, name in NAMES.items() if name not in got]
    assert missing == []


@pytest.mark.parametrize("ind_id", sorted(NAMES))
def test_hebei_targets_match_the_builtin_plan(ind_id: str) -> None:
    ind = HEBEI.indicator(ind_id)
    x = hebei()[NAMES[ind_id]]
    assert [(y, parse_target(e).canonical()) for y, e in x.targets] == [
        (s.year, s.target.canonical()) for s in ind.targets
    ]
    expected_baseline = (ind.baseline.year, ind.baseline.value) if ind.baseline.value is not None else None
    assert x.baseline == expected_baseline
    if ind_id in UNIT_EXCEPTIONS:
        assert x.unit == ""
    else:
        assert nfkc(x.unit) == nfkc(ind.unit)
    assert (x.category_zh, x.attribute) == (None, None)


def test_hebei_baselines_from_the_2020_review() -> None:
    got = hebei()
    assert got["地级城市PM2.5浓度"].baseline == (2020, 44.8)  # not the 47 of non-compliant cities
    assert got["空气质量优良天数比率"].baseline == (2020, 69.9)
    assert got["地表水Ⅰ—Ⅲ类水体比例"].baseline == (2020, 66.2)
    assert got["非化石能源消费占能源消费比重"].baseline == (2020, 7.0)


def test_spans_quote_the_clause() -> None:
    doc = load("004")
    for x in hebei().values():
        assert doc.text[x.span.start : x.span.end] == x.span.quote
        assert "".join(x.span.quote.split()) == x.cells[0]
        for _, expr in x.targets:
            parse_target(expr)
    pm = hebei()["地级城市PM2.5浓度"]
    assert pm.span.quote == "地级城市 PM2.5浓度确保降至 37微克 /立方米"


def test_brief_sentences_with_baselines() -> None:
    text = (
        "　　2020年，全市细颗粒物（PM2.5）浓度为44.8微克/立方米，森林覆盖率为35.2%。\n"
        "　　到2025年，地级及以上城市PM2.5浓度确保降至37微克/立方米，优良天数比率确保达到75%，"
        "力争达到80%，重度及以上污染天数比率控制在1.5%以内，"
        "地表水国控断面达到或好于Ⅲ类水体比例达到70%，森林覆盖率达到36%。\n"
    )
    got = {i.name_zh: i for i in extract_prose_targets(Document(text, "t.txt", "text", "utf-8"))}
    assert set(got) == {
        "地级及以上城市PM2.5浓度",
        "优良天数比率",
        "重度及以上污染天数比率",
        "地表水国控断面达到或好于Ⅲ类水体比例",
        "森林覆盖率",
    }
    pm = got["地级及以上城市PM2.5浓度"]
    assert (pm.unit, pm.baseline, pm.targets) == ("μg/m³", (2020, 44.8), [(2025, "37")])
    assert got["重度及以上污染天数比率"].targets == [(2025, "1.5%以内")]
    assert parse_target("1.5%以内").canonical() == "≤1.5"
    assert got["森林覆盖率"].baseline == (2020, 35.2)
    assert got["优良天数比率"].targets == [(2025, "75%")]  # 力争 80 is a stretch, not a target


def test_base_year_can_be_given() -> None:
    text = "2019年，森林覆盖率为30%。到2022年，森林覆盖率达到31%。"
    (x,) = extract_prose_targets(Document(text, "t.txt", "text", "utf-8"), base_year=2019)
    assert (x.baseline, x.targets) == ((2019, 30.0), [(2022, "31%")])


def test_inherited_and_eliminate_targets() -> None:
    got = hebei()
    farmland = got["受污染耕地安全利用率"]
    assert parse_target(farmland.targets[0][1]).kind is TargetKind.INHERITED
    black = got["县级城市建成区黑臭水体"]
    assert black.targets == [(2024, "全面消除")]

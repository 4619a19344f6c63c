"""Targets stated in running text, in the forms real plans write (issue 13, point 2).

The named failure first — "到2025年，单位国内生产总值二氧化碳排放比2020年下降18%，…" found
nothing — then each clause form, the subject carried from the previous clause,
力争, and the clauses that look like targets but are not read: reported with their
span, never dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.plans.extract import _unread_dict, extract_plan, extract_text
from ecoplan.plans.extract.prose import ProseTargets, read_prose_targets
from ecoplan.plans.extract.spans import Document, Span
from ecoplan.plans.extract.tables import NotUnderstood
from ecoplan.plans.targets import parse_target

PARAGRAPH = (
    "到2025年，单位国内生产总值二氧化碳排放比2020年下降18%，地级及以上城市细颗粒物浓度下降10%，"
    "空气质量优良天数比率达到87.5%。"
)


def read(text: str) -> ProseTargets:
    return read_prose_targets(Document(text=text, path="plan.txt", kind="text", encoding="utf-8"))


def targets(text: str) -> list[tuple[str, int, str]]:
    """(name, year, canonical target) of every indicator read from ``text``."""
    return [(i.name_zh, y, parse_target(e).canonical()) for i in read(text).indicators for y, e in i.targets]


def test_the_named_paragraph_gives_three_targets_for_2025(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text("某省生态环境保护“十四五”规划\n\n" + PARAGRAPH + "\n", encoding="utf-8")
    result = extract_plan(doc)
    assert result.source == "prose"
    got = [
        (
            i.name.zh,
            i.unit,
            i.baseline.year,
            i.baseline.value,
            [(s.year, s.target.canonical()) for s in i.targets],
        )
        for i in result.plan.indicators
    ]
    assert got == [
        ("单位国内生产总值二氧化碳排放", "%", 2020, None, [(2025, "〔18〕")]),
        ("地级及以上城市细颗粒物浓度", "%", 2020, None, [(2025, "〔10〕")]),
        ("空气质量优良天数比率", "%", 2020, None, [(2025, "87.5")]),
    ]
    assert "not_understood" not in result.to_json()["extraction"]


def test_a_target_clause_is_not_read_as_a_baseline() -> None:
    # the sentence names 2020 (比2020年): its targets were once taken for 2020 values
    assert [i.baseline for i in read(PARAGRAPH).indicators] == [None, None, None]


def test_the_baseline_stated_before_the_deadline_is_kept() -> None:
    text = "2020年，全省细颗粒物浓度44.8微克/立方米。到2025年，全省细颗粒物浓度降至37微克/立方米。"
    [ind] = read(text).indicators
    assert (ind.name_zh, ind.unit, ind.baseline, ind.targets) == (
        "全省细颗粒物浓度",
        "μg/m³",
        (2020, 44.8),
        [(2025, "37")],
    )


@pytest.mark.parametrize(
    ("clauses", "expected"),
    [
        ("单位地区生产总值能耗比2020年下降14.5%", [("单位地区生产总值能耗", "〔14.5〕")]),
        ("单位地区生产总值用水量累计下降15%", [("单位地区生产总值用水量下降", "〔15〕")]),  # the seeds' form
        ("单位生产总值二氧化碳排放确保完成国家下达指标", [("单位生产总值二氧化碳排放", "国家要求")]),
        ("细颗粒物浓度下降10%以上", [("细颗粒物浓度", "〔10〕以上")]),
        ("森林覆盖率提高1.5个百分点", [("森林覆盖率", "〔1.5〕")]),
        ("空气质量优良天数比率达到87.5%", [("空气质量优良天数比率", "87.5")]),
        ("优良水体比例提高到85%", [("优良水体比例", "85")]),
        ("森林覆盖率提升至24.1%", [("森林覆盖率", "24.1")]),
        ("湿地保护率不低于55%", [("湿地保护率", "≥55")]),
        ("草原综合植被盖度稳定在73%以上", [("草原综合植被盖度", "稳定在73以上")]),
        ("自然保护地面积占比稳定在15%左右", [("自然保护地面积占比", "15左右")]),
        ("重度污染天数比率控制在1%以内", [("重度污染天数比率", "≤1")]),
        ("能源消费总量控制在省下达目标以内", [("能源消费总量", "省下达")]),
        ("受污染耕地安全利用率达到国家要求", [("受污染耕地安全利用率", "国家要求")]),
        (
            "化学需氧量和氨氮排放总量分别下降10%以上",
            [("化学需氧量排放总量", "〔10〕以上"), ("氨氮排放总量", "〔10〕以上")],
        ),
        (
            "城市生活污水集中收集率、农村生活污水治理率分别达到70%、45%",
            [("城市生活污水集中收集率", "70"), ("农村生活污水治理率", "45")],
        ),
        (
            "单位国内生产总值能耗和二氧化碳排放分别降低13.5%、18%",
            [("单位国内生产总值能耗", "〔13.5〕"), ("单位国内生产总值二氧化碳排放", "〔18〕")],
        ),
        (
            "营运车辆和船舶单位运输周转量二氧化碳排放强度比2020年分别下降4%和3.5%",
            [
                ("营运车辆单位运输周转量二氧化碳排放强度", "〔4〕"),
                ("船舶单位运输周转量二氧化碳排放强度", "〔3.5〕"),
            ],
        ),
        ("重污染天数基本消除", [("重污染天数", "基本消除")]),
        ("基本消除城市黑臭水体", [("城市黑臭水体", "基本消除")]),
        ("重点建设用地安全利用率有效保障", [("重点建设用地安全利用率", "有效保障")]),
        ("生态系统质量稳中向好", [("生态系统质量", "稳中向好")]),
        ("新增水土流失综合治理面积1000平方公里", [("新增水土流失综合治理面积", "〔1000〕")]),
        ("PM2.5年均浓度小于50微克/立方米", [("PM2.5年均浓度", "低于50")]),
        ("要求空气优良率达到91.5%", [("空气优良率", "91.5")]),
        (
            "自然保护地面积比例、生态保护红线面积比例和基本水面率不减少",
            [("自然保护地面积比例", "保持"), ("生态保护红线面积比例", "保持"), ("基本水面率", "保持")],
        ),
        ("重污染天气、城市黑臭水体基本消除", [("重污染天气", "基本消除"), ("城市黑臭水体", "基本消除")]),
        (
            "PM10和PM2.5年均浓度分别小于90微克/立方米、50微克/立方米",
            [("PM10年均浓度", "低于90"), ("PM2.5年均浓度", "低于50")],
        ),
        ("全省国控断面水质以Ⅱ类为主", [("全省国控断面水质", "以II类为主")]),
        ("长江黄河干流水质稳定达到Ⅱ类", [("长江黄河干流水质", "稳定达到II类")]),
        ("七大重点流域水质优良比例总体达到70%以上", [("七大重点流域水质优良比例", "≥70")]),
        (
            "化学需氧量、氨氮、氮氧化物排放总量比2020年分别下降8%、8%、10%以上",
            [("化学需氧量排放总量", "〔8〕"), ("氨氮排放总量", "〔8〕"), ("氮氧化物排放总量", "〔10〕以上")],
        ),
        ("主要污染物排放总量持续下降", [("主要污染物排放总量", "持续下降")]),
        ("能源消费总量得到合理控制", [("能源消费总量", "得到合理控制")]),
        ("无劣Ⅴ类水体", [("劣Ⅴ类水体", "全面消除")]),
        ("数字经济占比25%以上", [("数字经济占比", "≥25")]),
        ("人均预期寿命提高到80岁", [("人均预期寿命", "80")]),
        ("全市森林覆盖率达到51%及以上", [("全市森林覆盖率", "≥51")]),
        ("农村生活污水治理率达到40%等", [("农村生活污水治理率", "40")]),
        ("no2年均值达到“新标准”二级标准限值(40微克/立方米)要求", [("no2年均值", "40")]),
        ("农村环境整治村庄数量新增8万个", [("农村环境整治村庄数量", "〔8〕")]),
        ("重点建设用地安全利用得到有效保障", [("重点建设用地安全利用", "有效保障")]),
        ("重度及以上污染天气比率控制在1%以内", [("重度及以上污染天气比率", "≤1")]),
        ("我市单位地区生产总值能源消耗降低累计14.5%", [("单位地区生产总值能源消耗下降", "〔14.5〕")]),
        ("国内生产总值增长保持在合理区间", [("国内生产总值增长", "保持在合理区间")]),
        ("万元GDP能耗0.3吨标准煤以下", [("万元GDP能耗", "≤0.3")]),
        ("集中式饮用水水源地水质达标率实现100%", [("集中式饮用水水源地水质达标率", "100")]),
        ("全市空气质量优良天数比例超56%", [("全市空气质量优良天数比例", "超过56")]),
        ("优良天数比率达到71%以上的目标", [("优良天数比率", "≥71")]),
        ("地下水环境质量总体稳定", [("地下水环境质量", "保持")]),
        ("单位GDP水耗和能耗完成下达目标任务", [("单位GDP水耗", "国家要求"), ("单位GDP能耗", "国家要求")]),
        ("PM2.5年均浓度稳定控制在30微克/立方米以下", [("PM2.5年均浓度", "≤30")]),
        (
            "光伏装机、风电装机分别达到407、262万千瓦",
            [("光伏装机", "407"), ("风电装机", "262")],
        ),
    ],
)
def test_clause_forms(clauses: str, expected: list[tuple[str, str]]) -> None:
    got = targets(f"到2025年，{clauses}。")
    assert got == [(name, 2025, expr) for name, expr in expected]


def test_general_aims_and_tasks_are_neither_targets_nor_not_understood() -> None:
    assert read("到2025年，规划基准年为2022年。").indicators == []
    got = read(
        "到2025年，空气质量持续改善，土壤污染风险得到有效管控，推进氨排放总量持续下降，降低港口船舶排放。"
    )
    assert (got.indicators, got.not_understood) == ([], [])


def test_two_targets_in_one_clause_and_a_number_after_a_worded_aim() -> None:
    got = targets(
        "到2025年，单位地区生产总值能耗降低15%、碳排放降低19.5%，受污染耕地安全利用率持续提升，达到95%以上。"
    )
    assert got == [
        ("单位地区生产总值能耗", 2025, "〔15〕"),
        ("碳排放", 2025, "〔19.5〕"),
        ("受污染耕地安全利用率", 2025, "≥95"),
    ]


def test_a_worded_target_alone_gets_no_unit() -> None:
    units = {i.name_zh: i.unit for i in read("到2025年，基本水面率不减少，湿地保护率达到63%。").indicators}
    assert units == {"基本水面率": "", "湿地保护率": "%"}


def test_a_later_year_opening_a_sentence_and_the_next_five_years() -> None:
    text = (
        "2015年，PM2.5年均值为58微克/立方米。2020年，PM2.5年均值降至50微克/立方米。"
        "未来五年，全面消除重污染天气。"
    )
    got = read_prose_targets(Document(text, "plan.txt", "text", "utf-8"), base_year=2015, end_year=2020)
    assert [(i.name_zh, i.baseline, i.targets) for i in got.indicators] == [
        ("PM2.5年均值", (2015, 58.0), [(2020, "50")]),
        ("重污染天气", None, [(2020, "全面消除")]),
    ]


def test_a_period_as_the_deadline() -> None:
    got = targets(
        "《规划》提出，“十四五”期间，PM2.5年均浓度达到25微克/立方米以下，空气质量优良率达到93%以上。"
    )
    assert got == [("PM2.5年均浓度", 2025, "≤25"), ("空气质量优良率", 2025, "≥93")]


def test_a_deadline_after_a_few_words() -> None:
    assert targets("目标是在2025年之前森林覆盖率达到26%以上。") == [("森林覆盖率", 2025, "≥26")]
    assert targets("明确到2025年，基本消除重污染天气。") == [("重污染天气", 2025, "基本消除")]


def test_a_region_alone_is_the_region_of_the_previous_indicator() -> None:
    got = targets("到2025年，长三角地区PM2.5浓度总体达标，北京市控制在32微克/立方米以内。")
    assert got == [("长三角地区PM2.5浓度", 2025, "总体达标"), ("北京市PM2.5浓度", 2025, "≤32")]


def test_a_yearly_rate_is_its_own_indicator_not_a_cumulative_change() -> None:
    got = targets("到2030年，单位GDP二氧化碳排放量年均降低3.2%，全社会研发经费投入年均增长7%以上。")
    assert got == [("单位GDP二氧化碳排放量年均降低", 2030, "3.2"), ("全社会研发经费投入年均增长", 2030, "≥7")]


def test_the_deadline_carries_to_the_next_sentence_of_its_paragraph_only() -> None:
    # a later paragraph takes it only when it names no time of its own (test_corpus_forms)
    text = "到2025年，PM2.5浓度下降10%。汾渭平原PM2.5浓度下降15%。\n2019年重点区域PM2.5浓度下降20%。"
    assert targets(text) == [("PM2.5浓度", 2025, "〔10〕"), ("汾渭平原PM2.5浓度", 2025, "〔15〕")]


def test_a_clause_without_a_name_takes_the_previous_indicator() -> None:
    got = targets("到2025年，细颗粒物浓度下降10%，达到35微克/立方米，重污染天数基本消除。")
    assert got == [
        ("细颗粒物浓度", 2025, "35〔10〕"),
        ("重污染天数", 2025, "基本消除"),
    ]
    got = targets("到2025年，空气质量优良天数比率达到87.5%，优良水体比例提高到85%。")
    assert got == [("空气质量优良天数比率", 2025, "87.5"), ("优良水体比例", 2025, "85")]


def test_targets_for_two_years_make_one_indicator() -> None:
    text = (
        "到2025年，非化石能源占能源消费总量比重力争达到20%。"
        "到2030年，非化石能源占能源消费总量比\n重力争达到25%."
    )
    [ind] = read(text).indicators
    assert (ind.name_zh, ind.targets) == ("非化石能源占能源消费总量比重", [(2025, "20%"), (2030, "25%")])


def test_a_change_from_another_year_than_the_base_year_is_not_folded() -> None:
    # 比2005年下降70% is no 〔70〕 on the plan's base (2020): kept as written, the page mark gone
    text = "到2025年，能耗比2020年下降14%.到2030年，单位生产总值二氧化碳排放比2005年下降 —2— 70%，确保达峰。"
    got = read_prose_targets(Document(text, "plan.txt", "text", "utf-8"), base_year=2020)
    assert [(i.name_zh, i.targets) for i in got.indicators] == [
        ("能耗", [(2025, "〔14〕")]),
        ("单位生产总值二氧化碳排放", [(2030, "比2005年下降70%")]),
    ]
    assert got.not_understood == []


def test_stretch_goals() -> None:
    # after a target: its stretch goal; alone: the target itself
    [raised] = read("到2025年，地表水Ⅰ—Ⅲ类水体比例达到70%以上，力争达到80%。").indicators
    assert raised.targets == [(2025, "70%以上")] and raised.stretch == {2025: "80"}
    [same] = read("到2025年，森林覆盖率达到24%，森林覆盖率力争达到25%。").indicators
    assert same.targets == [(2025, "24%")] and same.stretch == {2025: "25"}
    assert targets("到2025年，力争森林覆盖率达到25%。") == [("森林覆盖率", 2025, "25")]


def test_target_like_clauses_that_are_not_read_are_reported_with_their_span() -> None:
    text = (
        "前言。\n到2025年，空气质量优良天数比率达到87.5%，某某比例搞好12%，"
        "A和B比例分别下降1%、2%、3%，生态环境持续改善。"
    )
    got = read(text)
    assert [i.name_zh for i in got.indicators] == ["空气质量优良天数比率"]
    assert [(n.span.quote, n.reason) for n in got.not_understood] == [
        ("某某比例搞好12%", "no_form"),
        ("A和B比例分别下降1%、2%、3%", "count_mismatch"),
    ]
    for n in got.not_understood:
        assert text[n.span.start : n.span.end] == n.span.quote
    assert got.not_understood[0].message("en") == (
        f"not understood: “某某比例搞好12%” (characters {text.index('某某')}–{text.index('某某') + 9}): "
        "looks like a target but matches no known form"
    )


def test_not_understood_clauses_reach_the_warnings_and_the_json(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    text = (
        "某市生态环境保护“十四五”规划\n\n到2025年，空气质量优良天数比率达到87.5%，水质优良比例大幅跃升9成。\n"
    )
    doc.write_text(text, encoding="utf-8")
    result = extract_plan(doc)
    start = text.index("水质优良")
    entry = {
        "start": start,
        "end": start + len("水质优良比例大幅跃升9成"),
        "quote": "水质优良比例大幅跃升9成",
        "reason": "looks like a target but matches no known form",
    }
    out = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert out["extraction"]["not_understood"] == [entry]
    assert any(w.startswith("not understood: “水质优良比例大幅跃升9成”") for w in result.warnings)
    assert [i.name.zh for i in result.plan.indicators] == ["空气质量优良天数比率"]


PIECES = [
    "到2025年，",
    "2020年，",
    "细颗粒物浓度",
    "下降10%",
    "达到87.5%",
    "分别",
    "和",
    "、",
    "，",
    "。",
    "力争",
    "比2020年",
    "以上",
    "基本消除",
    "有效保障",
    "12",
    "\n",
    " ",
]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_reads_without_error_and_every_span_quotes_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    got = read(text)
    for ind in got.indicators:
        assert text[ind.span.start : ind.span.end] == ind.span.quote
        for _, expr in ind.targets:
            parse_target(expr)
    for n in got.not_understood:
        assert text[n.span.start : n.span.end] == n.span.quote


def test_a_plan_whose_sentences_state_no_deadline_is_read_for_its_end_year() -> None:
    text = "新时代美丽杭州建设三年行动计划（2023—2025年）。\n湿地保护率达到63%，中度污染天气基本消除。"
    doc = Document(text=text, path="plan.txt", kind="text", encoding="utf-8")
    assert read_prose_targets(doc).indicators == []  # no deadline: nothing, unless the end year is known
    got = read_prose_targets(doc, base_year=2022, end_year=2025).indicators
    assert [(i.name_zh, i.targets) for i in got] == [
        ("湿地保护率", [(2025, "63%")]),
        ("中度污染天气", [(2025, "基本消除")]),
    ]


def test_the_notes_of_the_text_clean_up_open_the_warnings() -> None:
    doc = Document(
        text="某市生态环境保护“十四五”规划\n\n" + PARAGRAPH,
        path="plan.txt",
        kind="text",
        encoding="utf-8",
        notes=("converted from traditional script: 12 characters",),
    )
    result = extract_text(doc)
    assert result.warnings[0] == "converted from traditional script: 12 characters"
    assert result.to_json()["extraction"]["warnings"][0] == result.warnings[0]


def test_a_table_cell_not_understood_has_the_same_json_entry() -> None:
    text = "指标 | 2025年\nPM2.5浓度 | 大约三十"
    start = text.index("大约三十")
    cell = NotUnderstood("大约三十", "PM2.5浓度", Span.of(text, start, start + 4))
    assert _unread_dict(cell) == {
        "start": start,
        "end": start + 4,
        "quote": "大约三十",
        "reason": "a cell of the table row “PM2.5浓度”",
    }


def test_the_plans_own_region_opening_a_name_is_dropped(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    text = (
        "河南省生态环境保护“十四五”规划\n\n"
        "目标是在2025年之前河南省优良天数比率达到71%以上，北京市细颗粒物浓度下降10%。\n"
    )
    doc.write_text(text, encoding="utf-8")
    result = extract_plan(doc, region="410000")
    assert [i.name.zh for i in result.plan.indicators] == ["优良天数比率", "北京市细颗粒物浓度"]


def test_numbered_list_items_are_sentences_of_their_own() -> None:
    # no deadline on the items: they are read for the plan's end year
    text = "主要目标：\n1、地级及以上城市PM2.5浓度下降10%\n2、基本消除重污染天气\n3、单位GDP用水量下降16%左右"
    got = read_prose_targets(Document(text, "plan.txt", "text", "utf-8"), base_year=2020, end_year=2025)
    assert [(i.name_zh, i.targets) for i in got.indicators] == [
        ("地级及以上城市PM2.5浓度", [(2025, "〔10〕")]),
        ("重污染天气", [(2025, "基本消除")]),
        ("单位GDP用水量", [(2025, "〔16〕左右")]),
    ]


def test_a_year_inside_a_clause_and_a_deadline_ending_a_long_clause() -> None:
    text = (
        "全国:\n主要内容可以回顾【环保视角分解规划纲要(附全文)】\n“十四五”时期,单位GDP能源消耗降低13.5%;"
        "森林覆盖率2020年要达到23.2%,2025年要达到24.1%。"
    )
    got = read_prose_targets(Document(text, "plan.txt", "text", "utf-8"), base_year=2020, end_year=2025)
    assert [(i.name_zh, i.baseline, i.targets) for i in got.indicators] == [
        ("单位GDP能源消耗", None, [(2025, "〔13.5〕")]),
        ("森林覆盖率", (2020, 23.2), [(2025, "24.1%")]),
    ]


def test_one_indicator_across_years_by_its_core_name() -> None:
    text = (
        "到2020年，地级及以上城市建成区黑臭水体均控制在10%以内，全省PM2.5浓度降至40微克/立方米，"
        "地级城市PM2.5浓度降至42微克/立方米；到2030年，城市建成区黑臭水体总体得到消除。"
    )
    got = read_prose_targets(Document(text, "plan.txt", "text", "utf-8"), base_year=2015)
    assert [(i.name_zh, i.targets) for i in got.indicators] == [
        ("地级及以上城市建成区黑臭水体", [(2020, "10%以内"), (2030, "全面消除")]),
        ("全省PM2.5浓度", [(2020, "40")]),
        ("地级城市PM2.5浓度", [(2020, "42")]),
    ]

"""Forms of the plan corpus's last misses (issue 13), each as a small real sentence.

Every sentence is cut from a corpus document (``tests/corpus/<slug>/``) and names it; the
expected targets are written by hand from the sentence, in the grammar's canonical spelling.
"""

from __future__ import annotations

from ecoplan.plans.extract.prose import read_prose_targets
from ecoplan.plans.extract.spans import Document
from ecoplan.plans.targets import TargetKind, parse_target


def read(text: str, base_year: int, end_year: int) -> list[tuple[str, str, list[tuple[int, str]]]]:
    """(name, unit, [(year, canonical target)]) of every indicator read from ``text``."""
    got = read_prose_targets(
        Document(text, "plan.txt", "text", "utf-8"), base_year=base_year, end_year=end_year
    )
    return [
        (i.name_zh, i.unit, [(y, parse_target(e).canonical()) for y, e in i.targets]) for i in got.indicators
    ]


def test_a_change_on_the_five_year_base_in_a_three_year_plan_is_kept_as_written() -> None:
    # cn-2018-blue-sky: a plan of 2018–2020 (base 2017) whose changes are counted from 2015
    text = "到2020年,二氧化硫、氮氧化物排放总量分别比2015年下降15%以上。"
    assert read(text, 2017, 2020) == [
        ("二氧化硫排放总量", "%", [(2020, "比2015年下降15%以上")]),
        ("氮氧化物排放总量", "%", [(2020, "比2015年下降15%以上")]),
    ]
    assert parse_target("比2015年下降15%以上").kind is TargetKind.QUALITATIVE  # not judged as 〔15〕


def test_a_change_on_the_plans_base_is_still_cumulative() -> None:
    assert read("到2020年,二氧化硫排放总量比2017年下降15%以上。", 2017, 2020) == [
        ("二氧化硫排放总量", "%", [(2020, "〔15〕以上")])
    ]


def test_the_plans_span_in_years_is_a_deadline_for_the_sentences_after_it() -> None:
    # cn-2018-blue-sky: "要经过三年努力" — a three-year plan's own span — opens the targets
    text = (
        "中国政府网周二刊登全文称,要经过三年努 力,大幅减少主要大气污染物排放总量。"
        "PM2.5 未达标地级及以 上城市浓度比 2015 年下降 18%以上,地级及以上城市空气质量优良天数比率达到 80%。"
    )
    assert read(text, 2017, 2020) == [
        ("PM2.5未达标地级及以上城市浓度", "%", [(2020, "比2015年下降18%以上")]),
        ("地级及以上城市空气质量优良天数比率", "%", [(2020, "80")]),
    ]
    # "三年" in a five-year plan is not its span: the clause after it is not dated
    text = "要经过三年努力,空气质量优良天数比率达到80%。\n到2025年,森林覆盖率达到24%。"
    assert read(text, 2020, 2025) == [("森林覆盖率", "%", [(2025, "24")])]


def test_a_span_phrase_alone_does_not_stop_reading_the_whole_text_for_the_end_year() -> None:
    # city-hangzhou-2023-2025-action: "未来三年" once; the other targets state no year at all
    text = "空气优良率达到90%以上。\n未来三年,杭州还将聚焦绿色发展。城镇生活污水集中收集率达到90%以上。"
    assert read(text, 2022, 2025) == [
        ("空气优良率", "%", [(2025, "≥90")]),
        ("城镇生活污水集中收集率", "%", [(2025, "≥90")]),
    ]


def test_the_unit_of_a_later_clause_fills_an_indicator_without_one() -> None:
    # prov-shanghai-carbon-peak: the 2025 target is handed down, the 2030 one is a change on 2005
    text = (
        "到2025年,单位生产总值二氧化碳排放确保完成国家下达指标。"
        "到2030年,单位生产总值二氧化碳排放比2005年下降70%。"
    )
    assert read(text, 2020, 2030) == [
        ("单位生产总值二氧化碳排放", "%", [(2025, "国家要求"), (2030, "比2005年下降70%")])
    ]


def test_yearly_rates_and_obtained_aims_in_the_grammar() -> None:
    # city-hangzhou-2023-2025-action "年均降低3.2%"; cn-14th-soil-groundwater "得到有效保障"
    rate = parse_target("年均降低3.2%")
    assert (rate.kind, rate.canonical()) == (TargetKind.QUALITATIVE, "年均降低3.2%")
    assert parse_target("得到有效保障") == parse_target("有效保障")
    assert parse_target("减少").canonical() == "减少"


def test_a_change_then_the_level_it_brings_and_a_year_after_a_lead_clause() -> None:
    # prov-beijing-13th-eco: "2020年" after "依据规划"; μg/m³ printed "g/m" (µ and ³ lost);
    # one target a year: the change stands, the indicator takes the level's unit
    # (the sentence as the extractor sees it once the traditional script is converted)
    text = (
        "依据规划,2020年,北京市PM2.5年均浓度要比2015年下降30%至56g/m左右,"
        "是国家环境空气质量二级标准35g/m的1.6倍;全市空气质量优良天数比例超56%。"
    )
    assert read(text, 2015, 2020) == [
        ("北京市PM2.5年均浓度", "μg/m³", [(2020, "〔30〕")]),
        ("全市空气质量优良天数比例", "%", [(2020, "超过56")]),
    ]
    # a plain level after the change joins it: 35〔10〕
    assert read("到2025年,PM2.5浓度比2020年下降10%至35微克/立方米。", 2020, 2025) == [
        ("PM2.5浓度", "μg/m³", [(2025, "35〔10〕")])
    ]


def test_a_year_clause_not_after_the_base_year_is_no_deadline() -> None:
    assert read(
        "据统计,2020年,PM2.5浓度为35微克/立方米。到2025年,PM2.5浓度达到30微克/立方米。", 2020, 2025
    ) == [("PM2.5浓度", "μg/m³", [(2025, "30")])]


def test_an_undated_paragraph_after_the_targets_takes_their_year() -> None:
    # cn-14th-outline: the paragraph after "“十四五”时期,…" states more targets without a year;
    # prov-henan-14th-eco "五是守牢环境安全底线。…危险废物利用处置率达到98%"
    text = (
        "“十四五”时期,单位GDP能源消耗降低13.5%;单位GDP二氧化碳排放降低18%。\n"
        "新建高标准农田2.75亿亩,湿地保护率提高到55%,城市污泥无害化处置率达到90%,"
        "地级及以上缺水城市污水资源化利用率超过25%。"
    )
    assert read(text, 2020, 2025) == [
        ("单位GDP能源消耗", "%", [(2025, "〔13.5〕")]),
        ("单位GDP二氧化碳排放", "%", [(2025, "〔18〕")]),
        ("湿地保护率", "%", [(2025, "55")]),
        ("城市污泥无害化处置率", "%", [(2025, "90")]),
        ("地级及以上缺水城市污水资源化利用率", "%", [(2025, "超过25")]),
    ]


def test_no_undated_target_before_the_first_dated_one_or_in_a_sentence_of_another_time() -> None:
    # prov-beijing-13th-eco: "今年前三季度北京市PM2.5浓度为62微克/立方米" states a value of now;
    # a review before the targets ("…浓度44.8微克/立方米") states the past period's results
    text = (
        "全省细颗粒物浓度44.8微克/立方米,森林覆盖率达到35%。\n"
        "到2020年,全市空气质量优良天数比例超56%。\n"
        "今年前三季度北京市PM2.5浓度为62微克/立方米,已接近该目标。\n"
        "国务院还设立了2017年目标,年均浓度控制在60微克/立方米左右。"
    )
    assert read(text, 2015, 2020) == [("全市空气质量优良天数比例", "%", [(2020, "超过56")])]
    # and the clauses of an undated sentence that are not read are not reported (it may be a task)
    got = read_prose_targets(
        Document("到2025年,森林覆盖率达到24%。\n建设湿地面积125亩,强化监测。", "plan.txt", "text", "utf-8"),
        base_year=2020,
        end_year=2025,
    )
    assert got.not_understood == []


def test_a_list_of_items_sharing_a_qualifier_and_a_quantity_gives_one_indicator_each() -> None:
    # cn-14th-soil-groundwater: "主要农作物化肥、农药使用量减少" — two indicators, worded target
    text = "到2025年,受污染耕地安全利用率达到93%左右,主要农作物化肥、农药使用量减少。"
    assert read(text, 2020, 2025) == [
        ("受污染耕地安全利用率", "%", [(2025, "93左右")]),
        ("主要农作物化肥使用量", "", [(2025, "减少")]),
        ("主要农作物农药使用量", "", [(2025, "减少")]),
    ]
    # a list "…等…" or of whole indicators is not this form
    assert [n for n, *_ in read("到2025年,化肥、农药等投入品使用量减少。", 2020, 2025)] == [
        "化肥、农药等投入品使用量"
    ]


def test_a_numbered_item_ends_at_its_line_break() -> None:
    # cn-14th-outline-green: items without a full stop, then a heading that opens the next list
    text = (
        "到2025年:\n1、地级及以上城市PM2.5浓度下降10%\n7、单位GDP用水量下降16%左右\n"
        "“十四五”时期主要目标与环保相关的包括:\n1、单位GDP能源消耗降低13.5%"
    )
    assert read(text, 2020, 2025) == [
        ("地级及以上城市PM2.5浓度", "%", [(2025, "〔10〕")]),
        ("单位GDP用水量", "%", [(2025, "〔16〕左右")]),
        ("单位GDP能源消耗", "%", [(2025, "〔13.5〕")]),
    ]


def test_curbing_an_indicators_growth_is_a_worded_target() -> None:
    # cn-14th-outline-green: "有效遏制O3浓度增长趋势" — the aim before its indicator
    assert read("到2025年,地级及以上城市PM2.5浓度下降10%,有效遏制O3浓度增长趋势。", 2020, 2025) == [
        ("地级及以上城市PM2.5浓度", "%", [(2025, "〔10〕")]),
        ("O3浓度", "", [(2025, "有效遏制增长趋势")]),
    ]
    assert parse_target("有效遏制增长趋势").kind is TargetKind.QUALITATIVE


def test_units_of_gas_volume_and_accident_rate_and_worded_aims_of_satisfaction() -> None:
    # city-ninghai-14th-eco "亿方"; prov-henan-14th-eco "起/万枚"; prov-zhejiang-14th-eco
    text = (
        "到2025年,天然气利用总量达到2.06亿方,放射源辐射事故年发生率低于1.3起/万枚,"
        "海洋生态环境稳中向好,生态环境公众满意度稳步提升。"
    )
    assert read(text, 2020, 2025) == [
        ("天然气利用总量", "亿方", [(2025, "2.06")]),
        ("放射源辐射事故年发生率", "起/万枚", [(2025, "低于1.3")]),
        ("海洋生态环境", "", [(2025, "稳中向好")]),
        ("生态环境公众满意度", "", [(2025, "稳步提升")]),
    ]


def test_a_year_opening_a_clause_is_its_deadline() -> None:
    # city-xian-air-2012-2020: "2015年，…全部迁出；2020年，…全部实现入园生产。"
    from ecoplan.plans.extract.commitments import extract_commitments

    text = "2015年,西安市主城区内有污染的工业企业全部迁出;2020年,有污染的工业企业全部实现入园生产。"
    got = extract_commitments(Document(text, "plan.txt", "text", "utf-8"), not_before=2012)
    assert [(c.due_date, c.text) for c in got] == [
        ("2015-12-31", "2015年,西安市主城区内有污染的工业企业全部迁出;"),
        ("2020-12-31", "2020年,有污染的工业企业全部实现入园生产。"),
    ]
    # a year of the review before the plan's start is no commitment
    assert extract_commitments(Document(text, "plan.txt", "text", "utf-8"), not_before=2016)[0].due_date == (
        "2020-12-31"
    )

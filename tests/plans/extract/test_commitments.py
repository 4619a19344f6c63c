"""Dated commitments: date forms, the seeds, page jumps, and robustness to layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.plans.extract.commitments import (
    Commitment,
    extract_commitments,
    find_dates,
    find_quantity,
    find_responsible,
    plan_start_year,
)
from ecoplan.plans.extract.document import load_document
from ecoplan.plans.extract.spans import Document

SEEDS = SHARED / "seeds"
S000 = SEEDS / "000_9380b4ef97fd83be.txt"
S001 = SEEDS / "001_ec3a463adf956f3f.txt"
S002 = SEEDS / "002_91122ae112a32843.txt"
S003 = SEEDS / "003_ced3bd6005114f5c.txt"
S004 = SEEDS / "004_0ca249838f595933.txt"


def _doc(text: str) -> Document:
    return Document(text=text, path="<test>", kind="text", encoding="utf-8")


def _one(text: str) -> Commitment:
    got = extract_commitments(_doc(text))
    assert len(got) == 1, got
    return got[0]


def _find(cs: list[Commitment], needle: str) -> Commitment:
    hits = [c for c in cs if needle in c.text]
    assert len(hits) == 1, (needle, [c.text for c in hits])
    return hits[0]


# --- date forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("2017年底前", "2017-12-31"),
        ("2017年年底前", "2017-12-31"),
        ("到2017年底", "2017-12-31"),
        ("到2017年年底", "2017-12-31"),
        ("2017年末", "2017-12-31"),
        ("2020年前", "2020-12-31"),
        ("2020年以前", "2020-12-31"),
        ("到2020年", "2020-12-31"),
        ("至2020年", "2020-12-31"),
        ("2018年6月底前", "2018-06-30"),
        ("到2018年6月", "2018-06-30"),
        ("2017年9月前", "2017-09-30"),  # "before September": by the end of September
        ("2018年2月底前", "2018-02-28"),
        ("2020年2月底前", "2020-02-29"),
        ("2017年9月30日前", "2017-09-30"),
        ("2018年上半年", "2018-06-30"),
        ("2020年内", "2020-12-31"),
        ("力争2020年", "2020-12-31"),
        ("二〇二〇年底前", "2020-12-31"),
        ("二〇一八年九月底前", "2018-09-30"),
        ("２０２０年底前", "2020-12-31"),
        ("到 2020 年", "2020-12-31"),
        ("2019 年 6 月底前", "2019-06-30"),
    ],
)
def test_due_date_forms(written: str, due: str) -> None:
    c = _one(f"{written}，各省（区、市）完成生态保护红线划定工作。")
    assert (c.due_date, c.start_date) == (due, None)


@pytest.mark.parametrize(
    ("written", "start"),
    [
        ("2016年起", "2016-01-01"),
        ("自2018年起", "2018-01-01"),
        ("从2017年开始", "2017-01-01"),
        ("自2018年7月起", "2018-07-01"),
        ("自 2018 年起", "2018-01-01"),
    ],
)
def test_start_date_forms(written: str, start: str) -> None:
    c = _one(f"{written}，各省份要定期向社会公开控制单元水环境质量目标管理情况。")
    assert (c.due_date, c.start_date) == (None, start)


@pytest.mark.parametrize(
    ("written", "recurrence"),
    [
        ("每年", "yearly"),
        ("每年度", "yearly"),
        ("每季度", "quarterly"),
        ("每月", "monthly"),
        ("每半年", "half-yearly"),
        ("每5年", "every-5-years"),
        ("每两年", "every-2-years"),
    ],
)
def test_recurrences(written: str, recurrence: str) -> None:
    c = _one(f"环境保护部{written}向国务院报告环境保护重点工作进展情况。")
    assert (c.recurrence, c.due_date, c.responsible) == (recurrence, None, "环境保护部")


def test_recurrence_with_a_start() -> None:
    c = _one("地级及以上城市每季度向社会公开饮水安全状况信息，县级及以上城市自2018年起每季度向社会公开。")
    assert (c.start_date, c.recurrence, c.due_date) == ("2018-01-01", "quarterly", None)


@pytest.mark.parametrize(
    "written",
    [
        "截至2015年底，全市森林覆盖率达到46%。",
        "全省细颗粒物浓度比2015年下降40%。",
        "较2015年提高12.6个百分点。",
        "开展全国生态状况变化（2011—2015年）调查评估。",
        "预计2020年前后全面完成改造任务。",
        "国务院2016年11月24日印发本规划。",
        "用汞量在2010年的基础上减少一半。",
        "全国湿地面积近年来每年减少约510万亩。",  # a statistic, not a schedule
        "2017年底前",  # a date without an action
        "（二）2020年底前目标",
    ],
)
def test_not_commitments(written: str) -> None:
    assert extract_commitments(_doc(written)) == []


def test_find_dates_offsets_cover_the_expression() -> None:
    s = "各省（区、市）应于2017年底前完成"
    (d,) = find_dates(s)
    assert (s[d.start : d.end], d.kind, d.date, d.strong) == ("应于2017年底前", "due", "2017-12-31", True)


def test_a_year_listed_before_a_deadline_shares_it() -> None:
    c = _one("在2018年、2020年底，分别对本规划执行情况进行中期评估和终期考核。")
    assert c.due_date == "2018-12-31"


def test_sentence_with_two_deadlines_is_split_at_the_comma() -> None:
    text = "开展土壤污染状况详查，2018年底前查明农用地土壤污染的面积，2020年底前掌握污染地块分布。"
    a, b = extract_commitments(_doc(text))
    assert (a.due_date, b.due_date) == ("2018-12-31", "2020-12-31")
    assert a.text == "开展土壤污染状况详查，2018年底前查明农用地土壤污染的面积，"
    assert b.text == "2020年底前掌握污染地块分布。"
    assert (a.id, b.id) == ("c001", "c002")


def test_identical_clauses_are_kept_once() -> None:
    text = "2017年底前，公布优先控制化学品名录。\n2017年底前，公布优先控制化学品名录。\n"
    assert len(extract_commitments(_doc(text))) == 1


def test_not_before_drops_the_review_of_the_last_plan() -> None:
    text = (
        "“十三五”生态环境保护规划\n到2015年，完成煤电机组超低排放改造1.6亿千瓦。"
        "到2020年，秸秆综合利用率达到85%。"
    )
    assert plan_start_year(text) == 2016
    assert [c.due_date for c in extract_commitments(_doc(text))] == ["2020-12-31"]
    assert len(extract_commitments(_doc(text), not_before=2000)) == 2


@pytest.mark.parametrize(
    ("s", "q"),
    [
        ("全国排放总量下降10%以上", "10%以上"),
        ("以580个优先控制单元为重点", "580个"),
        ("开展3000万亩受污染耕地风险管控", "3000万亩"),
        ("限期改造50万蒸吨燃煤锅炉", "50万蒸吨"),
        ("PM2.5浓度确保降至37微克 /立方米", "37微克/立方米"),
        ("建立各级森林公园4300多个", "4300多个"),
        ("化肥利用率提高到40％以上", "40％以上"),
        ("到2020年，生态环境质量总体改善", None),
    ],
)
def test_find_quantity(s: str, q: str | None) -> None:
    assert find_quantity(s) == q


@pytest.mark.parametrize(
    ("s", "who"),
    [
        ("环境保护部每年向国务院报告", "环境保护部"),
        ("评估考核结果向国务院报告，向社会公布", None),
        ("环境保护部要会同有关部门定期调度", "环境保护部"),
        ("各省（区、市）应于2017年底前制定专项治理方案", "各省（区、市）"),
        ("自2017年起，地方各级人民政府要制定达标排放计划", "地方各级人民政府"),
        ("国务院有关部门要加强指导", "国务院有关部门"),
        ("对各省（区、市）生态保护红线保护成效进行评价考核", None),
        ("市环保局负责组织实施", "市环保局"),
    ],
)
def test_find_responsible(s: str, who: str | None) -> None:
    assert find_responsible(s) == who


# --- seed 000: the national plan ------------------------------------------------------


@pytest.fixture(scope="module")
def national() -> tuple[Document, list[Commitment]]:
    doc = load_document(S000)
    return doc, extract_commitments(doc)


def test_national_plan_has_at_least_60_dated_commitments(national: tuple[Document, list[Commitment]]) -> None:
    doc, cs = national
    dated = [c for c in cs if c.due_date]
    assert len(dated) >= 60
    assert all("2016" <= c.due_date <= "2020-12-31" for c in dated if c.due_date)  # nothing from the review
    assert [c.id for c in cs] == [f"c{i:03d}" for i in range(1, len(cs) + 1)]
    assert [c.span.start for c in cs] == sorted(c.span.start for c in cs)
    for c in cs:
        assert doc.text[c.span.start : c.span.end] == c.span.quote
        assert 0 <= c.confidence <= 1
        assert not c.text.startswith(("第", "专栏", "（"))


NATIONAL_DUE = [
    ("京津冀区域、长江经济带沿线各省（市）划定生态保护红线", "2017-12-31"),
    ("其他省（区、市）划定生态保护红线", "2018-12-31"),
    ("全面完成全国生态保护红线划定、勘界定标", "2020-12-31"),
    ("全国工业固体废物综合利用率提高到73%", "2020-12-31"),
    ("具备条件的城市在2017年底前基本实现公交新能源化", "2017-12-31"),
    ("基本完成乡镇及以上集中式饮用水水源保护区划定", "2017-12-31"),
    ("东江、滦河、千岛湖、南四湖等流域于2017年底前完成", "2017-12-31"),
    ("查明农用地土壤污染的面积", "2018-12-31"),
    ("掌握重点行业企业用地中的污染地块分布", "2020-12-31"),
    ("建立全国工业企业环境监管信息平台", "2019-12-31"),
    ("全国地级及以上城市建成区基本淘汰10蒸吨以下燃煤锅炉", "2017-12-31"),
    ("建成全国重金属环境监测体系", "2018-12-31"),
    ("公布优先控制化学品名录", "2017-12-31"),
    ("林地保有量达到31230万公顷", "2020-12-31"),
    ("建立京津冀区域生态保护补偿机制", "2017-12-31"),
    ("完成生态环境损害赔偿制度改革试点", "2017-12-31"),
    ("城区常住人口300万以上城市建成区公共交通占机动化出行比例达到60%", "2020-12-31"),
    ("试验区重点改革任务取得重要进展", "2017-12-31"),
    ("分别对本规划执行情况进行中期评估和终期考核", "2018-12-31"),
]


@pytest.mark.parametrize(("needle", "due"), NATIONAL_DUE, ids=[n[:8] for n, _ in NATIONAL_DUE])
def test_national_plan_due_dates(national: tuple[Document, list[Commitment]], needle: str, due: str) -> None:
    assert _find(national[1], needle).due_date == due


def test_national_plan_other_fields(national: tuple[Document, list[Commitment]]) -> None:
    cs = national[1]
    c = _find(cs, "基本完成乡镇及以上集中式饮用水水源保护区划定")
    assert (c.responsible, c.confidence) == ("各省（区、市）", 0.95)
    c = _find(cs, "全国工业固体废物综合利用率提高到73%")
    assert c.quantity == "73%"
    assert c.text == "到2020年，全国工业固体废物综合利用率提高到73%。"
    c = _find(cs, "在全国试行生态环境损害赔偿制度")
    assert (c.due_date, c.start_date) == (None, "2018-01-01")
    c = _find(cs, "县级及以上城市自2018年起每季度向社会公开")
    assert (c.start_date, c.recurrence) == ("2018-01-01", "quarterly")
    c = _find(cs, "地方各级人民政府要制定本行政区域工业污染源全面达标排放计划")
    assert (c.start_date, c.recurrence, c.responsible) == ("2017-01-01", "quarterly", "地方各级人民政府")
    c = _find(cs, "环境保护部每年向国务院报告")
    assert (c.due_date, c.recurrence, c.responsible) == (None, "yearly", "环境保护部")
    # a glued section heading is cut off the clause that follows it
    assert not any("严格评估考核环境保护部" in c.text for c in cs)
    # review figures and names with years are not commitments
    assert not any("99%" in c.text or "2030年可持续发展议程" in c.text for c in cs)


# --- seed 001: the newspaper copy with page jumps ------------------------------------------


def test_newspaper_copy_commitments_ignore_the_page_jumps() -> None:
    doc = load_document(S001)
    cs = extract_commitments(doc)
    assert len([c for c in cs if c.due_date]) >= 15
    assert not any(m in c.text for c in cs for m in ("下转", "上接"))
    c = _find(cs, "建立京津冀区域生态保护补偿机制")
    assert (
        c.text
        == "到2017年，建立京津冀区域生态保护补偿机制，将北京、天津支持河北开展生态建设与环境保护制度化。"
    )
    assert "\n" in c.span.quote  # an OCR line break inside the sentence
    c = _find(cs, "聚氯乙烯行业每单位产品用汞量")  # "到\n2020 年" split over two lines
    assert (c.due_date, c.quantity) == ("2020-12-31", "50%")
    # the same clauses as in the full text
    national = {c.text for c in extract_commitments(load_document(S000))}
    assert sum(c.text in national for c in cs) >= 12


def test_a_sentence_split_by_a_page_jump_is_rejoined() -> None:
    # Seed 001 breaks its page between two sentences; move the break inside one,
    # as newspapers often do, and the sentence must come back whole.
    text = load_document(S001).text
    whole = (
        "到 2017 年，建立京津冀区域生态保护补偿机制，\n"
        "将北京、天津支持河北开展生态建设与环境保护制度化。\n\n下转八版"
    )
    assert whole in text
    split = text.replace(whole, "到 2017 年，建立京津冀区域生态保护补偿机制，\n\n下转八版").replace(
        "上接六版\n\n", "上接六版\n\n将北京、天津支持河北开展生态建设与环境保护制度化。\n\n"
    )
    cs = extract_commitments(_doc(split))
    c = _find(cs, "建立京津冀区域生态保护补偿机制")
    assert (
        c.text
        == "到2017年，建立京津冀区域生态保护补偿机制，将北京、天津支持河北开展生态建设与环境保护制度化。"
    )
    assert c.due_date == "2017-12-31"
    assert "下转八版" in c.span.quote and "上接六版" in c.span.quote  # the span covers the jump
    assert not any(c2.text.startswith("将北京") for c2 in cs)


def test_inline_page_jump_markers() -> None:
    text = "到2020年，全国自然保护区陆地面积占比稳定在（下转第2版）\n\n其他内容。\n\n（上接第1版）15%左右。"
    c = _one(text)
    assert c.text == "到2020年，全国自然保护区陆地面积占比稳定在15%左右。"
    assert c.quantity == "15%左右"


# --- the other seeds --------------------------------------------------------------------


def test_city_plan_commitments() -> None:
    cs = extract_commitments(load_document(S003))
    assert len(cs) >= 50
    assert _find(cs, "完成集装箱制造行业涂料水性化改造").due_date == "2017-06-30"
    assert _find(cs, "全面排查非法污泥堆放点").due_date == "2016-06-30"
    assert _find(cs, "2016年底前出台《江门市潭江流域水质保护条例》").due_date == "2016-12-31"
    assert not any("**" in c.text for c in cs)
    assert not any("截至" in c.text or "截止" in c.text for c in cs)


def test_provincial_plan_commitments() -> None:
    cs = extract_commitments(load_document(S004))
    assert len(cs) >= 40
    assert all(c.due_date is None or c.due_date >= "2021" for c in cs)
    assert _find(cs, "地级城市建成区实现长治久清").due_date == "2024-12-31"
    assert _find(cs, "落实2030年前实现碳达峰目标").due_date == "2030-12-31"
    assert _find(cs, "全省生态状况调查评估").recurrence == "every-5-years"
    c = _find(cs, "地级城市PM2.5浓度确保降至37微克")
    assert (c.due_date, c.quantity) == ("2025-12-31", "37微克/立方米")


def test_mee_opinion_commitments() -> None:
    cs = extract_commitments(load_document(S002))
    assert _find(cs, "确保到2020年年底实现污染防治攻坚战阶段性目标").due_date == "2020-12-31"


# --- layout does not change the dates ----------------------------------------------------

SYNTHETIC = (
    "划定并严守生态保护红线。2017年底前，京津冀区域划定生态保护红线；"
    "2018年6月底前，其他省份划定生态保护红线。各省份应于2017年9月前制定专项治理方案并向社会公开。"
    "自2018年起，启动城市群生态环境保护空间规划研究。到2020年，全国工业固体废物综合利用率提高到73%。"
    "力争2020年建成生态文明建设示范市。"
)
_EXPECTED = [
    ("2017-12-31", None),
    ("2018-06-30", None),
    ("2017-09-30", None),
    (None, "2018-01-01"),
    ("2020-12-31", None),
    ("2020-12-31", None),
]
_INSIDE_DATES = {p for d in find_dates(SYNTHETIC) for p in range(d.start + 1, d.end)}
_ALLOWED = [p for p in range(1, len(SYNTHETIC)) if p not in _INSIDE_DATES]


def test_synthetic_text_baseline() -> None:
    got = [(c.due_date, c.start_date) for c in extract_commitments(_doc(SYNTHETIC))]
    assert got == _EXPECTED


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_ALLOWED), st.sampled_from(["\n", " ", "\u3000", "\r\n", "  ", "\n ", "\n\n"])
        ),
        max_size=12,
    )
)
def test_extra_line_breaks_and_spaces_do_not_change_dates(inserts: list[tuple[int, str]]) -> None:
    text = SYNTHETIC
    for pos, ws in sorted(inserts, reverse=True):
        text = text[:pos] + ws + text[pos:]
    got = [(c.due_date, c.start_date) for c in extract_commitments(_doc(text))]
    assert got == _EXPECTED


def test_seed_paths_exist() -> None:
    assert all(p.exists() for p in (S000, S001, S002, S003, S004))
    assert isinstance(S000, Path)

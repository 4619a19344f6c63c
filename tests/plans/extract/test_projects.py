"""专栏 boxes: where they are, their items, and the stated totals of their lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SHARED

from ecoplan.plans.extract.document import load_document
from ecoplan.plans.extract.projects import ProjectList, extract_projects
from ecoplan.plans.extract.spans import Document

SEEDS = SHARED / "seeds"
S000 = SEEDS / "000_9380b4ef97fd83be.txt"
S001 = SEEDS / "001_ec3a463adf956f3f.txt"
S002 = SEEDS / "002_91122ae112a32843.txt"
S003 = SEEDS / "003_ced3bd6005114f5c.txt"
S004 = SEEDS / "004_0ca249838f595933.txt"


def _doc(text: str) -> Document:
    return Document(text=text, path="<test>", kind="text", encoding="utf-8")


def _by_id(lists: list[ProjectList]) -> dict[str, ProjectList]:
    return {p.id: p for p in lists}


def _boxes(lists: list[ProjectList]) -> list[ProjectList]:
    return [p for p in lists if "." not in p.id]


@pytest.fixture(scope="module")
def national() -> tuple[Document, list[ProjectList]]:
    doc = load_document(S000)
    return doc, extract_projects(doc)


def test_national_plan_has_nine_boxes_with_their_titles(national: tuple[Document, list[ProjectList]]) -> None:
    # counted by hand: 专栏1 … 专栏9 each occur once in the text
    doc, lists = national
    assert doc.text.count("专栏") == 9
    boxes = _boxes(lists)
    assert [(b.id, b.title) for b in boxes] == [
        ("box-1", "专栏1 “十三五”生态环境保护主要指标"),
        ("box-2", "专栏2 各流域需要改善的控制单元"),
        ("box-3", "专栏3 推动重点行业治污减排"),
        ("box-4", "专栏4 区域性、流域性总量控制地区"),
        ("box-5", "专栏5 重金属综合整治示范"),
        ("box-6", "专栏6 全国生态环境监测网络建设"),
        ("box-7", "专栏7 加强生态环境基础调查"),
        ("box-8", "专栏8 环境治理保护重点工程"),
        ("box-9", "专栏9 山水林田湖生态工程"),
    ]
    assert [len(b.items) for b in boxes] == [10, 10, 15, 3, 2, 2, 2, 11, 14]


def test_glued_boxes_end_where_the_running_text_resumes(national: tuple[Document, list[ProjectList]]) -> None:
    box = _by_id(national[1])
    ends = {
        "box-1": "7.总磷超标的控制单元以及上游相关地区实施总磷总量控制。",
        "box-2": "西洱河大理白族自治州控制单元氨氮浓度下降。",
        "box-3": "规范冶炼企业废气排放口设置，取消脱硫设施旁路。",
        "box-4": "新疆自治区艾比湖等。",
        "box-5": "陇南徽县永宁河流域（铅、砷）。",
        "box-6": "生物多样性监测站300个。",
        "box-7": "监测和风险评估等。",
        "box-8": "加强国家核事故应急救援队伍建设。",
        "box-9": "“一带一路”信息共享与决策平台。",
    }
    for box_id, end in ends.items():
        quote = box[box_id].span.quote
        assert quote.startswith(f"专栏{box_id[4:]}"), box_id
        assert quote.endswith(end), (box_id, quote[-40:])
    assert "控制重点地区重点行业挥发性有机物排放" not in box["box-3"].span.quote
    assert "加强汞污染控制" not in box["box-5"].span.quote
    assert "第三章" not in box["box-1"].span.quote
    assert (
        box["box-1"].items[-1].text == "新增水土流失治理面积（万平方公里）--〔27〕预期性"
    )  # the notes are not an item


def test_items_and_spans(national: tuple[Document, list[ProjectList]]) -> None:
    doc, lists = national
    box = _by_id(lists)
    assert box["box-3"].items[0].text.startswith("造纸行业。力争完成纸浆无元素氯漂白改造")
    assert box["box-3"].items[-1].text.startswith("有色金属行业。")
    b8 = box["box-8"].items
    assert (b8[0].text[:11], b8[0].quantity) == ("工业污染源全面达标排放", "50万蒸吨")
    assert (b8[5].text[:11], b8[5].quantity) == ("重点流域海域水环境治理", "580个")
    assert box["box-9"].items[11].quantity == "60万株"
    for p in lists:
        assert doc.text[p.span.start : p.span.end] == p.span.quote
        for it in p.items:
            assert doc.text[it.span.start : it.span.end] == it.span.quote


def test_stated_totals_named_in_the_issue(national: tuple[Document, list[ProjectList]]) -> None:
    lists = national[1]
    # 580 priority control units: stated in 专栏8, the units are not named
    (p580,) = [p for p in lists if p.stated_total == 580]
    assert p580.id.startswith("box-8.") and p580.title.endswith("580个优先控制单元")
    assert (p580.counted, p580.consistent, p580.items) == (None, None, [])
    # 16 heavy-metal demonstration areas: 专栏5 names all 16
    b51 = _by_id(lists)["box-5.1"]
    assert b51.title == "专栏5 重金属综合整治示范 / 区域综合防控（16个）"
    assert (b51.stated_total, b51.counted, b51.consistent) == (16, 16, True)
    assert b51.items[0].text == "泰州靖江市（电镀行业综合整治）"
    assert b51.items[-1].text == "金昌市金川区（产业升级与历史遗留综合整治）"
    b52 = _by_id(lists)["box-5.2"]
    assert (b52.stated_total, b52.counted, b52.consistent) == (8, 8, True)
    assert "三门峡灵宝市宏农涧河流域（镉、汞）" in [i.text for i in b52.items]  # 、 inside brackets
    # 29 eutrophic lakes: 专栏4 lists them grouped by province
    (p29,) = [p for p in lists if p.stated_total == 29]
    assert p29.title.endswith("29个富营养化湖库")
    assert (p29.counted, p29.consistent) == (29, True)
    names = [i.text for i in p29.items]
    assert "湖北省南漪湖" in names and "安徽省" not in names and "上海市" not in names
    assert names[:2] == ["安徽省巢湖", "龙感湖"]


def test_other_lists_in_the_boxes(national: tuple[Document, list[ProjectList]]) -> None:
    lists = national[1]
    box = _by_id(lists)
    p16 = box["box-4.1"]
    assert (p16.title, p16.stated_total, p16.counted) == (
        "专栏4 区域性、流域性总量控制地区 / 16个省份",
        16,
        16,
    )
    assert p16.items[-1].text == "陕西省"  # the closing 等 is not a member
    p56 = box["box-4.2"]
    assert (p56.stated_total, p56.counted, p56.consistent) == (56, 56, True)
    assert [i.text for i in p56.items[-2:]] == ["三沙市", "海南省直辖县级行政区"]
    basins = [box[f"box-2.{k}"] for k in range(1, 11)]
    assert [b.title.split(" / ")[1] for b in basins[:2]] == ["长江流域（108个）", "海河流域（75个）"]
    assert all(b.consistent for b in basins)
    assert [b.stated_total for b in basins] == [108, 75, 49, 35, 12, 13, 17, 25, 3, 6]
    assert len(basins[0].items) == 10 and basins[0].items[0].quantity == "40个"
    # 专栏8 names "343个水质需改善控制单元": exactly the units 专栏2 lists by basin
    (p343,) = [p for p in lists if p.stated_total == 343]
    assert p343.id.startswith("box-8.") and sum(b.counted or 0 for b in basins) == 343
    assert all(p.consistent is not False for p in lists)


def test_newspaper_box_printed_after_its_content() -> None:
    doc = load_document(S001)
    lists = extract_projects(doc)
    box = _by_id(lists)
    assert [b.id for b in _boxes(lists)] == ["box-5"]
    b5 = box["box-5"]
    assert b5.title == "专栏5 重金属综合整治示范"
    assert b5.span.quote.startswith("（一）区域综合防控（16个）。")
    assert b5.span.quote.endswith("专栏5 重金属综合整治示范")
    assert "上接" not in b5.span.quote and "强化突发环境事件" not in b5.span.quote
    assert len(b5.items) == 2 and "\n" not in b5.items[0].text
    assert (box["box-5.1"].counted, box["box-5.2"].counted) == (16, 8)
    assert box["box-5.1"].consistent and box["box-5.2"].consistent
    # the same members as the national full text
    national = _by_id(extract_projects(load_document(S000)))
    assert [i.text for i in box["box-5.1"].items] == [i.text for i in national["box-5.1"].items]


def test_provincial_plan_boxes_on_their_own_lines() -> None:
    lists = extract_projects(load_document(S004))
    assert [(b.id, b.title, len(b.items)) for b in _boxes(lists)] == [
        ("box-2", "专栏2 应对气候变化示范工程", 1),
        ("box-3", "专栏3 大气污染防治重点工程", 0),  # the box's table is missing from this copy
        ("box-7", "专栏7 生态保护修复重点工程", 8),
    ]
    box = _by_id(lists)
    assert box["box-2"].items[0].quantity == "6个左右"
    assert box["box-7"].items[0].text.startswith("矿山环境修复与保护工程。完成石家庄")
    assert box["box-7"].items[-1].text.startswith("生物多样性保护重大工程。")
    assert "十三、" not in box["box-7"].span.quote


@pytest.mark.parametrize("seed", [S002, S003])
def test_documents_without_boxes(seed: Path) -> None:
    assert extract_projects(load_document(seed)) == []


def test_an_inconsistent_total_is_reported() -> None:
    text = (
        "推进试点示范。专栏3　城市试点示范（一）试点城市（5个）。甲市、乙市、丙市、丁市。"
        "（二）示范园区。在4个园区开展循环化改造，包括：A园区、B园区、C园区和D园区等。"
        "加强监督管理。各地要定期报告进展。"
    )
    lists = extract_projects(_doc(text))
    box = _by_id(lists)
    assert box["box-3"].span.quote.endswith("C园区和D园区等。")  # the running text resumes at 加强监督管理
    assert len(box["box-3"].items) == 2
    first = box["box-3.1"]
    assert (first.stated_total, first.counted, first.consistent) == (5, 4, False)
    second = box["box-3.2"]
    assert (second.title, second.stated_total, second.counted, second.consistent) == (
        "专栏3 城市试点示范 / 4个园区",
        4,
        4,
        True,
    )


def test_repeated_box_numbers_get_distinct_ids() -> None:
    text = "专栏1 甲工程\n\n（一）第一项。\n\n第二章 其他\n\n专栏1 乙工程\n\n（一）另一项。\n"
    assert [p.id for p in extract_projects(_doc(text))] == ["box-1", "box-1-2"]

"""The indicator-table reader against the seeds and the hand-transcribed built-in plans."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.plans import Plan, TargetKind, builtin_plans, parse_target
from ecoplan.plans.extract.spans import Document
from ecoplan.plans.extract.tables import ExtractedIndicator, ExtractedTable, extract_tables

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
PLANS = {p.id: p for p in builtin_plans()}
FIELDS = ("name", "unit", "category", "attribute", "baseline", "targets", "footnotes")


def load(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return Document(text=path.read_text("utf-8"), path=str(path), kind="text", encoding="utf-8")


@cache
def table_of(prefix: str) -> ExtractedTable:
    tables = extract_tables(load(prefix))
    assert len(tables) == 1, [t.title for t in tables]
    return tables[0]


def canon(expr: str) -> str:
    return parse_target(expr).canonical()


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def match_table(table: ExtractedTable, plan: Plan, aliases: dict[str, str]) -> dict[str, dict[str, bool]]:
    """Per built-in indicator, which fields the extracted row reproduces."""
    by_name = {ind.name_zh: ind for ind in table.indicators}
    out: dict[str, dict[str, bool]] = {}
    for ind in plan.indicators:
        x = by_name.get(ind.name.zh) or by_name.get(aliases.get(ind.id, ""))
        if x is None:
            out[ind.id] = dict.fromkeys(FIELDS, False)
            continue
        baseline = (ind.baseline.year, ind.baseline.value) if ind.baseline.value is not None else None
        out[ind.id] = {
            "name": x.name_zh == ind.name.zh,
            "unit": nfkc(x.unit) == nfkc(ind.unit),
            "category": x.category_zh == ind.category.zh,
            "attribute": x.attribute == ind.attribute.value,
            "baseline": x.baseline == baseline,
            "targets": [(y, canon(e)) for y, e in x.targets]
            == [(s.year, s.target.canonical()) for s in ind.targets],
            "footnotes": x.footnotes == list(ind.footnotes),
        }
    return out


def mismatches(matches: dict[str, dict[str, bool]]) -> set[tuple[str, str]]:
    return {(ind, f) for ind, row in matches.items() for f, ok in row.items() if not ok}


# Where the hand transcription normalised something the table does not print:
_NATIONAL_EXCEPTIONS = {
    # the index row has no unit cell; the YAML needs one and writes "1"
    ("eco-function-county-index", "unit"),
}
# (The built-in YAML once left note 2 off the heavy-days row and note 1 off the VOC,
# TN and TP rows; the importer showed the inconsistency and the YAML was corrected.)
_JIANGMEN_ALIASES = {"water-grade-i-iii": "地表水水质优良比例（达到或优于Ⅲ类）比例"}
_JIANGMEN_EXCEPTIONS = {
    # the table repeats 比例 (…优良比例 (达到或优于 III 类) 比例); the YAML drops the first
    ("water-grade-i-iii", "name"),
}


@pytest.mark.parametrize(
    ("seed", "plan_id", "count", "aliases", "exceptions"),
    [
        ("000", "cn-13th-eco", 26, {}, _NATIONAL_EXCEPTIONS),
        ("002", "cn-13th-eco-mee2020", 27, {}, _NATIONAL_EXCEPTIONS),
        ("003", "jiangmen-13th-eco", 19, _JIANGMEN_ALIASES, _JIANGMEN_EXCEPTIONS),
    ],
)
def test_table_matches_builtin_plan_field_by_field(
    seed: str, plan_id: str, count: int, aliases: dict[str, str], exceptions: set[tuple[str, str]]
) -> None:
    table = table_of(seed)
    plan = PLANS[plan_id]
    assert len(table.indicators) == count == len(plan.indicators)
    matches = match_table(table, plan, aliases)
    assert mismatches(matches) == exceptions
    rates = {f: sum(row[f] for row in matches.values()) / len(matches) for f in FIELDS}
    assert all(rate >= 0.8 for rate in rates.values()), rates


def test_national_table_layout_and_notes() -> None:
    table = table_of("000")
    assert table.title == "专栏1 “十三五”生态环境保护主要指标"
    assert table.years == [2015, 2020]
    assert sorted(table.notes) == [1, 2, 3, 4, 5, 6, 7]
    assert table.notes[4] == "为2013年数据。"
    assert table.notes[1] == "〔\u3000〕内为五年累计数。"
    categories = [i.category_zh for i in table.indicators]
    assert categories.count("生态环境质量") == 15
    assert categories.count("污染物排放总量") == 7
    assert categories.count("生态保护修复") == 4


def test_groundwater_footnote_digit_glued_to_the_baseline() -> None:
    for seed in ("000", "002"):
        row = next(i for i in table_of(seed).indicators if i.name_zh == "地下水质量极差比例")
        assert row.baseline == (2013, 15.7)  # "15.74" = 15.7 with note 4 (为2013年数据)
        assert row.footnotes == ["为2013年数据。"]
        assert row.targets == [(2020, "15左右")]
        assert "15.74" in row.cells


@pytest.mark.parametrize(
    ("name", "baseline", "target"),
    [
        ("森林蓄积量", (2015, 151.0), "165〔14〕"),  # 151165〔14〕
        ("草原综合植被盖度", (2015, 54.0), "56"),  # 5456
        ("近岸海域水质优良（一、二类）比例", (2015, 70.5), "70左右"),  # 70.570左右
        ("森林覆盖率", (2015, 21.66), "23.04〔1.38〕"),  # 21.6623.04〔1.38〕
        ("受污染耕地安全利用率", (2015, 70.6), "90左右"),  # 70.690左右
    ],
)
def test_glued_numbers_of_the_flattened_table(name: str, baseline: tuple[int, float], target: str) -> None:
    row = next(i for i in table_of("000").indicators if i.name_zh == name)
    assert row.baseline == baseline
    assert row.targets == [(2020, target)]


def test_group_sub_items_take_the_group_name_unit_and_attribute() -> None:
    rows = {i.name_zh: i for i in table_of("000").indicators}
    nh3 = rows["氨氮排放总量减少"]
    assert (nh3.unit, nh3.attribute, nh3.targets) == ("%", "binding", [(2020, "〔10〕")])
    assert nh3.confidence < 1.0  # attribute taken from the merged cell above
    tp = rows["重点地区总磷排放总量减少"]
    assert tp.attribute == "expected"
    assert "总磷超标的控制单元以及上游相关地区实施总磷总量控制。" in tp.footnotes


def test_mee_annex_adds_co2_intensity() -> None:
    rows = {i.name_zh: i for i in table_of("002").indicators}
    co2 = rows["单位GDP二氧化碳排放降低"]
    assert co2.category_zh == "二氧化碳排放强度"
    assert co2.attribute == "binding"
    assert co2.unit == "%"
    assert co2.baseline is None
    assert [(y, canon(e)) for y, e in co2.targets] == [(2020, "〔18〕")]
    wrapped = rows["地表水质量劣Ⅴ类水体比例"]  # name cell wrapped over two lines
    assert wrapped.baseline == (2015, 9.7)


def test_jiangmen_milestones_merged_cells_and_star_note() -> None:
    table = table_of("003")
    assert table.years == [2015, 2018, 2020]
    assert table.title == "表 1 江门市生态环保“十三五”规划目标指标"
    assert table.notes == {0: "*为 2015 年排放总量，单位为万吨。"}
    rows = table.indicators
    assert all(len(r.targets) == 2 for r in rows if r.name_zh != "江门市区建成区黑臭水体比例")
    for r in rows[10:15]:  # rows 11-15: the merged 控制在省下达的指标内 cell
        kinds = {parse_target(e).kind for _, e in r.targets}
        scopes = {parse_target(e).scope for _, e in r.targets}
        assert [y for y, _ in r.targets] == [2018, 2020]
        assert kinds == {TargetKind.INHERITED} and scopes == {"province"}
    cod = rows[10]
    assert cod.baseline is None  # 9.96* is a 2015 total in 万吨, not a % decline
    assert cod.footnotes == ["*为 2015 年排放总量，单位为万吨。"]
    voc = rows[15]
    assert voc.targets == [(2018, "〔12〕"), (2020, "〔20〕")]
    pm = rows[1]
    assert (pm.name_zh, pm.unit, pm.baseline) == ("PM2.5年均浓度", "μg/m³", (2015, 34.0))


@pytest.mark.parametrize("seed", ["000", "002", "003"])
def test_every_row_is_quoted_and_every_target_parses(seed: str) -> None:
    doc = load(seed)
    for row in table_of(seed).indicators:
        assert doc.text[row.span.start : row.span.end] == row.span.quote
        quote = re.sub(r"\s+", "", row.span.quote)
        for cell in row.cells[1:]:
            assert re.sub(r"\s+", "", cell) in quote or not cell.strip() or seed == "003"
        for _, expr in row.targets:
            parse_target(expr)
        assert 0.0 < row.confidence <= 1.0


@pytest.mark.parametrize("seed", ["001", "004"])
def test_documents_without_an_indicator_table(seed: str) -> None:
    assert extract_tables(load(seed)) == []


def test_markdown_pipe_table_with_unit_column() -> None:
    text = (
        "前言。\n\n表2 某市“十四五”生态环境保护主要指标\n\n"
        "| 类别 | 指标 | 单位 | 2020年 | 2025年 | 属性 |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 环境治理 | 地级城市PM2.5浓度 | μg/m3 | 44.8 | 37 | 约束性 |\n"
        "|  | 地表水达到或好于III类水体比例 | % | 66.2 | ≥70 | 约束性 |\n"
        "| 生态保护 | 森林覆盖率 | % | 35 | 36.5左右 |  |\n"
        "\n正文继续。\n"
    )
    (table,) = extract_tables(Document(text, "t.md", "markdown", "utf-8"))
    assert table.title == "表2 某市“十四五”生态环境保护主要指标"
    assert table.years == [2020, 2025]
    got = [(i.category_zh, i.name_zh, i.unit, i.baseline, i.targets, i.attribute) for i in table.indicators]
    assert got == [
        ("环境治理", "地级城市PM2.5浓度", "μg/m³", (2020, 44.8), [(2025, "37")], "binding"),
        ("环境治理", "地表水达到或好于Ⅲ类水体比例", "%", (2020, 66.2), [(2025, "≥70")], "binding"),
        ("生态保护", "森林覆盖率", "%", (2020, 35.0), [(2025, "36.5左右")], "binding"),
    ]


def test_tab_table_with_a_note_digit_glued_to_a_value() -> None:
    text = (
        "表1 某市生态环境保护主要指标\n"
        "序号\t指标\t2015年\t2020年\t属性\n"
        "1\t城市空气质量优良天数比例1(%)\t88.2\t90\t约束性\n"
        "2\t地下水质量极差比例(%)\t15.72\t15左右\t预期性\n"
        "3\t森林覆盖率(%)\t46.22\t46.84\t\n"
        "注：1.空气质量评价覆盖全市。2.为2013年数据。\n"
    )
    (table,) = extract_tables(Document(text, "t.txt", "text", "utf-8"))
    assert table.notes == {1: "空气质量评价覆盖全市。", 2: "为2013年数据。"}
    air, ground, forest = table.indicators
    assert (air.name_zh, air.footnotes) == ("城市空气质量优良天数比例", ["空气质量评价覆盖全市。"])
    assert (ground.baseline, ground.footnotes) == ((2013, 15.7), ["为2013年数据。"])
    assert (forest.baseline, forest.footnotes) == ((2015, 46.22), [])  # note 2 is taken
    assert forest.attribute == "expected"  # empty attribute cell: merged with the row above


# ---------------------------------------------------------------------------
# whitespace / line-break perturbations of the flattened 专栏1

_VALUE_START = "0123456789＞＜≥≤-〔"


def _cell_boundaries(region: str) -> list[int]:
    """Positions between two cells of the flattened table (never inside a number or word)."""
    body = region.index("属性") + 2
    end = region.index("注：")
    spots: set[int] = set()
    for p in range(body + 1, end):
        a, b = region[p - 1], region[p]
        if (
            (a == "）" and b in _VALUE_START)
            or region.startswith(("约束性", "预期性"), p)
            or region.startswith(("约束性", "预期性"), p - 3)
            or (b == "〔" and a != "〔")
            or a == "〕"
            or (b in "＞＜≥" and (a.isdigit() or a == "-"))
            or (b == "-" and (a.isdigit() or a in "-右上"))
            or (a == "-" and (b in "＞≥〔-" or b.isdigit()))
            or (re.match(r"\d{1,2}\.\D", region[p : p + 4]) and not a.isdigit() and a not in "-〕")
            or (b == "-" and _is_cjk(a))
            or (_is_cjk(a) and re.match(r"\d+\.\d", region[p : p + 4]))
            or (region[p - 3 : p] == "（%）" and _is_cjk(b))
            or re.search(r"\d\.(?:空气质量|水环境质量|土壤环境质量|生态状况)$", region[p - 9 : p])
        ):
            spots.add(p)
    return sorted(spots)


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


@cache
def _region() -> tuple[str, list[int], tuple[tuple[object, ...], ...]]:
    doc = load("000")
    table = table_of("000")
    region = doc.text[table.span.start : table.span.end]
    return region, _cell_boundaries(region), tuple(_project(r) for r in table.indicators)


def _project(row: ExtractedIndicator) -> tuple[object, ...]:
    targets = tuple((y, canon(e)) for y, e in row.targets)
    return (row.name_zh, row.unit, row.baseline, targets, row.attribute)


def test_the_perturbation_spots_cover_the_table() -> None:
    _, spots, _ = _region()
    assert len(spots) >= 120


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_whitespace_between_cells_does_not_change_the_rows(data: st.DataObject) -> None:
    region, spots, expected = _region()
    chosen = data.draw(st.lists(st.sampled_from(spots), min_size=1, max_size=60, unique=True))
    fills = data.draw(
        st.lists(
            st.sampled_from([" ", "\n", "\u3000", "\u2002", "  \n", "\n\n"]),
            min_size=len(chosen),
            max_size=len(chosen),
        )
    )
    text = region
    for pos, ws in sorted(zip(chosen, fills, strict=True), reverse=True):
        text = text[:pos] + ws + text[pos:]
    tables = extract_tables(Document(text, "perturbed.txt", "text", "utf-8"))
    assert len(tables) == 1
    assert tuple(_project(r) for r in tables[0].indicators) == expected


def test_one_cell_per_line_version_of_the_flattened_table() -> None:
    region, spots, expected = _region()
    text = region
    for pos in reversed(spots):
        text = text[:pos] + "\n" + text[pos:]
    (table,) = extract_tables(Document(text, "cells.txt", "text", "utf-8"))
    assert tuple(_project(r) for r in table.indicators) == expected
    assert sorted(table.notes) == [1, 2, 3, 4, 5, 6, 7]

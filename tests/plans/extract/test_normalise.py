"""The text clean-up before the readers (``ecoplan.plans.extract.normalise``).

Expected texts are written out by hand; the seeds and the corpus documents are read
as they are stored, never changed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.plans.extract import extract_text
from ecoplan.plans.extract.document import load_document
from ecoplan.plans.extract.normalise import (
    drop_junk,
    drop_page_furniture,
    drop_pinyin,
    fix_ocr_numbers,
    fold_forms,
    is_junk,
    is_pinyin,
    normalise_text,
    strip_invisible,
    to_simplified,
)
from ecoplan.plans.extract.spans import Document

SEEDS = sorted((SHARED / "seeds").glob("0*.txt"))
CORPUS = sorted(Path(__file__).resolve().parents[2].glob("corpus/*/document.*"))


# --- the seeds and the corpus: nothing real is removed -------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_a_seed_comes_through_unchanged(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    assert normalise_text(text) == (text, ())
    doc = load_document(seed)
    assert doc.text == text and doc.notes == ()


def _expected_strings(folder: Path) -> list[str]:
    """Indicator names, baseline values and target expressions of a corpus
    document's hand-checked expectation."""
    path = folder / "expected.yaml"
    if not path.exists():  # a document being added: its expectation comes with it
        pytest.skip(f"{folder.name}: no expected.yaml yet")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[str] = []
    for ind in data.get("indicators") or []:
        out.append(str(ind.get("name", "")))
        base = ind.get("baseline") or {}
        if base.get("value") is not None:
            out.append(str(base["value"]))
        out.extend(str(t.get("expr", "")) for t in ind.get("targets") or [])
    return [s for s in out if len(s) >= 2]


@pytest.mark.parametrize("document", CORPUS, ids=lambda p: p.parent.name)
def test_the_clean_up_keeps_every_expected_string_of_the_corpus(document: Path) -> None:
    """Every indicator name, value and target the corpus expects that is in a
    document's (simplified) text is still there after the clean-up."""
    raw = load_document(document, clean=False, max_bytes=None).text
    simplified, _ = to_simplified(raw)
    cleaned = load_document(document, max_bytes=None).text
    squeeze = re.compile(r"\s+")
    before, after = squeeze.sub("", simplified), squeeze.sub("", cleaned)
    lost = [s for s in _expected_strings(document.parent) if s in before and s not in after]
    assert lost == []


# --- 1. invisible characters --------------------------------------------------------


def test_invisible_characters_references_and_hidden_spans_go() -> None:
    text = '浓度\u200b下降&#8203;10%<span style="display:none">aZ3x</span>，\ue012达到&nbsp;87.5%\ufeff'
    assert strip_invisible(text)[0] == "浓度下降10%，达到 87.5%"
    assert strip_invisible("a &lt; b &amp; c")[0] == "a < b & c"
    assert strip_invisible("达到&amp;nbsp;87.5%")[0] == "达到 87.5%"
    assert strip_invisible('达到<font class="jammer">T! j8 K&</font>87.5%')[0] == "达到87.5%"
    assert strip_invisible("PM<sub>2.5</sub>") == ("PM<sub>2.5</sub>", 0)  # visible markup stays


def test_hidden_html_elements_are_not_read(tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    page.write_text(
        "<html><body><p>细颗粒物浓度下降10%<span style='display: none'>g8<b>K</b>q</span>，"
        "<font style='font-size:0px'>Zx9</font>优良天数比率达到87.5%"
        '<i hidden>junk</i><font class="jammer">T! j8</font>。</p></body></html>',
        encoding="utf-8",
    )
    assert load_document(page).text == "细颗粒物浓度下降10%，优良天数比率达到87.5%。\n"


# --- 2. traditional script ----------------------------------------------------------

TRADITIONAL = (
    "到2025年，全市細顆粒物（PM2.5）濃度下降10%，空氣質量優良天數比率達到87.5%，二噁英排放得到控制。"
)
SIMPLIFIED = "到2025年，全市细颗粒物（PM2.5）浓度下降10%，空气质量优良天数比率达到87.5%，二噁英排放得到控制。"


def test_traditional_script_is_converted_length_for_length() -> None:
    text, notes = normalise_text(TRADITIONAL)
    assert text == SIMPLIFIED
    # 細顆濃氣質優數達; 噁 stays (OpenCC would give the rare 𫫇)
    assert notes == ("converted from traditional script: 8 characters",)
    assert normalise_text(TRADITIONAL, "zh")[1] == ("已从繁体字转换为简体字：8 个字",)


def test_a_glossed_traditional_text() -> None:
    # as a reprint site glosses a traditional text; the glosses go first, so 乾隆 is
    # read as the name it is (the character alone would become 干)
    text = "當(dāng)前，乾(qián)隆(lóng)年間的中國(guó)經(jīng)濟(jì)發(fā)展。"
    assert normalise_text(text) == (
        "当前，乾隆年间的中国经济发展。",
        ("removed pinyin glosses: 7", "converted from traditional script: 6 characters"),
    )


def test_simplified_text_with_a_character_t2s_would_change_stays() -> None:
    # 二噁英 is the simplified term; 乾隆 and 显著 are simplified too
    text = "持续削减二噁英排放，乾隆年间的显著变化。\n"
    assert to_simplified(text) == (text, 0)


def test_only_the_traditional_lines_of_a_mixed_text_are_converted() -> None:
    simplified_line = "第三章 生态环境质量持续改善，二噁英排放下降。"
    text = "\n".join([simplified_line * 20, TRADITIONAL, simplified_line * 20])
    converted, count = to_simplified(text)
    assert converted == "\n".join([simplified_line * 20, SIMPLIFIED, simplified_line * 20])
    assert count == 8


# --- 3./4. forms and OCR numbers ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("达到８０．５%", "达到80.5%"),
        ("ＰＭ２．５浓度", "PM2.5浓度"),
        ("第５章", "第5章"),
        ("与５ G、物联网", "与５ G、物联网"),  # a lone full-width digit beside Latin text stays
        ("⽣态环境", "生态环境"),  # a Kangxi radical from a PDF
        ("比例（％），", "比例（％），"),  # full-width punctuation stays
    ],
)
def test_full_width_forms(raw: str, clean: str) -> None:
    assert fold_forms(raw)[0] == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("优良天数比率8O.5%", "优良天数比率80.5%"),
        ("到2O2O年", "到2020年"),
        ("1O0个", "100个"),
        ("浓度下降8 7. 5%", "浓度下降87.5%"),
        ("达到7 .5", "达到7.5"),
        ("比率达到87 .5%", "比率达到87.5%"),
        ("比率达到90. 5%", "比率达到90.5%"),
        ("到2020年。1. 2020年起", "到2020年。1. 2020年起"),  # a list item, a year
        ("第 2. 10项", "第 2. 10项"),
        ("O3浓度", "O3浓度"),  # ozone
        ("CO2排放", "CO2排放"),
        ("毒害草治理l2万公顷", "毒害草治理l2万公顷"),  # the seed's l2: not inside a number
        ("34 35", "34 35"),  # two cells
        ("2. 5个城市", "2. 5个城市"),  # a list item
        ("10l水", "10l水"),  # litres
    ],
)
def test_ocr_numbers(raw: str, clean: str) -> None:
    assert fix_ocr_numbers(raw)[0] == clean


# --- 5. page furniture --------------------------------------------------------------


def test_page_numbers_and_running_headers_go() -> None:
    pages = [
        "到2025年，地级及以上城市细颗粒物浓度下降10%，空气质量",
        "优良天数比率达到87.5%。重度及以上污染天数比率",
        "控制在1%以内。到2025年，地表水质量达到或好于Ⅲ类水体比例",
        "达到70%以上。",
    ]
    text = ""
    for i, body in enumerate(pages, start=1):
        text += f"某省生态环境保护规划\n\n{body}\n\n— {i} —\n"
    cleaned, count = drop_page_furniture(text)
    # the first page's header is its title, far from a page number: it stays
    assert cleaned == "某省生态环境保护规划\n\n" + "\n\n\n".join(pages) + "\n\n"
    assert count == 7  # four page numbers, three headers
    assert drop_page_furniture("- 3 -\n正文\n第3页 共45页\n")[0] == "正文\n"


def test_a_heading_before_a_page_number_stays() -> None:
    text = "第一章 总则\n— 1 —\n正文。\n第二章 目标\n— 2 —\n正文。\n"
    assert drop_page_furniture(text)[0] == "第一章 总则\n正文。\n第二章 目标\n正文。\n"


def test_a_single_dash_number_line_is_text() -> None:
    for text in ("表格\n— 1 —\n正文。\n", "—0—\n—0—\n"):
        assert drop_page_furniture(text) == (text, 0)


# --- 6. pinyin ----------------------------------------------------------------------


def test_pinyin_glosses_go_and_real_latin_in_brackets_stays() -> None:
    text = (
        "生态环境（shēngtài huánjìng）保护，绿色（lǜsè）发展，实(shí)现(xiàn)目标，"
        "生态环境(shengtai huanjing)质量；细颗粒物（PM2.5）、二氧化硫（SO2）、"
        "挥发性有机物(VOCs)、国内生产总值（GDP）、浓度（mg/L）、面积(km²)、化学需氧量(COD)、"
        "类别（a）、英文(green)"
    )
    assert drop_pinyin(text) == (
        "生态环境保护，绿色发展，实现目标，生态环境质量；细颗粒物（PM2.5）、二氧化硫（SO2）、"
        "挥发性有机物(VOCs)、国内生产总值（GDP）、浓度（mg/L）、面积(km²)、化学需氧量(COD)、"
        "类别（a）、英文(green)",
        5,
    )


def test_glosses_in_a_row_all_go() -> None:
    assert drop_pinyin("生态（shēngtài）（shēng tài）环境") == ("生态环境", 2)


def test_pinyin_words() -> None:
    assert is_pinyin("shēngtài huánjìng") == 4
    assert is_pinyin("Xi'an") == 2
    assert is_pinyin("lǜsè") == 2
    assert is_pinyin("COD") == 0 and is_pinyin("VOCs") == 0 and is_pinyin("green") == 0


# --- 7. junk ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("细颗粒物浓度下降10%g8Kq，", "细颗粒物浓度下降10%，"),
        ("浓度35g8Kq微克", "浓度35微克"),
        ("下降aZ3x10%，", "下降10%，"),
        ("下降10%8gKq，", "下降10%，"),
        ("VOCs排放下降10%以上，PM2.5浓度", "VOCs排放下降10%以上，PM2.5浓度"),
        (
            "SO2、NO2、NOx、O3、CO、CO2、COD、BOD5、TP、TN、pH、GDP",
            "SO2、NO2、NOx、O3、CO、CO2、COD、BOD5、TP、TN、pH、GDP",
        ),
        ("浓度（mg/L）和μg/m³，面积km2，pH7.5，CaCO3", "浓度（mg/L）和μg/m³，面积km2，pH7.5，CaCO3"),
        (
            "Ⅰ～Ⅲ类和劣Ⅴ类，HFC23销毁，GB3095-2012，环发〔2020〕27号",
            "Ⅰ～Ⅲ类和劣Ⅴ类，HFC23销毁，GB3095-2012，环发〔2020〕27号",
        ),
        (
            "来源：https://www.pkulaw.com/chl/2cfe8226e16e5381bdfb.html 编辑",
            "来源：https://www.pkulaw.com/chl/2cfe8226e16e5381bdfb.html 编辑",
        ),
        ("达到87.5%。本文来自中国环境网，转载请注明出处。到2025年", "达到87.5%。到2025年"),
        ("推广iPhone和WeChat", "推广iPhone和WeChat"),
        ("平台v2.0版本，No.3文件", "平台v2.0版本，No.3文件"),
        (
            "见mee.gov.cn/xxgk2018/xxgk/xxgk03/202111/t20211102_958850.html。",
            "见mee.gov.cn/xxgk2018/xxgk/xxgk03/202111/t20211102_958850.html。",
        ),
        ("联系hjb2021@mee.gov.cn。", "联系hjb2021@mee.gov.cn。"),
    ],
)
def test_junk_runs(raw: str, clean: str) -> None:
    assert drop_junk(raw)[0] == clean


def test_forum_jammer_junk_goes_and_the_cells_stay() -> None:
    raw = (
        '专栏1 主要指标# j( G0 `$ \\, k" P\n'
        "地级及以上城市空气质量优良天数比率(%). M! K; h1 N/ ]\n"
        "| 76。7\n& }: R0 S5 X; ^( j' A7 f: Z | >80\n"
        '2 ~) q. ]9 m/ ` | -! N" p9 F. ]) t+ X: t, }% h\n'
        "| 约束性4 b- Y* `' c8 M\n"
        "( c3 I( i' U& x) I | 9。7\n"
        '〔累计〕1" r; O6 V3 l# y+ {* `\n'
        "| 15。74- h; {3 j6 _' H4 g4 y: t+ S/ u5 [\n"
    )
    assert drop_junk(raw)[0] == (
        "专栏1 主要指标\n"
        "地级及以上城市空气质量优良天数比率(%)\n"
        "| 76。7\n| >80\n"
        "| -\n"
        "| 约束性4\n"
        "| 9。7\n"
        "〔累计〕1\n"
        "| 15。74\n"
    )
    # tokens of real text in a row stay
    for text in ("O3 CO 5G 浓度", "| - | - |", "A B C 三级", "PM2.5 O3 NO2 CO"):
        assert drop_junk(text) == (text, 0)


@pytest.mark.parametrize("run", ["g8Kq", "aZ3x", "x7k2", "aBcD", "2cfe8226e16e"])
def test_junk_shapes(run: str) -> None:
    assert is_junk(run)


@pytest.mark.parametrize(
    "run",
    ["PM2.5", "VOCs", "NOx", "pH", "km2", "kWh", "HFC23", "GB3095", "CaCO3", "green", "WeChat", "Beijing"],
)
def test_content_shapes(run: str) -> None:
    assert not is_junk(run)


# --- all together, through the extractor ---------------------------------------------


def _dirty(text: str) -> str:
    """A reprint copy of ``text``: junk after percentages and numbers, zero-width characters after
    commas, pinyin after 生态环境, page furniture after every 40th line."""
    text = re.sub(r"(?<=[0-9]%)|(?<=[0-9])(?=[，。；])", "g8Kq", text)
    text = text.replace("，", "，\u200b").replace("生态环境", "生态环境（shēngtài huánjìng）")
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines, start=1):
        out.append(line)
        if i % 40 == 0:
            out.extend(["", f"— {i // 40} —", "江门市生态环境保护“十三五”规划", ""])
    return "\n".join(out)


def _found(doc: Document) -> str:
    got = extract_text(doc).to_json()
    for key in ("extraction", "warnings"):
        got.pop(key, None)
    # spans point into each document's own text: compare what was found, not where
    return re.sub(r'"(start|end)": \d+', "", json.dumps(got, ensure_ascii=False, sort_keys=True))


def test_a_dirty_copy_extracts_like_the_clean_one(tmp_path: Path) -> None:
    seed = SHARED / "seeds" / "003_ced3bd6005114f5c.txt"
    clean = seed.read_text(encoding="utf-8")
    dirty = tmp_path / seed.name  # the plan's id comes from the file's name
    dirty.write_text(_dirty(clean), encoding="utf-8")
    doc = load_document(dirty)
    assert len(doc.notes) == 4  # invisible, page furniture, pinyin, junk
    assert _found(doc) == _found(load_document(seed))


# --- properties ---------------------------------------------------------------------

_SIMPLIFIED_CHARS = (
    "生态环境保护规划空气质量优良天数比率达到以上细颗粒物浓度下降累计约束性预期性指标地级城市水体"
)
_PIECES = st.sampled_from(
    [
        *_SIMPLIFIED_CHARS,
        *"，。；：（）%〔〕、\n ",
        *"0123456789",
        "PM2.5", "SO2", "NOx", "VOCs", "COD", "GDP", "pH", "km²", "mg/L", "Ⅲ", "《", "》",
        "g8Kq", "aZ3x", "\u200b", "&#8203;", "&amp;", "nbsp;", "\ue000",
        "（shēngtài）", "(shengtai huanjing)",
        "細顆粒物", "濃度", "空氣", "達到", "８０．５", "8O.5", "8 7. 5", "\n— 3 —\n",
        "T! j8 ", "K& _( z ", "| ", "- ", "l", "O", "a", "Z", "\t",
    ]
)  # fmt: skip
# Latin tokens as a text writes them: after a Chinese character or a mark, never glued
# to another Latin token; footnote digits may follow them
_CLEAN_PIECES = st.sampled_from(
    [
        *_SIMPLIFIED_CHARS, *"，。；：（）%〔〕、\n ", *"0123456789",
        "的PM2.5", "（SO2）", "、VOCs", "和GDP", "Ⅲ类", "，NOx", "的pH", "（mg/L）", "面积km²",
        "（COD）", "的O3", "、CO2", "，BOD5", "《", "》", "—", "1.5", "87.5%",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_cleaning_twice_is_cleaning_once(text: str) -> None:
    once, _ = normalise_text(text)
    assert normalise_text(once) == (once, ())
    assert len(once) <= len(text)  # the clean-up never adds text
    assert len(to_simplified(text)[0]) == len(text)  # conversion keeps offsets


@settings(max_examples=300, deadline=None)
@given(st.lists(_CLEAN_PIECES, max_size=80).map("".join))
def test_clean_simplified_text_is_never_altered(text: str) -> None:
    assert normalise_text(text) == (text, ())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=20).map("".join), min_size=1, max_size=5))
def test_the_junk_and_number_steps_are_local(paragraphs: list[str]) -> None:
    """Each paragraph is cleaned on its own: what is removed or fixed never
    depends on text far away (which is also why the clean-up is one pass)."""
    paragraphs = [p.replace("\n", "") for p in paragraphs]
    for step in (strip_invisible, fix_ocr_numbers, drop_pinyin, drop_junk):
        whole = step("\n\n".join(paragraphs))[0]
        assert whole == "\n\n".join(step(p)[0] for p in paragraphs)

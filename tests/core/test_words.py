"""The catalog of words: complete in zh and en, pure, and strict about keys and params."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.core import words
from ecoplan.core.words import (
    LANGS,
    Catalog,
    CatalogError,
    MissingParam,
    MissingWord,
    Reason,
    Words,
    word,
)
from ecoplan.core.words.purity import ALLOWED_LATIN, foreign
from ecoplan.domains import domains

#: Symbols the catalog itself quotes on the other language's surface: the plans'
#: cumulative-target brackets 〔x〕 in the English method text.
CATALOG_ALLOWED_EN = ("〔x〕",)
domains()  # register every domain's words before the keys are collected

AREAS = {
    "status", "verdict", "attribute", "grade", "warning", "severity", "aqi", "region_level",
    "target_source", "authority", "stage", "header", "label", "note", "reason", "error",
    "cli", "api",  # the command line's and the API's own words (cli.yaml, api.yaml)
    "method",  # an indicator whose computation method is not published (method.yaml)
    "feeds",  # what every domain's feed shares (words.yaml: a value kept from a person)
    # people at work (issue #12): accounts, permissions and audit, review, notifications,
    # operations (backup, serve), the dispatch views and the account pages
    "access", "review", "notify", "ops", "dispatch", "account",
    "extract",  # the plan extractor's size limit and progress (extract.yaml, issue 13)
}  # fmt: skip


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _sample(key: str) -> dict[str, object]:
    return {p: 12.5 for p in words.params(key)}


def test_catalog_is_large_and_in_known_areas():
    registered = {d.name for d in domains()}  # registers each domain's words.yaml
    keys = words.keys()
    assert len(keys) > 200
    # the core areas, plus one area per registered domain (its own words.yaml)
    assert {k.split(".")[0] for k in keys} == AREAS | registered


@pytest.mark.parametrize("key", words.keys())
def test_every_key_has_zh_and_en_with_the_same_params(key):
    raw = {lang: words.CATALOG.raw(key, lang) for lang in LANGS}
    assert all(t.strip() for t in raw.values())
    assert _fields(raw["zh"]) == _fields(raw["en"]) == set(words.params(key))


@pytest.mark.parametrize("key", words.keys())
def test_every_word_is_pure(key):
    zh = word(key, "zh", **_sample(key))
    en = word(key, "en", **_sample(key))
    assert foreign(zh, "zh") == [], (key, zh)
    assert foreign(en, "en", allowed=CATALOG_ALLOWED_EN) == [], (key, en)
    assert "{" not in zh.replace("{{", "") and "{" not in en


def test_spec_words():
    """The words the assessment spec and the web use (the CLI's 已达标/滞后 are gone)."""
    assert word("status.achieved", "zh") == "已实现"
    assert word("status.at_risk", "zh") == "存在风险"
    assert word("attribute.binding", "zh") == "约束性"
    assert [word(f"grade.{g}", "zh") for g in ("excellent", "good", "pass", "fail")] == [
        "优秀",
        "良好",
        "合格",
        "不合格",
    ]
    assert word("verdict.not_met", "zh") == "未完成"
    assert word("aqi.category.6", "en") == "Severely polluted"


def test_params_are_filled_plainly_and_by_spec():
    assert word("reason.no_value", "en", year=2020) == "no value for 2020"
    assert word("reason.no_value", "zh", year=2020) == "缺少2020年数据"
    got = word("reason.misses_target", "en", year=2020, value=36.50, unit=" µg/m³", target="≤35", gap=1.5)
    assert got == "2020 value 36.5 µg/m³ does not meet the target ≤35 (gap 1.5)"
    assert word("reason.misses_target", "zh", year=2020, value=1e-7, unit="", target="x", gap=None) == (
        "2020年值0.0000001未达到目标“x”（差距—）"
    )
    assert word("note.not_ranked", "en", assessed=3, total=10, share=0.8).endswith("at least 80%)")
    assert "+1.2" in word("reason.warning.needs", "zh", required=1.24, unit="%", actual=-0.5, base_year=2015)
    assert word("note.page", "en", page=2, pages=5) == "Page 2 of 5"


def test_names_by_language_and_nested_reasons():
    region = {"zh": "北京市", "en": "Beijing"}
    assert word("reason.no_baseline", "zh", region=region, year=2015) == "缺少北京市2015年基期值"
    assert word("reason.no_baseline", "en", region=region, year=2015) == "no 2015 value for Beijing"
    inner = Reason("no_value", {"year": 2019})
    assert Reason("from_start", {"reason": inner, "start": 2016}).text("en") == (
        "no value for 2019 (the plan gives no baseline; progress measured from 2016)"
    )


def test_missing_key_names_the_key():
    with pytest.raises(MissingWord, match=r"status\.nope"):
        word("status.nope", "zh")
    with pytest.raises(KeyError):
        word("status.nope", "en")
    assert not words.has("status.nope") and words.has("status.achieved")


def test_missing_param_names_key_and_param():
    with pytest.raises(MissingParam) as err:
        word("reason.no_baseline", "en", year=2015)
    assert err.value.key == "reason.no_baseline" and err.value.param == "region"
    assert "reason.no_baseline" in str(err.value) and "region" in str(err.value)
    with pytest.raises(MissingParam, match="year"):
        Reason("no_value").text("zh")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="fr"):
        word("status.achieved", "fr")
    with pytest.raises(ValueError):
        Words("de")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_register_adds_and_refuses_duplicates(tmp_path):
    cat = Catalog(builtin=False)
    a = _write(tmp_path / "a.yaml", "air.level.x: {zh: 甲, en: A}\nair.level.y: {zh: '乙{n}', en: 'B{n}'}\n")
    assert cat.register(a, prefix="air") == ["air.level.x", "air.level.y"]
    assert cat.word("air.level.y", "zh", n=2) == "乙2"
    assert cat.register(a) == []  # the same file again: nothing new
    b = _write(tmp_path / "b.yaml", "water.z: {zh: 丙, en: C}\nair.level.x: {zh: 丁, en: D}\n")
    with pytest.raises(CatalogError) as err:
        cat.register(b)
    assert "a.yaml" in str(err.value) and "b.yaml" in str(err.value) and "air.level.x" in str(err.value)
    assert not cat.has("water.z")  # all or nothing
    assert cat.word("air.level.x", "en") == "A"


def test_register_refuses_a_builtin_key_and_keys_outside_the_prefix(tmp_path):
    f = _write(tmp_path / "w.yaml", "status.achieved: {zh: 已达标, en: met}\n")
    with pytest.raises(CatalogError, match=r"status\.achieved.*words\.yaml"):
        words.register(f)
    assert word("status.achieved", "zh") == "已实现"
    g = _write(tmp_path / "g.yaml", "water.q: {zh: 水, en: water}\n")
    with pytest.raises(CatalogError, match="prefix"):
        Catalog(builtin=False).register(g, prefix="air")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a.b: {zh: 甲}\n", "zh and en"),
        ("a.b: {zh: '甲{x}', en: A}\n", "different parameters"),
        ("a.b: {zh: '', en: A}\n", "non-empty"),
        ("Nodot: {zh: 甲, en: A}\n", "dotted"),
        ("a.b: {zh: 甲, en: A}\na.b: {zh: 乙, en: B}\n", "twice"),
        ("a.b: {zh: '甲{0}', en: 'A{0}'}\n", "parameter name"),
    ],
)
def test_malformed_files_are_refused(tmp_path, text, why):
    with pytest.raises(CatalogError, match=why):
        Catalog(builtin=False).register(_write(tmp_path / "bad.yaml", text))


def test_words_for_templates():
    w = Words("en")
    assert w("status.on_track") == "on track"
    assert w("reason.no_value", year=2021) == "no value for 2021"
    assert w.get("status.unknown_code") == "status.unknown_code"
    assert w.get("status.unknown_code", "?") == "?"
    assert w.reason({"code": "no_target", "params": {}}) == "no quantitative target in the plan"
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    html = env.from_string('{{ w("status." ~ s) }}|{{ w("reason.no_value", year=y) }}').render(
        w=Words("zh"), s="at_risk", y=2020
    )
    assert html == "存在风险|缺少2020年数据"


def test_reason_round_trip_through_json():
    r = Reason(
        "behind_improving",
        {
            "year": 2018,
            "value": 41.25,
            "unit": " µg/m³",
            "base_year": 2015,
            "basis": Reason("basis.milestone", {"year": 2018, "target": "≤40"}),
            "region": {"zh": "北京市", "en": "Beijing"},
            "missing": None,
        },
    )
    back = Reason.from_dict(json.loads(json.dumps(r.to_dict(), ensure_ascii=False)))
    assert back == r
    assert (
        back.text("zh") == r.text("zh") == "2018年值41.25 µg/m³落后于2018年阶段目标“≤40”，但较2015年有所改善"
    )
    assert isinstance(back.params["basis"], Reason)
    with pytest.raises(TypeError):
        r.params["year"] = 2019  # type: ignore[index]
    with pytest.raises(TypeError, match="object"):
        Reason("no_value", {"year": object()}).to_dict()
    with pytest.raises(ValueError):
        Reason.from_dict({"params": {}})


# --- purity --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("PM2.5年均浓度35 µg/m³（GB 3095—2012，HJ 663—2013，GB/T 8170）", []),
        ("规划 cn-13th-eco 于2024-01-01发布，见 https://www.mee.gov.cn/a?b=1", []),
        ("O3-8h、PM2.5/PM10、SO₂、CO₂、10⁴ km²、10⁴ t、COD 与 AQI", []),
        ("请运行 `ecoplan targets import`", []),
        ("状态：on track", ["on", "track"]),
        ("AQI: NA（缺测）", ["NA"]),
        ("已达标 Beijing 市", ["Beijing"]),
    ],
)
def test_foreign_on_zh(text, found):
    assert foreign(text, "zh") == found


def test_foreign_allowed_names():
    assert foreign("target 15左右 met", "en") == ["左右"]
    assert foreign("target 15左右 met", "en", allowed=["15左右"]) == []
    assert foreign("引用 Blue Sky Plan 原文", "zh", allowed=["Blue Sky Plan"]) == []
    with pytest.raises(ValueError):
        foreign("x", "fr")


ascii_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
cjk_run = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("，。、（）：；〔〕「」"),
    ),
    min_size=1,
    max_size=8,
)


@given(ascii_text)
def test_ascii_is_pure_english(text):
    assert foreign(text, "en") == []


@given(st.lists(st.tuples(ascii_text, cjk_run), min_size=1, max_size=6), ascii_text)
def test_every_injected_cjk_run_is_found(pieces, tail):
    # runs are kept apart by at least one ASCII character
    text = "".join(f"{a} {run}" for a, run in pieces) + " " + tail
    assert foreign(text, "en") == [run for _, run in pieces]


latin_word = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=2, max_size=10).filter(
    lambda w: w not in ALLOWED_LATIN and w != "ecoplan"
)
han = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=6)


@given(st.lists(st.tuples(han, latin_word), min_size=1, max_size=5), han)
def test_every_injected_latin_word_is_found_on_zh(pieces, tail):
    text = "".join(h + w for h, w in pieces) + tail
    assert foreign(text, "zh") == [w for _, w in pieces]

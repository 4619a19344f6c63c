"""The water sections of the dashboard (home, region, rankings) on real CNEMC snapshots,
in zh and en: each class written on its CNEMC colour, one language per page (names from
the monitoring data are marked ``lang="zh"`` on English pages), two requests at once;
the map, the distribution and the limits chart as pure functions."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import httpx
import pytest
from tests.water.test_routes import subset
from tests.web.conftest import serving
from tests.web.test_language import quoted_names, visible_text

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

from ecoplan.water.pages import _distribution, _map, in_region, series_chart  # isort: skip

CNEMC = ("#CCFFFF", "#00CCFF", "#00FF00", "#FFFF00", "#FF9B00", "#FF0000")  # spec §1.4 colours


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("water-pages")
    src, _ = subset(tmp / "bj-tj.csv")
    db = tmp / "w.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.water.load([src], format="cnemc-snapshot")
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def page(base: str, path: str, lang: str) -> str:
    r = httpx.get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}", timeout=180)
    assert r.status_code == 200, r.text[:300]
    return r.text


def water_part(html: str, lang: str) -> str:
    title = "地表水环境质量" if lang == "zh" else "Surface water quality"
    return html.split(f"<h2>{title}</h2>", 1)[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_has_map_distribution_and_basins(base: str, lang: str) -> None:
    html = page(base, "/", lang)
    part = water_part(html, lang)
    assert 'id="water-map"' in part and 'id="water-basins"' in part
    # every chip: a CNEMC colour with its class written on it
    chips = re.findall(r'class="wq-chip" style="[^"]*background:(#[0-9A-F]{6})">([^<]+)</span>', part)
    assert chips
    short = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ" if lang == "zh" else "Ⅴ+")
    for color, text in chips:
        assert short[CNEMC.index(color)] == text
    assert ("天津市" in part) and ("海河流域" in part)
    if lang == "en":
        assert '<span lang="zh">海河流域</span>' in part


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/", "/regions/120000", "/regions/110000", "/rankings"])
def test_pages_speak_one_language(base: str, path: str, lang: str) -> None:
    text = visible_text(page(base, path, lang), lang)
    assert not foreign(text, lang, allowed=quoted_names(lang)), foreign(
        text, lang, allowed=quoted_names(lang)
    )


@pytest.mark.parametrize(("lang", "limits"), [("zh", "GB 3838—2002 表1"), ("en", "GB 3838—2002 Table 1")])
def test_region_has_years_series_and_sections(base: str, lang: str, limits: str) -> None:
    part = water_part(page(base, "/regions/120000", lang), lang)
    assert 'id="water-years"' in part and 'id="water-sections"' in part
    assert re.search(r"<td>2025</td>", part) and re.search(r"<td>2026</td>", part)
    assert 'id="water-series"' in part and limits in part
    # the dashed class limits are labelled with the class they bound
    assert len(re.findall(r'stroke-dasharray="4,3"/><text[^>]*>(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ) ', part)) == 5


def test_region_without_water_has_no_section(base: str) -> None:
    assert "wq-chip" not in page(base, "/regions/440700", "zh")


def test_rankings_and_json(base: str) -> None:
    part = page(base, "/rankings", "en")
    assert 'id="water-rank"' in part and "Beijing" in part and "Tianjin" in part
    data = httpx.get(f"{base}/?format=json", timeout=60).json()
    # one month each in 2025 (November: 38 Beijing/Tianjin sections) and 2026 (February:
    # 26): the home page shows the year with more sections, and says how many months it
    # rests on
    assert data["water"]["year"] == 2025 and data["water"]["months"] == 1
    assert sum(data["water"]["distribution"].values()) == 38


def test_home_year_prefers_years_with_months_then_sections() -> None:
    from ecoplan.water.pages import home_year

    assert home_year({2024: 12, 2025: 1}, lambda y: 0) == 2024
    assert home_year({2023: 4, 2024: 12, 2025: 1}, lambda y: 0) == 2024
    assert home_year({2025: 1, 2026: 1}, {2025: 1700, 2026: 300}.__getitem__) == 2025
    assert home_year({2025: 1, 2026: 1}, {2025: 300, 2026: 300}.__getitem__) == 2026
    assert home_year({2025: 2, 2026: 1}, lambda y: 0) == 2025


def test_two_pages_at_once(base: str) -> None:
    urls = [f"{base}/regions/110000?lang=zh", f"{base}/regions/120000?lang=en"]
    alone = [httpx.get(u, timeout=120).text for u in urls]
    got: dict[int, str] = {}

    def fetch(i: int) -> None:
        got[i] = httpx.get(urls[i], timeout=120).text

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[0], got[1]] == alone


def _row(cls: int | None, lat: float | None = None, lon: float | None = None, prov: str = "北京市") -> dict:
    return {"class": cls, "lat": lat, "lon": lon, "province": prov, "name": "x", "region": "110000"}


def test_map_places_points_when_sections_have_coordinates() -> None:
    m = _map([_row(2, 39.9, 116.4), _row(6, 31.2, 121.5), _row(None, 30.0, 120.0)], "en")
    assert [p["chip"] for p in m["points"]] == ["Ⅱ", "Ⅴ+"] and not m["groups"]
    beijing, shanghai = m["points"]
    assert shanghai["x"] > beijing["x"] and shanghai["y"] > beijing["y"]  # east and south
    assert 0 <= beijing["x"] <= m["width"] and 0 <= beijing["y"] <= m["height"]


def test_map_groups_by_province_without_coordinates() -> None:
    m = _map([_row(3, prov="天津市"), _row(1), _row(2), _row(None)], "zh")
    assert [(g["province"], [c["chip"] for c in g["chips"]]) for g in m["groups"]] == [
        ("北京市", ["Ⅰ", "Ⅱ"]),
        ("天津市", ["Ⅲ"]),
    ]


def test_distribution_counts_classed_sections_only() -> None:
    d = _distribution([_row(1), _row(2), _row(2), _row(6), _row(None)], "zh")
    assert d["n"] == 4 and [p["n"] for p in d["parts"]] == [1, 2, 0, 0, 0, 1]
    assert d["share_i_iii"] == 75.0 and d["parts"][5]["color"] == "#FF0000"


@pytest.mark.parametrize(
    ("region", "code", "inside"),
    [
        ("110105", "110000", True),
        ("110105", "110100", True),
        ("120101", "110000", False),
        (None, "000000", True),
    ],
)
def test_in_region(region: str | None, code: str, inside: bool) -> None:
    assert in_region(region, code) is inside


def test_series_chart_draws_higher_values_higher() -> None:
    c = series_chart([("2025-11", 0.4), ("2026-02", 1.2)], (0.15, 0.5, 1.0, 1.5, 2.0), "zh")
    ys = [line["y"] for line in c["lines"]]
    assert ys == sorted(ys, reverse=True)  # SVG y grows downward: the Ⅴ limit is on top
    assert c["points"][1]["y"] < c["points"][0]["y"] and c["path"].startswith("M")
    assert [line["label"] for line in c["lines"]][2] == "Ⅲ 1"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["地表水环境质量 · 天津市", "断面数", "劣Ⅴ类", "Ⅰ～Ⅲ类比例（%）", "评价依据：GB 3838—2002"]),
        (
            "en",
            [
                "Surface water quality · Tianjin",
                "Sections",
                "Worse than class Ⅴ",
                "Evaluated under GB 3838—2002",
            ],
        ),
    ],
)
def test_report_has_the_water_section(base: str, lang: str, words: list[str]) -> None:
    """The 15th FYP outline's report for Tianjin in 2026: the 2011-method classes of 2025
    (the base year) and 2026 — beside 优良水体比例, which stays not assessed."""
    html = page(base, "/plans/cn-15th-outline/report.html?region=120000&year=2026", lang)
    part = html.split('<h2 class="domain">', 1)[1].split("<h2>", 1)[0]
    for w in words:
        assert w in part, w
    assert re.search(r"<td>2025</td><td>\d+</td>", part) and re.search(r"<td>2026</td><td>\d+</td>", part)
    # the last column: how many months the year's classes rest on (the data: Nov 2025, Feb 2026)
    assert ("有监测数据的月数" if lang == "zh" else "Months with data") in part
    rows = re.findall(r"<tr><td>(2025|2026)</td>(.*?)</tr>", part, flags=re.S)
    last = [(y, re.findall(r"<td>([^<]*)</td>", cells)[-1]) for y, cells in rows]
    assert last == [("2025", "1"), ("2026", "1")]
    why = "计算方法尚未公布" if lang == "zh" else "computation method not yet published"
    assert why in html
    text = visible_text(html, lang)
    assert not foreign(text, lang, allowed=quoted_names(lang)), foreign(
        text, lang, allowed=quoted_names(lang)
    )


@pytest.mark.parametrize(
    ("lang", "why"), [("zh", "计算方法尚未公布"), ("en", "computation method not yet published")]
)
def test_plan_page_says_good_water_bodies_method_unpublished(base: str, lang: str, why: str) -> None:
    """The 15th FYP outline's 优良水体比例 on its plan page: not assessed, and why — even
    with 2011-method classes in the store."""
    html = page(base, "/plans/cn-15th-outline?year=2026", lang)
    row = next(r for r in html.split("<tr") if ("优良水体比例" if lang == "zh" else "good water bodies") in r)
    assert why in row
    data = httpx.get(f"{base}/plans/cn-15th-outline?year=2026&format=json", timeout=60).json()
    (ind,) = [i for i in data["indicators"] if i["id"] == "water-good-bodies"]
    assert (ind["status"], ind["reason_code"], ind["value"]) == ("not_assessable", "method_unpublished", None)

"""The indicator page across all regions (issue 12, point 6): ``/indicators/{plan}/{id}``,
its JSON twin, the API twin ``/api/v1/plans/{plan}/indicators/{id}/regions``, and the
progress toward the next milestone per region.

The values are hand-written (:data:`VALUES`); every expected number below is worked out
by hand from them (progress = (value − baseline) / (milestone − baseline)).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.app.indicators import indicator_regions, milestone_value, next_milestone
from ecoplan.core.errors import NotFound, OutOfScope
from ecoplan.plans.model import TargetSpec
from ecoplan.plans.targets import parse_target
from ecoplan.web import register

#: plan, indicator, region, year, value — cn-13th-eco 空气质量优良天数比率 (>80 in 2020,
#: higher is better), by province and by city; jiangmen-13th-eco 森林覆盖率 (milestones
#: 46.25 in 2018 and 46.84 in 2020) and VOCs 排放总量下降 (〔12〕 % by 2018, 〔20〕 % by
#: 2020, reported as the reduction achieved since 2015) by county.
VALUES = """plan,indicator,region,year,value,unit
cn-13th-eco,air-good-days,110000,2015,50.0,%
cn-13th-eco,air-good-days,110000,2018,62.0,%
cn-13th-eco,air-good-days,310000,2015,70.0,%
cn-13th-eco,air-good-days,310000,2016,72.0,%
cn-13th-eco,air-good-days,440000,2015,85.0,%
cn-13th-eco,air-good-days,440000,2019,90.0,%
cn-13th-eco,air-good-days,130100,2015,30.0,%
cn-13th-eco,air-good-days,130100,2020,55.0,%
cn-13th-eco,air-good-days,440700,2015,88.0,%
cn-13th-eco,air-good-days,440700,2020,91.0,%
cn-13th-eco,water-grade-i-iii,110000,2015,50.0,%
cn-13th-eco,water-grade-i-iii,110000,2020,60.0,%
jiangmen-13th-eco,forest-coverage,440703,2015,40.0,%
jiangmen-13th-eco,forest-coverage,440703,2017,43.0,%
jiangmen-13th-eco,forest-coverage,440781,2015,44.0,%
jiangmen-13th-eco,forest-coverage,440781,2019,46.5,%
jiangmen-13th-eco,emission-vocs,440703,2017,6.0,%
jiangmen-13th-eco,emission-vocs,440781,2019,15.0,%
"""


def dispatch_store(db: Path) -> None:
    """A store with the built-in plans, the demo values and :data:`VALUES`."""
    with Ecoplan(db) as ep:
        ep.init()
        ep.import_values(demo_values_path(), recorded_at="2021-06-30")
        csv = db.with_name("dispatch-values.csv")
        csv.write_text(VALUES, encoding="utf-8")
        ep.import_values(csv)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("dispatch") / "dispatch.duckdb"
    dispatch_store(db)
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


@pytest.fixture
def filled(ep: Ecoplan, tmp_path: Path) -> Ecoplan:
    csv = tmp_path / "values.csv"
    csv.write_text(VALUES, encoding="utf-8")
    ep.import_values(csv)
    return ep


def _by_region(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["region"]: r for r in data["regions"]}


# -- the read: indicator_regions -----------------------------------------------------------


def test_provinces_ranked_with_progress_toward_the_target(filled: Ecoplan) -> None:
    data = indicator_regions(filled, "cn-13th-eco", "air-good-days")
    assert data["level"] == "province" and data["better"] == "higher"
    assert data["indicator"]["unit"] == "%"
    # each province's latest year with a value: Guangdong 2019, Shanghai 2016, Beijing 2018
    assert [(r["region"], r["year"], r["value"], r["rank"]) for r in data["regions"]] == [
        ("440000", 2019, 90.0, 1),
        ("310000", 2016, 72.0, 2),
        ("110000", 2018, 62.0, 3),
    ]
    rows = _by_region(data)
    # Beijing: (62 - 50) / (80 - 50) = 0.4 of the way to the 2020 target
    assert rows["110000"]["progress"] == pytest.approx(0.4)
    assert rows["110000"]["next_milestone"] == {"year": 2020, "value": 80.0, "final": True}
    assert rows["110000"]["baseline_value"] == 50.0 and rows["110000"]["target_value"] == 80.0
    # Shanghai: (72 - 70) / (80 - 70) = 0.2
    assert rows["310000"]["progress"] == pytest.approx(0.2)
    # Guangdong's baseline (85) already meets the target (80): no share of the way
    assert rows["440000"]["progress"] is None and rows["440000"]["status"] == "achieved"
    # Beijing: 62 in 2018 is behind the schedule (50 + 3/5 of 30 = 68) but moved the right way
    assert rows["110000"]["expected"] == pytest.approx(68.0)
    assert rows["110000"]["status"] == "at_risk" and rows["110000"]["verdict"] == "pending"
    # compound annual change achieved: (62 / 50) ** (1/3) - 1 = 7.43 %/yr
    assert rows["110000"]["actual_annual"] == pytest.approx(7.43, abs=0.01)
    # the provinces without any value are listed as missing (grey on the map)
    assert "130000" in data["missing"] and "110000" not in data["missing"]
    assert len(data["missing"]) == 31 - 3


def test_a_chosen_year_and_the_city_level(filled: Ecoplan) -> None:
    data = indicator_regions(filled, "cn-13th-eco", "air-good-days", level="prefecture", year=2020)
    rows = _by_region(data)
    assert set(rows) == {"130100", "440700"}
    assert [r["region"] for r in data["regions"]] == ["440700", "130100"]
    # 石家庄: (55 - 30) / (80 - 30) = 0.5
    assert rows["130100"]["progress"] == pytest.approx(0.5)
    assert rows["130100"]["status"] == "off_track" and rows["130100"]["verdict"] == "not_met"
    assert rows["440700"]["verdict"] == "met"
    # 2016: no city has a value in that year; Shanghai is the only province with one
    cities = indicator_regions(filled, "cn-13th-eco", "air-good-days", level="prefecture", year=2016)
    assert all(r["value"] is None and r["rank"] is None for r in cities["regions"])
    provinces = indicator_regions(filled, "cn-13th-eco", "air-good-days", year=2016)
    assert [(r["region"], r["value"]) for r in provinces["regions"] if r["value"] is not None] == [
        ("310000", 72.0)
    ]


def test_progress_toward_a_milestone_before_the_target(filled: Ecoplan) -> None:
    data = indicator_regions(filled, "jiangmen-13th-eco", "forest-coverage")
    assert data["level"] == "county" and data["levels"] == ["county"]
    rows = _by_region(data)
    # 蓬江区 in 2017: the next milestone is 46.25 in 2018; (43 - 40) / (46.25 - 40) = 0.48
    assert rows["440703"]["next_milestone"] == {"year": 2018, "value": 46.25, "final": False}
    assert rows["440703"]["progress"] == pytest.approx(0.48)
    # 台山市 in 2019: the next is the final target 46.84 in 2020; 2.5 / 2.84
    assert rows["440781"]["next_milestone"] == {"year": 2020, "value": 46.84, "final": True}
    assert rows["440781"]["progress"] == pytest.approx(2.5 / 2.84, abs=1e-4)


def test_progress_toward_a_cumulative_milestone_in_change_space(filled: Ecoplan) -> None:
    data = indicator_regions(filled, "jiangmen-13th-eco", "emission-vocs")
    # a reduction achieved: more is better, whatever the indicator's direction (lower)
    assert data["better"] == "higher"
    assert [r["region"] for r in data["regions"]] == ["440781", "440703"]
    rows = _by_region(data)
    assert rows["440703"]["space"] == "change" and rows["440703"]["baseline_value"] == 0.0
    # 蓬江区: 6 % by 2017 of the 12 % asked by 2018: half the way
    assert rows["440703"]["next_milestone"] == {"year": 2018, "value": 12.0, "final": False}
    assert rows["440703"]["progress"] == pytest.approx(0.5)
    # 台山市: 15 % by 2019 of the 20 % asked by 2020
    assert rows["440781"]["next_milestone"] == {"year": 2020, "value": 20.0, "final": True}
    assert rows["440781"]["progress"] == pytest.approx(0.75)


def test_unknown_indicator_and_a_level_above_the_plan_are_refused(filled: Ecoplan) -> None:
    with pytest.raises(NotFound, match="no indicator nope"):
        indicator_regions(filled, "cn-13th-eco", "nope")
    with pytest.raises(OutOfScope, match="level province is not below plan jiangmen-13th-eco"):
        indicator_regions(filled, "jiangmen-13th-eco", "forest-coverage", level="province")
    with pytest.raises(OutOfScope, match="2030"):
        indicator_regions(filled, "cn-13th-eco", "air-good-days", year=2030)


@pytest.mark.parametrize(
    ("plan", "indicator", "target", "space", "y0", "expected"),
    [
        ("jiangmen-13th-eco", "forest-coverage", "46.25", "level", 40.0, 46.25),
        ("jiangmen-13th-eco", "forest-coverage", "保持", "level", 40.0, 40.0),
        ("jiangmen-13th-eco", "emission-vocs", "〔12〕", "change", 0.0, 12.0),
        # 〔15〕 % less SO2 than a baseline level of 200: 170
        ("cn-13th-eco", "emission-so2", "〔15〕", "level", 200.0, 170.0),
        # 〔10〕 (10⁴ km²) more desertified land treated than 5 at the baseline: 15
        ("cn-13th-eco", "desertified-land-treated", "〔10〕", "level", 5.0, 15.0),
        # handed down or eliminated: no number of its own (the final target stands for it)
        ("jiangmen-13th-eco", "emission-so2", "省下达", "level", 100.0, None),
        ("cn-13th-eco", "water-worse-v", "基本消除", "level", 9.7, None),
    ],
)
def test_milestone_value(
    ep: Ecoplan, plan: str, indicator: str, target: str, space: str, y0: float, expected: float | None
) -> None:
    ind = ep.definition(plan).indicator(indicator)
    got = milestone_value(TargetSpec(2018, parse_target(target)), ind, space, y0)
    assert got == (None if expected is None else pytest.approx(expected))


@given(
    years=st.lists(st.integers(2016, 2030), min_size=1, max_size=5, unique=True),
    year=st.integers(2010, 2035),
)
def test_next_milestone_is_the_first_target_of_the_year_or_later(years: list[int], year: int) -> None:
    specs = [TargetSpec(y, parse_target("80")) for y in years]
    got = next_milestone(specs, year)
    assert got is not None
    later = [y for y in years if y >= year]
    if later:
        assert got.year >= year and not any(year <= y < got.year for y in years)
    else:  # every target is past: the final one
        assert got.year == max(years)


# -- the page, its JSON twin and the API twin ---------------------------------------------


def get(base: str, path: str) -> httpx.Response:
    return httpx.get(base + path, timeout=60)


def test_page_in_zh_and_en_with_map_bars_and_table(site: str) -> None:
    zh = get(site, "/indicators/cn-13th-eco/air-good-days")
    assert zh.status_code == 200 and 'lang="zh-CN"' in zh.text
    assert "地级及以上城市空气质量优良天数比率：各地区比较" in zh.text
    assert 'id="map"' in zh.text and 'data-geo="/geo/provinces.json"' in zh.text
    assert 'id="indicator-bars"' in zh.text and 'id="indicator-regions"' in zh.text
    assert "北京市" in zh.text and "距下一阶段目标进展" in zh.text
    assert "40%（至2020年80 %）" in zh.text  # Beijing's progress, in words
    assert "有数值的地区：3个；无数值：28个（地图中灰色）" in zh.text
    en = get(site, "/indicators/cn-13th-eco/air-good-days?lang=en")
    assert en.status_code == 200 and 'lang="en"' in en.text
    assert "Share of good-air days in prefecture-level and above cities: every region" in en.text
    assert "Beijing" in en.text and "40% (to 80 % in 2020)" in en.text
    # the language switch keeps the level
    assert 'href="/indicators/cn-13th-eco/air-good-days?level=province&amp;lang=zh"' in en.text


def test_json_twin_equals_the_api(site: str) -> None:
    twin = get(site, "/indicators/cn-13th-eco/air-good-days?level=prefecture&year=2020&format=json")
    api = get(site, "/api/v1/plans/cn-13th-eco/indicators/air-good-days/regions?level=prefecture&year=2020")
    assert twin.status_code == api.status_code == 200
    assert twin.json() == api.json()
    rows = _by_region(api.json())
    assert rows["130100"]["progress"] == pytest.approx(0.5)
    assert rows["130100"]["name_zh"] == "石家庄市"


def test_api_is_read_only_and_published(site: str) -> None:
    path = "/api/v1/plans/cn-13th-eco/indicators/air-good-days/regions"
    assert httpx.post(site + path, json={}).status_code == 405
    assert httpx.delete(site + path).status_code == 405
    spec = get(site, "/api/openapi.json").json()
    assert set(spec["paths"]["/api/v1/plans/{plan_id}/indicators/{indicator_id}/regions"]) == {"get"}


def test_bad_requests(site: str) -> None:
    assert get(site, "/indicators/cn-13th-eco/nope").status_code == 404
    assert get(site, "/indicators/cn-13th-eco/air-good-days?level=village").status_code in (400, 422)
    assert get(site, "/indicators/cn-13th-eco/air-good-days?year=20x0").status_code in (400, 422)
    # the form's "each region's latest year" sends an empty year
    assert get(site, "/indicators/cn-13th-eco/air-good-days?year=&level=province").status_code == 200
    assert get(site, "/indicators/jiangmen-13th-eco/forest-coverage?level=province").status_code == 400
    api = get(site, "/api/v1/plans/cn-13th-eco/indicators/nope/regions")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert (
        get(site, "/api/v1/plans/cn-13th-eco/indicators/air-good-days/regions?year=2030").status_code == 400
    )


def test_county_level_has_no_map_but_the_table(site: str) -> None:
    page = get(site, "/indicators/jiangmen-13th-eco/forest-coverage?lang=en")
    assert page.status_code == 200
    assert 'id="no-map"' in page.text and 'id="map"' not in page.text
    assert "48% (to 46.25 % in 2018)" in page.text


def test_plan_page_links_each_indicator_to_its_regions(site: str) -> None:
    page = get(site, "/plans/cn-13th-eco?lang=en")
    assert 'href="/indicators/cn-13th-eco/air-good-days?lang=en"' in page.text
    assert page.text.count('class="all-regions"') == 26


# -- in the browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
GREY = "#eaeef2"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def open_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return page, errors


def map_fills(page: Any) -> list[str]:
    """The fill colours of the map's region paths."""
    page.wait_for_function("() => document.getElementById('map').ecoplanChart !== undefined")
    page.wait_for_selector("#map svg path")
    return list(
        page.evaluate("[...document.querySelectorAll('#map svg path')].map(p => p.getAttribute('fill'))")
    )


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_indicator_page_draws_coloured_regions_and_bars(browser: Any, site: str, lang: str) -> None:
    page, errors = open_page(browser, site + f"/indicators/cn-13th-eco/air-good-days?lang={lang}")
    fills = map_fills(page)
    coloured = {f for f in fills if f and f.lower() not in (GREY, "none", "transparent")}
    assert len(fills) > 30 and len(coloured) >= 3  # three provinces with a value, three colours
    page.wait_for_selector("#indicator-bars svg")
    option = "document.getElementById('indicator-bars').ecoplanChart.getOption()"
    assert page.evaluate(option + ".series[0].data.length") == 3
    assert page.locator("#indicator-bars svg path").count() >= 3
    # a region without a value says so in its tooltip
    tip = page.evaluate(
        "document.getElementById('map').ecoplanChart.getOption().tooltip[0]"
        ".formatter({seriesIndex: 0, name: '130000', value: NaN})"
    )
    assert tip == ("河北省: 暂无数据" if lang == "zh" else "Hebei: no data yet")
    tip = page.evaluate(
        "document.getElementById('map').ecoplanChart.getOption().tooltip[0]"
        ".formatter({seriesIndex: 0, name: '110000', value: 62})"
    )
    assert tip == ("北京市: 62 % (2018) · 存在风险" if lang == "zh" else "Beijing: 62 % (2018) · at risk")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"indicator-air-good-days-{lang}.png"), full_page=True)
    page.close()
    assert errors == []

"""The home map coloured by any indicator (issue 12, point 6): the chooser (plan,
indicator, level, year, value or status), the legend in the indicator's unit, province
and city level, grey regions without a value; and the boundaries of every city.

Values: :data:`tests.web.test_indicator_page.VALUES` (hand-written).
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import serving
from tests.web.test_indicator_page import dispatch_store, map_fills, open_page

from ecoplan.api import create_app
from ecoplan.web import register
from ecoplan.web.geo import drillable

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
GREY = "#eaeef2"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("home-map") / "home.duckdb"
    dispatch_store(db)
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def get(base: str, path: str) -> httpx.Response:
    return httpx.get(base + path, timeout=60)


def data_attr(page: str, name: str) -> str:
    """The value of the map's ``data-<name>`` attribute in the page's HTML."""
    start = page.index('id="map"')
    key = f'data-{name}="'
    i = page.index(key, start) + len(key)
    return html.unescape(page[i : page.index('"', i)])


def test_default_home_keeps_the_progress_map(site: str) -> None:
    page = get(site, "/")
    assert page.status_code == 200 and 'id="map-chooser"' in page.text
    assert "id='map'" in page.text and "data-mode=" not in page.text
    assert get(site, "/?format=json").json()["map_indicator"] is None


def test_province_map_by_value_with_the_unit_in_the_legend(site: str) -> None:
    path = "/?plan=cn-13th-eco&indicator=air-good-days&level=province"
    page = get(site, path).text
    assert data_attr(page, "mode") == "value"
    assert data_attr(page, "unit") == "%"
    assert data_attr(page, "direction") == "higher"
    assert data_attr(page, "geo") == "/geo/provinces.json"
    assert data_attr(page, "title") == "地级及以上城市空气质量优良天数比率（%）"
    values = {v["name"]: v["value"] for v in json.loads(data_attr(page, "values"))}
    assert values == {"110000": 62.0, "310000": 72.0, "440000": 90.0}
    en = get(site, path + "&lang=en").text
    assert data_attr(en, "title") == "Share of good-air days in prefecture-level and above cities (%)"
    assert 'href="/indicators/cn-13th-eco/air-good-days?level=province&lang=en"' in en
    twin = get(site, path + "&format=json").json()["map_indicator"]
    assert twin["indicator"]["unit"] == "%" and len(twin["regions"]) == 3


def test_city_level_map_of_every_city(site: str) -> None:
    page = get(site, "/?plan=cn-13th-eco&indicator=air-good-days&level=prefecture&year=2020&lang=en").text
    assert data_attr(page, "geo") == "/geo/prefectures.json"
    assert data_attr(page, "national") == "1"
    values = {v["name"]: v["value"] for v in json.loads(data_attr(page, "values"))}
    assert values == {"130100": 55.0, "440700": 91.0}
    assert json.loads(data_attr(page, "names"))["440700"] == "Jiangmen"


def test_status_map_colours_each_region_by_its_status(site: str) -> None:
    page = get(site, "/?plan=cn-13th-eco&indicator=air-good-days&level=prefecture&year=2020&by=status").text
    assert data_attr(page, "mode") == "status"
    items = {v["name"]: v for v in json.loads(data_attr(page, "values"))}
    assert items["440700"]["itemStyle"]["areaColor"] == "#1a7f37"  # achieved: the badge's green
    assert items["130100"]["itemStyle"]["areaColor"] == "#cf222e"  # off track: red
    assert items["130100"]["label"] == "偏离目标"
    assert 'class="legend"' in page and "暂无数据" in page


def test_a_provincial_plan_maps_its_cities_and_a_bad_choice_falls_back(site: str) -> None:
    page = get(site, "/?plan=hebei-14th-eco&indicator=air-good-days&level=province").text
    assert data_attr(page, "geo") == "/geo/prefectures/130000.json"
    assert data_attr(page, "national") == "0"
    # an indicator the plan does not have: the progress map
    assert get(site, "/?plan=hebei-14th-eco&indicator=nope&format=json").json()["map_indicator"] is None
    # a city plan maps counties: no boundaries, the page says so and links the table
    jm = get(site, "/?plan=jiangmen-13th-eco&indicator=forest-coverage").text
    assert 'id="no-map"' in jm and "/indicators/jiangmen-13th-eco/forest-coverage?level=county" in jm


@pytest.mark.slow  # builds every province's city boundaries: about 10 s on 2 cores
def test_every_city_boundary_in_one_collection(site: str) -> None:
    got = get(site, "/geo/prefectures.json")
    assert got.status_code == 200 and "max-age" in got.headers["cache-control"]
    codes = [f["properties"]["name"] for f in got.json()["features"]]
    # every province's cities, and the provinces without cities as themselves
    assert {"440700", "130100", "650100", "110000", "310000", "810000", "710000"} <= set(codes)
    assert not set(drillable()) & set(codes)
    assert len(codes) == len(set(codes)) > 330


# -- in the browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "query", "coloured"),
    [
        ("home-air-good-days-provinces-zh", "indicator=air-good-days&level=province", 3),
        pytest.param(
            "home-air-good-days-cities-en",
            "indicator=air-good-days&level=prefecture&year=2020&lang=en",
            2,
            marks=pytest.mark.slow,  # every city's boundaries: built once, about 10 s
        ),
        ("home-water-provinces-status-zh", "indicator=water-grade-i-iii&level=province&by=status", 1),
    ],
)
def test_home_map_coloured_by_an_indicator(
    browser: Any, site: str, name: str, query: str, coloured: int
) -> None:
    page, errors = open_page(browser, site + "/?plan=cn-13th-eco&" + query)
    fills = map_fills(page)
    assert len({f for f in fills if f and f.lower() not in (GREY, "none", "transparent")}) >= coloured
    assert fills.count(GREY) + fills.count(GREY.upper()) > 10  # the regions without a value
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.close()
    assert errors == []


@pytest.mark.browser
def test_chooser_lists_the_chosen_plans_indicators(browser: Any, site: str) -> None:
    page, errors = open_page(browser, site + "/?plan=cn-13th-eco&indicator=air-good-days")
    groups = "[...document.querySelectorAll('#map-chooser optgroup')]"
    visible = groups + ".filter(g => !g.hidden).map(g => g.dataset.plan)"
    assert page.evaluate(visible) == ["cn-13th-eco"]
    page.select_option("#map-chooser select[name=plan]", "jiangmen-13th-eco")
    assert page.evaluate(visible) == ["jiangmen-13th-eco"]
    # a city plan: counties only, and its own years (2015 … 2020)
    levels = "[...document.querySelectorAll('#map-chooser select[name=level] option')]"
    assert page.evaluate(levels + ".filter(o => !o.disabled).map(o => o.value)") == ["county"]
    assert page.input_value("#map-chooser select[name=level]") == "county"
    years = "[...document.querySelectorAll('#map-chooser select[name=year] option')].map(o => o.value)"
    assert page.evaluate(years) == ["", "2015", "2016", "2017", "2018", "2019", "2020"]
    option = "#map-chooser optgroup[data-plan='jiangmen-13th-eco'] option[value='forest-coverage']"
    page.select_option("#map-chooser select[name=indicator]", element=page.query_selector(option))
    page.click("#map-chooser button")
    page.wait_for_url("**/?lang=zh&plan=jiangmen-13th-eco&indicator=forest-coverage&level=county*")
    assert page.locator("#no-map").count() == 1  # a city plan: counties, no boundaries
    page.close()
    assert errors == []

"""The dashboard in headless Debian Chromium, driven by Playwright.

Every page in zh and en; the language switch; a click through from the home page to
a region; no console errors anywhere. Screenshots go to ``build/screenshots/`` (test
artefacts; ``make screenshots`` copies them to ``docs/screenshots/``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PAGES = {
    "home": "/",
    "plan": "/plans/cn-13th-eco?year=2020",
    "plan-jiangmen": "/plans/jiangmen-13th-eco?year=2018",
    "region-beijing": "/regions/110000",
    "warnings": "/warnings",
    "rankings": "/rankings",
    "tasks": "/tasks?plan=cn-13th-eco",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser: object, url: str) -> tuple[object, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return page, errors


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_console_errors(browser: object, base: str, name: str, lang: str) -> None:
    path = PAGES[name]
    url = base + path + ("&" if "?" in path else "?") + f"lang={lang}"
    page, errors = _open(browser, url)
    h1 = page.locator("h1").first.inner_text()  # type: ignore[attr-defined]
    assert h1.strip()
    assert page.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")  # type: ignore[attr-defined]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert errors == []


def test_language_switch_and_click_through_to_a_region(browser: object, base: str) -> None:
    page, errors = _open(browser, base + "/")
    page.click("#lang-switch")  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.lang") == "en"  # type: ignore[attr-defined]
    page.click("text=Beijing")  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    assert "/regions/110000" in page.url  # type: ignore[attr-defined]
    cells = page.locator("#calendar span").count()  # type: ignore[attr-defined]
    assert cells == 366
    first = page.locator("#calendar span").first.get_attribute("title")  # type: ignore[attr-defined]
    assert first.startswith("2016-01-01 AQI")
    page.close()  # type: ignore[attr-defined]
    assert errors == []


def test_download_a_report_from_the_plan_page(browser: object, base: str, tmp_path: Path) -> None:
    page, errors = _open(browser, base + "/plans/cn-13th-eco?year=2020")
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("a.report >> text=XLSX")  # type: ignore[attr-defined]
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "cn-13th-eco-000000-2020-zh.xlsx" and target.read_bytes()[:2] == b"PK"
    page.close()  # type: ignore[attr-defined]
    assert errors == []


def test_charts_render_from_the_packaged_echarts(browser: object, base: str) -> None:
    page, errors = _open(browser, base + "/plans/cn-13th-eco?year=2020")
    import httpx

    twin = httpx.get(base + "/plans/cn-13th-eco?year=2020&format=json", timeout=60).json()
    with_values = sum(1 for v in twin["series"].values() if v)
    page.wait_for_selector(".chart svg")  # type: ignore[attr-defined]
    assert with_values >= 15
    assert page.locator(".chart svg").count() == with_values  # type: ignore[attr-defined]
    page.goto(base + "/regions/110000")  # type: ignore[attr-defined]
    page.wait_for_selector("#aqi-chart svg")  # type: ignore[attr-defined]
    assert page.evaluate("typeof window.echarts") == "object"  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert errors == []


def test_open_the_map_and_click_a_region(browser: object, base: str) -> None:
    page, errors = _open(browser, base + "/?lang=en")
    page.wait_for_selector("#map svg path")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.getElementById('map').ecoplanChart !== undefined")  # type: ignore[attr-defined]
    xy = page.evaluate(  # type: ignore[attr-defined]
        "document.getElementById('map').ecoplanChart.convertToPixel({seriesIndex: 0}, [116.40, 40.05])"
    )
    box = page.locator("#map").bounding_box()  # type: ignore[attr-defined]
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])  # type: ignore[attr-defined]
    page.wait_for_url("**/regions/110000?lang=en")  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text().startswith("Beijing")  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert errors == []


def test_map_legend_inset_and_drill_down_to_prefectures(browser: object, base: str) -> None:
    page, errors = _open(browser, base + "/?lang=en")
    page.wait_for_function("() => document.getElementById('map').ecoplanChart !== undefined")  # type: ignore[attr-defined]
    page.wait_for_selector("#map svg path")  # type: ignore[attr-defined]
    option = "document.getElementById('map').ecoplanChart.getOption()"
    title = page.evaluate(option + ".title[0].text")  # type: ignore[attr-defined]
    assert title == "share of the national plan's indicators achieved or on track (%)"
    assert page.evaluate(option + ".series[1].data.length") == 11  # type: ignore[attr-defined]  # 10 dashes + frame
    assert page.locator("#map >> text=South China Sea Islands").count() == 1  # type: ignore[attr-defined]
    # Click Hebei; under load the chart may still be laying out (its first animation), so
    # the position is taken afresh and the click repeated until the drill-down happens.
    drilled = "() => " + option + ".series[0].map === 'cn-130000'"
    for attempt in range(5):
        xy = page.evaluate(  # type: ignore[attr-defined]
            "document.getElementById('map').ecoplanChart.convertToPixel({seriesIndex: 0}, [115.5, 38.0])"
        )
        box = page.locator("#map").bounding_box()  # type: ignore[attr-defined]
        page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])  # type: ignore[attr-defined]
        try:
            page.wait_for_function(drilled, timeout=3000)  # type: ignore[attr-defined]
            break
        except Exception:
            if attempt == 4:
                raise
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "home-hebei-en.png"))  # type: ignore[attr-defined]
    page.click("#map >> text=Hebei ›")  # type: ignore[attr-defined]
    page.wait_for_url("**/regions/130000?lang=en")  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert errors == []


def test_api_docs_render_offline_under_the_csp(browser: object, base: str) -> None:
    """/api/docs: packaged Swagger UI; every request off this origin is refused, and the
    CSP (no inline script) reports nothing on the console."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def only_local(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(base + "/api/docs", wait_until="load")
    page.wait_for_selector(".swagger-ui .info")
    assert "ecoplan API" in page.locator(".swagger-ui .info").inner_text()
    page.locator(".opblock-summary").first.click()  # expand an operation: React re-renders
    page.wait_for_selector(".opblock-body")
    page.close()
    assert outside == []
    assert errors == []


def test_chart_tooltips_under_the_csp(browser: object, base: str) -> None:
    """Hovering the AQI chart opens an ECharts tooltip (style attributes) without a CSP report."""
    page, errors = _open(browser, base + "/regions/110000?lang=en")
    page.wait_for_selector("#aqi-chart svg")  # type: ignore[attr-defined]
    box = page.locator("#aqi-chart").bounding_box()  # type: ignore[attr-defined]
    for dx in range(60, 400, 40):
        page.mouse.move(box["x"] + dx, box["y"] + 60)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert errors == []

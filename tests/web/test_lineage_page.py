"""The plan page's cross-period lines, through a real server; and in headless Chromium.

A successor row of ``t15-eco`` names its predecessor (``t14-eco`` …, linked), the 14th
period's 2025 end value with its source and the 15th's 2025 baseline with its source.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.plans.test_lineage import store_periods
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words import word
from ecoplan.web import register

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("web-lineage")
    app = create_app(tmp / "web.duckdb")
    register(app)
    ep: Ecoplan = app.state.store.app()
    ep.init()
    store_periods(ep, tmp)
    with serving(app) as base:
        yield base


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_successor_rows_show_predecessor_end_and_baseline(url: str, lang: str) -> None:
    r = httpx.get(f"{url}/plans/t15-eco", params={"lang": lang}, timeout=30)
    assert r.status_code == 200
    html = r.text
    assert html.count('class="lineage src"') == 4
    assert '<a class="lineage-plan" href="/plans/t14-eco?region=000000&amp;year=2025' in html
    assert f'<a class="lineage-indicator" href="/indicators/t14-eco/pm25-decline?lang={lang}">' in html
    text = _text(html)
    pred = word("label.lineage.predecessor", lang)
    relation = word("reason.lineage.relation.redefined", lang)
    name = "细颗粒物浓度下降" if lang == "zh" else "pm25-decline"
    flat = "".join(text.split())
    assert (
        "".join(
            f"{pred}: t14-eco {name}{word('cli.lineage.with_note', lang, text='', note=relation)}".split()
        )
        in flat
    )
    assert f"{word('label.lineage.end', lang, year=2025)}: 20" in text and "S14 PM2.5 communiqué" in text
    assert f"{word('label.lineage.baseline', lang, year=2025)}: 28" in text and "t15.txt" in text
    assert word("verdict.lineage.not_comparable", lang) in text
    assert word("verdict.lineage.differs", lang) in text and "S14 forest census" in text


def test_a_plan_without_links_has_no_lines_and_json_twin(url: str) -> None:
    assert 'class="lineage' not in httpx.get(f"{url}/plans/t14-eco", timeout=30).text
    d = httpx.get(f"{url}/plans/t15-eco", params={"format": "json"}, timeout=30).json()
    assert [x["verdict"] for x in d["lineage"]] == [
        "not_comparable",
        "not_comparable",
        "consistent",
        "differs",
    ]


@pytest.mark.browser
def test_screenshot_of_the_lines(url: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = b.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{url}/plans/t15-eco?lang=zh", wait_until="load")
            first = page.locator(".lineage").first
            assert first.is_visible()
            assert "t14-eco" in first.inner_text()
            page.screenshot(path=str(SHOTS / "plan-lineage-zh.png"), full_page=True)
            page.locator(".lineage-plan").first.click()
            page.wait_for_load_state("load")
            assert "/plans/t14-eco" in page.url
            assert errors == []
        finally:
            b.close()

"""The incident page on a real server: an incident on the map with its three zones, the
registry's sensitive targets inside each and the reporting deadlines, in both languages,
its JSON twin, bad input as the error page, and headless Chromium screenshots.

A real uvicorn on 127.0.0.1 (``tests/web/conftest.py`` ``serving``); the page is mounted
by the risk domain's ``web`` routes (``ecoplan.risk.pages.web``)."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


LON0, LAT0 = 118.80, 32.05
K = math.pi / 180 * 6_371_008.8


def ll(east: float, north: float) -> tuple[float, float]:
    return LON0 + east / (K * math.cos(math.radians(LAT0))), LAT0 + north / K


TARGETS = [  # target_id, name, kind, east m, north m (the wind blows the plume east)
    ("T1", "第一小学", "school", 900, 0),
    ("T2", "人民医院", "hospital", 2500, 150),
    ("T3", "东湖新村", "residential", 6000, -300),
    ("T4", "西山中学", "school", -1500, 0),
]
INCIDENT = {
    "time": "2026-12-06T09:30", "lon": LON0, "lat": LAT0, "rate": 1000, "height": 0,
    "wind": 2, "wind_from": 270, "stability": "D", "red": 58, "orange": 5.8, "yellow": 1.5,
    "poisoned": 60,
}  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("incident")
    db = tmp / "risk.duckdb"
    csv = tmp / "targets.csv"
    rows = ["target_id,name,kind,lon,lat"]
    rows += [f"{i},{n},{k},{ll(e, no)[0]:.7f},{ll(e, no)[1]:.7f}" for i, n, k, e, no in TARGETS]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with Ecoplan(db) as ep:
        ep.init()
        ep.risk.load("targets", [csv])
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def _url(base: str, lang: str, fmt: str = "html", **over: object) -> str:
    q = {**INCIDENT, **over, "lang": lang, "format": fmt}
    return f"{base}/risk/incident?{urlencode(q)}"


def test_json_twin_has_zones_targets_and_deadlines(base: str) -> None:
    r = httpx.get(_url(base, "en", "json"), timeout=30)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["grade"]["grade"] == "II"  # 60 poisoned: 50–100 (annex II.1)
    assert [x["due"] for x in d["deadlines"]] == ["2026-12-06T11:30", "2026-12-06T12:30"]
    assert [z["level"] for z in d["zones"]] == ["red", "orange", "yellow"]
    zone = {t["id"]: t["zone"] for t in d["targets"]}
    assert zone["T1"] == "red" and zone["T4"] is None
    assert zone["T2"] in ("red", "orange") and zone["T3"] in ("orange", "yellow")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_in_the_language(base: str, lang: str) -> None:
    r = httpx.get(_url(base, lang), timeout=30)
    assert r.status_code == 200, r.text
    html = r.text
    # the whole map and the red zone's close-up (red reaches 968 m of yellow's 10 km)
    assert 'id="incident-closeup"' in html
    assert html.count('class="zone zone-') == 6
    assert "2026-12-06 11:30" in html and "2026-12-06 12:30" in html
    for name in ("第一小学", "人民医院", "东湖新村"):
        assert name in html
    assert ("重大（Ⅱ级）" if lang == "zh" else "major (grade II)") in html


def test_bad_input_is_the_error_page(base: str) -> None:
    r = httpx.get(_url(base, "en", stability="Z"), timeout=30)
    assert 400 <= r.status_code < 500
    assert "weather.stability" in r.text


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshot_in_chromium(browser: Any, base: str, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(_url(base, lang), wait_until="load")
    assert page.locator("#incident-map polygon.zone").count() == 3
    assert page.locator("#incident-map g.target.inside").count() == 3
    assert page.locator("#incident-deadlines tbody tr").count() == 2
    text = page.locator("main").inner_text()
    assert foreign(text, lang, allowed=[t[1] for t in TARGETS]) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"risk-incident-{lang}.png"), full_page=True)
    page.close()
    assert errors == []

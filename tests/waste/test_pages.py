"""The waste pages and API on a real uvicorn server: a manifest's journey, an enterprise's
ledger with its balance, the alert list, in zh and en (one language per page, names
quoted from the data aside), their JSON twins, the API routes; and the pages in headless
Chromium with screenshots (``build/screenshots/waste-*.png``)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.waste.test_core_data import ACTORS, write_all
from tests.web.conftest import serving
from tests.web.test_language import visible_text

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words import has, word
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PAGES = {
    "manifest": "/waste/manifests/20253205000001",
    "manifest-rejected": "/waste/manifests/20253205000002",
    "ledger": "/waste/actors/P1/ledger",
    "alerts": "/waste/alerts",
}
#: Names quoted from the data (the actors' names, vehicle plates, forms and packaging).
QUOTED = {line.split(",")[2] for line in ACTORS[1:]} | {"苏E12345", "液态", "固态", "桶", "袋"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("waste-pages")
    db = folder / "p.duckdb"
    files = write_all(folder)
    with Ecoplan(db) as ep:
        ep.init()
        for k in ("actors", "permits", "approvals", "manifests", "ledger"):
            ep.waste.import_file(k, files[k])
        no = "20253205000002"
        ep.waste.move(no, "receive", dt.datetime(2025, 3, 10, 18), received={1: {"qty_received_t": 3.0}})
        ep.waste.move(
            no, "reject", dt.datetime(2025, 3, 11, 9), rejection="partial", residue_no="20253301000001"
        )
        ep.waste.replace_alerts(
            [
                {
                    "rule": "R3",
                    "subject": no,
                    "at": dt.datetime(2025, 3, 10, 18),
                    "evidence": {"shipped_t": 4.0, "received_t": 3.0},
                    "source": "Art. 18",
                }
            ]
        )
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def _get(base: str, path: str, lang: str | None = None, **params: Any) -> httpx.Response:
    q = {**params, **({"lang": lang} if lang else {})}
    return httpx.get(base + path, params=q, timeout=30)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_speaks_one_language(base: str, name: str, lang: str) -> None:
    r = _get(base, PAGES[name], lang)
    assert r.status_code == 200, r.text
    text = visible_text(r.text, lang)
    assert foreign(text, lang, allowed=QUOTED) == [], text


def test_manifest_journey_and_tables(base: str) -> None:
    html = _get(base, PAGES["manifest"], "zh").text
    assert 'id="waste-route"' in html and 'id="waste-producer"' in html and 'id="waste-receiver"' in html
    text = visible_text(html, "zh")
    for seen in ("转移路线", "移出人", "南京某环境服务有限公司", "废物明细", "1.98", "已确认", "导入"):
        assert seen in text
    assert 'id="waste-manifest-alerts-none"' in html  # no alert on this one
    rejected_html = _get(base, PAGES["manifest-rejected"], "en").text
    assert 'id="waste-manifest-alerts"' in rejected_html  # the quantity alert
    rejected = visible_text(rejected_html, "en")
    for seen in ("Rejected", "Received", "3", "Journey"):
        assert seen in rejected


def test_journey_points_follow_the_coordinates(base: str) -> None:
    """苏州 (120.56 E, 31.30 N) lies east and south of 南京 (118.84 E, 31.95 N): the producer
    is drawn right of and below the receiver."""
    data = _get(base, PAGES["manifest"], format="json").json()
    assert data["parties"]["producer"]["lon"] > data["parties"]["receiver"]["lon"]
    html = _get(base, PAGES["manifest"]).text
    line = html.split('id="waste-route"', 1)[1].split("/>", 1)[0]
    attrs = dict(part.split("=", 1) for part in line.split() if "=" in part)
    x1, y1, x2, y2 = (float(attrs[k].strip('"')) for k in ("x1", "y1", "x2", "y2"))
    assert x1 > x2 and y1 > y2


def test_ledger_page_shows_the_imbalance(base: str) -> None:
    html = _get(base, PAGES["ledger"], "en").text
    assert 'id="waste-imbalance-1"' in html
    text = visible_text(html, "en")
    assert "Mass balance, 2025-03" in text and "(gap 0.1 t)" in text
    data = _get(base, PAGES["ledger"], format="json").json()
    assert data["period"] == "2025-03"
    assert {b["code"]: b["balanced"] for b in data["balance"]} == {"900-041-49": False, "900-249-08": True}


def test_alert_list(base: str) -> None:
    html = _get(base, PAGES["alerts"], "zh").text
    assert 'href="/waste/manifests/20253205000002?lang=zh"' in html
    text = visible_text(html, "zh")
    assert "R3" not in text  # an identifier: marked lang="zxx"
    if has("waste.alerts.rule.r3"):  # the alerts' words, when that module is present
        assert word("waste.alerts.rule.r3", "zh") in text
    assert _get(base, PAGES["alerts"], format="json").json()["total"] == 1


def test_unknown_manifest_is_404_in_both_languages(base: str) -> None:
    for lang in ("zh", "en"):
        r = _get(base, "/waste/manifests/20259999000001", lang)
        assert r.status_code == 404
        assert foreign(visible_text(r.text, lang), lang, allowed={"20259999000001"}) == []
    assert _get(base, "/waste/manifests/12345").status_code == 422


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_section(base: str, lang: str) -> None:
    html = _get(base, "/regions/320000", lang).text
    assert 'id="waste-region"' in html
    part = html.split('<h2 id="waste-region">', 1)[1].split('<a href="/waste/alerts', 1)[0]
    text = visible_text(part, lang)
    assert foreign(text, lang, allowed=QUOTED) == [], text
    # P1 (苏州) shipped two manifests: one confirmed 43 h after arrival, one rejected
    assert "<td>2</td><td>50</td><td>50</td>" in part.replace(" ", "")
    # 2025, the ledgers' newest year: R1's permit in 江苏 (32), 5.5 t generated by P1
    assert "20000" in part.replace(",", "") and "5.5" in part
    assert _get(base, "/regions/330000", lang).status_code == 200
    assert 'id="waste-region"' not in _get(base, "/regions/110000", lang).text


def test_api_routes(base: str) -> None:
    api = "/api/v1/waste"
    actors = _get(base, f"{api}/actors", role="receiver").json()
    assert [a["actor_id"] for a in actors["items"]] == ["R1", "R2"] and actors["total"] == 2
    assert [a["actor_id"] for a in _get(base, f"{api}/actors", region="330000").json()["items"]] == ["R2"]
    assert _get(base, f"{api}/actors/R2").json()["permits"][0]["permit_no"] == "ZJ-0001"
    m = _get(base, f"{api}/manifests/20253205000002").json()
    assert m["status"] == "rejected" and [e["event"] for e in m["events"]] == ["import", "receive", "reject"]
    assert m["lines"][0]["qty_received_t"] == 3.0
    listed = _get(base, f"{api}/manifests", status="draft").json()["items"]
    assert sorted(x["manifest_no"] for x in listed) == ["20253205000003", "20253301000001"]
    bal = _get(base, f"{api}/ledger/P1/balance", period="2025-03").json()["items"]
    assert [(b["code"], b["imbalance"]) for b in bal] == [("900-041-49", 0.1), ("900-249-08", 0.0)]
    assert len(_get(base, f"{api}/ledger/P1", period="2025-03").json()["items"]) == 8
    assert _get(base, f"{api}/alerts").json()["items"][0]["evidence"] == {"shipped_t": 4.0, "received_t": 3.0}
    assert _get(base, f"{api}/rates").json()["items"][0]["region"] == "320505"
    csv_text = _get(base, f"{api}/actors", format="csv").text
    assert "receiver;producer" in csv_text
    assert _get(base, f"{api}/manifests/20259999000001").status_code == 404
    assert _get(base, f"{api}/ledger/P1/balance", period="2025-13x").status_code == 422


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
@pytest.mark.parametrize("name", ["manifest", "ledger", "alerts", "region"])
def test_pages_in_chromium(browser: Any, base: str, name: str, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}{PAGES.get(name, '/regions/320000')}?lang={lang}", wait_until="load")
    assert page.locator("h1").first.inner_text().strip()
    if name == "manifest":
        box = page.locator("#waste-journey").bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
        assert page.locator("#waste-route").count() == 1
    if name == "region":
        section = page.locator("#waste-region-section")
        SHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=str(SHOTS / f"waste-region-section-{lang}.png"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"waste-{name}-{lang}.png"), full_page=True)
    page.close()
    assert errors == []

"""The sources pages of their own (``Domain.web``: ``/sources/…``) on a real server over
a real store (the register of ``test_routes`` and real HJ 212 frames): the enterprise
page (outlets, live values against the permit's limits, history, events, permits), the
quarterly yellow/red list and the event lists, in zh and en, in the dashboard's layout,
with their JSON twins and the dashboard's error pages; the live-vs-limit rule as a pure
function."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.sources.test_pages import NAMES, cells
from tests.sources.test_routes import E1, E3, MN1, PW, _frame, code, make_db
from tests.web.conftest import serving
from tests.web.test_language import quoted_names, visible_text

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

from ecoplan.sources.pages.web import live_vs_limits  # isort: skip

PAGES = [
    f"/sources/enterprises/{E1}",
    f"/sources/enterprises/{E3}",
    "/sources/cards",
    "/sources/cards?quarter=2020Q1&region=130000",
    "/sources/exceedances",
    "/sources/alarms?region=130000",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(make_db(tmp_path_factory.mktemp("sources-web")))
    register(app)
    with serving(app) as url:
        yield url


def get(base: str, path: str, lang: str = "zh", **params: str) -> httpx.Response:
    return httpx.get(f"{base}{path}", params={"lang": lang, **params}, timeout=120)


@pytest.mark.parametrize(
    ("lang", "over", "within"), [("zh", "超限", "未超限"), ("en", "Over the limit", "Within the limit")]
)
def test_enterprise_page(base: str, lang: str, over: str, within: str) -> None:
    r = get(base, f"/sources/enterprises/{E1}", lang)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<h1>石家庄热电有限公司</h1>" in html
    assert f'href="/sources/enterprises/{E1}?lang={"en" if lang == "zh" else "zh"}" id="lang-switch"' in html
    assert [row[0] for row in cells(html, "sources-outlets")] == ["SJZ-DA001"]
    assert MN1 in html
    live = {row[1]: row for row in cells(html, "sources-live")}
    so2, nox = ("二氧化硫", "氮氧化物") if lang == "zh" else ("SO2", "NOx")
    # SO2: converted 36 against 35 (reference O2 6 %) is over; NOx 43 against 50 within
    assert live[so2][3:6] == ["33", "36", "35"] and live[so2][-1] == over
    assert live[nox][4:6] == ["43", "50"] and live[nox][-1] == within
    o2 = "氧气含量" if lang == "zh" else "O2"
    assert live[o2][-1] == ("无限值" if lang == "zh" else "No limit")
    assert [row[0] for row in cells(html, "sources-permits")] == ["91130100MA0A1B2C3X001P"]


def test_enterprise_twin_has_no_secret(base: str) -> None:
    r = get(base, f"/sources/enterprises/{E1}", format="json")
    assert r.headers["content-type"].startswith("application/json")
    twin = r.json()
    assert twin["enterprise"]["credit_code"] == E1 and twin["enterprise"]["region"] == "130100"
    assert [o["outlet_id"] for o in twin["outlets"]] == ["SJZ-DA001"]
    assert {x["factor"]: x["status"] for x in twin["live"]} == {
        "a21026": "over",
        "a21002": "within",
        "a19001": "no_limit",
    }
    assert PW not in r.text and '"pw"' not in r.text


def test_enterprise_without_data(base: str) -> None:
    html = get(base, f"/sources/enterprises/{E3}", "en").text
    assert 'id="sources-live-none"' in html and 'id="sources-history-none"' in html
    assert [row[0] for row in cells(html, "sources-outlets")] == ["TJ-DW001"]


@pytest.mark.parametrize(("lang", "heading"), [("zh", "未找到"), ("en", "not found")])
def test_unknown_enterprise_is_the_dashboard_404(base: str, lang: str, heading: str) -> None:
    r = get(base, f"/sources/enterprises/{code('91110000MA0K1L2M3')}", lang)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert heading in r.text and f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in r.text


def test_bad_time_is_a_400_page(base: str) -> None:
    r = get(base, f"/sources/enterprises/{E1}", "en", start="2020-02-30")
    assert r.status_code == 400 and "start must be a date" in r.text


def test_cards_page_defaults_to_the_newest_quarter(base: str) -> None:
    html = get(base, "/sources/cards", "en").text
    nav = html.split('id="sources-quarters">', 1)[1].split("</p>", 1)[0]
    assert "<b>2020Q2</b>" in nav and "quarter=2020Q1" in nav and "quarter=2020Q3" in nav
    twin = get(base, "/sources/cards", format="json", quarter="2020Q1", region="130000").json()
    assert twin == {"quarter": "2020Q1", "region": "130000", "cards": []}
    assert get(base, "/sources/cards", quarter="2020Q9").status_code == 422


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_speak_one_language(base: str, path: str, lang: str) -> None:
    r = httpx.get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}", timeout=120)
    assert r.status_code == 200
    allowed = quoted_names(lang) | NAMES
    text = visible_text(r.text, lang)
    assert not foreign(text, lang, allowed=allowed), foreign(text, lang, allowed=allowed)


def test_pages_are_not_in_the_api_schema(base: str) -> None:
    paths = httpx.get(f"{base}/api/openapi.json", timeout=60).json()["paths"]
    assert not [p for p in paths if p.startswith("/sources")]
    assert "/api/v1/sources/enterprises" in paths


T = dt.datetime(2020, 5, 1, 5)


@pytest.mark.parametrize(
    ("live", "limit", "status"),
    [
        ({"rtd": 30.0, "zs_rtd": 36.0}, {"limit_value": 35.0, "ref_o2": 6.0}, "over"),  # converted compared
        ({"rtd": 36.0, "zs_rtd": 30.0}, {"limit_value": 35.0, "ref_o2": 6.0}, "within"),
        ({"rtd": 36.0, "zs_rtd": 30.0}, {"limit_value": 35.0, "ref_o2": None}, "over"),  # measured compared
        ({"avg": 35.0}, {"limit_value": 35.0, "ref_o2": None}, "within"),  # at the limit is not over
        ({"rtd": 99.0}, None, "no_limit"),
    ],
)
def test_live_vs_limits(live: dict[str, float], limit: dict[str, object] | None, status: str) -> None:
    row = {"outlet_id": "O1", "factor": "a21026", "data_time": T, **live}
    limits = [] if limit is None else [{"outlet_id": "O1", "factor": "a21026", "basis": "hour", **limit}]
    (got,) = live_vs_limits([row], limits)
    assert got["status"] == status


def test_live_vs_limits_takes_the_hourly_limit_first() -> None:
    limits = [
        {"outlet_id": "O1", "factor": "w01018", "basis": "day", "limit_value": 50.0, "ref_o2": None},
        {"outlet_id": "O1", "factor": "w01018", "basis": "hour", "limit_value": 80.0, "ref_o2": None},
    ]
    (got,) = live_vs_limits([{"outlet_id": "O1", "factor": "w01018", "data_time": T, "rtd": 60.0}], limits)
    assert (got["limit_value"], got["basis"], got["status"]) == (80.0, "hour", "within")
    assert re.fullmatch(r"\w+", got["status"])


SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
BROWSER_PAGES = {
    "sources-home": "/",
    "sources-region": "/regions/130000",
    "sources-rankings": "/rankings",
    "sources-enterprise": f"/sources/enterprises/{E1}",
    "sources-cards": "/sources/cards",
    "sources-exceedances": "/sources/exceedances",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(BROWSER_PAGES))
def test_pages_in_chromium(browser: Any, base: str, name: str, lang: str) -> None:
    path = BROWSER_PAGES[name]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
    assert page.locator("h1").first.inner_text().strip()
    if name == "sources-region":
        assert page.locator("#sources-map circle").count() == 2
    if name == "sources-enterprise":
        assert page.locator("#sources-live tr").count() == 4  # header and three factors
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)
    page.close()
    assert errors == []


def test_enterprise_history_and_events(base: str) -> None:
    html = get(base, f"/sources/enterprises/{E1}", "en").text
    charts = html.split("<h2>Hourly history</h2>", 1)[1].split("<h2>", 1)[0]
    so2 = charts.split("· SO2 (mg/m3)</b></figcaption>", 1)[1].split("</svg>", 1)[0]
    assert so2.count("<circle") == 1  # one hour over the dashed limit
    assert "Limit 35" in so2 and "stroke-dasharray" in so2
    assert "2020-04-24 06:00 to 2020-05-01 05:00" in charts  # the newest week of hours
    assert "· O2" not in charts and "· NOx (mg/m3)" in charts  # only the limited pollutants
    (event,) = cells(html, "sources-exceedances")
    assert event[:2] == ["SJZ-DA001", "SO2"] and event[-4:] == ["75", "75", "35", "Frames"]
    link = re.search(r'<a href="(/api/v1/sources/exceedances/[^"]+/evidence)">Frames</a>', html)
    assert link is not None
    frames = httpx.get(base + link.group(1), timeout=60).json()
    assert frames["total"] == 60 and PW not in str(frames)
    assert cells(html, "sources-alarms")
    totals = {r[1]: r for r in cells(html, "sources-ent-totals")}
    assert totals["SO2"] == ["2020", "SO2", "0.02", "120.5", "0"]
    narrow = get(
        base, f"/sources/enterprises/{E1}", "en", start="2020-05-01T02:00:00", end="2020-05-01T03:59:59"
    )
    assert "2020-05-01 02:00 to 2020-05-01 03:59" in narrow.text


@pytest.mark.parametrize(
    ("lang", "counts"), [("zh", "黄牌 1 家，红牌 0 家。"), ("en", "Yellow cards: 1; red cards: 0.")]
)
def test_cards_page_lists_the_yellow_card(base: str, lang: str, counts: str) -> None:
    html = get(base, "/sources/cards", lang, quarter="2020Q2").text
    assert counts in html
    (row,) = cells(html, "sources-card-list")
    assert row[0] == "石家庄热电有限公司" and row[1] == ("石家庄市" if lang == "zh" else "Shijiazhuang")


def test_history_when_only_daily_records_came_since(tmp_path: Path) -> None:
    """A daily record (CN 2031) of 2020-12-31 is the newest live value of every factor; the
    history shows the newest week of the hours there are (May), not an empty December."""
    db = make_db(tmp_path)
    daily = tmp_path / "daily.txt"
    t = dt.datetime(2020, 12, 31)
    cp = "a21026-Avg=20.0,a21026-Flag=N;a21002-Avg=30.0,a21002-Flag=N;a19001-Avg=9.0,a19001-Flag=N"
    daily.write_text(_frame(t, "2031", MN1, cp) + "\n", encoding="ascii")
    with Ecoplan(db) as ep:
        ep.sources.frames.load_file(daily)
    app = create_app(db)
    register(app)
    with serving(app) as url:
        html = get(url, f"/sources/enterprises/{E1}", "en").text
    live = {row[1]: row for row in cells(html, "sources-live")}
    assert {row[2] for row in live.values()} == {"2020-12-31 00:00"}
    assert "2020-04-24 06:00 to 2020-05-01 05:00" in html
    assert "· SO2 (mg/m3)</b></figcaption>" in html

"""Recorded incidents on a real server (uvicorn on 127.0.0.1, a real DuckDB file, real
bearer tokens): ``POST /api/v1/risk/incidents`` and ``…/{id}/reports`` need a reporter of
the incident's region (401 anonymous, 403 a viewer or another region — each refusal one
audit row and nothing else written — 201 and exactly one audit row for the right one, 200
for the same again); the lists and one incident with their clocks; the incident page
listing the recorded incidents with their clock states in both languages, one recorded
incident on the map, and headless Chromium screenshots."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
JM, ZH = "440700", "440400"
BODY: dict[str, Any] = {
    "region": JM,
    "time": "2025-06-02 08:00",
    "place": {"lon": 113.08, "lat": 22.58, "name": "江海区液氨储罐"},
    "substance": "氨",
    "release": {"rate_g_s": 300},
    "weather": {"wind_m_s": 3, "wind_from_deg": 90, "stability": "D"},
    "loc": {"red": 770, "orange": 110, "yellow": 21},
    "counts": {"evacuated": 12000},  # 重大 (annex II.2): 2 h, the province 1 h
}


@dataclass
class World:
    url: str
    ep: Ecoplan
    tokens: dict[str, str]

    def h(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def counts(self) -> tuple[int, int, int]:
        with self.ep.reader() as r:
            con = r.catalog.con
            n = [con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("risk_incidents",
                 "risk_incident_reports", "audit_log")]  # fmt: skip
        return (int(n[0][0]), int(n[1][0]), int(n[2][0])) if all(n) else (0, 0, 0)  # type: ignore[index]


def ensure_recorded(world: World) -> None:
    """The incident of BODY and its local initial report, recorded through the API (the
    same again is answered 200 and stores nothing): the page tests stand on their own."""
    with httpx.Client(base_url=world.url, timeout=30, headers=world.h("jm-reporter")) as c:
        r = c.post("/api/v1/risk/incidents", json=BODY)
        assert r.status_code in (200, 201), r.text
        rep = c.post(f"/api/v1/risk/incidents/{r.json()['incident_id']}/reports",
                     json={"kind": "initial", "at": "2025-06-02 09:15"})  # fmt: skip
        assert rep.status_code in (200, 201), rep.text


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    app = create_app(tmp_path_factory.mktemp("served") / "served.duckdb")
    register(app)
    ep: Ecoplan = app.state.store.app()
    ep.init()
    shell = Principal.shell()
    tokens = {}
    for name, role, region in (
        ("jm-reporter", "reporter", JM),
        ("jm-viewer", "viewer", JM),
        ("zh-reporter", "reporter", ZH),
    ):
        ep.people.add_user(shell, name, "long-password-1", role, region)
        tokens[name] = ep.people.issue_token(shell, user=name, days=1)[1]
    with serving(app) as url:
        yield World(url, ep, tokens)


def test_write_routes_need_a_reporter_of_the_region(world: World) -> None:
    with httpx.Client(base_url=world.url, timeout=30) as c:
        for who, status, audit in ((None, 401, 0), ("jm-viewer", 403, 1), ("zh-reporter", 403, 1)):
            before = world.counts()
            r = c.post("/api/v1/risk/incidents", json=BODY, headers=world.h(who))
            assert r.status_code == status, r.text
            after = world.counts()
            assert after[:2] == before[:2] and after[2] == before[2] + audit
        before = world.counts()
        r = c.post("/api/v1/risk/incidents", json=BODY, headers=world.h("jm-reporter"))
        assert r.status_code == 201, r.text
        got = r.json()
        assert world.counts() == (before[0] + 1, before[1], before[2] + 1)
        assert (got["incident_id"], got["grade"], got["recorded_by"]) == (1, "II", "jm-reporter")
        assert [c_["due"] for c_ in got["clocks"]] == ["2025-06-02T10:00", "2025-06-02T11:00"]
        assert r.headers["cache-control"] == "private, no-store"
        again = c.post("/api/v1/risk/incidents", json=BODY, headers=world.h("jm-reporter"))
        assert again.status_code == 200 and again.json()["recorded"] is False
        assert world.counts() == (before[0] + 1, before[1], before[2] + 1)
        # reports: the other region's reporter is refused, the region's is heard
        url = "/api/v1/risk/incidents/1/reports"
        rep = {"kind": "initial", "at": "2025-06-02 09:15"}
        before = world.counts()
        r = c.post(url, json=rep, headers=world.h("zh-reporter"))
        assert r.status_code == 403 and world.counts() == (*before[:2], before[2] + 1)
        r = c.post(url, json=rep, headers=world.h("jm-reporter"))
        assert r.status_code == 201, r.text
        assert [(x["state"], x["due"]) for x in r.json()["clocks"]] == [
            ("on_time", "2025-06-02T10:00"),
            ("overdue", "2025-06-02T10:15"),  # the province's hour from the local report
        ]
        assert world.counts() == (before[0], before[1] + 1, before[2] + 2)
        assert c.post(url, json=rep, headers=world.h("jm-reporter")).status_code == 200
        last = world.ep.audit.rows(Principal.shell(), limit=None)[-1]
        assert (last["actor"], last["action"], last["outcome"]) == (
            "jm-reporter",
            "risk.incident.report",
            "ok",
        )


def test_bad_bodies_are_client_errors(world: World) -> None:
    with httpx.Client(base_url=world.url, timeout=30, headers=world.h("jm-reporter")) as c:
        before = world.counts()
        bad = [
            {**BODY, "weather": {"wind_m_s": 3, "stability": "Z"}},
            {**BODY, "release": {"rate_g_s": -1}},
            {**BODY, "region": "44"},
            {**BODY, "extra": 1},
        ]
        for body in bad:
            assert c.post("/api/v1/risk/incidents", json=body).status_code == 422
        r = c.post("/api/v1/risk/incidents", json={**BODY, "time": "yesterday"})
        assert r.status_code == 400 and "time" in r.json()["error"]["message"]
        r = c.post("/api/v1/risk/incidents", json={**BODY, "time": "9999-12-31 23:00"})
        assert r.status_code == 400 and "future" in r.json()["error"]["message"]
        r = c.post("/api/v1/risk/incidents", json={**BODY, "region": "999999"})
        assert r.status_code == 404
        r = c.post("/api/v1/risk/incidents/424242/reports", json={"kind": "initial"})
        assert r.status_code == 404
        assert c.post("/api/v1/risk/incidents/1/reports", json={"kind": "later"}).status_code == 422
        assert world.counts()[:2] == before[:2]


def test_reads(world: World) -> None:
    ensure_recorded(world)
    with httpx.Client(base_url=world.url, timeout=30) as c:
        items = c.get("/api/v1/risk/incidents", params={"as_of": "2025-06-02T09:00"}).json()["items"]
        assert [(x["incident_id"], x["overdue"], x["next_due"]) for x in items] == [
            (1, False, "2025-06-02T10:00")
        ]
        # by 10:30 the province has not reported (its hour ran from the local report at 09:15)
        over = c.get("/api/v1/risk/incidents", params={"overdue": "true", "as_of": "2025-06-02T10:30"})
        assert [x["incident_id"] for x in over.json()["items"]] == [1]
        assert c.get("/api/v1/risk/incidents", params={"region": ZH}).json()["items"] == []
        one = c.get("/api/v1/risk/incidents/1").json()
        assert one["input"]["substance"] == "氨" and one["result"]["grade"]["grade"] == "II"
        csv = c.get("/api/v1/risk/incidents", params={"format": "csv"})
        assert csv.status_code == 200 and "incident_id" in csv.text.splitlines()[0]
        assert c.get("/api/v1/risk/incidents/77").status_code == 404
        ops = c.get("/api/openapi.json").json()["paths"]
        assert ops["/api/v1/risk/incidents"]["post"]["x-ecoplan-role"] == "reporter"
        assert ops["/api/v1/risk/incidents/{incident_id}/reports"]["post"]["x-ecoplan-role"] == "reporter"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_lists_recorded_incidents(world: World, lang: str) -> None:
    ensure_recorded(world)
    r = httpx.get(f"{world.url}/risk/incident", params={"lang": lang}, timeout=30)
    assert r.status_code == 200, r.text
    html = r.text
    assert 'id="incident-recorded"' in html and 'data-id="1"' in html
    assert "2025-06-02 10:00" in html and "江海区液氨储罐" in html
    assert ("按时报告" if lang == "zh" else "made on time") in html
    assert ("已超时未报" if lang == "zh" else "overdue") in html  # the province's report
    one = httpx.get(f"{world.url}/risk/incident", params={"id": 1, "lang": lang}, timeout=30)
    assert one.status_code == 200
    assert 'id="incident-recorded-one"' in one.text and 'id="incident-reports"' in one.text
    assert one.text.count("clock-") >= 4  # two clocks above, two in the list
    js = httpx.get(f"{world.url}/risk/incident", params={"id": 1, "format": "json"}, timeout=30).json()
    assert js["incident_id"] == 1 and js["reports"][0]["kind"] == "initial"
    assert httpx.get(f"{world.url}/risk/incident", params={"id": 99}, timeout=30).status_code == 404


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
def test_recorded_incident_in_chromium(browser: Any, world: World, lang: str) -> None:
    ensure_recorded(world)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{world.url}/risk/incident?lang={lang}", wait_until="load")
    page.locator("#incident-recorded a").first.click()
    page.wait_for_selector("#incident-recorded-one")
    assert page.locator("#incident-map polygon.zone").count() == 3
    assert page.locator("#incident-deadlines .clock-on_time").count() == 1
    assert page.locator("#incident-reports tbody tr").count() == 1
    text = page.locator("main").inner_text()
    assert foreign(text, lang, allowed=["江海区液氨储罐", "氨"]) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"risk-incident-recorded-{lang}.png"), full_page=True)
    page.close()
    assert errors == []

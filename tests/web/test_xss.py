"""XSS regression (issue #9: templates and security headers): hostile text in a plan's
title, an indicator's name, category and source quote, a task, a value's source and note
is shown as text on every page (zh/en) and in the HTML report: never as markup, never
evaluated by the template engine, and no dialog opens in Chromium."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from ecoplan.api import create_app
from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.plans.serialize import plan_to_mapping
from ecoplan.web import register

from .conftest import serving

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
IMG1 = "'><img src=x onerror=alert(1)>"
JS = "javascript:alert(1)"
TPL = "{{7*7}}"
EVIL = SCRIPT + IMG + IMG1 + JS + TPL
INDICATOR = "air-good-days"
PAGES = [
    "/",
    "/plans/xss",
    "/plans/xss?region=000000&year=2020",
    "/regions/000000",
    "/warnings",
    "/warnings?year=2020",
    "/rankings",
    "/tasks",
    "/tasks?plan=xss",
    "/plans/xss/report.html",
    "/plans/%3Cimg%20src=x%20onerror=alert(1)%3E",  # 404 page echoing the id
]


def _hostile_store(db: Path, tmp: Path) -> None:
    with Ecoplan(db) as ep:
        ep.init()
        ep.import_values(demo_values_path(), recorded_at="2021-06-30")
        m = plan_to_mapping(ep.plan("cn-13th-eco").plan)
        m["id"] = "xss"
        m["title"] = {"zh": "规划" + EVIL, "en": "Plan" + EVIL}
        m["document_number"] = EVIL
        ind = next(i for i in m["indicators"] if i["id"] == INDICATOR)
        ind["name"] = {"zh": "指标" + EVIL, "en": "Indicator" + EVIL}
        ind["category"] = {"zh": EVIL, "en": EVIL}
        ind["source"] = {"file": EVIL, "quote": EVIL}
        m["tasks"][0]["text"] = {"zh": "任务" + EVIL, "en": "Task" + EVIL}
        plan_file = tmp / "xss.yaml"
        plan_file.write_text(yaml.safe_dump(m, allow_unicode=True, sort_keys=False), "utf-8")
        ep.import_plan(plan_file)
        values = tmp / "xss-values.csv"
        with values.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["plan", "indicator", "region", "year", "value", "unit", "source", "note"])
            w.writerow(["xss", INDICATOR, "000000", 2018, 60.0, "%", EVIL, EVIL])
            w.writerow(["xss", INDICATOR, "000000", 2020, 61.0, "%", JS, EVIL])
        ep.import_values(values, recorded_at="2021-06-30")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("xss")
    _hostile_store(tmp / "xss.duckdb", tmp)
    application = create_app(tmp / "xss.duckdb")
    register(application)
    return application


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[httpx.Client]:
    with serving(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        yield c


def _assert_inert(text: str, where: str) -> None:
    low = text.lower()
    assert "<script>alert" not in low, where
    assert "<img src=x" not in low, where
    assert "onerror=alert(1)>" not in low, where  # the tag would close unescaped
    for attr in ("href", "src", "action", "formaction"):
        for q in ('"', "'", ""):
            assert f"{attr}={q}{JS}" not in low, where


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_is_escaped_on_every_page(client: httpx.Client, path: str, lang: str) -> None:
    r = client.get(path, params={"lang": lang})
    assert r.status_code in (200, 404), (path, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    _assert_inert(r.text, path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_text_is_shown_as_text_and_not_evaluated(client: httpx.Client, lang: str) -> None:
    shown = {
        "/plans/xss?year=2020": ("&lt;script&gt;alert(1)&lt;/script&gt;", TPL),
        "/tasks?plan=xss": ("&lt;img src=x onerror=alert(1)&gt;", TPL),
        "/regions/000000": ("&lt;script&gt;alert(1)&lt;/script&gt;", JS),
        "/": ("&lt;script&gt;alert(1)&lt;/script&gt;", TPL),
    }
    for path, needles in shown.items():
        text = client.get(path, params={"lang": lang}).text
        for needle in needles:
            assert needle in text, (path, needle)  # escaped, and {{7*7}} is literal text


def test_json_twins_keep_the_text_verbatim(client: httpx.Client) -> None:
    data = client.get("/plans/xss", params={"format": "json", "lang": "en"}).json()
    assert any(i.get("name_en") == "Indicator" + EVIL for i in data["indicators"])


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
def test_no_dialog_fires_in_chromium(app: Any) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    errors: list[str] = []
    with serving(app) as base, sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = b.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            for path in PAGES[:-2]:
                for lang in ("zh", "en"):
                    url = base + path + ("&" if "?" in path else "?") + f"lang={lang}"
                    page.goto(url, wait_until="load")
                    page.wait_for_timeout(50)
                    assert page.locator("img[src=x]").count() == 0, url
                    assert page.evaluate("() => document.scripts.length") <= 2, url  # ours only
        finally:
            b.close()
    assert dialogs == []
    assert errors == []

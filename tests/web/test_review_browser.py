"""Reporting and review in headless Chromium over a real server (issue #12, "Done when").

A Jiangmen reporter signs in, uploads a values file, sees the preview and submits; a
Guangdong reviewer (another browser context) returns it with a comment; the reporter
reads the comment, uploads a corrected file and resubmits; the reviewer accepts and
publishes; an anonymous visitor then sees the value on the public region page and in
the API; an admin sees every step on the audit page. Then one audit row is edited
behind the app's back and ``ecoplan audit verify`` names it. Screenshots of every step
in zh and en go to ``build/screenshots/review-*.png`` (test artefacts).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.web import register

from .conftest import serving

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
PASSWORD = "long-password-1"
PLAN = "jiangmen-13th-eco"
WRONG = f"plan,indicator,region,year,value\n{PLAN},air-good-days,440700,2017,9.01\n".encode()
FIXED = f"plan,indicator,region,year,value\n{PLAN},air-good-days,440700,2017,90.1\n".encode()
COMMENT = "优良天数比例应为 90.1，不是 9.01"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


class Visitor:
    """One person in their own browser context (own cookies), collecting console errors."""

    def __init__(self, browser: Any, base: str, who: str) -> None:
        self.base, self.who = base, who
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="load")
        return self.page

    def shot(self, step: str, lang: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"review-{step}-{lang}.png"), full_page=True)

    def shot_both(self, step: str, path: str) -> None:
        """Screenshots of the GET page ``path`` in zh and en."""
        for lang in ("zh", "en"):
            self.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            self.shot(step, lang)

    def sign_in(self, name: str, lang: str) -> None:
        self.goto(f"/login?lang={lang}")
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("#login-submit")
        self.page.wait_for_load_state("load")
        assert self.page.url.endswith(f"/me?lang={lang}"), self.page.url
        assert self.page.locator("#account-me").inner_text() == name


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("review") / "review.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        for name, role, region in (
            ("jm-reporter", Role.REPORTER, "440700"),
            ("gd-reviewer", Role.REVIEWER, "440000"),
            ("cn-admin", Role.ADMIN, "000000"),
        ):
            ep.people.add_user(Principal.shell(), name, PASSWORD, role, region)
    return db


def test_report_return_resubmit_publish_audit_and_verify(browser: Any, store: Path) -> None:
    app = create_app(store)
    register(app)
    with serving(app) as base:
        reporter = Visitor(browser, base, "jm-reporter")
        reviewer = Visitor(browser, base, "gd-reviewer")
        public = Visitor(browser, base, "anonymous")
        admin = Visitor(browser, base, "cn-admin")

        # 1. the reporter signs in, uploads, sees the preview, submits
        public.shot_both("01-login", "/login")
        reporter.sign_in("jm-reporter", "zh")
        reporter.shot_both("02-workspace", "/me")
        p = reporter.goto("/me?lang=zh")
        p.set_input_files("#upload-form input[type=file]", files=[_file("江门2017.csv", WRONG)])
        p.click("#preview-button")
        p.wait_for_load_state("load")
        summary = p.locator("#preview-summary").inner_text()
        assert "共 1 行：新增 1 行" in summary and "江门市" in summary
        assert p.locator("#preview td").first.inner_text() == "城市空气质量优良天数比例"
        reporter.shot("03-preview", "zh")
        p.click("#submit")
        p.wait_for_load_state("load")
        assert "报送 #1 已保存" in p.locator("#done").inner_text()
        row = p.locator("#submission-1").inner_text()
        assert "已报送" in row and "草稿·未发布" in row
        reporter.shot_both("04-submitted", "/me")

        # 2. the reviewer returns it with a comment
        reviewer.sign_in("gd-reviewer", "en")
        q = reviewer.goto("/review?lang=en")
        section = q.locator("#review-1")
        assert "9.01" in section.inner_text() and "draft, not published" in section.inner_text()
        reviewer.shot_both("05-queue", "/review")
        q = reviewer.goto("/review?lang=en")
        q.fill("#review-1 textarea[name=comment]", COMMENT)
        q.click("#review-1 button.return")
        q.wait_for_load_state("load")
        assert q.locator("#queue-empty").count() == 1
        reviewer.shot("06-returned", "en")

        # 3. the reporter reads the comment, fixes the file and resubmits (in English)
        p = reporter.goto("/me?lang=en")
        assert p.locator("#returned-1 .review-comment").inner_text() == COMMENT
        reporter.shot_both("07-comment", "/me")
        p = reporter.goto("/me?lang=en")
        p.set_input_files("#returned-1 input[type=file]", files=[_file("jiangmen-2017-fixed.csv", FIXED)])
        p.click("#returned-1 button[type=submit]")
        p.wait_for_load_state("load")
        assert "1 rows: 1 new" in p.locator("#preview-summary").inner_text()
        assert "90.1" in p.locator("#preview").inner_text()
        reporter.shot("08-resubmit-preview", "en")
        p.click("#submit")
        p.wait_for_load_state("load")
        assert "submitted" in p.locator("#submission-1").inner_text()

        # 4. the reviewer accepts and publishes (in Chinese)
        q = reviewer.goto("/review?lang=zh")
        assert "90.1" in q.locator("#review-1").inner_text()
        q.click("#review-1 button.accept")
        q.wait_for_load_state("load")
        assert "已通过" in q.locator("#review-1").inner_text()
        reviewer.shot_both("09-accepted", "/review")
        q = reviewer.goto("/review?lang=zh")
        q.click("#review-1 button.publish")
        q.wait_for_load_state("load")
        assert q.locator("#queue-empty").count() == 1
        p = reporter.goto("/me?lang=zh")
        assert "已发布" in p.locator("#submission-1").inner_text()
        reporter.shot_both("10-published", "/me")

        # 5. the public sees the published value, and only that
        r = public.goto("/regions/440700?lang=zh")
        assert public.page.locator("#login-link").count() == 1
        assert "90.1" in r.locator("main").inner_text() and "9.01" not in r.locator("main").inner_text()
        public.shot_both("11-public-region", "/regions/440700")
        values = httpx.get(base + "/api/v1/values", params={"plan": PLAN, "region": "440700"}).json()["items"]
        assert [(v["indicator_id"], v["year"], v["value"], v["actor"], v["reviewer"]) for v in values] == [
            ("air-good-days", 2017, 90.1, "jm-reporter", "gd-reviewer")
        ]

        # 6. the admin sees every step on the audit page
        admin.sign_in("cn-admin", "zh")
        a = admin.goto("/audit?lang=en&action=submission.")
        steps = _audit_rows(a)
        assert [(s["actor"], s["action"]) for s in steps] == [
            ("jm-reporter", "submission.create"),
            ("gd-reviewer", "submission.return"),
            ("jm-reporter", "submission.resubmit"),
            ("gd-reviewer", "submission.accept"),
            ("gd-reviewer", "submission.publish"),
        ]
        assert all(s["target"] == "submission/1" and s["outcome"] == "done" for s in steps)
        a = admin.goto("/audit?lang=en&action=auth.login")
        assert {s["actor"] for s in _audit_rows(a)} >= {"jm-reporter", "gd-reviewer", "cn-admin"}
        assert "intact" in a.locator("#verify").inner_text()
        admin.shot_both("12-audit", "/audit")

        for v in (reporter, reviewer, public, admin):
            assert v.errors == [], (v.who, v.errors)
            v.context.close()

    # 7. an audit row edited behind the app's back: `ecoplan audit verify` names it
    with Ecoplan(store) as ep:
        seq = ep.catalog.con.execute(
            "SELECT seq FROM audit_log WHERE action = 'submission.return'"
        ).fetchone()[0]
        before = ep.audit.verify()
        assert before.ok
        ep.catalog.con.execute(
            "UPDATE audit_log SET after = ? WHERE seq = ?", ['{"state": "returned", "comment": "ok"}', seq]
        )
    cli = Path(sys.executable).with_name("ecoplan")
    run = subprocess.run(
        [str(cli), "audit", "verify", "--db", str(store), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert f"Audit row {seq} was edited" in run.stdout + run.stderr, (run.stdout, run.stderr)
    with Ecoplan(store) as ep:
        after = ep.audit.verify()
    assert (after.broken_seq, after.why) == (seq, "edited")


def _file(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/csv", "buffer": data}


def _audit_rows(page: Any) -> list[dict[str, str]]:
    rows = []
    for tr in page.locator("#audit tr[class^=outcome-]").all():
        cells = [c.inner_text().strip() for c in tr.locator("td").all()]
        rows.append(
            {"seq": cells[0], "actor": cells[2], "action": cells[3], "target": cells[4], "outcome": cells[6]}
        )
    return rows

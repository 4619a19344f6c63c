"""Notifications (issue #12 point 5) on real parts: a DuckDB file through the app, an
aiosmtpd server and an HTTP server on 127.0.0.1 that receive the digests, and the
subscriptions API served by uvicorn."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import write_csv
from tests.web.conftest import serving

from ecoplan.api.subscriptions import router
from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.app.notify import (
    Item,
    Notify,
    Settings,
    Subscription,
    compose,
    report_years,
    returned_items,
    sign,
    warning_items,
)
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError, Forbidden, NotFound, Unauthorized
from ecoplan.plans.model import Plan

SHELL = Principal.shell()
JM = Principal("jm-reporter", Role.REPORTER, "440700", via="session")
GD = Principal("gd-reviewer", Role.REVIEWER, "440000", via="session")
NOW = dt.datetime(2021, 3, 15, 8, 0)
SECRET = "a-webhook-secret-of-the-test"


# -- real servers -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """An aiosmtpd server on 127.0.0.1 keeping every message it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def settings(self, **kw: Any) -> Settings:
        return Settings(
            smtp_host="127.0.0.1", smtp_port=self.port, allow_private_webhooks=True, timeout=5, **kw
        )


class Hooks:
    """An HTTP server on 127.0.0.1 (a thread) keeping every POST: headers and body; it
    answers ``status`` (a 3xx with a ``Location`` to ``/elsewhere``)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                hooks.received.append((self.path, dict(self.headers.items()), body))
                self.send_response(hooks.status)
                if 300 <= hooks.status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (docs/notifications.md): recompute the HMAC and compare."""
    stamp = headers["X-Ecoplan-Timestamp"]
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Ecoplan-Signature"], "sha256=" + expected)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    h = Hooks()
    h.start()
    yield h
    h.stop()


# -- the world: demo values, Jiangmen values with warnings, two accounts ----------------
def jiangmen_values(tmp: Path) -> Path:
    """Jiangmen's good-air days fall (a red warning) and its good water rises too slowly
    (amber) — checked against the region page below, not computed here."""
    return write_csv(
        tmp / "jm.csv",
        [
            "plan,indicator,region,year,value",
            "jiangmen-13th-eco,air-good-days,440700,2016,86.0",
            "jiangmen-13th-eco,air-good-days,440700,2017,84.0",
            "jiangmen-13th-eco,water-grade-i-iii,440700,2017,70.0",
            "jiangmen-13th-eco,air-pm25,440700,2017,33.0",
        ],
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world built once: regions and plans, the demo values, Jiangmen's values with
    warnings, a Jiangmen reporter and a Guangdong reviewer (each test gets a copy)."""
    tmp = tmp_path_factory.mktemp("notify")
    with Ecoplan(tmp / "world.duckdb") as ep:
        ep.init()
        ep.import_values(demo_values_path(), recorded_at="2021-06-30")
        ep.import_values(jiangmen_values(tmp), recorded_at="2018-03-01")
        ep.people.add_user(SHELL, "jm-reporter", "long-password-1", "reporter", "440700")
        ep.people.add_user(SHELL, "gd-reviewer", "long-password-2", "reviewer", "440000")
    return tmp / "world.duckdb"


@pytest.fixture(scope="module")
def cn13(template: Path) -> Plan:
    with Ecoplan(template, read_only=True) as ep:
        return ep.definition("cn-13th-eco")


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[Ecoplan]:
    db = tmp_path / "world.duckdb"
    shutil.copyfile(template, db)
    with Ecoplan(db) as ep:
        yield ep


def log_rows(ep: Ecoplan) -> list[tuple[Any, ...]]:
    return ep.catalog.con.execute(
        "SELECT key, user_name, kind, channel FROM notification_log ORDER BY key, channel"
    ).fetchall()


def audit_of(ep: Ecoplan, action: str) -> list[dict[str, Any]]:
    return ep.audit.rows(SHELL, action=action)


# -- subscriptions -----------------------------------------------------------------------
def test_a_subscription_outside_the_users_scope_is_refused_with_an_audit_row(world: Ecoplan) -> None:
    n = Notify(world)
    with pytest.raises(Forbidden, match="440000"):
        n.subscribe(JM, region="440000", email="jm@example.org")
    with pytest.raises(Forbidden, match="440100"):  # Guangzhou: a sibling city
        n.subscribe(SHELL, user="jm-reporter", region="440100", email="jm@example.org")
    assert n.subscriptions(JM) == []
    denied = [r for r in audit_of(world, "subscription.set") if r["outcome"] == "denied"]
    assert [r["region"] for r in denied] == ["440000", "440100"]
    assert not [r for r in audit_of(world, "subscription.set") if r["outcome"] == "ok"]


def test_a_viewer_may_not_subscribe_for_another_user(world: Ecoplan) -> None:
    world.people.add_user(SHELL, "jm-viewer", "long-password-3", "viewer", "440700")
    viewer = Principal("jm-viewer", Role.VIEWER, "440700")
    with pytest.raises(Forbidden):
        Notify(world).subscribe(viewer, user="jm-reporter", region="440700", email="x@example.org")
    sub = Notify(world).subscribe(viewer, region="440781", email="v@example.org")  # a county of Jiangmen
    assert sub["region"] == "440781" and sub["user"] == "jm-viewer"


@pytest.mark.parametrize(
    ("kw", "key"),
    [
        ({"region": "440700"}, "notify.error.no_channel"),
        ({"region": "440700", "email": "not an address"}, "notify.error.email"),
        ({"region": "440700", "webhook_url": "ftp://example.org/x"}, "notify.error.url"),
        ({"region": "440700", "webhook_url": "http://[::1/x"}, "notify.error.url"),
        ({"region": "440700", "webhook_url": "http://example.org:99999/x"}, "notify.error.url"),
        ({"region": "440700", "webhook_url": "http://example.org/a b"}, "notify.error.url"),
        ({"region": "440700", "email": "jm@example.org\nBcc: all@example.org"}, "notify.error.email"),
        (
            {"region": "440700", "webhook_url": "https://example.org/x", "webhook_secret": "short"},
            "notify.error.secret",
        ),
        (
            {"region": "440700", "email": "a@example.org", "webhook_secret": SECRET},
            "notify.error.secret_without_url",
        ),
        ({"region": "440700", "email": "a@example.org", "min_severity": "purple"}, "notify.error.level"),
        ({"region": "440700", "email": "a@example.org", "kinds": ["gossip"]}, "notify.error.kind"),
        ({"region": "440700", "email": "a@example.org", "kinds": []}, "notify.error.kind"),
    ],
)
def test_bad_subscriptions_are_refused_and_nothing_is_stored(
    world: Ecoplan, kw: dict[str, Any], key: str
) -> None:
    with pytest.raises(EcoplanError) as exc:
        Notify(world).subscribe(JM, **kw)
    assert exc.value.key == key
    assert Notify(world).subscriptions(JM) == []
    assert not audit_of(world, "subscription.set")


def test_without_a_channel_the_accounts_address_is_used(world: Ecoplan) -> None:
    world.people.add_user(SHELL, "jm-head", "long-password-4", "reviewer", "440700", email="head@example.org")
    sub = Notify(world).subscribe(Principal("jm-head", Role.REVIEWER, "440700"), region="440700")
    assert sub["email"] == "head@example.org" and sub["webhook_url"] is None


def test_unknown_plan_and_region_are_not_found(world: Ecoplan) -> None:
    with pytest.raises(NotFound):
        Notify(world).subscribe(JM, region="440700", plan_id="no-such-plan", email="a@example.org")
    with pytest.raises(NotFound):
        Notify(world).subscribe(SHELL, user="nobody", region="440700", email="a@example.org")


def test_subscribe_list_remove_each_audited(world: Ecoplan) -> None:
    n = Notify(world)
    a = n.subscribe(
        JM, region="440700", plan_id="jiangmen-13th-eco", min_severity="amber", email="jm@example.org"
    )
    b = n.subscribe(JM, region="440700", webhook_url="https://hooks.example.org/x")
    assert (a["id"], b["id"]) == (1, 2)
    assert len(b["webhook_secret"]) >= 32 and "webhook_secret" not in a  # generated, shown once
    listed = n.subscriptions(JM)
    assert [s["id"] for s in listed] == [1, 2]
    assert all("webhook_secret" not in s for s in listed) and listed[1]["webhook_secret_set"]
    assert listed[0]["kinds"] == ["warning", "overdue_task", "missing_report", "returned"]
    n.unsubscribe(JM, 1)
    assert [s["id"] for s in n.subscriptions(JM)] == [2]
    with pytest.raises(NotFound):
        n.unsubscribe(JM, 1)
    with pytest.raises(NotFound):  # another user's number is not theirs
        n.unsubscribe(GD, 2)
    rows = [r for r in audit_of(world, "subscription.set") if r["outcome"] == "ok"]
    assert [(r["actor"], r["target"]) for r in rows] == [
        ("jm-reporter", "subscription/jm-reporter/1"),
        ("jm-reporter", "subscription/jm-reporter/2"),
        ("jm-reporter", "subscription/jm-reporter/1"),
    ]
    assert SECRET not in json.dumps(rows, default=str) and b["webhook_secret"] not in json.dumps(
        rows, default=str
    )
    assert world.audit.verify().ok


# -- what is due (pure) -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "years"),
    [
        (dt.date(2021, 2, 28), []),  # 31 days before 31 March 2021
        (dt.date(2021, 3, 1), [2020]),  # 30 days before: the first day told
        (dt.date(2021, 3, 31), [2020]),  # the deadline itself
        (dt.date(2021, 4, 1), []),
        (dt.date(2017, 3, 10), [2016]),
        (dt.date(2016, 3, 10), []),  # 2015 is before the plan's first year
    ],
)
def test_report_years_window(cn13: Plan, today: dt.date, years: list[int]) -> None:
    assert report_years(cn13, today, Settings()) == years


def test_report_years_follow_the_setting(cn13: Plan) -> None:
    s = Settings.from_env({"ECOPLAN_REPORT_DEADLINE": "06-30", "ECOPLAN_REPORT_WARN_DAYS": "10"})
    plan = cn13
    assert report_years(plan, dt.date(2019, 6, 20), s) == [2018]
    assert report_years(plan, dt.date(2019, 6, 19), s) == []
    with pytest.raises(EcoplanError, match="deadline"):
        Settings.from_env({}, deadline="02-30")
    with pytest.raises(EcoplanError, match="ECOPLAN_SMTP_PORT"):
        Settings.from_env({"ECOPLAN_SMTP_PORT": "twenty-five"})


def _warning(region: str, level: str, indicator: str = "air-good-days") -> dict[str, Any]:
    return {
        "plan": "jiangmen-13th-eco", "plan_title_zh": "规划", "plan_title_en": "Plan", "region": region,
        "region_zh": "某地", "region_en": "Somewhere", "year": 2017, "indicator": indicator,
        "indicator_zh": "指标", "indicator_en": "Indicator", "level": level, "severity": "high",
        "status": "off_track", "reason": "why", "reason_zh": "原因",
    }  # fmt: skip


def test_warnings_are_filtered_by_region_subtree_plan_and_least_level() -> None:
    ws = [
        _warning("440700", "red", "a"),
        _warning("440700", "amber", "b"),
        _warning("440700", "watch", "c"),
        _warning("440781", "red", "d"),  # a county of Jiangmen
        _warning("440100", "red", "e"),  # Guangzhou
    ]
    sub = Subscription("u", 1, "440700", None, "amber", ("warning",), "u@example.org", None)
    assert [i.data["indicator"] for i in warning_items(ws, sub)] == ["a", "b", "d"]
    red = Subscription("u", 1, "440700", None, "red", ("warning",), "u@example.org", None)
    assert [i.data["indicator"] for i in warning_items(ws, red)] == ["a", "d"]
    other = Subscription("u", 1, "440700", "cn-13th-eco", "watch", ("warning",), "u@example.org", None)
    assert warning_items(ws, other) == []
    keys = {i.key for i in warning_items(ws, sub)}
    assert "warning:jiangmen-13th-eco:440700:a:2017:red" in keys


def test_a_submission_returned_again_is_a_new_item() -> None:
    sub = Subscription("jm", 1, "440700", None, "watch", ("returned",), "u@example.org", None)
    s = {
        "id": 4, "kind": "values", "plan_id": "jiangmen-13th-eco", "region": "440700", "author": "jm",
        "state": "returned", "updated_at": dt.datetime(2021, 3, 1, 9), "reviewer": "gd",
        "comment": "fix 2017",
    }  # fmt: skip
    first = returned_items([s], sub, {})
    again = returned_items([{**s, "updated_at": dt.datetime(2021, 3, 5, 9)}], sub, {})
    assert len(first) == len(again) == 1 and first[0].key != again[0].key
    assert returned_items([{**s, "author": "someone-else"}], sub, {}) == []
    assert "fix 2017" in first[0].text["zh"] and "fix 2017" in first[0].text["en"]


def test_the_digest_groups_by_kind_in_both_languages() -> None:
    items = [
        Item("returned:1:x", "returned", "440700", "p", {"zh": "退回一", "en": "returned one"}),
        Item("warning:a", "warning", "440700", "p", {"zh": "预警甲", "en": "warning A"}),
        Item("warning:b", "warning", "440700", "p", {"zh": "预警乙", "en": "warning B"}),
    ]
    d = compose("jm", "email:jm@example.org", items, NOW)
    assert d.counts() == {"warning": 2, "returned": 1}
    zh, en = d.text.index("新预警 (2)"), d.text.index("New warnings (2)")
    assert zh < d.text.index("预警甲") < d.text.index("被退回的报送 (1)") < d.text.index("退回一") < en
    assert (
        en
        < d.text.index("warning A")
        < d.text.index("Returned submissions (1)")
        < d.text.index("returned one")
    )
    assert "3" in d.subject and [i["key"] for i in d.payload["items"]] == [
        "warning:a",
        "warning:b",
        "returned:1:x",
    ]


# -- the run: e-mail and webhook, then nothing new, then only what is new -------------------
def test_one_digest_per_channel_then_only_what_is_new(world: Ecoplan, mailbox: Mailbox, hooks: Hooks) -> None:
    n = Notify(world)
    n.subscribe(JM, region="440700", email="jm@example.org", webhook_url=hooks.url, webhook_secret=SECRET)
    n.subscribe(JM, region="440700", plan_id="jiangmen-13th-eco", min_severity="red", email="jm@example.org")
    page = {
        w["indicator"]: w["level"]
        for w in world.assess("jiangmen-13th-eco", "440700", 2017).to_dict()["warnings"]
    }
    assert page == {"air-good-days": "red", "water-grade-i-iii": "amber"}

    done = n.run(SHELL, mailbox.settings(), now=NOW)
    assert sorted((d.channel, d.outcome) for d in done) == [
        ("email:jm@example.org", "sent"),
        (f"webhook:{hooks.url}", "sent"),
    ]
    # one e-mail holding every kind due, in zh and in en
    assert len(mailbox.messages) == 1 and mailbox.recipients == [["jm@example.org"]]
    body = mailbox.messages[0].get_content()
    for heading in ("新预警", "逾期任务", "待报送数据", "New warnings", "Overdue tasks", "Reports due"):
        assert heading in body
    assert "消除天沙河黑臭现象" in body and "Eliminate black and odorous water in the Tiansha River" in body
    assert "2021-03-31" in body and "红色" in body and "amber" in body
    assert "被退回的报送" not in body  # nothing returned yet

    # one webhook POST, signed: the receiver's own check passes, a tampered body fails
    assert len(hooks.received) == 1
    path, headers, raw = hooks.received[0]
    assert path == "/hook" and headers["Content-Type"].startswith("application/json")
    assert verify(SECRET, headers, raw) and not verify(SECRET, headers, raw + b" ")
    assert not verify("another-secret-entirely", headers, raw)
    payload = json.loads(raw)
    keys = {i["key"] for i in payload["items"]}
    assert "warning:jiangmen-13th-eco:440700:air-good-days:2017:red" in keys
    assert "warning:jiangmen-13th-eco:440700:water-grade-i-iii:2017:amber" in keys
    assert "missing_report:jiangmen-13th-eco:440700:2020" in keys
    overdue = sorted(k.rsplit(":", 1)[1] for k in keys if k.startswith("overdue_task:jiangmen-13th-eco:"))
    assert len(overdue) == 8 and all(due < "2021-03-15" for due in overdue)
    assert payload["counts"]["warning"] == 2 and payload["user"] == "jm-reporter"

    # the log holds each item once per channel; the audit a notify.send row per delivery
    rows = log_rows(world)
    assert {r[3] for r in rows} == {"email:jm@example.org", f"webhook:{hooks.url}"}
    assert len([r for r in rows if r[3].startswith("email")]) == len(payload["items"])
    sends = audit_of(world, "notify.send")
    assert sorted(r["outcome"] for r in sends) == ["ok", "ok"]
    assert all(r["target"] == "user/jm-reporter" and r["region"] == "440700" for r in sends)

    # a second run: nothing new, nothing sent
    assert n.run(SHELL, mailbox.settings(), now=NOW) == []
    assert len(mailbox.messages) == 1 and len(hooks.received) == 1

    # a reviewer returns a submission of the reporter: the next run tells only of that
    csv = b"plan,indicator,region,year,value\njiangmen-13th-eco,air-good-days,440700,2018,85.0\n"
    sub = world.review.submit_values(JM, "jm-2018.csv", csv)
    world.review.review(GD, sub["id"], "return", "2018 looks low: check the source")
    done = n.run(SHELL, mailbox.settings(), now=NOW)
    assert [(d.items, d.counts) for d in done] == [(1, {"returned": 1}), (1, {"returned": 1})]
    assert len(mailbox.messages) == 2 and "2018 looks low" in mailbox.messages[1].get_content()
    assert "逾期任务" not in mailbox.messages[1].get_content()
    assert json.loads(hooks.received[1][2])["items"][0]["submission"] == sub["id"]
    assert world.audit.verify().ok


def test_a_failed_delivery_records_nothing_and_is_retried(world: Ecoplan) -> None:
    Notify(world).subscribe(JM, region="440700", plan_id="jiangmen-13th-eco", email="jm@example.org")
    box = Mailbox()  # not started yet: nothing listens on its port
    done = Notify(world).run(SHELL, box.settings(), now=NOW)
    assert [d.outcome for d in done] == ["failed"] and "Connection" in (done[0].error or "")
    assert log_rows(world) == []
    failed = audit_of(world, "notify.send")
    assert [r["outcome"] for r in failed] == ["failed"]
    after = failed[0]["after"]
    assert (json.loads(after) if isinstance(after, str) else after)["items"] == done[0].items

    box.start()
    try:
        again = Notify(world).run(SHELL, box.settings(), now=NOW)
    finally:
        box.stop()
    assert [d.outcome for d in again] == ["sent"] and again[0].items == done[0].items
    assert len(box.messages) == 1 and len(log_rows(world)) == done[0].items


@pytest.mark.parametrize("status", [302, 500])
def test_a_webhook_answering_a_redirect_or_an_error_failed(world: Ecoplan, hooks: Hooks, status: int) -> None:
    hooks.status = status
    Notify(world).subscribe(JM, region="440700", webhook_url=hooks.url, webhook_secret=SECRET)
    done = Notify(world).run(SHELL, Settings(allow_private_webhooks=True, timeout=5), now=NOW)
    assert [d.outcome for d in done] == ["failed"] and str(status) in (done[0].error or "")
    assert [p for p, _, _ in hooks.received] == ["/hook"]  # the redirect was not followed
    assert log_rows(world) == []


def test_a_webhook_to_a_private_address_is_refused_unless_allowed(world: Ecoplan, hooks: Hooks) -> None:
    Notify(world).subscribe(JM, region="440700", webhook_url=hooks.url, webhook_secret=SECRET)
    done = Notify(world).run(SHELL, Settings(timeout=5), now=NOW)
    assert [d.outcome for d in done] == ["failed"] and "127.0.0.1" in (done[0].error or "")
    assert hooks.received == [] and log_rows(world) == []


def test_a_dry_run_sends_and_records_nothing(world: Ecoplan, mailbox: Mailbox) -> None:
    Notify(world).subscribe(JM, region="440700", email="jm@example.org")
    done = Notify(world).run(SHELL, mailbox.settings(), now=NOW, dry_run=True)
    assert [d.outcome for d in done] == ["dry_run"] and done[0].items > 0
    assert mailbox.messages == [] and log_rows(world) == [] and audit_of(world, "notify.send") == []


def test_missing_reports_count_pending_submissions_and_stop_after_the_deadline(world: Ecoplan) -> None:
    n = Notify(world)
    n.subscribe(
        JM, region="440700", plan_id="jiangmen-13th-eco", kinds=["missing_report"], email="j@example.org"
    )

    def missing(now: dt.datetime) -> list[str]:
        done = n.run(SHELL, Settings(), now=now, dry_run=True)
        items = [i for d in done for i in (d.digest.items if d.digest else ())]
        return [m for i in items for m in i.data["missing"]]

    before = missing(NOW)
    assert "air-good-days" in before and len(before) == len(world.definition("jiangmen-13th-eco").indicators)
    csv = b"plan,indicator,region,year,value\njiangmen-13th-eco,air-good-days,440700,2020,91.0\n"
    world.review.submit_values(JM, "jm-2020.csv", csv)  # submitted, not published: counts as reported
    after = missing(NOW)
    assert "air-good-days" not in after and len(after) == len(before) - 1
    assert missing(dt.datetime(2021, 4, 1)) == [] and missing(dt.datetime(2021, 2, 1)) == []


def test_only_an_admin_runs_the_digest(world: Ecoplan) -> None:
    with pytest.raises(Forbidden):
        Notify(world).run(GD, Settings(), now=NOW)


# -- the API ---------------------------------------------------------------------------------
def _api(ep: Ecoplan) -> FastAPI:
    """The subscriptions router over ``ep`` with a bearer-token principal (the lead's
    ``ecoplan.kit.auth`` plays this part in the served API)."""
    app = FastAPI()

    def principal(request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise Unauthorized.worded("access.error.signin")
        return ep.people.principal_for_token(header[7:], "test")

    for exc, status in ((Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (EcoplanError, 400)):

        def handler(_: Request, e: Exception, status: int = status) -> JSONResponse:
            return JSONResponse({"error": str(e)}, status)

        app.add_exception_handler(exc, handler)
    app.include_router(router(lambda: ep, principal))
    return app


def test_the_api_lists_adds_and_removes_the_callers_subscriptions(world: Ecoplan) -> None:
    _, token = world.people.issue_token(SHELL, user="jm-reporter")
    auth = {"Authorization": f"Bearer {token}"}
    app = _api(world)
    ops = app.openapi()["paths"]
    assert ops["/api/v1/me/subscriptions"]["post"]["x-ecoplan-role"] == "viewer"
    assert ops["/api/v1/me/subscriptions/{id}"]["delete"]["x-ecoplan-role"] == "viewer"
    with serving(app) as base, httpx.Client(base_url=base) as c:
        assert c.get("/api/v1/me/subscriptions").status_code == 401
        r = c.post(
            "/api/v1/me/subscriptions",
            json={"region": "440700", "webhook_url": "https://h.example.org/x"},
            headers=auth,
        )
        assert r.status_code == 201 and len(r.json()["webhook_secret"]) >= 32
        sid = r.json()["id"]
        r = c.post(
            "/api/v1/me/subscriptions", json={"region": "440000", "email": "a@example.org"}, headers=auth
        )
        assert r.status_code == 403
        r = c.post(
            "/api/v1/me/subscriptions",
            json={"region": "440700", "email": "a@example.org", "extra": 1},
            headers=auth,
        )
        assert r.status_code == 422
        listed = c.get("/api/v1/me/subscriptions", headers=auth).json()
        assert [s["id"] for s in listed] == [sid] and "webhook_secret" not in listed[0]
        assert c.delete(f"/api/v1/me/subscriptions/{sid}", headers=auth).status_code == 204
        assert c.delete(f"/api/v1/me/subscriptions/{sid}", headers=auth).status_code == 404
        assert c.get("/api/v1/me/subscriptions", headers=auth).json() == []


def test_a_province_hears_of_its_cities_and_not_of_cities_that_never_reported(world: Ecoplan) -> None:
    Notify(world).subscribe(GD, region="440000", min_severity="amber", email="gd@example.org")
    done = Notify(world).run(SHELL, Settings(), now=NOW, dry_run=True)
    items = [i for d in done for i in (d.digest.items if d.digest else ())]
    missing = {(i.plan, i.region) for i in items if i.kind == "missing_report"}
    assert missing == {
        ("cn-13th-eco", "440000"),
        ("cn-13th-eco-mee2020", "440000"),
        ("jiangmen-13th-eco", "440700"),  # the city plan's own region lies in Guangdong
    }
    assert {(i.region, i.data["level"]) for i in items if i.kind == "warning"} == {
        ("440700", "red"),
        ("440700", "amber"),
    }
    assert {i.plan for i in items if i.kind == "overdue_task"} == {"jiangmen-13th-eco"}
    assert not [i for i in items if i.kind == "returned"]


def test_the_documented_receiver_accepts_the_real_webhook(world: Ecoplan, hooks: Hooks) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "notifications.md").read_text("utf-8")
    snippet = doc.split("```python\n", 1)[1].split("```", 1)[0]
    ns: dict[str, Any] = {}
    exec(compile(snippet, "docs/notifications.md", "exec"), ns)
    Notify(world).subscribe(
        JM, region="440700", kinds=["warning"], webhook_url=hooks.url, webhook_secret=SECRET
    )
    Notify(world).run(SHELL, Settings(allow_private_webhooks=True, timeout=5), now=NOW)
    _, headers, body = hooks.received[0]
    assert ns["verify"](SECRET, headers, body)
    assert not ns["verify"](SECRET, headers, body.replace(b"red", b"amber"))
    assert not ns["verify"](SECRET, {**headers, "X-Ecoplan-Timestamp": "1600000000"}, body)  # stale


def test_the_audit_log_keeps_no_webhook_credentials(world: Ecoplan, hooks: Hooks) -> None:
    url = hooks.url.replace("http://", "http://user:pw@") + "?token=query-secret"
    Notify(world).subscribe(JM, region="440700", kinds=["warning"], webhook_url=url, webhook_secret=SECRET)
    done = Notify(world).run(SHELL, Settings(allow_private_webhooks=True, timeout=5), now=NOW)
    assert [d.outcome for d in done] == ["sent"] and hooks.received[0][0] == "/hook?token=query-secret"
    assert hooks.received[0][1]["Authorization"] == "Basic dXNlcjpwdw=="  # user:pw
    rows = json.dumps(audit_of(world, "notify.send"), default=str)
    assert hooks.url in rows and "query-secret" not in rows and "pw@" not in rows


def _documented_verify() -> Any:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "notifications.md").read_text("utf-8")
    ns: dict[str, Any] = {}
    exec(compile(doc.split("```python\n", 1)[1].split("```", 1)[0], "docs/notifications.md", "exec"), ns)
    return ns["verify"]


@given(
    secret=st.text(min_size=16, max_size=64),
    body=st.binary(min_size=1, max_size=300),
    flip=st.integers(min_value=0),
)
def test_a_signature_verifies_and_any_changed_byte_does_not(secret: str, body: bytes, flip: int) -> None:
    check = _VERIFY
    stamp = str(int(time.time()))
    headers = {"X-Ecoplan-Timestamp": stamp, "X-Ecoplan-Signature": sign(secret, stamp, body)}
    assert check(secret, headers, body)
    i = flip % len(body)
    changed = body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :]
    assert not check(secret, headers, changed)
    assert not check(secret + "x", headers, body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.text(max_size=80), address=st.text(max_size=80))
def test_any_text_as_url_or_address_is_stored_or_refused_in_words(
    world: Ecoplan, url: str, address: str
) -> None:
    for kw in ({"webhook_url": url, "webhook_secret": SECRET}, {"email": address}):
        try:
            sub = Notify(world).subscribe(JM, region="440700", **kw)
        except EcoplanError as exc:
            assert exc.key is not None and exc.key.startswith(("notify.error.", "access.error."))
        else:
            Notify(world).unsubscribe(JM, sub["id"])


_VERIFY = _documented_verify()


def test_an_smtp_server_that_never_answers_is_tried_once_per_run(world: Ecoplan) -> None:
    world.people.add_user(SHELL, "jm-viewer", "long-password-3", "viewer", "440700")
    viewer = Principal("jm-viewer", Role.VIEWER, "440700")
    Notify(world).subscribe(JM, region="440700", kinds=["warning"], email="jm@example.org")
    Notify(world).subscribe(viewer, region="440700", kinds=["warning"], email="v@example.org")
    accepted: list[socket.socket] = []
    with socket.socket() as silent:  # accepts a connection and never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]

        def accept() -> None:
            try:
                while True:
                    conn, _ = silent.accept()
                    accepted.append(conn)
            except OSError:
                pass

        threading.Thread(target=accept, daemon=True).start()
        done = Notify(world).run(SHELL, Settings(smtp_host="127.0.0.1", smtp_port=port, timeout=0.5), now=NOW)
        for c in accepted:
            c.close()
    assert [(d.user, d.outcome) for d in done] == [("jm-reporter", "failed"), ("jm-viewer", "failed")]
    assert len(accepted) == 1  # the second message was not tried: the server was down
    assert "timed out" in (done[0].error or "") and done[1].error == done[0].error
    assert log_rows(world) == [] and [r["outcome"] for r in audit_of(world, "notify.send")] == ["failed"] * 2


def test_the_servers_schedule_sends_the_digest_once_and_stops(world: Ecoplan, mailbox: Mailbox) -> None:
    """``serve --notify-every``: rounds read a snapshot, send, record; the next round sends
    nothing new; setting the event ends the loop."""
    import threading

    from ecoplan.app.notify import every

    Notify(world).subscribe(JM, region="440700", email="jm@example.org")
    stop, errors = threading.Event(), []
    t = threading.Thread(target=every, args=(world, 1 / 60, stop, mailbox.settings(), errors.append))
    t.start()
    for _ in range(100):  # the first round after a second
        if mailbox.messages:
            break
        time.sleep(0.05)
    time.sleep(1.5)  # at least one more round
    stop.set()
    t.join(timeout=10)
    assert not t.is_alive() and not errors
    assert len(mailbox.messages) == 1 and mailbox.recipients == [["jm@example.org"]]
    assert [r["outcome"] for r in audit_of(world, "notify.send")] == ["ok"]

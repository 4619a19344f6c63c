"""The dashboard's account pages over a real server (issue #12): sign-in and its
refusals, the reporter's workspace, upload → preview → submit, the reviewer's queue,
the audit page, CSRF, private caching, and every web write route in ``WEB_WRITES``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.web import register
from ecoplan.web.account import WEB_WRITES, workspace
from ecoplan.web.uploads_cache import UploadCache

from .conftest import serving

PASSWORD = "long-password-1"
USERS = {
    "jm-reporter": (Role.REPORTER, "440700"),
    "gz-reporter": (Role.REPORTER, "440100"),
    "jm-viewer": (Role.VIEWER, "440700"),
    "gd-reviewer": (Role.REVIEWER, "440000"),
    "hb-reviewer": (Role.REVIEWER, "130000"),
    "cn-admin": (Role.ADMIN, "000000"),
    "locked": (Role.REPORTER, "440700"),
}
PLAN = "jiangmen-13th-eco"
CSV = f"plan,indicator,region,year,value\n{PLAN},air-good-days,440700,2017,90.1\n".encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("accounts") / "accounts.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        for name, (role, region) in USERS.items():
            ep.people.add_user(Principal.shell(), name, PASSWORD, role, region)
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url, db


@pytest.fixture(scope="module")
def base(site: tuple[str, Path]) -> str:
    return site[0]


_CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def _client(base: str) -> httpx.Client:
    c = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
    _CLIENTS.append(c)
    return c


def _signed_in(base: str, name: str) -> tuple[httpx.Client, str]:
    c = _client(base)
    r = c.post("/login", data={"name": name, "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"].startswith("/me"), r.text[:300]
    return c, _csrf(c.get("/me").text)


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def _upload_id(html: str) -> str:
    m = re.search(r'name="upload" value="([^"]+)"', html)
    assert m, html[:800]
    return m.group(1)


# -- sign-in ------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_login_page_and_the_same_answer_for_unknown_user_and_wrong_password(base: str, lang: str) -> None:
    c = _client(base)
    form = c.get("/login", params={"lang": lang})
    assert form.status_code == 200 and 'id="login-form"' in form.text and 'id="login-link"' in form.text
    wrong = c.post("/login", params={"lang": lang}, data={"name": "jm-reporter", "password": "not-it-at-all"})
    unknown = c.post(
        "/login", params={"lang": lang}, data={"name": "nobody-here", "password": "not-it-at-all"}
    )
    assert wrong.status_code == unknown.status_code == 401
    said = [re.search(r'id="login-error">([^<]*)<', r.text).group(1) for r in (wrong, unknown)]  # type: ignore[union-attr]
    assert said[0] == said[1] == ("用户名或密码不正确。" if lang == "zh" else "Wrong user name or password.")
    assert "ecoplan_session" not in wrong.headers.get("set-cookie", "")


def test_repeated_wrong_passwords_get_a_429_page_even_with_the_right_one(base: str) -> None:
    c = _client(base)
    statuses = [
        c.post("/login", data={"name": "locked", "password": "wrong-password"}).status_code for _ in range(5)
    ]
    assert statuses == [401] * 5
    r = c.post("/login", params={"lang": "en"}, data={"name": "locked", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "Too many attempts" in r.text and "ecoplan_session" not in r.headers.get("set-cookie", "")


def test_login_sets_the_api_session_cookie_and_the_header_shows_the_user(base: str) -> None:
    c = _client(base)
    r = c.post("/login", params={"lang": "en"}, data={"name": "jm-reporter", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/me?lang=en"
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("ecoplan_session=") and "httponly" in cookie and "samesite=lax" in cookie
    me = c.get("/me", params={"lang": "en"})
    assert me.status_code == 200 and me.headers["cache-control"] == "private, no-store"
    assert re.search(r'id="account-me">jm-reporter<', me.text) and "reporter · Jiangmen" in me.text
    # the same session works on the API: it is the API's cookie
    api = c.get("/api/v1/me").json()
    assert api["user"] == "jm-reporter" and api["via"] == "session"
    # a public page shows the user too, privately; without the cookie it is public and shows "sign in"
    home = c.get("/regions/440700", params={"lang": "en"})
    assert home.headers["cache-control"] == "private, no-store" and 'id="account-me"' in home.text
    anon = httpx.get(base + "/regions/440700", params={"lang": "en"}, timeout=60)
    assert "private" not in anon.headers.get("cache-control", "") and 'id="login-link"' in anon.text


def test_logout_needs_the_csrf_token_and_ends_the_session(base: str) -> None:
    c, csrf = _signed_in(base, "jm-viewer")
    assert c.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert c.get("/me").status_code == 200
    r = c.post("/logout", data={"csrf": csrf})
    assert r.status_code == 303
    assert c.get("/me").status_code == 303  # back to /login
    assert c.get("/api/v1/me").status_code == 401


def test_pages_without_a_session_send_to_login(base: str) -> None:
    for path in ("/me", "/review", "/audit"):
        r = httpx.get(base + path, params={"lang": "en"})
        assert r.status_code == 303 and r.headers["location"] == "/login?lang=en"


# -- upload, preview, submit ---------------------------------------------------------------------
def test_upload_preview_then_submit_stores_exactly_the_previewed_file(base: str) -> None:
    c, csrf = _signed_in(base, "jm-reporter")
    r = c.post("/me/upload", params={"lang": "en"}, files={"file": ("jm.csv", CSV)}, data={"csrf": csrf})
    assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"
    assert "1 rows: 1 new, 0 changed, 0 unchanged" in r.text and "Share of good-air days" in r.text
    upload = _upload_id(r.text)
    # another user cannot submit it
    other, other_csrf = _signed_in(base, "gd-reviewer")
    stolen = other.post("/me/submit", params={"lang": "en"}, data={"upload": upload, "csrf": other_csrf})
    assert stolen.status_code == 400 and "has expired" in stolen.text
    # nor the author without the CSRF token
    assert c.post("/me/submit", data={"upload": upload}).status_code == 403
    done = c.post("/me/submit", params={"lang": "en"}, data={"upload": upload, "csrf": csrf})
    assert done.status_code == 303
    sid = int(re.search(r"done=(\d+)", done.headers["location"]).group(1))  # type: ignore[union-attr]
    again = c.post("/me/submit", params={"lang": "en"}, data={"upload": upload, "csrf": csrf})
    assert again.status_code == 400  # used once
    me = c.get("/me", params={"lang": "en"}).text
    row = re.search(rf'<tr id="submission-{sid}">.*?</tr>', me, re.S).group(0)  # type: ignore[union-attr]
    assert "submitted" in row and "draft, not published" in row
    api = c.get(f"/api/v1/submissions/{sid}").json()
    assert api["payload"][0]["value"] == 90.1 and api["author"] == "jm-reporter" and api["origin"] == "jm.csv"


def test_a_bad_file_gets_the_clis_error_report_and_nothing_is_stored(base: str) -> None:
    c, csrf = _signed_in(base, "jm-reporter")
    before = len(c.get("/api/v1/submissions").json()["items"])
    bad = f"plan,indicator,region,year,value\n{PLAN},no-such-indicator,440700,2017,abc\n".encode()
    r = c.post("/me/upload", params={"lang": "en"}, files={"file": ("bad.csv", bad)}, data={"csrf": csrf})
    assert r.status_code == 400
    table = re.search(r'<table id="problems">.*?</table>', r.text, re.S).group(0)  # type: ignore[union-attr]
    assert "bad.csv" in table and "no-such-indicator" in table and "indicator" in table
    assert "<td>2</td>" in table  # the row, as a spreadsheet numbers it
    assert "Nothing was written." in r.text
    formula = f"plan,indicator,region,year,value\n{PLAN},air-good-days,440700,2017,=1+2\n".encode()
    r = c.post("/me/upload", files={"file": ("f.csv", formula)}, data={"csrf": csrf})
    assert r.status_code == 400 and "f.csv" in r.text
    assert len(c.get("/api/v1/submissions").json()["items"]) == before


def test_a_reporter_cannot_upload_values_of_another_region(site: tuple[str, Path]) -> None:
    base, _ = site
    c, csrf = _signed_in(base, "gz-reporter")
    r = c.post("/me/upload", params={"lang": "en"}, files={"file": ("jm.csv", CSV)}, data={"csrf": csrf})
    assert r.status_code == 403 and "Region 440700 is outside your scope" in r.text
    admin, _ = _signed_in(base, "cn-admin")
    denied = admin.get("/api/v1/audit", params={"actor": "gz-reporter", "outcome": "denied"}).json()["items"]
    assert any(row["region"] == "440700" for row in denied)


def test_a_viewer_cannot_upload(base: str) -> None:
    c, csrf = _signed_in(base, "jm-viewer")
    assert 'id="upload-form"' not in c.get("/me").text
    r = c.post("/me/upload", files={"file": ("jm.csv", CSV)}, data={"csrf": csrf})
    assert r.status_code == 403


def test_task_progress_with_an_evidence_file_and_a_refused_type(base: str) -> None:
    c, csrf = _signed_in(base, "jm-reporter")
    me = c.get("/me", params={"lang": "en"}).text
    assert f'value="{PLAN}/yellow-label-vehicles"' in me
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    form = {"task": f"{PLAN}/yellow-label-vehicles", "status": "done", "note": "all retired", "csrf": csrf}
    r = c.post("/me/task", params={"lang": "en"}, data=form, files={"evidence_file": ("proof.png", png)})
    assert r.status_code == 303, r.text[:400]
    sid = int(re.search(r"done=(\d+)", r.headers["location"]).group(1))  # type: ignore[union-attr]
    s = c.get(f"/api/v1/submissions/{sid}").json()
    assert s["kind"] == "task" and s["payload"]["evidence"]["media_type"] == "image/png"
    exe = b"MZ\x90\x00" + b"\x00\xff" * 40
    r = c.post("/me/task", params={"lang": "en"}, data=form, files={"evidence_file": ("tool.exe", exe)})
    assert r.status_code == 400 and "type not accepted" in r.text


# -- the reviewer's queue -------------------------------------------------------------------------
def test_review_queue_return_needs_a_comment_and_scopes_hold(base: str) -> None:
    rep, rcsrf = _signed_in(base, "jm-reporter")
    up = rep.post(
        "/me/upload", files={"file": ("q.csv", CSV.replace(b"2017", b"2018"))}, data={"csrf": rcsrf}
    )
    done = rep.post("/me/submit", data={"upload": _upload_id(up.text), "csrf": rcsrf})
    sid = int(re.search(r"done=(\d+)", done.headers["location"]).group(1))  # type: ignore[union-attr]
    rev, csrf = _signed_in(base, "gd-reviewer")
    queue = rev.get("/review", params={"lang": "en"})
    assert queue.status_code == 200 and f'id="review-{sid}"' in queue.text
    section = re.search(rf'<section class="submission" id="review-{sid}">.*?</section>', queue.text, re.S)
    assert section and "draft, not published" in section.group(0) and "90.1" in section.group(0)
    r = rev.post(f"/review/{sid}/decide", params={"lang": "en"}, data={"decision": "return", "csrf": csrf})
    assert r.status_code == 400 and "needs a comment" in r.text
    # a reviewer of another province neither sees nor decides it
    hb, hcsrf = _signed_in(base, "hb-reviewer")
    assert f'id="review-{sid}"' not in hb.get("/review").text
    r = hb.post(f"/review/{sid}/decide", data={"decision": "accept", "csrf": hcsrf})
    assert r.status_code == 403
    # a reporter has no queue
    assert rep.get("/review").status_code == 403
    # publishing before accepting is a conflict; accept then publish works
    assert rev.post(f"/review/{sid}/publish", data={"csrf": csrf}).status_code == 409
    assert rev.post(f"/review/{sid}/decide", data={"decision": "accept", "csrf": csrf}).status_code == 303
    assert rev.post(f"/review/{sid}/publish", data={"csrf": csrf}).status_code == 303
    values = httpx.get(base + "/api/v1/values", params={"plan": PLAN, "region": "440700"}).json()["items"]
    assert [(v["year"], v["value"], v["reviewer"]) for v in values if v["year"] == 2018] == [
        (2018, 90.1, "gd-reviewer")
    ]


# -- the audit page -----------------------------------------------------------------------------
def test_audit_page_for_admins_only_with_filters_and_the_chain_check(base: str) -> None:
    rep, _ = _signed_in(base, "jm-reporter")
    assert rep.get("/audit").status_code == 403
    admin, _ = _signed_in(base, "cn-admin")
    r = admin.get("/audit", params={"lang": "en", "action": "auth."})
    assert r.status_code == 200 and "The hash chain is intact" in r.text
    actions = re.findall(r"<td><code>([^<]+)</code></td>", r.text)
    assert "auth.login" in actions and all(a.startswith("auth.") for a in actions)
    denied = admin.get("/audit", params={"lang": "en", "outcome": "denied"}).text
    outcomes = re.findall(r'<tr class="outcome-(\w+)">', denied)
    assert outcomes and set(outcomes) == {"denied"}
    first = admin.get("/audit", params={"format": "json"}).json()
    after = first["rows"][2]["seq"]
    paged = admin.get("/audit", params={"format": "json", "after": after}).json()
    assert paged["rows"][0]["seq"] == first["rows"][3]["seq"]


# -- every write route ----------------------------------------------------------------------------
def test_web_writes_lists_every_dashboard_write_route(site: tuple[str, Path]) -> None:
    app = create_app(site[1])
    register(app)
    posts = {
        r.path  # type: ignore[attr-defined]
        for r in app.routes
        if getattr(r, "methods", None)
        and set(r.methods) - {"GET", "HEAD"}  # type: ignore[attr-defined]
        and not r.path.startswith("/api/")  # type: ignore[attr-defined]
    }
    assert posts == set(WEB_WRITES)
    assert set(WEB_WRITES.values()) <= {"anonymous", "viewer", "reporter", "reviewer", "admin"}


@pytest.mark.parametrize("path", sorted(p for p, role in WEB_WRITES.items() if role != "anonymous"))
def test_every_web_write_refuses_anonymous_and_a_forged_form(base: str, path: str) -> None:
    url = base + path.replace("{sid}", "1")
    assert httpx.post(url, data={"csrf": "x"}).status_code == 401
    c, _ = _signed_in(base, "cn-admin")
    assert c.post(url, data={"csrf": "forged"}).status_code == 403


# -- pieces ------------------------------------------------------------------------------------------
def test_workspace_due_counts_published_and_pending_values(ep: Ecoplan) -> None:
    ep.people.add_user(Principal.shell(), "jm", PASSWORD, Role.REPORTER, "440700")
    ep.people.add_user(Principal.shell(), "gd", PASSWORD, Role.REVIEWER, "440000")
    jm = ep.people.sign_in("jm", PASSWORD)
    gd = ep.people.sign_in("gd", PASSWORD)
    today = dt.date(2026, 3, 1)
    due = {d["plan"]: d for d in workspace(ep, jm, "en", today)["due"]}
    # the national plans (13th, its 2020 opinion, 14th, the 2024 opinion's plan to 2035 with its
    # 2025 figure due) and Jiangmen's own; not Hebei's, Zhejiang's, Shanghai's or Henan's
    assert set(due) == {"cn-13th-eco", "cn-13th-eco-mee2020", "cn-14th-eco", "cn-beautiful-china-2035", PLAN}
    n = len(ep.definition(PLAN).indicators)
    assert due[PLAN]["year"] == 2020 and len(due[PLAN]["missing"]) == n
    rows = (
        "plan,indicator,region,year,value\n"
        f"{PLAN},air-good-days,440700,2020,91\n{PLAN},air-pm25,440700,2020,30\n"
    )
    s = ep.review.submit_values(jm, "a.csv", rows.encode())
    due = {d["plan"]: d for d in workspace(ep, jm, "en", today)["due"]}[PLAN]
    assert (due["pending"], due["published"], len(due["missing"])) == (2, 0, n - 2)
    assert "air-good-days" not in {m["id"] for m in due["missing"]}
    ep.review.review(gd, s["id"], "return", "PM2.5 looks low")
    space = workspace(ep, jm, "en", today)
    assert [(r["id"], r["comment"]) for r in space["returned"]] == [(s["id"], "PM2.5 looks low")]
    assert len({d["plan"]: d for d in space["due"]}[PLAN]["missing"]) == n  # returned is not pending
    ep.review.resubmit(jm, s["id"], "b.csv", rows.encode())
    ep.review.review(gd, s["id"], "accept")
    ep.review.publish(gd, s["id"])
    due = {d["plan"]: d for d in workspace(ep, jm, "en", today)["due"]}[PLAN]
    assert (due["pending"], due["published"], len(due["missing"])) == (0, 2, n - 2)


def test_upload_cache_binds_the_user_and_expires() -> None:
    now = [0.0]
    cache = UploadCache(ttl=1800, clock=lambda: now[0])
    key = cache.put("jm", "a.csv", b"x")
    assert cache.get("gd", key) is None
    got = cache.get("jm", key)
    assert got is not None and (got.name, got.data) == ("a.csv", b"x")
    now[0] = 1799.0
    assert cache.get("jm", key) is not None
    now[0] = 1800.0
    assert cache.get("jm", key) is None and len(cache) == 0
    other = cache.put("jm", "b.csv", b"y")
    assert other != key
    cache.drop(other)
    assert cache.get("jm", other) is None


@pytest.mark.parametrize("path", ["/login", "/me", "/review", "/audit"])
def test_account_pages_have_no_inline_script_or_style(base: str, path: str) -> None:
    c, _ = _signed_in(base, "cn-admin")
    text = c.get(path).text
    assert "<style" not in text.lower() and re.search(r"\sstyle\s*=", text, re.I) is None
    for inline in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.I | re.S):
        assert not inline.strip()


# -- form entry ---------------------------------------------------------------------------
def test_values_typed_into_the_workspace_go_through_the_files_preview_and_checks(base: str) -> None:
    c, csrf = _signed_in(base, "jm-reporter")
    me = c.get("/me", params={"lang": "en"}).text
    field = re.search(r'name="(v\|jiangmen-13th-eco\|(\d{4})\|air-pm25)"', me)
    assert field, "the workspace offers no field for Jiangmen's PM2.5"
    name, year = field.group(1), field.group(2)
    # a value that is not a number: the values reader's report, naming the form and the field
    bad = c.post(
        "/me/upload", params={"lang": "en"}, data={"csrf": csrf, name: "thirty"}, files={"file": ("", b"")}
    )
    assert bad.status_code == 400 and "not a number" in bad.text and "form entry" in bad.text
    # a formula is refused as in a file
    f = c.post(
        "/me/upload", params={"lang": "en"}, data={"csrf": csrf, name: "=1+29"}, files={"file": ("", b"")}
    )
    assert f.status_code == 400 and "formula" in f.text
    ok = c.post(
        "/me/upload", params={"lang": "en"}, data={"csrf": csrf, name: "29.5"}, files={"file": ("", b"")}
    )
    assert ok.status_code == 200 and "29.5" in ok.text, ok.text[:500]
    r = c.post("/me/submit", params={"lang": "en"}, data={"csrf": csrf, "upload": _upload_id(ok.text)})
    assert r.status_code == 303
    mine = c.get("/api/v1/submissions", params={"mine": "true"}, headers={"X-CSRF-Token": csrf}).json()[
        "items"
    ]
    rows = [
        row for s in mine if s["kind"] == "values" for row in s["payload"] if row["indicator"] == "air-pm25"
    ]
    assert rows == [
        {"indicator": "air-pm25", "region": "440700", "year": int(year), "value": 29.5, "unit": "μg/m³",
         "basis": "level", "source": None, "note": None}
    ]  # fmt: skip
    # without a csrf token nothing is read
    assert c.post("/me/upload", data={name: "29.5"}, files={"file": ("", b"")}).status_code == 403


def test_the_region_page_shows_drafts_to_signed_in_users_of_its_scope_only(base: str) -> None:
    c, csrf = _signed_in(base, "jm-reporter")
    up = c.post("/me/upload", params={"lang": "en"}, data={"csrf": csrf}, files={"file": ("d.csv", CSV)})
    assert up.status_code == 200
    assert c.post("/me/submit", data={"csrf": csrf, "upload": _upload_id(up.text)}).status_code == 303
    inside = c.get("/regions/440700", params={"lang": "en"})
    assert (
        inside.status_code == 200 and 'id="drafts"' in inside.text and "draft, not published" in inside.text
    )
    assert inside.headers["cache-control"].startswith("private")
    twin = c.get("/regions/440700", params={"format": "json"}).json()
    assert any(d["indicator_id"] == "air-good-days" and d["value"] == 90.1 for d in twin["drafts"])
    # anonymous readers, and a reporter of another city, see published values only
    for who in (None, "gz-reporter"):
        other = _client(base) if who is None else _signed_in(base, who)[0]
        page = other.get("/regions/440700", params={"lang": "en"})
        assert page.status_code == 200 and 'id="drafts"' not in page.text
        assert "drafts" not in other.get("/regions/440700", params={"format": "json"}).json()


def test_key_project_progress_from_the_workspace(base: str) -> None:
    admin, admin_csrf = _signed_in(base, "cn-admin")
    plan = admin.get(f"/api/v1/plans/{PLAN}/definition").json()
    name = {"zh": "江门污水处理厂提标", "en": "Sewage plant upgrade"}
    plan["projects"] = [{"id": "jm-sewage-1", "name": name, "region": "440700", "investment": 1.2}]
    r = admin.put(f"/api/v1/plans/{PLAN}", json=plan, headers={"X-CSRF-Token": admin_csrf})
    assert r.status_code == 200 and r.json()["changed"], r.text
    c, csrf = _signed_in(base, "jm-reporter")
    me = c.get("/me", params={"lang": "en"}).text
    assert 'id="project-form"' in me and "Sewage plant upgrade" in me
    bad = c.post("/me/project", params={"lang": "en"},
                 data={"csrf": csrf, "project": f"{PLAN}/jm-sewage-1", "progress": "half"})  # fmt: skip
    assert bad.status_code == 400 and "not a number" in bad.text
    too_much = c.post("/me/project", data={"csrf": csrf, "project": f"{PLAN}/jm-sewage-1", "progress": "140"})
    assert too_much.status_code == 400
    ok = c.post(
        "/me/project",
        data={"csrf": csrf, "project": f"{PLAN}/jm-sewage-1", "progress": "45", "investment": "0.6",
              "milestone": "主体工程完工"},
    )  # fmt: skip
    assert ok.status_code == 303, ok.text[:300]
    mine = c.get("/api/v1/submissions", params={"mine": "true"}).json()["items"]
    payload = next(s["payload"] for s in mine if s["kind"] == "project")
    assert payload == {"project": "jm-sewage-1", "progress_pct": 45.0, "investment": 0.6,
                       "milestone": "主体工程完工", "note": None}  # fmt: skip
    # a reporter of another city cannot report Jiangmen's project
    gz, gz_csrf = _signed_in(base, "gz-reporter")
    assert 'id="project-form"' not in gz.get("/me").text
    refused = gz.post(
        "/me/project", data={"csrf": gz_csrf, "project": f"{PLAN}/jm-sewage-1", "progress": "50"}
    )
    assert refused.status_code == 403


# -- admin forms ----------------------------------------------------------------------------
def test_an_admin_edits_a_plan_as_a_new_version_in_the_browser(base: str) -> None:
    import yaml

    c, csrf = _signed_in(base, "cn-admin")
    form = c.get(f"/manage/plans/{PLAN}", params={"lang": "en"})
    assert form.status_code == 200 and form.headers["cache-control"].startswith("private")
    text = re.search(r'<textarea name="definition"[^>]*>(.*?)</textarea>', form.text, re.S)
    assert text
    import html as _html

    mapping = yaml.safe_load(_html.unescape(text.group(1)))
    assert mapping["id"] == PLAN
    before = c.get(f"/manage/plans/{PLAN}", params={"format": "json"}).json()["version"]
    mapping["title"]["en"] = "Jiangmen 13th eco plan (edited in the browser)"
    r = c.post(
        f"/manage/plans/{PLAN}",
        data={"csrf": csrf, "definition": yaml.safe_dump(mapping, allow_unicode=True)},
    )
    assert r.status_code == 303 and f"saved={before + 1}" in r.headers["location"]
    after = c.get(f"/manage/plans/{PLAN}", params={"format": "json"}).json()
    assert after["version"] == before + 1 and after["versions"][-1]["version"] == before
    assert (
        _client(base).get(f"/api/v1/plans/{PLAN}").json()["title_en"]
        == "Jiangmen 13th eco plan (edited in the browser)"
    )
    # a broken text is refused with its problem, nothing stored
    bad = c.post(
        f"/manage/plans/{PLAN}", params={"lang": "en"}, data={"csrf": csrf, "definition": "id: [unclosed"}
    )
    assert bad.status_code == 400 and "not YAML" in bad.text
    assert c.get(f"/manage/plans/{PLAN}", params={"format": "json"}).json()["version"] == before + 1
    # a reviewer may not, and a Hebei admin would be out of scope
    rv, rv_csrf = _signed_in(base, "gd-reviewer")
    assert rv.get(f"/manage/plans/{PLAN}").status_code == 403
    assert rv.post(f"/manage/plans/{PLAN}", data={"csrf": rv_csrf, "definition": "id: x"}).status_code == 403


def test_an_admin_uploads_decomposed_targets_in_the_browser(base: str) -> None:
    c, csrf = _signed_in(base, "cn-admin")
    assert c.get("/manage/targets", params={"lang": "en"}).status_code == 200
    body = f"plan,indicator,region,year,target\n{PLAN},air-pm25,440703,2020,≤31\n".encode()
    r = c.post("/manage/targets", data={"csrf": csrf}, files={"file": ("t.csv", body)})
    assert r.status_code == 303 and "stored=1" in r.headers["location"]
    rows = _client(base).get(f"/api/v1/plans/{PLAN}/decompositions").json()["items"]
    assert [(x["region"], x["expr"]) for x in rows if x["indicator_id"] == "air-pm25"] == [("440703", "≤31")]
    bad = f"plan,indicator,region,year,target\n{PLAN},air-pm25,440703,2020,很多\n".encode()
    refused = c.post(
        "/manage/targets", params={"lang": "en"}, data={"csrf": csrf}, files={"file": ("b.csv", bad)}
    )
    assert refused.status_code == 400 and "b.csv" in refused.text
    rp, rp_csrf = _signed_in(base, "jm-reporter")
    assert (
        rp.post("/manage/targets", data={"csrf": rp_csrf}, files={"file": ("t.csv", body)}).status_code == 403
    )


def test_the_plan_page_assesses_on_the_latest_submitted_values_for_internal_users_only(base: str) -> None:
    c, csrf = _signed_in(base, "jm-reporter")
    body = f"plan,indicator,region,year,value\n{PLAN},air-pm25,440700,2019,12.5\n".encode()
    up = c.post("/me/upload", data={"csrf": csrf}, files={"file": ("p.csv", body)})
    assert c.post("/me/submit", data={"csrf": csrf, "upload": _upload_id(up.text)}).status_code == 303
    url = f"/plans/{PLAN}"
    q = {"region": "440700", "year": "2019", "format": "json"}

    def pm25(data: dict[str, object]) -> object:
        return next(i["value"] for i in data["indicators"] if i["id"] == "air-pm25")  # type: ignore[attr-defined]

    inside = c.get(url, params={**q, "basis": "submitted"}).json()
    assert inside["basis"] == "submitted" and pm25(inside) == 12.5
    assert c.get(url, params=q).json()["basis"] == "published"
    assert 'id="show-submitted"' in c.get(url, params={"region": "440700", "lang": "en"}).text
    # anonymous readers and other cities ask in vain: published values only
    anon = _client(base).get(url, params={**q, "basis": "submitted"}).json()
    assert anon["basis"] == "published" and pm25(anon) != 12.5
    gz, _ = _signed_in(base, "gz-reporter")
    assert gz.get(url, params={**q, "basis": "submitted"}).json()["basis"] == "published"

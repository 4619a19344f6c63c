"""The permission matrix of every write route, walked from the OpenAPI document (issue #12).

For each route that changes anything (POST, PUT, PATCH, DELETE) the document names the
role it needs (``x-ecoplan-role``); this test proves, against a real server on
127.0.0.1 and a real DuckDB file: anonymous → 401; a token of the right role but of
another region (or of another person, for one's own things) → 403; a viewer → 403 (for
routes above viewer); the right principal → success with exactly one new audit row
(none for a route that declares ``x-ecoplan-audit: false``); and the refusals write
nothing but their own audit row. A write route this file has no case for fails the
test: a new route cannot ship without its row of the matrix.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.plans.serialize import plan_to_mapping
from ecoplan.web import register

JM, ZH, GD = "440700", "440400", "440000"
PLAN = "jiangmen-13th-eco"
PASSWORD = "long-password-1"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_n = itertools.count(1)


def values_csv(value: float = 90.1, year: int = 2017) -> bytes:
    return f"plan,indicator,region,year,value\n{PLAN},air-good-days,{JM},{year},{value}\n".encode()


@dataclass
class World:
    url: str
    ep: Ecoplan
    tokens: dict[str, str]  # who -> bearer token
    principals: dict[str, Principal]

    def submission(self, state: str = "submitted") -> int:
        """A Jiangmen reporter's submission, moved to ``state`` by the Guangdong reviewer."""
        ep, p = self.ep, self.principals
        s = ep.review.submit_values(p["jm_reporter"], "v.csv", values_csv(80 + next(_n) % 10))
        if state in ("returned", "accepted"):
            ep.review.review(p["gd_reviewer"], s["id"], "return" if state == "returned" else "accept", "fix")
        return int(s["id"])

    def audit_rows(self) -> int:
        with self.ep.reader() as r:
            return int(r.catalog.con.execute("SELECT count(*) FROM audit_log").fetchone()[0])

    def footprint(self) -> tuple[int, ...]:
        """Counts of every table a write route may change, except the audit log."""
        tables = (
            "users", "api_tokens", "web_sessions", "submissions", "submission_events", "evidence_files",
            "subscriptions", "plan_versions", "value_revisions", "target_decompositions", "task_status",
            "project_progress", "risk_incidents", "risk_incident_reports",
        )  # fmt: skip
        with self.ep.reader() as r:
            con = r.catalog.con
            changed = (
                con.execute("SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL").fetchone()[0]
                + con.execute("SELECT count(*) FROM users WHERE disabled").fetchone()[0]
            )
            return (
                *(int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables),
                int(changed),
            )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    db = tmp_path_factory.mktemp("perm") / "perm.duckdb"
    app = create_app(db)
    register(app)
    ep: Ecoplan = app.state.store.app()
    ep.init()
    shell = Principal.shell()
    people = {
        "jm_reporter": ("reporter", JM),
        "jm_viewer": ("viewer", JM),
        "zh_reporter": ("reporter", ZH),
        "zh_viewer": ("viewer", ZH),
        "gd_reviewer": ("reviewer", GD),
        "zh_reviewer": ("reviewer", ZH),
        "gd_admin": ("admin", GD),
        "zh_admin": ("admin", ZH),
    }
    tokens, principals = {}, {}
    for name, (role, region) in people.items():
        ep.people.add_user(shell, name.replace("_", "-"), PASSWORD, role, region)
        _, text = ep.people.issue_token(shell, user=name.replace("_", "-"), days=2)
        tokens[name] = text
        principals[name] = Principal(name.replace("_", "-"), Role(role), region, via="token")
    # a key project of Jiangmen, so that project progress can be reported
    mapping = plan_to_mapping(ep.definition(PLAN))
    mapping["projects"] = [
        {
            "id": "jm-sewage-1",
            "name": {"zh": "江门污水处理厂提标", "en": "Sewage plant upgrade"},
            "region": JM,
            "investment": 1.2,
        }
    ]
    ep.editing.edit_plan(shell, PLAN, mapping)
    with serving(app) as url:
        yield World(url, ep, tokens, principals)


# -- one case per write route: who is right, who is of another region, and the request ------
Build = Callable[[World, str], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Case:
    right: str  # the principal that succeeds
    other: str | None  # the right role, another region (or another person): 403
    build: Build  # (url, httpx kwargs) for the principal named
    status: int = 200
    other_status: int = 403  # 404: another person's thing is invisible (one's own subscriptions)


def _plan_edit(w: World, who: str) -> tuple[str, dict[str, Any]]:
    m = plan_to_mapping(w.ep.definition(PLAN))
    m["title"] = {**m["title"], "en": f"Jiangmen 13th eco plan (edit {next(_n)})"}
    return f"/api/v1/plans/{PLAN}", {"json": m}


def _decomposition(w: World, who: str) -> tuple[str, dict[str, Any]]:
    body = f"plan,indicator,region,year,target\n{PLAN},air-pm25,440703,2020,≤{30 + next(_n) % 5}\n"
    return "/api/v1/decompositions", {"files": {"file": ("d.csv", body.encode())}}


def _new_token_of(w: World, user: str) -> str:
    rec, _ = w.ep.people.issue_token(Principal.shell(), user=user, days=1)
    return str(rec["id"])


def _user_in_jiangmen(w: World) -> str:
    return str(w.ep.people.add_user(Principal.shell(), f"jm-old-{next(_n)}", PASSWORD, "viewer", JM)["name"])


def _incident(w: World, who: str) -> tuple[str, dict[str, Any]]:
    """A new incident each time (its time differs) in Jiangmen."""
    t = dt.datetime(2025, 1, 1) + dt.timedelta(minutes=next(_n))
    body = {"region": JM, "time": f"{t:%Y-%m-%d %H:%M}", "place": {"lon": 113.08, "lat": 22.58},
            "release": {"rate_g_s": 300}, "weather": {"wind_m_s": 3, "stability": "D"}, "loc": {"red": 770}}
    return "/api/v1/risk/incidents", {"json": body}


def _incident_report(w: World, who: str) -> tuple[str, dict[str, Any]]:
    data = dict(_incident(w, who)[1]["json"])
    iid = w.ep.risk.record_incident(data, region=data.pop("region"))["incident_id"]
    return f"/api/v1/risk/incidents/{iid}/reports", {"json": {"kind": "initial", "at": "2025-06-03 09:30"}}


def _subscription_of(w: World, who: str) -> int:
    p = w.principals["jm_viewer"]
    return int(w.ep.notify.subscribe(p, region=JM, kinds=["warning"], email="jm@example.org")["id"])


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/submissions/values/preview"): Case(
        "jm_reporter", "zh_reporter",
        lambda w, who: ("/api/v1/submissions/values/preview", {"files": {"file": ("v.csv", values_csv())}}),
    ),
    ("POST", "/api/v1/submissions/values"): Case(
        "jm_reporter", "zh_reporter",
        lambda w, who: ("/api/v1/submissions/values", {"files": {"file": ("v.csv", values_csv())}}), 201,
    ),
    ("PUT", "/api/v1/submissions/{sid}/values"): Case(
        "jm_reporter", "zh_reporter",
        lambda w, who: (
            f"/api/v1/submissions/{w.submission('returned')}/values",
            {"files": {"file": ("v2.csv", values_csv(91.5))}},
        ),
    ),
    ("POST", "/api/v1/submissions/tasks"): Case(
        "jm_reporter", "zh_reporter",
        lambda w, who: (
            "/api/v1/submissions/tasks",
            {"data": {"plan": PLAN, "task": w.ep.definition(PLAN).tasks[0].id, "status": "in_progress",
                      "evidence_link": "https://www.jiangmen.gov.cn/"}},
        ), 201,
    ),
    ("POST", "/api/v1/submissions/projects"): Case(
        "jm_reporter", "zh_reporter",
        lambda w, who: (
            "/api/v1/submissions/projects",
            {"json": {"plan": PLAN, "project": "jm-sewage-1", "progress_pct": 40, "investment": 0.5}},
        ), 201,
    ),
    ("POST", "/api/v1/submissions/{sid}/review"): Case(
        "gd_reviewer", "zh_reviewer",
        lambda w, who: (f"/api/v1/submissions/{w.submission()}/review", {"json": {"decision": "accept"}}),
    ),
    ("POST", "/api/v1/submissions/{sid}/publish"): Case(
        "gd_reviewer", "zh_reviewer",
        lambda w, who: (f"/api/v1/submissions/{w.submission('accepted')}/publish", {}),
    ),
    ("POST", "/api/v1/submissions/{sid}/withdraw"): Case(
        "jm_reporter", "zh_reporter",
        lambda w, who: (f"/api/v1/submissions/{w.submission()}/withdraw", {}),
    ),
    ("PUT", "/api/v1/plans/{plan_id}"): Case("gd_admin", "zh_admin", _plan_edit),
    ("POST", "/api/v1/decompositions"): Case("gd_admin", "zh_admin", _decomposition),
    ("POST", "/api/v1/users"): Case(
        "gd_admin", "zh_admin",
        lambda w, who: ("/api/v1/users", {"json": {"name": f"jm-new-{next(_n)}", "password": PASSWORD,
                                                    "role": "reporter", "region": JM}}), 201,
    ),
    ("POST", "/api/v1/users/{name}/disable"): Case(
        "gd_admin", "zh_admin",
        lambda w, who: (f"/api/v1/users/{_user_in_jiangmen(w)}/disable", {}),
    ),
    ("POST", "/api/v1/tokens"): Case(
        "jm_viewer", None, lambda w, who: ("/api/v1/tokens", {"json": {"days": 7, "label": "bot"}}), 201
    ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Case(
        "jm_viewer", "zh_viewer", lambda w, who: (f"/api/v1/tokens/{_new_token_of(w, 'jm-viewer')}", {})
    ),
    ("POST", "/api/v1/me/subscriptions"): Case(
        "jm_viewer", "zh_viewer",
        lambda w, who: ("/api/v1/me/subscriptions", {"json": {"region": JM, "email": "jm@example.org"}}), 201,
    ),
    ("POST", "/api/v1/risk/incidents"): Case("jm_reporter", "zh_reporter", _incident, 201),
    ("POST", "/api/v1/risk/incidents/{incident_id}/reports"): Case(
        "jm_reporter", "zh_reporter", _incident_report, 201
    ),
    ("DELETE", "/api/v1/me/subscriptions/{id}"): Case(
        "jm_viewer", "zh_viewer",
        lambda w, who: (f"/api/v1/me/subscriptions/{_subscription_of(w, who)}", {}), 204,
        other_status=404,
    ),
}  # fmt: skip

#: Routes outside the token matrix, each proved by its own test below.
SPECIAL = {("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/logout")}


def write_routes(app: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Every unsafe operation of the OpenAPI document, with its operation object."""
    out = {}
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            if method.upper() in UNSAFE:
                out[(method.upper(), path)] = op
    return out


def test_every_write_route_has_a_role_and_a_case() -> None:
    app = create_app(":memory:")
    register(app)
    routes = write_routes(app)
    assert routes, "no write route found in the OpenAPI document"
    missing_role = [
        k
        for k, op in routes.items()
        if op.get("x-ecoplan-role") not in {r.value for r in Role} | {"anonymous"}
    ]
    assert not missing_role, f"write routes without x-ecoplan-role: {missing_role}"
    uncovered = set(routes) - set(CASES) - SPECIAL
    assert not uncovered, f"write routes with no row in the permission matrix: {sorted(uncovered)}"
    stale = (set(CASES) | SPECIAL) - set(routes)
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"
    # hidden routes (the dashboard's forms) are proved by the web tests: none may hide in the API
    hidden_api = [
        r.path for r in app.routes
        if isinstance(r, APIRoute) and not r.include_in_schema
        and r.path.startswith("/api/") and r.methods & UNSAFE
    ]  # fmt: skip
    assert not hidden_api


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: f"{k[0]} {k[1]}")
def test_the_matrix(world: World, key: tuple[str, str]) -> None:
    case = CASES[key]
    app = create_app(":memory:")
    role = Role(write_routes(app)[key]["x-ecoplan-role"])
    audited = write_routes(app)[key].get("x-ecoplan-audit", True)
    with httpx.Client(base_url=world.url, timeout=30) as http:

        def attempt(who: str | None, status: int, audit_rows: int) -> httpx.Response:
            """Build the request (its set-up may write), then send it as ``who`` and check
            the status, that only ``audit_rows`` audit rows were added and, for a refusal,
            that nothing else was written."""
            url, kw = case.build(world, who or "anonymous")
            before, rows = world.footprint(), world.audit_rows()
            headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
            r = http.request(key[0], url, headers=headers, **kw)
            assert r.status_code == status, r.text
            assert world.audit_rows() == rows + audit_rows
            if status >= 400:
                assert world.footprint() == before, "a refused write changed the store"
            elif audited:
                assert world.footprint() != before, "a successful write changed nothing"
            else:
                assert world.footprint() == before
            return r

        r = attempt(None, 401, 0)
        assert r.headers["www-authenticate"].startswith("Bearer")
        if case.other is not None:  # the right role of another region, or another person's thing
            refused = attempt(case.other, case.other_status, 1 if case.other_status == 403 else 0)
            assert refused.json()["error"]["code"] == (
                "forbidden" if case.other_status == 403 else "not_found"
            )
        if role is not Role.VIEWER:  # a viewer of the right region
            attempt("jm_viewer", 403, 1)
        rows = world.audit_rows()
        attempt(case.right, case.status, 1 if audited else 0)
        if audited:
            with world.ep.reader() as rd:
                last = rd.audit.rows(Principal.shell(), after_seq=world.audit_rows() - 1)
            assert [(x["actor"], x["outcome"]) for x in last] == [(case.right.replace("_", "-"), "ok")]
            assert last[0]["seq"] > rows


def test_sign_in_and_out_with_a_session(world: World) -> None:
    with httpx.Client(base_url=world.url, timeout=30) as http:
        rows = world.audit_rows()
        r = http.post("/api/v1/auth/login", json={"name": "jm-viewer", "password": "wrong password"})
        assert r.status_code == 401
        unknown = http.post("/api/v1/auth/login", json={"name": "nobody-here", "password": "wrong password"})
        assert (
            unknown.status_code == 401 and unknown.json()["error"]["message"] == r.json()["error"]["message"]
        )
        assert world.audit_rows() == rows + 2
        r = http.post("/api/v1/auth/login", json={"name": "jm-viewer", "password": PASSWORD})
        assert r.status_code == 200 and world.audit_rows() == rows + 3
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
        csrf = r.json()["csrf"]
        assert http.get("/api/v1/me").json()["user"] == "jm-viewer"
        # a write of the session without its CSRF token: 403 and an audit row
        r = http.post("/api/v1/tokens", json={"days": 1})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert world.audit_rows() == rows + 4
        assert (
            http.post("/api/v1/tokens", json={"days": 1}, headers={"X-CSRF-Token": "x" * 43}).status_code
            == 403
        )
        r = http.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200
        # the ended session is anonymous for reads and refused for writes
        http.cookies.set("ecoplan_session", cookie.split(";")[0].split("=", 1)[1])
        assert http.get("/api/v1/me").status_code == 401
        assert http.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 401


def test_expired_revoked_and_malformed_tokens_are_refused_and_audited(world: World) -> None:
    ep, shell = world.ep, Principal.shell()
    rec, text = ep.people.issue_token(shell, user="jm-reporter", days=1)
    ep.people.revoke_token(shell, rec["id"])
    expired_rec, expired = ep.people.issue_token(shell, user="jm-reporter", days=1)
    with ep.writer() as w:
        w.catalog.con.execute(
            "UPDATE api_tokens SET expires_at = TIMESTAMP '2020-01-01' WHERE id = ?", [expired_rec["id"]]
        )
    with httpx.Client(base_url=world.url, timeout=30) as http:
        for token, word in ((text, "revoked"), (expired, "expired"), ("ecp_nonsense", "not valid")):
            rows = world.audit_rows()
            r = http.post(
                "/api/v1/submissions/values",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": ("v.csv", values_csv())},
            )
            assert r.status_code == 401 and word in r.json()["error"]["message"]
            assert world.audit_rows() == rows + 1


def test_a_reviewer_cannot_review_their_own_submission(world: World) -> None:
    ep = world.ep
    # a Guangdong reviewer may report too (roles include the lower ones) ...
    s = ep.review.submit_values(world.principals["gd_reviewer"], "own.csv", values_csv(88.8, 2016))
    rows = world.audit_rows()
    with httpx.Client(base_url=world.url, timeout=30) as http:
        r = http.post(
            f"/api/v1/submissions/{s['id']}/review",
            json={"decision": "accept"},
            headers={"Authorization": f"Bearer {world.tokens['gd_reviewer']}"},
        )
    assert r.status_code == 403 and "own" in r.json()["error"]["message"]
    assert world.audit_rows() == rows + 1
    assert ep.review.get(world.principals["gd_reviewer"], s["id"])["state"] == "submitted"


@pytest.mark.parametrize(
    "name, body, why",
    [
        ("f.xlsx", None, "formula"),
        (
            "f.csv",
            f"plan,indicator,region,year,value\n{PLAN},air-good-days,{JM},2017,=1+1\n".encode(),
            "formula",
        ),
        ("f.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
        ("big.csv", b"plan,indicator,region,year,value\n" + b"x" * 5_000_100, "limit"),
        ("bad.csv", f"plan,indicator,region,year,value\n{PLAN},air-good-days,4407,2017,90\n".encode(), "six"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_error_and_an_audit_row(
    world: World, tmp_path: Any, name: str, body: bytes | None, why: str
) -> None:
    if body is None:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["plan", "indicator", "region", "year", "value"])
        ws.append([PLAN, "air-good-days", JM, 2017, "=80+10"])
        wb.save(tmp_path / name)
        body = (tmp_path / name).read_bytes()
    before, rows = world.footprint(), world.audit_rows()
    with httpx.Client(base_url=world.url, timeout=60) as http:
        r = http.post(
            "/api/v1/submissions/values",
            files={"file": (name, body)},
            headers={"Authorization": f"Bearer {world.tokens['jm_reporter']}"},
        )
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert name in err["message"] and why in err["message"] + str(err["details"])
    assert world.footprint() == before
    assert world.audit_rows() == rows + 1


def test_a_submission_id_beyond_32_bits_is_a_422_not_a_server_error(world: World) -> None:
    """Found by schemathesis: an id the database cannot hold reached the query (a 500)."""
    big = "301422809096992858110994438357314961408"
    headers = {"Authorization": f"Bearer {world.tokens['gd_reviewer']}"}
    with httpx.Client(base_url=world.url, timeout=30, headers=headers) as http:
        assert http.get(f"/api/v1/submissions/{big}").status_code == 422
        assert http.post(f"/api/v1/submissions/{big}/publish").status_code == 422
        assert http.get("/api/v1/submissions/0").status_code == 422

"""``ep.people`` (issue #12) on a real DuckDB file: accounts, sign-in, tokens, sessions.

The accounts are made once for the module (argon2 costs tens of milliseconds per hash);
a test that disables, demotes or re-passwords someone makes its own account.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest

from ecoplan.app import Ecoplan
from ecoplan.app.people import MAX_TOKEN_DAYS, token_parts
from ecoplan.core.access import NATION, Principal, Role
from ecoplan.core.errors import Conflict, EcoplanError, Forbidden, NotFound, Unauthorized

PASSWORD = "long-password-1"
SHELL = Principal.shell()
JM, PJ, GD, ZH = "440700", "440703", "440000", "440400"  # Jiangmen, Pengjiang, Guangdong, Zhuhai
_n = itertools.count(1)


@pytest.fixture(scope="module")
def ep(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecoplan]:
    app = Ecoplan(tmp_path_factory.mktemp("people") / "people.duckdb")
    app.init()
    first = app.people.ensure_admin("root", PASSWORD)
    assert first is True
    for name, role, region in [
        ("gd-admin", "admin", GD),
        ("jm-admin", "admin", JM),
        ("jm-reporter", "reporter", JM),
        ("gd-reviewer", "reviewer", GD),
        ("zh-reporter", "reporter", ZH),
    ]:
        app.people.add_user(SHELL, name, PASSWORD, role, region)
    yield app
    app.close()


def who(ep: Ecoplan, name: str) -> Principal:
    u = ep.people.user(name)
    return Principal(name, Role(u["role"]), u["region"])


def fresh_user(ep: Ecoplan, role: str = "reporter", region: str = JM) -> str:
    name = f"u{next(_n)}-{role}"
    ep.people.add_user(SHELL, name, PASSWORD, role, region)
    return name


def last_audit(ep: Ecoplan) -> dict[str, Any]:
    return ep.audit.rows(SHELL, limit=None)[-1]


def one(ep: Ecoplan, sql: str, args: list[Any]) -> Any:
    row = ep.catalog.con.execute(sql, args).fetchone()
    assert row is not None
    return row[0]


# -- accounts --------------------------------------------------------------------------------
def test_ensure_admin_only_on_an_empty_store(ep: Ecoplan) -> None:
    assert ep.people.ensure_admin("root2", PASSWORD) is False
    assert ep.people.user("root")["role"] == "admin"
    assert ep.people.user("root")["region"] == NATION
    with pytest.raises(NotFound):
        ep.people.user("root2")


def test_a_password_is_stored_as_argon2id_only(ep: Ecoplan) -> None:
    stored = one(ep, "SELECT password_hash FROM users WHERE name = 'jm-reporter'", [])
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "password_hash" not in ep.people.user("jm-reporter")
    assert all("password_hash" not in u for u in ep.people.users())


def test_add_user_audited_with_what_was_made(ep: Ecoplan) -> None:
    ep.people.add_user(
        who(ep, "jm-admin"), "pj-viewer", PASSWORD, "viewer", PJ, display="蓬江", email="a@b.cn"
    )
    row = last_audit(ep)
    assert (row["actor"], row["action"], row["target"], row["region"], row["outcome"]) == (
        "jm-admin",
        "user.add",
        "pj-viewer",
        PJ,
        "ok",
    )
    assert row["after"] == {"role": "viewer", "region": PJ, "display": "蓬江", "email": "a@b.cn"}
    assert ep.people.user("pj-viewer")["created_by"] == "jm-admin"


@pytest.mark.parametrize(
    ("actor", "region", "error"),
    [
        ("jm-admin", ZH, Forbidden),  # another city
        ("jm-admin", GD, Forbidden),  # the province above
        ("gd-reviewer", GD, Forbidden),  # not an admin
        ("jm-reporter", JM, Forbidden),
    ],
)
def test_add_user_out_of_scope_or_role_is_refused_and_audited(
    ep: Ecoplan, actor: str, region: str, error: type[Exception]
) -> None:
    name = f"nobody{next(_n)}"
    with pytest.raises(error):
        ep.people.add_user(who(ep, actor), name, PASSWORD, "viewer", region)
    row = last_audit(ep)
    assert (row["actor"], row["action"], row["outcome"]) == (actor, "user.add", "denied")
    assert one(ep, "SELECT count(*) FROM users WHERE name = ?", [name]) == 0


def test_add_user_bad_input(ep: Ecoplan) -> None:
    with pytest.raises(Conflict):
        ep.people.add_user(SHELL, "jm-reporter", PASSWORD, "viewer", JM)
    with pytest.raises(NotFound):
        ep.people.add_user(SHELL, "x-unknown-region", PASSWORD, "viewer", "999999")
    for bad in ("A", "Jiang Men", "x", "-dash", "a/b", "名字"):
        with pytest.raises(EcoplanError):
            ep.people.add_user(SHELL, bad, PASSWORD, "viewer", JM)
    with pytest.raises(EcoplanError) as info:
        ep.people.add_user(SHELL, "short-pw", "123456789", "viewer", JM)
    assert info.value.key == "access.error.short_password"
    with pytest.raises(ValueError):
        ep.people.add_user(SHELL, "bad-role", PASSWORD, "superuser", JM)
    names = {u["name"] for u in ep.people.users()}
    assert not names & {"x-unknown-region", "short-pw", "bad-role", "x"}


# -- sign-in -----------------------------------------------------------------------------------
def test_sign_in(ep: Ecoplan) -> None:
    p = ep.people.sign_in("gd-reviewer", PASSWORD, source="127.0.0.9")
    assert (p.user, p.role, p.region, p.via, p.source) == (
        "gd-reviewer",
        Role.REVIEWER,
        GD,
        "session",
        "127.0.0.9",
    )
    row = last_audit(ep)
    assert (row["actor"], row["action"], row["outcome"], row["source"]) == (
        "gd-reviewer",
        "auth.login",
        "ok",
        "127.0.0.9",
    )


def test_unknown_wrong_and_disabled_get_the_same_answer(ep: Ecoplan) -> None:
    name = fresh_user(ep)
    ep.people.set_disabled(SHELL, name)
    answers = []
    for user, pw in [("no-such-user", PASSWORD), ("jm-reporter", PASSWORD + "x"), (name, PASSWORD)]:
        with pytest.raises(Unauthorized) as info:
            ep.people.sign_in(user, pw)
        answers.append((info.value.key, str(info.value), info.value.message("zh")))
        row = last_audit(ep)
        assert (row["action"], row["outcome"], row["target"]) == ("auth.login", "denied", user)
    assert answers[0] == answers[1] == answers[2]
    # the unknown name is no actor (it is nobody); the known ones are
    denied = ep.audit.rows(SHELL, action="auth.login", outcome="denied", limit=None)[-3:]
    assert [r["actor"] for r in denied] == [None, "jm-reporter", name]


def test_set_password(ep: Ecoplan) -> None:
    name = fresh_user(ep)
    me = who(ep, name)
    ep.people.set_password(me, name, "a-new-password")
    with pytest.raises(Unauthorized):
        ep.people.sign_in(name, PASSWORD)
    assert ep.people.sign_in(name, "a-new-password").user == name
    with pytest.raises(Forbidden):  # another reporter's password
        ep.people.set_password(who(ep, "jm-reporter"), name, "taken-over-1")
    with pytest.raises(Forbidden):  # an admin of another city
        ep.people.set_password(who(ep, "jm-admin"), "zh-reporter", "taken-over-1")
    with pytest.raises(EcoplanError):
        ep.people.set_password(me, name, "short")
    ep.people.set_password(who(ep, "jm-admin"), name, "reset-by-admin")
    assert ep.people.sign_in(name, "reset-by-admin").user == name
    row = ep.audit.rows(SHELL, action="user.password", limit=None)[-1]
    assert (row["actor"], row["target"]) == ("jm-admin", name)
    assert "reset-by-admin" not in str(row)


# -- tokens ------------------------------------------------------------------------------------
def test_a_token_is_shown_once_and_stored_as_sha256(ep: Ecoplan) -> None:
    rec, text = ep.people.issue_token(who(ep, "jm-reporter"), label="ci")
    m = re.fullmatch(r"ecp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})", text)
    assert m and m[1] == rec["id"] and token_parts(text) == (m[1], m[2])
    stored = one(ep, "SELECT secret_hash FROM api_tokens WHERE id = ?", [rec["id"]])
    assert stored == hashlib.sha256(m[2].encode()).hexdigest()
    row = ep.catalog.con.execute("SELECT * FROM api_tokens WHERE id = ?", [rec["id"]]).fetchone()
    assert m[2] not in str(row)
    assert "secret_hash" not in rec
    assert (rec["role"], rec["region"], rec["label"]) == ("reporter", JM, "ci")
    days = (rec["expires_at"] - rec["created_at"]).days
    assert days == 90
    p = ep.people.principal_for_token(text, source="10.0.0.1")
    assert (p.user, p.role, p.region, p.via, p.token_id, p.source) == (
        "jm-reporter",
        Role.REPORTER,
        JM,
        "token",
        rec["id"],
        "10.0.0.1",
    )
    audit = last_audit(ep)
    assert (audit["action"], audit["target"]) == ("token.issue", rec["id"])
    assert m[2] not in str(audit)


def test_bad_tokens(ep: Ecoplan) -> None:
    _, text = ep.people.issue_token(who(ep, "jm-reporter"))
    tid, secret = text.split("_")[1], text.split("_", 2)[2]
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for bad in (
        "",
        "ecp_",
        f"ecp_{tid}_{wrong}",
        f"ecp_{'0' * 12}_{secret}",
        f"ecp_{tid}_{secret}x",
        text.replace("ecp_", "ecq_"),
        f"Bearer {text}",
    ):
        with pytest.raises(Unauthorized):
            ep.people.principal_for_token(bad)
    assert ep.people.principal_for_token(f"  {text}\n").user == "jm-reporter"


def test_a_token_is_never_wider_than_its_owner(ep: Ecoplan) -> None:
    rep = who(ep, "jm-reporter")
    for kw in ({"role": "reviewer"}, {"role": "admin"}, {"region": GD}, {"region": ZH}, {"region": NATION}):
        with pytest.raises(Forbidden):
            ep.people.issue_token(rep, **kw)  # type: ignore[arg-type]
        row = last_audit(ep)
        assert (row["action"], row["outcome"]) == ("token.issue", "denied")
    # narrower is fine: a viewer token of a county
    _, text = ep.people.issue_token(rep, role="viewer", region=PJ)
    p = ep.people.principal_for_token(text)
    assert (p.role, p.region) == (Role.VIEWER, PJ)
    # ... and the admin issuing for an owner is bound by the owner, too
    with pytest.raises(Forbidden):
        ep.people.issue_token(SHELL, user="jm-reporter", role="admin")


def test_a_narrow_token_cannot_mint_a_wider_one(ep: Ecoplan) -> None:
    _, text = ep.people.issue_token(who(ep, "jm-reporter"), role="viewer", region=PJ)
    narrow = ep.people.principal_for_token(text)
    for kw in ({"role": "reporter"}, {"region": JM}, {"role": "reporter", "region": PJ}):
        with pytest.raises(Forbidden):
            ep.people.issue_token(narrow, **kw)  # type: ignore[arg-type]
        assert last_audit(ep)["outcome"] == "denied"
    # by default, and when asked for the same, the new token is as narrow as the one asking
    for kw in ({}, {"role": "viewer", "region": PJ}):
        rec, _ = ep.people.issue_token(narrow, **kw)  # type: ignore[arg-type]
        assert (rec["role"], rec["region"]) == ("viewer", PJ)


def test_who_may_issue_for_whom(ep: Ecoplan) -> None:
    with pytest.raises(Forbidden):  # a reviewer for someone else
        ep.people.issue_token(who(ep, "gd-reviewer"), user="jm-reporter")
    with pytest.raises(Forbidden):  # an admin of another city
        ep.people.issue_token(who(ep, "jm-admin"), user="zh-reporter")
    rec, _ = ep.people.issue_token(who(ep, "gd-admin"), user="zh-reporter", days=1)
    assert rec["user_name"] == "zh-reporter"
    for days in (0, -1, MAX_TOKEN_DAYS + 1):
        with pytest.raises(EcoplanError):
            ep.people.issue_token(who(ep, "jm-reporter"), days=days)
    with pytest.raises(NotFound):
        ep.people.issue_token(SHELL, user="nobody-at-all")
    with pytest.raises(NotFound):
        ep.people.issue_token(who(ep, "jm-reporter"), region="999999")


def test_expired_and_revoked_tokens_are_dead(ep: Ecoplan) -> None:
    rec, text = ep.people.issue_token(who(ep, "jm-reporter"), days=1)
    ep.catalog.con.execute(
        "UPDATE api_tokens SET expires_at = created_at - INTERVAL 1 SECOND WHERE id = ?", [rec["id"]]
    )
    with pytest.raises(Unauthorized) as info:
        ep.people.principal_for_token(text)
    assert info.value.key == "access.error.expired_token"
    rec, text = ep.people.issue_token(who(ep, "jm-reporter"))
    with pytest.raises(Forbidden):  # someone else's token
        ep.people.revoke_token(who(ep, "zh-reporter"), rec["id"])
    with pytest.raises(Forbidden):  # an admin of another city
        ep.people.revoke_token(Principal("zh-admin", Role.ADMIN, ZH), rec["id"])
    assert ep.people.principal_for_token(text).user == "jm-reporter"
    ep.people.revoke_token(who(ep, "jm-reporter"), rec["id"])
    with pytest.raises(Unauthorized) as info:
        ep.people.principal_for_token(text)
    assert info.value.key == "access.error.revoked_token"
    n = len(ep.audit.rows(SHELL, action="token.revoke", limit=None))
    ep.people.revoke_token(who(ep, "jm-reporter"), rec["id"])  # again: nothing more
    assert len(ep.audit.rows(SHELL, action="token.revoke", limit=None)) == n
    with pytest.raises(NotFound):
        ep.people.revoke_token(SHELL, "0123456789ab")


def test_a_disabled_owner_kills_tokens_and_sessions(ep: Ecoplan) -> None:
    name = fresh_user(ep)
    _, text = ep.people.issue_token(who(ep, name))
    sid, _ = ep.people.open_session(ep.people.sign_in(name, PASSWORD))
    assert ep.people.principal_for_token(text).user == name
    assert ep.people.session(sid)[0].user == name
    ep.people.set_disabled(who(ep, "jm-admin"), name)
    with pytest.raises(Unauthorized):
        ep.people.principal_for_token(text)
    with pytest.raises(Unauthorized):
        ep.people.session(sid)
    with pytest.raises(Forbidden):
        ep.people.issue_token(SHELL, user=name)
    disable = ep.audit.rows(SHELL, action="user.disable", limit=None)[-1]
    assert (disable["actor"], disable["target"], disable["before"], disable["after"]) == (
        "jm-admin",
        name,
        {"disabled": False},
        {"disabled": True},
    )
    # enabling again: the old session stays ended
    ep.people.set_disabled(who(ep, "jm-admin"), name, False)
    with pytest.raises(Unauthorized):
        ep.people.session(sid)
    with pytest.raises(Forbidden):  # an admin of another city cannot disable a Jiangmen account
        ep.people.set_disabled(Principal("zh-admin", Role.ADMIN, ZH), name)
    assert ep.people.user(name)["disabled"] is False


def test_a_demoted_owner_narrows_the_token(ep: Ecoplan) -> None:
    name = fresh_user(ep, "reviewer", GD)
    _, text = ep.people.issue_token(who(ep, name))
    assert ep.people.principal_for_token(text).role is Role.REVIEWER
    ep.catalog.con.execute("UPDATE users SET role = 'viewer' WHERE name = ?", [name])
    assert ep.people.principal_for_token(text).role is Role.VIEWER
    # moved to a smaller scope: a token of the old, wider region is dead
    ep.catalog.con.execute("UPDATE users SET region = ? WHERE name = ?", [JM, name])
    with pytest.raises(Unauthorized):
        ep.people.principal_for_token(text)


def test_token_listing(ep: Ecoplan) -> None:
    zh_rec, _ = ep.people.issue_token(who(ep, "zh-reporter"), label="zh-list")
    mine = ep.people.tokens(who(ep, "zh-reporter"))
    assert zh_rec["id"] in {t["id"] for t in mine} and {t["user_name"] for t in mine} == {"zh-reporter"}
    assert all("secret_hash" not in t for t in mine)
    with pytest.raises(Forbidden):
        ep.people.tokens(who(ep, "jm-reporter"), "zh-reporter")
    seen = {t["id"] for t in ep.people.tokens(who(ep, "jm-admin"), "*")}
    assert zh_rec["id"] not in seen
    assert zh_rec["id"] in {t["id"] for t in ep.people.tokens(who(ep, "gd-admin"), "*")}


# -- sessions ----------------------------------------------------------------------------------
def test_sessions(ep: Ecoplan) -> None:
    p = ep.people.sign_in("jm-reporter", PASSWORD, source="127.0.0.1")
    sid, csrf = ep.people.open_session(p)
    assert len(sid) >= 43 and len(csrf) >= 43 and sid != csrf
    stored = ep.catalog.con.execute(
        "SELECT id_hash, created_at, expires_at FROM web_sessions WHERE user_name = 'jm-reporter' "
        "ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    assert stored is not None
    assert stored[0] == hashlib.sha256(sid.encode()).hexdigest()
    assert (stored[2] - stored[1]).total_seconds() == 12 * 3600
    back, back_csrf = ep.people.session(sid)
    assert (back.user, back.role, back.region, back.via, back_csrf) == (
        "jm-reporter",
        Role.REPORTER,
        JM,
        "session",
        csrf,
    )
    for bad in ("", sid + "x", stored[0]):
        with pytest.raises(Unauthorized):
            ep.people.session(bad)
    ep.people.close_session(sid, back)
    with pytest.raises(Unauthorized):
        ep.people.session(sid)
    assert last_audit(ep)["action"] == "auth.logout"


def test_a_session_follows_its_owner(ep: Ecoplan) -> None:
    name = fresh_user(ep, "reviewer", GD)
    sid, _ = ep.people.open_session(who(ep, name))
    assert ep.people.session(sid)[0].role is Role.REVIEWER
    ep.catalog.con.execute("UPDATE users SET role = 'viewer', region = ? WHERE name = ?", [JM, name])
    p, _ = ep.people.session(sid)
    assert (p.role, p.region) == (Role.VIEWER, JM)


def test_an_expired_session_is_dead(ep: Ecoplan) -> None:
    sid, _ = ep.people.open_session(who(ep, "gd-reviewer"))
    h = hashlib.sha256(sid.encode()).hexdigest()
    ep.catalog.con.execute("UPDATE web_sessions SET expires_at = created_at WHERE id_hash = ?", [h])
    with pytest.raises(Unauthorized):
        ep.people.session(sid)

"""``ecoplan users|tokens|audit`` (issue #12) through Typer's runner on a temporary --db.

What a command did is read back through ``ecoplan.app.Ecoplan`` (a sign-in with the
password, the token's principal, the audit rows), not from the command's own words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.core.access import Role
from ecoplan.core.errors import Unauthorized
from ecoplan.core.words import word

runner = CliRunner()
PASSWORD = "long-password-1"
JM, PJ, GD = "440700", "440703", "440000"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("people-cli") / "cli.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
    yield str(path)


@pytest.fixture(scope="module")
def pwfile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    f = tmp_path_factory.mktemp("pw") / "pw.txt"
    f.write_text(f"{PASSWORD}\nnot this line\n", encoding="utf-8")
    return f


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, [*args, "--db", db])


def ok(db: str, *args: str) -> str:
    res = run(db, *args)
    assert res.exit_code == 0, res.output
    return res.output


def fails(db: str, *args: str, code: int = 1) -> str:
    res = run(db, *args)
    assert res.exit_code == code, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)  # no crash
    return res.output


def audit(db: str, action: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(
        ok(db, "audit", "list", "--action", action, "--limit", "1000", "--format", "json")
    )
    return rows


def test_users_add_list_password_disable(db: str, pwfile: Path, tmp_path: Path) -> None:
    out = ok(
        db, "users", "add", "cli-jm", "--role", "reporter", "--region", JM, "--password-file", str(pwfile)
    )
    assert word("access.cli.user_added", "zh", name="cli-jm", role="reporter", region=JM) in out
    with Ecoplan(db) as ep:
        p = ep.people.sign_in("cli-jm", PASSWORD)  # the first line of the file only
        assert (p.role, p.region) == (Role.REPORTER, JM)
    rows = audit(db, "user.add")
    assert rows[-1]["target"] == "cli-jm" and rows[-1]["source"] == "cli"
    assert rows[-1]["actor"].startswith("shell")

    listed = json.loads(ok(db, "users", "list", "--format", "json"))
    me = next(u for u in listed if u["name"] == "cli-jm")
    assert (me["role"], me["region"], me["disabled"]) == ("reporter", JM, False)
    assert all("password_hash" not in u for u in listed)
    assert "cli-jm" in ok(db, "users", "list")

    new = tmp_path / "new.txt"
    new.write_text("another-password\n", encoding="utf-8")
    out = ok(db, "users", "password", "cli-jm", "--password-file", str(new))
    assert word("access.cli.password_set", "zh", name="cli-jm") in out
    with Ecoplan(db) as ep:
        with pytest.raises(Unauthorized):
            ep.people.sign_in("cli-jm", PASSWORD)
        ep.people.sign_in("cli-jm", "another-password")

    ok(db, "users", "disable", "cli-jm")
    with Ecoplan(db) as ep, pytest.raises(Unauthorized):
        ep.people.sign_in("cli-jm", "another-password")
    assert "已停用" in ok(db, "users", "list")
    ok(db, "users", "enable", "cli-jm")
    with Ecoplan(db) as ep:
        ep.people.sign_in("cli-jm", "another-password")
    assert [r["target"] for r in audit(db, "user.disable")][-1:] == ["cli-jm"]


def test_a_password_file_saved_with_a_bom(db: str, tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeff江门-password-1\r\n".encode())
    ok(db, "users", "add", "cli-bom", "--role", "viewer", "--region", JM, "--password-file", str(f))
    with Ecoplan(db) as ep:
        assert ep.people.sign_in("cli-bom", "江门-password-1").user == "cli-bom"


def test_users_add_generated_password_printed_once(db: str) -> None:
    out = ok(db, "users", "add", "cli-gen", "--role", "viewer", "--region", GD, "--generate", "--lang", "en")
    pattern = re.escape(word("access.cli.generated", "en", password="\x00")).replace("\x00", r"(\S+)")
    m = re.search(pattern, out)
    assert m, out
    with Ecoplan(db) as ep:
        assert ep.people.sign_in("cli-gen", m[1]).user == "cli-gen"
        stored = ep.catalog.con.execute("SELECT password_hash FROM users WHERE name = 'cli-gen'").fetchone()
    assert stored is not None and m[1] not in stored[0]
    assert m[1] not in json.dumps(audit(db, "user."), default=str)


def test_users_add_refusals(db: str, pwfile: Path, tmp_path: Path) -> None:
    out = fails(db, "users", "add", "x-nopw", "--role", "viewer", "--region", JM)
    assert "--password-file" in out
    fails(db, "users", "add", "x-role", "--role", "superuser", "--region", JM, "--generate")
    fails(db, "users", "add", "x-region", "--role", "viewer", "--region", "999999", "--generate")
    short = tmp_path / "short.txt"
    short.write_text("short\n", encoding="utf-8")
    fails(db, "users", "add", "x-short", "--role", "viewer", "--region", JM, "--password-file", str(short))
    fails(
        db,
        "users",
        "add",
        "x-missing",
        "--role",
        "viewer",
        "--region",
        JM,
        "--password-file",
        str(tmp_path / "nope"),
    )
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00p\x00w")
    out = fails(
        db, "users", "add", "x-binary", "--role", "viewer", "--region", JM, "--password-file", str(binary)
    )
    assert str(binary) in out.replace("\n", "")
    ok(db, "users", "add", "cli-twice", "--role", "viewer", "--region", JM, "--password-file", str(pwfile))
    fails(db, "users", "add", "cli-twice", "--role", "viewer", "--region", JM, "--password-file", str(pwfile))
    out = ok(db, "users", "add", "cli-twice", "--role", "admin", "--region", JM, "--generate", "--if-missing")
    assert word("access.cli.user_exists_kept", "zh", name="cli-twice") in out
    names = {u["name"]: u for u in json.loads(ok(db, "users", "list", "--format", "json"))}
    assert not {"x-nopw", "x-role", "x-region", "x-short", "x-missing", "x-binary"} & set(names)
    assert names["cli-twice"]["role"] == "viewer"  # --if-missing left it as it was
    fails(db, "users", "disable", "nobody-here")


def test_tokens_issue_list_revoke(db: str, pwfile: Path) -> None:
    ok(db, "users", "add", "cli-tok", "--role", "reviewer", "--region", GD, "--password-file", str(pwfile))
    out = ok(
        db, "tokens", "issue", "cli-tok", "--role", "reporter", "--region", JM, "--days", "5", "--label", "ci"
    )
    text = out.strip().splitlines()[-1]
    m = re.fullmatch(r"ecp_([0-9a-f]{12})_[A-Za-z0-9_-]{43}", text)
    assert m, out
    tid = m[1]
    with Ecoplan(db) as ep:
        p = ep.people.principal_for_token(text)
        assert (p.user, p.role, p.region, p.token_id) == ("cli-tok", Role.REPORTER, JM, tid)
    listed = json.loads(ok(db, "tokens", "list", "cli-tok", "--format", "json"))
    assert [(t["id"], t["role"], t["region"], t["label"]) for t in listed] == [(tid, "reporter", JM, "ci")]
    everyone = ok(db, "tokens", "list", "--format", "json")
    assert tid in everyone and text.split("_", 2)[2] not in everyone  # never the secret
    assert tid in ok(db, "tokens", "list")

    # wider than the owner: refused, nothing issued
    fails(db, "tokens", "issue", "cli-tok", "--role", "admin")
    fails(db, "tokens", "issue", "cli-tok", "--region", "000000")
    fails(db, "tokens", "issue", "cli-tok", "--days", "0")
    fails(db, "tokens", "issue", "cli-tok", "--role", "boss")
    fails(db, "tokens", "issue", "nobody-here")
    assert len(json.loads(ok(db, "tokens", "list", "cli-tok", "--format", "json"))) == 1

    out = ok(db, "tokens", "revoke", tid)
    assert word("access.cli.token_revoked", "zh", id=tid) in out
    with Ecoplan(db) as ep, pytest.raises(Unauthorized):
        ep.people.principal_for_token(text)
    assert "已撤销" in ok(db, "tokens", "list", "cli-tok")
    fails(db, "tokens", "revoke", "0123456789ab")
    done = [(r["action"], r["target"]) for r in audit(db, "token.") if r["outcome"] == "ok"]
    assert done[-2:] == [("token.issue", tid), ("token.revoke", tid)]
    refused = [r for r in audit(db, "token.issue") if r["outcome"] == "denied"]
    assert len(refused) >= 2  # the role and the region wider than the owner's


def test_audit_verify_and_list(db: str, tmp_path: Path) -> None:
    # each test above leaves rows; the chain verifies and names its head
    out = ok(db, "audit", "verify", "--lang", "en")
    m = re.search(r"(\d+):([0-9a-f]{64})", out)
    assert m, out
    head = f"{m[1]}:{m[2]}"
    with Ecoplan(db) as ep:
        assert ep.audit.head() == (int(m[1]), m[2])
    ok(db, "audit", "verify", "--expect-head", head)
    fails(db, "audit", "verify", "--expect-head", "12:abc")
    fails(db, "audit", "verify", "--expect-head", "x:" + "0" * 64)

    rows = json.loads(ok(db, "audit", "list", "--limit", "3", "--format", "json"))
    assert [r["seq"] for r in rows] == [int(m[1]) - 2, int(m[1]) - 1, int(m[1])]
    assert json.loads(ok(db, "audit", "list", "--limit", "0", "--format", "json")) == []
    assert all(
        r["outcome"] == "denied"
        for r in json.loads(ok(db, "audit", "list", "--outcome", "denied", "--format", "json"))
    )
    assert "user.add" in ok(db, "audit", "list", "--action", "user.")

    # the log grows (every write adds a row): the kept head still verifies
    ok(db, "users", "add", "cli-later", "--role", "viewer", "--region", JM, "--generate")
    ok(db, "audit", "verify", "--expect-head", head)
    fails(db, "audit", "verify", "--expect-head", f"{m[1]}:{'0' * 64}", code=2)

    # a copy of the store edited behind the app's back: verify exits 2 naming the row
    import shutil

    edited = str(tmp_path / "edited.duckdb")
    shutil.copy(db, edited)
    with Ecoplan(edited) as ep:
        ep.catalog.con.execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
    out = fails(edited, "audit", "verify", "--lang", "en", code=2)
    assert word("access.cli.audit_broken.edited", "en", seq=2, rows=1) in out

    # the newest rows cut off: only the head kept elsewhere tells
    cut = str(tmp_path / "cut.duckdb")
    shutil.copy(db, cut)
    with Ecoplan(cut) as ep:
        ep.catalog.con.execute("DELETE FROM audit_log WHERE seq > ?", [int(m[1]) - 2])
    ok(cut, "audit", "verify")
    out = fails(cut, "audit", "verify", "--expect-head", head, "--lang", "en", code=2)
    assert word("access.cli.audit_broken.head", "en", seq=int(m[1]) - 1, rows=int(m[1]) - 2) in out

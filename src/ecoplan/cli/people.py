"""``ecoplan users|tokens|audit …``: accounts, API tokens and the audit log at the shell (issue #12).

The shell of the server is trusted as the national admin (:meth:`Principal.shell`):
whoever can run ``ecoplan`` on the store's machine can already read and write the file.
Passwords never travel on the command line: ``--password-file FILE`` (its first line) or
``--generate`` (a random password printed once). ``audit verify`` exits with status 2 when
the chain is broken, naming the first bad row.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.cli.root import app
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, say, words
from ecoplan.kit.options import TableFmt

users_app = typer.Typer(no_args_is_help=True, help="Accounts / 账户")
tokens_app = typer.Typer(no_args_is_help=True, help="API tokens / 接口令牌")
audit_app = typer.Typer(no_args_is_help=True, help="The audit log / 审计日志")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")

PasswordFile = Annotated[
    Path | None, typer.Option("--password-file", help="A file whose first line is the password")
]
Generate = Annotated[bool, typer.Option("--generate", help="Generate a password and print it once")]


def _shell() -> Principal:
    """The operator at the shell, named by their login (``shell:<user>``)."""
    import getpass

    try:
        return Principal.shell(f"shell:{getpass.getuser()}")
    except (KeyError, OSError):
        return Principal.shell("shell")


def _password(file: Path | None, generate: bool, lang: str) -> tuple[str, bool]:
    if generate:
        return secrets.token_urlsafe(15), True
    if file is None:
        _fail(
            words(lang)(
                "access.cli.password_needed", file_option="--password-file", generate_option="--generate"
            ),
            lang,
        )
    try:
        # utf-8-sig: a BOM (Windows Notepad) is not the first character of the password
        text = file.read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        error = getattr(exc, "strerror", None) or exc
        _fail(words(lang)("access.cli.password_file", file=file, error=error), lang)
    return (text[0] if text else ""), False


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="viewer, reporter, reviewer or admin")],
    region: Annotated[str, typer.Option(help="Region code of the scope (000000: the nation)")],
    password_file: PasswordFile = None,
    generate: Generate = False,
    display: Annotated[str | None, typer.Option(help="Display name")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address (notifications)")] = None,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="An existing account is left as it is (exit 0)")
    ] = False,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Create an account. / 新建账户"""
    if role not in {r.value for r in Role}:
        from ecoplan.kit.cli import bad_choice

        bad_choice("--role", role, [r.value for r in Role], lang)
    password, generated = _password(password_file, generate, lang)
    try:
        with _session(db, lang) as ep:
            if if_missing and any(u["name"] == name for u in ep.people.users()):
                say(words(lang)("access.cli.user_exists_kept", name=name))
                return
            ep.people.add_user(_shell(), name, password, role, region, display=display, email=email)
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    say(w("access.cli.user_added", name=name, role=role, region=region))
    if generated:
        say(w("access.cli.generated", password=password))


@users_app.command("list")
def users_list(
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List the accounts. / 账户列表"""
    try:
        with _session(db, lang) as ep:
            rows = ep.people.users()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json(rows)
        return
    w = words(lang)
    t = Table(
        w("access.cli.h_name"), w("access.cli.h_role"), w("access.cli.h_region"), w("access.cli.h_state")
    )
    for u in rows:
        state = w("access.cli.disabled") if u["disabled"] else w("access.cli.active")
        t.add_row(escape(u["name"]), u["role"], u["region"], state)
    out.print(t)


def _set_disabled(name: str, disabled: bool, db: str | None, lang: str) -> None:
    try:
        with _session(db, lang) as ep:
            ep.people.set_disabled(_shell(), name, disabled)
    except EcoplanError as exc:
        _fail(exc, lang)
    say(words(lang)("access.cli.user_disabled" if disabled else "access.cli.user_enabled", name=name))


@users_app.command("disable")
def users_disable(name: str, db: DbOpt = None, lang: LangOpt = "zh") -> None:
    """Disable an account: its sessions end, its tokens stop working. / 停用账户"""
    _set_disabled(name, True, db, lang)


@users_app.command("enable")
def users_enable(name: str, db: DbOpt = None, lang: LangOpt = "zh") -> None:
    """Enable a disabled account again. / 重新启用账户"""
    _set_disabled(name, False, db, lang)


@users_app.command("password")
def users_password(
    name: str,
    password_file: PasswordFile = None,
    generate: Generate = False,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Set an account's password. / 重设密码"""
    password, generated = _password(password_file, generate, lang)
    try:
        with _session(db, lang) as ep:
            ep.people.set_password(_shell(), name, password)
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    say(w("access.cli.password_set", name=name))
    if generated:
        say(w("access.cli.generated", password=password))


@tokens_app.command("issue")
def tokens_issue(
    user: str,
    role: Annotated[str | None, typer.Option(help="At most the user's role (default: theirs)")] = None,
    region: Annotated[str | None, typer.Option(help="Inside the user's scope (default: theirs)")] = None,
    days: Annotated[int, typer.Option(help="Lifetime in days (1-366)")] = 90,
    label: Annotated[str | None, typer.Option(help="What the token is for")] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Issue an API token for a user (printed once). / 签发接口令牌"""
    try:
        with _session(db, lang) as ep:
            rec, text = ep.people.issue_token(
                _shell(), user=user, role=role, region=region, days=days, label=label
            )
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    w = words(lang)
    say(
        w(
            "access.cli.token_issued",
            id=rec["id"],
            user=user,
            role=rec["role"],
            region=rec["region"],
            expires=str(rec["expires_at"])[:19],
        )
    )
    say(text)


@tokens_app.command("list")
def tokens_list(
    user: Annotated[str | None, typer.Argument(help="A user (default: every user)")] = None,
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List API tokens (never their secrets). / 令牌列表"""
    try:
        with _session(db, lang) as ep:
            rows = ep.people.tokens(_shell(), user or "*")
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json(rows)
        return
    w = words(lang)
    t = Table(
        "id",
        w("access.cli.h_name"),
        w("access.cli.h_role"),
        w("access.cli.h_region"),
        w("access.cli.h_expires"),
        w("access.cli.h_state"),
    )
    for r in rows:
        state = w("access.cli.revoked") if r["revoked_at"] else w("access.cli.active")
        t.add_row(r["id"], escape(r["user_name"]), r["role"], r["region"], str(r["expires_at"])[:16], state)
    out.print(t)


@tokens_app.command("revoke")
def tokens_revoke(token_id: str, db: DbOpt = None, lang: LangOpt = "zh") -> None:
    """Revoke an API token. / 撤销接口令牌"""
    try:
        with _session(db, lang) as ep:
            ep.people.revoke_token(_shell(), token_id)
    except EcoplanError as exc:
        _fail(exc, lang)
    say(words(lang)("access.cli.token_revoked", id=token_id))


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option("--expect-head", help="SEQ:HASH printed by an earlier verify, kept elsewhere"),
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Recompute the audit log's hash chain; exit 2 at the first broken row. / 校验审计日志"""
    head = None
    if expect_head:
        seq, _, h = expect_head.partition(":")
        if not seq.isdigit() or len(h) != 64:
            _fail(words(lang)("access.cli.bad_head", option="--expect-head", head=expect_head), lang)
        head = (int(seq), h)
    try:
        with _session(db, lang) as ep:
            v = ep.audit.verify(head)
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    if v.ok:
        say(w("access.cli.audit_ok", rows=v.rows, head=f"{v.rows}:{v.head}"))
        return
    say(w(f"access.cli.audit_broken.{v.why}", seq=v.broken_seq, rows=v.rows))
    raise typer.Exit(2)


@audit_app.command("list")
def audit_list(
    actor: Annotated[str | None, typer.Option(help="Only this user")] = None,
    action: Annotated[str | None, typer.Option(help="Actions starting with this (submission.)")] = None,
    outcome: Annotated[str | None, typer.Option(help="ok, denied or failed")] = None,
    limit: Annotated[int, typer.Option(help="Rows at most")] = 50,
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """The newest rows of the audit log. / 审计日志"""
    try:
        with _session(db, lang) as ep:
            rows = ep.audit.rows(_shell(), actor=actor, action=action, outcome=outcome, limit=None)
    except EcoplanError as exc:
        _fail(exc, lang)
    rows = rows[-limit:] if limit > 0 else []  # rows[-0:] would be every row
    if fmt is TableFmt.json:
        _dump_json(rows)
        return
    w = words(lang)
    t = Table(
        "#",
        w("access.cli.h_when"),
        w("access.cli.h_name"),
        w("access.cli.h_action"),
        w("access.cli.h_target"),
        w("access.cli.h_outcome"),
        w("access.cli.h_source"),
    )
    for r in rows:
        t.add_row(
            str(r["seq"]),
            str(r["occurred_at"])[:19],
            escape(r["actor"] or "-"),
            r["action"],
            escape(r["target"] or ""),
            r["outcome"],
            escape(r["source"] or ""),
        )
    out.print(t)

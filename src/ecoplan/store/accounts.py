"""Accounts, API tokens and web sessions in the catalog (issue #12).

Only hashes are stored: an argon2id hash of each password (computed by the app), the
SHA-256 of each token secret and of each session id. Nothing here decides who may do
what (:mod:`ecoplan.core.access` and :mod:`ecoplan.app.people` do).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecoplan.store.catalog import Catalog

__all__ = [
    "add_token",
    "add_user",
    "end_session",
    "find_session",
    "find_token",
    "new_session",
    "revoke_token",
    "set_password_hash",
    "set_user_disabled",
    "tokens",
    "touch_token",
    "user",
    "users",
]


def _dicts(cur: Any) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def users(cat: Catalog) -> list[dict[str, Any]]:
    """Every account (without its password hash), by name."""
    return _dicts(
        cat.con.execute(
            "SELECT name, display, email, role, region, disabled, created_at, created_by "
            "FROM users ORDER BY name"
        )
    )


def user(cat: Catalog, name: str) -> dict[str, Any] | None:
    """One account with its password hash, or None."""
    rows = _dicts(cat.con.execute("SELECT * FROM users WHERE name = ?", [name]))
    return rows[0] if rows else None


def add_user(
    cat: Catalog,
    name: str,
    *,
    role: str,
    region: str,
    password_hash: str,
    display: str | None,
    email: str | None,
    created_at: dt.datetime,
    created_by: str | None,
) -> None:
    with cat.transaction() as con:
        con.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, false, ?, ?)",
            [name, display, email, role, region, password_hash, created_at, created_by],
        )


def set_user_disabled(cat: Catalog, name: str, disabled: bool) -> None:
    with cat.transaction() as con:
        con.execute("UPDATE users SET disabled = ? WHERE name = ?", [disabled, name])
        if disabled:  # a disabled account's sessions end with it
            con.execute(
                "UPDATE web_sessions SET ended_at = now() WHERE user_name = ? AND ended_at IS NULL", [name]
            )


def set_password_hash(cat: Catalog, name: str, password_hash: str) -> None:
    with cat.transaction() as con:
        con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name])


def add_token(
    cat: Catalog,
    token_id: str,
    user_name: str,
    secret_hash: str,
    *,
    role: str,
    region: str,
    label: str | None,
    created_at: dt.datetime,
    expires_at: dt.datetime,
) -> None:
    with cat.transaction() as con:
        con.execute(
            "INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [token_id, user_name, secret_hash, role, region, label, created_at, expires_at],
        )


def find_token(cat: Catalog, token_id: str) -> dict[str, Any] | None:
    rows = _dicts(cat.con.execute("SELECT * FROM api_tokens WHERE id = ?", [token_id]))
    return rows[0] if rows else None


def tokens(cat: Catalog, user_name: str | None = None) -> list[dict[str, Any]]:
    """Tokens (without their hashes), newest first."""
    sql = (
        "SELECT id, user_name, role, region, label, created_at, expires_at, revoked_at, last_used_at "
        "FROM api_tokens"
    )
    args: list[Any] = []
    if user_name:
        sql += " WHERE user_name = ?"
        args.append(user_name)
    return _dicts(cat.con.execute(sql + " ORDER BY created_at DESC, id", args))


def revoke_token(cat: Catalog, token_id: str, when: dt.datetime) -> None:
    with cat.transaction() as con:
        con.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [when, token_id]
        )


def touch_token(cat: Catalog, token_id: str, when: dt.datetime) -> None:
    with cat.transaction() as con:
        con.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [when, token_id])


def new_session(
    cat: Catalog,
    id_hash: str,
    user_name: str,
    csrf: str,
    *,
    created_at: dt.datetime,
    expires_at: dt.datetime,
    source: str | None,
) -> None:
    with cat.transaction() as con:
        con.execute("DELETE FROM web_sessions WHERE expires_at < ?", [created_at])
        con.execute(
            "INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?, NULL, ?)",
            [id_hash, user_name, csrf, created_at, expires_at, source],
        )


def find_session(cat: Catalog, id_hash: str) -> dict[str, Any] | None:
    rows = _dicts(cat.con.execute("SELECT * FROM web_sessions WHERE id_hash = ?", [id_hash]))
    return rows[0] if rows else None


def end_session(cat: Catalog, id_hash: str, when: dt.datetime) -> None:
    with cat.transaction() as con:
        con.execute("UPDATE web_sessions SET ended_at = ? WHERE id_hash = ?", [when, id_hash])

"""``ep.people``: accounts, sign-in, API tokens and web sessions (issue #12).

Passwords are hashed with argon2id (argon2-cffi, RFC 9106 parameters of its default
profile); a wrong password and an unknown account get the same answer, and an unknown
account still costs one hash, so neither the words nor the time tell them apart. Token
and session secrets are 256 random bits, stored as SHA-256 (fast hashing is enough for
secrets that cannot be guessed). A token carries a role and a region no wider than its
owner's; it expires, can be revoked, and dies with its owner's account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ecoplan.core.access import NATION, Principal, Role, covers
from ecoplan.core.errors import Conflict, EcoplanError, Forbidden, NotFound, Unauthorized
from ecoplan.core.regions import bundled_regions
from ecoplan.store import accounts as store

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["MIN_PASSWORD", "SESSION_HOURS", "TOKEN_DAYS", "People", "token_parts"]

_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a password of anyone")
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{1,63}")
_TOKEN = re.compile(r"ecp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
MIN_PASSWORD = 10
TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366
SESSION_HOURS = 12


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def token_parts(raw: str) -> tuple[str, str] | None:
    """``(id, secret)`` of a token ``ecp_<12 hex>_<43 url-safe>``, or None."""
    m = _TOKEN.fullmatch(raw.strip())
    return (m[1], m[2]) if m else None


class People:
    def __init__(self, ep: Ecoplan) -> None:
        self.ep = ep

    # -- checks ----------------------------------------------------------------
    def require(self, who: Principal | None, role: Role, region: str | None, action: str) -> Principal:
        """``who`` may act as ``role`` on ``region`` (None: anywhere in their scope), else
        :class:`Unauthorized` / :class:`Forbidden`, with an audit row for a refusal."""
        if who is None:
            raise Unauthorized.worded("access.error.signin")
        if not who.can(role):
            self.ep.audit.denied(who, action, f"needs role {role.value}", region=region)
            raise Forbidden.worded("access.error.role", role=role.value, have=who.role.value)
        if region is not None and not covers(who.region, region):
            self.ep.audit.denied(who, action, f"region {region} outside {who.region}", region=region)
            raise Forbidden.worded("access.error.region", region=region, scope=who.region)
        return who

    def _check_region(self, region: str) -> None:
        if region not in bundled_regions():
            raise NotFound.worded("access.error.unknown_region", region=region)

    # -- accounts --------------------------------------------------------------
    def users(self) -> list[dict[str, Any]]:
        return store.users(self.ep.catalog)

    def user(self, name: str) -> dict[str, Any]:
        u = store.user(self.ep.catalog, name)
        if u is None:
            raise NotFound.worded("access.error.unknown_user", name=name)
        u.pop("password_hash", None)
        return u

    def add_user(
        self,
        who: Principal,
        name: str,
        password: str,
        role: Role | str,
        region: str,
        *,
        display: str | None = None,
        email: str | None = None,
    ) -> dict[str, Any]:
        """Create an account (an admin, within their scope, up to their own role)."""
        role = Role(role)
        self._check_region(region)
        self.require(who, Role.ADMIN, region, "user.add")
        if not _NAME.fullmatch(name):
            raise EcoplanError.worded("access.error.bad_name", name=name)
        if len(password) < MIN_PASSWORD:
            raise EcoplanError.worded("access.error.short_password", n=MIN_PASSWORD)
        with self.ep.writer() as w:
            cat = w.catalog
            if store.user(cat, name) is not None:
                raise Conflict.worded("access.error.user_exists", name=name)
            with cat.transaction():
                store.add_user(
                    cat,
                    name,
                    role=role.value,
                    region=region,
                    password_hash=_HASHER.hash(password),
                    display=display,
                    email=email,
                    created_at=_now(),
                    created_by=who.user,
                )
                after = {"role": role.value, "region": region, "display": display, "email": email}
                w.audit.record(who, "user.add", target=name, region=region, after=after)
        return self.user(name)

    def set_disabled(self, who: Principal, name: str, disabled: bool = True) -> None:
        u = self.user(name)
        self.require(who, Role.ADMIN, u["region"], "user.disable" if disabled else "user.enable")
        if u["disabled"] == disabled:
            return
        with self.ep.writer() as w, w.catalog.transaction():
            store.set_user_disabled(w.catalog, name, disabled)
            w.audit.record(
                who,
                "user.disable" if disabled else "user.enable",
                target=name,
                region=u["region"],
                before={"disabled": not disabled},
                after={"disabled": disabled},
            )

    def set_password(self, who: Principal, name: str, password: str) -> None:
        """A user changes their own password; an admin any password in scope."""
        u = self.user(name)
        if who.user != name:
            self.require(who, Role.ADMIN, u["region"], "user.password")
        if len(password) < MIN_PASSWORD:
            raise EcoplanError.worded("access.error.short_password", n=MIN_PASSWORD)
        with self.ep.writer() as w, w.catalog.transaction():
            store.set_password_hash(w.catalog, name, _HASHER.hash(password))
            w.audit.record(who, "user.password", target=name, region=u["region"])

    # -- sign-in -----------------------------------------------------------------
    def sign_in(self, name: str, password: str, source: str | None = None) -> Principal:
        """The principal of a name and password; :class:`Unauthorized` (one message) for an
        unknown or disabled account or a wrong password. Audited either way."""
        u = store.user(self.ep.catalog, name)
        ok = False
        try:
            ok = _HASHER.verify(u["password_hash"] if u else _DUMMY, password) and u is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if not ok or u is None or u["disabled"]:
            self.ep.audit.append(
                name if u else None,
                "auth.login",
                outcome="denied",
                target=name[:64],
                source=source,
                after={"reason": "disabled" if (ok and u and u["disabled"]) else "bad credentials"},
            )
            raise Unauthorized.worded("access.error.bad_credentials")
        who = Principal(name, Role(u["role"]), u["region"], via="session", source=source)
        self.ep.audit.record(who, "auth.login", target=name, region=u["region"])
        return who

    # -- tokens --------------------------------------------------------------------
    def issue_token(
        self,
        who: Principal,
        *,
        user: str | None = None,
        role: Role | str | None = None,
        region: str | None = None,
        days: int = TOKEN_DAYS,
        label: str | None = None,
    ) -> tuple[dict[str, Any], str]:
        """A new token for ``user`` (default: ``who``), at most their role and scope;
        returns (its record, the token text — shown once, never stored)."""
        owner_name = user or who.user
        owner = self.user(owner_name)
        if owner["disabled"]:
            raise Forbidden.worded("access.error.disabled", name=owner_name)
        if owner_name != who.user:
            self.require(who, Role.ADMIN, owner["region"], "token.issue")
        owner_role = Role(owner["role"])
        # for oneself, ``who`` may be a narrowed token: the new token is no wider than it
        own = owner_name == who.user
        want_role = (
            Role(role)
            if role is not None
            else (min(owner_role, who.role, key=lambda r: r.rank) if own else owner_role)
        )
        want_region = region or (who.region if own else owner["region"])
        self._check_region(want_region)
        if (
            not owner_role.allows(want_role)
            or not covers(owner["region"], want_region)
            or not who.role.allows(want_role)
            or not covers(who.region, want_region)
        ):
            self.ep.audit.denied(who, "token.issue", "wider than the owner", region=want_region)
            raise Forbidden.worded(
                "access.error.token_wider", role=want_role.value, region=want_region, name=owner_name
            )
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise EcoplanError.worded("access.error.token_days", max=MAX_TOKEN_DAYS)
        tid = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        now = _now()
        with self.ep.writer() as w, w.catalog.transaction():
            store.add_token(
                w.catalog,
                tid,
                owner_name,
                _sha(secret),
                role=want_role.value,
                region=want_region,
                label=label,
                created_at=now,
                expires_at=now + dt.timedelta(days=days),
            )
            w.audit.record(
                who,
                "token.issue",
                target=tid,
                region=want_region,
                after={"user": owner_name, "role": want_role.value, "days": days, "label": label},
            )
        rec = next(t for t in store.tokens(self.ep.catalog, owner_name) if t["id"] == tid)
        return rec, f"ecp_{tid}_{secret}"

    def tokens(self, who: Principal, user: str | None = None) -> list[dict[str, Any]]:
        """A user's own tokens; an admin's view of another's (or everyone's: ``user="*"``)."""
        if user is None or user == who.user:
            return store.tokens(self.ep.catalog, who.user)
        self.require(who, Role.ADMIN, None, "token.list")
        rows = store.tokens(self.ep.catalog, None if user == "*" else user)
        return [t for t in rows if covers(who.region, t["region"])]

    def revoke_token(self, who: Principal, token_id: str) -> None:
        t = store.find_token(self.ep.catalog, token_id)
        if t is None:
            raise NotFound.worded("access.error.unknown_token", id=token_id)
        if t["user_name"] != who.user:
            self.require(who, Role.ADMIN, t["region"], "token.revoke")
        if t["revoked_at"] is not None:
            return
        with self.ep.writer() as w, w.catalog.transaction():
            store.revoke_token(w.catalog, token_id, _now())
            w.audit.record(who, "token.revoke", target=token_id, region=t["region"])

    def principal_for_token(self, raw: str, source: str | None = None) -> Principal:
        """The principal a token stands for; :class:`Unauthorized` for a malformed, unknown,
        expired or revoked token, or one whose owner is disabled."""
        parts = token_parts(raw)
        t = store.find_token(self.ep.catalog, parts[0]) if parts else None
        if parts is None or t is None or not secrets.compare_digest(t["secret_hash"], _sha(parts[1])):
            raise Unauthorized.worded("access.error.bad_token")
        if t["revoked_at"] is not None:
            raise Unauthorized.worded("access.error.revoked_token")
        if t["expires_at"] <= _now():
            raise Unauthorized.worded("access.error.expired_token")
        owner = store.user(self.ep.catalog, t["user_name"])
        if owner is None or owner["disabled"]:
            raise Unauthorized.worded("access.error.bad_token")
        # a token is never wider than its owner is now (a demoted owner narrows it)
        role = min(Role(t["role"]), Role(owner["role"]), key=lambda r: r.rank)
        if not covers(owner["region"], t["region"]):
            raise Unauthorized.worded("access.error.bad_token")
        return Principal(t["user_name"], role, t["region"], via="token", token_id=t["id"], source=source)

    # -- web sessions --------------------------------------------------------------
    def open_session(self, who: Principal) -> tuple[str, str]:
        """A new web session of a signed-in principal: (session id for the cookie, CSRF token)."""
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = _now()
        with self.ep.writer() as w:
            store.new_session(
                w.catalog,
                _sha(sid),
                who.user,
                csrf,
                created_at=now,
                expires_at=now + dt.timedelta(hours=SESSION_HOURS),
                source=who.source,
            )
        return sid, csrf

    def session(self, sid: str, source: str | None = None) -> tuple[Principal, str]:
        """(principal, CSRF token) of a live session; :class:`Unauthorized` otherwise."""
        s = store.find_session(self.ep.catalog, _sha(sid)) if sid else None
        if s is None or s["ended_at"] is not None or s["expires_at"] <= _now():
            raise Unauthorized.worded("access.error.session")
        u = store.user(self.ep.catalog, s["user_name"])
        if u is None or u["disabled"]:
            raise Unauthorized.worded("access.error.session")
        return Principal(u["name"], Role(u["role"]), u["region"], via="session", source=source), s["csrf"]

    def close_session(self, sid: str, who: Principal) -> None:
        with self.ep.writer() as w, w.catalog.transaction():
            store.end_session(w.catalog, _sha(sid), _now())
            w.audit.record(who, "auth.logout", target=who.user, region=who.region)

    def ensure_admin(self, name: str, password: str, region: str = NATION) -> bool:
        """Create the first national admin when there is no account at all (``make run``,
        ``ecoplan users add`` at the shell); False when accounts exist."""
        if store.users(self.ep.catalog):
            return False
        self.add_user(Principal.shell(), name, password, Role.ADMIN, region)
        return True

"""``Notify(ep)``: subscriptions, what is due, and the digest that tells of it (issue #12, point 5).

A user subscribes to a region subtree inside their own scope — optionally one plan, a
minimum warning level and the kinds they care about — and names where to be told: an
e-mail address and/or a webhook (URL and signing secret). ``run`` gathers what is due
for every subscription:

* ``warning``: the warnings of the subscribed regions (each region's latest year, as the
  region pages show them) at or above the level (red > amber > watch);
* ``overdue_task``: tasks of plans of those regions whose due date has passed and whose
  latest status is not done;
* ``missing_report``: in the weeks before a reporting deadline (values of year Y are due
  by 31 March of Y + 1 unless set otherwise; warned from 30 days before), a plan's
  indicators with neither a published nor a pending submitted value for Y;
* ``returned``: the user's own submissions a reviewer returned.

and sends ONE message per user and channel holding every item not sent on that channel
before (a digest, not a flood). Each item has a stable key; a delivery records its keys
in ``notification_log`` and an ``notify.send`` audit row in one transaction, so the next
run sends only what is new. A failed delivery records no key (it is retried next run)
and leaves an audit row with outcome ``failed``.

Which items are due and how a digest reads is pure logic (:mod:`ecoplan.assess.notices`,
re-exported here); this module reads the store for it, checks who may subscribe to
what, and delivers: :func:`send_email` and :func:`post_webhook` are the only I/O
besides the store.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import os
import re
import secrets
import smtplib
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ecoplan.assess.notices import (
    KINDS,
    LEVELS,
    Deadline,
    Digest,
    Item,
    Subscription,
    compose,
    missing_report_items,
    overdue_task_items,
    report_years,
    returned_items,
    sign,
    warning_items,
)
from ecoplan.core.access import Principal, Role, covers
from ecoplan.core.errors import EcoplanError, Forbidden, NotFound
from ecoplan.core.regions import bundled_regions
from ecoplan.store import notifications as store

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = [
    "KINDS",
    "LEVELS",
    "Deadline",
    "Delivery",
    "Digest",
    "Facts",
    "Item",
    "Notify",
    "Settings",
    "SmtpUnreachable",
    "Subscription",
    "compose",
    "missing_report_items",
    "overdue_task_items",
    "post_webhook",
    "report_years",
    "returned_items",
    "send_email",
    "sign",
    "warning_items",
]

MAX_SUBSCRIPTIONS = 20
MIN_SECRET = 16
MAX_FIELD = 500
_EMAIL = re.compile(r"[^@\s,;<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# -- settings ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings(Deadline):
    """Where and how to deliver, and the reporting deadline.

    ``deadline`` is the month and day (``MM-DD``) of year Y + 1 by which the values of
    year Y are due; ``warn_days`` how many days before it missing reports are told of.
    Webhooks to loopback, private or link-local addresses are refused unless
    ``allow_private_webhooks`` (a subscriber could otherwise make the server post to
    the machines behind it).
    """

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "ecoplan@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    timeout: float = 10.0
    allow_private_webhooks: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given: Any) -> Settings:
        """Settings from ``ECOPLAN_SMTP_HOST``, ``_PORT``, ``_FROM``, ``_USER``, ``_PASSWORD``,
        ``_STARTTLS``, ``ECOPLAN_REPORT_DEADLINE``, ``ECOPLAN_REPORT_WARN_DAYS``,
        ``ECOPLAN_NOTIFY_TIMEOUT``, ``ECOPLAN_WEBHOOK_ALLOW_PRIVATE``; ``given`` values
        that are not None win (the command's options)."""
        e = os.environ if env is None else env
        yes = ("1", "true", "yes", "on")
        base: dict[str, Any] = {}
        pairs: list[tuple[str, str, Callable[[str], Any]]] = [
            ("smtp_host", "ECOPLAN_SMTP_HOST", str),
            ("smtp_port", "ECOPLAN_SMTP_PORT", int),
            ("smtp_from", "ECOPLAN_SMTP_FROM", str),
            ("smtp_user", "ECOPLAN_SMTP_USER", str),
            ("smtp_password", "ECOPLAN_SMTP_PASSWORD", str),
            ("smtp_starttls", "ECOPLAN_SMTP_STARTTLS", lambda v: v.lower() in yes),
            ("deadline", "ECOPLAN_REPORT_DEADLINE", str),
            ("warn_days", "ECOPLAN_REPORT_WARN_DAYS", int),
            ("timeout", "ECOPLAN_NOTIFY_TIMEOUT", float),
            ("allow_private_webhooks", "ECOPLAN_WEBHOOK_ALLOW_PRIVATE", lambda v: v.lower() in yes),
        ]
        for name, var, conv in pairs:
            raw = e.get(var)
            if raw:
                try:
                    base[name] = conv(raw)
                except ValueError:
                    raise EcoplanError.worded("notify.error.setting", name=var, value=raw) from None
        base.update({k: v for k, v in given.items() if v is not None})
        s = cls(**base)
        s.deadline_of(2000)  # checks the form
        if s.warn_days < 0:
            raise EcoplanError.worded("notify.error.setting", name="warn_days", value=s.warn_days)
        return s


# -- delivery ------------------------------------------------------------------------------------
class SmtpUnreachable(ConnectionError):
    """The SMTP server could not be reached or did not greet (the run tries it once)."""


def send_email(settings: Settings, to: str, subject: str, text: str) -> None:
    """Send one plain-text message through the SMTP server of ``settings`` (STARTTLS and
    login when set); an ``OSError``/``smtplib.SMTPException`` says it failed."""
    if not settings.smtp_host:
        raise EcoplanError.worded("notify.error.no_smtp")
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg.set_content(text, charset="utf-8")
    try:  # connecting and the server's greeting: a failure here is the server's, not the message's
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout)
    except OSError as exc:
        raise SmtpUnreachable(f"{type(exc).__name__}: {exc}") from exc
    with smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(msg)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a place to post the digest to (and its secret signature)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _private(host: str) -> bool:
    """True when any address ``host`` resolves to is loopback, private, link-local or reserved."""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # the POST itself will fail and say so
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_reserved:
            return True
    return False


def post_webhook(settings: Settings, url: str, secret: str, payload: Mapping[str, Any]) -> int:
    """POST ``payload`` as JSON to ``url`` with ``X-Ecoplan-Timestamp`` (Unix seconds) and
    ``X-Ecoplan-Signature``; redirects are not followed. Returns the HTTP status (2xx);
    anything else raises (``OSError``, ``urllib.error.HTTPError``, :class:`EcoplanError`).
    A ``user:password@`` in the URL is sent as HTTP Basic authentication."""
    u = urlsplit(url)
    host = u.hostname or ""
    if not settings.allow_private_webhooks and _private(host):
        raise EcoplanError.worded("notify.error.private_webhook", host=host)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "ecoplan-notify/1",
        "X-Ecoplan-Timestamp": stamp,
        "X-Ecoplan-Signature": sign(secret, stamp, body),
    }
    if u.username is not None:
        pair = f"{unquote(u.username)}:{unquote(u.password or '')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        url = urlunsplit(u._replace(netloc=u.netloc.rpartition("@")[2]))
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(req, timeout=settings.timeout) as resp:
        status = int(resp.status)
    if not 200 <= status < 300:  # a 3xx not followed
        raise urllib.error.HTTPError(url, status, "not a success", resp.headers, None)
    return status


@dataclass(frozen=True)
class Delivery:
    """What ``run`` did for one user and channel: ``sent``, ``failed`` (``error`` says why)
    or ``dry_run``; ``items`` new items, ``counts`` by kind."""

    user: str
    channel: str
    items: int
    counts: dict[str, int]
    outcome: str
    error: str | None = None
    digest: Digest | None = field(default=None, repr=False, compare=False)

    @property
    def shown(self) -> str:
        """The channel as logs show it (a webhook without credentials or query)."""
        return _channel_shown(self.channel)


def _good_url(url: str) -> bool:
    """An ``http(s)`` URL with a host (and a valid port), no spaces or control characters."""
    if len(url) > MAX_FIELD or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        u = urlsplit(url)
        _ = u.port  # raises on a port that is not a number in range
    except ValueError:
        return False
    return u.scheme in {"http", "https"} and bool(u.hostname)


def _channel_shown(channel: str) -> str:
    """A channel as the audit log keeps it: a webhook without its query or credentials."""
    kind, _, where = channel.partition(":")
    if kind != "webhook":
        return channel
    u = urlsplit(where)
    return f"webhook:{u.scheme}://{u.netloc.rpartition('@')[2]}{u.path}"


class Facts:
    """What one run reads from the store, once, whatever the number of subscribers."""

    def __init__(self, ep: Ecoplan, today: dt.date, settings: Settings) -> None:
        self.ep, self.today, self.settings = ep, today, settings

    @cached_property
    def plans(self) -> dict[str, Plan]:
        return {p.id: p for p in self.ep.plans()}

    @cached_property
    def names(self) -> dict[str, Any]:
        return dict(self.ep.region_names())

    @cached_property
    def warnings(self) -> list[dict[str, Any]]:
        return self.ep.warnings().items

    @cached_property
    def tasks(self) -> list[dict[str, Any]]:
        return self.ep.tasks()

    @cached_property
    def due_plans(self) -> list[Plan]:
        """The plans with values falling due around today."""
        return [p for p in self.plans.values() if report_years(p, self.today, self.settings)]

    @cached_property
    def have(self) -> dict[str, set[tuple[str, str, int]]]:
        """Per plan falling due, the (indicator, region, year) with a published value or
        one in a values submission under review (submitted or accepted)."""
        out: dict[str, set[tuple[str, str, int]]] = {}
        for plan in self.due_plans:
            got = {
                (str(v["indicator_id"]), str(v["region"]), int(v["year"])) for v in self.ep.values(plan.id)
            }
            pending = self.ep.review.listing(
                Principal.shell(), states=["submitted", "accepted"], plan_id=plan.id
            )
            for s in pending:
                if s["kind"] != "values":
                    continue
                rows = json.loads(s["payload"]) if isinstance(s["payload"], str) else s["payload"]
                got |= {(str(r["indicator"]), str(r["region"]), int(r["year"])) for r in rows or []}
            out[plan.id] = got
        return out


# -- the app ------------------------------------------------------------------------------------
class Notify:
    """``ep.notify``: subscriptions of users and the digest run."""

    def __init__(self, ep: Ecoplan) -> None:
        self.ep = ep

    # -- subscriptions ---------------------------------------------------------------
    def _account(self, who: Principal, user: str | None, action: str) -> dict[str, Any]:
        """The account acted for: ``who``'s own, or (an admin over its region) ``user``'s."""
        name = user or who.user
        account = self.ep.people.user(name)
        if account.get("disabled"):
            raise Forbidden.worded("access.error.disabled", name=name)
        if name != who.user:
            self.ep.people.require(who, Role.ADMIN, str(account["region"]), action)
        else:
            self.ep.people.require(who, Role.VIEWER, None, action)
        return account

    def subscribe(
        self,
        who: Principal,
        *,
        region: str,
        plan_id: str | None = None,
        min_severity: str = "watch",
        kinds: Iterable[str] | None = None,
        email: str | None = None,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        user: str | None = None,
    ) -> dict[str, Any]:
        """Add a subscription for ``who`` (or, for an admin, ``user``); the region must lie
        inside the user's scope (and the principal's). Without a channel, the account's
        e-mail address is used. Returns it, with the webhook secret shown this once
        (generated when not given)."""
        action = "subscription.set"
        account = self._account(who, user, action)
        name = str(account["name"])
        if region not in bundled_regions():
            raise NotFound.worded("access.error.unknown_region", region=region)
        if not covers(str(account["region"]), region):
            self.ep.audit.denied(who, action, f"region {region} outside {account['region']}", region=region)
            raise Forbidden.worded("access.error.region", region=region, scope=account["region"])
        self.ep.people.require(who, Role.VIEWER, region, action)
        if plan_id is not None:
            self.ep.definition(plan_id)  # NotFound naming the known plans
        if min_severity not in LEVELS:
            raise EcoplanError.worded("notify.error.level", value=min_severity, known=", ".join(LEVELS))
        chosen = tuple(dict.fromkeys(kinds)) if kinds is not None else KINDS
        bad = [k for k in chosen if k not in KINDS]
        if bad or not chosen:
            raise EcoplanError.worded(
                "notify.error.kind", value=", ".join(bad) or "—", known=", ".join(KINDS)
            )
        email = (email or "").strip() or None
        webhook_url = (webhook_url or "").strip() or None
        if email is None and webhook_url is None:  # the account's own address, when it has one
            email = (account.get("email") or "").strip() or None
        if email is None and webhook_url is None:
            raise EcoplanError.worded("notify.error.no_channel")
        if email is not None and not _EMAIL.fullmatch(email):
            raise EcoplanError.worded("notify.error.email", value=email[:MAX_FIELD])
        shown_secret: str | None = None
        if webhook_url is not None:
            if not _good_url(webhook_url):
                raise EcoplanError.worded("notify.error.url", value=webhook_url[:MAX_FIELD])
            if webhook_secret is None:
                webhook_secret = shown_secret = secrets.token_urlsafe(32)
            elif len(webhook_secret) < MIN_SECRET:
                raise EcoplanError.worded("notify.error.secret", n=MIN_SECRET)
            else:
                shown_secret = webhook_secret
        elif webhook_secret is not None:
            raise EcoplanError.worded("notify.error.secret_without_url")
        with self.ep.writer() as w, w.catalog.transaction():
            if len(store.subscriptions(w.catalog, name)) >= MAX_SUBSCRIPTIONS:
                raise EcoplanError.worded("notify.error.too_many", n=MAX_SUBSCRIPTIONS)
            sid = store.add(
                w.catalog,
                name,
                region=region,
                plan_id=plan_id,
                min_severity=min_severity,
                kinds=",".join(chosen),
                email=email,
                webhook_url=webhook_url,
                webhook_secret=webhook_secret,
                created_at=_now(),
            )
            sub = Subscription.of_row(store.find(w.catalog, name, sid) or {})
            after = {k: v for k, v in sub.public().items() if k != "created_at"}
            w.audit.record(who, action, target=f"subscription/{name}/{sid}", region=region, after=after)
        out = sub.public()
        if shown_secret is not None:
            out["webhook_secret"] = shown_secret
        return out

    def subscriptions(self, who: Principal, user: str | None = None) -> list[dict[str, Any]]:
        """The subscriptions of ``who`` (or of ``user``, for an admin over them)."""
        account = self._account(who, user, "subscription.read")
        return [
            Subscription.of_row(r).public() for r in store.subscriptions(self.ep.catalog, account["name"])
        ]

    def unsubscribe(self, who: Principal, sid: int, user: str | None = None) -> None:
        """Remove a subscription (:class:`NotFound` when the user has none of that id)."""
        action = "subscription.set"
        account = self._account(who, user, action)
        name = str(account["name"])
        with self.ep.writer() as w:
            row = store.find(w.catalog, name, sid)
            if row is None:
                raise NotFound.worded("notify.error.unknown", id=sid, user=name)
            sub = Subscription.of_row(row)
            w.people.require(who, Role.VIEWER, sub.region, action)
            with w.catalog.transaction():
                store.remove(w.catalog, name, sid)
                before = {k: v for k, v in sub.public().items() if k != "created_at"}
                w.audit.record(
                    who,
                    action,
                    target=f"subscription/{name}/{sid}",
                    region=sub.region,
                    before=before,
                    after=None,
                )

    # -- what is due -----------------------------------------------------------------
    def due(
        self,
        subs: Iterable[Subscription],
        account: Mapping[str, Any],
        now: dt.datetime,
        settings: Settings,
        facts: Facts | None = None,
    ) -> dict[str, dict[str, Item]]:
        """The items of ``subs`` (one user's) by channel and key (nothing filtered yet);
        ``facts`` shares the store's state between the users of one run."""
        subs = list(subs)
        f = facts or Facts(self.ep, now.date(), settings)
        who = Principal(str(account["name"]), Role(str(account["role"])), str(account["region"]), via="cli")
        returned = (
            self.ep.review.listing(who, states=["returned"], mine=True)
            if any("returned" in s.kinds for s in subs)
            else []
        )
        out: dict[str, dict[str, Item]] = {}
        for sub in subs:
            items: list[Item] = []
            if "warning" in sub.kinds:
                items += warning_items(f.warnings, sub)
            if "overdue_task" in sub.kinds:
                items += overdue_task_items(f.tasks, f.plans, sub, f.today)
            if "missing_report" in sub.kinds:
                kids = [r.code for r in self.ep.regions(parent=sub.region)]
                items += missing_report_items(
                    f.due_plans, sub, f.today, settings, have=f.have, names=f.names, children=kids
                )
            if "returned" in sub.kinds:
                items += returned_items(returned, sub, f.names)
            for channel in sub.channels():
                bucket = out.setdefault(channel, {})
                for i in items:
                    bucket.setdefault(i.key, i)
        return out

    # -- the run -------------------------------------------------------------------------
    def run(
        self,
        who: Principal,
        settings: Settings,
        *,
        now: dt.datetime | None = None,
        dry_run: bool = False,
        users: Iterable[str] | None = None,
    ) -> list[Delivery]:
        """Send every subscriber their digest of new items, one message per channel (an
        admin's run: the users whose accounts lie in their scope; ``users`` narrows)."""
        self.ep.people.require(who, Role.ADMIN, None, "notify.send")
        now = now or _now()
        wanted = set(users) if users is not None else None
        subs_by_user: dict[str, list[Subscription]] = {}
        for r in store.subscriptions(self.ep.catalog):
            sub = Subscription.of_row(r)
            if wanted is None or sub.user in wanted:
                subs_by_user.setdefault(sub.user, []).append(sub)
        out: list[Delivery] = []
        facts = Facts(self.ep, now.date(), settings)
        down: dict[str, str] = {}  # the SMTP server, once unreachable in this run, is not retried
        for name, subs in sorted(subs_by_user.items()):
            try:
                account = self.ep.people.user(name)
            except NotFound:
                continue
            if account.get("disabled") or not covers(who.region, str(account["region"])):
                continue
            secrets_of = {f"webhook:{s.webhook_url}": s.webhook_secret for s in subs if s.webhook_url}
            for channel, items in sorted(self.due(subs, account, now, settings, facts).items()):
                sent = store.sent_keys(self.ep.catalog, name, channel)
                new = [i for k, i in items.items() if k not in sent]
                if not new:
                    continue
                digest = compose(name, channel, new, now)
                if dry_run:
                    out.append(Delivery(name, channel, len(new), digest.counts(), "dry_run", digest=digest))
                    continue
                out.append(self._deliver(who, account, digest, settings, secrets_of.get(channel) or "", down))
        return out

    def _deliver(
        self,
        who: Principal,
        account: Mapping[str, Any],
        digest: Digest,
        settings: Settings,
        secret: str,
        down: dict[str, str],
    ) -> Delivery:
        kind, _, where = digest.channel.partition(":")
        region = str(account["region"])
        target = f"user/{digest.user}"
        facts = {
            "channel": _channel_shown(digest.channel),
            "items": len(digest.items),
            "counts": digest.counts(),
        }
        try:
            if kind == "email":
                if "smtp" in down:
                    raise SmtpUnreachable(down["smtp"])
                try:
                    send_email(settings, where, digest.subject, digest.text)
                except SmtpUnreachable as exc:
                    down["smtp"] = str(exc)
                    raise
            else:
                post_webhook(settings, where, secret, digest.payload)
        except (OSError, smtplib.SMTPException, EcoplanError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:MAX_FIELD]
            self.ep.audit.append(
                who.user, "notify.send", target=target, region=region, outcome="failed",
                after={**facts, "error": error}, source=who.source,
            )  # fmt: skip
            return Delivery(
                digest.user, digest.channel, len(digest.items), digest.counts(), "failed", error, digest
            )
        with self.ep.writer() as w, w.catalog.transaction():
            store.record_sent(
                w.catalog, digest.user, digest.channel, [(i.key, i.kind) for i in digest.items], _now()
            )
            w.audit.record(who, "notify.send", target=target, region=region, after=facts)
        return Delivery(digest.user, digest.channel, len(digest.items), digest.counts(), "sent", None, digest)


def every(
    ep: Ecoplan,
    minutes: float,
    stop: threading.Event,
    settings: Settings | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Send the digests every ``minutes`` until ``stop`` is set (``ecoplan serve
    --notify-every``): each round reads a snapshot of the store and writes what it sent
    through the single writer, as ``ecoplan notify run`` does, as the national shell. A
    round that fails is reported to ``on_error`` and the next one tries again (nothing
    was recorded for what was not delivered)."""
    who = Principal.shell("serve")
    while not stop.wait(max(1.0, minutes * 60)):
        try:
            with ep.reader() as r:
                Notify(r).run(who, settings or Settings.from_env())
        except Exception as exc:  # a round must never end the server
            if on_error is not None:
                on_error(exc)

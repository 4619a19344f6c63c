"""``ecoplan notify subscribe|list|remove|run``: notification subscriptions and the digest run.

The shell is the national admin (:meth:`Principal.shell`); it has no account of its
own, so ``subscribe``, ``list`` and ``remove`` act for the account ``--user`` names.
``run`` sends every subscriber one digest per channel of what is new since the last
run (:mod:`ecoplan.app.notify`); schedule it (cron, a systemd timer) as often as
subscribers should hear. SMTP settings come from the options or from
``ECOPLAN_SMTP_HOST``/``_PORT``/``_FROM``/``_USER``/``_PASSWORD``/``_STARTTLS``
(a password only from the environment, never on a command line).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.app.notify import KINDS, LEVELS, Settings
from ecoplan.cli.root import app
from ecoplan.core.access import Principal
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, bad_choice, out, say, words
from ecoplan.kit.options import ListFmt

__all__ = ["notify_app"]

notify_app = typer.Typer(
    no_args_is_help=True,
    help="Notifications: subscriptions and the digest run (e-mail, webhook) / 订阅与提醒",
)
app.add_typer(notify_app, name="notify")

UserOpt = Annotated[str | None, typer.Option("--user", help="The account to act for (the shell has none)")]


def _user(user: str | None, lang: str) -> str:
    if not user:
        _fail(EcoplanError.worded("notify.error.need_user"), lang)
    return user


def _now(value: str | None, lang: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        _fail(EcoplanError.worded("notify.error.now", value=value), lang)
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t


def _counts(counts: dict[str, int], lang: str) -> str:
    w = words(lang)
    return w("cli.list_sep").join(f"{w(f'notify.kind.{k}')} {n}" for k, n in counts.items())


@notify_app.command("subscribe")
def subscribe(
    region: Annotated[
        str, typer.Option(help="Region code: the subtree to hear of (inside the user's scope)")
    ],
    user: UserOpt = None,
    plan: Annotated[str | None, typer.Option(help="Only this plan (default: every plan)")] = None,
    min_severity: Annotated[str, typer.Option(help="Least warning level: red, amber or watch")] = "watch",
    kinds: Annotated[
        str, typer.Option(help="Comma-separated: warning, overdue_task, missing_report, returned")
    ] = ",".join(KINDS),
    email: Annotated[str | None, typer.Option(help="E-mail address")] = None,
    webhook: Annotated[str | None, typer.Option(help="Webhook URL (http or https)")] = None,
    secret: Annotated[
        str | None, typer.Option(help="Webhook signing secret (≥ 16 characters; generated when omitted)")
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Subscribe an account to notices of a region. / 添加订阅"""
    name = _user(user, lang)
    if min_severity not in LEVELS:
        bad_choice("--min-severity", min_severity, LEVELS, lang)
    chosen = [k.strip() for k in kinds.split(",") if k.strip()]
    try:
        with _session(db, lang) as ep:
            sub = ep.notify.subscribe(
                Principal.shell(),
                user=name,
                region=region,
                plan_id=plan,
                min_severity=min_severity,
                kinds=chosen,
                email=email,
                webhook_url=webhook,
                webhook_secret=secret,
            )
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    say(
        w(
            "notify.cli.subscribed",
            user=name,
            id=sub["id"],
            region=sub["region"],
            plan=sub["plan"] or w("notify.cli.all_plans"),
            level=w(f"warning.{sub['min_severity']}"),
            kinds=w("cli.list_sep").join(w(f"notify.kind.{k}") for k in sub["kinds"]),
        )
    )
    if "webhook_secret" in sub and secret is None:
        say(w("notify.cli.secret", secret=sub["webhook_secret"]))


@notify_app.command("list")
def list_(
    user: UserOpt = None,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """An account's subscriptions. / 订阅列表"""
    name = _user(user, lang)
    try:
        with _session(db, lang) as ep:
            subs = ep.notify.subscriptions(Principal.shell(), user=name)
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is not ListFmt.table:
        _dump_json(subs)
        return
    w = words(lang)
    if not subs:
        say(w("notify.cli.none"))
        return
    heads = ("id", "user", "region", "plan", "level", "kinds", "email", "webhook")
    t = Table(*(w(f"notify.header.{h}") for h in heads))
    for s in subs:
        t.add_row(
            str(s["id"]),
            escape(s["user"]),
            s["region"],
            escape(s["plan"] or w("notify.cli.all_plans")),
            w(f"warning.{s['min_severity']}"),
            w("cli.list_sep").join(w(f"notify.kind.{k}") for k in s["kinds"]),
            escape(s["email"] or "—"),
            escape(s["webhook_url"] or "—"),
        )
    out.print(t)
    say(w("notify.cli.count", count=len(subs)))


@notify_app.command("remove")
def remove(
    subscription: Annotated[int, typer.Argument(help="The subscription's number (see `notify list`)")],
    user: UserOpt = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Remove one of an account's subscriptions. / 删除订阅"""
    name = _user(user, lang)
    try:
        with _session(db, lang) as ep:
            ep.notify.unsubscribe(Principal.shell(), subscription, user=name)
    except EcoplanError as exc:
        _fail(exc, lang)
    say(words(lang)("notify.cli.removed", user=name, id=subscription))


@notify_app.command("run")
def run(
    now: Annotated[
        str | None, typer.Option(help="The moment to judge what is due at (ISO; default: now, UTC)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send nothing")
    ] = False,
    user: Annotated[list[str] | None, typer.Option("--user", help="Only these accounts (repeatable)")] = None,
    smtp_host: Annotated[str | None, typer.Option(help="SMTP server [env ECOPLAN_SMTP_HOST]")] = None,
    smtp_port: Annotated[int | None, typer.Option(help="SMTP port [env ECOPLAN_SMTP_PORT, 25]")] = None,
    smtp_from: Annotated[str | None, typer.Option(help="Sender address [env ECOPLAN_SMTP_FROM]")] = None,
    smtp_user: Annotated[
        str | None,
        typer.Option(help="SMTP login (password: env ECOPLAN_SMTP_PASSWORD) [env ECOPLAN_SMTP_USER]"),
    ] = None,
    smtp_starttls: Annotated[
        bool | None,
        typer.Option("--smtp-starttls/--no-smtp-starttls", help="STARTTLS [env ECOPLAN_SMTP_STARTTLS]"),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(help="Reporting deadline MM-DD of the next year [env ECOPLAN_REPORT_DEADLINE, 03-31]"),
    ] = None,
    warn_days: Annotated[
        int | None, typer.Option(help="Days before the deadline to warn [env ECOPLAN_REPORT_WARN_DAYS, 30]")
    ] = None,
    allow_private_webhooks: Annotated[
        bool | None,
        typer.Option(
            "--allow-private-webhooks",
            help="Post to loopback/private addresses [env ECOPLAN_WEBHOOK_ALLOW_PRIVATE]",
        ),
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Send every subscriber one digest per channel of what is new. / 发送提醒"""
    moment = _now(now, lang)
    try:
        settings = Settings.from_env(
            smtp_host=smtp_host,
            smtp_port=smtp_port,
            smtp_from=smtp_from,
            smtp_user=smtp_user,
            smtp_starttls=smtp_starttls,
            deadline=deadline,
            warn_days=warn_days,
            allow_private_webhooks=allow_private_webhooks,
        )
        with _session(db, lang) as ep:
            done = ep.notify.run(Principal.shell(), settings, now=moment, dry_run=dry_run, users=user or None)
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    if not done:
        say(w("notify.cli.nothing"))
        return
    for d in done:
        params = {"user": d.user, "channel": d.shown, "n": d.items, "counts": _counts(d.counts, lang)}
        if d.outcome == "dry_run":
            say(w("notify.cli.dry_run", **params))
            if d.digest is not None:
                say(d.digest.subject)
                say(d.digest.text)
        elif d.outcome == "sent":
            say(w("notify.cli.sent", **params))
        else:
            say(w("notify.cli.failed", **params, error=d.error or "—"))
    if not dry_run:
        failed = sum(d.outcome == "failed" for d in done)
        say(w("notify.cli.summary", sent=len(done) - failed, failed=failed))
        if failed:
            raise typer.Exit(1)

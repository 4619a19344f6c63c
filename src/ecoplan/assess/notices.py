"""What a notification tells, and how it reads (issue #12, point 5): pure.

Given the store's state as plain lists (the warnings the region pages show, tasks with
their latest status, plans, the values reported and the submissions returned), these
functions say which items a :class:`Subscription` is due — each with a stable ``key``,
so a delivery can record what it told and the next run tell only what is new — and
:func:`compose` writes one digest of them, grouped by kind, in Chinese and in English.
:func:`sign` is the HMAC-SHA256 a webhook receiver checks. The delivery and the store
are :mod:`ecoplan.app.notify`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecoplan.core.access import covers
from ecoplan.core.errors import EcoplanError
from ecoplan.core.regions import bundled_regions
from ecoplan.core.words import word

if TYPE_CHECKING:
    from ecoplan.plans.model import Plan

__all__ = [
    "CLOSED_TASK",
    "KINDS",
    "LEVELS",
    "Deadline",
    "Digest",
    "Item",
    "Subscription",
    "compose",
    "missing_report_items",
    "overdue_task_items",
    "report_years",
    "returned_items",
    "sign",
    "warning_items",
]

KINDS = ("warning", "overdue_task", "missing_report", "returned")
#: Warning levels, most severe first.
LEVELS = ("red", "amber", "watch")
#: Task statuses that close a task (no longer overdue).
CLOSED_TASK = frozenset({"done", "cancelled"})
#: Missing indicators named in one item (the rest are counted).
NAMED_MISSING = 6
#: Characters of a reviewer's comment an item quotes.
MAX_COMMENT = 500
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def _parent(code: str) -> str | None:
    r = bundled_regions().get(code)
    return r.parent if r is not None else None


def _both(text: Any) -> dict[str, str]:
    """A name as ``{"zh", "en"}`` (a Message, a Text, a mapping or a plain string)."""
    if isinstance(text, Mapping):
        zh = str(text.get("zh") or text.get("en") or "")
        return {"zh": zh, "en": str(text.get("en") or zh)}
    zh = str(getattr(text, "zh", None) or text or "")
    return {"zh": zh, "en": str(getattr(text, "en", None) or zh)}


def _texts(key: str, **params: Any) -> dict[str, str]:
    return {lang: word(key, lang, **params) for lang in ("zh", "en")}


# -- the reporting deadline --------------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    """When values are due: those of year Y by ``deadline`` (``MM-DD``) of year Y + 1,
    told of from ``warn_days`` days before it."""

    deadline: str = "03-31"
    warn_days: int = 30

    def deadline_of(self, year: int) -> dt.date:
        """The day by which the values of ``year`` are due."""
        m = _MONTH_DAY.fullmatch(self.deadline)
        try:
            if m is None:
                raise ValueError
            return dt.date(year + 1, int(m[1]), int(m[2]))
        except ValueError:
            raise EcoplanError.worded("notify.error.setting", name="deadline", value=self.deadline) from None


# -- subscriptions and items -------------------------------------------------------------------
@dataclass(frozen=True)
class Subscription:
    user: str
    id: int
    region: str
    plan: str | None
    min_severity: str
    kinds: tuple[str, ...]
    email: str | None
    webhook_url: str | None
    webhook_secret: str | None = field(default=None, repr=False)
    created_at: dt.datetime | None = None

    @classmethod
    def of_row(cls, r: Mapping[str, Any]) -> Subscription:
        return cls(
            user=str(r["user_name"]),
            id=int(r["id"]),
            region=str(r["region"]),
            plan=r["plan_id"],
            min_severity=str(r["min_severity"] or "watch"),
            kinds=tuple(k for k in str(r["kinds"] or "").split(",") if k) or KINDS,
            email=r["email"],
            webhook_url=r["webhook_url"],
            webhook_secret=r["webhook_secret"],
            created_at=r["created_at"],
        )

    def public(self) -> dict[str, Any]:
        """The subscription as its owner sees it: the webhook secret is never shown again."""
        return {
            "id": self.id,
            "user": self.user,
            "region": self.region,
            "plan": self.plan,
            "min_severity": self.min_severity,
            "kinds": list(self.kinds),
            "email": self.email,
            "webhook_url": self.webhook_url,
            "webhook_secret_set": bool(self.webhook_secret),
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    def channels(self) -> list[str]:
        out = []
        if self.email:
            out.append(f"email:{self.email}")
        if self.webhook_url:
            out.append(f"webhook:{self.webhook_url}")
        return out


@dataclass(frozen=True)
class Item:
    """One thing to tell: a stable ``key`` (the same thing keeps its key across runs), its
    kind, region and plan, the sentence in zh and en, and the facts for machines."""

    key: str
    kind: str
    region: str
    plan: str | None
    text: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "region": self.region,
            "plan": self.plan,
            "text_zh": self.text["zh"],
            "text_en": self.text["en"],
            **{k: v for k, v in self.data.items() if k not in {"key", "kind"}},
        }


def _in(sub: Subscription, region: str) -> bool:
    return covers(sub.region, region, _parent)


def _level_ok(level: str, least: str) -> bool:
    return level in LEVELS and LEVELS.index(level) <= LEVELS.index(least)


def warning_items(warnings: Iterable[Mapping[str, Any]], sub: Subscription) -> list[Item]:
    """The warnings (``ep.warnings().items``) of the subscription's regions and plan at or
    above its level; one item per plan, region, indicator, year and level."""
    out = []
    for w in warnings:
        if sub.plan is not None and w["plan"] != sub.plan:
            continue
        if not _level_ok(str(w["level"]), sub.min_severity) or not _in(sub, str(w["region"])):
            continue
        key = f"warning:{w['plan']}:{w['region']}:{w['indicator']}:{w['year']}:{w['level']}"
        text = _texts(
            "notify.item.warning",
            plan={"zh": w["plan_title_zh"], "en": w["plan_title_en"]},
            region={"zh": w["region_zh"], "en": w["region_en"]},
            indicator={"zh": w["indicator_zh"], "en": w["indicator_en"]},
            year=w["year"],
            level={lang: word(f"warning.{w['level']}", lang) for lang in ("zh", "en")},
            reason={"zh": w.get("reason_zh") or "", "en": w.get("reason") or ""},
        )
        data = {k: w[k] for k in ("indicator", "year", "level", "severity", "status") if k in w}
        out.append(Item(key, "warning", str(w["region"]), str(w["plan"]), text, data))
    return out


def overdue_task_items(
    tasks: Iterable[Mapping[str, Any]], plans: Mapping[str, Plan], sub: Subscription, today: dt.date
) -> list[Item]:
    """Tasks of plans whose region lies in the subscription, due before ``today`` and not done."""
    out = []
    for t in tasks:
        plan = plans.get(str(t["plan_id"]))
        due = t.get("due")
        if plan is None or due is None or (sub.plan is not None and plan.id != sub.plan):
            continue
        if not _in(sub, plan.region) or due >= today or (t.get("status") or "") in CLOSED_TASK:
            continue
        key = f"overdue_task:{plan.id}:{t['id']}:{due.isoformat()}"
        status = str(t.get("status") or "not_started")
        text = _texts(
            "notify.item.overdue_task",
            plan=_both(plan.title),
            task={"zh": t.get("text_zh") or t["id"], "en": t.get("text_en") or t.get("text_zh") or t["id"]},
            due=due.isoformat(),
            days=(today - due).days,
            status={lang: word(f"notify.task_status.{status}", lang) for lang in ("zh", "en")}
            if status in {"not_started", "in_progress", "delayed"}
            else {"zh": status, "en": status},
        )
        data = {"task": t["id"], "due": due.isoformat(), "status": status}
        out.append(Item(key, "overdue_task", plan.region, plan.id, text, data))
    return out


def report_years(plan: Plan, today: dt.date, settings: Deadline) -> list[int]:
    """Years of ``plan`` whose values fall due within ``settings.warn_days`` of ``today``
    (on the deadline day itself still due; the day after, no longer)."""
    out = []
    for year in range(plan.start, plan.end + 1):
        due = settings.deadline_of(year)
        if due - dt.timedelta(days=settings.warn_days) <= today <= due:
            out.append(year)
    return out


def _report_regions(plan: Plan, sub: Subscription, children: Iterable[str], reporting: set[str]) -> list[str]:
    """The regions of ``sub`` that report to ``plan``: the subscribed region when in the
    plan's territory, the plan's own region when in the subscription, and the direct
    children of the subscribed region that have reported to the plan before."""
    out: list[str] = []
    if covers(plan.region, sub.region, _parent):
        out.append(sub.region)
    if plan.region != sub.region and _in(sub, plan.region):
        out.append(plan.region)
    for c in sorted(children):
        if c in reporting and c not in out and covers(plan.region, c, _parent):
            out.append(c)
    return out


def missing_report_items(
    plans: Iterable[Plan],
    sub: Subscription,
    today: dt.date,
    settings: Deadline,
    *,
    have: Mapping[str, set[tuple[str, str, int]]],
    names: Mapping[str, Any],
    children: Iterable[str] = (),
) -> list[Item]:
    """Plans of the subscription with values of a year falling due soon: one item per
    plan, region and year naming the indicators with no value (``have[plan]`` holds the
    (indicator, region, year) with a published or pending submitted value)."""
    out = []
    kids = list(children)
    for plan in plans:
        if sub.plan is not None and plan.id != sub.plan:
            continue
        years = report_years(plan, today, settings)
        if not years:
            continue
        got = have.get(plan.id, set())
        reporting = {r for (_, r, _) in got}
        for region in _report_regions(plan, sub, kids, reporting):
            for year in years:
                missing = [i.id for i in plan.indicators if (i.id, region, year) not in got]
                if not missing:
                    continue
                due = settings.deadline_of(year)
                shown = ", ".join(missing[:NAMED_MISSING]) + (" …" if len(missing) > NAMED_MISSING else "")
                text = _texts(
                    "notify.item.missing_report",
                    plan=_both(plan.title),
                    region=_both(names.get(region, region)),
                    year=year,
                    deadline=due.isoformat(),
                    days=(due - today).days,
                    n=len(missing),
                    total=len(plan.indicators),
                    ids=shown,
                )
                key = f"missing_report:{plan.id}:{region}:{year}"
                data = {"year": year, "deadline": due.isoformat(), "missing": missing}
                out.append(Item(key, "missing_report", region, plan.id, text, data))
    return out


def returned_items(
    submissions: Iterable[Mapping[str, Any]], sub: Subscription, names: Mapping[str, Any]
) -> list[Item]:
    """The user's submissions in state ``returned`` (one item per return: a submission
    returned again after a resubmission is told again)."""
    out = []
    for s in submissions:
        if s["state"] != "returned" or s["author"] != sub.user:
            continue
        if (sub.plan is not None and s["plan_id"] != sub.plan) or not _in(sub, str(s["region"])):
            continue
        when = s["updated_at"]
        stamp = when.isoformat() if isinstance(when, dt.datetime) else str(when)
        key = f"returned:{s['id']}:{stamp}"
        text = _texts(
            "notify.item.returned",
            id=s["id"],
            kind={lang: word(f"notify.submission_kind.{s['kind']}", lang) for lang in ("zh", "en")}
            if s["kind"] in {"values", "task", "project"}
            else {"zh": str(s["kind"]), "en": str(s["kind"])},
            plan=s["plan_id"],
            region=_both(names.get(str(s["region"]), s["region"])),
            reviewer=s.get("reviewer") or "—",
            comment=(s.get("comment") or "—")[:MAX_COMMENT],
        )
        data = {"submission": s["id"], "comment": s.get("comment"), "reviewer": s.get("reviewer")}
        out.append(Item(key, "returned", str(s["region"]), str(s["plan_id"]), text, data))
    return out


# -- the digest ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Digest:
    """One message to one user on one channel: a subject, a plain-text body (zh, then en),
    and the JSON a webhook receives."""

    user: str
    channel: str
    items: tuple[Item, ...]
    subject: str
    text: str
    payload: dict[str, Any]

    def counts(self) -> dict[str, int]:
        return {k: n for k in KINDS if (n := sum(i.kind == k for i in self.items))}


def compose(user: str, channel: str, items: Iterable[Item], now: dt.datetime) -> Digest:
    """The digest of ``items`` for ``user``: grouped by kind (in :data:`KINDS` order), each
    group in zh and then in en; the same items, as JSON, for a webhook."""
    ordered = sorted(items, key=lambda i: (KINDS.index(i.kind), i.key))
    n = len(ordered)
    subject = f"{word('notify.digest.subject', 'zh', n=n)} / {word('notify.digest.subject', 'en', n=n)}"
    lines: list[str] = []
    for lang in ("zh", "en"):
        lines.append(word("notify.digest.intro", lang, user=user, n=n, at=now.isoformat(timespec="minutes")))
        for kind in KINDS:
            group = [i for i in ordered if i.kind == kind]
            if not group:
                continue
            lines += ["", word(f"notify.kind.{kind}", lang) + f" ({len(group)})"]
            lines += [f"- {i.text[lang]}" for i in group]
        lines += ["", ""]
    lines.append(word("notify.digest.footer", "zh") + " / " + word("notify.digest.footer", "en"))
    payload = {
        "user": user,
        "generated_at": now.isoformat(timespec="seconds"),
        "counts": {k: sum(i.kind == k for i in ordered) for k in KINDS},
        "items": [i.to_json() for i in ordered],
    }
    return Digest(user, channel, tuple(ordered), subject, "\n".join(lines) + "\n", payload)


# -- the webhook signature ---------------------------------------------------------------------
def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` with the subscription's secret."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()

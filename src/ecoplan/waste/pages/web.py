"""The waste pages of their own (``Domain.web``), mounted by the web shell at ``/waste/…``
with the dashboard's layout and language switch, each with its JSON twin (``?format=json``):

``/waste/manifests/{manifest_no}``
    A manifest's journey: the producer → receiver line on a map, the manifest's fields,
    its waste lines (shipped and received) and its events (state moves, corrections with
    their versions).
``/waste/actors/{actor_id}/ledger``
    An enterprise's ledger (HJ 1259-2022): the mass balance per code for ``?period=``
    (default: the month of its newest record) and the records of the period.
``/waste/alerts``
    The alerts the alerts' pipeline stored (``waste_alerts``; ``?rule=``), newest first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ecoplan.core.words import has, word
from ecoplan.waste.pages import Col, journey, table

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")

MANIFEST_COLS = (
    Col("manifest_no", code=True),
    Col("status"),
    Col("producer_id", code=True, href="/waste/actors/{producer_id}/ledger?lang={lang}"),
    Col("transporter_id", code=True),
    Col("receiver_id", code=True),
    Col("approval_no", code=True),
    Col("shipped_at"),
    Col("arrived_at"),
    Col("confirmed_at"),
    Col("closed_at"),
    Col("vehicle", quoted=True),
    Col("version"),
)
LINE_COLS = (
    Col("line_no"),
    Col("code", code=True),
    Col("form", quoted=True),
    Col("packaging", quoted=True),
    Col("containers"),
    Col("qty_shipped_t"),
    Col("qty_received_t"),
    Col("containers_received"),
    Col("code_received", code=True),
)
EVENT_COLS = (Col("at"), Col("event"), Col("from_status"), Col("to_status"), Col("version"))
BALANCE_COLS = tuple(
    Col(f, code=f == "code")
    for f in ("code", "opening", "generated", "shipped", "self_treated", "closing", "imbalance", "balanced")
)
LEDGER_COLS = (
    Col("batch_code", code=True),
    Col("stage"),
    Col("at"),
    Col("code", code=True),
    Col("quantity_t"),
    Col("container_code", code=True),
    Col("linked_batch", code=True),
)
ALERT_COLS = (
    Col("rule", code=True),
    Col("rule_name"),
    Col("subject", code=True, href="{subject_href}"),
    Col("at"),
    Col("evidence", code=True),
    Col("source", code=True),
)


def _alert_row(r: dict[str, Any], lang: str) -> dict[str, Any]:
    """An alert as the list shows it: the rule's name when the alerts' words have it
    (``waste.alerts.rule.<id>``), the subject linked to its manifest (a manifest or one of
    its lines, ``no/line``), or to an actor's ledger (``actor:…`` subjects; an approval's
    alert: its receiver's, named in the evidence)."""
    key = "waste.alerts.rule." + str(r["rule"]).lower().replace(".", "_")
    subject = str(r["subject"])
    ev = r.get("evidence")
    evidence: dict[str, Any] = ev if isinstance(ev, dict) else {}
    manifest = re.fullmatch(r"(\d{14})(?:/\d+)?", subject)
    if manifest:
        href = f"/waste/manifests/{manifest.group(1)}"
    elif str(r["rule"]).startswith("R6.") and evidence.get("receiver"):
        href = f"/waste/actors/{evidence['receiver']}/ledger"
    else:
        href = f"/waste/actors/{subject.split(':', 1)[0]}/ledger"
    return {
        **r,
        "rule_name": word(key, lang) if has(key) else None,
        "subject_href": f"{href}?lang={lang}",
        "evidence": json.dumps(r["evidence"], ensure_ascii=False, default=str)[:300],
    }


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The waste pages, each reading through ``session()`` and answered by ``render``."""
    router = APIRouter()

    @router.get("/manifests/{manifest_no}")
    def manifest_page(
        manifest_no: str = Path(pattern=r"^\d{14}$"), lang: str = Lang, format: str = Format
    ) -> Response:
        with session() as ep:
            m = ep.waste.manifest(manifest_no)
            alerts = ep.waste.alerts(subject=manifest_no)
        parties = m["parties"]
        path = f"/waste/manifests/{manifest_no}"
        return render(
            "waste/manifest.html",
            word("waste.page.manifest", lang, manifest=manifest_no),
            lang,
            path,
            m,
            format,
            m=m,
            producer=parties.get("producer"),
            receiver=parties.get("receiver"),
            route=journey(parties.get("producer"), parties.get("receiver")),
            head=table("waste-manifest", MANIFEST_COLS, [m], lang),
            lines=table("waste-lines", LINE_COLS, m["lines"], lang),
            events=table("waste-events", EVENT_COLS, m["events"], lang),
            alerts=table("waste-manifest-alerts", ALERT_COLS, [_alert_row(a, lang) for a in alerts], lang),
        )

    @router.get("/actors/{actor_id}/ledger")
    def ledger_page(
        actor_id: str = Path(min_length=1, max_length=64),
        period: str | None = Query(None, pattern=r"^\d{4}(-\d{2}|Q[1-4])?$"),
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        with session() as ep:
            actor = ep.waste.actor(actor_id)
            if period is None:
                every = ep.waste.ledger(actor_id)
                period = every[-1]["at"].strftime("%Y-%m") if every else None
            balances = [b.to_dict() for b in ep.waste.balance(actor_id, period)] if period else []
            records = ep.waste.ledger(actor_id, period) if period else []
            manifests = ep.waste.manifests(actor=actor_id, limit=50)
            alerts = ep.waste.alerts(subject=actor_id)
        data = {"actor": actor, "period": period, "balance": balances, "records": records}
        mcols = (
            Col("manifest_no", code=True, href="/waste/manifests/{manifest_no}?lang={lang}"),
            Col("status"),
            Col("producer_id", code=True),
            Col("receiver_id", code=True),
            Col("shipped_at"),
        )
        return render(
            "waste/ledger.html",
            word("waste.page.ledger", lang, name=actor["name"]),
            lang,
            f"/waste/actors/{actor_id}/ledger" + (f"?period={period}" if period else ""),
            data,
            format,
            actor=actor,
            period=period,
            unbalanced=[b for b in balances if not b["balanced"]],
            balance=table("waste-balance", BALANCE_COLS, balances, lang),
            records=table("waste-records", LEDGER_COLS, records, lang),
            manifests=table("waste-manifests", mcols, manifests, lang),
            alerts=table("waste-actor-alerts", ALERT_COLS, [_alert_row(a, lang) for a in alerts], lang),
        )

    @router.get("/alerts")
    def alerts_page(
        rule: str | None = Query(None, max_length=64), lang: str = Lang, format: str = Format
    ) -> Response:
        with session() as ep:
            rows = ep.waste.alerts(rule)
        shown = [_alert_row(r, lang) for r in rows[:500]]
        return render(
            "waste/alerts.html",
            word("waste.page.alerts", lang),
            lang,
            "/waste/alerts" + (f"?rule={rule}" if rule else ""),
            {"total": len(rows), "alerts": rows[:500]},
            format,
            alerts=table("waste-alerts", ALERT_COLS, shown, lang),
        )

    return router

"""The sources pages of their own (``Domain.web``), mounted by the web shell at
``/sources/…`` with the dashboard's layout and language switch, each with its JSON twin:

``/sources/enterprises/{credit_code}``
    The enterprise's outlets and devices, its live values against the permit's limits,
    its hourly history (one chart per outlet and factor, the hourly limit dashed; the
    newest seven days, or ``?start=&end=``), its exceedances, alarms and permits.
``/sources/cards``
    The quarterly yellow/red list (``?quarter=2020Q2&region=``; default the newest quarter
    with a list).
``/sources/exceedances``, ``/sources/alarms``
    The exceedance events and abnormal-data alarms (``?region=``), newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import word
from ecoplan.sources.pages import ALARM_COLS, CARD_COLS, EXCEEDANCE_COLS, card_quarter, with_permitted
from ecoplan.sources.pages.common import Col, chart, factor_name, frame, records, table

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["HISTORY_DAYS", "MAX_EVENTS", "live_vs_limits", "routes"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")
Region: Any = Query(None, pattern=r"^\d{6}$")
CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{18}$"

#: The history an enterprise page shows by default: the newest week of hours.
HISTORY_DAYS = 7
#: The most charts an enterprise page draws (outlets × factors with a limit).
MAX_CHARTS = 24
#: The most events a list page shows (the API pages through all of them).
MAX_EVENTS = 500

OUTLET_COLS = (
    Col("outlet_id", "sources.web.col.outlet", "id"),
    Col("name", "sources.web.col.outlet_name", "name"),
    Col("medium", "sources.web.col.medium", "medium"),
    Col("standard", "sources.web.col.standard"),
    Col("ref_o2", "sources.web.col.ref_o2", "number"),
    Col("devices", "sources.web.col.mn", "id"),
)
LIVE_COLS = (
    Col("outlet_id", "sources.web.col.outlet", "id"),
    Col("factor", "sources.web.col.factor", "factor"),
    Col("data_time", "sources.web.col.data_time", "time"),
    Col("value", "sources.web.col.value", "number"),
    Col("zs_value", "sources.web.col.zs_value", "number"),
    Col("limit_value", "sources.web.col.limit", "number"),
    Col("unit", "sources.web.col.unit"),
    Col("basis", "sources.web.col.basis", "status"),
    Col("status", "sources.web.col.status", "status"),
)
TOTAL_COLS = (
    Col("year", "header.year"),
    Col("factor", "sources.web.col.factor", "factor"),
    Col("tonnes", "sources.web.col.quantity_t", "number"),
    Col("permitted_t", "sources.web.col.permitted_t", "number"),
    Col("share_pct", "sources.web.col.share_pct", "number"),
)
PERMIT_COLS = (
    Col("permit_no", "sources.web.col.permit_no", "id"),
    Col("valid_from", "sources.web.col.valid_from", "date"),
    Col("valid_to", "sources.web.col.valid_to", "date"),
    Col("report_cycle", "sources.web.col.report_cycle", "cycle"),
)


def _first(row: dict[str, Any], *names: str) -> Any:
    return next((row[n] for n in names if row.get(n) is not None), None)


def live_vs_limits(live: list[dict[str, Any]], limits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each live value beside its outlet's limit for the factor (the hourly one first):
    the converted (折算) value is compared where the limit has a reference O₂ (hj212 spec
    §9.4, HJ 212-2017 Annex D.2.3), the measured value otherwise; ``status`` is
    ``over``, ``within`` or ``no_limit``. Indicative: compliance is judged on hourly
    means (the exceedances)."""
    order = {"hour": 0, "day": 1}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for x in sorted(limits, key=lambda r: order.get(str(r.get("basis")), 9)):
        best.setdefault((str(x.get("outlet_id")), str(x.get("factor"))), x)
    out = []
    for r in live:
        lim = best.get((str(r.get("outlet_id")), str(r.get("factor"))))
        value = _first(r, "rtd", "avg")
        zs = _first(r, "zs_rtd", "zs_avg")
        row = {
            "outlet_id": r.get("outlet_id"),
            "mn": r.get("mn"),
            "cn": r.get("cn"),
            "factor": r.get("factor"),
            "data_time": r.get("data_time"),
            "value": value,
            "zs_value": zs,
            "flag": r.get("flag"),
            "limit_value": None,
            "unit": None,
            "basis": None,
            "status": "no_limit",
        }
        if lim is not None:
            compared = zs if lim.get("ref_o2") is not None and zs is not None else value
            row.update(limit_value=lim.get("limit_value"), unit=lim.get("unit"), basis=lim.get("basis"))
            if compared is not None and lim.get("limit_value") is not None:
                row["status"] = "over" if float(compared) > float(lim["limit_value"]) else "within"
        out.append(row)
    return sorted(out, key=lambda r: (str(r["outlet_id"]), str(r["factor"])))


def _history(
    ep: Ecoplan,
    outlets: list[str],
    limits: list[dict[str, Any]],
    start: dt.datetime | None,
    end: dt.datetime | None,
    newest: dt.datetime | None,
    lang: str,
) -> tuple[list[dict[str, Any]], dt.datetime | None, dt.datetime | None]:
    """The charts of the hours in [start, end]; without either, the :data:`HISTORY_DAYS`
    up to the hour of the ``newest`` live value of minute or hourly data (one bounded read
    per outlet), or, when those hours are empty (only daily records since, say), the
    newest week of the hours there are."""
    hourly: list[dict[str, Any]] = []
    shown_end = end
    if start is not None or end is not None:
        hourly = [
            r
            for o in outlets
            for r in records(frame(ep, "facts", "hourly", outlet_id=o, start=start, end=end))
        ]
    else:
        if newest is not None:
            shown_end = newest.replace(minute=0, second=0, microsecond=0)
            start = shown_end - dt.timedelta(days=HISTORY_DAYS, hours=-1)
            stop = shown_end + dt.timedelta(hours=1)
            hourly = [
                r
                for o in outlets
                for r in records(frame(ep, "facts", "hourly", outlet_id=o, start=start, end=stop))
            ]
        if not hourly:
            hourly = [r for o in outlets for r in records(frame(ep, "facts", "hourly", outlet_id=o))]
            if hourly:
                shown_end = max(r["hour"] for r in hourly)
                start = shown_end - dt.timedelta(days=HISTORY_DAYS, hours=-1)
                hourly = [r for r in hourly if r["hour"] >= start]
    if not hourly:
        return [], start, shown_end
    end = shown_end
    hour_limit = {
        (str(x.get("outlet_id")), str(x.get("factor"))): x for x in limits if str(x.get("basis")) == "hour"
    }
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in hourly:
        series.setdefault((str(r["outlet_id"]), str(r["factor"])), []).append(r)
    charts = []
    limited = {(str(x.get("outlet_id")), str(x.get("factor"))) for x in limits}
    keys = sorted(series)
    # the pollutants the permit limits (not O2, flow, temperature …), unless none is limited
    keys = [k for k in keys if k in limited] or keys
    for outlet, factor in keys:
        rows = series[(outlet, factor)]
        lim = hour_limit.get((outlet, factor))
        # the value the hour is judged on (the converted mean where the limit has a
        # reference O2, hj212 spec §9.4), as the facts store it; else the same choice here
        converted = lim is not None and lim.get("ref_o2") is not None
        pts = [
            (r["hour"], _first(r, "value", "zs_avg", "avg") if converted else _first(r, "value", "avg"))
            for r in rows
        ]
        limit = next((r["limit_value"] for r in rows if r.get("limit_value") is not None), None)
        if limit is None and lim is not None:
            limit = lim.get("limit_value")
        c = chart([(t, float(v)) for t, v in pts if v is not None], limit)
        if c is not None:
            unit = None if lim is None else lim.get("unit")
            c.update(outlet=outlet, factor=factor_name(factor, lang), code=factor, unit=unit)
            charts.append(c)
    return charts[:MAX_CHARTS], start, end


def _when(value: str | None, name: str, *, end: bool = False) -> dt.datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time.max if end else dt.time.min)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise EcoplanError.worded("sources.web.bad_time", name=name, value=value) from None


def _quarter_step(q: str, step: int) -> str:
    n = int(q[:4]) * 4 + int(q[5]) - 1 + step
    return f"{n // 4}Q{n % 4 + 1}"


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The sources pages, each reading through ``session()`` and answered by ``render``
    (the shell's page with its layout, or the JSON twin)."""
    router = APIRouter()

    @router.get("/enterprises/{credit_code}")
    def enterprise_page(
        credit_code: str = Path(pattern=CREDIT_CODE),
        start: str | None = Query(None, max_length=19),
        end: str | None = Query(None, max_length=19),
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        s, e = _when(start, "start"), _when(end, "end", end=True)
        with session() as ep:
            ent = ep.sources.registry.enterprise(credit_code)
            region_name = ep.region(str(ent["region"])).name(lang)
            outlets = records(frame(ep, "registry", "outlets", credit_code=credit_code))
            ids = [str(o["outlet_id"]) for o in outlets]
            devices = list(ent.get("devices") or [])
            for o in outlets:
                o["devices"] = ", ".join(
                    str(d["mn"]) for d in devices if d.get("outlet_id") == o["outlet_id"]
                )
            limits = [x for o in ids for x in records(frame(ep, "registry", "limits", outlet_id=o))]
            live = live_vs_limits(records(frame(ep, "frames", "latest", credit_code=credit_code)), limits)
            # the newest value of the frames hours are made of (not a daily record, CN 2031)
            newest = max(
                (r["data_time"] for r in live if r.get("data_time") is not None and r.get("cn") != "2031"),
                default=None,
            )
            charts, s, e = _history(ep, ids, limits, s, e, newest, lang)
            exc = records(frame(ep, "facts", "exceedances", credit_code=credit_code))
            alarms = records(frame(ep, "facts", "alarms", credit_code=credit_code))
            permits = records(frame(ep, "registry", "permits", credit_code=credit_code))
            totals = with_permitted(
                ep,
                [
                    r
                    for r in records(frame(ep, "facts", "totals", region=str(ent["region"])))
                    if r.get("credit_code") == credit_code
                ],
            )
        totals.sort(key=lambda r: (-int(r.get("year") or 0), str(r.get("factor"))))
        exc.sort(key=lambda r: str(r.get("start") or ""), reverse=True)
        alarms.sort(key=lambda r: str(r.get("start") or ""), reverse=True)
        ent = {k: v for k, v in ent.items() if k not in ("import_id", "outlets", "devices", "permits")}
        outlets = [{k: v for k, v in o.items() if k != "import_id"} for o in outlets]
        data = {
            "enterprise": ent,
            "outlets": outlets,
            "live": live,
            "history": {
                "start": s,
                "end": e,
                "series": [{k: c[k] for k in ("outlet", "code", "n")} for c in charts],
            },
            "exceedances": exc,
            "alarms": alarms,
            "permits": permits,
            "totals": totals,
        }
        ex_cols = tuple(c for c in EXCEEDANCE_COLS if c.column != "credit_code")
        al_cols = tuple(c for c in ALARM_COLS if c.column != "credit_code")
        return render(
            "sources/enterprise.html",
            str(ent.get("name") or credit_code),
            lang,
            f"/sources/enterprises/{credit_code}",
            data,
            format,
            e=ent,
            region_name=region_name,
            outlets=table("sources-outlets", OUTLET_COLS, outlets, lang),
            live=table("sources-live", LIVE_COLS, live, lang),
            charts=charts,
            start=s.strftime("%Y-%m-%d %H:%M") if s else "—",
            end=e.strftime("%Y-%m-%d %H:%M") if e else "—",
            exceedances=table("sources-exceedances", ex_cols, exc, lang),
            alarms=table("sources-alarms", al_cols, alarms, lang),
            permits=table("sources-permits", PERMIT_COLS, permits, lang),
            totals=table("sources-ent-totals", TOTAL_COLS, totals, lang),
        )

    @router.get("/cards")
    def cards_page(
        quarter: str | None = Query(None, pattern=r"^\d{4}Q[1-4]$"),
        region: str | None = Region,
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        with session() as ep:
            q = quarter or card_quarter(ep, region)
            region_name = ep.region(region).name(lang) if region else None
            cards = records(frame(ep, "facts", "cards", quarter=q, region=region)) if q else []
            names = {
                str(x["credit_code"]): x.get("name")
                for x in records(frame(ep, "registry", "enterprises", region=region))
            }
            for c in cards:
                c.setdefault("name", names.get(str(c.get("credit_code"))))
                if c.get("region"):
                    c["region_name"] = ep.region(str(c["region"])).name(lang)
        cards.sort(key=lambda c: (c.get("card") != "red", str(c.get("credit_code"))))
        data = {"quarter": q, "region": region, "cards": cards}
        path = (
            "/sources/cards"
            + (f"?quarter={quarter}" if quarter else "")
            + (f"{'&' if quarter else '?'}region={region}" if region else "")
        )
        return render(
            "sources/cards.html",
            word("sources.web.cards.title", lang),
            lang,
            path,
            data,
            format,
            quarter=q,
            prev=_quarter_step(q, -1) if q else None,
            next=_quarter_step(q, 1) if q else None,
            region=region,
            region_name=region_name,
            yellow=sum(c.get("card") == "yellow" for c in cards),
            red=sum(c.get("card") == "red" for c in cards),
            cards=table("sources-card-list", CARD_COLS, cards, lang),
        )

    def events_page(kind: str, cols: tuple[Col, ...], region: str | None, lang: str, format: str) -> Response:
        with session() as ep:
            region_name = ep.region(region).name(lang) if region else None
            rows = records(frame(ep, "facts", kind, region=region))
            names = {
                str(x["credit_code"]): x.get("name")
                for x in records(frame(ep, "registry", "enterprises", region=region))
            }
        rows.sort(key=lambda r: str(r.get("start") or ""), reverse=True)
        for r in rows:
            r.setdefault("name", names.get(str(r.get("credit_code"))))
        shown = rows[:MAX_EVENTS]
        data = {"region": region, "total": len(rows), kind: shown}
        return render(
            "sources/events.html",
            word(f"sources.web.{kind}.title", lang),
            lang,
            f"/sources/{kind}" + (f"?region={region}" if region else ""),
            data,
            format,
            region=region,
            region_name=region_name,
            events=table(f"sources-{kind}", cols, shown, lang),
            empty=word(f"sources.web.no_{kind}", lang),
            more=len(rows) > len(shown),
            shown=len(shown),
            total=len(rows),
        )

    @router.get("/exceedances")
    def exceedances_page(region: str | None = Region, lang: str = Lang, format: str = Format) -> Response:
        return events_page("exceedances", EXCEEDANCE_COLS, region, lang, format)

    @router.get("/alarms")
    def alarms_page(region: str | None = Region, lang: str = Lang, format: str = Format) -> Response:
        return events_page("alarms", ALARM_COLS, region, lang, format)

    return router

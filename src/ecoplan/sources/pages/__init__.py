"""The sources sections of the dashboard and the sources pages of their own.

Sections (:data:`PAGES`, found by the web shell through the registry): on the home page,
each province's enterprises, outlets, devices, devices reporting on the newest day, and the
exceedance events and alarms of the newest quarter; on a region's page, the sources map
(enterprises placed by longitude/latitude in an SVG, coloured by their card of the
newest quarter with a list), the quarterly yellow/red list, the latest exceedances and alarms, and the
emission totals of the year beside the permitted quantities.

The pages of their own (:mod:`.web`, ``Domain.web``): an enterprise (its outlets, live
values against the permit's limits, its hourly history chart, its exceedances and
alarms) and the quarterly yellow/red list. Every word comes from ``words_web.yaml``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.core.errors import NotFound
from ecoplan.core.rounding import round_fraction
from ecoplan.kit.web import Section
from ecoplan.sources.pages.common import MAP_BOX, Col, frame, map_points, quarter_of, records, table
from ecoplan.sources.standards.cards import quarter_bounds

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = [
    "ALARM_COLS",
    "CARD_COLS",
    "EXCEEDANCE_COLS",
    "PAGES",
    "SourcesPages",
    "card_quarter",
    "latest_period",
    "per_factor",
    "with_permitted",
]

#: How many exceedances and alarms a region's section lists (the rest: the API).
LATEST = 10

EXCEEDANCE_COLS = (
    Col("credit_code", "sources.web.col.enterprise", "enterprise"),
    Col("outlet_id", "sources.web.col.outlet", "id"),
    Col("factor", "sources.web.col.factor", "factor"),
    Col("basis", "sources.web.col.basis", "status"),
    Col("start", "sources.web.col.start", "time"),
    Col("end", "sources.web.col.end", "time"),
    Col("periods", "sources.web.col.periods", "number"),
    Col("max_value", "sources.web.col.peak", "number"),
    Col("mean_value", "sources.web.col.mean", "number"),
    Col("limit_value", "sources.web.col.limit", "number"),
    Col("event_id", "sources.web.col.evidence", "evidence"),
)
ALARM_COLS = (
    Col("credit_code", "sources.web.col.enterprise", "enterprise"),
    Col("outlet_id", "sources.web.col.outlet", "id"),
    Col("mn", "sources.web.col.mn", "id"),
    Col("kind", "sources.web.col.alarm", "alarm"),
    Col("factor", "sources.web.col.factor", "factor"),
    Col("start", "sources.web.col.start", "time"),
    Col("end", "sources.web.col.end", "time"),
    Col("value", "sources.web.col.value", "number"),
    Col("records", "sources.web.col.records", "number"),
)
CARD_COLS = (
    Col("credit_code", "sources.web.col.enterprise", "enterprise"),
    Col("region_name", "sources.web.col.region"),
    Col("card", "sources.web.col.card", "card"),
    Col("causes", "sources.web.col.causes", "causes"),
    Col("persisting", "sources.web.col.persisting", "causes"),
)
TOTAL_COLS = (
    Col("factor", "sources.web.col.factor", "factor"),
    Col("enterprises", "sources.web.col.enterprises", "number"),
    Col("tonnes", "sources.web.col.quantity_t", "number"),
    Col("permitted_t", "sources.web.col.permitted_t", "number"),
    Col("share_pct", "sources.web.col.share_pct", "number"),
)


def newest(live: pd.DataFrame) -> dt.datetime | None:
    """The newest data time among the live values (``frames.latest``)."""
    if live.empty or "data_time" not in live:
        return None
    t = live["data_time"].max()
    return None if t is None or t != t else pd.Timestamp(t).to_pydatetime()


def latest_period(
    ep: Ecoplan, live: pd.DataFrame | None = None
) -> tuple[str | None, dt.datetime | None, dt.datetime | None]:
    """The newest quarter with data (``2020Q2``), its start and its end (exclusive)."""
    t = newest(frame(ep, "frames", "latest") if live is None else live)
    if t is None:
        return None, None, None
    q = quarter_of(t.date())
    q0, q1 = quarter_bounds(q)
    return q, q0, q1


def card_quarter(ep: Ecoplan, region: str | None = None) -> str | None:
    """The newest quarter with a yellow/red list (of ``region``), or None: read from the
    cards (a small table), not from the frames."""
    cards = frame(ep, "facts", "cards", region=region)
    return None if cards.empty else str(cards["quarter"].max())


def with_permitted(ep: Ecoplan, totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each enterprise's annual emission (t) beside its permitted quantity for the year and
    factor (the sum over its permits) and the share emitted (%, GB/T 8170 on the exact
    quotient)."""
    years = {int(r["year"]) for r in totals if r.get("year") is not None}
    permitted: dict[tuple[str, int, str], float] = {}
    for y in years:
        for q in records(frame(ep, "registry", "quantities", year=y)):
            key = (str(q.get("credit_code")), y, str(q.get("factor")))
            permitted[key] = permitted.get(key, 0.0) + float(q["quantity_t"])
    out = []
    for r in totals:
        p = permitted.get((str(r.get("credit_code")), int(r.get("year") or 0), str(r.get("factor"))))
        out.append({**r, "permitted_t": p, "share_pct": _share(r.get("tonnes"), p)})
    return out


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return float(round_fraction(100 * Fraction(part) / Fraction(whole), 1))


def per_factor(totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The enterprises' emissions of one year summed per factor, beside the sum of their
    permitted quantities (of the enterprises with a permitted quantity for it)."""
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for r in totals:
        key = (int(r.get("year") or 0), str(r.get("factor")))
        row = out.setdefault(
            key, {"year": key[0], "factor": key[1], "enterprises": 0, "tonnes": None, "permitted_t": None}
        )
        row["enterprises"] += 1
        if r.get("tonnes") is not None:  # none: no day of data (not 0 t)
            row["tonnes"] = (row["tonnes"] or 0.0) + float(r["tonnes"])
        if r.get("permitted_t") is not None:
            row["permitted_t"] = (row["permitted_t"] or 0.0) + float(r["permitted_t"])
    rows = [out[k] for k in sorted(out)]
    for row in rows:
        row["share_pct"] = _share(row["tonnes"], row["permitted_t"])
    return rows


def _city(ep: Ecoplan, code: str) -> str:
    """The prefecture of a region code (GB/T 2260: its first four digits), or the province
    when there is no prefecture level (a municipality's districts: 110101 → 110000)."""
    for c in (code[:4] + "00", code[:2] + "0000"):
        try:
            ep.region(c)
        except NotFound:
            continue
        return c
    return code


class SourcesPages:
    """The sources sections (home, region); sources has no ranking yet."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        regions = ep.sources.registry.regions()
        if not regions:
            return None
        live = frame(ep, "frames", "latest")
        quarter, q0, q1 = latest_period(ep, live)
        last = newest(live)
        all_outlets = records(frame(ep, "registry", "outlets"))
        all_devices = records(frame(ep, "registry", "devices"))
        recent: set[str] = set()
        if last is not None and "mn" in live:
            recent = {str(m) for m in live[live["data_time"] >= last - dt.timedelta(days=1)]["mn"]}
        rows = []
        # one row per province (GB/T 2260: the code's first two digits) the enterprises lie in
        for code in sorted({str(c)[:2] + "0000" for c in regions}):
            codes = set(frame(ep, "registry", "enterprises", region=code).get("credit_code", []))
            outlets = {str(o["outlet_id"]) for o in all_outlets if o.get("credit_code") in codes}
            devices = {str(d["mn"]) for d in all_devices if d.get("outlet_id") in outlets}
            exc = alarms = 0
            if q0 is not None:
                exc = len(frame(ep, "facts", "exceedances", region=code, start=q0, end=q1))
                alarms = len(frame(ep, "facts", "alarms", region=code, start=q0, end=q1))
            rows.append(
                {
                    "region": code,
                    "name": ep.region(code).name(lang),
                    "enterprises": len(codes),
                    "outlets": len(outlets),
                    "devices": len(devices),
                    "reporting": len(devices & recent),
                    "exceedances": exc,
                    "alarms": alarms,
                }
            )
        data = {"sources": {"quarter": quarter, "regions": rows}}
        return Section(data, "sources/home.html", {"rows": rows, "quarter": quarter})

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        ents = records(frame(ep, "registry", "enterprises", region=code))
        if not ents:
            return None
        quarter = card_quarter(ep, code)
        cards = records(frame(ep, "facts", "cards", quarter=quarter, region=code)) if quarter else []
        card_of = {str(c["credit_code"]): str(c.get("card")) for c in cards if c.get("credit_code")}
        names = {str(e["credit_code"]): e.get("name") for e in ents}
        exc = records(frame(ep, "facts", "exceedances", region=code))
        alarms = records(frame(ep, "facts", "alarms", region=code))
        exc = sorted(exc, key=lambda r: str(r.get("start") or ""), reverse=True)[:LATEST]
        alarms = sorted(alarms, key=lambda r: str(r.get("start") or ""), reverse=True)[:LATEST]
        for r in (*exc, *alarms):
            r.setdefault("name", names.get(str(r.get("credit_code"))))
        totals = with_permitted(
            ep, records(frame(ep, "facts", "totals", year=year, region=code, by="enterprise"))
        )
        if year is None and totals:
            newest_year = max(int(r["year"]) for r in totals if r.get("year") is not None)
            totals = [r for r in totals if r.get("year") == newest_year]
        by_factor = per_factor(totals)
        for r in cards:
            r.setdefault("name", names.get(str(r.get("credit_code"))))
            if r.get("region"):
                r["region_name"] = ep.region(str(r["region"])).name(lang)
        ctx = {
            "code": code,
            "quarter": quarter,
            "points": map_points(ents, card_of, lang),
            "w_box": MAP_BOX[0],
            "h_box": MAP_BOX[1],
            "cards": table("sources-cards", CARD_COLS, cards, lang),
            "exceedances": table("sources-exceedances", EXCEEDANCE_COLS, exc, lang),
            "alarms": table("sources-alarms", ALARM_COLS, alarms, lang),
            "totals": table("sources-totals", TOTAL_COLS, by_factor, lang),
            "totals_year": by_factor[0]["year"] if by_factor else None,
            "enterprises": len(ents),
        }
        data = {
            "sources": {
                "enterprises": ents,
                "quarter": quarter,
                "cards": cards,
                "exceedances": exc,
                "alarms": alarms,
                "totals": by_factor,
            }
        }
        return Section(data, "sources/region.html", ctx)

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        """Prefectures (a municipality's districts under it) ranked by the exceedance hours
        of their registered enterprises in the newest year with facts (or ``year``), fewest
        first; ties share a rank."""
        credit = records(frame(ep, "facts", "credit", year=year))
        if not credit:
            return None
        y = max(int(r["year"]) for r in credit) if year is None else year
        region_of = {
            str(e["credit_code"]): str(e["region"]) for e in records(frame(ep, "registry", "enterprises"))
        }
        keys = ("enterprises", "events", "hours", "alarms", "yellow", "red")
        by: dict[str, dict[str, Any]] = {}
        city = {c: _city(ep, c) for c in set(region_of.values())}
        for region in region_of.values():  # every prefecture with a registered enterprise
            by.setdefault(city[region], dict.fromkeys(keys, 0))["enterprises"] += 1
        for r in credit:
            if int(r["year"]) != y or str(r["credit_code"]) not in region_of:
                continue
            row = by[city[region_of[str(r["credit_code"])]]]
            row["events"] += int(r.get("exceedance_events") or 0)
            row["hours"] += int(r.get("exceedance_hours") or 0)
            row["alarms"] += sum(int(v or 0) for k, v in r.items() if k.startswith("alarms_"))
            row["yellow"] += int(r.get("yellow_cards") or 0)
            row["red"] += int(r.get("red_cards") or 0)
        if not by:
            return None
        rows = []
        for code, row in sorted(by.items(), key=lambda kv: (kv[1]["hours"], kv[1]["events"], kv[0])):
            rank = 1 + sum(other["hours"] < row["hours"] for other in by.values())
            rows.append({"rank": rank, "region": code, "name": ep.region(code).name(lang), **row})
        return Section(
            {"sources": {"year": y, "regions": rows}}, "sources/rankings.html", {"rows": rows, "year": y}
        )


PAGES = SourcesPages()

"""The enterprises in the national carbon market: the file, and the pure figures of a year.

One line per facility and compliance year (CSV or XLSX, :data:`MARKET_MAP`)::

    facility,name,region,sector,guide,year,reported_t,verified_t,allocation_t,surrendered_t,deadline
    91130000X,某电厂,130100,发电,2022修订版,2023,1020000,1000000,980000,1000000,2024-12-31

``reported_t`` is the enterprise's own figure, ``verified_t`` the verifier's (核查),
``allocation_t`` the free allocation (配额), ``surrendered_t`` what it surrendered (清缴),
all t CO2, blank when not yet known; ``deadline`` the surrender deadline (ISO date).

* discrepancy (:func:`discrepancy`): ``verified − reported`` and that as % of verified;
* compliance (:func:`status`) as of a date: ``unverified`` (no verified figure),
  ``complied`` (surrendered ≥ verified), ``overdue`` (short after the deadline),
  ``pending`` (short, deadline not passed or not given); the shortfall in t;
* the allocation's balance: ``allocation − verified`` (a surplus is positive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ecoplan.climate.readers import Reject, records

__all__ = [
    "MARKET_MAP",
    "STATUSES",
    "Compliance",
    "MarketBatch",
    "MarketLine",
    "discrepancy",
    "read_market",
    "status",
]

#: Compliance statuses (words ``climate.market.status.<code>``).
STATUSES = ("unverified", "complied", "pending", "overdue")
#: Headers → canonical column.
MARKET_MAP = {
    "facility": "facility",
    "企业代码": "facility",
    "统一社会信用代码": "facility",
    "name": "name",
    "企业名称": "name",
    "region": "region",
    "地区": "region",
    "地区代码": "region",
    "sector": "sector",
    "行业": "sector",
    "guide": "guide",
    "核算指南": "guide",
    "year": "year",
    "年度": "year",
    "年份": "year",
    "reported_t": "reported",
    "报告排放量": "reported",
    "verified_t": "verified",
    "核查排放量": "verified",
    "allocation_t": "allocation",
    "配额": "allocation",
    "surrendered_t": "surrendered",
    "清缴量": "surrendered",
    "deadline": "deadline",
    "清缴截止日期": "deadline",
}
_REQUIRED = ("facility", "region", "year")
_AMOUNTS = ("reported", "verified", "allocation", "surrendered")


@dataclass(frozen=True)
class MarketLine:
    """One facility's compliance year."""

    row: int
    facility: str
    name: str
    region: str
    sector: str
    guide: str
    year: int
    reported: float | None = None
    verified: float | None = None
    allocation: float | None = None
    surrendered: float | None = None
    deadline: dt.date | None = None


@dataclass
class MarketBatch:
    lines: list[MarketLine] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def read_market(path: Path, *, name: str | None = None) -> MarketBatch:
    """Every line of the file; each bad cell a reject (reason codes of :mod:`.readers`,
    plus ``bad_date`` and ``conflict`` — a facility given two names, regions or sectors)."""
    batch = MarketBatch()
    seen: set[tuple[str, int]] = set()
    who: dict[str, tuple[str, str, str, str]] = {}
    for r in records(path, MARKET_MAP, _REQUIRED, name or path.name, batch.rejects):
        v = r.v
        r.require(*_REQUIRED)
        year = r.year(low=2000) if v["year"] else 0
        amounts: dict[str, float | None] = {}
        for f in _AMOUNTS:
            x = r.number(f) if v.get(f, "").replace(",", "") else None
            if x is not None and x < 0:
                r.bad(f, "negative")
                x = None
            amounts[f] = x
        deadline = None
        if v.get("deadline"):
            try:
                deadline = dt.date.fromisoformat(v["deadline"][:10])
            except ValueError:
                r.bad("deadline", "bad_date")
        ident = (v.get("name", ""), v["region"], v.get("sector", ""), v.get("guide", ""))
        if v["facility"] in who and who[v["facility"]][:3] != ident[:3]:
            r.bad("facility", "conflict")
        who.setdefault(v["facility"], ident)
        r.unique(seen, (v["facility"], year))
        if r.ok:
            batch.lines.append(
                MarketLine(
                    r.row,
                    v["facility"],
                    *ident,
                    year,
                    amounts["reported"],
                    amounts["verified"],
                    amounts["allocation"],
                    amounts["surrendered"],
                    deadline,
                )
            )
    return batch


def discrepancy(reported: float | None, verified: float | None) -> tuple[float, float | None] | None:
    """``(verified − reported, that as % of verified)``; None without both figures
    (the % is None when the verified figure is 0)."""
    if reported is None or verified is None:
        return None
    d = verified - reported
    return d, (d / verified * 100.0 if verified else None)


@dataclass(frozen=True)
class Compliance:
    """A facility-year's surrender status as of a date, with the shortfall (t)."""

    status: str
    shortfall: float | None


def status(line: MarketLine, as_of: dt.date) -> Compliance:
    """The compliance of ``line`` on ``as_of`` (module docstring)."""
    if line.verified is None:
        return Compliance("unverified", None)
    short = max(0.0, line.verified - (line.surrendered or 0.0))
    if short == 0:
        return Compliance("complied", 0.0)
    if line.deadline is not None and as_of > line.deadline:
        return Compliance("overdue", short)
    return Compliance("pending", short)

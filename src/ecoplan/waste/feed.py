"""The indicators the waste data measure (:data:`FEEDS`) and their computation per region
and year (:func:`region_rates`), written to plan values by ``ep.waste.feed`` (source
:data:`SOURCE`).

Per region (the region of the producer, or of the receiver for capacity; a region holds
its own actors and those of every region under it) and year:

``on_time_pct`` — 联单按时确认率
    Manifests shipped in the year (past ``draft``) whose receipt was confirmed within
    :data:`ON_TIME_WORKDAYS` working days of arrival (《危险废物转移管理办法》 Art. 18; the
    holiday calendar of :mod:`ecoplan.waste.workdays`, the day of arrival not counted, as
    ``ep.waste.rates()`` and the alert R2 count), over the manifests shipped.
``closed_loop_pct`` — 联单闭环率
    Of the same manifests, those confirmed or closed and not rejected (a corrected one
    when it was confirmed), as ``ep.waste.rates()``.
``capacity_ratio`` — 利用处置能力 / 产生量
    The annual capacity of the permits (经营许可证 年经营规模) valid on 1 July held by
    the region's receivers, over the waste the region's ledgers record as generated in
    the year (unit 1).
``use_disposal_pct`` — 危险废物利用处置率
    ``(self-treated + shipped to a licensed receiver) / generated`` × 100, all three from
    the ledgers of the year (HJ 1259-2022: 产生, 自行利用处置, 委外). A 委外 record counts
    as shipped to a licensed receiver when a manifest of the same producer, shipped the
    same day and not rejected, carries a line of the same code to a receiver holding a
    permit valid that day that covers the code (the ledger of §6.3.5 names the
    receiver's permit; the stored ledger does not, the manifest does). A record with no
    such manifest is not counted: the note of each value gives the tonnes counted and
    not counted. This matching is ecoplan's rule (design choice, documented in
    ``docs/waste.md``), not a published one.

A rate with nothing to divide by (no manifest, no waste generated) is not defined and
not written. Nothing is extrapolated.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.core.feeds import Skip
from ecoplan.plans.model import Basis
from ecoplan.waste.model import code_matches
from ecoplan.waste.workdays import calendar_frame

__all__ = [
    "FEEDS",
    "ON_TIME_WORKDAYS",
    "RATE_COLUMNS",
    "SOURCE",
    "Feed",
    "FeedSkip",
    "feed_value",
    "region_rates",
]

#: The source of the values this feed writes.
SOURCE = "pipeline waste"
#: Art. 18: the receiver confirms within 5 working days of arrival.
ON_TIME_WORKDAYS = 5
#: The columns of :func:`region_rates`.
RATE_COLUMNS = (
    "region",
    "year",
    "shipped",
    "confirmed_on_time",
    "closed_loop",
    "on_time_pct",
    "closed_loop_pct",
    "generated_t",
    "self_treated_t",
    "shipped_t",
    "licensed_shipped_t",
    "use_disposal_pct",
    "capacity_t",
    "capacity_ratio",
)


@dataclass(frozen=True)
class Feed:
    """One indicator the waste data produce: the plan's ``Indicator.code``, the column of
    :func:`region_rates` it reads and its rule."""

    code: str
    statistic: str
    rule: str
    unit: str = "%"
    basis: Basis = Basis.LEVEL


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed(
            "waste.manifest_on_time_confirmation_rate",
            "on_time_pct",
            "confirmed within 5 working days of arrival (转移管理办法 Art. 18)",
        ),
        Feed(
            "waste.manifest_closed_loop_rate",
            "closed_loop_pct",
            "shipped manifests confirmed or closed, not rejected",
        ),
        Feed(
            "waste.capacity_generation_ratio",
            "capacity_ratio",
            "licensed annual capacity (permits valid on 1 July) / ledger generation",
            unit="1",
        ),
        Feed(
            "waste.hazardous_use_disposal_rate",
            "use_disposal_pct",
            "(self-treated + shipped to a licensed receiver) / generated, ledgers (HJ 1259-2022); "
            "licensed: a same-day manifest of the code to a receiver permitted for it (ecoplan's rule)",
        ),
    )
}


@dataclass(frozen=True)
class FeedSkip:
    """A plan indicator, region and year the feed gives no value for, and why."""

    plan: str
    indicator: str
    region: str
    year: int
    why: Skip


@functools.cache
def _calendar() -> pd.Series:
    """The working-day calendar's cumulative count by date (built once)."""
    cal = calendar_frame()
    return pd.Series(cal["cum"].to_numpy(), index=pd.to_datetime(cal["d"]))


def _cum(days: pd.Series) -> pd.Series:
    """The calendar's cumulative working-day count on each date (NaN for none)."""
    index = _calendar()
    return pd.Series(index.reindex(pd.to_datetime(days).dt.normalize()).to_numpy(), index=days.index)


def _licensed(permits: pd.DataFrame) -> Any:
    """``ok(receiver, code, day)``: a permit of ``receiver`` valid on ``day`` covers ``code``."""
    held: dict[str, list[tuple[dt.date, dt.date, list[str]]]] = {}
    for p in permits.to_dict("records"):
        held.setdefault(str(p["actor_id"]), []).append(
            (_date(p["valid_from"]), _date(p["valid_to"]), list(p["codes"] or []))
        )

    def ok(receiver: str, code: str, day: dt.date) -> bool:
        return any(a <= day <= b and code_matches(code, codes) for a, b, codes in held.get(receiver, []))

    return ok


def _licensed_shipments(m: pd.DataFrame, ln: pd.DataFrame, led: pd.DataFrame, ok: Any) -> pd.Series:
    """For each ledger record: a 委外 (``shipped``) record with a same-day manifest of its
    producer, not rejected, carrying a line of its code to a receiver licensed for it."""
    out = pd.Series(False, index=led.index)
    shipped = led[led["stage"] == "shipped"]
    if shipped.empty or m.empty:
        return out
    keys = pd.DataFrame(
        {
            "producer_id": shipped["actor_id"].astype(str),
            "code": shipped["code"].astype(str),
            "day": shipped["at"].dt.normalize(),
        }
    )
    trips = m[m["status"] != "rejected"][["manifest_no", "producer_id", "receiver_id", "shipped_at"]]
    trips = trips.merge(ln[["manifest_no", "code"]], on="manifest_no")
    trips = pd.DataFrame(
        {
            "producer_id": trips["producer_id"].astype(str),
            "receiver_id": trips["receiver_id"],
            "code": trips["code"].astype(str),
            "day": trips["shipped_at"].dt.normalize(),
        }
    )
    cand = trips.merge(keys.drop_duplicates(), on=["producer_id", "code", "day"]).drop_duplicates()
    if cand.empty:
        return out
    asked = cand[["receiver_id", "code", "day"]].drop_duplicates()
    asked = asked.assign(
        ok=[
            pd.notna(r) and bool(ok(str(r), str(c), d.date()))
            for r, c, d in zip(asked["receiver_id"], asked["code"], asked["day"], strict=True)
        ]
    )
    # every manifest of that producer, code and day went to a licensed receiver: one load to
    # an unlicensed receiver the same day leaves the day's 委外 records uncounted (the ledger
    # does not say which load each record was), never counted as licensed
    judged = cand.merge(asked, on=["receiver_id", "code", "day"])
    every = judged.groupby(["producer_id", "code", "day"], as_index=False).agg(ok=("ok", "all"))
    good = every[every["ok"]][["producer_id", "code", "day"]].assign(hit=True)
    hit = keys.merge(good, on=["producer_id", "code", "day"], how="left")["hit"].fillna(False).astype(bool)
    out.loc[shipped.index] = hit.to_numpy()
    return out


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return pd.Timestamp(v).date()


def _frame(rows: pd.DataFrame | Iterable[Mapping[str, Any]], cols: Sequence[str]) -> pd.DataFrame:
    f = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for c in cols:
        if c not in f.columns:
            f[c] = None
    return f


def _spread(frame: pd.DataFrame, key: str, chain: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Each row once per region holding ``frame[key]`` (``chain``: itself and its ancestors)."""
    if frame.empty:
        return frame.assign(region=pd.Series(dtype=object))
    regions = frame[key].astype(str).map(lambda r: list(chain.get(r, (r,))))
    return frame.assign(region=regions).explode("region")


def region_rates(
    manifests: pd.DataFrame | Iterable[Mapping[str, Any]],
    lines: pd.DataFrame | Iterable[Mapping[str, Any]],
    ledger: pd.DataFrame | Iterable[Mapping[str, Any]],
    permits: pd.DataFrame | Iterable[Mapping[str, Any]],
    actors: pd.DataFrame | Iterable[Mapping[str, Any]],
    chain: Mapping[str, Sequence[str]],
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The rates of the module docstring per region and year (:data:`RATE_COLUMNS`).

    ``manifests``: rows of ``waste_manifests`` (``manifest_no``, ``producer_id``,
    ``receiver_id``, ``status``, ``shipped_at``, ``arrived_at``, ``confirmed_at``);
    ``lines``: ``manifest_no``, ``code``; ``ledger``: ``actor_id``, ``stage``, ``at``,
    ``code``, ``quantity_t``; ``permits``: ``actor_id``, ``valid_from``, ``valid_to``,
    ``annual_capacity_t``, ``codes``; ``actors``: ``actor_id``, ``region``. ``chain`` maps
    an actor's region to the regions holding it (itself first). ``years``: those years
    only (default: every year with a shipment or a ledger record of waste generated).
    """
    m = _frame(manifests, ("manifest_no", "producer_id", "receiver_id", "status", "shipped_at"))
    m = m[m["status"].notna() & (m["status"] != "draft") & m["shipped_at"].notna()].copy()
    for c in ("shipped_at", "arrived_at", "confirmed_at"):
        m[c] = pd.to_datetime(m[c]) if c in m.columns else pd.NaT
    ln = _frame(lines, ("manifest_no", "code"))
    led = _frame(ledger, ("actor_id", "stage", "at", "code", "quantity_t"))
    led["at"] = pd.to_datetime(led["at"])
    pm = _frame(permits, ("actor_id", "valid_from", "valid_to", "annual_capacity_t", "codes"))
    region_of = {
        str(a["actor_id"]): str(a["region"]) for a in _frame(actors, ("actor_id",)).to_dict("records")
    }

    # -- manifests: on time, closed loop --------------------------------------------------
    m["year"] = m["shipped_at"].dt.year
    m["actor_region"] = m["producer_id"].astype(str).map(region_of)
    gap = _cum(m["confirmed_at"]) - _cum(m["arrived_at"])
    m["on_time"] = (m["confirmed_at"].notna() & m["arrived_at"].notna() & (gap <= ON_TIME_WORKDAYS)).astype(
        int
    )
    confirmed = m["confirmed_at"].notna()
    m["loop"] = (
        m["status"].isin(["confirmed", "closed"]) | ((m["status"] == "corrected") & confirmed)
    ).astype(int)
    mm = _spread(m[m["actor_region"].notna()], "actor_region", chain)
    per_m = (
        mm.groupby(["region", "year"])
        .agg(
            shipped=("manifest_no", "size"), confirmed_on_time=("on_time", "sum"), closed_loop=("loop", "sum")
        )
        .reset_index()
    )

    # -- ledgers: generated, self-treated, shipped (licensed) --------------------------------
    led = led[led["at"].notna()].copy()
    led["year"] = led["at"].dt.year
    led["quantity_t"] = led["quantity_t"].astype(float)
    led["actor_region"] = led["actor_id"].astype(str).map(region_of)
    led["licensed"] = _licensed_shipments(m, ln, led, _licensed(pm))

    def part(mask: pd.Series, name: str) -> pd.DataFrame:
        f = _spread(led[mask & led["actor_region"].notna()], "actor_region", chain)
        return f.groupby(["region", "year"])["quantity_t"].sum().rename(name).reset_index()

    per_l = part(led["stage"] == "generated", "generated_t")
    for mask, name in (
        (led["stage"] == "self_treated", "self_treated_t"),
        (led["stage"] == "shipped", "shipped_t"),
        (led["licensed"], "licensed_shipped_t"),
    ):
        per_l = per_l.merge(part(mask, name), on=["region", "year"], how="outer")

    table = per_m.merge(per_l, on=["region", "year"], how="outer")
    if years is not None:
        table = table[table["year"].isin(list(years))]
    table = table.reset_index(drop=True)

    # -- capacity: permits valid on 1 July of each year ---------------------------------------
    cap: dict[tuple[str, int], float] = {}
    for y in sorted({int(v) for v in table["year"]}):
        mid = dt.date(y, 7, 1)
        for p in pm.to_dict("records"):
            if _date(p["valid_from"]) <= mid <= _date(p["valid_to"]) and p["annual_capacity_t"] is not None:
                home = region_of.get(str(p["actor_id"]))
                for reg in chain.get(home, (home,)) if home else ():
                    cap[(reg, y)] = cap.get((reg, y), 0.0) + float(p["annual_capacity_t"])
    table["capacity_t"] = [
        cap.get((str(r), int(y)), 0.0) for r, y in zip(table["region"], table["year"], strict=True)
    ]

    for c in ("shipped", "confirmed_on_time", "closed_loop"):
        table[c] = table[c].fillna(0).astype(int)
    for c in ("generated_t", "self_treated_t", "shipped_t", "licensed_shipped_t"):
        table[c] = table[c].fillna(0.0).astype(float)
    n, g = table["shipped"], table["generated_t"]
    table["on_time_pct"] = (100.0 * table["confirmed_on_time"] / n).where(n > 0)
    table["closed_loop_pct"] = (100.0 * table["closed_loop"] / n).where(n > 0)
    table["use_disposal_pct"] = (100.0 * (table["self_treated_t"] + table["licensed_shipped_t"]) / g).where(
        g > 0
    )
    table["capacity_ratio"] = (table["capacity_t"] / g).where(g > 0)
    table["year"] = table["year"].astype(int)
    table["region"] = table["region"].astype(str)
    return table[list(RATE_COLUMNS)].sort_values(["region", "year"]).reset_index(drop=True)


def feed_value(feed: Feed, row: Mapping[str, Any]) -> tuple[float, str] | None:
    """The value of ``feed`` in one row of :func:`region_rates` and its provenance note,
    or None when the rate is not defined there."""
    v = row.get(feed.statistic)
    if v is None or v != v:
        return None
    notes = {
        "on_time_pct": f"{row['confirmed_on_time']}/{row['shipped']} manifests",
        "closed_loop_pct": f"{row['closed_loop']}/{row['shipped']} manifests",
        "capacity_ratio": f"{row['capacity_t']:.6g} t/a / {row['generated_t']:.6g} t",
        "use_disposal_pct": (
            f"({row['self_treated_t']:.6g} t + {row['licensed_shipped_t']:.6g} t) / "
            f"{row['generated_t']:.6g} t; shipped {row['shipped_t']:.6g} t, to no licensed receiver found "
            f"{row['shipped_t'] - row['licensed_shipped_t']:.6g} t"
        ),
    }
    return round(float(v), 6), f"{feed.rule}; {notes[feed.statistic]}"

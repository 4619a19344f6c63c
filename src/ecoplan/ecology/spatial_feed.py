"""The plan values of the stored layers and patches (:data:`~ecoplan.ecology.feed.SPATIAL_FEEDS`).

For every stored plan that declares ``eco.redline_area_kept`` or
``eco.patches_closed_on_time``, and every year from its base year to its end (not after
``today``), the value of the plan's region (a region holds its sub-regions by code
prefix, as in the red-line report). Definitions: :mod:`ecoplan.ecology.feed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ecoplan.core.rounding import round_half_even
from ecoplan.ecology.feed import SOURCE, SPATIAL_FEEDS
from ecoplan.ecology.spatial.lifecycle import Deadlines, PatchCase, advance
from ecoplan.ecology.spatial_store import SpatialStore
from ecoplan.ingest.values import ValueRow
from ecoplan.store.catalog import Catalog
from ecoplan.store.feeds import manual_source

__all__ = ["closed_on_time", "redline_kept", "spatial_rows"]


def _in(code: object, region: str) -> bool:
    prefix = region
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return isinstance(code, str) and code.startswith(prefix)


def redline_kept(
    layers: pd.DataFrame, features: pd.DataFrame, region: str, year: int
) -> tuple[float, str] | None:
    """(% kept, note) of ``region`` at the end of ``year``, or None without a version then."""
    end = dt.date(year, 12, 31)
    first_total = now_total = 0.0
    used: list[str] = []
    for lid, vs in layers[layers["kind"] == "redline"].groupby("layer_id"):
        dates = sorted(pd.Timestamp(v).date() for v in vs["valid_from"])
        in_force = [d for d in dates if d <= end]
        if not in_force:
            continue
        f = features[(features["layer_id"] == lid) & features["region"].map(lambda c: _in(c, region))]
        first = float(f.loc[f["valid_from"] == dates[0], "area_km2"].sum())
        if first <= 0:
            continue
        first_total += first
        now_total += float(f.loc[f["valid_from"] == in_force[-1], "area_km2"].sum())
        used.append(f"{lid}@{in_force[-1].isoformat()} vs {dates[0].isoformat()}")
    if first_total <= 0:
        return None
    v = round_half_even(now_total / first_total * 100.0, 2)
    assert v is not None
    return v, f"{now_total:.2f} / {first_total:.2f} km²; " + ", ".join(used)


def _on_time(detected: dt.date, events: list[tuple[str, dt.date, str | None]], dl: Deadlines) -> bool:
    """Whether the case, replayed, was closed with every step by its due date."""
    case = PatchCase.open("", detected, dl)
    for event, on, evidence in events:
        if case.due is not None and on > case.due:
            return False
        case = advance(case, event, on, evidence=evidence, deadlines=dl)
    return case.closed


def closed_on_time(
    st: SpatialStore, region: str, year: int, deadlines: Deadlines | None = None
) -> tuple[float, str] | None:
    """(% closed on time, note) of the patches detected in ``year`` in ``region``."""
    dl = deadlines or Deadlines()
    dec = st.decisions()
    dec = dec[dec["reserve_id"].notna()]
    if dec.empty:
        return None
    f = st.features()
    where = {
        (str(r["layer_id"]), r["valid_from"], str(r["reserve_id"])): r["region"]
        for r in f[["layer_id", "valid_from", "reserve_id", "region"]].to_dict("records")
    }
    p = st.patches().set_index("patch_id")["detected_on"]
    # each patch once, however many layers (a reserve and a red line) it falls in
    mine = sorted(
        {
            str(d["patch_id"])
            for d in dec.to_dict("records")
            if _in(where.get((str(d["layer_id"]), d["valid_from"], str(d["reserve_id"]))), region)
            and p[d["patch_id"]].year == year
        }
    )
    if not mine:
        return None
    ev = st.events()
    ev = ev[ev["event"] != "detect"]
    steps: dict[str, list[tuple[str, dt.date, str | None]]] = {}
    for r in ev.to_dict("records"):
        ev_on = pd.Timestamp(r["on_date"]).date()
        evidence = r["evidence"] if isinstance(r["evidence"], str) else None
        steps.setdefault(str(r["patch_id"]), []).append((str(r["event"]), ev_on, evidence))
    ok = sum(_on_time(p[pid], steps.get(pid, []), dl) for pid in mine)
    v = round_half_even(ok / len(mine) * 100.0, 2)
    assert v is not None
    return v, f"{ok} of {len(mine)} patches"


def spatial_rows(
    cat: Catalog, st: SpatialStore, years: Sequence[int] | None = None, today: dt.date | None = None
) -> tuple[list[ValueRow], list[tuple[str, str, int, str]]]:
    """The value rows to write, and the (plan, indicator, year, source) left alone."""
    last = (today or dt.date.today()).year
    layers, features = st.layers(), st.features()
    rows: list[ValueRow] = []
    skipped: list[tuple[str, str, int, str]] = []
    for plan in cat.plans():
        for ind in plan.indicators:
            feed = SPATIAL_FEEDS.get(ind.code or "")
            if feed is None:
                continue
            for y in range(plan.base_year, min(plan.end, last) + 1):
                if years and y not in years:
                    continue
                got: Any = (
                    redline_kept(layers, features, plan.region, y)
                    if feed.statistic == "redline_area_kept"
                    else closed_on_time(st, plan.region, y)
                )
                if got is None:
                    continue
                other = manual_source(cat, plan.id, ind.id, plan.region, y, SOURCE)
                if other is not None:
                    skipped.append((plan.id, ind.id, y, other))
                    continue
                value, note = got
                rows.append(
                    ValueRow(
                        plan=plan.id,
                        indicator=ind.id,
                        region=plan.region,
                        year=y,
                        value=value,
                        unit=ind.unit,
                        basis=feed.basis,
                        source=SOURCE,
                        note=f"{feed.rule}; {note}",
                    )
                )
    return rows, skipped

"""Anomalies injected into a clean year, one kind per check of the rule set, each on its
own manifests, lines, actors, batches or declarations, so the alerts a correct pipeline
must raise are known by construction (:func:`inject` returns them as (rule, subject)).

Every injection keeps clear of the thresholds (a quantity off by 15–40 % against 10 %,
a confirmation on the 6th–9th working day against 5 …) and of the other rules (an
injected manifest is in-province, electronic and otherwise clean unless the rule needs
otherwise).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from ecoplan.waste.rules import AlertSettings
from ecoplan.waste.simulate.pools import CODES, RESERVED_CODES
from ecoplan.waste.simulate.year import World, haversine_km
from ecoplan.waste.workdays import add_workdays

__all__ = ["inject_manifests", "inject_tail"]

_OTHER_FORM = {"liquid": "solid", "solid": "liquid", "semisolid": "liquid"}
_OTHER_PACK = {"drum": "bag", "bag": "drum", "tank": "drum", "box": "bag"}


def _cell(frame: pd.DataFrame, row: Any, col: str) -> Any:
    """One cell, untyped (pandas' scalar union is of no use here)."""
    return frame.at[row, col]


def _first_line(w: World, manifests: np.ndarray) -> np.ndarray:
    """Row labels of line 1 of each manifest (positional manifest indices)."""
    ln = w.lines
    sel = ln.index[(ln["line_no"] == 1).to_numpy() & np.isin(ln["_m"].to_numpy(), manifests)]
    order = pd.Series(sel, index=ln.loc[sel, "_m"].to_numpy()).reindex(manifests)
    return order.to_numpy()


def _objects(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """The text columns written as Python objects: pandas' Arrow strings copy the whole
    column on every cell written, objects do not (the injections write cell by cell)."""
    for c in columns:
        frame[c] = frame[c].astype(object)


def inject_manifests(
    w: World, rng: np.random.Generator, k: int, settings: AlertSettings
) -> list[tuple[str, int | str]]:
    """Manifest-, line- and approval-level anomalies (R1–R8, R11). Returns (rule, manifest index or a
    ready subject); subjects of manifests are resolved after R1 renames some."""
    _objects(w.manifests, ("manifest_no", "receiver_id", "approval_no", "status"))
    _objects(w.lines, ("code", "code_received", "form_received", "packaging_received"))
    m = w.manifests
    p_prov = m["producer_id"].map(w.actors.set_index("actor_id")["region"]).str[:2]
    r_prov = m["receiver_id"].map(w.actors.set_index("actor_id")["region"]).str[:2]
    closed = (m["status"] == "closed").to_numpy()
    plain = np.flatnonzero(closed & ~m["paper"].to_numpy() & (p_prov == r_prov).to_numpy())
    plain = rng.permutation(plain)
    cross = np.flatnonzero(closed & ~m["paper"].to_numpy() & m["approval_no"].notna().to_numpy())
    out: list[tuple[str, int | str]] = []
    take = iter(np.array_split(plain[: 10 * k], 10))
    if len(plain) < 10 * k:
        raise ValueError("too few manifests for the anomalies: raise the scale or lower per_rule")
    year = w.year

    def line_subject(mi: int) -> str:
        return f"#{mi}/1"

    # R1: a wrong province ("99", its own serial: no two alike) or a letter in the number.
    for j, i in enumerate(next(take)):
        no = str(_cell(m, i, "manifest_no"))
        m.at[i, "manifest_no"] = (
            no[:4] + "99" + no[6:8] + f"{j:06d}" if j % 2 == 0 else no[:13] + "A" + no[13:]
        )
        out.append(("R1", int(i)))
    # R2: confirmed on the 6th–9th working day, or not at all.
    for j, i in enumerate(next(take)):
        arr = pd.Timestamp(_cell(m, i, "arrived_at")).date()
        if j % 2 == 0:
            conf = dt.datetime.combine(add_workdays(arr, int(rng.integers(6, 10))), dt.time(10))
            m.at[i, "confirmed_at"] = conf
            m.at[i, "closed_at"] = conf + dt.timedelta(hours=3)
        else:
            m.at[i, "status"] = "received"
            m.at[i, "confirmed_at"] = pd.NaT
            m.at[i, "closed_at"] = pd.NaT
        out.append(("R2", int(i)))
    # R3: line 1 received 15–40 % off.
    rows = _first_line(w, next(take))
    for j, r in enumerate(rows):
        q = float(_cell(w.lines, r, "qty_shipped_t"))
        f = rng.uniform(0.15, 0.4) * (1 if j % 2 == 0 else -1)
        w.lines.at[r, "qty_received_t"] = round(q * (1 + f), 3)
        out.append(("R3", line_subject(int(_cell(w.lines, r, "_m")))))
    # R3.pieces: line 1 received with 1–3 pieces more or fewer (the weight within tolerance).
    rows = _first_line(w, next(take))
    for j, r in enumerate(rows):
        n = int(_cell(w.lines, r, "containers"))
        step = int(rng.integers(1, 4))
        w.lines.at[r, "containers_received"] = n + step if j % 2 == 0 or n <= step else n - step
        out.append(("R3.pieces", line_subject(int(_cell(w.lines, r, "_m")))))
    # R4: line 1's code, form or packaging differs at receipt.
    rows = _first_line(w, next(take))
    for j, r in enumerate(rows):
        if j % 3 == 0:
            c = str(_cell(w.lines, r, "code"))
            w.lines.at[r, "code_received"] = next(x for x, _, _ in CODES if x != c)
        elif j % 3 == 1:
            w.lines.at[r, "form_received"] = _OTHER_FORM[str(_cell(w.lines, r, "form"))]
        else:
            w.lines.at[r, "packaging_received"] = _OTHER_PACK[str(_cell(w.lines, r, "packaging"))]
        out.append(("R4", line_subject(int(_cell(w.lines, r, "_m")))))
    # R5.permit: received by a unit without a permit, or with one expired on 1 January.
    rogues = []
    for j, i in enumerate(next(take)):
        base = w.actors.loc[w.actors["actor_id"] == _cell(m, i, "receiver_id")].iloc[0].copy()
        rid = f"X{j + 1:06d}"
        base["actor_id"] = rid
        base["name"] = rid
        rogues.append(base)
        m.at[i, "receiver_id"] = rid
        if j % 2 == 1:
            row: dict[str, Any] = {
                "permit_no": f"JYX{j + 1:06d}", "actor_id": rid, "kind": "comprehensive",
                "valid_from": dt.date(year - 5, 1, 1), "valid_to": dt.date(year, 1, 1),
                "annual_capacity_t": 1e9, "codes": ["HW08"],
            }  # fmt: skip
            w.permits = pd.concat([w.permits, pd.DataFrame([row])], ignore_index=True)
        out.append(("R5.permit", int(i)))
    w.actors = pd.concat([w.actors, pd.DataFrame(rogues)], ignore_index=True)
    # R5.code: line 1 carries a HW49 code no permit lists.
    rows = _first_line(w, next(take))
    for j, r in enumerate(rows):
        c = RESERVED_CODES[j % len(RESERVED_CODES)]
        w.lines.at[r, "code"] = c
        w.lines.at[r, "code_received"] = c
        out.append(("R5.code", line_subject(int(_cell(w.lines, r, "_m")))))
    # R7: arrival 6–48 h after the transit limit.
    a = w.actors.set_index("actor_id")
    for i in next(take):
        p, r = a.loc[_cell(m, i, "producer_id")], a.loc[_cell(m, i, "receiver_id")]
        d = float(
            haversine_km(
                np.array([p["lon"]]), np.array([p["lat"]]), np.array([r["lon"]]), np.array([r["lat"]])
            )[0]
        )
        limit = d * settings.road_factor / settings.speed_kmh + settings.transit_slack_h
        arr = pd.Timestamp(_cell(m, i, "shipped_at")) + pd.Timedelta(hours=limit + float(rng.uniform(6, 48)))
        arr = arr.floor("s")
        m.at[i, "arrived_at"] = arr
        m.at[i, "confirmed_at"] = arr + pd.Timedelta(hours=2)
        m.at[i, "closed_at"] = arr + pd.Timedelta(hours=5)
        out.append(("R7", int(i)))
    # R8: a paper manifest back-filled on the 11th–15th working day, or never.
    for j, i in enumerate(next(take)):
        m.at[i, "paper"] = True
        done = pd.Timestamp(_cell(m, i, "confirmed_at")).date()
        m.at[i, "backfilled_at"] = (
            dt.datetime.combine(add_workdays(done, int(rng.integers(11, 16))), dt.time(10))
            if j % 2 == 0
            else pd.NaT
        )
        out.append(("R8", int(i)))
    # R11: two producers on one manifest.
    for i in next(take):
        m.at[i, "producers_on_manifest"] = 2
        out.append(("R11", int(i)))
    out += _inject_cross(w, rng, k, cross)
    return out


def _inject_cross(
    w: World, rng: np.random.Generator, k: int, cross: np.ndarray
) -> list[tuple[str, int | str]]:
    """R6: a cross-province manifest without approval, or outside it (another pair's
    approval; the approved quantity exceeded by the last trip; the last trip after the
    approval's end); an approval outliving its receiver's permit, or for disposal at a
    receiver holding a collection permit only (R6.expiry, R6.method: the approval and its
    trips moved to a copy of the receiver holding such a permit)."""
    m = w.manifests
    out: list[tuple[str, int | str]] = []
    by = pd.Series(cross).groupby(m["approval_no"].to_numpy()[cross])
    apps = rng.permutation(np.array(sorted(str(g) for g in by.groups), dtype=object))
    if len(apps) < 6 * k:
        raise ValueError("too few cross-province approvals for the anomalies: raise the scale")
    none_apps, pair_apps, q_apps, v_apps = apps[:k], apps[k : 2 * k], apps[2 * k : 3 * k], apps[3 * k : 4 * k]
    n_out = k
    for ap in none_apps:
        i = int(by.get_group(ap).iloc[0])
        m.at[i, "approval_no"] = None
        out.append(("R6.none", i))
    variants = ("pair", "quantity", "validity")
    live = m[m["approval_no"].notna() & (m["status"] != "draft")]
    under = {str(g): v for g, v in live.groupby("approval_no").groups.items()}
    per_manifest = w.lines.groupby("_m")["qty_shipped_t"].sum()
    a = w.approvals.set_index("approval_no")
    for j in range(n_out):
        kind = variants[j % 3]
        if kind == "pair":
            src, dst = pair_apps[j], pair_apps[(j + 1) % len(pair_apps)] if len(pair_apps) > 1 else q_apps[-1]
            i = int(by.get_group(src).iloc[0])
            m.at[i, "approval_no"] = dst
            out.append(("R6.outside", i))
            continue
        ap = q_apps[j] if kind == "quantity" else v_apps[j]
        # Every shipped manifest under the approval counts (not only the clean pool's).
        sub = m.loc[under[str(ap)]].sort_values(["shipped_at", "manifest_no"])
        idx = sub.index.to_numpy()
        q = per_manifest.reindex(idx).to_numpy()
        if kind == "quantity":
            cum = np.cumsum(q)
            a.at[ap, "quantity_t"] = round(float(cum[-1] - q[-1] / 2), 6)
            out.append(("R6.outside", int(idx[-1])))
        else:
            last = pd.Timestamp(sub["shipped_at"].iloc[-1]).date()
            end = last - dt.timedelta(days=1)
            a.at[ap, "valid_to"] = end
            days = pd.to_datetime(sub["shipped_at"]).dt.date
            out += [("R6.outside", int(i)) for i, d in zip(idx, days, strict=True) if d > end]
    w.approvals = a.reset_index()
    out += _inject_approvals(w, apps[4 * k : 5 * k], apps[5 * k : 6 * k])
    return out


def _inject_approvals(w: World, expiring: np.ndarray, collecting: np.ndarray) -> list[tuple[str, int | str]]:
    """R6.expiry and R6.method: each approval (and every trip under it) moves to a copy of
    its receiver (same place, same permitted categories) whose one permit either ends the
    day after the approval's last trip, before the approval's end (``expiring``), or is a
    collection permit valid around the year (``collecting``; the approval's method, D10, is
    a disposal)."""
    m, a = w.manifests, w.approvals
    out: list[tuple[str, int | str]] = []
    actors = w.actors.set_index("actor_id", drop=False)
    permits = w.permits.set_index("actor_id", drop=False)
    new_actors, new_permits = [], []
    picked = set(expiring) | set(collecting)
    # one pass over the manifests and approvals for every picked approval
    under = m.index[m["approval_no"].isin(picked).to_numpy()]
    trips_of = {str(k): v for k, v in m.loc[under].groupby("approval_no").groups.items()}
    row_of = {str(no): i for i, no in enumerate(a["approval_no"].tolist()) if no in picked}
    for prefix, group in (("Y", expiring), ("Z", collecting)):
        for j, ap in enumerate(group):
            row = row_of[str(ap)]
            rid = str(_cell(a, row, "receiver_id"))
            copy = f"{prefix}{j + 1:06d}"
            actor = actors.loc[rid].copy()
            actor["actor_id"] = actor["name"] = copy
            new_actors.append(actor)
            trips = trips_of[str(ap)]
            m.loc[trips, "receiver_id"] = copy
            a.at[row, "receiver_id"] = copy
            permit = permits.loc[rid].copy()
            permit["actor_id"], permit["permit_no"] = copy, f"JY{copy}"
            permit["annual_capacity_t"] = np.nan  # set by finish_capacity
            if prefix == "Y":
                last = pd.Timestamp(m.loc[trips, "shipped_at"].max()).date()
                permit["valid_to"] = last + dt.timedelta(days=1)
                assert permit["valid_to"] < _cell(a, row, "valid_to")
                out.append(("R6.expiry", str(ap)))
            else:
                permit["kind"] = "collection"
                permit["valid_from"] = dt.date(w.year - 1, 1, 1)
                permit["valid_to"] = dt.date(w.year + 1, 12, 31)
                out.append(("R6.method", str(ap)))
            new_permits.append(permit)
    w.actors = pd.concat([w.actors, pd.DataFrame(new_actors)], ignore_index=True)
    w.permits = pd.concat([w.permits, pd.DataFrame(new_permits)], ignore_index=True)
    return out


def inject_tail(w: World, rng: np.random.Generator, k: int) -> list[tuple[str, str]]:
    """Anomalies of the capacity, ledgers and declarations (after the ledger is made):
    R5.capacity, R9.storage, R9.balance, R10."""
    out: list[tuple[str, str]] = []
    y = w.year
    m = w.manifests
    ok = ((m["status"] != "draft") & (m["status"] != "rejected")).to_numpy()[w.lines["_m"].to_numpy()]
    rec = w.lines["qty_received_t"].fillna(w.lines["qty_shipped_t"]).to_numpy()
    r_of_line = m["receiver_id"].to_numpy()[w.lines["_m"].to_numpy()]
    got = pd.Series(rec[ok]).groupby(r_of_line[ok]).sum()
    licensed = w.permits[w.permits["actor_id"].str.startswith("R")]
    cand = rng.permutation(licensed.index.to_numpy())
    cand_ok = [c for c in cand if got.get(_cell(licensed, c, "actor_id"), 0.0) > 1.0][:k]
    for j, c in enumerate(cand_ok):
        rid = str(_cell(w.permits, c, "actor_id"))
        f = rng.uniform(1.05, 1.15) if j % 2 == 0 else rng.uniform(1.3, 1.5)
        w.permits.at[c, "annual_capacity_t"] = round(float(got[rid]) / f, 3)
        out.append(("R5.capacity", f"{rid}:{y}"))
    # R9.storage: a receiver's batch stored in 400 days earlier.
    led = w.ledger
    ins = led.index[(led["stage"] == "stored_in").to_numpy() & led["actor_id"].str.startswith("R").to_numpy()]
    for r in rng.choice(ins, k, replace=False):
        led.at[r, "at"] = pd.Timestamp(_cell(led, r, "at")) - pd.Timedelta(days=400)
        out.append(("R9.storage", f"{_cell(led, r, 'actor_id')}:{_cell(led, r, 'batch_code')}"))
    # R9.balance: a producer's shipped row 0.5 t over what was generated.
    sh = led[(led["stage"] == "shipped")]
    firsts = sh.drop_duplicates("actor_id")
    for r in rng.choice(firsts.index.to_numpy(), k, replace=False):
        led.at[r, "quantity_t"] = round(float(_cell(led, r, "quantity_t")) + 0.5, 3)
        out.append(("R9.balance", f"{_cell(led, r, 'actor_id')}:{_cell(led, r, 'code')}:{y}"))
    # R10: a declaration late (3–30 days) or missing.
    d = w.declarations
    pick = rng.choice(d.index.to_numpy(), k, replace=False)
    drop = []
    for j, r in enumerate(pick):
        out.append(("R10", f"{_cell(d, r, 'actor_id')}:{_cell(d, r, 'kind')}:{_cell(d, r, 'period')}"))
        if j % 2 == 0:
            drop.append(r)
        else:
            kind, period = str(_cell(d, r, "kind")), str(_cell(d, r, "period"))
            due = _due(kind, period)
            d.at[r, "submitted_at"] = pd.Timestamp(due) + pd.Timedelta(
                days=int(rng.integers(3, 31)), hours=10
            )
    w.declarations = d.drop(index=drop).reset_index(drop=True)
    return out


def _due(kind: str, period: str) -> dt.date:
    if kind == "annual":
        return dt.date(int(period) + 1, 3, 31)
    if kind == "quarterly":
        y, q = int(period[:4]), int(period[5])
        return dt.date(y + (q == 4), (3 * q) % 12 + 1, 15)
    y, mo = int(period[:4]), int(period[5:7])
    return dt.date(y + (mo == 12), mo % 12 + 1, 15)

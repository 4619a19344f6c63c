"""A clean manifest year: actors across provinces, permits, cross-province approvals,
manifests with lines, ledgers and declarations, all within the rules (no alert fires).

Everything is drawn with NumPy from one seed, vectorised (a national year of 5 M
manifests and 15 M lines takes about a minute). Shapes follow the shared table design
of issue 14; sizes scale with ``scale`` (1.0 ≈ 5 M manifests, 200 k producers,
2 k receivers). The clean year keeps margins to every threshold of the default
:class:`~ecoplan.waste.rules.AlertSettings` so an injected anomaly
(:mod:`.anomalies`) is the only thing that fires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecoplan.waste.simulate.pools import CITIES, CODES

__all__ = ["World", "clean_year", "haversine_km"]

_FORM = {c: f for c, f, _ in CODES}
_PACK = {c: p for c, _, p in CODES}


@dataclass
class World:
    """The tables of a generated year (the shared design's columns) and its year."""

    year: int
    actors: pd.DataFrame
    permits: pd.DataFrame
    approvals: pd.DataFrame
    manifests: pd.DataFrame
    lines: pd.DataFrame
    ledger: pd.DataFrame
    declarations: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The frames by table name."""
        return {
            "waste_actors": self.actors,
            "waste_permits": self.permits,
            "waste_approvals": self.approvals,
            "waste_manifests": self.manifests,
            "waste_manifest_lines": self.lines,
            "waste_ledger": self.ledger,
            "waste_declarations": self.declarations,
        }


def haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Great-circle distance (km), the formula of rule R7's SQL."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(a)))


def _masked(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values`` with ``None`` where ``keep`` is false."""
    out = values.astype(object).copy()
    out[~keep] = None
    return out


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    return np.asarray(pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width).radd(prefix), dtype=object)


def _actors(rng: np.random.Generator, scale: float) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    nc = len(CITIES)
    n_p = max(4 * nc, int(200_000 * scale))
    n_r = max(2 * nc, int(2_000 * scale))
    n_t = max(nc, int(5_000 * scale))
    region = np.array([c[0] for c in CITIES], dtype=object)
    lon = np.array([c[1] for c in CITIES])
    lat = np.array([c[2] for c in CITIES])
    parts = []
    info: dict[str, np.ndarray] = {}
    for kind, n, role, pre in (
        ("p", n_p, "producer", "P"),
        ("r", n_r, "receiver", "R"),
        ("t", n_t, "transporter", "T"),
    ):
        city = np.arange(n) % nc if kind != "p" else rng.integers(0, nc, n)
        ids = _ids(pre, n, 7)
        cls = np.full(n, None, dtype=object)
        if kind == "p":
            cls = rng.choice(
                np.array(["key", "simplified", "registered"], dtype=object), n, p=[0.1, 0.3, 0.6]
            )
        frame = pd.DataFrame(
            {
                "actor_id": ids,
                "roles": [[role]] * n,
                "name": ids,
                "credit_code": None,
                "region": region[city],
                "address": None,
                "lon": np.round(lon[city] + rng.uniform(-0.25, 0.25, n), 5),
                "lat": np.round(lat[city] + rng.uniform(-0.25, 0.25, n), 5),
                "unit_class": cls,
            }
        )
        parts.append(frame)
        info[kind + "_city"] = city
    return pd.concat(parts, ignore_index=True), info


def clean_year(year: int = 2025, scale: float = 0.001, seed: int = 0) -> tuple[World, np.random.Generator]:
    """A year without anomalies (and the generator, to go on drawing from)."""
    rng = np.random.default_rng(seed)
    actors, _info = _actors(rng, scale)
    prod = actors[actors["actor_id"].str.startswith("P")].reset_index(drop=True)
    recv = actors[actors["actor_id"].str.startswith("R")].reset_index(drop=True)
    trans = actors[actors["actor_id"].str.startswith("T")].reset_index(drop=True)
    n = max(200, int(5_000_000 * scale))

    # Manifests: producer, receiver (same province mostly), times.
    pi = rng.integers(0, len(prod), n)
    p_prov = prod["region"].str[:2].to_numpy()[pi]
    r_prov_all = recv["region"].str[:2].to_numpy()
    order = np.argsort(r_prov_all, kind="stable")
    sorted_prov = r_prov_all[order]
    provs, start, count = np.unique(sorted_prov, return_index=True, return_counts=True)
    pos = np.searchsorted(provs, p_prov)
    has = (pos < len(provs)) & (provs[np.minimum(pos, len(provs) - 1)] == p_prov)
    same = order[start[pos] + (rng.random(n) * count[pos]).astype(np.int64)]
    cross = (rng.random(n) < 0.05) | ~has
    other = rng.integers(0, len(recv), n)
    bad = r_prov_all[other] == p_prov
    other[bad] = order[(start[(pos[bad] + 1) % len(provs)] + 0)]
    ri = np.where(cross, other, same)
    cross = r_prov_all[ri] != p_prov
    ti = rng.integers(0, len(trans), n)

    t0 = np.datetime64(f"{year}-01-01T00:00:00")
    day = rng.integers(1, 350, n)
    shipped = t0 + (day * 86400 + rng.integers(8 * 3600, 17 * 3600, n)).astype("timedelta64[s]")
    dist = haversine_km(
        prod["lon"].to_numpy()[pi],
        prod["lat"].to_numpy()[pi],
        recv["lon"].to_numpy()[ri],
        recv["lat"].to_numpy()[ri],
    )
    transit_h = dist * 1.3 / 50.0 * rng.uniform(0.6, 1.0, n) + rng.uniform(0.5, 6.0, n)
    arrived = shipped + (transit_h * 3600).astype("timedelta64[s]")
    confirmed = arrived + (rng.uniform(0.2, 20.0, n) * 3600).astype("timedelta64[s]")
    closed = confirmed + (rng.uniform(1.0, 48.0, n) * 3600).astype("timedelta64[s]")
    u = rng.random(n)
    status = np.where(
        u < 0.01, "draft", np.where(u < 0.02, "rejected", np.where(u < 0.10, "confirmed", "closed"))
    )
    status = status.astype(object)
    nat = np.datetime64("NaT")
    draft, rejected = status == "draft", status == "rejected"
    shipped = np.where(draft, nat, shipped)
    arrived = np.where(draft, nat, arrived)
    confirmed = np.where(draft | rejected, nat, confirmed)
    closed = np.where(status == "closed", closed, nat)
    paper = (status == "closed") & (rng.random(n) < 0.02)
    backfilled = np.where(paper, confirmed + (rng.uniform(1.0, 96.0, n) * 3600).astype("timedelta64[s]"), nat)

    # Numbers: year + the producer's province and city + a serial within the city.
    p_city = prod["region"].to_numpy()[pi]
    city_key = pd.Series(p_city)
    serial = city_key.groupby(city_key).cumcount().to_numpy() + 1
    number = pd.Series(p_city).str[:4].radd(str(year)) + pd.Series(serial).astype(str).str.zfill(6)

    manifests = pd.DataFrame(
        {
            "manifest_no": number.to_numpy(dtype=object),
            "producer_id": prod["actor_id"].to_numpy()[pi],
            "transporter_id": trans["actor_id"].to_numpy()[ti],
            "receiver_id": recv["actor_id"].to_numpy()[ri],
            "approval_no": None,
            "status": status,
            "paper": paper,
            "shipped_at": shipped,
            "arrived_at": arrived,
            "confirmed_at": confirmed,
            "closed_at": closed,
            "backfilled_at": backfilled,
            "vehicle": None,
            "producers_on_manifest": np.ones(n, dtype=np.int32),
        }
    )
    manifests["vehicle"] = ("V" + pd.Series(ti).astype(str)).to_numpy(dtype=object)

    # Lines: 1–5 per manifest, codes from the producer's two usual codes.
    k = np.minimum(1 + rng.poisson(2.0, n), 5)
    mi = np.repeat(np.arange(n), k)
    line_no = (pd.Series(mi).groupby(mi).cumcount() + 1).to_numpy(dtype=np.int32)
    codes = np.array([c for c, _, _ in CODES], dtype=object)
    prof = rng.integers(0, len(codes), (len(prod), 2))
    code = codes[prof[pi[mi], rng.integers(0, 2, len(mi))]]
    form = pd.Series(code).map(_FORM).to_numpy(dtype=object)
    pack = pd.Series(code).map(_PACK).to_numpy(dtype=object)
    qty = np.round(np.clip(rng.lognormal(np.log(1.5), 0.6, len(mi)), 0.05, 20.0), 3)
    got = ~(draft | rejected)[mi]
    qrec = np.where(got, np.round(qty * (1 + rng.uniform(-0.04, 0.04, len(mi))), 3), np.nan)
    containers = rng.integers(1, 40, len(mi)).astype(np.int32)
    lines = pd.DataFrame(
        {
            "manifest_no": manifests["manifest_no"].to_numpy()[mi],
            "line_no": line_no,
            "code": code,
            "form": form,
            "packaging": pack,
            "containers": containers,
            "qty_shipped_t": qty,
            "qty_received_t": qrec,
            "code_received": _masked(code, got),
            "form_received": _masked(form, got),
            "packaging_received": _masked(pack, got),
            # every piece counted at receipt (R3.pieces)
            "containers_received": pd.arrays.IntegerArray(containers.copy(), ~got),
        }
    )
    lines["_m"] = mi

    world = World(
        year=year,
        actors=actors,
        permits=pd.DataFrame(),
        approvals=pd.DataFrame(),
        manifests=manifests,
        lines=lines,
        ledger=pd.DataFrame(),
        declarations=pd.DataFrame(),
    )
    _approvals(world, cross & ~draft)
    _permit_codes(world)
    _declarations(world, rng)
    return world, rng


def _approvals(w: World, cross: np.ndarray) -> None:
    """One approval per cross-province (producer, receiver) pair, covering its codes and
    quantity with margin, valid for the year (12 months, Art. 27)."""
    m = w.manifests
    idx = np.flatnonzero(cross)
    pairs = m.loc[idx, ["producer_id", "receiver_id"]]
    key = pairs["producer_id"] + ">" + pairs["receiver_id"]
    uniq, inv = np.unique(key.to_numpy(dtype=str), return_inverse=True)
    nos = _ids(f"KS{w.year}", len(uniq), 6)
    m.loc[idx, "approval_no"] = nos[inv]
    ln = w.lines[w.lines["_m"].isin(idx)]
    ap = pd.Series(m["approval_no"].to_numpy()[ln["_m"].to_numpy()])
    grp = pd.DataFrame(
        {"approval_no": ap.to_numpy(), "code": ln["code"].to_numpy(), "q": ln["qty_shipped_t"].to_numpy()}
    )
    codes = grp.groupby("approval_no")["code"].agg(lambda s: sorted(set(s)))
    qty = grp.groupby("approval_no")["q"].sum()
    first = m.loc[idx].groupby("approval_no")[["producer_id", "receiver_id"]].first()
    region = w.actors.set_index("actor_id")["region"]
    w.approvals = pd.DataFrame(
        {
            "approval_no": first.index.to_numpy(dtype=object),
            "from_province": region.reindex(first["producer_id"]).str[:2].to_numpy(dtype=object),
            "to_province": region.reindex(first["receiver_id"]).str[:2].to_numpy(dtype=object),
            "producer_id": first["producer_id"].to_numpy(dtype=object),
            "receiver_id": first["receiver_id"].to_numpy(dtype=object),
            "codes": codes.reindex(first.index).tolist(),
            "quantity_t": np.round(qty.reindex(first.index).to_numpy() * 1.25 + 100.0, 3),
            "method": "D10",
            "valid_from": dt.date(w.year, 1, 1),
            "valid_to": dt.date(w.year, 12, 31),
        }
    )


def _permit_codes(w: World) -> None:
    """One comprehensive permit per receiver listing the categories it receives in the clean
    year (capacity is set by :func:`finish_capacity` once the year is final)."""
    recv = w.actors[w.actors["actor_id"].str.startswith("R")]
    r_of_line = w.manifests["receiver_id"].to_numpy()[w.lines["_m"].to_numpy()]
    cats = pd.DataFrame({"r": r_of_line, "c": "HW" + w.lines["code"].str[-2:]}).drop_duplicates()
    by = cats.groupby("r")["c"].agg(lambda s: sorted(set(s)))
    ids = recv["actor_id"].to_numpy(dtype=object)
    w.permits = pd.DataFrame(
        {
            "permit_no": np.asarray(pd.Series(ids).str.replace("R", "JY", regex=False), dtype=object),
            "actor_id": ids,
            "kind": "comprehensive",
            "valid_from": dt.date(w.year - 2, 3, 1),
            "valid_to": dt.date(w.year + 3, 2, 28),
            "annual_capacity_t": np.nan,
            "codes": [by.get(a, ["HW08"]) for a in ids],
        }
    )


def finish_capacity(w: World, rng: np.random.Generator) -> None:
    """Capacities with a margin of 30–100 % over each receiver's final received quantity."""
    m = w.manifests
    ok = (m["status"] != "draft") & (m["status"] != "rejected")
    rec = w.lines["qty_received_t"].fillna(w.lines["qty_shipped_t"])
    r_of_line = m["receiver_id"].to_numpy()[w.lines["_m"].to_numpy()]
    got = (
        pd.Series(rec.to_numpy()[ok.to_numpy()[w.lines["_m"].to_numpy()]])
        .groupby(r_of_line[ok.to_numpy()[w.lines["_m"].to_numpy()]])
        .sum()
    )
    need = w.permits["annual_capacity_t"].isna()
    base = got.reindex(w.permits["actor_id"]).fillna(0.0).to_numpy()
    cap = np.round(base * rng.uniform(1.3, 2.0, len(base)) + 10.0, 1)
    w.permits.loc[need, "annual_capacity_t"] = cap[need.to_numpy()]


def _declarations(w: World, rng: np.random.Generator) -> None:
    """Every declaration due for the year (HJ 1259 §7.2), submitted 1–10 days early."""
    y = w.year
    due: dict[str, list[tuple[str, dt.date]]] = {
        "monthly": [(f"{y}-{m:02d}", dt.date(y + (m == 12), m % 12 + 1, 15)) for m in range(1, 13)],
        "quarterly": [(f"{y}Q{q}", dt.date(y + (q == 4), (3 * q) % 12 + 1, 15)) for q in range(1, 5)],
        "annual": [(str(y), dt.date(y + 1, 3, 31))],
    }
    kinds = {"key": ("monthly", "annual"), "simplified": ("quarterly", "annual"), "registered": ("annual",)}
    parts = []
    a = w.actors[w.actors["unit_class"].notna()]
    for cls, ks in kinds.items():
        ids = a.loc[a["unit_class"] == cls, "actor_id"].to_numpy(dtype=object)
        for kind in ks:
            for period, d in due[kind]:
                at = np.datetime64(d) - (rng.uniform(1.0, 10.0, len(ids)) * 86400).astype("timedelta64[s]")
                parts.append(
                    pd.DataFrame({"actor_id": ids, "kind": kind, "period": period, "submitted_at": at})
                )
    w.declarations = pd.concat(parts, ignore_index=True)


def as_of(year: int) -> dt.datetime:
    """The moment a generated year is judged at: 30 April of the next year (after the
    annual declaration's 31 March)."""
    return dt.datetime(year + 1, 4, 30, 12, 0, 0)


def finish_ledger(w: World, rng: np.random.Generator) -> None:
    """HJ 1259 ledgers from the final manifests: per shipped manifest a producer batch
    (generated → [stored in → stored out →] shipped, the quantity and code of its first
    line), some self-treated batches, and each receiver's monthly storage batches
    (stored in, then out 20–200 days later unless that is after :func:`as_of`)."""
    m = w.manifests
    first = w.lines[w.lines["line_no"] == 1]
    mi = first["_m"].to_numpy()
    keep = m["status"].to_numpy()[mi] != "draft"
    mi, code, qty = mi[keep], first["code"].to_numpy()[keep], first["qty_shipped_t"].to_numpy()[keep]
    n = len(mi)
    actor = m["producer_id"].to_numpy()[mi]
    shipped = m["shipped_at"].to_numpy()[mi].astype("datetime64[s]")
    jan1 = np.datetime64(f"{w.year}-01-01T00:00:00")
    gen = np.maximum(shipped - (rng.uniform(1.0, 60.0, n) * 86400).astype("timedelta64[s]"), jan1)
    batch = _ids("HWCS", n, 9)
    stored = rng.random(n) < 0.6
    hour = np.timedelta64(3600, "s")
    parts = [
        pd.DataFrame(
            {
                "actor_id": actor,
                "batch_code": batch,
                "stage": "generated",
                "at": gen,
                "code": code,
                "quantity_t": qty,
            }
        ),
        pd.DataFrame(
            {
                "actor_id": actor,
                "batch_code": batch,
                "stage": "shipped",
                "at": shipped,
                "code": code,
                "quantity_t": qty,
            }
        ),
    ]
    s = stored
    parts.append(
        pd.DataFrame(
            {
                "actor_id": actor[s],
                "batch_code": batch[s],
                "stage": "stored_in",
                "at": gen[s] + hour,
                "code": code[s],
                "quantity_t": qty[s],
            }
        )
    )
    parts.append(
        pd.DataFrame(
            {
                "actor_id": actor[s],
                "batch_code": batch[s],
                "stage": "stored_out",
                "at": shipped[s] - hour,
                "code": code[s],
                "quantity_t": qty[s],
            }
        )
    )
    k = max(1, n // 20)
    who = rng.integers(0, n, k)
    sb = _ids("HWZXCZ", k, 9)
    sq = np.round(rng.uniform(0.1, 5.0, k), 3)
    st = jan1 + (rng.integers(1, 340, k) * 86400).astype("timedelta64[s]")
    parts.append(
        pd.DataFrame(
            {
                "actor_id": actor[who],
                "batch_code": sb,
                "stage": "generated",
                "at": st,
                "code": code[who],
                "quantity_t": sq,
            }
        )
    )
    parts.append(
        pd.DataFrame(
            {
                "actor_id": actor[who],
                "batch_code": sb,
                "stage": "self_treated",
                "at": st + 24 * hour,
                "code": code[who],
                "quantity_t": sq,
            }
        )
    )
    # Receivers: one storage batch a month.
    perm = w.permits
    rid = np.repeat(perm["actor_id"].to_numpy(dtype=object), 12)
    month = np.tile(np.arange(1, 13), len(perm))
    rcode = np.repeat(np.array([CODES[i % len(CODES)][0] for i in range(len(perm))], dtype=object), 12)
    rin = (
        (pd.to_datetime(pd.DataFrame({"year": w.year, "month": month, "day": 3})) + pd.Timedelta(hours=9))
        .to_numpy()
        .astype("datetime64[s]")
    )
    rout = rin + (rng.uniform(20.0, 200.0, len(rin)) * 86400).astype("timedelta64[s]")
    rq = np.round(rng.uniform(1.0, 50.0, len(rin)), 3)
    rb = np.asarray(
        pd.Series(rid).str.replace("R", "HWRK", regex=False)
        + "-"
        + pd.Series(month).astype(str).str.zfill(2),
        dtype=object,
    )
    parts.append(
        pd.DataFrame(
            {
                "actor_id": rid,
                "batch_code": rb,
                "stage": "stored_in",
                "at": rin,
                "code": rcode,
                "quantity_t": rq,
            }
        )
    )
    out = rout <= np.datetime64(as_of(w.year))
    parts.append(
        pd.DataFrame(
            {
                "actor_id": rid[out],
                "batch_code": rb[out],
                "stage": "stored_out",
                "at": rout[out],
                "code": rcode[out],
                "quantity_t": rq[out],
            }
        )
    )
    led = pd.concat(parts, ignore_index=True)
    led["at"] = led["at"].astype("datetime64[s]")
    led["container_code"] = None
    led["linked_batch"] = None
    led["facility"] = None
    w.ledger = led

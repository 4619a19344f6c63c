"""A simulated month of HJ 212 data with injected exceedances and faults, and its ground truth.

Deterministic from the seed. From the example register (``src/ecoplan/sources/data``: the
fictitious enterprises of 石家庄市) it takes ``outlets`` outlets (half air, half water, the
first by id) with their enterprises, permits, limits and quantities, and writes into ``out``:

- ``register/`` — the register files for ``ep.sources.registry.load_folder`` (every device
  as an HJ 212-2017 device: the frames are plain text, none SM4-encrypted);
- ``minutes.txt`` — one CN 2051 frame per device and 10 minutes (MinInterval 10) of the
  month (or its first ``days`` days): SO2, NOx, particulate, O2 and flow for air outlets,
  COD, NH3-N and flow for water, with Min/Avg/Max/ZsAvg/Cou/Flag;
- ``daily.txt`` — one CN 2031 frame per device and day of the whole year (the totals);
- ``reported.csv`` — the base year's reported totals (region, 2015, pollutant, tonnes,
  source): 1.25 × the year's monitored total, i.e. a 20 % decline;
- ``truth.json`` — the injected exceedance events, alarms and cards, the year's totals per
  region and pollutant (Σ of the Cou written, in t).

Normal values stay far below the limits (the mean at 30–50 % of the limit, ±10 %, O2 at most
0.5 % above the reference: converted at most ≈ 64 % of the limit); injected exceedances
are 1.5–1.8 × the limit (converted), varying (no flatline). Faults, each on its own outlet:
``silence`` (3 hours without frames), ``flatline`` (NOx or COD constant for 5 hours),
``negative`` (particulate or NH3-N below 0 for 2 hours), ``impossible`` (O2 25 % for 1
hour), ``flag_storm`` (flags N, D, N, D, N, D in one hour), ``zero_flow`` (flow 0 while
emitting for 2 hours). One enterprise emits 3.2 × half its permitted quantities: yellow
in the quarter it crosses a quantity, red in the next (the ground truth follows the
written Cou day by day).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecoplan.sources.protocol.frame import encode_frame
from ecoplan.sources.standards.cards import quarter_of

__all__ = ["DATA", "write_scenario"]

DATA = Path(__file__).resolve().parents[1] / "data"
AIR = ("a21026", "a21002", "a34013")
WATER = ("w01018", "w21003")
FED = {"w01018": "COD", "w21003": "NH3-N", "a21026": "SO2", "a21002": "NOx"}
FAULTS = ("silence", "flatline", "negative", "impossible", "flag_storm", "zero_flow")
STEP = dt.timedelta(minutes=10)
#: How long each fault lasts, hours.
SPANS = {"silence": 3, "flatline": 5, "negative": 2, "impossible": 1, "flag_storm": 1, "zero_flow": 2}


@dataclass
class Outlet:
    """One simulated outlet and what is injected on it."""

    outlet_id: str
    credit_code: str
    region: str
    medium: str
    mn: str
    st: str
    pw: str
    limits: dict[str, tuple[float, float | None]]  # factor → (limit, ref O2)
    base: dict[str, float] = field(default_factory=dict)
    flow: float = 0.0
    o2: float = 0.0
    fault: tuple[str, str | None, dt.datetime] | None = None  # kind, factor, start
    exceed: tuple[str, dt.datetime, int] | None = None  # factor, start, hours (water: 24)


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _month(text: str) -> dt.datetime:
    try:
        t = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise ValueError(f"month must look like 2020-06, got {text!r}") from None
    return t


def _days_in(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def _select(n: int) -> tuple[list[dict[str, str]], dict[str, list[dict[str, str]]]]:
    outlets = sorted(_read("outlets.csv"), key=lambda r: r["outlet_id"])
    air = [o for o in outlets if o["medium"] == "air"]
    water = [o for o in outlets if o["medium"] == "water"]
    n_water = min(len(water), n // 2)
    chosen = water[:n_water] + air[: n - n_water]
    if len(chosen) < n or n < 10:
        raise ValueError(f"outlets must be between 10 and {len(outlets)}, got {n}")
    codes = {o["credit_code"] for o in chosen}
    ids = {o["outlet_id"] for o in chosen}
    reg = {
        "enterprises": [r for r in _read("enterprises.csv") if r["credit_code"] in codes],
        "outlets": [o for o in outlets if o["outlet_id"] in ids],
        "devices": [
            dict(d, edition="2017", sm4_key="") for d in _read("devices.csv") if d["outlet_id"] in ids
        ],
        "permits": [p for p in _read("permits.csv") if p["credit_code"] in codes],
    }
    permits = {p["permit_no"] for p in reg["permits"]}
    reg["limits"] = [r for r in _read("limits.csv") if r["outlet_id"] in ids]
    reg["quantities"] = [q for q in _read("quantities.csv") if q["permit_no"] in permits]
    return chosen, reg


def _outlets(reg: dict[str, list[dict[str, str]]], year: int, rng: random.Random) -> list[Outlet]:
    region = {e["credit_code"]: e["region"] for e in reg["enterprises"]}
    dev = {d["outlet_id"]: d for d in reg["devices"]}
    out: list[Outlet] = []
    for o in reg["outlets"]:
        d = dev[o["outlet_id"]]
        lims = {
            r["factor"]: (float(r["limit_value"]), float(r["ref_o2"]) if r["ref_o2"] else None)
            for r in reg["limits"]
            if r["outlet_id"] == o["outlet_id"] and r["factor"] in (AIR if o["medium"] == "air" else WATER)
        }
        if not lims:
            continue
        ol = Outlet(o["outlet_id"], o["credit_code"], region[o["credit_code"]], o["medium"], d["mn"], d["st"],
                    d["pw"], lims)  # fmt: skip
        ol.base = {f: lim * rng.uniform(0.3, 0.5) for f, (lim, _) in lims.items()}
        refs = [r for _, r in lims.values() if r is not None]
        ol.o2 = (min(refs) if refs else 8.0) + rng.uniform(0.0, 0.5)
        out.append(ol)
    # flows: the enterprise emits half its permitted quantity of the year (flow from the
    # quantity of its most constraining factor), or a typical flow where it has none
    quantity = _quantities(reg, year)
    seconds = _days_in(year) * 86400.0
    for ol in out:
        n_same = {
            f: sum(1 for x in out if x.credit_code == ol.credit_code and f in x.limits) for f in ol.limits
        }
        flows = []
        for f, c in ol.base.items():
            qt = quantity.get((ol.credit_code, f))
            if qt:
                kg = 0.5 * qt * 1000.0 / n_same[f]
                # kg = c [mg/m³ or mg/L] × flow [m³/s or L/s] × s × 1e-6 (air) / 1e-6 (water, L)
                flows.append(kg / (c * seconds * 1e-6))
        ol.flow = min(flows) if flows else (rng.uniform(20, 100))
    return out


def _inject(outlets: list[Outlet], start: dt.datetime, days: int, rng: random.Random) -> None:
    """Exceedances and faults on distinct outlets."""
    order = outlets[:]
    rng.shuffle(order)
    n_exc = max(2, len(outlets) // 20)
    n_fault = max(1, len(outlets) // 40)
    air = [o for o in order if o.medium == "air"]
    water = [o for o in order if o.medium == "water"]
    used: set[str] = set()

    def take(pool: list[Outlet]) -> Outlet:
        for o in pool:
            if o.outlet_id not in used:
                used.add(o.outlet_id)
                return o
        raise ValueError("not enough outlets for the injections")

    def when(hours: int) -> dt.datetime:
        day = rng.randrange(days)
        hour = rng.randrange(1, 23 - hours)
        return start + dt.timedelta(days=day, hours=hour)

    for k in range(n_exc):
        o = take(water if k % 2 else air)
        f = rng.choice(sorted(o.limits))
        if o.medium == "air":
            o.exceed = (f, when(4), rng.randint(1, 3))
        else:
            o.exceed = (f, start + dt.timedelta(days=rng.randrange(days)), 24)
    for kind in FAULTS:
        for _ in range(n_fault):
            o = take(air if kind == "impossible" else order)
            pick = {
                "flatline": "a21002" if o.medium == "air" else "w01018",
                "negative": "a34013" if o.medium == "air" else "w21003",
                "impossible": "a19001",
                "flag_storm": sorted(o.limits)[0],
                "zero_flow": "a00000" if o.medium == "air" else "w00000",
            }.get(kind)
            o.fault = (kind, pick, when(5))


def _quantities(reg: dict[str, list[dict[str, str]]], year: int) -> dict[tuple[str, str], float]:
    """(credit code, factor) → the permitted quantity of the year, t (the permits summed)."""
    permit_of = {p["permit_no"]: p["credit_code"] for p in reg["permits"]}
    out: dict[tuple[str, str], float] = {}
    for q in reg["quantities"]:
        if int(q["year"]) == year:
            key = (permit_of[q["permit_no"]], q["factor"])
            out[key] = out.get(key, 0.0) + float(q["quantity_t"])
    return out


def _conv(ol: Outlet, f: str, o2: float) -> float:
    ref = ol.limits[f][1]
    return 1.0 if ref is None else (21.0 - ref) / (21.0 - o2)


def _cou(ol: Outlet, c: float, seconds: float) -> float:
    return c * ol.flow * seconds * 1e-6


def _num(v: float) -> str:
    return f"{v:.4f}"


def _frame(ol: Outlet, cn: str, t: dt.datetime, items: list[str]) -> bytes:
    seg = (
        f"QN={t:%Y%m%d%H%M%S}000;ST={ol.st};CN={cn};PW={ol.pw};MN={ol.mn};Flag=4;"
        f"CP=&&DataTime={t:%Y%m%d%H%M%S};{';'.join(items)}&&"
    )
    return encode_frame(seg)


def _minute_records(ol: Outlet, t: dt.datetime, rng: random.Random) -> dict[str, tuple[float, str]]:
    """factor → (Avg, Flag) of one 10-minute record, with the injections."""
    rec: dict[str, tuple[float, str]] = {}
    o2 = ol.o2 + rng.uniform(-0.05, 0.05)
    for f, c in ol.base.items():
        rec[f] = (c * rng.uniform(0.9, 1.1), "N")
    flow_factor = "a00000" if ol.medium == "air" else "w00000"
    rec[flow_factor] = (ol.flow * rng.uniform(0.95, 1.05), "N")
    if ol.medium == "air":
        rec["a19001"] = (o2, "N")
    if ol.exceed:
        f, start, hours = ol.exceed
        if start <= t < start + dt.timedelta(hours=hours):
            lim = ol.limits[f][0]
            rec[f] = (1.5 * lim * rng.uniform(1.0, 1.2) / _conv(ol, f, rec.get("a19001", (o2, ""))[0]), "N")
    if ol.fault:
        kind, fault_factor, start = ol.fault
        span = SPANS[kind]
        if start <= t < start + dt.timedelta(hours=span):
            f = fault_factor or ""
            if kind == "flatline":
                rec[f] = (ol.base[f] * 0.777, "N")
            elif kind == "negative":
                rec[f] = (-rng.uniform(1.0, 5.0), "N")
            elif kind == "impossible":
                rec["a19001"] = (25.0, "N")
            elif kind == "flag_storm":
                k = int((t - start) / STEP)
                rec[f] = (rec[f][0], "N" if k % 2 == 0 else "D")
            elif kind == "zero_flow":
                rec[f] = (0.0, "N")
    return rec


def _minute_items(ol: Outlet, rec: dict[str, tuple[float, str]]) -> tuple[list[str], dict[str, float]]:
    """The CP items of a minute record and the Cou written per factor (kg; flow m³)."""
    items, cou = [], {}
    o2 = rec.get("a19001", (None, ""))[0]
    for f, (v, flag) in rec.items():
        pairs = [f"{f}-Min={_num(v)}", f"{f}-Avg={_num(v)}", f"{f}-Max={_num(v)}"]
        if f in ol.limits and o2 is not None and o2 < 21 and ol.limits[f][1] is not None:
            pairs.append(f"{f}-ZsAvg={_num(v * _conv(ol, f, o2))}")
        if f in ol.base:
            c = round(_cou(ol, v, 600.0), 6)
            pairs.append(f"{f}-Cou={c:.6f}")
            cou[f] = c
        elif f in ("a00000", "w00000"):
            pairs.append(f"{f}-Cou={_num(v * 600.0 * (1.0 if f == 'a00000' else 1e-3))}")
        pairs.append(f"{f}-Flag={flag}")
        items.append(",".join(pairs))
    return items, cou


def _truth_alarm(ol: Outlet) -> dict[str, Any]:
    assert ol.fault is not None
    kind, f, start = ol.fault
    span = SPANS[kind]
    if kind == "silence":
        first = start - STEP
        end = start + dt.timedelta(hours=span)
        return {"alarm_id": f"silence:{ol.mn}:-:{first:%Y%m%d%H%M}", "kind": kind, "mn": ol.mn,
                "factor": None, "start": first.isoformat(), "end": end.isoformat()}  # fmt: skip
    end = start + dt.timedelta(hours=span)
    return {"alarm_id": f"{kind}:{ol.mn}:{f}:{start:%Y%m%d%H%M}", "kind": kind, "mn": ol.mn, "factor": f,
            "start": start.isoformat(), "end": end.isoformat()}  # fmt: skip


def _keys(region: str) -> list[str]:
    return sorted({region, region[:4] + "00", region[:2] + "0000"})


def write_scenario(
    out: str | Path, *, outlets: int = 200, month: str = "2020-06", seed: int = 1, days: int | None = None
) -> dict[str, Any]:
    """Write the scenario into ``out`` (see the module); returns its summary."""
    start = _month(month)
    year = start.year
    nxt = dt.datetime(year + (start.month == 12), start.month % 12 + 1, 1)
    n_days = (nxt - start).days if days is None else days
    if not 1 <= n_days <= (nxt - start).days:
        raise ValueError(f"days must be 1..{(nxt - start).days}, got {days}")
    rng = random.Random(seed)
    _chosen, reg = _select(min(outlets, len(_read("outlets.csv"))))
    sims = _outlets(reg, year, rng)
    _inject(sims, start, n_days, rng)
    quantity = _quantities(reg, year)
    exc = {o.credit_code for o in sims if o.exceed}
    pool = sorted({o.credit_code for o in sims if any((o.credit_code, f) in quantity for f in o.base)} - exc)
    over = pool[0] if pool else None
    if over is not None:
        for ol in sims:
            if ol.credit_code == over:
                ol.flow *= 3.2  # half the quantity × 3.2 = 1.6 × the permitted quantity
    base = Path(out)
    (base / "register").mkdir(parents=True, exist_ok=True)
    headers = {
        "enterprises": ["credit_code", "name", "region", "industry", "address", "lon", "lat", "key_unit"],
        "outlets": ["outlet_id", "credit_code", "medium", "name", "lon", "lat", "standard", "ref_o2"],
        "devices": ["mn", "outlet_id", "st", "pw", "edition", "sm4_key", "active"],
        "permits": ["permit_no", "credit_code", "valid_from", "valid_to", "report_cycle"],
        "limits": ["permit_no", "outlet_id", "factor", "limit_value", "unit", "basis", "ref_o2", "standard"],
        "quantities": ["permit_no", "factor", "year", "quantity_t"],
    }
    for kind, header in headers.items():
        _write(base / "register" / f"{kind}.csv", header, reg[kind])
    totals: dict[str, dict[str, float]] = {}
    by_day: dict[tuple[str, str], dict[dt.date, float]] = {}

    def add(ol: Outlet, cou: dict[str, float], t: dt.datetime) -> None:
        for f, kg in cou.items():
            per = by_day.setdefault((ol.credit_code, f), {})
            per[t.date()] = per.get(t.date(), 0.0) + kg
            for k in _keys(ol.region):
                totals.setdefault(k, {})
                totals[k][f] = totals[k].get(f, 0.0) + kg

    minute_frames = 0
    month_end = start + dt.timedelta(days=n_days)
    with open(base / "minutes.txt", "wb") as fh:
        for ol in sims:
            t = start
            while t < month_end:
                if (
                    ol.fault
                    and ol.fault[0] == "silence"
                    and ol.fault[2] <= t < ol.fault[2] + dt.timedelta(hours=3)
                ):
                    t += STEP
                    continue
                items, cou = _minute_items(ol, _minute_records(ol, t, rng))
                fh.write(_frame(ol, "2051", t, items))
                add(ol, cou, t)
                minute_frames += 1
                t += STEP
    daily_frames = 0
    with open(base / "daily.txt", "wb") as fh:
        for ol in sims:
            for d in range(_days_in(year)):
                t = dt.datetime(year, 1, 1) + dt.timedelta(days=d)
                items, cou = [], {}
                for f, c in ol.base.items():
                    v = c * rng.uniform(0.95, 1.05)
                    kg = round(_cou(ol, v, 86400.0), 6)
                    pairs = (
                        f"{f}-Min={_num(v)},{f}-Avg={_num(v)},{f}-Max={_num(v)},{f}-Cou={kg:.6f},{f}-Flag=N"
                    )
                    items.append(pairs)
                    cou[f] = kg
                fh.write(_frame(ol, "2031", t, items))
                daily_frames += 1
                if not (start <= t < month_end):  # the month's days come from the minute data
                    add(ol, cou, t)
    # the base year: 1.25 × the monitored total (a 20 % decline), for every region level
    with open(base / "reported.csv", "w", encoding="utf-8", newline="") as text:
        w = csv.writer(text)
        w.writerow(["region", "year", "pollutant", "tonnes", "source"])
        for key in sorted(totals):
            for f, name in FED.items():
                if f in totals[key]:
                    w.writerow(
                        [key, 2015, name, f"{1.25 * totals[key][f] / 1000.0:.3f}", "simulated statistics"]
                    )
    truth = _truth(sims, over, _occurrences(by_day, quantity), totals, month, seed, n_days)
    (base / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return {
        "out": str(base),
        "outlets": len(sims),
        "month": month,
        "year": year,
        "minute_frames": minute_frames,
        "daily_frames": daily_frames,
        "exceedances": len(truth["exceedances"]),
        "faults": len(truth["alarms"]),
        "truth": str(base / "truth.json"),
    }


def _occurrences(
    by_day: dict[tuple[str, str], dict[dt.date, float]], quantity: dict[tuple[str, str], float]
) -> list[tuple[str, str, dt.datetime]]:
    """(credit code, quantity:factor, day) for every day on which the year's emission so far
    is over the permitted quantity while the enterprise still emits."""
    out = []
    for (code, f), days in sorted(by_day.items()):
        q = quantity.get((code, f))
        if q is None:
            continue
        cum = 0.0
        for day in sorted(days):
            cum += days[day]
            if cum > q * 1000.0 and days[day] > 0:
                out.append((code, f"quantity:{f}", dt.datetime(day.year, day.month, day.day)))
    return out


def _truth(
    sims: list[Outlet], over: str | None, quantity_days: list[tuple[str, str, dt.datetime]],
    totals: dict[str, dict[str, float]], month: str, seed: int, days: int,
) -> dict[str, Any]:  # fmt: skip
    """The ground truth: events and alarms as injected; the cards by the documented rule
    (docs/sources-facts.md) from the injected events and the over-quantity days."""
    events = []
    occ: list[tuple[str, str, dt.datetime]] = list(quantity_days)
    for ol in sims:
        if ol.exceed:
            f, s, hours = ol.exceed
            basis = "hour" if ol.medium == "air" else "day"
            events.append({"event_id": f"{ol.outlet_id}:{f}:{basis}:{s:%Y%m%d%H}", "outlet_id": ol.outlet_id,
                           "credit_code": ol.credit_code, "factor": f, "basis": basis, "start": s.isoformat(),
                           "end": (s + dt.timedelta(hours=hours)).isoformat(),
                           "periods": hours if basis == "hour" else 1})  # fmt: skip
            occ.append((ol.credit_code, f"exceedance:{f}", s))
    quarters: dict[tuple[str, str], list[tuple[str, dt.datetime]]] = {}
    for code, cause, at in occ:
        quarters.setdefault((code, quarter_of(at)), []).append((cause, at))
    cards = []
    for code, q in sorted(quarters, key=lambda k: (k[1], k[0])):
        got = quarters[(code, q)]
        y, n = int(q[:4]), int(q[-1])
        prev = f"{y - 1}Q4" if n == 1 else f"{y}Q{n - 1}"
        deadline = dt.datetime(y, 3 * n - 2, 1) + dt.timedelta(days=30)  # previous quarter's end + 30 days
        before = {c for c, _ in quarters.get((code, prev), [])}
        persisting = sorted({c for c, at in got if at >= deadline} & before)
        cards.append({"quarter": q, "credit_code": code, "card": "red" if persisting else "yellow",
                      "causes": sorted({c for c, _ in got}), "persisting": persisting})  # fmt: skip
    return {
        "month": month,
        "seed": seed,
        "days": days,
        "over_quantity": over,
        "exceedances": sorted(events, key=lambda e: e["event_id"]),
        "alarms": sorted((_truth_alarm(ol) for ol in sims if ol.fault), key=lambda a: a["alarm_id"]),
        "cards": cards,
        "totals_t": {k: {f: v / 1000.0 for f, v in sorted(fs.items())} for k, fs in sorted(totals.items())},
    }


def frames_of(path: str | Path) -> Iterator[bytes]:
    """The frames of a scenario file, one per line."""
    with open(path, "rb") as fh:
        yield from fh

"""The facts pipeline on a real store: hours, validity, 折算, verdicts, events with their
evidence, days, totals; idempotent recompute; DuckDB = Spark on the same frames.

The fixture is written by hand and every expected number below is worked out from it in
the comments, not by the code under test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest

from ecoplan.app import Ecoplan
from ecoplan.sources import pipeline
from ecoplan.sources.pipeline import Window
from ecoplan.sources.storage.facts import FactsStore
from ecoplan.store.engines import DuckDBEngine

E1, E2 = "91110101MA00000001", "91440106MA00000002"
T0 = dt.datetime(2020, 6, 1)

REGISTER: dict[str, list[tuple[Any, ...]]] = {
    "sources_enterprises": [
        (E1, "Boiler Co", "110101", None, None, None, None, True, 0),
        (E2, "Paper Co", "440106", None, None, None, None, True, 0),
    ],
    "sources_outlets": [
        ("O1", E1, "air", "stack 1", None, None, "GB 13271-2014", 9.0, 0),
        ("O2", E2, "water", "outfall", None, None, None, None, 0),
    ],
    "sources_devices": [
        ("MN1", "O1", "31", "123456", "2017", None, True, 0),
        ("MN2", "O2", "32", "123456", "2017", None, True, 0),
    ],
    "sources_permits": [
        ("P1", E1, dt.date(2020, 1, 1), dt.date(2024, 12, 31), "quarter", 0),
        ("P2", E2, dt.date(2020, 1, 1), dt.date(2024, 12, 31), "quarter", 0),
    ],
    "sources_permit_limits": [
        ("P1", "O1", "a21026", 100.0, "mg/m3", "hour", 9.0, None, 0),
        ("P1", "O1", "a21002", 200.0, "mg/m3", "hour", None, None, 0),
        ("P2", "O2", "w01018", 50.0, "mg/L", "day", None, None, 0),
    ],
    "sources_permit_quantities": [("P2", "w01018", 2020, 0.025, 0)],
}


def seed_register(ep: Ecoplan, register: dict[str, list[tuple[Any, ...]]] | None = None) -> None:
    """The register rows, straight into the registry tables."""
    con = ep.catalog.con
    for table, rows in (register or REGISTER).items():
        for r in rows:
            con.execute(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in r)})", list(r))


def insert_values(ep: Ecoplan, rows: Sequence[dict[str, Any]]) -> None:
    """sources_values rows (with a frame each in sources_frames, the evidence)."""
    con = ep.catalog.con
    got = con.execute("SELECT coalesce(max(frame_id), 0) FROM sources_frames").fetchone()
    start = int(got[0]) if got else 0
    frames: dict[tuple[str, str, dt.datetime], int] = {}
    for r in rows:
        key = (r["mn"], r["cn"], r["data_time"])
        if key not in frames:
            frames[key] = start + len(frames) + 1
            raw = f"##raw {r['mn']} {r['cn']} {r['data_time']:%Y%m%d%H%M%S}"
            con.execute(
                "INSERT INTO sources_frames (frame_id, log, seg, pos, received_at, mn, st, cn, qn, "
                "data_time, flag, edition, status, raw) "
                "VALUES (?, 'test', 0, ?, ?, ?, '31', ?, ?, ?, 5, '2017', 'ok', ?)",
                [
                    frames[key],
                    frames[key],
                    r["data_time"],
                    r["mn"],
                    r["cn"],
                    f"q{frames[key]}",
                    r["data_time"],
                    raw,
                ],
            )
        values = [frames[key], r["mn"], r["cn"], r["data_time"], r["factor"], r.get("rtd"), r.get("avg"),
                  r.get("min"), r.get("max"), r.get("cou"), r.get("zs_avg"), r.get("flag", "N")]  # fmt: skip
        con.execute(
            "INSERT INTO sources_values (frame_id, mn, cn, data_time, factor, rtd, avg, min, max, cou, "
            "zs_avg, flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )


def minute(
    mn: str, t: dt.datetime, factor: str, avg: float, flag: str = "N", cou: float | None = None
) -> dict[str, Any]:
    return {"mn": mn, "cn": "2051", "data_time": t, "factor": factor, "avg": avg, "min": avg, "max": avg,
            "cou": cou, "flag": flag}  # fmt: skip


def fixture_values() -> list[dict[str, Any]]:
    """MN1 (O1, air, SO2 limit 100 at 9 % O2, NOx limit 200): 10-minute data, 6 hours.

    h0: SO2 80, O2 12 → 折算 80 × (21−9)/(21−12) = 106.67 > 100: exceeds (80 itself complies)
    h1: SO2 80, O2 9  → 80: complies
    h2: SO2 120, 4 records N + 2 M → 40 valid minutes < 45: invalid, not judged
    h3: SO2 120, 5 N + 1 C → 50 valid minutes: valid, 120 > 100: exceeds
    h4: SO2 130: exceeds → one event with h3: 03:00–05:00, 2 hours, max 130
    h5: every record F → stopped
    NOx 150 + record number (never flat, never over 200). Each SO2 record: Cou 0.1 kg.

    MN2 (O2, water, COD daily limit 50): CN 2031 days 1–3 of June: 40, 55, 45 mg/L with
    Cou 10, 20, 30 kg → day 2 exceeds: one daily event.
    """
    rows: list[dict[str, Any]] = []
    so2 = [80, 80, 120, 120, 130, 90]
    o2 = [12, 9, 9, 9, 9, 9]
    for h in range(6):
        for k in range(6):
            t = T0 + dt.timedelta(hours=h, minutes=10 * k)
            flag = "N"
            if h == 2 and k >= 4:
                flag = "M"
            if h == 3 and k == 5:
                flag = "C"
            if h == 5:
                flag = "F"
            rows.append(minute("MN1", t, "a21026", so2[h], flag, 0.1))
            rows.append(minute("MN1", t, "a19001", o2[h], flag))
            rows.append(minute("MN1", t, "a21002", 150 + 6 * h + k, flag, 0.2))
    for d, (c, kg) in enumerate(((40.0, 10.0), (55.0, 20.0), (45.0, 30.0))):
        rows.append({"mn": "MN2", "cn": "2031", "data_time": T0 + dt.timedelta(days=d), "factor": "w01018",
                     "avg": c, "cou": kg, "flag": "N"})  # fmt: skip
    return rows


@pytest.fixture
def seeded(ep: Ecoplan) -> Ecoplan:
    seed_register(ep)
    insert_values(ep, fixture_values())
    return ep


def _hour(df: pd.DataFrame, factor: str, h: int) -> pd.Series:
    sel = df[(df["factor"] == factor) & (pd.to_datetime(df["hour"]) == T0 + dt.timedelta(hours=h))]
    assert len(sel) == 1
    return sel.iloc[0]


def test_hours_validity_conversion_and_verdicts(seeded: Ecoplan) -> None:
    res = seeded.sources.facts.compute()
    assert (res.start, res.end) == (T0, T0 + dt.timedelta(days=3))
    h = seeded.sources.facts.hourly(outlet_id="O1")
    assert len(h) == 18  # 3 factors × 6 hours
    h0 = _hour(h, "a21026", 0)
    assert h0["status"] == "valid" and h0["valid_minutes"] == 60
    assert h0["value"] == pytest.approx(80 * 12 / 9) and bool(h0["exceed"])
    assert not bool(_hour(h, "a21026", 1)["exceed"])
    h2 = _hour(h, "a21026", 2)
    assert (h2["valid_minutes"], h2["status"]) == (40, "invalid") and pd.isna(h2["exceed"])
    h3 = _hour(h, "a21026", 3)
    assert (h3["valid_minutes"], h3["status"], h3["avg"]) == (50, "valid", 120.0) and bool(h3["exceed"])
    h5 = _hour(h, "a21026", 5)
    assert (h5["status"], h5["stopped_minutes"], h5["flag"]) == ("stopped", 60, "D")
    assert _hour(h, "a21026", 0)["cou"] == pytest.approx(0.6)  # 6 records × 0.1 kg
    nox = h[h["factor"] == "a21002"]
    assert not nox["exceed"].fillna(False).astype(bool).any()  # 150..185 < 200; no reference O2


def test_events_merge_consecutive_hours_with_evidence(seeded: Ecoplan) -> None:
    seeded.sources.facts.compute()
    ev = seeded.sources.facts.exceedances()
    got = {(r.event_id, r.periods, round(float(r.max_value), 4)) for r in ev.itertuples()}
    assert got == {
        ("O1:a21026:hour:2020060100", 1, round(80 * 12 / 9, 4)),
        ("O1:a21026:hour:2020060103", 2, 130.0),
        ("O2:w01018:day:2020060200", 1, 55.0),
    }
    e = ev.set_index("event_id").loc["O1:a21026:hour:2020060103"]
    assert pd.Timestamp(e["end"]) == pd.Timestamp("2020-06-01 05:00") and e["credit_code"] == E1
    frames = seeded.sources.facts.evidence("O1:a21026:hour:2020060103")
    assert len(frames) == 12  # 12 ten-minute frames of 03:00–05:00
    assert frames["raw"].str.startswith("##raw MN1 2051 20200601").all()
    assert list(seeded.sources.facts.exceedances(region="440000")["event_id"]) == ["O2:w01018:day:2020060200"]
    assert seeded.sources.facts.exceedances(region="110101", credit_code=E2).empty


def test_days_totals_and_cards(seeded: Ecoplan) -> None:
    seeded.sources.facts.compute()
    d = seeded.sources.facts.daily(outlet_id="O2")
    assert list(d["avg"]) == [40.0, 55.0, 45.0] and list(d["source"]) == ["device"] * 3
    t = seeded.sources.facts.totals(2020).set_index(["credit_code", "factor"])
    assert t.loc[(E2, "w01018"), "tonnes"] == pytest.approx(0.060)  # 10 + 20 + 30 kg
    assert t.loc[(E1, "a21026"), "tonnes"] == pytest.approx(0.0036)  # 36 records × 0.1 kg
    assert t.loc[(E2, "w01018"), "expected_days"] == 366  # one outlet, 2020 is a leap year
    cards = seeded.sources.facts.cards("2020Q2").set_index("credit_code")
    assert cards.loc[E1, "card"] == "yellow" and cards.loc[E1, "causes"] == "exceedance:a21026"
    # E2: a COD exceedance, and 0.030 t by 2 June > 0.025 t permitted: both causes
    assert cards.loc[E2, "causes"] == "exceedance:w01018,quantity:w01018"
    r = seeded.sources.facts.totals(2020, by="region").set_index(["region", "factor"])
    assert r.loc[("440000", "w01018"), "tonnes"] == pytest.approx(0.060)
    assert {"440100", "440106", "110000", "110101"} <= set(r.index.get_level_values(0))


def test_recompute_is_idempotent(seeded: Ecoplan) -> None:
    a = seeded.sources.facts.compute()
    before = {t: seeded.catalog.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
              for t in ("sources_hourly", "sources_daily", "sources_exceedances", "sources_evidence",
                        "sources_alarms", "sources_totals", "sources_cards")}  # fmt: skip
    b = seeded.sources.facts.compute()
    assert (a.hourly, a.exceedances, a.evidence) == (b.hourly, b.exceedances, b.evidence)
    for t, rows in before.items():
        assert seeded.catalog.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() == rows, t
    assert b.run == a.run + 1


def _engine_facts(engine: Any, inputs: dict[str, pd.DataFrame], w: Window) -> dict[str, pd.DataFrame]:
    pipeline.register(engine, inputs)
    pipeline.rollups(engine, w)
    pipeline.alarms(engine, w)
    out = {}
    for t, cols, order in (
        ("f_hourly", pipeline.HOURLY_COLUMNS, "mn, factor, hour"),
        ("f_daily", pipeline.DAILY_COLUMNS, "mn, factor, day"),
        ("f_events", pipeline.EVENT_COLUMNS, "event_id"),
        ("f_alarms", pipeline.ALARM_COLUMNS, "alarm_id"),
    ):
        df = pipeline.fetch(engine, t, cols, order)
        for c in df.columns:
            if isinstance(df[c].dtype, pd.DatetimeTZDtype):
                df[c] = df[c].dt.tz_localize(None)
            if pd.api.types.is_datetime64_any_dtype(df[c]):
                df[c] = df[c].astype("datetime64[us]")
        if "exceed" in df.columns:
            df["exceed"] = [None if pd.isna(v) else bool(v) for v in df["exceed"]]
        out[t] = df
    return out


def test_in_memory_duckdb_equals_the_store(seeded: Ecoplan) -> None:
    """The same SQL on frames registered in another DuckDB gives the store's results."""
    w = Window(T0, T0 + dt.timedelta(days=3))
    got = _engine_facts(DuckDBEngine(), FactsStore(seeded.catalog).inputs(w), w)
    seeded.sources.facts.compute()
    stored = seeded.sources.facts.hourly()
    assert len(got["f_hourly"]) == len(stored)
    assert sorted(got["f_events"]["event_id"]) == sorted(seeded.sources.facts.exceedances()["event_id"])


@pytest.mark.spark
@pytest.mark.slow
def test_duckdb_and_spark_give_the_same_facts(seeded: Ecoplan) -> None:
    pytest.importorskip("pyspark")
    from ecoplan.store.engines import SparkEngine

    w = Window(T0, T0 + dt.timedelta(days=3))
    inputs = FactsStore(seeded.catalog).inputs(w)
    a = _engine_facts(DuckDBEngine(), inputs, w)
    b = _engine_facts(SparkEngine(), inputs, w)
    for t in a:
        pd.testing.assert_frame_equal(a[t], b[t], check_dtype=False, atol=1e-9)
    seeded.sources.facts.compute(engine="spark")
    assert sorted(seeded.sources.facts.exceedances()["event_id"]) == sorted(a["f_events"]["event_id"])

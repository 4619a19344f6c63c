"""The air pipeline on real DuckDB files and Parquet partitions.

Real input: Beijing's 12 national-control stations (``shared/data/beijing-multisite``).
Synthetic input pins the rules one at a time (validity, city means, MDA8, editions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.air.pipeline.air_helpers import batch, hourly, stations
from tests.conftest import SHARED

from ecoplan.air.feed import FEEDS
from ecoplan.air.readers.beijing_multisite import read_beijing_multisite
from ecoplan.air.standards import aqi as aqi_std
from ecoplan.air.standards import gb3095
from ecoplan.air.storage import AirStore
from ecoplan.app import Ecoplan
from ecoplan.core.errors import NotFound, StoreError
from ecoplan.core.words.purity import foreign

BEIJING = SHARED / "data" / "beijing-multisite"


@pytest.fixture(scope="module")
def bj(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecoplan]:
    """A store with the Beijing data loaded once for the module."""
    db = tmp_path_factory.mktemp("bj") / "bj.duckdb"
    ep = Ecoplan(db)
    ep.init()
    ep.air.load([BEIJING], "beijing-multisite")
    yield ep
    ep.close()


@pytest.fixture
def syn(tmp_path: Path) -> Iterator[Ecoplan]:
    ep = Ecoplan(tmp_path / "syn.duckdb")
    ep.init()
    yield ep
    ep.close()


# -- Beijing, real data ---------------------------------------------------------------------------


def test_beijing_partitions_are_registered_by_region_and_year(bj: Ecoplan) -> None:
    summary = bj.air.store.summary()
    assert list(summary["year"]) == [2013, 2014, 2015, 2016, 2017]
    assert set(summary["region"]) == {"110000"}
    assert int(summary["rows"].sum()) == 420_768
    assert all(Path(p).exists() for p in bj.air.store.paths("110000"))


def test_beijing_2015_evaluation_contract(bj: Ecoplan) -> None:
    """The evaluation's keys, and regression figures of ecoplan on the Beijing data.

    The numbers below are ecoplan's own output, recorded when they were checked by
    hand against the bulletins: they catch a change of behaviour, they are not
    independent truth. The independent check, against the published figures with a
    tolerance, is test_beijing_figures_agree_with_the_published_bulletins.
    """
    d = bj.air.evaluate("110000", 2015).to_dict()
    for key in (
        "region",
        "year",
        "edition",
        "stations",
        "days_valid",
        "good_days",
        "good_days_ratio_pct",
        "heavy_days",
        "heavy_days_ratio_pct",
        "pm25_annual_ugm3",
        "pm10_annual_ugm3",
        "so2_annual_ugm3",
        "no2_annual_ugm3",
        "co_p95_mgm3",
        "o3_8h_p90_ugm3",
        "attainment",
        "composite_index",
    ):
        assert key in d, key
    assert (d["region"], d["year"], d["edition"], d["stations"]) == ("110000", 2015, "2012", 12)
    # REGRESSION values of ecoplan itself (not independent; see the docstring). Beijing's
    # published 2015 bulletin: PM2.5 80.6, 186 good days, 46 heavy+ days (checked below).
    assert d["days_total"] == 365 and d["days_valid"] == 364
    assert d["good_days"] == 186 and d["good_days_ratio_pct"] == 51.1
    assert d["heavy_days"] == 48 and d["heavy_days_ratio_pct"] == 13.2
    assert d["pm25_annual_ugm3"] == 79.2
    assert d["attainment"]["pm25"]["attains"] is False
    assert d["attainment"]["so2"]["attains"] is True
    assert d["attainment"]["city_attains"] is False
    assert d["composite_index"] == pytest.approx(7.27, abs=0.005)
    assert d["composite"]["primary"] == "PM2.5"


# Beijing's published figures (docs/air-quality.md, "Validation against real data"):
# 北京市环保局 annual bulletins and MEE's 2016-02-04 briefing.
#   year: (PM2.5 annual mean µg/m³, good days, heavy-or-worse days)
PUBLISHED = {2014: (85.9, 172, 47), 2015: (80.6, 186, 46), 2016: (73.0, 198, 39)}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_beijing_figures_agree_with_the_published_bulletins(bj: Ecoplan, year: int) -> None:
    """Independent check: ecoplan's figures against the figures Beijing published.

    They cannot agree exactly: the bulletins are computed from the municipal network
    of 35 stations, ecoplan here from the 12 national-control stations of the data set,
    with 1-4 days a year without a valid city AQI (missing hours are never filled).
    Tolerances: PM2.5 within 2.0 µg/m³ (the national-control stations read 0.5-1.5
    lower in 2014-2016, so also never above the published mean by more than 0.5);
    good and heavy+ day counts within 4 days (the days without a valid AQI, at most 4,
    can move either count).
    """
    pm25, good, heavy = PUBLISHED[year]
    d = bj.air.evaluate("110000", year).to_dict()
    assert d["pm25_annual_ugm3"] == pytest.approx(pm25, abs=2.0)
    assert d["pm25_annual_ugm3"] <= pm25 + 0.5
    assert abs(d["good_days"] - good) <= 4
    assert abs(d["heavy_days"] - heavy) <= 4
    assert d["days_total"] - d["days_valid"] <= 4


def test_partial_year_reports_invalid_figures_with_counts(bj: Ecoplan) -> None:
    d = bj.air.evaluate("110000", 2013).to_dict()  # the data start on 2013-03-01
    assert d["days_total"] == 306
    assert d["pm25_annual_ugm3"] is None and d["good_days_ratio_pct"] is None
    assert d["validity"]["pm25"] == {
        "valid": False,
        "days": 306,
        "reason": "306 valid days < 324",
        "reason_zh": "有效日数 306 天，不足 324 天",
        "reason_code": "air.too_few_days",
        "reason_params": {"days": 306, "need": 324},
    }
    assert any("PM2.5" in n["en"] and "306" in n["en"] for n in d["notes"])
    assert all(n["zh"] for n in d["notes"])


def test_city_daily_aqi_equals_the_vectorised_calculator(bj: Ecoplan) -> None:
    df = bj.air.daily("110000", dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert len(df) == 365
    conc = {
        "pm25_24h": df["pm25"],
        "pm10_24h": df["pm10"],
        "so2_24h": df["so2"],
        "no2_24h": df["no2"],
        "co_24h": df["co"],
        "o3_8h": df["o3_8h"],
        "o3_1h": df["o3_1h"],
    }
    ref = aqi_std.compute("daily", {k: v.to_numpy(dtype="float64") for k, v in conc.items()}, edition="2012")
    got = df["aqi_raw"].to_numpy(dtype="float64", na_value=np.nan)
    np.testing.assert_array_equal(got, ref["aqi"])
    for col, ind in (("iaqi_pm25", "pm25_24h"), ("iaqi_o3_8h", "o3_8h"), ("iaqi_co", "co_24h")):
        np.testing.assert_array_equal(df[col].to_numpy(dtype="float64", na_value=np.nan), ref[f"iaqi_{ind}"])
    # and a day's scalar calculation agrees too (primary pollutant included)
    r = df.iloc[10]
    one = aqi_std.daily(pm25=r.pm25, pm10=r.pm10, so2=r.so2, no2=r.no2, co=r.co, o3_8h=r.o3_8h, o3_1h=r.o3_1h)
    assert one.aqi == r.aqi and ",".join(one.primary_pollutants) == (r.primary or "")


def test_station_daily_means_follow_the_hourly_data(bj: Ecoplan) -> None:
    """City PM2.5 on a day = mean over stations of each station's 24-h mean (HJ 663)."""
    b = read_beijing_multisite([BEIJING])
    h = b.hourly[(b.hourly["time"] >= "2015-07-01") & (b.hourly["time"] < "2015-07-02")]
    per_station = h.groupby("station")["pm25"].agg(["mean", "count"])
    expected = per_station[per_station["count"] >= 20]["mean"].mean()
    df = bj.air.daily("110000", dt.date(2015, 7, 1), dt.date(2015, 7, 1))
    assert df.loc[0, "pm25"] == pytest.approx(expected, abs=1e-6)


def test_feed_writes_plan_indicator_values_idempotently(bj: Ecoplan) -> None:
    fr = bj.air.feed("110000", [2015, 2016])
    got = {(r.plan, r.indicator, r.year): r.value for r in fr.rows}
    assert got[("cn-13th-eco", "air-good-days", 2016)] == 54.0
    assert got[("cn-13th-eco", "air-pm25-decline", 2015)] == 0.0
    assert got[("cn-13th-eco", "air-pm25-decline", 2016)] == pytest.approx(9.2, abs=0.05)
    rows = bj.catalog.value_rows("cn-13th-eco", "110000", "air-good-days")
    assert {r["source"] for r in rows} == {"pipeline air"}
    again = bj.air.feed("110000", [2015, 2016])
    assert again.result.inserted == 0 and again.result.revised == 0
    pa = bj.assess("cn-13th-eco", "110000", 2016)
    good = next(a for a in pa.indicators if a.indicator.id == "air-good-days")
    assert good.value == 54.0


def test_feed_says_why_it_skips_in_each_language(bj: Ecoplan) -> None:
    """2017 (59 valid days: the data end in February) has no good-days ratio: skipped with
    the evaluation's reason, in words of the catalog in each language; the PM2.5 decline
    of a city above the GB 3095 limit in the base year (Beijing 2015: 79.2 µg/m³ > 35)
    is fed."""
    fr = bj.air.feed("110000", [2016, 2017])
    skips = {(s.plan, s.indicator, s.year): s.why for s in fr.skipped}
    why = skips[("cn-13th-eco", "air-good-days", 2017)]
    assert why.key == "air.feed.invalid"
    zh, en = why.text("zh"), why.text("en")
    assert zh.startswith("优良天数比例无效：") and en.startswith("Good-air days invalid: ")
    assert foreign(zh, "zh") == [] and foreign(en, "en") == []
    assert ("cn-13th-eco", "air-pm25-decline", 2016) not in skips
    assert any(r.indicator == "air-pm25-decline" and r.year == 2016 for r in fr.rows)
    # the heavy-days decline 2016 vs 2015: (13.2 - 10.7) / 13.2 = 18.9 %
    heavy = {r.year: r.value for r in fr.rows if r.indicator == "air-heavy-days-decline"}
    assert heavy.get(2016) == pytest.approx(18.9, abs=0.05), fr.skipped


def test_feed_counts_only_cities_above_the_gb3095_limit() -> None:
    """The non-attainment rule reads the GB 3095 annual PM2.5 limit in force in the base
    year (35 µg/m³ under GB 3095—2012), not a literal."""
    pm25 = FEEDS["air.pm25_noncompliant_decline"]
    assert pm25.decline and pm25.above_limit_of == "pm25"
    assert gb3095.limit("pm25", "annual", on="2015-12-31") == 35


# -- synthetic: the rules one by one --------------------------------------------------------------


def _load(ep: Ecoplan, h: pd.DataFrame, st: pd.DataFrame, absent: tuple[str, ...] = ()) -> None:
    ep.air.store.import_batch(batch(h, st, absent), fmt="test")


def test_city_value_is_mean_of_station_concentrations_not_of_their_aqi(syn: Ecoplan) -> None:
    """Spec example E3: stations at 80, 90, 100 → city 90 → IAQI 119 (not 132, the worst)."""
    st = stations(["A", "B", "C"], "110000")
    h = pd.concat(
        [hourly([c], dt.date(2015, 1, 1), 1, {"pm25": v}) for c, v in (("A", 80), ("B", 90), ("C", 100))]
    )
    _load(syn, h, st)
    df = syn.air.daily("110000", dt.date(2015, 1, 1), dt.date(2015, 1, 1))
    assert df.loc[0, "pm25"] == 90.0
    assert df.loc[0, "iaqi_pm25"] == 119


def test_daily_validity_needs_20_hours(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = pd.concat(
        [
            hourly(["A"], dt.date(2015, 1, 1), 1, hours=range(20)),  # 20 hours: valid
            hourly(["A"], dt.date(2015, 1, 2), 1, hours=range(19)),  # 19 hours: invalid
        ]
    )
    _load(syn, h, st)
    df = syn.air.daily("110000", dt.date(2015, 1, 1), dt.date(2015, 1, 2))
    assert df.loc[0, "pm25"] == 40.0 and df.loc[0, "valid"]
    assert np.isnan(df.loc[1, "pm25"]) and not df.loc[1, "valid"]


def test_mda8_windows_stay_inside_the_day_and_need_14(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = hourly(["A"], dt.date(2015, 6, 1), 2)
    # day 1: O3 200 in hours 16-23 only → the 16-23 window is the max: 200
    h.loc[(h["time"].dt.day == 1) & (h["time"].dt.hour >= 16), "o3"] = 200.0
    # day 2: O3 only in hours 0-12 → windows 0..5 valid (6 of 8 hours): 6 < 14 and 80 < 160 → invalid
    h.loc[(h["time"].dt.day == 2) & (h["time"].dt.hour > 12), "o3"] = np.nan
    _load(syn, h, st)
    df = syn.air.daily("110000", dt.date(2015, 6, 1), dt.date(2015, 6, 2))
    assert df.loc[0, "o3_8h"] == 200.0
    assert np.isnan(df.loc[1, "o3_8h"])


def test_absent_pollutant_disables_only_its_statistics(syn: Ecoplan) -> None:
    st = stations(["A", "B"], "110000")
    h = hourly(["A", "B"], dt.date(2015, 1, 1), 365, {"co": np.nan})
    _load(syn, h, st, absent=("co",))
    d = syn.air.evaluate("110000", 2015).to_dict()
    assert d["co_p95_mgm3"] is None and d["validity"]["co"]["reason"] == "not monitored"
    assert d["pm25_annual_ugm3"] == 40.0 and d["good_days"] == 365 and d["good_days_ratio_pct"] == 100.0
    assert d["composite_index"] is None and d["attainment"]["city_attains"] is None
    assert any("CO not monitored" in n["en"] for n in d["notes"])


def test_month_shortfall_makes_the_year_invalid(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    keep = [d for d in days if not (d.month == 4 and d.day > 20)]  # April: 20 days < 27; total 355
    h = pd.concat([hourly(["A"], d, 1) for d in keep])
    _load(syn, h, st)
    d = syn.air.evaluate("110000", 2015).to_dict()
    assert d["pm25_annual_ugm3"] is None
    assert d["validity"]["pm25"] == {
        "valid": False,
        "days": 355,
        "reason": "too few valid days in month(s) 4",
        "reason_zh": "月有效日数不足（4月）",
        "reason_code": "air.too_few_days_in_months",
        "reason_params": {"months": {"zh": "4", "en": "4"}, "month_list": [4]},
    }


def test_edition_follows_the_date_and_can_be_overridden(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = hourly(["A"], dt.date(2026, 2, 27), 3, {"pm25": 70.0})  # 02-27, 02-28, 03-01
    _load(syn, h, st)
    df = syn.air.daily("110000", dt.date(2026, 2, 27), dt.date(2026, 3, 1))
    assert list(df["edition"]) == ["2012", "2012", "2026"]
    assert list(df["iaqi_pm25"]) == [94, 94, 110]  # PM2.5 70: 2012 → 93.75 → 94; 2026 → 109.1 → 110
    assert df["iaqi_o3_1h"].isna().iloc[2]  # 2026 daily report has no O3 1-h indicator
    forced = syn.air.daily("110000", dt.date(2026, 2, 27), dt.date(2026, 3, 1), edition="2026")
    assert list(forced["iaqi_pm25"]) == [110, 110, 110]


def test_2026_year_uses_transitional_limits(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = hourly(["A"], dt.date(2027, 1, 1), 365, {"pm25": 32.0})
    _load(syn, h, st)
    d = syn.air.evaluate("110000", 2027).to_dict()
    assert d["edition"] == "2026" and "transition" in d["standards"]["limits"]
    assert d["attainment"]["pm25"]["mean"] == {
        "value": 32.0,
        "limit": 30,
        "attains": False,
        "exceedance_multiple": 0.07,
    }


def test_year_without_data_is_a_clear_error(bj: Ecoplan) -> None:
    with pytest.raises(NotFound, match="no air observations for region 110000 in 2020"):
        bj.air.evaluate("110000", 2020)


# -- store: idempotent, revisions, all-or-nothing ------------------------------------------------


def test_reimport_is_a_no_op_and_changes_are_revisions(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = hourly(["A"], dt.date(2015, 1, 1), 2)
    store = syn.air.store
    first = store.import_batch(batch(h, st), fmt="test")
    assert first.rows_new == 48
    path = Path(store.paths("110000", [2015])[0])
    mtime = path.stat().st_mtime_ns
    again = store.import_batch(batch(h, st), fmt="test")
    assert (again.rows_new, again.values_revised, again.rows_unchanged) == (0, 0, 48)
    assert path.stat().st_mtime_ns == mtime  # nothing rewritten
    h2 = h.copy()
    h2.loc[0, "pm25"] = 55.0
    rev = store.import_batch(batch(h2, st), fmt="test")
    assert (rev.rows_new, rev.values_revised, rev.rows_unchanged) == (0, 1, 47)
    revs = syn.catalog.con.execute("SELECT pollutant, old_value, new_value FROM air_revisions").fetchall()
    assert revs == [("pm25", 40.0, 55.0)]
    new_path = Path(store.paths("110000", [2015])[0])  # a revision writes a new file
    assert new_path != path and not path.exists()
    stored = pd.read_parquet(new_path)
    assert stored.loc[0, "pm25"] == 55.0 and len(stored) == 48


def test_failed_import_leaves_the_store_untouched(syn: Ecoplan) -> None:
    store = syn.air.store
    st = stations(["A"], "110000")
    store.import_batch(batch(hourly(["A"], dt.date(2015, 1, 1), 1), st), fmt="test")
    before = store.summary()
    h = pd.concat([hourly(["A"], dt.date(2015, 1, 2), 1), hourly(["Z"], dt.date(2015, 1, 2), 1)])
    with pytest.raises(StoreError, match="no station metadata for Z"):
        store.import_batch(batch(h, st), fmt="test")
    pd.testing.assert_frame_equal(store.summary(), before)
    assert not list(store.root.rglob("*.tmp"))


def test_store_paths_are_relative_to_the_database(syn: Ecoplan, tmp_path: Path) -> None:
    _load(syn, hourly(["A"], dt.date(2015, 1, 1), 1), stations(["A"], "110000"))
    rel = syn.catalog.con.execute("SELECT path FROM air_partitions").fetchone()
    assert rel is not None and not Path(rel[0]).is_absolute()
    assert isinstance(syn.air.store, AirStore)


# -- hourly (real-time) report ----------------------------------------------------------------------


def test_hourly_aqi_equals_the_scalar_reference(bj: Ecoplan) -> None:
    df = bj.air.hourly("110000", dt.datetime(2015, 12, 20), dt.datetime(2015, 12, 25, 23))
    assert len(df) == 12 * 6 * 24
    rng = np.random.default_rng(3)
    for i in rng.choice(len(df), 150, replace=False):
        r = df.iloc[int(i)]

        def val(c: str, row: pd.Series = r) -> float | None:
            v = row[c]
            return None if pd.isna(v) else float(v)

        ref = aqi_std.hourly(
            so2_1h=val("so2_1h"),
            no2_1h=val("no2_1h"),
            co_1h=val("co_1h"),
            o3_1h=val("o3_1h"),
            o3_8h=val("o3_8h"),
            pm10_24h=val("pm10_24h"),
            pm25_24h=val("pm25_24h"),
            so2_24h=val("so2_24h"),
        )
        got = None if pd.isna(r["aqi"]) else int(r["aqi"])
        assert got == ref.aqi, (r["unit"], r["time"])
        assert ",".join(ref.primary_pollutants) == r["primary"]


def test_hourly_moving_averages_cross_midnight_and_need_enough_hours(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = hourly(["A"], dt.date(2015, 1, 1), 2, {"pm25": 30.0, "o3": 100.0})
    h.loc[h["time"] >= "2015-01-02 00:00", "pm25"] = 90.0
    h = h[~((h["time"] >= "2015-01-02 01:00") & (h["time"] <= "2015-01-02 03:00"))]  # 3 hours lost
    _load(syn, h, st)
    df = syn.air.hourly("110000", dt.datetime(2015, 1, 2, 0), dt.datetime(2015, 1, 2, 9), station="A")
    at = df.set_index("time")
    # 00:00 of day 2: the 24 hours 01:00 day 1 … 00:00 day 2 → (23·30 + 90)/24
    assert at.loc["2015-01-02 00:00", "pm25_24h"] == pytest.approx((23 * 30 + 90) / 24, abs=1e-6)
    # 04:00: the window holds 21 hours (3 missing rows) → still valid (≥ 20)
    assert at.loc["2015-01-02 04:00", "pm25_24h"] == pytest.approx((19 * 30 + 2 * 90) / 21, abs=1e-6)
    # O3 8-h at 04:00: hours 21:00 … 04:00, of which 01-03 are missing → 5 of 8 < 6 → invalid
    assert np.isnan(at.loc["2015-01-02 04:00", "o3_8h"])
    assert np.isnan(at.loc["2015-01-02 08:00", "o3_8h"])  # 01:00 … 08:00 holds 4-8: 5 hours
    assert at.loc["2015-01-02 09:00", "o3_8h"] == 100.0  # 02:00 … 09:00 holds 4-9: 6 hours


# -- exceptional events (例外事件) -----------------------------------------------------------------


def test_exceptional_events_are_deducted_in_a_second_set_of_figures(syn: Ecoplan, tmp_path: Path) -> None:
    st = stations(["A"], "110000")
    h = hourly(["A"], dt.date(2015, 1, 1), 365, {"pm25": 40.0})
    dusty = (h["time"] >= "2015-04-15") & (h["time"] < "2015-04-17")
    h.loc[dusty, "pm25"] = 300.0  # IAQI 325: two severe days
    _load(syn, h, st)
    ev = tmp_path / "events.csv"
    ev.write_text(
        "region,start,end,kind,pollutants,approved,note\n"
        "110000,2015-04-15,2015-04-16,dust,,yes,sand-dust\n"
        "110000,2015-08-01,,fireworks,PM2.5,no,not approved: ignored\n",
        encoding="utf-8",
    )
    assert syn.air.import_events(ev) == (3, 0)
    assert syn.air.import_events(ev) == (0, 0)
    d = syn.air.evaluate("110000", 2015).to_dict()
    assert d["good_days"] == 363 and d["good_days_ratio_pct"] == 99.5
    assert d["pm25_annual_ugm3"] == pytest.approx((363 * 40 + 2 * 300) / 365, abs=0.05)
    e = d["exceptional_events"]
    assert e["flagged_days"] == 2
    assert e["deducted"]["pm25_annual_ugm3"] == 40.0
    assert e["deducted"]["days_valid"] == 363 and e["deducted"]["good_days_ratio_pct"] == 100.0


def test_bad_events_file_names_rows(syn: Ecoplan, tmp_path: Path) -> None:
    from ecoplan.core.errors import InputFileError

    ev = tmp_path / "bad.csv"
    ev.write_text(
        "region,start,end,kind,pollutants\n"
        "999999,2015-04-15,,dust,\n"
        "110000,2015-04-15,2015-04-01,dust,\n"
        "110000,2015-04-15,,storm,\n"
        "110000,2015-04-15,,dust,PM1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as err:
        syn.air.import_events(ev)
    text = str(err.value)
    for row, word in ((2, "region"), (3, "before start"), (4, "kind"), (5, "PM1")):
        assert f"row {row}" in text and word in text
    assert syn.air.store.events().empty


def test_three_year_moving_average_is_provisional_and_uses_three_valid_years(bj: Ecoplan) -> None:
    d = bj.air.evaluate("110000", 2016, three_years=True).to_dict()
    ty = d["three_year"]
    assert ty["years"] == [2014, 2015, 2016] and ty["provisional"] is True
    # The value itself is pinned on synthetic input with hand-computed means below
    # (test_three_year_moving_average_of_known_annual_means); Beijing is far above 35.
    assert ty["statistics"]["pm25_mean"]["value"] > 35
    assert ty["statistics"]["pm25_mean"]["attains"] is False
    # 2015 needs 2013, which is not a valid year: the averages come out as None
    d15 = bj.air.evaluate("110000", 2015, three_years=True).to_dict()
    assert d15["three_year"]["statistics"]["pm25_mean"]["value"] is None
    # 2012-edition years do not get it unless asked
    assert bj.air.evaluate("110000", 2016).to_dict()["three_year"] is None


def test_three_year_moving_average_of_known_annual_means(syn: Ecoplan) -> None:
    """Constant PM2.5 each year, so every annual mean is known without the code:

    2014: 30 µg/m³ every hour of 365 days → annual mean 30
    2015: 36 µg/m³ every hour of 365 days → annual mean 36
    2016: 45 µg/m³ every hour of 366 days → annual mean 45
    three-year mean 2014–2016 = (30 + 36 + 45) / 3 = 111 / 3 = 37.0 > 35 (annual limit) → not attained
    2015 needs 2013, which has only 30 days of data (not a valid year) → None.
    """
    st = stations(["A"], "110000")
    h = pd.concat(
        [
            hourly(["A"], dt.date(2013, 1, 1), 30, {"pm25": 10.0}),
            hourly(["A"], dt.date(2014, 1, 1), 365, {"pm25": 30.0}),
            hourly(["A"], dt.date(2015, 1, 1), 365, {"pm25": 36.0}),
            hourly(["A"], dt.date(2016, 1, 1), 366, {"pm25": 45.0}),
        ]
    )
    _load(syn, h, st)
    ty = syn.air.evaluate("110000", 2016, three_years=True).to_dict()["three_year"]
    assert ty["years"] == [2014, 2015, 2016] and ty["provisional"] is True
    assert ty["statistics"]["pm25_mean"]["value"] == 37.0
    assert ty["statistics"]["pm25_mean"]["attains"] is False
    ty15 = syn.air.evaluate("110000", 2015, three_years=True).to_dict()["three_year"]
    assert ty15["statistics"]["pm25_mean"]["value"] is None


def test_missing_values_are_stored_as_parquet_nulls(syn: Ecoplan) -> None:
    """The SQL treats NULL as missing; a NaN must never reach it."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    h = hourly(["A"], dt.date(2015, 1, 1), 1)
    h.loc[3, "pm25"] = np.nan
    _load(syn, h, stations(["A"], "110000"))
    table = pq.read_table(syn.air.store.paths("110000", [2015])[0])
    assert table.column("pm25").null_count == 1
    assert pc.sum(pc.is_nan(table.column("pm25").fill_null(0.0))).as_py() == 0


# -- monthly evaluation -----------------------------------------------------------------------------


def test_monthly_evaluation_needs_27_days_or_25_in_february(syn: Ecoplan) -> None:
    st = stations(["A"], "110000")
    h = pd.concat([hourly(["A"], dt.date(2015, 2, 1), 25), hourly(["A"], dt.date(2015, 4, 1), 26)])
    _load(syn, h, st)
    feb = syn.air.evaluate("110000", 2015, month=2).to_dict()
    assert feb["month"] == 2 and feb["pm25_mean_ugm3"] == 40.0 and "pm25_annual_ugm3" not in feb
    assert feb["good_days_ratio_pct"] == 100.0
    apr = syn.air.evaluate("110000", 2015, month=4).to_dict()
    assert apr["pm25_mean_ugm3"] is None
    assert apr["validity"]["pm25"]["reason"] == "26 valid days < 27"
    assert apr["validity"]["pm25"]["reason_zh"] == "有效日数 26 天，不足 27 天"
    assert any("monthly statistics invalid" in n["en"] for n in apr["notes"])
    assert apr["attainment"] == {"city_attains": None}  # GB 3095 has no monthly limits


def test_beijing_monthly_ranking_uses_the_composite_index(bj: Ecoplan) -> None:
    rows = bj.air.rank(2015, month=12)
    assert rows[0]["region"] == "110000" and rows[0]["composite_index"] > 7
    d = bj.air.evaluate("110000", 2015, month=12).to_dict()
    assert d["days_total"] == 31 and d["composite_index"] == rows[0]["composite_index"]


def test_feed_keeps_a_value_entered_by_hand(bj: Ecoplan) -> None:
    """A value someone entered (a bulletin's figure) is never overwritten by the feed: the
    feed skips it with ``feeds.manual`` naming the source, and the entered value stays in
    force (the same guard as the water feed's)."""
    from ecoplan.ingest.values import ValueRow
    from ecoplan.plans.model import Basis

    source = "北京市环境状况公报"
    row = ValueRow("cn-13th-eco", "air-good-days", "110000", 2016, 54.1, "%", Basis.LEVEL, source)
    bj.catalog.add_values([row], actor="user")
    fr = bj.air.feed("110000", [2016])
    fed = {(r.plan, r.indicator) for r in fr.rows if r.year == 2016}
    assert ("cn-13th-eco", "air-good-days") not in fed
    assert ("cn-13th-eco-mee2020", "air-good-days") in fed  # the other plan's value is fed
    skip = next(
        s for s in fr.skipped if (s.plan, s.indicator, s.year) == ("cn-13th-eco", "air-good-days", 2016)
    )
    assert skip.why.key == "feeds.manual" and "北京市环境状况公报" in skip.why.text("en")
    obs = bj.catalog.observations("cn-13th-eco", "110000")["air-good-days"]
    assert [(o.value, o.source) for o in obs if o.year == 2016] == [(54.1, "北京市环境状况公报")]

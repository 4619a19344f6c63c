"""Hourly air observations: every format lands in one canonical batch; nothing is lost silently."""

from __future__ import annotations

import csv
import gzip
import inspect
import io
import math
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED, write_csv

from ecoplan.air import readers
from ecoplan.air.readers import beijing_multisite, long_csv, parquet_hourly, wide_csv
from ecoplan.air.readers.batch import (
    CEILINGS,
    MISSING_MARKERS,
    POLLUTANTS,
    REASONS,
    REJECT_COLUMNS,
    STATION_COLUMNS,
    AirBatch,
    UnitWarning,
)
from ecoplan.air.readers.beijing_multisite import read_beijing_multisite
from ecoplan.air.readers.long_csv import read_long_csv
from ecoplan.air.readers.parquet_hourly import read_parquet_hourly
from ecoplan.air.readers.stations import BEIJING_STATIONS, read_stations
from ecoplan.air.readers.wide_csv import read_wide_csv
from ecoplan.core.errors import EcoplanError, InputFileError

BEIJING = SHARED / "data" / "beijing-multisite"
BJ_HEADER = '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","station"'


def rejects_of(batch: AirBatch, reason: str) -> list[tuple[int, str, str]]:
    r = batch.rejects[batch.rejects["reason"] == reason]
    return list(zip(r["row"].tolist(), r["pollutant"].tolist(), r["value"].tolist(), strict=True))


def value(batch: AirBatch, station: str, time: str, pollutant: str) -> float:
    h = batch.hourly
    sel = h[(h["station"] == station) & (h["time"] == pd.Timestamp(time))]
    assert len(sel) == 1, f"{station} {time}: {len(sel)} rows"
    return float(sel[pollutant].iloc[0])


# --------------------------------------------------------------------------- real Beijing data


@pytest.fixture(scope="module")
def beijing() -> AirBatch:
    if not BEIJING.is_dir():
        pytest.skip(f"{BEIJING} not present")
    return read_beijing_multisite([BEIJING])


def test_beijing_shape_and_stations(beijing: AirBatch) -> None:
    h = beijing.hourly
    assert len(h) == 420_768
    assert len(beijing.files) == 12
    assert sorted(h["station"].unique()) == [f"{i:04d}A" for i in range(1001, 1013)]
    assert (h.groupby("station").size() == 35_064).all()
    assert list(h.columns) == ["station", "time", *POLLUTANTS]
    assert h["time"].dtype == "datetime64[ns]"
    assert all(h[p].dtype == "float64" for p in POLLUTANTS)
    assert not h.duplicated(["station", "time"]).any()
    assert h.equals(h.sort_values(["station", "time"]).reset_index(drop=True))
    assert h["time"].min() == pd.Timestamp("2013-03-01 00:00") and h["time"].max() == pd.Timestamp(
        "2017-02-28 23:00"
    )
    s = beijing.stations
    assert list(s.columns) == list(STATION_COLUMNS) and len(s) == 12
    assert set(s["type"]) == {"city"} and set(s["region"]) == {"110000"}
    assert s["code"].tolist() == [c for c, *_ in BEIJING_STATIONS]
    dongsi = s[s["code"] == "1003A"].iloc[0]
    assert (dongsi["name"], dongsi["name_zh"]) == ("Dongsi", "东四")
    assert s["lat"].between(39.7, 40.5).all() and s["lon"].between(116.1, 116.8).all()
    assert beijing.absent == frozenset()


def test_beijing_values_units_and_missing(beijing: AirBatch) -> None:
    # Dongsi, first row: 9,9,3,17,300,89 -> CO 300 µg/m³ = 0.3 mg/m³
    first = beijing.hourly[beijing.hourly["station"] == "1003A"].iloc[0]
    assert first["time"] == pd.Timestamp("2013-03-01 00:00")
    assert [first[p] for p in POLLUTANTS] == [9.0, 9.0, 3.0, 17.0, 0.3, 89.0]
    assert math.isnan(value(beijing, "1003A", "2013-03-01 03:00", "co"))  # "NA" in the file
    # NA is missing, not rejected: the real data has no bad value at all
    assert len(beijing.rejects) == 0 and sum(beijing.counts().values()) == 0
    assert beijing.warnings == []  # its CO is in µg/m³ as the format declares (median ~900)
    raw = pd.read_csv(BEIJING / "PRSA_Data_Dongsi_20130301-20170228.csv.gz")
    dongsi = beijing.hourly[beijing.hourly["station"] == "1003A"]
    for col, p in (("PM2.5", "pm25"), ("CO", "co"), ("O3", "o3")):
        assert dongsi[p].isna().sum() == raw[col].isna().sum()
    assert np.allclose(dongsi["co"].to_numpy(), raw["CO"].to_numpy() / 1000, equal_nan=True)
    summary = beijing.summary()
    assert summary["rows"] == 420_768 and summary["stations"] == 12
    assert summary["first"] == "2013-03-01T00:00:00" and summary["last"] == "2017-02-28T23:00:00"
    share = summary["missing_share"]
    assert isinstance(share, dict) and 0.0 < share["co"] < 0.1


def test_beijing_format_rejects(tmp_path: Path) -> None:
    f = tmp_path / "PRSA_Data_Test.csv.gz"
    lines = [
        BJ_HEADER,
        '1,2013,3,1,0,9,9,3,17,300,89,-0.5,"Dongsi"',
        '2,2013,3,1,1,-4,NA,x,16,200000,88,-0.7,"Dongsi"',  # negative, unparseable, CO 200 mg/m³ impossible
        '3,2013,3,1,24,7,7,NA,17,300,60,-1.2,"Dongsi"',  # hour 24: bad_time
        '4,2013,3,1,2,7,7,NA,17,300,60,-1.2,"Atlantis"',  # unknown station
        '5,2013,3,1,3,8,8,5,NA,NA,NA,-1.2,"东四"',  # Chinese name accepted
    ]
    f.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    b = read_beijing_multisite(f, region="110100")
    assert len(b.hourly) == 3
    assert b.counts() == {
        "negative": 1,
        "impossible": 1,
        "unparseable": 1,
        "duplicate": 0,
        "timezone": 0,
        "bad_time": 5,  # the so2 of that row is NA: not a value, nothing rejected
        "unknown_station": 5,
    }
    assert rejects_of(b, "negative") == [(3, "pm25", "-4")]
    assert rejects_of(b, "impossible") == [(3, "co", "200000")]
    assert {r for r, _, _ in rejects_of(b, "bad_time")} == {4}
    bad = b.rejects[b.rejects["reason"] == "unknown_station"]
    assert set(bad["row"]) == {5} and set(bad["station"]) == {"Atlantis"}
    bad_time = b.rejects[b.rejects["reason"] == "bad_time"].iloc[0]
    assert bad_time["time_text"] == "2013-3-1 24:00" and pd.isna(bad_time["time"])
    neg = b.rejects[b.rejects["reason"] == "negative"].iloc[0]
    assert neg["time"] == pd.Timestamp("2013-03-01 01:00") and neg["station"] == "1003A"
    assert list(b.stations["code"]) == ["1003A"] and list(b.stations["region"]) == ["110100"]


# --------------------------------------------------------------------------- wide CSV

WIDE = "station,time,PM2.5,pm10,co[mg/m3],so2"


def test_wide_every_reason_with_rows(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "w.csv",
        [
            WIDE,
            "A,2015-01-01 13:00,10,20,0.5,abc",  # 2: so2 unparseable; pm25/pm10/co duplicate (row 10 wins)
            "A,2015-01-01T14:00:00+08:00,-1,20000.5,151,NA",  # 3: negative, impossible, impossible
            "",  # 4: blank line, skipped but counted
            "A,2015-01-01T05:00:00Z,1,2,3,4",  # 5: timezone (Z is not +08:00)
            "A,2015-01-01T06:00:00+00:00,1,2,NA,4",  # 6: timezone; the NA is not a value
            "A,2015-01-01 13:30,5,5,5,5",  # 7: bad_time (not a whole hour)
            "A,2015-02-30 13:00,5,5,5,5",  # 8: bad_time (no such day)
            "A,yesterday,5,,,",  # 9: bad_time
            "A,2015-01-01 13:00,11,,0.5,",  # 10: repeats row 2
            ",2015-01-01 15:00,1,1,1,1",  # 11: no station
        ],
    )
    b = read_wide_csv([f])
    assert b.counts() == {
        "negative": 1,
        "impossible": 2,
        "unparseable": 1,
        "duplicate": 3,
        "timezone": 7,
        "bad_time": 9,
        "unknown_station": 4,
    }
    assert rejects_of(b, "unparseable") == [(2, "so2", "abc")]
    assert rejects_of(b, "negative") == [(3, "pm25", "-1")]
    assert rejects_of(b, "impossible") == [(3, "pm10", "20000.5"), (3, "co", "151")]
    assert rejects_of(b, "duplicate") == [(2, "pm25", "10"), (2, "pm10", "20"), (2, "co", "0.5")]
    assert [r for r, _, _ in rejects_of(b, "timezone")] == [5, 5, 5, 5, 6, 6, 6]
    assert sorted({r for r, _, _ in rejects_of(b, "bad_time")}) == [7, 8, 9]
    assert {r for r, _, _ in rejects_of(b, "unknown_station")} == {11}
    assert set(b.rejects["reason"]) <= set(REASONS)
    assert list(b.rejects.columns) == list(REJECT_COLUMNS)
    assert b.rejects["time"].dtype == "datetime64[ns]" and b.rejects["row"].dtype == "int64"
    tz = b.rejects[b.rejects["reason"] == "timezone"].iloc[0]
    assert tz["time_text"] == "2015-01-01T05:00:00Z" and pd.isna(tz["time"])
    dup = b.rejects[b.rejects["reason"] == "duplicate"].iloc[0]
    assert dup["time"] == pd.Timestamp("2015-01-01 13:00") and dup["time_text"] == "2015-01-01 13:00"
    assert b.rejects["file"].unique().tolist() == [str(f)]
    # the last occurrence wins, its blank pm10 included; rejected values are NaN
    assert value(b, "A", "2015-01-01 13:00", "pm25") == 11.0
    assert math.isnan(value(b, "A", "2015-01-01 13:00", "pm10"))
    assert math.isnan(value(b, "A", "2015-01-01 14:00", "pm25"))
    assert len(b.hourly) == 2
    assert b.absent == frozenset({"no2", "o3"})


def test_wide_timezone_offsets(tmp_path: Path) -> None:
    lines = [
        "station,time,pm25",
        "A,2015-01-01T13:00:00+08:00,1",
        "A,2015-01-01T14:00:00+0800,2",
        "A,2015-01-01 15:00+08,3",
        "A,2015-01-01T16:00:00+00:00,4",
        "A,2015-01-01T09:00:00Z,5",
        "A,2015/01/01 18:00:00,6",
    ]
    b = read_wide_csv(write_csv(tmp_path / "t.csv", lines))
    assert b.hourly["pm25"].tolist() == [1.0, 2.0, 3.0, 6.0]
    assert b.hourly["time"].tolist() == [pd.Timestamp(f"2015-01-01 {h}:00") for h in (13, 14, 15, 18)]
    assert rejects_of(b, "timezone") == [(5, "pm25", "4"), (6, "pm25", "5")]
    # the same file declared as UTC: only the +00:00 / Z rows agree
    u = read_wide_csv(tmp_path / "t.csv", tz="UTC")
    assert u.hourly["pm25"].tolist() == [5.0, 4.0, 6.0]  # 09:00Z, 16:00+00:00, 18:00
    assert u.counts()["timezone"] == 3


def test_wide_duplicates_across_files_last_wins(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", ["station,time,pm25,o3", "A,2015-01-01 13:00,10,50"])
    b = write_csv(tmp_path / "b.csv", ["station,time,pm25", "A,2015-01-01 13:00,10"])  # identical pm25
    batch = read_wide_csv([a, b])
    assert rejects_of(batch, "duplicate") == [(2, "pm25", "10")]
    assert batch.rejects["file"].tolist() == [str(a)]
    # o3 is given only by a.csv: nothing to resolve, the value stays
    assert value(batch, "A", "2015-01-01 13:00", "o3") == 50.0
    assert value(batch, "A", "2015-01-01 13:00", "pm25") == 10.0
    assert len(batch.hourly) == 1


def test_undeclared_co_unit_names_file_and_column(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "noco.csv", ["station,time,pm25,CO", "A,2015-01-01 13:00,1,0.5"])
    with pytest.raises(InputFileError) as exc:
        read_wide_csv([f])
    msg = str(exc.value)
    assert str(f) in msg and "'CO'" in msg
    assert "unit of co not declared; write co[mg/m3] in the header or pass --unit co=mg/m3" in msg
    b = read_wide_csv([f], units={"co": "mg/m3"})
    assert value(b, "A", "2015-01-01 13:00", "co") == 0.5
    b = read_wide_csv([f], units={"CO": "μg/m³"})
    assert value(b, "A", "2015-01-01 13:00", "co") == 0.0005


def test_wide_header_units(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "u.csv",
        ["station,time,co[ug/m3],PM2.5(mg/m³),NO2 [μg/m3],aqi", "A,2015-01-01 13:00,300,0.035,40,77"],
    )
    b = read_wide_csv(f)
    assert [value(b, "A", "2015-01-01 13:00", p) for p in ("co", "pm25", "no2")] == [0.3, 35.0, 40.0]
    assert b.absent == frozenset({"pm10", "so2", "o3"})
    with pytest.raises(InputFileError, match="declared twice"):
        read_wide_csv(f, units={"co": "mg/m3"})
    bad = write_csv(tmp_path / "bad.csv", ["station,time,pm25[ppm]", "A,2015-01-01 13:00,1"])
    with pytest.raises(InputFileError, match="unknown unit"):
        read_wide_csv(bad)
    with pytest.raises(ValueError, match="bad unit declaration"):
        read_wide_csv(f, units={"nox": "ug/m3"})


def test_missing_columns_and_files(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "x.csv", ["site,time,pm25", "A,2015-01-01 13:00,1"])
    with pytest.raises(InputFileError, match="missing column"):
        read_wide_csv(f)
    with pytest.raises(InputFileError, match="file not found"):
        read_wide_csv(tmp_path / "nope.csv")
    twice = write_csv(tmp_path / "twice.csv", ["station,time,co[mg/m3],co[mg/m3]", "A,2015-01-01 13:00,1,1"])
    with pytest.raises(InputFileError, match="given twice"):
        read_wide_csv(twice)
    g = tmp_path / "bad.csv.gz"
    g.write_bytes(b"not gzip at all")
    with pytest.raises(InputFileError, match="not a readable CSV"):
        read_wide_csv(g)


def test_folder_input_and_unknown_station(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "a.csv", ["station,time,pm25", "1001A,2015-01-01 13:00,1", "9999A,2015-01-01 13:00,2"])
    (d / "b.csv.gz").write_bytes(gzip.compress(b"station,time,pm25\n1002A,2015-01-01 13:00,3\n"))
    (d / "notes.txt").write_text("ignored")
    st_file = write_csv(
        tmp_path / "stations.csv",
        ["code,name,region,lat,lon,type", "1001A,One,110000,39.9,116.4,", "1002A,Two,110000,,,regional"],
    )
    b = read_wide_csv([d], stations=st_file)
    assert b.files == [str(d / "a.csv"), str(d / "b.csv.gz")]
    assert b.hourly["station"].tolist() == ["1001A", "1002A"]
    assert rejects_of(b, "unknown_station") == [(3, "pm25", "2")]
    assert b.stations["type"].tolist() == ["city", "regional"]
    # without a station file every code is accepted and no metadata is invented
    b = read_wide_csv([d])
    assert b.hourly["station"].tolist() == ["1001A", "1002A", "9999A"] and b.counts()["unknown_station"] == 0
    assert b.stations.empty and list(b.stations.columns) == list(STATION_COLUMNS)


# --------------------------------------------------------------------------- long CSV

LONG = "station,time,pollutant,value,unit"


def test_long_units_and_spellings(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "long.csv",
        [
            LONG,
            "A,2015-01-01 13:00,CO,300,µg/m³",  # U+00B5 micro sign
            "A,2015-01-01 13:00,PM2.5,0.035,mg/m3",
            "A,2015-01-01 13:00,so2,12,μg/m3",  # U+03BC Greek mu
            "A,2015-01-01 13:00,No2,40,ug/m³",
            "A,2015-01-01 14:00,co,1.2,mg/m³",
            "A,2015-01-01 14:00,pm25,NA,",  # missing value: the unit may be blank
            "A,2015-01-01 14:00,PM10,-3,ug/m3",
        ],
    )
    b = read_long_csv(f)
    assert value(b, "A", "2015-01-01 13:00", "co") == 0.3
    assert value(b, "A", "2015-01-01 13:00", "pm25") == 35.0
    assert value(b, "A", "2015-01-01 13:00", "so2") == 12.0
    assert value(b, "A", "2015-01-01 13:00", "no2") == 40.0
    assert value(b, "A", "2015-01-01 14:00", "co") == 1.2
    assert math.isnan(value(b, "A", "2015-01-01 14:00", "pm25"))
    assert rejects_of(b, "negative") == [(8, "pm10", "-3")]
    assert b.absent == frozenset({"o3"})
    assert len(b.hourly) == 2


def test_long_duplicates_and_row_reasons(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "long.csv",
        [
            LONG,
            "A,2015-01-01 13:00,pm25,10,ug/m3",
            "A,2015-01-01 13:00,pm25,10,ug/m3",  # identical repeat: row 2 reported
            "A,2015-01-01 13:00,pm25,12,ug/m3",  # wins; row 3 reported
            "A,2015-01-01 13:00,o3,80,ug/m3",  # a different pollutant of the same hour: no duplicate
            "A,2015-01-01T13:00:00+09:00,o3,81,ug/m3",
            "B,2015-01-01 13:00,o3,82,ug/m3",
        ],
    )
    b = read_long_csv(f, stations=_stations(tmp_path))
    assert rejects_of(b, "duplicate") == [(2, "pm25", "10"), (3, "pm25", "10")]
    assert rejects_of(b, "timezone") == [(6, "o3", "81")]
    assert rejects_of(b, "unknown_station") == [(7, "o3", "82")]
    assert value(b, "A", "2015-01-01 13:00", "pm25") == 12.0
    assert value(b, "A", "2015-01-01 13:00", "o3") == 80.0
    assert b.hourly["station"].tolist() == ["A"]


def test_long_schema_errors_list_every_row(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "long.csv",
        [
            LONG,
            "A,2015-01-01 13:00,pm25,10,",
            "A,2015-01-01 13:00,NOx,10,ug/m3",
            "A,2015-01-01 13:00,o3,10,ppb",
        ],
    )
    with pytest.raises(InputFileError) as exc:
        read_long_csv(f)
    rows = sorted((p.row, p.field) for p in exc.value.problems)
    assert rows == [(2, "unit"), (3, "pollutant"), (4, "unit")]
    assert "unit not declared" in str(exc.value)


def _stations(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "st.csv", ["code,name,region", "A,Alpha,110000"])


# --------------------------------------------------------------------------- station file


def test_read_stations(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "s.csv",
        [
            "code,name,name_zh,region,lat,lon,type",
            "1001A,Wanshouxigong,万寿西宫,110000,39.867,116.366,city",
            "X1,Background,背景站,110000,40.5,116.0,背景",
        ],
    )
    s = read_stations(f)
    assert list(s.columns) == list(STATION_COLUMNS)
    assert s["type"].tolist() == ["city", "background"]
    assert s["lat"].tolist() == [39.867, 40.5]


def test_read_stations_lists_every_problem(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "s.csv",
        [
            "code,name,region,lat,lon,type",
            "A,Alpha,110000,39.9,116.4,city",
            "A,Again,1100,39.9,116.4,city",  # 3: duplicate code, region not 6 digits
            "B,Beta,110000,95,116.4,city",  # 4: lat out of range
            "C,Gamma,110000,40,east,harbour",  # 5: lon not a number, unknown type
        ],
    )
    with pytest.raises(InputFileError) as exc:
        read_stations(f)
    got = [(p.row, p.field) for p in exc.value.problems]
    assert got == [(3, "code"), (3, "region"), (4, "lat"), (5, "lon"), (5, "type")]
    assert "first given in row 2" in str(exc.value)
    missing = write_csv(tmp_path / "m.csv", ["code,name", "A,Alpha"])
    with pytest.raises(InputFileError, match="missing column"):
        read_stations(missing)


# --------------------------------------------------------------------------- Parquet


def test_parquet_numeric_and_timestamps(tmp_path: Path) -> None:
    t = pd.to_datetime(["2015-01-01 13:00", "2015-01-01 14:00", "2015-01-01 15:30"])
    df = pd.DataFrame(
        {
            "station": ["A", "A", "A"],
            "time": t.tz_localize("Asia/Shanghai"),
            "pm25": [10.0, np.nan, 5.0],
            "CO": [0.4, -1.0, 0.5],
            "o3": ["80", "x", "NA"],
        }
    )
    f = tmp_path / "h.parquet"
    df.to_parquet(f)
    b = read_parquet_hourly([f], units={"co": "mg/m3"})
    assert b.hourly["time"].tolist() == [pd.Timestamp("2015-01-01 13:00"), pd.Timestamp("2015-01-01 14:00")]
    assert b.hourly["pm25"].tolist()[0] == 10.0 and b.hourly["co"].tolist()[0] == 0.4
    assert rejects_of(b, "negative") == [(2, "co", "-1.0")]
    assert rejects_of(b, "unparseable") == [(2, "o3", "x")]
    assert [r for r, _, _ in rejects_of(b, "bad_time")] == [3, 3]
    # UTC timestamps are a different offset: rejected, as in text files
    df["time"] = t.tz_localize("UTC")
    df.to_parquet(f)
    assert read_parquet_hourly([f], units={"co": "mg/m3"}).counts()["timezone"] == 5
    # naive timestamps and text times are local
    df["time"] = t.strftime("%Y-%m-%dT%H:%M")
    df.to_parquet(f)
    assert len(read_parquet_hourly([f], units={"co": "mg/m3"}).hourly) == 2


# --------------------------------------------------------------------------- properties

_stations_st = st.sampled_from(["1001A", "1002A", "X"])
_values_st = {
    p: st.one_of(st.none(), st.floats(min_value=0.0, max_value=CEILINGS[p], allow_nan=False))
    for p in POLLUTANTS
}


@st.composite
def wide_tables(draw: st.DrawFn) -> list[dict[str, object]]:
    keys = draw(
        st.lists(st.tuples(_stations_st, st.integers(0, 24 * 366 * 3)), min_size=1, max_size=30, unique=True)
    )
    return [
        {"station": s, "time": pd.Timestamp("2015-01-01") + pd.Timedelta(hours=h)}
        | {p: draw(_values_st[p]) for p in POLLUTANTS}
        for s, h in keys
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_tables(), st.sampled_from(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S+08:00"]))
def test_valid_wide_tables_round_trip_exactly(table: list[dict[str, object]], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "w.csv"
        header = ["station", "time", "pm25", "pm10", "so2", "no2", "co[mg/m3]", "o3"]
        with f.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for r in table:
                t = r["time"]
                assert isinstance(t, pd.Timestamp)
                w.writerow(
                    [
                        r["station"],
                        t.strftime(fmt),
                        *("NA" if r[p] is None else repr(r[p]) for p in POLLUTANTS),
                    ]
                )
        b = read_wide_csv([f])
    assert len(b.rejects) == 0
    assert len(b.hourly) == len(table)
    got = {(s, t): row for s, t, *row in b.hourly.itertuples(index=False)}
    for r in table:
        row = got[(r["station"], r["time"])]
        for p, v in zip(POLLUTANTS, row, strict=True):
            assert math.isnan(v) if r[p] is None else v == r[p], (p, r[p], v)


_number = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_junk = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
).filter(
    lambda s: (
        not _number.fullmatch(s.strip()) and s.strip().lower() not in {m.lower() for m in MISSING_MARKERS}
    )
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_junk, min_size=1, max_size=8), st.text(max_size=20))
def test_junk_never_crashes(junk: list[str], junk_time: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "j.csv"
        with f.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["station", "time", "pm25"])
            for i, j in enumerate(junk):
                w.writerow(["A", f"2015-01-01 {i:02d}:00", j])
            w.writerow(["A", junk_time, "1"])
        b = read_wide_csv(f)
    bad = b.rejects[b.rejects["reason"] == "unparseable"]
    assert bad["row"].tolist() == list(range(2, 2 + len(junk)))
    assert bad["value"].tolist() == junk
    assert b.hourly["pm25"].iloc[: len(junk)].isna().all()
    assert (
        len(b.rejects) - len(bad) == b.counts()["bad_time"] + b.counts()["timezone"] + b.counts()["duplicate"]
    )


# --------------------------------------------------------------------------- CO unit plausibility


def _hours(n: int) -> list[str]:
    return [f"2018-01-{1 + i // 24:02d} {i % 24:02d}:00" for i in range(n)]


def test_co_declared_ug_that_looks_like_mg_is_warned_with_rows(tmp_path: Path) -> None:
    cos = ["0.9", "1.1", "NA", "0.7", "850", "1.4", "0.8", "1.0"]
    f = write_csv(
        tmp_path / "ug.csv",
        ["station,time,pm25,co[ug/m3]", *(f"S1,{t},30,{c}" for t, c in zip(_hours(8), cos, strict=True))],
    )
    b = read_wide_csv(f)
    assert len(b.warnings) == 1
    w = b.warnings[0]
    assert (w.code, w.file, w.column, w.declared, w.likely) == (
        "co_unit",
        str(f),
        "co[ug/m3]",
        "µg/m³",
        "mg/m³",
    )
    assert (w.total, w.count, w.median) == (7, 6, 1.0)
    assert w.rows == (2, 3, 5, 7, 8, 9) and w.values == ("0.9", "1.1", "0.7", "1.4", "0.8", "1.0")
    msg = w.message()
    assert str(f) in msg and "'co[ug/m3]'" in msg and "6 values below 20" in msg
    assert "row 2: 0.9, row 3: 1.1, row 5: 0.7, row 7: 1.4, row 8: 0.8, … 1 more" in msg
    zh = w.message("zh")
    assert "第2行 0.9" in zh and "中位数为 1" in zh and "另 1 行" in zh
    d = w.to_dict(limit=2)
    assert d["count"] == 6 and d["rows"] == [{"row": 2, "value": "0.9"}, {"row": 3, "value": "1.1"}]
    # taken as declared, never guessed: 0.9 µg/m³ is 0.0009 mg/m³
    assert value(b, "S1", "2018-01-01 00:00", "co") == pytest.approx(0.0009)
    # the same file declared by --unit instead of the header
    g = write_csv(
        tmp_path / "plain.csv", [line.replace("co[ug/m3]", "co") for line in f.read_text().splitlines()]
    )
    w2 = read_wide_csv(g, units={"co": "ug/m3"}).warnings
    assert [(x.column, x.rows) for x in w2] == [("co", w.rows)]
    # declared mg/m³, the same numbers are plausible: no warning
    assert read_wide_csv(g, units={"co": "mg/m3"}).warnings == []


def test_co_declared_mg_that_looks_like_ug_is_warned(tmp_path: Path) -> None:
    cos = ["900", "1200", "140", "1.2", "700"]
    f = write_csv(
        tmp_path / "mg.csv",
        ["station,time,CO(mg/m³)", *(f"S1,{t},{c}" for t, c in zip(_hours(5), cos, strict=True))],
    )
    b = read_wide_csv(f)
    (w,) = b.warnings
    assert (w.declared, w.likely, w.median, w.total) == ("mg/m³", "µg/m³", 700.0, 5)
    assert w.rows == (2, 3, 4, 6) and "4 values above 20" in w.message()
    # above the 150 mg/m³ ceiling they are rejected as impossible too, and listed there
    assert [r for r, _, _ in rejects_of(b, "impossible")] == [2, 3, 6]


def test_co_unit_warning_per_declared_unit_in_long_files(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "long.csv",
        [
            LONG,
            "A,2015-01-01 13:00,CO,300,µg/m³",
            "A,2015-01-01 14:00,CO,1.2,mg/m³",
            "A,2015-01-01 15:00,CO,0.8,ug/m3",  # rows 4-5: mg/m³ values declared µg/m³
            "A,2015-01-01 16:00,CO,0.6,ug/m3",
            "A,2015-01-01 16:00,PM2.5,3,ug/m3",  # other pollutants are never checked this way
        ],
    )
    (w,) = read_long_csv(f).warnings
    assert (w.column, w.declared, w.total, w.rows, w.values) == ("value", "µg/m³", 3, (4, 5), ("0.8", "0.6"))


def test_co_unit_warning_in_beijing_and_parquet_files(tmp_path: Path) -> None:
    f = tmp_path / "PRSA_Data_Test.csv.gz"
    lines = [BJ_HEADER, *(f'{i},2013,3,1,{i},9,9,3,17,0.{i + 1},89,-0.5,"Dongsi"' for i in range(4))]
    f.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    (w,) = read_beijing_multisite(f).warnings
    assert (w.column, w.declared, w.rows) == ("CO", "µg/m³", (2, 3, 4, 5))
    df = pd.DataFrame({"station": ["A"] * 3, "time": _hours(3), "co": [0.5, np.nan, 0.7]})
    df.to_parquet(tmp_path / "h.parquet")
    (w,) = read_parquet_hourly([tmp_path / "h.parquet"], units={"co": "ug/m3"}).warnings
    assert (w.rows, w.values, w.total) == ((1, 3), ("0.5", "0.7"), 2)
    assert read_parquet_hourly([tmp_path / "h.parquet"], units={"co": "mg/m3"}).warnings == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=19.99), min_size=1, max_size=30),
    st.lists(st.floats(min_value=100.0, max_value=20000.0), min_size=1, max_size=30),
)
def test_co_unit_rule(small: list[float], large: list[float]) -> None:
    """Declared µg/m³: all values below 20 → every row warned; hundreds and more → never."""
    with tempfile.TemporaryDirectory() as d:
        for values, warned in ((small, True), (large, False)):
            f = Path(d) / "c.csv"
            rows = [f"A,{t},{v!r}" for t, v in zip(_hours(len(values)), values, strict=True)]
            write_csv(f, ["station,time,co[ug/m3]", *rows])
            got = read_wide_csv(f).warnings
            if warned:
                assert [(w.count, w.total) for w in got] == [(len(values), len(values))]
                assert all(isinstance(w, UnitWarning) for w in got)
            else:
                assert got == []


# --------------------------------------------------------------------------- format registry


def test_read_refuses_an_unknown_format_naming_the_known_ones(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "w.csv", ["station,time,pm25", "A,2015-01-01 13:00,10"])
    with pytest.raises(readers.UnknownFormat) as err:
        readers.read("xlsx", [f])
    assert isinstance(err.value, EcoplanError) and isinstance(err.value, ValueError)
    message = str(err.value)
    assert "'xlsx'" in message
    for name in ("beijing-multisite", "long-csv", "wide-csv", "parquet"):
        assert name in message
    with pytest.raises(TypeError, match=r"does not take option.*units.*takes: stations, tz"):
        readers.read("long-csv", [f], units={"co": "mg/m3"})


def test_every_format_reader_is_the_function_its_module_exports() -> None:
    expected = {
        "beijing-multisite": (beijing_multisite, "read_beijing_multisite"),
        "long-csv": (long_csv, "read_long_csv"),
        "wide-csv": (wide_csv, "read_wide_csv"),
        "parquet": (parquet_hourly, "read_parquet_hourly"),
    }
    assert set(readers.FORMATS) == set(expected)
    for fmt, reader in readers.FORMATS.items():
        module, name = expected[fmt]
        assert reader.read is getattr(module, name), fmt
        assert name in module.__all__ and "VARIABLE_MAP" in module.__all__
        canonical = set(module.VARIABLE_MAP.values())
        assert canonical >= (
            {"station", "pollutant", "value", "unit"} if fmt == "long-csv" else set(POLLUTANTS)
        )
        keyword_only = {
            p.name for p in inspect.signature(reader.read).parameters.values() if p.kind is p.KEYWORD_ONLY
        }
        assert reader.options == keyword_only, fmt
        assert reader.description and "\n" not in reader.description


def test_read_dispatches_and_takes_file_like_objects(tmp_path: Path) -> None:
    lines = ["station,time,PM2.5,co[mg/m3]", "A,2015-01-01 13:00,10,0.5", "A,2015-01-01 14:00,-1,0.6"]
    f = write_csv(tmp_path / "w.csv", lines)
    by_path = readers.read("wide-csv", [f], tz="Asia/Shanghai")
    text = "\n".join(lines) + "\n"
    for stream in (
        io.StringIO(text),
        io.BytesIO(text.encode("gb18030")),
        io.BytesIO(gzip.compress(text.encode())),
    ):
        b = readers.read("wide-csv", stream)
        pd.testing.assert_frame_equal(b.hourly, by_path.hourly)
        assert rejects_of(b, "negative") == [(3, "pm25", "-1")] and b.files == ["<stream>"]
    named = io.BytesIO(text.encode())
    named.name = "upload.csv"
    assert readers.read("wide-csv", [named]).rejects["file"].tolist() == ["upload.csv"]
    buf = io.BytesIO()
    pd.read_csv(f, dtype=str).to_parquet(buf)
    buf.seek(0)
    pq = readers.read("parquet", buf, units={"co": "mg/m3"})
    pd.testing.assert_frame_equal(pq.hourly, by_path.hourly)

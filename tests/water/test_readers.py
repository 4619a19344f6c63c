"""The water readers (``ecoplan.water.readers``) on the real CNEMC file and small files."""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import SHARED, write_csv

from ecoplan.core.errors import EcoplanError, InputFileError
from ecoplan.water import readers
from ecoplan.water.readers import (
    REASONS,
    REJECT_COLUMNS,
    SAMPLE_COLUMNS,
    STATION_COLUMNS,
    WaterBatch,
    infer_water_body,
    read,
)

CNEMC = SHARED / "data" / "water" / "cnemc_autostation_snapshots_2025-11_2026-02.csv"
HEAD = (
    "province,city,basin,river,station,monitor_time,published_class,water_temp_c,ph,do_mg_l,"
    "conductivity_us_cm,turbidity_ntu,codmn_mg_l,nh3n_mg_l,tp_mg_l,tn_mg_l,chla_mg_l,algae_cells_l,"
    "ph_disp,do_disp,codmn_disp,nh3n_disp,tp_disp,tn_disp,station_status,snapshot_time"
)


@pytest.fixture(scope="module")
def real() -> WaterBatch:
    return read("cnemc-snapshot", CNEMC)


def _rejects(b: WaterBatch) -> list[tuple[int, str, str]]:
    return sorted(zip(b.rejects["row"], b.rejects["item"], b.rejects["reason"], strict=True))


# --- CNEMC snapshots ---------------------------------------------------------------


def test_cnemc_real_file_shape(real: WaterBatch) -> None:
    assert tuple(real.samples.columns) == SAMPLE_COLUMNS
    assert tuple(real.stations.columns) == STATION_COLUMNS
    assert tuple(real.rejects.columns) == REJECT_COLUMNS
    assert len(real.stations) == 1712  # (province, basin, station) keys
    assert len(real.published_class) == 907 + 4670 + 2145 + 694 + 81 + 55  # README: Ⅰ … 劣Ⅴ
    assert real.counts() == {**dict.fromkeys(REASONS, 0), "unparseable": 176}
    # the source's algal densities with a cut exponent ("3.00238E") are the only rejects
    assert set(real.rejects["field"]) == {"algae_cells_l"}
    assert real.rejects["value"].str.endswith("E").all()
    assert not real.samples.duplicated(["station", "time", "item"]).any()


def test_cnemc_value_published_and_revision(real: WaterBatch) -> None:
    st = real.stations.set_index("name").loc["洱海湖心"]
    s = real.samples[(real.samples["station"] == st["code"]) & (real.samples["time"] == "2025-11-06 20:00")]
    cols = zip(s["item"], s["value"], s["published"], strict=True)
    got = {str(i): (float(v), float(p)) for i, v, p in cols}
    assert got["pH"] == (8.867, 9.0) and got["TP"] == (0.0175, 0.018) and got["NH3N"] == (0.025, 0.02)
    assert math.isnan(got["WT"][1]) and got["WT"][0] == 19.08
    assert (s["revised_at"] == pd.Timestamp("2025-11-06 23:51:29")).all()
    assert (real.samples["flag"].dropna() == "维护").all() and real.samples["flag"].notna().sum() > 0


def test_cnemc_registry(real: WaterBatch) -> None:
    st = real.stations.set_index("name")
    assert st.loc["洱海湖心", "region"] == "532900" and st.loc["洱海湖心", "water_body"] == "lake"
    assert [st.loc["兰山嘴", c] for c in ("river", "region", "water_body")] == ["太湖", "320200", "lake"]
    assert st.loc["南大荒桥", "water_body"] == "river"
    assert st.loc["采蒲台", "river"] == "白洋淀"  # from the 2025 rows; the 2026 rows leave it empty
    assert st.loc["采蒲台", "region"] == "130000"  # 雄安新区: no GB/T 2260 code, the province's
    assert st.loc["密云水库", "water_body"] == "lake"  # no river name: the station's
    assert st.loc["湘家荡", "water_body"] == "river"
    key = "云南省|西南诸河|洱海湖心".encode()
    assert st.loc["洱海湖心", "code"] == "cnemc-530000-" + hashlib.sha1(key).hexdigest()[:8]
    assert (st["control_level"] == "national").all()


@pytest.mark.parametrize(
    ("river", "station", "body"),
    [("洱海", "", "lake"), ("海河", "", "river"), ("滇池", "", "lake"), ("石门水库（褒河）", "", "lake"),
     ("海拉尔河", "", "river"), ("四湖总干渠", "", "river"), ("白洋淀", "", "lake"), ("", "密云水库", "lake"),
     ("乌梁素海", "", "lake"), ("上海塘", "", "river"), ("", "骆马湖乡", "river")],
)  # fmt: skip
def test_water_body_rule(river: str, station: str, body: str) -> None:
    assert infer_water_body(river, station) == body


def _snapshot(tmp_path: Path, rows: list[str]) -> Path:
    return write_csv(tmp_path / "snap.csv", [HEAD, *rows])


def test_cnemc_later_snapshot_wins_and_override(tmp_path: Path) -> None:
    late = (
        "江苏省,无锡市,太湖流域,太湖,兰山嘴,2025-11-18 16:00,Ⅴ,,8.1,11.0,,,3.2,0.02,0.108,,,,"
        "8,11.0,3.2,0.02,0.108,,正常,2025-11-18T20:00:00"
    )
    early = late.replace("0.108", "0.090").replace(",Ⅴ,", ",Ⅳ,").replace("T20:00:00", "T18:00:00")
    path = _snapshot(tmp_path, [late, early])  # the later revision is read first
    b = read("cnemc-snapshot", path)
    tp = b.samples[b.samples["item"] == "TP"]
    assert tp["value"].tolist() == [0.108]
    assert _rejects(b) == [(3, "CODMn", "duplicate"), (3, "DO", "duplicate"), (3, "NH3N", "duplicate"),
                           (3, "TP", "duplicate"), (3, "pH", "duplicate")]  # fmt: skip
    assert b.published_class["published_class"].tolist() == [5]
    code = b.stations["code"].iloc[0]
    reg = pd.DataFrame(
        [{c: None for c in STATION_COLUMNS} | {"code": code, "name": "兰山嘴", "water_body": "river"}]
    )
    again = read("cnemc-snapshot", path, stations=reg)
    assert again.stations["water_body"].tolist() == ["river"]
    assert again.stations["river"].tolist() == ["太湖"]  # only the fields the override fills


def test_cnemc_bad_cells(tmp_path: Path) -> None:
    row = "北京市,北京市,海河流域,永定河,南大荒桥,{t},{c},,{ph},-1,,,abc,,,,,,,,,,,,维护,2025-11-18T20:00:00"
    path = _snapshot(tmp_path, [row.format(t="2025-11-18 16:00", c="X", ph="15"),
                                row.format(t="11-18 16:00", c="--", ph="7")])  # fmt: skip
    b = read("cnemc-snapshot", path)
    got = sorted(zip(b.rejects["row"], b.rejects["field"], b.rejects["reason"], strict=True))
    assert got == [
        (2, "codmn_mg_l", "unparseable"), (2, "do_mg_l", "negative"), (2, "ph", "ph_range"),
        (2, "published_class", "unparseable"), (3, "codmn_mg_l", "unparseable"), (3, "do_mg_l", "bad_time"),
        (3, "ph", "bad_time"),
    ]  # fmt: skip
    assert b.samples.empty and b.published_class.empty


def test_cnemc_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["province,station,ph", "北京市,a,7"])
    with pytest.raises(InputFileError, match=r"x\.csv.*missing column\(s\) basin, monitor_time"):
        read("cnemc-snapshot", path)


# --- long ---------------------------------------------------------------------------

LONG = [
    "station,time,item,value,unit,flag",
    "S1,2025-11,氨氮,0.5,mg/L,",  # 2: replaced by row 3
    "S1,2025-11,NH3-N,480,µg/L,",  # 3
    "S1,2025-11,pH,7.2,,",  # 4
    "S1,2025-11,总磷,<0.01,mg/L,",  # 5: below the detection limit
    "S2,2025-11,溶解氧,-1,mg/L,",  # 6
    "S2,2025-11,TP,0.1,NTU,",  # 7
    "S2,2025-11,xx,1,mg/L,",  # 8
    "S2,bad,DO,5,mg/L,",  # 9
    "S3,2025-11,pH,15,,",  # 10
    "S3,2025-11,总磷（湖、库）,0.03,mg/L,",  # 11
    "S3,2025-11-02,COD,1e9,mg/L,",  # 12
    "S3,2025-11-02,氨氮,0.3,,",  # 13: a unit is declared on every row
    "S3,2025-11-02,BOD5,x,mg/L,",  # 14
    "S1,2025-11-03,DO,6.5,mg/L,估",  # 15
]


def test_long(tmp_path: Path) -> None:
    b = read("long", write_csv(tmp_path / "m.csv", LONG))
    got = {(r.station, r.item): (r.value, r.flag) for r in b.samples.itertuples()}
    assert got == {("S1", "NH3N"): (0.48, None), ("S1", "pH"): (7.2, None), ("S1", "TP"): (0.01, "nd"),
                   ("S3", "TP"): (0.03, None), ("S1", "DO"): (6.5, "估")}  # fmt: skip
    assert (b.samples["time"].dt.strftime("%Y-%m-%d") <= "2025-11-03").all()
    assert _rejects(b) == [
        (2, "NH3N", "duplicate"), (6, "DO", "negative"), (7, "TP", "unknown_unit"),
        (8, "xx", "unknown_item"), (9, "DO", "bad_time"), (10, "pH", "ph_range"), (12, "COD", "impossible"),
        (13, "NH3N", "unknown_unit"), (14, "BOD5", "unparseable"),
    ]  # fmt: skip
    assert b.stations.empty  # no registry: codes as written


def test_long_with_registry(tmp_path: Path) -> None:
    reg = write_csv(tmp_path / "st.csv", ["code,name,river", "S1,甲,太湖", "S3,丙,长江"])
    b = read("long", write_csv(tmp_path / "m.csv", LONG), stations=reg)
    got = _rejects(b)
    assert (11, "TP", "lake_item_on_river") in got  # 总磷（湖、库） on the river section S3
    assert [r for r in got if r[2] == "unknown_station"] == []  # S2's rows fail earlier checks
    b2 = read(
        "long",
        write_csv(tmp_path / "n.csv", ["station,time,item,value,unit", "S9,2025-11,DO,5,mg/L"]),
        stations=reg,
    )
    assert _rejects(b2) == [(2, "DO", "unknown_station")]
    lake = write_csv(tmp_path / "n2.csv", ["station,time,item,value,unit", "S1,2025-11,TP_river,0.1,mg/L"])
    assert _rejects(read("long", lake, stations=reg)) == [(2, "TP", "lake_item_on_river")]


def test_long_ug_conversion_is_exact(tmp_path: Path) -> None:
    b = read(
        "long", write_csv(tmp_path / "u.csv", ["station,time,item,value,unit", "S,2025-01,汞,0.07,µg/L"])
    )
    assert b.samples["value"].tolist() == [7e-05]  # 0.07/1000 in binary would be 7.000000000000001e-05


def test_rereading_is_deterministic(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", LONG)
    a, b = read("long", path), read("long", path)
    pd.testing.assert_frame_equal(a.samples, b.samples)
    pd.testing.assert_frame_equal(a.rejects, b.rejects)


# --- wide ---------------------------------------------------------------------------


def test_wide_units_in_header_and_units_row(tmp_path: Path) -> None:
    rows = [
        "station,time,氨氮(mg/L),总磷,pH,溶解氧（µg/L）,foo,flag",
        ",,,µg/L,,,,",
        "S1,2025-11-01,0.5,20,7,6500,3,维护",
    ]
    b = read("wide", write_csv(tmp_path / "w.csv", rows))
    got = {r.item: (r.value, r.flag) for r in b.samples.itertuples()}
    assert got == {"NH3N": (0.5, "维护"), "TP": (0.02, "维护"), "pH": (7.0, "维护"), "DO": (6.5, "维护")}
    assert _rejects(b) == [(3, "foo", "unknown_item")]


def test_wide_without_units_rejects(tmp_path: Path) -> None:
    b = read("wide", write_csv(tmp_path / "w.csv", ["station,time,氨氮", "S1,2025-11-01,0.5"]))
    assert _rejects(b) == [(2, "NH3N", "unknown_unit")]


def test_wide_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    times = [pd.Timestamp("2025-11-01"), pd.Timestamp("2025-12-01")]
    df = pd.DataFrame({"station": ["S1", "S2"], "time": times, "总磷(mg/L)": [0.05, -0.1]})
    df.to_excel(path, index=False, sheet_name="数据")
    b = read("wide", path)
    assert b.samples[["station", "item", "value"]].values.tolist() == [["S1", "TP", 0.05]]
    assert b.rejects[["file", "row", "reason"]].values.tolist() == [[f"{path} [数据]", 3, "negative"]]


# --- stations and targets -----------------------------------------------------------


def test_stations_and_targets(tmp_path: Path) -> None:
    st = write_csv(tmp_path / "st.csv", [
        "code,name,province,city,region,basin,river,water_body,control_level,drinking_source,lat,lon",
        "S1,甲,江苏省,无锡市,,太湖流域,太湖,,国控,是,31.4,120.2",
        "S2,乙,北京市,朝阳区,,海河流域,通惠河,湖库,provincial,no,,",
    ])  # fmt: skip
    tg = write_csv(
        tmp_path / "tg.csv",
        ["station,plan,year,target_class", "S1,p14,2025,Ⅲ", "S2,p14,2025,IV", "S9,p14,2025,II"],
    )
    b = read("stations", [st, tg])
    s = b.stations.set_index("code")
    assert [s.loc["S1", c] for c in ("region", "water_body", "control_level")] == [
        "320200",
        "lake",
        "national",
    ]
    assert [s.loc["S2", c] for c in ("region", "water_body", "control_level")] == [
        "110105",
        "lake",
        "provincial",
    ]
    assert bool(s.loc["S1", "drinking_source"]) and not bool(s.loc["S2", "drinking_source"])
    assert b.targets.values.tolist() == [["S1", "p14", 2025, 3], ["S2", "p14", 2025, 4]]
    assert _rejects(b) == [(4, "", "unknown_station")]


def test_bad_registry_lists_every_problem(tmp_path: Path) -> None:
    st = write_csv(
        tmp_path / "st.csv", ["code,name,water_body,region,lat", "S1,甲,sea,999999,95", "S1,,river,,x"]
    )
    with pytest.raises(InputFileError) as exc:
        read("stations", st)
    fields = sorted((p.row, p.field) for p in exc.value.problems)
    assert fields == [(2, "lat"), (2, "region"), (2, "water_body"), (3, "code"), (3, "lat"), (3, "name")]


# --- whole files --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["cnemc-snapshot", "long", "wide", "stations"])
def test_unreadable_files_are_errors_naming_the_file(tmp_path: Path, fmt: str) -> None:
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00\x01garbage\x00")
    with pytest.raises(InputFileError, match=r"bin.csv"):
        read(fmt, bad)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match=r"empty.csv: .*empty file"):
        read(fmt, empty)
    with pytest.raises(InputFileError, match=r"nope.csv.*file not found"):
        read(fmt, tmp_path / "nope.csv")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(InputFileError, match=r"fake.xlsx.*not a readable XLSX"):
        read(fmt, fake)


def test_streams_and_registry_of_formats() -> None:
    s = io.StringIO("station,time,item,value,unit\nS,2025-01,DO,5,mg/L\n")
    s.name = "in-memory.csv"
    assert read("long", s).samples["value"].tolist() == [5.0]
    assert set(readers.FORMATS) == {"cnemc-snapshot", "long", "wide", "stations"}
    with pytest.raises(readers.UnknownFormat, match="expected one of cnemc-snapshot"):
        read("nope", s)
    with pytest.raises(TypeError, match="does not take option"):
        read("stations", s, stations=None)
    assert issubclass(readers.UnknownFormat, EcoplanError)

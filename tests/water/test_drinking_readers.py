"""Readers of drinking-water sources and black-odorous water bodies: the registers (every
bad row named by file, row, field), Table 2/3 items through the long and wide sample
readers, point measurements and their rejects; hypothesis on both registers and the
measurements."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.core.errors import InputFileError
from ecoplan.water.readers.black_odorous import read_black_odorous, read_bodies
from ecoplan.water.readers.drinking import read_drinking_samples, read_drinking_sources

DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "water" / "data"
REGISTER = "code,name,region,type,level,supply_m3d\n"


def _csv(text: str, name: str = "x.csv") -> io.BytesIO:
    b = io.BytesIO(text.encode("utf-8"))
    b.name = name
    return b


def test_register_reads_aliases_and_sorts() -> None:
    df = read_drinking_sources(
        _csv(
            REGISTER
            + 'B,乙水库,130100,湖库型,地级,"1,200"\n'
            + "A,甲井群,130181,地下水,县级,\nC,丙河,130224,河流型,乡镇,5\n"
        )
    )
    assert df["code"].tolist() == ["A", "B", "C"]
    assert df["type"].tolist() == ["groundwater", "lake", "river"]
    assert df["level"].tolist() == ["county", "city", "township"]
    assert df["supply_m3d"].iloc[1] == 1200.0 and pd.isna(df["supply_m3d"].iloc[0])


def test_register_names_every_bad_row() -> None:
    text = REGISTER + "A,甲,999999,river,city,1\nA,,130100,sea,capital,-3\n,丙,130100,lake,county,x\n"
    with pytest.raises(InputFileError) as err:
        read_drinking_sources(_csv(text, "reg.csv"))
    got = {(p.row, p.field) for p in err.value.problems}
    assert got == {
        (2, "region"), (3, "code"), (3, "name"), (3, "type"), (3, "level"), (3, "supply_m3d"),
        (4, "code"), (4, "supply_m3d"),
    }  # fmt: skip
    assert all(p.file == "reg.csv" for p in err.value.problems)
    assert "twice" in str(err.value) and "GB/T 2260" in str(err.value)


def test_register_missing_columns() -> None:
    with pytest.raises(InputFileError, match="missing column"):
        read_drinking_sources(_csv("code,name,region\nA,甲,130100\n"))


def test_samples_read_table_2_and_3_items_with_units() -> None:
    reg = read_drinking_sources(_csv(REGISTER + "S1,甲水库,130100,lake,city,100\n"))
    long = _csv(
        "station,time,item,value,unit\n"
        "S1,2024-01,铁,0.35,mg/L\nS1,2024-01,锰,80,µg/L\nS1,2024-01,硫酸盐（以SO42-计）,40,mg/L\n"
        "S1,2024-01,三氯甲烷,12,µg/L\nS1,2024-01,氨氮,0.2,mg/L\nS1,2024-01,铁,0.3,NTU\nS9,2024-01,铁,0.1,mg/L\n"
    )
    b = read_drinking_samples(long, register=reg)
    got = dict(zip(b.samples["item"], b.samples["value"], strict=True))
    assert got == pytest.approx({"Fe": 0.35, "Mn": 0.08, "SO4": 40.0, "三氯甲烷": 0.012, "NH3N": 0.2})
    assert sorted(zip(b.rejects["row"], b.rejects["field"], b.rejects["reason"], strict=True)) == [
        (7, "unit", "unknown_unit"),
        (8, "station", "unknown_station"),
    ]


def test_example_monitoring_reads_clean() -> None:
    reg = read_drinking_sources(DATA / "drinking-sources.csv")
    b = read_drinking_samples(DATA / "drinking-monitoring.csv", register=reg, format="wide")
    assert b.rejects.empty
    assert len(b.samples) == 180 * 13
    assert {"Fe", "Mn", "SO4", "Cl", "NO3N", "pH", "NH3N"} <= set(b.samples["item"])


def test_bodies_register() -> None:
    df = read_bodies(
        _csv("code,name,region,area,listed_year\nB,乙河,440703,地级,2016\nA,甲渠,130181,county,2019\n")
    )
    assert df.to_dict("records") == [
        {"code": "A", "name": "甲渠", "region": "130181", "area": "county", "listed_year": 2019},
        {"code": "B", "name": "乙河", "region": "440703", "area": "prefecture", "listed_year": 2016},
    ]
    with pytest.raises(InputFileError) as err:
        read_bodies(_csv("code,name,region,area,listed_year\nA,甲,440703,town,16\nA,乙,440703,county,2019\n"))
    assert {(p.row, p.field) for p in err.value.problems} == {(2, "area"), (2, "listed_year"), (3, "code")}


POINTS = "body,point,date,sd_cm,do_mg_l,orp_mv,nh3n_mg_l,depth_cm\n"


def test_points_rejects_name_file_row_field() -> None:
    bodies = read_bodies(_csv("code,name,region,area,listed_year\nB1,甲河,440703,prefecture,2016\n"))
    text = POINTS + (
        "B1,P1,2020-03-01,30,-1,-120,abc,80\n"  # DO negative; NH3N unparseable; ORP may be negative
        "B1,P1,2020-13-01,30,2,10,1,80\n"  # bad date: every value of the row
        "B9,P1,2020-03-01,30,2,10,1,80\n"  # unknown body
        "B1,P1,2020-03-01 10:00,31,,,,\n"  # same day: the earlier SD becomes a duplicate
        "B1,P2,2020-03-01,2000,4,10,1,80\n"  # SD impossible
    )
    b = read_black_odorous(_csv(text, "pts.csv"), bodies=bodies)
    rej = sorted(zip(b.rejects["row"], b.rejects["field"], b.rejects["reason"], strict=True))
    assert rej == [
        (2, "do_mg_l", "negative"), (2, "nh3n_mg_l", "unparseable"), (2, "sd_cm", "duplicate"),
        *[(3, f, "bad_time") for f in ("depth_cm", "do_mg_l", "nh3n_mg_l", "orp_mv", "sd_cm")],
        *[(4, f, "unknown_station") for f in ("depth_cm", "do_mg_l", "nh3n_mg_l", "orp_mv", "sd_cm")],
        (6, "sd_cm", "impossible"),
    ]  # fmt: skip
    assert set(b.rejects["file"]) == {"pts.csv"}
    p1 = b.measures[b.measures["point"] == "P1"].set_index("item")["value"].to_dict()
    assert p1 == {"ORP": -120.0, "depth": 80.0, "SD": 31.0}


def test_points_chinese_headers_need_their_unit() -> None:
    ok = "body,point,date,透明度(cm),溶解氧（mg/L）,氧化还原电位(mV),氨氮(mg/L),水深(cm)\n"
    ok += "B,P,2020-01-02,20,1,0,9,90\n"
    b = read_black_odorous(_csv(ok))
    assert sorted(b.measures["item"]) == ["DO", "NH3N", "ORP", "SD", "depth"]
    with pytest.raises(InputFileError, match="unit"):
        read_black_odorous(_csv("body,point,date,透明度(m)\nB,P,2020-01-02,0.2\n"))


_code = st.text(alphabet="ABCDEFGHJK0123456789-", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            _code,
            st.sampled_from(["river", "湖库型", "groundwater", "sea", ""]),
            st.sampled_from(["city", "县级", "乡镇", "x"]),
            st.one_of(
                st.floats(-10, 1e6, allow_nan=False).map(lambda v: f"{v:.1f}"), st.just(""), st.just("n/a")
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_register_property_all_or_nothing(rows: list[tuple[str, str, str, str]]) -> None:
    """A register is read whole (one row per line, codes unique) or refused naming each bad line."""
    text = REGISTER + "".join(f"{c},名{i},130100,{t},{lv},{s}\n" for i, (c, t, lv, s) in enumerate(rows))
    codes = [r[0] for r in rows]
    bad_rows = {
        i + 2
        for i, (c, t, lv, s) in enumerate(rows)
        if c in codes[:i] or t in ("sea", "") or lv == "x" or s == "n/a" or (s and float(s) < 0)
    }
    try:
        df = read_drinking_sources(_csv(text))
    except InputFileError as err:
        assert bad_rows and {p.row for p in err.problems} == bad_rows
    else:
        assert not bad_rows and sorted(df["code"]) == sorted(codes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2"]),
            st.sampled_from(["2020-03-01", "2020-06-01", "2020-02-30"]),
            st.one_of(
                st.floats(-50, 1500, allow_nan=False).map(lambda v: f"{v:.2f}"), st.just("x"), st.just("")
            ),
            st.one_of(st.floats(-300, 300, allow_nan=False).map(lambda v: f"{v:.1f}"), st.just("")),
        ),
        max_size=12,
    )
)
def test_points_property_nothing_lost(cells: list[tuple[str, str, str, str]]) -> None:
    """Every non-empty cell is a measurement or a reject (nothing dropped), keys are unique,
    and stored values are in range."""
    text = "body,point,date,sd_cm,orp_mv\n" + "".join(f"B,{p},{d},{sd},{orp}\n" for p, d, sd, orp in cells)
    b = read_black_odorous(_csv(text))
    given_cells = sum(1 for _, _, sd, orp in cells for v in (sd, orp) if v != "")
    assert len(b.measures) + len(b.rejects) == given_cells
    assert not b.measures.duplicated(["body", "point", "date", "item"]).any()
    sd = b.measures.loc[b.measures["item"] == "SD", "value"]
    assert ((sd >= 0) & (sd <= 1000)).all()
    assert set(b.rejects["reason"]) <= {"bad_time", "negative", "impossible", "unparseable", "duplicate"}

"""Soil readers: the Qiyang file as laid out, wide/long samples, the register; rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED, write_csv

from ecoplan.core.errors import EcoplanError
from ecoplan.soil.readers import FORMATS, REASONS, UnknownFormat, read

QIYANG = SHARED / "data" / "soil" / "qiyang_hunan_soil_cd_pri_Cd_data.csv"
DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "soil" / "data"


def test_qiyang_as_laid_out() -> None:
    b = read("qiyang-cd", [QIYANG])
    assert len(b.rows) == 136 and b.rejects.empty
    assert b.rows["land_use"].value_counts().to_dict() == {"paddy": 83, "other": 53}
    first = b.rows.iloc[0]  # file line 4: 111.8052778,26.56888889,Upland,4.4,0.2826324
    assert (first["lon"], first["lat"], first["land_use"], first["ph"], first["Cd"]) == (
        111.8052778,
        26.56888889,
        "other",
        4.4,
        0.2826324,
    )
    assert first["region"] == "431181"
    assert b.rows["crop_cd"].notna().sum() == 61


def test_wide_with_units_row_and_rejects(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "s.csv",
        [
            "sample_id,region,land_use,pH,Cd,Pb,Zn",
            "unit:,,,,mg/kg,µg/g,",
            "a,431181,水田,6.0,0.5,35,90",
            "b,431181,forest,6.0,0.5,35,",
            "c,431181,旱地,15,0.2,x,",
            "d,431181,其他,7.0,-1,10,",
            "a,431181,水田,6.0,0.5,35,",
            "e,43118,水田,6.0,0.5,35,",
        ],
    )
    b = read("samples", [f])
    assert list(b.rows["sample_id"]) == ["a", "c", "d"]
    got = {(r.row, r.field, r.reason) for r in b.rejects.itertuples()}
    assert got == {
        (3, "Zn", "unit_missing"),
        (4, "land_use", "land_use_unknown"),
        (5, "ph", "ph_out_of_range"),
        (5, "Pb", "not_a_number"),
        (6, "Cd", "negative"),
        (7, "sample_id", "duplicate_id"),
        (8, "region", "bad_region"),
    }
    assert set(b.rejects["file"]) == {"s.csv"}
    c = b.rows.set_index("sample_id")
    assert c.loc["c", "ph"] != c.loc["c", "ph"]  # dropped pH, sample kept
    assert c.loc["a", "Pb"] == 35.0


def test_declared_unit_option_and_brackets(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "s.csv", ["id,region,land_use,ph,Cd [µg/kg],Hg", "a,431181,paddy,6,400,0.2"])
    b = read("samples", [f], units={"Hg": "mg/kg"})
    assert b.rows.loc[0, "Cd"] == pytest.approx(0.4) and b.rows.loc[0, "Hg"] == 0.2


def test_long_samples(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "l.csv",
        [
            "sample_id,region,land_use,ph,item,value,unit",
            "a,431181,paddy,6.0,Cd,0.5,mg/kg",
            "a,431181,paddy,6.0,Pb,35,mg/kg",
            "b,431181,other,7.0,镉,300,µg/kg",
            "b,431181,other,7.0,Se,1,mg/kg",
        ],
    )
    b = read("samples-long", [f])
    r = b.rows.set_index("sample_id")
    assert r.loc["a", "Cd"] == 0.5 and r.loc["a", "Pb"] == 35 and r.loc["b", "Cd"] == pytest.approx(0.3)
    assert list(b.rejects["reason"]) == ["bad_value"]


def test_register_examples() -> None:
    u = read("farmland-units", [DATA / "qiyang_farmland_units_example.csv"])
    p = read("plots", [DATA / "qiyang_plots_example.csv"])
    assert len(u.rows) == 21 and u.rejects.empty
    assert len(p.rows) == 15 and p.rejects.empty
    # 1200 亩 = 80 hm² (1 亩 = 1/15 hm²)
    assert u.rows.query("unit_id == 'QY-U01' and year == 2018")["area_hm2"].iloc[0] == pytest.approx(80)


def test_register_rejects(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "u.csv",
        [
            "unit_id,region,year,area,level,measure,crop_compliant",
            "u1,431181,2020,10,轻微,优先保护,是",
            "u2,431181,2020,10,mild,安全利用,是",
            "u3,431181,20x0,10,轻微,优先保护,是",
        ],
    )
    b = read("farmland-units", [f])
    assert b.rows.empty
    assert {(r.row, r.field, r.reason) for r in b.rejects.itertuples()} == {
        (2, "area", "unit_missing"),
        (3, "area", "unit_missing"),
        (4, "year", "bad_year"),
    }
    b2 = read("farmland-units", [f], area_unit="亩")
    assert list(b2.rows["unit_id"]) == ["u1"]
    assert {(r.row, r.reason) for r in b2.rejects.itertuples()} == {(3, "bad_value"), (4, "bad_year")}


def test_formats_and_errors(tmp_path: Path) -> None:
    assert set(FORMATS) == {"qiyang-cd", "samples", "samples-long", "farmland-units", "plots"}
    assert "unit_missing" in REASONS
    with pytest.raises(UnknownFormat):
        read("nope", [QIYANG])
    with pytest.raises(TypeError):
        read("plots", [QIYANG], units={"Cd": "mg/kg"})
    with pytest.raises(EcoplanError):
        read("samples", [tmp_path / "missing.csv"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(-10, 20, allow_nan=False).map(lambda v: f"{v:g}"),
            st.sampled_from(["NA", "", "x", "1e3"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_parser_never_crashes_and_explains_every_drop(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    d = tmp_path_factory.mktemp("h")
    rows = ["sample_id,region,land_use,ph,Cd [mg/kg]"] + [
        f"s{i},431181,paddy,{v},{v}" for i, v in enumerate(cells)
    ]
    b = read("samples", [write_csv(d / "h.csv", rows)])
    assert len(b.rows) == len(cells)  # values are dropped with a reason, samples kept
    assert set(b.rejects["reason"]) <= {"not_a_number", "negative", "ph_out_of_range"}
    assert (b.rows["Cd"].dropna() >= 0).all()
    assert b.rows["ph"].dropna().between(0, 14).all()


def test_xlsx_samples_with_units_row(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (
        ["样品编号", "区划代码", "土地利用", "pH", "镉", "铅"],
        ["单位", None, None, None, "mg/kg", "mg/kg"],
        ["k1", "431181", "水田", 5.2, 0.31, 20],
        ["k2", "431181", "果园", 6.8, 0.2, "NA"],
    ):
        ws.append(row)
    path = tmp_path / "s.xlsx"
    wb.save(path)
    b = read("samples", [path])
    assert b.rejects.empty
    r = b.rows.set_index("sample_id")
    assert (r.loc["k1", "land_use"], r.loc["k1", "Cd"], r.loc["k1", "Pb"]) == ("paddy", 0.31, 20.0)
    assert r.loc["k2", "land_use"] == "orchard" and r.loc["k2", "Pb"] != r.loc["k2", "Pb"]

"""The register readers (readers/registry.py): columns, Chinese headers, every reason code."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.core.formats import UnknownFormat
from ecoplan.sources import readers
from ecoplan.sources.readers import REASONS, kind_of_header, read, sniff_kind

A = "91130102MA00000A19"  # valid check character (GB 32100-2015), computed by hand below
B = "91130104MA00000B2A"


def test_the_example_codes_are_valid() -> None:
    # recomputed here from GB 32100-2015 Table 1 and §4.2, not with the module under test
    table = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for code in (A, B):
        s = sum(table.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
        assert table[(31 - s % 31) % 31] == code[17]


def csv_file(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def rejects(batch: readers.RegistryBatch) -> list[tuple[int, str, str]]:
    return [
        (int(r["row"]), str(r["field"]), str(r["reason"])) for r in batch.rejects.to_dict(orient="records")
    ]


def test_enterprises_english_and_chinese_headers(tmp_path: Path) -> None:
    en = csv_file(
        tmp_path,
        "en.csv",
        f"credit_code,name,region,industry,address,lon,lat,key_unit\n{A},甲,130102,火电,某路1号,114.5,38.05,yes\n",
    )
    zh = csv_file(
        tmp_path,
        "zh.csv",
        "\ufeff统一社会信用代码,企业名称,行政区划代码,行业类别,地址,经度（°）,纬度（°）,重点排污单位\n"
        f"{B.lower()},乙,130104,,,,,否\n",
    )
    b = read([en, zh], "enterprises")
    assert b.rejects.empty
    assert b.rows.astype(object).where(b.rows.notna(), None).to_dict(orient="records") == [
        {
            "credit_code": A,
            "name": "甲",
            "region": "130102",
            "industry": "火电",
            "address": "某路1号",
            "lon": 114.5,
            "lat": 38.05,
            "key_unit": True,
        },
        {
            "credit_code": B,  # upper-cased
            "name": "乙",
            "region": "130104",
            "industry": None,
            "address": None,
            "lon": None,
            "lat": None,
            "key_unit": False,
        },
    ]
    assert b.where == [("en.csv", 2), ("zh.csv", 2)]


def test_enterprise_rejects(tmp_path: Path) -> None:
    p = csv_file(
        tmp_path,
        "e.csv",
        "credit_code,name,region,lon,lat,key_unit\n"
        f"{A[:-1]}0,a,130102,,,\n"
        f"{A[:-1]},b,130102,,,\n"
        f"{A},,130102,,,\n"
        f"{A},c,13010,,,\n"
        f"{A},d,130102,200,,\n"
        f"{A},e,130102,abc,,\n"
        f"{A},f,130102,,,maybe\n"
        f"{A},g,130102,,,\n"
        f"{A},h,130102,,,\n",
    )
    b = read(p, "enterprises")
    assert rejects(b) == [
        (2, "credit_code", "credit_code_check"),
        (3, "credit_code", "bad_credit_code"),
        (4, "name", "missing_value"),
        (5, "region", "bad_region"),
        (6, "lon", "out_of_range"),
        (7, "lon", "not_a_number"),
        (8, "key_unit", "bad_value"),
        (10, "credit_code", "duplicate_id"),
    ]
    assert list(b.rows["name"]) == ["g"]
    assert b.counts()["credit_code_check"] == 1


def test_missing_column_rejects_the_file(tmp_path: Path) -> None:
    p = csv_file(tmp_path, "e.csv", f"credit_code,name\n{A},a\n")
    b = read(p, "enterprises")
    assert b.rows.empty and rejects(b) == [(1, "region", "missing_column")]
    q = csv_file(tmp_path, "x.csv", "foo,bar\n1,2\n")
    assert {r.reason for r in read(q, "enterprises").rejects.itertuples()} == {"missing_column"}


def test_outlets_medium_and_reference_o2(tmp_path: Path) -> None:
    p = csv_file(
        tmp_path,
        "o.csv",
        "排放口编号,统一社会信用代码,排放口类型,排放口名称,执行标准,基准氧含量\n"
        f"DA001,{A},废气,1号,GB 13271-2014 燃煤锅炉,\n"  # 9 % from the standard (Table 6)
        f"DA002,{A},air,2号,GB 13271-2014 燃煤锅炉,6\n"  # given: kept
        f"DA003,{A},air,3号,GB 13271-2014,\n"  # ambiguous standard: none
        f"DW001,{A},废水,总排,GB 8978-1996,\n"
        f"DW002,{A},水,总排,,3\n"  # O2 on a water outlet
        f"DX001,{A},noise,,,\n"
        f"DA004,{A},air,,,25\n",
    )
    b = read(p, "outlets")
    assert list(b.rows["ref_o2"].fillna(-1)) == [9.0, 6.0, -1, -1]
    assert list(b.rows["medium"]) == ["air", "air", "air", "water"]
    assert rejects(b) == [
        (6, "ref_o2", "bad_value"),
        (7, "medium", "bad_value"),
        (8, "ref_o2", "out_of_range"),
    ]


def test_devices(tmp_path: Path) -> None:
    hex24 = "010000A8900016F000169DC0"
    p = csv_file(
        tmp_path,
        "d.csv",
        "mn,outlet_id,st,pw,edition,sm4_key,active\n"
        f"{hex24},O1,31,123456,2017,,\n"
        f"88888880000001,O2,32,123456,,,no\n"  # 14 characters: 2005 (HJ/T 212-2005)
        f"{hex24[:-1]}1,O3,32,123456,2025,{'30' * 16},yes\n"
        f"{hex24[:-1]}G,O4,31,123456,,,\n"
        f"{hex24[:-1]}2,O5,3,123456,,,\n"
        f"{hex24[:-1]}3,O6,31,12345,,,\n"
        f"{hex24[:-1]}4,O7,31,12;456,,,\n"
        f"{hex24[:-1]}5,O8,31,123456,2017,{'30' * 16},\n"  # SM4 key on a 2017 device
        f"{hex24[:-1]}6,O9,31,123456,2025,{'3' * 31},\n"
        f"{hex24[:-1]}7,O9,31,123456,2019,,\n"
        f"8888888000000,O9,31,123456,2005,,\n",
    )
    b = read(p, "devices")
    assert b.rows[["mn", "edition", "active"]].values.tolist() == [
        [hex24, "2017", True],
        ["88888880000001", "2005", False],
        [hex24[:-1] + "1", "2025", True],
    ]
    assert b.rows["sm4_key"].iloc[2] == "30" * 16
    assert rejects(b) == [
        (5, "mn", "bad_mn"),
        (6, "st", "bad_st"),
        (7, "pw", "bad_pw"),
        (8, "pw", "bad_pw"),
        (9, "sm4_key", "bad_sm4_key"),
        (10, "sm4_key", "bad_sm4_key"),
        (11, "edition", "bad_value"),
        (12, "mn", "bad_mn"),
    ]


@given(st.text(alphabet="0123456789ABCDEFabcdef", min_size=1, max_size=30))
def test_mn_is_24_hex_characters(mn: str) -> None:
    text = f"mn,outlet_id,st,pw,edition\n{mn},O1,31,123456,2017\n"
    b = read(io.StringIO(text), "devices")
    assert (len(b.rows) == 1) == (len(mn) == 24)
    assert (len(b.rejects) == 1) == (len(mn) != 24)


cell = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters='\r\n,"\x00'), max_size=20
)


@given(st.lists(st.tuples(cell, cell, cell, cell, cell), min_size=1, max_size=8))
def test_every_row_is_kept_or_rejected(rows: list[tuple[str, ...]]) -> None:
    # arbitrary cells never crash the reader; each non-blank row is either a row or one reject
    text = "credit_code,name,region,lon,key_unit\n" + "".join(",".join(r) + "\n" for r in rows)
    b = read(io.StringIO(text), "enterprises")
    filled = sum(1 for r in rows if any(c.strip() for c in r))
    assert len(b.rows) + len(b.rejects) == filled
    assert set(b.rejects["reason"]) <= set(REASONS)


def test_permits_dates(tmp_path: Path) -> None:
    p = csv_file(
        tmp_path,
        "p.csv",
        "许可证编号,统一社会信用代码,有效期起,有效期止,执行报告周期\n"
        f"P1,{A},2018-01-01,2022-12-31,年\n"
        f"P2,{A},2019/06/01,20240531,季度\n"
        f"P3,{A},2019年6月1日,2018-01-01,\n"
        f"P4,{A},June 2019,2024-01-01,\n"
        f"P5,{A},2019-01-01,2024-01-01,weekly\n",
    )
    b = read(p, "permits")
    assert b.rows[["permit_no", "report_cycle"]].values.tolist() == [["P1", "year"], ["P2", "quarter"]]
    assert str(b.rows["valid_to"].iloc[1]) == "2024-05-31"
    assert rejects(b) == [
        (4, "valid_to", "date_order"),
        (5, "valid_from", "bad_date"),
        (6, "report_cycle", "bad_value"),
    ]


def test_limits_and_quantities(tmp_path: Path) -> None:
    p = csv_file(
        tmp_path,
        "l.csv",
        "许可证编号,排放口编号,监测因子,排放限值,单位,统计基准\n"
        "P1,O1,二氧化硫,50,mg/m³,小时均值\n"
        "P1,O1,a21002,100,毫克/立方米,hour\n"
        "P1,O1,a21002,80,mg/m3,日均值\n"  # same factor, other basis: a separate limit
        "P1,W1,COD,50,mg/L,day\n"
        "P1,O1,硫,50,mg/m3,hour\n"
        "P1,O1,a34013,20,mg/L,hour\n"  # water unit on an air factor
        "P1,O1,a34013,20,kg,hour\n"
        "P1,O1,a34013,-1,mg/m3,hour\n"
        "P1,O1,a34013,20,mg/m3,weekly\n"
        "P1,O1,a21026,60,mg/m3,hour\n",
    )
    b = read(p, "limits")
    assert b.rows[["factor", "limit_value", "unit", "basis"]].values.tolist() == [
        ["a21026", 50.0, "mg/m3", "hour"],
        ["a21002", 100.0, "mg/m3", "hour"],
        ["a21002", 80.0, "mg/m3", "day"],
        ["w01018", 50.0, "mg/L", "day"],
    ]
    assert rejects(b) == [
        (6, "factor", "bad_factor"),
        (7, "unit", "bad_unit"),
        (8, "unit", "bad_unit"),
        (9, "limit_value", "negative"),
        (10, "basis", "bad_value"),
        (11, "basis", "duplicate_id"),
    ]
    q = csv_file(
        tmp_path,
        "q.csv",
        "permit_no,factor,year,许可排放量（t/a）\nP1,SO2,2020,12.5\nP1,NOx,1980,1\nP1,COD,20x0,1\nP1,COD,2020,\n",
    )
    bq = read(q, "quantities")
    assert bq.rows.values.tolist() == [["P1", "a21026", 2020, 12.5]]
    assert rejects(bq) == [
        (3, "year", "out_of_range"),
        (4, "year", "not_a_number"),
        (5, "quantity_t", "missing_value"),
    ]


def test_xlsx_and_the_formats_table(tmp_path: Path) -> None:
    p = tmp_path / "企业.xlsx"
    pd.DataFrame(
        {
            "统一社会信用代码": [A],
            "企业名称": ["甲"],
            "行政区划代码": ["130102"],
            "经度": [114.5],
            "纬度": [38.0],
        }
    ).to_excel(p, index=False)
    for fmt in (None, "xlsx"):
        b = read(p, "enterprises", fmt)
        assert b.rows[["credit_code", "region", "lon"]].values.tolist() == [[A, "130102", 114.5]]
    assert set(readers.FORMATS) == {"csv", "xlsx"}
    with pytest.raises(UnknownFormat):
        read(p, "enterprises", "ods")
    with pytest.raises(ValueError):
        read(p, "factories")


def test_kind_sniffing(tmp_path: Path) -> None:
    assert kind_of_header(["统一社会信用代码", "企业名称", "行政区划代码"]) == "enterprises"
    assert kind_of_header(["permit_no", "outlet_id", "factor", "limit_value", "unit", "basis"]) == "limits"
    assert kind_of_header(["permit_no", "factor", "year", "许可排放量"]) == "quantities"
    assert kind_of_header(["a", "b"]) is None
    p = csv_file(tmp_path, "x.csv", "mn,outlet_id,st,pw\n")
    assert sniff_kind(p) == "devices"


def test_reasons_are_worded() -> None:
    from ecoplan.core.words import word
    from ecoplan.domains import domains

    domains()  # registers the domains' words

    for r in REASONS:
        assert word(f"sources.registry.reason.{r}", "zh") and word(f"sources.registry.reason.{r}", "en")

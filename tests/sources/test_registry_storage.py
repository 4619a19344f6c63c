"""The register in a real DuckDB file (storage/registry.py through ep.sources.registry)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ecoplan.app import Ecoplan
from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.store import faults

DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "sources" / "data"
A = "91130102MA00000A19"  # valid GB 32100-2015 codes (see test_registry_readers)
B = "91130104MA00000B2A"
C = "91130104MA00000C2B"  # well-formed too: checked below from GB 32100-2015 §4.2


def test_the_codes_used_here_are_well_formed() -> None:
    table = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 Table 1
    for code in (A, B, C):
        s = sum(table.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
        assert table[(31 - s % 31) % 31] == code[17]


MN = "010000A8900016F000169DC0"


def rows_of(name: str) -> int:
    with (DATA / name).open(encoding="utf-8") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BASE = {
    "enterprises.csv": f"credit_code,name,region\n{A},甲,130102\n{B},乙,130104\n",
    "outlets.csv": (
        "outlet_id,credit_code,medium,standard\n"
        f"A-DA001,{A},air,GB 13271-2014 燃煤锅炉\nA-DW001,{A},water,GB 8978-1996\nB-DA001,{B},air,\n"
    ),
    "devices.csv": f"mn,outlet_id,st,pw\n{MN},A-DA001,31,123456\n",
    "permits.csv": (
        f"permit_no,credit_code,valid_from,valid_to\nPA,{A},2018-01-01,2022-12-31\nPB,{B},2020-01-01,2024-12-31\n"
    ),
    "limits.csv": (
        "permit_no,outlet_id,factor,limit_value,unit,basis\n"
        "PA,A-DA001,a21026,200,mg/m3,hour\n"
        "PA,A-DW001,w01018,100,mg/L,day\n"
        "PB,B-DA001,a21026,50,mg/m3,hour\n"
    ),
    "quantities.csv": "permit_no,factor,year,quantity_t\nPA,a21026,2020,10.5\nPB,a21026,2020,2\n",
}


def test_the_example_register_loads_whole_and_again_unchanged(ep: Ecoplan) -> None:
    reg = ep.sources.registry
    first = reg.load_folder(DATA)
    assert [r.kind for r in first] == ["enterprises", "outlets", "devices", "permits", "limits", "quantities"]
    for r in first:
        assert r.rejects == {} and r.rows_new == r.rows_in == rows_of(f"{r.kind}.csv"), r.to_dict()
    again = reg.load_folder(DATA)
    assert all(r.rows_unchanged == r.rows_in and r.rows_new == r.rows_revised == 0 for r in again)
    assert reg.revisions().empty
    assert len(reg.imports()) == 12
    assert len(reg.enterprises("130100")) == rows_of("enterprises.csv")
    assert set(reg.regions()) <= {r.code for r in ep.catalog.regions(parent="130100")}
    assert len(reg.devices()) == len(reg.outlets()) == rows_of("outlets.csv")
    # every air outlet of the example got a reference O2 from its standard
    air = reg.outlets().query("medium == 'air'")
    assert air["ref_o2"].notna().all()


def test_references_are_rejected_not_crashed(ep: Ecoplan, tmp_path: Path) -> None:
    reg = ep.sources.registry
    write(tmp_path / "r", BASE)
    reg.load_folder(tmp_path / "r")
    bad = write(
        tmp_path / "bad",
        {
            "enterprises.csv": f"credit_code,name,region\n{A[:-2]}00,x,999999\n",
            "outlets.csv": (
                "outlet_id,credit_code,medium\n"
                f"C-DA001,{A[:-1]}0,air\n"
                f"X-DA001,{C},air\n"  # well-formed, not registered
            ),
            "devices.csv": f"mn,outlet_id,st,pw\n{MN[:-1]}1,NOPE,31,123456\n",
            "limits.csv": (
                "permit_no,outlet_id,factor,limit_value,unit,basis\n"
                "PX,A-DA001,a21026,1,mg/m3,hour\n"  # unknown permit
                "PA,NOPE,a21026,1,mg/m3,hour\n"  # unknown outlet
                "PA,B-DA001,a21026,1,mg/m3,hour\n"  # B's outlet on A's permit
                "PA,A-DA001,w01018,1,mg/L,day\n"  # water factor on an air outlet
            ),
            "quantities.csv": "permit_no,factor,year,quantity_t\nPX,SO2,2020,1\n",
        },
    )
    res = {r.kind: r for r in reg.load_folder(bad)}
    got = reg.rejects()
    seen = {(r.file, int(r.row), r.reason) for r in got.itertuples(index=False)}
    assert seen == {
        ("enterprises.csv", 2, "credit_code_check"),
        ("outlets.csv", 2, "credit_code_check"),
        ("outlets.csv", 3, "unknown_enterprise"),
        ("devices.csv", 2, "unknown_outlet"),
        ("limits.csv", 2, "unknown_permit"),
        ("limits.csv", 3, "unknown_outlet"),
        ("limits.csv", 4, "outlet_not_of_permit"),
        ("limits.csv", 5, "factor_medium"),
        ("quantities.csv", 2, "unknown_permit"),
    }
    for r in res.values():  # every row read is new, revised, unchanged or rejected
        assert r.rows_in == r.rows_new + r.rows_revised + r.rows_unchanged + len(r.rejected)
    assert res["limits"].rows_in == 4
    assert res["limits"].rows_new == 0 and res["limits"].rejects == {
        "factor_medium": 1,
        "outlet_not_of_permit": 1,
        "unknown_outlet": 1,
        "unknown_permit": 1,
    }
    assert len(reg.limits()) == 3
    # the region check: a well-formed code that is not in the store
    write(tmp_path / "reg", {"e.csv": f"credit_code,name,region\n{A},甲,990101\n"})
    r = reg.load([tmp_path / "reg" / "e.csv"], "enterprises")
    assert r.rejects == {"unknown_region": 1} and reg.enterprise(A)["region"] == "130102"
    # re-importing a corrected file replaces that file's rejects
    write(tmp_path / "reg", {"e.csv": f"credit_code,name,region\n{A},甲,130102\n"})
    reg.load([tmp_path / "reg" / "e.csv"], "enterprises")
    assert "e.csv" not in set(reg.rejects()["file"])


def test_revisions_keep_the_old_row(ep: Ecoplan, tmp_path: Path) -> None:
    reg = ep.sources.registry
    write(tmp_path / "r", BASE)
    reg.load_folder(tmp_path / "r")
    p = write(tmp_path / "v2", {"enterprises.csv": f"credit_code,name,region\n{A},甲（更名）,130102\n"})
    res = reg.load([p / "enterprises.csv"], "enterprises")
    assert (res.rows_new, res.rows_revised, res.rows_unchanged) == (0, 1, 0)
    rev = reg.revisions()
    assert len(rev) == 1 and rev["id"].iloc[0] == A and rev["kind"].iloc[0] == "enterprises"
    assert json.loads(rev["old_row"].iloc[0])["name"] == "甲"
    assert json.loads(rev["new_row"].iloc[0])["name"] == "甲（更名）"
    assert reg.enterprise(A)["name"] == "甲（更名）"
    assert len(reg.enterprises()) == 2  # an import never deletes: B stays


def test_reads(ep: Ecoplan, tmp_path: Path) -> None:
    reg = ep.sources.registry
    write(tmp_path / "r", BASE)
    reg.load_folder(tmp_path / "r")
    assert list(reg.enterprises("130000")["credit_code"]) == [A, B]  # the province holds both
    assert list(reg.enterprises("130104")["credit_code"]) == [B]
    assert reg.enterprises("110000").empty
    # the limit without reference O2 takes its outlet's (GB 13271-2014 Table 6 coal: 9 %)
    lim = reg.limits("A-DA001")
    assert lim[["factor", "ref_o2", "standard"]].values.tolist() == [
        ["a21026", 9.0, "GB 13271-2014 燃煤锅炉"]
    ]
    assert reg.limits("A-DW001")["ref_o2"].isna().all()
    # in force at a date: PA 2018–2022, PB 2020–2024
    assert sorted(reg.limits(at="2019-06-30")["permit_no"]) == ["PA", "PA"]
    assert sorted(reg.limits(at="2023-01-01")["permit_no"]) == ["PB"]
    assert sorted(reg.limits(at="2022-12-31")["permit_no"]) == ["PA", "PA", "PB"]
    with pytest.raises(EcoplanError):
        reg.limits(at="2022-13-01")
    q = reg.quantities(credit_code=B)
    assert q[["permit_no", "factor", "year", "quantity_t", "credit_code"]].values.tolist() == [
        ["PB", "a21026", 2020, 2.0, B]
    ]
    assert len(reg.quantities(year=2021)) == 0
    one = reg.enterprise(A)
    assert [o["outlet_id"] for o in one["outlets"]] == ["A-DA001", "A-DW001"]
    assert [d["mn"] for d in one["devices"]] == [MN]
    assert one["permits"][0]["valid_from"] == "2018-01-01"
    with pytest.raises(NotFound):
        reg.enterprise(B[:-1] + "0")


def test_an_import_is_one_transaction(ep: Ecoplan, tmp_path: Path) -> None:
    reg = ep.sources.registry
    write(tmp_path / "r", BASE)
    with faults.armed("sources.registry.before_commit"), pytest.raises(faults.InjectedFault):
        reg.load([tmp_path / "r" / "enterprises.csv"], "enterprises")
    assert reg.enterprises().empty and reg.imports().empty and reg.rejects().empty
    res = reg.load([tmp_path / "r" / "enterprises.csv"], "enterprises")
    assert res.import_id == 1 and res.rows_new == 2


def test_load_folder_needs_kinds_it_can_tell(ep: Ecoplan, tmp_path: Path) -> None:
    reg = ep.sources.registry
    d = write(tmp_path / "r", {"a.csv": f"统一社会信用代码,企业名称,行政区划代码\n{A},甲,130102\n"})
    assert [r.kind for r in reg.load_folder(d)] == ["enterprises"]  # told by its header
    write(d, {"notes.csv": "what,ever\n1,2\n"})
    with pytest.raises(EcoplanError, match=r"notes\.csv"):
        reg.load_folder(d)
    with pytest.raises(EcoplanError):
        reg.load([d / "a.csv"], "factories")


def test_the_data_script_reproduces_the_committed_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = DATA.parents[3]
    got = subprocess.run(
        [sys.executable, str(root / "scripts" / "make_sources_register.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert got.returncode == 0, got.stdout + got.stderr

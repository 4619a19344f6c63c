"""``ecoplan sources registry …`` and the register lists on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app

DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "sources" / "data"
A = "91130102MA00000A19"  # valid GB 32100-2015 code (see test_registry_storage)
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
    return str(path)


def run(*args: str) -> tuple[int, str]:
    res = runner.invoke(cli_app, list(args))
    return res.exit_code, res.output


def test_load_folder_then_lists(db: str) -> None:
    code, out = run("sources", "registry", "load-folder", str(DATA), "--db", db, "--lang", "en")
    assert code == 0, out
    assert "enterprises: 40 rows read, 40 new, 0 revised, 0 unchanged, 0 rejected (import #1)" in out
    assert "quantities: 616 rows read, 616 new" in out
    code, out = run("sources", "registry", "load-folder", str(DATA), "--db", db, "--output-format", "json")
    assert code == 0
    kinds = [(r["kind"], r["rows_in"], r["rows_unchanged"], r["rows_new"]) for r in json.loads(out)]
    assert [k[0] for k in kinds] == ["enterprises", "outlets", "devices", "permits", "limits", "quantities"]
    assert all(k[1] == k[2] and k[3] == 0 for k in kinds)
    code, out = run("sources", "enterprises", "--db", db, "--region", "130172", "--format", "json")
    got = json.loads(out)
    assert code == 0 and got and {e["region"] for e in got} == {"130172"}
    code, out = run("sources", "enterprises", "--db", db, "--format", "csv")
    assert out.splitlines()[0] == "credit_code,name,region,industry,address,lon,lat,key_unit"
    assert len(out.splitlines()) == 41
    code, out = run("sources", "enterprises", "--db", db, "--region", "130172", "--lang", "zh")
    assert code == 0 and "石家庄循环化工园区（130172）" in out and "排放口数" in out
    ent = next(e["credit_code"] for e in got if e["industry"].startswith("化学原料"))
    code, out = run("sources", "permits", "--db", db, "--enterprise", ent, "--format", "json")
    permits = json.loads(out)
    assert [p["permit_no"] for p in permits] == [ent + "001P"]
    assert len(permits[0]["valid_from"]) == 10
    code, out = run("sources", "limits", "--db", db, "--at", "2030-01-01", "--lang", "en")
    assert code == 0 and out.strip() == "nothing stored"
    outlet = f"{ent}-DA001"
    code, out = run(
        "sources", "limits", "--db", db, "--outlet", outlet, "--at", "2020-06-30", "--format", "json"
    )
    lim = json.loads(out)
    assert {r["factor"] for r in lim} == {"a21026", "a21002", "a34013"}
    assert {r["ref_o2"] for r in lim} == {11.0}  # chemical plants' air outlets: GB 18484-2020
    code, out = run("sources", "limits", "--db", db, "--outlet", outlet, "--lang", "en")
    assert "hourly mean" in out and "mg/m3" in out
    code, out = run("sources", "devices", "--db", db, "--outlet", outlet)
    assert [d["st"] for d in json.loads(out)] == ["31"]
    assert "pw" not in json.loads(out)[0] and "sm4_key" not in json.loads(out)[0]
    code, out = run("sources", "devices", "--db", db, "--outlet", outlet, "--show-secrets")
    assert len(json.loads(out)[0]["pw"]) == 6
    code, out = run("sources", "outlets", "--db", db, "--enterprise", ent, "--format", "csv")
    assert out.startswith("outlet_id,credit_code,medium")
    code, out = run("sources", "quantities", "--db", db, "--enterprise", ent, "--year", "2020")
    assert {q["year"] for q in json.loads(out)} == {2020}


def test_load_reports_rejects_in_the_users_language(db: str, tmp_path: Path) -> None:
    p = tmp_path / "企业.csv"
    p.write_text(
        f"统一社会信用代码,企业名称,行政区划代码\n{A},甲,130102\n{A[:-1]}0,乙,130102\n", encoding="utf-8"
    )
    code, out = run("sources", "registry", "load", str(p), "--kind", "enterprises", "--db", db)
    assert code == 0
    assert "企业：读入 2 行，新增 1，修订 0，未变 0，拒收 1（导入 #1）" in out
    assert "拒收 企业.csv 第3行 credit_code=91130102MA00000A10：统一社会信用代码校验码错误" in out
    code, out = run("sources", "registry", "rejects", "--db", db, "--format", "json")
    assert [(r["row"], r["reason"]) for r in json.loads(out)] == [(3, "credit_code_check")]
    code, out = run("sources", "registry", "rejects", "--db", db, "--lang", "en")
    assert "wrong check character" in out
    code, out = run(
        "sources", "registry", "load", str(p), "--kind", "enterprises", "--db", db, "--format", "xlsx"
    )
    assert code == 1  # a .csv file is not an xlsx file: the folder look-up finds none
    code, out = run("sources", "limits", "--db", db, "--at", "2020-02-30", "--lang", "en")
    assert code == 1 and "date 2020-02-30: write YYYY-MM-DD" in out


def test_load_output_json(db: str, tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("permit_no,credit_code,valid_from,valid_to\nP1,91130102MA00000A19,2018-01-01,2022-12-31\n")
    code, out = run(
        "sources", "registry", "load", str(p), "--kind", "permits", "--db", db, "--output-format", "json"
    )
    got = json.loads(out)
    assert code == 0 and got["rejects"] == {"unknown_enterprise": 1} and got["rows_new"] == 0
    assert got["rejected"] == [
        {
            "file": "p.csv",
            "row": 2,
            "field": "credit_code",
            "value": "91130102MA00000A19",
            "reason": "unknown_enterprise",
        }
    ]

"""County EI: ``ecoplan ecology ei-import`` (CSV and XLSX, reason-coded rejects, idempotent,
revisions), the feed of 重点生态功能区所属县域生态环境状况指数 and the contract command,
on a real DuckDB store."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.errors import InputFileError, NotFound
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis

runner = CliRunner()
HEADER = "county,name,year,region,key,abundance,vegetation,water,stress,pollution,restriction"
GOOD = [
    # Nantong 2017's published sub-indices → 67.97
    "320601,甲县,2016,000000,是,30.59,76.93,93.94,6.08,1.48,",
    # 0.35·50 + 0.25·60 + 0.15·40 + 0.15·90 + 0.10·95 = 61.50
    "420502,乙县,2016,000000,是,50,60,40,10,5,",
    # not a key county: not in the mean
    "420503,丙县,2016,000000,否,90,90,90,0,0,",
    "320601,甲县,2017,000000,是,31.59,76.93,93.94,6.08,1.48,incident",
]
BAD = [
    "32060,短码,2016,000000,是,1,1,1,1,1,",  # row 6: bad_code county
    "420504,丁县,20x6,000000,是,1,1,1,1,1,",  # row 7: bad_year
    "420505,戊县,2016,000000,是,abc,1,1,1,101,",  # row 8: not_number + out_of_range
    "420506,己县,2016,999999,是,1,1,1,1,1,",  # row 9: region_unknown
    "420507,庚县,2016,000000,也许,1,1,1,1,1,flood",  # row 10: bad_flag + unknown_restriction
    "420502,乙县,2016,000000,是,50,60,40,10,5,",  # row 11: duplicate
]


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_import_checks_stores_and_is_idempotent(ep: Ecoplan, tmp_path: Path) -> None:
    f = _csv(tmp_path / "ei.csv", GOOD + BAD)
    batch, res = ep.ecology.import_ei(f)
    assert (res.rows_in, res.rows_new, res.rows_revised, res.rows_unchanged) == (4, 4, 0, 0)
    got = {(r.row, r.field, r.reason) for r in batch.rejects.itertuples(index=False)}
    assert got == {
        (6, "county", "bad_code"),
        (7, "year", "bad_year"),
        (8, "abundance", "not_number"),
        (8, "pollution", "out_of_range"),
        (9, "region", "region_unknown"),
        (10, "key", "bad_flag"),
        (10, "restriction", "unknown_restriction"),
        (11, "county", "duplicate"),
    }
    assert set(batch.rejects["file"]) == {str(f)}
    df = ep.ecology.counties()
    by = {(r.county, r.year): r for r in df.itertuples(index=False)}
    assert by[("320601", 2016)].ei == 67.97 and by[("320601", 2016)].grade == "good"
    assert by[("420502", 2016)].ei == 61.5
    # 31.59 → 68.32, 良; 较大或一般突发环境事件 lowers it one grade (UNCONFIRMED rule)
    assert by[("320601", 2017)].ei == 68.32 and by[("320601", 2017)].grade == "fair"
    # the same file again: nothing new, nothing revised, the rejects replaced not doubled
    _, res2 = ep.ecology.import_ei(f)
    assert (res2.rows_new, res2.rows_revised, res2.rows_unchanged) == (0, 0, 4)
    assert len(ep.ecology.rejects()) == 8
    assert len(ep.ecology.rejects("duplicate")) == 1
    # a changed value is a revision, the old row kept
    _csv(f, [GOOD[0].replace("30.59", "32.59"), *GOOD[1:]])
    _, res3 = ep.ecology.import_ei(f)
    assert (res3.rows_new, res3.rows_revised, res3.rows_unchanged) == (0, 1, 3)
    rev = ep.ecology.store.revisions()
    assert len(rev) == 1 and json.loads(rev.iloc[0]["old_row"])["abundance"] == 30.59
    assert ep.ecology.counties(county="320601", year=2016).iloc[0]["ei"] == 68.67


def test_xlsx_with_chinese_headers(ep: Ecoplan, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["县域代码", "县域名称", "年份", "所属区域", "重点生态功能区", "生物丰度指数", "植被覆盖指数",
               "水网密度指数", "土地胁迫指数", "污染负荷指数"])  # fmt: skip
    ws.append(["320601", "甲县", 2016, "000000", "是", 30.59, 76.93, 93.94, 6.08, 1.48])
    p = tmp_path / "ei.xlsx"
    wb.save(p)
    _, res = ep.ecology.import_ei(p)
    assert res.rows_new == 1
    assert ep.ecology.county("320601").iloc[0]["ei"] == 67.97


def test_missing_column_refuses_the_file_and_stores_nothing(ep: Ecoplan, tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("county,year,region,abundance,vegetation,water,stress\n320601,2016,000000,1,1,1,1\n")
    with pytest.raises(InputFileError) as e:
        ep.ecology.import_ei(p)
    assert "pollution" in str(e.value) and "bad.csv" in str(e.value)
    assert ep.ecology.counties().empty and ep.ecology.state()[1] == 0


def test_feed_writes_the_mean_of_the_key_counties(ep: Ecoplan, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        ep.ecology.feed()
    ep.ecology.import_ei(_csv(tmp_path / "ei.csv", GOOD))
    fr = ep.ecology.feed()
    got = {(r.plan, r.year): r.value for r in fr.rows}
    # 2016: (67.97 + 61.50) / 2 = 64.735 → 64.74 (GB/T 8170, half to even on 3)
    assert got[("cn-13th-eco", 2016)] == 64.74
    assert got[("cn-13th-eco", 2017)] == 68.32
    assert {r.source for r in fr.rows} == {"pipeline ecology"}
    assert {r.indicator for r in fr.rows} == {"eco-function-county-index"}
    stored = ep.catalog.value_rows("cn-13th-eco", "000000", "eco-function-county-index")
    assert {int(r["year"]): r["value"] for r in stored} == {2016: 64.74, 2017: 68.32}
    again = ep.ecology.feed()
    assert again.result.inserted == 0 and again.result.unchanged == len(fr.rows)


def test_feed_keeps_a_value_from_another_source(ep: Ecoplan, tmp_path: Path) -> None:
    ep.catalog.add_values(
        [
            ValueRow(
                "cn-13th-eco",
                "eco-function-county-index",
                "000000",
                2016,
                60.9,
                "1",
                Basis.LEVEL,
                source="bulletin 2016",
            )
        ]
    )
    ep.ecology.import_ei(_csv(tmp_path / "ei.csv", GOOD))
    fr = ep.ecology.feed()
    assert ("cn-13th-eco", "eco-function-county-index", 2016, "bulletin 2016") in fr.skipped
    assert ("cn-13th-eco", 2016) not in {(r.plan, r.year) for r in fr.rows}


def _ok(args: list[str]) -> str:
    res = runner.invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_contract_command_json() -> None:
    base = ["ecology", "ei", "--abundance", "30.59", "--vegetation", "76.93", "--water", "93.94",
            "--stress", "6.08", "--pollution", "1.48"]  # fmt: skip
    d = json.loads(_ok([*base, "--format", "json"]))
    assert (d["ei"], d["grade"], d["grade_zh"]) == (67.97, "good", "良")
    assert "delta" not in d
    d = json.loads(_ok([*base, "--previous", "64.97", "--format", "json"]))
    assert (d["delta"], d["change_class"], d["direction"]) == (3.0, "obvious", "better")
    d = json.loads(_ok([*base, "--restriction", "incident_major", "--format", "json"]))
    assert (d["ei"], d["grade_zh"]) == (67.97, "一般") and d["restriction"]["confirmed"] is False
    out = _ok([*base, "--lang", "en"])
    assert "67.97" in out and "Good" in out
    res = runner.invoke(cli_app, [*base, "--restriction", "flood", "--lang", "en"])
    assert res.exit_code == 1 and "flood" in res.output and "incident_major" in res.output
    bad = list(base)
    bad[bad.index("--stress") + 1] = "120"
    res = runner.invoke(cli_app, [*bad, "--lang", "en"])
    assert res.exit_code == 1 and "stress" in res.output


def test_import_and_feed_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    with Ecoplan(db) as ep:
        ep.init()
    f = _csv(tmp_path / "ei.csv", GOOD + BAD[:1])
    out = _ok(["ecology", "ei-import", str(f), "--db", db, "--lang", "en"])
    assert "4 rows read: 4 new, 0 revised, 0 unchanged; 1 rejected" in out
    assert "row 6, field county (32060): code must be 6 digits" in out
    out = _ok(["ecology", "ei-import", str(f), "--db", db])
    assert "新增 0" in out and "未变 4" in out
    out = _ok(["ecology", "feed", "--db", db, "--lang", "en"])
    assert "cn-13th-eco 000000 2016: 64.74" in out
    rows = json.loads(_ok(["ecology", "counties", "--db", db, "--format", "json"]))
    assert len(rows) == 4
    methods = json.loads(_ok(["ecology", "methods"]))
    assert {m["code"]: m["loaded"] for m in methods} == {"hj192": True, "eqi": False}


def test_fault_before_commit_leaves_the_store_unchanged(ep: Ecoplan, tmp_path: Path) -> None:
    from ecoplan.ecology.storage import FAULT_POINTS
    from ecoplan.store import faults

    assert FAULT_POINTS == ("ecology.before_commit", "ecology.after_commit")
    f = _csv(tmp_path / "ei.csv", GOOD + BAD)
    with faults.armed("ecology.before_commit"), pytest.raises(faults.InjectedFault):
        ep.ecology.import_ei(f)
    assert ep.ecology.counties().empty and ep.ecology.rejects().empty and ep.ecology.state()[1] == 0
    _, res = ep.ecology.import_ei(f)
    assert res.rows_new == 4 and len(ep.ecology.rejects()) == 8


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_section(ep: Ecoplan, tmp_path: Path, lang: str) -> None:
    from ecoplan.ecology.report import section

    plan = ep.catalog.plan("cn-13th-eco")
    assert section(ep, plan, "000000", 2020, lang) is None
    ep.ecology.import_ei(_csv(tmp_path / "ei.csv", GOOD))
    s = section(ep, plan, "000000", 2016, lang)
    assert s is not None and s.rows == ((2016, 64.74, "良" if lang == "zh" else "Good", 2),)
    s = section(ep, plan, "000000", 2020, lang)
    assert s is not None and [r[0] for r in s.rows] == [2016, 2017]
    assert "HJ 192-2015" in s.note

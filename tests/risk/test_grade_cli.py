"""``ecoplan risk grade FILE`` through the CLI runner: the JSON contract, the tables in
both languages, a rules file, and bad files refused naming the file and the field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecoplan.cli import app as cli_app

runner = CliRunner()
_CJK = re.compile("[\u3400-\u9fff]")

# Case A of test_grade_hj941 (hand-computed there): air Q2-M3-E2 重大, water Q2-M2-E1 重大.
CASE_A = """\
name: 示例化工有限公司
substances:
  - {name: 液氯, cas: 7782-50-5, quantity_t: 20, threshold_t: 1, part: "1", air: true, water: false}
  - {name: 盐酸, cas: 7647-01-0, quantity_t: 100, fraction: 0.31, threshold_t: 2.5, air: true, water: true}
processes:
  - {name: 氯化工段, kind: listed, count: 2}
  - {name: 精馏, kind: other}
controls_failed:
  air: {toxic_gas_alarm: null}
  water: {interception: null}
events: {water: [general]}
surroundings:
  air: {population_5km: 30000, population_500m: 200}
  water: {receptors: [drinking_water_source]}
"""


@pytest.fixture
def case_a(tmp_path: Path) -> Path:
    p = tmp_path / "a.yaml"
    p.write_text(CASE_A, encoding="utf-8")
    return p


def test_json_contract(case_a: Path) -> None:
    res = runner.invoke(cli_app, ["risk", "grade", str(case_a), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["level"] == "major"
    assert {k: d["air"][k] for k in ("q", "m", "e", "level")} == {
        "q": 32.4,
        "m": 50.0,
        "e": "E2",
        "level": "major",
    }
    assert {k: d["water"][k] for k in ("q", "m", "e", "level")} == {
        "q": 12.4,
        "m": 43.0,
        "e": "E1",
        "level": "major",
    }
    assert d["notation"]["zh"] == "重大[重大-大气(Q2-M3-E2)+重大-水(Q2-M2-E1)]"
    assert [e["step"] for e in d["evidence"]][:4] == ["q.substance", "q.substance", "q.air", "q.water"]
    assert "matrices" in d["unconfirmed"]


def test_a_json_file_gives_the_same(case_a: Path, tmp_path: Path) -> None:
    import yaml

    j = tmp_path / "a.json"
    j.write_text(json.dumps(yaml.safe_load(CASE_A), ensure_ascii=False), encoding="utf-8")
    outs = [runner.invoke(cli_app, ["risk", "grade", str(p), "--format", "json"]).stdout for p in (case_a, j)]
    assert json.loads(outs[0]) == json.loads(outs[1])


def test_tables_in_both_languages(case_a: Path) -> None:
    zh = runner.invoke(cli_app, ["risk", "grade", str(case_a)])
    assert zh.exit_code == 0, zh.output
    assert "重大[重大-大气(Q2-M3-E2)+重大-水(Q2-M2-E1)]" in zh.stdout
    assert "液氯：20 吨 ÷ 临界量 1 吨 = 20（涉气）" in zh.stdout and "未核实" in zh.stdout
    en = runner.invoke(cli_app, ["risk", "grade", str(case_a), "--lang", "en"])
    assert en.exit_code == 0, en.output
    assert "major[major-air(Q2-M3-E2)+major-water(Q2-M2-E1)]" in en.stdout
    assert "unconfirmed" in en.stdout
    # on the English surface the only Chinese is what the file itself names
    assert set(_CJK.findall(en.stdout)) <= set("".join(_CJK.findall(CASE_A)))


def test_a_rules_file_changes_the_matrix(case_a: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "matrices:\n"
        "  E1: {Q1: [general, general, general, general], Q2: [general, general, general, general],"
        " Q3: [general, general, general, general]}\n"
        "  E2: {Q1: [general, general, general, general], Q2: [general, general, larger, larger],"
        " Q3: [general, general, general, general]}\n"
        "  E3: {Q1: [general, general, general, general], Q2: [general, general, general, general],"
        " Q3: [general, general, general, general]}\n",
        encoding="utf-8",
    )
    res = runner.invoke(cli_app, ["risk", "grade", str(case_a), "--rules", str(rules), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert (d["air"]["level"], d["water"]["level"], d["level"]) == ("larger", "general", "larger")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("quantity_t: 20,", "quantity_t: -3,", "substances[0].quantity_t"),
        ("fraction: 0.31,", "fraction: 1.5,", "substances[1].fraction"),
        ("kind: listed,", "kind: magic,", "magic"),
        ("{population_5km: 30000, population_500m: 200}", "{}", "population_5km"),
        # A substance neither in a table nor in HJ 169-2018 Table B.1 needs its threshold.
        ("液氯, cas: 7782-50-5, quantity_t: 20, threshold_t: 1,", "某物质, quantity_t: 20,", "threshold_t"),
    ],
)
def test_bad_files_are_refused_naming_the_field(tmp_path: Path, old: str, new: str, needle: str) -> None:
    assert old in CASE_A
    p = tmp_path / "bad.yaml"
    p.write_text(CASE_A.replace(old, new, 1), encoding="utf-8")
    res = runner.invoke(cli_app, ["risk", "grade", str(p), "--lang", "en"])
    assert res.exit_code == 1
    assert str(p) in res.stderr.replace("\n", "") and needle in res.stderr


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    res = runner.invoke(cli_app, ["risk", "grade", str(tmp_path / "none.yaml")])
    assert res.exit_code == 1 and "无法读取" in res.stderr
    p = tmp_path / "x.yaml"
    p.write_text("name: [unclosed\n", encoding="utf-8")
    res = runner.invoke(cli_app, ["risk", "grade", str(p), "--lang", "en"])
    assert res.exit_code == 1 and "not valid YAML or JSON" in res.stderr


def test_a_bad_grading_date_is_refused(case_a: Path) -> None:
    res = runner.invoke(cli_app, ["risk", "grade", str(case_a), "--graded-on", "2025-13-01", "--lang", "en"])
    assert res.exit_code == 1 and "--graded-on: 2025-13-01 is not a valid date" in res.stderr


def test_an_appendix_table_supplies_the_thresholds(tmp_path: Path) -> None:
    """The same enterprise without thresholds, graded with a transcribed table: the same
    levels, the thresholds shown as taken from the table (unconfirmed)."""
    no_thresholds = CASE_A.replace(', threshold_t: 1, part: "1"', "").replace(", threshold_t: 2.5", "")
    case = tmp_path / "a.yaml"
    case.write_text(no_thresholds, encoding="utf-8")
    res = runner.invoke(cli_app, ["risk", "grade", str(case), "--format", "json"])
    assert res.exit_code == 1 and "threshold_t" in res.stderr
    table = tmp_path / "appendix.csv"
    table.write_text(
        "cas,name,threshold_t,part,source\n7782-50-5,氯,1,1,p.12\n7647-01-0,氯化氢,2.5,1-2,p.13\n", "utf-8"
    )
    res = runner.invoke(cli_app, ["risk", "grade", str(case), "--appendix", str(table), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert (d["air"]["notation"], d["water"]["notation"], d["level"]) == ("Q2-M3-E2", "Q2-M2-E1", "major")
    assert [e["threshold_source"] for e in d["evidence"][:2]] == ["p.12", "p.13"]
    table.write_text("cas,name,threshold_t\n,x,abc\n", "utf-8")
    res = runner.invoke(cli_app, ["risk", "grade", str(case), "--appendix", str(table), "--lang", "en"])
    assert (
        res.exit_code == 1
        and "row 2: invalid threshold_t (abc)" in res.stderr
        and "appendix.csv" in res.stderr
    )


def test_hj169_table_b1_fills_a_missing_threshold(tmp_path: Path) -> None:
    """Without ``threshold_t`` 液氯 takes HJ 169-2018 Table B.1's 1 t (氯气, 7782-50-5):
    the same Q as case A, the threshold shown unconfirmed and cited; a rules file with
    ``hj169_fallback: false`` refuses the file instead."""
    p = tmp_path / "b1.yaml"
    p.write_text(CASE_A.replace("quantity_t: 20, threshold_t: 1,", "quantity_t: 20,", 1), encoding="utf-8")
    res = runner.invoke(cli_app, ["risk", "grade", str(p), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    first = d["evidence"][0]
    assert (first["threshold_t"], first["threshold_source"]) == (1.0, "HJ 169-2018 表B.1")
    assert first["confirmed"] is False
    assert d["air"]["q"] == pytest.approx(32.4) and d["level"] == "major"
    assert "threshold:液氯" in d["unconfirmed"]
    res = runner.invoke(cli_app, ["risk", "grade", str(p), "--lang", "en"])
    assert res.exit_code == 0 and "HJ 169-2018" in res.stdout
    rules = tmp_path / "r.yaml"
    rules.write_text("hj169_fallback: false\n", encoding="utf-8")
    res = runner.invoke(cli_app, ["risk", "grade", str(p), "--rules", str(rules)])
    assert res.exit_code == 1 and "threshold_t" in res.stderr

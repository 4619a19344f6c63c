"""``ecoplan water class``: the JSON/CSV contract (docs/json.md), files, errors, language."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from tests.conftest import SHARED, write_csv
from typer.testing import CliRunner

from ecoplan.cli import app
from ecoplan.core.words import word
from ecoplan.core.words.purity import foreign

runner = CliRunner()
CNEMC = SHARED / "data" / "water" / "cnemc_autostation_snapshots_2025-11_2026-02.csv"
HEAD = CNEMC.read_text(encoding="utf-8").splitlines()[0]
#: spec §7.1 W1: a river section with the 21 items (WT, TN, FC reported only)
W1 = [
    "--ph",
    "7.6",
    "--do",
    "5.8",
    "--codmn",
    "8.2",
    "--cod",
    "32",
    "--bod5",
    "5.1",
    "--nh3n",
    "1.85",
    "--tp",
    "0.36",
    "--cu",
    "0.005",
    "--zn",
    "0.04",
    "--f",
    "0.6",
    "--se",
    "0.0004",
    "--as",
    "0.002",
    "--hg",
    "0.00004",
    "--cd",
    "0.0005",
    "--cr6",
    "0.004",
    "--pb",
    "0.002",
    "--cn",
    "0.002",
    "--phenol",
    "0.001",
    "--oil",
    "0.03",
    "--las",
    "0.05",
    "--s",
    "0.01",
    "--tn",
    "4.1",
    "--fc",
    "5400",
]


def _json(*args: str) -> object:
    res = runner.invoke(app, ["water", "class", *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_contract_w1() -> None:
    d = _json(*W1)
    assert isinstance(d, dict)
    assert (d["class"], d["grade"], d["grade_en"]) == ("Ⅴ", "中度污染", "moderately polluted")
    mains = [(p["item"], p["class"], round(p["multiple"], 6)) for p in d["main_pollutants"]]
    assert mains == [("NH3N", "Ⅴ", 0.85), ("TP", "Ⅴ", 0.8), ("COD", "Ⅴ", 0.6)]
    assert d["items"]["DO"] == "Ⅲ" and d["items"]["CODMn"] == "Ⅳ" and d["items"]["BOD5"] == "Ⅳ"
    assert len(d["items"]) == 21 and "TN" not in d["items"] and "FC" not in d["items"]
    assert d["reference"] == {"FC": "Ⅲ"}  # a river's TN has no class
    assert (d["water_body"], d["rounding"], d["standard"]) == ("river", "none", "GB 3838—2002")
    assert "reason" not in d


def test_lake_and_river_w2() -> None:
    args = [
        "--ph",
        "8.3",
        "--do",
        "8.1",
        "--codmn",
        "4.5",
        "--cod",
        "16",
        "--bod5",
        "2.1",
        "--nh3n",
        "0.22",
        "--tp",
        "0.08",
        "--tn",
        "1.8",
    ]
    lake = _json(*args, "--type", "lake")
    assert isinstance(lake, dict) and lake["class"] == "Ⅳ" and lake["reference"] == {"TN": "Ⅴ"}
    assert [(p["item"], round(p["multiple"], 6)) for p in lake["main_pollutants"]] == [("TP", 0.6)]
    river = _json(*args)
    assert isinstance(river, dict) and river["class"] == "Ⅲ" and river["main_pollutants"] == []


def test_ph_and_do_have_no_multiple_w3() -> None:
    d = _json("--ph", "9.3", "--do", "2.5", "--codmn", "5.0", "--nh3n", "0.4", "--tp", "0.15")
    assert isinstance(d, dict) and d["class"] == "劣Ⅴ" and d["grade"] == "重度污染"
    assert d["main_pollutants"] == [{"item": "pH", "class": "劣Ⅴ", "multiple": None},
                                    {"item": "DO", "class": "Ⅴ", "multiple": None}]  # fmt: skip


def test_rounding_cnemc_r5_r6() -> None:
    """Spec §7.5 R5/R6: the raw values give another class than the printed ones."""
    r5 = ["--ph", "8.2", "--do", "8.71", "--codmn", "0.74", "--nh3n", "0.021", "--tp", "0.02047"]
    assert _json(*r5)["class"] == "Ⅱ"  # type: ignore[index]
    assert _json(*r5, "--rounding", "cnemc")["class"] == "Ⅰ"  # type: ignore[index]
    r6 = [
        "--ph",
        "9.011",
        "--do",
        "9.1",
        "--codmn",
        "4.0",
        "--nh3n",
        "0.02",
        "--tp",
        "0.018",
        "--type",
        "lake",
    ]
    assert _json(*r6)["class"] == "劣Ⅴ"  # type: ignore[index]
    d = _json(*r6, "--rounding", "cnemc")
    assert isinstance(d, dict) and d["class"] == "Ⅱ" and d["values"]["pH"] == 9.0


def test_no_item_gives_null_with_a_reason() -> None:
    d = _json("--tn", "1.2")
    assert isinstance(d, dict)
    assert d["class"] is None and d["grade"] is None and d["reason"] == "no_evaluated_item"
    assert d["items"] == {} and d["main_pollutants"] == []


@pytest.mark.parametrize(("args", "text"), [(["--tp", "-0.1"], "negative"), (["--ph", "15"], "pH")])
def test_bad_values_are_errors(args: list[str], text: str) -> None:
    res = runner.invoke(app, ["water", "class", *args, "--lang", "en"])
    assert res.exit_code == 1 and text in res.output


def test_csv_of_one_sample() -> None:
    res = runner.invoke(app, ["water", "class", "--nh3n", "2.87", "--ph", "7", "--format", "csv"])
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows == [{"pH": "7.0", "NH3N": "2.87", "class": "劣Ⅴ", "grade": "重度污染",
                     "main_pollutants": "NH3N(1.9)", "water_body": "river", "reason": ""}]  # fmt: skip


def _snapshot(tmp_path: Path) -> Path:
    lines = CNEMC.read_text(encoding="utf-8").splitlines()
    picked = [ln for ln in lines if ("兰山嘴" in ln or "孟定大桥" in ln) and "2025-11-18 16:00" in ln]
    return write_csv(tmp_path / "snap.csv", [HEAD, *picked])


def test_file_cnemc_json_and_csv(tmp_path: Path) -> None:
    path = _snapshot(tmp_path)
    d = _json(str(path), "--rounding", "cnemc")
    assert isinstance(d, list)
    got = {r["name"]: (r["class"], r["published_class"], r["water_body"]) for r in d}
    assert got == {"兰山嘴": ("Ⅴ", "Ⅴ", "lake"), "孟定大桥": ("Ⅰ", "Ⅰ", "river")}  # spec §7.5 R2, R5
    lan = next(r for r in d if r["name"] == "兰山嘴")
    assert [(p["item"], round(p["multiple"], 6)) for p in lan["main_pollutants"]] == [("TP", 1.16)]
    as_river = _json(str(path), "--type", "river", "--rounding", "cnemc")
    assert isinstance(as_river, list)
    assert {r["name"]: r["class"] for r in as_river} == {"兰山嘴": "Ⅲ", "孟定大桥": "Ⅰ"}
    res = runner.invoke(app, ["water", "class", str(path), "--rounding", "cnemc", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    got_rows = {r["station"]: (r["published_class"], r["class"], r["main_pollutants"]) for r in rows}
    assert got_rows == {"孟定大桥": ("Ⅰ", "Ⅰ", ""), "兰山嘴": ("Ⅴ", "Ⅴ", "TP(1.2)")}
    assert list(rows[0])[-5:] == ["class", "grade", "main_pollutants", "water_body", "reason"]


def test_file_long(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [
        "station,time,item,value,unit", "S1,2025-11,氨氮,1.6,mg/L", "S1,2025-11,总磷,250,µg/L",
        "S1,2025-12,DO,6.1,mg/L", "S2,2025-11,TN,1.1,mg/L", "S2,2025-11,DO,-3,mg/L",
    ])  # fmt: skip
    d = _json(str(path))
    assert isinstance(d, list)
    assert [(r["station"], r["time"][:7], r["class"]) for r in d] == [
        ("S1", "2025-11", "Ⅴ"), ("S1", "2025-12", "Ⅱ"), ("S2", "2025-11", None)
    ]  # fmt: skip
    res = runner.invoke(app, ["water", "class", str(path), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["item"], r["item_class"], r["class"]) for r in rows] == [
        ("氨氮", "Ⅴ", "Ⅴ"), ("总磷", "Ⅳ", "Ⅴ"), ("DO", "Ⅱ", "Ⅱ"), ("TN", "", ""), ("DO", "", "")
    ]  # fmt: skip
    assert rows[3]["reason"] == "no_evaluated_item"


def test_file_errors(tmp_path: Path) -> None:
    other = write_csv(tmp_path / "o.csv", ["a,b", "1,2"])
    res = runner.invoke(app, ["water", "class", str(other), "--lang", "en"])
    assert res.exit_code == 1 and "o.csv" in res.output and "neither" in res.output
    res = runner.invoke(app, ["water", "class", str(other), "--tp", "0.1", "--lang", "en"])
    assert res.exit_code == 1 and "not both" in res.output
    res = runner.invoke(app, ["water", "class", str(tmp_path / "none.csv")])
    assert res.exit_code == 1 and "none.csv" in res.output


#: "pH" is how Chinese writes pH (pH值); core's ALLOWED_LATIN lacks it.
ZH_ALLOWED = ["pH"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_is_in_the_language(tmp_path: Path, lang: str) -> None:
    res = runner.invoke(app, ["water", "class", *W1, "--type", "lake", "--lang", lang])
    assert res.exit_code == 0, res.output
    assert word("water.grade.severe", lang) in res.output and word("water.cli.item.nh3n", lang) in res.output
    assert foreign(res.output, lang, allowed=ZH_ALLOWED) == [], res.output
    worst = runner.invoke(app, ["water", "class", "--ph", "9.5", "--lang", lang])
    assert word("water.cli.class_label.6", lang) in worst.output
    assert foreign(worst.output, lang, allowed=ZH_ALLOWED) == [], worst.output
    none = runner.invoke(app, ["water", "class", "--lang", lang])
    assert foreign(none.output, lang) == [] and word("water.cli.no_class", lang) in none.output
    path = _snapshot(tmp_path)
    names = ["兰山嘴", "孟定大桥"]  # station names are quoted as written
    res = runner.invoke(app, ["water", "class", str(path), "--rounding", "cnemc", "--lang", lang])
    assert res.exit_code == 0, res.output
    assert foreign(res.output, lang, allowed=names) == [], res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_s_rejected_values_are_named_on_stderr(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rejected value of a long file: file, row, the column at fault and why."""
    f = tmp_path / "bad.csv"
    f.write_text(
        "station,time,item,value,unit,flag\n"
        "S1,2025-01-15,溶解氧,7.1,mg/L,\n"
        "S1,2025-01-15,氨氮,-0.2,mg/L,\n"
        "S1,2025-01-15,铜锣,1,mg/L,\n"
        "S1,2025-01-15,高锰酸盐指数,3,g/m3x,\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["water", "class", f.name, "--format", "json", "--lang", lang])
    assert res.exit_code == 0, res.stderr
    assert [r["items"] for r in json.loads(res.stdout)] == [
        {"DO": "Ⅱ"}
    ]  # 7.1 mg/L: Ⅱ (GB 3838 Table 1: Ⅰ ≥ 7.5, Ⅱ ≥ 6)
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("bad.csv")]
    if lang == "en":
        assert lines == [
            "bad.csv: row 3, column value: -0.2 (negative value)",
            "bad.csv: row 4, column item: 铜锣 (unknown item)",
            "bad.csv: row 5, column unit: 3 (unknown or unfitting unit)",
        ]
    else:
        assert lines[1] == "bad.csv：第 4 行，列 item：铜锣（未知监测项目）" and len(lines) == 3

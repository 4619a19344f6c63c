"""Every word the command line prints in ``--lang zh`` is Chinese and in ``--lang en``
English (``ecoplan.core.words.purity.foreign``), except names quoted from documents:
plan titles, target expressions (``15左右``, ``〔18〕``), document numbers, data sources,
region and task texts that have no English form. The statuses print the catalog's words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SHARED, write_csv
from typer.testing import CliRunner

from ecoplan.app import demo_values_path
from ecoplan.cli import app
from ecoplan.core.words import Words, word
from ecoplan.core.words.purity import foreign

runner = CliRunner()
DONGSI = SHARED / "data" / "beijing-multisite" / "PRSA_Data_Dongsi_20130301-20170228.csv.gz"
#: What assess/ (not the command line) writes into its warning reasons: "%/yr" on zh.
LEFT_TO_ASSESS = ("%/yr",)


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("lang") / "lang.duckdb")
    _run("init", "--demo", "--db", path)
    _run("air", "load", str(DONGSI), "--format", "beijing-multisite", "--db", path)
    events = write_csv(
        tmp_path_factory.mktemp("events") / "events.csv",
        [
            "region,start,end,kind,pollutants,approved,note",
            "110000,2016-04-15,2016-04-16,dust,,yes,",
            "110000,2016-02-08,,fireworks,PM2.5,no,",
        ],
    )
    _run("air", "events", "import", str(events), "--db", path)
    return path


@pytest.fixture(scope="module")
def quoted(db: str) -> list[str]:
    """Names quoted from documents: what an English surface may show in Chinese."""
    names: list[str] = [*LEFT_TO_ASSESS]
    for p in json.loads(_run("plans", "list", "--format", "json", "--db", db)):
        plan = json.loads(_run("plans", "show", p["id"], "--format", "json", "--db", db))
        names += [plan.get("document_number") or "", plan.get("title_zh") or ""]
        for ind in plan["indicators"]:
            names += [t.get("expr") or t.get("text") or "" for t in ind["targets"]]
            names += [ind["name_en"] or ind["name_zh"], ind["name_zh"]]
    for r in json.loads(_run("values", "list", "--format", "json", "--db", db)):
        src = r["source"] or ""
        if not src.startswith("pipeline ") and src != "store":  # ecoplan's own: shown in words
            names.append(src)
    for t in json.loads(_run("tasks", "list", "--format", "json", "--db", db)):
        names.append(t["text_zh"] if not t["text_en"] else "")
    a = json.loads(_run("assess", "hebei-14th-eco", "--format", "json", "--db", db))
    names += [i["target"]["expr"] for i in a["indicators"] if i["target"]]
    for r in json.loads(_run("regions", "list", "--format", "json", "--db", db)):
        if not r["name_en"]:
            names.append(r["name_zh"])
    return [n for n in names if len(n) > 1]


COMMANDS: list[tuple[str, ...]] = [
    ("plans", "list"),
    ("plans", "show", "cn-13th-eco"),
    ("plans", "show", "hebei-14th-eco"),
    ("assess", "cn-13th-eco", "--year", "2018"),
    ("assess", "hebei-14th-eco"),
    ("values", "list"),
    ("regions", "list", "--parent", "130000"),
    ("warnings", "--limit", "0"),
    ("targets", "list"),
    ("tasks", "list"),
    ("air", "evaluate", "--region", "110000", "--year", "2015"),
    ("air", "status"),
    ("air", "rank", "--year", "2015"),
    ("air", "rank", "--year", "2015", "--month", "3"),
    ("air", "daily", "--region", "110000", "--from", "2015-01-01", "--to", "2015-01-10"),
    ("air", "hourly", "--region", "110000", "--from", "2015-01-01T00:00", "--to", "2015-01-01T06:00"),
    ("air", "hourly", "--region", "110000", "--from", "2015-01-01", "--to", "2015-01-01", "--city"),
    ("air", "events", "list"),
    ("air", "rejects"),
    ("air", "feed", "--region", "110000", "--year", "2016", "--year", "2017"),  # 2017 skipped: says why
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3] if a[1] == "events" else a[:2]))
def test_output_is_in_the_language(db: str, quoted: list[str], args: tuple[str, ...], lang: str) -> None:
    out = _run(*args, "--lang", lang, "--db", db)
    assert _foreign(out, lang, quoted) == [], out


def _foreign(out: str, lang: str, quoted: list[str]) -> list[str]:
    """The fragments of another language in ``out`` that no quoted name holds (a table
    may cut a long name short: its fragments still come from the name)."""
    return [f for f in foreign(out, lang, allowed=quoted) if not any(f in q for q in quoted)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_air_load_and_rejects_are_in_the_language(tmp_path: Path, lang: str) -> None:
    """``air load`` with rejected values, a CO unit warning and pollutants not in the
    input, then ``air rejects``: the reasons and symbols in the language, never codes."""
    db = str(tmp_path / "load.duckdb")
    _run("init", "--db", db)
    st = write_csv(tmp_path / "st.csv", ["code,name,region", "S1,Station 1,440700"])
    rows = ["station,time,pm25,co[ug/m3]"]
    rows += [f"S1,2018-01-01 {h:02d}:00,{-h - 1 if h % 2 else 'x'},0.{h + 1}" for h in range(8)]
    rows.append("S9,2018-01-02 00:00,35,0.7")
    obs = write_csv(tmp_path / "obs.csv", rows)
    out = _run(
        "air", "load", str(obs), "--format", "wide-csv", "--stations", str(st), "--lang", lang, "--db", db
    )
    assert word("reason.reject.unknown_station", lang) in out and word("label.warning", lang) in out
    files = [str(obs), str(st), str(tmp_path), "co[ug/m3]"]  # paths and columns are quoted, not words
    assert _foreign(out, lang, files) == [], out
    out = _run("air", "rejects", "--lang", lang, "--db", db)
    assert word("reason.reject.negative", lang) in out and word("reason.reject.unparseable", lang) in out
    assert not any(code in out for code in ("unknown_station", "unparseable", "pm25"))  # words, not codes
    assert _foreign(out, lang, files) == [], out
    again = _run("air", "load", str(DONGSI), "--format", "beijing-multisite", "--lang", lang, "--db", db)
    assert _foreign(again, lang, files) == [], again


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["--daily", "--hourly"])
def test_aqi_is_in_the_language(lang: str, mode: str) -> None:
    out = _run(
        "aqi", mode, "--pm25", "80", "--pm10", "45", "--pm25-24h", "80", "--so2", "8", "--no2", "30",
        "--co", "0.8", "--o3-8h", "70", "--o3-1h", "90", "--edition", "2012", "--lang", lang,
    )  # fmt: skip
    assert foreign(out, lang) == [], out


def _status_cells(out: str) -> list[str]:
    return [
        c.strip() for line in out.splitlines() if line.startswith("│") for c in line.strip("│").split("│")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_statuses_are_the_catalogs_words(db: str, lang: str) -> None:
    data: dict[str, Any] = json.loads(
        _run("assess", "cn-13th-eco", "--year", "2018", "--format", "json", "--db", db)
    )
    codes = {i["status"] for i in data["indicators"]}
    assert {"achieved", "on_track", "insufficient_data"} <= codes
    out = _run("assess", "cn-13th-eco", "--year", "2018", "--lang", lang, "--db", db)
    cells = _status_cells(out)
    for code in codes:
        assert word(f"status.{code}", lang) in cells, (code, out)
    if lang == "zh":  # the old CLI words (assess/evaluate.py STATUS_ZH) are gone
        assert "已达标" not in out and "滞后" not in out


def test_json_keeps_codes(db: str) -> None:
    data = json.loads(
        _run("assess", "cn-13th-eco", "--year", "2018", "--format", "json", "--lang", "en", "--db", db)
    )
    assert {i["status"] for i in data["indicators"]} <= {
        "achieved", "on_track", "at_risk", "off_track", "insufficient_data", "not_assessable"
    }  # fmt: skip


def test_error_word_follows_the_language(db: str, tmp_path: Path) -> None:
    zh = runner.invoke(app, ["plans", "show", "nope", "--db", db])
    en = runner.invoke(app, ["plans", "show", "nope", "--lang", "en", "--db", db])
    assert zh.exit_code == en.exit_code == 1
    assert zh.output.startswith(word("cli.error", "zh")) and en.output.startswith("error:")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_writing_commands_are_in_the_language(quoted: list[str], tmp_path: Path, lang: str) -> None:
    """init, plans export|import, values import, targets import|remove, tasks update, report:
    each says what it did in the command's language; the file names are the user's."""
    db = str(tmp_path / "w.duckdb")

    def run(*args: str) -> str:
        return _run(*args, "--db", db, "--lang", lang)

    yaml_file, xlsx_file, report_file = tmp_path / "j.yaml", tmp_path / "j.xlsx", tmp_path / "r.html"
    values = tmp_path / "v.csv"
    values.write_text(
        "plan,indicator,region,year,value,unit,source,note\n"
        "cn-13th-eco,air-good-days,000000,2019,82.5,%,src,\n",  # revises a demo value
        encoding="utf-8",
    )
    targets = tmp_path / "t.csv"
    targets.write_text(
        "plan,indicator,region,year,target,source\ncn-13th-eco,air-good-days,110000,2020,30,src\n",
        encoding="utf-8",
    )
    said = {"init": run("init", "--demo")}
    task = json.loads(_run("tasks", "list", "--plan", "jiangmen-13th-eco", "--format", "json", "--db", db))[0]
    said |= {
        "init again": run("init", "--demo"),
        "plans export yaml": run("plans", "export", "jiangmen-13th-eco", str(yaml_file)),
        "plans export xlsx": run("plans", "export", "jiangmen-13th-eco", str(xlsx_file)),
        "plans import": run("plans", "import", str(yaml_file)),
        "values import": run("values", "import", str(values)),
        "targets import": run("targets", "import", str(targets)),
        "targets remove": run("targets", "remove", str(targets)),
        "tasks update": run("tasks", "update", "jiangmen-13th-eco", task["id"], "--status", "in_progress"),
        "report": run("report", "cn-13th-eco", "-o", str(report_file)),
    }
    allowed = [*quoted, db, str(yaml_file), str(xlsx_file), str(report_file), values.name, targets.name]
    for what, out in said.items():
        assert out.strip(), what
        assert _foreign(out, lang, allowed) == [], (what, out)
    w = Words(lang)
    n_demo = len([line for line in demo_values_path().read_text("utf-8").splitlines()[1:] if line.strip()])
    assert w("cli.init.demo", new=n_demo, kept=0) in said["init"]
    assert w("cli.init.demo", new=0, kept=n_demo) in said["init again"]
    assert w("cli.plans.unchanged") in said["plans import"]
    assert w("cli.values.imported", file=values, new=0, revised=1, unchanged=0) in said["values import"]
    assert (
        w("cli.targets.imported", file=targets.name, new=1, revised=0, unchanged=0) in said["targets import"]
    )
    assert w("cli.targets.removed", file=targets.name, count=1) in said["targets remove"]
    assert w("cli.task_status.in_progress") in said["tasks update"]
    # plans, tasks and regions are named, not only by their ids
    plan = json.loads(_run("plans", "show", "jiangmen-13th-eco", "--format", "json", "--db", db))
    title = plan["title_en"] if lang == "en" else plan["title"]
    for what in ("plans import", "plans export yaml", "tasks update"):
        assert title in said[what], (what, said[what])
    text = task["text_en"] if lang == "en" and task["text_en"] else task["text_zh"]
    assert text in said["tasks update"]
    china = json.loads(_run("regions", "list", "--level", "national", "--format", "json", "--db", db))[0]
    assert china[f"name_{lang}"] in said["report"]


USAGE_ERRORS: list[tuple[str, ...]] = [
    ("tasks", "update", "jiangmen-13th-eco", "t1", "--status", "finished"),
    ("report", "cn-13th-eco", "-o", "r.doc", "--format", "doc"),
    ("warnings", "--level", "purple"),
    ("rank", "cn-13th-eco", "--year", "2020", "--level", "town"),
    ("plans", "export", "cn-13th-eco", "plan.txt"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a[:2]))
def test_usage_errors_are_in_the_language(db: str, args: tuple[str, ...], lang: str) -> None:
    res = runner.invoke(app, [*args, "--lang", lang, "--db", db])
    assert res.exit_code == 1, res.output
    assert res.output.startswith(word("cli.error", lang)), res.output
    # the user's value is quoted as given; every other word is the language's
    assert _foreign(res.output, lang, [args[-1], "r.doc"]) == [], res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plans_extract_says_what_it_found_in_the_language(tmp_path: Path, lang: str) -> None:
    from ecoplan.plans.extract import extract_plan

    doc = SHARED / "seeds" / "003_ced3bd6005114f5c.txt"
    out_file = tmp_path / "p.yaml"
    said = _run("plans", "extract", str(doc), "--out", str(out_file), "--lang", lang)
    # the extractor's own warnings are not the command line's words
    warnings = extract_plan(doc).warnings
    assert _foreign(said, lang, [str(doc), *warnings]) == [], said
    header = out_file.read_text("utf-8").splitlines()[:2]
    assert _foreign("\n".join(header), lang, [doc.name]) == [], header

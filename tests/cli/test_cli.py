"""The ecoplan command line end to end on a real DuckDB file (Typer's runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import write_csv
from typer.testing import CliRunner

from ecoplan.cli import app
from ecoplan.core.words import word

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.duckdb")
    res = runner.invoke(app, ["init", "--demo", "--db", path])
    assert res.exit_code == 0, res.output
    assert word("cli.init.demo", "zh", new=len(demo_rows()), kept=0) in res.output
    return path


def test_plans_show_json_contract(db: str) -> None:
    res = runner.invoke(app, ["plans", "show", "cn-13th-eco", "--format", "json", "--db", db])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert {"id", "title", "period", "indicators"} <= set(d)
    assert d["period"] == {"start": 2016, "end": 2020}
    assert len(d["indicators"]) == 26
    gw = next(i for i in d["indicators"] if i["id"] == "groundwater-very-poor")
    assert gw["baseline"] == {"year": 2013, "value": 15.7}
    pm = next(i for i in d["indicators"] if i["id"] == "air-pm25-decline")
    assert pm["cumulative"] is True and pm["targets"][0]["kind"] == "cumulative"
    assert pm["targets"][0]["value"] == 18
    for ind in d["indicators"]:
        assert {
            "id",
            "name_zh",
            "name_en",
            "unit",
            "attribute",
            "direction",
            "baseline",
            "targets",
            "cumulative",
            "source",
        } <= set(ind)
        assert ind["source"]["file"] and ind["source"]["quote"]


def test_assess_json_final_and_midterm(db: str) -> None:
    res = runner.invoke(
        app, ["assess", "cn-13th-eco", "--region", "000000", "--year", "2020", "--format", "json", "--db", db]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert (d["plan"], d["region"], d["year"], d["as_of"]) == ("cn-13th-eco", "000000", 2020, None)
    statuses = {"achieved", "on_track", "at_risk", "off_track", "insufficient_data", "not_assessable"}
    for ind in d["indicators"]:
        assert ind["status"] in statuses and ind["verdict"] in {"met", "not_met", "pending"}
        assert {"id", "value", "baseline", "target", "reason"} <= set(ind)
    good = next(i for i in d["indicators"] if i["id"] == "air-good-days")
    assert (good["value"], good["verdict"]) == (87.0, "met")
    assert d["summary"]["binding_total"] == 12 and d["summary"]["binding_met"] >= 10
    mid = json.loads(
        runner.invoke(app, ["assess", "cn-13th-eco", "--year", "2018", "--format", "json", "--db", db]).output
    )
    good18 = next(i for i in mid["indicators"] if i["id"] == "air-good-days")
    assert good18["status"] == "on_track" and good18["verdict"] == "pending"
    assert good18["expected"] == pytest.approx(78.68)


def test_as_of_reproduces_pre_revision(db: str, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "rev.csv",
        [
            "plan,indicator,region,year,value,unit,source,note",
            "cn-13th-eco,air-good-days,000000,2020,79.0,%,hypothetical revision,",
        ],
    )
    res = runner.invoke(app, ["values", "import", str(f), "--db", db, "--recorded-at", "2022-01-10"])
    assert res.exit_code == 0 and revised_one(f) in res.output
    args = ["assess", "cn-13th-eco", "--year", "2020", "--format", "json", "--db", db]
    now = json.loads(runner.invoke(app, args).output)
    before = json.loads(runner.invoke(app, [*args, "--as-of", "2021-12-31"]).output)
    get = lambda d: next(i for i in d["indicators"] if i["id"] == "air-good-days")  # noqa: E731
    assert (get(now)["value"], get(now)["verdict"]) == (79.0, "not_met")
    assert (get(before)["value"], get(before)["verdict"]) == (87.0, "met")
    assert before["as_of"] == "2021-12-31"


def test_assess_table_csv_xlsx(db: str, tmp_path: Path) -> None:
    table = runner.invoke(app, ["assess", "cn-13th-eco", "--db", db])
    assert table.exit_code == 0 and "约束性指标完成" in table.output
    en = runner.invoke(app, ["assess", "cn-13th-eco", "--db", db, "--lang", "en"])
    assert "binding met" in en.output
    csv_out = runner.invoke(app, ["assess", "cn-13th-eco", "--format", "csv", "--db", db])
    assert csv_out.output.splitlines()[0].startswith("id,")
    xlsx = tmp_path / "a.xlsx"
    assert (
        runner.invoke(
            app, ["assess", "cn-13th-eco", "--format", "xlsx", "-o", str(xlsx), "--db", db]
        ).exit_code
        == 0
    )
    assert xlsx.stat().st_size > 0


def test_bad_values_file_exits_nonzero_and_names_rows(db: str, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "bad.csv", ["plan,indicator,region,year,value", "cn-13th-eco,air-good-days,000000,2016,-3"]
    )
    res = runner.invoke(app, ["values", "import", str(f), "--db", db])
    assert res.exit_code == 1
    assert "bad.csv" in res.output and "row 2" in res.output


def test_unknown_plan_and_region(db: str) -> None:
    res = runner.invoke(app, ["assess", "nope", "--db", db])
    assert res.exit_code == 1 and "unknown plan" in res.output
    res = runner.invoke(app, ["assess", "cn-13th-eco", "--region", "999999", "--db", db])
    assert res.exit_code == 1 and "unknown region" in res.output


def test_plan_yaml_and_excel_round_trip(db: str, tmp_path: Path) -> None:
    from ecoplan.app import Ecoplan

    with Ecoplan(db) as ep:
        original = ep.catalog.plan("jiangmen-13th-eco")
    yaml_file = tmp_path / "j.yaml"
    assert (
        runner.invoke(app, ["plans", "export", "jiangmen-13th-eco", str(yaml_file), "--db", db]).exit_code
        == 0
    )
    res = runner.invoke(app, ["plans", "import", str(yaml_file), "--db", db])
    assert res.exit_code == 0 and word("cli.plans.unchanged", "zh") in res.output
    # The Excel template carries indicators and targets (not tasks or footnotes):
    # importing it over the stored plan needs --replace, and keeps every target.
    xlsx = tmp_path / "j.xlsx"
    assert runner.invoke(app, ["plans", "export", "jiangmen-13th-eco", str(xlsx), "--db", db]).exit_code == 0
    refused = runner.invoke(app, ["plans", "import", str(xlsx), "--db", db])
    assert refused.exit_code == 1 and "--replace" in refused.output
    res = runner.invoke(app, ["plans", "import", str(xlsx), "--replace", "--db", db])
    assert res.exit_code == 0, res.output
    with Ecoplan(db) as ep:
        back = ep.catalog.plan("jiangmen-13th-eco")
    assert [(i.id, i.baseline, i.targets, i.attribute) for i in back.indicators] == [
        (i.id, i.baseline, i.targets, i.attribute) for i in original.indicators
    ]


def test_bad_plan_yaml_names_field(db: str, tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text(
        "id: my-plan\ntitle: 测试\nlevel: city\nregion: '440700'\nperiod: {start: 2021, end: 2025}\n"
        "base_year: 2020\nindicators:\n  - {id: a, name: 甲, unit: '%', direction: higher,"
        " attribute: binding, baseline: {year: 2026, value: 150}, targets: [{year: 2025, expr: '大约80'}]}\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["plans", "import", str(f), "--db", db])
    assert res.exit_code == 1
    assert "indicators[0].targets[0].expr" in res.output and "大约80" in res.output
    assert "percentage" in res.output and "baseline" in res.output
    listed = runner.invoke(app, ["plans", "list", "--format", "json", "--db", db])
    assert "my-plan" not in listed.output


def test_tasks_and_regions_and_rank(db: str) -> None:
    res = runner.invoke(app, ["tasks", "list", "--plan", "jiangmen-13th-eco", "--format", "json", "--db", db])
    tasks = json.loads(res.output)
    assert tasks
    upd = runner.invoke(
        app,
        [
            "tasks",
            "update",
            "jiangmen-13th-eco",
            tasks[0]["id"],
            "--status",
            "done",
            "--evidence",
            "年报",
            "--db",
            db,
        ],
    )
    assert upd.exit_code == 0
    bad = runner.invoke(
        app, ["tasks", "update", "jiangmen-13th-eco", tasks[0]["id"], "--status", "finished", "--db", db]
    )
    assert bad.exit_code == 1
    regions = json.loads(
        runner.invoke(app, ["regions", "list", "--level", "province", "--format", "json", "--db", db]).output
    )
    assert len(regions) == 31
    ranked = json.loads(
        runner.invoke(app, ["rank", "cn-13th-eco", "--year", "2020", "--format", "json", "--db", db]).output
    )
    assert ranked == []  # only national values: the nation is never ranked with regions


def test_init_demo_runs_again_and_never_revises_stored_values(db: str, tmp_path: Path) -> None:
    """`make run` twice, or after a user's import: the demo values fill only empty keys."""
    n_demo = len(demo_rows())
    again = runner.invoke(app, ["init", "--demo", "--db", db])
    assert again.exit_code == 0, again.output
    assert word("cli.init.demo", "zh", new=0, kept=n_demo) in again.output
    # a user revises a demo value (recorded now, later than the demo's 2021-06-30) ...
    f = write_csv(
        tmp_path / "rev.csv",
        [
            "plan,indicator,region,year,value,unit,source,note",
            "cn-13th-eco,air-good-days,000000,2020,79.0,%,user revision,",
        ],
    )
    res = runner.invoke(app, ["values", "import", str(f), "--db", db])
    assert res.exit_code == 0 and revised_one(f) in res.output
    # ... and deletes nothing; init --demo again neither fails nor undoes the revision
    third = runner.invoke(app, ["init", "--demo", "--db", db])
    assert third.exit_code == 0, third.output
    assert word("cli.init.demo", "zh", new=0, kept=n_demo) in third.output
    rows = json.loads(
        runner.invoke(
            app,
            ["values", "list", "--indicator", "air-good-days", "--history", "--format", "json", "--db", db],
        ).output
    )
    y2020 = [r for r in rows if r["year"] == 2020 and r["region"] == "000000"]
    assert [(r["revision"], r["value"]) for r in y2020] == [(1, 87.0), (2, 79.0)]


def test_init_demo_fills_only_keys_without_values(tmp_path: Path) -> None:
    """A user's value imported before the demo is kept; the other demo values are added."""
    db = str(tmp_path / "first.duckdb")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    f = write_csv(
        tmp_path / "mine.csv",
        [
            "plan,indicator,region,year,value,unit,source,note",
            "cn-13th-eco,air-good-days,000000,2020,86.0,%,my figure,",
        ],
    )
    assert runner.invoke(app, ["values", "import", str(f), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["init", "--demo", "--db", db])
    assert res.exit_code == 0, res.output
    n_demo = len(demo_rows())
    assert word("cli.init.demo", "zh", new=n_demo - 1, kept=1) in res.output
    rows = json.loads(
        runner.invoke(
            app, ["values", "list", "--indicator", "air-good-days", "--format", "json", "--db", db]
        ).output
    )
    mine = next(r for r in rows if r["year"] == 2020 and r["region"] == "000000")
    assert (mine["value"], mine["revision"], mine["source"]) == (86.0, 1, "my figure")


def revised_one(f: Path) -> str:
    """What ``values import`` says of a file that revised one stored value (zh, the default)."""
    return word("cli.values.imported", "zh", file=f, new=0, revised=1, unchanged=0)


def demo_rows() -> list[str]:
    from ecoplan.app import demo_values_path

    lines = demo_values_path().read_text(encoding="utf-8").splitlines()[1:]
    return [line for line in lines if line.strip()]


def test_values_import_refuses_fractional_years_and_short_region_codes(db: str, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "coerce.csv",
        [
            "plan,indicator,region,year,value,unit",
            "cn-13th-eco,air-good-days,110000,2018.5,79.3,%",
            "cn-13th-eco,air-good-days,11,2018,79.3,%",
            "cn-13th-eco,air-good-days,110000,2019.0,82.0,%",
        ],
    )
    res = runner.invoke(app, ["values", "import", str(f), "--db", db])
    assert res.exit_code == 1
    assert "coerce.csv, row 2, field 'year' ('2018.5'): not a whole year" in res.output
    assert "coerce.csv, row 3, field 'region' ('11')" in res.output
    assert "did you mean 110000 北京市?" in res.output
    listed = runner.invoke(app, ["values", "list", "--region", "110000", "--format", "json", "--db", db])
    assert json.loads(listed.output) == []  # nothing was imported, not even the good row

"""``ecoplan waste catalogue``: the contract's JSON and CSV, editions by date, added tables,
worded errors in both languages."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ecoplan.domains import domains
from ecoplan.waste.catalogue import ENV_FOLDER
from ecoplan.waste.commands.catalogue import register

domains()  # the waste domain's words
runner = CliRunner()
_CJK = re.compile("[\u3400-\u9fff]")
KEYS = ["code", "category", "industry", "description", "hazard"]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """A group holding only this command, as ``ecoplan waste`` holds it."""
    monkeypatch.delenv(ENV_FOLDER, raising=False)
    group = typer.Typer()
    register(group)

    @group.command("other")
    def other() -> None:  # a second command keeps `catalogue` a sub-command
        """Nothing."""

    return group


def test_json_every_code_of_2021(app: typer.Typer) -> None:
    res = runner.invoke(app, ["catalogue", "--edition", "2021", "--format", "json", "--lang", "en"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 467
    assert all(list(r) == KEYS for r in rows)
    by = {r["code"]: r for r in rows}
    assert by["900-249-08"] == {
        "code": "900-249-08",
        "category": "HW08",
        "industry": "非特定行业",
        "description": "其他生产、销售、使用过程中产生的废矿物油及沾染矿物油的废弃包装物",
        "hazard": "T,I",
    }
    assert rows[0]["code"] == "841-001-01" and rows[-1]["code"] == "900-049-50"
    assert "2021 edition: 467 codes in 46 categories" in res.stderr


def test_csv_by_date(app: typer.Typer) -> None:
    res = runner.invoke(app, ["catalogue", "--date", "2024-12-31", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 467 and list(rows[0]) == KEYS
    assert {r["category"] for r in rows} >= {"HW01", "HW50"}
    assert next(r for r in rows if r["code"] == "841-004-01")["hazard"] == "T/C/I/R"
    assert "2021年版名录：467种危险废物，46类" in res.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_date_in_2025_says_the_edition_is_not_loaded(app: typer.Typer, lang: str) -> None:
    res = runner.invoke(app, ["catalogue", "--date", "2025-03-01", "--lang", lang])
    assert res.exit_code == 1
    assert res.stdout == ""
    if lang == "zh":
        assert (
            "2025年版名录（生态环境部等五部门令第36号，自2025-01-01起施行）" in res.stderr
            and "未载入" in res.stderr
        )
        assert "`--catalogue`" in res.stderr
    else:
        assert "the 2025 edition (Order No. 36" in res.stderr and "not loaded" in res.stderr
        assert not _CJK.search(res.stderr)


def test_an_added_table_for_2025(app: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "my-2025.csv"
    f.write_text(
        "code,category,category_name,industry,description,hazard\n"
        '900-249-08,HW08,废矿物油与含矿物油废物,非特定行业,其他废矿物油,"T,I"\n',
        encoding="utf-8",
    )
    res = runner.invoke(app, ["catalogue", "--date", "2025-03-01", "--catalogue", str(f), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == [
        {
            "code": "900-249-08",
            "category": "HW08",
            "industry": "非特定行业",
            "description": "其他废矿物油",
            "hazard": "T,I",
        }
    ]
    res = runner.invoke(app, ["catalogue", "--edition", "2025", "--catalogue", str(f), "--editions"])
    eds = {e["edition"]: e for e in json.loads(res.stdout)}
    assert eds["2025"]["loaded"] and eds["2025"]["source"] == "my-2025.csv" and eds["2025"]["codes"] == 1
    assert eds["2021"]["codes"] == 467 and not eds["2016"]["loaded"]


def test_a_bad_table_names_row_and_field(app: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("code,category,description,hazard\n900-249-08,HW09,x,T\n", encoding="utf-8")
    res = runner.invoke(app, ["catalogue", "--edition", "2025", "--catalogue", str(f), "--lang", "en"])
    assert res.exit_code == 1
    assert "bad.csv: 1 problem(s); the table was not used" in res.stderr
    assert "bad.csv, row 2, field `category` (HW09): the category does not match" in res.stderr
    res = runner.invoke(app, ["catalogue", "--edition", "2025", "--catalogue", str(f)])
    assert "bad.csv，第2行，字段 `category`（HW09）：废物类别与代码末两位不符" in res.stderr


@pytest.mark.parametrize(
    ("args", "en"),
    [
        (["--date", "2025-13-01"], "date '2025-13-01' is not valid"),
        (["--edition", "2019"], "no 2019 edition of the catalogue; known editions: 2008, 2016, 2021, 2025"),
        (
            ["--edition", "2021", "--date", "2025-01-01"],
            "in force from 2021-01-01 to 2024-12-31, not on 2025-01-01",
        ),
        (["--date", "2008-01-01"], "before the earliest known edition"),
    ],
)
def test_worded_errors(app: typer.Typer, args: list[str], en: str) -> None:
    res = runner.invoke(app, ["catalogue", *args, "--lang", "en"])
    assert res.exit_code == 1 and en in res.stderr
    res = runner.invoke(app, ["catalogue", *args])
    assert res.exit_code == 1 and _CJK.search(res.stderr)


def test_through_ecoplan_waste() -> None:
    """The command as ``ecoplan waste catalogue`` (waste-core's group registers it)."""
    from ecoplan.cli import app as cli_app

    res = runner.invoke(cli_app, ["waste", "catalogue", "--edition", "2021", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("\n") == 468

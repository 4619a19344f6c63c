"""User text that looks like Rich markup ("[/]", "[red]x") prints as written.

The CLI prints through Rich with markup on; before the fix an error naming a file
"bad[/].csv" crashed with a MarkupError traceback, and "[red]x" lost its brackets.
"""

from __future__ import annotations

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
    assert runner.invoke(app, ["init", "--db", path]).exit_code == 0
    return path


def _error_text(output: str) -> str:
    """The error message: its "错误：" line (zh, the default) and the problem lines under it."""
    lines = output.splitlines()
    first = [i for i, line in enumerate(lines) if line.startswith(word("cli.error", "zh"))]
    assert len(first) == 1, output
    return "\n".join(lines[first[0] :])


def test_values_file_name_and_content_with_markup_print_literally(db: str, tmp_path: Path) -> None:
    # "/" cannot be in a file name, so the "[/]" spans a folder "bad[" and a file "]x[red]y.csv".
    (tmp_path / "bad[").mkdir()
    f = write_csv(
        tmp_path / "bad[" / "]x[red]y.csv",
        ["plan,indicator,region,year,value", "cn-13th-eco,air-good-days,[red]x,2016,[/]"],
    )
    res = runner.invoke(app, ["values", "import", str(f), "--db", db])
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output and "MarkupError" not in res.output
    line = _error_text(res.output)
    assert "bad[/]x[red]y.csv" in line
    assert "[red]x" in line


def test_plan_file_with_markup_in_name_and_target_prints_literally(db: str, tmp_path: Path) -> None:
    (tmp_path / "plan[").mkdir()
    f = tmp_path / "plan[" / "]x[red]y.yaml"
    f.write_text(
        "id: my-plan\ntitle: 测试\nlevel: city\nregion: '440700'\nperiod: {start: 2021, end: 2025}\n"
        "base_year: 2020\nindicators:\n  - {id: a, name: 甲, unit: '%', direction: higher,"
        " attribute: binding, baseline: {year: 2020, value: 50}, targets: [{year: 2025, expr: '[red]x'}]}\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["plans", "import", str(f), "--db", db])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and "MarkupError" not in res.output
    line = _error_text(res.output)
    assert "plan[/]x[red]y.yaml" in line
    assert "[red]x" in line
    listed = runner.invoke(app, ["plans", "list", "--format", "json", "--db", db])
    assert "my-plan" not in listed.output


def test_plan_title_and_indicator_name_with_markup_show_literally(db: str, tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text(
        "id: my-plan\ntitle: '标题[/]尾'\nlevel: city\nregion: '440700'\nperiod: {start: 2021, end: 2025}\n"
        "base_year: 2020\nindicators:\n  - {id: a, name: '[red]x', category: 质量, unit: '%',"
        " direction: higher, attribute: binding, baseline: {year: 2020, value: 50},"
        " targets: [{year: 2025, expr: '≥60'}]}\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["plans", "import", str(f), "--db", db])
    assert res.exit_code == 0, res.output
    shown = runner.invoke(app, ["plans", "show", "my-plan", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "标题[/]尾" in shown.output
    assert "[red]x" in shown.output
    listed = runner.invoke(app, ["plans", "list", "--db", db])
    assert listed.exit_code == 0 and "标题[/]尾" in listed.output
    values = write_csv(tmp_path / "v.csv", ["plan,indicator,region,year,value", "my-plan,a,440700,2025,61"])
    assert runner.invoke(app, ["values", "import", str(values), "--db", db]).exit_code == 0
    assessed = runner.invoke(app, ["assess", "my-plan", "--db", db])
    assert assessed.exit_code == 0, assessed.output
    assert "标题[/]尾" in assessed.output and "[red]x" in assessed.output

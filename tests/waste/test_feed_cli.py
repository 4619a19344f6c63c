"""``ecoplan waste feed`` (``src/ecoplan/waste/commands/feed.py``) on a real DuckDB file:
the Henan data set of ``test_feed.py`` fed from the command line, in both languages and
as JSON, twice (the second run writes nothing), then ``ecoplan assess`` shows the value.

Skipped while the command module is not registered in ``ecoplan waste``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.waste.test_feed import FED, FILES, IND, PLAN
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.words.purity import foreign
from ecoplan.waste.feed import SOURCE

pytest.importorskip("ecoplan.waste.commands.feed")

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("waste-feed-cli")
    path = folder / "cli.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
        for kind, rows in FILES.items():
            f = folder / f"{kind}.csv"
            f.write_text("\n".join(rows) + "\n", encoding="utf-8")
            ep.waste.import_file(kind, f)
    return path


@pytest.fixture
def fresh(db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    return str(copy)


def _run(*args: str) -> str:
    res = runner.invoke(cli_app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def test_feed_command_writes_once_and_assess_shows_it(fresh: str) -> None:
    out = json.loads(_run("waste", "feed", "--format", "json", "--db", fresh))
    assert {(r["region"], r["year"]): r["value"] for r in out["rows"]} == pytest.approx(FED)
    assert out["written"] == {"inserted": len(FED), "revised": 0, "unchanged": 0}
    again = json.loads(_run("waste", "feed", "--format", "json", "--db", fresh))
    assert again["written"] == {"inserted": 0, "revised": 0, "unchanged": len(FED)}
    data = json.loads(
        _run("assess", PLAN, "--region", "410000", "--year", "2025", "--format", "json", "--db", fresh)
    )
    (ind,) = [i for i in data["indicators"] if i["id"] == IND]
    assert ind["value"] == pytest.approx(68.0) and ind["value_source"] == SOURCE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feed_command_speaks_the_language(fresh: str, lang: str) -> None:
    out = _run("waste", "feed", "--year", "2025", "--region", "410000", "--lang", lang, "--db", fresh)
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "68" in lines[0] and PLAN in lines[0]
    assert ("河南省" if lang == "zh" else "Henan") in lines[0]
    for line in lines:
        assert not foreign(line.replace(PLAN, "").replace(IND, ""), lang), line

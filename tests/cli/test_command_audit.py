"""Every command line that changes the store leaves a ``cli.command`` audit row (issue #12:
"an append-only audit log of every write"), with secrets masked; reading commands leave none."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.kit.cli import masked

EXE = str(Path(sys.executable).with_name("ecoplan"))


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (["sources", "decode", "f.txt", "--key", "MN1=abcdef"], "sources decode f.txt --key ***"),
        (["notify", "run", "--smtp-password=hunter2"], "notify run --smtp-password=***"),
        (["values", "import", "v.csv", "--db", "x.duckdb"], "values import v.csv --db x.duckdb"),
        (["users", "add", "a", "--password-file", "pw.txt"], "users add a --password-file ***"),
    ],
)
def test_secret_option_values_are_masked(argv: list[str], kept: str) -> None:
    assert masked(argv) == kept


@given(st.lists(st.text(alphabet="abc-=xyz", max_size=8), max_size=8), st.text(min_size=1, max_size=12))
def test_a_secret_never_survives_masking(words: list[str], secret: str) -> None:
    line = masked([*words, "--token", secret, *words, f"--api-key={secret}"])
    assert line.count("***") >= 2
    assert f"--token {secret}" not in line and f"--api-key={secret}" not in line


def test_a_writing_command_is_recorded_and_a_reading_one_is_not(tmp_path: Path) -> None:
    db = str(tmp_path / "a.duckdb")

    def run(*args: str) -> str:
        res = subprocess.run(
            [EXE, *args, "--db", db], capture_output=True, text=True, check=False, timeout=300
        )
        assert res.returncode == 0, res.stderr
        return res.stdout

    run("init")
    run("plans", "list")
    rows = json.loads(run("audit", "list", "--format", "json"))
    assert [(r["action"], r["target"], r["source"]) for r in rows] == [
        ("cli.command", f"init --db {db}", "cli")
    ]
    assert rows[0]["actor"].startswith("shell:")

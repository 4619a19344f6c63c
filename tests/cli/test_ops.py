"""`ecoplan backup` / `ecoplan restore` on the command line: through a running server
(the backup is forwarded into it while readers keep reading), and on a file directly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import write_csv
from tests.web.test_store_owner import ECOPLAN, _env, ecoplan, wait_for_server_file
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli
from ecoplan.core.words import word

PLAN = "cn-13th-eco"


def _values(path: Path, value: float) -> Path:
    return write_csv(
        path,
        [
            "plan,indicator,region,year,value",
            f"{PLAN},air-good-days,000000,2019,{value}",
            f"{PLAN},air-good-days,110000,2019,{value - 1}",
        ],
    )


def _shown(db: Path) -> tuple[list[Any], list[dict[str, Any]]]:
    """Assessments of the plan's two regions with values, and the stored values."""
    with Ecoplan(db) as ep:
        assessed = [
            [a.to_dict() for a in ep.assess(PLAN, region, 2019).indicators] for region in ("000000", "110000")
        ]
        return assessed, ep.values(history=True)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    db = tmp_path / "live.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.import_values(_values(tmp_path / "first.csv", 80.0))
    out = (tmp_path / "serve.out").open("wb")
    proc = subprocess.Popen(
        [ECOPLAN, "serve", "--db", str(db), "--port", "0"], cwd=tmp_path, env=_env(), stdout=out, stderr=out
    )
    try:
        info = wait_for_server_file(db, proc)
        yield db, info["url"]
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
        out.close()
        assert code == 0, (tmp_path / "serve.out").read_text()


def test_backup_of_a_served_store_runs_in_the_server_and_restores_equal(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    db, url = served
    statuses: list[int] = []
    stop = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=url, trust_env=False, timeout=60) as client:
            while not stop.is_set():
                statuses.append(client.get("/api/v1/plans").status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        res = ecoplan("backup", "bk", "--db", db.name, "--lang", "en", cwd=tmp_path)
    finally:
        stop.set()
        reader.join(60)
    assert res.returncode == 0, res.stderr
    assert word("cli.store.sent_to_server", "en", pid="")[:-1] in res.stderr
    assert "backed up to bk:" in res.stdout
    assert statuses and set(statuses) == {200}
    # an import after the backup is not in it
    _values(tmp_path / "later.csv", 95.0)
    assert ecoplan("values", "import", "later.csv", "--db", db.name, cwd=tmp_path).returncode == 0
    # restore beside, while the original is still served
    res = ecoplan("restore", "bk", "--db", "copy.duckdb", "--lang", "en", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "restored" in res.stdout and "copy.duckdb" in res.stdout
    _assessed, values = _shown(tmp_path / "copy.duckdb")
    assert sorted(v["value"] for v in values) == [79.0, 80.0]


def test_restore_words_and_refusals(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.import_values(_values(tmp_path / "v.csv", 70.0))
    expected = _shown(db)
    runner = CliRunner()
    done = runner.invoke(cli, ["backup", str(tmp_path / "bk.tar"), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert "已备份到" in done.output
    again = runner.invoke(cli, ["backup", str(tmp_path / "bk.tar"), "--db", str(db), "--lang", "en"])
    assert again.exit_code == 1 and "already exists" in again.output
    # the store exists: refused without --force, in the user's language
    refused = runner.invoke(cli, ["restore", str(tmp_path / "bk.tar"), "--db", str(db)])
    assert refused.exit_code == 1
    assert word("ops.restore.exists", "zh", path=os.path.realpath(db)) in refused.output
    # a new place: restored, equal
    target = tmp_path / "new" / "n.duckdb"
    ok = runner.invoke(cli, ["restore", str(tmp_path / "bk.tar"), "--db", str(target), "--lang", "en"])
    assert ok.exit_code == 0, ok.output
    assert _shown(target) == expected
    # a damaged backup: the file is named, nothing is written
    shutil.unpack_archive(tmp_path / "bk.tar", tmp_path / "bk")
    cat = tmp_path / "bk" / "catalog.duckdb"
    raw = bytearray(cat.read_bytes())
    raw[4096] ^= 0x01
    cat.write_bytes(bytes(raw))
    bad = runner.invoke(
        cli, ["restore", str(tmp_path / "bk"), "--db", str(tmp_path / "x.duckdb"), "--lang", "en"]
    )
    assert bad.exit_code == 1
    assert f"{tmp_path / 'bk'}/catalog.duckdb" in bad.output and "checksum" in bad.output
    assert not (tmp_path / "x.duckdb").exists()
    # --force replaces the store
    forced = runner.invoke(cli, ["restore", str(tmp_path / "bk.tar"), "--db", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert _shown(target) == expected

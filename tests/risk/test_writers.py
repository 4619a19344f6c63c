"""Two writers of the same thing at once (issue #14): two real ``ecoplan`` processes import
the same risk registry file and record the same incident at the same moment. One of each
lands as new, the other finds it stored (unchanged / the same incident): one row per
source, one incident, never two; the import log has both imports; the audit chain holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.waste.test_writers import _files, run_at_once

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("race") / "init.duckdb"
    with Ecoplan(db) as session:
        session.init()
    return db


def test_the_same_file_and_incident_from_two_writers(initialised: Path, tmp_path: Path) -> None:
    db = tmp_path / "race.duckdb"
    shutil.copyfile(initialised, db)
    f = _files(tmp_path)
    same = [
        ["risk", "import", "sources", str(f["risk_sources"]), "--format", "json"],
        ["risk", "incident", str(f["incident1"]), "--record", "--region", "320100", "--format", "json"],
    ]
    got = run_at_once(db, {"a": same, "b": same})
    imports = sorted((x[0]["rows_new"], x[0]["rows_unchanged"]) for x in got.values())
    assert imports == [(0, 3), (3, 0)]
    incidents = sorted((x[1]["incident_id"], x[1]["recorded"]) for x in got.values())
    assert incidents == [(1, False), (1, True)]
    with Ecoplan(db, read_only=True) as ep:
        con = ep.catalog.con
        counts = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()
            for t in ("risk_sources", "risk_incidents", "risk_imports")
        ]
        assert counts == [(3,), (1,), (2,)]
        assert ep.audit.verify().ok
        actions = [r["action"] for r in ep.audit.rows(Principal.shell(), limit=None)]
        assert actions.count("risk.import") == 1 and actions.count("risk.incident.record") == 1

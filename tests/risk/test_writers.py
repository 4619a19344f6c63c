"""Two writers of the same thing at once (issue #14): two real ``ecoplan`` processes import
the same risk registry file and record the same incident at the same moment. One of each
lands as new, the other finds it stored (unchanged / the same incident): one row per
source, one incident, never two; the import log has both imports; the audit chain holds.
And two threads writing through one app at once (the server's case)."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest
import yaml
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


def test_two_threads_through_one_app(initialised: Path, tmp_path: Path) -> None:
    """The server's case: one app, two threads writing at once (registry imports; incidents
    and their reports, one of them through a reader view). Every write runs as the app's
    single writer: all land, once."""
    db = tmp_path / "threads.duckdb"
    shutil.copyfile(initialised, db)
    f = _files(tmp_path)
    errors: list[str] = []
    with Ecoplan(db) as ep:

        def imports() -> None:
            try:
                for _ in range(3):
                    for k in ("sources", "targets", "plans"):
                        ep.risk.load(k, [f[f"risk_{k}"]])
            except Exception as exc:  # reported below
                errors.append(f"imports: {exc!r}")

        def incidents() -> None:
            try:
                base = yaml.safe_load(f["incident1"].read_text(encoding="utf-8"))
                for i in range(6):
                    data = {**base, "time": f"2025-06-0{1 + i} 09:30"}
                    if i % 2:
                        with ep.reader() as view:
                            got = view.risk.record_incident(data, region="320100")
                    else:
                        got = ep.risk.record_incident(data, region="320100")
                    ep.risk.report_made(got["incident_id"], "initial", dt.datetime(2025, 6, 1 + i, 10, 0))
            except Exception as exc:  # reported below
                errors.append(f"incidents: {exc!r}")

        threads = [threading.Thread(target=imports), threading.Thread(target=incidents)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        con = ep.catalog.con
        counts = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()
            for t in ("risk_sources", "risk_targets", "risk_plans", "risk_incidents", "risk_incident_reports")
        ]
        assert counts == [(3,), (3,), (2,), (6,), (6,)]
        assert [r["state"] for i in ep.risk.incidents() for r in i["clocks"]] == ["on_time"] * 6
        assert ep.audit.verify().ok

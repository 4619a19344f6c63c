"""Crash safety of ``ecoplan soil load``: a fault or a ``kill -9`` before the commit leaves
the store as it was; after the commit, as the full import. Re-running stores the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import SHARED, write_csv

from ecoplan.app import Ecoplan
from ecoplan.soil.storage import FAULT_POINTS
from ecoplan.store import faults

QIYANG = SHARED / "data" / "soil" / "qiyang_hunan_soil_cd_pri_Cd_data.csv"
ECOPLAN = Path(sys.executable).with_name("ecoplan")


def _state(db: Path) -> tuple[int, int, int, int]:
    with Ecoplan(db) as ep:
        con = ep.catalog.con
        one = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()
            for t in ("soil_samples", "soil_imports", "soil_rejects", "soil_revisions")
        ]
        return tuple(int(r[0]) if r else 0 for r in one)  # type: ignore[return-value]


def test_fault_points_are_the_storage_steps() -> None:
    assert FAULT_POINTS == ("soil.before_commit", "soil.after_commit")


def test_fault_before_commit_leaves_the_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    bad = write_csv(tmp_path / "b.csv", ["sample_id,region,land_use,ph,Cd [mg/kg]", "z,431181,paddy,6,x"])
    with Ecoplan(db) as ep:
        ep.init()
        with faults.armed("soil.before_commit"), pytest.raises(faults.InjectedFault):
            ep.soil.load([QIYANG], "qiyang-cd")
        assert ep.soil.samples().empty and ep.soil.rejects().empty
        ep.soil.load([QIYANG], "qiyang-cd")
        ep.soil.load([bad], "samples")
    assert _state(db) == (137, 2, 1, 0)


@pytest.mark.parametrize(("point", "stored"), [("soil.before_commit", 0), ("soil.after_commit", 136)])
def test_kill_9_at_each_point(tmp_path: Path, point: str, stored: int) -> None:
    db = tmp_path / "k.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
    env = {**os.environ, "ECOPLAN_FAULT": f"{point}:exit", "ECOPLAN_DB": str(db)}
    res = subprocess.run(
        [str(ECOPLAN), "soil", "load", str(QIYANG), "--format", "qiyang-cd"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert res.returncode == faults.EXIT_CODE, res.stderr
    assert _state(db)[0] == stored
    with Ecoplan(db) as ep:
        _b, r = ep.soil.load([QIYANG], "qiyang-cd")
        assert (r.rows_new, r.rows_unchanged) == (136 - stored, stored)

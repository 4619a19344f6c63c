"""Crash safety of the water store: a fault or a ``kill -9`` at any step of an import
leaves the store as it was before the import or as it is after it (one DuckDB
transaction), never in between; re-running the import gives the reference store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from tests.water.pipeline.water_helpers import batch, sample, station

from ecoplan.app import Ecoplan
from ecoplan.store import faults
from ecoplan.water.readers.batch import WaterBatch
from ecoplan.water.storage import FAULT_POINTS

DB = "water.duckdb"

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.water.test_storage_crash import second
from ecoplan.app import Ecoplan
ep = Ecoplan(sys.argv[1])
ep.water.load_batch(second(), format="long")
"""


def first() -> WaterBatch:
    return batch(
        [station("A", "130102"), station("B", "130203")],
        [sample(c, f"2025-03-0{d}", "NH3N", 0.1 * d) for c in "AB" for d in (1, 2)],
    )


def second() -> WaterBatch:
    rows = [
        sample(c, f"2025-03-0{d}", "NH3N", 0.1 * d + (0.5 if d == 2 else 0)) for c in "AB" for d in (1, 2, 3)
    ]
    return batch([station("A", "130102"), station("B", "130203"), station("C", "130203")], rows)


def _snapshot(ep: Ecoplan) -> dict[str, pd.DataFrame]:
    s = ep.water.store
    return {
        "samples": s.samples().drop(columns=[]),
        "stations": s.stations(),
        "revisions": s.revisions(),
        "sections": ep.water.sections(year=2025),
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("water-crash")
    with Ecoplan(d / DB) as ep:
        ep.init()
        ep.water.load_batch(first(), format="long")
    return d


@pytest.fixture(scope="module")
def states(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    d = tmp_path_factory.mktemp("water-ref") / "s"
    shutil.copytree(template, d)
    with Ecoplan(d / DB) as ep:
        before = _snapshot(ep)
        r = ep.water.load_batch(second(), format="long")
        assert (r.added, r.revised, r.unchanged) == (2, 2, 2)
        return before, _snapshot(ep)


def _same(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> bool:
    try:
        for k, v in want.items():
            pd.testing.assert_frame_equal(got[k], v, obj=k)
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_exception_at_each_point(
    point: str, template: Path, states: tuple[dict[str, pd.DataFrame], ...], tmp_path: Path
) -> None:
    before, after = states
    shutil.copytree(template, tmp_path / "s")
    db = tmp_path / "s" / DB
    with Ecoplan(db) as ep:
        with faults.armed(point), pytest.raises(faults.InjectedFault, match=point):
            ep.water.load_batch(second(), format="long")
        assert ep.water.store.check() == []
        assert _same(_snapshot(ep), after if point == "water.after_commit" else before)
    with Ecoplan(db) as ep:
        ep.water.load_batch(second(), format="long")
        assert _same(_snapshot(ep), after)


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_kill_at_each_point(
    point: str, template: Path, states: tuple[dict[str, pd.DataFrame], ...], tmp_path: Path
) -> None:
    before, after = states
    shutil.copytree(template, tmp_path / "s")
    db = tmp_path / "s" / DB
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "ECOPLAN_FAULT": f"{point}:exit"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(root=root), str(db)], env=env, check=False)
    assert proc.returncode == faults.EXIT_CODE
    with Ecoplan(db) as ep:  # the next open recovers the file (DuckDB's WAL)
        assert ep.water.store.check() == []
        assert _same(_snapshot(ep), after if point == "water.after_commit" else before)
        ep.water.load_batch(second(), format="long")
        assert _same(_snapshot(ep), after)

"""The water store: idempotent re-import, revisions counted and kept, rejects replaced."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.water.pipeline.water_helpers import batch, sample, station

from ecoplan.app import Ecoplan
from ecoplan.core.errors import NotFound, StoreError
from ecoplan.water.readers.batch import REJECT_COLUMNS, WaterBatch


def _rejects(file: str, n: int) -> pd.DataFrame:
    rows = [[file, i + 2, "nh3n", "A", "2025-03-01", "NH3N", "-1", "negative"] for i in range(n)]
    return pd.DataFrame(rows, columns=list(REJECT_COLUMNS))


def _first() -> WaterBatch:
    return batch(
        [station("A", "130102"), station("B", "130203", "lake")],
        [
            sample("A", "2025-03-01", "NH3N", 0.5),
            sample("A", "2025-03-01", "TP", 0.1),
            sample("B", "2025-03-01", "TP", 0.04),
        ],
        files=["f.csv"],
        rejects=_rejects("f.csv", 2),
    )


def test_reimport_is_idempotent_and_revisions_are_kept(ep: Ecoplan) -> None:
    r1 = ep.water.load_batch(_first(), format="long")
    assert (r1.added, r1.revised, r1.unchanged) == (3, 0, 0) and r1.rejected["negative"] == 2
    assert r1.stations_new == 2
    r2 = ep.water.load_batch(_first(), format="long")
    assert (r2.added, r2.revised, r2.unchanged, r2.stations_new) == (0, 0, 3, 0)
    assert len(ep.water.rejects()) == 2  # the file's rejects replaced, not doubled
    b = _first()
    b.samples.loc[0, "value"] = 0.6
    b.rejects = _rejects("f.csv", 1)
    r3 = ep.water.load_batch(b, format="long")
    assert (r3.added, r3.revised, r3.unchanged) == (0, 1, 2)
    assert ep.water.samples("A", items=["NH3N"])["value"].tolist() == [0.6]
    rev = ep.water.store.revisions()
    assert rev[["station", "item", "old_value", "new_value"]].values.tolist() == [["A", "NH3N", 0.5, 0.6]]
    assert len(ep.water.rejects()) == 1
    assert ep.water.store.check() == []
    d = r3.to_dict()
    assert d["revised"] == 1 and d["files"] == ["f.csv"]


def test_unknown_station_and_region_are_refused(ep: Ecoplan) -> None:
    b = batch([station("A", "130102")], [sample("Z", "2025-03-01", "pH", 7.0)])
    with pytest.raises(StoreError, match="Z"):
        ep.water.load_batch(b, format="long")
    b = batch([station("A", "999999")], [sample("A", "2025-03-01", "pH", 7.0)])
    with pytest.raises(NotFound, match="999999"):
        ep.water.load_batch(b, format="long")
    assert ep.water.status()["samples"] == 0


def test_targets_stored_and_attained(ep: Ecoplan) -> None:
    t = pd.DataFrame({"station": ["A", "B"], "plan": "hebei-14th-eco", "year": 2025, "target_class": [3, 2]})
    b = _first()
    b.targets = t
    assert ep.water.load_batch(b, format="long").targets == 2
    got = ep.water.targets(year=2025)
    # A: NH3N 0.5 → Ⅱ, TP 0.1 (river) → Ⅱ → class 2 ≤ 3 met; B (lake): TP 0.04 → Ⅲ > 2 not met
    assert got[["station", "class", "met"]].values.tolist() == [["A", 2, True], ["B", 3, False]]
    assert list(got["name"]) == ["断面A", "断面B"]

"""On the real CNEMC snapshots (8,866 rows): the SQL class of every sample equals
:func:`evaluation_2011.section_class`, and on the printed values the published class
(spec §2.8)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.conftest import SHARED

from ecoplan.store.engines import DuckDBEngine
from ecoplan.water.pipeline import register, sample_classes
from ecoplan.water.standards import evaluation_2011 as ev

CNEMC = SHARED / "data" / "water" / "cnemc_autostation_snapshots_2025-11_2026-02.csv"


def _reference(samples: pd.DataFrame, stations: pd.DataFrame, column: str) -> pd.Series:
    wb = stations.set_index("code")["water_body"] if "code" in stations else None
    wide = samples.pivot_table(index=["station", "time"], columns="item", values=column, aggfunc="first")
    out = {}
    items = [i for i in ev.CNEMC_AUTOSTATION_ITEMS if i in wide.columns]
    for (code, t), row in wide[items].iterrows():
        sample = {i: (None if np.isnan(v) else float(v)) for i, v in row.items()}
        body = wb[code] if wb is not None else "river"
        out[(code, t)] = ev.section_class(sample, body, items=ev.CNEMC_AUTOSTATION_ITEMS)
    ref = pd.Series(out)
    ref.index.names = ["station", "time"]
    return ref


@pytest.mark.parametrize("column", ["value", "published"])
def test_sql_class_equals_section_class_on_every_row(column: str) -> None:
    readers = pytest.importorskip("ecoplan.water.readers")
    b = readers.read("cnemc-snapshot", [CNEMC])
    eng = DuckDBEngine()
    register(eng, b.samples, b.stations)
    got = sample_classes(eng, value=column, items=ev.CNEMC_AUTOSTATION_ITEMS).set_index(["station", "time"])[
        "cls"
    ]
    want = _reference(b.samples, b.stations, column)
    assert len(got) > 8000
    both = pd.concat({"got": got, "want": want}, axis=1)
    assert len(both) == len(got)
    mism = both[both["got"].astype("float64").fillna(0) != both["want"].astype("float64").fillna(0)]
    assert mism.empty, mism.head()
    if column == "published":
        pub = b.published_class.assign(time=pd.to_datetime(b.published_class["time"])).set_index(
            ["station", "time"]
        )
        j = both.join(pub, how="inner")
        assert len(j) > 8000
        assert (j["got"].astype("int64") == j["published_class"].astype("int64")).all()

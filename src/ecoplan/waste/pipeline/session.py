"""The alert pipeline on a session's store: evaluate the rules over the stored tables
(``evaluate``) and put a generated year into the store for demos (``load_simulated``).

The store's own DuckDB runs the SQL where the tables are (no copy; the helper tables are
temporary); Spark gets the tables as Parquet files. ``evaluate`` replaces the stored
alerts of the checks it ran through ``ep.waste.replace_alerts`` (one transaction).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ecoplan.store.engines import ConnectionEngine
from ecoplan.waste.pipeline.run import ALERT_COLUMNS, TABLES, alerts, select_rules
from ecoplan.waste.rules import AlertSettings

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.waste.simulate import Simulated

__all__ = ["evaluate", "load_simulated"]


def evaluate(
    ep: Ecoplan,
    rules: Iterable[str] | None = None,
    *,
    as_of: dt.datetime | None = None,
    year: int | None = None,
    settings: AlertSettings | None = None,
    engine: str = "duckdb",
    store: bool = True,
) -> tuple[pd.DataFrame, AlertSettings]:
    """The alerts of ``rules`` (default: every check) over the stored tables, judged at
    ``as_of`` (default: now) for ``year``; stored in place of the earlier alerts of the
    same checks unless ``store`` is false."""
    ids = select_rules(rules)
    s = (settings or AlertSettings()).at(as_of or dt.datetime.now().replace(microsecond=0), year)
    con = ep.catalog.con
    if engine == "duckdb":
        # on a cursor of its own, so the session's connection and its temp tables stay untouched
        store_engine = ConnectionEngine(con.cursor())
        try:
            frame = alerts(store_engine, s, ids)
        finally:
            store_engine.con.close()
    else:
        from ecoplan.store.engines import make_engine

        eng = make_engine(engine)
        with tempfile.TemporaryDirectory(prefix="ecoplan-waste-") as tmp:
            for name in TABLES:
                path = Path(tmp) / f"{name}.parquet"
                con.cursor().execute(f"COPY (SELECT * FROM {name}) TO '{path.as_posix()}' (FORMAT PARQUET)")
                eng.register_parquet(name, [str(path)])
            frame = alerts(eng, s, ids)
    if store:
        ep.waste.replace_alerts(frame[list(ALERT_COLUMNS)], ids)
    return frame, s


def load_simulated(ep: Ecoplan, sim: Simulated) -> dict[str, int]:
    """Write a generated year into the store (rows with the same keys replaced), all
    tables in one transaction. Returns the rows written per table."""
    counts: dict[str, int] = {}
    with ep.catalog.transaction() as con:
        for name, frame in sim.tables().items():
            cols = ", ".join(f'"{c}"' for c in frame.columns)
            con.register("_waste_sim", frame)
            try:
                con.execute(f"INSERT OR REPLACE INTO {name} ({cols}) SELECT {cols} FROM _waste_sim")
            finally:
                con.unregister("_waste_sim")
            counts[name] = len(frame)
    return counts

"""The alert pipeline on a session's store: evaluate the rules over the stored tables
(``evaluate``) and put a generated year into the store for demos (``load_simulated``).

The store's own DuckDB runs the SQL where the tables are (no copy; the helper tables are
temporary); Spark gets the tables as Parquet files. ``evaluate`` replaces the stored
alerts of the checks it ran through ``ep.waste.replace_alerts`` (one transaction).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.waste.pipeline.run import ALERT_COLUMNS, TABLES, alerts, select_rules
from ecoplan.waste.rules import AlertSettings

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.waste.simulate import Simulated

__all__ = ["DuckDBTables", "evaluate", "load_simulated"]


class DuckDBTables:
    """A DuckDB connection's tables as an engine (read in place: the store's, or a
    benchmark's database file), on a cursor of its own so the connection and its
    temporary tables stay untouched."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, con: Any) -> None:
        self.con = con.cursor()

    def register_parquet(self, name: str, paths: Sequence[str]) -> None:
        raise NotImplementedError("the store engine reads its own tables")

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(f"_{name}_df", frame)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _{name}_df")
        self.con.unregister(f"_{name}_df")

    def materialize(self, name: str, sql: str) -> None:
        """A fact table written without keeping the input's row order (every reader
        orders what it needs): the threads append as they finish."""
        row = self.con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        keep = bool(row[0]) if row else True
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        finally:
            self.con.execute(f"SET preserve_insertion_order = {'true' if keep else 'false'}")

    def fetch(self, sql: str) -> pd.DataFrame:
        out: pd.DataFrame = self.con.execute(sql).df()
        return out


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
        store_engine = DuckDBTables(con)
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

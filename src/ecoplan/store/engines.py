"""SQL engines the pipelines run on: DuckDB (default, in-process) and Apache Spark.

Both implement :class:`ecoplan.core.sql.Engine`. The DuckDB engine works
in its own in-memory connection (the catalog file stays unlocked); the Spark
engine starts a local session (``local[2]`` unless ``master`` is given) on first
use. Spark is optional: ``pip install 'ecoplan[spark]'`` and a Java 17 runtime.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd

from ecoplan.core.errors import StoreError

__all__ = ["ConnectionEngine", "DuckDBEngine", "Engines", "SparkEngine", "make_engine"]


class DuckDBEngine:
    """DuckDB in-process engine."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def register_parquet(self, name: str, paths: Sequence[str]) -> None:
        if not paths:
            raise StoreError(f"no Parquet files for {name}")
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{files}])")

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(f"_{name}_df", frame)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _{name}_df")
        self.con.unregister(f"_{name}_df")

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def fetch(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()

    def close(self) -> None:
        self.con.close()


class ConnectionEngine(DuckDBEngine):
    """The tables of an existing DuckDB connection as an engine, read in place (no copy):
    the store's connection, a cursor of it, or a benchmark's database file.

    A step's result is written without keeping the input's row order
    (``preserve_insertion_order``: the threads append as they finish; every reader orders
    what it needs) — a third less time for millions of rows; the connection's own setting
    is restored after.
    """

    def __init__(self, con: Any) -> None:
        self.con = con

    def register_parquet(self, name: str, paths: Sequence[str]) -> None:
        raise NotImplementedError("a connection engine reads its own tables")

    def materialize(self, name: str, sql: str) -> None:
        row = self.con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        keep = bool(row[0]) if row else True
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        finally:
            self.con.execute(f"SET preserve_insertion_order = {'true' if keep else 'false'}")


@contextmanager
def _quiet() -> Iterator[None]:
    """PySpark 4 warns about pandas 3 (FutureWarning, Pandas4Warning); not ours to fix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


class SparkEngine:
    """Apache Spark (PySpark) engine; local mode by default."""

    name = "spark"
    dialect = "spark"

    def __init__(self, master: str | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StoreError("the Spark engine needs PySpark: pip install 'ecoplan[spark]'") from exc
        os.environ.setdefault("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", "python3"))
        builder: Any = SparkSession.builder
        with _quiet():
            self.spark = self._build(builder, master)
        self.spark.sparkContext.setLogLevel("ERROR")

    @staticmethod
    def _build(builder: Any, master: str | None) -> Any:
        return (
            builder.master(master or os.environ.get("ECOPLAN_SPARK_MASTER", "local[2]"))
            .appName("ecoplan")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
            .config("spark.driver.memory", os.environ.get("ECOPLAN_SPARK_MEMORY", "4g"))
            .getOrCreate()
        )

    def register_parquet(self, name: str, paths: Sequence[str]) -> None:
        if not paths:
            raise StoreError(f"no Parquet files for {name}")
        self.spark.read.parquet(*paths).createOrReplaceTempView(name)

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        with _quiet():
            self.spark.createDataFrame(frame).createOrReplaceTempView(name)

    def materialize(self, name: str, sql: str) -> None:
        """The result computed now and kept on the executors with its lineage cut
        (``localCheckpoint``): a later step that reads it is planned on its own, not with the
        whole chain of earlier steps (``cache()`` keeps the lineage, and a chain of steps
        re-plans and re-optimises every earlier one — minutes for a small run)."""
        self.spark.sql(sql).localCheckpoint(eager=True).createOrReplaceTempView(name)

    def fetch(self, sql: str) -> pd.DataFrame:
        with _quiet():
            out: pd.DataFrame = self.spark.sql(sql).toPandas()
        return out

    def close(self) -> None:
        """Sessions are shared per process; leave it running for the next call."""


def make_engine(name: str) -> DuckDBEngine | SparkEngine:
    """``"duckdb"`` or ``"spark"``."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine()
    raise StoreError(f"unknown engine {name!r}; expected duckdb or spark")


class Engines:
    """The engines of a domain's part of a session: ``engines("spark")`` is made on first
    use (:func:`make_engine`) and kept."""

    def __init__(self) -> None:
        self._made: dict[str, DuckDBEngine | SparkEngine] = {}

    def __call__(self, name: str = "duckdb") -> DuckDBEngine | SparkEngine:
        if name not in self._made:
            self._made[name] = make_engine(name)
        return self._made[name]

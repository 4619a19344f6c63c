"""The engine contract: what a pipeline needs from a SQL engine.

Pipelines write their SQL once, in DuckDB's dialect, and hand it to an engine
through :func:`to_dialect` (SQLGlot). The engines themselves (DuckDB in-process,
Apache Spark local or cluster) live in :mod:`ecoplan.store.engines` — the store is
the only layer that knows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd
import sqlglot

__all__ = ["Engine", "to_dialect"]


class Engine(Protocol):
    """A SQL engine a pipeline can run on."""

    name: str
    dialect: str

    def register_parquet(self, name: str, paths: Sequence[str]) -> None:
        """Expose Parquet files as the table ``name``."""

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        """Expose a pandas DataFrame as the table ``name``."""

    def materialize(self, name: str, sql: str) -> None:
        """Run ``sql`` (already in the engine's dialect) into the table ``name``."""

    def fetch(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` (already in the engine's dialect) and return the result."""


def to_dialect(sql: str, dialect: str) -> str:
    """Transpile DuckDB-dialect SQL to ``dialect`` (identity for DuckDB)."""
    if dialect == "duckdb":
        return sql
    return ";\n".join(sqlglot.transpile(sql, read="duckdb", write=dialect))

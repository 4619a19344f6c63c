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
from sqlglot import exp

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


def _one_based_lists(node: exp.Expression) -> exp.Expression:
    """DuckDB ``LIST_EXTRACT(l, i)`` is 1-based; Spark's ``ELEMENT_AT`` is its twin
    (SQLGlot leaves the function name as it is)."""
    if isinstance(node, exp.Anonymous) and str(node.this).upper() == "LIST_EXTRACT":
        return exp.Anonymous(this="ELEMENT_AT", expressions=node.expressions)
    return node


def to_dialect(sql: str, dialect: str) -> str:
    """Transpile DuckDB-dialect SQL to ``dialect`` (identity for DuckDB)."""
    if dialect == "duckdb":
        return sql
    trees = sqlglot.parse(sql, read="duckdb")
    return ";\n".join(t.transform(_one_based_lists).sql(dialect) for t in trees if t is not None)

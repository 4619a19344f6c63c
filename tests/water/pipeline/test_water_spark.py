"""DuckDB and Apache Spark (PySpark local mode) give the same water results (the SQL
is written once in DuckDB's dialect and transpiled with SQLGlot)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.water.pipeline.test_water_pipeline import _fixture

from ecoplan.store.engines import DuckDBEngine
from ecoplan.water.pipeline import register, sample_classes, sections, shares

pytestmark = pytest.mark.spark


def test_sections_and_shares_identical_on_duckdb_and_spark() -> None:
    pytest.importorskip("pyspark")
    from ecoplan.store.engines import SparkEngine

    s, st_ = _fixture()
    duck, spark = DuckDBEngine(), SparkEngine()
    register(duck, s, st_)
    register(spark, s, st_)
    for period in ("year", "month"):
        a = sections(duck, st_, year=2025, period=period)
        b = sections(spark, st_, year=2025, period=period)
        means = [c for c in a.columns if c.startswith("mean_")]
        pd.testing.assert_frame_equal(a.drop(columns=means), b.drop(columns=means), check_dtype=False)
        pd.testing.assert_frame_equal(a[means], b[means], check_dtype=False, atol=1e-12, rtol=0)
        for by in ("region", "basin", "river"):
            pd.testing.assert_frame_equal(
                shares(duck, year=2025, by=by, period=period),
                shares(spark, year=2025, by=by, period=period),
                check_dtype=False,
            )
    pd.testing.assert_frame_equal(sample_classes(duck), sample_classes(spark), check_dtype=False)

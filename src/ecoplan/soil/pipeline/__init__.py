"""The soil pipeline: SQL written once (DuckDB dialect), run on DuckDB or, through
SQLGlot (:func:`ecoplan.core.sql.to_dialect`), on Spark."""

from ecoplan.soil.pipeline.run import class_counts, classify_samples, rates_table
from ecoplan.soil.pipeline.sql import counts_sql, farmland_sql, sample_classes_sql, sites_sql

__all__ = [
    "class_counts",
    "classify_samples",
    "counts_sql",
    "farmland_sql",
    "rates_table",
    "sample_classes_sql",
    "sites_sql",
]

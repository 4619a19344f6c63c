"""The alert pipeline: the rules as SQL written once (DuckDB dialect), run on DuckDB or,
through SQLGlot (:func:`ecoplan.core.sql.to_dialect`), on Spark."""

from ecoplan.waste.pipeline.run import ALERT_COLUMNS, TABLES, alerts, periods_frame, select_rules, to_rows
from ecoplan.waste.pipeline.sql import RULE_SQL, rule_sql

__all__ = [
    "ALERT_COLUMNS",
    "RULE_SQL",
    "TABLES",
    "alerts",
    "periods_frame",
    "rule_sql",
    "select_rules",
    "to_rows",
]

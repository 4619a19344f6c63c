"""The store: the only code that knows DuckDB (the embedded default) and Spark.

``catalog`` (the DuckDB file: regions, plans, values with their revisions, tasks,
decomposed targets; one writer, snapshot readers), ``assessments`` (the materialised
assessment of every region, refreshed inside each write), ``migrations`` (the core
schema, and each registered domain's tables versioned on their own), ``engines`` (DuckDB
and Spark local mode for the domains' SQL), ``faults`` (crash-test fault points).
"""

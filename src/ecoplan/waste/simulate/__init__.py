"""A realistic manifest year with injected anomalies (issue 14): the demo data of
``ecoplan waste simulate``, the test that the rules raise exactly what was injected,
and the benchmark's national year.

``generate(year, scale, seed)`` → :class:`Simulated`: the shared tables as frames, the
injected alerts as (rule, subject), and the settings to judge the year with.
"""

from ecoplan.waste.simulate.run import SCHEMAS, Simulated, generate, write_parquet

__all__ = ["SCHEMAS", "Simulated", "generate", "write_parquet"]

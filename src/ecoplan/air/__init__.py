"""Ambient air: the first environmental domain.

Inside, each layer stands on the ones above it in this list:

``standards/``
    Pure calculators, one module per standard and edition: GB 3095 limits, HJ 633 AQI
    (2012, 2026), HJ 663 evaluation (2013, 2026), the edition table.
``readers/``
    One module per input format (``FORMATS``), data plus rejects with reason codes.
``pipeline/``
    The daily and annual SQL, written once and run on DuckDB or (through SQLGlot) Spark.
``feed``
    The plan indicators the evaluation measures, declared as data (:data:`FEEDS`).
``storage``
    Hourly observations as crash-safe Parquet partitions registered in the catalog.
``service``
    ``ep.air``: load, daily AQI, evaluate, rank, feed plan indicators.
``commands``, ``routes``, ``pages``
    ``ecoplan air …``, ``/api/v1/air/…`` and the dashboard's air sections.
"""

from ecoplan.air.schema import MIGRATIONS
from ecoplan.core.domain import Domain

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="air",
    package="ecoplan.air",
    title_key="domain.air",
    service="ecoplan.air.service:AirOps",
    commands="ecoplan.air.commands:air_app",
    top_commands=("ecoplan.air.commands:aqi",),
    routes="ecoplan.air.routes:routes",
    pages="ecoplan.air.pages:PAGES",
    report="ecoplan.air.report:section",
    words="words.yaml",
    migrations=MIGRATIONS,
)

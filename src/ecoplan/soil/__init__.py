"""Soil: GB 15618—2018 farmland and GB 36600—2018 construction-land classes, the safe-use rates.

Laid out as ``air/`` is:

``standards/``
    Pure calculators: GB 15618—2018 (farmland), GB 36600—2018 (construction land),
    the safe-use rates (受污染耕地安全利用率, 污染地块安全利用率).
``readers/``
    One module per input format (``FORMATS``): samples and the parcel register.
``pipeline/``
    The SQL written once (DuckDB dialect), run on DuckDB or Spark.
``feed``
    The plan indicators the rates measure (:data:`FEEDS`).
``schema``, ``storage``
    The tables, and crash-safe idempotent imports with revisions.
``service``
    ``ep.soil``: load, samples, classify, rates, feed.
``commands``, ``routes``, ``pages``, ``report``
    ``ecoplan soil …``, ``/api/v1/soil/…``, the dashboard's soil sections and the soil
    section of a plan's assessment report.
"""

from ecoplan.core.domain import Domain
from ecoplan.soil.schema import MIGRATIONS

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="soil",
    package="ecoplan.soil",
    title_key="soil.title",
    service="ecoplan.soil.service:SoilOps",
    commands="ecoplan.soil.commands:soil_app",
    routes="ecoplan.soil.routes:routes",
    pages="ecoplan.soil.pages:PAGES",
    report="ecoplan.soil.report:section",
    words=("words.yaml", "words_cli.yaml"),
    migrations=MIGRATIONS,
)

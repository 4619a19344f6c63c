"""Surface water: GB 3838—2002 classes, the 2011 evaluation method, the plans' water indicators.

Inside, each layer stands on the ones above it in this list (as in ``air/``):

``standards/``
    Pure calculators, one module per standard: GB 3838—2002, the 2011 evaluation method.
``readers/``
    One module per input format (``FORMATS``), a :class:`WaterBatch` with rejects.
``pipeline/``
    The classification and evaluation SQL, written once, run on DuckDB or Spark.
``feed``, ``schema``, ``storage``, ``service``
    Plan indicators (:data:`FEEDS`), the tables, the store, ``ep.water``.
``commands``, ``routes``, ``pages``
    ``ecoplan water …``, ``/api/v1/water/…`` and the dashboard's water sections.
"""

from ecoplan.core.domain import Domain
from ecoplan.water.schema import MIGRATIONS

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="water",
    package="ecoplan.water",
    title_key="water.title",
    service="ecoplan.water.service:WaterOps",
    commands="ecoplan.water.commands:water_app",
    routes="ecoplan.water.routes:routes",
    pages="ecoplan.water.pages:PAGES",
    report="ecoplan.water.report:section",
    words=("words.yaml", "words_readers.yaml", "words_cli.yaml", "words_web.yaml", "words_drinking.yaml"),
    migrations=MIGRATIONS,
)

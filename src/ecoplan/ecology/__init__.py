"""Ecology: the HJ 192-2015 ecological status index (EI) of counties, red lines, reserves.

Laid out as ``soil/`` is:

``standards/``
    Pure calculators: HJ 192-2015 (EI, its grades and change classes, the
    sub-indices), the 区域生态质量评价办法 EQI (registered, method not loaded).
``spatial/``
    Red-line and protected-area layers, human-activity patches, the overlay (a package of
    its own).
``feed``
    The plan indicators the county EI (:data:`FEEDS`) and the stored layers and patches
    (:data:`SPATIAL_FEEDS`, computed in ``spatial_feed``) measure.
``schema``, ``storage``
    The county EI table and its imports (rejects by file and row, revisions).
``spatial_store``, ``spatial_ops``
    Layer versions, patches, overlay results, cases and events (migration v2), and
    ``ep.ecology``'s methods on them (imports, lifecycle, reads, red-line report).
``service``
    ``ep.ecology``: county EI import, reads and the feed (plus ``spatial_ops``).
``commands``, ``routes``, ``pages``
    ``ecoplan ecology …``, ``/api/v1/ecology/…``, the county EI page, the map and a
    reserve's page.
"""

from ecoplan.core.domain import Domain
from ecoplan.ecology.schema import MIGRATIONS

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="ecology",
    package="ecoplan.ecology",
    title_key="ecology.title",
    service="ecoplan.ecology.service:EcologyOps",
    commands="ecoplan.ecology.commands:ecology_app",
    routes="ecoplan.ecology.routes:routes",
    pages="ecoplan.ecology.pages:PAGES",
    web="ecoplan.ecology.pages.web:routes",
    report="ecoplan.ecology.report:section",
    words=("words.yaml", "words_wire.yaml", "words_demo.yaml", "spatial/words.yaml"),
    migrations=MIGRATIONS,
)

"""Environmental risk and emergencies (环境风险防控与应急): HJ 941-2018 grading, registries.

Laid out as the other domains are:

``standards/``
    Pure calculators: HJ 941-2018 enterprise risk grading (:mod:`.standards.hj941`) with
    its Appendix A thresholds as data (``standards/data/``).
``registries``, ``readers/``
    Risk sources, sensitive targets and emergency plans; import from CSV/XLSX/GeoJSON
    with reason-coded rejects.
``schema``, ``storage``, ``service``
    The tables, their store access, and ``ep.risk``.
``commands/``, ``routes``, ``pages``
    ``ecoplan risk …``, ``/api/v1/risk/…`` and the domain's pages.
"""

from ecoplan.core.domain import Domain
from ecoplan.risk.schema import MIGRATIONS

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="risk",
    package="ecoplan.risk",
    title_key="risk.title",
    service="ecoplan.risk.service:RiskOps",
    commands="ecoplan.risk.commands:risk_app",
    routes="ecoplan.risk.routes:routes",
    pages="ecoplan.risk.pages:PAGES",
    web="ecoplan.risk.pages.web:routes",
    words=("words.yaml", "words_incident.yaml"),
    migrations=MIGRATIONS,
)

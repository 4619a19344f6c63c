"""Hazardous waste (危险废物) from cradle to grave: actors, permits, cross-province approvals,
transfer manifests (转移联单) with their states, ledgers (HJ 1259-2022), alerts.

Laid out as the other domains are:

``model``
    The records (actors, permits, approvals, manifests with their lines, ledger entries)
    and the 14-digit manifest number (《危险废物转移管理办法》 Art. 15).
``manifest_states``
    The manifest's state machine (draft → shipped → received → confirmed → closed;
    rejection with a residue manifest; correction as a versioned event).
``ledger``
    Ledger records per container and stage (HJ 1259-2022) and the mass balance.
``readers/``
    CSV/XLSX readers of actors, permits, approvals, manifests and ledgers (all or nothing,
    reason-coded rejects naming file, row and field).
``schema``, ``storage``
    The tables (shared with the alerts' pipeline) and idempotent, crash-safe imports.
``service``
    ``ep.waste``: import, actors, manifests, events, ledger balance, alerts, rates.
``catalogue/``, ``rules/``, ``pipeline/`` (when present)
    The national catalogue by edition; the alert rules and their pipeline.
``commands/``, ``routes``, ``pages/``
    ``ecoplan waste …``, ``/api/v1/waste/…``, the dashboard's pages (a manifest's journey,
    an enterprise's ledger, the alert list).
"""

from ecoplan.core.domain import Domain
from ecoplan.waste.schema import MIGRATIONS

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="waste",
    package="ecoplan.waste",
    title_key="waste.title",
    service="ecoplan.waste.service:WasteOps",
    commands="ecoplan.waste.commands:waste_app",
    routes="ecoplan.waste.routes:routes",
    pages="ecoplan.waste.pages:PAGES",
    web="ecoplan.waste.pages.web:routes",
    words=("words.yaml", "words_catalogue.yaml", "words_alerts.yaml", "words_feed.yaml"),
    migrations=MIGRATIONS,
)

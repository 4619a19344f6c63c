"""Waste data in the catalog's database (the only module besides ``service`` that uses the store).

Filled in below: actors, permits, approvals, manifests, ledgers, alerts.
"""

from __future__ import annotations

from ecoplan.store.catalog import Catalog

__all__ = ["WasteStore"]


class WasteStore:
    """Waste data of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

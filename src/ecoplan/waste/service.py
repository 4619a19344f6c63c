"""Waste operations of a session: ``ep.waste``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.waste.storage import WasteStore

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["WasteOps"]


class WasteOps:
    """The waste part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = WasteStore(session.catalog)

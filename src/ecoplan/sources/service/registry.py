"""``ep.sources.registry`` (being built, issue 11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["RegistryOps"]


class RegistryOps:
    """The registry part of ``ep.sources``."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session

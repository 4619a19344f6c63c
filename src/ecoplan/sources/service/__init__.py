"""Sources operations of a session (``ep.sources``), in three parts:

- ``ep.sources.frames`` (:class:`.frames.FramesOps`): ingest raw logs and frame files,
  frames, live values, the quarantine;
- ``ep.sources.registry`` (:class:`.registry.RegistryOps`): enterprises, outlets,
  devices, permits — load and read;
- ``ep.sources.facts`` (:class:`.facts.FactsOps`): rollups, hourly series, exceedances
  with evidence, alarms, cards, totals, the plan feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.sources.service.facts import FactsOps
from ecoplan.sources.service.frames import FramesOps
from ecoplan.sources.service.registry import RegistryOps

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["FactsOps", "FramesOps", "RegistryOps", "SourcesOps"]


class SourcesOps:
    """The sources part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.frames = FramesOps(session)
        self.registry = RegistryOps(session)
        self.facts = FactsOps(session)

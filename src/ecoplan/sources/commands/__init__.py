"""``ecoplan sources …`` and ``ecoplan receive``: ``decode`` (:mod:`.decode`), ``receive``,
``simulate``, ``ingest``, ``load`` (:mod:`.receive`), the registry (:mod:`.registry`) and
the facts (:mod:`.facts`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.sources.commands import decode, facts, receive, registry  # noqa: F401  (they register)
from ecoplan.sources.commands.options import sources_app

__all__ = ["sources_app"]

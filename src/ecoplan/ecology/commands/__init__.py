"""``ecoplan ecology …``: ``ei`` (the HJ 192-2015 calculator), ``ei-import``, ``counties``,
``feed`` and ``methods`` (:mod:`.ei`); ``layers import|list``, ``patches
import|list|advance|events|stats``, ``redline`` and ``spatial-feed`` (:mod:`.spatial`);
``landcover`` (:mod:`.landcover`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.ecology.commands import ei, landcover, spatial  # noqa: F401  (they register their commands)
from ecoplan.ecology.commands.options import ecology_app

__all__ = ["ecology_app"]

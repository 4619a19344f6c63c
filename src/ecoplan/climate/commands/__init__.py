"""``ecoplan climate …``: ``intensity`` and ``schedule`` (:mod:`.intensity`), ``inventory``
(:mod:`.inventory`), ``load`` and ``feed`` (:mod:`.store`),
``clinker`` (:mod:`.process`), ``market …`` (:mod:`.market`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.climate.commands import intensity, inventory, market, process, store  # noqa: F401  (they register their commands)
from ecoplan.climate.commands.options import climate_app

__all__ = ["climate_app"]

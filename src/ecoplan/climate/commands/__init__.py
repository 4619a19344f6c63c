"""``ecoplan climate …``: ``intensity`` and ``schedule`` (:mod:`.intensity`), ``inventory``
(:mod:`.inventory`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.climate.commands import intensity, inventory  # noqa: F401  (they register their commands)
from ecoplan.climate.commands.options import climate_app

__all__ = ["climate_app"]

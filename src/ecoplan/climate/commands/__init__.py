"""``ecoplan climate …``: ``intensity`` and ``schedule`` (:mod:`.intensity`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.climate.commands import intensity  # noqa: F401  (it registers its commands)
from ecoplan.climate.commands.options import climate_app

__all__ = ["climate_app"]

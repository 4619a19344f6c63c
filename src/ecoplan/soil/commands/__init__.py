"""``ecoplan soil …``: ``class`` (the calculator, :mod:`.classify`) and ``load``,
``classify``, ``rates``, ``feed`` (:mod:`.pipeline`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.soil.commands import classify, pipeline  # noqa: F401  (they register their commands)
from ecoplan.soil.commands.options import soil_app

__all__ = ["soil_app"]

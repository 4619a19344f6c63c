"""``ecoplan aqi`` and ``ecoplan air …``: one AQI, and the air pipeline.

One module per group of commands: ``options`` (the groups, shared options and
helpers), ``aqi`` (the calculator), ``load`` (load, rejects), ``series`` (daily,
hourly), ``evaluate`` (evaluate, rank, feed, status) and ``events``.
"""

from __future__ import annotations

from ecoplan.air.commands import evaluate, events, load, series  # noqa: F401  (they register their commands)
from ecoplan.air.commands.aqi import aqi
from ecoplan.air.commands.options import air_app

__all__ = ["air_app", "aqi"]

"""``ecoplan water …``: classify samples, load monitoring data, evaluate, rank and feed.

One module per group of commands, each registering its commands on :data:`water_app`
(``options``): ``classify`` (``water class``, the sample calculator), ``load``
(``water load``, rejects), ``evaluate`` (``classify``, ``evaluate``, ``rank``, ``feed``).
"""

from __future__ import annotations

import importlib

from ecoplan.water.commands.options import water_app

__all__ = ["water_app"]

# Each module registers its commands on water_app when imported; a module not yet
# written is skipped, so the group grows one module at a time.
for _name in ("classify", "load", "evaluate"):
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # pragma: no cover - only while the domain is built
        if exc.name != f"{__name__}.{_name}":
            raise

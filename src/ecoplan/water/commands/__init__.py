"""``ecoplan water …``: classify samples, load monitoring data, evaluate, rank and feed.

One module per group of commands, each registering its commands on :data:`water_app`
(``options``): ``classify`` (``water class``, the sample calculator), ``load``
(``water load``, ``rejects``), ``evaluate`` (``classify``, ``evaluate``, ``rank``,
``feed``, ``status``), ``trophic`` (``trophic``: TLI(Σ) of lakes and reservoirs), ``drinking``
(``drinking …`` and ``black-odorous …``: drinking-water sources, black-odorous water bodies).
"""

from __future__ import annotations

from ecoplan.water.commands import classify, drinking, evaluate, load, trophic  # noqa: F401  (they register their commands)
from ecoplan.water.commands.options import water_app

__all__ = ["water_app"]

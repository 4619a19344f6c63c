"""GB 3095 ambient air quality standard: concentration limits, both editions.

- GB 3095—2012 表1/表2 (class 1 / class 2), in force to 2026-02-28;
- GB 3095—2026 表1/表2 with the transitional phase (2026-03-01 … 2030-12-31) and the
  final limits (from 2031-01-01) of §4.4; 表2 notes a and b (NOx transitional 50/100).

Units µg/m³, CO mg/m³. Averaging keys: ``annual``, ``24h`` (日平均), ``8h`` (O3 daily
maximum 8-h average), ``1h``. "Exceeds" means strictly greater than the limit; a
value equal to the limit attains it (HJ 633 IAQI > 100 ⇔ 超标).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ecoplan.air.standards.editions import Phase, gb3095_phase

__all__ = ["LIMITS", "limit"]

_L = dict[tuple[str, str], tuple[float, float]]  # (pollutant, averaging) -> (class 1, class 2)

_2012: Final[_L] = {
    ("so2", "annual"): (20, 60),
    ("so2", "24h"): (50, 150),
    ("so2", "1h"): (150, 500),
    ("no2", "annual"): (40, 40),
    ("no2", "24h"): (80, 80),
    ("no2", "1h"): (200, 200),
    ("co", "24h"): (4, 4),
    ("co", "1h"): (10, 10),
    ("o3", "8h"): (100, 160),
    ("o3", "1h"): (160, 200),
    ("pm10", "annual"): (40, 70),
    ("pm10", "24h"): (50, 150),
    ("pm25", "annual"): (15, 35),
    ("pm25", "24h"): (35, 75),
    ("tsp", "annual"): (80, 200),
    ("tsp", "24h"): (120, 300),
    ("nox", "annual"): (50, 50),
    ("nox", "24h"): (100, 100),
    ("nox", "1h"): (250, 250),
    ("pb", "annual"): (0.5, 0.5),
    ("pb", "quarter"): (1, 1),
    ("bap", "annual"): (0.001, 0.001),
    ("bap", "24h"): (0.0025, 0.0025),
}

_2026_transition: Final[_L] = {
    **_2012,
    ("pm10", "annual"): (40, 60),
    ("pm10", "24h"): (50, 120),
    ("pm25", "annual"): (15, 30),
    ("pm25", "24h"): (35, 60),
    ("nox", "annual"): (50, 50),
    ("nox", "24h"): (100, 100),  # 表2 notes a, b
}

_2026_final: Final[_L] = {
    **_2026_transition,
    ("so2", "annual"): (20, 20),
    ("so2", "24h"): (50, 50),
    ("so2", "1h"): (150, 150),
    ("no2", "annual"): (30, 30),
    ("no2", "24h"): (50, 50),
    ("pm10", "annual"): (20, 50),
    ("pm10", "24h"): (50, 100),
    ("pm25", "annual"): (10, 25),
    ("pm25", "24h"): (25, 50),
    ("nox", "annual"): (40, 40),
    ("nox", "24h"): (70, 70),
}

#: Limits by GB 3095 phase (see :data:`ecoplan.air.standards.editions.GB3095_PHASES`).
LIMITS: Final[dict[Phase, _L]] = {
    "2012": _2012,
    "2026-transition": _2026_transition,
    "2026-final": _2026_final,
}


def limit(
    pollutant: str,
    averaging: str,
    *,
    cls: int = 2,
    phase: Phase | None = None,
    on: dt.date | str | None = None,
) -> float:
    """The GB 3095 limit for ``pollutant`` / ``averaging`` in class ``cls`` zones.

    Give the ``phase`` (``"2012"``, ``"2026-transition"``, ``"2026-final"``) or a
    date ``on`` (the phase in force that day, GB 3095—2026 §4.4).

    >>> limit("pm25", "annual", on="2025-06-01"), limit("pm25", "annual", on="2026-06-01")
    (35, 30)
    """
    if phase is None:
        if on is None:
            raise ValueError("give the GB 3095 phase or a date")
        phase = gb3095_phase(on)
    if cls not in (1, 2):
        raise ValueError(f"GB 3095 zone class must be 1 or 2, not {cls}")
    try:
        pair = LIMITS[phase][(pollutant, averaging)]
    except KeyError:
        raise ValueError(f"GB 3095 ({phase}) has no {averaging} limit for {pollutant}") from None
    return pair[cls - 1]

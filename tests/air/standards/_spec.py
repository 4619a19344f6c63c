"""Reference data transcribed from the specs, independent of ``src/``.

- ``TABLE_2012``: ``../shared/specs/air-quality.md`` §1.1 (HJ 633—2012 表1).
- ``TABLE_2026``: ``../shared/specs/air-quality-2026.md`` §2.3 (HJ 633—2026 表3);
  the PM 1-h indicators of the real-time report use the daily columns (§2.4).
- ``exact_iaqi``: 式1 with exact fractions and the ceiling of §1.3 / 2026 §4.2.6.
- ``gbt8170``: GB/T 8170 rounding (四舍六入五成双) of a decimal string.

Not a test module (no ``test_`` prefix); imported by the tests of this folder.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

#: IAQI row labels of 表1 / 表3.
LEVELS: tuple[int, ...] = (0, 50, 100, 150, 200, 300, 400, 500)

#: air-quality.md §1.1; ``None`` = cell left empty (notes 2 and 3).
TABLE_2012: dict[str, tuple[int | None, ...]] = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800, None, None, None),
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800, None, None),
    "pm25_24h": (0, 35, 75, 115, 150, 250, 350, 500),
}

#: air-quality-2026.md §2.3: only the PM IAQI-100 cells differ (PM10 120, PM2.5 60).
TABLE_2026: dict[str, tuple[int | None, ...]] = {
    **TABLE_2012,
    "pm10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
    "pm25_24h": (0, 35, 60, 115, 150, 250, 350, 500),
}
TABLE_2026["pm10_1h"] = TABLE_2026["pm10_24h"]
TABLE_2026["pm25_1h"] = TABLE_2026["pm25_24h"]

TABLES: dict[str, dict[str, tuple[int | None, ...]]] = {"2012": TABLE_2012, "2026": TABLE_2026}

#: Indicators entering the AQI (air-quality.md §1.6; air-quality-2026.md §2.4).
DAILY_2012 = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_1h", "o3_8h")
HOURLY_2012 = ("so2_1h", "no2_1h", "co_1h", "o3_1h", "o3_8h", "pm10_24h", "pm25_24h")
DAILY_2026 = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h")
HOURLY_2026 = ("so2_1h", "no2_1h", "co_1h", "o3_1h", "pm10_1h", "pm25_1h")
INDICATORS = {
    ("daily", "2012"): DAILY_2012,
    ("hourly", "2012"): HOURLY_2012,
    ("daily", "2026"): DAILY_2026,
    ("hourly", "2026"): HOURLY_2026,
}

#: Upper AQI bound of levels 1–5 (air-quality.md §1.7); above 300 is level 6.
LEVEL_UPPER = (50, 100, 150, 200, 300)


def top(table: Sequence[int | None]) -> int:
    """The highest breakpoint of a column."""
    return max(b for b in table if b is not None)


def exact_iaqi(table: Sequence[int | None], c: Fraction) -> int:
    """式1 and the ceiling, exactly; above the top breakpoint 500 (§1.4 recommendation)."""
    pts = [(Fraction(b), LEVELS[i]) for i, b in enumerate(table) if b is not None]
    if c > pts[-1][0]:
        return 500
    for (lo, ilo), (hi, ihi) in itertools.pairwise(pts):
        if lo <= c <= hi:
            return math.ceil((ihi - ilo) * (c - lo) / (hi - lo) + ilo)
    raise AssertionError(f"{c} outside the table")


def gbt8170(value: str | Decimal, digits: int) -> Fraction:
    """GB/T 8170 rounding (half to even) of the decimal ``value`` to ``digits`` decimals."""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return Fraction(q)


def digits_2026(indicator: str) -> int:
    """HJ 633—2026 §4.2.2: µg/m³ to integers, CO (mg/m³) to one decimal."""
    return 1 if indicator.startswith("co") else 0


def expected_iaqi(indicator: str, value: str, edition: str) -> int:
    """The spec IAQI of a decimal-string concentration (2026: rounded first)."""
    c = Fraction(Decimal(value))
    if edition == "2026":
        c = gbt8170(value, digits_2026(indicator))
    return exact_iaqi(TABLES[edition][indicator], c)


def level(aqi: int) -> int:
    for i, upper in enumerate(LEVEL_UPPER):
        if aqi <= upper:
            return i + 1
    return 6

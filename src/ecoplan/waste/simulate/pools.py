"""What the generator draws from: prefecture-level cities (GB/T 2260 codes, centres),
a pool of 2021-catalogue codes with their usual form and packaging, and the codes kept
out of every clean year (category HW49) so an injected "code not on the permit" is
known by construction."""

from __future__ import annotations

from typing import Final

__all__ = ["CITIES", "CODES", "RESERVED_CODES"]

#: (region code, lon, lat) of prefecture-level cities across provinces.
CITIES: Final[tuple[tuple[str, float, float], ...]] = (
    ("110100", 116.40, 39.90), ("120100", 117.20, 39.13), ("130100", 114.51, 38.04),
    ("130200", 118.18, 39.63), ("140100", 112.55, 37.87), ("150100", 111.75, 40.84),
    ("210100", 123.43, 41.80), ("210200", 121.61, 38.91), ("220100", 125.32, 43.82),
    ("230100", 126.53, 45.80), ("310100", 121.47, 31.23), ("320100", 118.80, 32.06),
    ("320200", 120.31, 31.49), ("320500", 120.59, 31.30), ("330100", 120.16, 30.27),
    ("330200", 121.55, 29.87), ("340100", 117.23, 31.82), ("350100", 119.30, 26.08),
    ("360100", 115.86, 28.68), ("370100", 117.00, 36.65), ("370200", 120.38, 36.07),
    ("410100", 113.63, 34.75), ("420100", 114.31, 30.59), ("430100", 112.94, 28.23),
    ("440100", 113.26, 23.13), ("440300", 114.06, 22.54), ("450100", 108.37, 22.82),
    ("500100", 106.55, 29.56), ("510100", 104.07, 30.57), ("520100", 106.63, 26.65),
    ("530100", 102.83, 24.88), ("610100", 108.94, 34.34), ("620100", 103.83, 36.06),
)  # fmt: skip

#: (code, form, packaging) of the 2021 catalogue used in clean years.
CODES: Final[tuple[tuple[str, str, str], ...]] = (
    ("900-249-08", "liquid", "drum"), ("900-214-08", "liquid", "tank"), ("900-404-06", "liquid", "drum"),
    ("900-252-12", "semisolid", "drum"), ("900-016-13", "solid", "bag"), ("900-451-13", "solid", "bag"),
    ("336-054-17", "semisolid", "bag"), ("336-064-17", "semisolid", "bag"), ("772-002-18", "solid", "box"),
    ("772-003-18", "solid", "box"), ("398-005-22", "solid", "bag"), ("900-023-29", "solid", "drum"),
    ("261-084-45", "solid", "bag"),
)  # fmt: skip

#: Codes (HW49) never drawn for a clean year: no permit lists their category.
RESERVED_CODES: Final[tuple[str, ...]] = ("900-039-49", "900-041-49", "900-047-49")

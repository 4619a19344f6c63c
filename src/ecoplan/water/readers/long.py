"""Long format: manual monthly section data, one value per row.

Columns ``station, time, item, value, unit`` (required) and ``flag`` (optional), in a
CSV or an XLSX sheet. ``item`` is a GB 3838—2002 Table 1 item by Chinese name (溶解氧,
氨氮, 总磷 …) or code (``DO``, ``NH3N``/``NH3-N`` …; :func:`~.parsing.item_key`),
or one of the automatic stations' extra items (电导率, 浊度, 叶绿素a, 藻密度, 透明度).
``unit`` is declared on every row: ``mg/L`` or ``µg/L`` (converted exactly to mg/L);
pH takes none; a unit unknown or not fitting the item is an ``unknown_unit`` reject —
never guessed. ``time`` is a date, a date and time, or a month (``2025-11``: its first
day). The checks and reason codes are those of :mod:`.cells` and :mod:`.accumulate`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ecoplan.water.readers.accumulate import empty_stations, finish
from ecoplan.water.readers.batch import WaterBatch
from ecoplan.water.readers.cells import candidates
from ecoplan.water.readers.parsing import Sources, expand, name_of, read_tables, require
from ecoplan.water.readers.stations import registry

__all__ = ["VARIABLE_MAP", "read_long"]

VARIABLE_MAP: Mapping[str, str] = {
    "station": "station",
    "time": "time",
    "item": "item",
    "value": "value",
    "unit": "unit",
    "flag": "flag",
}
"""Column names of the format -> canonical names (matched case-insensitively; ``flag`` optional)."""

_REQUIRED = ("station", "time", "item", "value", "unit")


def read_long(sources: Sources, *, stations: Sources | pd.DataFrame | WaterBatch | None = None) -> WaterBatch:
    """Read long-format files (module doc). With ``stations`` (a registry: files, a frame
    or a batch of :func:`~.stations.read_stations`), a station it does not hold is an
    ``unknown_station`` reject and its water body is checked against 总磷 items that
    name one (``lake_item_on_river``); without, codes are taken as written.

    Raises ``InputFileError`` when a file cannot be read or lacks a required column.
    """
    reg = registry(stations)
    parts: list[pd.DataFrame] = []
    files: list[str] = []
    for src in expand(sources):
        files.append(name_of(src))
        for t in read_tables(src):
            pos = require(t, _REQUIRED)
            cells = t.cells

            def col(name: str, cells: pd.DataFrame = cells, pos: dict[str, int] = pos) -> list[str]:
                return cells[pos[name]].tolist() if name in pos else [""] * len(cells)

            parts.append(
                candidates(
                    t.name,
                    t.rows.tolist(),
                    ["value"] * len(cells),
                    col("station"),
                    col("time"),
                    col("item"),
                    col("value"),
                    col("unit"),
                    col("flag"),
                )
            )
    return finish(
        parts, reg if reg is not None else empty_stations(), registry_given=reg is not None, files=files
    )

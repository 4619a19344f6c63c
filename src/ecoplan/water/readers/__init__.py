"""Readers of surface-water data: one module per input format, one registry of formats.

Each format module has a public ``VARIABLE_MAP`` (column of the format -> canonical name,
as in ``pvlib.iotools``) and a reader that takes files, folders or file-like objects
(CSV or XLSX) and returns a :class:`WaterBatch` — samples in the units of GB 3838—2002
Table 1, the station registry, plan targets, the published classes and every rejected
value with its reason code (:data:`REASONS`). :data:`FORMATS` names them; :func:`read`
dispatches on the name: a new format is one module plus one entry. See
``docs/water-input.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ecoplan.core.formats import Reader, UnknownFormat, reader_for
from ecoplan.core.sources import Source, Sources
from ecoplan.water.readers.batch import (
    EXTRA_ITEMS,
    ITEM_UNITS,
    REASONS,
    REJECT_COLUMNS,
    SAMPLE_COLUMNS,
    STATION_COLUMNS,
    TARGET_COLUMNS,
    WATER_BODIES,
    WaterBatch,
)
from ecoplan.water.readers.cnemc_snapshot import read_cnemc_snapshot, station_code
from ecoplan.water.readers.long import read_long
from ecoplan.water.readers.stations import infer_water_body, read_stations, resolve_region
from ecoplan.water.readers.wide import read_wide

__all__ = [
    "EXTRA_ITEMS",
    "FORMATS",
    "ITEM_UNITS",
    "REASONS",
    "REJECT_COLUMNS",
    "SAMPLE_COLUMNS",
    "STATION_COLUMNS",
    "TARGET_COLUMNS",
    "WATER_BODIES",
    "Reader",
    "Source",
    "Sources",
    "UnknownFormat",
    "WaterBatch",
    "infer_water_body",
    "read",
    "read_cnemc_snapshot",
    "read_long",
    "read_stations",
    "read_wide",
    "resolve_region",
    "station_code",
]


FORMATS: Mapping[str, Reader[WaterBatch]] = MappingProxyType(
    {
        "cnemc-snapshot": Reader(
            read_cnemc_snapshot,
            "CNEMC automatic-station snapshots (CSV/XLSX): province, basin, station, monitor_time, …",
            frozenset({"stations"}),
        ),
        "long": Reader(
            read_long,
            "CSV/XLSX, one value per row: station, time, item, value, unit[, flag]",
            frozenset({"stations"}),
        ),
        "wide": Reader(
            read_wide,
            "CSV/XLSX, one sample per row: station, time, item columns (unit in the header or a units row)",
            frozenset({"stations"}),
        ),
        "stations": Reader(
            read_stations,
            "Station registry (code, name, province, city, region, basin, river, water_body, …) "
            "and target classes (station, plan, year, target_class)",
            frozenset(),
        ),
    }
)
"""Input formats by name."""


def read(name: str, sources: Sources, **options: Any) -> WaterBatch:
    """Read ``sources`` in format ``name`` of :data:`FORMATS`; ``options`` must be among
    the format's ``Reader.options``.

    Raises ``UnknownFormat`` for an unknown name (listing the known ones) and
    ``TypeError`` for an option the format does not take.
    """
    reader = reader_for(FORMATS, "water", name, options)
    return reader.read(sources, **options)

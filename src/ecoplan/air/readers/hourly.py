"""Former home of the hourly readers, kept as a re-export for the importers outside
:mod:`ecoplan.air.readers` (``air/service.py``, ``air/storage.py``, ``benchmarks/``).

The code lives in :mod:`.batch` (:class:`AirBatch`, units, reason codes),
:mod:`.stations` and one module per input format (:mod:`.beijing_multisite`,
:mod:`.long_csv`, :mod:`.wide_csv`, :mod:`.parquet_hourly`); new code imports from
those or from :mod:`ecoplan.air.readers`. Remove this module once nothing imports it.
"""

from __future__ import annotations

from ecoplan.air.readers.batch import (
    CANONICAL_UNITS,
    CEILINGS,
    CO_UNIT_SPLIT,
    MISSING_MARKERS,
    POLLUTANTS,
    REASONS,
    REJECT_COLUMNS,
    STATION_COLUMNS,
    STATION_TYPES,
    AirBatch,
    UnitWarning,
)
from ecoplan.air.readers.beijing_multisite import read_beijing_multisite
from ecoplan.air.readers.long_csv import read_long_csv
from ecoplan.air.readers.parquet_hourly import read_parquet_hourly
from ecoplan.air.readers.stations import BEIJING_STATIONS, read_stations
from ecoplan.air.readers.wide_csv import read_wide_csv

__all__ = [
    "BEIJING_STATIONS",
    "CANONICAL_UNITS",
    "CEILINGS",
    "CO_UNIT_SPLIT",
    "MISSING_MARKERS",
    "POLLUTANTS",
    "REASONS",
    "REJECT_COLUMNS",
    "STATION_COLUMNS",
    "STATION_TYPES",
    "AirBatch",
    "UnitWarning",
    "read_beijing_multisite",
    "read_long_csv",
    "read_parquet_hourly",
    "read_stations",
    "read_wide_csv",
]

"""Readers of ambient-air observations: one module per input format, one registry.

Each hourly format module (:mod:`.beijing_multisite`, :mod:`.long_csv`,
:mod:`.wide_csv`, :mod:`.parquet_hourly`) has a public ``VARIABLE_MAP`` (column
name of the format -> canonical name, as in ``pvlib.iotools``) and a reader that
takes files, folders or file-like objects and returns an :class:`AirBatch` —
hourly values in canonical units (µg/m³, CO mg/m³; HJ 633-2012) plus every
rejected value with its reason code (:data:`REASONS`). :data:`FORMATS` names them
as ``ecoplan air load --format`` does, and :func:`read` dispatches on that name:
a new input format is one new module plus one entry in :data:`FORMATS`.
Exceptional events (:mod:`.events`) are a separate, non-hourly input.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ecoplan.air.readers.batch import (
    CANONICAL_UNITS,
    POLLUTANTS,
    REASONS,
    REJECT_COLUMNS,
    STATION_COLUMNS,
    AirBatch,
    UnitWarning,
)
from ecoplan.air.readers.beijing_multisite import read_beijing_multisite
from ecoplan.air.readers.long_csv import read_long_csv
from ecoplan.air.readers.parquet_hourly import read_parquet_hourly
from ecoplan.air.readers.stations import BEIJING_STATIONS, read_stations
from ecoplan.air.readers.wide_csv import read_wide_csv
from ecoplan.core.formats import Reader, UnknownFormat, reader_for
from ecoplan.core.sources import Source, Sources

__all__ = [
    "BEIJING_STATIONS",
    "CANONICAL_UNITS",
    "FORMATS",
    "POLLUTANTS",
    "REASONS",
    "REJECT_COLUMNS",
    "STATION_COLUMNS",
    "AirBatch",
    "Reader",
    "Source",
    "Sources",
    "UnitWarning",
    "UnknownFormat",
    "read",
    "read_beijing_multisite",
    "read_long_csv",
    "read_parquet_hourly",
    "read_stations",
    "read_wide_csv",
]


FORMATS: Mapping[str, Reader[AirBatch]] = MappingProxyType(
    {
        "beijing-multisite": Reader(
            read_beijing_multisite,
            "UCI Beijing Multi-Site files (PRSA_Data_*.csv[.gz]); all six in µg/m³, CO converted",
            frozenset({"region"}),
        ),
        "long-csv": Reader(
            read_long_csv,
            "CSV, one value per row: station, time, pollutant, value, unit",
            frozenset({"stations", "tz"}),
        ),
        "wide-csv": Reader(
            read_wide_csv,
            "CSV, one station-hour per row: station, time, pollutant columns (unit in [brackets])",
            frozenset({"units", "stations", "tz"}),
        ),
        "parquet": Reader(
            read_parquet_hourly,
            "Parquet with the columns of a wide CSV",
            frozenset({"units", "stations", "tz"}),
        ),
    }
)
"""Input formats by the name ``ecoplan air load --format`` uses."""


def read(fmt: str, paths: Sources, **options: Any) -> AirBatch:
    """Read ``paths`` (files, folders or file-like objects) in format ``fmt`` of :data:`FORMATS`.

    ``options`` are passed to the format's reader and must be among its
    ``Reader.options`` (e.g. ``units``, ``stations``, ``tz``, ``region``).

    Raises
    ------
    UnknownFormat
        ``fmt`` is not a known format; the message lists the known ones.
    TypeError
        An option the format does not take.
    """
    reader = reader_for(FORMATS, "air", fmt, options)
    return reader.read(paths, **options)

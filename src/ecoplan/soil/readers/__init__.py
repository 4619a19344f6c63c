"""Readers of soil data: one module per input format, one registry (:data:`FORMATS`).

Samples (:mod:`.samples`: ``qiyang-cd``, ``samples`` wide, ``samples-long``) and the
parcel register (:mod:`.registry`: ``farmland-units``, ``plots``). Each returns a
:class:`SoilBatch` in canonical columns and units plus every rejected value or row
with its file, row, field and reason code (:data:`REASONS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ecoplan.core.formats import UnknownFormat
from ecoplan.soil.readers.batch import (
    KINDS,
    PLOT_COLUMNS,
    REASONS,
    REJECT_COLUMNS,
    SAMPLE_COLUMNS,
    UNIT_COLUMNS,
    SoilBatch,
)
from ecoplan.soil.readers.registry import read_plots, read_units
from ecoplan.soil.readers.samples import read_long, read_qiyang, read_wide

__all__ = [
    "FORMATS",
    "KINDS",
    "PLOT_COLUMNS",
    "REASONS",
    "REJECT_COLUMNS",
    "SAMPLE_COLUMNS",
    "UNIT_COLUMNS",
    "Reader",
    "SoilBatch",
    "UnknownFormat",
    "read",
]


@dataclass(frozen=True)
class Reader:
    """One input format: its reader, what it gives (``kind``), a description, its options."""

    read: Callable[..., SoilBatch]
    kind: str
    description: str
    options: frozenset[str]


FORMATS: Mapping[str, Reader] = MappingProxyType(
    {
        "qiyang-cd": Reader(
            read_qiyang,
            "samples",
            "Qiyang (Hunan) Cd samples file as published (title, units row, header)",
            frozenset({"region", "year"}),
        ),
        "samples": Reader(
            read_wide,
            "samples",
            "CSV/XLSX, one sample per row; metal units in [brackets] or a units row",
            frozenset({"region", "year", "units"}),
        ),
        "samples-long": Reader(
            read_long,
            "samples",
            "CSV/XLSX, one value per row: sample columns, item, value, unit",
            frozenset({"region", "year"}),
        ),
        "farmland-units": Reader(
            read_units,
            "units",
            "Farmland units: unit_id, region, year, area [亩|hm2], level, measure, crop_compliant",
            frozenset({"region", "area_unit"}),
        ),
        "plots": Reader(
            read_plots,
            "plots",
            "Construction-land plots: plot_id, region, year, land_type, contaminated, status, …",
            frozenset({"region"}),
        ),
    }
)
"""Input formats by the name ``ecoplan soil load --format`` uses."""


def read(fmt: str, paths: list[Any], **options: Any) -> SoilBatch:
    """Read ``paths`` in format ``fmt``; options outside the format's are a TypeError."""
    reader = FORMATS.get(fmt)
    if reader is None:
        raise UnknownFormat(f"unknown soil format {fmt!r}; expected one of {', '.join(FORMATS)}")
    extra = sorted(k for k, v in options.items() if v is not None and k not in reader.options)
    if extra:
        raise TypeError(f"soil format {fmt!r} does not take option(s) {', '.join(extra)}")
    return reader.read(paths, **{k: v for k, v in options.items() if v is not None})

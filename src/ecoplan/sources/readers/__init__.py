"""Readers of the sources domain: the register of enterprises, outlets, devices and permits
(:mod:`.registry`), one registry of input formats (:data:`FORMATS`) and of kinds (:data:`KINDS`).

Each reader returns a :class:`RegistryBatch`: rows of one kind in canonical columns, and
every rejected row with its file, row, field, value and reason code (:data:`REASONS`).
See ``docs/sources-registry.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

from ecoplan.core.formats import Reader, UnknownFormat, reader_for
from ecoplan.core.sources import Sources
from ecoplan.sources.readers.registry import (
    COLUMNS,
    HEADERS,
    KEYS,
    KINDS,
    REASONS,
    REJECT_COLUMNS,
    REQUIRED,
    RegistryBatch,
    kind_of_header,
    read_registry,
    sniff_kind,
)

__all__ = [
    "COLUMNS",
    "FORMATS",
    "HEADERS",
    "KEYS",
    "KINDS",
    "REASONS",
    "REJECT_COLUMNS",
    "REQUIRED",
    "Reader",
    "RegistryBatch",
    "UnknownFormat",
    "format_of",
    "kind_of_header",
    "read",
    "read_registry",
    "sniff_kind",
]

FORMATS: Mapping[str, Reader[RegistryBatch]] = MappingProxyType(
    {
        "csv": Reader(
            partial(read_registry, fmt="csv"),
            "CSV (UTF-8, BOM allowed), one row per record, English or Chinese headers",
            frozenset({"kind"}),
        ),
        "xlsx": Reader(
            partial(read_registry, fmt="xlsx"),
            "Excel workbook (first sheet), one row per record, English or Chinese headers",
            frozenset({"kind"}),
        ),
    }
)
"""Input formats by the name ``ecoplan sources registry load --format`` uses."""


def format_of(name: str) -> str:
    """``xlsx`` for a ``.xlsx`` file name, else ``csv``."""
    return "xlsx" if name.lower().endswith(".xlsx") else "csv"


def read(paths: Sources, kind: str, fmt: str | None = None, **options: Any) -> RegistryBatch:
    """Read ``paths`` of ``kind`` in format ``fmt`` (default: by each file's suffix)."""
    if fmt is None:
        return read_registry(paths, kind)
    reader = reader_for(FORMATS, "sources registry", fmt, options)
    return reader.read(paths, kind=kind, **options)

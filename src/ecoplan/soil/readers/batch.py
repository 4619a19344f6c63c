"""What every soil reader returns: a :class:`SoilBatch` of rows plus rejects with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecoplan.soil.standards.gb15618_2018 import BASIC

__all__ = [
    "KINDS",
    "PLOT_COLUMNS",
    "REASONS",
    "REJECT_COLUMNS",
    "SAMPLE_COLUMNS",
    "UNIT_COLUMNS",
    "Rejects",
    "SoilBatch",
]

#: Canonical columns of farmland samples (metals in mg/kg; ``crop_cd``: Cd in the grain, mg/kg).
SAMPLE_COLUMNS = ("sample_id", "region", "year", "lon", "lat", "land_use", "ph", *BASIC, "crop_cd")
#: Farmland units of the register (area in hm²).
UNIT_COLUMNS = ("unit_id", "region", "year", "area_hm2", "level", "measure", "crop_compliant")
#: Construction-land plots of the register.
PLOT_COLUMNS = (
    "plot_id",
    "region",
    "year",
    "land_type",
    "contaminated",
    "status",
    "planned_reuse",
    "reuse_compliant",
    "key",
)
KINDS = ("samples", "units", "plots")
REJECT_COLUMNS = ("file", "row", "field", "value", "reason")
#: Reason codes of rejected values and rows (``docs/soil.md``).
REASONS = (
    "missing_column",  # a required column is absent (row: the header row)
    "missing_id",  # no identifier in an id column that must be given
    "duplicate_id",  # the same id (and year) twice in one batch: the later row is rejected
    "not_a_number",
    "negative",
    "ph_out_of_range",  # pH outside 0–14: the pH is dropped, the sample kept
    "unit_missing",  # a concentration or area without a declared unit
    "unit_unknown",  # a unit this reader does not convert (mg/kg, µg/g, µg/kg, g/kg; 亩, hm², m²)
    "land_use_unknown",
    "bad_region",  # not a six-digit GB/T 2260 code
    "bad_year",
    "bad_value",  # a value outside the field's vocabulary (level, measure, status, yes/no)
)


class Rejects:
    """Rejected values and rows, collected while reading."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int | None, str, str, str]] = []

    def add(self, file: str, row: int | None, fld: str, value: Any, reason: str) -> None:
        assert reason in REASONS, reason
        self.rows.append((file, row, fld, "" if value is None else str(value), reason))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(REJECT_COLUMNS))


@dataclass
class SoilBatch:
    """Rows of one kind read from ``files``, in canonical columns and units."""

    kind: str
    rows: pd.DataFrame
    rejects: pd.DataFrame
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rejects by reason code."""
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}

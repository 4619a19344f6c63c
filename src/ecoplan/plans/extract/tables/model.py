"""The result types of table extraction: an indicator row and a table.

:class:`ExtractedIndicator` is also what the prose reader
(:mod:`ecoplan.plans.extract.prose`) returns, so both readers feed one review
step; :class:`ExtractedTable` keeps the column years and the table's notes
(``注：1.…``; key ``0`` is the ``*`` note).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecoplan.plans.extract.spans import Span

__all__ = ["ExtractedIndicator", "ExtractedTable"]


@dataclass(frozen=True)
class ExtractedIndicator:
    """One indicator row read from a plan table (or a prose sentence)."""

    name_zh: str
    unit: str
    category_zh: str | None
    attribute: str | None  # "binding" | "expected" | None
    baseline: tuple[int, float] | None
    targets: list[tuple[int, str]]
    footnotes: list[str]
    span: Span
    confidence: float
    cells: list[str]
    #: Stretch goals (力争 …) by target year, as a plain expression ("35").
    stretch: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractedTable:
    """An indicator table: its title, column years, rows and notes."""

    title: str
    years: list[int]
    indicators: list[ExtractedIndicator]
    notes: dict[int, str]  # footnote number -> text; 0 is the '*' note
    span: Span

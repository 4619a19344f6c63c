"""The result types of table extraction: an indicator row and a table.

:class:`ExtractedIndicator` is also what the prose reader
(:mod:`ecoplan.plans.extract.prose`) returns, so both readers feed one review
step; :class:`ExtractedTable` keeps the column years and the table's notes
(``注：1.…``; key ``0`` is the ``*`` note).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecoplan.core.words import word
from ecoplan.plans.extract.spans import Span

__all__ = ["ExtractedIndicator", "ExtractedTable", "NotUnderstood"]


@dataclass(frozen=True)
class NotUnderstood:
    """A cell the table reader could not read: kept as printed, never dropped silently.

    ``cell`` is the cell's text, ``row`` the row's name (or its first cell), ``span``
    where the cell is in the document.
    """

    cell: str
    row: str
    span: Span

    def message(self, lang: str = "en") -> str:
        """``not understood: "…" (row …, characters a–b)``, for the extraction's warnings."""
        return word(
            "extract.table.not_understood",
            lang,
            cell=self.cell,
            row=self.row,
            start=self.span.start,
            end=self.span.end,
        )


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
    #: A cumulative 〔x〕 printed in the baseline column (the previous period's
    #: achievement, not a level): kept here and in a footnote; ``baseline`` is then None.
    baseline_cumulative: str | None = None
    #: Cells of this row the reader could not read (kept in ``cells`` as printed).
    not_understood: list[NotUnderstood] = field(default_factory=list)


@dataclass(frozen=True)
class ExtractedTable:
    """An indicator table: its title, column years, rows and notes."""

    title: str
    years: list[int]
    indicators: list[ExtractedIndicator]
    notes: dict[int, str]  # footnote number -> text; 0 is the '*' note
    span: Span
    #: Every cell of the table not understood, rows kept or not, in text order.
    not_understood: list[NotUnderstood] = field(default_factory=list)

"""Reason-coded rejects and notes of the spatial readers.

A reject names the file, the feature (its 0-based index in the file and its id when it
has one), the field and the reason code (``ecology.spatial.reason.<code>`` in the words
catalog) with the parameters of its message. A note has the same shape: something the
reader changed and kept (a repaired geometry, zones cut apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.ecology.spatial.words import text

__all__ = ["Reject", "SpatialInputError", "raise_if_rejected"]


@dataclass(frozen=True)
class Reject:
    """One refused feature (or, as a note, one change the reader made)."""

    file: str
    reason: str
    index: int | None = None
    feature: str | None = None
    field: str | None = None
    params: dict[str, Any] = _field(default_factory=dict)

    def message(self, lang: str) -> str:
        """Where and why, in ``lang``."""
        why = text(f"reason.{self.reason}", lang, **self.params)
        if self.index is None and self.feature in (None, "", "—"):
            # a note on the file or on a whole reserve, not on one feature
            return text("reject.where_file", lang, file=self.file, reason=why)
        return text(
            "reject.where",
            lang,
            file=self.file,
            index="—" if self.index is None else self.index,
            feature=self.feature,
            field=self.field or "geometry",
            reason=why,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "index": self.index,
            "feature": self.feature,
            "field": self.field,
            "reason": self.reason,
            "params": dict(self.params),
            "message": self.message("en"),
        }

    def problem(self, lang: str = "en") -> Problem:
        """As an :class:`~ecoplan.core.errors.Problem` (row = feature index + 1)."""
        why = text(f"reason.{self.reason}", lang, **self.params)
        return Problem(
            file=self.file,
            reason=f"[{self.reason}] {why}",
            row=None if self.index is None else self.index + 1,
            field=self.field,
            text=self.feature,
        )


class SpatialInputError(InputFileError):
    """A spatial file refused whole: every reject (file, feature, field, reason code), its
    message in the reader's language (the CLI asks :meth:`message` with ``--lang``)."""

    def __init__(self, file: str, rejects: Sequence[Reject]) -> None:
        self.rejects = list(rejects)
        super().__init__(file, [r.problem() for r in self.rejects])

    def message(self, lang: str) -> str:
        head = text("rejected", lang, file=self.file, count=len(self.rejects))
        body = [f"  - {r.message(lang)}" for r in self.rejects[:50]]
        return "\n".join([head, *body])


def raise_if_rejected(file: str, rejects: Sequence[Reject]) -> None:
    """Raise :class:`SpatialInputError` listing every reject (the all-or-nothing import rule)."""
    if rejects:
        raise SpatialInputError(file, rejects)

"""What every extractor shares: the loaded document and provenance spans.

Offsets are character offsets into :attr:`Document.text` — the text the readers
see: the decoded text after the clean-up of
:func:`~ecoplan.plans.extract.normalise.normalise_text` (line breaks kept) — so
a span can always be shown in its context, and its quote is what a reviewer reads.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Document", "Span"]


@dataclass(frozen=True)
class Document:
    """A plan document decoded to text.

    ``notes`` say what the clean-up changed before the readers saw the text
    (``converted from traditional script: 1234 characters``), for the
    extractor to show as warnings; empty when nothing was changed.
    """

    text: str
    path: str  # as given
    kind: str  # "text" | "markdown" | "html" | "docx" | "pdf"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030", or "n/a" for docx/pdf
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """Where an extracted field comes from: ``text[start:end] == quote``."""

    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "quote": self.quote}

"""What the domains' feeds (plan indicators fed from a pipeline) share: why a feed gives
no value (:class:`Skip`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ecoplan.core.words import word

__all__ = ["Skip"]


@dataclass(frozen=True)
class Skip:
    """Why a feed gives no value: a key of the domain's words and its parameters."""

    key: str
    params: Mapping[str, object]

    def text(self, lang: str) -> str:
        return word(self.key, lang, **self.params)

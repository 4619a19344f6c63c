"""The spatial words: this package's ``words.yaml`` added to the catalog once.

The ecology Domain lists the file (``words=(..., "spatial/words.yaml")``); until it does,
and for code that runs without the registry, :func:`ensure` registers it (registering the
same file twice adds nothing).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ecoplan.core import words

__all__ = ["ensure", "text"]


@cache
def ensure() -> None:
    """Add ``spatial/words.yaml`` to the catalog under the ``ecology`` prefix."""
    words.register(resources.files(__package__ or __name__).joinpath("words.yaml"), prefix="ecology")


def text(key: str, lang: str, **params: object) -> str:
    """The word ``ecology.spatial.<key>`` in ``lang``."""
    ensure()
    return words.word(f"ecology.spatial.{key}", lang, **params)

"""What the domains' reader registries share: one input format (:class:`Reader`), the
error of an unknown format name, and the look-up that checks a reader's options."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from ecoplan.core.errors import EcoplanError

__all__ = ["Reader", "UnknownFormat", "reader_for"]

B = TypeVar("B")


class UnknownFormat(EcoplanError, ValueError):
    """An input format name that is not a key of a domain's ``FORMATS``."""


@dataclass(frozen=True)
class Reader(Generic[B]):
    """One input format: its reader, a one-line description, the keyword options it takes."""

    read: Callable[..., B]
    description: str
    options: frozenset[str]


def reader_for(formats: Mapping[str, Reader[B]], domain: str, fmt: str, options: Iterable[str]) -> Reader[B]:
    """The reader of format ``fmt`` of ``formats``, which takes every one of ``options``.

    Raises ``UnknownFormat`` for an unknown name (listing the known ones) and
    ``TypeError`` for an option the format does not take; ``domain`` names the formats
    in the messages (``unknown air format 'x'``).
    """
    reader = formats.get(fmt)
    if reader is None:
        raise UnknownFormat(f"unknown {domain} format {fmt!r}; expected one of {', '.join(formats)}")
    extra = sorted(set(options) - reader.options)
    if extra:
        takes = ", ".join(sorted(reader.options)) or "none"
        raise TypeError(
            f"{domain} format {fmt!r} does not take option(s) {', '.join(extra)} (it takes: {takes})"
        )
    return reader

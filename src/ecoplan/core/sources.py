"""What the domains' readers take: files, folders or file-like objects, expanded into
the inputs to read (:func:`expand`) and named in rejects and errors (:func:`name_of`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, TypeAlias

from ecoplan.core.errors import InputFileError

__all__ = ["Input", "Source", "Sources", "expand", "is_stream", "name_of"]

Source: TypeAlias = str | Path | IO[str] | IO[bytes]
"""One input: a file or folder path, or an open file-like object (text or binary)."""
Sources: TypeAlias = Source | Sequence[Source]
"""What a reader takes: one input or a sequence of them."""
Input: TypeAlias = Path | IO[str] | IO[bytes]
"""One input to read, after folders are expanded."""


def is_stream(item: object) -> bool:
    """Whether ``item`` is a file-like object (it has ``read``), not a path."""
    return not isinstance(item, str | Path) and callable(getattr(item, "read", None))


def name_of(item: Input) -> str:
    """How an input is named in rejects and errors: its path, or a stream's ``name``."""
    if isinstance(item, Path):
        return str(item)
    return str(getattr(item, "name", None) or "<stream>")


def expand(given: Sources, suffixes: tuple[str, ...], wanted: str | None = None) -> list[Input]:
    """Inputs named in ``given``; a folder stands for its files ending in one of
    ``suffixes``, sorted; file-like objects are read as they are. A folder without such
    files is an error naming ``wanted`` (default ``*.csv or *.csv.gz``-style, from ``suffixes``)."""
    single = isinstance(given, str | Path) or is_stream(given)
    items: list[Any] = [given] if single else list(given)  # type: ignore[arg-type]
    if not items:
        raise ValueError("no input files given")
    out: list[Input] = []
    for item in items:
        if is_stream(item):
            out.append(item)
            continue
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.name.lower().endswith(suffixes))
            if not found:
                wanted = wanted or " or ".join("*" + s for s in suffixes)
                raise InputFileError(str(item), f"folder has no {wanted} files")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputFileError(str(item), "file not found")
    return out

"""Which stored rows belong to a region: the region and the regions under it (GB/T 2260).

A province's code ends in ``0000`` and its cities and counties share its first two
digits; a city's ends in ``00`` and its counties share its first four. ``000000`` (the
nation) takes every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["prefix", "within"]


def prefix(code: str) -> str:
    """The prefix a region's subregions share (``130000`` → ``13``, ``000000`` → ``""``)."""
    if code == "000000":
        return ""
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code


def within(rows: Sequence[dict[str, Any]], code: str | None) -> list[dict[str, Any]]:
    """The rows (each with a ``region``) of ``code`` and the regions under it; all for None."""
    p = prefix(code) if code else ""
    return [r for r in rows if str(r["region"]).startswith(p)]

"""The risk domain's tables (applied by the store, versioned under ``schema_version:risk``;
never edit a released entry: append)."""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = ()

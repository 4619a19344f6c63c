"""``ecoplan risk grade FILE``: an enterprise's HJ 941-2018 risk level."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``grade`` to the ``ecoplan risk`` group."""

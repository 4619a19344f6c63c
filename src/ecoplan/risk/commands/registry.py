"""``ecoplan risk import|sources|targets|plans``: the registries."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the registry commands to the ``ecoplan risk`` group."""

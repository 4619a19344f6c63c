"""``ecoplan receive`` (being built, issue 11)."""

from __future__ import annotations

import typer

from ecoplan.sources.commands.options import sources_app  # noqa: F401

__all__ = ["receive"]


def receive(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(9212, help="TCP port"),
) -> None:
    """Receive HJ 212 frames over TCP (being built)."""
    raise typer.Exit(2)

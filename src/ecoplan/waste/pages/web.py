"""The waste pages of their own, mounted by the web shell at ``/waste/…``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import Response

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Render = Callable[..., Response]


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The waste pages."""
    return APIRouter()

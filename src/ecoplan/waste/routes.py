"""The waste API, mounted at ``/api/v1/waste`` by the API shell."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from fastapi import APIRouter

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The waste routes, each reading through ``session()``."""
    return APIRouter()

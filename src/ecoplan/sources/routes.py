"""The sources API, mounted at ``/api/v1/sources`` (being built, issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from fastapi import APIRouter

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The sources routes, each reading through ``session()``."""
    return APIRouter()

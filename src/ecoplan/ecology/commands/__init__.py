"""``ecoplan ecology …``: ``ei`` (the HJ 192-2015 calculator), ``ei-import``, ``counties``,
``feed`` and ``methods`` (:mod:`.ei`); the group in :mod:`.options`."""

from __future__ import annotations

from ecoplan.ecology.commands import ei  # noqa: F401  (it registers its commands)
from ecoplan.ecology.commands.options import ecology_app

__all__ = ["ecology_app"]

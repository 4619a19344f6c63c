"""``ecoplan waste …``: the registry and manifests (:mod:`.registry`), and, when their
modules are present, the catalogue (``commands/catalogue.py``) and the alerts
(``commands/alerts.py``), each adding its commands through ``register(waste_app)``."""

from __future__ import annotations

import importlib
import importlib.util

import typer

__all__ = ["waste_app"]

waste_app = typer.Typer(
    no_args_is_help=True,
    help="Hazardous waste: actors, permits, manifests, ledgers, alerts / 危险废物全过程监管",
)

for _name in ("registry", "catalogue", "alerts", "feed"):
    _module = f"{__name__}.{_name}"
    if importlib.util.find_spec(_module) is not None:
        _register = getattr(importlib.import_module(_module), "register", None)
        if _register is not None:
            _register(waste_app)

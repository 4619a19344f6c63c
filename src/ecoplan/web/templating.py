"""The dashboard's templates (``ecoplan/web/templates``, one ``base.html``) on the shared
Jinja2 environment of :mod:`ecoplan.core.templating`."""

from __future__ import annotations

from typing import Any

from ecoplan.core.templating import environment
from ecoplan.core.templating import render as _render

__all__ = ["fmt", "render"]


def fmt(v: Any, lang: str) -> str:
    """A number as the pages show it: at most two decimals, trailing zeros dropped;
    thousands separators in English; ``—`` for none."""
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if lang == "en" else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


environment("ecoplan.web").filters["fmt"] = fmt


def render(name: str, **context: Any) -> str:
    """Render the dashboard template ``name`` with ``context``."""
    return _render("ecoplan.web", name, **context)

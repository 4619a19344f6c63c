"""What the dashboard's pages share with the domains' page sections.

A domain's ``pages`` object (see :mod:`ecoplan.core.domain`) answers ``home``, ``region``
and ``rankings`` with a :class:`Section` or ``None``: ``json`` is merged into the page's
JSON form (keys the domain chooses, usually its name), ``template`` (in the
domain's ``templates/`` folder, named
``<domain>/….html``) is included in the HTML page with ``context``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Section", "fmt"]


@dataclass(frozen=True)
class Section:
    """One domain's part of a dashboard page."""

    json: dict[str, Any]
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def fmt(v: Any, lang: str) -> str:
    """A number as the pages show it: at most two decimals, trailing zeros dropped;
    thousands separators in English; ``—`` for none."""
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if lang == "en" else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)

"""What the dashboard's pages share with the domains' page sections.

A domain's ``pages`` object (see :mod:`ecoplan.core.domain`) answers ``home``, ``region``
and ``rankings`` with a :class:`Section` or ``None``: ``json`` is merged into the page's
JSON form (keys the domain chooses, usually its name), ``template`` (in the
domain's ``templates/`` folder, named
``<domain>/….html``) is included in the HTML page with ``context``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Cache", "Section", "fmt"]


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


class Cache:
    """A thread-safe LRU cache of a domain's page results: ``cache(key, make)`` is the
    value kept for ``key``, else ``make()`` (kept, the least recently used of more than
    ``size`` dropped). ``make`` runs outside the lock."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

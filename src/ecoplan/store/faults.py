"""Fault injection for crash tests: :func:`point` marks each step of a store write.

A point does nothing unless it is armed, which costs one global lookup. Arm one
with the environment variable ``ECOPLAN_FAULT`` (read when this module is
imported, e.g. by a child process) or, in the same process, with :func:`armed`:

- ``NAME``: the point called ``NAME`` raises :class:`InjectedFault` (an ordinary
  failure: ``except`` and ``finally`` blocks run);
- ``NAME:exit``: the process ends there and then with ``os._exit(EXIT_CODE)``, as
  a ``kill -9`` would (no clean-up runs, nothing is flushed).

A store module lists its points beside its code (e.g. a domain's storage module's ``FAULT_POINTS``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["EXIT_CODE", "InjectedFault", "armed", "point"]

#: Exit status of a process ended by a ``NAME:exit`` point.
EXIT_CODE = 86


class InjectedFault(RuntimeError):
    """Raised by an armed fault point."""


def _parse(spec: str | None) -> tuple[str, str] | None:
    if not spec:
        return None
    name, _, action = spec.partition(":")
    return name.strip(), action.strip() or "raise"


_armed = _parse(os.environ.get("ECOPLAN_FAULT"))


def point(name: str) -> None:
    """Fail here if the point ``name`` is armed (see the module docstring)."""
    if _armed is None or _armed[0] != name:
        return
    if _armed[1] == "exit":
        os._exit(EXIT_CODE)
    raise InjectedFault(f"fault injected at {name}")


@contextmanager
def armed(name: str, action: str = "raise") -> Iterator[None]:
    """Arm the point ``name`` (``action`` "raise" or "exit") for the ``with`` block."""
    global _armed
    before = _armed
    _armed = (name, action)
    try:
        yield
    finally:
        _armed = before

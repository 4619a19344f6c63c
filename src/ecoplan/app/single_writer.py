"""Run a domain service's write method as the app's single writer.

Every write of a shared app goes through :meth:`ecoplan.app.Ecoplan.writer` (one writer
at a time on the app's connection, re-entrant within a thread). A domain service made for
a reader view (``ep.reader()``) or called from another thread must not write on its own
view's connection: :func:`as_writer` runs the whole method — its reads of the store
included — on the writer app's own service of the same domain.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

__all__ = ["as_writer"]

P = ParamSpec("P")
T = TypeVar("T")


class _Service(Protocol):
    session: Any


S = TypeVar("S", bound=_Service)


def as_writer(domain: str) -> Callable[[Callable[Concatenate[S, P], T]], Callable[Concatenate[S, P], T]]:
    """Decorate a method of the service of ``domain`` so it runs as the single writer."""

    def wrap(fn: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
        def run(ops: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
            with ops.session.writer() as w:
                return fn(w.domain(domain), *args, **kwargs)

        return functools.update_wrapper(run, fn)

    return wrap

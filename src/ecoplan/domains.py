"""The registry of environmental domains: the one place a domain is added.

Adding a domain is one folder (``src/ecoplan/<name>/`` with its :class:`Domain` object)
and one line in :data:`BUILTIN` (see ``docs/contributing.md``). A separate package adds
one through the ``ecoplan.domains`` entry-point group instead, pointing at its
:class:`~ecoplan.core.domain.Domain` object::

    [project.entry-points."ecoplan.domains"]
    noise = "ecoplan_noise:DOMAIN"

The shells (``cli``, ``api``, ``web``, ``reports``) and the app discover domains here and
name none of them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.metadata import entry_points

from ecoplan.core import words
from ecoplan.core.domain import Domain, load

__all__ = ["BUILTIN", "domain", "domains"]

#: One line per built-in domain: ``"package:DOMAIN"``.
BUILTIN: tuple[str, ...] = (
    "ecoplan.air:DOMAIN",
    "ecoplan.water:DOMAIN",
    "ecoplan.soil:DOMAIN",
    "ecoplan.sources:DOMAIN",
    "ecoplan.waste:DOMAIN",
    "ecoplan.risk:DOMAIN",
    "ecoplan.ecology:DOMAIN",
    "ecoplan.climate:DOMAIN",
)


@cache
def domains() -> tuple[Domain, ...]:
    """Every registered domain: the built-in ones in order, then installed plug-ins."""
    found: list[Domain] = []
    refs = [*BUILTIN, *(ep.value for ep in entry_points(group="ecoplan.domains"))]
    for ref in refs:
        d = load(ref)
        if not isinstance(d, Domain):
            raise TypeError(f"{ref}: not an ecoplan.core.domain.Domain")
        if any(d.name == other.name for other in found):
            raise ValueError(f"{ref}: a domain named {d.name!r} is already registered")
        for file in d.word_files:
            words.register(resources.files(d.package).joinpath(file), prefix=d.name)
        found.append(d)
    return tuple(found)


def domain(name: str) -> Domain:
    """The registered domain ``name`` (``KeyError`` naming the known ones)."""
    for d in domains():
        if d.name == name:
            return d
    raise KeyError(f"no domain {name!r}; registered: {', '.join(d.name for d in domains())}")

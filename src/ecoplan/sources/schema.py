"""The sources domain's tables (applied by the store, versioned under
``schema_version:sources``; never edit a released entry: append).

One entry per part, each kept beside the code that writes it: the registry and permits
(:mod:`.tables.registry`), the frames and their values (:mod:`.tables.frames`), and the
facts computed from them (:mod:`.tables.facts`).
"""

from __future__ import annotations

from ecoplan.sources.tables import facts, frames, registry

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (registry.SQL, frames.SQL, facts.SQL)

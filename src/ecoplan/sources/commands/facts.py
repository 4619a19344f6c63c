"""Being built (issue 11)."""

from __future__ import annotations

from ecoplan.sources.commands.options import sources_app  # noqa: F401

"""The dashboard's templates (``ecoplan/web/templates``, one ``base.html``) on the shared
Jinja2 environment of :mod:`ecoplan.core.templating`, plus each registered domain's
``templates/`` folder (its templates are named ``<domain>/….html``)."""

from __future__ import annotations

from typing import Any

from jinja2 import ChoiceLoader, PackageLoader

from ecoplan.core.templating import environment
from ecoplan.core.templating import render as _render
from ecoplan.domains import domains
from ecoplan.kit.web import fmt

__all__ = ["fmt", "render"]

_env = environment("ecoplan.web")
_env.filters["fmt"] = fmt
if _env.loader is not None and not isinstance(_env.loader, ChoiceLoader):
    _env.loader = ChoiceLoader(
        [
            _env.loader,
            *(
                PackageLoader(d.package, "templates")
                for d in domains()
                if d.pages is not None or d.web is not None
            ),
        ]
    )


def render(name: str, **context: Any) -> str:
    """Render the dashboard template ``name`` with ``context``."""
    return _render("ecoplan.web", name, **context)

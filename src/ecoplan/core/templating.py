"""Jinja2 for every HTML output (dashboard pages, the assessment report, the extraction
review page): autoescape on for ``.html`` templates, ``StrictUndefined`` (a missing
value is an error, never an empty string), ``None`` shown as nothing. Each package keeps
its templates in its own ``templates/`` folder."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["environment", "render"]


def _finalize(x: Any) -> Any:
    return "" if x is None else x


@cache
def environment(package: str) -> Environment:
    """The environment of the templates in ``package``/templates."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(package: str, name: str, /, **context: Any) -> str:
    """Render the template ``name`` of ``package`` with ``context``."""
    return environment(package).get_template(name).render(**context)

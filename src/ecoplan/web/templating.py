"""Jinja2 for every HTML page of the dashboard: autoescape on, ``StrictUndefined`` (a
missing value is an error, never an empty string), one ``base.html``."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["fmt", "render"]


def fmt(v: Any, lang: str) -> str:
    """A number as the pages show it: at most two decimals, trailing zeros dropped;
    thousands separators in English; ``—`` for none."""
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if lang == "en" else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ecoplan.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda x: "" if x is None else x,  # None shows as nothing, as before
    )
    env.filters["fmt"] = fmt
    return env


def render(name: str, **context: Any) -> str:
    """Render template ``name`` (under ``ecoplan/web/templates``) with ``context``."""
    return environment().get_template(name).render(**context)

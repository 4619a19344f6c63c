"""The domains' sections of the dashboard pages, found through the registry.

Each registered domain with ``pages`` (:mod:`ecoplan.core.domain`) is asked for its part
of the home, region and rankings pages; a domain without data answers ``None`` and adds
nothing. A section's ``json`` is merged into the page's JSON form; its
template (autoescaped, from the domain's ``templates/``) is rendered into the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ecoplan.core.domain import load
from ecoplan.core.words import Words
from ecoplan.domains import domains
from ecoplan.kit.web import Section
from ecoplan.web.templating import render

__all__ = ["domain_sections", "section_html"]


def domain_sections(ask: Callable[[Any], Section | None]) -> dict[str, Section]:
    """``ask(pages)`` of every domain with pages, by domain name, those that answer."""
    found: dict[str, Section] = {}
    for d in domains():
        if d.pages is not None:
            s = ask(load(d.pages))
            if s is not None:
                found[d.name] = s
    return found


def section_html(sections: dict[str, Section], lang: str) -> list[Markup]:
    """Each section rendered with its template (the page shows them in registry order)."""
    w = Words(lang)
    return [Markup(render(s.template, lang=lang, w=w, **s.context)) for s in sections.values()]

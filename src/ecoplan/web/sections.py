"""The domains' sections of the dashboard pages, found through the registry.

Each registered domain with ``pages`` (:mod:`ecoplan.core.domain`) is asked for its part
of the home, region and rankings pages; a domain without data answers ``None`` and adds
nothing. A section's ``json`` is merged into the page's JSON form; its
template (autoescaped, from the domain's ``templates/``) is rendered into the page.

Each section fails alone: a domain whose ``pages`` cannot be loaded, whose answer raises
or whose template fails to render is logged (logger ``ecoplan.web``, with the
traceback) and shows a worded notice in its place (its title and "this section could not
be shown"); its JSON key (the domain's name) is ``null``. The rest of the page is
rendered as usual. A :class:`~ecoplan.core.errors.StoreError` (the store busy or
unavailable) is not a section's fault and still answers the page with 503.

A query that fails in the store aborts the page's read transaction, and every later
query of it would fail too; so once a section has failed, the domains after it are asked
with a fresh read view (``ep.reader()``, the app's own method: a snapshot taken then),
closed when the sections are done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from markupsafe import Markup

from ecoplan.core.domain import load
from ecoplan.core.errors import StoreError
from ecoplan.core.words import Words, has
from ecoplan.domains import domain, domains
from ecoplan.kit.web import Section
from ecoplan.web.templating import render

__all__ = ["FAILED", "domain_sections", "failed_text", "section_html"]

_log = logging.getLogger("ecoplan.web")
#: The template name of a section that failed (rendered as the notice, not a template).
FAILED = "<failed>"
#: The notice's word: ``error.web.section`` once the catalog has it, else the page-error
#: sentence of ``error.web.internal``.
_NOTICE_KEYS = ("error.web.section", "error.web.internal")


def failed_text(lang: str) -> str:
    """The notice a failed section shows, in ``lang``."""
    key = next(k for k in _NOTICE_KEYS if has(k))
    return Words(lang)(key)


def _failed(name: str) -> Section:
    return Section(json={name: None}, template=FAILED, context={"domain": name})


class _Asked:
    """A domain's ``pages`` whose methods get the page's ``ep`` (their first argument)
    through ``swap``: after a failed section, a fresh read view in its place."""

    def __init__(self, pages: Any, swap: Callable[[Any], Any]) -> None:
        self._pages = pages
        self._swap = swap

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self._pages, name)
        if not callable(fn):
            return fn

        def call(ep: Any, *args: Any, **kwargs: Any) -> Any:
            return fn(self._swap(ep), *args, **kwargs)

        return call


def domain_sections(ask: Callable[[Any], Section | None]) -> dict[str, Section]:
    """``ask(pages)`` of every domain with pages, by domain name, those that answer; a
    domain whose answer raises gets the failed section (logged), and the domains after
    it a fresh read view (see the module docstring)."""
    found: dict[str, Section] = {}
    with ExitStack() as views:
        state: dict[str, Any] = {"stale": False, "view": None}

        def swap(ep: Any) -> Any:
            if state["stale"]:
                state["stale"] = False
                opener = getattr(ep, "reader", None)
                if callable(opener):
                    try:
                        state["view"] = views.enter_context(opener())
                    except Exception:
                        _log.exception("no fresh read view for the dashboard sections")
            return state["view"] if state["view"] is not None else ep

        for d in domains():
            if d.pages is None:
                continue
            try:
                s = ask(_Asked(load(d.pages), swap))
            except StoreError:
                raise
            except Exception:
                _log.exception("dashboard section of domain %r failed", d.name)
                s = _failed(d.name)
                state["stale"] = True
            if s is not None:
                found[d.name] = s
    return found


def _notice(name: str, lang: str) -> Markup:
    title = Words(lang)(domain(name).title_key)
    return Markup(
        '<section class="section-failed" id="section-failed-{}" role="status"><h2>{}</h2><p>{}</p></section>'
    ).format(name, title, failed_text(lang))


def section_html(sections: dict[str, Section], lang: str) -> list[Markup]:
    """Each section rendered with its template (the page shows them in registry order);
    a failed section, or one whose template fails, as the notice."""
    w = Words(lang)
    out: list[Markup] = []
    for name, s in sections.items():
        if s.template == FAILED:
            out.append(_notice(name, lang))
            continue
        try:
            out.append(Markup(render(s.template, lang=lang, w=w, **s.context)))
        except StoreError:
            raise
        except Exception:
            _log.exception("dashboard section of domain %r failed to render", name)
            out.append(_notice(name, lang))
    return out

"""The domains' sections of the assessment report, found through the registry.

Each registered domain with a ``report`` part (:mod:`ecoplan.core.domain`) is asked for
its section for the report's plan, region and year, in the report's language; a domain
with nothing for them answers ``None`` and adds nothing. The shell names no domain: it
renders each :class:`~ecoplan.core.domain.ReportSection` as a table (or the domain's own
autoescaped HTML fragment) in the HTML and PDF report, and as a sheet of the workbook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ecoplan.core.domain import ReportSection, load
from ecoplan.domains import domains
from ecoplan.kit.web import fmt

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["domain_sections", "section_html", "sheet_name"]

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def domain_sections(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> list[dict[str, Any]]:
    """The JSON form of every domain's section (``domain``, ``title``, ``header``, ``rows``,
    ``note``, ``html``), in registry order."""
    out: list[dict[str, Any]] = []
    for d in domains():
        if d.report is None:
            continue
        section = load(d.report)(ep, plan, region, year, lang)
        if section is None:
            continue
        if not isinstance(section, ReportSection):
            raise TypeError(f"{d.report}: returned {type(section).__name__}, not a ReportSection")
        out.append({"domain": d.name, **section.to_dict()})
    return out


def _cell(v: Any, lang: str) -> str:
    return "—" if v is None else fmt(v, lang)


def section_html(section: dict[str, Any], lang: str) -> Markup:
    """A section's body: the domain's own HTML fragment, else its table (every cell escaped)."""
    if section.get("html"):
        return Markup(section["html"])  # rendered by the domain with an autoescaping template
    head = "".join(f"<th>{escape(h)}</th>" for h in section["header"])
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(v, lang))}</td>" for v in row) + "</tr>"
        for row in section["rows"]
    )
    table = Markup(
        f'<table class="domain" id="domain-{escape(section["domain"])}"><tr>{head}</tr>{body}</table>'
    )
    if section.get("note"):
        table += Markup('<p class="r">{}</p>').format(section["note"])
    return table


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unused worksheet name for ``title`` (no ``[]:*?/\\``, at most 31 characters)."""
    base = _SHEET_BAD.sub(" ", title).strip()[:31] or "section"
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name

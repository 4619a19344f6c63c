"""What an environmental domain (air, water, soil, …) declares about itself.

A domain is one package beside the core (``ecoplan/air/``, ``ecoplan/water/``, …) and
one :class:`Domain` object in it, registered in :mod:`ecoplan.domains`. The object names
its parts by reference (``"package.module:attribute"``), loaded only when a shell or
the app asks for them, so the core and the shells never import a domain: they read the
registry. Every part is optional; a domain without pages simply adds none.

The parts, and who calls them:

``service``
    A class taking the app (:class:`ecoplan.app.Ecoplan`): the domain's read and write
    methods (``ep.domain("air")``, or ``ep.air`` for short). Only the service and the
    domain's storage module may use the store.
``commands``
    A :class:`typer.Typer`, added to the ``ecoplan`` CLI as ``ecoplan <name> …``;
    ``top_commands`` are plain functions added at the top level (``ecoplan aqi``).
``routes``
    ``routes(session) -> fastapi.APIRouter``, mounted at ``/api/v1/<name>``; ``session()``
    gives the read snapshot of the app for one request.
``pages``
    An object with ``home(ep, lang)``, ``region(ep, code, lang, year)`` and
    ``rankings(ep, year, lang)``, each returning a :class:`ecoplan.kit.web.Section` or
    ``None``: the dashboard shows the sections of every domain that has data.
``web``
    ``routes(session, render) -> fastapi.APIRouter``: the domain's own dashboard pages
    (an enterprise, a list of its own), mounted by the web shell at ``/<name>/…`` and
    left out of the API schema. ``session()`` is the read snapshot, as for ``routes``;
    ``render(template, title, lang, path, data, fmt="html", **context)`` is the shell's
    page: the domain's template (``templates/<name>/….html``, extending the shell's
    ``base.html``, so the page has its layout, header and language switch) rendered with
    ``context`` and the shell's ``w`` and ``fmt``, or ``data`` as the page's JSON twin
    when ``fmt == "json"``. Errors (``NotFound``, a worded ``EcoplanError``) become the
    shell's error pages in the visitor's language.
``report``
    ``section(ep, plan, region, year, lang) -> ReportSection | None``: the domain's part
    of a plan's assessment report (:mod:`ecoplan.reports`) for the report's region and
    year, in the report's language; ``None`` when the domain has nothing for them. A
    :class:`ReportSection` is a title, a table (header and rows: the HTML/PDF report
    shows it, the XLSX workbook gives it a sheet of its own) and a note, or an HTML
    fragment of the domain's own (autoescaped template) in place of the table in HTML.
``words``
    The domain's ``words.yaml`` (keys under ``<name>.``), added to the catalog of words;
    a tuple of files when the domain keeps one file per surface (``words.yaml``,
    ``words_cli.yaml``, …). A key is still defined once.
``migrations``
    The domain's tables, as SQL statements applied in order and tracked per domain
    (never edit a released one: append).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Domain", "ReportSection", "load"]


@dataclass(frozen=True)
class Domain:
    """One environmental domain (see the module docstring for the parts)."""

    name: str
    package: str
    title_key: str
    service: str | None = None
    commands: str | None = None
    top_commands: tuple[str, ...] = ()
    routes: str | None = None
    pages: str | None = None
    web: str | None = None
    report: str | None = None
    words: str | tuple[str, ...] | None = None
    migrations: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"domain name {self.name!r}: lower-case identifier expected")

    @property
    def word_files(self) -> tuple[str, ...]:
        """The domain's words files (none, one or several)."""
        if self.words is None:
            return ()
        return (self.words,) if isinstance(self.words, str) else self.words


@dataclass(frozen=True)
class ReportSection:
    """One domain's part of the assessment report (``Domain.report``).

    Every text is already in the report's language. ``rows`` keep numbers as numbers
    (``None`` for no value): the workbook writes them with a number format, the HTML
    report formats them. ``html``, when given, is an HTML fragment the domain rendered
    with an autoescaping template; the HTML and PDF reports show it instead of the
    table (the workbook still takes the rows).
    """

    title: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    note: str = ""
    html: str | None = None

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(
                    f"report section {self.title!r}: row {i} has {len(row)} cells, header {len(self.header)}"
                )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the report data's ``domains`` entries)."""
        return {
            "title": self.title,
            "header": list(self.header),
            "rows": [list(r) for r in self.rows],
            "note": self.note,
            "html": self.html,
        }


def load(ref: str) -> Any:
    """The object ``"package.module:attribute"`` names (imported on first use)."""
    module, _, attr = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj

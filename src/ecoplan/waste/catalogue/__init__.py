"""《国家危险废物名录》 (the national catalogue of hazardous wastes) by edition and date.

``lookup(code, on=date)`` finds a code in the edition in force on the date;
``entries(edition=…, on=…)`` lists an edition's codes; ``editions()`` says which
editions are known, when each is in force and whether its table is loaded.

Editions (:mod:`.editions`): 2008 and 2016 (not loaded); 2021 (部令第15号, in force
2021-01-01 to 2024-12-31, shipped as ``data/minglu-2021.csv``: 467 codes in 46
categories, built by :mod:`.build` from the official text); 2025 (生态环境部等五部门令
第36号, in force 2025-01-01; its table is not in the project's stores: not loaded). A
date an unloaded edition governs raises ``edition_not_loaded``, never the codes of another edition.

Adding an edition's table (the shipped CSV's format, :mod:`.table`):

- a folder named by the environment variable ``ECOPLAN_WASTE_CATALOGUES`` holding
  ``minglu-<edition>.csv`` (``minglu-2025.csv``): every :func:`lookup` of the process
  uses it (a file there for a shipped edition replaces the shipped table);
- ``Catalogue(files={"2025": path})``, or ``ecoplan waste catalogue --catalogue FILE``
  (the file is the table of ``--edition``, or of the edition in force on ``--date``).

Errors are :class:`CatalogueError` with a reason code (``reason``) and a worded message
(keys ``waste.catalogue.error.*``): ``malformed_code``, ``unknown_code``,
``wrong_edition`` (the code is in another loaded edition, not in the one in force),
``unknown_edition``, ``edition_not_loaded``, ``no_edition`` (a date before the first
edition), ``not_in_force`` (``edition`` and ``on`` disagree). A bad table file raises
:class:`~ecoplan.core.errors.InputFileError` (file, row, field, reason code).

The exemption list (危险废物豁免管理清单, the appendix): :func:`exemptions` and
:func:`exemptions_for` (:mod:`.exemptions`; ``data/exemptions-2021.csv``).

名录 2021 第六条: a waste found hazardous by identification is managed as
``900-000-××`` (its category's digits): :func:`lookup` accepts such a code for a category
of the edition (an :class:`Entry` with an empty hazard: the identification decides it);
:func:`entries` lists the printed codes only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ecoplan.core.errors import EcoplanError
from ecoplan.waste.catalogue.codes import IDENTIFIED_SERIAL, category_of, normalise_code
from ecoplan.waste.catalogue.editions import EDITIONS, Edition, edition_named, edition_on
from ecoplan.waste.catalogue.exemptions import Exemption, exemptions, exemptions_for
from ecoplan.waste.catalogue.table import Entry, read_shipped, read_table

__all__ = [
    "ENV_FOLDER",
    "Catalogue",
    "CatalogueError",
    "Edition",
    "EditionStatus",
    "Entry",
    "Exemption",
    "default",
    "editions",
    "entries",
    "exemptions",
    "exemptions_for",
    "lookup",
    "normalise_code",
]

#: The environment variable naming a folder of added tables (``minglu-<edition>.csv``).
ENV_FOLDER = "ECOPLAN_WASTE_CATALOGUES"
#: The description of 第六条's identified wastes (``900-000-××``), as the 2021 text puts it.
IDENTIFIED_TEXT = "经鉴别具有危险特性的固体废物（名录第六条，按“900-000-××”归类管理）"


class CatalogueError(EcoplanError, ValueError):
    """A code or an edition the catalogue cannot answer for; ``reason`` says why."""

    reason: str = ""


def _error(reason: str, **params: object) -> CatalogueError:
    exc = CatalogueError.worded(f"waste.catalogue.error.{reason}", **params)
    exc.reason = reason
    return exc


@dataclass(frozen=True)
class EditionStatus:
    """An edition and its table here: ``source`` is ``"shipped"``, the added file's name,
    or ``None`` (not loaded); ``codes`` and ``categories`` count the loaded table."""

    edition: Edition
    source: str | None
    codes: int | None
    categories: int | None

    @property
    def loaded(self) -> bool:
        return self.source is not None

    def record(self) -> dict[str, object]:
        e = self.edition
        return {
            "edition": e.name,
            "order": e.order,
            "valid_from": e.valid_from.isoformat(),
            "valid_to": None if e.valid_to is None else e.valid_to.isoformat(),
            "loaded": self.loaded,
            "source": self.source,
            "codes": self.codes,
            "categories": self.categories,
        }


@cache
def _shipped(file: str, edition: str) -> tuple[Entry, ...]:
    return read_shipped(file, edition)


class Catalogue:
    """The editions with their tables: the shipped ones, the files of ``folder``
    (``minglu-<edition>.csv``) and ``files`` (edition → CSV path), later ones winning.

    Tables are read when first needed; a bad added file raises ``InputFileError`` then.
    """

    def __init__(
        self, files: Mapping[str, str | Path] | None = None, folder: str | Path | None = None
    ) -> None:
        added: dict[str, Path] = {}
        if folder is not None:
            for e in EDITIONS:
                p = Path(folder) / f"minglu-{e.name}.csv"
                if p.is_file():
                    added[e.name] = p
        for name, path in (files or {}).items():
            self._edition(name)  # unknown_edition
            added[name] = Path(path)
        self._added = added
        self._tables: dict[str, dict[str, Entry]] = {}

    # -- editions ---------------------------------------------------------------------

    @staticmethod
    def _edition(name: str) -> Edition:
        e = edition_named(name)
        if e is None:
            raise _error("unknown_edition", edition=name, known=", ".join(x.name for x in EDITIONS))
        return e

    def source(self, e: Edition) -> str | None:
        """Where the table of ``e`` comes from (see :class:`EditionStatus`)."""
        if e.name in self._added:
            return self._added[e.name].name
        return "shipped" if e.file else None

    def editions(self) -> tuple[EditionStatus, ...]:
        """Every known edition, oldest first, with its table's counts when loaded."""
        out = []
        for e in EDITIONS:
            src = self.source(e)
            table = self._table(e) if src else None
            cats = None if table is None else len({x.category for x in table.values()})
            out.append(EditionStatus(e, src, None if table is None else len(table), cats))
        return tuple(out)

    def resolve(self, edition: str | None = None, on: dt.date | None = None) -> Edition:
        """The edition asked for: ``edition`` by name, else the one in force ``on`` (today
        when neither is given); both given must agree (``not_in_force``)."""
        if edition is not None:
            e = self._edition(edition)
            if on is not None and not e.covers(on):
                until = e.valid_to.isoformat() if e.valid_to else "—"
                raise _error(
                    "not_in_force",
                    edition=e.name,
                    on=on.isoformat(),
                    valid_from=e.valid_from.isoformat(),
                    valid_to=until,
                )
            return e
        day = on or dt.date.today()
        found = edition_on(day)
        if found is None:
            first = EDITIONS[0]
            raise _error(
                "no_edition", on=day.isoformat(), first=first.name, valid_from=first.valid_from.isoformat()
            )
        return found

    def _table(self, e: Edition) -> dict[str, Entry] | None:
        if e.name in self._tables:
            return self._tables[e.name]
        if e.name in self._added:
            rows = read_table(self._added[e.name], e.name)
        elif e.file:
            rows = _shipped(e.file, e.name)
        else:
            return None
        self._tables[e.name] = {x.code: x for x in rows}
        return self._tables[e.name]

    def _loaded(self, e: Edition, on: dt.date | None) -> dict[str, Entry]:
        table = self._table(e)
        if table is None:
            raise _error(
                "edition_not_loaded",
                edition=e.name,
                order=e.order_words(),
                valid_from=e.valid_from.isoformat(),
                on=(on or max(e.valid_from, dt.date.today())).isoformat(),
                folder=ENV_FOLDER,
            )
        return table

    # -- codes ------------------------------------------------------------------------

    def entries(self, edition: str | None = None, on: dt.date | None = None) -> tuple[Entry, ...]:
        """Every printed code of the edition asked for (see :meth:`resolve`), in the
        table's order."""
        e = self.resolve(edition, on)
        return tuple(self._loaded(e, on).values())

    def lookup(self, code: str, on: dt.date | None = None, edition: str | None = None) -> Entry:
        """The entry of ``code`` (``900-249-08`` or ``90024908``) in the edition in force
        ``on`` (or named ``edition``); :class:`CatalogueError` otherwise."""
        norm = normalise_code(code)
        if norm is None:
            raise _error("malformed_code", code=code)
        e = self.resolve(edition, on)
        table = self._loaded(e, on)
        hit = table.get(norm)
        if hit is not None:
            return hit
        cat = category_of(norm)
        if norm.startswith(IDENTIFIED_SERIAL):
            names = {x.category: x.category_name for x in table.values()}
            if cat in names:
                return Entry(norm, cat, names[cat], "", IDENTIFIED_TEXT, "", e.name)
        others = [
            x.name for x in EDITIONS if x is not e and self.source(x) and norm in (self._table(x) or {})
        ]
        if others:
            raise _error("wrong_edition", code=norm, editions=", ".join(others), edition=e.name)
        raise _error("unknown_code", code=norm, edition=e.name)


@cache
def _default(folder: str | None) -> Catalogue:
    return Catalogue(folder=folder)


def default() -> Catalogue:
    """The process's catalogue: the shipped tables and those of ``$ECOPLAN_WASTE_CATALOGUES``."""
    return _default(os.environ.get(ENV_FOLDER) or None)


def editions() -> tuple[EditionStatus, ...]:
    """Every known edition with its dates and whether its table is loaded."""
    return default().editions()


def entries(edition: str | None = None, on: dt.date | None = None) -> tuple[Entry, ...]:
    """Every code of an edition (by name, or the one in force ``on``; today by default)."""
    return default().entries(edition, on)


def lookup(code: str, on: dt.date | None = None, edition: str | None = None) -> Entry:
    """The entry of ``code`` in the edition in force ``on`` (see :meth:`Catalogue.lookup`)."""
    return default().lookup(code, on, edition)

"""The editions of 《国家危险废物名录》 and the dates they are in force.

An edition is in force from ``valid_from`` to ``valid_to`` (inclusive; ``None`` while no
later edition replaces it). ``file`` names its table shipped in ``data/``; an edition
without one is known but *not loaded*: a date it governs gets a clear error instead of
the codes of another edition, until its table is added as a file (see
:mod:`ecoplan.waste.catalogue`: the ``ECOPLAN_WASTE_CATALOGUES`` folder or
``--catalogue FILE``).

- 2008: 环境保护部、国家发展和改革委员会令 第1号, in force 2008-08-01, repealed by the 2016
  edition. Not loaded.
- 2016: 环境保护部令 第39号 (issued with 国家发展和改革委员会 and 公安部 on 2016-06-14), in
  force 2016-08-01 (the order's own text, as published), repealed by the 2021 edition
  (2021 名录 第八条). Not loaded.
- 2021: 部令 第15号, in force 2021-01-01 (第八条). Shipped: ``data/minglu-2021.csv``.
- 2025: 生态环境部等五部门令 第36号, published 2024-11-26, in force 2025-01-01 (the
  project's spec, ``waste-risk-ecology.md`` A, from several secondary pages). Its table
  is not in the project's stores. Not loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["EDITIONS", "Edition", "edition_named", "edition_on"]


@dataclass(frozen=True)
class Edition:
    """One edition: its name (the year of its title), the order that issued it, the days
    it is in force and its shipped table (``None``: not shipped)."""

    name: str
    order: str
    order_en: str
    valid_from: dt.date
    valid_to: dt.date | None
    file: str | None = None

    def order_words(self) -> dict[str, str]:
        """The issuing order in both languages (a words parameter)."""
        return {"zh": self.order, "en": self.order_en}

    def covers(self, on: dt.date) -> bool:
        """Is the edition in force on ``on``?"""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


#: Every edition known, oldest first (their days of force do not overlap).
EDITIONS: tuple[Edition, ...] = (
    Edition(
        "2008",
        "环境保护部、国家发展和改革委员会令第1号",
        "Order No. 1 of the Ministry of Environmental Protection and the NDRC",
        dt.date(2008, 8, 1),
        dt.date(2016, 7, 31),
    ),
    Edition(
        "2016",
        "环境保护部令第39号",
        "Order No. 39 of the Ministry of Environmental Protection",
        dt.date(2016, 8, 1),
        dt.date(2020, 12, 31),
    ),
    Edition(
        "2021",
        "部令第15号",
        "Order No. 15 of the Ministry of Ecology and Environment",
        dt.date(2021, 1, 1),
        dt.date(2024, 12, 31),
        "minglu-2021.csv",
    ),
    Edition(
        "2025",
        "生态环境部等五部门令第36号",
        "Order No. 36 of the Ministry of Ecology and Environment and four other departments",
        dt.date(2025, 1, 1),
        None,
    ),
)


def edition_named(name: str) -> Edition | None:
    """The edition called ``name`` (``"2021"``), or ``None``."""
    return next((e for e in EDITIONS if e.name == name), None)


def edition_on(on: dt.date) -> Edition | None:
    """The edition in force on ``on``, or ``None`` before the first one known."""
    return next((e for e in EDITIONS if e.covers(on)), None)

"""The exemption list (危险废物豁免管理清单) of the 2021 名录: which wastes, at which stage,
under which condition, are not managed as hazardous waste (名录 第三条).

``data/exemptions-2021.csv`` was transcribed by hand from the appendix (附录) of the
official text — its cells interleave too irregularly for a reliable parse — one row per
item (序号 1–32) and exempted stage: ``item, code, waste, stage, condition, exemption``.
``code`` is the 废物类别/代码 column as printed: codes or a category (``HW34``), several
joined by ``;``; a name for items 1, 25 and 26 (生活垃圾中的危险废物, 突发环境事件产生的
危险废物, 历史遗留危险废物) and ``-`` for item 32 (点对点 utilisation of any waste).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ecoplan.waste.catalogue.codes import category_of, normalise_code

__all__ = ["STAGES", "Exemption", "exemptions", "exemptions_for"]

#: The stages (豁免环节) the 2021 list names.
STAGES = ("全部环节", "收集", "运输", "利用", "处置", "利用、处置")
_FILES = {"2021": "exemptions-2021.csv"}


@dataclass(frozen=True)
class Exemption:
    """One item and stage of the list; ``codes`` are the codes and categories it names."""

    item: int
    code: str
    waste: str
    stage: str
    condition: str
    exemption: str

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c in self.code.split(";") if normalise_code(c) or c.startswith("HW"))


@cache
def exemptions(edition: str = "2021") -> tuple[Exemption, ...]:
    """Every row of the edition's list, in its order (``KeyError`` for an edition without one)."""
    text = (resources.files(__package__ or "ecoplan.waste.catalogue") / "data" / _FILES[edition]).read_text(
        "utf-8"
    )
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(
        Exemption(int(r["item"]), r["code"], r["waste"], r["stage"], r["condition"], r["exemption"])
        for r in csv.DictReader(io.StringIO(body))
    )


def exemptions_for(code: str, edition: str = "2021") -> tuple[Exemption, ...]:
    """The rows naming ``code`` or its category (item 32, for any waste, is not included)."""
    norm = normalise_code(code)
    if norm is None:
        return ()
    return tuple(e for e in exemptions(edition) if norm in e.codes or category_of(norm) in e.codes)

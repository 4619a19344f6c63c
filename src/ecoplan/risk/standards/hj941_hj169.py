"""HJ 169-2018 附录B as a reference table for the HJ 941 grading's thresholds (临界量).

HJ 941-2018 Appendix A (突发环境事件风险物质及临界量) was not found as text; HJ 169-2018
建设项目环境风险评价技术导则 Table B.1 — titled the same, 385 substances with CAS number
and 临界量 — and Table B.2 (recommended thresholds for other hazardous substances) were
found in a machine extraction of the standard's PDF (see ``data/README.md``). They are a
different standard's tables, so a threshold taken from them is never "confirmed" for
HJ 941: the grading uses one only when neither the user's table nor the enterprise file
gives the substance's threshold, and marks it unconfirmed, citing the table
(:attr:`Rules.hj169_fallback <ecoplan.risk.standards.hj941.Rules>` turns this off).

Pure: the CSV files in, rows out; lookups by CAS number (several rows may share one, e.g.
氯化氢 and 盐酸（≥37%）: then the name decides) or, for rows without a CAS number, by name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "SOURCE_B1",
    "SOURCE_B2",
    "RecommendedRow",
    "ReferenceRow",
    "cas_valid",
    "hj169_lookup",
    "hj169_recommended",
    "hj169_table",
    "normalize_name",
]

#: How a threshold from the tables is cited in the evidence.
SOURCE_B1 = "HJ 169-2018 表B.1"
SOURCE_B2 = "HJ 169-2018 表B.2"
_CAS = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


@dataclass(frozen=True)
class ReferenceRow:
    """One row of HJ 169-2018 Table B.1: CAS number (empty for the groups and wastes
    without one), name as the table writes it, 临界量 (t) and the table's note."""

    cas: str
    name: str
    threshold_t: float
    note: str = ""


@dataclass(frozen=True)
class RecommendedRow:
    """One row of HJ 169-2018 Table B.2: a hazard category and its recommended 临界量 (t)."""

    category: str
    threshold_t: float
    basis: str


def normalize_name(name: str) -> str:
    """A name as compared: no spaces or marks, full-width brackets, commas and ≥ as ASCII."""
    table = str.maketrans({"（": "(", "）": ")", "，": ",", "＞": ">", "＝": "=", "*": None})
    return re.sub(r"\s+", "", name).translate(table).replace("≥", ">=")


def cas_valid(cas: str) -> bool:
    """True when ``cas`` is a well-formed CAS number whose check digit is right."""
    m = _CAS.match(cas)
    if not m:
        return False
    digits = (m.group(1) + m.group(2))[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(m.group(3))


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("ecoplan.risk.standards").joinpath(f"data/{name}").read_text("utf-8")
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]


@cache
def hj169_table() -> tuple[ReferenceRow, ...]:
    """The 385 rows of HJ 169-2018 Table B.1 (``data/hj169_table_b1.csv``)."""
    return tuple(
        ReferenceRow(r["cas"], r["name"], float(r["threshold_t"]), r["note"])
        for r in _read("hj169_table_b1.csv")
    )


@cache
def hj169_recommended() -> tuple[RecommendedRow, ...]:
    """The rows of HJ 169-2018 Table B.2 (``data/hj169_table_b2.csv``)."""
    rows = _read("hj169_table_b2.csv")
    return tuple(RecommendedRow(r["category"], float(r["threshold_t"]), r["basis"]) for r in rows)


@cache
def _index() -> tuple[dict[str, tuple[ReferenceRow, ...]], dict[str, ReferenceRow]]:
    by_cas: dict[str, list[ReferenceRow]] = {}
    by_name: dict[str, ReferenceRow] = {}
    for row in hj169_table():
        if row.cas:
            by_cas.setdefault(row.cas, []).append(row)
        by_name.setdefault(normalize_name(row.name), row)
    return {k: tuple(v) for k, v in by_cas.items()}, by_name


def hj169_lookup(cas: str, name: str) -> ReferenceRow | None:
    """The Table B.1 row of a substance: by CAS number when it has one (the name decides
    among rows sharing the number; none when it matches none of them), else by name."""
    by_cas, by_name = _index()
    cas = cas.strip()
    if cas:
        rows = by_cas.get(cas, ())
        if len(rows) == 1:
            return rows[0]
        key = normalize_name(name)
        return next((r for r in rows if normalize_name(r.name) == key), None)
    return by_name.get(normalize_name(name))

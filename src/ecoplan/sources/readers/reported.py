"""Reported emission totals (统计/核算排放量): a CSV of ``region, year, pollutant, tonnes,
source`` — the base year of the plan's reduction indicators (cn-13th-eco: 2015).

``region`` is a 6-digit GB/T 2260 code; ``pollutant`` a factor code of HJ 212-2017 Tables
B.1/B.2 (w01018 …) or one of the names of :data:`POLLUTANT_NAMES` (COD, 化学需氧量, NH3-N,
氨氮, SO2, 二氧化硫, NOx, 氮氧化物); ``tonnes`` ≥ 0; ``source`` says where the figure is
published. Every bad cell is reported with its file, row and field; nothing is stored
from a file with problems.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.sources.standards.conversion import POLLUTANTS

__all__ = ["COLUMNS", "POLLUTANT_NAMES", "ReportedRow", "read_reported"]

COLUMNS: tuple[str, ...] = ("region", "year", "pollutant", "tonnes", "source")

#: Names of the four binding pollutants of the 13th FYP (seed 000 专栏1) → factor codes.
POLLUTANT_NAMES: Mapping[str, str] = {
    "cod": "w01018", "化学需氧量": "w01018",
    "nh3-n": "w21003", "nh3n": "w21003", "氨氮": "w21003",
    "so2": "a21026", "二氧化硫": "a21026",
    "nox": "a21002", "氮氧化物": "a21002",
}  # fmt: skip
_REGION = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class ReportedRow:
    """One reported total: region, year, factor code, tonnes, source, and where it was read."""

    region: str
    year: int
    factor: str
    tonnes: float
    source: str
    file: str
    line: int


def _factor(text: str) -> str | None:
    t = text.strip()
    if t in POLLUTANTS:
        return t
    return POLLUTANT_NAMES.get(t.lower())


def read_reported(paths: Sequence[str | Path], known_regions: set[str] | None = None) -> list[ReportedRow]:
    """Every row of the CSV files; :class:`InputFileError` naming each bad row and field
    (a region unknown to ``known_regions``, a year, pollutant or tonnes that does not read,
    a (region, year, pollutant) given twice)."""
    rows: list[ReportedRow] = []
    seen: dict[tuple[str, int, str], str] = {}
    for path in paths:
        name = Path(path).name
        problems: list[Problem] = []
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise InputFileError(name, f"missing columns: {', '.join(missing)}")
                for line, rec in enumerate(reader, start=2):
                    row = _row(name, line, rec, known_regions, problems)
                    if row is None:
                        continue
                    key = (row.region, row.year, row.factor)
                    if key in seen:
                        problems.append(
                            Problem(name, f"given twice (first at {seen[key]})", line, "pollutant")
                        )
                        continue
                    seen[key] = f"{name} row {line}"
                    rows.append(row)
        except OSError as exc:
            raise InputFileError(name, f"cannot read: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise InputFileError(name, "not UTF-8 text") from exc
        if problems:
            raise InputFileError(name, problems)
    return rows


def _row(
    name: str, line: int, rec: Mapping[str, str | None], known: set[str] | None, problems: list[Problem]
) -> ReportedRow | None:
    got = {c: (rec.get(c) or "").strip() for c in COLUMNS}
    bad = len(problems)
    if not _REGION.match(got["region"]) or (known is not None and got["region"] not in known):
        problems.append(Problem(name, "not a known 6-digit region code", line, "region", got["region"]))
    year = int(got["year"]) if got["year"].isdigit() and len(got["year"]) == 4 else None
    if year is None:
        problems.append(Problem(name, "not a year", line, "year", got["year"]))
    factor = _factor(got["pollutant"])
    if factor is None:
        problems.append(Problem(name, "not a pollutant (factor code or COD/NH3-N/SO2/NOx)", line, "pollutant",
                                got["pollutant"]))  # fmt: skip
    try:
        tonnes = float(got["tonnes"])
        if not tonnes >= 0 or tonnes == float("inf"):
            raise ValueError
    except ValueError:
        problems.append(Problem(name, "not a number of tonnes ≥ 0", line, "tonnes", got["tonnes"]))
        tonnes = 0.0
    if not got["source"]:
        problems.append(Problem(name, "empty: say where the figure is published", line, "source"))
    if len(problems) > bad or year is None or factor is None:
        return None
    return ReportedRow(got["region"], year, factor, tonnes, got["source"], name, line)

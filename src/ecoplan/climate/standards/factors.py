"""The factor tables (``climate/data/*.csv``): every default factor is data with its source.

Three tables ship with ecoplan (``climate/data/README.md`` cites each):

``ncv_gbt2589.csv``
    Net calorific value (平均低位发热量) and coal equivalent (折标准煤系数) per fuel,
    GB/T 2589 综合能耗计算通则 附录A.
``carbon_provincial_guide.csv``
    Carbon content per unit heat (单位热值含碳量, tC/TJ) and oxidation rate (碳氧化率) per
    fuel, 省级温室气体清单编制指南（试行） (发改办气候〔2011〕1041号). A row taken from the
    IPCC 2006 Guidelines where the guide gives none carries ``source`` "IPCC 2006" (none
    shipped: every shipped fuel has the guide's value).
``grid_factors.csv``
    Grid emission factors by year, series (``average`` — 全国/区域/省级电力平均二氧化碳排放因子;
    ``average_excl_market_nonfossil``; ``fossil``; ``carbon_market_grid`` — the carbon
    market's 全国电网平均排放因子) and region, with the publishing document.

``status`` is ``primary`` (read in the publishing document), ``secondary`` (read in a text
quoting it, reproduced to its printed digits) or ``unconfirmed`` (only third-party
copies). A user replaces any table with a file of the same columns (``--ncv``,
``--carbon``, ``--grid``). A malformed table is refused whole, naming file, row and field.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from ecoplan.core.errors import EcoplanError, InputFileError, Problem

__all__ = [
    "BASES",
    "STATUSES",
    "FuelFactor",
    "GridFactor",
    "fuel_factors",
    "grid_factor",
    "grid_factors",
]

Basis = Literal["mass", "volume"]
#: What a fuel is measured by: mass (NCV per kg) or volume (NCV per m³, standard state).
BASES: tuple[Basis, ...] = ("mass", "volume")
#: How far a value was checked (module docstring).
STATUSES = ("primary", "secondary", "unconfirmed")

#: NCV units → (basis, kJ per kg or per m³).
_NCV_UNITS: dict[str, tuple[Basis, float]] = {
    "kJ/kg": ("mass", 1.0),
    "MJ/kg": ("mass", 1e3),
    "GJ/t": ("mass", 1e3),
    "TJ/Gg": ("mass", 1e3),
    "kJ/m3": ("volume", 1.0),
    "MJ/m3": ("volume", 1e3),
}
#: Carbon content units → tC/TJ.
_CC_UNITS = {"tC/TJ": 1.0, "kgC/GJ": 1.0, "tC/GJ": 1e3}
#: Grid factor units → t CO2 per MWh (= kg CO2 per kWh).
_GRID_UNITS = {"kgCO2/kWh": 1.0, "tCO2/MWh": 1.0, "gCO2/kWh": 1e-3}

_NCV_COLS = ("fuel", "basis", "ncv", "ncv_unit", "source", "edition", "table", "status")
_CC_COLS = (
    "fuel",
    "carbon_content",
    "carbon_content_unit",
    "oxidation",
    "source",
    "edition",
    "table",
    "status",
)
_GRID_COLS = ("year", "series", "region", "value", "unit", "document", "status")


@dataclass(frozen=True)
class FuelFactor:
    """One fuel's factors, in fixed units: NCV in kJ per kg (mass) or per m³ (volume),
    carbon content in tC/TJ, oxidation as a fraction, coal equivalent in kgce per kg or m³."""

    fuel: str
    basis: Basis
    ncv_kj: float
    carbon_content: float
    oxidation: float
    coal_equivalent: float | None
    status: str
    sources: tuple[str, ...]

    @property
    def co2_per_base_unit(self) -> float:
        """kg CO2 per kg (or per m³) burnt: NCV × carbon content × oxidation × 44/12."""
        return self.ncv_kj * 1e-9 * self.carbon_content * self.oxidation * 44.0 / 12.0 * 1e3


@dataclass(frozen=True)
class GridFactor:
    """One published grid emission factor, in t CO2 per MWh (= kg CO2 per kWh)."""

    year: int
    series: str
    region: str
    value: float
    document: str
    status: str
    via: str


def _data(name: str) -> Path:
    return Path(str(resources.files("ecoplan.climate").joinpath("data", name)))


def _rows(
    path: Path, needed: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The table's rows (row 1 is the header), or a problem naming each missing column."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            problems.extend(Problem(str(path), "missing column", field=c) for c in missing)
            return
        for i, row in enumerate(reader, start=2):
            yield i, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _number(
    path: Path, i: int, row: dict[str, str], field: str, problems: list[Problem], *, fraction: bool = False
) -> float | None:
    text = row.get(field, "")
    try:
        x = float(text)
    except ValueError:
        problems.append(Problem(str(path), "not a number", row=i, field=field, text=text))
        return None
    if not math.isfinite(x) or x <= 0 or (fraction and x > 1):
        why = "not in (0, 1]" if fraction else "not positive"
        problems.append(Problem(str(path), why, row=i, field=field, text=text))
        return None
    return x


def _choice(
    path: Path, i: int, row: dict[str, str], field: str, known: Collection[str], problems: list[Problem]
) -> str | None:
    text = row.get(field, "")
    if text not in known:
        problems.append(Problem(str(path), f"not one of {', '.join(known)}", row=i, field=field, text=text))
        return None
    return text


def _source(row: dict[str, str]) -> str:
    parts = [row.get("source", ""), row.get("edition", ""), row.get("table", "")]
    return "; ".join(p for p in parts if p)


def fuel_factors(ncv: Path | None = None, carbon: Path | None = None) -> dict[str, FuelFactor]:
    """The fuels present in both tables (the shipped ones, or the user's files).

    Raises :class:`InputFileError` listing every bad row of either table, and for a fuel
    the carbon table has but the NCV table lacks.
    """
    ncv_path, cc_path = ncv or _data("ncv_gbt2589.csv"), carbon or _data("carbon_provincial_guide.csv")
    problems: list[Problem] = []
    heat: dict[str, tuple[Basis, float, float | None, str, str]] = {}
    for i, row in _rows(ncv_path, _NCV_COLS, problems):
        basis = _choice(ncv_path, i, row, "basis", BASES, problems)
        unit = _choice(ncv_path, i, row, "ncv_unit", _NCV_UNITS, problems)
        value = _number(ncv_path, i, row, "ncv", problems)
        status = _choice(ncv_path, i, row, "status", STATUSES, problems)
        ce = None
        if row.get("coal_equivalent"):
            ce = _number(ncv_path, i, row, "coal_equivalent", problems)
        if basis and unit and value and status:
            ubasis, scale = _NCV_UNITS[unit]
            if ubasis != basis:
                problems.append(
                    Problem(str(ncv_path), f"unit of a {basis} fuel", row=i, field="ncv_unit", text=unit)
                )
                continue
            if row["fuel"] in heat:
                problems.append(
                    Problem(str(ncv_path), "fuel given twice", row=i, field="fuel", text=row["fuel"])
                )
                continue
            heat[row["fuel"]] = (ubasis, value * scale, ce, status, _source(row))
    out: dict[str, FuelFactor] = {}
    for i, row in _rows(cc_path, _CC_COLS, problems):
        unit = _choice(cc_path, i, row, "carbon_content_unit", _CC_UNITS, problems)
        cc = _number(cc_path, i, row, "carbon_content", problems)
        of = _number(cc_path, i, row, "oxidation", problems, fraction=True)
        status = _choice(cc_path, i, row, "status", STATUSES, problems)
        fuel = row["fuel"]
        if fuel not in heat:
            problems.append(
                Problem(str(cc_path), "fuel not in the NCV table", row=i, field="fuel", text=fuel)
            )
            continue
        if unit and cc and of and status:
            basis, kj, ce, h_status, h_src = heat[fuel]
            worst = max(status, h_status, key=STATUSES.index)
            out[fuel] = FuelFactor(
                fuel, basis, kj, cc * _CC_UNITS[unit], of, ce, worst, (h_src, _source(row))
            )
    if problems:
        raise InputFileError(f"{ncv_path} + {cc_path}", problems)
    return out


def grid_factors(path: Path | None = None) -> list[GridFactor]:
    """Every row of the grid-factor table (the shipped one, or the user's file)."""
    p = path or _data("grid_factors.csv")
    problems: list[Problem] = []
    out: list[GridFactor] = []
    for i, row in _rows(p, _GRID_COLS, problems):
        unit = _choice(p, i, row, "unit", _GRID_UNITS, problems)
        value = _number(p, i, row, "value", problems)
        status = _choice(p, i, row, "status", STATUSES, problems)
        try:
            year = int(row["year"])
        except ValueError:
            problems.append(Problem(str(p), "not a year", row=i, field="year", text=row["year"]))
            continue
        if unit and value and status:
            out.append(
                GridFactor(
                    year,
                    row["series"],
                    row["region"],
                    value * _GRID_UNITS[unit],
                    row["document"],
                    status,
                    row.get("via", ""),
                )
            )
    if problems:
        raise InputFileError(str(p), problems)
    return out


def grid_factor(
    year: int, region: str = "national", series: str = "average", table: list[GridFactor] | None = None
) -> GridFactor:
    """The factor published for ``year``, ``region`` and ``series`` (never another year's)."""
    rows = grid_factors() if table is None else table
    for g in rows:
        if (g.year, g.region, g.series) == (year, region, series):
            return g
    known = ", ".join(sorted({f"{g.year} {g.series} {g.region}" for g in rows}))
    raise EcoplanError.worded(
        "climate.error.no_grid_factor", year=year, region=region, series=series, known=known
    )

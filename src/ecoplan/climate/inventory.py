"""A region's energy-related CO2 by year and fuel from the lines of :mod:`.readers`.

Fuel combustion by :func:`~ecoplan.climate.standards.energy.fuel_co2` (non-energy use set
aside), net imported electricity by the grid factor published for the line's year
(:func:`~ecoplan.climate.standards.factors.grid_factor`; a year without one is a reject,
never another year's factor). Pure: the command reads the file and prints the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ecoplan.climate.readers import ELECTRICITY, Line, Reject
from ecoplan.climate.standards.electricity import electricity_co2
from ecoplan.climate.standards.energy import EXCLUDED_USES, fuel_co2
from ecoplan.climate.standards.factors import FuelFactor, GridFactor
from ecoplan.core.errors import EcoplanError

__all__ = ["Inventory", "compute"]


@dataclass
class Inventory:
    """CO2 (t) per (region, year, fuel, sector), the totals per (region, year), what was
    excluded as non-energy use, and the factors used with their status."""

    by_fuel: dict[tuple[str, int, str, str], float] = field(default_factory=dict)
    excluded: dict[tuple[str, int, str, str], float] = field(default_factory=dict)
    grid: dict[int, GridFactor] = field(default_factory=dict)
    fuels: dict[str, FuelFactor] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)

    def totals(self) -> dict[tuple[str, int], dict[str, float]]:
        """Per region and year: ``combustion``, ``electricity`` and ``total`` (t CO2)."""
        out: dict[tuple[str, int], dict[str, float]] = {}
        for (region, year, fuel, _), t in self.by_fuel.items():
            d = out.setdefault((region, year), {"combustion": 0.0, "electricity": 0.0, "total": 0.0})
            d["electricity" if fuel == ELECTRICITY else "combustion"] += t
            d["total"] += t
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``ecoplan climate inventory --format json``), t CO2 unrounded."""
        return {
            "rows": [
                {"region": r, "year": y, "fuel": f, "sector": s, "co2_t": t}
                for (r, y, f, s), t in sorted(self.by_fuel.items())
            ],
            "totals": [
                {
                    "region": r,
                    "year": y,
                    "combustion_t": d["combustion"],
                    "electricity_t": d["electricity"],
                    "total_t": d["total"],
                }
                for (r, y), d in sorted(self.totals().items())
            ],
            "excluded": [
                {"region": r, "year": y, "fuel": f, "unit": u, "amount": a}
                for (r, y, f, u), a in sorted(self.excluded.items())
            ],
            "factors": {
                k: {"status": f.status, "sources": list(f.sources), "kg_co2_per_unit": f.co2_per_base_unit}
                for k, f in sorted(self.fuels.items())
            },
            "grid": {
                str(y): {
                    "value_t_per_mwh": g.value,
                    "series": g.series,
                    "region": g.region,
                    "document": g.document,
                    "status": g.status,
                }
                for y, g in sorted(self.grid.items())
            },
        }


def compute(
    lines: Iterable[Line],
    factors: Mapping[str, FuelFactor],
    grid: Mapping[int, GridFactor],
    *,
    file: str = "",
) -> Inventory:
    """The inventory of ``lines``; ``grid`` maps a year to its factor (a line of
    electricity in a year absent from it is a reject ``no_grid_factor``)."""
    inv = Inventory()
    for ln in lines:
        key = (ln.region, ln.year, ln.fuel, ln.sector)
        if ln.use in EXCLUDED_USES:
            k = (ln.region, ln.year, ln.fuel, ln.unit)
            inv.excluded[k] = inv.excluded.get(k, 0.0) + ln.amount
            continue
        if ln.fuel == ELECTRICITY:
            g = grid.get(ln.year)
            if g is None:
                inv.rejects.append(Reject(file, ln.row, "year", str(ln.year), "no_grid_factor"))
                continue
            inv.grid[ln.year] = g
            t = electricity_co2(ln.amount, ln.unit, g.value)
        else:
            try:
                t = fuel_co2(ln.amount, ln.unit, factors[ln.fuel])
            except EcoplanError:  # the reader has checked unit and fuel; kept as a reject
                inv.rejects.append(Reject(file, ln.row, "unit", ln.unit, "unit_mismatch"))
                continue
            inv.fuels[ln.fuel] = factors[ln.fuel]
        inv.by_fuel[key] = inv.by_fuel.get(key, 0.0) + t
    return inv

"""Fuel-combustion CO2 by the 省级温室气体清单编制指南（试行） method (发改办气候〔2011〕1041号).

For each fuel burnt::

    CO2 (t) = activity × NCV × carbon content per unit heat × oxidation rate × 44/12

with activity in kg or m³ (converted from the user's unit: t, 10⁴ t, m³, 10⁴ m³, 10⁸ m³),
NCV in kJ per kg or m³ (× 10⁻⁹ gives TJ), carbon content in tC/TJ, the oxidation rate a
fraction, 44/12 the mass ratio of CO2 to C. Fuel used as a raw material or for other
non-energy purposes (``use`` ``non_energy`` or ``feedstock``) stores its carbon in
products and is excluded from combustion emissions, as the guide says; the excluded
quantities are reported, not dropped silently. Which consumption (apparent or final) the
activity is, is the user's: the calculator applies the factors to what it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ecoplan.climate.standards.factors import Basis, FuelFactor
from ecoplan.core.errors import EcoplanError

__all__ = [
    "CO2_PER_C",
    "EXCLUDED_USES",
    "UNITS",
    "USES",
    "EnergyCO2",
    "FuelUse",
    "energy_co2",
    "fuel_co2",
    "to_base",
]

#: Mass ratio of CO2 to carbon (molar masses 44 and 12, as the guide writes it).
CO2_PER_C = 44.0 / 12.0
#: Uses of a fuel: burnt (``combustion``) or not (``non_energy``, ``feedstock``).
USES = ("combustion", "non_energy", "feedstock")
#: Uses excluded from combustion CO2.
EXCLUDED_USES = frozenset({"non_energy", "feedstock"})
#: Activity units → (basis, kg or m³ per unit). Chinese spellings of the yearbooks included.
UNITS: dict[str, tuple[Basis, float]] = {
    "kg": ("mass", 1.0),
    "t": ("mass", 1e3),
    "吨": ("mass", 1e3),
    "10^4 t": ("mass", 1e7),
    "万吨": ("mass", 1e7),
    "m3": ("volume", 1.0),
    "立方米": ("volume", 1.0),
    "10^4 m3": ("volume", 1e4),
    "万立方米": ("volume", 1e4),
    "10^8 m3": ("volume", 1e8),
    "亿立方米": ("volume", 1e8),
}


def to_base(amount: float, unit: str) -> tuple[Basis, float]:
    """``amount`` in ``unit`` as kg (mass) or m³ (volume)."""
    try:
        basis, scale = UNITS[unit]
    except KeyError:
        raise EcoplanError.worded("climate.error.unknown_unit", unit=unit, choices=", ".join(UNITS)) from None
    return basis, amount * scale


def fuel_co2(amount: float, unit: str, factor: FuelFactor) -> float:
    """CO2 (t) of burning ``amount`` ``unit`` of one fuel."""
    basis, base = to_base(amount, unit)
    if basis != factor.basis:
        raise EcoplanError.worded(
            "climate.error.unit_mismatch", fuel=factor.fuel, basis=factor.basis, unit=unit
        )
    heat_tj = base * factor.ncv_kj * 1e-9
    return heat_tj * factor.carbon_content * factor.oxidation * CO2_PER_C


@dataclass(frozen=True)
class FuelUse:
    """One line of activity data: a fuel, an amount in a unit, and its use."""

    fuel: str
    amount: float
    unit: str
    use: str = "combustion"


@dataclass(frozen=True)
class EnergyCO2:
    """Combustion CO2 (t) by fuel and in total; non-energy quantities by fuel and unit."""

    by_fuel: dict[str, float]
    excluded: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.by_fuel.values())


def energy_co2(uses: Iterable[FuelUse], factors: Mapping[str, FuelFactor]) -> EnergyCO2:
    """Σ over the combustion lines of :func:`fuel_co2`; non-energy lines set aside."""
    by_fuel: dict[str, float] = {}
    excluded: dict[tuple[str, str], float] = {}
    for u in uses:
        if u.use in EXCLUDED_USES:
            excluded[(u.fuel, u.unit)] = excluded.get((u.fuel, u.unit), 0.0) + u.amount
            continue
        if u.fuel not in factors:
            raise EcoplanError.worded("climate.error.unknown_fuel", fuel=u.fuel)
        by_fuel[u.fuel] = by_fuel.get(u.fuel, 0.0) + fuel_co2(u.amount, u.unit, factors[u.fuel])
    return EnergyCO2(by_fuel, excluded)

"""Indirect CO2 of net imported electricity: net import × the grid factor of the year.

The provincial inventory reports the emissions of electricity imported from other
provinces net of exports (电力调入调出 indirect emissions; the guide's own section was not
read, so the sign rule — a net export gives a negative figure — is ecoplan's reading).
The factor is the one published for the inventory
year (``data/grid_factors.csv``, :func:`~ecoplan.climate.standards.factors.grid_factor`),
in t CO2 per MWh (= kg CO2 per kWh).
"""

from __future__ import annotations

import math

from ecoplan.core.errors import EcoplanError

__all__ = ["ELECTRICITY_UNITS", "electricity_co2", "to_mwh"]

#: Electricity units → MWh (yearbooks write 万千瓦时 and 亿千瓦时).
ELECTRICITY_UNITS = {
    "kWh": 1e-3,
    "千瓦时": 1e-3,
    "MWh": 1.0,
    "GWh": 1e3,
    "10^4 kWh": 10.0,
    "万千瓦时": 10.0,
    "10^8 kWh": 1e5,
    "亿千瓦时": 1e5,
}


def to_mwh(amount: float, unit: str) -> float:
    """``amount`` of ``unit`` in MWh."""
    try:
        return amount * ELECTRICITY_UNITS[unit]
    except KeyError:
        raise EcoplanError.worded(
            "climate.error.unknown_unit", unit=unit, choices=", ".join(ELECTRICITY_UNITS)
        ) from None


def electricity_co2(net_import: float, unit: str, factor_t_per_mwh: float) -> float:
    """CO2 (t) of ``net_import`` (imports − exports; negative for a net exporter)."""
    if not math.isfinite(factor_t_per_mwh) or factor_t_per_mwh < 0:
        raise EcoplanError.worded("climate.error.negative", field="grid factor", value=factor_t_per_mwh)
    return to_mwh(net_import, unit) * factor_t_per_mwh

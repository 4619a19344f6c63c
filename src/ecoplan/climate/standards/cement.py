"""Cement clinker process CO2: the carbonate decomposed to make the clinker's CaO and MgO.

    CO2 (t) = clinker (t) × EF,   EF = CaO × 44/56 + MgO × 44/40

with CaO and MgO the clinker's mass fractions (from carbonates), 44/56 and 44/40 the mass
ratios of CO2 to CaO and to MgO. The form follows the IPCC 2006 Guidelines (Vol. 3 ch. 2,
the clinker-based method); that the 省级温室气体清单编制指南（试行） writes it this way, and its
default fractions, were **not read (UNCONFIRMED)**: ecoplan ships no default fraction or
factor, the user gives the clinker's composition (or a factor of their own, with its
source). Cement kiln dust and non-carbonate CaO corrections are the user's too.
"""

from __future__ import annotations

import math

from ecoplan.core.errors import EcoplanError

__all__ = ["CO2_PER_CAO", "CO2_PER_MGO", "METHOD", "clinker_co2", "clinker_factor"]

CO2_PER_CAO = 44.0 / 56.0
CO2_PER_MGO = 44.0 / 40.0
METHOD = "EF = CaO×44/56 + MgO×44/40 (IPCC 2006 Vol.3 ch.2 form; provincial guide text UNCONFIRMED)"


def _fraction(name: str, x: float) -> float:
    if not math.isfinite(x) or not 0 <= x <= 1:
        raise EcoplanError.worded("climate.error.bad_fraction", field=name, value=x)
    return x


def clinker_factor(cao: float, mgo: float = 0.0) -> float:
    """t CO2 per t clinker from the mass fractions of CaO and MgO (each 0–1)."""
    if _fraction("cao", cao) + _fraction("mgo", mgo) > 1:
        raise EcoplanError.worded("climate.error.bad_fraction", field="cao + mgo", value=cao + mgo)
    return cao * CO2_PER_CAO + mgo * CO2_PER_MGO


def clinker_co2(clinker_t: float, factor: float) -> float:
    """CO2 (t) of ``clinker_t`` t of clinker at ``factor`` t CO2 per t clinker."""
    if not math.isfinite(clinker_t) or clinker_t < 0:
        raise EcoplanError.worded("climate.error.negative", field="clinker", value=clinker_t)
    if not math.isfinite(factor) or factor < 0:
        raise EcoplanError.worded("climate.error.negative", field="factor", value=factor)
    return clinker_t * factor

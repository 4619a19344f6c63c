"""Annex D of HJ 212-2017 (informative): wastewater volumes and loads, flue-gas standard
state, wet → dry, ppm → mg/m³, NOx from NO and NO2, flow, emission rate and the converted
(折算) concentration (hj212 spec §9).

Where the printed formula is not unit-consistent the unit-consistent form is used, as the
spec says and the standard's own Annex C examples confirm:

- D.1 formulas (5)–(7), mean flow ``Q̄ = D / Δt`` "L/s" with D in m³: off by 10³; here
  ``Q̄ [L/s] = 1000 × D [m³] / Δt [s]`` (C.16–C.18: 17.5 L/s × 600 s = 10.5 m³);
- D.2 formula (34), ``Gd = Σ Gh × 10⁻⁶`` "kg/d" with Gh already in kg/h: here ``Gd = Σ Gh``.

Every function is pure; bad physical input (O2 ≥ 21 %, moisture ≥ 100 %, a non-positive
pressure) raises :class:`ValueError` naming the argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "AIR_O2",
    "MOLAR_VOLUME",
    "M_NO",
    "M_NO2",
    "POLLUTANTS",
    "converted",
    "converted_excess_air",
    "daily_emission_kg",
    "dry_standard_flow_m3_h",
    "emission_rate_kg_h",
    "excess_air",
    "hourly_flow_m3_h",
    "load_kg",
    "mean_flow_l_s",
    "nox_from_no_no2",
    "nox_from_ppm",
    "ppm_to_mg_m3",
    "slice_volume_m3",
    "to_standard_state",
    "velocity",
    "weighted_mean_mg_l",
    "wet_to_dry",
]

#: O2 content of air, % (the 21 of formulas (27) and (28)).
AIR_O2 = 21.0
#: Molar volume at the standard state (273 K, 101 325 Pa), L/mol (formula (20): 22.4).
MOLAR_VOLUME = 22.4
#: Molar masses, g/mol (formula (21): M_NO2 / M_NO).
M_NO2 = 46.0055
M_NO = 30.0061
#: The factors whose ``-Cou`` is an emitted mass in kg (HJ 212-2017 Tables B.1, B.2), summed
#: into emission totals, with their medium: COD, NH3-N, TP, TN, SS, petroleum; SO2, NOx,
#: particulate, CO, NMHC.
POLLUTANTS: Mapping[str, str] = {
    "w01018": "water", "w21003": "water", "w21011": "water", "w21001": "water",
    "w01012": "water", "w22001": "water",
    "a21026": "air", "a21002": "air", "a34013": "air", "a21005": "air", "a24088": "air",
}  # fmt: skip
#: Standard atmosphere, Pa (formula (18)).
P_STANDARD = 101325.0
#: 0 °C in K as Annex D writes it (formula (18): 273).
T_ZERO = 273.0


def slice_volume_m3(flow_l_s: float, seconds: float) -> float:
    """Wastewater volume of one time slice, m³: ``DΔi = Q × T × 10⁻³`` (D.1 formula (1);
    Q in L/s, w00000-Rtd; T in s)."""
    if seconds < 0:
        raise ValueError(f"seconds must be ≥ 0, got {seconds!r}")
    return flow_l_s * seconds * 1e-3


def mean_flow_l_s(volume_m3: float, seconds: float) -> float:
    """Mean wastewater flow of a period, L/s: ``Q̄ = 1000 × D / Δt`` (D.1 formulas (5)–(7)
    in their unit-consistent form; see the module note)."""
    if seconds <= 0:
        raise ValueError(f"seconds must be > 0, got {seconds!r}")
    return 1000.0 * volume_m3 / seconds


def load_kg(volume_m3: float, conc_mg_l: float) -> float:
    """Pollutant mass in a volume of wastewater, kg: ``G = D × C × 10⁻³`` (D.1 formula (8);
    the sums (9)–(11) add these)."""
    return volume_m3 * conc_mg_l * 1e-3


def weighted_mean_mg_l(load: float, volume_m3: float) -> float:
    """Flow-weighted mean concentration, mg/L: ``C̄ = G / D × 10³`` (D.1 formulas (12)–(14))."""
    if volume_m3 <= 0:
        raise ValueError(f"volume_m3 must be > 0, got {volume_m3!r}")
    return load / volume_m3 * 1e3


def to_standard_state(conc: float, ambient_pa: float, static_pa: float, temp_c: float) -> float:
    """Concentration at the standard state: ``Csn = Cs × 101325 / (Ba + Ps) × (273 + ts) / 273``
    (D.2 formula (18); Ba ambient and Ps static pressure in Pa, ts in °C; the dry/wet basis
    is kept)."""
    p = ambient_pa + static_pa
    if p <= 0:
        raise ValueError(f"ambient_pa + static_pa must be > 0, got {p!r}")
    if temp_c <= -T_ZERO:
        raise ValueError(f"temp_c must be above -273 °C, got {temp_c!r}")
    return conc * P_STANDARD / p * (T_ZERO + temp_c) / T_ZERO


def wet_to_dry(conc_wet: float, moisture: float) -> float:
    """Dry-basis value: ``C_dry = C_wet / (1 − Xsw)`` (D.2 formula (19); Xsw a fraction —
    the standard writes it in %, divide a01014 by 100). O2 converts the same way."""
    if not 0 <= moisture < 1:
        raise ValueError(f"moisture must be a fraction in [0, 1), got {moisture!r}")
    return conc_wet / (1.0 - moisture)


def ppm_to_mg_m3(ppm: float, molar_mass: float) -> float:
    """Mass concentration from a volume fraction: ``CQ = M / 22.4 × CV`` (D.2 formula (20);
    M in g/mol, CV in µmol/mol)."""
    if molar_mass <= 0:
        raise ValueError(f"molar_mass must be > 0, got {molar_mass!r}")
    return molar_mass / MOLAR_VOLUME * ppm


def nox_from_no_no2(no_mg: float, no2_mg: float) -> float:
    """NOx as NO2 from separately measured NO and NO2 (mg/m³): ``CNOx = CNO × M_NO2 / M_NO +
    CNO2`` (D.2 formula (21))."""
    return no_mg * M_NO2 / M_NO + no2_mg


def nox_from_ppm(no_ppm: float, no2_ppm: float) -> float:
    """NOx as NO2 (mg/m³) from NO and NO2 in µmol/mol: ``(CNO,V + CNO2,V) × M_NO2 / 22.4``
    (D.2 formula (22))."""
    return (no_ppm + no2_ppm) * M_NO2 / MOLAR_VOLUME


def velocity(kv: float, measured_m_s: float) -> float:
    """Flue-gas velocity at the section, m/s: ``Vs = Kv × Vp`` (D.2 formula (29))."""
    return kv * measured_m_s


def hourly_flow_m3_h(area_m2: float, mean_velocity_m_s: float) -> float:
    """Actual (wet) hourly flow, m³/h: ``Qsh = 3600 × F × V̄sh`` (D.2 formula (30))."""
    if area_m2 < 0:
        raise ValueError(f"area_m2 must be ≥ 0, got {area_m2!r}")
    return 3600.0 * area_m2 * mean_velocity_m_s


def dry_standard_flow_m3_h(
    flow_m3_h: float, temp_c: float, ambient_pa: float, static_pa: float, moisture: float
) -> float:
    """Dry standard-state hourly flow: ``Qsnh = Qsh × 273 / (273 + ts) × (Ba + Ps) / 101325 ×
    (1 − Xsw)`` (D.2 formula (31); Xsw a fraction)."""
    if temp_c <= -T_ZERO:
        raise ValueError(f"temp_c must be above -273 °C, got {temp_c!r}")
    if not 0 <= moisture < 1:
        raise ValueError(f"moisture must be a fraction in [0, 1), got {moisture!r}")
    return flow_m3_h * T_ZERO / (T_ZERO + temp_c) * (ambient_pa + static_pa) / P_STANDARD * (1 - moisture)


def emission_rate_kg_h(conc_mg_m3: float, dry_standard_flow: float) -> float:
    """Hourly emission, kg/h: ``Gh = C̄h × Qsnh × 10⁻⁶`` (D.2 formula (33); what a21026-Cou of
    a CN 2061 frame carries)."""
    return conc_mg_m3 * dry_standard_flow * 1e-6


def daily_emission_kg(hourly_kg: Iterable[float]) -> float:
    """Daily emission, kg: ``Gd = Σ Gh`` over the valid hours (D.2 formula (34) without the
    printed extra 10⁻⁶; see the module note)."""
    return float(sum(hourly_kg))


def _check_o2(o2: float, name: str = "o2") -> None:
    if not 0 <= o2 < AIR_O2:
        raise ValueError(f"{name} must be in [0, 21) % O2, got {o2!r}")


def converted(conc_dry: float, o2: float, ref_o2: float) -> float:
    """Converted (折算) concentration with a reference O2: ``C折 = Csn,dry × (21 − O2ref) /
    (21 − O2)`` (D.2 formula (28); O2 the measured dry O2 in %, O2ref the emission
    standard's, e.g. GB 13271-2014 Table 6: 9 % coal, 3.5 % oil and gas boilers)."""
    _check_o2(o2)
    _check_o2(ref_o2, "ref_o2")
    return conc_dry * (AIR_O2 - ref_o2) / (AIR_O2 - o2)


def excess_air(o2: float) -> float:
    """Excess-air coefficient ``α = 21 / (21 − O2)`` (D.2 formula (27))."""
    _check_o2(o2)
    return AIR_O2 / (AIR_O2 - o2)


def converted_excess_air(conc_dry: float, o2: float, alpha_s: float) -> float:
    """Converted concentration where the standard gives an excess-air coefficient αs:
    ``C折 = Csn,dry × α / αs`` (D.2 formulas (26), (27))."""
    if alpha_s <= 0:
        raise ValueError(f"alpha_s must be > 0, got {alpha_s!r}")
    return conc_dry * excess_air(o2) / alpha_s

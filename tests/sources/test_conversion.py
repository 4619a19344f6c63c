"""Annex D conversions (hj212 spec §9): the standard's worked numbers and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.sources.standards import conversion as cv

finite = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)
o2s = st.floats(min_value=0.0, max_value=20.5)


def test_spec_worked_example_coal_boiler() -> None:
    # hj212 spec §9.4: SO2 100 mg/m³ at 12 % O2, reference 9 % → 133.3
    assert cv.converted(100.0, 12.0, 9.0) == pytest.approx(133.333, abs=1e-3)


def test_annex_c_flow_example_uses_the_unit_consistent_mean_flow() -> None:
    # C.16: w00000-Avg = 17.5 L/s with -Cou = 10.5 m³ over 10 minutes
    assert cv.slice_volume_m3(17.5, 600) == pytest.approx(10.5)
    assert cv.mean_flow_l_s(10.5, 600) == pytest.approx(17.5)
    # the printed formula (5), D / 600, would give 0.0175 — off by 10³
    assert cv.mean_flow_l_s(10.5, 600) != pytest.approx(10.5 / 600)


def test_flue_gas_flow_packet_checks() -> None:
    # spec §9.3: a00000-Avg 5.331 m³/s for an hour is 19 191.6 m³
    assert pytest.approx(19191.6) == 5.331 * 3600
    # formula (33): 50 mg/m³ × 100 000 m³/h = 5 kg/h; (34) sums hours without the extra 10⁻⁶
    assert cv.emission_rate_kg_h(50.0, 100_000.0) == pytest.approx(5.0)
    assert cv.daily_emission_kg([5.0] * 24) == pytest.approx(120.0)


def test_gas_formulas_by_hand() -> None:
    # (20): SO2 (64.06 g/mol) 35 ppm → 64.06 / 22.4 × 35 = 100.09 mg/m³
    assert cv.ppm_to_mg_m3(35.0, 64.06) == pytest.approx(100.09375)
    # (21): NO 30 + NO2 10 mg/m³ → 30 × 46.0055 / 30.0061 + 10 = 45.9961 + 10
    assert cv.nox_from_no_no2(30.0, 10.0) == pytest.approx(55.9961, abs=1e-4)
    # (22): (10 + 5) ppm × 46.0055 / 22.4 = 30.807
    assert cv.nox_from_ppm(10.0, 5.0) == pytest.approx(30.8072, abs=1e-4)
    # (18): 100 at 101 325 Pa total and 0 °C stays 100; at 273 °C it doubles
    assert cv.to_standard_state(100.0, 101_325.0, 0.0, 0.0) == pytest.approx(100.0)
    assert cv.to_standard_state(100.0, 101_325.0, 0.0, 273.0) == pytest.approx(200.0)
    # (19): 90 wet at 10 % moisture → 100 dry
    assert cv.wet_to_dry(90.0, 0.10) == pytest.approx(100.0)
    # (30)/(31): 2 m² × 10 m/s = 72 000 m³/h; at 0 °C, 101 325 Pa, dry → unchanged
    assert cv.hourly_flow_m3_h(2.0, 10.0) == pytest.approx(72_000.0)
    assert cv.dry_standard_flow_m3_h(72_000.0, 0.0, 101_325.0, 0.0, 0.0) == pytest.approx(72_000.0)
    # (26)/(27): at 11 % O2 α = 2.1; with αs 1.4, 100 → 150
    assert cv.excess_air(11.0) == pytest.approx(2.1)
    assert cv.converted_excess_air(100.0, 11.0, 1.4) == pytest.approx(150.0)
    # (8)/(12): 10 m³ at 50 mg/L = 0.5 kg; back to 50 mg/L
    assert cv.load_kg(10.0, 50.0) == pytest.approx(0.5)
    assert cv.weighted_mean_mg_l(0.5, 10.0) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (cv.converted, (100.0, 21.0, 9.0)),
        (cv.converted, (100.0, 12.0, 25.0)),
        (cv.wet_to_dry, (100.0, 1.0)),
        (cv.to_standard_state, (100.0, 0.0, 0.0, 20.0)),
        (cv.mean_flow_l_s, (1.0, 0.0)),
        (cv.ppm_to_mg_m3, (1.0, 0.0)),
        (cv.converted_excess_air, (1.0, 10.0, 0.0)),
    ],
)
def test_impossible_input_is_refused(call: object, args: tuple[float, ...]) -> None:
    with pytest.raises(ValueError):
        call(*args)  # type: ignore[operator]


@given(finite, o2s)
def test_converted_at_the_reference_is_the_measured(c: float, ref: float) -> None:
    assert cv.converted(c, ref, ref) == pytest.approx(c)


@given(finite, o2s, o2s, o2s)
def test_converted_grows_with_o2(c: float, ref: float, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert cv.converted(c, lo, ref) <= cv.converted(c, hi, ref) + 1e-9


@given(finite, st.floats(min_value=0.0, max_value=0.95))
def test_wet_dry_round_trip(c: float, x: float) -> None:
    assert cv.wet_to_dry(c, x) * (1 - x) == pytest.approx(c, rel=1e-9, abs=1e-9)


@given(st.floats(min_value=0.01, max_value=1e4), st.floats(min_value=1.0, max_value=86_400.0))
def test_volume_and_mean_flow_are_inverse(q: float, t: float) -> None:
    assert cv.mean_flow_l_s(cv.slice_volume_m3(q, t), t) == pytest.approx(q, rel=1e-9)


@given(st.floats(min_value=0.0, max_value=1e4), st.floats(min_value=0.001, max_value=1e6))
def test_load_and_weighted_mean_are_inverse(c: float, v: float) -> None:
    assert cv.weighted_mean_mg_l(cv.load_kg(v, c), v) == pytest.approx(c, rel=1e-9, abs=1e-12)


@given(finite, o2s, st.floats(min_value=0.1, max_value=5.0))
def test_excess_air_form_equals_reference_form_when_alpha_matches(c: float, o2: float, _: float) -> None:
    # αs = 21 / (21 − O2ref) makes (26) equal to (28)
    ref = 9.0
    alpha_s = 21.0 / (21.0 - ref)
    assert cv.converted_excess_air(c, o2, alpha_s) == pytest.approx(
        cv.converted(c, o2, ref), rel=1e-9, abs=1e-9
    )
    assert not math.isnan(cv.converted(c, o2, ref))

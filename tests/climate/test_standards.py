"""The climate calculators: the printed factors reproduced, hand-checked examples, identities."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.climate.standards.cement import clinker_co2, clinker_factor
from ecoplan.climate.standards.electricity import electricity_co2
from ecoplan.climate.standards.energy import FuelUse, energy_co2, fuel_co2
from ecoplan.climate.standards.factors import FuelFactor, fuel_factors, grid_factor, grid_factors
from ecoplan.climate.standards.intensity import (
    Intensity,
    chain_volume,
    compound_schedule,
    constant_price_gdp,
    decline_pct,
    linear_schedule,
    required_yearly_decline,
    yearly_rate,
)
from ecoplan.core.errors import EcoplanError, InputFileError
from ecoplan.core.rounding import round_half_even
from ecoplan.domains import domains

domains()  # registers the climate words the errors are worded in

FACTORS = fuel_factors()

#: The CO2 factors printed by "各种能源折标准煤及碳排放参考系数" (max.book118.com document
#: 8133103033003020): GB/T 2589 NCV × 省级温室气体清单编制指南 carbon content × oxidation ×
#: 44/12, kg CO2 per kg (natural gas: per m³), to the printed four decimals.
PRINTED_CO2 = {
    "raw_coal": 1.9003,
    "coke": 2.8604,
    "crude_oil": 3.0202,
    "fuel_oil": 3.1705,
    "gasoline": 2.9251,
    "kerosene": 3.0179,
    "diesel": 3.0959,
    "lpg": 3.1013,
    "refinery_gas": 3.0119,
    "natural_gas": 2.1622,
}


@pytest.mark.parametrize("fuel", sorted(PRINTED_CO2))
def test_the_printed_co2_factors_are_reproduced_to_their_digits(fuel: str) -> None:
    unit = "m3" if fuel == "natural_gas" else "kg"
    kg_co2 = fuel_co2(1000.0, unit, FACTORS[fuel])  # t CO2 of 1000 kg (m³) = kg CO2 per kg (m³)
    assert round_half_even(kg_co2, 4) == PRINTED_CO2[fuel]


def test_a_hand_checked_province() -> None:
    # 原煤 20 908 kJ/kg × 26.37 tC/TJ × 0.94 × 44/12: 1 t → 1.9002988488 t CO2 (exact decimal);
    # 油田天然气 38 931 kJ/m³ × 15.3 × 0.99 × 44/12: 1 m³ → 2.162188809 kg CO2;
    # 柴油 42 652 kJ/kg × 20.2 × 0.98 × 44/12: 1 t → 3.0959096373… t CO2.
    res = energy_co2(
        [
            FuelUse("raw_coal", 1000.0, "万吨"),  # 10⁷ t
            FuelUse("natural_gas", 50.0, "亿立方米"),  # 5 × 10⁹ m³
            FuelUse("diesel", 200.0, "10^4 t"),
            FuelUse("diesel", 30.0, "10^4 t", use="non_energy"),  # excluded
            FuelUse("raw_coal", 80.0, "万吨", use="feedstock"),  # excluded
        ],
        FACTORS,
    )
    assert res.by_fuel["raw_coal"] == pytest.approx(19_002_988.488, rel=1e-12)
    assert res.by_fuel["natural_gas"] == pytest.approx(10_810_944.045, rel=1e-12)
    assert res.by_fuel["diesel"] == pytest.approx(6_191_819.2746667, rel=1e-12)
    assert res.total == pytest.approx(19_002_988.488 + 10_810_944.045 + 6_191_819.2746667, rel=1e-12)
    assert res.excluded == {("diesel", "10^4 t"): 30.0, ("raw_coal", "万吨"): 80.0}


def test_units_and_fuels_are_checked() -> None:
    with pytest.raises(EcoplanError) as e:
        fuel_co2(1.0, "m3", FACTORS["raw_coal"])
    assert e.value.key == "climate.error.unit_mismatch"
    with pytest.raises(EcoplanError) as e:
        fuel_co2(1.0, "barrel", FACTORS["crude_oil"])
    assert e.value.key == "climate.error.unknown_unit"
    with pytest.raises(EcoplanError) as e:
        energy_co2([FuelUse("peat", 1.0, "t")], FACTORS)
    assert e.value.key == "climate.error.unknown_fuel"


amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)
fuels = st.sampled_from(sorted(k for k in FACTORS if k != "natural_gas"))


@given(fuels, amounts, amounts)
def test_combustion_co2_is_additive_and_monotone(fuel: str, a: float, b: float) -> None:
    f = FACTORS[fuel]
    together = fuel_co2(a + b, "t", f)
    assert together == pytest.approx(fuel_co2(a, "t", f) + fuel_co2(b, "t", f), rel=1e-9, abs=1e-9)
    if a <= b:
        assert fuel_co2(a, "t", f) <= fuel_co2(b, "t", f)
    assert fuel_co2(a, "万吨", f) == pytest.approx(fuel_co2(a * 1e4, "t", f), rel=1e-12, abs=1e-9)


@given(fuels, amounts, st.floats(min_value=0.5, max_value=2.0))
def test_combustion_co2_is_proportional_to_each_factor(fuel: str, a: float, k: float) -> None:
    f = FACTORS[fuel]
    scaled = FuelFactor(
        f.fuel, f.basis, f.ncv_kj * k, f.carbon_content, f.oxidation, None, f.status, f.sources
    )
    assert fuel_co2(a, "t", scaled) == pytest.approx(k * fuel_co2(a, "t", f), rel=1e-9, abs=1e-9)


@given(st.lists(st.tuples(fuels, amounts, st.sampled_from(["non_energy", "feedstock"])), max_size=5))
def test_non_energy_use_never_adds_emissions(extra: list[tuple[str, float, str]]) -> None:
    base = [FuelUse("raw_coal", 10.0, "t"), FuelUse("gasoline", 3.0, "t")]
    more = base + [FuelUse(f, a, "t", use=u) for f, a, u in extra]
    assert energy_co2(more, FACTORS).total == energy_co2(base, FACTORS).total


def test_grid_factors_are_the_published_year_only() -> None:
    g = grid_factor(2023)
    assert (g.value, g.status) == (0.5306, "secondary")
    assert grid_factor(2022).value == 0.5366
    assert grid_factor(2023, region="north").value == 0.6361
    assert grid_factor(2022, series="carbon_market_grid").status == "unconfirmed"
    with pytest.raises(EcoplanError) as e:
        grid_factor(2019)
    assert e.value.key == "climate.error.no_grid_factor"
    # 1 亿千瓦时 = 10⁵ MWh at 0.5306 t/MWh; a net export is negative
    assert electricity_co2(1.0, "亿千瓦时", g.value) == pytest.approx(53_060.0)
    assert electricity_co2(-20.0, "万千瓦时", g.value) == pytest.approx(-106.12)


def test_a_bad_factor_table_is_refused_naming_row_and_field(tmp_path: Path) -> None:
    ncv = tmp_path / "ncv.csv"
    ncv.write_text(
        "fuel,basis,ncv,ncv_unit,source,edition,table,status\n"
        "coal,mass,20908,kJ/kg,s,e,t,primary\n"
        "gas,mass,38931,kJ/m3,s,e,t,primary\n"
        "oil,mass,abc,kJ/kg,s,e,t,maybe\n",
        encoding="utf-8",
    )
    cc = tmp_path / "cc.csv"
    cc.write_text(
        "fuel,carbon_content,carbon_content_unit,oxidation,source,edition,table,status\n"
        "coal,26.37,tC/TJ,1.4,s,e,t,primary\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as e:
        fuel_factors(ncv, cc)
    where = {(p.row, p.field) for p in e.value.problems}
    assert where == {(3, "ncv_unit"), (4, "ncv"), (4, "status"), (2, "oxidation")}


def test_a_user_table_replaces_the_shipped_one(tmp_path: Path) -> None:
    grid = tmp_path / "grid.csv"
    grid.write_text(
        "year,series,region,value,unit,document,status\n2030,average,national,450,gCO2/kWh,mine,primary\n",
        encoding="utf-8",
    )
    assert grid_factor(2030, table=grid_factors(grid)).value == pytest.approx(0.45)


def test_clinker_process_co2() -> None:
    # 65 % CaO, 1.5 % MgO: 0.65 × 44/56 + 0.015 × 44/40 = 0.5107142857 + 0.0165
    assert clinker_factor(0.65, 0.015) == pytest.approx(0.5272142857, rel=1e-9)
    assert clinker_co2(1e6, clinker_factor(0.65)) == pytest.approx(510_714.2857, rel=1e-9)
    with pytest.raises(EcoplanError):
        clinker_factor(0.9, 0.2)


# --- intensity ----------------------------------------------------------------------------


def test_the_contract_vector() -> None:
    it = Intensity.of(100.0, 50.0, 90.0, 60.0)
    assert (it.intensity_base, it.intensity, it.decline_pct) == (2.0, 1.5, 25.0)
    # 18 % decline: E/G = 0.82 × E0/G0
    assert decline_pct(1000.0, 100.0, 820.0, 100.0) == pytest.approx(18.0)
    assert decline_pct(1000.0, 100.0, 1100.0, 100.0) == pytest.approx(-10.0)


def test_bad_inputs_name_the_option() -> None:
    with pytest.raises(EcoplanError) as e:
        Intensity.of(100.0, 0.0, 90.0, 60.0)
    assert e.value.params["field"] == "base-gdp"
    with pytest.raises(EcoplanError) as e:
        decline_pct(100.0, 10.0, -1.0, 60.0)
    assert e.value.params["field"] == "emissions"


pos = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False)
moderate = st.floats(min_value=1, max_value=1e4)


@given(moderate, moderate, moderate, moderate, st.floats(min_value=1.01, max_value=10))
def test_decline_falls_with_emissions_and_rises_with_gdp(
    e0: float, g0: float, e: float, g: float, k: float
) -> None:
    d = decline_pct(e0, g0, e, g)
    assert decline_pct(e0, g0, e * k, g) < d
    assert decline_pct(e0, g0, e, g * k) > d
    assert decline_pct(e0, g0, e0 * k, g0 * k) == pytest.approx(0.0, abs=1e-9)
    assert d < 100


@given(pos, st.floats(min_value=10, max_value=1000))
def test_constant_prices_undo_the_deflator(real: float, deflator: float) -> None:
    assert constant_price_gdp(real * deflator / 100, deflator) == pytest.approx(real, rel=1e-12)


def test_chained_volume_indices() -> None:
    # base 1000; +5 %, +4 %, −2 %: 1050, 1092, 1070.16
    assert chain_volume(1000.0, [105.0, 104.0, 98.0]) == pytest.approx([1050.0, 1092.0, 1070.16])


targets = st.floats(min_value=0.5, max_value=60)
horizons = st.integers(min_value=1, max_value=15)


@given(targets, horizons)
def test_both_schedules_reach_the_target(d: float, n: int) -> None:
    lin, comp = linear_schedule(d, n), compound_schedule(d, n)
    assert len(lin) == len(comp) == n
    assert lin[-1] == pytest.approx(d) and comp[-1] == pytest.approx(d)
    assert all(a < b for a, b in itertools.pairwise(comp))
    # the compound path front-loads: never behind the linear one
    assert all(c >= x - 1e-9 for c, x in zip(comp, lin, strict=True))
    assert comp[0] == pytest.approx(yearly_rate(d, n))


@given(targets, horizons, st.data())
def test_on_the_compound_path_the_required_rate_is_the_constant_rate(
    d: float, n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n - 1))
    achieved = 0.0 if k == 0 else compound_schedule(d, n)[k - 1]
    assert required_yearly_decline(achieved, k, d, n) == pytest.approx(yearly_rate(d, n), rel=1e-9, abs=1e-9)


@given(targets, st.integers(min_value=2, max_value=15), st.floats(min_value=0, max_value=50))
def test_more_achieved_means_less_required(d: float, n: int, c: float) -> None:
    assert required_yearly_decline(c + 1, 1, d, n) < required_yearly_decline(c, 1, d, n)


def test_the_13th_and_14th_plan_figures() -> None:
    # 18 % over five years: 3.89 % a year; after 10 % in three years, 4.55 % a year remains
    assert round_half_even(yearly_rate(18.0, 5), 2) == 3.89
    assert round_half_even(required_yearly_decline(10.0, 3, 18.0, 5), 2) == 4.55
    # (0.82/0.90)^(1/2) = 0.954521… → 4.548 %
    assert math.isclose(required_yearly_decline(10.0, 3, 18.0, 5), 4.547859578, rel_tol=1e-9)


# --- words ---------------------------------------------------------------------------------


def test_the_climate_words_are_complete_and_pure() -> None:
    from ecoplan.core import words
    from ecoplan.core.words.purity import foreign

    keys = [k for k in words.keys() if k.startswith("climate.")]  # noqa: SIM118 (a function, not a dict)
    assert len(keys) > 40
    for k in keys:
        sample = {p: 12.5 for p in words.params(k)}
        assert not foreign(words.word(k, "zh", **sample), "zh"), k
        assert not foreign(words.word(k, "en", **sample), "en"), k


@given(
    st.floats(min_value=5e-324, max_value=1e15),
    st.floats(min_value=5e-324, max_value=1e15),
    st.floats(min_value=0, max_value=1e15),
    st.floats(min_value=5e-324, max_value=1e15),
)
def test_extreme_scales_give_a_worded_error_or_a_finite_figure(
    e0: float, g0: float, e: float, g: float
) -> None:
    try:
        res = Intensity.of(e0, g0, e, g)
    except EcoplanError as exc:
        assert exc.key in {"climate.error.out_of_range", "climate.error.not_positive"}
    else:
        assert all(math.isfinite(x) for x in (res.intensity_base, res.intensity, res.decline_pct))
        assert round_half_even(res.decline_pct, 2) is not None

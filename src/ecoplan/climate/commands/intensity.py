"""``ecoplan climate intensity`` and ``ecoplan climate schedule``: the CO2-intensity figures.

The JSON contract of ``intensity`` is in ``docs/json.md`` ("ecoplan climate intensity"):
``{intensity_base, intensity, decline_pct}``, ``decline_pct`` rounded to 2 decimals by
GB/T 8170 (:func:`ecoplan.core.rounding.round_half_even`), the intensities unrounded in
the units of the inputs.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ecoplan.climate.commands._common import computed, json_done
from ecoplan.climate.commands.options import Fmt, OutFmt, climate_app
from ecoplan.climate.standards.intensity import (
    compound_schedule,
    contract,
    linear_schedule,
    required_yearly_decline,
    yearly_rate,
)
from ecoplan.core.errors import EcoplanError
from ecoplan.core.rounding import round_half_even
from ecoplan.kit.cli import LangOpt, say, words

__all__ = ["climate_intensity", "climate_schedule", "intensity_result", "schedule_result"]

Num = Annotated[float, typer.Option()]


def intensity_result(base_emissions: float, base_gdp: float, emissions: float, gdp: float) -> dict[str, Any]:
    """The contract's JSON object (:func:`~ecoplan.climate.standards.intensity.contract`)."""
    return dict(contract(base_emissions, base_gdp, emissions, gdp))


@climate_app.command("intensity")
def climate_intensity(
    base_emissions: Annotated[float, typer.Option(help="CO2 emissions of the base year (any unit)")],
    base_gdp: Annotated[float, typer.Option(help="GDP of the base year, at its prices")],
    emissions: Annotated[float, typer.Option(help="CO2 emissions of the year (same unit)")],
    gdp: Annotated[float, typer.Option(help="GDP of the year at the base year's prices (same unit)")],
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """CO2 intensity and its decline vs the base year. / 单位地区生产总值二氧化碳排放及其降低率"""
    res = computed(lambda: intensity_result(base_emissions, base_gdp, emissions, gdp), lang)
    if json_done(fmt, res):
        return
    w = words(lang)
    say(w("climate.cli.intensity.base", value=f"{res['intensity_base']:.6g}"))
    say(w("climate.cli.intensity.year", value=f"{res['intensity']:.6g}"))
    say(w("climate.cli.intensity.decline", value=f"{res['decline_pct']:.2f}"))


def schedule_result(target: float, years: int, achieved: float | None, elapsed: int | None) -> dict[str, Any]:
    """The linear and compound schedules (cumulative %, 2 decimals) and, given the decline
    achieved so far, the yearly decline still required (%, 2 decimals)."""
    out: dict[str, Any] = {
        "target_pct": target,
        "years": years,
        "yearly_rate_pct": round_half_even(yearly_rate(target, years), 2),
        "linear": [round_half_even(x, 2) for x in linear_schedule(target, years)],
        "compound": [round_half_even(x, 2) for x in compound_schedule(target, years)],
        "required_yearly_pct": None,
    }
    if achieved is not None:
        if elapsed is None:
            raise EcoplanError.worded("climate.error.need_elapsed")
        out["achieved_pct"] = achieved
        out["elapsed"] = elapsed
        out["required_yearly_pct"] = round_half_even(
            required_yearly_decline(achieved, elapsed, target, years), 2
        )
    return out


@climate_app.command("schedule")
def climate_schedule(
    target: Annotated[float, typer.Option(help="Target cumulative decline, % (e.g. 18)")],
    years: Annotated[int, typer.Option(help="Years from the base year to the target year (e.g. 5)")],
    achieved: Annotated[float | None, typer.Option(help="Cumulative decline achieved so far, %")] = None,
    elapsed: Annotated[int | None, typer.Option(help="Years elapsed since the base year")] = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """The linear and compound path to an intensity target, and the yearly decline still
    required. / 降低目标的线性与等比进度及今后每年所需降幅"""
    res = computed(lambda: schedule_result(target, years, achieved, elapsed), lang)
    if json_done(fmt, res):
        return
    w = words(lang)
    say(w("climate.cli.schedule.rate", target=target, years=years, rate=f"{res['yearly_rate_pct']:.2f}"))
    for k, (lin, comp) in enumerate(zip(res["linear"], res["compound"], strict=True), start=1):
        say(w("climate.cli.schedule.row", year=k, linear=f"{lin:.2f}", compound=f"{comp:.2f}"))
    if res["required_yearly_pct"] is not None:
        say(w("climate.cli.schedule.required", value=f"{res['required_yearly_pct']:.2f}"))

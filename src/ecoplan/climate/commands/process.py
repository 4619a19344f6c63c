"""``ecoplan climate clinker``: cement clinker process CO2 (:mod:`ecoplan.climate.standards.cement`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ecoplan.climate.commands._common import computed, json_done
from ecoplan.climate.commands.options import Fmt, OutFmt, climate_app
from ecoplan.climate.standards.cement import METHOD, clinker_co2, clinker_factor
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import LangOpt, say, words

__all__ = ["climate_clinker", "clinker_result"]


def clinker_result(clinker_t: float, cao: float | None, mgo: float, factor: float | None) -> dict[str, Any]:
    """``{clinker_t, factor_t_per_t, co2_t, method}``: the factor from the composition, or the
    user's own factor (``method`` then says so)."""
    if factor is None:
        if cao is None:
            raise EcoplanError.worded("climate.error.need_cao")
        factor, method = clinker_factor(cao, mgo), METHOD
    else:
        method = "user factor"
    return {
        "clinker_t": clinker_t,
        "factor_t_per_t": factor,
        "co2_t": clinker_co2(clinker_t, factor),
        "method": method,
    }


@climate_app.command("clinker")
def climate_clinker(
    clinker: Annotated[float, typer.Option(help="Clinker produced, t")],
    cao: Annotated[float | None, typer.Option(help="CaO mass fraction of the clinker (0–1)")] = None,
    mgo: Annotated[float, typer.Option(help="MgO mass fraction of the clinker (0–1)")] = 0.0,
    factor: Annotated[float | None, typer.Option(help="Your own factor, t CO2 per t clinker")] = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Process CO2 of cement clinker from its CaO and MgO content. / 水泥熟料生产过程二氧化碳排放"""
    res = computed(lambda: clinker_result(clinker, cao, mgo, factor), lang)
    if json_done(fmt, res):
        return
    w = words(lang)
    say(w("climate.cli.clinker", factor=f"{res['factor_t_per_t']:.4f}", co2=f"{res['co2_t']:,.2f}"))
    say(w("climate.cli.clinker_note"))

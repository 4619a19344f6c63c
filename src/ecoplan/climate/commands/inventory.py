"""``ecoplan climate inventory FILE``: energy-related CO2 by region, year and fuel.

The file is the long-format CSV of :mod:`ecoplan.climate.readers`; the factors are the
shipped tables (``climate/data/``) or the user's (``--ncv``, ``--carbon``, ``--grid``).
A file with any reject is refused whole: every reject (file, row, field, value, reason)
on stderr, exit status 1, no totals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ecoplan.climate.commands.options import Fmt, OutFmt, climate_app
from ecoplan.climate.inventory import compute
from ecoplan.climate.readers import Reject, read_energy_use
from ecoplan.climate.standards.factors import GridFactor, fuel_factors, grid_factors
from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import MissingWord, Words
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, err, say, words

__all__ = ["climate_inventory"]


def _fuel(w: Words, key: str) -> str:
    """The fuel's name in words; a fuel of the user's own table shows its key."""
    try:
        return w(f"climate.fuel.{key}")
    except MissingWord:
        return key


def _reject_lines(rejects: list[Reject], lang: str) -> None:
    w = words(lang)
    for r in rejects[:50]:
        err.print(
            w(
                "climate.cli.reject",
                file=r.file,
                row=r.row,
                field=r.field,
                value=r.value,
                reason=w(f"climate.reason.{r.reason}"),
            ),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@climate_app.command("inventory")
def climate_inventory(
    file: Annotated[
        Path, typer.Argument(help="Long-format CSV: region,year,fuel,amount,unit[,use][,sector]")
    ],
    ncv: Annotated[Path | None, typer.Option(help="Your NCV table (columns of data/ncv_gbt2589.csv)")] = None,
    carbon: Annotated[
        Path | None,
        typer.Option(help="Your carbon-content table (columns of data/carbon_provincial_guide.csv)"),
    ] = None,
    grid: Annotated[
        Path | None, typer.Option(help="Your grid-factor table (columns of data/grid_factors.csv)")
    ] = None,
    grid_region: Annotated[
        str, typer.Option(help="Grid factor region: national, north, east, …")
    ] = "national",
    grid_series: Annotated[str, typer.Option(help="Grid factor series: average, fossil, …")] = "average",
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """CO2 of fuel combustion and net imported electricity, by region, year and fuel.
    / 能源活动二氧化碳排放清单"""
    try:
        factors = fuel_factors(ncv, carbon)
        table: dict[int, GridFactor] = {
            g.year: g for g in grid_factors(grid) if (g.region, g.series) == (grid_region, grid_series)
        }
        batch = read_energy_use(file, factors, name=str(file))
        inv = compute(batch.lines, factors, table, file=str(file))
    except (EcoplanError, OSError) as exc:
        _fail(exc, lang)
    rejects = batch.rejects + inv.rejects
    if rejects:
        _reject_lines(rejects, lang)
        _fail(EcoplanError.worded("climate.error.refused", file=str(file), count=len(rejects)), lang)
    if fmt is OutFmt.json:
        _dump_json(inv.to_dict())
        return
    w = words(lang)
    for (region, year, fuel, sector), t in sorted(inv.by_fuel.items()):
        say(
            w(
                "climate.cli.inventory.row",
                region=region,
                year=year,
                fuel=_fuel(w, fuel),
                sector=sector or "-",
                co2=f"{t / 1e4:,.2f}",
            )
        )
    for (region, year), d in sorted(inv.totals().items()):
        say(
            w(
                "climate.cli.inventory.total",
                region=region,
                year=year,
                combustion=f"{d['combustion'] / 1e4:,.2f}",
                electricity=f"{d['electricity'] / 1e4:,.2f}",
                total=f"{d['total'] / 1e4:,.2f}",
            )
        )
    for (region, year, fuel, unit), a in sorted(inv.excluded.items()):
        say(
            w(
                "climate.cli.inventory.excluded",
                region=region,
                year=year,
                fuel=_fuel(w, fuel),
                amount=a,
                unit=unit,
            )
        )
    shaky = sorted(
        {k for k, f in inv.fuels.items() if f.status == "unconfirmed"}
        | {str(y) for y, g in inv.grid.items() if g.status == "unconfirmed"}
    )
    if shaky:
        say(w("climate.cli.inventory.unconfirmed", items=", ".join(shaky)))

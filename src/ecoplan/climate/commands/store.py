"""``ecoplan climate load FILE --kind energy|gdp|totals`` and ``ecoplan climate feed``: the stored
data and the plan indicator they feed (``docs/climate.md``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ecoplan.climate.commands._common import json_done, say_loaded, stored
from ecoplan.climate.commands.options import Fmt, OutFmt, climate_app
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, say, words

__all__ = ["climate_feed", "climate_load"]


class Kind(StrEnum):
    energy = "energy"
    gdp = "gdp"
    totals = "totals"


@climate_app.command("load")
def climate_load(
    file: Annotated[
        Path,
        typer.Argument(
            help="energy: region,year,fuel,amount,unit[,use][,sector]; "
            "gdp: region,year,gdp[,prices][,index]; totals: region,year,total[,nonfossil]"
        ),
    ],
    kind: Annotated[Kind, typer.Option("--kind", help="energy, gdp or totals")] = Kind.energy,
    db: DbOpt = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Store a region's energy use or GDP (a bad file is refused whole; re-loading is
    idempotent). / 导入能源消费或地区生产总值"""

    def load(ops: Any) -> Any:
        return {Kind.energy: ops.load_energy, Kind.gdp: ops.load_gdp, Kind.totals: ops.load_totals}[kind](
            file
        )

    say_loaded(stored(db, lang, load, (EcoplanError, OSError)), kind.value, fmt, lang)


@climate_app.command("feed")
def climate_feed(
    region: Annotated[
        str | None, typer.Option(help="Region code (GB/T 2260); default every stored region")
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option(help="Year (repeatable); default every stored year")
    ] = None,
    grid: Annotated[Path | None, typer.Option(help="Your grid-factor table")] = None,
    grid_region: Annotated[str, typer.Option(help="Grid factor region")] = "national",
    grid_series: Annotated[str, typer.Option(help="Grid factor series")] = "average",
    db: DbOpt = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Write the CO2- and energy-intensity declines and the non-fossil share to the plans
    that carry them (source "pipeline climate"). / 将碳排放强度、能耗强度降低率和非化石能源比重写入规划指标"""
    fr = stored(
        db,
        lang,
        lambda ops: ops.feed(region, year, grid=grid, grid_region=grid_region, grid_series=grid_series),
        (EcoplanError, OSError),
    )
    if json_done(
        fmt,
        {
            "rows": [
                {
                    "plan": r.plan,
                    "indicator": r.indicator,
                    "region": r.region,
                    "year": r.year,
                    "value": r.value,
                    "source": r.source,
                }
                for r in fr.rows
            ],
            "skipped": [
                {"plan": p, "indicator": i, "region": c, "year": y, "reason": s.key, "text": s.text(lang)}
                for p, i, c, y, s in fr.skipped
            ],
            "inserted": fr.result.inserted,
            "revised": fr.result.revised,
            "unchanged": fr.result.unchanged,
        },
    ):
        return
    w = words(lang)
    for r in fr.rows:
        say(
            w(
                "climate.cli.feed.row",
                plan=r.plan,
                indicator=r.indicator,
                region=r.region,
                year=r.year,
                value=r.value,
            )
        )
    for p, i, c, y, s in fr.skipped:
        say(w("climate.cli.feed.skipped", plan=p, indicator=i, region=c, year=y, reason=s.text(lang)))
    say(
        w(
            "climate.cli.feed.summary",
            new=fr.result.inserted,
            revised=fr.result.revised,
            unchanged=fr.result.unchanged,
        )
    )

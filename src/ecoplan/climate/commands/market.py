"""``ecoplan climate market load|list|discrepancies|totals``: the carbon-market enterprises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from ecoplan.climate.commands._common import json_done, say_loaded, say_rows, stored
from ecoplan.climate.commands.options import Fmt, OutFmt, climate_app
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _fail, words

__all__ = ["market_app"]

market_app = typer.Typer(
    no_args_is_help=True, help="The enterprises in the national carbon market / 全国碳市场重点排放单位"
)
climate_app.add_typer(market_app, name="market")

Region = Annotated[str | None, typer.Option(help="Region code (GB/T 2260)")]
Year = Annotated[int | None, typer.Option(help="Compliance year")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Date of the compliance status (ISO; default today)")
]


def _date(text: str | None, lang: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(EcoplanError.worded("climate.error.bad_date", value=text), lang)


def _t(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


@market_app.command("load")
def market_load(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: facility,name,region,sector,guide,year,reported_t,…")
    ],
    db: DbOpt = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Store facilities and their compliance years (a bad file is refused whole). / 导入重点排放单位"""
    res = stored(db, lang, lambda ops: ops.load_market(file), (EcoplanError, OSError))
    say_loaded(res, "market", fmt, lang)


@market_app.command("list")
def market_list(
    region: Region = None,
    year: Year = None,
    as_of: AsOf = None,
    db: DbOpt = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Each facility-year: reported, verified, allocation, surrendered, status. / 重点排放单位清缴情况"""
    when = _date(as_of, lang)
    rows: list[dict[str, Any]] = stored(db, lang, lambda ops: ops.market(region, year, when))
    if json_done(fmt, rows):
        return
    w = words(lang)
    say_rows(
        lang,
        "climate.cli.market.row",
        (
            {
                "facility": r["facility"],
                "name": r["name"] or "-",
                "region": r["region"],
                "year": r["year"],
                "reported": _t(r["reported_t"]),
                "verified": _t(r["verified_t"]),
                "allocation": _t(r["allocation_t"]),
                "surrendered": _t(r["surrendered_t"]),
                "status": w(f"climate.market.status.{r['status']}"),
                "shortfall": _t(r["shortfall_t"]),
            }
            for r in rows
        ),
    )


@market_app.command("discrepancies")
def market_discrepancies(
    threshold: Annotated[
        float, typer.Option(help="Only differences above this % of the verified figure")
    ] = 0.0,
    region: Region = None,
    year: Year = None,
    db: DbOpt = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Reported vs verified emissions that differ, the largest first. / 报告量与核查量差异"""
    rows: list[dict[str, Any]] = stored(db, lang, lambda ops: ops.discrepancies(threshold, region, year))
    if json_done(fmt, rows):
        return
    say_rows(
        lang,
        "climate.cli.market.discrepancy",
        (
            {
                "facility": r["facility"],
                "year": r["year"],
                "reported": _t(r["reported_t"]),
                "verified": _t(r["verified_t"]),
                "diff": f"{r['discrepancy_t']:+,.0f}",
                "pct": "-" if r["discrepancy_pct"] is None else f"{r['discrepancy_pct']:+.2f}",
            }
            for r in rows
        ),
    )


@market_app.command("totals")
def market_totals(
    region: Region = None,
    year: Year = None,
    as_of: AsOf = None,
    db: DbOpt = None,
    fmt: Fmt = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Per region and year: facilities, verified, allocation, surrendered, overdue. / 分地区汇总"""
    when = _date(as_of, lang)
    rows: list[dict[str, Any]] = stored(db, lang, lambda ops: ops.market_totals(region, year, when))
    if json_done(fmt, rows):
        return
    say_rows(
        lang,
        "climate.cli.market.total",
        (
            {
                "region": r["region"],
                "year": r["year"],
                "facilities": r["facilities"],
                "verified": _t(r["verified_t"]),
                "allocation": _t(r["allocation_t"]),
                "surrendered": _t(r["surrendered_t"]),
                "overdue": r["overdue"],
            }
            for r in rows
        ),
    )

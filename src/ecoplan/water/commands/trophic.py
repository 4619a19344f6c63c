"""``ecoplan water trophic``: the trophic state (TLI(Σ)) of every lake and reservoir station."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from ecoplan.core.words import NONE_TEXT
from ecoplan.kit.cli import DbOpt, LangOpt, out, say, words
from ecoplan.kit.options import EngineName, EngineOpt, FrameFmt, fetched
from ecoplan.water.commands.options import FmtOpt, MonthOpt, OutputOpt, YearOpt, water_app, write_frame

__all__ = ["water_trophic"]


def _num(v: float | None, digits: int) -> str:
    return NONE_TEXT if v is None or pd.isna(v) else f"{float(v):.{digits}f}"


@water_app.command("trophic")
def water_trophic(
    year: YearOpt,
    month: MonthOpt = None,
    min_params: Annotated[
        int,
        typer.Option(
            "--min-params",
            min=1,
            max=5,
            help="Parameters a TLI needs (the method: all 5; CNEMC stations publish no SD, use 4)",
        ),
    ] = 5,
    engine: EngineOpt = EngineName.duckdb,
    db: DbOpt = None,
    fmt: FmtOpt = FrameFmt.table,
    output: OutputOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Trophic state index TLI(Σ) of lakes and reservoirs. / 湖库综合营养状态指数"""
    w = words(lang)
    df = fetched(
        lambda ep: ep.water.trophic(year=year, month=month, min_params=min_params, engine=engine.value),
        db,
        lang,
    )
    if fmt is not FrameFmt.table:
        write_frame(df, fmt, output, lang)
        return
    t = Table()
    for key in ("name", "river", "period", "chla", "tp", "tn", "sd", "codmn", "tli", "grade"):
        t.add_column(w(f"water.trophic.header.{key}"))
    for r in df.to_dict("records"):
        state = (
            w(f"water.trophic.grade.{r['grade']}")
            if isinstance(r["grade"], str)
            else w(f"water.trophic.reason.{r['reason']}")
        )
        t.add_row(
            str(r["name"] or r["station"]), str(r["river"] or ""), str(r["period"]),
            _num(r["chla_mg_m3"], 1), _num(r["tp_mg_l"], 3), _num(r["tn_mg_l"], 2), _num(r["sd_m"], 2),
            _num(r["codmn_mg_l"], 1), _num(r["tli"], 1), state,
        )  # fmt: skip
    out.print(t)
    say(w("water.trophic.summary", stations=len(df), graded=int(df["tli"].notna().sum()), params=min_params))

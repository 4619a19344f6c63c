"""What the ``ecoplan water …`` commands share: the command group, the output formats,
frames to files, and the water words the commands print (items, grades, classes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import NONE_TEXT
from ecoplan.kit.cli import _dump_json, out, place, say, words
from ecoplan.kit.options import FrameFmt, fetched
from ecoplan.kit.options import write_frame as kit_write_frame

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

water_app = typer.Typer(
    no_args_is_help=True, help="Surface water: classify, load, evaluate, rank, feed / 地表水"
)


class Period(StrEnum):
    year = "year"
    month = "month"


class By(StrEnum):
    region = "region"
    basin = "basin"
    river = "river"


FmtOpt = Annotated[FrameFmt, typer.Option("--format", help="table, json, csv or parquet (with --output)")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file")]
YearOpt = Annotated[int, typer.Option("--year", help="Year evaluated / 评价年份")]
MonthOpt = Annotated[int | None, typer.Option("--month", min=1, max=12, help="One month (1..12)")]

#: The options of the feed commands (drinking, black-odorous, sections) and status.
FeedYearOpt = Annotated[int | None, typer.Option("--year", help="Only this year")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show, write nothing")]
TableJsonOpt = Annotated[FrameFmt, typer.Option("--format", help="table or json")]


def write_frame(df: pd.DataFrame, fmt: FrameFmt, output: Path | None, lang: str) -> None:
    """csv/json to ``output`` or stdout; parquet to ``output`` (required)."""
    needs = words(lang)("water.eval.parquet_needs_output", fmt="--format parquet", option="--output")
    kit_write_frame(df, fmt, output, lang, "water.eval.written", needs)


def item_word(item: str, lang: str) -> str:
    """An item's name in ``lang`` (the words of ``water.cli.item.*``)."""
    return words(lang)(f"water.cli.item.{item.lower()}")


def grade_word(code: Any, lang: str) -> str:
    """A grade code (excellent … severe) in ``lang``; — for none."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return NONE_TEXT
    return words(lang)(f"water.grade.{code}")


def pct(v: Any) -> str:
    if v is None or pd.isna(v):
        return NONE_TEXT
    return f"{float(v):.1f}%"


def mains_text(text: str, lang: str) -> str:
    """Main pollutants (JSON list of {item, multiple}) as ``氨氮(1.4)、总磷(0.2)``."""
    w = words(lang)
    parts = []
    for m in json.loads(text or "[]"):
        name = item_word(m["item"], lang)
        parts.append(name if m["multiple"] is None else f"{name}({m['multiple']:.1f})")
    return w("water.eval.list_sep").join(parts) if parts else NONE_TEXT


def show_fed(res: Any, plans: dict[str, Any], names: dict[str, Any], lang: str, fmt: FrameFmt) -> None:
    """A feed's result (the indicators written or that would be, and those skipped with
    why) as a table and lines, or as JSON."""
    if fmt is not FrameFmt.table:
        _dump_json(
            {
                "written": None if res.result is None else res.result.__dict__,
                "rows": [{**r.__dict__, "basis": r.basis.value} for r in res.rows],
                "skipped": [
                    {"plan": s.plan, "indicator": s.indicator, "region": s.region, "year": s.year,
                     "reason": s.why.key, "text": s.why.text(lang)}
                    for s in res.skipped
                ],
            }
        )  # fmt: skip
        return
    w = words(lang)

    def named(plan_id: str, indicator_id: str | None = None) -> tuple[str, str]:
        p = plans.get(plan_id)
        if p is None:
            return plan_id, indicator_id or ""
        try:
            ind = p.indicator(indicator_id).name.get(lang) if indicator_id else ""
        except (KeyError, LookupError, EcoplanError):
            ind = indicator_id or ""
        return str(p.title.get(lang)), str(ind)

    t = Table()
    for key in ("plan", "indicator", "region", "year", "value"):
        t.add_column(w(f"water.eval.header.{key}"))
    for r in res.rows:
        t.add_row(*named(r.plan, r.indicator), place(names.get(r.region), r.region, lang), str(r.year),
                  f"{r.value:.1f}%")  # fmt: skip
    out.print(t)
    if res.result is None:
        say(w("water.eval.dry_run", count=len(res.rows)))
    else:
        say(w("water.eval.fed", inserted=res.result.inserted, revised=res.result.revised,
              unchanged=res.result.unchanged))  # fmt: skip
    for s in res.skipped:
        say(w("water.eval.skipped", plan=named(s.plan, s.indicator)[0], region=s.region, year=s.year,
              why=s.why.text(lang)))  # fmt: skip


def run_feed(feed: Callable[[Ecoplan], Any], db: str | None, lang: str, fmt: FrameFmt) -> None:
    """A feed command: ``feed(ep)`` in one store session, then its result shown with the
    plans' and regions' names (:func:`show_fed`)."""
    res, plans, names = fetched(
        lambda ep: (feed(ep), {p.id: p for p in ep.plans()}, ep.region_names()), db, lang
    )
    show_fed(res, plans, names, lang, fmt)

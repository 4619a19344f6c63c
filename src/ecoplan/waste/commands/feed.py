"""``ecoplan waste feed``: the waste rates (``ecoplan.waste.feed``) into the plan values
(source "pipeline waste"), through ``ep.waste.feed``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, place, say, with_unit, words
from ecoplan.kit.options import TableFmt

__all__ = ["register"]


def _plain(fr: Any, lang: str) -> dict[str, Any]:
    res = fr.result
    return {
        "rows": [
            {
                "plan": r.plan,
                "indicator": r.indicator,
                "region": r.region,
                "year": r.year,
                "value": r.value,
                "unit": r.unit,
                "source": r.source,
                "note": r.note,
            }
            for r in fr.rows
        ],
        "skipped": [
            {
                "plan": s.plan,
                "indicator": s.indicator,
                "region": s.region,
                "year": s.year,
                "reason": s.why.key,
                "text": s.why.text(lang),
            }
            for s in fr.skipped
        ],
        "written": None
        if res is None
        else {"inserted": res.inserted, "revised": res.revised, "unchanged": res.unchanged},
    }


def register(app: typer.Typer) -> None:
    """Add ``feed`` to ``ecoplan waste``."""

    @app.command("feed")
    def waste_feed(
        year: Annotated[list[int] | None, typer.Option("--year", help="Year(s); default every year")] = None,
        region: Annotated[
            str | None, typer.Option("--region", help="Region code; default every region holding actors")
        ] = None,
        plan: Annotated[str | None, typer.Option("--plan", help="Only this plan")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Compute and show, write nothing")] = False,
        fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Write the waste rates to the plans that carry them (source "pipeline waste"). / 写入规划指标"""
        try:
            with _session(db, lang) as ep:
                fr = ep.waste.feed(year or None, region, plan=plan, dry_run=dry_run)
                names = ep.region_names()
        except EcoplanError as exc:
            _fail(exc, lang)
        if fmt is TableFmt.json:
            _dump_json(_plain(fr, lang))
            return
        w = words(lang)
        for r in fr.rows:
            say(
                w(
                    "waste.feed.cli.row",
                    plan=r.plan,
                    indicator=r.indicator,
                    region=place(names.get(r.region), r.region, lang),
                    year=r.year,
                    value=with_unit(r.value, r.unit, lang),
                )
            )
        for s in fr.skipped:
            say(
                w(
                    "waste.feed.cli.skipped",
                    plan=s.plan,
                    indicator=s.indicator,
                    region=place(names.get(s.region), s.region, lang),
                    year=s.year,
                    why=s.why.text(lang),
                )
            )
        if not fr.rows and not fr.skipped:
            say(w("waste.feed.cli.none"))
        res = fr.result
        if res is not None:
            say(w("waste.feed.cli.summary", new=res.inserted, revised=res.revised, unchanged=res.unchanged))

"""``ecoplan waste alerts`` (evaluate the rule set over the stored tables, store and show
the alerts) and ``ecoplan waste simulate`` (a generated year with injected anomalies, for
demos); ``docs/waste-alerts.md``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, out, say, words
from ecoplan.kit.options import EngineName, EngineOpt, ListFmt, fetched
from ecoplan.waste.pipeline import select_rules
from ecoplan.waste.rules import RULES, rule
from ecoplan.waste.simulate import generate

__all__ = ["register"]

COLUMNS = ("rule", "name", "subject", "region", "at", "evidence", "source")


def _when(text: str | None, lang: str) -> dt.datetime | None:
    if text is None:
        return None
    for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, f)
        except ValueError:
            continue
    _fail(words(lang)("waste.alerts.cli.bad_time", value=text), lang)


def _in_region(region: str | None, code: str | None) -> bool:
    """``code`` lies in ``region`` (a province 320000 holds 320100 …)."""
    if not code:
        return region is None
    if region is None:
        return True
    stem = region.rstrip("0")
    stem = stem + "0" * (len(stem) % 2)
    return code.startswith(stem)


def _records(frame: Any, region: str | None, lang: str) -> list[dict[str, Any]]:
    w = words(lang)
    rows = []
    for r in frame.to_dict("records"):
        if not _in_region(region, r["region"]):
            continue
        at = r["at"]
        rows.append(
            {
                "rule": r["rule"],
                "name": w(rule(r["rule"]).name_key),
                "subject": r["subject"],
                "region": r["region"],
                "at": None if at is None or at != at else str(at),
                "evidence": r["evidence"],
                "source": r["source"],
            }
        )
    return rows


def _evidence_text(ev: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in ev.items() if v is not None)


def register(app: typer.Typer) -> None:
    """Add ``alerts`` and ``simulate`` to ``ecoplan waste``."""

    @app.command("alerts")
    def waste_alerts(
        rule_ids: Annotated[
            list[str] | None, typer.Option("--rule", help="R1..R11 or a check (R5.code); repeatable")
        ] = None,
        region: Annotated[str | None, typer.Option("--region", help="A region code (and below)")] = None,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Judge at YYYY-MM-DD[ HH:MM] (default now)")
        ] = None,
        year: Annotated[
            int | None, typer.Option("--year", help="Reporting year (capacity, ledgers, declarations)")
        ] = None,
        engine: EngineOpt = EngineName.duckdb,
        fmt: Annotated[ListFmt, typer.Option("--format", help="table, json or csv")] = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Evaluate the alert rules over the stored data, store and show the alerts. / 危险废物预警"""
        w = words(lang)
        try:
            select_rules(rule_ids)
        except KeyError as exc:
            known = w("cli.list_sep").join(f"`{r}`" for r in RULES)
            _fail(w("waste.alerts.cli.unknown_rule", rule=exc.args[0], known=known), lang)
        when = _when(as_of, lang)
        frame, settings = fetched(
            lambda ep: ep.waste.evaluate_alerts(rule_ids, as_of=when, year=year, engine=engine.value),
            db,
            lang,
        )
        rows = _records(frame, region, lang)
        if fmt is ListFmt.json:
            _dump_json(rows)
            return
        if fmt is ListFmt.csv:
            buf = io.StringIO()
            wr = csv.writer(buf, lineterminator="\n")
            wr.writerow(COLUMNS)
            for r in rows:
                wr.writerow(
                    [
                        json.dumps(r[c], ensure_ascii=False, sort_keys=True) if c == "evidence" else r[c]
                        for c in COLUMNS
                    ]
                )
            sys.stdout.write(buf.getvalue())
            return
        checks = len(select_rules(rule_ids))
        say(
            w(
                "waste.alerts.cli.evaluated",
                count=len(rows),
                checks=checks,
                as_of=str(settings.as_of),
                year=settings.year,
            )
        )
        if not rows:
            say(w("waste.alerts.cli.none"))
            return
        t = RichTable(*(w(f"waste.alerts.col.{c}") for c in COLUMNS if c != "source"))
        for r in rows:
            t.add_row(
                r["rule"],
                r["name"],
                r["subject"],
                r["region"] or "",
                r["at"] or "",
                _evidence_text(r["evidence"]),
            )
        out.print(t)

    @app.command("simulate")
    def waste_simulate(
        year: Annotated[int, typer.Option("--year", help="The year to generate")] = 2025,
        scale: Annotated[
            float, typer.Option("--scale", help="1.0 = a national year (5 M manifests)")
        ] = 0.001,
        seed: Annotated[int, typer.Option("--seed", help="Random seed")] = 0,
        per_rule: Annotated[
            int | None, typer.Option("--per-rule", help="Anomalies injected per check")
        ] = None,
        fmt: Annotated[ListFmt, typer.Option("--format", help="table or json")] = ListFmt.table,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        """Write a generated manifest year with injected anomalies into the store (demo). / 生成模拟数据"""
        sim = generate(year, scale, seed, per_rule=per_rule)
        counts = fetched(lambda ep: ep.waste.load_simulated(sim), db, lang)
        if fmt is ListFmt.json:
            _dump_json(
                {
                    "year": year,
                    "rows": counts,
                    "injected": sim.injected.to_dict(orient="records"),
                    "as_of": str(sim.settings.as_of),
                }
            )
            return
        say(
            words(lang)(
                "waste.alerts.cli.simulated",
                year=year,
                manifests=counts["waste_manifests"],
                lines=counts["waste_manifest_lines"],
                injected=len(sim.injected),
            )
        )

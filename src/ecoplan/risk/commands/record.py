"""``ecoplan risk incidents [ID]`` (the recorded incidents with their reporting clocks, or one
of them) and ``ecoplan risk report ID --kind initial|progress|final`` (a report made on a
recorded incident). Incidents are recorded with ``ecoplan risk incident FILE --record``.

The JSON forms are in ``docs/risk-incidents.md``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

import typer

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import Words
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, say, words
from ecoplan.kit.options import fetched
from ecoplan.risk.clock import to_local

__all__ = ["print_clocks", "register", "risk_incidents", "risk_report"]


class OutFmt(StrEnum):
    json = "json"
    text = "text"


class Kind(StrEnum):
    initial = "initial"
    progress = "progress"
    final = "final"


class Party(StrEnum):
    local_bureau = "local_bureau"
    provincial_bureau = "provincial_bureau"


def _moment(text: str | None, option: str, lang: str) -> dt.datetime | None:
    """A local time as written (``2026-12-06 10:15`` or ISO), or None."""
    if text is None:
        return None
    try:
        return to_local(dt.datetime.fromisoformat(text.strip().replace(" ", "T")))
    except ValueError:
        _fail(
            EcoplanError.worded("risk.incident.error.time", file=option, field=option, value=repr(text)), lang
        )


def _clock_line(c: dict[str, Any], w: Words) -> str:
    made = w("risk.incident.cli.made", at=c["made_at"].replace("T", " ")) if c["made_at"] else ""
    return w(
        "risk.incident.cli.clock",
        by=w(f"risk.incident.party.{c['by']}"),
        due=c["due"].replace("T", " "),
        state=w(f"risk.incident.state.{c['state']}"),
        made=made,
    )


def print_clocks(inc: dict[str, Any], w: Words) -> None:
    """An incident's clocks and its reports, as lines."""
    for c in inc["clocks"]:
        say(_clock_line(c, w))
    for r in inc["reports"]:
        say(
            w(
                "risk.incident.cli.report_line",
                kind=w(f"risk.incident.report.{r['kind']}"),
                party=w(f"risk.incident.party.{r['party']}"),
                at=r["made_at"].replace("T", " "),
            )
        )
    if inc["closed_at"]:
        say(w("risk.incident.cli.closed", at=inc["closed_at"].replace("T", " ")))


def _summary(inc: dict[str, Any], w: Words) -> str:
    states = [c["state"] for c in inc["clocks"]]
    worst = next((s for s in ("overdue", "late", "open", "on_time") if s in states), "on_time")
    return w(
        "risk.incident.cli.list_row",
        id=inc["incident_id"],
        time=inc["discovered_at"].replace("T", " "),
        place=inc["place"] or inc["region"] or f"{inc['lon']:.4f}, {inc['lat']:.4f}",
        substance=inc["substance"] or "—",
        grade=w(f"risk.incident.grade.{inc['reporting_grade'].lower()}"),
        state=w(f"risk.incident.state.{worst}"),
    )


def risk_incidents(
    incident_id: Annotated[int | None, typer.Argument(help="One incident (default: list them all)")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only incidents with a report overdue")] = False,
    region: Annotated[str | None, typer.Option("--region", help="A region code and its subdivisions")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Clocks as of this local time (default now)")
    ] = None,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.text,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Recorded incidents with their reporting clocks (overdue flags). / 已记录的突发环境事件及报告时限"""
    when = _moment(as_of, "--as-of", lang)
    w = words(lang)
    if incident_id is not None:
        one = fetched(lambda ep: ep.risk.incident(incident_id, as_of=when), db, lang)
        if fmt is OutFmt.json:
            _dump_json(one)
            return
        say(_summary(one, w))
        print_clocks(one, w)
        return
    rows = fetched(lambda ep: ep.risk.incidents(overdue=overdue, region=region, as_of=when), db, lang)
    if fmt is OutFmt.json:
        _dump_json(rows)
        return
    if not rows:
        say(w("risk.incident.cli.none"))
    for r in rows:
        say(_summary(r, w))


def risk_report(
    incident_id: Annotated[int, typer.Argument(help="The recorded incident's id")],
    kind: Annotated[
        Kind, typer.Option("--kind", help="initial (初报), progress (续报) or final (处理结果报告)")
    ],
    at: Annotated[str | None, typer.Option("--at", help="When it was made, local time (default now)")] = None,
    party: Annotated[
        Party, typer.Option("--party", help="local_bureau or provincial_bureau")
    ] = Party.local_bureau,
    note: Annotated[str | None, typer.Option("--note", help="A note kept with the report")] = None,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.text,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Record a report made on an incident; its clocks stop. / 记录事件的初报、续报或处理结果报告"""
    when = _moment(at, "--at", lang)
    res = fetched(
        lambda ep: ep.risk.report_made(incident_id, kind.value, when, party=party.value, note=note), db, lang
    )
    if fmt is OutFmt.json:
        _dump_json(res)
        return
    w = words(lang)
    say(w("risk.incident.cli.report_new" if res["recorded"] else "risk.incident.cli.report_already",
          id=incident_id, kind=w(f"risk.incident.report.{kind.value}")))  # fmt: skip
    print_clocks(res, w)


def register(app: typer.Typer) -> None:
    """Add ``incidents`` and ``report`` to the ``ecoplan risk`` group."""
    app.command("incidents")(risk_incidents)
    app.command("report")(risk_report)

"""The ``ecoplan`` app: the global options, the shared output formats and ``init``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ecoplan.app import demo_value_files
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import (
    DEFAULT_WAIT,
    DbOpt,
    LangOpt,
    _fail,
    _session,
    say,
    set_wait,
    words,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, help="生态环境规划实施监测评估平台 ecoplan")


@app.callback()
def _options(
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            envvar="ECOPLAN_WAIT",
            min=0,
            help="Seconds to wait while another process holds the store, saying so; then fail",
        ),
    ] = DEFAULT_WAIT,
) -> None:
    set_wait(wait)


class AssessFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


STATUS_STYLE = {
    "achieved": "green",
    "on_track": "cyan",
    "at_risk": "yellow",
    "off_track": "red",
    "insufficient_data": "dim",
    "not_assessable": "dim",
}


@app.command()
def init(
    db: DbOpt = None,
    demo: Annotated[bool, typer.Option(help="Also load the demo values")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Create the store; register regions and the built-in plans. / 初始化数据库"""
    w = words(lang)
    try:
        with _session(db, lang) as ep:
            n_regions, n_plans = ep.init()
            say(w("cli.init.stored", path=ep.path, regions=n_regions, plans=len(ep.plan_ids()), new=n_plans))
            if demo:
                # Demo values never revise a stored value (a user's import, `air feed`): only
                # keys with no revision at all are filled, so `init --demo` can run again.
                for path, recorded_at in demo_value_files():
                    res = ep.import_values(path, recorded_at=recorded_at, actor="ecoplan demo", only_new=True)
                    say(w("cli.init.demo", new=res.inserted, kept=res.unchanged))
    except EcoplanError as exc:
        _fail(exc, lang)

"""What every command shares: consoles, the --db option, error exit, JSON output."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ecoplan.app import Ecoplan, default_db_path
from ecoplan.core.errors import EcoplanError, StoreBusy
from ecoplan.core.words import LANGS, Words
from ecoplan.kit import server as _server

__all__ = [
    "DbOpt",
    "LangOpt",
    "_dump_json",
    "_fail",
    "_session",
    "bad_choice",
    "err",
    "open_store",
    "out",
    "place",
    "say",
    "set_wait",
    "unit_text",
    "with_unit",
    "words",
]

out = Console(soft_wrap=False, width=200)
# Errors are never hard-wrapped: one line per problem, greppable in CI logs.
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database file [env ECOPLAN_DB, default ./ecoplan.duckdb]")
]


def _lang(value: str) -> str:
    if value not in LANGS:
        raise typer.BadParameter(f"--lang {value!r}: zh or en")
    return value


LangOpt = Annotated[str, typer.Option("--lang", help="zh or en", callback=_lang)]


def words(lang: str) -> Words:
    """The catalog of words in the command's language (``--lang``): ``w("status.achieved")``."""
    return Words(lang)


#: Units of Chinese documents and their words (English: 10⁴ km², …), longest first.
_UNITS = dict(
    sorted(
        {
            "万平方公里": "cli.unit.wan_km2",
            "平方公里": "cli.unit.km2",
            "平方米": "cli.unit.m2",
            "万公顷": "cli.unit.wan_ha",
            "亿立方米": "cli.unit.yi_m3",
            "万立方米": "cli.unit.wan_m3",
            "亿亩": "cli.unit.yi_mu",
            "万亩": "cli.unit.wan_mu",
            "万吨标准煤": "cli.unit.wan_tce",
            "万吨": "cli.unit.wan_t",
            "微克/立方米": "cli.unit.ug_m3",
            "毫克/升": "cli.unit.mg_l",
            "个百分点": "cli.unit.points",
            "起/万枚": "cli.unit.per_wan_sources",
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)


def unit_text(unit: str | None, lang: str) -> str:
    """A unit as ``lang`` writes it (``万平方公里`` -> ``10⁴ km²``); a pure number's unit ``1`` is none."""
    if not unit or unit == "1":
        return ""
    for zh, key in _UNITS.items():
        if zh in unit:
            unit = unit.replace(zh, Words(lang)(key))
    return unit


def with_unit(value: float | None, unit: str | None, lang: str, digits: int | None = None) -> str:
    """``79.3 %``-style: the value and its unit (``—`` for no value)."""
    if value is None or value != value:
        return "—"
    shown = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    u = unit_text(unit, lang)
    return f"{shown} {u}" if u else shown


def place(name: Any, code: str, lang: str) -> str:
    """A region as ``北京市（110000）`` / ``Beijing (110000)``; ``name`` a Message, a text or None."""
    if name is not None and not isinstance(name, str):
        name = name.get(lang) if hasattr(name, "get") else getattr(name, lang, None)
    return Words(lang)("cli.with_code", name=name, code=code) if name else code


def _who(exc: StoreBusy, w: Words) -> str:
    return w("cli.store.held_by_process", pid=exc.pid) if exc.pid else w("cli.store.held_by_another")


#: Seconds to wait for a store another process holds (``ecoplan --wait``, $ECOPLAN_WAIT).
DEFAULT_WAIT = 120.0
_wait = [DEFAULT_WAIT]


def set_wait(seconds: float) -> None:
    _wait[0] = max(0.0, seconds)


def _forward_if_served(path: str, lang: str = "en") -> None:
    """When ``ecoplan serve`` owns ``path``, run this command line there and exit with its status."""
    argv = _server.ARGV.get()
    info = _server.live_server(path)
    if argv is None or info is None:
        return
    w = words(lang)
    err.print(w("cli.store.sent_to_server", pid=info.pid), highlight=False, markup=False)
    res = _server.forward(info, argv, os.getcwd())
    if res is None:
        err.print(w("cli.store.server_silent"), highlight=False, markup=False)
        return
    _server.print_forwarded(res)
    raise typer.Exit(res.code)


def open_store(path: str, *, forward: bool = True, lang: str = "en") -> Ecoplan:
    """Open the store read-write; while another process holds it, say so and retry
    (forwarding to a server that starts meanwhile) until the wait runs out. The waiting
    and failing lines are in ``lang`` (the command's ``--lang``; English without one)."""
    if forward:
        _forward_if_served(path, lang)
    said = [-1.0]
    w = words(lang)

    def waiting(waited: float, exc: StoreBusy) -> None:
        if forward:
            _forward_if_served(path, lang)
        if said[0] < 0 or time.monotonic() - said[0] >= 10:
            left = f"{_wait[0] - waited:.0f}"
            err.print(
                w("cli.store.waiting", path=path, who=_who(exc, w), left=left), highlight=False, markup=False
            )
            said[0] = time.monotonic()

    try:
        return Ecoplan(path, wait=_wait[0], on_wait=waiting)
    except StoreBusy as exc:
        waited = w("cli.store.after_waiting", seconds=f"{exc.waited:.0f}") if exc.waited else ""
        _fail(w("cli.store.still_in_use", path=path, who=_who(exc, w), waited=waited), lang)


def _session(db: str | None, lang: str = "en") -> AbstractContextManager[Ecoplan]:
    """The store for one command: inside ``ecoplan serve`` its app (one writer at a
    time); else, when a server owns the file, the command runs there; else the file,
    opened read-write (waiting while another process holds it). A command line that
    changed the store leaves a ``cli.command`` row in the audit log (who ran what; secrets
    given as option values are masked)."""
    attached = _server.ATTACHED.get()
    if attached is not None:
        return _recorded(attached.writer())
    return _recorded(open_store(db or default_db_path(), lang=lang))


#: Options whose value is never written to the audit log.
_SECRET_OPTION = re.compile(r"--[\w-]*(key|password|secret|token)[\w-]*", re.IGNORECASE)


def masked(argv: list[str]) -> str:
    """The command line as the audit log keeps it: values of secret options as ``***``."""
    out: list[str] = []
    hide = False
    for a in argv:
        if hide:
            out.append("***")
            hide = False
            continue
        name, eq, _ = a.partition("=")
        if _SECRET_OPTION.fullmatch(name):
            out.append(f"{name}=***" if eq else a)
            hide = not eq
        else:
            out.append(a)
    return " ".join(out)


@contextmanager
def _recorded(session: AbstractContextManager[Ecoplan]) -> Iterator[Ecoplan]:
    argv = _server.ARGV.get()
    with session as ep:
        before = ep.state()
        yield ep
        if argv is not None and ep.state() not in (None, before):
            ep.audit.append(f"shell:{_login()}", "cli.command", target=masked(argv)[:1000], source="cli")


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _fail(exc: Exception | str, lang: str = "en") -> NoReturn:
    """Print ``error: <message>`` (the word in ``lang``) on stderr and exit with status 1."""
    # The message carries user text (file names, plan and indicator names, values):
    # escaped, so "[/]" or "[red]x" in it print as written instead of being Rich markup.
    label = escape(words(lang)("cli.error"))
    text = exc.message(lang) if isinstance(exc, EcoplanError) else str(exc)
    err.print(f"[bold red]{label}[/] {escape(text)}", markup=True, highlight=False)
    raise typer.Exit(1)


def say(line: str) -> None:
    """One line of a command's words on stdout: as written (no markup, no highlighting, no wrap)."""
    out.print(line, markup=False, highlight=False, soft_wrap=True)


def bad_choice(option: str, value: str, choices: Iterable[str], lang: str) -> NoReturn:
    """A usage error of an option's value the command checks itself (``--level purple``):
    the choices as `literals`, in ``lang``; exit with status 1."""
    w = words(lang)
    shown = w("cli.list_sep").join(f"`{c}`" for c in choices)
    _fail(w("cli.bad_choice", option=option, value=repr(value), choices=shown), lang)


def _dump_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")

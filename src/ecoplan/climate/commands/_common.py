"""What the ``ecoplan climate …`` commands do alike: run, fail worded, print JSON or lines.

Each command computes (or asks the store for) one result, ends with the error in the
reader's language when that fails, then prints the result as JSON or as lines of words.
These helpers hold that shape once, so a command keeps only what is its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ecoplan.climate.commands.options import OutFmt
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import _dump_json, _fail, _session, say, words

__all__ = ["computed", "json_done", "say_loaded", "say_rows", "stored"]

T = TypeVar("T")


def computed(compute: Callable[[], T], lang: str) -> T:
    """The result of a calculation; an :class:`EcoplanError` ends the command, worded in ``lang``."""
    try:
        return compute()
    except EcoplanError as exc:
        _fail(exc, lang)


def stored(
    db: str | None,
    lang: str,
    call: Callable[[Any], T],
    errors: tuple[type[Exception], ...] = (EcoplanError,),
) -> T:
    """``call`` on the climate domain of the command's store; one of ``errors`` ends the command."""
    try:
        with _session(db, lang) as ep:
            return call(ep.domain("climate"))
    except errors as exc:
        _fail(exc, lang)


def json_done(fmt: OutFmt, data: Any) -> bool:
    """Print ``data`` as JSON when ``fmt`` asks for it; True then (the command is done)."""
    if fmt is OutFmt.json:
        _dump_json(data)
        return True
    return False


def say_rows(lang: str, key: str, rows: Iterable[Mapping[str, object]]) -> None:
    """One line of the words ``key`` for each row, the row's fields filling it."""
    w = words(lang)
    for r in rows:
        say(w(key, **r))


def say_loaded(res: Any, kind: str, fmt: OutFmt, lang: str) -> None:
    """The outcome of one import (a :class:`~ecoplan.climate.storage.ClimateImport`) of ``kind``."""
    if json_done(fmt, res.to_dict()):
        return
    w = words(lang)
    say(
        w(
            "climate.cli.loaded",
            kind=w(f"climate.cli.kind.{kind}"),
            rows=res.rows_in,
            new=res.rows_new,
            replaced=res.rows_replaced,
            unchanged=res.rows_unchanged,
        )
    )

"""The ``ecoplan`` command line (Typer). Thin: parse, call the app, print.

Errors of the user's making (``EcoplanError``) print one clear message and
exit with status 1; nothing is written when a command fails. The commands live in
``root`` (``init``), ``plans``, ``data`` (regions, values, tasks), ``assess`` (assess,
rank), ``targets`` (targets, warnings) and ``serve`` (report, serve); each registered
domain adds its own group.
"""

from __future__ import annotations

import sys

from ecoplan.cli import assess as assess
from ecoplan.cli import data as data
from ecoplan.cli import notify as notify
from ecoplan.cli import ops as ops
from ecoplan.cli import people as people
from ecoplan.cli import plans as plans
from ecoplan.cli.root import app
from ecoplan.cli.targets import targets_app, warnings
from ecoplan.core.domain import load
from ecoplan.domains import domains
from ecoplan.kit import server as _server

__all__ = ["app", "main"]

# Each registered domain adds its command group (``ecoplan air …``) and top-level commands.
for _domain in domains():
    if _domain.commands is not None:
        app.add_typer(load(_domain.commands), name=_domain.name)
    for _ref in _domain.top_commands:
        _command = load(_ref)
        app.command(_command.__name__)(_command)
app.add_typer(targets_app, name="targets")
app.command("warnings")(warnings)

from ecoplan.cli import serve as serve  # noqa: E402  (report, serve: listed after the domains)


def main() -> None:
    _server.ARGV.set(sys.argv[1:])
    app()


if __name__ == "__main__":
    main()

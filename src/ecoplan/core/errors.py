"""Exceptions raised by ecoplan.

Every error a user can cause names the place (file, sheet, row, field, plan,
indicator) and quotes the offending text. Only the edges (CLI, web, receiver)
translate these into exit codes, HTTP statuses or protocol replies.

Exception tree::

    EcoplanError
    ├── TargetSyntaxError          a target expression the grammar does not know
    ├── PlanError                  a plan definition is inconsistent (baseline after
    │                              target year, duplicate ids, unknown field ...)
    ├── InputFileError             a file (YAML/Excel/CSV) cannot be read or has bad
    │   │                          rows; carries every problem found, not just the first
    │   └── ValuesImportError      an indicator-values file has bad rows
    ├── NotFound                   an unknown plan, indicator, region or task id
    ├── OutOfScope                 a year outside a plan's period, a region outside its territory
    ├── Unauthorized               no valid credentials (sign in, or a live token)
    ├── Forbidden                  valid credentials without the right role or region
    ├── RateLimited                too many attempts; ``retry_after`` seconds
    ├── Conflict                   a write the current state does not allow (review order)
    ├── StoreError                 the database file cannot be used
    │   ├── StoreBusy              another process holds the file (DuckDB's lock)
    │   └── SchemaVersionError     the file was written by a newer ecoplan
    └── ScoringRuleError           a scoring rule set is malformed
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self

__all__ = [
    "Conflict",
    "EcoplanError",
    "Forbidden",
    "InputFileError",
    "NotFound",
    "OutOfScope",
    "PlanError",
    "Problem",
    "RateLimited",
    "SchemaVersionError",
    "ScoringRuleError",
    "StoreBusy",
    "StoreError",
    "TargetSyntaxError",
    "Unauthorized",
    "ValuesImportError",
]


class EcoplanError(Exception):
    """Base class of every error ecoplan raises on purpose.

    An error raised with :meth:`worded` carries the catalog key of its message and its
    parameters: ``str(exc)`` is the English text, :meth:`message` the text in the user's
    language (the edges call it). Other errors show ``str(exc)`` in every language.
    """

    key: str | None = None
    params: Mapping[str, object] = MappingProxyType({})

    @classmethod
    def worded(cls, key: str, /, **params: object) -> Self:
        """The error whose message is the word ``key`` with ``params`` (English in ``str``)."""
        from ecoplan.core.words import word  # the catalog imports nothing of ecoplan

        exc = cls(word(key, "en", **params))
        exc.key, exc.params = key, MappingProxyType(dict(params))
        return exc

    def message(self, lang: str) -> str:
        """The message in ``lang`` (``zh`` or ``en``)."""
        if self.key is None:
            return str(self)
        from ecoplan.core.words import word

        return word(self.key, lang, **self.params)


class TargetSyntaxError(EcoplanError, ValueError):
    """A target expression does not match the grammar.

    ``text`` is the expression as given; ``detail`` says what was expected.
    """

    def __init__(self, text: str, detail: str = "") -> None:
        self.text = text
        self.detail = detail
        msg = f"unrecognised target expression {text!r}"
        if detail:
            msg += f": {detail}"
        super().__init__(msg)


class PlanError(EcoplanError, ValueError):
    """A plan definition is inconsistent or incomplete."""


class NotFound(EcoplanError, LookupError):
    """An id (plan, indicator, region, task) is not in the store."""


class OutOfScope(EcoplanError, ValueError):
    """A question the plan cannot answer: a year outside its period, a region outside its territory."""


class Unauthorized(EcoplanError):
    """No valid credentials: unknown user or wrong password (one message for both),
    an expired, revoked or unknown token, an ended session (HTTP 401)."""


class Forbidden(EcoplanError):
    """Valid credentials, but the role or the region scope does not allow the act (HTTP 403)."""


class RateLimited(EcoplanError):
    """Too many attempts from one client or for one account (HTTP 429); retry after
    ``retry_after`` seconds."""

    retry_after: float = 60.0


class Conflict(EcoplanError):
    """A write the current state does not allow, e.g. publishing a returned submission (HTTP 409)."""


class StoreError(EcoplanError):
    """The store cannot be opened or written."""


class StoreBusy(StoreError):
    """Another process holds the database file (one writer process per file).

    ``pid`` is the holder's process id when DuckDB names it; ``waited`` the
    seconds spent waiting for it before giving up.
    """

    def __init__(self, path: str, pid: int | None = None, waited: float = 0.0) -> None:
        self.path, self.pid, self.waited = path, pid, waited
        held = f" (held by process {pid})" if pid else ""
        after = f" after waiting {waited:.0f} s" if waited else ""
        super().__init__(f"{path}: the store is in use by another process{held}{after}")


class SchemaVersionError(StoreError):
    """The database file was written by a newer ecoplan than this one."""


class ScoringRuleError(EcoplanError, ValueError):
    """A scoring rule set is malformed."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Attributes name where it is: ``row`` is 1-based as a spreadsheet shows it
    (the header is row 1), ``field`` the column or key, ``text`` the offending
    cell, ``reason`` why it was refused.
    """

    file: str
    reason: str
    row: int | None = None
    field: str | None = None
    text: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [sheet {self.sheet}]"
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field!r}"
        shown = f" ({self.text!r})" if self.text not in (None, "") else ""
        return f"{where}{shown}: {self.reason}"


class InputFileError(EcoplanError, ValueError):
    """An input file has problems; ``problems`` lists every one found."""

    def __init__(self, file: str, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file=file, reason=problems)]
        self.file = file
        self.problems = list(problems)
        head = f"{file}: {len(self.problems)} problem(s); nothing was imported"
        body = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            body += f"\n  ... and {more} more"
        super().__init__(f"{head}\n{body}")


class ValuesImportError(InputFileError):
    """An indicator-values file has bad rows (unknown ids, units, years ...)."""

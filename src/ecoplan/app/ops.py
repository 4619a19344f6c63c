"""Operations on a whole store: backup and restore (``ecoplan backup`` / ``ecoplan restore``).

:func:`backup` works on a live app (the one ``ecoplan serve`` owns, or one a command
opened): readers go on, and the app's single writer is held only for the instant the
snapshot begins (:mod:`ecoplan.store.backup` says why that makes a running import either
entirely in the backup or entirely absent). :func:`restore` writes a store that no app
has open. Both append an audit row when the app keeps an audit log (``ep.audit``): the actor is
the caller's (``cli:<login name>`` by default), the source ``cli``.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.store import backup as _backup

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["BackupReport", "RestoreReport", "backup", "restore"]


@dataclass(frozen=True)
class BackupReport:
    """What :func:`backup` wrote: the backup (folder or ``.tar``), its files and bytes,
    the schema versions, when the snapshot was taken (UTC, ISO 8601)."""

    dest: str
    files: int
    bytes: int
    schema: dict[str, int]
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore` wrote: the store, the backup's figures, whether a store was replaced."""

    db: str
    src: str
    files: int
    bytes: int
    schema: dict[str, int]
    created_at: str
    replaced: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _actor(actor: str | None) -> str:
    if actor is not None:
        return actor
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # pragma: no cover - a user without a name
        return "cli"


def _audit(ep: Ecoplan, actor: str | None, action: str, target: str, after: dict[str, Any]) -> None:
    log = getattr(ep, "audit", None)
    if log is None:
        return
    log.append(_actor(actor), action, target=target, after=after, source="cli")


def backup(ep: Ecoplan, dest: str | os.PathLike[str], *, actor: str | None = None) -> BackupReport:
    """Write a consistent backup of ``ep``'s store to ``dest`` (a new folder, or ``*.tar``)."""
    res = _backup.backup(ep.catalog, dest, ep.writer)
    report = BackupReport(res.dest, res.files, res.bytes, res.schema, res.created_at)
    _audit(
        ep, actor, "backup", str(dest), {"files": res.files, "bytes": res.bytes, "created_at": res.created_at}
    )
    return report


def restore(
    src: str | os.PathLike[str], db: str | os.PathLike[str], *, force: bool = False, actor: str | None = None
) -> RestoreReport:
    """Restore the backup ``src`` as the store ``db`` (verified first; ``force`` to replace
    an existing store). The restored store is then opened once: it is upgraded to this
    ecoplan's schema if the backup is older, and the restore is audited in it."""
    from ecoplan.app import Ecoplan

    res = _backup.restore(src, db, force=force)
    report = RestoreReport(res.db, str(src), res.files, res.bytes, res.schema, res.created_at, res.replaced)
    with Ecoplan(Path(db)) as ep:
        _audit(ep, actor, "restore", str(db), {"src": str(src), "created_at": res.created_at})
    return report

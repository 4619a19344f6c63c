"""``ecoplan backup`` and ``ecoplan restore``: a consistent copy of a store, and back.

``backup`` runs against the store's app: inside ``ecoplan serve`` when a server owns the
store (the command is forwarded to it, readers go on), else on the file opened here.
``restore`` writes a store no process may have open: it refuses a store a server owns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ecoplan.app import default_db_path, ops
from ecoplan.cli.root import app
from ecoplan.core.errors import EcoplanError
from ecoplan.kit import server as _server
from ecoplan.kit.cli import DbOpt, LangOpt, _fail, _session, say, words


def _size(n: int, lang: str) -> str:
    return words(lang)("ops.size.bytes", n=f"{n:,}")


def _schema(schema: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in schema.items())


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="New folder, or a .tar file, to write the backup to")],
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Back up the store (catalog and data files) while it serves. / 备份数据库

    The backup is consistent: an import under way is either entirely in it or entirely
    absent. DEST must not exist; a name ending in .tar gives one tar file.
    """
    try:
        with _session(db, lang) as ep:
            rep = ops.backup(ep, dest)
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    say(
        w(
            "ops.backup.done",
            dest=rep.dest,
            files=rep.files,
            size=_size(rep.bytes, lang),
            schema=_schema(rep.schema),
            created_at=rep.created_at,
        )
    )


@app.command()
def restore(
    src: Annotated[Path, typer.Argument(help="A backup folder or .tar file (ecoplan backup)")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing store")] = False,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Restore a store from a backup, after checking every file. / 从备份恢复数据库

    A damaged backup is refused naming the file, and nothing is written. An existing store
    is replaced only with --force; the store must not be served (stop `ecoplan serve`).
    """
    path = _server.store_key(db or default_db_path())
    w = words(lang)
    running = _server.live_server(path)
    if running is not None:
        _fail(w("ops.restore.served", path=path, pid=running.pid), lang)
    try:
        rep = ops.restore(src, path, force=force)
    except EcoplanError as exc:
        _fail(exc, lang)
    say(
        w(
            "ops.restore.done",
            src=src,
            db=rep.db,
            files=rep.files,
            size=_size(rep.bytes, lang),
            created_at=rep.created_at,
        )
    )

"""Backup and restore of a store: the catalog (the DuckDB file) and the files beside it.

A store is ``X.duckdb`` plus the folder ``X.data/`` where domains keep their files (the
air domain's Parquet partitions, named in its catalog tables by paths relative to the
database's folder: ``X.data/air/hourly/region=…/year=…/part-N.parquet``).

**Consistency while serving.** ``ecoplan serve`` owns the store and keeps answering
readers; a backup must neither stop them nor catch half an import. The backup takes
both: a *snapshot* of the catalog and the *writer lock* (the app's single writer), the
lock only for an instant:

1. under the writer lock (``hold``), so that no import is half done, it begins a read
   transaction on a cursor of its own (DuckDB's MVCC: the catalog as of that instant)
   and hard-links every file of ``X.data/`` into the backup (copying when the backup is on
   another file system). Partition files are never rewritten in place (a rewrite is a new
   file), so a link keeps the content the snapshot names even when a later import deletes
   the superseded file's name;
2. the lock is released — imports go on — and the catalog is copied from the snapshot
   (``COPY FROM DATABASE`` into a new DuckDB file, inside that read transaction).

A snapshot alone would not do: an air import deletes the superseded partition files right
after its commit, so the files a catalog snapshot names could vanish before they are copied.
Waiting for the writer for the whole backup would do, but would hold imports (and forwarded
commands) back for the time of a full copy. An import running when the backup starts is
therefore entirely in the backup (the backup waited for it) or entirely absent (it waited
for the backup's instant); readers never wait.

The backup is a folder (or a ``.tar`` of that folder) with ``manifest.json``: every file
with its size and SHA-256, the schema versions, the ecoplan version, the time it was made.
Restore checks every file against the manifest before anything is written, refuses to
replace an existing store without ``force``, builds the store beside the target and renames
it into place. This module is the only one that knows DuckDB here; the app's
:mod:`ecoplan.app.ops` wraps it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb

from ecoplan.core.errors import SchemaVersionError, StoreBusy, StoreError
from ecoplan.store.catalog import Catalog, _is_lock_error, store_errors
from ecoplan.store.migrations import SCHEMA_VERSION, domain_migrations

__all__ = [
    "CATALOG_NAME",
    "FORMAT",
    "MANIFEST",
    "BackupResult",
    "RestoreResult",
    "backup",
    "data_dir",
    "read_manifest",
    "restore",
    "verify",
]

#: Names inside a backup.
MANIFEST = "manifest.json"
CATALOG_NAME = "catalog.duckdb"
DATA = "data"
#: The manifest's ``format`` and the version of its layout.
FORMAT = "ecoplan-backup"
FORMAT_VERSION = 1
_CHUNK = 1 << 20


def data_dir(db: str | os.PathLike[str]) -> Path:
    """The folder of a store's files: ``X.data`` beside ``X.duckdb``."""
    p = Path(db)
    return p.parent / (p.stem + ".data")


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote: where, the manifest's figures."""

    dest: str
    files: int
    bytes: int
    schema: dict[str, int]
    created_at: str
    linked: int = 0  # data files hard-linked rather than copied


@dataclass(frozen=True)
class RestoreResult:
    """What a restore wrote."""

    db: str
    files: int
    bytes: int
    schema: dict[str, int]
    created_at: str
    replaced: bool = False
    relocated: int = 0  # catalog paths rewritten for another database name


@dataclass
class _Manifest:
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> list[dict[str, Any]]:
        files: list[dict[str, Any]] = self.data["files"]
        return files


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _version() -> str:
    try:
        return metadata.version("ecoplan")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "unknown"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _schema(con: duckdb.DuckDBPyConnection, database: str | None = None) -> dict[str, int]:
    """The schema versions in ``meta``: ``{"core": 4, "air": 2, …}``."""
    table = f"{_quote(database)}.main.meta" if database else "meta"
    rows = con.execute(
        f"SELECT key, value FROM {table} WHERE key = 'schema_version' OR key LIKE 'schema_version:%'"
    ).fetchall()
    out = {}
    for key, value in rows:
        name = "core" if key == "schema_version" else str(key).split(":", 1)[1]
        out[name] = int(value)
    return dict(sorted(out.items()))


def _link_or_copy(src: Path, dst: Path) -> bool:
    """Hard-link ``src`` to ``dst`` (True), or copy it when a link is impossible."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
        return True
    except OSError:
        shutil.copy2(src, dst)
        return False


def _data_files(folder: Path) -> list[Path]:
    """The store's files in ``X.data``: every regular file but temporaries (dot names)."""
    if not folder.is_dir():
        return []
    out: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return [p for p in out if p.is_file() and not p.is_symlink()]


# -- backup -------------------------------------------------------------------------------


def backup(
    catalog: Catalog, dest: str | os.PathLike[str], hold: Callable[[], AbstractContextManager[Any]]
) -> BackupResult:
    """Write a backup of ``catalog``'s store to ``dest`` (a new folder, or a ``.tar`` file).

    ``hold()`` is the app's writer lock, held only while the snapshot begins and the data
    files are linked (see the module docstring). ``dest`` must not exist; it appears
    whole or not at all (built beside it, then renamed).
    """
    target = Path(dest)
    if target.exists():
        raise StoreError.worded("ops.backup.exists", path=str(target))
    as_tar = target.suffix == ".tar"
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise StoreError.worded("ops.backup.no_folder", path=str(parent))
    folder = os.path.realpath(data_dir(catalog.path))
    if os.path.commonpath([folder, os.path.realpath(parent)]) == folder:
        # the next backup would take this one in, and a domain's repair might meet it
        raise StoreError.worded("ops.backup.inside_store", path=str(target), folder=folder)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        result = _write(catalog, stage, hold)
        if as_tar:
            tmp_tar = parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
            # owner-only, like the folder: the catalog holds account data (password hashes)
            fd = os.open(tmp_tar, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
                    for p in sorted(stage.rglob("*")):
                        if p.is_file():
                            tar.add(p, arcname=p.relative_to(stage).as_posix(), recursive=False)
                    tar.close()
                    raw.flush()
                    os.fsync(raw.fileno())
            except BaseException:
                tmp_tar.unlink(missing_ok=True)
                raise
            try:
                os.link(tmp_tar, target)  # never over a file that appeared meanwhile
            finally:
                tmp_tar.unlink(missing_ok=True)
            shutil.rmtree(stage, ignore_errors=True)
        else:
            os.rename(stage, target)
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return BackupResult(
        str(target), result.files, result.bytes, result.schema, result.created_at, result.linked
    )


def _write(catalog: Catalog, stage: Path, hold: Callable[[], AbstractContextManager[Any]]) -> BackupResult:
    db = Path(catalog.path)
    folder = data_dir(db)
    view = catalog.snapshot_view()
    linked = 0
    try:
        with hold():
            view.begin_snapshot()
            created = dt.datetime.now(dt.UTC).replace(microsecond=0)
            for f in _data_files(folder):
                linked += _link_or_copy(f, stage / DATA / f.relative_to(folder))
        name = f"ecoplan_backup_{secrets.token_hex(6)}"
        out = stage / CATALOG_NAME
        with store_errors(catalog.path):
            con = view.con
            source = con.execute("SELECT current_database()").fetchone()
            con.execute(f"ATTACH {_literal(str(out))} AS {_quote(name)}")
            try:
                con.execute(
                    f"COPY FROM DATABASE {_quote(str(source[0] if source else db.stem))} TO {_quote(name)}"
                )
                schema = _schema(con, name)
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
            finally:
                con.execute(f"DETACH {_quote(name)}")
    finally:
        view.close()
    if Path(str(out) + ".wal").exists():  # DETACH checkpoints; should it not, fold the log in
        with store_errors(str(out)):
            duckdb.connect(str(out)).close()
    files: list[dict[str, Any]] = [
        {"path": p.relative_to(stage).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(q for q in stage.rglob("*") if q.is_file())
    ]
    created_at = created.isoformat().replace("+00:00", "Z")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "ecoplan_version": _version(),
        "created_at": created_at,
        "source": {"name": db.name, "data": folder.name},
        "schema": schema,
        "files": files,
    }
    with open(stage / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    return BackupResult(
        str(stage), len(files), sum(int(x["size"]) for x in files), schema, created_at, linked
    )


# -- verify and restore -------------------------------------------------------------------


@contextlib.contextmanager
def _opened(src: Path) -> Iterator[Path]:
    """The backup as a folder: itself, or a ``.tar`` unpacked to a temporary folder."""
    if src.is_dir():
        yield src
        return
    if not src.is_file():
        raise StoreError.worded("ops.restore.missing", path=str(src))
    with tempfile.TemporaryDirectory(prefix=".ecoplan-restore-") as tmp:
        try:
            with tarfile.open(src, "r") as tar:
                tar.extractall(tmp, filter="data")  # no absolute paths, links out or devices
        except (tarfile.TarError, OSError) as exc:
            raise StoreError.worded("ops.restore.unreadable", path=str(src), error=str(exc)) from None
        yield Path(tmp)


def read_manifest(folder: Path, shown: str | None = None) -> _Manifest:
    """The manifest of an unpacked backup, its form checked (``shown`` names it in errors)."""
    path = folder / MANIFEST
    name = shown or str(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise StoreError.worded("ops.restore.no_manifest", path=name) from None
    except (OSError, ValueError) as exc:
        raise StoreError.worded("ops.restore.bad_manifest", path=name, error=str(exc)) from None
    ok = (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("files"), list)
        and isinstance(data.get("schema"), dict)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("size"), int)
            and isinstance(f.get("sha256"), str)
            for f in data["files"]
        )
    )
    if not ok:
        raise StoreError.worded("ops.restore.bad_manifest", path=name, error=f"not an {FORMAT} manifest")
    if int(data.get("format_version", 0)) > FORMAT_VERSION:
        raise StoreError.worded("ops.restore.newer_format", path=name, version=data.get("format_version"))
    return _Manifest(data)


def _safe(rel: str) -> bool:
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts and rel not in ("", MANIFEST)


def verify(folder: Path, shown: str) -> _Manifest:
    """Check every file of an unpacked backup against its manifest; the first damaged,
    missing or unexpected file is named in the error (``shown``: the backup as the user named it)."""
    manifest = read_manifest(folder, f"{shown}/{MANIFEST}")
    listed = set()
    for entry in manifest.files:
        rel = entry["path"]
        where = f"{shown}/{rel}"
        if not _safe(rel):
            raise StoreError.worded(
                "ops.restore.bad_manifest", path=f"{shown}/{MANIFEST}", error=f"path {rel!r}"
            )
        listed.add(rel)
        p = folder / rel
        if not p.is_file():
            raise StoreError.worded("ops.restore.file_missing", path=where)
        size = p.stat().st_size
        if size != entry["size"]:
            raise StoreError.worded("ops.restore.file_size", path=where, size=size, expected=entry["size"])
        if _sha256(p) != entry["sha256"]:
            raise StoreError.worded("ops.restore.file_damaged", path=where)
    if CATALOG_NAME not in listed:
        raise StoreError.worded("ops.restore.file_missing", path=f"{shown}/{CATALOG_NAME}")
    for p in folder.rglob("*"):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel != MANIFEST and rel not in listed:
            raise StoreError.worded("ops.restore.file_unexpected", path=f"{shown}/{rel}")
    newer = {k: v for k, v in manifest.data["schema"].items() if _newer(k, int(v))}
    if newer:
        name, version = next(iter(newer.items()))
        raise SchemaVersionError.worded("ops.restore.newer_schema", path=shown, part=name, version=version)
    return manifest


def _newer(part: str, version: int) -> bool:
    """A schema version this ecoplan cannot read (a domain it does not know is not refused)."""
    if part == "core":
        return version > SCHEMA_VERSION
    known = dict(domain_migrations())
    return part in known and version > len(known[part])


def _relocate(db: Path, old_data: str, new_data: str) -> int:
    """Point the catalog's relative file paths (``X.data/…``) to the new data folder
    (``Y.data/…``) when the store is restored under another name: every VARCHAR column
    named ``path`` is rewritten where it starts with the old folder's name."""
    if old_data == new_data:
        return 0
    n = 0
    con = duckdb.connect(str(db))
    try:
        cols = con.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND column_name = 'path' AND data_type = 'VARCHAR'"
        ).fetchall()
        con.execute("BEGIN TRANSACTION")
        old, new = old_data + "/", new_data + "/"
        for (table,) in cols:
            row = con.execute(
                f"SELECT count(*) FROM {_quote(table)} WHERE starts_with(path, ?)", [old]
            ).fetchone()
            n += int(row[0]) if row else 0
            con.execute(
                f"UPDATE {_quote(table)} SET path = ? || substr(path, ?) WHERE starts_with(path, ?)",
                [new, len(old) + 1, old],
            )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return n


def _check_free(db: Path) -> None:
    """Refuse to replace a store another process holds (DuckDB's file lock)."""
    try:
        duckdb.connect(str(db)).close()
    except duckdb.Error as exc:
        if _is_lock_error(exc):
            raise StoreBusy(str(db)) from exc
        raise StoreError.worded("ops.restore.target_unusable", path=str(db), error=str(exc)) from exc


def restore(src: str | os.PathLike[str], db: str | os.PathLike[str], *, force: bool = False) -> RestoreResult:
    """Restore the backup ``src`` (folder or ``.tar``) as the store ``db``.

    Every file is checked against the manifest first (a damaged backup is refused naming
    the file, and nothing is written). An existing ``db`` (or its data folder) is replaced
    only with ``force``. The store is built beside the target (a hidden folder in the same
    folder, so the renames stay on one file system) and renamed into place: the data
    folder first, the catalog file last — the catalog is what names the files, and a store
    without its catalog file is no store. The replaced store is kept aside until both
    renames are done, and put back if one fails.
    """
    source = Path(src)
    target = Path(db)
    folder = data_dir(target)
    wal = Path(str(target) + ".wal")
    exists = target.exists() or folder.exists() or wal.exists()
    if exists and not force:
        raise StoreError.worded("ops.restore.exists", path=str(target))
    if target.exists():
        _check_free(target)
    with _opened(source) as unpacked:
        manifest = verify(unpacked, str(source))
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))
        try:
            staged_db = stage / target.name
            staged_data = stage / folder.name
            shutil.copy2(unpacked / CATALOG_NAME, staged_db)
            size = 0
            for entry in manifest.files:
                rel = PurePosixPath(entry["path"])
                size += int(entry["size"])
                if rel.parts[0] != DATA:
                    continue
                dst = staged_data.joinpath(*rel.parts[1:])
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(unpacked / entry["path"], dst)
            old_data = str(manifest.data.get("source", {}).get("data") or folder.name)
            relocated = _relocate(staged_db, old_data, folder.name)
            _check_readable(staged_db)
            for p in [staged_db, *(q for q in staged_data.rglob("*") if q.is_file())]:
                with open(p, "rb+") as f:
                    os.fsync(f.fileno())
            _swap(stage, staged_db, staged_data, target, folder, wal)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return RestoreResult(
        str(target),
        len(manifest.files),
        size,
        {k: int(v) for k, v in manifest.data["schema"].items()},
        str(manifest.data.get("created_at", "")),
        replaced=exists,
        relocated=relocated,
    )


def _check_readable(db: Path) -> None:
    """The restored catalog opens and is of a version this ecoplan reads."""
    try:
        cat = Catalog(db, read_only=True)
    except StoreError as exc:
        raise StoreError.worded("ops.restore.target_unusable", path=str(db.name), error=str(exc)) from exc
    cat.close()


def _swap(stage: Path, staged_db: Path, staged_data: Path, target: Path, folder: Path, wal: Path) -> None:
    """Move the staged store into place; the replaced one goes aside, and comes back on failure."""
    aside = stage / "replaced"
    aside.mkdir()
    moved: list[tuple[Path, Path]] = []
    placed = False
    try:
        for p in (wal, target, folder):  # a stale WAL would be replayed onto the new file
            if p.exists():
                os.rename(p, aside / p.name)
                moved.append((aside / p.name, p))
        if staged_data.exists():
            os.rename(staged_data, folder)
            placed = True
        os.rename(staged_db, target)
    except BaseException:
        if placed:
            with contextlib.suppress(OSError):
                os.rename(folder, staged_data)
        for src, dst in reversed(moved):
            with contextlib.suppress(OSError):
                os.rename(src, dst)
        raise
    _fsync_dir(target.parent)

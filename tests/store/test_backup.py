"""Backup and restore of a real store (catalog + air Parquet partitions) while an import runs.

The "Done when" of issue 12 item 7: a backup taken while another thread imports through the
app's writer restores to a store whose assessments, rankings, stored values and air
observations equal the original's at the backup moment — the import entirely in or
entirely out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.air.pipeline.air_helpers import batch, hourly, stations
from tests.conftest import write_csv

from ecoplan.app import Ecoplan, ops
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import StoreError
from ecoplan.demo.synthetic import synthetic_values
from ecoplan.store import backup as store_backup

PLAN = "cn-13th-eco"
REGIONS = ["110000", "120000", "440000", "440700"]
YEARS = (2016, 2018, 2020)


def _air(ep: Ecoplan, value: float) -> None:
    """One air import: Beijing, two stations, January 2015 (rewrites the same partition)."""
    st = stations(["1001A", "1002A"], "110000")
    h = hourly(["1001A", "1002A"], dt.date(2015, 1, 1), 3, {"pm25": value})
    ep.air.store.import_batch(batch(h, st), fmt="test")


@pytest.fixture
def filled(ep: Ecoplan, tmp_path: Path) -> Ecoplan:
    frame = synthetic_values(ep.catalog.plan(PLAN), REGIONS, seed=7, share=1.0, present=0.9)
    path = tmp_path / "synthetic.csv"
    frame.to_csv(path, index=False)
    ep.import_values(path)
    _air(ep, 40.0)
    return ep


@pytest.fixture
def revision(tmp_path: Path) -> Path:
    """The import that races the backup: new values for every region, 2019 and 2020."""
    rows = ["plan,indicator,region,year,value"]
    rows += [f"{PLAN},air-good-days,{r},{y},{50.0 + i}" for i, r in enumerate(REGIONS) for y in (2019, 2020)]
    rows += [f"{PLAN},forest-coverage,{r},2020,{30.5 + i}" for i, r in enumerate(REGIONS)]
    return write_csv(tmp_path / "revision.csv", rows)


def _import(ep: Ecoplan, path: Path) -> None:
    """The racing import: values and air, both inside one hold of the single writer."""
    with ep.writer():
        ep.import_values(path)
        _air(ep, 90.0)


def state(ep: Ecoplan) -> dict[str, Any]:
    """What the store shows: every plan's assessments per region and year, its rankings,
    the stored values with their history, the materialised rows, the air observations."""
    out: dict[str, Any] = {}
    with ep.reader() as r:
        for plan in r.plan_ids():
            regions = sorted({v["region"] for v in r.values(plan)} | {r.definition(plan).region})
            for region in regions:
                for year in YEARS:
                    try:
                        pa = r.assess(plan, region, year)
                    except Exception as exc:  # a year outside the plan's period
                        out[f"{plan}/{region}/{year}"] = type(exc).__name__
                        continue
                    out[f"{plan}/{region}/{year}"] = [a.to_dict() for a in pa.indicators]
            for year in YEARS:
                try:
                    out[f"{plan}/rank/{year}"] = [repr(row) for row in r.rank(plan, year)]
                except Exception as exc:
                    out[f"{plan}/rank/{year}"] = type(exc).__name__
        out["values"] = r.values(history=True)
        out["rows"] = r.catalog.assessment_rows(PLAN).to_dict("records")
        parts = r.air.store.partitions()
        out["air"] = [
            pd.read_parquet(p).to_dict("records") for _reg, _year, p in parts
        ]  # the files the catalog names, read as files
        out["air_daily"] = r.air.daily("110000", dt.date(2015, 1, 1), dt.date(2015, 1, 3)).to_dict("records")
    shown: dict[str, Any] = json.loads(json.dumps(out, sort_keys=True, default=str))
    return shown


@contextmanager
def restored(src: Path, db: Path) -> Iterator[Ecoplan]:
    ops.restore(src, db)
    ep = Ecoplan(db)
    try:
        yield ep
    finally:
        ep.close()


def test_backup_while_an_import_holds_the_writer_contains_the_whole_import(
    filled: Ecoplan, revision: Path, tmp_path: Path
) -> None:
    before = state(filled)
    holding, go = threading.Event(), threading.Event()

    def importer() -> None:
        with filled.writer():
            holding.set()
            go.wait(30)
            filled.import_values(revision)
            _air(filled, 90.0)

    t = threading.Thread(target=importer)
    t.start()
    assert holding.wait(30)
    reports: list[ops.BackupReport] = []
    b = threading.Thread(target=lambda: reports.append(ops.backup(filled, tmp_path / "bk")))
    b.start()
    with filled.reader() as r:  # readers are not stopped by the importer or the backup
        assert r.plan_ids()
    go.set()
    t.join(60)
    b.join(120)
    assert reports, "the backup failed"
    after = state(filled)
    assert after != before
    with restored(tmp_path / "bk", tmp_path / "new" / "test.duckdb") as new:
        assert state(new) == after


def test_an_import_committed_after_the_snapshot_is_absent_and_its_superseded_files_kept(
    filled: Ecoplan, revision: Path, tmp_path: Path
) -> None:
    """The import runs (and deletes the partition file it supersedes) right after the
    backup's instant under the writer, before the catalog is copied: it is not in the backup,
    and the backup still holds the old partition file."""
    before = state(filled)
    old_files = filled.air.store.paths()

    @contextmanager
    def hold() -> Iterator[None]:
        with filled.writer():
            yield
        t = threading.Thread(target=_import, args=(filled, revision))
        t.start()
        t.join(60)

    store_backup.backup(filled.catalog, tmp_path / "bk", hold)
    assert not any(Path(p).exists() for p in old_files)  # superseded and deleted by the import
    after = state(filled)
    assert after != before
    with restored(tmp_path / "bk", tmp_path / "new" / "test.duckdb") as new:
        assert state(new) == before
        assert new.air.store.check() == []


def test_backup_during_a_running_import_restores_one_side_of_it(
    filled: Ecoplan, revision: Path, tmp_path: Path
) -> None:
    before = state(filled)
    t = threading.Thread(target=_import, args=(filled, revision))
    t.start()
    ops.backup(filled, tmp_path / "bk.tar")
    t.join(60)
    after = state(filled)
    assert after != before
    with restored(tmp_path / "bk.tar", tmp_path / "new" / "test.duckdb") as new:
        got = state(new)
        assert got in (before, after)


def test_manifest_lists_every_file_with_size_and_sha256(filled: Ecoplan, tmp_path: Path) -> None:
    rep = ops.backup(filled, tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == "ecoplan-backup"
    assert manifest["schema"]["core"] >= 4 and "air" in manifest["schema"]
    assert manifest["ecoplan_version"] and manifest["created_at"].endswith("Z")
    on_disk = sorted(
        p.relative_to(tmp_path / "bk").as_posix() for p in (tmp_path / "bk").rglob("*") if p.is_file()
    )
    listed = sorted(f["path"] for f in manifest["files"])
    assert on_disk == sorted([*listed, "manifest.json"])
    assert "catalog.duckdb" in listed and any(p.startswith("data/air/hourly/region=110000/") for p in listed)
    for f in manifest["files"]:
        data = (tmp_path / "bk" / f["path"]).read_bytes()
        assert len(data) == f["size"] and hashlib.sha256(data).hexdigest() == f["sha256"]
    assert rep.files == len(listed)
    # owner-only: the catalog holds account data
    assert (tmp_path / "bk").stat().st_mode & 0o777 == 0o700
    ops.backup(filled, tmp_path / "bk.tar")
    assert (tmp_path / "bk.tar").stat().st_mode & 0o777 == 0o600
    with tarfile.open(tmp_path / "bk.tar") as tar:
        assert sorted(m.name for m in tar.getmembers()) == sorted([*listed, "manifest.json"])
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_restore_refuses_a_damaged_backup_naming_the_file(filled: Ecoplan, tmp_path: Path) -> None:
    ops.backup(filled, tmp_path / "bk")
    part = next((tmp_path / "bk" / "data").rglob("*.parquet"))
    raw = bytearray(part.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    part.write_bytes(bytes(raw))
    target = tmp_path / "new" / "test.duckdb"
    target.parent.mkdir()
    with pytest.raises(StoreError) as exc:
        ops.restore(tmp_path / "bk", target)
    assert part.name in str(exc.value) and "checksum" in str(exc.value)
    assert list(target.parent.iterdir()) == []  # nothing written, no leftovers


@pytest.mark.parametrize("damage", ["missing", "truncated", "extra", "manifest"])
def test_restore_refuses_other_damage(filled: Ecoplan, tmp_path: Path, damage: str) -> None:
    ops.backup(filled, tmp_path / "bk")
    cat = tmp_path / "bk" / "catalog.duckdb"
    if damage == "missing":
        cat.unlink()
        named = "catalog.duckdb"
    elif damage == "truncated":
        cat.write_bytes(cat.read_bytes()[:1000])
        named = "catalog.duckdb"
    elif damage == "extra":
        (tmp_path / "bk" / "data" / "stray.bin").write_bytes(b"x")
        named = "stray.bin"
    else:
        (tmp_path / "bk" / "manifest.json").write_text("{not json", "utf-8")
        named = "manifest.json"
    with pytest.raises(StoreError, match=named):
        ops.restore(tmp_path / "bk", tmp_path / "r" / "x.duckdb")
    assert not (tmp_path / "r").exists()


def test_restore_of_a_damaged_tar_names_the_member(filled: Ecoplan, tmp_path: Path) -> None:
    ops.backup(filled, tmp_path / "bk")
    (tmp_path / "bk" / "catalog.duckdb").write_bytes(b"not a database")
    with tarfile.open(tmp_path / "bk.tar", "w") as tar:
        for p in sorted((tmp_path / "bk").rglob("*")):
            if p.is_file():
                tar.add(p, arcname=p.relative_to(tmp_path / "bk").as_posix())
    with pytest.raises(StoreError, match=r"bk\.tar/catalog\.duckdb"):
        ops.restore(tmp_path / "bk.tar", tmp_path / "r" / "x.duckdb")


def test_restore_does_not_overwrite_without_force(filled: Ecoplan, revision: Path, tmp_path: Path) -> None:
    ops.backup(filled, tmp_path / "bk")
    expected = state(filled)
    target = tmp_path / "other" / "test.duckdb"
    target.parent.mkdir()
    with Ecoplan(target) as other:
        other.init()
        _air(other, 10.0)
    with Ecoplan(target) as other:
        mine = state(other)
    with pytest.raises(StoreError, match="--force"):
        ops.restore(tmp_path / "bk", target)
    with Ecoplan(target) as other:
        assert state(other) == mine
    rep = ops.restore(tmp_path / "bk", target, force=True)
    assert rep.replaced
    with Ecoplan(target) as other:
        assert state(other) == expected
        assert other.air.store.check() == []
    leftovers = [p.name for p in target.parent.iterdir() if p.name not in ("test.duckdb", "test.data")]
    assert leftovers == []


def test_restore_under_another_name_moves_the_data_folder(filled: Ecoplan, tmp_path: Path) -> None:
    ops.backup(filled, tmp_path / "bk")
    expected = state(filled)
    target = tmp_path / "restored.duckdb"
    ops.restore(tmp_path / "bk", target)
    assert (tmp_path / "restored.data" / "air" / "hourly").is_dir()
    with Ecoplan(target) as new:
        assert new.air.store.check() == []
        assert state(new) == expected


def test_backup_and_restore_are_audited_and_the_restored_chain_verifies(
    filled: Ecoplan, tmp_path: Path
) -> None:
    admin = Principal("root", Role.ADMIN, "000000", via="cli")
    ops.backup(filled, tmp_path / "bk", actor="ops")
    rows = filled.audit.rows(admin, action="backup")
    assert [(r["actor"], r["target"], r["source"]) for r in rows] == [("ops", str(tmp_path / "bk"), "cli")]
    ops.restore(tmp_path / "bk", tmp_path / "r" / "x.duckdb", actor="ops")
    with Ecoplan(tmp_path / "r" / "x.duckdb") as new:
        assert new.audit.verify().ok
        assert [r["action"] for r in new.audit.rows(admin, actor="ops")] == ["restore"]


def test_backup_refuses_an_existing_destination(filled: Ecoplan, tmp_path: Path) -> None:
    (tmp_path / "bk").mkdir()
    with pytest.raises(StoreError, match="already exists"):
        ops.backup(filled, tmp_path / "bk")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".bk")] == []
    inside = Path(filled.path).with_suffix(".data") / "backups" / "bk"
    inside.parent.mkdir(parents=True)
    with pytest.raises(StoreError, match="inside the store's own data folder"):
        ops.backup(filled, inside)

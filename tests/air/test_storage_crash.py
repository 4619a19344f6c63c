"""Crash safety of ``ecoplan air load``: a fault or a ``kill -9`` at any step leaves a
store that the next open repairs, and re-running the load stores what was missing.

Fixture: a store holding a week of three Beijing stations (December 2013, cut from
the real multi-site files), into which a second batch is loaded that revises
values, adds a station, a reject and a new year's partition. Reference: the same
two loads without a fault.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import SHARED

from ecoplan.air.storage import FAULT_POINTS, AirStore
from ecoplan.app import Ecoplan
from ecoplan.store import faults

BEIJING = SHARED / "data" / "beijing-multisite"
ECOPLAN = Path(sys.executable).with_name("ecoplan")
DB = "air.duckdb"  # the same name in every copy: catalog paths start with its stem
FIRST, LAST = dt.date(2013, 12, 25), dt.date(2014, 1, 4)


def _cut(out: Path, stations: list[str], lo: str, hi: str, edit: bool) -> Path:
    out.mkdir(parents=True)
    for name in stations:
        df = pd.read_csv(next(BEIJING.glob(f"PRSA_Data_{name}_*.csv.gz")))
        day = pd.to_datetime(df[["year", "month", "day"]])
        df = df[(day >= pd.Timestamp(lo)) & (day <= pd.Timestamp(hi))].copy()
        if edit and name == "Dongsi":
            first = (df["month"] == 12) & (df["day"] == 29)
            df.loc[first, "PM2.5"] = df.loc[first, "PM2.5"] + 1  # 24 revised values
            df.loc[df.index[-1], "PM10"] = -5  # one rejected value
        df.to_csv(out / f"PRSA_Data_{name}_{out.name}.csv", index=False)
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("crash-input")
    base = _cut(d / "base", ["Dongsi", "Tiantan", "Guanyuan"], "2013-12-25", "2013-12-31", False)
    nxt = _cut(
        d / "next", ["Dongsi", "Tiantan", "Guanyuan", "Aotizhongxin"], "2013-12-29", "2014-01-04", True
    )
    return base, nxt


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, inputs: tuple[Path, Path]) -> Path:
    """Folder with an initialised store holding the base batch."""
    d = tmp_path_factory.mktemp("crash-template")
    with Ecoplan(d / DB) as ep:
        ep.init()
        ep.air.load([inputs[0]], "beijing-multisite")
    return d


def _copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest / DB


def _snapshot(ep: Ecoplan) -> dict[str, pd.DataFrame]:
    """Everything a load stores and an evaluation reads (not the import log)."""
    store = ep.air.store
    con = ep.catalog.con
    data = pd.concat(
        [pd.read_parquet(p).assign(region=r, year=y) for r, y, p in store.partitions()], ignore_index=True
    )
    return {
        "partitions": store.summary(),
        "data": data,
        "stations": store.stations(),
        "revisions": con.execute(
            "SELECT station, time, pollutant, old_value, new_value FROM air_revisions ORDER BY ALL"
        ).df(),
        "rejects": store.rejects(),
        "absent": con.execute("SELECT * FROM air_absent ORDER BY ALL").df(),
        "daily": ep.air.daily("110000", FIRST, LAST),
    }


def _assert_same(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    for key, frame in want.items():
        pd.testing.assert_frame_equal(got[key], frame, obj=key)


@pytest.fixture(scope="module")
def reference(
    template: Path, inputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pd.DataFrame]:
    db = _copy(template, tmp_path_factory.mktemp("crash-ref") / "store")
    with Ecoplan(db) as ep:
        _, res = ep.air.load([inputs[1]], "beijing-multisite")
        assert (res.rows_new, res.values_revised, res.rows_unchanged) == (456, 24, 192)
        assert res.rejects["negative"] == 1 and res.partitions_written == [("110000", 2013), ("110000", 2014)]
        assert ep.air.store.check() == []
        return _snapshot(ep)


def _files(db: Path) -> list[str]:
    root = db.parent / (db.stem + ".data")
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _reopen_and_finish(db: Path, nxt: Path, want: dict[str, pd.DataFrame]) -> None:
    """Open (which repairs), check, re-run the load, check, compare with the reference."""
    with Ecoplan(db) as ep:
        assert ep.air.store.check() == []
        ep.air.load([nxt], "beijing-multisite")
        assert ep.air.store.check() == []
        _assert_same(_snapshot(ep), want)
    with Ecoplan(db) as ep:  # and nothing left for a repair
        assert not ep.air.store.last_repair


# -- every fault point, as an exception ------------------------------------------------------


@pytest.mark.parametrize("point", [p for p in FAULT_POINTS if p != "air.repair"])
def test_exception_at_each_point(
    point: str, template: Path, inputs: tuple[Path, Path], reference: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    db = _copy(template, tmp_path / "store")
    with Ecoplan(db) as ep:
        with faults.armed(point), pytest.raises(faults.InjectedFault, match=point):
            ep.air.load([inputs[1]], "beijing-multisite")
        problems = ep.air.store.check()
        committed = point in ("air.after_commit", "air.after_gc")
        assert ep.catalog.con.execute("SELECT count(*) FROM air_imports").fetchone() == (1 + committed,)
        if point == "air.after_commit":  # committed; the superseded file waits for a repair
            assert len(problems) == 1 and "unreferenced file" in problems[0] and "part-1" in problems[0]
        else:  # before the commit everything new is cleaned up at once
            assert problems == []
    _reopen_and_finish(db, inputs[1], reference)


def test_fault_during_repair(
    template: Path, inputs: tuple[Path, Path], reference: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    db = _copy(template, tmp_path / "store")
    part = db.parent / "air.data/air/hourly/region=110000/year=2013"
    (part / ".part-7.4242.tmp").write_bytes(b"half a parquet file")
    shutil.copy(part / "part-1.parquet", part / "part-7.parquet")
    stray = db.parent / "air.data/air/hourly/region=110000/year=2014"
    stray.mkdir()
    shutil.copy(part / "part-1.parquet", stray / "part-7.parquet")
    with Ecoplan(db) as ep:
        with faults.armed("air.repair"), pytest.raises(faults.InjectedFault):
            _ = ep.air
        assert not (part / ".part-7.4242.tmp").exists() and (part / "part-7.parquet").exists()
    with Ecoplan(db) as ep:
        report = ep.air.store.last_repair
        assert report.temporary == [] and len(report.unreferenced) == 2
        assert ep.air.store.check() == [] and not stray.exists()
    _reopen_and_finish(db, inputs[1], reference)


def test_repair_spares_an_import_under_way_in_this_process(
    template: Path,
    inputs: tuple[Path, Path],
    reference: dict[str, pd.DataFrame],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another store object opened (so repairing) while an import is between its
    steps (e.g. a second connection of a server) must not take its files for garbage."""
    db = _copy(template, tmp_path / "store")
    reports = []

    def point(name: str) -> None:
        if name in ("air.after_tmp_write", "air.after_rename"):
            reports.append(AirStore(ep.catalog).last_repair)

    monkeypatch.setattr(faults, "point", point)
    with Ecoplan(db) as ep:
        ep.air.load([inputs[1]], "beijing-multisite")
        assert len(reports) == 3 and not any(reports)
        assert ep.air.store.check() == []
        _assert_same(_snapshot(ep), reference)


def test_store_left_by_the_old_layout(
    template: Path, inputs: tuple[Path, Path], reference: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Stores written before versioned names: ``part-0.parquet`` in place, and the
    failure of issue 8 — a 2014 file renamed into place whose catalog commit never
    happened (a re-run used to find it on disk and report everything unchanged)."""
    db = _copy(template, tmp_path / "store")
    hourly = db.parent / "air.data/air/hourly/region=110000"
    (hourly / "year=2013/part-1.parquet").rename(hourly / "year=2013/part-0.parquet")
    (hourly / "year=2014").mkdir()
    with Ecoplan(db) as ep:
        ep.catalog.con.execute("UPDATE air_partitions SET path = replace(path, 'part-1', 'part-0')")
    with Ecoplan(_copy(template, tmp_path / "other")) as ep:  # the 2014 rows the crash left
        ep.air.load([inputs[1]], "beijing-multisite")
        shutil.copy(ep.air.store.paths("110000", [2014])[0], hourly / "year=2014/part-0.parquet")
    (hourly / "year=2013/.part-0.4242.tmp").write_bytes(b"")
    with Ecoplan(db) as ep:
        assert sorted(ep.air.store.last_repair.unreferenced) == [
            "air.data/air/hourly/region=110000/year=2014/part-0.parquet"
        ]
        assert len(ep.air.store.last_repair.temporary) == 1
        _, res = ep.air.load([inputs[1]], "beijing-multisite")
        assert (res.rows_new, res.values_revised) == (456, 24)
        assert ep.air.store.check() == [] and not (hourly / "year=2013/part-0.parquet").exists()
        _assert_same(_snapshot(ep), reference)


def test_repair_leaves_a_foreign_catalog_alone(template: Path, tmp_path: Path) -> None:
    """A database file renamed without its folder: the catalog names files of the
    old stem; the files of the new stem are not known garbage and stay."""
    shutil.copytree(template, tmp_path / "store")
    db = tmp_path / "store" / "renamed.duckdb"
    (tmp_path / "store" / DB).rename(db)
    shutil.copytree(tmp_path / "store" / "air.data", tmp_path / "store" / "renamed.data")
    with Ecoplan(db) as ep:
        assert not ep.air.store.last_repair
    assert (tmp_path / "store/renamed.data/air/hourly/region=110000/year=2013/part-1.parquet").exists()


def test_read_only_open_repairs_nothing(template: Path, tmp_path: Path) -> None:
    db = _copy(template, tmp_path / "store")
    tmp = db.parent / "air.data/air/hourly/region=110000/year=2013/.part-9.1.tmp"
    tmp.write_bytes(b"x")
    with Ecoplan(db, read_only=True) as ep:
        assert ep.air.store.read_only and not ep.air.store.last_repair
        assert ep.air.store.check() == [f"temporary file {tmp}"]
    assert tmp.exists()


# -- every fault point, as a crash of the real command -----------------------------------------


def _load_cmd(db: Path, nxt: Path) -> list[str]:
    return [str(ECOPLAN), "air", "load", str(nxt), "--format", "beijing-multisite", "--db", str(db)]


def _env(fault: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ECOPLAN_FAULT"}
    if fault:
        env["ECOPLAN_FAULT"] = fault
    return env


# what the files look like right after the crash, before any repair
_LEFT = {
    "air.after_tmp_write": ["2013/.part-2.", "2013/part-1.parquet"],
    "air.after_rename": ["2013/part-1.parquet", "2013/part-2.parquet", "2014/part-2.parquet"],
    "air.before_commit": ["2013/part-1.parquet", "2013/part-2.parquet", "2014/part-2.parquet"],
    "air.after_commit": ["2013/part-1.parquet", "2013/part-2.parquet", "2014/part-2.parquet"],
    "air.after_gc": ["2013/part-2.parquet", "2014/part-2.parquet"],
}


@pytest.mark.parametrize("point", list(_LEFT))
def test_crash_at_each_point(
    point: str, template: Path, inputs: tuple[Path, Path], reference: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    db = _copy(template, tmp_path / "store")
    proc = subprocess.run(
        _load_cmd(db, inputs[1]), env=_env(f"{point}:exit"), capture_output=True, timeout=120
    )
    assert proc.returncode == faults.EXIT_CODE, proc.stderr.decode()
    left = [f.replace("air/hourly/region=110000/year=", "") for f in _files(db)]
    for want in _LEFT[point]:
        assert any(f.startswith(want) for f in left), (want, left)
    assert len(left) == len(_LEFT[point])
    _reopen_and_finish(db, inputs[1], reference)


# -- kill -9 at random moments -------------------------------------------------------------


def _new_files(root: Path) -> bool:
    return any(p.name != "part-1.parquet" for p in root.glob("*/*/*"))


def test_kill_9_loop(
    template: Path, inputs: tuple[Path, Path], reference: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """20 real ``kill -9`` of ``ecoplan air load``: half at a random moment of the
    whole run, half at a random moment after the first new file appeared (the
    store phase); each time the store opens consistent and a re-run completes it."""
    # a clean run of the command itself: its duration, and the same result as the reference
    db = _copy(template, tmp_path / "clean")
    t0 = time.monotonic()
    subprocess.run(_load_cmd(db, inputs[1]), env=_env(), check=True, capture_output=True, timeout=120)
    full = time.monotonic() - t0
    with Ecoplan(db) as ep:
        assert ep.air.store.check() == []
        _assert_same(_snapshot(ep), reference)

    rng = random.Random(8_4)
    outcomes: dict[str, int] = {"killed before the store phase": 0, "killed in it": 0, "finished": 0}
    repairs = {"rolled back": 0, "rolled forward": 0}
    for i in range(20):
        db = _copy(template, tmp_path / f"run{i}")
        root = db.parent / "air.data" / "air" / "hourly"
        proc = subprocess.Popen(
            _load_cmd(db, inputs[1]), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        t0 = time.monotonic()
        if i % 2 == 0:
            time.sleep(rng.uniform(0.0, full))
        else:  # wait for the store phase, then strike within it
            while proc.poll() is None and not _new_files(root) and time.monotonic() - t0 < 60:
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.04))  # ~30 ms from the first file to the commit
        proc.kill()
        rc = proc.wait(timeout=60)
        if rc == 0:
            outcomes["finished"] += 1
        elif _new_files(root) or (db.parent / "air.data/air/hourly/region=110000/year=2014").exists():
            outcomes["killed in it"] += 1
        else:
            outcomes["killed before the store phase"] += 1
        with Ecoplan(db) as ep:
            rep = ep.air.store.last_repair
            if rep.temporary or any("part-2" in f for f in rep.unreferenced):
                repairs["rolled back"] += 1
            elif rep.unreferenced:
                repairs["rolled forward"] += 1
        _reopen_and_finish(db, inputs[1], reference)
    print(f"\nkill -9 loop: {outcomes}; repairs on the next open: {repairs}")
    assert outcomes["killed in it"] >= 5 and repairs["rolled back"] >= 1

"""Upgrading an old store: a schema-v1 file opened by today's ecoplan.

The v1 file is built here with the v1 SQL (``MIGRATIONS[0]``) and rows of the v1
tables written as the v1 code wrote them (the v1 tables have not changed since:
later migrations only add tables), not by opening it with the current code first.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ecoplan.air.schema import MIGRATIONS as AIR_MIGRATIONS
from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.core.errors import SchemaVersionError
from ecoplan.store.migrations import MIGRATIONS, SCHEMA_VERSION

PLAN = "cn-13th-eco"
# air-good-days (binding; 2020 target > 80 %, baseline 76.7 % in 2015): the national
# figures of the bulletins, written as three v1 revisions rows plus one correction.
V1_VALUES = [
    # plan, indicator, region, year, revision, value, unit, basis, source, note, recorded_at, actor, origin
    (
        PLAN,
        "air-good-days",
        "000000",
        2016,
        1,
        78.8,
        "%",
        "level",
        "2016公报",
        None,
        "2021-06-30",
        "v1",
        None,
    ),
    (
        PLAN,
        "air-good-days",
        "000000",
        2019,
        1,
        82.0,
        "%",
        "level",
        "2019公报",
        None,
        "2021-06-30",
        "v1",
        None,
    ),
    (PLAN, "air-good-days", "000000", 2020, 1, 86.0, "%", "level", "快报", None, "2021-01-10", "v1", None),
    (
        PLAN,
        "air-good-days",
        "000000",
        2020,
        2,
        87.0,
        "%",
        "level",
        "2020公报",
        None,
        "2021-06-30",
        "v1",
        None,
    ),
]
V1_TABLES = ("regions", "plans", "indicators", "targets", "tasks")


def _v1_store(path: Path, tmp_path: Path) -> None:
    """A schema-v1 file: the v1 tables, meta schema_version 1, a plan and its values.

    The plan's rows (definition JSON and its projection) and the regions come from a
    reference store: their v1 columns are today's columns."""
    ref = tmp_path / "reference.duckdb"
    with Ecoplan(ref) as ep:
        ep.init()
    con = duckdb.connect(str(path))
    con.execute(MIGRATIONS[0])
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(f"ATTACH '{ref}' AS ref (READ_ONLY)")
    for table in V1_TABLES:
        where = "" if table == "regions" else ("WHERE id = ?" if table == "plans" else "WHERE plan_id = ?")
        args = [] if table == "regions" else [PLAN]
        con.execute(f"INSERT INTO {table} SELECT * FROM ref.{table} {where}", args)
    con.execute("DETACH ref")
    con.executemany(
        "INSERT INTO value_revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?)",
        V1_VALUES,
    )
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "assessments" not in tables and "air_stations" not in tables  # really v1
    con.close()


def test_v1_file_is_upgraded_on_open_and_assessed(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _v1_store(path, tmp_path)

    with Ecoplan(path) as ep:
        con = ep.catalog.con
        assert ep.catalog.schema_version() == SCHEMA_VERSION
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {
            "air_stations",
            "air_partitions",
            "air_imports",
            "air_rejects",
            "air_revisions",
            "air_absent",
            "air_events",
            "target_decompositions",
            "assessments",
            "assessment_runs",
        } <= tables
        # Every revision survives, the correction included.
        revs = con.execute(
            "SELECT year, revision, value FROM value_revisions ORDER BY year, revision"
        ).fetchall()
        assert revs == [(2016, 1, 78.8), (2019, 1, 82.0), (2020, 1, 86.0), (2020, 2, 87.0)]
        latest = {r["year"]: r["value"] for r in ep.catalog.value_rows(PLAN, "000000", "air-good-days")}
        assert latest == {2016: 78.8, 2019: 82.0, 2020: 87.0}
        # Migration 4 computed the stored assessment on open (before any assess call):
        # the latest 2020 value 87.0 against the target > 80 is achieved.
        rows = con.execute(
            "SELECT year, value, status FROM assessments "
            "WHERE plan_id = ? AND region = '000000' AND indicator_id = 'air-good-days' ORDER BY year",
            [PLAN],
        ).fetchall()
        by_year = {year: (value, status) for year, value, status in rows}
        assert by_year[2020] == (87.0, "achieved")
        assert by_year[2016][0] == 78.8
        run = con.execute("SELECT regions, rows FROM assessment_runs WHERE plan_id = ?", [PLAN]).fetchone()
        assert (
            run is not None
            and run[0] == 1
            and run[1] == len(con.execute("SELECT * FROM assessments WHERE plan_id = ?", [PLAN]).fetchall())
        )

    res = CliRunner().invoke(
        app, ["assess", PLAN, "--region", "000000", "--year", "2020", "--format", "json", "--db", str(path)]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    good = next(i for i in d["indicators"] if i["id"] == "air-good-days")
    assert good["value"] == 87.0 and good["status"] == "achieved"


def _meta(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


def test_a_domain_versions_its_own_tables(tmp_path: Path) -> None:
    """The air tables come from the air domain's migrations, versioned on their own."""
    path = tmp_path / "new.duckdb"
    Ecoplan(path).close()
    meta = _meta(path)
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["schema_version:air"] == str(len(AIR_MIGRATIONS)) and len(AIR_MIGRATIONS) >= 1


def test_a_file_from_before_domain_migrations_keeps_its_air_rows(tmp_path: Path) -> None:
    """A v4 file made when core migrations 2-3 held the air tables: the domain's first
    migration finds them (IF NOT EXISTS) and every row stays."""
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    con.execute(MIGRATIONS[0])
    con.execute(AIR_MIGRATIONS[0])  # what core migrations 2 and 3 created, verbatim
    for sql in MIGRATIONS[3:4]:
        con.execute(sql)
    con.execute("INSERT INTO meta VALUES ('schema_version', '4')")
    con.execute(
        "INSERT INTO air_stations VALUES ('1001A', 'Wanshouxigong', '万寿西宫', '110000', 39.88, 116.37, "
        "'city', TIMESTAMP '2024-01-01')"
    )
    con.close()
    with Ecoplan(path) as ep:
        assert list(ep.air.stations()["code"]) == ["1001A"]
    assert _meta(path)["schema_version:air"] == str(len(AIR_MIGRATIONS))


def test_domain_tables_from_a_newer_ecoplan_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.duckdb"
    Ecoplan(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version:air'")
    con.close()
    with pytest.raises(SchemaVersionError, match="air tables are at version 99"):
        Ecoplan(path)

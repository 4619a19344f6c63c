"""The DuckDB catalog: migrations, idempotent imports, revisions and as-of."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from tests.conftest import write_csv

from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.core.errors import PlanError, SchemaVersionError, ValuesImportError
from ecoplan.store.catalog import Catalog
from ecoplan.store.migrations import SCHEMA_VERSION

HEADER = "plan,indicator,region,year,value,unit,source,note"


def test_new_file_is_created_at_current_schema(db_path: Path) -> None:
    with Catalog(db_path) as cat:
        assert cat.schema_version() == SCHEMA_VERSION
    assert db_path.exists()


def test_newer_schema_is_refused(db_path: Path) -> None:
    Catalog(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(SchemaVersionError, match="newer ecoplan"):
        Catalog(db_path)


def test_init_is_idempotent(ep: Ecoplan) -> None:
    assert ep.init()[1] == 0  # nothing new the second time
    assert len(ep.catalog.regions(level="province")) == 31
    assert len(ep.catalog.regions(level="prefecture")) >= 330
    assert ep.catalog.region("440700").name_zh == "江门市"
    assert set(ep.catalog.plan_ids()) >= {"cn-13th-eco", "jiangmen-13th-eco"}


def test_plan_round_trips_through_the_store(ep: Ecoplan) -> None:
    from ecoplan.plans import builtin_plans

    for plan in builtin_plans():
        assert ep.catalog.plan(plan.id) == plan


def test_changed_plan_needs_replace(ep: Ecoplan, tmp_path: Path) -> None:
    from dataclasses import replace

    plan = ep.catalog.plan("cn-13th-eco")
    changed = replace(plan, document_number="X")
    with pytest.raises(PlanError, match="--replace"):
        ep.catalog.save_plan(changed)
    assert ep.catalog.save_plan(changed, replace=True)


def test_demo_import_is_idempotent(ep: Ecoplan) -> None:
    first = ep.import_values(demo_values_path())
    assert first.inserted >= 50 and first.revised == 0
    again = ep.import_values(demo_values_path())
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, first.inserted)


def test_bad_file_changes_nothing(ep: Ecoplan, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [HEADER, "cn-13th-eco,air-good-days,000000,2016,78.8,%,,"])
    ep.import_values(good)
    before = ep.catalog.value_rows(history=True)
    bad = write_csv(
        tmp_path / "bad.csv",
        [HEADER, "cn-13th-eco,air-good-days,000000,2017,78.0,%,,", "cn-13th-eco,nope,000000,2017,1,%,,"],
    )
    with pytest.raises(ValuesImportError):
        ep.import_values(bad)
    assert ep.catalog.value_rows(history=True) == before


def test_revision_history_and_as_of(ep: Ecoplan, tmp_path: Path) -> None:
    v1 = write_csv(tmp_path / "v1.csv", [HEADER, "cn-13th-eco,air-good-days,000000,2020,79.5,%,first,"])
    v2 = write_csv(tmp_path / "v2.csv", [HEADER, "cn-13th-eco,air-good-days,000000,2020,87.0,%,revised,"])
    ep.import_values(v1, recorded_at="2021-01-15")
    res = ep.import_values(v2, recorded_at="2021-05-01")
    assert (res.inserted, res.revised) == (0, 1)
    history = ep.catalog.value_rows("cn-13th-eco", "000000", "air-good-days", history=True)
    assert [(h["revision"], h["value"]) for h in history] == [(1, 79.5), (2, 87.0)]
    old = ep.assess("cn-13th-eco", "000000", 2020, as_of="2021-03-01").indicators[0]
    new = ep.assess("cn-13th-eco", "000000", 2020).indicators[0]
    assert (old.value, old.verdict.value) == (79.5, "not_met")
    assert (new.value, new.verdict.value, new.observation.revision) == (87.0, "met", 2)
    before_any = ep.assess("cn-13th-eco", "000000", 2020, as_of=dt.date(2020, 12, 31)).indicators[0]
    assert before_any.value is None


def test_backdated_revision_is_refused(ep: Ecoplan, tmp_path: Path) -> None:
    from ecoplan.core.errors import StoreError

    v1 = write_csv(tmp_path / "v1.csv", [HEADER, "cn-13th-eco,air-good-days,000000,2020,79.5,%,,"])
    v2 = write_csv(tmp_path / "v2.csv", [HEADER, "cn-13th-eco,air-good-days,000000,2020,80.5,%,,"])
    ep.import_values(v1, recorded_at="2021-05-01")
    with pytest.raises(StoreError, match="append-only"):
        ep.import_values(v2, recorded_at="2021-01-01")


def test_tasks_status_history(ep: Ecoplan) -> None:
    tasks = ep.catalog.tasks("cn-13th-eco")
    assert tasks and tasks[0]["status"] is None
    tid = tasks[0]["id"]
    assert ep.catalog.update_task("cn-13th-eco", tid, "in_progress") == 1
    assert ep.catalog.update_task("cn-13th-eco", tid, "done", evidence="公报") == 2
    latest = next(t for t in ep.catalog.tasks("cn-13th-eco") if t["id"] == tid)
    assert latest["status"] == "done" and latest["evidence"] == "公报"

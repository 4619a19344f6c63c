"""``ep.editing`` (issue #12) on a real DuckDB file: a plan edit is a new version (the old
definition kept), decomposed targets are written only inside the uploader's scope, and
both are audited with before → after.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError, Forbidden, InputFileError, NotFound
from ecoplan.plans.serialize import plan_to_mapping

PLAN = "jiangmen-13th-eco"
JM, PJ, GD, ZH = "440700", "440703", "440000", "440400"
SHELL = Principal.shell()
JM_ADMIN = Principal("jm-admin", Role.ADMIN, JM)
ZH_ADMIN = Principal("zh-admin", Role.ADMIN, ZH)
GD_ADMIN = Principal("gd-admin", Role.ADMIN, GD)
GD_REVIEWER = Principal("gd-reviewer", Role.REVIEWER, GD)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("editing") / "base.duckdb"
    with Ecoplan(path) as app:
        app.init()
        app.catalog.con.execute("CHECKPOINT")
    return path


@pytest.fixture
def ep(base: Path, tmp_path: Path) -> Iterator[Ecoplan]:
    path = tmp_path / "editing.duckdb"
    shutil.copy(base, path)
    with Ecoplan(path) as app:
        yield app


def mapping(ep: Ecoplan, **title: str) -> dict[str, Any]:
    m = plan_to_mapping(ep.definition(PLAN))
    m["title"] = {**m["title"], **title}
    return m


def rows(ep: Ecoplan, action: str) -> list[dict[str, Any]]:
    return ep.audit.rows(SHELL, action=action, limit=None)


# -- plan edits ------------------------------------------------------------------------------
def test_an_edit_is_a_new_version_and_the_old_is_kept(ep: Ecoplan) -> None:
    old = plan_to_mapping(ep.definition(PLAN))
    assert ep.plan_version(PLAN) == 1
    got = ep.editing.edit_plan(JM_ADMIN, PLAN, mapping(ep, en="Jiangmen plan, edited"))
    assert got == {"plan": PLAN, "version": 2, "changed": True}
    assert ep.definition(PLAN).title.en == "Jiangmen plan, edited"
    assert ep.plan_version(PLAN) == 2
    kept = ep.catalog.plan_versions(PLAN)
    assert [k["version"] for k in kept] == [1]
    definition = kept[0]["definition"]
    definition = json.loads(definition) if isinstance(definition, str) else definition
    assert definition["title"] == old["title"]
    assert definition["indicators"] == old["indicators"]

    row = rows(ep, "plan.edit")[-1]
    assert (row["actor"], row["target"], row["region"], row["outcome"]) == (
        "jm-admin",
        f"plan/{PLAN}",
        JM,
        "ok",
    )
    assert row["before"]["version"] == 1 and row["after"]["version"] == 2
    assert row["before"]["definition"]["title"] == old["title"]
    assert row["after"]["definition"]["title"]["en"] == "Jiangmen plan, edited"

    # the same definition again: no new version, no audit row
    again = ep.editing.edit_plan(JM_ADMIN, PLAN, mapping(ep))
    assert again == {"plan": PLAN, "version": 2, "changed": False}
    assert len(rows(ep, "plan.edit")) == 1
    # a third version keeps both earlier ones
    ep.editing.edit_plan(GD_ADMIN, PLAN, mapping(ep, en="Jiangmen plan, third"))
    assert [k["version"] for k in ep.catalog.plan_versions(PLAN)] == [1, 2]
    assert ep.plan_version(PLAN) == 3
    assert ep.audit.verify().ok


@pytest.mark.parametrize("actor", [ZH_ADMIN, GD_REVIEWER, Principal("pj-admin", Role.ADMIN, PJ)])
def test_an_edit_out_of_scope_or_role_is_refused(ep: Ecoplan, actor: Principal) -> None:
    with pytest.raises(Forbidden):
        ep.editing.edit_plan(actor, PLAN, mapping(ep, en="taken over"))
    assert ep.plan_version(PLAN) == 1 and ep.definition(PLAN).title.en != "taken over"
    row = ep.audit.rows(SHELL, limit=None)[-1]
    assert (row["actor"], row["action"], row["outcome"]) == (actor.user, "plan.edit", "denied")


def test_bad_edits_store_nothing(ep: Ecoplan) -> None:
    other = mapping(ep)
    other["id"] = "another-plan"
    with pytest.raises(EcoplanError):
        ep.editing.edit_plan(JM_ADMIN, PLAN, other)
    moved = mapping(ep)
    moved["region"] = ZH
    with pytest.raises(Forbidden):  # a Jiangmen admin cannot hand the plan to Zhuhai
        ep.editing.edit_plan(JM_ADMIN, PLAN, moved)
    broken = mapping(ep)
    broken["indicators"] = [{"id": "x"}]
    with pytest.raises(EcoplanError):
        ep.editing.edit_plan(JM_ADMIN, PLAN, broken)
    with pytest.raises(NotFound):
        ep.editing.edit_plan(SHELL, "no-such-plan", mapping(ep))
    assert ep.plan_version(PLAN) == 1
    assert ep.catalog.plan_versions(PLAN) == []
    # only the refusal of scope left a row; nothing was edited
    assert [(r["actor"], r["outcome"]) for r in rows(ep, "plan.edit")] == [("jm-admin", "denied")]


# -- decomposed targets ----------------------------------------------------------------------
def decomposition(*lines: tuple[str, str, int, str], plan: str = PLAN) -> bytes:
    out = ["plan,indicator,region,year,target"]
    out += [f"{plan},{ind},{region},{year},{target}" for ind, region, year, target in lines]
    return ("\n".join(out) + "\n").encode()


def stored(ep: Ecoplan) -> list[tuple[str, str, int]]:
    return sorted((d["indicator_id"], d["region"], int(d["year"])) for d in ep.decompositions(PLAN))


def test_decomposed_targets_in_scope(ep: Ecoplan) -> None:
    data = decomposition(("air-pm25", PJ, 2020, "≤30"), ("air-good-days", PJ, 2020, "≥92"))
    got = ep.editing.import_decompositions(JM_ADMIN, "分解.csv", data)
    assert (got["inserted"], got["revised"], got["unchanged"]) == (2, 0, 0)
    assert stored(ep) == [("air-good-days", PJ, 2020), ("air-pm25", PJ, 2020)]
    row = rows(ep, "decomposition.import")[-1]
    assert (row["actor"], row["target"], row["outcome"]) == ("jm-admin", "分解.csv", "ok")
    assert sorted((r["indicator"], r["region"], r["expr"]) for r in row["after"]["rows"]) == [
        ("air-good-days", PJ, "≥92"),
        ("air-pm25", PJ, "≤30"),
    ]
    # the same file again changes nothing; a changed target is a revision
    again = ep.editing.import_decompositions(JM_ADMIN, "分解.csv", data)
    assert (again["inserted"], again["revised"], again["unchanged"]) == (0, 0, 2)
    revised = ep.editing.import_decompositions(
        JM_ADMIN, "d.csv", decomposition(("air-pm25", PJ, 2020, "≤29"))
    )
    assert (revised["inserted"], revised["revised"]) == (0, 1)


NATIONAL = "cn-13th-eco"  # a national plan: every city is inside its territory


@pytest.mark.parametrize(
    ("actor", "plan", "lines"),
    [
        (JM_ADMIN, NATIONAL, [("air-good-days", ZH, 2020, "≥90")]),  # another city
        (JM_ADMIN, NATIONAL, [("air-good-days", JM, 2020, "≥90"), ("air-good-days", ZH, 2020, "≥90")]),
        (JM_ADMIN, NATIONAL, [("air-good-days", GD, 2020, "≥90")]),  # the province above
        (ZH_ADMIN, PLAN, [("air-pm25", PJ, 2020, "≤30")]),
        (GD_REVIEWER, PLAN, [("air-pm25", PJ, 2020, "≤30")]),  # not an admin
    ],
)
def test_decomposed_targets_out_of_scope_store_nothing(
    ep: Ecoplan, actor: Principal, plan: str, lines: list[tuple[str, str, int, str]]
) -> None:
    with pytest.raises(Forbidden):
        ep.editing.import_decompositions(actor, "d.csv", decomposition(*lines, plan=plan))
    assert ep.decompositions() == []
    row = ep.audit.rows(SHELL, limit=None)[-1]
    assert (row["actor"], row["action"], row["outcome"]) == (actor.user, "decomposition.import", "denied")


def test_a_bad_decomposition_file_names_the_upload(ep: Ecoplan) -> None:
    with pytest.raises(InputFileError):
        ep.editing.import_decompositions(JM_ADMIN, "f.csv", decomposition(("air-pm25", PJ, 2020, "=1+1")))
    with pytest.raises(EcoplanError) as info:
        ep.editing.import_decompositions(
            JM_ADMIN, "上传.csv", decomposition(("no-such-indicator", PJ, 2020, "≤1"))
        )
    text = str(info.value)
    assert "上传.csv" in text
    assert tempfile.gettempdir() not in text  # never the server's temporary copy
    assert all(p.file == "上传.csv" for p in getattr(info.value, "problems", []))
    assert stored(ep) == []
    for name in ("", "a\x00.csv", "/"):  # the sent name is a label, never a path
        got = ep.editing.import_decompositions(JM_ADMIN, name, decomposition(("air-pm25", PJ, 2020, "≤30")))
        assert got["file"] == name

"""Two writers at once (issue #14): two people run real ``ecoplan`` commands on one DuckDB
file at the same time — one imports a waste registry, manifests and a ledger, the other
the risk registries and records incidents. DuckDB lets one process write a file at a
time: each command waits for the other (``ecoplan --wait``, default 120 s) and then
writes whole. Both land: every row of every file is stored once, nothing is lost or
duplicated, the audit chain is unbroken; run again at the same time, nothing changes.

Real subprocesses of the installed ``ecoplan`` command, no mocks; the counts expected are
those of the sample files, written out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.waste.test_core_data import write_all

from ecoplan.app import Ecoplan

ECOPLAN = Path(sys.executable).with_name("ecoplan")

RISK_SOURCES = """\
企业编号,企业名称,统一社会信用代码,行政区划代码,经度,纬度,行业,风险等级
S1,甲化工有限公司,91320100MA1XXXXX1A,320100,118.80,32.05,化工,较大
S2,乙电镀厂,,320100,118.90,32.10,电镀,
S3,丙化纤有限公司,,320500,120.60,31.30,化纤,一般
"""
RISK_TARGETS = """\
target_id,name,kind,lon,lat
T1,第一小学,school,118.8106,32.05
T2,人民医院,hospital,118.8270,32.0514
T3,北河取水口,drinking_water_intake,118.85,32.02
"""
RISK_PLANS = """\
预案编号,企业编号,预案名称,备案编号,备案日期,回顾性评估日期,修订日期
P1,S1,甲化工突发环境事件应急预案,320100-2020-001-M,2020-05-01,,
P2,S2,乙电镀厂应急预案,320100-2023-010-L,2023-01-10,,
"""
INCIDENT = {
    "time": "2025-06-01 09:30",
    "place": {"lon": 118.80, "lat": 32.05, "name": "化工园区储罐区"},
    "substance": "氯气",
    "release": {"rate_g_s": 1000, "height_m": 0},
    "weather": {"wind_m_s": 2.0, "wind_from_deg": 270, "stability": "D"},
    "loc": {"unit": "mg_m3", "red": 58, "orange": 5.8, "yellow": 1.5},
    "counts": {"poisoned": 12},
}


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("writers") / "init.duckdb"
    with Ecoplan(db) as session:
        session.init()
    return db


def _files(folder: Path) -> dict[str, Path]:
    files = write_all(folder)
    for name, text in (("sources", RISK_SOURCES), ("targets", RISK_TARGETS), ("plans", RISK_PLANS)):
        files[f"risk_{name}"] = folder / f"risk_{name}.csv"
        files[f"risk_{name}"].write_text(text, encoding="utf-8")
    for i, hour in ((1, "09:30"), (2, "14:10")):
        path = folder / f"incident{i}.yaml"
        path.write_text(
            yaml.safe_dump({**INCIDENT, "time": f"2025-06-01 {hour}"}, allow_unicode=True), "utf-8"
        )
        files[f"incident{i}"] = path
    return files


def _writers(f: dict[str, Path]) -> dict[str, list[list[str]]]:
    waste = [["waste", "import", k, str(f[k]), "--format", "json"]
             for k in ("actors", "permits", "approvals", "manifests", "ledger")]  # fmt: skip
    risk = [["risk", "import", k, str(f[f"risk_{k}"]), "--format", "json"]
            for k in ("sources", "targets", "plans")]  # fmt: skip
    risk += [["risk", "incident", str(f[f"incident{i}"]), "--record", "--region", "320100",
              "--format", "json"] for i in (1, 2)]  # fmt: skip
    return {"waste": waste, "risk": risk}


def run_at_once(db: Path, writers: Mapping[str, Sequence[list[str]]]) -> dict[str, list[dict[str, Any]]]:
    """Each writer's commands in order, the writers in parallel threads, each command a real
    ``ecoplan`` process; every command must succeed. Returns each command's JSON answer."""
    env = {**os.environ, "ECOPLAN_DB": str(db), "ECOPLAN_WAIT": "120"}
    env.pop("ECOPLAN_FAULT", None)
    answers: dict[str, list[dict[str, Any]]] = {name: [] for name in writers}
    failures: list[str] = []
    go = threading.Barrier(len(writers))

    def writer(name: str) -> None:
        go.wait()
        for argv in writers[name]:
            res = subprocess.run([str(ECOPLAN), *argv], env=env, capture_output=True, text=True, timeout=300)
            if res.returncode != 0:
                failures.append(f"{name} {argv[:3]}: {res.returncode} {res.stderr[-500:]}")
                return
            answers[name].append(json.loads(res.stdout))

    threads = [threading.Thread(target=writer, args=(n,)) for n in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    return answers


def _counts(db: Path) -> dict[str, int]:
    tables = (
        "waste_actors", "waste_permits", "waste_approvals", "waste_manifests", "waste_manifest_lines",
        "waste_ledger", "risk_sources", "risk_targets", "risk_plans", "risk_incidents",
    )  # fmt: skip
    with Ecoplan(db, read_only=True) as ep:
        con = ep.catalog.con
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}  # type: ignore[index]


#: What the sample files hold (tests/waste/test_core_data.py; the risk files above).
EXPECTED = {
    "waste_actors": 4, "waste_permits": 2, "waste_approvals": 1, "waste_manifests": 3,
    "waste_manifest_lines": 4, "risk_sources": 3, "risk_targets": 3, "risk_plans": 2, "risk_incidents": 2,
}  # fmt: skip


def test_waste_and_risk_imports_at_once(initialised: Path, tmp_path: Path) -> None:
    db = tmp_path / "two.duckdb"
    shutil.copyfile(initialised, db)
    files = _files(tmp_path)
    ledger_rows = len(files["ledger"].read_text(encoding="utf-8").strip().splitlines()) - 1
    first = run_at_once(db, _writers(files))
    counts = _counts(db)
    assert {k: v for k, v in counts.items() if k != "waste_ledger"} == EXPECTED
    assert counts["waste_ledger"] == ledger_rows
    assert [a["rows_new"] for a in first["risk"][:3]] == [3, 3, 2]
    assert [a["incident_id"] for a in first["risk"][3:]] == [1, 2]
    with Ecoplan(db, read_only=True) as ep:
        assert ep.audit.verify().ok
        actions = [r["action"] for r in ep.audit.rows(ep_principal(), limit=None)]
        assert actions.count("risk.import") == 3 and actions.count("risk.incident.record") == 2
        assert actions.count("cli.command") == 10  # every command changed the store: one row each
    # again, at the same time (the last files of each): nothing new, nothing lost
    w = _writers(files)
    again = run_at_once(db, {"waste": w["waste"][3:], "risk": [w["risk"][0], w["risk"][3]]})
    assert _counts(db) == counts
    assert [a["rows_new"] for a in again["waste"]] == [0, 0]
    assert (again["risk"][0]["rows_new"], again["risk"][0]["rows_unchanged"]) == (0, 3)
    assert (again["risk"][1]["incident_id"], again["risk"][1]["recorded"]) == (1, False)
    with Ecoplan(db, read_only=True) as ep:
        assert ep.audit.verify().ok


def ep_principal() -> Any:
    from ecoplan.core.access import Principal

    return Principal.shell()


def test_waste_and_risk_through_one_app_in_two_threads(initialised: Path, tmp_path: Path) -> None:
    """The server's case: one app, two threads — one imports the waste files (half of them
    through a reader view), the other the risk registries. Every waste write runs as the
    app's single writer (``ecoplan.app.single_writer``): all land, once; the second round
    adds nothing."""
    db = tmp_path / "threads.duckdb"
    shutil.copyfile(initialised, db)
    f = _files(tmp_path)
    errors: list[str] = []
    kinds = ("actors", "permits", "approvals", "manifests", "ledger")
    with Ecoplan(db) as ep:

        def waste() -> None:
            try:
                for i in range(2):
                    for k in kinds:
                        if i % 2:
                            with ep.reader() as view:
                                view.waste.import_file(k, f[k])
                        else:
                            ep.waste.import_file(k, f[k])
            except Exception as exc:  # reported below
                errors.append(f"waste: {exc!r}")

        def risk() -> None:
            try:
                for _ in range(2):
                    for k in ("sources", "targets", "plans"):
                        ep.risk.load(k, [f[f"risk_{k}"]])
            except Exception as exc:  # reported below
                errors.append(f"risk: {exc!r}")

        threads = [threading.Thread(target=waste), threading.Thread(target=risk)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
    counts = _counts(db)
    ledger_rows = len(f["ledger"].read_text(encoding="utf-8").strip().splitlines()) - 1
    assert counts["waste_ledger"] == ledger_rows
    assert {k: v for k, v in counts.items() if k != "waste_ledger"} == {**EXPECTED, "risk_incidents": 0}

"""``ecoplan waste simulate`` and ``ecoplan waste alerts`` on a real store file: the
generated year's injected anomalies come back as the stored alerts, in JSON, CSV and
the table, filtered by rule and region; an unknown rule is a worded error."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    path = tmp_path / "w.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
    return str(path)


def _ok(args: list[str]) -> str:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output


def test_simulate_then_alerts(tmp_path: Path) -> None:
    db = _db(tmp_path)
    sim = json.loads(
        _ok(
            [
                "waste",
                "simulate",
                "--scale",
                "0.0005",
                "--seed",
                "5",
                "--per-rule",
                "2",
                "--format",
                "json",
                "--db",
                db,
            ]
        )
    )
    injected = {(r["rule"], r["subject"]) for r in sim["injected"]}
    assert sim["rows"]["waste_manifests"] == 2500 and len(injected) >= 2 * 15
    as_of = sim["as_of"]
    got: list[dict[str, Any]] = json.loads(
        _ok(["waste", "alerts", "--as-of", as_of, "--format", "json", "--db", db])
    )
    assert {(r["rule"], r["subject"]) for r in got} == injected
    assert all(r["evidence"] and r["source"] and r["name"] for r in got)
    with Ecoplan(Path(db)) as ep:
        stored = ep.waste.alerts()
    assert {(a["rule"], a["subject"]) for a in stored} == injected

    # one rule, the checks under it; stored alerts of the other rules are kept
    r5 = json.loads(
        _ok(["waste", "alerts", "--as-of", as_of, "--rule", "R5", "--format", "json", "--db", db])
    )
    assert {r["rule"] for r in r5} == {"R5.permit", "R5.code", "R5.capacity"}
    with Ecoplan(Path(db)) as ep:
        assert len(ep.waste.alerts()) == len(injected)

    # a province: only its alerts
    province = got[0]["region"][:2] + "0000"
    mine = json.loads(
        _ok(["waste", "alerts", "--as-of", as_of, "--region", province, "--format", "json", "--db", db])
    )
    assert mine and all(r["region"].startswith(province[:2]) for r in mine)
    assert len(mine) == sum(r["region"].startswith(province[:2]) for r in got)

    text = _ok(["waste", "alerts", "--as-of", as_of, "--rule", "R1", "--format", "csv", "--db", db])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["rule"] for r in rows} == {"R1"}
    assert json.loads(rows[0]["evidence"])["number"] == rows[0]["subject"]

    table = _ok(["waste", "alerts", "--as-of", as_of, "--rule", "R11", "--lang", "en", "--db", db])
    assert "More than one producer on one manifest" in table
    table = _ok(["waste", "alerts", "--as-of", as_of, "--rule", "R11", "--db", db])
    assert "一份联单多个移出人" in table


def test_unknown_rule_is_a_worded_error(tmp_path: Path) -> None:
    db = _db(tmp_path)
    res = runner.invoke(app, ["waste", "alerts", "--rule", "R99", "--db", db])
    assert res.exit_code == 1 and "R99" in res.output and "未知规则" in res.output
    res = runner.invoke(app, ["waste", "alerts", "--rule", "R99", "--lang", "en", "--db", db])
    assert res.exit_code == 1 and "unknown rule 'R99'" in res.output
    res = runner.invoke(app, ["waste", "alerts", "--as-of", "soon", "--db", db])
    assert res.exit_code == 1 and "soon" in res.output


def test_no_data_no_alerts(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert json.loads(_ok(["waste", "alerts", "--format", "json", "--db", db])) == []
    assert "没有预警" in _ok(["waste", "alerts", "--db", db])

"""The waste and risk part of ``make run`` (the lines ``docs/waste.md`` § Demo gives the
Makefile): a simulated 2025 manifest year (scale 0.001, seed 0), its alerts judged on
2026-04-30, the rates fed to the plans, and the bundled risk registry sample of 郑州
(:func:`ecoplan.risk.demo.demo_files`), on a real DuckDB file through the CLI.

Run twice, the second run adds nothing: no row in any waste or risk table, no manifest
event, no alert, no value revision. Then a real server shows them: the alert list, the
risk registry with its overdue plans, and Henan's region page with the waste section.
Slow (the demo's lines twice, over 10 s): ``make test-all`` runs it; the bundled risk
files are checked on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import serving
from typer.testing import CliRunner

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.risk.demo import demo_files
from ecoplan.web import register

#: The demo's waste commands (the Makefile's lines, without ``--db``).
WASTE = [
    ["waste", "simulate", "--year", "2025", "--scale", "0.001", "--seed", "0"],
    ["waste", "alerts", "--year", "2025", "--as-of", "2026-04-30 12:00", "--format", "csv"],
]
FEED = ["waste", "feed", "--year", "2025"]
TABLES = (
    "waste_actors",
    "waste_permits",
    "waste_approvals",
    "waste_manifests",
    "waste_manifest_lines",
    "waste_manifest_events",
    "waste_ledger",
    "waste_declarations",
    "waste_alerts",
    "risk_sources",
    "risk_targets",
    "risk_plans",
    "risk_rejects",
    "value_revisions",
)


def _cli(db: Path, args: list[str]) -> str:
    res = CliRunner().invoke(cli_app, [*args, "--db", str(db)])
    assert res.exit_code == 0, (args, res.output)
    return res.output


def _demo(db: Path) -> list[str]:
    """The demo's lines, as ``make run`` runs them; the outputs of the risk imports."""
    for args in WASTE:
        _cli(db, args)
    _cli(db, FEED)
    return [_cli(db, ["risk", "import", kind, str(path), "--lang", "en"]) for kind, path in demo_files()]


def _counts(db: Path) -> dict[str, int]:
    with Ecoplan(db) as ep:
        con = ep.catalog.con
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]


@pytest.fixture(scope="module")
def demo_db(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, dict[str, int], dict[str, int]]]:
    db = tmp_path_factory.mktemp("waste-demo") / "demo.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
    outputs = _demo(db)
    assert all("0 rejected" in o for o in outputs), outputs
    first = _counts(db)
    again = _demo(db)
    assert all(" 0 new, 0 revised" in o for o in again), again
    yield db, first, _counts(db)


@pytest.mark.slow
def test_running_the_demo_twice_adds_nothing(demo_db: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    _, first, second = demo_db
    assert second == first
    assert first["waste_manifests"] == 5000 and first["waste_alerts"] == 45  # the simulated year
    assert (first["risk_sources"], first["risk_targets"], first["risk_plans"], first["risk_rejects"]) == (
        6,
        7,
        5,
        0,
    )


@pytest.mark.slow
def test_the_demo_feeds_henan_and_its_pages_are_not_empty(
    demo_db: tuple[Path, dict[str, int], dict[str, int]],
) -> None:
    db, _, _ = demo_db
    with Ecoplan(db) as ep:
        rows = ep.catalog.value_rows("henan-14th-eco", "410000", "hazardous-waste-use-disposal")
    assert [(int(r["year"]), r["source"]) for r in rows] == [(2025, "pipeline waste")]
    assert 90.0 < float(rows[0]["value"]) <= 100.0  # the simulated ledgers: nearly all used or disposed of
    app = create_app(db)
    register(app)
    with serving(app) as url, httpx.Client(base_url=url, timeout=120) as client:
        alerts = client.get("/waste/alerts", params={"format": "json"}).json()
        assert alerts["total"] == 45 and alerts["alerts"]
        risk = client.get("/risk/", params={"format": "json", "as_of": "2026-12-01"}).json()
        assert len(risk["sources"]) == 6
        assert {p["plan_id"] for p in risk["plans_overdue"]} == {"ZZ-P002", "ZZ-P005"}  # due 2023, 2025
        page = client.get("/regions/410000", params={"lang": "en"})
        assert page.status_code == 200 and "section-failed" not in page.text
        waste = client.get("/regions/410000", params={"format": "json"}).json()["waste"]
        assert waste["rates"]["shipped"] == 143 and waste["manifests"]  # 郑州's producers
        en = client.get("/risk/", params={"lang": "en"})
        assert en.status_code == 200 and "ZZ-S005" in en.text


def test_the_bundled_risk_files_load_whole(ep: Ecoplan) -> None:
    """Every row of the risk sample is taken (no reject), names say it is an example."""
    got = {}
    for kind, path in demo_files():
        batch, res = ep.risk.load(kind, [str(path)])
        assert batch.rejects == [] and res.rows_new == res.rows_in, kind
        got[kind] = res.rows_in
    assert got == {"sources": 6, "targets": 7, "plans": 5}
    assert all("示例" in str(r["name"]) for r in (*ep.risk.sources(), *ep.risk.targets()))
    kinds = {str(t["kind"]) for t in ep.risk.targets()}
    assert kinds == {"school", "hospital", "drinking_water_intake", "residential"}

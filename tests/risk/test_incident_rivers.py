"""The river registry (issue #14 item 8): river reaches imported from CSV/GeoJSON with
reason-coded rejects, idempotent re-import, the reach each flows into; a recorded incident,
the CLI's ``--registry`` and the incident page find the drinking-water intakes downstream
on the registry's reaches. Real DuckDB files, the real CLI runner, a real server.

The network, in metres east/north of a point near Nanjing (the expected distances are
written out from it): the trunk R1 runs east along north = 0 from east 0 to 10 000; the
tributary R3 runs south along east = 2000 from north 3000 to north 300 — it ends 300 m
short of R1, beyond the 100 m a join is found by position, so it joins R1 (at east 2000)
only because the registry says it flows into R1. A spill at (2000, 2010) enters R3 at
north 2200 (the first point, every 25 m, within 200 m of the site, walking with the flow); the intake
W1 at (5000, 20) on R1 is 1900 m (to R3's end) + 3000 m (R1 from 2000 to 5000) = 4900 m
downstream; W0 on R1 upstream of the join and W2 on R3 upstream of the spill are not."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from tests.web.conftest import serving
from typer.testing import CliRunner

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.web import register

LON0, LAT0 = 118.80, 32.00
K = math.pi / 180 * 6_371_008.8


def ll(east: float, north: float) -> tuple[float, float]:
    return round(LON0 + east / (K * math.cos(math.radians(LAT0))), 7), round(LAT0 + north / K, 7)


def line(*pts: tuple[float, float]) -> str:
    return "; ".join(" ".join(str(v) for v in ll(e, n)) for e, n in pts)


RIVERS_CSV = "\n".join(
    [
        "river_id,name,downstream_id,length_m,coords",
        f'R1,秦淮河干流,,10000,"{line((0, 0), (5000, 0), (10000, 0))}"',
        f'R3,支流,R1,2700,"{line((2000, 3000), (2000, 300))}"',
        f'R4,坏河段,,,"{line((0, 0))}"',  # one vertex
        f'R5,无下游,R9,,"{line((0, 100), (100, 100))}"',  # R9 nowhere
        f'R1,重复,,,"{line((0, 0), (1, 1))}"',  # a repeated id
        f',无编号,,,"{line((0, 0), (1, 1))}"',
        f'R6,坏长度,,-3,"{line((0, 0), (1, 1))}"',
        f'R7,流入坏河段,R5,,"{line((0, 200), (100, 200))}"',  # into a rejected reach
    ]
)
TARGETS_CSV = "\n".join(
    [
        "target_id,name,kind,lon,lat",
        "W1,{},drinking_water_intake,{},{}".format("下游水厂取水口", *ll(5000, 20)),
        "W0,{},drinking_water_intake,{},{}".format("上游取水口", *ll(1000, 0)),
        "W2,{},drinking_water_intake,{},{}".format("支流上游取水口", *ll(2000, 2900)),
    ]
)
SITE = ll(2000, 2010)
INCIDENT: dict[str, Any] = {
    "time": "2025-06-01 09:30",
    "place": {"lon": SITE[0], "lat": SITE[1], "name": "支流岸边储罐"},
    "substance": "苯",
    "release": {"rate_g_s": 1, "height_m": 0},
    "weather": {"wind_m_s": 2, "wind_from_deg": 90, "stability": "D"},
    "loc": {"unit": "mg_m3", "red": 58, "orange": 5.8, "yellow": 1.5},
    "counts": {"poisoned": 0},
}


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("rivers")
    db = d / "init.duckdb"
    (d / "targets.csv").write_text(TARGETS_CSV + "\n", encoding="utf-8")
    with Ecoplan(db) as ep:
        ep.init()
        ep.risk.load("targets", [d / "targets.csv"])
    return db


@pytest.fixture
def ep(initialised: Path, tmp_path: Path) -> Iterator[Ecoplan]:
    db = tmp_path / "ep.duckdb"
    shutil.copyfile(initialised, db)
    with Ecoplan(db) as session:
        yield session


def _rivers_file(folder: Path, text: str = RIVERS_CSV) -> Path:
    path = folder / "rivers.csv"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_import_rejects_and_reimport(ep: Ecoplan, tmp_path: Path) -> None:
    path = _rivers_file(tmp_path)
    batch, res = ep.risk.load("rivers", [path])
    assert (res.rows_in, res.rows_new) == (8, 2)
    assert [(r["row"], r["field"], r["reason"]) for r in batch.rejects] == [
        (4, "coords", "bad_line"),
        (5, "downstream_id", "unknown_downstream"),
        (6, "river_id", "duplicate"),
        (7, "river_id", "missing"),
        (8, "length_m", "bad_number"),
        (9, "downstream_id", "unknown_downstream"),  # R7 flows into the rejected R5
    ]
    rows = {r["river_id"]: r for r in ep.risk.rivers()}
    assert set(rows) == {"R1", "R3"}
    assert (rows["R3"]["downstream_id"], rows["R3"]["length_m"]) == ("R1", 2700.0)
    assert rows["R1"]["coords"][0] == list(ll(0, 0)) and len(rows["R1"]["coords"]) == 3
    assert {r["reason"] for r in ep.risk.rejects("rivers")} == {"bad_line", "unknown_downstream", "duplicate",
                                                               "missing", "bad_number"}  # fmt: skip
    _, again = ep.risk.load("rivers", [path])
    assert (again.rows_new, again.rows_revised, again.rows_unchanged) == (0, 0, 2)
    changed = _rivers_file(tmp_path, RIVERS_CSV.replace("秦淮河干流", "秦淮河"))
    _, third = ep.risk.load("rivers", [changed])
    assert (third.rows_new, third.rows_revised, third.rows_unchanged) == (0, 1, 1)
    # a later file may name a stored reach as its downstream
    later = tmp_path / "later.geojson"
    coords = [list(ll(2500, 2500)), list(ll(2000, 2500))]
    feature = {"type": "Feature", "properties": {"id": "R8", "name": "新支流", "downstream_id": "R3"},
               "geometry": {"type": "LineString", "coordinates": coords}}  # fmt: skip
    later.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    _, fourth = ep.risk.load("rivers", [later])
    assert fourth.rows_new == 1 and len(ep.risk.rivers()) == 3


def test_a_recorded_incident_finds_the_intake_downstream(ep: Ecoplan, tmp_path: Path) -> None:
    ep.risk.load("rivers", [_rivers_file(tmp_path)])
    got = ep.risk.record_incident(INCIDENT, region="320100")
    down = got["result"]["intakes_downstream"]
    assert [(d["id"], d["river_id"]) for d in down] == [("W1", "R1")]
    assert abs(down[0]["along_river_m"] - 4900) < 10
    assert "drinking_water" in got["result"]["art4_hints"]


def test_without_the_registrys_join_nothing_is_downstream(ep: Ecoplan, tmp_path: Path) -> None:
    ep.risk.load("rivers", [_rivers_file(tmp_path, RIVERS_CSV.replace("\nR3,支流,R1,", "\nR3,支流,,"))])
    got = ep.risk.record_incident(INCIDENT, region="320100")
    assert got["result"]["intakes_downstream"] == []  # R3 ends 300 m from R1: no join by position


def test_cli_import_list_and_registry(initialised: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    shutil.copyfile(initialised, db)
    run = CliRunner().invoke
    r = run(
        cli_app,
        ["risk", "import", "rivers", str(_rivers_file(tmp_path)), "--db", str(db), "--format", "json"],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["rows_new"] == 2
    r = run(cli_app, ["risk", "rivers", "--db", str(db), "--format", "json"])
    assert [x["river_id"] for x in json.loads(r.output)] == ["R1", "R3"]
    r = run(cli_app, ["risk", "rivers", "--db", str(db), "--lang", "en"])
    assert "Flows into" in r.output and "秦淮河干流" in r.output
    f = tmp_path / "inc.yaml"
    f.write_text(yaml.safe_dump(INCIDENT, allow_unicode=True), encoding="utf-8")
    r = run(cli_app, ["risk", "incident", str(f), "--registry", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [d["id"] for d in json.loads(r.output)["intakes_downstream"]] == ["W1"]
    r = run(cli_app, ["risk", "rejects", "--kind", "rivers", "--db", str(db), "--format", "json"])
    assert len(json.loads(r.output)) == 6


def test_the_page_draws_the_reaches_and_lists_the_intake(initialised: Path, tmp_path: Path) -> None:
    db = tmp_path / "page.duckdb"
    shutil.copyfile(initialised, db)
    with Ecoplan(db) as ep:
        ep.risk.load("rivers", [_rivers_file(tmp_path)])
    app = create_app(db)
    register(app)
    q: dict[str, Any] = {"time": "2025-06-01T09:30", "lon": SITE[0], "lat": SITE[1], "rate": 1, "wind": 2,
                         "wind_from": 90, "stability": "D", "red": 58, "orange": 5.8, "yellow": 1.5,
                         "lang": "en"}  # fmt: skip
    with serving(app) as url:
        r = httpx.get(f"{url}/risk/incident", params=q, timeout=30)
    assert r.status_code == 200, r.text
    assert 'id="incident-intakes"' in r.text and "下游水厂取水口" in r.text
    assert r.text.count("<polyline") >= 2  # both reaches on the map

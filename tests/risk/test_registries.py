"""The risk registries on a real DuckDB file through ``ep``: imports from CSV, XLSX and
GeoJSON with reason-coded rejects, idempotent re-imports, plans overdue for review, a
recorded grading; the CLI through its runner; the API and the pages on a real server in
both languages; Hypothesis on the review rule and the readers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.risk.test_grade_cli import CASE_A
from tests.web.conftest import serving
from tests.web.test_language import visible_text
from typer.testing import CliRunner

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.words.purity import foreign
from ecoplan.risk.readers.enterprise import enterprise_from
from ecoplan.risk.readers.registry import read_registry
from ecoplan.risk.registries import add_years, plan_status
from ecoplan.risk.standards.hj941 import grade
from ecoplan.web import register

runner = CliRunner()

SOURCES = """\
企业编号,企业名称,统一社会信用代码,行政区划代码,经度,纬度,行业,风险等级
S1,甲化工有限公司,91320100MA1XXXXX1A,320100,118.80,32.05,化工,较大
S2,乙电镀厂,,320100,118.90,32.10,电镀,
S3,丙公司,,999999,118.0,32.0,,
S4,丁公司,,320100,200,32.0,,
S1,甲化工重复,,320100,118.8,32.05,,
S5,戊公司,,3201,118.8,32.05,,
S6,己公司,,320100,118.8,32.05,,特大
"""
PLANS = [
    ("预案编号", "企业编号", "预案名称", "备案编号", "备案日期", "回顾性评估日期", "修订日期"),
    ("P1", "S1", "甲化工突发环境事件应急预案", "320100-2020-001-M", dt.date(2020, 5, 1), None, None),
    ("P2", "S2", "乙电镀厂应急预案", "320100-2023-010-L", "2023-01-10", None, None),
    ("P3", "S9", "无主预案", None, "2022-01-01", None, None),
    ("P4", "S1", "甲化工二期预案", None, "2019-03-01", "2022-06-30", None),
    ("P5", "S2", "日期颠倒的预案", None, "2022-03-01", "2021-01-01", None),
    ("P6", "S2", "坏日期预案", None, "2022-13-01", None, None),
]


def _feature(props: dict[str, object], kind: str, coords: object) -> dict[str, object]:
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}


RING = [[118.80, 32.00], [118.82, 32.00], [118.82, 32.02], [118.80, 32.02], [118.80, 32.00]]
TARGETS = {
    "type": "FeatureCollection",
    "features": [
        _feature(
            {"id": "T1", "name": "第一中学", "kind": "school", "region": "320100"}, "Point", [118.81, 32.06]
        ),
        _feature({"id": "T2", "name": "北河取水口", "kind": "饮用水取水口"}, "Point", [118.85, 32.02]),
        _feature(
            {"id": "T3", "name": "新村小区", "kind": "residential", "population": 3200}, "Polygon", [RING]
        ),
        _feature({"id": "T4", "name": "坏点", "kind": "zoo"}, "Point", [118.8, 32.0]),
        _feature({"id": "T5", "name": "线", "kind": "other"}, "LineString", [[118.8, 32.0], [118.9, 32.1]]),
    ],
}


def write_files(d: Path) -> dict[str, Path]:
    (d / "sources.csv").write_text(SOURCES, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in PLANS:
        ws.append(list(row))
    wb.save(d / "plans.xlsx")
    (d / "targets.geojson").write_text(json.dumps(TARGETS, ensure_ascii=False), encoding="utf-8")
    return {"sources": d / "sources.csv", "plans": d / "plans.xlsx", "targets": d / "targets.geojson"}


def rejects(batch_rejects: list[dict[str, object]]) -> set[tuple[object, ...]]:
    return {(r["row"], r["field"], r["reason"]) for r in batch_rejects}


def test_imports_with_reason_coded_rejects_and_idempotence(ep: Ecoplan, tmp_path: Path) -> None:
    f = write_files(tmp_path)
    batch, res = ep.risk.load("sources", [f["sources"]])
    assert (res.rows_in, res.rows_new) == (7, 2)
    assert rejects(batch.rejects) == {
        (4, "region", "unknown_region"),
        (5, "lon", "bad_coordinate"),
        (6, "source_id", "duplicate"),
        (7, "region", "bad_region"),
        (8, "level", "bad_level"),
    }
    batch, res = ep.risk.load("targets", [f["targets"]])
    assert res.rows_new == 3 and rejects(batch.rejects) == {
        (4, "kind", "bad_kind"),
        (5, "geometry", "bad_geometry"),
    }
    batch, res = ep.risk.load("plans", [f["plans"]])
    assert res.rows_new == 3
    assert rejects(batch.rejects) == {
        (4, "source_id", "unknown_source"),
        (6, "reviewed_on", "date_order"),
        (7, "filed_on", "bad_date"),
    }
    # the stored rows
    s = {r["source_id"]: r for r in ep.risk.sources()}
    assert set(s) == {"S1", "S2"} and s["S1"]["level"] == "larger" and s["S2"]["level"] is None
    t = {r["id"]: r for r in ep.risk.targets()}
    assert t["T2"]["kind"] == "drinking_water_intake"
    assert (t["T3"]["lon"], t["T3"]["lat"]) == pytest.approx(
        (118.81, 32.01)
    )  # the ring's mean, closing vertex once
    assert len(t["T3"]["polygon"]) == 5 and t["T3"]["population"] == 3200
    assert [r["id"] for r in ep.risk.targets(kind="school")] == ["T1"]
    # re-importing the same files changes nothing; the rejects are kept once per file
    for kind in ("sources", "targets", "plans"):
        _, res = ep.risk.load(kind, [f[kind]])
        assert res.rows_new == res.rows_revised == 0 and res.rows_unchanged > 0
    assert len(ep.risk.rejects()) == 5 + 2 + 3
    assert {r["reason"] for r in ep.risk.rejects("plans")} == {"unknown_source", "date_order", "bad_date"}
    # a changed row is revised
    f["sources"].write_text(SOURCES.replace("乙电镀厂", "乙电镀有限公司"), encoding="utf-8")
    _, res = ep.risk.load("sources", [f["sources"]])
    assert (res.rows_new, res.rows_revised, res.rows_unchanged) == (0, 1, 1)


def test_plans_overdue_for_review(ep: Ecoplan, tmp_path: Path) -> None:
    f = write_files(tmp_path)
    for kind in ("sources", "plans"):
        ep.risk.load(kind, [f[kind]])
    plans = {p["plan_id"]: p for p in ep.risk.plans(as_of=dt.date(2025, 6, 1))}
    # P1 filed 2020-05-01 → due 2023-05-01, overdue by 762 days; P4 reviewed 2022-06-30 → due 2025-06-30
    assert (plans["P1"]["due"], plans["P1"]["overdue"], plans["P1"]["days_overdue"]) == (
        "2023-05-01",
        True,
        762,
    )
    assert (plans["P4"]["last"], plans["P4"]["due"], plans["P4"]["overdue"]) == (
        "2022-06-30",
        "2025-06-30",
        False,
    )
    assert (plans["P2"]["due"], plans["P2"]["overdue"]) == ("2026-01-10", False)
    assert [p["plan_id"] for p in ep.risk.plans(overdue=True, as_of=dt.date(2025, 6, 1))] == ["P1"]
    assert [p["plan_id"] for p in ep.risk.plans(overdue=True, as_of=dt.date(2026, 1, 11))] == [
        "P1",
        "P2",
        "P4",
    ]
    assert [
        p["plan_id"] for p in ep.risk.plans(overdue=True, as_of=dt.date(2023, 5, 1))
    ] == []  # due day: not late


def test_a_recorded_grading_is_kept_with_its_evidence(ep: Ecoplan, tmp_path: Path) -> None:
    import yaml

    f = write_files(tmp_path)
    ep.risk.load("sources", [f["sources"]])
    g = grade(enterprise_from(yaml.safe_load(CASE_A), "a.yaml"))
    ep.risk.record_grade("S2", g, dt.date(2025, 3, 1))
    src = ep.risk.source("S2")
    assert (src["level"], src["air_level"], src["water_level"]) == ("major", "major", "major")
    assert src["notation"] == "重大[重大-大气(Q2-M3-E2)+重大-水(Q2-M2-E1)]"
    assert src["graded_on"] == dt.date(2025, 3, 1)
    assert src["grade"]["air"]["m"] == 50 and len(src["grade"]["evidence"]) == len(g.evidence)
    # re-importing the register (no level for S2) keeps the recorded grading
    ep.risk.load("sources", [f["sources"]])
    assert ep.risk.source("S2")["grade"]["level"] == "major"
    assert [s["source_id"] for s in ep.risk.sources(level="major")] == ["S2"]
    assert [s["source_id"] for s in ep.risk.sources(region="320000")] == ["S1", "S2"]
    assert ep.risk.sources(region="110000") == []


def test_unknown_source_and_bad_files(ep: Ecoplan, tmp_path: Path) -> None:
    from ecoplan.core.errors import EcoplanError, NotFound

    with pytest.raises(NotFound):
        ep.risk.source("nope")
    with pytest.raises(EcoplanError, match="unsupported file type"):
        ep.risk.load("targets", [tmp_path / "x.txt"])
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(EcoplanError, match="not a GeoJSON FeatureCollection"):
        ep.risk.load("targets", [bad])
    assert ep.risk.targets() == []


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    st.one_of(st.none(), st.integers(0, 3000)),
    st.integers(-2000, 3000),
)
def test_review_rule(filed: dt.date, later: int | None, offset: int) -> None:
    reviewed = None if later is None else filed + dt.timedelta(days=later)
    last = reviewed or filed
    due = add_years(last, 3)
    assert due.year == last.year + 3 and (due.month, due.day) in ((last.month, last.day), (2, 28))
    st_ = plan_status({"filed_on": filed, "reviewed_on": reviewed}, due + dt.timedelta(days=offset))
    assert (st_.last, st_.due, st_.overdue, st_.days_overdue) == (last, due, offset > 0, max(offset, 0))


cell = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-1000, 1000),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cell, cell, cell, cell, cell), max_size=12))
def test_the_reader_takes_or_rejects_every_row(tmp_path: Path, rows: list[tuple[object, ...]]) -> None:
    """Any cells: every row is either read whole or rejected with a known reason."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["target_id", "name", "kind", "lon", "lat"])
    for r in rows:
        ws.append([None if isinstance(c, float) and c != c else c for c in r])
    p = tmp_path / "t.xlsx"
    wb.save(p)
    batch = read_registry("targets", [p])
    nonempty = sum(
        1 for r in rows if any(c not in (None, "") and not (isinstance(c, float) and c != c) for c in r)
    )
    assert len(batch.rows) + len(batch.rejects) == nonempty
    for got in batch.rows:
        assert -180 <= got["lon"] <= 180 and -90 <= got["lat"] <= 90 and got["name"] and got["kind"]


# -- the CLI ---------------------------------------------------------------------------


def _ok(args: list[str]) -> str:
    res = runner.invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_the_commands(db_path: Path, tmp_path: Path) -> None:
    with Ecoplan(db_path) as ep:
        ep.init()
    db = str(db_path)
    f = write_files(tmp_path)
    out = _ok(["risk", "import", "sources", str(f["sources"]), "--db", db])
    assert "读入 7 行，新增 2，更新 0，未变 0，拒收 5" in out and "经纬度超出范围" in out
    out = _ok(["risk", "import", "targets", str(f["targets"]), "--db", db, "--lang", "en"])
    assert "3 new" in out and "unknown target kind" in out
    d = json.loads(_ok(["risk", "import", "plans", str(f["plans"]), "--db", db, "--format", "json"]))
    assert d["rows_new"] == 3 and {r["reason"] for r in d["rejected"]} == {
        "unknown_source",
        "date_order",
        "bad_date",
    }
    rows = json.loads(
        _ok(["risk", "plans", "--overdue", "--as-of", "2025-06-01", "--db", db, "--format", "json"])
    )
    assert [r["plan_id"] for r in rows] == ["P1"]
    out = _ok(["risk", "plans", "--overdue", "--as-of", "2025-06-01", "--db", db, "--lang", "en"])
    assert "Review due" in out and "2023-05-01" in out
    case = tmp_path / "a.yaml"
    case.write_text(CASE_A, encoding="utf-8")
    out = _ok(["risk", "grade", str(case), "--source", "S2", "--graded-on", "2025-03-01", "--db", db])
    assert "已记录风险源 S2 的等级：重大" in out
    rows = json.loads(_ok(["risk", "sources", "--level", "major", "--db", db, "--format", "json"]))
    assert [(r["source_id"], r["graded_on"]) for r in rows] == [("S2", "2025-03-01")]
    out = _ok(["risk", "targets", "--db", db, "--format", "csv"])
    assert out.splitlines()[0].startswith("target_id,name,kind") and len(out.splitlines()) == 4
    res = runner.invoke(cli_app, ["risk", "grade", str(case), "--source", "S9", "--db", db, "--lang", "en"])
    assert res.exit_code == 1 and "no risk source S9" in res.stderr
    res = runner.invoke(cli_app, ["risk", "sources", "--level", "huge", "--db", db, "--lang", "en"])
    assert res.exit_code == 1 and "invalid level huge" in res.stderr
    out = _ok(["risk", "rejects", "--kind", "targets", "--db", db, "--lang", "en"])
    assert "field kind (zoo): unknown target kind" in out


# -- the API and the pages on a real server ---------------------------------------------


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import yaml

    d = tmp_path_factory.mktemp("risk-web")
    f = write_files(d)
    with Ecoplan(d / "w.duckdb") as ep:
        ep.init()
        for kind in ("sources", "targets", "plans"):
            ep.risk.load(kind, [f[kind]])
        ep.risk.record_grade(
            "S2", grade(enterprise_from(yaml.safe_load(CASE_A), "a.yaml")), dt.date(2025, 3, 1)
        )
    app = create_app(d / "w.duckdb")
    register(app)
    with serving(app) as url:
        yield url


def test_the_api(base: str) -> None:
    r = httpx.get(f"{base}/api/v1/risk/sources", timeout=60)
    assert r.status_code == 200 and [s["source_id"] for s in r.json()["items"]] == ["S1", "S2"]
    r = httpx.get(f"{base}/api/v1/risk/sources/S2", timeout=60)
    d = r.json()
    assert d["grade"]["air"]["e"] == "E2" and d["plans"][0]["plan_id"] == "P2"
    assert httpx.get(f"{base}/api/v1/risk/sources/S9", timeout=60).status_code == 404
    r = httpx.get(f"{base}/api/v1/risk/plans", params={"overdue": "true", "as_of": "2025-06-01"}, timeout=60)
    assert [p["plan_id"] for p in r.json()["items"]] == ["P1"]
    r = httpx.get(f"{base}/api/v1/risk/targets", params={"kind": "drinking_water_intake"}, timeout=60)
    assert [t["id"] for t in r.json()["items"]] == ["T2"]
    r = httpx.get(f"{base}/api/v1/risk/targets", params={"format": "csv"}, timeout=60)
    assert r.status_code == 200 and "新村小区" in r.text and "[[118.8, 32.0]" in r.text
    r = httpx.get(f"{base}/api/v1/risk/rejects", params={"kind": "sources"}, timeout=60)
    assert len(r.json()["items"]) == 5
    assert httpx.get(f"{base}/api/v1/risk/sources", params={"level": "huge"}, timeout=60).status_code == 422


NAMES = {
    "甲化工有限公司",
    "乙电镀厂",
    "甲化工突发环境事件应急预案",
    "乙电镀厂应急预案",
    "液氯",
    "盐酸",
    "氯化工段",
    "精馏",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pages(base: str, lang: str) -> None:
    r = httpx.get(f"{base}/risk/", params={"lang": lang, "as_of": "2025-06-01"}, timeout=60)
    assert r.status_code == 200
    html = r.text
    assert 'id="risk-sources"' in html and 'id="risk-plans"' in html
    assert html.index("/risk/sources/S2") < html.index("/risk/sources/S1?")  # major first
    assert ("逾期应急预案 1 份" if lang == "zh" else "1 emergency plans overdue") in html
    assert foreign(visible_text(html, lang), lang, allowed=NAMES) == []
    j = httpx.get(
        f"{base}/risk/", params={"lang": lang, "as_of": "2025-06-01", "format": "json"}, timeout=60
    ).json()
    assert [p["plan_id"] for p in j["plans_overdue"]] == ["P1"] and j["summary"]["by_level"]["major"] == 1
    r = httpx.get(f"{base}/risk/sources/S2", params={"lang": lang}, timeout=60)
    assert r.status_code == 200 and 'id="risk-evidence"' in r.text
    assert ("E1 矩阵 Q2×M2 → 重大" if lang == "zh" else "E1 matrix, Q2×M2 → major") in r.text
    assert foreign(visible_text(r.text, lang), lang, allowed=NAMES) == []
    home = httpx.get(f"{base}/", params={"lang": lang}, timeout=60).text
    assert 'id="risk"' in home
    assert httpx.get(f"{base}/risk/sources/S9", params={"lang": lang}, timeout=60).status_code == 404


@pytest.mark.browser
def test_the_risk_page_in_chromium(base: str) -> None:
    """The list in headless Chromium: the major source first, a click through to its
    grading (17 steps), the language switch, no console errors; screenshots kept."""
    import shutil

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    shots = Path(__file__).resolve().parents[2] / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/risk/?lang=zh&as_of=2025-06-01", wait_until="load")
        first = page.locator("#risk-sources tr").nth(1)
        assert first.locator("td").nth(3).inner_text().strip() == "重大"
        assert page.locator("#risk-plans tr").count() == 2
        page.screenshot(path=str(shots / "risk-zh.png"), full_page=True)
        first.locator("a").click()
        page.wait_for_url("**/risk/sources/S2**")
        assert page.locator("#risk-evidence tr").count() == 1 + 17
        page.click("#lang-switch")
        page.wait_for_url("**lang=en**")
        assert page.locator("#risk-level").inner_text() == "Risk level: major"
        page.screenshot(path=str(shots / "risk-source-en.png"), full_page=True)
        b.close()
    assert errors == []


def _counts(db: Path) -> tuple[int, int]:
    with Ecoplan(db) as ep:
        return len(ep.risk.targets()), len(ep.risk.rejects())


def test_a_fault_before_the_commit_stores_nothing(ep: Ecoplan, tmp_path: Path) -> None:
    from ecoplan.store import faults

    f = write_files(tmp_path)
    with faults.armed("risk.before_commit"), pytest.raises(faults.InjectedFault):
        ep.risk.load("targets", [f["targets"]])
    assert ep.risk.targets() == [] and ep.risk.rejects() == [] and ep.risk.state()[1:] == (0, 0)
    _, res = ep.risk.load("targets", [f["targets"]])
    assert res.rows_new == 3


@pytest.mark.parametrize(("point", "stored"), [("risk.before_commit", 0), ("risk.after_commit", 3)])
def test_kill_9_at_each_point(tmp_path: Path, point: str, stored: int) -> None:
    import os
    import subprocess
    import sys

    from ecoplan.store import faults

    db = tmp_path / "k.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
    f = write_files(tmp_path)
    exe = Path(sys.executable).with_name("ecoplan")
    env = {**os.environ, "ECOPLAN_FAULT": f"{point}:exit", "ECOPLAN_DB": str(db)}
    res = subprocess.run(
        [str(exe), "risk", "import", "targets", str(f["targets"])], env=env, capture_output=True, timeout=120
    )
    assert res.returncode == faults.EXIT_CODE, res.stderr
    assert _counts(db)[0] == stored
    with Ecoplan(db) as ep:
        _, r = ep.risk.load("targets", [f["targets"]])
        assert (r.rows_new, r.rows_unchanged) == (3 - stored, stored)

"""Materialised assessments, decomposed targets, rankings and warnings on a real DuckDB file."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from tests.conftest import write_csv

from ecoplan.app import Ecoplan
from ecoplan.assess.scoring import load_rules, score
from ecoplan.core.errors import InputFileError, OutOfScope
from ecoplan.demo.synthetic import synthetic_values

PLAN = "cn-13th-eco"
PROVINCES = ["110000", "120000", "130000", "310000", "440000"]
CITIES = ["130100", "440100", "440700"]


@pytest.fixture
def filled(ep: Ecoplan, tmp_path: Path) -> Ecoplan:
    plan = ep.catalog.plan(PLAN)
    frame = synthetic_values(plan, PROVINCES + CITIES, seed=5, share=1.0, present=0.9)
    path = tmp_path / "synthetic.csv"
    frame.to_csv(path, index=False)
    ep.import_values(path)
    return ep


def stored(ep: Ecoplan, region: str, year: int) -> pd.DataFrame:
    rows = ep.catalog.assessment_rows(PLAN, region=region, year=year)
    return rows.set_index("indicator_id")


def test_stored_rows_equal_the_on_demand_assessment(filled: Ecoplan) -> None:
    for region in ["000000", *PROVINCES, *CITIES]:
        for year in (2016, 2018, 2020):
            rows = stored(filled, region, year)
            pa = filled.assess(PLAN, region, year)
            assert len(pa.indicators) == 26
            for a in pa.indicators:
                if a.indicator.id not in rows.index:  # sparse: a missing row is "no value"
                    assert a.value is None and a.status.value == "insufficient_data"
                    continue
                r = rows.loc[a.indicator.id]
                assert r["status"] == a.status.value and r["verdict"] == a.verdict.value
                assert (r["warning"] if isinstance(r["warning"], str) else None) == (
                    a.warning.level if a.warning else None
                )
                assert r["target_source"] == a.target_source
                b = r["baseline_value"]
                assert (a.baseline_value is None and (b is None or math.isnan(b))) or b == pytest.approx(
                    a.baseline_value
                )


def test_a_revised_value_refreshes_that_region_only(filled: Ecoplan, tmp_path: Path) -> None:
    before_other = stored(filled, "120000", 2018)
    f = write_csv(
        tmp_path / "rev.csv",
        ["plan,indicator,region,year,value", f"{PLAN},air-good-days,110000,2018,99.0"],
    )
    res = filled.import_values(f)
    assert res.changed == 1
    after = stored(filled, "110000", 2018).loc["air-good-days"]
    assert after["value"] == 99.0 and after["status"] == "achieved"
    pd.testing.assert_frame_equal(stored(filled, "120000", 2018), before_other)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "yaml"])
def test_decomposed_targets_change_verdicts_and_removing_them_restores_inheritance(
    filled: Ecoplan, tmp_path: Path, kind: str
) -> None:
    rows = [
        ("air-good-days", "110000", 2020, "30"),
        ("air-good-days", "120000", 2020, "99"),
    ]
    path = tmp_path / f"dec.{kind}"
    if kind == "csv":
        write_csv(
            path,
            ["plan,indicator,region,year,target,source"]
            + [f"{PLAN},{i},{r},{y},{t},方案" for i, r, y, t in rows],
        )
    elif kind == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["plan", "indicator", "region", "year", "target", "source"])
        for i, r, y, t in rows:
            ws.append([PLAN, i, r, y, t, "方案"])
        wb.save(path)
    else:
        lines = [f"plan: {PLAN}", "source: 方案", "targets:"]
        lines += [f"  - {{indicator: {i}, region: '{r}', year: {y}, target: '{t}'}}" for i, r, y, t in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = {r: stored(filled, r, 2020).loc["air-good-days"] for r in ("110000", "120000")}
    res = filled.import_decompositions(path)
    assert (res.inserted, res.unchanged) == (2, 0)
    for region, expr in (("110000", 30.0), ("120000", 99.0)):
        row = stored(filled, region, 2020).loc["air-good-days"]
        assert row["target_source"] == "decomposed" and row["target_value"] == expr
        pa = filled.assess(PLAN, region, 2020)
        assert (
            next(a for a in pa.indicators if a.indicator.id == "air-good-days").target_source == "decomposed"
        )
    assert stored(filled, "110000", 2020).loc["air-good-days"]["verdict"] == "met"  # 30 is easy
    assert stored(filled, "120000", 2020).loc["air-good-days"]["verdict"] == "not_met"  # 99 is not
    again = filled.import_decompositions(path)
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, 2)
    assert filled.remove_decompositions(path) == 2
    for region in ("110000", "120000"):
        row = stored(filled, region, 2020).loc["air-good-days"]
        assert row["target_source"] == "inherited"
        assert row["status"] == before[region]["status"] and row["target_value"] == 80.0


def test_a_bad_decomposition_file_names_each_row_and_stores_nothing(ep: Ecoplan, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "bad.csv",
        [
            "plan,indicator,region,year,target",
            f"{PLAN},air-good-days,11,2020,56",  # region not six digits
            f"{PLAN},air-good-days,000000,2020,56",  # the plan's own region
            f"{PLAN},no-such,110000,2020,56",  # unknown indicator
            f"{PLAN},air-good-days,110000,2020.5,56",  # not a whole year
            f"{PLAN},air-good-days,110000,2025,56",  # outside the period
            f"{PLAN},air-good-days,120000,2020,大约56",  # not in the grammar
            "hebei-14th-eco,air-good-days,110000,2025,80",  # outside Hebei
        ],
    )
    with pytest.raises(InputFileError) as info:
        ep.import_decompositions(f)
    text = str(info.value)
    for row in range(2, 9):
        assert f"row {row}" in text, text
    assert (
        "own region" in text and "outside the plan period" in text and "outside the plan's territory" in text
    )
    assert "did you mean 110000 北京市?" in text and "not a whole year" in text
    assert ep.catalog.decomposition_rows() == []


def test_rankings_compare_regions_of_one_level(filled: Ecoplan) -> None:
    provinces = filled.rank(PLAN, 2019)
    assert {r.level for r in provinces} == {"province"}
    assert {r.region for r in provinces} == set(PROVINCES)
    cities = filled.rank(PLAN, 2019, level="prefecture")
    assert {r.region for r in cities} == set(CITIES)
    ranked = [r for r in provinces if r.rank is not None]
    assert len(ranked) >= 3
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(ranked))  # type: ignore[operator]
    rules = load_rules()
    for r in provinces:  # the vectorised scores are the scores of the single-region assessment
        card = score(filled.assess(PLAN, r.region, 2019), rules)
        assert (card.score is None) == (r.score is None)
        if card.score is not None:
            assert r.score == pytest.approx(round(card.score, 2)) and r.grade == card.grade.zh  # type: ignore[union-attr]


def test_warnings_are_those_of_the_region_pages_sorted_by_severity(filled: Ecoplan) -> None:
    items = filled.warnings(PLAN, 2018).items
    assert items and {w["year"] for w in items} == {2018}
    order = {"red": 0, "amber": 1, "watch": 2}
    keys = [(order[w["level"]], w["severity"] != "high") for w in items]
    assert keys == sorted(keys)
    for region in PROVINCES + CITIES:
        page = filled.assess(PLAN, region, 2018).to_dict()["warnings"]
        mine = [w for w in items if w["region"] == region]
        assert sorted((w["indicator"], w["level"], w["reason"]) for w in page) == sorted(
            (w["indicator"], w["level"], w["reason"]) for w in mine
        )
    latest = filled.warnings(PLAN).items
    assert latest and all(w["year"] == filled.catalog.latest_assessed_year(PLAN, w["region"]) for w in latest)


def test_years_and_regions_outside_the_plan_are_errors(ep: Ecoplan) -> None:
    with pytest.raises(OutOfScope, match="2015 to 2020"):
        ep.assess(PLAN, "110000", 2021)
    with pytest.raises(OutOfScope, match="territory"):
        ep.assess("hebei-14th-eco", "110000", 2022)
    with pytest.raises(OutOfScope):
        ep.rank(PLAN, 2014)


def test_an_older_store_gets_its_assessments_on_open(db_path: Path, tmp_path: Path) -> None:
    with Ecoplan(db_path) as ep:
        ep.init()
        f = write_csv(
            tmp_path / "v.csv",
            [
                "plan,indicator,region,year,value",
                f"{PLAN},air-good-days,110000,2015,51.1",
                f"{PLAN},air-good-days,110000,2016,54.0",
            ],
        )
        ep.import_values(f)
    con = duckdb.connect(str(db_path))
    con.execute("DROP TABLE assessments; DROP TABLE assessment_runs; DROP TABLE target_decompositions")
    for table in (  # and what version 5 added
        "users", "api_tokens", "web_sessions", "submissions", "submission_events", "evidence_files",
        "audit_log", "subscriptions", "notification_log", "plan_versions",
    ):  # fmt: skip
        con.execute(f"DROP TABLE {table}")
    con.execute("ALTER TABLE value_revisions DROP COLUMN reviewer")
    con.execute("ALTER TABLE value_revisions DROP COLUMN submission_id")
    for column in ("investment", "milestone", "reviewer"):
        con.execute(f"ALTER TABLE project_progress DROP COLUMN {column}")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    with Ecoplan(db_path) as ep:
        row = stored(ep, "110000", 2016).loc["air-good-days"]
        assert row["baseline_value"] == 51.1 and row["status"] == "at_risk"


def test_a_decomposition_of_the_parent_plan_resolves_a_child_plans_handed_down_target(
    ep: Ecoplan, tmp_path: Path
) -> None:
    # Jiangmen's COD target is "控制在省下达的指标内", linked to the national plan's indicator
    jm = "jiangmen-13th-eco"
    before = ep.assess(jm, "440700", 2020)
    cod = next(a for a in before.indicators if a.indicator.id == "emission-cod")
    assert cod.status.value == "not_assessable" and "ecoplan targets import" in cod.reason.en
    rows = ep.catalog.assessment_rows(jm, region="440700", year=2020).set_index("indicator_id")
    assert rows.loc["emission-cod"]["status"] == "not_assessable"
    f = write_csv(
        tmp_path / "gd.csv",
        ["plan,indicator,region,year,target,source", f"{PLAN},emission-cod,440700,2020,〔9.96〕,粤环分解"],
    )
    ep.import_decompositions(f)
    after = next(a for a in ep.assess(jm, "440700", 2020).indicators if a.indicator.id == "emission-cod")
    assert after.status.value == "insufficient_data"  # resolved: now it only lacks a value
    assert after.target is not None and after.target.target.cumulative == 9.96
    # the child plan's stored rows follow: no longer not assessable, only without a value (not stored)
    stored = ep.catalog.assessment_rows(jm, region="440700", year=2020).set_index("indicator_id")
    assert "emission-cod" not in stored.index


def test_a_pipeline_value_of_an_unpublished_method_is_dropped_on_both_paths(
    ep: Ecoplan, tmp_path: Path
) -> None:
    """优良水体比例 (15th FYP) fed 91.4 by a pipeline (the class Ⅰ–Ⅲ share): neither the
    stored rows nor the on-demand assessment take it; an entered value is taken by both."""
    f = write_csv(
        tmp_path / "v.csv",
        [
            "plan,indicator,region,year,value,source",
            "cn-15th-outline,water-good-bodies,110000,2026,91.4,pipeline water",
            "cn-15th-outline,water-good-bodies,000000,2026,82.0,中国生态环境状况公报",
        ],
    )
    ep.import_values(f)
    for region, value, status in (("110000", None, "not_assessable"), ("000000", 82.0, "on_track")):
        a = next(
            i
            for i in ep.assess("cn-15th-outline", region, 2026).indicators
            if i.indicator.id == "water-good-bodies"
        )
        assert (a.value, a.status.value) == (value, status)
        rows = ep.catalog.assessment_rows("cn-15th-outline", region=region, year=2026).set_index(
            "indicator_id"
        )
        if value is None:  # sparse: no row, or a row without the value
            assert "water-good-bodies" not in rows.index or pd.isna(rows.loc["water-good-bodies", "value"])
        else:
            assert rows.loc["water-good-bodies", "value"] == value
            assert rows.loc["water-good-bodies", "status"] == status

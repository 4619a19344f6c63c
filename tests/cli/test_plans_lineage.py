"""``ecoplan plans lineage`` and ``ecoplan plans check`` through Typer's runner, on a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.plans.test_lineage import plan14, plan15, store_periods
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.core.errors import InputFileError
from ecoplan.core.words import word

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("cli-lineage")
    path = tmp / "cli.duckdb"
    with Ecoplan(path) as ep:
        ep.init()
        store_periods(ep, tmp)
    return str(path)


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output


def test_json_names_both_sources_and_the_verdicts(db: str) -> None:
    code, output = _run("plans", "lineage", "t15-eco", "--format", "json", "--db", db)
    assert code == 0, output
    d = json.loads(output)
    assert (d["plan"], d["region"], d["as_of"]) == ("t15-eco", "000000", None)
    assert d["comparable_baseline"] == {
        "rule": "fixed-stations",
        "note_zh": "2025年按固定点位重算",
        "note_en": "2025 re-computed on fixed stations",
    }
    got = {x["indicator"]: (x["verdict"], x["end"]["value"], x["baseline"]["value"]) for x in d["links"]}
    assert got == {
        "pm25": ("not_comparable", 20.0, 28.0),
        "good-water": ("not_comparable", 91.4, 80.0),
        "good-days": ("consistent", 89.3, 89.3),
        "forest": ("differs", 25.09, 25.1),
    }
    assert d["links"][1]["end"]["source"] == "S14 water bulletin"


def test_region_option(db: str) -> None:
    code, output = _run("plans", "lineage", "t15-eco", "--region", "110000", "--format", "json", "--db", db)
    assert code == 0, output
    days = next(x for x in json.loads(output)["links"] if x["indicator"] == "good-days")
    assert (days["end"]["value"], days["baseline"]["value"], days["verdict"]) == (79.0, 80.1, "differs")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_in_each_language(db: str, lang: str) -> None:
    code, output = _run("plans", "lineage", "t15-eco", "--db", db, "--lang", lang, "--region", "000000")
    assert code == 0, output
    flat = "".join(output.split())  # the table wraps cells over lines
    for key in ("header.lineage.predecessor", "header.lineage.end", "header.lineage.baseline"):
        assert "".join(word(key, lang).split()) in flat
    for verdict in ("not_comparable", "consistent", "differs"):
        assert "".join(word(f"verdict.lineage.{verdict}", lang).split()) in flat
    assert "S14PM2.5communiqué" in flat and "S14forestcensus" in flat  # the 14th end's sources
    assert "t15.txt" in flat  # the 15th baseline's file
    rule = word("reason.lineage.rule.fixed_stations", lang)
    assert f"{word('label.lineage.comparable_baseline', lang)}: {rule}" in output


def test_plan_without_links(db: str) -> None:
    code, output = _run("plans", "lineage", "t14-eco", "--db", db, "--lang", "en")
    assert code == 0, output
    assert word("cli.lineage.none", "en", plan="t14-eco") in output


def test_unknown_plan_fails_clearly(db: str) -> None:
    code, output = _run("plans", "lineage", "t16-eco", "--db", db, "--lang", "en")
    assert code == 1
    assert "unknown plan 't16-eco'" in output


def test_check_sound_and_broken(db: str, tmp_path: Path) -> None:
    code, output = _run("plans", "check", "--db", db, "--lang", "en")
    assert code == 0, output
    assert "the cross-period links of" in output and "plans are sound" in output
    bad = plan15()
    bad["id"] = "t15-bad"
    bad["indicators"][0]["code"] = "t.air.pm25_decline"  # a redefined indicator keeping the old series
    path = tmp_path / "t15-bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    fresh = tmp_path / "fresh.duckdb"
    with Ecoplan(fresh) as ep:
        ep.init()
        p14 = tmp_path / "t14.yaml"
        p14.write_text(yaml.safe_dump(plan14(), allow_unicode=True), encoding="utf-8")
        # successor first (its predecessor not stored yet: stored, reported), then the predecessor
        ep.import_plan(path)
        ep.import_plan(p14)
        # with the predecessor stored, the same file is refused outright, nothing stored
        again = tmp_path / "t15-bad2.yaml"
        bad["id"] = "t15-bad2"
        again.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
        with pytest.raises(InputFileError, match=r"t15-bad2\.yaml: 1 problem") as info:
            ep.import_plan(again)
        assert info.value.problems[0].field == "indicators[0].predecessor"
        assert "t.air.pm25_decline" in str(info.value)
        assert "t15-bad2" not in {p.id for p in ep.plans()}
    code, output = _run("plans", "check", "t15-bad", "--db", str(fresh), "--lang", "zh")
    assert code == 1
    assert word("cli.lineage.check_problems", "zh", n=1) in output
    flat = "".join(output.split())
    assert "规划t15-bad，字段indicators[0].predecessor，指标pm25" in flat
    assert "共用`t.air.pm25_decline`" in flat


def test_bad_as_of_fails_clearly(db: str) -> None:
    code, output = _run("plans", "lineage", "t15-eco", "--as-of", "yesterday", "--db", db, "--lang", "en")
    assert code == 1
    assert "as_of must be a date YYYY-MM-DD or an ISO timestamp (got yesterday)" in output


def test_import_warns_of_a_link_to_a_plan_not_stored(tmp_path: Path) -> None:
    fresh = str(tmp_path / "fresh.duckdb")
    assert _run("init", "--db", fresh)[0] == 0
    path = tmp_path / "t15.yaml"
    path.write_text(yaml.safe_dump(plan15(), allow_unicode=True), encoding="utf-8")
    code, output = _run("plans", "import", str(path), "--db", fresh, "--lang", "en")
    assert code == 0, output  # stored: the predecessor may come later
    assert (
        "plan t15-eco, field indicators[0].predecessor, indicator pm25: "
        "predecessor plan t14-eco is not loaded" in (" ".join(output.split()))
    )
    p14 = tmp_path / "t14.yaml"
    p14.write_text(yaml.safe_dump(plan14(), allow_unicode=True), encoding="utf-8")
    code, output = _run("plans", "import", str(p14), "--db", fresh, "--lang", "en")
    assert code == 0 and "predecessor" not in output
    assert _run("plans", "check", "--db", fresh)[0] == 0

"""``ecoplan water load|rejects|classify|evaluate|rank|feed|status`` on the real CNEMC
snapshots, in zh and en: the catalog's words, nothing of the other language (names
quoted from the data — stations, regions, plans — aside)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import SHARED
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.core.words import word
from ecoplan.core.words.purity import foreign

CNEMC = SHARED / "data" / "water" / "cnemc_autostation_snapshots_2025-11_2026-02.csv"
runner = CliRunner()


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("water-cli") / "w.duckdb")
    _run("init", "--db", path)
    out = _run("water", "load", str(CNEMC), "--format", "cnemc-snapshot", "--db", path, "--lang", "en")
    assert word("water.reason.unparseable", "en") in out
    return path


@pytest.fixture(scope="module")
def quoted(db: str) -> list[str]:
    with Ecoplan(db) as ep:
        st = ep.water.stations()
        names = [str(n) for c in ("name", "basin", "river", "province", "city") for n in st[c].dropna()]
        names += [r.name_zh for r in ep.catalog.regions()]
        for p in ep.plans():
            names += [str(p.title.get("zh")), *(str(i.name.get("zh")) for i in p.indicators)]
    return sorted(set(names), key=len, reverse=True)


def test_load_is_idempotent_and_reports_json(db: str) -> None:
    got = json.loads(
        _run("water", "load", str(CNEMC), "--format", "cnemc-snapshot", "--db", db, "--output-format", "json")
    )
    assert got["added"] == 0 and got["revised"] == 0 and got["unchanged"] > 79000
    assert got["rejected"]["unparseable"] > 0


def test_feed_then_assess_shows_pipeline_water_for_hebei_2025(db: str) -> None:
    _run("water", "feed", "--db", db)
    out = json.loads(_run("assess", "hebei-14th-eco", "--db", db, "--year", "2025", "--format", "json"))
    text = json.dumps(out, ensure_ascii=False)
    assert '"value_source": "pipeline water"' in text
    with Ecoplan(db) as ep:
        obs = ep.catalog.observations("hebei-14th-eco", "130000")["water-grade-i-iii"]
        assert [o.source for o in obs if o.year == 2025] == ["pipeline water"]
        assert "1 of 12 months (11)" in (next(o.note for o in obs if o.year == 2025) or "")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "args",
    [
        ("water", "evaluate", "--year", "2025"),
        ("water", "evaluate", "--year", "2025", "--by", "basin"),
        ("water", "rank", "--year", "2025"),
        ("water", "classify", "--year", "2025", "--region", "130000"),
        ("water", "status"),
        ("water", "feed", "--dry-run"),
        ("water", "load", str(CNEMC), "--format", "cnemc-snapshot"),
        ("water", "trophic", "--year", "2025", "--min-params", "4"),
    ],
)
def test_language_purity(db: str, quoted: list[str], args: tuple[str, ...], lang: str) -> None:
    out = _run(*args, "--db", db, "--lang", lang)
    assert not foreign(out, lang, allowed=quoted), foreign(out, lang, allowed=quoted)[:10]


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_formats(db: str, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"s.{fmt}"
    _run("water", "evaluate", "--year", "2025", "--db", db, "--format", fmt, "--output", str(target))
    df = {"json": pd.read_json, "csv": pd.read_csv, "parquet": pd.read_parquet}[fmt](target)
    assert {"key", "n_sections", "share_i_iii_pct", "share_worse_v_pct", "grade"} <= set(df.columns)
    assert (df["n_sections"] > 0).all()


def test_rejects_listed_with_file_row_field(db: str) -> None:
    got = json.loads(_run("water", "rejects", "--db", db, "--format", "json"))
    assert got and {"file", "row", "field", "reason"} <= set(got[0])
    assert "unparseable" in {r["reason"] for r in got}


def test_parquet_needs_an_output(db: str) -> None:
    res = runner.invoke(app, ["water", "evaluate", "--year", "2025", "--db", db, "--format", "parquet"])
    assert res.exit_code == 1


def test_trophic_of_the_real_lakes(db: str) -> None:
    """The CNEMC lakes and reservoirs publish no transparency: with the method's five
    parameters none has a TLI (each says why); with four (the documented option) most do."""
    five = json.loads(_run("water", "trophic", "--year", "2025", "--db", db, "--format", "json"))
    assert five and all(r["tli"] is None and r["reason"] == "too_few_params" for r in five)
    four = json.loads(
        _run("water", "trophic", "--year", "2025", "--min-params", "4", "--db", db, "--format", "json")
    )
    graded = [r for r in four if r["tli"] is not None]
    assert len(four) == len(five) and len(graded) > len(four) // 2
    assert {r["grade"] for r in graded} <= {
        "oligotrophic", "mesotrophic", "light_eutrophic", "middle_eutrophic", "hyper_eutrophic"
    }  # fmt: skip
    chla = [r["chla_mg_m3"] for r in four if r["chla_mg_m3"] is not None]
    assert min(chla) > 0 and max(chla) > 10  # mg/m³: CNEMC's mg/L (all < 0.1 here) × 1000

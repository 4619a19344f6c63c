"""ep.soil on a real DuckDB file: load (idempotent, revisions), feed (pipeline soil), the
contract command ``ecoplan soil class``, the API exports and the pages in both languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.conftest import SHARED, write_csv
from tests.web.conftest import serving
from typer.testing import CliRunner

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.errors import NotFound
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

QIYANG = SHARED / "data" / "soil" / "qiyang_hunan_soil_cd_pri_Cd_data.csv"
DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "soil" / "data"


def _load_all(ep: Ecoplan) -> None:
    ep.soil.load([QIYANG], "qiyang-cd")
    ep.soil.load([DATA / "qiyang_farmland_units_example.csv"], "farmland-units")
    ep.soil.load([DATA / "qiyang_plots_example.csv"], "plots")


def test_load_is_idempotent_and_keeps_revisions(ep: Ecoplan, tmp_path: Path) -> None:
    _b, r1 = ep.soil.load([QIYANG], "qiyang-cd")
    _b, r2 = ep.soil.load([QIYANG], "qiyang-cd")
    assert (r1.rows_new, r2.rows_new, r2.rows_unchanged, r2.rows_revised) == (136, 0, 136, 0)
    f = write_csv(
        tmp_path / "u.csv", ["unit_id,region,year,area [亩],level,measure", "u1,431181,2020,15,轻微,优先保护"]
    )
    ep.soil.load([f], "farmland-units")
    write_csv(f, ["unit_id,region,year,area [亩],level,measure", "u1,431181,2020,30,轻微,优先保护"])
    _b, r3 = ep.soil.load([f], "farmland-units")
    assert r3.rows_revised == 1
    rev = ep.soil.store.revisions()
    assert len(rev) == 1 and json.loads(rev.iloc[0]["old_row"])["area_hm2"] == 1.0
    assert ep.soil.store.units()["area_hm2"].tolist() == [2.0]


def test_rejects_are_stored_and_unknown_region_refused(ep: Ecoplan, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "s.csv", ["sample_id,region,land_use,ph,Cd [mg/kg]", "a,431181,paddy,6,x"])
    ep.soil.load([f], "samples")
    rj = ep.soil.rejects()
    assert rj[["file", "row", "field", "reason"]].values.tolist() == [["s.csv", 2, "Cd", "not_a_number"]]
    g = write_csv(tmp_path / "g.csv", ["sample_id,region,land_use,ph,Cd [mg/kg]", "a,999998,paddy,6,0.1"])
    with pytest.raises(NotFound):
        ep.soil.load([g], "samples")


def test_feed_writes_pipeline_soil_values(ep: Ecoplan) -> None:
    _load_all(ep)
    fr = ep.soil.feed("431181")
    got = {(r.plan, r.indicator, r.year): r.value for r in fr.rows}
    assert got[("cn-13th-eco", "soil-farmland-safe-use", 2020)] == 89.8
    assert got[("cn-13th-eco", "soil-site-safe-use", 2020)] == 66.7
    assert all(r.source == "pipeline soil" and r.region == "431181" for r in fr.rows)
    assert fr.result.inserted == len(fr.rows) > 0
    again = ep.soil.feed("431181")
    assert again.result.inserted == 0 and again.result.unchanged == len(fr.rows)
    every = ep.soil.feed()  # every region the register covers: here Qiyang only, the same rows
    assert sorted(every.rows, key=str) == sorted(fr.rows, key=str) and every.result.inserted == 0
    a = ep.assess("cn-13th-eco", region="431181", year=2020)
    text = json.dumps(a.to_dict() if hasattr(a, "to_dict") else str(a), ensure_ascii=False, default=str)
    assert "89.8" in text


runner = CliRunner()


def test_class_contract_json() -> None:
    res = runner.invoke(
        cli_app, ["soil", "class", "--cd", "0.5", "--pb", "35", "--ph", "6.0", "--land-use", "paddy"]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["category"] == "safe_use"
    assert d["items"] == {"Cd": "safe_use", "Pb": "priority_protection"}
    assert d["screening"] == {"Cd": 0.4, "Pb": 100} and d["intervention"] == {"Cd": 2.0, "Pb": 500}


def test_class_without_ph_says_why() -> None:
    res = runner.invoke(cli_app, ["soil", "class", "--cd", "0.5", "--land-use", "other", "--lang", "en"])
    d = json.loads(res.stdout)
    assert d["category"] is None and d["computable"] is False and d["reason"] == "ph_missing"
    assert "pH missing" in d["reason_text"]


def test_class_file_csv_adds_columns() -> None:
    res = runner.invoke(cli_app, ["soil", "class", str(QIYANG), "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("X,Y,land_use,pH,SoilCdtot") and lines[0].endswith(
        "soil_category,soil_reason,Cd_category,Cd_screening,Cd_intervention"
    )
    assert len(lines) == 137
    assert lines[1].endswith(",priority_protection,,priority_protection,0.3,1.5")  # pH 4.4, Cd 0.2826 ≤ 0.3
    js = json.loads(runner.invoke(cli_app, ["soil", "class", str(QIYANG)]).stdout)
    assert sum(r["category"] == "safe_use" for r in js) == 60


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("soilweb") / "web.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        _load_all(ep)
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def test_api_exports(base: str) -> None:
    r = httpx.get(f"{base}/api/v1/soil/counts?region=431181", timeout=60)
    assert r.status_code == 200 and r.json()["total"] == 4
    csv = httpx.get(f"{base}/api/v1/soil/rates?format=csv", timeout=60)
    assert csv.status_code == 200 and "farmland_safe_use_pct" in csv.text
    pq = httpx.get(f"{base}/api/v1/soil/classes?format=parquet", timeout=60)
    assert pq.status_code == 200 and pq.content[:4] == b"PAR1"


def _soil_part(html: str) -> str:
    """The soil section: from its first table to the end of its rates."""
    start = html.index("<table id='soil-counts'")
    start = html.rindex("<h2>", 0, start)
    end = html.index("</p>", html.index("<table id='soil-rates'"))
    return html[start:end]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_page_in_one_language(base: str, lang: str) -> None:
    html = httpx.get(f"{base}/regions/431181?lang={lang}", timeout=120).text
    assert "soil-map" in html and "soil-rates" in html
    words = {
        "zh": ["优先保护类", "安全利用类", "受污染耕地安全利用率"],
        "en": ["Priority protection", "Safe use", "polluted farmland"],
    }
    for w in words[lang]:
        assert w in html
    part = _soil_part(html)
    body = re.sub(r"<title>.*?</title>", " ", part)  # sample ids and pH in tooltips
    body = re.sub(r"<[^>]+>", " ", body)
    assert foreign(body, lang, allowed=["docs/soil.md"]) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_page_lists_the_region(base: str, lang: str) -> None:
    html = httpx.get(f"{base}/?lang={lang}", timeout=120).text
    start = html.index("<table id='soil'>")
    part = html[html.rindex("<h2>", 0, start) : html.index("</table>", start)]
    assert "/regions/431181" in part and ">136<" in part
    assert foreign(re.sub(r"<[^>]+>", " ", part), lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_section(ep: Ecoplan, lang: str) -> None:
    from ecoplan.soil.report import section

    plan = ep.catalog.plan("cn-13th-eco")
    assert section(ep, plan, "431181", 2020, lang) is None  # nothing stored yet
    _load_all(ep)
    s = section(ep, plan, "431181", 2020, lang)
    assert s is not None
    assert [r[0] for r in s.rows] == [2018, 2019, 2020]
    assert s.rows[-1][1:] == (89.8, 66.7, 50.0)
    text = " ".join([s.title, *s.header, s.note])
    assert foreign(text, lang, allowed=["docs/soil.md"]) == []
    assert section(ep, plan, "431181", 2018, lang).rows == ((2018, 39.3, 0.0, 0.0),)  # type: ignore[union-attr]

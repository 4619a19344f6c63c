"""``ecoplan water drinking …`` / ``ecoplan water black-odorous …`` on the example data, in
zh and en (nothing of the other language but names quoted from the data), their json/csv
outputs, the plans fed through ``ecoplan assess``; ``/api/v1/water/drinking`` and
``/api/v1/water/black-odorous`` served for real."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import serving
from typer.testing import CliRunner

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.core.words.purity import foreign
from ecoplan.water.standards import drinking_source as ds
from ecoplan.web import register

DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "water" / "data"
runner = CliRunner()


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("water-drinking") / "w.duckdb")
    _run("init", "--db", path)
    _run("water", "drinking", "load", str(DATA / "drinking-monitoring.csv"), "--register",
         str(DATA / "drinking-sources.csv"), "--format", "wide", "--db", path)  # fmt: skip
    _run("water", "black-odorous", "load", str(DATA / "black-odorous-points.csv"), "--register",
         str(DATA / "black-odorous-bodies.csv"), "--db", path)  # fmt: skip
    return path


@pytest.fixture(scope="module")
def quoted(db: str) -> list[str]:
    with Ecoplan(db) as ep:
        names = [*ep.water.drinking.sources()["name"], *ep.water.black_odorous.registered()["name"]]
        names += [r.name_zh for r in ep.catalog.regions()]
        for p in ep.plans():
            names += [str(p.title.get("zh")), *(str(i.name.get("zh")) for i in p.indicators)]
    names += list(ds.TABLE3_LIMITS)
    return sorted(set(names), key=len, reverse=True)


def test_load_json_is_idempotent(db: str) -> None:
    args = ["water", "drinking", "load", str(DATA / "drinking-monitoring.csv"), "--format", "wide"]
    out = json.loads(_run(*args, "--db", db, "--output-format", "json"))
    assert (out["added"], out["revised"], out["unchanged"]) == (0, 0, 180 * 13)


def test_bad_register_fails_naming_the_row(db: str, tmp_path: Path) -> None:
    reg = tmp_path / "r.csv"
    reg.write_text("code,name,region,type,level,supply_m3d\nX,某,130100,海洋,city,1\n", encoding="utf-8")
    res = runner.invoke(
        app, ["water", "drinking", "load", "--register", str(reg), "--db", db, "--lang", "en"]
    )
    assert res.exit_code != 0
    assert "r.csv" in res.output and "row 2" in res.output and "'type'" in res.output


def test_rates_csv_and_feed_reach_the_plan(db: str, tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    _run(
        "water", "drinking", "rates", "--year", "2024", "--db", db, "--format", "csv", "--output", str(target)
    )
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))}
    assert float(rows["130000"]["rate_count_pct"]) == pytest.approx(400 / 6)
    fed = json.loads(_run("water", "drinking", "feed", "--db", db, "--format", "json"))
    assert fed["written"]["inserted"] == len(fed["rows"]) > 0
    _run("water", "black-odorous", "feed", "--db", db)
    out = json.loads(_run("assess", "jiangmen-13th-eco", "--db", db, "--year", "2020", "--format", "json"))
    text = json.dumps(out, ensure_ascii=False)
    assert '"value_source": "pipeline water"' in text
    with Ecoplan(db) as ep:
        obs = ep.catalog.observations("jiangmen-13th-eco", "440700")
        assert [(o.value, o.source) for o in obs["water-black-odorous"] if o.year == 2020] == [
            (0.0, "pipeline water")
        ]
        assert [o.value for o in obs["water-drinking-source"] if o.year == 2020] == [100.0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "args",
    [
        ("water", "drinking", "attainment", "--year", "2024"),
        ("water", "drinking", "rates", "--year", "2024"),
        ("water", "drinking", "rates", "--year", "2019", "--levels", "county"),
        ("water", "drinking", "feed", "--dry-run"),
        ("water", "black-odorous", "bodies", "--year", "2019"),
        ("water", "black-odorous", "ratios", "--year", "2023"),
        ("water", "black-odorous", "feed", "--dry-run"),
    ],
)
def test_language_purity(db: str, quoted: list[str], args: tuple[str, ...], lang: str) -> None:
    out = _run(*args, "--db", db, "--lang", lang)
    assert not foreign(out, lang, allowed=quoted), foreign(out, lang, allowed=quoted)[:10]


@pytest.fixture(scope="module")
def api(db: str) -> Iterator[str]:
    web = create_app(Path(db))
    register(web)
    with serving(web) as url:
        yield url + "/api/v1/water"


def test_routes(api: str) -> None:
    r = httpx.get(f"{api}/drinking", params={"year": 2024, "region": "130200"}, timeout=120).json()
    assert [(i["key"], i["n_sources"], i["n_meeting"]) for i in r["items"]] == [("130200", 3, 1)]
    r = httpx.get(f"{api}/drinking/sources", params={"year": 2024}, timeout=120).json()
    assert r["total"] == 7 and {i["source"] for i in r["items"] if i["meets"] is False} == {
        "HB-DW-03",
        "HB-DW-05",
    }
    r = httpx.get(
        f"{api}/black-odorous", params={"year": 2019, "area": "prefecture", "region": "440700"}, timeout=120
    )
    assert r.json()["items"][0]["n_eliminated"] == 2
    c = httpx.get(f"{api}/black-odorous/bodies", params={"year": 2023, "format": "csv"}, timeout=120)
    assert c.status_code == 200 and "HB-HC-02" in c.text
    assert httpx.get(f"{api}/drinking", params={"year": 2024, "levels": "x"}, timeout=120).status_code == 422
    assert httpx.get(f"{api}/drinking", params={"year": 2001}, timeout=120).status_code == 404

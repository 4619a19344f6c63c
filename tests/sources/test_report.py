"""The sources section of a plan's assessment report, over a real store (the register
and frames of ``test_routes``): Hebei's pollutants against the permitted quantities of
2020 and the 13th FYP's base year 2015, in zh and en; none for a region without
registered enterprises; the section in the served HTML report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.sources.test_routes import make_db
from tests.web.conftest import serving
from tests.web.test_language import quoted_names, visible_text

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

from ecoplan.sources.report import section  # isort: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of ``test_routes`` and Hebei's reported SO2 of 2015 (0.02 t, the base year)."""
    tmp = tmp_path_factory.mktemp("sources-report")
    db = make_db(tmp)
    reported = tmp / "reported.csv"
    reported.write_text(
        "region,year,pollutant,tonnes,source\n130000,2015,SO2,0.02,test statistics\n", encoding="utf-8"
    )
    with Ecoplan(db) as ep:
        ep.sources.facts.load_reported([reported])
    return db


@pytest.fixture(scope="module")
def base(db: Path) -> Iterator[str]:
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


@pytest.mark.parametrize(
    ("lang", "title", "so2"),
    [
        ("zh", "污染源在线监控 · 河北省", "二氧化硫"),
        ("en", "Pollution sources (online monitoring) · Hebei", "SO2"),
    ],
)
def test_hebei_2020_against_permits_and_base_year(db: Path, lang: str, title: str, so2: str) -> None:
    with Ecoplan(db) as ep:
        plan = ep.definition("cn-13th-eco")
        s = section(ep, plan, "130000", 2020, lang)
    assert s is not None and s.title == title
    assert s.header[1:3] == (
        ("2015年排放量（t）", "2020年排放量（t）")
        if lang == "zh"
        else ("2015 emissions (t)", "2020 emissions (t)")
    )
    rows = {r[0]: r for r in s.rows}
    # Hebei's permits: the boiler's SO2 120.5 t and NOx 180 t in 2020 (Tianjin's COD is not Hebei's)
    assert set(rows) == {so2, "氮氧化物" if lang == "zh" else "NOx"}
    # 2015 reported 0.02 t; 2020 computed 360 minutes × 0.05 kg = 0.018 t: −10 %;
    # permitted 120.5 t, of which 0.015 % emitted → 0.0
    assert rows[so2][1:] == (0.02, 0.018, -10.0, 120.5, 0.0)
    nox = rows["氮氧化物" if lang == "zh" else "NOx"]
    assert nox[1:] == (None, 0.025, None, 180.0, 0.0)  # 0.0252 t to three decimals (GB/T 8170)
    if lang == "zh":
        assert "本年超标事件 1 起，超标小时 1 个；黄牌红牌：2020Q2 黄牌 1 家、红牌 0 家。" in s.note
    else:
        assert (
            "exceedance events 1, hours over the limit 1; yellow and red cards: 2020Q2: 1 yellow, 0 red."
            in s.note
        )


def test_no_section_without_enterprises(db: Path) -> None:
    with Ecoplan(db) as ep:
        assert section(ep, ep.definition("cn-13th-eco"), "440000", 2020, "zh") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_report_has_the_section(base: str, lang: str) -> None:
    r = httpx.get(
        f"{base}/plans/cn-13th-eco/report.html",
        params={"region": "130000", "year": 2020, "lang": lang},
        timeout=180,
    )
    assert r.status_code == 200, r.text[:300]
    heading = "污染源在线监控 · 河北省" if lang == "zh" else "Pollution sources (online monitoring) · Hebei"
    assert heading in r.text
    text = visible_text(r.text, lang)
    assert not foreign(text, lang, allowed=quoted_names(lang)), foreign(
        text, lang, allowed=quoted_names(lang)
    )

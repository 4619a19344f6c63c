"""The water region page's drinking-source and black-odorous parts (example data, served
for real): the rate and each source's verdict, the remaining share per built-up area, in
zh and en; a region with only these data still has its water section."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.web import register

DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "water" / "data"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("water-drinking-pages") / "w.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.water.drinking.load([DATA / "drinking-monitoring.csv"], register=DATA / "drinking-sources.csv",
                               format="wide")  # fmt: skip
        ep.water.black_odorous.load(
            [DATA / "black-odorous-points.csv"], register=DATA / "black-odorous-bodies.csv"
        )
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def _page(base: str, code: str, lang: str) -> str:
    r = httpx.get(f"{base}/regions/{code}", params={"lang": lang}, timeout=180)
    assert r.status_code == 200, r.text[:300]
    return r.text


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, flags=re.S)]
        for r in rows
    ]


def test_hebei_page_shows_sources_and_bodies(base: str) -> None:
    html = _page(base, "130200", "zh")  # 唐山市: 陡河 ✗ (city), 迁西 ✗ and 遵化 ✓ (county), 滦南 (township)
    assert "33.33%（1/3 个达标）" in html
    verdicts = {r[0]: r[3] for r in _cells(html, "water-drinking")}
    assert verdicts == {
        "陡河水库（示例）": "不达标", "迁西县滦河水源（示例）": "不达标", "遵化市地下水水源（示例）": "达标",
        "滦南县某镇水源（示例）": "达标",
    }  # fmt: skip
    # 2023: 迁西 not eliminated, 遵化 eliminated → 1 of 2 remaining
    assert _cells(html, "water-black-odorous") == [["县级城市建成区", "2", "2", "1", "50 %"]]


def test_english_page_and_a_region_without_them(base: str) -> None:
    html = _page(base, "440700", "en")
    # 2020: the city source and the three county sources all attain
    assert "Drinking-water sources (2020)" in html and "100% (4 of 4 attain)" in html
    assert _cells(html, "water-black-odorous") == [["prefecture-level built-up area", "3", "3", "3", "0 %"]]
    assert 'id="water-drinking"' not in _page(base, "110000", "en")

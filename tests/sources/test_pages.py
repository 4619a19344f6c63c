"""The sources sections of the dashboard (home, region) on a real server over a real
store: the register of ``test_routes`` and real HJ 212 frames, in zh and en, one
language per page, with their JSON twins."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from tests.sources.test_routes import E1, E2, E3, make_db
from tests.web.conftest import serving
from tests.web.test_language import quoted_names, visible_text

from ecoplan.api import create_app
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

NAMES = {"石家庄热电有限公司", "唐山钢铁有限公司", "天津化工有限公司"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(make_db(tmp_path_factory.mktemp("sources-pages")))
    register(app)
    with serving(app) as url:
        yield url


def page(base: str, path: str, lang: str) -> str:
    r = httpx.get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}", timeout=120)
    assert r.status_code == 200, r.text[:300]
    return r.text


def part(html: str, lang: str) -> str:
    title = "污染源在线监控" if lang == "zh" else "Pollution sources (online monitoring)"
    return html.split(f"<h2>{title}</h2>", 1)[1]


def cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'<table id="{table}">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows
    ]


@pytest.mark.parametrize(
    ("lang", "hebei", "tianjin"), [("zh", "河北省", "天津市"), ("en", "Hebei", "Tianjin")]
)
def test_home_counts_each_province(base: str, lang: str, hebei: str, tianjin: str) -> None:
    rows = {r[0]: r[1:] for r in cells(part(page(base, "/", lang), lang), "sources")}
    # enterprises, outlets, devices, reporting on the newest day (the boiler only),
    # exceedances and alarms of the newest quarter (the boiler's one event)
    assert set(rows) == {hebei, tianjin}
    assert rows[hebei][:5] == ["2", "2", "2", "1", "1"]
    assert rows[tianjin][:5] == ["1", "1", "1", "0", "0"]
    assert int(rows[hebei][5]) > 0 and rows[tianjin][5] == "0"  # the boiler's alarms


def test_home_twin_and_period(base: str) -> None:
    twin = httpx.get(f"{base}/?format=json", timeout=120).json()["sources"]
    assert twin["quarter"] == "2020Q2"  # the newest frame is of 2020-05-01
    by = {r["region"]: r for r in twin["regions"]}
    assert set(by) == {"130000", "120000"}
    assert by["130000"]["reporting"] == 1 and by["120000"]["reporting"] == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_map_links_each_enterprise(base: str, lang: str) -> None:
    html = part(page(base, "/regions/130000", lang), lang)
    svg = html.split('<svg id="sources-map"', 1)[1].split("</svg>", 1)[0]
    links = re.findall(r'<a href="/sources/enterprises/(\w+)\?lang=(\w+)">', svg)
    assert sorted(links) == sorted([(E1, lang), (E2, lang)])  # Hebei's two, not Tianjin's
    assert E3 not in html


def test_region_twin(base: str) -> None:
    twin = httpx.get(f"{base}/regions/130000?format=json", timeout=120).json()["sources"]
    assert {e["credit_code"] for e in twin["enterprises"]} == {E1, E2}
    assert twin["quarter"] == "2020Q2"
    none = httpx.get(f"{base}/regions/440000?format=json", timeout=120).json()
    assert "sources" not in none  # no enterprise registered in Guangdong: no section


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/", "/regions/130000", "/regions/120000", "/regions/130100"])
def test_pages_speak_one_language(base: str, path: str, lang: str) -> None:
    text = visible_text(page(base, path, lang), lang)
    allowed = quoted_names(lang) | NAMES
    assert not foreign(text, lang, allowed=allowed), foreign(text, lang, allowed=allowed)


@pytest.mark.parametrize(
    ("lang", "yellow", "so2"), [("zh", "黄牌警示", "二氧化硫"), ("en", "Yellow card", "SO2")]
)
def test_region_facts(base: str, lang: str, yellow: str, so2: str) -> None:
    html = part(page(base, "/regions/130000", lang), lang)
    # the boiler's dot is yellow on the map, the steel works' is not
    assert re.search(rf'enterprises/{E1}\?lang={lang}"><circle [^>]*class="card-yellow"', html)
    assert re.search(rf'enterprises/{E2}\?lang={lang}"><circle [^>]*class="card-none"', html)
    (card,) = cells(html, "sources-cards")
    assert card[0] == "石家庄热电有限公司" and yellow in card
    (event,) = cells(html, "sources-exceedances")
    assert event[:3] == ["石家庄热电有限公司", "SJZ-DA001", so2] and "2020-05-01 03:00" in event
    totals = {r[0]: r[1:] for r in cells(html, "sources-totals")}
    # SO2 of the boiler and the (silent) steel works: 0.018 t of the boiler's 120.5 permitted
    # (0.015 % → 0 at one decimal); the steel works has no permitted quantity for 2020
    assert totals[so2] == ["2", "0.02", "120.5", "0"]
    assert totals["氮氧化物" if lang == "zh" else "NOx"] == ["1", "0.03", "180", "0"]


@pytest.mark.parametrize(
    ("lang", "names"),
    [("zh", ["天津市", "唐山市", "石家庄市"]), ("en", ["Tianjin", "Tangshan", "Shijiazhuang"])],
)
def test_rankings_by_exceedance_hours(base: str, lang: str, names: list[str]) -> None:
    html = page(base, "/rankings", lang)
    rows = cells(html, "sources-ranking")
    # rank, city, enterprises, hours, events, alarms, yellow, red: the boiler's one hour
    # puts Shijiazhuang last; Tianjin and Tangshan share the first rank
    assert [r[1] for r in rows] == names
    assert [r[0] for r in rows] == ["1", "1", "3"]
    assert rows[2][2:5] == ["1", "1", "1"] and rows[2][6:] == ["1", "0"]
    twin = httpx.get(f"{base}/rankings?format=json", timeout=120).json()["sources"]
    assert twin["year"] == 2020 and [r["region"] for r in twin["regions"]] == ["120000", "130200", "130100"]
    text = visible_text(html, lang)
    assert not foreign(text, lang, allowed=quoted_names(lang) | NAMES)

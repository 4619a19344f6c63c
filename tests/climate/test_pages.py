"""The climate pages and the market/emissions API on a real uvicorn server over a real DuckDB
file: the demo sample of ``make run`` plus a small hand-checked region (130300).

Hand-checked figures (the compilation's printed CO2 factors, ``docs/climate.md``):
100 × 10⁴ t raw coal × 1.9003 kg CO2/kg = 190.03 × 10⁴ t; 1 × 10⁸ m³ natural gas ×
2.1622 kg CO2/m³ = 21.62 × 10⁴ t. GDP 100 in 2020 and three years of +10 %:
decline 2020→2023 = (1 − (2 116 520 / 133.1) / (1 900 300 / 100)) × 100 = 16.32 %;
against 〔18〕 over 2021–2025: linear 10.8 %, compound 1 − 0.82^(3/5) = 11.23 % at 2023,
still required 1 − (0.82 / 0.8368)^(1/2) = 1.01 % a year.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from tests.conftest import write_csv
from tests.web.conftest import serving

import ecoplan.climate
from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

DEMO = Path(ecoplan.climate.__file__).parent / "data" / "demo"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class _Visible(HTMLParser):
    """The text a reader sees in ``lang``: elements marked with another language (a name
    quoted from the data, an identifier ``zxx``), scripts and styles left out."""

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang, self.parts, self.hidden = lang, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            self.hidden
            or tag in ("script", "style")
            or (tag != "html" and a.get("lang") not in (None, self.lang))
        ):
            self.hidden.append(tag)
        elif a.get("title"):
            self.parts.append(str(a["title"]))

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, lang: str) -> str:
    p = _Visible(lang)
    p.feed(html)
    return "\n".join(p.parts)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("climate-pages")
    db = tmp / "c.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.climate.load_energy(DEMO / "energy.csv")
        ep.climate.load_gdp(DEMO / "gdp.csv")
        ep.climate.load_totals(DEMO / "totals.csv")
        ep.climate.load_market(DEMO / "market.csv")
        ep.climate.load_energy(
            write_csv(
                tmp / "e.csv",
                [
                    "region,year,fuel,amount,unit,use,sector",
                    "130300,2020,raw_coal,100,万吨,,工业",
                    "130300,2023,raw_coal,100,万吨,,工业",
                    "130300,2023,natural_gas,1,亿立方米,,居民生活",
                    "130300,2023,natural_gas,3,亿立方米,feedstock,",
                ],
            )
        )
        ep.climate.load_gdp(
            write_csv(
                tmp / "g.csv",
                [
                    "region,year,gdp,prices,index",
                    "130300,2020,100,current,",
                    "130300,2021,,,110",
                    "130300,2022,,,110",
                    "130300,2023,,,110",
                ],
            )
        )
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


def test_region_page_shows_emissions_by_fuel_and_the_trajectory(site: str) -> None:
    zh = httpx.get(f"{site}/climate/regions/130300").text
    assert "190.03" in zh and "21.62" in zh and "211.65" in zh  # coal, gas, 2023 total (10⁴ t)
    assert 'id="climate-emissions-chart"' in zh and 'id="climate-emissions-sectors"' in zh
    assert "不计入燃烧排放：2023 天然气 3 亿立方米" in zh  # the feedstock line: listed, not counted
    assert "2023 年累计降低 16.32%（线性进度 10.8%，等比进度 11.23%），快于两种进度" in zh
    assert "今后每年仍需降低 1.01%" in zh
    en = httpx.get(f"{site}/climate/regions/130300", params={"lang": "en"}).text
    assert "2023: 16.32% achieved (linear schedule 10.8%, compound 11.23%), ahead of both schedules" in en
    assert "natural gas 3 × 10⁸ m³" in en

    data = httpx.get(f"{site}/climate/regions/130300", params={"format": "json"}).json()
    totals = {t["year"]: t["total_t"] for t in data["emissions"]["totals"]}
    assert totals[2020] == pytest.approx(1_900_300, abs=50)
    assert totals[2023] == pytest.approx(2_116_520, abs=60)
    plan = next(t for t in data["trajectories"] if t["plan"] == "cn-14th-eco")
    assert (plan["target_pct"], plan["inherited"], plan["base_year"]) == (18.0, True, 2020)
    assert plan["latest"] == {
        "year": 2023,
        "actual_pct": 16.32,
        "required_yearly_pct": 1.01,
        "linear_pct": 10.8,
        "compound_pct": 11.23,
        "on_linear": True,
        "on_compound": True,
    }
    assert [r["linear_pct"] for r in plan["schedule"]] == [0.0, 3.6, 7.2, 10.8, 14.4, 18.0]
    assert [r["compound_pct"] for r in plan["schedule"]][1:] == [3.89, 7.63, 11.23, 14.68, 18.0]
    # the Hebei plan states no figure ("达到国家要求"): the decline, no schedule
    hebei = httpx.get(f"{site}/api/v1/climate/trajectory/130000").json()["plans"]
    h = next(t for t in hebei if t["plan"] == "hebei-14th-eco")
    assert h["target_pct"] is None and h["target_text"] == "达到国家要求" and h["latest"]["year"] == 2023


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/climate/regions/130000", "/climate/market?as_of=2025-06-01"])
def test_pages_speak_one_language(site: str, path: str, lang: str) -> None:
    got = httpx.get(f"{site}{path}", params={"lang": lang}, timeout=60)
    assert got.status_code == 200
    text = visible_text(got.text, lang)
    # the plans' quoted target and names from the data are marked lang="zh" on English pages
    assert foreign(text, lang) == []


def test_region_dashboard_has_the_climate_section(site: str) -> None:
    html = httpx.get(f"{site}/regions/130000", params={"lang": "en"}, timeout=60).text
    assert 'id="climate-region-section"' in html and 'href="/climate/regions/130000?lang=en"' in html
    section = html[html.index('<section id="climate-region-section">') : html.index("</section>")]
    assert "ahead of both schedules" in section
    assert foreign(visible_text(section, "en"), "en") == []
    data = httpx.get(f"{site}/regions/130000", params={"format": "json"}, timeout=60).json()["climate"]
    assert [m["year"] for m in data["market"]] == [2021, 2022, 2023]
    assert [m["facilities"] for m in data["market"]] == [3, 4, 4]
    assert {t["plan"] for t in data["trajectories"]} >= {
        "cn-13th-eco-mee2020",
        "cn-14th-eco",
        "hebei-14th-eco",
    }


def test_market_page_and_api(site: str) -> None:
    page = httpx.get(
        f"{site}/climate/market", params={"region": "130000", "as_of": "2025-06-01", "format": "json"}
    )
    body = page.json()
    overdue = [
        (r["facility"], r["year"], r["shortfall_t"]) for r in body["facilities"] if r["status"] == "overdue"
    ]
    assert overdue == [("DEMO-HB-002", 2023, 94_000.0)]  # verified 1 294 000, surrendered 1 200 000
    first = body["discrepancies"][0]
    assert (first["facility"], first["year"], first["discrepancy_t"], first["discrepancy_pct"]) == (
        "DEMO-HB-003",
        2022,
        170_000.0,
        4.83,  # 170 000 / 3 520 000
    )
    html = httpx.get(f"{site}/climate/market", params={"as_of": "2025-06-01"}).text
    assert "逾期未足额清缴" in html and "1 个年度逾期未足额清缴" in html
    assert "overdue" in httpx.get(f"{site}/climate/market", params={"as_of": "2025-06-01", "lang": "en"}).text
    # before the 2023 deadline the same shortfall is pending
    early = httpx.get(f"{site}/api/v1/climate/market", params={"year": 2023, "as_of": "2024-06-01"}).json()
    assert {r["status"] for r in early["items"]} == {"complied", "pending", "unverified"}

    api = f"{site}/api/v1/climate/market"
    assert httpx.get(api).json()["total"] == 11
    rows = list(
        csv.DictReader(io.StringIO(httpx.get(api, params={"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert len(rows) == 11 and rows[0]["facility"] == "DEMO-HB-001"
    gaps = httpx.get(f"{api}/discrepancies", params={"threshold": 2}).json()["items"]
    assert [(g["facility"], g["year"]) for g in gaps] == [("DEMO-HB-003", 2022), ("DEMO-HB-002", 2021)]
    totals = httpx.get(f"{api}/totals", params={"region": "130100", "as_of": "2025-06-01"}).json()["items"]
    assert [(t["year"], t["facilities"], t["overdue"]) for t in totals] == [
        (2021, 2, 0),
        (2022, 2, 0),
        (2023, 2, 1),
    ]
    assert totals[0]["verified_t"] == 3_515_000.0  # 2 150 000 + 1 365 000
    assert httpx.get(api, params={"as_of": "2025-02-30"}).status_code == 400
    assert httpx.get(api, params={"region": "13"}).status_code == 422


def test_emissions_api(site: str) -> None:
    api = f"{site}/api/v1/climate/emissions"
    got = httpx.get(api, params={"region": "130300", "year": 2023}).json()
    rows = {(r["fuel"], r["sector"]): r["co2_t"] for r in got["items"]}
    assert rows == {
        ("raw_coal", "工业"): pytest.approx(1_900_300, abs=50),
        ("natural_gas", "居民生活"): pytest.approx(216_220, abs=5),
    }
    text = httpx.get(api, params={"region": "130300", "format": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[0] == "region,year,fuel,sector,co2_t" and len(text.splitlines()) == 4
    assert httpx.get(api, params={"region": "130000"}).json()["total"] == 9 * 7  # 7 combustion lines a year
    assert httpx.get(f"{site}/climate/regions/999999").status_code == 404


@pytest.mark.browser
def test_region_page_in_chromium(site: str, tmp_path: Path) -> None:
    """The charts are drawn (bars by fuel, lines of the schedules) and the page raises no
    error in either language; the screenshots are kept for a look."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for lang in ("zh", "en"):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []

            def failed(e: object, errors: list[str] = errors) -> None:
                errors.append(str(e))

            page.on("pageerror", failed)
            page.goto(f"{site}/climate/regions/130000?lang={lang}", wait_until="load")
            assert page.locator("#climate-emissions-chart rect[fill]").count() > 9 * 5  # 9 years × 5 fuels
            assert page.locator("#climate-plan-1-chart path").count() == 3  # achieved, linear, compound
            box = page.locator("#climate-emissions-chart").bounding_box()
            assert box is not None and box["width"] > 300
            page.screenshot(path=str(tmp_path / f"climate-region-{lang}.png"), full_page=True)
            assert errors == []
            page.close()
        browser.close()

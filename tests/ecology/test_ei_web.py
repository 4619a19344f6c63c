"""The ecology API and the county EI page on a real uvicorn server, and the page in
headless Chromium (zh and en; screenshots in ``build/screenshots/``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.web import register

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
CSV = """county,name,year,region,key,abundance,vegetation,water,stress,pollution,restriction
320601,甲县,2016,000000,是,30.59,76.93,93.94,6.08,1.48,
320601,甲县,2017,000000,是,34.59,76.93,93.94,6.08,1.48,
320601,甲县,2018,000000,是,34.59,76.93,93.94,6.08,1.48,incident
420502,乙县,2016,000000,是,50,60,40,10,5,
320602,丁县,2016,320000,是,50,60,40,10,5,
320602,丁县,2017,320000,是,40,60,40,10,5,
320603,戊县,2017,320000,否,90,90,90,0,0,
"""


class _Text(HTMLParser):
    """The text a reader sees in the page's main part (no scripts, no styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        self._main = self._main or tag == "main"

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self._main and not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return "\n".join(p.parts)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    d = tmp_path_factory.mktemp("ecologyweb")
    (d / "ei.csv").write_text(CSV, encoding="utf-8")
    with Ecoplan(d / "web.duckdb") as ep:
        ep.init()
        ep.ecology.import_ei(d / "ei.csv")
    app = create_app(d / "web.duckdb")
    register(app)
    with serving(app) as url:
        yield url


def test_api_calculator_and_stored_ei(base: str) -> None:
    q = "abundance=30.59&vegetation=76.93&water=93.94&stress=6.08&pollution=1.48"
    r = httpx.get(f"{base}/api/v1/ecology/ei?{q}&previous=70", timeout=60)
    assert r.status_code == 200
    d = r.json()
    assert (d["ei"], d["grade_zh"], d["delta"], d["change_class"], d["direction"]) == (
        67.97,
        "良",
        -2.03,
        "slight",
        "worse",
    )
    assert httpx.get(f"{base}/api/v1/ecology/ei?{q}&restriction=nope", timeout=60).status_code == 400
    assert httpx.get(f"{base}/api/v1/ecology/ei?{q.replace('6.08', '106')}", timeout=60).status_code == 422
    c = httpx.get(f"{base}/api/v1/ecology/ei/counties?region=000000&year=2016", timeout=60).json()
    assert c["total"] == 2 and {i["ei"] for i in c["items"]} == {67.97, 61.5}
    one = httpx.get(f"{base}/api/v1/ecology/ei/counties/320601", timeout=60).json()
    years = {y["year"]: y for y in one["years"]}
    # 34.59 → 69.37: ΔEI +1.40 略微变好; 2018 the same EI, grade lowered by the restriction
    assert years[2017]["ei"] == 69.37 and years[2017]["delta"] == 1.4
    assert years[2017]["change_class"] == "slight" and years[2017]["direction"] == "better"
    assert years[2018]["grade"] == "fair" and years[2018]["change_class"] == "none"
    assert httpx.get(f"{base}/api/v1/ecology/ei/counties/999998", timeout=60).status_code == 404
    m = httpx.get(f"{base}/api/v1/ecology/ei/means", timeout=60).json()
    first = m["items"][0]
    assert (first["year"], first["ei"], first["counties"]) == (2016, 64.74, 2)
    csv = httpx.get(f"{base}/api/v1/ecology/ei/counties?format=csv", timeout=60)
    assert csv.status_code == 200 and "abundance" in csv.text
    methods = httpx.get(f"{base}/api/v1/ecology/methods", timeout=60).json()["items"]
    assert {x["code"]: x["loaded"] for x in methods} == {"hj192": True, "eqi": False}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_county_page_in_both_languages(base: str, lang: str) -> None:
    r = httpx.get(f"{base}/ecology/ei/320601?lang={lang}", timeout=60)
    assert r.status_code == 200
    html = r.text
    assert "69.37" in html and "67.97" in html and "+1.40" in html
    if lang == "zh":
        assert "生物丰度指数" in html and "略微变化（变好）" in html and "一般" in html
    else:
        assert "Biological abundance" in html and "Slight change (better)" in html
    # the county's name is data: shown as given in both languages
    assert foreign(visible_text(html), lang, allowed={"ΔEI", "EI", "甲县"}) == []
    j = httpx.get(f"{base}/ecology/ei/320601?lang={lang}&format=json", timeout=60).json()
    assert j["county"] == "320601" and len(j["years"]) == 3
    assert httpx.get(f"{base}/ecology/ei/999998?lang={lang}", timeout=60).status_code == 404


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_page_section_links_to_the_counties(base: str, lang: str) -> None:
    html = httpx.get(f"{base}/regions/320000?lang={lang}", timeout=60).text
    start = html.index('id="ecology-ei-means"')
    part = html[start : html.index("</table>", html.index('id="ecology-ei-counties"'))]
    # 2016: 丁县 61.50 alone; 2017: 丁县 40 → 58.00, 戊县 is not a key county
    assert "61.50" in part and "58.00" in part
    for county in ("320602", "320603"):
        assert f'href="/ecology/ei/{county}?lang={lang}"' in part
    # 戊县 2017: 0.35·90 + 0.25·90 + 0.15·90 + 0.15·100 + 0.10·100 = 92.50, 优, listed first
    excellent, good = ("优", "良") if lang == "zh" else ("Excellent", "Good")
    listed = part[part.index('id="ecology-ei-counties"') :]
    assert listed.index("92.50") < listed.index("58.00")
    assert f"<td>92.50</td><td>{excellent}</td>" in part and f"<td>58.00</td><td>{good}</td>" in part
    j = httpx.get(f"{base}/regions/320000?lang={lang}&format=json", timeout=60).json()
    got = json.dumps(j, ensure_ascii=False)
    assert '"key_county_means": [{"year": 2016, "ei": 61.5, "counties": 1}' in got


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_county_page_in_chromium(base: str, lang: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/ecology/ei/320601?lang={lang}", wait_until="load")
        rows = page.locator("#ecology-ei-years tbody tr")
        assert rows.count() == 3
        assert page.locator("section.ecology-subs").count() == 3
        assert page.locator("#subs-2016 svg").count() == 5
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"ecology-county-{lang}.png"), full_page=True)
        page.click("#lang-switch")
        page.wait_for_load_state("load")
        assert ("lang=en" in page.url) == (lang == "zh")
        # from a region's page to a county's, through the ecology section
        page.goto(f"{base}/regions/320000?lang={lang}", wait_until="load")
        page.locator("#ecology-ei-counties").screenshot(path=str(SHOTS / f"ecology-region-{lang}.png"))
        page.click(f'#ecology-ei-counties a[href="/ecology/ei/320602?lang={lang}"]')
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/ecology/ei/320602?lang={lang}")
        assert page.locator("#ecology-ei-years tbody tr").count() == 2
        b.close()
    assert errors == []

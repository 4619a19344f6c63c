"""Domains add sections to the assessment report through the registry (``Domain.report``).

Air is the first: the report of a plan for Beijing in 2016 carries its HJ 663
evaluations from the plan's base year (2015) to 2016, in the report's language, in the
HTML and PDF report and as a sheet of the workbook. The 15th FYP outline's report says
why 优良水体比例 is not assessed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.core.domain import Domain, ReportSection
from ecoplan.domains import domain
from ecoplan.reports.assessment import build, render_html, write_report
from ecoplan.reports.domains import sheet_name

BEIJING = "110000"


@pytest.fixture(scope="module")
def ep(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecoplan]:
    db = tmp_path_factory.mktemp("rep-domains") / "r.duckdb"
    with Ecoplan(db) as app:
        app.init()
        app.import_values(demo_values_path(), recorded_at="2021-06-30")
        app.air.load([SHARED / "data" / "beijing-multisite"], "beijing-multisite")
        yield app


def _section(html: str) -> str:
    """The HTML between the domain section's heading and the next heading."""
    return html.split('<h2 class="domain">', 1)[1].split("<h2>", 1)[0]


def test_air_declares_a_report_part() -> None:
    assert domain("air").report == "ecoplan.air.report:section"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            ["环境空气质量 · 北京市", "有效天数", "优良天数比例（%）", "PM2.5年均浓度（µg/m³）", "评价依据"],
        ),
        ("en", ["Ambient air quality · Beijing", "Valid days", "Good-air days (%)", "Evaluated under"]),
    ],
)
def test_html_report_has_the_air_section(ep: Ecoplan, lang: str, words: list[str]) -> None:
    data = build(ep, "cn-13th-eco", BEIJING, 2016, lang)
    (air,) = [s for s in data["domains"] if s["domain"] == "air"]
    assert [r[0] for r in air["rows"]] == [2015, 2016]  # base year .. report year
    assert all(r[1] > 300 for r in air["rows"])  # valid days of a full year
    part = _section(render_html(data))
    for w in words:
        assert w in part, w
    assert part.count("<tr>") == 3  # header + 2015 + 2016
    other = re.compile(r"[\u4e00-\u9fff]") if lang == "en" else re.compile(r"\b(?:Valid|days|Ambient)\b")
    assert not other.search(re.sub(r"<[^>]+>", " ", part)), part


def test_no_air_data_no_section(ep: Ecoplan) -> None:
    data = build(ep, "cn-13th-eco", "000000", 2016, "zh")
    assert data["domains"] == [] and '<h2 class="domain">' not in render_html(data)


def test_xlsx_has_a_sheet_per_section(ep: Ecoplan, tmp_path: Path) -> None:
    out = write_report(build(ep, "cn-13th-eco", BEIJING, 2016, "en"), "xlsx", tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "Ambient air quality · Beijing"
    rows = list(wb.worksheets[-1].iter_rows(values_only=True))
    assert rows[0][0] == "Year" and [r[0] for r in rows[1:3]] == [2015, 2016]
    assert isinstance(rows[1][2], float)  # numbers stay numbers
    assert wb.worksheets[-1].freeze_panes == "A2"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian chromium (make test installs it)")
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_report_prints_the_air_section(ep: Ecoplan, tmp_path: Path, lang: str) -> None:
    out = write_report(build(ep, "cn-13th-eco", BEIJING, 2016, lang), "pdf", tmp_path / f"r-{lang}.pdf")
    # Chromium's CJK font maps some characters to compatibility forms (⽓ for 气): NFKC
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pypdf.PdfReader(out).pages))
    assert ("环境空气质量" in text) if lang == "zh" else ("Ambient air quality" in text)
    if shutil.which("pdftoppm"):  # the pages as images, for a look (kept beside the PDF)
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(out), str(tmp_path / f"page-{lang}")], check=True)
        assert list(tmp_path.glob(f"page-{lang}*.png"))


@pytest.mark.parametrize(
    ("lang", "why"), [("zh", "计算方法尚未公布"), ("en", "computation method not yet published")]
)
def test_outline_report_says_method_unpublished(ep: Ecoplan, lang: str, why: str, tmp_path: Path) -> None:
    data = build(ep, "cn-15th-outline", None, 2027, lang)
    (water,) = [a for a in data["indicators"] if a["id"] == "water-good-bodies"]
    assert water["reason_code"] == "method_unpublished" and water["status"] == "not_assessable"
    assert why in render_html(data)
    out = write_report(data, "xlsx", tmp_path / "o.xlsx")
    cells = [c for r in openpyxl.load_workbook(out).worksheets[1].iter_rows(values_only=True) for c in r]
    assert any(isinstance(c, str) and why in c for c in cells)


def test_section_rows_must_match_the_header() -> None:
    with pytest.raises(ValueError, match="row 0 has 1 cells, header 2"):
        ReportSection("t", ("a", "b"), ((1,),))


def test_sheet_names_are_valid_and_unique() -> None:
    taken = {"概要"}
    assert sheet_name("a/b:c[d]", taken) == "a b c d"
    assert sheet_name("概要", taken) == "概要 (2)"
    assert len(sheet_name("x" * 40, taken)) == 31


def test_a_domain_report_part_must_return_a_section(ep: Ecoplan, monkeypatch: pytest.MonkeyPatch) -> None:
    """A registered part returning something else is a clear error naming it."""
    import ecoplan.reports.domains as shell

    bad = Domain(name="bad", package="ecoplan", title_key="x", report="bad.report:section")
    monkeypatch.setattr(shell, "domains", lambda: (bad,))
    monkeypatch.setattr(shell, "load", lambda ref: lambda *args: {"title": "x"})
    with pytest.raises(TypeError, match=r"bad\.report:section: returned dict, not a ReportSection"):
        shell.domain_sections(ep, ep.definition("cn-13th-eco"), BEIJING, 2016, "zh")


@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=8))
def test_sheet_names_stay_valid_and_unique(titles: list[str]) -> None:
    taken = {"概要", "指标", "预警", "数据来源"}
    for t in titles:
        name = sheet_name(t, taken)
        assert name not in taken and 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        taken.add(name)

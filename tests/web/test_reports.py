"""Assessment reports: html, xlsx and (with Chromium) pdf, from the CLI and the plan page."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import openpyxl
import pypdf
import pytest
from tests.hostile import CMD, LINK, add_hostile_plan, assert_inert_xlsx
from typer.testing import CliRunner

from ecoplan.cli import app
from ecoplan.session import Ecoplan

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("rep") / "rep.duckdb")
    assert runner.invoke(app, ["init", "--demo", "--db", path]).exit_code == 0
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_has_cover_summary_indicators_and_method(db: str, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"r-{lang}.html"
    res = runner.invoke(
        app,
        [
            "report",
            "cn-13th-eco",
            "--year",
            "2020",
            "--format",
            "html",
            "--lang",
            lang,
            "--out",
            str(out),
            "--db",
            db,
        ],
    )
    assert res.exit_code == 0, res.output
    text = out.read_text("utf-8")
    assert "国发〔2016〕65号" in text and 'id="summary"' in text and "<svg" in text
    assert ("终期考核" in text and "12 / 12" in text) if lang == "zh" else ("final assessment" in text)
    assert text.count("<tr>") == 27  # header + 26 indicators


def test_xlsx_report_keeps_text_as_text(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    res = runner.invoke(
        app, ["report", "cn-13th-eco", "--year", "2020", "--format", "xlsx", "--out", str(out), "--db", db]
    )
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["summary", "indicators", "warnings", "sources"]
    rows = list(wb["indicators"].iter_rows(values_only=True))
    assert len(rows) == 27 and rows[1][0] == "地级及以上城市空气质量优良天数比率"
    # a target such as "-" or "＞80" must stay text; nothing may become a formula
    for row in wb["indicators"].iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_report_of_hostile_text_is_inert(tmp_path: Path) -> None:
    """A plan title, indicator name and value source that a spreadsheet would run as
    formulas are written as text (quote prefix), unchanged; numbers stay numbers."""
    db = tmp_path / "evil.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        add_hostile_plan(ep, tmp_path)
    out = tmp_path / "evil.xlsx"
    res = runner.invoke(
        app, ["report", "evil", "--year", "2020", "--format", "xlsx", "--out", str(out), "--db", str(db)]
    )
    assert res.exit_code == 0, res.output
    assert_inert_xlsx(out)
    wb = openpyxl.load_workbook(out)
    title = wb["summary"]["B1"]
    assert (title.value, title.data_type, title.quotePrefix) == (CMD, "s", True)
    row = next(r for r in wb["indicators"].iter_rows(min_row=2) if r[0].value == CMD)
    assert row[0].quotePrefix and (row[5].value, row[5].data_type) == (87, "n")
    (source,) = [c for r in wb["sources"].iter_rows() for c in r if c.value == LINK]
    assert source.data_type == "s" and source.quotePrefix


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian chromium (make test installs it)")
@pytest.mark.browser
def test_pdf_report_prints_chinese(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    res = runner.invoke(
        app, ["report", "cn-13th-eco", "--year", "2020", "--format", "pdf", "--out", str(out), "--db", db]
    )
    assert res.exit_code == 0, res.output
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "国发〔2016〕65号" in text


def test_report_errors(db: str, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["report", "nope", "--out", str(tmp_path / "x.html"), "--db", db])
    assert bad.exit_code == 1 and "unknown plan" in bad.output
    fmt = runner.invoke(
        app, ["report", "cn-13th-eco", "--format", "doc", "--out", str(tmp_path / "x"), "--db", db]
    )
    assert fmt.exit_code == 1 and "html, pdf, xlsx" in fmt.output


def test_plan_page_offers_the_report_for_download(base: str) -> None:
    page = httpx.get(base + "/plans/cn-13th-eco?year=2020", timeout=60).text
    assert "report.xlsx" in page
    r = httpx.get(base + "/plans/cn-13th-eco/report.xlsx?year=2020&lang=en", timeout=60)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert r.content[:2] == b"PK"
    assert httpx.get(base + "/plans/cn-13th-eco/report.doc", timeout=60).status_code == 404

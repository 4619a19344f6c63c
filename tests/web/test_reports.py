"""Assessment reports: html, xlsx and (with Chromium) pdf, from the CLI and the plan page."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import httpx
import openpyxl
import pypdf
import pytest
from tests.hostile import CMD, LINK, add_hostile_plan, assert_inert_xlsx
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.assess.scoring import ScoreCard
from ecoplan.cli import app
from ecoplan.reports import build

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
    table = text.split('<table id="indicators">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 27  # header + 26 indicators


def test_xlsx_report_keeps_text_as_text(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    res = runner.invoke(
        app, ["report", "cn-13th-eco", "--year", "2020", "--format", "xlsx", "--out", str(out), "--db", db]
    )
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概要", "指标", "预警", "数据来源"]  # a Chinese report: Chinese sheet names
    rows = list(wb["指标"].iter_rows(values_only=True))
    assert len(rows) == 27 and rows[1][0] == "地级及以上城市空气质量优良天数比率"
    # a target such as "-" or "＞80" must stay text; nothing may become a formula
    for row in wb["指标"].iter_rows():
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
    title = wb["概要"]["B1"]
    assert (title.value, title.data_type, title.quotePrefix) == (CMD, "s", True)
    row = next(r for r in wb["指标"].iter_rows(min_row=2) if r[0].value == CMD)
    assert row[0].quotePrefix and (row[5].value, row[5].data_type) == (87, "n")
    (source,) = [c for r in wb["数据来源"].iter_rows() for c in r if c.value == LINK]
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
    # the choices, in the command's language (zh by default): `html`，`pdf`，`xlsx`
    assert fmt.exit_code == 1 and all(f"`{f}`" in fmt.output for f in ("html", "pdf", "xlsx"))
    assert "'doc'" in fmt.output


def test_plan_page_offers_the_report_for_download(base: str) -> None:
    page = httpx.get(base + "/plans/cn-13th-eco?year=2020", timeout=60).text
    assert "report.xlsx" in page
    r = httpx.get(base + "/plans/cn-13th-eco/report.xlsx?year=2020&lang=en", timeout=60)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert r.content[:2] == b"PK"
    assert httpx.get(base + "/plans/cn-13th-eco/report.doc", timeout=60).status_code == 404


# --- reports a bureau files (issue #9): A4, page numbers, cover, score, sources, one language ---

#: What a repository path or file name in a report's text would look like.
# relative repository paths, any absolute path (a slash-led run of path segments), file URLs
REPO_PATH = re.compile(r"src/|\.\./|docs/|(?:^|[\s(\['\"])/[A-Za-z_][\w.-]*/|file:|\.py\b|\.ya?ml\b|\.md\b")
CJK = re.compile(r"[\u3400-\u9fff]")


def _report(db: str, out: Path, fmt: str, lang: str, *extra: str) -> Path:
    args = ["report", "cn-13th-eco", "--year", "2020", "--format", fmt, "--lang", lang, "--out", str(out)]
    res = runner.invoke(app, [*args, *extra, "--db", db])
    assert res.exit_code == 0, res.output
    return out


def _visible(page: str) -> str:
    """The text a reader sees: no style sheet, no tags, entities decoded."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _card(db: str, year: int = 2020) -> ScoreCard:
    with Ecoplan(db) as ep:
        return ep.score(ep.assess("cn-13th-eco", "000000", year))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_cover_names_issuer_date_region_stage_and_grade(db: str, tmp_path: Path, lang: str) -> None:
    text = _visible(
        _report(db, tmp_path / "r.html", "html", lang, "--as-of", "2026-06-30").read_text("utf-8")
    )
    zh = lang == "zh"
    assert ("国务院" if zh else "State Council") in text and "国发〔2016〕65号" in text
    assert "2026-06-30" in text and ("报告日期" if zh else "Report date") in text
    assert ("全国" if zh else "China") in text and "000000" in text and "2020" in text
    assert ("终期考核" if zh else "final assessment") in text
    card = _card(db)
    if card.gradable:
        assert card.grade is not None and f"{card.score:.1f}" in text
        assert (card.grade.zh if zh else card.grade.en) in text
    else:
        assert str(card.note(lang)) in text
    # without --as-of the report is dated today
    today = _visible(_report(db, tmp_path / "t.html", "html", lang).read_text("utf-8"))
    assert date.today().isoformat() in today


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_text_has_no_repository_paths_and_no_ids(db: str, tmp_path: Path, lang: str) -> None:
    page = _report(db, tmp_path / "r.html", "html", lang).read_text("utf-8")
    text = _visible(page)
    assert REPO_PATH.search(text) is None, REPO_PATH.search(text)
    with Ecoplan(db) as ep:
        ids = [a.indicator.id for a in ep.assess("cn-13th-eco", "000000", 2020).indicators]
    assert "air-good-days" in ids
    assert [i for i in ids if i in text] == []  # indicator names, never ids
    assert "cn-13th-eco" not in text
    # one language: outside the quoted documents (the data-source list), a Chinese report
    # has no English words but the product name, an English one no Chinese labels
    own = text.split("数据来源" if lang == "zh" else "Data sources")[0]
    if lang == "zh":
        assert set(re.findall(r"[A-Za-z]{2,}", own)) <= {"ecoplan"}
    else:
        heads = re.findall(r"<th[^>]*>(.*?)</th>", page)
        names = re.findall(r"<tr><td>(.*?)</td>", page)
        assert heads and names and [x for x in heads + names if CJK.search(x)] == []
        assert "万平方公里" not in own and "亿立方米" not in own  # units in English


def test_report_sources_are_those_of_the_assessed_year(db: str) -> None:
    with Ecoplan(db) as ep:
        early = build(ep, "cn-13th-eco", None, 2017, "zh")
        final = build(ep, "cn-13th-eco", None, 2020, "zh")
        pa = ep.assess("cn-13th-eco", "000000", 2017)
        stored = {o.source for v in ep.catalog.observations("cn-13th-eco", "000000").values() for o in v}
    used = {a.observation.source for a in pa.indicators if a.observation is not None}
    used |= {a.baseline_source for a in pa.indicators if a.baseline_source not in (None, "plan", "store")}
    plan_table = "“十三五”生态环境保护规划（国发〔2016〕65号）基期值"
    assert set(early["sources"]) == {x for x in used if x} | {plan_table}
    assert "2020中国生态环境状况公报" in final["sources"]
    assert "2020中国生态环境状况公报" not in early["sources"]  # a later year's bulletin
    assert len(early["sources"]) < len({x for x in stored if x})  # not every source ever stored
    # the plan's own baseline table is named as a document, not as a code
    assert "plan" not in early["sources"] and plan_table in early["sources"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_report_has_frozen_headers_one_language_and_number_formats(
    db: str, tmp_path: Path, lang: str
) -> None:
    wb = openpyxl.load_workbook(_report(db, tmp_path / "r.xlsx", "xlsx", lang))
    zh = lang == "zh"
    assert wb.sheetnames == (
        ["概要", "指标", "预警", "数据来源"] if zh else ["summary", "indicators", "warnings", "sources"]
    )
    foreign = re.compile(r"[A-Za-z]") if zh else CJK
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        header = [c.value for c in ws[1]]
        assert header and [h for h in header if h is None or foreign.search(str(h))] == [], header
    labels = [str(r[0]) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert [x for x in labels if foreign.search(x)] == []
    assert ("发文机关" if zh else "Issued by") in labels and ("报告日期" if zh else "Report date") in labels
    summary = {str(r[0]): r[1] for r in wb.worksheets[0].iter_rows(values_only=True)}
    card = _card(db)
    if card.gradable:
        assert card.score is not None and summary["综合得分" if zh else "Score"] == round(card.score, 1)
    else:
        assert summary["等级" if zh else "Grade"] == card.note(lang)
    ids = {str(r[0]) for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "air-good-days" not in ids
    numbers = [c for r in wb.worksheets[1].iter_rows(min_row=2) for c in r if c.data_type == "n" and c.value]
    assert numbers and all(c.number_format != "General" for c in numbers)
    attrs = {r[1] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert attrs == ({"约束性", "预期性"} if zh else {"binding", "expected"})


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian chromium (make test installs it)")
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_report_is_a4_with_page_numbers_on_every_page(db: str, tmp_path: Path, lang: str) -> None:
    pdf = pypdf.PdfReader(_report(db, tmp_path / "r.pdf", "pdf", lang))
    pages = pdf.pages
    assert len(pages) >= 2
    for i, page in enumerate(pages, 1):
        box = page.mediabox
        assert abs(float(box.width) - 595) <= 1 and abs(float(box.height) - 842) <= 1  # A4 in points
        # the CJK font maps 页 to the look-alike radical ⻚ in extracted text
        text = page.extract_text().replace("⻚", "页")
        want = (
            rf"第\s*{i}\s*页\s*/\s*共\s*{len(pages)}\s*页" if lang == "zh" else rf"Page {i} of {len(pages)}"
        )
        assert re.search(want, text), (i, text[-200:])
        assert REPO_PATH.search(text) is None
    assert "国发〔2016〕65号" in pages[0].extract_text()

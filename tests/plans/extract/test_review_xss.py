"""The extraction review page escapes hostile document text (issue #9: templates)."""

from __future__ import annotations

from pathlib import Path

from ecoplan.plans.extract import extract_plan
from ecoplan.plans.extract.report import render_report

from .test_extract import S000

EVIL = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'><b>{{7*7}}</b>"


def test_review_page_shows_hostile_text_as_text(tmp_path: Path) -> None:
    text = S000.read_text("utf-8")
    lines = text.splitlines()
    lines.insert(1, EVIL)  # beside the title
    lines.append("2020年底前，" + EVIL + "完成整治。")  # a dated commitment with hostile text
    doc = tmp_path / "evil.txt"
    doc.write_text("\n".join(lines) + "\n", "utf-8")
    result = extract_plan(doc)
    for lang in ("zh", "en"):
        page = render_report(result, lang)
        low = page.lower()
        assert "<script>alert" not in low and "<img src=x" not in low and "<b>{{" not in low
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "{{7*7}}" in page  # literal text, not evaluated

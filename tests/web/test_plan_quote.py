"""The plan page shows the sub- and superscripts of quotes taken from HTML editions (the
Jiangmen plan: ``PM <sub>2.5</sub>``, ``m <sup>3</sup>``) as such, and escapes the rest."""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.web.plans import quote_html


def test_sub_and_sup_are_kept_and_everything_else_escaped() -> None:
    got = quote_html("PM <sub>2.5</sub> 年均浓度 (μg/m <sup>3</sup> ) 34 < 35 <script>x</script>")
    assert got == "PM<sub>2.5</sub> 年均浓度 (μg/m<sup>3</sup> ) 34 &lt; 35 &lt;script&gt;x&lt;/script&gt;"
    assert quote_html(None) is None


@given(st.text())
def test_no_other_tag_survives(text: str) -> None:
    out = str(quote_html(text))
    for tag in ("sub>", "sup>"):
        out = out.replace("<" + tag, "").replace("</" + tag, "")
    assert "<" not in out and ">" not in out


def test_the_jiangmen_plan_page_shows_subscripts(base: str) -> None:
    r = httpx.get(f"{base}/plans/jiangmen-13th-eco?lang=zh", timeout=60)
    assert r.status_code == 200
    assert "PM<sub>2.5</sub> 年均浓度 (μg/m<sup>3</sup> )" in r.text
    assert "&lt;sub&gt;" not in r.text

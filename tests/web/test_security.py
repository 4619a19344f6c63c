"""Security headers and packaged static files (issue #9: templates and security headers)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from ecoplan.api import create_app
from ecoplan.api.security import SECURITY_HEADERS
from ecoplan.web import register

from .conftest import serving

PAGES = [
    "/",
    "/plans/cn-13th-eco?year=2020",
    "/regions/110000",
    "/warnings",
    "/rankings",
    "/tasks?plan=cn-13th-eco",
    "/plans/cn-13th-eco?format=json",
    "/api/v1/plans",
    "/api/docs",
    "/api/openapi.json",
    "/static/ecoplan.js",
    "/static/ecoplan.css",
    "/static/echarts.min.js",
    "/plans/no-such-plan",
    "/static/no-such-file.js",
    "/api/static/swagger-init.js",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_response_carries_the_security_headers(base: str, path: str, lang: str) -> None:
    r = httpx.get(base + path, params={"lang": lang})
    for k, v in SECURITY_HEADERS.items():
        assert r.headers.get(k) == v, (path, k)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    ["/", "/plans/cn-13th-eco?year=2020", "/regions/110000", "/warnings", "/rankings", "/tasks", "/api/docs"],
)
def test_pages_have_no_inline_script_or_style(base: str, path: str) -> None:
    text = httpx.get(base + path).text
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "src=" in tag, tag  # every script is a file from /static
    for inline in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.I | re.S):
        assert not inline.strip(), inline[:80]
    assert "<style" not in text.lower()
    assert re.search(r"\sstyle\s*=", text, re.I) is None
    assert re.search(r"\son[a-z]+\s*=", text, re.I) is None  # no inline event handlers


def test_static_files_have_their_types_and_unknown_names_404(base: str) -> None:
    css = httpx.get(base + "/static/ecoplan.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = httpx.get(base + "/static/ecoplan.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert httpx.get(base + "/static/no-such-file.js").status_code == 404
    assert httpx.get(base + "/static/../pages.py").status_code == 404


def test_a_500_carries_the_security_headers_too(tmp_path: Path) -> None:
    """A 500 is answered by Starlette's outermost error middleware, outside ours."""
    app = create_app(tmp_path / "s.duckdb")
    register(app)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("boom")

    @app.get("/api/boom", include_in_schema=False)
    def api_boom() -> None:
        raise RuntimeError("boom")

    with serving(app) as base:
        for path in ("/boom", "/api/boom"):
            r = httpx.get(base + path)
            assert r.status_code == 500, path
            for k, v in SECURITY_HEADERS.items():
                assert r.headers.get(k) == v, (path, k)

"""A domain's own pages (``Domain.web``) are mounted by the web shell at ``/<name>/…``.

A toy domain (written to a temporary folder) declares ``web="toy.web:routes"``; once it
is registered by its one line, the dashboard serves its page under ``/toy/`` in the
shell's layout (header, language switch) in both languages, with its JSON twin, the
shell's error page for its ``NotFound``, and nothing of it in the API's schema. Run in a
fresh Python process: the shells read the registry when they are imported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

FILES = {
    "toy/__init__.py": """
        from ecoplan.core.domain import Domain

        DOMAIN = Domain(
            name="toy", package="toy", title_key="toy.title", service="toy.service:ToyOps",
            pages="toy.pages:PAGES", web="toy.web:routes", words="words.yaml",
        )
    """,
    "toy/service.py": """
        from ecoplan.core.errors import NotFound

        class ToyOps:
            def __init__(self, ep):
                self.ep = ep

            def thing(self, n):
                if n == 0:
                    raise NotFound("no thing 0")
                return n * 10
    """,
    "toy/pages.py": """
        class Pages:
            def home(self, ep, lang):
                return None

            def region(self, ep, code, lang, year=None):
                return None

            def rankings(self, ep, year, lang):
                return None

        PAGES = Pages()
    """,
    "toy/web.py": """
        from fastapi import APIRouter, Query

        def routes(session, render):
            router = APIRouter()

            @router.get("/things/{n}")
            def thing(n: int, lang: str = Query("zh"), format: str = Query("html")):
                with session() as ep:
                    value = ep.toy.thing(n)
                path = f"/toy/things/{n}"
                return render("toy/thing.html", None, lang, path, {"n": n, "value": value}, format,
                              n=n, value=value)

            return router
    """,
    "toy/templates/toy/thing.html": (
        '{% extends "base.html" %}{% block body %}'
        '<p id="toy-thing">{{ w("toy.title") }} {{ n }}: {{ value }}</p>{% endblock %}\n'
    ),
    "toy/words.yaml": 'toy.title: {zh: "玩具读数", en: "Toy readings"}\n',
}

PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import ecoplan.domains as registry
registry.BUILTIN = (*registry.BUILTIN, "toy:DOMAIN")  # the one registration line

from fastapi.testclient import TestClient

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.web import register

db = sys.argv[2]
with Ecoplan(db) as ep:
    ep.init()
api = create_app(db)
register(api)
with TestClient(api) as client:
    def get(path):
        r = client.get(path)
        return [r.status_code, r.headers.get("content-type", ""), r.text]

    out = {
        "zh": get("/toy/things/7"),
        "en": get("/toy/things/7?lang=en"),
        "json": get("/toy/things/7?format=json"),
        "missing": get("/toy/things/0?lang=en"),
        "schema": client.get("/api/openapi.json").json()["paths"],
    }
print(json.dumps(out, ensure_ascii=False))
"""


def test_a_domain_web_part_is_mounted_with_the_shell_layout(tmp_path: Path) -> None:
    root = tmp_path / "pkgs"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(tmp_path / "toy.duckdb")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    status, ctype, zh = got["zh"]
    assert status == 200 and ctype.startswith("text/html")
    assert '<p id="toy-thing">玩具读数 7: 70</p>' in zh
    assert '<html lang="zh-CN">' in zh and 'href="/toy/things/7?lang=en" id="lang-switch"' in zh
    status, _, en = got["en"]
    assert status == 200 and '<p id="toy-thing">Toy readings 7: 70</p>' in en
    assert '<html lang="en">' in en and 'href="/toy/things/7?lang=zh" id="lang-switch"' in en
    status, ctype, twin = got["json"]
    assert (
        status == 200 and ctype.startswith("application/json") and json.loads(twin) == {"n": 7, "value": 70}
    )
    status, ctype, missing = got["missing"]
    assert status == 404 and ctype.startswith("text/html") and '<html lang="en">' in missing
    assert not [p for p in got["schema"] if p.startswith("/toy")]

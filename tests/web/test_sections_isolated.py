"""A dashboard section fails alone (``ecoplan.web.sections``).

Two toy domains are registered by one line each (as ``tests/architecture/test_new_domain.py``
does, in a fresh Python process: the shells read the registry when imported): ``boom``,
whose sections raise (on the home page a query the store refuses), and ``calm``, whose
home section renders after it (the store still answers) and whose region section's
template raises. On a real uvicorn server on 127.0.0.1 the home and region pages still
answer 200 with the other domains' parts, each failed section shows its title and the
worded notice in the page's language, the page's JSON has the failed domain's key as
``null``, and each failure is logged with its traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from ecoplan.core.words.purity import foreign
from ecoplan.web.sections import failed_text

FILES = {
    "boom/__init__.py": """
        from ecoplan.core.domain import Domain

        DOMAIN = Domain(name="boom", package="boom", title_key="boom.title",
                        pages="boom.pages:PAGES", words="words.yaml")
    """,
    "boom/pages.py": """
        class Pages:
            def home(self, ep, lang):  # a query that fails in the store
                ep.catalog.con.execute("SELECT * FROM boom_no_such_table").fetchall()

            def region(self, ep, code, lang, year):
                raise RuntimeError("boom region section broke")

            def rankings(self, ep, year, lang):
                return None

        PAGES = Pages()
    """,
    "boom/templates/boom/.keep": "",
    "boom/words.yaml": 'boom.title: {zh: "爆裂读数", en: "Boom readings"}\n',
    "calm/__init__.py": """
        from ecoplan.core.domain import Domain

        DOMAIN = Domain(name="calm", package="calm", title_key="calm.title",
                        pages="calm.pages:PAGES", words="words.yaml")
    """,
    "calm/pages.py": """
        from ecoplan.kit.web import Section

        class Pages:
            def home(self, ep, lang):  # asked after boom: the store still answers
                n = ep.catalog.con.execute("SELECT count(*) FROM regions WHERE code = '440700'").fetchone()[0]
                return Section({"calm": 7 * n}, "calm/home.html", {"n": 7 * n})

            def region(self, ep, code, lang, year):
                return Section({"calm": 8}, "calm/bad.html", {"n": 8})

            def rankings(self, ep, year, lang):
                return None

        PAGES = Pages()
    """,
    "calm/templates/calm/home.html": (
        '<h2 id="calm-title">{{ w("calm.title") }}</h2><p id="calm-n">{{ n }}</p>\n'
    ),
    "calm/templates/calm/bad.html": "<p>{{ n // 0 }}</p>\n",
    "calm/words.yaml": 'calm.title: {zh: "平静读数", en: "Calm readings"}\n',
}

PROBE = """
import json, logging, sys
sys.path.insert(0, sys.argv[1])
import ecoplan.domains as registry
registry.BUILTIN = (*registry.BUILTIN, "boom:DOMAIN", "calm:DOMAIN")

import socket, threading, time, urllib.error, urllib.request

import uvicorn

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.web import register

logging.basicConfig(stream=sys.stderr, level=logging.ERROR)
db = sys.argv[2]
with Ecoplan(db) as ep:
    ep.init()
api = create_app(db)
register(api)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="error"))
thread = threading.Thread(target=server.run, daemon=True)
thread.start()
while not server.started:
    time.sleep(0.05)

def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as r:
            return [r.status, r.read().decode("utf-8")]
    except urllib.error.HTTPError as e:
        return [e.code, e.read().decode("utf-8")]

out = {
    "home_zh": get("/"),
    "home_en": get("/?lang=en"),
    "home_json": get("/?format=json"),
    "region_en": get("/regions/440700?lang=en"),
    "region_zh": get("/regions/440700"),
}
server.should_exit = True
thread.join(timeout=30)
print(json.dumps(out, ensure_ascii=False))
"""


def _notice(html: str, name: str) -> str:
    m = re.search(
        rf'<section class="section-failed" id="section-failed-{name}"[^>]*>(.*?)</section>', html, re.S
    )
    assert m, f"no failed notice for {name}"
    return m.group(1)


def test_a_failing_section_fails_alone(tmp_path: Path) -> None:
    root = tmp_path / "pkgs"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(tmp_path / "s.duckdb")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])

    status, zh = got["home_zh"]
    assert status == 200, res.stderr[-3000:]
    # calm's answers never failed (the home one ran after boom's failed query)
    assert not re.search(r"domain 'calm' failed$", res.stderr, re.M), res.stderr[-6000:]
    assert "<h2>爆裂读数</h2>" in _notice(zh, "boom") and failed_text("zh") in _notice(zh, "boom")
    assert '<h2 id="calm-title">平静读数</h2><p id="calm-n">7</p>' in zh  # the other section is there
    assert 'id="plan-list"' in zh or "cn-13th-eco" in zh  # and the page's own content
    status, en = got["home_en"]
    notice = _notice(en, "boom")
    assert status == 200 and "<h2>Boom readings</h2>" in notice and failed_text("en") in notice
    assert not foreign(re.sub(r"<[^>]+>", " ", notice), "en")
    assert '<h2 id="calm-title">Calm readings</h2>' in en

    status, body = got["home_json"]
    data = json.loads(body)
    assert status == 200 and data["boom"] is None and data["calm"] == 7 and data["plans"]

    # the region page: boom's answer raises, calm's template raises; both shown as notices
    status, en = got["region_en"]
    assert status == 200
    assert "<h2>Boom readings</h2>" in _notice(en, "boom")
    assert "<h2>Calm readings</h2>" in _notice(en, "calm") and failed_text("en") in _notice(en, "calm")
    assert "Jiangmen" in en
    status, zh = got["region_zh"]
    assert status == 200 and failed_text("zh") in _notice(zh, "calm") and "江门" in zh

    # each failure logged with its traceback
    err = res.stderr
    assert "dashboard section of domain 'boom' failed" in err and "boom_no_such_table" in err
    assert "boom region section broke" in err
    assert "dashboard section of domain 'calm' failed to render" in err and "ZeroDivisionError" in err


def test_the_notice_is_worded_in_both_languages() -> None:
    zh, en = failed_text("zh"), failed_text("en")
    assert zh and en and zh != en
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)
    assert not foreign(zh, "zh") and not foreign(en, "en")

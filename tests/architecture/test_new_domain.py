"""A new domain is one folder plus one registration line.

A toy domain (written to a temporary folder: ``toy/`` with its Domain object, service,
commands, routes, page section, template, words and one table) is registered by one
line and then shows up everywhere with no other change: the CLI runs its command, the
API serves its route (a real uvicorn server on 127.0.0.1), the dashboard shows its
section in both languages, the catalog has its words and the store creates its table,
versioned on its own. Run in a fresh Python
process: the shells read the registry when they are imported."""

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
            name="toy", package="toy", title_key="toy.title",
            service="toy.service:ToyOps", commands="toy.commands:app",
            routes="toy.routes:routes", pages="toy.pages:PAGES", words="words.yaml",
            migrations=("CREATE TABLE toy_readings (site VARCHAR, value DOUBLE)",),
        )
    """,
    "toy/service.py": """
        class ToyOps:
            def __init__(self, ep):
                self.ep = ep

            def count(self):
                return self.ep.catalog.con.execute("SELECT count(*) FROM toy_readings").fetchone()[0]

            def add(self, site, value):
                with self.ep.catalog.transaction() as con:
                    con.execute("INSERT INTO toy_readings VALUES (?, ?)", [site, value])
    """,
    "toy/commands.py": """
        import typer
        from ecoplan.kit.cli import DbOpt, _session, out

        app = typer.Typer()

        @app.command("add")
        def add(site: str, value: float, db: DbOpt = None) -> None:
            with _session(db) as ep:
                ep.toy.add(site, value)
                out.print(f"readings: {ep.toy.count()}")
    """,
    "toy/routes.py": """
        from fastapi import APIRouter

        def routes(session):
            router = APIRouter()

            @router.get("/count")
            def count() -> dict:
                with session() as ep:
                    return {"count": ep.toy.count()}

            return router
    """,
    "toy/pages.py": """
        from ecoplan.kit.web import Section

        class Pages:
            def home(self, ep, lang):
                n = ep.toy.count()
                return Section({"toy": n}, "toy/home.html", {"n": n}) if n else None

            def region(self, ep, code, lang, year=None):
                return None

            def rankings(self, ep, year, lang):
                return None

        PAGES = Pages()
    """,
    "toy/templates/toy/home.html": '<h2 id="toy-title">{{ w("toy.title") }}</h2><p id="toy-n">{{ n }}</p>\n',
    "toy/words.yaml": 'toy.title: {zh: "玩具读数", en: "Toy readings"}\n',
}

PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import ecoplan.domains as registry
registry.BUILTIN = (*registry.BUILTIN, "toy:DOMAIN")  # the one registration line

import socket, threading, time, urllib.request

import uvicorn
from typer.testing import CliRunner

from ecoplan.cli import app as cli
from ecoplan.api import create_app
from ecoplan.web import register

db = sys.argv[2]
res = CliRunner().invoke(cli, ["toy", "add", "S1", "1.5", "--db", db])
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
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
        return r.read().decode("utf-8")

out = {
    "cli": [res.exit_code, res.output],
    "api": json.loads(get("/api/v1/toy/count")),
    "home_zh": get("/"),
    "home_en": get("/?lang=en"),
    "home_json": json.loads(get("/?format=json")).get("toy"),
}
server.should_exit = True
thread.join(timeout=30)  # the API closes its store at shutdown
import duckdb
con = duckdb.connect(db, read_only=True)
out["meta"] = dict(con.execute("SELECT key, value FROM meta").fetchall())
print(json.dumps(out, ensure_ascii=False))
"""


def test_a_toy_domain_is_one_folder_and_one_line(tmp_path: Path) -> None:
    root = tmp_path / "pkgs"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    db = tmp_path / "toy.duckdb"
    res = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(db)], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr[-3000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert got["cli"][0] == 0 and "readings: 1" in got["cli"][1]
    assert got["api"] == {"count": 1}
    assert '<h2 id="toy-title">玩具读数</h2><p id="toy-n">1</p>' in got["home_zh"]
    assert '<h2 id="toy-title">Toy readings</h2>' in got["home_en"]
    assert got["home_json"] == 1
    assert got["meta"]["schema_version:toy"] == "1"

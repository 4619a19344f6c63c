"""Schemathesis with a valid reporter token: no request may produce a server error (issue #12).

The write routes take uploads, forms and JSON from people who are signed in; this runs
``schemathesis run`` over the whole OpenAPI document of a real server (uvicorn on
127.0.0.1, a real DuckDB file with the built-in plans, accounts and a submission) with a
Jiangmen reporter's bearer token on every request. Any 5xx fails, and at least 500
cases must have run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal
from ecoplan.kit.ratelimit import Limiter
from ecoplan.web import register


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    app = create_app(db)
    register(app)
    # the write limit (60 a minute per person) would answer most generated writes with a 429:
    # a wide one lets the cases reach the write code (the limit itself: test_ratelimit.py)
    app.state.auth.writes = Limiter(100_000, 60)
    ep: Ecoplan = app.state.store.app()
    ep.init()
    shell = Principal.shell()
    ep.people.add_user(shell, "jm-reporter", "long-password-1", "reporter", "440700")
    ep.people.add_user(shell, "gd-reviewer", "long-password-1", "reviewer", "440000")
    reporter = Principal("jm-reporter", shell.role.REPORTER, "440700", via="token")
    csv = b"plan,indicator,region,year,value\njiangmen-13th-eco,air-good-days,440700,2017,90.1\n"
    ep.review.submit_values(reporter, "v.csv", csv)
    _, token = ep.people.issue_token(shell, user="jm-reporter", days=1)
    with serving(app) as url:
        yield url, token


def test_no_server_error_with_a_reporter_token(served: tuple[str, str], tmp_path: Path) -> None:
    base, token = served
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe),
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        "not_a_server_error",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        "12",
        "--workers",
        "1",
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "HOME": str(tmp_path)}
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env, check=False)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    m = re.search(r"(\d+) generated, (\d+) passed", res.stdout)
    assert m is not None, res.stdout[-2000:]
    assert int(m.group(1)) == int(m.group(2)) >= 500
    print(res.stdout[res.stdout.find("API Operations") :][:300], m.group(0))  # the figures (pytest -s)

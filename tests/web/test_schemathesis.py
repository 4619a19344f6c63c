"""Schemathesis over the published OpenAPI: no request may produce a server error.

Runs the ``schemathesis run`` command against the real server of ``conftest.py``
(uvicorn on 127.0.0.1): every operation gets generated valid and invalid
parameters, and any 5xx fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_api_never_answers_with_a_server_error(base: str, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe),
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        "30",
        "--workers",
        "1",
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "HOME": str(tmp_path)}
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, check=False)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    m = re.search(r"(\d+) generated, (\d+) passed", res.stdout)
    assert m is not None, res.stdout[-2000:]
    assert int(m.group(1)) == int(m.group(2)) > 100

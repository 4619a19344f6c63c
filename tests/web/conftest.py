"""A real ecoplan server on 127.0.0.1 for the web tests (module-scoped)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from tests.conftest import SHARED

from ecoplan.api import create_app
from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.web import register


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "web.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.import_values(demo_values_path(), recorded_at="2021-06-30")
        ep.air.load([SHARED / "data" / "beijing-multisite"], "beijing-multisite")
        ep.air.feed("110000", [2015, 2016])
    app = create_app(db)
    register(app)
    with serving(app) as url:
        yield url


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """A real uvicorn server of ``app`` on a free port of 127.0.0.1, for the block."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecoplan.app import Ecoplan

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def ep(db_path: Path) -> Iterator[Ecoplan]:
    """A real DuckDB file with regions and the built-in plans."""
    session = Ecoplan(db_path)
    session.init()
    yield session
    session.close()


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path

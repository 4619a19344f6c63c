"""The edges (shells, the shared view kit, the domains' commands, routes and pages) read
and write through the app's methods, never through its store: no ``ep.catalog``,
``ep.air.store`` or raw ``con.execute`` that the import contract cannot see."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ecoplan
from ecoplan.domains import domains

SRC = Path(ecoplan.__file__).parent
SHELLS = ("cli", "api", "web", "reports", "kit")
VIEWS = ("commands", "routes", "pages")
#: Attributes that belong to the store: the catalog, a domain's storage, a connection.
STORE_ATTRS = {"catalog", "con", "store"}


def edge_files() -> list[Path]:
    files = [p for s in SHELLS for p in (SRC / s).rglob("*.py")]
    for d in domains():
        root = SRC / d.name
        for v in VIEWS:
            files += [p for p in [root / f"{v}.py"] if p.exists()] + list((root / v).rglob("*.py"))
    return sorted(set(files))


def store_reaches(source: str) -> list[str]:
    """``line: expression`` for every attribute access that reaches into a store."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in STORE_ATTRS:
            base = ast.unparse(node.value)
            if base in ("app.state", "request.app.state"):  # the API's holder of the app
                continue
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", edge_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_edges_do_not_reach_into_the_store(path: Path) -> None:
    assert store_reaches(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_a_reach() -> None:
    code = "ep.catalog.plan('x')\nep.air.store.stations()\ncon.execute('SELECT 1')\nep.con\n"
    assert len(store_reaches(code)) == 3
    assert store_reaches("ep.definition('x')\nep.air.stations()\napp.state.store = s\n") == []

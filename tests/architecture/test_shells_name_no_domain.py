"""The shells, the app and everything below the domains discover domains through
:mod:`ecoplan.domains` and name none: adding a domain is one folder plus one
registration line (docs/contributing.md). This test fails when code outside a
domain's own package mentions the domain in an import, an attribute, a name or a
string (docstrings and comments may talk about domains)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import ecoplan
from ecoplan.domains import BUILTIN, domains

SRC = Path(ecoplan.__file__).parent
DOMAINS = [d.name for d in domains()]
#: Files outside the domain packages: the core, plans, assess, store, app, kit and shells.
OUTSIDE = sorted(
    p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in DOMAINS and p.name != "domains.py"
)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def mentions(source: str, names: list[str]) -> list[str]:
    """Where ``source`` names one of the domains ``names`` (line: what)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    word = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_])")
    found = []
    for node in ast.walk(tree):
        hit = None
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            hit = next((m for m in mods if m and any(m.startswith(f"ecoplan.{n}") for n in names)), None)
        elif isinstance(node, ast.Attribute) and node.attr in names:
            hit = f".{node.attr}"
        elif isinstance(node, ast.Name) and node.id in names:
            hit = node.id
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            m = word.search(node.value)
            hit = f"{node.value[:60]!r}" if m else None
        if hit:
            found.append(f"{getattr(node, 'lineno', '?')}: {hit}")
    return found


#: Strings that use a domain's name as an ordinary word, file by file: the assessment
#: report's "sources" sheet and data key list the sources of the values it used, not the
#: pollution-sources domain. Keep this list short and explicit.
ORDINARY_WORDS: dict[str, set[str]] = {
    "reports/assessment.py": {"'sources'"},
    # the unit 起/万枚 (radiation accidents per 10,000 radioactive sources)
    "assess/reasons.py": {"'per 10⁴ sources'"},
}


@pytest.mark.parametrize("path", OUTSIDE, ids=lambda p: str(p.relative_to(SRC)))
def test_no_domain_named_outside_its_package(path: Path) -> None:
    allowed = ORDINARY_WORDS.get(str(path.relative_to(SRC)), set())
    found = mentions(path.read_text(encoding="utf-8"), DOMAINS)
    assert [m for m in found if m.split(": ", 1)[1] not in allowed] == []


def test_every_domain_is_one_registration_line() -> None:
    assert [ref.split(":")[0] for ref in BUILTIN] == [f"ecoplan.{n}" for n in DOMAINS]


def test_the_check_finds_a_shell_that_names_a_domain() -> None:
    shell = 'from ecoplan.air.service import AirOps\nx = ep.air.evaluate()\ny = "/api/v1/air/x"\n'
    assert len(mentions(shell, ["air"])) == 3
    assert mentions('"""The air pages."""\nrepair = 1\nfair = "affair"\n', ["air"]) == []
    # a status code that contains a domain's name as a part of an identifier is not the domain
    assert mentions('status = "at_risk"\nkey = "verdict.at_risk"\n', ["risk"]) == []
    assert len(mentions('x = ep.risk.grade()\ny = "/api/v1/risk/sources"\n', ["risk"])) == 2

"""The import contracts are built from the registry: every registered domain is in the
domains layer, the independence contract, the per-domain layers and the edges' ban."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ecoplan.core.domain import Domain
from ecoplan.domains import domains

SCRIPT = Path(__file__).parents[2] / "scripts" / "import_contracts.py"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("import_contracts", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_domain_is_in_every_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = _module()
    noise = Domain(name="noise", package="ecoplan.noise", title_key="noise.title")
    monkeypatch.setattr(mod, "domains", lambda: (*domains(), noise))
    contracts = tomllib.loads(mod.config())["tool"]["importlinter"]["contracts"]
    by_name = {c["type"] + ":" + c["name"].split(":")[0]: c for c in contracts}
    layers = by_name["layers:Layers point inward"]["layers"]
    names = [f"ecoplan.{d.name}" for d in (*domains(), noise)]
    assert " | ".join(names) in layers
    assert by_name["independence:Domains are independent"]["modules"] == names
    inner = next(c for c in contracts if c.get("containers"))
    assert inner["containers"] == names
    edges = by_name["forbidden:Edges never import the store"]
    assert {"ecoplan.air.routes", "ecoplan.web"} <= set(edges["source_modules"])
    assert "ecoplan.air.storage" in edges["forbidden_modules"]
    assert inner["layers"][0] == "(commands) | (routes) | (pages)"  # a domain may lack any layer


def test_the_tree_keeps_its_contracts() -> None:
    res = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout

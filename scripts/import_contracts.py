"""Check ecoplan's import contracts (import-linter), built from the registry of domains.

The contracts name every registered domain (:mod:`ecoplan.domains`), so adding a domain
is its folder plus its registration line: the domains layer, their independence, each
domain's own layers and the edges' ban on the store follow from the registry.

    python scripts/import_contracts.py          # check (exit status 1 on a broken contract)
    python scripts/import_contracts.py --print  # show the generated configuration
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ecoplan.domains import domains

#: The layers of every domain, top to bottom (its views are its edges); a domain may lack any.
DOMAIN_LAYERS = [
    "(commands) | (routes) | (pages)",
    "(service)",
    "(storage)",
    "(feed)",
    "(pipeline)",
    "(readers)",
    "(standards)",
]
VIEWS = ("commands", "routes", "pages")
SHELLS = ["ecoplan.cli", "ecoplan.api", "ecoplan.web", "ecoplan.reports", "ecoplan.kit"]
BELOW = [
    "ecoplan.kit",  # what views share: CLI options, HTTP paging/exports, page sections
    "ecoplan.app",
    "ecoplan.store",
    "ecoplan.ingest",
    "ecoplan.demo",
    "ecoplan.assess",
    "ecoplan.plans",
    "ecoplan.domains",
    "ecoplan.core",
]


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def config() -> str:
    """The import-linter configuration (TOML) for the registered domains."""
    names = [f"ecoplan.{d.name}" for d in domains()]
    views = [f"{n}.{v}" for n in names for v in VIEWS if _exists(f"{n}.{v}")]
    storage = [f"{n}.storage" for n in names if _exists(f"{n}.storage")]
    contracts = [
        {
            "name": "Layers point inward: shells -> domains -> kit -> app -> store -> ... -> core",
            "type": "layers",
            "layers": [
                "ecoplan.cli",
                "ecoplan.api | ecoplan.web",
                "ecoplan.reports",
                " | ".join(names),
                *BELOW,
            ],
        },
        {"name": "Domains are independent", "type": "independence", "modules": names},
        {
            "name": "A domain's layers: views, service, storage, feed, pipeline, readers, standards",
            "type": "layers",
            "containers": names,
            "layers": DOMAIN_LAYERS,
        },
        {
            "name": "Edges never import the store",
            "type": "forbidden",
            "source_modules": SHELLS + views,
            "forbidden_modules": ["ecoplan.store", *storage, "duckdb", "pyspark"],
            "allow_indirect_imports": True,  # through the app's methods
        },
        {
            "name": "Only the store knows DuckDB and Spark",
            "type": "forbidden",
            "source_modules": [*SHELLS, *names, *(m for m in BELOW if m != "ecoplan.store")],
            "forbidden_modules": ["duckdb", "pyspark"],
            "allow_indirect_imports": True,
        },
    ]
    lines = ["[tool.importlinter]", 'root_package = "ecoplan"', "include_external_packages = true", ""]
    for c in contracts:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{k} = {_toml(v)}" for k, v in c.items()]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = config()
    if "--print" in argv:
        sys.stdout.write(text)
        return 0
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contracts.toml"
        path.write_text(text, encoding="utf-8")
        return subprocess.run([exe, "--no-logo", str(path)], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

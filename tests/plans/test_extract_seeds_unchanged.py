"""The five seeds extract exactly as they did before the extractor was made linear.

``data/extract_seeds_before.json`` is ``ExtractResult.to_json()`` for each seed as
the code produced it before the speed work (issue 13), with the file path reduced
to its name. Every field — indicators, targets, spans and quotes, tasks, projects,
warnings — must stay the same: the speed work changes how the text is searched,
never what is found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SHARED

from ecoplan.plans.extract import extract_plan

SEEDS = SHARED / "seeds"
BEFORE = Path(__file__).parent / "data" / "extract_seeds_before.json"
EXPECTED: dict[str, Any] = json.loads(BEFORE.read_text(encoding="utf-8"))


def test_the_fixture_covers_the_five_seeds() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in SEEDS.glob("0*.txt"))
    assert len(EXPECTED) == 5


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_extraction_is_unchanged(name: str) -> None:
    got = extract_plan(SEEDS / name).to_json()
    got["extraction"]["file"] = name
    # the same JSON round trip as the fixture (tuples become lists)
    got = json.loads(json.dumps(got, ensure_ascii=False, sort_keys=True))
    want = EXPECTED[name]
    for key in sorted(set(want) | set(got)):
        assert got.get(key) == want.get(key), f"{name}: {key} differs"

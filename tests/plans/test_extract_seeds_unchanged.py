"""The five seeds extract exactly as recorded: no change to what is found goes unreviewed.

``data/extract_seeds_before.json`` is ``ExtractResult.to_json()`` for each seed, with
the file path reduced to its name. It was first captured before the speed work of
issue 13 (which had to change nothing) and re-recorded once after the layouts and
notations work of issue 13, whose only changes to the seeds were reviewed as gains:
seed 001 gains two prose targets (自然保护区陆地面积比例 15左右, 单位面积森林蓄积量 95),
seed 004 nine (two from a 分别 sentence, three water-quality targets, 污水管网空白区
基本消除, and three undated target sentences after a dated one: 煤矿原煤入选率保持在90%以上,
重点建设用地安全利用率有效保障, 湿地面积不减少) and two clauses reported as not
understood; every indicator gains its (empty) ``predecessors`` and the plan its
``comparable_baseline``. Every field —
indicators, targets, spans and quotes, tasks, projects, warnings — must stay the same.
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

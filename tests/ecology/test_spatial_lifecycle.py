"""The patch lifecycle: allowed moves, evidence, dates and due dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.core.errors import Conflict
from ecoplan.ecology.spatial.lifecycle import EVENTS, STATES, Deadlines, PatchCase, advance, is_overdue

D0 = dt.date(2024, 3, 1)


def test_illegal_patch_from_detection_to_closing_with_due_dates() -> None:
    c = PatchCase.open("P1", D0)
    assert (c.state, c.due) == ("detected", dt.date(2024, 3, 8))
    c = advance(c, "assign", dt.date(2024, 3, 5))
    assert (c.state, c.due) == ("assigned", dt.date(2024, 4, 4))
    c = advance(c, "verify_illegal", dt.date(2024, 3, 20), evidence="现场照片 3 张，采石场在建")
    assert (c.state, c.due) == ("illegal", dt.date(2024, 4, 19))
    c = advance(c, "rectify", dt.date(2024, 4, 1))
    assert (c.state, c.due) == ("rectifying", dt.date(2024, 9, 28))
    assert is_overdue(c, dt.date(2024, 9, 29)) and not is_overdue(c, dt.date(2024, 9, 28))
    c = advance(c, "close", dt.date(2024, 9, 1))
    assert (c.state, c.due, c.closed) == ("closed", None, True)
    assert not is_overdue(c, dt.date(2030, 1, 1))
    assert [h[0] for h in c.history] == ["detect", "assign", "verify_illegal", "rectify", "close"]


def test_configured_deadlines() -> None:
    c = PatchCase.open("P1", D0, Deadlines(detected=3))
    assert c.due == dt.date(2024, 3, 4)
    c = advance(c, "assign", D0, deadlines=Deadlines(assigned=10))
    assert c.due == dt.date(2024, 3, 11)


def test_refused_moves_are_worded_in_both_languages() -> None:
    c = advance(PatchCase.open("P9", D0), "assign", D0)
    with pytest.raises(Conflict) as e:
        advance(c, "close", D0)
    assert e.value.message("zh") == "图斑“P9”处于“已下发”状态，不能执行“销号”"
    assert e.value.message("en") == "patch P9 is Assigned: cannot close"
    with pytest.raises(Conflict) as e:
        advance(c, "verify_false", D0, evidence="  ")
    assert e.value.key == "ecology.spatial.lifecycle.no_evidence"
    with pytest.raises(Conflict) as e:
        advance(c, "verify_legal", dt.date(2024, 2, 1), evidence="批复文件")
    assert "2024-02-01" in e.value.message("zh") and e.value.key == "ecology.spatial.lifecycle.backdated"


@given(st.lists(st.tuples(st.sampled_from(sorted(EVENTS)), st.integers(0, 40), st.booleans()), max_size=12))
def test_any_sequence_keeps_a_valid_state(steps: list[tuple[str, int, bool]]) -> None:
    c = PatchCase.open("P", D0)
    for event, days, evidence in steps:
        on = c.since + dt.timedelta(days=days)
        allowed, to, needs = EVENTS[event]
        try:
            nxt = advance(c, event, on, evidence="证据" if evidence else None)
        except Conflict:
            assert c.state not in allowed or (needs and not evidence)
            continue
        assert c.state in allowed and nxt.state == to and nxt.state in STATES
        assert (nxt.due is None) == (to == "closed")
        c = nxt
    assert c.history[0] == ("detect", D0, None)

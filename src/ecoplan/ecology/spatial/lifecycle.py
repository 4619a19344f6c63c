"""The lifecycle of a patch: 遥感发现 → 地面核查 → 监督执法, with due dates.

States (MEE ledger practice 发现 → 下发 → 核查 → 整改 → 销号)::

    detected ──assign──▶ assigned ──verify_legal──▶ legal ───────────close──▶ closed
                                 ├─verify_false──▶ false_alarm ─────close──▶ closed
                                 └─verify_illegal▶ illegal ──rectify──▶ rectifying ──close──▶ closed

Field verification and closing after rectification need evidence (a photo, a record, a
document reference). Every step has a date, never before the previous step's.

Due dates are a configurable option (:class:`Deadlines`) [unconfirmed: the days below are
defaults of this tool, not found in a primary text]: assign within 7 days of detection,
verify within 30 days of assignment, start rectification within 30 days of an illegal
finding, close a rectification within 180 days, close a legal or false-alarm finding
within 7 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Final

from ecoplan.core.errors import Conflict
from ecoplan.ecology.spatial.words import ensure, text

__all__ = ["EVENTS", "STATES", "Deadlines", "PatchCase", "advance", "is_overdue"]

STATES: Final = ("detected", "assigned", "legal", "illegal", "false_alarm", "rectifying", "closed")
#: event -> (from states, to state, evidence required)
EVENTS: Final[dict[str, tuple[frozenset[str], str, bool]]] = {
    "assign": (frozenset({"detected"}), "assigned", False),
    "verify_legal": (frozenset({"assigned"}), "legal", True),
    "verify_illegal": (frozenset({"assigned"}), "illegal", True),
    "verify_false": (frozenset({"assigned"}), "false_alarm", True),
    "rectify": (frozenset({"illegal"}), "rectifying", False),
    "close": (frozenset({"legal", "false_alarm", "rectifying"}), "closed", False),
}


@dataclass(frozen=True)
class Deadlines:
    """Days allowed in each open state before the next step is overdue [configurable]."""

    detected: int = 7
    assigned: int = 30
    illegal: int = 30
    rectifying: int = 180
    legal: int = 7
    false_alarm: int = 7

    def days(self, state: str) -> int | None:
        return None if state == "closed" else int(getattr(self, state))


@dataclass(frozen=True)
class PatchCase:
    """A patch's case: its state, when it entered it, the due date, the history."""

    patch_id: str
    state: str = "detected"
    since: dt.date = dt.date.min
    due: dt.date | None = None
    history: tuple[tuple[str, dt.date, str | None], ...] = field(default=())

    @classmethod
    def open(cls, patch_id: str, detected_on: dt.date, deadlines: Deadlines = Deadlines()) -> PatchCase:
        due = detected_on + dt.timedelta(days=deadlines.detected)
        return cls(patch_id, "detected", detected_on, due, (("detect", detected_on, None),))

    @property
    def closed(self) -> bool:
        return self.state == "closed"


def _both(key: str) -> dict[str, str]:
    """A word in both languages, as a parameter the catalog shows in the reader's."""
    return {lang: text(key, lang) for lang in ("zh", "en")}


def advance(
    case: PatchCase,
    event: str,
    on: dt.date,
    *,
    evidence: str | None = None,
    deadlines: Deadlines = Deadlines(),
) -> PatchCase:
    """The case after ``event`` on ``on``; :class:`Conflict` (worded) for a move the state
    does not allow, a missing evidence or a date before the previous step."""
    ensure()
    if event not in EVENTS:
        raise Conflict.worded(
            "ecology.spatial.lifecycle.bad_move", patch=case.patch_id, state=case.state, event=event
        )
    allowed, to, needs = EVENTS[event]
    if case.state not in allowed:
        raise Conflict.worded(
            "ecology.spatial.lifecycle.bad_move",
            patch=case.patch_id,
            state=_both(f"state.{case.state}"),
            event=_both(f"event.{event}"),
        )
    if on < case.since:
        raise Conflict.worded(
            "ecology.spatial.lifecycle.backdated",
            patch=case.patch_id,
            event=_both(f"event.{event}"),
            on=on.isoformat(),
            last=case.since.isoformat(),
        )
    if needs and not (evidence and evidence.strip()):
        raise Conflict.worded(
            "ecology.spatial.lifecycle.no_evidence", patch=case.patch_id, event=_both(f"event.{event}")
        )
    days = deadlines.days(to)
    due = None if days is None else on + dt.timedelta(days=days)
    return replace(case, state=to, since=on, due=due, history=(*case.history, (event, on, evidence)))


def is_overdue(case: PatchCase, today: dt.date) -> bool:
    """Whether the case is still open after its due date."""
    return case.due is not None and not case.closed and today > case.due

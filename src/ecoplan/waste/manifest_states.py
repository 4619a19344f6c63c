"""The transfer manifest's state machine (转移联单), after e-Manifest's workflow.

::

    draft ──ship──▶ shipped ──receive──▶ received ──confirm──▶ confirmed ──close──▶ closed
                      │                     │                                     ▲
                      └──────reject─────────┴──▶ rejected ──close─────────────────┤
    confirmed|rejected|closed|corrected ──correct──▶ corrected ──close─────────────┘

``receive`` records the arrival and the quantities received; ``confirm`` is the
receiver's confirmation in the system (Art. 18: within 5 working days); ``reject`` is
full or partial (e-Manifest's rejection): the residue leaves on a new manifest (the
residue path, a draft whose producer is the rejecting receiver); ``correct`` changes a
signed manifest after the fact and is kept as a versioned event (e-Manifest's
corrections; the manifest's version counts them). Any other move is refused
(:class:`IllegalMove`, worded ``waste.error.illegal_move``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ecoplan.core.errors import Conflict

__all__ = ["EVENTS", "TRANSITIONS", "IllegalMove", "next_status", "reachable"]

#: status → event → the status after it.
TRANSITIONS: Mapping[str, Mapping[str, str]] = {
    "draft": {"ship": "shipped"},
    "shipped": {"receive": "received", "reject": "rejected"},
    "received": {"confirm": "confirmed", "reject": "rejected"},
    "confirmed": {"close": "closed", "correct": "corrected"},
    "rejected": {"close": "closed", "correct": "corrected"},
    "closed": {"correct": "corrected"},
    "corrected": {"correct": "corrected", "close": "closed"},
}
EVENTS = ("ship", "receive", "confirm", "reject", "close", "correct")


class IllegalMove(Conflict):
    """A move the state machine refuses."""


def next_status(status: str, event: str) -> str:
    """The status after ``event`` (:class:`IllegalMove` when the move is not allowed)."""
    after = TRANSITIONS.get(status, {}).get(event)
    if after is None:
        allowed = ", ".join(f"`{e}`" for e in sorted(TRANSITIONS.get(status, {}))) or "—"
        raise IllegalMove.worded("waste.error.illegal_move", status=status, event=event, allowed=allowed)
    return after


def reachable(start: str, end: str) -> bool:
    """Whether ``end`` can follow ``start`` by moves of the machine (itself included)."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in TRANSITIONS.get(todo.pop(), {}).values():
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return end in seen

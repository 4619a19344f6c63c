"""Lifecycle steps of many patches from one file (``ecoplan ecology patches events FILE``).

A CSV or XLSX table, one step per row: ``patch_id``, ``event`` (assign, verify_legal,
verify_illegal, verify_false, rectify, close), ``on`` (YYYY-MM-DD) and optional
``evidence`` and ``actor`` — a field team's ledger of 下发 → 核查 → 整改 → 销号 for many
patches at once, rather than one ``patches advance`` per step.

Rules:

- Per patch, the file's steps in file order are its history: the steps already stored
  (same event, same date, in the same order) are skipped, the rest are applied after
  them. So importing the same file again writes nothing, and a ledger that grows is
  imported again as a whole.
- A file whose history of a patch disagrees with the stored one, an unknown patch, an
  unknown event, a bad date, or a step the state does not allow (evidence missing, a date
  before the previous step) is refused whole: every problem is listed with file, row and
  field, and nothing is written.
- The accepted steps are written in one catalog transaction, through the app's writer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ecoplan.core.errors import EcoplanError, InputFileError, Problem
from ecoplan.core.words import word
from ecoplan.ecology.spatial.lifecycle import EVENTS, Deadlines, PatchCase, advance
from ecoplan.ecology.spatial_store import SpatialStore
from ecoplan.ingest.tables import read_table

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["EventsResult", "apply_events"]

_REQUIRED = ("patch_id", "event", "on")


@dataclass
class EventsResult:
    """Steps read, applied and already stored; patches moved."""

    file: str
    rows: int
    applied: int
    unchanged: int
    patches: int

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "rows": self.rows,
            "applied": self.applied,
            "unchanged": self.unchanged,
            "patches": self.patches,
        }


@dataclass(frozen=True)
class _Step:
    row: int
    event: str
    on: dt.date
    evidence: str | None
    actor: str | None


def _problem(file: str, row: int, field: str, text: str, key: str, lang: str, **params: object) -> Problem:
    return Problem(
        file=file, row=row, field=field, text=text, reason=word(f"ecology.demo.{key}", lang, **params)
    )


def _read(path: str | Path, lang: str) -> tuple[str, dict[str, list[_Step]], int, list[Problem]]:
    name = Path(path).name
    header, rows = read_table(path)
    cols = {h.strip().lower(): h for h in header}
    missing = [c for c in _REQUIRED if c not in cols]
    if missing:
        raise InputFileError(name, [_problem(name, 1, c, "", "column_missing", lang) for c in missing])
    problems: list[Problem] = []
    steps: dict[str, list[_Step]] = {}
    for n, cells in rows:
        get = {
            k: (cells.get(cols[k]) or "").strip() if k in cols else ""
            for k in (*_REQUIRED, "evidence", "actor")
        }
        pid, event, on = get["patch_id"], get["event"], get["on"]
        if not pid:
            problems.append(_problem(name, n, "patch_id", pid, "value_missing", lang))
            continue
        if event not in EVENTS:
            problems.append(
                _problem(name, n, "event", event, "event_unknown", lang, choices=", ".join(EVENTS))
            )
            continue
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            problems.append(_problem(name, n, "on", on, "date_invalid", lang))
            continue
        steps.setdefault(pid, []).append(_Step(n, event, day, get["evidence"] or None, get["actor"] or None))
    return name, steps, len(rows), problems


def apply_events(
    session: Ecoplan, path: str | Path, *, lang: str = "en", deadlines: Deadlines | None = None
) -> EventsResult:
    """Apply the lifecycle steps of a file (see the module); InputFileError when refused."""
    name, steps, nrows, problems = _read(path, lang)
    dl = deadlines or Deadlines()
    with session.writer() as w:
        st = SpatialStore(w.catalog)
        todo: list[tuple[str, PatchCase, _Step]] = []
        unchanged = 0
        history: dict[str, list[tuple[str, dt.date]]] = {}
        for pid, e, d in st.events()[["patch_id", "event", "on_date"]].itertuples(index=False):
            if e != "detect":
                history.setdefault(str(pid), []).append((str(e), _date(d)))
        for pid, mine in steps.items():
            got = st.case(pid)
            if got is None:
                problems.append(_problem(name, mine[0].row, "patch_id", pid, "patch_unknown", lang))
                continue
            stored = history.get(pid, [])
            done = [(s.event, s.on) for s in mine[: len(stored)]]
            # compared as sets of (event, date): steps of one day stored by one import
            # share their recording time, so the store's order of them is not reliable
            if sorted(done) != sorted(stored):
                problems.append(_problem(name, mine[0].row, "event", pid, "history_differs", lang, patch=pid))
                continue
            unchanged += len(stored)
            case = PatchCase(pid, got[0], _date(got[1]), None if got[2] is None else _date(got[2]))
            for s in mine[len(stored) :]:
                try:
                    case = advance(case, s.event, s.on, evidence=s.evidence, deadlines=dl)
                except EcoplanError as exc:
                    problems.append(
                        Problem(file=name, row=s.row, field="event", text=s.event, reason=exc.message(lang))
                    )
                    break
                todo.append((pid, case, s))
        if problems:
            raise InputFileError(name, sorted(problems, key=lambda p: p.row or 0))
        with w.catalog.transaction():
            for pid, case, s in todo:
                st.write_event(pid, case.state, case.since, case.due, s.event, s.evidence, s.actor)
    return EventsResult(name, nrows, len(todo), unchanged, len({p for p, _c, _s in todo}))


def _date(d: object) -> dt.date:
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    return dt.date.fromisoformat(str(d)[:10])

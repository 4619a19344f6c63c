"""The manifest state machine against the stored manifests (Hypothesis stateful test):
random moves on a real DuckDB file, each legal one stored with its event, each illegal
one refused with nothing stored. The expected moves are written out here from the
e-Manifest-like workflow of ``docs/waste.md``, not taken from the code."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from tests.waste.test_core_data import ACTORS, PERMITS, write

from ecoplan.app import Ecoplan
from ecoplan.waste.manifest_states import IllegalMove

#: (status, event) → status after it; every other pair is refused.
EXPECTED = {
    ("draft", "ship"): "shipped",
    ("shipped", "receive"): "received",
    ("shipped", "reject"): "rejected",
    ("received", "confirm"): "confirmed",
    ("received", "reject"): "rejected",
    ("confirmed", "close"): "closed",
    ("rejected", "close"): "closed",
    ("confirmed", "correct"): "corrected",
    ("rejected", "correct"): "corrected",
    ("closed", "correct"): "corrected",
    ("corrected", "correct"): "corrected",
    ("corrected", "close"): "closed",
}
EVENTS = ("ship", "receive", "confirm", "reject", "close", "correct")
HEADER = (
    "manifest_no,producer_id,transporter_id,receiver_id,approval_no,status,paper,shipped_at,arrived_at,"
    "confirmed_at,closed_at,backfilled_at,vehicle,producers_on_manifest,line_no,code,form,packaging,containers,"
    "qty_shipped_t,qty_received_t,code_received,form_received,packaging_received"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("states")
    db = folder / "s.duckdb"
    with Ecoplan(db) as ep:
        ep.waste.import_file("actors", write(folder / "actors.csv", ACTORS))
        ep.waste.import_file("permits", write(folder / "permits.csv", PERMITS))
    return db


def test_manifest_state_machine(store: Path, tmp_path: Path) -> None:
    serial = itertools.count(1)
    with Ecoplan(store) as ep:

        class Manifests(RuleBasedStateMachine):
            @initialize()
            def draft(self) -> None:
                self.no = f"20253205{next(serial):06d}"
                row = f"{self.no},P1,T1,R1,,draft,false,,,,,,,1,1,900-249-08,液态,桶,1,2.0,,,,"
                ep.waste.import_file("manifests", write(tmp_path / "m.csv", [HEADER, row]))
                self.status, self.version, self.events = "draft", 1, 1
                self.clock = dt.datetime(2025, 3, 1, 8)

            @rule(event=st.sampled_from(EVENTS), hours=st.integers(0, 72))
            def move(self, event: str, hours: int) -> None:
                self.clock += dt.timedelta(hours=hours)
                after = EXPECTED.get((self.status, event))
                changes = {"vehicle": f"苏E{self.events:05d}"} if event == "correct" else None
                if after is None:
                    with pytest.raises(IllegalMove):
                        ep.waste.move(self.no, event, self.clock, changes=changes)
                    return
                m = ep.waste.move(self.no, event, self.clock, changes=changes)
                self.status, self.events = after, self.events + 1
                self.version += event == "correct"
                assert m["events"][-1]["event"] == event

            @invariant()
            def stored_as_expected(self) -> None:
                if not hasattr(self, "no"):
                    return
                m = ep.waste.manifest(self.no)
                assert (m["status"], m["version"], len(m["events"])) == (
                    self.status,
                    self.version,
                    self.events,
                )

        Manifests.TestCase.settings = settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        Manifests.TestCase().runTest()

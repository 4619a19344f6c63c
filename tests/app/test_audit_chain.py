"""The audit log's hash chain (issue #12) on a real DuckDB file.

Random rows are appended through ``ep.audit.append``; then a row is changed behind the
app's back with plain SQL — any field of any row, a deleted row, rows swapped or
renumbered, a tail cut off — and ``ep.audit.verify`` must name the row where the chain
breaks. The expected break is worked out from what the test changed, never from the
code under test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import Forbidden

FIELDS = (
    "seq",
    "occurred_at",
    "actor",
    "action",
    "target",
    "region",
    "outcome",
    "before",
    "after",
    "source",
    "prev_hash",
    "hash",
)
EXAMPLES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# text DuckDB and UTF-8 can hold (no lone surrogates, no NUL in VARCHAR columns)
text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
rows = st.fixed_dictionaries(
    {
        "actor": st.none() | text,
        "action": text.filter(bool),
        "target": st.none() | text,
        "region": st.none() | st.sampled_from(["000000", "440000", "440700", "440703"]),
        "outcome": st.sampled_from(["ok", "denied", "failed"]),
        "before": json_values,
        "after": json_values,
        "source": st.none() | text,
    }
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecoplan]:
    """One real DuckDB file for the module (the log is emptied before each test)."""
    with Ecoplan(tmp_path_factory.mktemp("audit") / "audit.duckdb") as app:
        app.init()
        yield app


@pytest.fixture
def ep(store: Ecoplan) -> Ecoplan:
    _reset(store)
    return store


def _reset(ep: Ecoplan) -> None:
    ep.catalog.con.execute("DELETE FROM audit_log")


def _fill(ep: Ecoplan, batch: list[dict[str, Any]]) -> list[int]:
    return [ep.audit.append(r.pop("actor"), r.pop("action"), **r) for r in (dict(b) for b in batch)]


def _row(ep: Ecoplan, seq: int) -> dict[str, Any]:
    cur = ep.catalog.con.execute("SELECT * FROM audit_log WHERE seq = ?", [seq])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None
    return dict(zip(cols, row, strict=True))


def _sql(ep: Ecoplan, sql: str, args: list[Any]) -> None:
    ep.catalog.con.execute(sql, args)


def _json_other(old: Any) -> str:
    """A JSON text whose value differs from the stored ``old`` (JSON text or NULL)."""
    value = None if old is None else json.loads(old)
    return json.dumps({"forged": value})


def _edit(ep: Ecoplan, seq: int, field: str, n: int) -> None:
    """Change ``field`` of row ``seq`` to a value it did not hold."""
    old = _row(ep, seq)[field]
    if field == "seq":
        new: Any = n + 5
    elif field == "occurred_at":
        new = old + dt.timedelta(microseconds=1)
    elif field in ("before", "after"):
        new = _json_other(old)
    elif field in ("prev_hash", "hash"):
        new = ("0" if old[0] != "0" else "1") + old[1:]
    elif field == "outcome":
        new = "ok" if old != "ok" else "denied"
    elif old is None:
        new = ""
    else:
        new = old + "x"
    _sql(ep, f'UPDATE audit_log SET "{field}" = ? WHERE seq = ?', [new, seq])


@given(batch=st.lists(rows, min_size=1, max_size=6))
@EXAMPLES
def test_random_rows_verify_and_read_back(ep: Ecoplan, batch: list[dict[str, Any]]) -> None:
    _reset(ep)
    seqs = _fill(ep, batch)
    assert seqs == list(range(1, len(batch) + 1))
    v = ep.audit.verify()
    assert v.ok and v.rows == len(batch)
    assert ep.audit.head() == (len(batch), v.head)
    back = ep.audit.rows(Principal.shell(), limit=None)
    for want, got in zip(batch, back, strict=True):
        for k, value in want.items():
            assert got[k] == value, k


@given(
    batch=st.lists(rows, min_size=1, max_size=6),
    pick=st.integers(0, 10_000),
    field=st.sampled_from(FIELDS),
)
@EXAMPLES
def test_an_edit_of_any_field_of_any_row_is_named(
    ep: Ecoplan, batch: list[dict[str, Any]], pick: int, field: str
) -> None:
    _reset(ep)
    _fill(ep, batch)
    n = len(batch)
    seq = pick % n + 1
    _edit(ep, seq, field, n)
    v = ep.audit.verify()
    assert not v.ok
    assert v.broken_seq == seq
    # a renumbered row leaves a gap where it was; a changed link is a relink
    assert v.why == {"prev_hash": "relinked", "seq": "missing"}.get(field, "edited")


@given(batch=st.lists(rows, min_size=2, max_size=6), pick=st.integers(0, 10_000))
@EXAMPLES
def test_a_deleted_row_is_named_and_a_cut_tail_needs_the_head(
    ep: Ecoplan, batch: list[dict[str, Any]], pick: int
) -> None:
    _reset(ep)
    _fill(ep, batch)
    n = len(batch)
    good = ep.audit.verify()
    kept = (good.rows, good.head)
    seq = pick % n + 1
    _sql(
        ep,
        "DELETE FROM audit_log WHERE seq >= ?" if pick % 2 else "DELETE FROM audit_log WHERE seq = ?",
        [seq],
    )
    cut_tail = pick % 2 == 1 or seq == n
    v = ep.audit.verify()
    if cut_tail:
        # what is left is a valid shorter chain: only the head kept elsewhere tells
        assert v.ok and v.rows == seq - 1
        w = ep.audit.verify(expect_head=kept)
        assert (w.broken_seq, w.why) == (seq, "head")
    else:
        assert (v.broken_seq, v.why) == (seq, "missing")


def test_a_kept_head_stays_valid_while_the_log_grows(ep: Ecoplan) -> None:
    assert ep.audit.verify(expect_head=(0, "0" * 64)).ok  # the empty log's head
    for i in range(3):
        ep.audit.append("admin", "user.add", target=f"u{i}")
    v = ep.audit.verify()
    kept = (v.rows, v.head)
    for i in range(3):
        ep.audit.append("admin", "user.add", target=f"later{i}")
    assert ep.audit.verify(expect_head=kept).ok  # more rows since: fine
    assert ep.audit.verify(expect_head=(0, "0" * 64)).ok
    wrong = ep.audit.verify(expect_head=(3, "f" * 64))
    assert (wrong.broken_seq, wrong.why) == (3, "head")
    ahead = ep.audit.verify(expect_head=(9, v.head))
    assert (ahead.broken_seq, ahead.why) == (7, "head")
    # the tail from row 3 cut and rewritten with new rows: same length, other hashes
    _sql(ep, "DELETE FROM audit_log WHERE seq >= 3", [])
    for i in range(4):
        ep.audit.append("forger", "user.add", target=f"f{i}")
    assert ep.audit.verify().ok
    rewritten = ep.audit.verify(expect_head=kept)
    assert (rewritten.broken_seq, rewritten.why) == (3, "head")


def test_swapped_rows_renumbered_rows_and_a_rehashed_forgery(ep: Ecoplan) -> None:
    for i in range(6):
        ep.audit.append(f"user{i}", "user.add", target=f"t{i}", after={"i": i})
    cols = [c for c in FIELDS if c != "seq"]
    r3, r4 = _row(ep, 3), _row(ep, 4)
    sets = ", ".join(f'"{c}" = ?' for c in cols)
    # two rows swap places (each keeps its own seq)
    _sql(ep, f"UPDATE audit_log SET {sets} WHERE seq = 3", [r4[c] for c in cols])
    _sql(ep, f"UPDATE audit_log SET {sets} WHERE seq = 4", [r3[c] for c in cols])
    v = ep.audit.verify()
    assert (v.broken_seq, v.why) == (3, "relinked")
    # put them back: the chain is whole again
    _sql(ep, f"UPDATE audit_log SET {sets} WHERE seq = 3", [r3[c] for c in cols])
    _sql(ep, f"UPDATE audit_log SET {sets} WHERE seq = 4", [r4[c] for c in cols])
    assert ep.audit.verify().ok
    # row 3 removed and the later rows renumbered to close the gap
    _sql(ep, "DELETE FROM audit_log WHERE seq = 3", [])
    _sql(ep, "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3", [])
    v = ep.audit.verify()
    assert (v.broken_seq, v.why) == (3, "relinked")


def test_a_forger_who_rehashes_the_row_is_caught_at_the_next(ep: Ecoplan) -> None:
    import hashlib

    for i in range(4):
        ep.audit.append("admin", "user.disable", target=f"u{i}", after={"disabled": True})
    r2 = _row(ep, 2)
    # recompute row 2's hash with its forged target the way the log does: the next row
    # still names the old hash
    from ecoplan.store.audit import row_hash

    forged = row_hash(
        r2["prev_hash"], 2, r2["occurred_at"], r2["actor"], r2["action"], "someone-else",
        r2["region"], r2["outcome"], r2["before"], r2["after"], r2["source"],
    )  # fmt: skip
    assert forged != r2["hash"]
    _sql(ep, "UPDATE audit_log SET target = 'someone-else', hash = ? WHERE seq = 2", [forged])
    v = ep.audit.verify()
    assert (v.broken_seq, v.why) == (3, "relinked")
    # the genesis: a first row must chain from 64 zeros
    assert _row(ep, 1)["prev_hash"] == "0" * 64
    assert hashlib.sha256(b"").hexdigest() != "0" * 64


def test_a_row_joins_the_transaction_it_records(ep: Ecoplan) -> None:
    """A write that fails after its audit row leaves neither (one transaction)."""

    class Boom(Exception):
        pass

    with pytest.raises(Boom), ep.writer() as w, w.catalog.transaction():
        w.audit.append("admin", "plan.edit", target="plan/x")
        raise Boom
    assert ep.audit.head() == (0, "0" * 64)
    assert ep.audit.append("admin", "plan.edit") == 1
    assert ep.audit.verify().ok


def test_rows_are_for_admins_and_their_regions(ep: Ecoplan) -> None:
    ep.audit.append("a", "user.add", region="440700")
    ep.audit.append("b", "user.add", region="440400")
    ep.audit.append("c", "user.add", region="440703")
    ep.audit.append("d", "auth.login", region=None)
    shell = Principal.shell()
    assert [r["actor"] for r in ep.audit.rows(shell)] == ["a", "b", "c", "d"]
    jm = Principal("jm-admin", Role.ADMIN, "440700")
    assert [r["actor"] for r in ep.audit.rows(jm)] == ["a", "c"]
    gd = Principal("gd-admin", Role.ADMIN, "440000")
    assert [r["actor"] for r in ep.audit.rows(gd)] == ["a", "b", "c"]
    assert [r["actor"] for r in ep.audit.rows(shell, action="auth.")] == ["d"]
    assert [r["seq"] for r in ep.audit.rows(shell, after_seq=2, limit=1)] == [3]
    with pytest.raises(Forbidden):
        ep.audit.rows(Principal("jm-reviewer", Role.REVIEWER, "440700"))

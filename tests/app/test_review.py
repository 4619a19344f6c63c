"""``ep.review`` (issue #12) on a real DuckDB file: the submission state machine, who may
move it, what publishing writes, and the assessment on "latest submitted".

A store with the built-in plans (and a key project of Jiangmen) is made once for the
module and copied for every test. Reporters and reviewers are principals (no account
is needed to act: the app checks the principal's role and region).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ecoplan.app import Ecoplan
from ecoplan.assess.model import PlanAssessment
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import Conflict, EcoplanError, Forbidden, InputFileError, NotFound
from ecoplan.plans.serialize import plan_to_mapping

PLAN = "jiangmen-13th-eco"
JM, PJ, GD, ZH = "440700", "440703", "440000", "440400"
SHELL = Principal.shell()
REPORTER = Principal("jm-reporter", Role.REPORTER, JM)
REPORTER2 = Principal("jm-reporter-2", Role.REPORTER, JM)
VIEWER = Principal("jm-viewer", Role.VIEWER, JM)
ZH_REPORTER = Principal("zh-reporter", Role.REPORTER, ZH)
REVIEWER = Principal("gd-reviewer", Role.REVIEWER, GD)
REVIEWER2 = Principal("gd-reviewer-2", Role.REVIEWER, GD)
ZH_REVIEWER = Principal("zh-reviewer", Role.REVIEWER, ZH)
PROJECT = "jm-sewage-1"


def csv(*rows: tuple[str, int, float], region: str = JM) -> bytes:
    lines = ["plan,indicator,region,year,value"]
    lines += [f"{PLAN},{ind},{region},{year},{value}" for ind, year, value in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "base.duckdb"
    with Ecoplan(path) as app:
        app.init()
        mapping = plan_to_mapping(app.definition(PLAN))
        mapping["projects"] = [
            {"id": PROJECT, "name": {"zh": "江门污水处理厂提标", "en": "Sewage plant upgrade"}, "region": JM}
        ]
        app.editing.edit_plan(SHELL, PLAN, mapping)
        app.catalog.con.execute("CHECKPOINT")
    return path


@pytest.fixture
def ep(base: Path, tmp_path: Path) -> Iterator[Ecoplan]:
    path = tmp_path / "review.duckdb"
    shutil.copy(base, path)
    with Ecoplan(path) as app:
        yield app


def audit_actions(ep: Ecoplan, after_seq: int = 0) -> list[tuple[str | None, str, str]]:
    return [
        (r["actor"], r["action"], r["outcome"]) for r in ep.audit.rows(SHELL, after_seq=after_seq, limit=None)
    ]


def values(ep: Ecoplan) -> list[dict[str, Any]]:
    cur = ep.catalog.con.execute(
        "SELECT indicator_id, region, year, revision, value, actor, reviewer, submission_id, origin "
        "FROM value_revisions WHERE plan_id = ? ORDER BY indicator_id, year, revision",
        [PLAN],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


# -- the whole round ---------------------------------------------------------------------------
def test_submit_return_resubmit_accept_publish(ep: Ecoplan) -> None:
    preview = ep.review.preview(REPORTER, "v.csv", csv(("air-good-days", 2017, 91.5)))
    assert preview["counts"] == {"new": 1, "changed": 0, "unchanged": 0}
    assert values(ep) == []  # a preview stores nothing

    s = ep.review.submit_values(REPORTER, "v.csv", csv(("air-good-days", 2017, 91.5), ("air-pm25", 2017, 33)))
    sid = s["id"]
    assert (s["state"], s["author"], s["region"], s["plan_id"], s["kind"]) == (
        "submitted",
        "jm-reporter",
        JM,
        PLAN,
        "values",
    )
    assert [(r["indicator"], r["year"], r["value"]) for r in s["payload"]] == [
        ("air-good-days", 2017, 91.5),
        ("air-pm25", 2017, 33.0),
    ]
    assert values(ep) == []  # submitted is not published

    r = ep.review.review(REVIEWER, sid, "return", "  PM2.5 looks low; check the station data  ")
    assert (r["state"], r["comment"]) == ("returned", "PM2.5 looks low; check the station data")

    r = ep.review.resubmit(
        REPORTER, sid, "v2.csv", csv(("air-good-days", 2017, 91.5), ("air-pm25", 2017, 36))
    )
    assert (r["state"], r["origin"]) == ("submitted", "v2.csv")
    assert [x["value"] for x in r["payload"]] == [91.5, 36.0]

    r = ep.review.review(REVIEWER, sid, "accept")
    assert r["state"] == "accepted"
    assert values(ep) == []

    r = ep.review.publish(REVIEWER2, sid)
    assert r["state"] == "published" and r["published_at"] is not None and r["reviewer"] == "gd-reviewer-2"
    got = values(ep)
    assert [(v["indicator_id"], v["year"], v["value"]) for v in got] == [
        ("air-good-days", 2017, 91.5),
        ("air-pm25", 2017, 36.0),
    ]
    for v in got:
        assert (v["actor"], v["reviewer"], v["submission_id"], v["origin"]) == (
            "jm-reporter",
            "gd-reviewer-2",
            sid,
            "v2.csv",
        )

    # every step is an event and an audit row
    events = ep.review.get(REVIEWER, sid)["events"]
    assert [(e["state"], e["actor"]) for e in events] == [
        ("submitted", "jm-reporter"),
        ("returned", "gd-reviewer"),
        ("submitted", "jm-reporter"),
        ("accepted", "gd-reviewer"),
        ("published", "gd-reviewer-2"),
    ]
    assert events[1]["comment"] == "PM2.5 looks low; check the station data"
    submission_rows = [a for a in audit_actions(ep) if a[1].startswith("submission.")]
    assert submission_rows == [
        ("jm-reporter", "submission.create", "ok"),
        ("gd-reviewer", "submission.return", "ok"),
        ("jm-reporter", "submission.resubmit", "ok"),
        ("gd-reviewer", "submission.accept", "ok"),
        ("gd-reviewer-2", "submission.publish", "ok"),
    ]
    publish = ep.audit.rows(SHELL, action="submission.publish", limit=None)[-1]
    assert (publish["target"], publish["region"], publish["before"], publish["after"]) == (
        f"submission/{sid}",
        JM,
        {"state": "accepted"},
        {"state": "published"},
    )
    assert ep.audit.verify().ok

    # the stored (materialised) assessment reads the published value
    rows = ep.catalog.assessment_rows(PLAN, year=2017, region=JM)
    pm = rows[rows["indicator_id"] == "air-pm25"]
    assert list(pm["value"]) == [36.0]

    # a second round revises: a new revision, the old one kept
    s2 = ep.review.submit_values(REPORTER2, "v3.csv", csv(("air-pm25", 2017, 35)))
    ep.review.review(REVIEWER, s2["id"], "accept")
    ep.review.publish(REVIEWER, s2["id"])
    pm_revs = [(v["revision"], v["value"], v["actor"]) for v in values(ep) if v["indicator_id"] == "air-pm25"]
    assert pm_revs == [(1, 36.0, "jm-reporter"), (2, 35.0, "jm-reporter-2")]
    assert ep.review.preview(REPORTER, "v.csv", csv(("air-pm25", 2017, 35), ("air-pm25", 2018, 30)))[
        "counts"
    ] == {"new": 1, "changed": 0, "unchanged": 1}


# -- the state machine -------------------------------------------------------------------------
LEGAL = {  # action -> the states it may leave (design of issue #12)
    "accept": {"submitted"},
    "return": {"submitted"},
    "publish": {"accepted"},
    "withdraw": {"submitted", "returned"},
    "resubmit": {"submitted", "returned"},
}
AFTER = {
    "accept": "accepted",
    "return": "returned",
    "publish": "published",
    "withdraw": "withdrawn",
    "resubmit": "submitted",
}


def _to_state(ep: Ecoplan, state: str, n: int) -> int:
    sid = int(ep.review.submit_values(REPORTER, "v.csv", csv(("air-good-days", 2016, 50 + n)))["id"])
    if state in ("returned", "accepted", "published"):
        ep.review.review(REVIEWER, sid, "return" if state == "returned" else "accept", "see the note")
    if state == "published":
        ep.review.publish(REVIEWER, sid)
    if state == "withdrawn":
        ep.review.withdraw(REPORTER, sid)
    return sid


def _act(ep: Ecoplan, action: str, sid: int) -> dict[str, Any]:
    acts: dict[str, Callable[[], dict[str, Any]]] = {
        "accept": lambda: ep.review.review(REVIEWER, sid, "accept"),
        "return": lambda: ep.review.review(REVIEWER, sid, "return", "again"),
        "publish": lambda: ep.review.publish(REVIEWER, sid),
        "withdraw": lambda: ep.review.withdraw(REPORTER, sid),
        "resubmit": lambda: ep.review.resubmit(REPORTER, sid, "r.csv", csv(("air-good-days", 2016, 70))),
    }
    return acts[action]()


def test_every_move_from_every_state(ep: Ecoplan) -> None:
    n = 0
    for state in ("submitted", "returned", "accepted", "published", "withdrawn"):
        for action in LEGAL:
            n += 1
            sid = _to_state(ep, state, n)
            events = len(ep.review.get(REVIEWER, sid)["events"])
            published = len(values(ep))
            if state in LEGAL[action]:
                assert _act(ep, action, sid)["state"] == AFTER[action], (state, action)
                continue
            with pytest.raises(Conflict) as info:
                _act(ep, action, sid)
            assert info.value.key == "review.error.state", (state, action)
            after = ep.review.get(REVIEWER, sid)
            assert after["state"] == state and len(after["events"]) == events, (state, action)
            assert len(values(ep)) == published


def test_only_the_author_resubmits_or_withdraws(ep: Ecoplan) -> None:
    sid = int(ep.review.submit_values(REPORTER, "v.csv", csv(("air-good-days", 2016, 81)))["id"])
    seq = ep.audit.head()[0]
    with pytest.raises(Forbidden):
        ep.review.withdraw(REPORTER2, sid)
    with pytest.raises(Forbidden):
        ep.review.resubmit(REPORTER2, sid, "r.csv", csv(("air-good-days", 2016, 82)))
    with pytest.raises(Forbidden):  # a reviewer is not the author either
        ep.review.withdraw(REVIEWER, sid)
    assert audit_actions(ep, seq) == [
        ("jm-reporter-2", "submission.withdraw", "denied"),
        ("jm-reporter-2", "submission.resubmit", "denied"),
        ("gd-reviewer", "submission.withdraw", "denied"),
    ]
    s = ep.review.get(REPORTER, sid)
    assert s["state"] == "submitted" and s["payload"][0]["value"] == 81.0


def test_no_one_reviews_or_publishes_their_own(ep: Ecoplan) -> None:
    # a reviewer may report (reviewer includes reporter), but not review what they sent
    sid = int(ep.review.submit_values(REVIEWER, "v.csv", csv(("air-good-days", 2016, 83)))["id"])
    assert sid not in {s["id"] for s in ep.review.queue(REVIEWER)}
    assert sid in {s["id"] for s in ep.review.queue(REVIEWER2)}
    with pytest.raises(Forbidden):
        ep.review.review(REVIEWER, sid, "accept")
    ep.review.review(REVIEWER2, sid, "accept")
    with pytest.raises(Forbidden):
        ep.review.publish(REVIEWER, sid)
    assert ep.review.get(REVIEWER, sid)["state"] == "accepted"
    assert values(ep) == []
    denied = [a for a in audit_actions(ep) if a[2] == "denied"]
    assert denied == [
        ("gd-reviewer", "submission.accept", "denied"),
        ("gd-reviewer", "submission.publish", "denied"),
    ]


def test_region_and_role_scope(ep: Ecoplan) -> None:
    with pytest.raises(Forbidden):  # Zhuhai reports Jiangmen
        ep.review.submit_values(ZH_REPORTER, "v.csv", csv(("air-good-days", 2016, 84)))
    with pytest.raises(Forbidden):  # a viewer reports
        ep.review.submit_values(VIEWER, "v.csv", csv(("air-good-days", 2016, 84)))
    with pytest.raises(Forbidden):  # a county reporter sends the city's values
        ep.review.submit_values(Principal("pj", Role.REPORTER, PJ), "v.csv", csv(("air-good-days", 2016, 84)))
    sid = int(ep.review.submit_values(REPORTER, "v.csv", csv(("air-good-days", 2016, 84)))["id"])
    with pytest.raises(Forbidden):  # Zhuhai's reviewer
        ep.review.review(ZH_REVIEWER, sid, "accept")
    with pytest.raises(Forbidden):  # a reporter reviews
        ep.review.review(REPORTER2, sid, "accept")
    with pytest.raises(Forbidden):
        ep.review.get(ZH_REPORTER, sid)
    assert ep.review.listing(ZH_REVIEWER) == []
    assert [s["id"] for s in ep.review.listing(REVIEWER)] == [sid]
    assert ep.review.get(REVIEWER, sid)["state"] == "submitted"
    with pytest.raises(NotFound):
        ep.review.get(REVIEWER, 999)


def test_a_submission_belongs_to_the_nearest_region_above_its_rows(ep: Ecoplan) -> None:
    jm_reviewer = Principal("jm-reviewer", Role.REVIEWER, JM)
    # a provincial reviewer reports for Jiangmen and its county Pengjiang
    both = csv(("air-good-days", 2017, 88)) + f"{PLAN},air-good-days,{PJ},2017,87\n".encode()
    s = ep.review.submit_values(REVIEWER, "both.csv", both)
    assert s["region"] == JM
    assert ep.review.submit_values(REVIEWER, "pj.csv", csv(("air-pm25", 2017, 30), region=PJ))["region"] == PJ
    assert s["id"] in {q["id"] for q in ep.review.queue(jm_reviewer)}
    assert ep.review.review(jm_reviewer, s["id"], "accept")["state"] == "accepted"
    assert [(o.year, o.value) for o in ep.review.pending(PLAN, JM)["air-good-days"]] == [(2017, 88.0)]


def test_bad_decisions_and_files(ep: Ecoplan) -> None:
    sid = int(ep.review.submit_values(REPORTER, "v.csv", csv(("air-good-days", 2016, 85)))["id"])
    with pytest.raises(EcoplanError) as info:
        ep.review.review(REVIEWER, sid, "return", "   ")
    assert info.value.key == "review.error.comment"
    with pytest.raises(EcoplanError):
        ep.review.review(REVIEWER, sid, "publish")
    seq = ep.audit.head()[0]
    bad = csv(("air-good-days", 2016, 85)) + f"{PLAN},no-such-indicator,{JM},2016,1\n".encode()
    with pytest.raises(InputFileError) as err:
        ep.review.submit_values(REPORTER, "upload.csv", bad)
    assert err.value.file == "upload.csv" and all(p.file == "upload.csv" for p in err.value.problems)
    assert "/tmp" not in str(err.value)
    with pytest.raises(InputFileError):
        ep.review.submit_values(REPORTER, "f.csv", csv(("air-good-days", 2016, 85)) + b"x,=1+1\n")
    rows = ep.audit.rows(SHELL, after_seq=seq, limit=None)
    assert [(r["action"], r["outcome"]) for r in rows] == [("submission.create", "denied")] * 2
    assert rows[0]["after"]["problems"]
    assert [s["id"] for s in ep.review.listing(REVIEWER)] == [sid]  # nothing else was stored
    with pytest.raises(EcoplanError):  # a resubmission for another plan
        ep.review.resubmit(
            REPORTER, sid, "o.csv", b"plan,indicator,region,year,value\ncn-13th-eco,air-pm25,440700,2016,30\n"
        )


@pytest.mark.parametrize(
    "name", ["", "/", "a\x00b.csv", "../../etc/passwd.csv", "报表" * 100 + ".csv", ".csv"]
)
def test_any_sent_file_name_is_only_a_label(ep: Ecoplan, name: str) -> None:
    """The name a client sends is kept as the origin, never used as a path."""
    s = ep.review.submit_values(REPORTER, name, csv(("air-good-days", 2016, 86)))
    assert s["origin"] == name
    with pytest.raises(InputFileError) as info:
        ep.review.submit_values(REPORTER, name, csv(("no-such-indicator", 2016, 1)))
    assert info.value.file == name and all(p.file == name for p in info.value.problems)


# -- task and project progress -----------------------------------------------------------------
def test_task_progress_with_evidence(ep: Ecoplan) -> None:
    task = ep.definition(PLAN).tasks[0].id
    pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
    s = ep.review.submit_task(
        REPORTER, PLAN, task, "done", note="全部完成", evidence_file=("验收报告.pdf", pdf)
    )
    ev = s["payload"]["evidence"]
    assert (ev["kind"], ev["media_type"], ev["name"]) == ("file", "application/pdf", "验收报告.pdf")
    stored = ep.review.evidence(VIEWER, ev["sha256"])
    assert bytes(stored["content"]) == pdf
    before = {t["id"]: t for t in ep.tasks(PLAN)}[task]
    assert before["status"] is None
    ep.review.review(REVIEWER, s["id"], "accept")
    ep.review.publish(REVIEWER, s["id"])
    after = {t["id"]: t for t in ep.tasks(PLAN)}[task]
    assert after["status"] == "done"
    assert ev["sha256"] in after["evidence"] and "全部完成" in after["note"]
    with pytest.raises(EcoplanError):
        ep.review.submit_task(REPORTER, PLAN, task, "finished")
    with pytest.raises(NotFound):
        ep.review.submit_task(REPORTER, PLAN, "no-such-task", "done")
    with pytest.raises(EcoplanError):
        ep.review.submit_task(REPORTER, PLAN, task, "done", evidence_link="javascript:alert(1)")
    with pytest.raises(InputFileError):
        ep.review.submit_task(REPORTER, PLAN, task, "done", evidence_file=("x.exe", b"MZ\x90\x00\x03\x00"))
    with pytest.raises(Forbidden):
        ep.review.submit_task(ZH_REPORTER, PLAN, task, "done")
    with pytest.raises(Conflict):  # only values files are resubmitted
        ep.review.resubmit(REPORTER, s["id"], "v.csv", csv(("air-good-days", 2016, 85)))


def test_a_publish_that_fails_leaves_nothing(ep: Ecoplan) -> None:
    """Publishing is one transaction: a task gone from the plan meanwhile leaves the
    submission accepted, no event, no status and no audit row of a publish."""
    task = ep.definition(PLAN).tasks[0].id
    s = ep.review.submit_task(REPORTER, PLAN, task, "in_progress", evidence_text="施工中")
    ep.review.review(REVIEWER, s["id"], "accept")
    m = plan_to_mapping(ep.definition(PLAN))
    m["tasks"] = [t for t in m["tasks"] if t["id"] != task]
    ep.editing.edit_plan(SHELL, PLAN, m)
    seq = ep.audit.head()[0]
    with pytest.raises(NotFound):
        ep.review.publish(REVIEWER, s["id"])
    after = ep.review.get(REVIEWER, s["id"])
    assert after["state"] == "accepted" and len(after["events"]) == 2
    assert ep.audit.head()[0] == seq
    assert ep.catalog.con.execute("SELECT count(*) FROM task_status").fetchone() == (0,)
    assert ep.audit.verify().ok


def test_project_progress(ep: Ecoplan) -> None:
    s = ep.review.submit_project(
        REPORTER, PLAN, PROJECT, progress_pct=60, investment=0.8, milestone="主体完工"
    )
    assert {p["id"]: p for p in ep.projects(PLAN)}[PROJECT]["progress_pct"] is None
    ep.review.review(REVIEWER, s["id"], "accept")
    ep.review.publish(REVIEWER, s["id"])
    p = {p["id"]: p for p in ep.projects(PLAN)}[PROJECT]
    assert (p["progress_pct"], p["investment"], p["milestone"], p["actor"], p["reviewer"]) == (
        60.0,
        0.8,
        "主体完工",
        "jm-reporter",
        "gd-reviewer",
    )
    for bad in ({"progress_pct": 101}, {"progress_pct": -1}, {"progress_pct": 5, "investment": -1}):
        with pytest.raises(EcoplanError):
            ep.review.submit_project(REPORTER, PLAN, PROJECT, **bad)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        ep.review.submit_project(REPORTER, PLAN, "nope", progress_pct=1)


# -- the assessment on "latest submitted" ------------------------------------------------------
def _outcome(pa: PlanAssessment) -> list[Any]:
    """What an assessment says, without where its observations came from."""
    return [dataclasses.replace(ia, observation=None) for ia in pa.indicators]


def test_pending_assessment_equals_the_published_one(ep: Ecoplan) -> None:
    first = ep.review.submit_values(
        REPORTER,
        "a.csv",
        csv(("air-good-days", 2016, 80), ("air-good-days", 2017, 84), ("air-pm25", 2017, 40)),
    )
    # a newer submission of the same values wins in the overlay
    second = ep.review.submit_values(
        REPORTER2, "b.csv", csv(("air-pm25", 2017, 31), ("forest-coverage", 2017, 60))
    )
    ep.review.review(REVIEWER, first["id"], "accept")  # accepted is pending, too
    returned = ep.review.submit_values(REPORTER, "c.csv", csv(("air-pm25", 2017, 99)))
    ep.review.review(REVIEWER, returned["id"], "return", "no")  # returned is not
    withdrawn = ep.review.submit_values(REPORTER, "d.csv", csv(("air-pm25", 2017, 98)))
    ep.review.withdraw(REPORTER, withdrawn["id"])

    pending = ep.review.pending(PLAN, JM)
    assert {k: [(o.year, o.value) for o in v] for k, v in pending.items()} == {
        "air-good-days": [(2016, 80.0), (2017, 84.0)],
        "air-pm25": [(2017, 31.0)],
        "forest-coverage": [(2017, 60.0)],
    }
    assert ep.review.pending(PLAN, ZH) == {}

    published_before = ep.assess(PLAN, JM, 2017)
    submitted = ep.assess(PLAN, JM, 2017, pending=pending)
    assert _outcome(submitted) != _outcome(published_before)
    by_id = {ia.indicator.id: ia for ia in submitted.indicators}
    assert by_id["air-pm25"].value == 31.0 and by_id["air-good-days"].value == 84.0

    ep.review.publish(REVIEWER, first["id"])
    ep.review.review(REVIEWER, second["id"], "accept")
    ep.review.publish(REVIEWER, second["id"])
    assert ep.review.pending(PLAN, JM) == {}
    published = ep.assess(PLAN, JM, 2017)
    assert _outcome(published) == _outcome(submitted)


def test_a_resubmission_keeps_the_region_of_the_submission(tmp_path: Path) -> None:
    """A city's returned file cannot come back as a county's values: the reviewer of the
    city and the "submitted" overlay of the city find a submission by its region."""
    with Ecoplan(tmp_path / "r.duckdb") as ep:
        ep.init()
        shell = Principal.shell()
        ep.people.add_user(shell, "jm", "long-password-1", "reporter", "440700")
        ep.people.add_user(shell, "gd", "long-password-1", "reviewer", "440000")
        jm = Principal("jm", Role.REPORTER, "440700")
        gd = Principal("gd", Role.REVIEWER, "440000")
        head = "plan,indicator,region,year,value\n"
        s = ep.review.submit_values(
            jm, "a.csv", (head + "jiangmen-13th-eco,air-good-days,440700,2017,90\n").encode()
        )
        ep.review.review(gd, s["id"], "return", "wrong city")
        county = (head + "jiangmen-13th-eco,air-good-days,440703,2017,91\n").encode()
        with pytest.raises(EcoplanError, match="440703"):
            ep.review.resubmit(jm, s["id"], "b.csv", county)
        assert ep.review.get(jm, s["id"])["state"] == "returned"

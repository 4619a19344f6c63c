"""Two people at once (issue #12): concurrent writes through a real server keep every
submission, one audit row each, and an unbroken hash chain; readers meanwhile get answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.access import Principal
from ecoplan.web import register

PLAN = "jiangmen-13th-eco"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Ecoplan, dict[str, str]]]:
    app = create_app(tmp_path_factory.mktemp("two") / "two.duckdb")
    register(app)
    ep: Ecoplan = app.state.store.app()
    ep.init()
    tokens = {}
    for name, role, region in (
        ("jm-a", "reporter", "440700"),
        ("jm-b", "reporter", "440703"),  # a county of Jiangmen
        ("gd-rev", "reviewer", "440000"),
    ):
        ep.people.add_user(Principal.shell(), name, "long-password-1", role, region)
        tokens[name] = ep.people.issue_token(Principal.shell(), user=name, days=1)[1]
    with serving(app) as url:
        yield url, ep, tokens


def test_two_reporters_a_reviewer_and_a_reader_at_once(served: tuple[str, Ecoplan, dict[str, str]]) -> None:
    url, ep, tokens = served
    rows_before = ep.audit.head()[0]
    errors: list[str] = []
    ids: dict[str, list[int]] = {"jm-a": [], "jm-b": []}

    def report(who: str, region: str) -> None:
        with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {tokens[who]}"}) as c:
            for i in range(12):
                body = f"plan,indicator,region,year,value\n{PLAN},air-good-days,{region},2017,{80 + i / 10}\n"
                r = c.post("/api/v1/submissions/values", files={"file": (f"{who}-{i}.csv", body.encode())})
                if r.status_code != 201:
                    errors.append(f"{who} {i}: {r.status_code} {r.text[:200]}")
                else:
                    ids[who].append(r.json()["id"])

    def review() -> None:
        with httpx.Client(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {tokens['gd-rev']}"}
        ) as c:
            done = 0
            while done < 6:
                queue = c.get("/api/v1/submissions", params={"state": "submitted"}).json()["items"]
                for s in queue[:2]:
                    if done == 6:  # exactly six publishes, even when two are taken in one pass
                        break
                    r = c.post(f"/api/v1/submissions/{s['id']}/review", json={"decision": "accept"})
                    if (
                        r.status_code == 200
                        and c.post(f"/api/v1/submissions/{s['id']}/publish").status_code == 200
                    ):
                        done += 1
                    elif r.status_code != 409:  # 409: the other half of a race, already reviewed
                        errors.append(f"review {s['id']}: {r.status_code} {r.text[:200]}")

    def read() -> None:
        with httpx.Client(base_url=url, timeout=60) as c:
            for _ in range(30):
                r = c.get("/api/v1/values", params={"plan": PLAN})
                if r.status_code != 200:
                    errors.append(f"read: {r.status_code}")

    threads = [
        threading.Thread(target=report, args=("jm-a", "440700")),
        threading.Thread(target=report, args=("jm-b", "440703")),
        threading.Thread(target=review),
        threading.Thread(target=read),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(ids["jm-a"]) == len(ids["jm-b"]) == 12
    assert len(set(ids["jm-a"]) | set(ids["jm-b"])) == 24  # no id handed out twice
    v = ep.audit.verify()
    assert v.ok, v
    with ep.reader() as r:
        rows = r.audit.rows(Principal.shell(), after_seq=rows_before, limit=None)
    creates = [x for x in rows if x["action"] == "submission.create"]
    publishes = [x for x in rows if x["action"] == "submission.publish"]
    assert len(creates) == 24 and len(publishes) == 6
    assert [x["seq"] for x in rows] == list(range(rows_before + 1, rows_before + 1 + len(rows)))
    published = ep.values(PLAN)
    assert {(v["region"], v["reviewer"]) for v in published} <= {("440700", "gd-rev"), ("440703", "gd-rev")}
    assert published and all(v["submission_id"] is not None for v in published)

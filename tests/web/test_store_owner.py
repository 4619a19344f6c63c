"""One app owns the store (issue 8): `ecoplan serve` and other ecoplan processes on one file.

Real processes and real TCP on 127.0.0.1: a server in a subprocess, CLI commands in
others; the server's answers read with httpx.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from tests.conftest import SHARED, write_csv

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.errors import StoreError
from ecoplan.core.words import word
from ecoplan.web import register

BEIJING = SHARED / "data" / "beijing-multisite"
DONGSI = BEIJING / "PRSA_Data_Dongsi_20130301-20170228.csv.gz"
GUCHENG = BEIJING / "PRSA_Data_Gucheng_20130301-20170228.csv.gz"
ECOPLAN = shutil.which("ecoplan", path=str(Path(sys.executable).parent)) or "ecoplan"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOPLAN_")}
    env["COLUMNS"] = "200"
    return env


def ecoplan(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ECOPLAN, *args], cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=300
    )


def values_file(path: Path, value: float, year: int = 2019) -> Path:
    return write_csv(
        path,
        [
            "plan,indicator,region,year,value,unit,source,note",
            f"cn-13th-eco,air-good-days,000000,{year},{value},%,test {path.name},",
        ],
    )


def wait_for_server_file(db: Path, proc: subprocess.Popen[bytes], timeout: float = 90) -> dict[str, str]:
    f = Path(str(db) + ".serve.json")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"ecoplan serve ended with {proc.returncode}")
        if f.exists():
            return dict(json.loads(f.read_text("utf-8")))
        time.sleep(0.1)
    raise AssertionError("ecoplan serve did not write its server file")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """``ecoplan serve --port 0`` on a fresh store, in a subprocess; (db, its server file)."""
    work = tmp_path_factory.mktemp("served")
    db = work / "served.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
    log = (work / "serve.log").open("wb")
    proc = subprocess.Popen(
        [ECOPLAN, "serve", "--db", str(db), "--port", "0"], cwd=work, env=_env(), stdout=log, stderr=log
    )
    try:
        info = wait_for_server_file(db, proc)
        yield db, info
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        log.close()
        assert code == 0, (work / "serve.log").read_text()
        assert not Path(str(db) + ".serve.json").exists()  # removed on shutdown


def test_an_import_during_serve_goes_through_the_server(served: tuple[Path, dict[str, str]]) -> None:
    db, info = served
    work = db.parent
    values_file(work / "during-serve.csv", 77.7)
    # a relative file name: the server resolves it in the caller's directory
    res = ecoplan("values", "import", "during-serve.csv", "--db", db.name, cwd=work)
    assert res.returncode == 0, res.stderr
    # the words are the command's (zh by default), whether it runs here or in the server
    assert word("cli.store.sent_to_server", "zh", pid=info["pid"]) in res.stderr
    imported = word("cli.values.imported", "zh", file="during-serve.csv", new=1, revised=0, unchanged=0)
    assert imported in res.stdout
    assert "lock" not in res.stderr.lower()
    # the server shows the value at once
    got = httpx.get(f"{info['url']}/api/v1/values?plan=cn-13th-eco&region=000000&indicator=air-good-days")
    assert got.status_code == 200
    assert [(r["year"], r["value"]) for r in got.json()["items"]] == [(2019, 77.7)]
    # read commands go through the server too; errors keep their exit status and message
    listed = ecoplan("values", "list", "--format", "json", "--db", str(db), cwd=work)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["value"] == 77.7
    bad = ecoplan("plans", "show", "nope", "--db", str(db), cwd=work)
    assert bad.returncode == 1 and "unknown plan 'nope'" in bad.stderr
    # `ecoplan serve` on a served store refuses, naming the server
    again = ecoplan("serve", "--db", str(db), "--port", "0", cwd=work)
    served_by = word(
        "cli.serve.already_served", "zh", path=os.path.realpath(db), pid=info["pid"], url=info["url"]
    )
    assert again.returncode == 1 and served_by in again.stderr


def test_readers_never_fail_during_a_long_write(served: tuple[Path, dict[str, str]]) -> None:
    db, info = served
    statuses: list[tuple[str, int]] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=info["url"], timeout=120) as client:
            while not stop.is_set():
                for path in ("/api/v1/plans", "/", "/regions/110000?format=json", "/api/v1/air/stations"):
                    statuses.append((path, client.get(path).status_code))

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        # two loads into one region: the second rewrites the partition the first wrote
        for f in (DONGSI, GUCHENG):
            args = ("air", "load", str(f), "--format", "beijing-multisite", "--db", str(db))
            res = ecoplan(*args, cwd=db.parent)
            assert res.returncode == 0, res.stderr
            sent = word("cli.store.sent_to_server", "zh", pid=info["pid"])
            assert sent in res.stderr and "110000/2016" in res.stdout
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert len(statuses) > 20
    assert {s for _, s in statuses} == {200}, [x for x in statuses if x[1] != 200][:5]
    stations = httpx.get(f"{info['url']}/api/v1/air/stations").json()
    assert stations["total"] == 2


def test_the_admin_endpoint_wants_the_token(served: tuple[Path, dict[str, str]]) -> None:
    db, info = served
    run = info["admin"] + "/admin/v1/run"
    body = {"argv": ["plans", "list"], "cwd": str(db.parent), "db": str(db)}
    assert httpx.post(run, json=body).status_code == 403
    wrong = httpx.post(run, json=body, headers={"X-Ecoplan-Token": "x" + info["token"]})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "forbidden"
    ok = httpx.post(run, json=body, headers={"X-Ecoplan-Token": info["token"]}, timeout=60)
    assert ok.status_code == 200 and ok.json()["exit_code"] == 0 and "cn-13th-eco" in ok.json()["stdout"]
    other = httpx.post(
        run, json={**body, "db": str(db.parent / "other.duckdb")}, headers={"X-Ecoplan-Token": info["token"]}
    )
    assert other.status_code == 409
    # not on the public port, not in the public OpenAPI
    assert httpx.post(info["url"] + "/admin/v1/run", json=body).status_code in (404, 405)
    spec = httpx.get(info["url"] + "/api/openapi.json").json()
    assert not any(p.startswith("/admin") for p in spec["paths"])
    assert Path(str(db) + ".serve.json").stat().st_mode & 0o077 == 0  # the owner's only


def test_two_imports_at_once_both_end_and_one_says_it_waited(tmp_path: Path) -> None:
    db = tmp_path / "two.duckdb"
    a, b = values_file(tmp_path / "a.csv", 70.0, 2018), values_file(tmp_path / "b.csv", 71.0, 2019)
    holder = Ecoplan(db)  # this process holds the file while both start
    holder.init()
    logs = [tmp_path / f"{f.stem}.out" for f in (a, b)], [tmp_path / f"{f.stem}.err" for f in (a, b)]
    procs = []
    for f, out, err in zip((a, b), *logs, strict=True):
        with out.open("w") as o, err.open("w") as e:
            cmd = [ECOPLAN, "values", "import", str(f), "--db", str(db), "--lang", "en"]
            procs.append(subprocess.Popen(cmd, cwd=tmp_path, env=_env(), stdout=o, stderr=e))
    deadline = time.monotonic() + 90
    while not all("waiting for the store" in e.read_text() for e in logs[1]):  # both met the lock
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.1)
    holder.close()
    for p, out, err in zip(procs, *logs, strict=True):
        assert p.wait(timeout=120) == 0, err.read_text()
        assert "1 new" in out.read_text()
        assert "IO Error" not in err.read_text()
    with Ecoplan(db) as ep:
        rows = ep.catalog.value_rows("cn-13th-eco", "000000", "air-good-days")
    assert sorted((r["year"], r["value"]) for r in rows) == [(2018, 70.0), (2019, 71.0)]


def test_waiting_ends_with_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    values_file(tmp_path / "v.csv", 70.0)
    with Ecoplan(db):
        t = time.monotonic()
        args = ("--wait", "1", "values", "import", "v.csv", "--db", str(db), "--lang", "en")
        res = ecoplan(*args, cwd=tmp_path)
        assert time.monotonic() - t < 30
    assert res.returncode == 1
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the store") and "still in use by process" in last and "--wait" in last
    assert "IO Error" not in res.stderr and "Conflicting lock" not in res.stderr
    env = {**_env(), "ECOPLAN_WAIT": "0"}
    with Ecoplan(db):
        assert ecoplan("values", "list", "--db", str(db), cwd=tmp_path, env=env).returncode == 1


def test_a_stale_server_file_is_ignored_and_removed(tmp_path: Path) -> None:
    db = tmp_path / "stale.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    f = Path(str(db) + ".serve.json")
    f.write_text(
        json.dumps({"pid": dead.pid, "admin": "http://127.0.0.1:9", "token": "t", "url": "", "db": str(db)})
    )
    res = ecoplan("init", "--db", str(db), cwd=tmp_path)
    assert res.returncode == 0 and word("cli.store.sent_to_server", "zh", pid=dead.pid) not in res.stderr
    assert not f.exists()


# -- in-process: what an HTTP client sees when the store fails ------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, Path, Ecoplan]]:
    db = tmp_path / "secret-place" / "store.duckdb"
    db.parent.mkdir()
    ep = Ecoplan(db)
    ep.init()
    app = create_app(db, ecoplan=ep)
    register(app)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", db, ep
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        ep.close()


def _clean(body: str, db: Path) -> None:
    for leak in (str(db), "secret-place", "PID", "4242", "Traceback", "duckdb", "File "):
        assert leak not in body, leak


def test_store_errors_are_503_with_retry_after_and_no_details(
    live: tuple[str, Path, Ecoplan], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, db, _ = live

    def broken(self: Ecoplan) -> object:
        raise StoreError(f'{db}: Could not set lock on file "{db}": held in python (PID 4242)')

    monkeypatch.setattr(Ecoplan, "plans", broken)
    api = httpx.get(base + "/api/v1/plans", timeout=30)
    assert api.status_code == 503 and api.headers["retry-after"] == "5"
    assert api.json() == {
        "error": {
            "code": "store_unavailable",
            "message": "the data store is busy or unavailable; retry shortly",
            "details": None,
        }
    }
    _clean(api.text, db)
    for path, words in (("/", "数据暂时无法访问"), ("/?lang=en", "Data temporarily unavailable")):
        page = httpx.get(base + path, timeout=30)
        assert page.status_code == 503 and page.headers["retry-after"] == "5" and words in page.text
        _clean(page.text, db)
    twin = httpx.get(base + "/?format=json", timeout=30)
    assert twin.status_code == 503 and twin.json()["error"]["code"] == "store_unavailable"


def test_a_store_gone_from_under_the_server_is_503(live: tuple[str, Path, Ecoplan]) -> None:
    base, db, ep = live
    assert httpx.get(base + "/api/v1/regions/110000").status_code == 200
    ep.close()  # every reader now meets a closed connection
    for path in ("/api/v1/regions/110000", "/plans/cn-13th-eco", "/api/v1/plans/cn-13th-eco/assessment"):
        r = httpx.get(base + path, timeout=30)
        assert r.status_code == 503 and r.headers["retry-after"] == "5", path
        _clean(r.text, db)


def test_unexpected_errors_are_a_bare_500(
    live: tuple[str, Path, Ecoplan], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, db, _ = live

    def boom(self: Ecoplan) -> object:
        raise RuntimeError(f"{db} exploded")

    monkeypatch.setattr(Ecoplan, "plans", boom)
    api = httpx.get(base + "/api/v1/plans", timeout=30)
    assert api.status_code == 500 and api.json()["error"]["code"] == "internal_error"
    page = httpx.get(base + "/", timeout=30)
    assert page.status_code == 500
    _clean(api.text + page.text, db)


def test_readers_see_a_snapshot_and_never_wait_for_the_writer(tmp_path: Path) -> None:
    with Ecoplan(tmp_path / "mvcc.duckdb") as ep:
        ep.init()
        values_file(tmp_path / "v.csv", 75.0)
        with ep.reader() as before:
            with ep.writer() as w:
                w.import_values(tmp_path / "v.csv")
            assert before.catalog.value_rows() == []  # its snapshot predates the commit
        with ep.reader() as after:
            assert [r["value"] for r in after.catalog.value_rows()] == [75.0]
        # a writer's open transaction neither blocks readers nor shows to them
        with ep.writer() as w, contextlib.suppress(RuntimeError), w.catalog.transaction() as con:
            con.execute("DELETE FROM value_revisions")
            seen: list[int] = []
            t = threading.Thread(target=lambda: seen.append(len(_rows(ep))))
            t.start()
            t.join(timeout=30)
            assert seen == [1]
            raise RuntimeError("roll back")
        assert len(_rows(ep)) == 1


def _rows(ep: Ecoplan) -> list[dict[str, object]]:
    with ep.reader() as r:
        return r.catalog.value_rows()


def test_a_readers_old_snapshot_never_deletes_newer_files(tmp_path: Path) -> None:
    import datetime as dt

    with Ecoplan(tmp_path / "air.duckdb") as ep:
        ep.init()
        with ep.reader() as old:
            with ep.writer() as w:
                w.air.load([str(DONGSI)], "beijing-multisite")
            assert old.air.store.partitions() == []  # its snapshot predates the load
        files = sorted((tmp_path / "air.data").rglob("*.parquet"))
        assert files
        with ep.reader() as new:
            days = new.air.daily("110000", dt.date(2015, 1, 1), dt.date(2015, 1, 31))
        assert len(days) == 31 and sorted((tmp_path / "air.data").rglob("*.parquet")) == files

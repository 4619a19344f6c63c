"""``ecoplan notify subscribe|list|remove|run`` end to end: a real DuckDB file, an aiosmtpd
server and an HTTP webhook receiver on 127.0.0.1 (Typer's runner)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.app.test_notify import Hooks, Mailbox, jiangmen_values, verify
from typer.testing import CliRunner

from ecoplan.app import Ecoplan, demo_values_path
from ecoplan.cli import app
from ecoplan.core.access import Principal
from ecoplan.core.words import word

runner = CliRunner()
NOW = "2021-03-15T08:00"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("notify-cli")
    with Ecoplan(tmp / "cli.duckdb") as ep:
        ep.init()
        ep.import_values(demo_values_path(), recorded_at="2021-06-30")
        ep.import_values(jiangmen_values(tmp), recorded_at="2018-03-01")
        ep.people.add_user(Principal.shell(), "jm-reporter", "long-password-1", "reporter", "440700")
    return tmp / "cli.duckdb"


@pytest.fixture
def db(template: Path, tmp_path: Path) -> str:
    """A copy of the module's store: regions, plans, demo and Jiangmen values, a reporter."""
    path = tmp_path / "cli.duckdb"
    shutil.copyfile(template, path)
    return str(path)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    h = Hooks()
    h.start()
    yield h
    h.stop()


def notify(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    res = runner.invoke(app, ["notify", *args], env=env)
    return res.exit_code, res.output


def sent_keys(db: str) -> int:
    with Ecoplan(db) as ep:
        row = ep.catalog.con.execute("SELECT count(*) FROM notification_log").fetchone()
    return int(row[0]) if row else 0


def test_the_shell_acts_for_a_named_account_within_its_scope(db: str) -> None:
    code, out = notify("subscribe", "--region", "440700", "--email", "jm@example.org", "--db", db)
    assert code == 1 and word("notify.error.need_user", "zh") in out
    code, out = notify(
        "subscribe", "--user", "jm-reporter", "--region", "440000", "--email", "jm@example.org", "--db", db
    )
    assert code == 1 and "440000" in out
    code, out = notify(
        "subscribe", "--user", "jm-reporter", "--region", "440700", "--min-severity", "purple", "--db", db
    )
    assert code == 1 and "purple" in out
    code, out = notify("list", "--user", "jm-reporter", "--db", db, "--lang", "en")
    assert code == 0 and word("notify.cli.none", "en") in out


def test_subscribe_list_run_again_remove(db: str, mailbox: Mailbox, hooks: Hooks) -> None:
    code, out = notify(
        "subscribe", "--user", "jm-reporter", "--region", "440700", "--email", "jm@example.org",
        "--webhook", hooks.url, "--db", db, "--lang", "en",
    )  # fmt: skip
    assert code == 0, out
    assert "Subscription 1 added for jm-reporter" in out
    secret = out.split(word("notify.cli.secret", "en", secret="")[:-1])[-1].strip().split()[0]
    assert len(secret) >= 32  # generated and shown once
    code, out = notify("list", "--user", "jm-reporter", "--format", "json", "--db", db)
    listed = json.loads(out)
    assert [s["id"] for s in listed] == [1] and secret not in out and listed[0]["webhook_secret_set"]

    code, out = notify("run", "--now", NOW, "--dry-run", "--db", db, "--lang", "en")
    assert code == 0 and out.count("would send (dry run): jm-reporter") == 2 and sent_keys(db) == 0
    assert mailbox.messages == [] and hooks.received == []

    smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(mailbox.port), "--allow-private-webhooks"]
    code, out = notify("run", "--now", NOW, *smtp, "--db", db, "--lang", "en")
    assert code == 0, out
    assert (
        "sent: jm-reporter → email:jm@example.org" in out
        and f"sent: jm-reporter → webhook:{hooks.url}" in out
    )
    assert word("notify.cli.summary", "en", sent=2, failed=0) in out
    assert len(mailbox.messages) == 1 and "新预警" in mailbox.messages[0].get_content()
    _, headers, body = hooks.received[0]
    assert verify(secret, headers, body)
    n = sent_keys(db)
    assert n == 2 * len(json.loads(body)["items"])

    code, out = notify("run", "--now", NOW, *smtp, "--db", db, "--lang", "en")
    assert code == 0 and word("notify.cli.nothing", "en") in out and sent_keys(db) == n
    assert len(mailbox.messages) == 1 and len(hooks.received) == 1

    code, out = notify("remove", "1", "--user", "jm-reporter", "--db", db)
    assert code == 0 and word("notify.cli.removed", "zh", user="jm-reporter", id=1) in out
    code, out = notify("remove", "1", "--user", "jm-reporter", "--db", db)
    assert code == 1


def test_smtp_settings_from_the_environment_and_a_failed_run_exits_1(db: str) -> None:
    code, out = notify(
        "subscribe", "--user", "jm-reporter", "--region", "440700", "--plan", "jiangmen-13th-eco",
        "--kinds", "warning,overdue_task", "--email", "jm@example.org", "--db", db,
    )  # fmt: skip
    assert code == 0, out
    box = Mailbox()  # nothing listens yet
    env = {"ECOPLAN_SMTP_HOST": "127.0.0.1", "ECOPLAN_SMTP_PORT": str(box.port)}
    code, out = notify("run", "--now", NOW, "--db", db, "--lang", "en", env=env)
    assert code == 1 and "failed: jm-reporter → email:jm@example.org" in out and sent_keys(db) == 0
    box.start()
    try:
        code, out = notify("run", "--now", NOW, "--db", db, "--lang", "en", env=env)
    finally:
        box.stop()
    assert code == 0, out
    text = box.messages[0].get_content()
    assert "Overdue tasks (8)" in text and "Reports due" not in text  # only the kinds asked for
    assert "New warnings (2)" in text


def test_a_bad_now_is_refused(db: str) -> None:
    code, out = notify("run", "--now", "the fifteenth", "--db", db, "--lang", "en")
    assert code == 1 and "the fifteenth" in out

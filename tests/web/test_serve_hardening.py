"""`ecoplan serve` hardened (issue 12 item 7): loopback-only in clear text, TLS with HSTS,
an access log without query strings, CORS off unless origins are named.

Real servers: `ecoplan serve` in a subprocess on 127.0.0.1 (plain, and HTTPS with a
self-signed certificate made here with `cryptography`), and the access-log middleware
under uvicorn; answers read with httpx.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import signal
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from tests.web.conftest import serving
from tests.web.test_store_owner import ECOPLAN, _env, wait_for_server_file
from typer.testing import CliRunner

from ecoplan.api.access_log import AccessLog, LogFile
from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli
from ecoplan.cli.serve import check_exposure, is_loopback
from ecoplan.core.access import Principal, Role
from ecoplan.core.words import word

#: One access-log line: time, client, method, path, status, bytes, duration, user.
LINE = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) ([A-Z]+) (\S+) (\d{3}|-) (\d+) (\d+\.\d)ms (\S+)$"
)


def _cert(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecoplan test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@dataclass
class Served:
    db: Path
    url: str
    log: Path
    proc: subprocess.Popen[bytes]


def _store(folder: Path) -> Path:
    db = folder / "hard.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
    return db


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return _store(tmp_path)


def _serve(db: Path, *args: str) -> Iterator[Served]:
    out = (db.parent / "serve.out").open("wb")
    proc = subprocess.Popen(
        [ECOPLAN, "serve", "--db", str(db), "--port", "0", "--lang", "en", *args],
        cwd=db.parent,
        env=_env(),
        stdout=out,
        stderr=out,
    )
    try:
        info = wait_for_server_file(db, proc)
        yield Served(db, info["url"], Path(str(db) + ".access.log"), proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        out.close()
        assert code == 0, (db.parent / "serve.out").read_text()


#: A reporter's API token on the TLS store (set up by the ``tls`` fixture).
TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    store = _store(tmp_path_factory.mktemp("tls"))
    root = Principal("root", Role.ADMIN, "000000", via="cli")
    with Ecoplan(store) as ep:
        ep.people.add_user(root, "li.na", "a long passphrase 1", Role.REPORTER, "440700")
        _record, TOKEN["li.na"] = ep.people.issue_token(root, user="li.na")
    cert, key = _cert(store.parent)
    log = store.parent / "tls-access.log"
    for s in _serve(
        store,
        *("--tls-cert", str(cert), "--tls-key", str(key), "--access-log", str(log)),
        *("--cors-origin", "https://ok.example", "--cors-origin", "https://also.example"),
    ):
        s.log = log
        yield s, cert


def _lines(log: Path) -> list[re.Match[str]]:
    lines = log.read_text("utf-8").splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return [m for m in matches if m]


# -- the host check -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("10.0.0.1", False),
        ("fe80::1", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_only_loopback_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5"])
def test_serve_refuses_a_public_host_without_tls_or_insecure(tmp_path: Path, host: str) -> None:
    db = tmp_path / "x.duckdb"
    res = CliRunner().invoke(cli, ["serve", "--host", host, "--port", "0", "--db", str(db), "--lang", "en"])
    assert res.exit_code == 1
    assert word("ops.serve.public_needs_tls", "en", host=host) in res.output
    assert not db.exists()  # refused before anything was opened


def test_tls_files_come_as_a_readable_pair(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    cert, _key = _cert(tmp_path)
    half = CliRunner().invoke(cli, ["serve", "--tls-cert", str(cert), "--db", str(db), "--lang", "en"])
    assert half.exit_code == 1 and word("ops.serve.tls_pair", "en") in half.output
    gone = tmp_path / "gone.pem"
    missing = CliRunner().invoke(
        cli, ["serve", "--tls-cert", str(cert), "--tls-key", str(gone), "--db", str(db), "--lang", "en"]
    )
    assert missing.exit_code == 1
    assert word("ops.serve.tls_file", "en", option="--tls-key", path=gone) in missing.output
    assert not db.exists()


def test_insecure_is_allowed_with_a_loud_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_exposure("0.0.0.0", None, None, True, "en") is False
    assert word("ops.serve.insecure", "en", host="0.0.0.0") in capsys.readouterr().err
    assert check_exposure("127.0.0.1", None, None, False, "en") is False
    assert capsys.readouterr().err == ""


# -- HTTPS, HSTS, CORS, the access log of a real `ecoplan serve` ------------------------------


def test_https_with_hsts_and_the_named_cors_origins_only(tls: tuple[Served, Path]) -> None:
    served, cert = tls
    assert served.url.startswith("https://127.0.0.1:")
    with httpx.Client(
        base_url=served.url, verify=ssl.create_default_context(cafile=str(cert)), trust_env=False, timeout=30
    ) as client:
        ok = client.get("/api/v1/plans", headers={"Origin": "https://ok.example"})
        assert ok.status_code == 200
        assert ok.headers["strict-transport-security"] == "max-age=31536000"
        assert ok.headers["access-control-allow-origin"] == "https://ok.example"
        assert "access-control-allow-credentials" not in ok.headers
        evil = client.get("/api/v1/plans", headers={"Origin": "https://evil.example"})
        assert evil.status_code == 200 and "access-control-allow-origin" not in evil.headers
        pre = client.options(
            "/api/v1/plans",
            headers={"Origin": "https://also.example", "Access-Control-Request-Method": "POST"},
        )
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://also.example"
        bad_pre = client.options(
            "/api/v1/plans",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in bad_pre.headers
        # a session cookie over HTTPS is Secure (and HttpOnly); the password is not logged
        login = client.post("/api/v1/auth/login", json={"name": "li.na", "password": "a long passphrase 1"})
        assert login.status_code == 200
        cookie = login.headers["set-cookie"].lower()
        assert "; secure" in cookie and "; httponly" in cookie
    assert "a long passphrase" not in served.log.read_text("utf-8")
    plain = served.url.replace("https://", "http://")
    with pytest.raises(httpx.HTTPError):
        httpx.get(plain + "/api/v1/plans", trust_env=False, timeout=10)


def test_the_access_log_has_one_line_per_request_without_query_strings(tls: tuple[Served, Path]) -> None:
    served, cert = tls
    before = len(served.log.read_text("utf-8").splitlines()) if served.log.exists() else 0
    with httpx.Client(
        base_url=served.url, verify=ssl.create_default_context(cafile=str(cert)), trust_env=False, timeout=30
    ) as client:
        a = client.get("/api/v1/plans?token=ecp_1_sekret&password=hunter2")
        b = client.get("/api/v1/plans/nope")
        c = client.get("/api/v1/plans/%0Afake%20200")
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {TOKEN['li.na']}"})
    assert (a.status_code, b.status_code, me.status_code) == (200, 404, 200)
    assert me.json()["user"] == "li.na"
    # a line is written once its response has gone out: the last one may trail the client
    for _ in range(100):
        if len(_lines(served.log)) >= before + 4:
            break
        time.sleep(0.05)
    text = served.log.read_text("utf-8")
    assert "sekret" not in text and "hunter2" not in text and "?" not in text
    got = _lines(served.log)[before:]
    assert [(m[2], m[3], m[4], m[5]) for m in got] == [
        ("127.0.0.1", "GET", "/api/v1/plans", "200"),
        ("127.0.0.1", "GET", "/api/v1/plans/nope", "404"),
        ("127.0.0.1", "GET", "/api/v1/plans/%0Afake%20200", str(c.status_code)),
        ("127.0.0.1", "GET", "/api/v1/me", "200"),
    ]
    assert int(got[0][6]) == len(a.content) and got[0][8] == "-"
    assert got[3][8] == "li.na"  # the signed-in user; never the token
    assert TOKEN["li.na"] not in text and TOKEN["li.na"].split("_")[-1] not in text
    assert oct(os.stat(served.log).st_mode & 0o777) == "0o600"


def test_plain_loopback_serve_has_no_hsts_no_cors_and_the_default_log(store: Path) -> None:
    for served in _serve(store):
        assert served.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=served.url, trust_env=False, timeout=30) as client:
            r = client.get("/api/v1/plans", headers={"Origin": "https://ok.example"})
            pre = client.options(
                "/api/v1/plans",
                headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"},
            )
        assert r.status_code == 200
        assert "strict-transport-security" not in r.headers
        assert "access-control-allow-origin" not in r.headers
        assert "access-control-allow-origin" not in pre.headers
        # a served store is never restored under the server's feet
        res = CliRunner().invoke(cli, ["restore", str(store.parent / "any"), "--force", "--db", str(store)])
        assert res.exit_code == 1
        assert (
            word("ops.restore.served", "zh", path=os.path.realpath(store), pid=served.proc.pid) in res.output
        )
    assert served.log == Path(str(store) + ".access.log")
    assert any(m[4] == "/api/v1/plans" and m[5] == "200" for m in _lines(served.log))


# -- the signed-in user in the access log -----------------------------------------------------


@dataclass(frozen=True)
class _Principal:
    user: str


async def _signed_in(request: Request) -> PlainTextResponse:
    request.state.principal = _Principal("zhang.wei")
    return PlainTextResponse("hello")


async def _anonymous(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hi")


def test_the_user_of_a_signed_in_request_is_logged(tmp_path: Path) -> None:
    inner = Starlette(routes=[Route("/me", _signed_in), Route("/", _anonymous)])
    log = LogFile(tmp_path / "access.log")
    with serving(AccessLog(inner, log)) as url, httpx.Client(base_url=url, trust_env=False) as client:
        assert client.get("/me?session=abc").status_code == 200
        assert client.get("/").status_code == 200
    log.close()
    got = _lines(tmp_path / "access.log")
    assert [(m[4], m[6], m[8]) for m in got] == [("/me", "5", "zhang.wei"), ("/", "2", "-")]

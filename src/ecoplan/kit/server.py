"""One process owns the store while ``ecoplan serve`` runs; the other commands go through it.

``ecoplan serve`` writes ``<db>.serve.json`` beside the database (mode 0600: pid,
the loopback address of its admin endpoint, a random token) and removes it when it
stops; a file whose process is gone is stale and ignored. A command that opens the
store first looks for that file: when a live server owns the store it sends its
argv and working directory to ``POST /admin/v1/run`` and prints what the server
answers; the server runs the command in-process against its app (one at a time,
under the writer lock), so it never meets DuckDB's file lock.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import secrets
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ecoplan.app import Ecoplan

__all__ = [
    "ARGV",
    "ATTACHED",
    "Forwarded",
    "ServerInfo",
    "forward",
    "live_server",
    "make_runner",
    "new_token",
    "remove_server_file",
    "server_file",
    "store_key",
    "thread_streams",
    "write_server_file",
]

_log = logging.getLogger("ecoplan.serve")

#: The command line of this process (set by ``ecoplan.cli.main``); unset: never forward.
ARGV: ContextVar[list[str] | None] = ContextVar("ecoplan_argv", default=None)
#: Inside the server: the app a forwarded command runs against.
ATTACHED: ContextVar[Ecoplan | None] = ContextVar("ecoplan_attached", default=None)

TOKEN_HEADER = "X-Ecoplan-Token"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def store_key(db: str | os.PathLike[str]) -> str:
    """The database file as both sides name it: absolute, symlinks resolved."""
    return os.path.realpath(os.fspath(db))


def server_file(db: str | os.PathLike[str]) -> Path:
    return Path(store_key(db) + ".serve.json")


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    admin: str  # http://127.0.0.1:PORT
    token: str
    url: str  # the public address
    db: str


def new_token() -> str:
    return secrets.token_urlsafe(32)


def write_server_file(info: ServerInfo) -> Path:
    """Write the server file atomically, readable by its owner only."""
    path = server_file(info.db)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(vars(info), f)
    os.replace(tmp, path)
    return path


def remove_server_file(db: str) -> None:
    """Remove the server file if it is this process's."""
    path = server_file(db)
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text("utf-8")).get("pid") == os.getpid():
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def live_server(db: str | os.PathLike[str]) -> ServerInfo | None:
    """The server owning ``db``, if one runs; a stale file (its process gone) is removed."""
    path = server_file(db)
    try:
        data = json.loads(path.read_text("utf-8"))
        info = ServerInfo(
            int(data["pid"]), str(data["admin"]), str(data["token"]), str(data["url"]), str(data["db"])
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable (another user's) or not ours: open the store directly
    if info.pid != os.getpid() and not _alive(info.pid):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return info


@dataclass(frozen=True)
class Forwarded:
    """What the server answered: the command's exit code and output."""

    code: int
    stdout: str
    stderr: str


def forward(info: ServerInfo, argv: list[str], cwd: str) -> Forwarded | None:
    """Run ``argv`` in the server; ``None`` when the server does not answer (it stopped)."""
    body = json.dumps({"argv": argv, "cwd": cwd, "db": info.db}).encode("utf-8")
    req = urllib.request.Request(
        info.admin + "/admin/v1/run",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", TOKEN_HEADER: info.token},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    try:
        with opener.open(req, timeout=None) as resp:
            data: dict[str, Any] = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read())["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {exc.code}"
        return Forwarded(1, "", f"error: the server refused the command: {message}\n")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
    return Forwarded(int(data["exit_code"]), str(data["stdout"]), str(data["stderr"]))


def print_forwarded(res: Forwarded) -> None:
    """Print the server's output as if the command had run here (colours only on a terminal)."""
    for text, stream in ((res.stdout, sys.stdout), (res.stderr, sys.stderr)):
        if not text:
            continue
        if not stream.isatty():
            text = _ANSI.sub("", text)
        stream.write(text)
        stream.flush()


# -- the server side -----------------------------------------------------------------------


class _ThreadStream:
    """``sys.stdout``/``sys.stderr`` in the server: a thread capturing a forwarded
    command writes to its buffer, every other thread to the real stream."""

    def __init__(self, real: TextIO) -> None:
        self.real = real
        self.local = threading.local()

    def _target(self) -> TextIO:
        buf: TextIO | None = getattr(self.local, "buf", None)
        return buf if buf is not None else self.real

    def write(self, s: str) -> int:
        return self._target().write(s)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


@contextlib.contextmanager
def thread_streams() -> Iterator[None]:
    """Install the per-thread streams for the server's lifetime."""
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout = _ThreadStream(real_out)
    sys.stderr = _ThreadStream(real_err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = real_out, real_err


@contextlib.contextmanager
def _capture() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    streams = [s for s in (sys.stdout, sys.stderr) if isinstance(s, _ThreadStream)]
    if len(streams) != 2:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
        return
    streams[0].local.buf, streams[1].local.buf = out, err
    try:
        yield out, err
    finally:
        streams[0].local.buf = streams[1].local.buf = None


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def make_runner(ep: Ecoplan, command: Callable[..., Any]) -> Callable[[list[str], str], tuple[int, str, str]]:
    """Run a forwarded command line in this process against ``ep``: one at a time
    (under the app's writer lock, which also serialises the change of directory),
    output captured. ``command`` is the Typer app."""

    def run(argv: list[str], cwd: str) -> tuple[int, str, str]:
        with ep.writer(), _capture() as (out, err):
            before = os.getcwd()
            try:
                os.chdir(cwd)  # files named on the command line are the caller's
            except OSError:
                return 1, "", f"error: the server cannot use the working directory {cwd}\n"
            token = ATTACHED.set(ep)
            try:
                command(args=argv, prog_name="ecoplan", standalone_mode=True)
                code = 0
            except SystemExit as exc:
                code = _exit_code(exc.code)
            except Exception:
                _log.exception("forwarded command %r failed", argv)
                err.write("error: the command failed inside the server (see the server's log)\n")
                code = 1
            finally:
                os.chdir(before)
                ATTACHED.reset(token)
        return code, out.getvalue(), err.getvalue()

    return run

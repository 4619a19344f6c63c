"""``ecoplan report`` and ``ecoplan serve``: the report files and the server that owns the store."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ecoplan.app import default_db_path
from ecoplan.cli.root import app
from ecoplan.core.errors import EcoplanError
from ecoplan.kit import server as _server
from ecoplan.kit.cli import (
    DbOpt,
    LangOpt,
    _fail,
    _session,
    bad_choice,
    err,
    open_store,
    place,
    say,
    words,
)


@app.command()
def report(
    plan_id: str,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Output file")],
    region: Annotated[str | None, typer.Option(help="Region code (default: the plan's)")] = None,
    year: Annotated[int | None, typer.Option(help="Year (default: the plan's last)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or xlsx")] = "html",
    lang: LangOpt = "zh",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use the values as known on this date (the report's date)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Mid-term / final assessment report of a plan. / 评估报告"""
    from ecoplan.reports import FORMATS, build, write_report

    if fmt not in FORMATS:
        bad_choice("--format", fmt, FORMATS, lang)
    try:
        with _session(db, lang) as ep:
            data = build(ep, plan_id, region, year, lang, as_of)
        write_report(data, fmt, out_file)
    except EcoplanError as exc:
        _fail(exc, lang)
    line = words(lang)(
        "cli.report.wrote",
        file=out_file,
        plan=place(data["plan"]["title"], data["plan"]["id"], lang),
        region=place(data["region"]["name"], data["region"]["code"], lang),
        year=data["year"],
        format=fmt.upper(),
        indicators=len(data["indicators"]),
    )
    say(line)


if TYPE_CHECKING:
    from ecoplan.api.access_log import LogFile


def is_loopback(host: str) -> bool:
    """Whether ``host`` listens on this machine only: ``localhost`` or a loopback address
    (127.0.0.0/8, ::1). ``0.0.0.0``, ``::``, a LAN address or any other name is not."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, cert: Path | None, key: Path | None, insecure: bool, lang: str) -> bool:
    """Refuse (exit 1) to serve a non-loopback ``host`` in clear text unless ``--insecure``
    says so; the TLS files must come as a pair and be readable. True: the server uses TLS."""
    w = words(lang)
    if (cert is None) != (key is None):
        _fail(w("ops.serve.tls_pair"), lang)
    for option, path in (("--tls-cert", cert), ("--tls-key", key)):
        if path is not None and not (path.is_file() and os.access(path, os.R_OK)):
            _fail(w("ops.serve.tls_file", option=option, path=path), lang)
    tls = cert is not None
    if not tls and not is_loopback(host):
        if not insecure:
            _fail(w("ops.serve.public_needs_tls", host=host), lang)
        err.print(w("ops.serve.insecure", host=host), style="bold red", highlight=False, markup=False)
    return tls


def harden(web: Any, log: LogFile, cors: list[str]) -> Any:
    """The public app as served: every request in the access log (outermost, so that a
    CORS pre-flight and a refused request are logged too); CORS only for the origins
    given (none: no ``Access-Control-*`` header, browsers keep other sites out). CORS
    never allows credentials: a cookie session stays same-origin (CSRF), machines on other
    origins send a bearer token."""
    from ecoplan.api.access_log import AccessLog

    app = web
    if cors:
        from starlette.middleware.cors import CORSMiddleware

        app = CORSMiddleware(
            app,
            allow_origins=cors,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match", "X-CSRF-Token"],
            expose_headers=["ETag", "Retry-After"],
            allow_credentials=False,
            max_age=600,
        )
    return AccessLog(app, log)


class _Stop(Exception):
    """SIGINT or SIGTERM, after uvicorn's graceful shutdown."""


def _stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port)")] = 8000,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="TLS certificate (PEM) to serve HTTPS")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", help="Its private key (PEM)")] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Serve a non-loopback --host over plain HTTP anyway")
    ] = False,
    access_log: Annotated[
        Path | None, typer.Option("--access-log", help="Access log file [default: <db>.access.log]")
    ] = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow this origin cross-site (repeatable; default: none)"),
    ] = None,
    notify_every: Annotated[
        float,
        typer.Option(
            "--notify-every",
            help="Send the notification digests every N minutes (SMTP from ECOPLAN_SMTP_*; 0: never)",
        ),
    ] = 0,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Serve the dashboard and the API; other commands run through it. / 启动网页与开放接口

    The server owns the store: it opens it once, read-write, and answers every request
    from a snapshot. Other ecoplan commands on the same store are sent to it (through an
    admin endpoint on 127.0.0.1, with the token of the file <db>.serve.json) and run in it.

    Only 127.0.0.1 (or another loopback address) is served in clear text: another --host
    needs --tls-cert and --tls-key (HTTPS, with Strict-Transport-Security), or --insecure
    (a loud warning). Every request is logged to the access log (never its query string);
    CORS is off unless --cors-origin names the origins allowed.
    """
    import signal
    import threading
    import time

    import uvicorn

    from ecoplan.api import create_app
    from ecoplan.api.access_log import LogFile
    from ecoplan.api.admin import AdminHook, create_admin_app
    from ecoplan.web import register

    path = _server.store_key(db or default_db_path())
    w = words(lang)
    tls = check_exposure(host, tls_cert, tls_key, insecure, lang)
    running = _server.live_server(path)
    if running is not None:
        _fail(w("cli.serve.already_served", path=path, pid=running.pid, url=running.url), lang)
    try:
        ep = open_store(path, forward=False, lang=lang)  # creates or upgrades the file
    except EcoplanError as exc:
        _fail(exc, lang)
    web = create_app(path, ecoplan=ep, secure_cookies=tls)  # session cookies Secure over HTTPS
    register(web)
    log_path = access_log or Path(path + ".access.log")
    try:
        log = LogFile(log_path)
    except OSError as exc:
        ep.close()
        _fail(w("ops.serve.access_log_unusable", path=log_path, error=exc), lang)
    hook = AdminHook(_server.new_token(), path, _server.make_runner(ep, app))
    admin = uvicorn.Server(
        uvicorn.Config(create_admin_app(hook), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    ssl: dict[str, Any] = {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)} if tls else {}
    public = uvicorn.Server(
        uvicorn.Config(
            harden(web, log, list(cors_origin or [])), host=host, port=port, log_level="warning", **ssl
        )
    )

    def announce() -> None:
        while not (admin.started and public.started):
            if public.should_exit or admin.should_exit:
                return
            time.sleep(0.02)
        bound = public.servers[0].sockets[0].getsockname()[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"{'https' if tls else 'http'}://{shown}:{bound}"
        admin_port = admin.servers[0].sockets[0].getsockname()[1]
        try:
            _server.write_server_file(
                _server.ServerInfo(os.getpid(), f"http://127.0.0.1:{admin_port}", hook.token, url, path)
            )
        except OSError as exc:
            err.print(w("cli.serve.no_server_file", path=path, error=exc), highlight=False, markup=False)
        say(w("cli.serve.dashboard", url=url, url_en=f"{url}/?lang=en", url_api=f"{url}/api/docs"))
        say(w("cli.serve.owns", path=path))
        say(w("ops.serve.access_log", path=log_path))

    admin_thread = threading.Thread(target=admin.run, name="ecoplan-admin", daemon=True)
    stop_notify = threading.Event()
    old = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _server.thread_streams():
            admin_thread.start()
            threading.Thread(target=announce, name="ecoplan-announce", daemon=True).start()
            if notify_every > 0:
                from ecoplan.app.notify import every

                def failed(exc: Exception) -> None:
                    err.print(w("notify.serve.failed", error=exc), highlight=False, markup=False)

                args = (ep, notify_every, stop_notify, None, failed)
                threading.Thread(target=every, args=args, name="ecoplan-notify", daemon=True).start()
            public.run()
    except _Stop:
        pass
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        _server.remove_server_file(path)
        stop_notify.set()
        admin.should_exit = True
        admin_thread.join(timeout=10)
        with ep.writer():  # a forwarded command still running ends first
            ep.close()
        log.close()

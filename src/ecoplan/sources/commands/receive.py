"""``ecoplan receive`` (the HJ 212 receiver) and ``ecoplan sources simulate|ingest|load|
frames|quarantine`` (``docs/sources-receiver.md``).

The receiver reads the device register once at start (and on SIGHUP / every
``--reload`` seconds) from the store opened read-only and closed at once, or from a
registry CSV (``--devices``), so that it never holds the store while it serves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table as RichTable

from ecoplan.app import Ecoplan
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, out, say, words
from ecoplan.kit.options import FrameFmt, TableFmt, fetched, write_frame
from ecoplan.sources.commands.options import sources_app
from ecoplan.sources.readers.rawlog import LogBusy
from ecoplan.sources.receiver.auth import DeviceAuth, load_csv
from ecoplan.sources.receiver.server import ReceiverConfig, serve
from ecoplan.sources.simulate.client import SimConfig
from ecoplan.sources.simulate.devices import make_devices, write_register
from ecoplan.sources.simulate.run import simulate

__all__ = [
    "receive",
    "sources_frames",
    "sources_ingest",
    "sources_load",
    "sources_quarantine",
    "sources_simulate",
]

Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write csv/json/parquet to this file")]


def _store_loader(db: str | None) -> Callable[[], Mapping[str, DeviceAuth]]:
    def load() -> Mapping[str, DeviceAuth]:
        ep = Ecoplan(db, read_only=True)
        try:
            auth: Mapping[str, DeviceAuth] = ep.sources.frames.device_auth()
            return auth
        finally:
            ep.close()

    return load


def receive(
    log_dir: Annotated[Path, typer.Option("--log-dir", help="Folder of the raw logs")],
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 9212,
    name: Annotated[str, typer.Option("--name", help="Receiver name (its log is LOG_DIR/NAME)")] = "r1",
    devices: Annotated[
        Path | None, typer.Option("--devices", help="Device register CSV instead of the store")
    ] = None,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Accept any MN/PW (tests only)")] = False,
    max_connections: Annotated[int, typer.Option(help="Connections held at most")] = 10_000,
    idle_timeout: Annotated[float, typer.Option(help="Seconds before a silent connection is closed")] = 600.0,
    max_segment: Annotated[int, typer.Option(help="Longest data segment accepted (bytes)")] = 9999,
    sync_ms: Annotated[float, typer.Option(help="Milliseconds a batch waits before its fsync")] = 2.0,
    reload: Annotated[
        float, typer.Option(help="Seconds between device-register reloads (0: SIGHUP only)")
    ] = 60.0,
    duration: Annotated[float | None, typer.Option(help="Stop after this many seconds")] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Receive HJ 212 frames over TCP: log, fsync, then answer. / 接收 HJ 212 报文"""
    w = words(lang)
    loader: Callable[[], Mapping[str, DeviceAuth]] | None = None
    count = 0
    if not no_auth:
        if devices is not None:
            path = devices

            def loader() -> Mapping[str, DeviceAuth]:
                return load_csv(path)
        else:
            loader = _store_loader(db)
        try:
            count = len(loader())
        except EcoplanError as exc:
            _fail(exc, lang)
        except Exception as exc:
            _fail(
                w("sources.receiver.error.no_devices", path=str(devices or db or ""), reason=str(exc)), lang
            )
    config = ReceiverConfig(
        log_dir=log_dir,
        name=name,
        host=host,
        port=port,
        max_connections=max_connections,
        idle_timeout=idle_timeout,
        max_segment=max_segment,
        sync_interval=sync_ms / 1000,
        reload_seconds=reload,
    )

    def ready(bound: int) -> None:
        if loader is None:
            say(w("sources.receiver.cli.open_mode", option="--no-auth"))
        say(
            w(
                "sources.receiver.cli.listening",
                name=name,
                host=host,
                port=bound,
                log_dir=str(log_dir),
                devices=count,
            )
        )

    try:
        stats = asyncio.run(serve(config, loader, ready=ready, duration=duration))
    except LogBusy as exc:
        _fail(w("sources.receiver.error.log_busy", name=name, detail=str(exc)), lang)
    except OSError as exc:
        _fail(w("sources.receiver.error.listen", host=host, port=port, reason=str(exc)), lang)
    say(
        w(
            "sources.receiver.cli.stopped",
            name=name,
            connections=stats.connections,
            frames=stats.frames,
            quarantined=stats.quarantined,
            replies=stats.replies,
        )
    )


@sources_app.command("simulate")
def sources_simulate(
    devices: Annotated[int, typer.Option("--devices", help="How many devices")] = 10,
    rate: Annotated[float, typer.Option(help="Uploads per second per device (0: as fast as answered)")] = 1.0,
    host: Annotated[str, typer.Option(help="Receiver address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Receiver port")] = 9212,
    duration: Annotated[float | None, typer.Option(help="Seconds to run")] = None,
    frames: Annotated[int | None, typer.Option("--frames", help="Uploads in all")] = None,
    ledger: Annotated[Path | None, typer.Option(help="File of every QN answered")] = None,
    edition: Annotated[str, typer.Option(help="2017 or 2025")] = "2017",
    register: Annotated[
        Path | None, typer.Option("--register", help="Write the devices as a register CSV and stop")
    ] = None,
    over_time: Annotated[float, typer.Option(help="OverTime: seconds to wait for the 9014")] = 10.0,
    re_count: Annotated[int, typer.Option(help="ReCount: resends before giving up")] = 3,
    window: Annotated[int, typer.Option(help="Uploads waiting for their answer at once, per device")] = 1,
    heartbeat: Annotated[float, typer.Option(help="Seconds between 9015 heartbeats (2025)")] = 60.0,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same devices)")] = 212,
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Simulated data loggers uploading to a receiver. / 模拟数采仪上传"""
    w = words(lang)
    if edition not in ("2017", "2025"):
        _fail(
            EcoplanError.worded("sources.receiver.error.bad_edition", edition=edition, choices="2017, 2025"),
            lang,
        )
    played = make_devices(devices, edition=edition, seed=seed)
    if register is not None:
        write_register(register, played)
        say(w("sources.receiver.cli.registered", count=len(played), path=str(register)))
        return
    config = SimConfig(
        host=host,
        port=port,
        rate=rate,
        duration=duration,
        frames=frames,
        over_time=over_time,
        re_count=re_count,
        window=window,
        heartbeat=heartbeat,
        seed=seed,
    )
    stats = simulate(played, config, ledger)
    summary = stats.to_dict()
    if fmt is TableFmt.json:
        _dump_json(summary)
        return
    none = w("sources.receiver.cli.nothing")
    say(
        w(
            "sources.receiver.cli.simulated",
            **{k: (none if v is None else v) for k, v in summary.items() if k not in ("p50_ms", "p99_ms")},
            p50=none if summary["p50_ms"] is None else summary["p50_ms"],
            p99=none if summary["p99_ms"] is None else summary["p99_ms"],
        )
    )


def _say_ingest(res: dict[str, object], lang: str) -> None:
    w = words(lang)
    say(
        w(
            "sources.receiver.cli.ingested",
            records=res["records"],
            new=res["frames_new"],
            duplicates=res["duplicates"],
            values=res["values"],
            conflicts=res["value_conflicts"],
            quarantined=res["quarantined"],
        )
    )
    logs = res["logs"]
    assert isinstance(logs, dict)
    for log, span in logs.items():
        say(w("sources.receiver.cli.log_range", log=log, start=tuple(span["from"]), end=tuple(span["to"])))
    reasons = res["reasons"]
    assert isinstance(reasons, dict)
    for reason, count in reasons.items():
        say(w("sources.receiver.cli.reason", reason=reason, count=count))


@sources_app.command("ingest")
def sources_ingest(
    log_dir: Annotated[Path, typer.Argument(help="Folder of the receivers' raw logs")],
    log: Annotated[list[str] | None, typer.Option("--log", help="Only these receiver names")] = None,
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Raw logs into the store, from where the last ingest stopped. / 原始日志入库"""
    res = fetched(lambda ep: ep.sources.frames.ingest(log_dir, logs=log or None).to_dict(), db, lang)
    if fmt is TableFmt.json:
        _dump_json(res)
        return
    _say_ingest(res, lang)


@sources_app.command("load")
def sources_load(
    path: Annotated[Path, typer.Argument(help="Text file of packets, one per line")],
    edition: Annotated[str, typer.Option(help="auto, 2005, 2017 or 2025")] = "auto",
    fmt: Annotated[TableFmt, typer.Option("--format", help="table or json")] = TableFmt.table,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """A file of packets into the store (re-loading stores nothing twice). / 报文文件入库"""
    res = fetched(lambda ep: ep.sources.frames.load_file(path, edition=edition).to_dict(), db, lang)
    if fmt is TableFmt.json:
        _dump_json(res)
        return
    _say_ingest(res, lang)


def _write(df: pd.DataFrame, fmt: FrameFmt, output: Path | None, lang: str) -> None:
    """``df`` as csv/json (to ``output`` or stdout) or parquet (to ``output``, required)."""
    write_frame(
        df,
        fmt.value,
        output,
        lang,
        "sources.receiver.cli.written",
        words(lang)("sources.receiver.cli.needs_output", fmt="parquet", option="--output"),
    )


def _table(df: pd.DataFrame, cols: tuple[str, ...], lang: str) -> None:
    w = words(lang)
    t = RichTable(*(w(f"sources.receiver.header.{c}") for c in cols))
    for row in df.itertuples(index=False):
        t.add_row(*(_cell(getattr(row, c)) for c in cols))
    out.print(t)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


@sources_app.command("frames")
def sources_frames(
    mn: Annotated[str | None, typer.Option("--mn", help="One device")] = None,
    cn: Annotated[str | None, typer.Option("--cn", help="One command code (2011, 2051, 2061, 2031…)")] = None,
    start: Annotated[str | None, typer.Option(help="DataTime from (ISO)")] = None,
    end: Annotated[str | None, typer.Option(help="DataTime before (ISO)")] = None,
    limit: Annotated[int, typer.Option(help="Rows at most")] = 1000,
    fmt: Annotated[FrameFmt, typer.Option("--format")] = FrameFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Stored frames. / 已入库报文"""
    df = fetched(
        lambda ep: ep.sources.frames.frames(mn=mn, cn=cn, start=start, end=end, limit=limit), db, lang
    )
    if fmt is not FrameFmt.table:
        _write(df, fmt, output, lang)
        return
    _table(df, ("frame_id", "mn", "cn", "qn", "data_time", "status"), lang)


@sources_app.command("quarantine")
def sources_quarantine(
    limit: Annotated[int, typer.Option(help="Rows at most")] = 1000,
    fmt: Annotated[FrameFmt, typer.Option("--format")] = FrameFmt.table,
    output: Output = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Quarantined records with their reasons. / 隔离报文"""
    df = fetched(lambda ep: ep.sources.frames.quarantine(limit), db, lang)
    if fmt is not FrameFmt.table:
        df = df.assign(raw=[bytes(r).decode("utf-8", "replace") for r in df["raw"]])
        _write(df, fmt, output, lang)
        return
    df = df.assign(pos=[f"{s}:{p}" for s, p in zip(df["seg"], df["pos"], strict=True)])
    _table(df, ("log", "pos", "mn", "reason", "detail"), lang)

"""``ecoplan air load`` and ``ecoplan air rejects``: hourly observations in, rejected values listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.air.commands.options import (
    _LOAD_HELP,
    DailyFmt,
    ListFmt,
    LoadFmt,
    OutFmt,
    _progress,
    _write_frame,
    air_app,
)
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out

#: Reason codes of rejected values (``docs/air-input.md``), in Chinese.
REASON_ZH = {
    "negative": "负值",
    "impossible": "超出上限",
    "unparseable": "无法解析",
    "duplicate": "重复",
    "timezone": "时区不符",
    "bad_time": "时间无效",
    "unknown_station": "未知站点",
}
#: Rejected values listed by ``air load``: in the table, and in the JSON output.
SHOW_REJECTS = 20
JSON_REJECTS = 1000


@air_app.command("load")
def air_load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders")],
    fmt: Annotated[LoadFmt, typer.Option("--format", help=_LOAD_HELP)],
    region: Annotated[
        str | None, typer.Option(help="Region code (beijing-multisite: default 110000)")
    ] = None,
    stations: Annotated[
        Path | None, typer.Option(help="Station file: code, name, region[, lat, lon, type]")
    ] = None,
    unit: Annotated[list[str] | None, typer.Option(help="Declare a unit, e.g. co=mg/m3 (repeatable)")] = None,
    tz: Annotated[str, typer.Option(help="Time zone of naive timestamps")] = "Asia/Shanghai",
    db: DbOpt = None,
    fmt_out: Annotated[OutFmt, typer.Option("--output-format")] = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Load hourly observations (validated; re-loading is idempotent). / 导入小时监测数据

    Rejected values are counted by reason and the first ones listed (file, row,
    reason, station, time, pollutant, value; `ecoplan air rejects` lists all);
    CO whose values look like the other unit is warned about, with its rows."""
    units: dict[str, str] = {}
    for u in unit or []:
        k, sep, v = u.partition("=")
        if not sep:
            _fail(ValueError(f"--unit {u!r}: expected POLLUTANT=UNIT, e.g. co=mg/m3"))
        units[k.strip().lower()] = v.strip()
    try:
        with _session(db) as ep, _progress() as prog:
            task = prog.add_task("reading / 读取…", total=None)

            def step(stage: str) -> None:
                prog.update(task, description={"read": "reading / 读取…", "store": "storing / 写入…"}[stage])

            batch, res = ep.air.load(
                [str(p) for p in paths],
                fmt.value,
                region=region,
                stations=stations,
                units=units or None,
                tz=tz,
                progress=step,
            )
    except (EcoplanError, ValueError) as exc:
        _fail(exc)
    summary = batch.summary()
    rejected = _reject_records(batch.rejects)
    if fmt_out is OutFmt.json:
        _dump_json(
            {
                "input": summary,
                "import": res.to_dict(),
                "rejected": {"total": len(rejected), "rows": rejected[:JSON_REJECTS]},
                "warnings": [w.to_dict(limit=JSON_REJECTS) for w in batch.warnings],
            }
        )
        return
    zh = lang == "zh"
    shares: dict[str, float | None] = summary["missing_share"]
    miss = ", ".join(f"{p} {v:.1%}" for p, v in shares.items() if v is not None)
    rej = {k: v for k, v in res.rejects.items() if v}
    written = ", ".join(f"{r}/{y}" for r, y in res.partitions_written) or ("无" if zh else "none")
    if zh:
        out.print(
            f"读取 {summary['files']} 个文件：{summary['rows']} 个站点小时，{summary['stations']} 个站点，"
            f"{summary['first']} … {summary['last']}"
        )
        out.print(f"缺测比例：{miss}")
        out.print("剔除数值：" + ("，".join(f"{k}（{REASON_ZH[k]}）{v}" for k, v in rej.items()) or "无"))
    else:
        out.print(
            f"read {summary['files']} file(s): {summary['rows']} station-hours, "
            f"{summary['stations']} stations, {summary['first']} … {summary['last']}"
        )
        out.print(f"missing values: {miss}")
        out.print("rejected values: " + (", ".join(f"{k} {v}" for k, v in rej.items()) or "none"))
    if rejected:
        out.print(_reject_table(rejected[:SHOW_REJECTS], zh))
        more = len(rejected) - SHOW_REJECTS
        if more > 0:
            out.print(
                f"… 另有 {more} 个剔除数值；`ecoplan air rejects` 列出全部"
                if zh
                else f"… and {more} more; `ecoplan air rejects` lists all"
            )
    for w in batch.warnings:
        # one line per warning, never wrapped (greppable in CI logs)
        out.print(
            f"[yellow]⚠ {'警告' if zh else 'warning'}: {escape(w.message(lang))}[/]",
            highlight=False,
            soft_wrap=True,
        )
    if res.absent:
        out.print(
            ("输入中没有（未监测）：" if zh else "not in the input (not monitored): ") + ", ".join(res.absent)
        )
    if zh:
        out.print(
            f"写入：新增 {res.rows_new} 个站点小时，修订 {res.values_revised} 个数值，"
            f"{res.rows_unchanged} 个站点小时未变；写入分区：{written}"
        )
    else:
        out.print(
            f"stored: {res.rows_new} new station-hours, {res.values_revised} values revised, "
            f"{res.rows_unchanged} unchanged; partitions written: {written}"
        )


def _reject_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rejected values as JSON-ready records: file, row, reason, station, time, pollutant, value
    (``time`` ISO or null; ``time_text`` as written, when the frame has it)."""
    if df.empty:
        return []
    cols = [
        c for c in ("file", "row", "reason", "station", "time", "pollutant", "value", "time_text") if c in df
    ]
    recs: list[dict[str, Any]] = json.loads(
        df[cols].to_json(orient="records", date_format="iso", force_ascii=False)
    )
    return recs


def _reject_table(rows: list[dict[str, Any]], zh: bool) -> Table:
    t = (
        Table("文件", "行", "原因", "站点", "时间", "污染物", "数值")
        if zh
        else Table("file", "row", "reason", "station", "time", "pollutant", "value")
    )
    for r in rows:
        when = r.get("time") or r.get("time_text") or ""
        cells = (
            Path(str(r["file"])).name,
            str(r["row"]),
            f"{r['reason']}（{REASON_ZH.get(r['reason'], '')}）" if zh else str(r["reason"]),
            str(r.get("station") or ""),
            str(when).replace("T", " ")[:19],
            str(r["pollutant"]),
            str(r["value"]),
        )
        t.add_row(*(escape(c) for c in cells))  # cells as written: "[x]" is text, not markup
    return t


@air_app.command("rejects")
def air_rejects(
    reason: Annotated[str | None, typer.Option(help="Only this reason code (see docs/air-input.md)")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N rows (default: all)")] = None,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """List the stored rejected values: file, row, reason, station, time, pollutant, value. / 剔除数值"""
    try:
        with _session(db) as ep:
            df = ep.air.rejects(reason)
    except EcoplanError as exc:
        _fail(exc)
    total = len(df)
    if limit is not None:
        df = df.head(limit)
    df = df[["file", "row", "reason", "station", "time", "pollutant", "value"]]
    if fmt is not ListFmt.table:
        _write_frame(df, DailyFmt(fmt.value), None, "rejected values")
        return
    zh = lang == "zh"
    if total:
        out.print(_reject_table(_reject_records(df), zh))
    shown = f"（显示前 {len(df)} 个）" if zh else f" (first {len(df)} shown)"
    out.print(
        (f"{total} 个剔除数值" if zh else f"{total} rejected values") + (shown if len(df) < total else "")
    )

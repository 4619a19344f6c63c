"""``ecoplan sources decode FILE``: one HJ 212 packet per line → one verdict per line.

Each non-blank line of FILE (``-`` = stdin) is one packet, ``##`` to the CRC (a trailing
``\\r`` is ignored). ``--format jsonl`` prints one JSON object per packet,
``{line, ok, reason, edition, qn, st, cn, pw, mn, flag, pnum, pno, cp, …}`` — the
contract is in ``docs/json.md`` ("ecoplan sources decode"); ``--format table`` a table
in the ``--lang`` words; a summary goes to stderr. The packets are decoded by
:func:`ecoplan.sources.protocol.decoding.decode_packet` (framing, CRC, SM4 with the
``--key`` keys, segment) and checked by :func:`ecoplan.sources.protocol.schemas.validate`
(``issues``; ``--strict`` makes an error-level issue a rejection with reason ``schema``).
Bad packets are data: the exit status is 0; 2 when FILE cannot be read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ecoplan.core.words import has
from ecoplan.kit.cli import LangOpt, _fail, err, out, words
from ecoplan.sources.commands.options import sources_app
from ecoplan.sources.protocol.crypto import KeyRing, parse_key
from ecoplan.sources.protocol.decoding import Decoded, Edition, area_json, decode_packet, header_json
from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.protocol.schemas import validate

__all__ = ["decode", "record"]


class EditionOpt(StrEnum):
    auto = "auto"
    e2017 = "2017"
    e2025 = "2025"


class DecodeFmt(StrEnum):
    """``--format`` jsonl (one object per packet) or table."""

    jsonl = "jsonl"
    table = "table"


def record(line: int, d: Decoded, *, strict: bool = False) -> dict[str, Any]:
    """The JSON object of packet ``d`` on ``line`` (``docs/json.md``)."""
    seg = d.segment if d.ok else d.header
    issues = validate(d.segment, d.edition, strict=strict) if d.ok and d.segment is not None else []
    ok, reason = d.ok, d.reason
    if strict and ok and any(i.level == "error" for i in issues):
        ok, reason = False, "schema"
    rec: dict[str, Any] = {"line": line, "ok": ok, "reason": reason, "edition": d.edition}
    rec.update(header_json(seg))
    rec["cp"] = area_json(d.segment.cp) if d.ok and d.segment is not None else None
    rec["rf"] = None if seg is None else seg.rf
    rec["encrypted"] = d.encrypted
    rec["length_basis"] = d.length_basis
    rec["encoding"] = d.encoding
    rec["detail"] = d.detail or None
    rec["issues"] = [{"level": i.level, "code": i.code, "field": i.field, "detail": i.detail} for i in issues]
    return rec


def _keys(given: list[str] | None, lang: str) -> KeyRing:
    ring = KeyRing()
    for item in given or ():
        mn, sep, text = item.partition("=")
        try:
            if not sep or not mn:
                raise LocalProtocolError("bad_key_size", "no MN=", item)
            ring.add(mn, parse_key(text))
        except LocalProtocolError:
            _fail(words(lang)("sources.protocol.cli.bad_key", value=item), lang)
    return ring


def _lines(file: str, lang: str) -> Iterator[bytes]:
    """The lines of FILE (``-`` = stdin), streamed; exit 2 when it cannot be read."""
    try:
        if file == "-":
            yield from sys.stdin.buffer
            return
        with Path(file).open("rb") as fh:
            yield from fh
    except OSError as exc:
        err.print(
            words(lang)("sources.protocol.cli.unreadable", file=file, error=exc.strerror or str(exc)),
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2) from None


def _verdict(rec: dict[str, Any], lang: str) -> str:
    w = words(lang)
    if rec["ok"]:
        note = w("sources.protocol.cli.encrypted") if rec["encrypted"] else ""
        return w("sources.protocol.cli.ok") + note
    key = f"sources.protocol.reason.{rec['reason']}"
    return w(key) if has(key) else str(rec["reason"])


def _cn_text(cn: str | None, lang: str) -> str:
    if cn is None:
        return "—"
    key = f"sources.protocol.cn.{cn}"
    name = words(lang)(key) if has(key) else words(lang)("sources.protocol.cli.unknown_cn")
    return f"{cn} {name}"


def _table(recs: list[dict[str, Any]], lang: str) -> None:
    w = words(lang)
    heads = ("line", "verdict", "edition", "cn", "mn", "data_time", "factors")
    t = Table(*(w(f"sources.protocol.cli.header.{h}") for h in heads))
    for r in recs:
        cp = r["cp"] or {}
        factors = cp.get("factors") or {}
        t.add_row(
            str(r["line"]),
            _verdict(r, lang),
            r["edition"] or "—",
            _cn_text(r["cn"], lang),
            r["mn"] or "—",
            str(cp.get("DataTime", "—")).replace("T", " "),
            " ".join(factors) or "—",
        )
    out.print(t)


def _summary(total: int, bad: Counter[str], gbk: int, lang: str) -> None:
    w = words(lang)
    items = w("cli.list_sep").join(
        w("sources.protocol.cli.summary_item", reason=reason, count=n) for reason, n in sorted(bad.items())
    )
    reasons = w("sources.protocol.cli.summary_reasons", items=items) if bad else ""
    rejected = sum(bad.values())
    line = w("sources.protocol.cli.summary", lines=total, ok=total - rejected, bad=rejected, reasons=reasons)
    err.print(line, markup=False, highlight=False)
    if gbk:
        err.print(w("sources.protocol.cli.gbk_lines", count=gbk), markup=False, highlight=False)


@sources_app.command("decode")
def decode(
    file: Annotated[str, typer.Argument(help="Packet file, one packet per line ('-' = stdin)")],
    edition: Annotated[EditionOpt, typer.Option("--edition", help="2017, 2025 or auto")] = EditionOpt.auto,
    fmt: Annotated[DecodeFmt, typer.Option("--format", help="jsonl or table")] = DecodeFmt.jsonl,
    key: Annotated[
        list[str] | None, typer.Option("--key", help="MN=KEY: an SM4 key (32 hex digits), repeatable")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject packets whose data area breaks the schema")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """Decode HJ 212 packets, one per line: verdict, header and data area. / 解析 HJ 212 报文"""
    ring = _keys(key, lang)
    ed: Edition = edition.value
    recs: list[dict[str, Any]] = []  # kept for the table only: jsonl streams
    total = gbk = 0
    bad: Counter[str] = Counter()
    for n, raw in enumerate(_lines(file, lang), start=1):
        if not raw.strip():
            continue
        rec = record(n, decode_packet(raw, edition=ed, keys=ring), strict=strict)
        total += 1
        gbk += rec["encoding"] == "gbk"
        if not rec["ok"]:
            bad[str(rec["reason"])] += 1
        if fmt is DecodeFmt.jsonl:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            recs.append(rec)
    if fmt is DecodeFmt.table:
        _table(recs, lang)
    _summary(total, bad, gbk, lang)

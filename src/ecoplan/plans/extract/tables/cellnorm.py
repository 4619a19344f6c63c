"""Cell text as the table readers see it: anti-scraping junk and full-width decimal points masked.

Reprinted plans carry two kinds of damage inside table cells:

* **junk** — random ASCII appended to a cell by anti-scraping
  (``87.5xK3p``, ``约束性Qz9``, ``29.3 ab7``);
* **full-width decimal points** — ``87。5`` or ``0，6`` for 87.5 and 0.6, and
  ``1。空气质量`` for the numbered item ``1.空气质量``.

:func:`mask_cells` rewrites both *without changing the text's length* (junk
becomes spaces, ``。``/``，`` between digits becomes ``.``), so every offset
read on the masked text is an offset into the original and spans still quote
the document as printed. It is one regular-expression pass over the text
(linear in its size).

Real Latin content is kept: a run counts as junk only when it follows a value
or a cell's end (a digit, ``%``, ``〕``, ``）``, a Chinese character), stands
alone up to the next space, cell border or Chinese character, is not a known
symbol or unit (PM2.5, PM10, SO2, NOx, VOCs, COD, GDP, CO2, mg/L, km², Roman
class numerals — :data:`ecoplan.core.words.purity.ALLOWED_LATIN` and a few
more), and looks random: after a number any letters are junk (a value cell
holds none), after text it must mix letters with digits or case.
"""

from __future__ import annotations

import re

from ecoplan.core.words.purity import ALLOWED_LATIN

__all__ = ["is_junk", "mask_cells", "strip_number_label"]

_KEEP = frozenset(t.lower() for t in ALLOWED_LATIN) | {
    *("gdp", "vocs", "voc", "nox", "so2", "no2", "co2", "nh3", "codcr", "codmn", "pm25", "aqi"),
    *("i", "ii", "iii", "iv", "v", "vi", "db", "dba", "mw", "gw", "kw", "hm2", "mu", "t", "l", "m", "km3"),
}
# l/I/O read for 1/0 at the start of a number (治理l2万公顷): OCR, not junk (the normaliser mends it)
_OCR_DIGITS = re.compile(r"[lIO][0-9]+")
_VALUE_END = "0-9%％〕\\]】\\-－–—"
# junk: a token of ASCII letters/digits led by a letter, after a value's or cell's end (optionally one
# space), up to a space, cell bar, line end or Chinese text
_JUNK = re.compile(
    rf"(?<=[{_VALUE_END}）)|\u3400-\u9fff])([ \t]?)([A-Za-z][A-Za-z0-9]{{1,7}})"
    r"(?=[\s\u3000|]|$|[\u3400-\u9fff（(〔])",
    re.M,
)
_AFTER_VALUE = frozenset("0123456789%％〕]】-－–—")  # a value's last character (a number, 〔x〕, a dash)
_LETTERS = re.compile(r"[A-Za-z]+")  # where a junk token can start (a fast scan for the slow pattern)
_FULLWIDTH_POINT = re.compile(r"[。，](?<=[0-9０-９][。，])(?=[0-9０-９])")
# a numbered item "1。空气质量" at a line or cell start: the 。 is the item's dot, not a sentence end
_NUMBERED_POINT = re.compile(r"[0-9]{1,2}。(?=[\u4e00-\u9fff])")
# a label before a name: "16." "16、" "（3）" "(3)" "①"; not "2.5" (a number)
_LABEL = re.compile(
    r"^(?:[0-9０-９]{1,2}[.．、](?![0-9０-９])|[（(][0-9０-９一二三四五六七八九十]{1,2}[)）]|[①-⑳])[\s\u3000]*"
)


def is_junk(token: str, after_value: bool) -> bool:
    """Whether ``token`` (ASCII letters/digits glued to a cell's end) is anti-scraping junk."""
    if token.lower() in _KEEP or _OCR_DIGITS.fullmatch(token):
        return False
    if after_value:
        return True
    has_digit = any(c.isdigit() for c in token)
    mixed = any(c.islower() for c in token) and any(c.isupper() for c in token)
    return has_digit or mixed


def _mask_junk(text: str) -> str:
    """``_JUNK.sub`` with junk tokens blanked, tried only where a letter run starts.

    The same matches as ``_JUNK.finditer(text)`` (a match can only start at the
    start of a letter run, or at the space before it), found without trying the
    pattern's look-behind at every character of the text.
    """
    spans: list[tuple[int, int]] = []
    done = 0  # the end of the last match: matches do not overlap
    for run in _LETTERS.finditer(text):
        p = run.start()
        if p < done:
            continue
        m = _JUNK.match(text, p - 1 if p > 0 and text[p - 1] in " \t" else p)
        if m is None:
            continue
        done = m.end()
        if is_junk(m.group(2), after_value=text[m.start() - 1] in _AFTER_VALUE):
            spans.append((m.start(), m.end()))
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for a, b in spans:
        out += [text[last:a], " " * (b - a)]
        last = b
    out.append(text[last:])
    return "".join(out)


def _numbered_point(m: re.Match[str]) -> str:
    i = m.start()
    if i == 0 or m.string[i - 1] == "|" or m.string[i - 1].isspace():
        return m.group()[:-1] + "."
    return m.group()


def mask_cells(text: str) -> str:
    """``text`` with cell junk blanked and full-width decimal points read as ``.`` (same length)."""
    return _NUMBERED_POINT.sub(_numbered_point, _FULLWIDTH_POINT.sub(".", _mask_junk(text)))


def strip_number_label(name: str) -> tuple[str, int]:
    """``16.地级及以上城市…`` -> (``地级及以上城市…``, characters removed); also ``（3）`` and ``①``."""
    m = _LABEL.match(name)
    if m is None or m.end() == len(name):
        return name, 0
    return name[m.end() :], m.end()

"""The notes under a table body: ``注：1.… 2.…`` and ``*…`` lines.

The body ends at ``注：`` (or ``备注：``), or at a line about the starred values
(``带*的为2024年数据``); each numbered note runs to the next
number, the last one to its period or line end; a ``*`` note is keyed ``0``,
and so is a note about the starred values (``带*的为2024年数据``).
A note's text is joined across line breaks and a trailing ``；`` becomes ``。``.
"""

from __future__ import annotations

import re

_BODY_END = re.compile(
    r"(?:(?:^|(?<=[\s。\u2002\u3000]))(?:注|备注)[\s\u3000]*[：:])"
    r"|(?:(?:注|备注)[\s\u3000]*[：:](?=[\s\u2002\u3000]*(?:1[\s\u3000]*[.．、]|\\?[*＊])))"
    r"|^[\s\u3000]*(?=(?:带|标|加|有|标注|注有)[\s\u3000]*\\?[*＊][^\n]{0,6}(?:19|20)\d{2}\s*年)",
    re.M,
)
_NOTE_HEAD = re.compile(r"[\s\u2002\u3000]*(?:注|备注)\s*[：:][\s\u2002\u3000]*")
_STAR_NOTE = re.compile(r"[\s\u2002\u3000]*(?:\\?[*＊])([^\n]*)")
# "带*的为2024年数据", "标*者为…", "加*号的…": a note about the starred values, not led by '*'
_STAR_MENTION = re.compile(r"(?:带|标|加|有|标注|注有)[\s\u3000]*\\?[*＊]")
_MARKED_NOTE = re.compile(r"[\s\u2002\u3000]*((?:带|标|加|有|标注|注有)[\s\u3000]*\\?[*＊][^\n]*)")
_FIRST_NOTE = re.compile(r"[\s\u2002\u3000]*1\s*[.．、]")


def _norm_note(s: str) -> str:
    s = re.sub(r"[ \t\u3000\u2002\u2003]*\n[ \t\u3000\u2002\u2003]*", "", s)
    s = re.sub(r"\\([*_\\])", r"\1", s)
    s = s.strip(" \t\r\n\u2002\u2003\u3000")
    if s.endswith(("；", ";")):
        s = s[:-1] + "。"
    return s


def _numbered_notes(text: str, pos: int) -> tuple[dict[int, str], int] | None:
    m = _FIRST_NOTE.match(text, pos)
    if not m:
        return None
    notes: dict[int, str] = {}
    k, start = 1, m.end()
    while True:
        nxt = re.compile(rf"(?:(?<=[\s。；;])|^){k + 1}\s*[.．、]", re.M).search(text, start, start + 400)
        if nxt is not None:
            notes[k] = _norm_note(text[start : nxt.start()])
            k, start = k + 1, nxt.end()
            continue
        period = text.find("。", start, start + 400)
        line = re.compile(r"\n(?=\S)").search(text, start, start + 400)
        ends = [x for x in (period + 1 if period >= 0 else -1, line.start() if line else -1) if x > 0]
        end = min(ends) if ends else min(len(text), start + 400)
        notes[k] = _norm_note(text[start:end])
        return notes, end


def _parse_notes(text: str, pos: int) -> tuple[dict[int, str], int]:
    """Notes right after a table body: ``注：1.… 2.…`` and ``*…`` lines."""
    notes: dict[int, str] = {}
    end = pos
    for _ in range(3):
        head = _NOTE_HEAD.match(text, end)
        q = head.end() if head else end
        numbered = _numbered_notes(text, q)
        if numbered is not None:
            notes.update(numbered[0])
            end = numbered[1]
            continue
        star = _STAR_NOTE.match(text, q)
        if star is not None and 0 not in notes:
            notes[0] = "*" + _norm_note(star.group(1))
            end = star.end()
            continue
        marked = _MARKED_NOTE.match(text, q)
        if marked is not None and 0 not in notes:
            notes[0] = _norm_note(marked.group(1))
            end = marked.end()
            continue
        break
    if 0 not in notes:  # a numbered note about the starred values: "2.带*的为2024年数据"
        star_note = next((v for v in notes.values() if _STAR_MENTION.match(v)), None)
        if star_note is not None:
            notes[0] = star_note
    return notes, end

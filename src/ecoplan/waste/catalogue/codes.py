"""Waste codes and hazard letters as the 名录 writes them (pure; no data).

名录 (2021) 第五条（三）: a waste code is 8 digits — digits 1–3 the industry of origin
(GB/T 4754-2017), 4–6 a serial, 7–8 the category (``HW08`` → ``-08``); written
``900-249-08``. 第六条: a waste found hazardous by identification (鉴别) and not listed is
managed as ``900-000-××`` with its category's two digits. 第五条（四） and 注1: hazard
characteristics T (toxicity), C (corrosivity), I (ignitability), R (reactivity), In
(infectivity); ``T,I`` = the first and possibly the others, ``T/C/I/R`` = one or several.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "HAZARD_LETTERS",
    "IDENTIFIED_SERIAL",
    "category_of",
    "hazard_letters",
    "is_hazard",
    "normalise_code",
]

HAZARD_LETTERS: Final = ("T", "C", "I", "R", "In")
#: The serial of 第六条's identified wastes (``900-000-08``).
IDENTIFIED_SERIAL: Final = "900-000"

_DASHED = re.compile(r"(\d{3})-(\d{3})-(\d{2})")
_PLAIN = re.compile(r"(\d{3})(\d{3})(\d{2})")
_HAZARD = re.compile(r"(?:T|C|I|R|In)(?:[,/](?:T|C|I|R|In))*")


def normalise_code(text: str) -> str | None:
    """The code as the 名录 writes it (``900-249-08``) from ``900-249-08`` or ``90024908``
    (spaces around it ignored); ``None`` when ``text`` is not 8 ASCII digits in that form."""
    t = text.strip()
    m = _DASHED.fullmatch(t) or _PLAIN.fullmatch(t)
    if m is None or not t.isascii():
        return None
    return "-".join(m.groups())


def category_of(code: str) -> str:
    """The category of a well-formed code: ``900-249-08`` → ``HW08``."""
    return "HW" + code[-2:]


def is_hazard(text: str) -> bool:
    """Hazard letters as the shipped tables write them: ``T``, ``T,I``, ``T/C/I/R``."""
    return bool(_HAZARD.fullmatch(text))


def hazard_letters(text: str) -> tuple[str, ...]:
    """The letters of a hazard text, in order: ``T,I`` → ``("T", "I")``."""
    return tuple(p for p in re.split(r"[,/]", text) if p)

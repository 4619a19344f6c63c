"""统一社会信用代码 (unified social credit code), GB 32100-2015.

The code has 18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码
(6, GB/T 2260), 主体标识码 (9, the organisation code of GB 11714) and a check character
(1) (GB 32100-2015 §4.1, Figure 1). Characters come from the 31 of Table 1 — the digits
and the capital letters without I, O, Z, S and V — each with its value 0–30. The check
character (§4.2, formula (1)) is ``C18 = 31 − mod(Σ Ci × Wi, 31)`` over the first 17
characters with weights ``Wi = 3^(i−1) mod 31`` (1, 3, 9, 27, 19, 26, 16, 17, 20, 29,
25, 13, 8, 24, 10, 30, 28); a result of 31 is written 0.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ALPHABET", "WEIGHTS", "check_char", "is_valid", "problem"]

#: GB 32100-2015 Table 1: the characters in the order of their values 0–30.
ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE: Final = {c: i for i, c in enumerate(ALPHABET)}
#: GB 32100-2015 §4.2: the weights of positions 1–17.
WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))


def check_char(first17: str) -> str:
    """The check character of the first 17 characters (GB 32100-2015 §4.2, formula (1)).

    Raises :class:`ValueError` when a character is outside Table 1 or the length is not 17.
    """
    if len(first17) != 17:
        raise ValueError(f"{first17!r}: 17 characters expected")
    try:
        total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"{first17!r}: character {exc.args[0]!r} not in GB 32100-2015 Table 1") from exc
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, as a reason code, or None.

    ``bad_credit_code``: not 18 characters of Table 1 (lower case is not accepted: the
    standard writes capitals); ``credit_code_check``: the 18th character is not the check
    character of the first 17.
    """
    if len(code) != 18 or any(c not in _VALUE for c in code):
        return "bad_credit_code"
    if check_char(code[:17]) != code[17]:
        return "credit_code_check"
    return None


def is_valid(code: str) -> bool:
    """True for an 18-character code whose check character is right."""
    return problem(code) is None

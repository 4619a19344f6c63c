"""统一社会信用代码 check character (GB 32100-2015 §4.2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.sources.standards.credit_code import ALPHABET, WEIGHTS, check_char, is_valid, problem

#: Codes published by the organisations themselves (business licences shown on their sites).
REAL = (
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
)

body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_table_1_and_the_weights() -> None:
    # Table 1: 31 characters, no I, O, Z, S, V; weights 3^(i-1) mod 31 as printed in §4.2.
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid(code)
    assert check_char(code[:17]) == code[17]


def test_reasons() -> None:
    assert problem("9144030071526726XA") == "credit_code_check"
    assert problem("9144030071526726xg") == "bad_credit_code"  # capitals only
    assert problem("9144030071526726X") == "bad_credit_code"  # 17 characters
    assert problem("9144030071526726IG") == "bad_credit_code"  # I is not in Table 1
    with pytest.raises(ValueError):
        check_char("91440300715267")


@given(body)
def test_the_check_character_makes_a_valid_code(first: str) -> None:
    assert is_valid(first + check_char(first))


@given(body, st.integers(0, 16), st.integers(1, 30))
def test_every_single_substitution_is_caught(first: str, pos: int, shift: int) -> None:
    # 31 is prime and no weight is 0 mod 31: changing one character changes the sum mod 31.
    code = first + check_char(first)
    bad = code[:pos] + ALPHABET[(ALPHABET.index(code[pos]) + shift) % 31] + code[pos + 1 :]
    assert problem(bad) == "credit_code_check"

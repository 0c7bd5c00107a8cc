"""The one number parser: digits in their written forms, signs, scales and Chinese numerals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tasks.errors import NotANumber
from tasks.numbers import chinese_numeral, fold_digits, parse_decimal, parse_number, scale_of


@pytest.mark.parametrize(("text", "value"), [
    ("1,234.5", "1234.5"), ("(12)", "-12"), ("(12", "-12"), ("$(7.25)", "-7.25"), ("−3", "-3"), ("– 3", "-3"),
    ("-$3.10", "-3.10"), ("$ 3.10", "3.10"), ("45%", "45"), ("(4.5)%", "-4.5"), ("１２３", "123"),
    ("１，２３４．５", "1234.5"), ("1 234", "1234"), ("0.08", "0.08"),
])
def test_written_forms(text: str, value: str) -> None:
    assert parse_decimal(text) == Decimal(value)


def test_decimal_comma() -> None:
    assert parse_decimal("1.234,5", decimal_comma=True) == Decimal("1234.5")
    assert parse_decimal("12,75", decimal_comma=True) == Decimal("12.75")


@pytest.mark.parametrize("text", ["", "n/a", "—", "12a", "1.2.3", "$", "(a)"])
def test_not_numbers_raise(text: str) -> None:
    with pytest.raises(NotANumber, match="not a number"):
        parse_decimal(text)


def test_chinese_numerals_and_scales() -> None:
    assert [chinese_numeral(t) for t in ("三", "十二", "一百", "两百五十", "二十")] == [3, 12, 100, 250, 20]
    assert parse_number("十五") == 15 and parse_number("2,500") == 2500
    with pytest.raises(NotANumber):
        chinese_numeral("三个")
    assert scale_of("Billion") == Decimal(10**9) and scale_of("亿") == Decimal(10**8) and scale_of(None) == 1
    assert scale_of("millions") == scale_of("mn") == Decimal(10**6)
    assert fold_digits("Ｑ３ ２０２５") == "Ｑ3 2025"

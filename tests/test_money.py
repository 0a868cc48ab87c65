"""Exact money and the largest-remainder split."""

from __future__ import annotations

import copy
import pickle
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from dikt import Money
from dikt.i18n import texts
from dikt.money import (
    MAX_AMOUNT,
    OutOfRangeError,
    decimal_places,
    fraction_text,
    integer_weights,
    largest_remainder,
    money_of,
    parse_fraction,
    parse_money,
    parse_percent,
    round_ore,
    split_ore,
)


def test_formatting() -> None:
    assert str(Money(123456789)) == "1234567.89"
    assert Money(123456789).format("NOK") == "1,234,567.89 NOK"
    assert Money(-5).format() == "-0.05"
    assert repr(Money(150)) == "Money('1.50')"


@pytest.mark.parametrize(
    ("ore", "text"),
    [(0, "0.00"), (7, "0.07"), (99, "0.99"), (100, "1.00"), (-1, "-0.01"), (-100, "-1.00")],
)
def test_str_at_the_edges(ore: int, text: str) -> None:
    assert str(Money(ore)) == text


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_str_is_the_exact_decimal_and_reads_back(ore: int) -> None:
    text = str(Money(ore))
    assert Fraction(Decimal(text)) == Fraction(ore, 100)  # exact, no context rounding
    whole, cents = text.removeprefix("-").split(".")
    assert whole.isdigit()
    assert cents.isdigit()
    assert len(cents) == 2
    assert whole == "0" or not whole.startswith("0")
    if 0 <= ore <= MAX_AMOUNT * 100:  # what a spec may hold
        assert parse_money(text) == Money(ore)


def test_arithmetic_is_exact_and_typed() -> None:
    assert Money(10) + Money(5) - Money(3) == Money(12)
    assert sum([Money(1), Money(2)]) == Money(3)
    assert Money(7) * 3 == Money(21)
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        Money(1).ore = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "ore"),
    [(0, 0), (1, 100), (Decimal("0.1"), 10), ("12.34", 1234), (Decimal("1e3"), 100_000)],
)
def test_parse(value: object, ore: int) -> None:
    assert parse_money(value) == Money(ore)


def test_a_float_is_never_an_amount() -> None:
    with pytest.raises(ValueError, match="expected an amount"):
        parse_money(0.1)


def test_fractions() -> None:
    assert parse_fraction(Decimal("0.3")) == Fraction(3, 10)
    assert parse_fraction("0.25") == Fraction(1, 4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        parse_fraction(Decimal("-0.1"))


def test_the_split_gives_leftover_ore_to_the_largest_remainders() -> None:
    assert largest_remainder(Money(100), {"a": 1, "b": 1, "c": 1}) == {
        "a": Money(34),
        "b": Money(33),
        "c": Money(33),
    }
    assert largest_remainder(Money(10), {"a": 1, "b": 2}) == {"a": Money(3), "b": Money(7)}


@given(
    st.integers(0, 10**15),
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 10**6), min_size=1),
)
def test_a_split_sums_exactly_and_stays_within_one_ore(ore: int, weights: dict[str, int]) -> None:
    if not any(weights.values()):
        with pytest.raises(ValueError, match="sum to 0"):
            largest_remainder(Money(ore), weights)
        return
    parts = largest_remainder(Money(ore), weights)
    assert sum(p.ore for p in parts.values()) == ore
    total = sum(weights.values())
    for ident, part in parts.items():
        exact = Fraction(ore * weights[ident], total)
        assert abs(part.ore - exact) < 1
        if weights[ident] == 0:
            assert part.ore == 0


def test_money_is_ordered_among_amounts_only() -> None:
    assert sorted([Money(3), Money(1), Money(2)]) == [Money(1), Money(2), Money(3)]
    assert Money(1) < Money(2) <= Money(2) < Money(3)
    assert Money(3) > Money(2) >= Money(2)
    assert Money(1).__lt__(5) is NotImplemented  # type: ignore[operator]
    # Each of the four comparisons once, against a number or a text.
    for compare in (
        lambda: Money(1) < 5,  # type: ignore[operator]
        lambda: Money(1) <= 1,  # type: ignore[operator]
        lambda: Money(1) > 0.5,  # type: ignore[operator]
        lambda: Money(1) >= "1",  # type: ignore[operator]
    ):
        with pytest.raises(TypeError):
            compare()
    assert Money(1) != 1


def test_an_exact_fraction_is_written_with_all_its_digits_past_28() -> None:
    """Decimal arithmetic rounds to 28 digits; a share's text never does."""
    assert (
        fraction_text(Fraction(1, 2**60))
        == "0.000000000000000000867361737988403547205962240695953369140625"
    )
    assert fraction_text(1 + Fraction(2, 10**28)) == "1.0000000000000000000000000002"
    assert texts("nb").number(1 + Fraction(2, 10**28)) == "1,0000000000000000000000000002"
    assert texts("nb").number(Fraction(-12345678, 100)) == "-123\u00a0456,78"


def test_ordering_is_strict_where_it_says_so_and_money_of_one_ore_is_true() -> None:
    assert not Money(2) < Money(2)
    assert not Money(2) > Money(2)
    assert Money(2) <= Money(2)
    assert Money(2) >= Money(2)
    assert not Money(3) <= Money(2)
    assert not Money(2) >= Money(3)
    assert bool(Money(1))
    assert bool(Money(-1))
    assert not bool(Money(0))


def test_integer_weights_keep_every_fractions_proportion() -> None:
    # The common denominator of 1/2, 1/3 and 1/4 is 12: 6, 4 and 3 twelfths.
    assert integer_weights([Fraction(1, 2), Fraction(1, 3), Fraction(1, 4)]) == [6, 4, 3]
    assert integer_weights([Fraction(2, 3), 1]) == [2, 3]
    assert integer_weights([1, 2]) == [1, 2]


def test_a_split_refuses_what_it_cannot_split_and_says_why() -> None:
    with pytest.raises(ValueError, match=r"^cannot split a negative amount \(-1 øre\)$"):
        split_ore(-1, [1])
    for weights in ([0, 0], [1, -1], []):
        with pytest.raises(
            ValueError, match=r"^cannot split by weights that sum to 0 or are negative$"
        ):
            split_ore(1, weights)
    with pytest.raises(ValueError, match=r"^cannot split a negative amount \(-0.01\)$"):
        largest_remainder(Money(-1), {"a": 1})


def test_largest_remainder_breaks_ties_by_the_order_given() -> None:
    # One øre among three equals: the first of the order gets it, not the smallest id.
    assert largest_remainder(Money(1), {"a": 1, "b": 1, "c": 1}, order=["c", "a", "b"]) == {
        "c": Money(1),
        "a": Money(0),
        "b": Money(0),
    }
    assert largest_remainder(Money(1), {"c": 1, "a": 1}) == {"a": Money(1), "c": Money(0)}


@pytest.mark.parametrize(
    ("exact", "ore"),
    [
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
        (Fraction(7, 3), 2),
        (Fraction(8, 3), 3),
        (Fraction(-8, 3), -3),
        (Fraction(0), 0),
        (Fraction(1, 2), 1),
        (Fraction(49, 100), 0),
    ],
)
def test_round_ore_rounds_halves_away_from_zero(exact: Fraction, ore: int) -> None:
    assert round_ore(exact) == Money(ore)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("2.5", Fraction(1, 40)),
        (" 2.5 % ", Fraction(1, 40)),
        ("-99.999999", Fraction(-99999999, 100_000_000)),
        ("1000", Fraction(10)),
        ("0", Fraction(0)),
    ],
)
def test_parse_percent_reads_an_exact_fraction(text: str, share: Fraction) -> None:
    assert parse_percent(text, -100, 1000, low_open=True) == share


@pytest.mark.parametrize(
    ("text", "low_open", "error"),
    [
        ("-100", True, "-100 is outside the range: above -100 to 1000 percent"),
        ("-101", False, "-101 is outside the range: from -100 to 1000 percent"),
        ("1000.01", False, "1000.01 is outside the range: from -100 to 1000 percent"),
        ("abc", False, "'abc' is not a number of percent"),
        ("nan", False, "'nan' is not a finite number of percent"),
        ("1.0000001", False, "1.0000001 has more than 6 decimals; write at most 6"),
    ],
)
def test_parse_percent_refuses_what_is_out_of_range_or_not_a_number(
    text: str, low_open: bool, error: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(error)}$") as caught:
        parse_percent(text, -100, 1000, low_open=low_open)
    assert isinstance(caught.value, OutOfRangeError) is ("outside" in error)
    assert parse_percent("-100", -100, 1000) == -1  # the low end, when it is not open


def test_money_arithmetic_and_hashing() -> None:
    assert -Money(150) == Money(-150)
    assert Money.sum([Money(1), Money(2), Money(-4)]) == Money(-1)
    assert Money.sum([]) == Money(0)
    assert hash(Money(5)) == hash(Money(5))
    assert len({Money(5), Money(5), Money(6)}) == 2
    assert Money(123456).to_decimal() == Decimal("1234.56")
    assert str(Money(-5).to_decimal()) == "-0.05"
    assert str(Money(100).to_decimal()) == "1.00"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1.5, "expected an amount (a number or a decimal string), got 1.5"),
        (Decimal("NaN"), "expected a finite amount, got nan"),
        ("1.001", 'expected an amount with at most two decimals, got "1.001"'),
        (Decimal("1E-3"), "expected an amount with at most two decimals, got 0.001"),
    ],
)
def test_parse_money_says_what_is_wrong(value: object, error: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(error)}$"):
        parse_money(value)


@pytest.mark.parametrize(
    ("value", "ore"),
    [
        (Decimal("1.5"), 150),
        (Decimal("1.50"), 150),
        (Decimal("1.500"), 150),  # trailing zeros are not decimals
        (Decimal("1.230"), 123),  # two decimals and a zero after them
        (Decimal("1.0000"), 100),
        (Decimal("-3.4500000"), -345),
        (Decimal("12E3"), 1_200_000),
        (Decimal("0.01"), 1),
        (Decimal("0E-5"), 0),
        (Decimal("-2.5"), -250),
        (Decimal("7"), 700),
    ],
)
def test_an_amount_from_a_decimal_is_exact(value: Decimal, ore: int) -> None:
    assert Money.from_decimal(value) == Money(ore)


def test_money_without_an_amount_is_nothing() -> None:
    assert Money().ore == 0


def test_a_decimal_that_is_no_amount_is_refused_with_its_reason() -> None:
    with pytest.raises(ValueError, match=r"^Infinity is not a finite amount$"):
        Money.from_decimal(Decimal("Infinity"))
    with pytest.raises(ValueError, match=r"^0\.001 has more than two decimals$"):
        Money.from_decimal(Decimal("0.001"))


@pytest.mark.parametrize(
    ("number", "places"),
    [("0.250", 2), ("12E3", 0), ("1", 0), ("1.0", 0), ("0.00", 0), ("1.05", 2), ("10", 0)],
)
def test_decimal_places_ignore_trailing_zeros(number: str, places: int) -> None:
    assert decimal_places(Decimal(number)) == places


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0.5, "expected a fraction between 0 and 1 (a number or a decimal string), got 0.5"),
        ("1.5", 'expected a fraction between 0 and 1, got "1.5"'),
        (
            Decimal("0." + "0" * 28 + "1"),
            "expected a fraction with at most 28 decimals, got 1E-29",
        ),
    ],
)
def test_parse_fraction_says_what_is_wrong(value: object, error: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(error)}$"):
        parse_fraction(value)


def test_parse_fraction_takes_28_decimals_and_strings_and_integers() -> None:
    assert parse_fraction(Decimal("0." + "0" * 27 + "1")) == Fraction(1, 10**28)
    assert parse_fraction("0.25") == Fraction(1, 4)
    assert parse_fraction(1) == 1


def test_a_change_is_signed_and_nothing_is_unsigned() -> None:
    assert Money(1).format(signed=True) == "+0.01"
    assert Money(0).format(signed=True) == "0.00"
    assert Money(0).format() == "0.00"
    assert Money(1).format() == "0.01"
    assert str(Money(100)) == "1.00"
    assert str(Money(-100)) == "-1.00"


def test_money_refuses_what_is_not_whole_ore_and_any_change_and_says_why() -> None:
    with pytest.raises(TypeError, match=r"^Money takes whole øre as an int, got 1\.5$"):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match=r"^Money is immutable$"):
        Money(1).ore = 2  # type: ignore[misc]


def test_arithmetic_with_anything_but_an_amount_is_a_type_error() -> None:
    """An amount plus a number has no unit: Python's TypeError, never a wrong sum."""
    assert (Money(1) == 1) is False
    assert Money(1).__eq__(1) is NotImplemented
    for operation in (
        lambda: Money(1) + 1,  # type: ignore[operator]
        lambda: 1 + Money(1),  # type: ignore[operator]
        lambda: Money(1) - 1,  # type: ignore[operator]
        lambda: Money(1) * 1.5,  # type: ignore[operator]
        lambda: Money(1) * Money(2),  # type: ignore[operator]
    ):
        with pytest.raises(TypeError):
            operation()
    assert 3 * Money(7) == Money(21)
    assert sum([Money(5)]) == Money(5)


def test_an_amount_survives_pickling_and_copying_and_hashes_by_value() -> None:
    # Amounts cross process boundaries (pickle) and are dict keys.
    for amount in (Money(0), Money(150), Money(-7)):
        assert pickle.loads(pickle.dumps(amount)) == amount
        assert copy.deepcopy(amount) == amount
    assert hash(Money(5)) != hash(Money(6))
    assert money_of(150) == Money(150)
    assert str(money_of(-7)) == "-0.07"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (-1, "an amount may not be negative, got -1"),
        (Decimal("-0.01"), "an amount may not be negative, got -0.01"),
        (
            Decimal("10000000000000.01"),
            "an amount may be at most 10000000000000, got 10000000000000.01",
        ),
    ],
)
def test_an_amount_out_of_range_is_refused_with_the_range(value: object, error: str) -> None:
    with pytest.raises(OutOfRangeError, match=f"^{re.escape(error)}$"):
        parse_money(value)


def test_the_largest_amount_is_ten_trillion() -> None:
    assert parse_money(10_000_000_000_000) == Money(1_000_000_000_000_000)
    assert parse_money("9999999999999.99") == Money(999_999_999_999_999)
    assert parse_money("+0.01") == Money(1)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7, "7"),
        (Fraction(-3, 4), "-0.75"),
        (Fraction(-85), "-85"),
        (Fraction(85), "85"),
        (Fraction(2, 3), "~0.6666666667"),  # rounded at the tenth decimal, not cut
        (Fraction(1, 7), "~0.1428571429"),
        (Fraction(1, 2) + Fraction(1, 3 * 10**11), "~0.5"),  # no trailing zeros
        (1 + Fraction(1, 3 * 10**11), "~1"),  # nor a lone point
        (Fraction(1, 40), "0.025"),
        (Fraction(3, 5**3), "0.024"),
        # Nothing, or less than half the tenth decimal, has no sign.
        (Fraction(0), "0"),
        (Fraction(1, 3 * 10**11), "~0"),
        (Fraction(-1, 3 * 10**11), "~0"),
    ],
)
def test_a_fraction_is_written_exactly_or_to_ten_decimals_marked(
    value: Fraction | int, text: str
) -> None:
    assert fraction_text(value) == text


def test_a_fraction_that_is_not_finite_is_refused() -> None:
    for value, shown in ((Decimal("NaN"), "nan"), (Decimal("Infinity"), "inf")):
        error = f"expected a fraction between 0 and 1 (a number or a decimal string), got {shown}"
        with pytest.raises(ValueError, match=f"^{re.escape(error)}$"):
            parse_fraction(value)
    assert parse_fraction(0) == 0
    assert parse_fraction(Decimal(0)) == 0


def test_a_split_of_nothing_is_nothing_for_each() -> None:
    assert split_ore(0, [1, 2]) == [0, 0]
    assert largest_remainder(Money(0), {"a": 1}) == {"a": Money(0)}
    # A zero weight beside positive ones is allowed and gets nothing.
    assert split_ore(5, [0, 1]) == [0, 5]
    # Two øre over, the two largest remainders: 10 by 1:1:1:1 is 2.5 each.
    assert split_ore(10, [1, 1, 1, 1]) == [3, 3, 2, 2]
    # The largest remainders, not the largest weights: 11 by 1:3:6 is 1.1, 3.3, 6.6.
    assert split_ore(11, [1, 3, 6]) == [1, 3, 7]

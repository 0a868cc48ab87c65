"""Exact money and the largest-remainder split."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from dikt import Money
from dikt.i18n import texts
from dikt.money import (
    MAX_AMOUNT,
    fraction_text,
    integer_weights,
    largest_remainder,
    parse_fraction,
    parse_money,
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

"""Exact money: whole øre in an integer, and the largest-remainder split.

Every other module asks this one to parse, add, format and split amounts; none
rounds by itself. No binary float ever touches an amount: TOML floats are read
as :class:`decimal.Decimal` and turned into whole øre here, or refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from dikt._values import describe

__all__ = [
    "MAX_AMOUNT",
    "MAX_FRACTION_PLACES",
    "Money",
    "OutOfRangeError",
    "decimal_places",
    "fraction_text",
    "integer_weights",
    "largest_remainder",
    "money_of",
    "parse_fraction",
    "parse_money",
    "parse_percent",
    "round_ore",
    "split_ore",
]

#: The largest amount a spec may state, in whole currency units. Far above any
#: municipal budget; it keeps a typo such as ``1e400`` from becoming a number.
MAX_AMOUNT: Final = 10**13

_DECIMAL_STRING = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_HUNDRED = Decimal(100)


class OutOfRangeError(ValueError):
    """A number that is a number, but outside the range its key allows."""


class Money:
    """An exact amount of money: a whole number of øre (hundredths).

    >>> Money.parse("1234.5")
    Money('1234.50')
    >>> str(Money(150) + Money(75))
    '2.25'
    """

    __slots__ = ("ore",)
    ore: int

    def __init__(self, ore: int = 0) -> None:
        if type(ore) is not int:
            raise TypeError(f"Money takes whole øre as an int, got {ore!r}")
        object.__setattr__(self, "ore", ore)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Money is immutable")

    @classmethod
    def parse(cls, value: object) -> Money:
        """Read an amount as a spec writes it: int, Decimal or decimal string.

        Raises :class:`ValueError` with a message for people when the value is
        not an amount, has more than two decimals, is negative or not finite.
        """
        return parse_money(value)

    @classmethod
    def from_decimal(cls, value: Decimal) -> Money:
        """The amount of a finite decimal with at most two decimals, exactly.

        Integer arithmetic on the decimal's digits: no context precision or
        underflow can change the value (``1e-999999999`` is refused, not 0).
        """
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite amount")
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite
        if exponent < -2 and decimal_places(value) > 2:
            raise ValueError(f"{value} has more than two decimals")
        number = int("".join(map(str, digits)) or "0")
        if number == 0:
            return cls(0)
        shift = exponent + 2
        ore = number * 10**shift if shift >= 0 else number // 10**-shift
        return cls(-ore if sign else ore)

    def to_decimal(self) -> Decimal:
        """This amount as a Decimal with exactly two decimals."""
        return Decimal(self.ore).scaleb(-2).quantize(Decimal("0.01"))

    def __str__(self) -> str:
        # The digits with a point before the last two: half the time of divmod
        # and two formats, and JSON writes a hundred thousand amounts.
        ore = self.ore
        if ore >= 100:
            digits = str(ore)
            return f"{digits[:-2]}.{digits[-2:]}"
        digits = str(abs(ore)).rjust(3, "0")
        return f"{'-' if ore < 0 else ''}{digits[:-2]}.{digits[-2:]}"

    def format(self, currency: str | None = None, *, signed: bool = False) -> str:
        """For people: thousand separators (thin spaces are fragile, so ','), two decimals.

        ``signed`` marks a change: a positive amount gets a ``+``.

        >>> Money(123456789).format("NOK")
        '1,234,567.89 NOK'
        >>> Money(150).format(signed=True), Money(-150).format(signed=True)
        ('+1.50', '-1.50')
        """
        sign = "-" if self.ore < 0 else "+" if signed and self.ore > 0 else ""
        whole, cents = divmod(abs(self.ore), 100)
        text = f"{sign}{whole:,}.{cents:02d}"
        return f"{text} {currency}" if currency else text

    def __repr__(self) -> str:
        return f"Money('{self}')"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self.ore == other.ore
        return NotImplemented

    # Ordered among amounts only: comparing with anything else is Python's
    # TypeError, not a wrong answer (``Money(1) < 5`` has no meaning in øre).
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.ore < other.ore

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.ore <= other.ore

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.ore > other.ore

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.ore >= other.ore

    def __hash__(self) -> int:
        return hash(("Money", self.ore))

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.ore + other.ore)

    def __radd__(self, other: object) -> Money:
        # Lets the builtin sum() start from 0.
        if other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.ore - other.ore)

    def __neg__(self) -> Money:
        return Money(-self.ore)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            return NotImplemented
        return Money(self.ore * factor)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.ore != 0

    def __reduce__(self) -> tuple[type[Money], tuple[int]]:
        return (Money, (self.ore,))

    @staticmethod
    def sum(amounts: Iterable[Money]) -> Money:
        """The exact sum of amounts (0.00 for none)."""
        return Money(sum(a.ore for a in amounts))


_new = object.__new__
_set_ore = Money.__dict__["ore"].__set__


def money_of(ore: int) -> Money:
    """``Money(ore)`` for an ``ore`` known to be an int, built without the type check.

    For the allocation's hundred thousand lines; everything else uses
    ``Money(ore)``.
    """
    money: Money = _new(Money)
    _set_ore(money, ore)
    return money


def parse_money(value: object) -> Money:
    """Read an amount: an int, a Decimal (a TOML float) or a decimal string.

    >>> parse_money(850_000)
    Money('850000.00')
    >>> parse_money("0.125")
    Traceback (most recent call last):
    ...
    ValueError: expected an amount with at most two decimals, got "0.125"
    """
    if type(value) is int:
        number = Decimal(value)
    elif type(value) is Decimal:
        number = value
    elif type(value) is str and _DECIMAL_STRING.fullmatch(value):
        number = Decimal(value)
    else:
        raise ValueError(
            _said("expected an amount (a number or a decimal string), got {value}", value)
        )
    if not number.is_finite():
        raise ValueError(_said("expected a finite amount, got {value}", value))
    if number < 0:
        raise OutOfRangeError(_said("an amount may not be negative, got {value}", value))
    if number > MAX_AMOUNT:
        raise OutOfRangeError(
            _said("an amount may be at most {most}, got {value}", value, most=MAX_AMOUNT)
        )
    try:
        return Money.from_decimal(number)
    except (ValueError, InvalidOperation):
        raise ValueError(
            _said("expected an amount with at most two decimals, got {value}", value)
        ) from None


def _said(template: str, value: object, **more: object) -> str:
    """A message about a value read from a spec, translatable (:func:`dikt.i18n.message`)."""
    from dikt.i18n import message  # noqa: PLC0415 - i18n writes amounts: it imports this module

    return message(template, value=describe(value), **more)


#: The most decimals a fraction in a spec (a share) may have: far more than
#: any key needs, and it keeps ``1e-999999999`` from becoming a fraction with
#: a billion-digit denominator.
MAX_FRACTION_PLACES: Final = 28


def decimal_places(number: Decimal) -> int:
    """How many decimals a finite decimal really has (trailing zeros ignored).

    >>> decimal_places(Decimal("0.250")), decimal_places(Decimal("12E3"))
    (2, 0)
    """
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    if exponent >= 0:
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros)) if any(digits) else 0


def parse_fraction(value: object) -> Fraction:
    """Read a fraction in [0, 1] exactly as written (``0.3`` is 3/10).

    The range and the number of decimals are checked before the value
    becomes a fraction, so that no written number makes this slow.

    >>> parse_fraction(Decimal("0.3"))
    Fraction(3, 10)
    >>> parse_fraction(Decimal("1e-999999999"))
    Traceback (most recent call last):
    ...
    ValueError: expected a fraction with at most 28 decimals, got 1E-999999999
    """
    number: Decimal | int
    if type(value) is int or (type(value) is Decimal and value.is_finite()):
        number = value
    elif type(value) is str and _DECIMAL_STRING.fullmatch(value):
        number = Decimal(value)
    else:
        raise ValueError(
            _said(
                "expected a fraction between 0 and 1 (a number or a decimal string), got {value}",
                value,
            )
        )
    if not 0 <= number <= 1:
        raise OutOfRangeError(_said("expected a fraction between 0 and 1, got {value}", value))
    if isinstance(number, Decimal) and decimal_places(number) > MAX_FRACTION_PLACES:
        raise ValueError(
            _said(
                "expected a fraction with at most {most} decimals, got {value}",
                value,
                most=MAX_FRACTION_PLACES,
            )
        )
    return Fraction(number)


def parse_percent(
    text: str, low: int, high: int, *, low_open: bool = False, places: int = 6
) -> Fraction:
    """A number of percent as written, as an exact fraction of 1 (``"2.5"`` is 1/40).

    The one reader of percentages given on the command line or in a
    directive. A trailing ``%`` is allowed. The range (``low`` to ``high``
    percent, ``low`` excluded with ``low_open``) and the number of decimals
    are checked on the decimal, before it becomes a fraction, so that no
    number makes this slow. Raises :class:`ValueError` with a message for
    people.

    >>> parse_percent("2.5 %", -100, 1000, low_open=True)
    Fraction(1, 40)
    >>> parse_percent("1e999999999", 0, 100)
    Traceback (most recent call last):
    ...
    dikt.money.OutOfRangeError: 1e999999999 is outside the range: from 0 to 100 percent
    """
    stripped = text.strip().removesuffix("%").strip()
    try:
        number = Decimal(stripped)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number of percent") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a finite number of percent")
    below = number <= low if low_open else number < low
    if below or number > high:
        bound = "above" if low_open else "from"
        raise OutOfRangeError(f"{text} is outside the range: {bound} {low} to {high} percent")
    if decimal_places(number) > places:
        raise ValueError(f"{text} has more than {places} decimals; write at most {places}")
    return Fraction(number) / 100


def round_ore(exact: Fraction) -> Money:
    """An exact amount of øre rounded to whole øre, halves away from zero.

    For showing exact quantities such as unit prices; allocations never round
    this way (they use :func:`split_ore`).

    >>> round_ore(Fraction(5, 2)), round_ore(Fraction(-5, 2))
    (Money('0.03'), Money('-0.03'))
    """
    sign = -1 if exact < 0 else 1
    whole, rest = divmod(abs(exact.numerator), exact.denominator)
    if 2 * rest >= exact.denominator:
        whole += 1
    return Money(sign * whole)


def fraction_text(value: Fraction | int) -> str:
    """A fraction written as a decimal, exactly when it terminates.

    Terminating fractions (denominator 2^a 5^b, as everything read from a spec
    is) are written in full; others to 10 decimals, marked with a "~".

    >>> fraction_text(Fraction(3, 10)), fraction_text(Fraction(85)), fraction_text(Fraction(1, 3))
    ('0.3', '85', '~0.3333333333')
    """
    if isinstance(value, int):
        return str(value)
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return "~" + _point(round(value * 10**10), 10).rstrip("0").rstrip(".")
    places = max(twos, fives)
    return _point(value.numerator * 10**places // value.denominator, places)


def _point(scaled: int, places: int) -> str:
    """``scaled / 10**places`` written out in full, by integer arithmetic.

    Not through :class:`~decimal.Decimal`, whose arithmetic rounds to the
    context's 28 digits: an exact share may have many more.

    >>> _point(-5, 3), _point(123456, 2), _point(7, 0)
    ('-0.005', '1234.56', '7')
    """
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    if not places:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def split_ore(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` øre exactly in proportion to integer ``weights``.

    Each part is ``amount * w / sum(w)`` floored to whole øre; the øre left
    over go one each to the largest remainders, ties to the earlier position.
    The parts sum to ``amount``. Integer arithmetic only: exact and fast.

    >>> split_ore(100, [1, 1, 1])
    [34, 33, 33]
    """
    if amount < 0:
        raise ValueError(f"cannot split a negative amount ({amount} øre)")
    total = sum(weights)
    if total <= 0 or any(w < 0 for w in weights):
        raise ValueError("cannot split by weights that sum to 0 or are negative")
    scaled = [amount * weight for weight in weights]
    parts = [value // total for value in scaled]
    left = amount - sum(parts)
    if left:
        remainders = [value % total for value in scaled]
        # Largest remainder first; a stable sort keeps the earlier position
        # first among equals (reverse=True keeps stability).
        for position in sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)[:left]:
            parts[position] += 1
    return parts


def integer_weights(weights: Sequence[Fraction | int]) -> list[int]:
    """Whole-number weights in the same proportions as exact fractions.

    >>> integer_weights([Fraction(1, 2), Fraction(1, 3)])
    [3, 2]
    """
    denominator = 1
    for weight in weights:
        denominator = math.lcm(denominator, Fraction(weight).denominator)
    return [int(Fraction(w) * denominator) for w in weights]


def largest_remainder(
    amount: Money, weights: Mapping[str, Fraction | int], order: Sequence[str] | None = None
) -> dict[str, Money]:
    """Split ``amount`` exactly in proportion to ``weights``, to the øre, by id.

    Ties go to the smaller id (or the earlier one in ``order``). See
    :func:`split_ore`.

    >>> largest_remainder(Money(100), {"a": 1, "b": 1, "c": 1})
    {'a': Money('0.34'), 'b': Money('0.33'), 'c': Money('0.33')}
    """
    if amount.ore < 0:
        raise ValueError(f"cannot split a negative amount ({amount})")
    ids = list(order) if order is not None else sorted(weights)
    parts = split_ore(amount.ore, integer_weights([weights[i] for i in ids]))
    return {ident: Money(part) for ident, part in zip(ids, parts, strict=True)}

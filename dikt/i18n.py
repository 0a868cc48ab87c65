"""dikt in English and Norwegian bokmål: message catalogs and number formats.

Messages are gettext catalogs managed with Babel: the English text in the
code is the message id, ``dikt/locale/nb/LC_MESSAGES/dikt.po`` holds its
bokmål translation and ``dikt.mo`` the compiled catalog shipped in the wheel
(docs/howto/language.md says how to update them with pybabel).

:func:`texts` gives a language's :class:`Texts`: its messages and how it
writes numbers. English writes amounts as ``1,234,567.89`` and dates ISO, as
dikt always has; bokmål follows Babel's locale data: ``1 234 567,89 kr``
(no-break spaces), ``12,5 %``, ``26.11.2026``. Amounts are exact øre, so
they are written with exactly two decimals and never rounded again.
Machine formats (JSON, CSV, the schema) never go through here.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import gettext
from collections.abc import Callable, Sequence
from fractions import Fraction
from importlib import resources
from typing import TYPE_CHECKING, Final

import attrs

from dikt._values import Written
from dikt.limits import LANGUAGES, Language
from dikt.money import Money, fraction_text, round_ore

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "LANGUAGES",
    "N_",
    "TERMS",
    "Language",
    "Message",
    "Texts",
    "all_of",
    "message",
    "message_n",
    "one_of",
    "quoted",
    "texts",
]

_DOMAIN: Final = "dikt"


def N_(text: str) -> str:  # noqa: N802 - gettext's conventional name for a marker
    """Mark ``text`` as a message to translate later (extracted, returned unchanged)."""
    return text


#: dikt's own terms that tables show as values (kinds of line, packages,
#: statuses, categories...): machines read them as they are, people in their
#: language. A test checks that every such enum value is here.
TERMS: Final = (
    N_("base"),
    N_("application"),
    N_("own-system"),
    N_("core-investment"),
    N_("application-investment"),
    N_("member-investment"),
    N_("obligation"),
    N_("core"),
    N_("member"),
    N_("candidate"),
    N_("standard"),
    N_("tolerated"),
    N_("phase-out"),
    N_("harmonised"),
    N_("deviating"),
    N_("mixed"),
    N_("absent"),
    N_("implementation"),
    N_("process"),
    N_("infrastructure"),
    N_("system-users"),
    N_("users"),
    N_("employees"),
    N_("population"),
    N_("pcs"),
    N_("equal"),
    N_("laptop"),
    N_("desktop"),
    N_("thin-client"),
    N_("school"),
    N_("admin"),
    N_("single"),
    N_("keep"),
    N_("replace"),
    N_("error"),
    N_("warning"),
    N_("total"),
    N_("yes"),
)


class Message(str):
    """A message built in English that can be written again in another language.

    It is the English text (a ``str``, so everything that reads a message
    still works) and remembers its template and arguments; :meth:`Texts.message`
    writes it in a language. Arguments that are messages themselves are
    translated too.
    """

    template: str
    args: dict[str, object]
    #: (singular, plural) for a message with a count (``args["n"]``), else None.
    plural: tuple[str, str] | None

    def __new__(
        cls, template: str, args: dict[str, object], plural: tuple[str, str] | None = None
    ) -> Message:
        made = super().__new__(cls, template.format(**args) if args else template)
        made.template = template
        made.args = args
        made.plural = plural
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Message, (self.template, self.args, self.plural))


def message(template: str, **args: object) -> Message:
    """A message to show in the reader's language: ``message('unknown key "{key}"', key=k)``.

    >>> m = message('unknown system "{id}"', id="IT999")
    >>> m, texts("nb").message(m)
    ('unknown system "IT999"', 'ukjent system «IT999»')
    >>> texts("nb").message(message("{first}; {second}", first=message("no share for {ids}",
    ...     ids="sande"), second="x"))
    'ingen andel for sande; x'

    Amounts (:class:`~dikt.money.Money`) and dates are written as the language
    writes them; English keeps the digits JSON has:

    >>> m = message("{first}, {second}", first=Money(150000050), second=dt.date(2013, 1, 1))
    >>> m, texts("nb").message(m)
    ('1500000.50, 2013-01-01', '1\xa0500\xa0000,50, 01.01.2013')
    """
    return Message(template, args)


def message_n(singular: str, plural: str, n: int, **args: object) -> Message:
    """A message with a count ``n`` (``{n}`` in it), singular or plural as the language says.

    >>> m = message_n("{n} error", "{n} errors", 2)
    >>> m, texts("nb").message(m), texts("nb").message(message_n("{n} error", "{n} errors", 1))
    ('2 errors', '2 feil', '1 feil')
    """
    return Message(singular if n == 1 else plural, {"n": n, **args}, (singular, plural))


def quoted(text: str) -> Message:
    """``text`` quoted as the reader's language quotes: ``"IT151"``, in bokmål «IT151».

    >>> texts("nb").message(quoted("IT151"))
    '«IT151»'
    """
    return message('"{id}"', id=text)


def one_of(options: Sequence[str]) -> Message:
    """``"a"``, ``"a" or "b"``, ``"a", "b" or "c"``, each quoted, in the reader's language.

    >>> texts("nb").message(one_of(["a", "b", "c"]))
    '«a», «b» eller «c»'
    """
    # Literal templates, so that the catalog extracts them.
    return _series(
        options, lambda first, last: message("{first} or {second}", first=first, second=last)
    )


def all_of(options: Sequence[str]) -> Message:
    """``"a"``, ``"a" and "b"``, ``"a", "b" and "c"``, each quoted, in the reader's language.

    >>> texts("nb").message(all_of(["a", "b", "c"]))
    '«a», «b» og «c»'
    """
    return _series(
        options, lambda first, last: message("{first} and {last}", first=first, last=last)
    )


def _series(options: Sequence[str], ending: Callable[[Message, Message], Message]) -> Message:
    """``options`` quoted, separated by commas, the last joined by ``ending``."""
    said = quoted(options[0])
    for index, other in enumerate(options[1:], start=1):
        if index == len(options) - 1:
            said = ending(said, quoted(other))
        else:
            said = message("{first}, {second}", first=said, second=quoted(other))
    return said


@functools.cache
def _catalog(language: Language) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    path = resources.files("dikt") / "locale" / language / "LC_MESSAGES" / f"{_DOMAIN}.mo"
    with resources.as_file(path) as file, file.open("rb") as handle:
        return gettext.GNUTranslations(handle)


@functools.cache
def _babel_locale(language: Language) -> Locale:
    from babel import Locale  # noqa: PLC0415 - Babel's data only for bokmål

    return Locale.parse(language)


@attrs.frozen
class Texts:
    """A language's messages and number formats: what every view and writer writes with.

    ``_`` translates a message, ``n_`` a message with a count; ``amount``,
    ``percent``, ``number`` and ``date`` write values as that language's
    readers expect them.
    """

    language: Language
    _catalog: gettext.NullTranslations = attrs.field(repr=False)

    def _(self, text: str) -> str:
        """``text`` in this language (itself where the catalog has no translation).

        The empty text stays empty (gettext would give the catalog's header).
        """
        return self._catalog.gettext(text) if text else text

    def n_(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message for ``n``, translated; ``{n}`` is filled in.

        >>> texts("nb").n_("{n} member", "{n} members", 3)
        '3 medlemmer'
        """
        return self._catalog.ngettext(singular, plural, n).format(n=n)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message for ``n``, translated, nothing filled in.

        gettext's own ``ngettext``, for code that fills in the placeholders itself.
        """
        return self._catalog.ngettext(singular, plural, n)

    def term(self, value: str | enum.Enum) -> str:
        """One of dikt's terms (:data:`TERMS`, or an enum holding one) for people."""
        return self._(value.value if isinstance(value, enum.Enum) else value)

    def message(self, text: str) -> str:
        """A message (or plain text) in this language; see :func:`message`."""
        if not isinstance(text, Message):
            return text
        args = {name: self._argument(value) for name, value in text.args.items()}
        if text.plural is not None:
            singular, plural = text.plural
            count = text.args["n"]
            assert isinstance(count, int)
            template = self._catalog.ngettext(singular, plural, count)
        else:
            template = self._(text.template)
        return template.format(**args) if args else template

    def _argument(self, value: object) -> object:
        """An argument of a message as this language shows it."""
        if isinstance(value, Message):
            return self.message(value)
        if isinstance(value, Written) and self.language != "en":
            # One kind of quotation marks in a message: the language's own.
            return f"\u00ab{value.inner}\u00bb"
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return self.date(value)  # 01.01.2013 in bokmål, as tables write it
        if isinstance(value, Money) and self.language != "en":
            # 1 500 000,00 in bokmål; English keeps the digits, as JSON has them.
            return self.amount(value)
        return value

    @property
    def _babel(self) -> Locale | None:
        return None if self.language == "en" else _babel_locale(self.language)

    def amount(self, money: Money, currency: str | None = None, *, signed: bool = False) -> str:
        """An amount: ``1,234,567.89 NOK`` in English, ``1 234 567,89 kr`` in bokmål.

        >>> texts("nb").amount(Money(-123456789), "NOK")
        '-1\\xa0234\\xa0567,89\\xa0kr'
        """
        locale = self._babel
        if locale is None:
            return money.format(currency, signed=signed)
        from babel.numbers import format_currency, format_decimal  # noqa: PLC0415

        # Exactly two decimals already: no quantisation, so Babel rounds nothing.
        if currency:
            text = format_currency(
                money.to_decimal(), currency, locale=locale, decimal_quantization=False
            )
        else:
            text = format_decimal(
                money.to_decimal(), "#,##0.00", locale=locale, decimal_quantization=False
            )
        return "+" + text if signed and money.ore > 0 else text

    def percent(self, share: Fraction | int, *, signed: bool = False) -> str:
        """A share of 1 as a percentage to two decimals: ``76.92 %``, ``76,92 %``.

        Rounded half away from zero to hundredths of a percent, as everywhere in dikt.
        """
        hundredths = round_ore(Fraction(share) * 10_000).to_decimal()
        locale = self._babel
        if locale is None:  # one way in a table: "+2.51 %" beside "76.92 %"
            return f"{hundredths:+} %" if signed else f"{hundredths} %"
        from babel.numbers import format_percent  # noqa: PLC0415

        pattern = _percent_pattern(self.language)
        text = format_percent(hundredths / 100, pattern, locale=locale, decimal_quantization=False)
        return "+" + text if signed and hundredths >= 0 else text

    def exact_percent(self, share: Fraction | int) -> str:
        """A share as a percentage with all its decimals: ``12.5 %``, ``12,5\xa0%``."""
        space = " " if self.language == "en" else "\u00a0"
        return f"{self.number(Fraction(share) * 100)}{space}%"

    def number(self, value: Fraction | int, *, places: int = 0) -> str:
        """An exact number: all decimals when it terminates, else ten and a ``~``.

        ``places``: at least that many decimals when it terminates (an amount of
        whole øre in kroner has two).

        >>> texts("nb").number(Fraction(25, 2)), texts("nb").number(Fraction(1, 3))
        ('12,5', '~0,3333333333')
        >>> texts("nb").number(Fraction(601, 2), places=2), texts("en").number(3, places=2)
        ('300,50', '3.00')
        """
        text = fraction_text(value)
        if places and not text.startswith("~"):
            whole, _, decimals = text.partition(".")
            text = f"{whole}.{decimals.ljust(places, '0')}"
        locale = self._babel
        if locale is None:
            return text
        from babel.numbers import get_decimal_symbol, get_group_symbol  # noqa: PLC0415

        # The digits as fraction_text wrote them, only the symbols changed:
        # Babel's own formatting goes through Decimal, which rounds to 28 digits.
        approximate, rest = text.startswith("~"), text.lstrip("~")
        sign, rest = ("-", rest[1:]) if rest.startswith("-") else ("", rest)
        whole, point, decimals = rest.partition(".")
        groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)][::-1]
        written = sign + get_group_symbol(locale).join(groups)
        if point:
            written += get_decimal_symbol(locale) + decimals
        return "~" + written if approximate else written

    def currency(self, code: str) -> str:
        """How a currency is named after an amount: ``NOK`` in English, ``kr`` in bokmål."""
        locale = self._babel
        if locale is None:
            return code
        from babel.numbers import get_currency_symbol  # noqa: PLC0415

        return str(get_currency_symbol(code, locale=locale))

    def count(self, n: int) -> str:
        """A whole number of things: ``1,234`` or ``1 234``."""
        locale = self._babel
        if locale is None:
            return f"{n:,}"
        from babel.numbers import format_decimal  # noqa: PLC0415

        return format_decimal(n, "#,##0", locale=locale)

    def date(self, day: dt.date) -> str:
        """A date: ISO in English (``2026-11-26``), ``26.11.2026`` in bokmål."""
        locale = self._babel
        if locale is None:
            return day.isoformat()
        from babel.dates import format_date  # noqa: PLC0415

        return str(format_date(day, "dd.MM.yyyy", locale=locale))


@functools.cache
def _percent_pattern(language: Language) -> str:
    """The locale's percent pattern with two decimals (``#,##0.00 %`` for bokmål)."""
    pattern: str = _babel_locale(language).percent_formats[None].pattern
    return pattern.replace("0%", "0.00%").replace("0\u00a0%", "0.00\u00a0%")


@functools.cache
def texts(language: str = "en") -> Texts:
    """The :class:`Texts` of a language in :data:`LANGUAGES` (ValueError for another).

    >>> texts("nb").amount(Money(150), "NOK"), texts("en").amount(Money(150), "NOK")
    ('1,50\\xa0kr', '1.50 NOK')
    """
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}: dikt writes {', '.join(LANGUAGES)}")
    return Texts(language, _catalog(language))

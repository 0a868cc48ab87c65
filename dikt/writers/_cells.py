"""How a typed cell reads, for people and for machines; safe text for every format."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from dikt._values import visible
from dikt.document import Cell, Column, Kind, Table
from dikt.i18n import Texts, texts
from dikt.money import Money, fraction_text, round_ore
from dikt.naming import Named

__all__ = [
    "for_machines",
    "for_people",
    "header",
    "people_grid",
    "people_rows",
    "percent_text",
    "visible",
]


def percent_text(share: Fraction) -> str:
    """A share (0 to 1) as a percentage with two decimals: 10/13 is ``76.92``."""
    # round_ore rounds to hundredths, so hundredths of a percent are its øre.
    return str(round_ore(share * 10_000).to_decimal())


def for_people(value: Cell, kind: Kind, words: Texts | None = None) -> str:
    """A cell as people read it in a language (English by default).

    >>> for_people(Money(123456789), Kind.AMOUNT), for_people(Fraction(1, 8), Kind.PERCENT)
    ('1,234,567.89', '12.50 %')
    >>> nb = texts("nb")
    >>> for_people(Money(123456789), Kind.AMOUNT, nb), for_people(Fraction(1, 8), Kind.PERCENT, nb)
    ('1\xa0234\xa0567,89', '12,50\xa0%')
    """
    words = words or texts()
    if value is None:
        return words._("new") if kind is Kind.CHANGE_PERCENT else ""
    if isinstance(value, Named):
        return visible(value.shown)
    if isinstance(value, str):
        return visible(words.term(value) if kind is Kind.TERM else value)
    if isinstance(value, Money):
        return words.amount(value, signed=kind is Kind.CHANGE)
    if kind in (Kind.PERCENT, Kind.CHANGE_PERCENT):
        assert isinstance(value, Fraction | int)
        return words.percent(value, signed=kind is Kind.CHANGE_PERCENT)
    if isinstance(value, dt.date):
        return words.date(value)
    if isinstance(value, Fraction) or (kind is Kind.NUMBER and isinstance(value, int)):
        return words.number(value)
    if kind is Kind.COUNT and isinstance(value, int):
        return words.count(value)
    return visible(str(value))


def for_machines(value: Cell, kind: Kind) -> str:
    """A cell for machines (CSV): ``1234.50``, ``76.92`` (percent), ISO dates, exact numbers
    (``0.25``; ``1/3``, whose decimals never end).

    Independent of language and locale; text is returned as it is, a
    :class:`~dikt.naming.Named` cell as its id (the CSV writer neutralises formulas).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Money):
        return str(value)
    if kind in (Kind.PERCENT, Kind.CHANGE_PERCENT):
        assert isinstance(value, Fraction | int)
        return percent_text(Fraction(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        # Exactly: a fraction whose decimals never end as one (12065000/167).
        written = fraction_text(value)
        return f"{value.numerator}/{value.denominator}" if written.startswith("~") else written
    return str(value)


def header(column: Column, words: Texts) -> str:
    """A column's header as people read it: its label, else its header translated.

    Raw text: each writer makes it safe for its format.
    """
    return column.label if column.label is not None else words._(column.header)


def people_rows(table: Table) -> list[tuple[tuple[Cell, ...], tuple[Kind, ...]]]:
    """The rows people read, the totals row last, each with the kinds of its cells.

    The totals row's label (``total``) stands in its first text column, or in
    a column of numbers (the invoices' numbers); people read it as one of
    dikt's terms, in their language.
    """
    kinds = tuple(column.kind for column in table.columns)
    rows = [(row, kinds) for row in table.rows]
    if table.total is not None:
        total = tuple(
            Kind.TERM if k is Kind.ID or value == "total" else k
            for value, k in zip(table.total, kinds, strict=True)
        )
        rows.append((table.total, total))
    return rows


def people_grid(
    table: Table, words: Texts | None = None
) -> tuple[list[str], list[list[str]], list[int]]:
    """A table as people read it: headers, rows (the totals row last), natural widths."""
    words = words or texts()
    headers = [visible(header(column, words)) for column in table.columns]
    rows = [
        [for_people(value, kind, words) for value, kind in zip(row, kinds, strict=True)]
        for row, kinds in people_rows(table)
    ]
    widths = [len(header) for header in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    return headers, rows, widths

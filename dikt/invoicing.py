"""Invoices on account: each member's contribution for a year, in instalments.

A member is invoiced its contribution (:func:`dikt.allocate`) during the
year, in one, four or twelve instalments (``[invoicing] per``). Each line of
the contribution is split into equal instalments, exact to the øre: the øre
left over go one each to the first instalments (or the last, as
``[invoicing] remainder`` says), so that a line's instalments add up to the
line and a member's instalments to its contribution, exactly. An invoice is
dated the first day of its period and due ``due_days`` later; each line
carries the cooperation's reference: the project code it pays for.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from dikt._repr import summary_repr
from dikt.allocation import Allocation, LineKind, allocate
from dikt.model import Cooperation, Period, Remainder
from dikt.money import Money, split_ore

__all__ = ["Instalment", "InvoiceLine", "Invoices", "MemberInvoices", "invoices"]

#: Instalments a year, by period.
COUNTS: Final = {Period.YEAR: 1, Period.QUARTER: 4, Period.MONTH: 12}


@attrs.frozen(kw_only=True)
class InvoiceLine:
    """One line of an invoice: a part of one line of the member's contribution."""

    item: str  #: the catalogue system, own system or investment paid for
    kind: LineKind
    name: str
    reference: str  #: the cooperation's reference: the project code (the item's id)
    amount: Money


@attrs.frozen(kw_only=True)
class Instalment:
    """One invoice on account: its number in the year, dates, lines and total."""

    number: int  #: 1 to the number of instalments
    date: dt.date  #: the first day of its period
    due: dt.date
    total: Money
    lines: tuple[InvoiceLine, ...]  #: in the order of the contribution's lines


@attrs.frozen(kw_only=True, repr=False)
class MemberInvoices:
    """A member's invoices for the year; they add up to its contribution exactly."""

    __repr__ = summary_repr

    id: str
    name: str
    total: Money  #: the member's contribution for the year
    instalments: tuple[Instalment, ...]


@attrs.frozen(kw_only=True, repr=False)
class Invoices:
    """Every member's invoices on account for one year."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    name: str
    year: int
    currency: str
    per: Period
    remainder: Remainder
    total: Money  #: the year's contributions, as allocated
    members: tuple[MemberInvoices, ...]  #: sorted by id


def _dates(year: int, per: Period) -> list[dt.date]:
    step = 12 // COUNTS[per]
    return [dt.date(year, month, 1) for month in range(1, 13, step)]


def invoices(
    cooperation: Cooperation,
    year: int | None = None,
    per: Period | None = None,
    *,
    allocation: Allocation | None = None,
) -> Invoices:
    """Each member's contribution for ``year`` in instalments (default: ``[invoicing]``'s).

    The instalments of a line add up to it exactly; the øre left over go one
    each to the first instalments (or the last: ``[invoicing] remainder``).
    ``allocation`` is the year's allocation where the caller has it.
    Raises :class:`~dikt.errors.ComputeError` as :func:`dikt.allocate` does.

    >>> import dikt
    >>> result = dikt.invoices(dikt.load("specs/d-ikt"))
    >>> [str(i.total) for i in result.members[0].instalments]
    ['9658530.62', '9658530.51', '9658530.45', '9658530.39']
    """
    terms = cooperation.invoicing
    per = terms.per if per is None else per
    if allocation is None:
        allocation = allocate(cooperation, year)
    count = COUNTS[per]
    dates = _dates(allocation.year, per)
    due = dt.timedelta(days=terms.due_days)
    members = []
    for member in allocation.members:
        columns: list[list[InvoiceLine]] = [[] for _ in range(count)]
        for line in member.lines:
            if line.kind is LineKind.OBLIGATION:
                # A member that has left pays its part of an investment at once,
                # on the year's first invoice: it has no instalments to spread it over.
                columns[0].append(
                    InvoiceLine(
                        item=line.item,
                        kind=line.kind,
                        name=line.split.name,
                        reference=line.item,
                        amount=line.amount,
                    )
                )
                continue
            parts = split_ore(line.amount.ore, [1] * count)
            if terms.remainder is Remainder.LAST:
                parts.reverse()
            for column, part in zip(columns, parts, strict=True):
                column.append(
                    InvoiceLine(
                        item=line.item,
                        kind=line.kind,
                        name=line.split.name,
                        reference=line.item,
                        amount=Money(part),
                    )
                )
        instalments = tuple(
            Instalment(
                number=number,
                date=date,
                due=date + due,
                total=Money.sum(line.amount for line in column),
                lines=tuple(column),
            )
            for number, (date, column) in enumerate(zip(dates, columns, strict=True), start=1)
            # A member that has left and pays only its obligations has one invoice.
            if column or number == 1
        )
        members.append(
            MemberInvoices(
                id=member.id, name=member.name, total=member.total, instalments=instalments
            )
        )
    return Invoices(
        cooperation_id=allocation.cooperation_id,
        name=allocation.name,
        year=allocation.year,
        currency=allocation.currency,
        per=per,
        remainder=terms.remainder,
        total=allocation.total,
        members=tuple(members),
    )

"""Documents of the year's cycle: invoices on account (and, below, the settlement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from dikt.allocation import LineKind
from dikt.document import Cell, Document, Heading, Paragraph, Table, table
from dikt.i18n import N_, texts
from dikt.invoicing import COUNTS, Instalment, InvoiceLine, Invoices, MemberInvoices
from dikt.model import Remainder
from dikt.money import Money
from dikt.serialise import attr, shape

__all__ = ["GROUPS", "group_of", "instalments_table", "invoices_document"]

#: The groups of lines an invoice shows: operating (base packages and
#: applications together), then each kind of investment and own systems.
GROUPS: Final = (
    N_("operating"),
    N_("core-investment"),
    N_("application-investment"),
    N_("own-system"),
    N_("member-investment"),
)


def group_of(kind: LineKind) -> str:
    """The group of :data:`GROUPS` a kind of line is shown in."""
    return "operating" if kind in (LineKind.BASE, LineKind.APPLICATION) else kind.value


def _grouped(lines: Sequence[InvoiceLine]) -> list[tuple[str, Money]]:
    totals = dict.fromkeys(GROUPS, 0)
    for line in lines:
        totals[group_of(line.kind)] += line.amount.ore
    return [(group, Money(ore)) for group, ore in totals.items() if ore]


def instalments_table(member: MemberInvoices) -> Table:
    """A member's instalments, each by group of lines, and its total for the year."""
    rows: list[list[Cell]] = []
    for instalment in member.instalments:
        for index, (group, amount) in enumerate(_grouped(instalment.lines)):
            first = index == 0
            rows.append(
                [
                    instalment.number if first else None,
                    instalment.date if first else None,
                    instalment.due if first else None,
                    group,
                    amount,
                ]
            )
    return table(
        f"invoices-{member.id}",
        "no.:count, date:date, due:date, kind:term, amount:amount",
        rows,
        total=["total", None, None, None, member.total],
    )


def invoices_document(result: Invoices, language: str = "en") -> Document:
    """Each member's instalments by group of lines; records: one row per invoice line."""
    w = texts(language)
    count = COUNTS[result.per]
    rule = (
        w._("the øre left over go one each to the first instalments")
        if result.remainder is Remainder.FIRST
        else w._("the øre left over go one each to the last instalments")
    )
    blocks: list[Heading | Paragraph | Table] = [
        Paragraph.of(
            w.ngettext("{n} instalment in the year.", "{n} instalments in the year.", count).format(
                n=count
            ),
            w._("Each line of a contribution is split evenly, exact to the øre:"),
            rule + ".",
        )
    ]
    for member in result.members:
        blocks += [Heading(member.name), instalments_table(member)]
    records = table(
        "invoices",
        "year:year, member:id, instalment:count, date:date, due:date, item:id, kind:term, "
        "reference:id, name:name, amount:amount",
        [
            [
                result.year,
                member.id,
                instalment.number,
                instalment.date,
                instalment.due,
                line.item,
                line.kind.value,
                line.reference,
                line.name,
                line.amount,
            ]
            for member in result.members
            for instalment in member.instalments
            for line in instalment.lines
        ],
    )
    return Document(
        title=w._("{name} ({id}): invoices on account {year}, {currency}").format(
            name=result.name, id=result.cooperation_id, year=result.year, currency=result.currency
        ),
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------

shape(InvoiceLine, "item", "kind", "reference", "amount", "name")
shape(Instalment, "number", "date", "due", "total", "lines")
shape(MemberInvoices, "id", "name", "total", "instalments")
shape(
    Invoices,
    ("cooperation", str, attr("cooperation_id")),
    "year",
    "currency",
    "per",
    "remainder",
    "total",
    "members",
)

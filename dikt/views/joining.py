"""The document of joining: one-time costs, the annual contribution, the what-if."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from dikt.document import Cell, Document, Heading, Paragraph, Table, table
from dikt.i18n import Texts, texts
from dikt.joining import FleetModel, JoinEstimate, OneTimeItem, Premise, Summary, SummaryRow
from dikt.model import ThinClients
from dikt.money import Money, fraction_text
from dikt.naming import Named, Names, short_name
from dikt.serialise import shape
from dikt.views import allocation as _allocation  # noqa: F401 - the shape of MemberAllocation

__all__ = [
    "annual_paragraph",
    "costs_paragraph",
    "costs_table",
    "join_document",
    "members_table",
    "net_paragraph",
    "premises_table",
    "summary_table",
]


def costs_table(result: JoinEstimate, language: str = "en") -> Table:
    """The one-time costs of joining, with their rules, and their total by category."""
    w = texts(language)
    by_category = "; ".join(
        f"{w.term(category)} {w.amount(amount)}"
        for category, amount in result.by_category().items()
    )
    return table(
        "one-time",
        (
            "category:term, item:name, quantity:count, unit:id, unit price:amount, "
            "amount:amount, rule:text"
        ),
        [
            [
                item.category.value,
                w.message(item.item),
                item.quantity,
                w.message(item.unit),
                item.unit_price,
                item.amount,
                w.message(item.rule),
            ]
            for item in result.one_time
        ],
        total=["total", None, None, None, None, result.one_time_total, None],
        notes=[w._("By category: {amounts}.").format(amounts=by_category)],
    )


def members_table(result: JoinEstimate, names: Names | None = None) -> Table:
    """Every member's total before and after, the candidate, and the cooperation.

    Members read by their short names (``names``), the candidate last.
    """
    names = names or Names()
    rows: list[list[Cell]] = [
        [
            names.member_cell(m.id, short=True),
            m.before,
            m.after,
            m.change,
            None if m.percent is None else m.percent / 100,
        ]
        for m in result.members
    ]
    candidate = Named(result.candidate, short_name(result.name))
    rows.append([candidate, Money(0), result.annual.total, result.annual.total, None])
    return table(
        "members",
        "member:id, before:amount, after:amount, change:change, change %:change-percent",
        rows,
        total=[
            "total",
            result.total_before,
            result.total_after,
            result.total_change,
            "",
        ],
    )


def annual_paragraph(result: JoinEstimate, language: str = "en") -> Paragraph:
    """The candidate's annual contribution once a member, in words."""
    w = texts(language)
    kinds = ", ".join(
        f"{w.term(kind)} {w.amount(amount)}"
        for kind, amount in result.annual.by_kind().items()
        if amount
    )
    return Paragraph.of(
        w._("Annual contribution once a member (budget year {year}): {amount} ({kinds}).").format(
            year=result.budget_year,
            amount=w.amount(result.annual.total, result.currency),
            kinds=kinds,
        )
    )


def costs_paragraph(result: JoinEstimate, language: str = "en") -> Paragraph:
    """How the cooperation's costs were priced with the candidate: by cost models, or held flat."""
    w = texts(language)
    text = w._(
        "With {candidate}, the systems' cost models add {change} a year; {flat} of the cost "
        "of the systems it would share has no cost model and was held flat."
    ).format(
        candidate=result.name,
        change=w.amount(result.cost_change, result.currency),
        flat=w.amount(result.held_flat, result.currency),
    )
    moved = result.staff_cost + result.contracts_cost
    if moved:
        text += " " + w._(
            "Of the {moved} a year in staff and contracts moving over, {within} is within "
            "what the cost models add for its users and {added} adds to the cooperation's costs."
        ).format(
            moved=w.amount(moved, result.currency),
            within=w.amount(moved - result.moved_added, result.currency),
            added=w.amount(result.moved_added, result.currency),
        )
    return Paragraph.of(text)


def summary_table(result: JoinEstimate, language: str = "en") -> Table | None:
    """The source report's summary table: one-time and annual costs, without VAT, estimates."""
    summary = result.summary
    if summary is None:
        return None
    w = texts(language)
    total = summary.total
    return table(
        "summary",
        (
            "cost:name, investment:amount, operations:amount, next year:amount, "
            "annual investment:amount, salary and adm.:amount, annual operations:amount"
        ),
        [[w.message(row.item), *row.amounts()] for row in summary.rows],
        total=["total", *total.amounts()],
        notes=[
            w._(
                "One-time: investment and operations in the implementation year, investment "
                "the year after; annual from joining: investment, salary and administration, "
                "and operations. Amounts in {currency} without VAT. Every amount is an "
                "estimate: the cooperation keeps accounts and invoices actual costs."
            ).format(currency=result.currency),
            *_salary_note(result, w),
        ],
    )


def _salary_note(result: JoinEstimate, w: Texts) -> list[str]:
    # The salary column is a share of the contribution, not the staff's cost:
    # a board reading 894 125,62 beside staff of 4 540 000 needs to be told.
    if not result.staff_cost:
        return []
    return [
        w._(
            "Salary and administration: the part of {candidate}'s contribution that pays "
            "the cooperation's staff on the systems its own IT staff move to ({staff} a "
            "year today, moving over to the cooperation); the rest of the contribution "
            "is operations."
        ).format(candidate=result.name, staff=w.amount(result.staff_cost, result.currency))
    ]


def _value(w: Any, value: Money | Fraction | int | str) -> str:
    if isinstance(value, Money):
        return str(w.amount(value))
    if isinstance(value, Fraction):
        return str(w.number(value))
    if isinstance(value, int):
        return str(value)
    return str(w.message(value))


def premises_table(result: JoinEstimate, language: str = "en") -> Table:
    """Every premise the estimate used: its value and where in the spec it came from."""
    w = texts(language)
    return table(
        "premises",
        "premise:text, value:text, source:text",
        [[w.message(p.name), _value(w, p.value), p.source] for p in result.premises],
    )


def net_paragraph(result: JoinEstimate, language: str = "en") -> Paragraph:
    """The candidate's net annual effect of joining, and when its one-time costs are paid back."""
    w = texts(language)
    net = result.net_annual
    if net is None or result.it_today is None:
        return Paragraph.of(
            w._(
                "{candidate}'s IT costs today are not stated (`[transfer]` in its file): "
                "no net annual effect."
            ).format(candidate=result.name)
        )
    first = w._(
        "{candidate}'s IT costs today: {today} a year (staff {staff}, contracts and licences "
        "{contracts}, other operating costs {other}); as a member from {year} the "
        "municipality pays {annual} a year: a net annual effect of {net}."
    ).format(
        candidate=result.name,
        today=w.amount(result.it_today, result.currency),
        staff=w.amount(result.staff_cost, result.currency),
        contracts=w.amount(result.contracts_cost, result.currency),
        other=w.amount(
            result.it_today - result.staff_cost - result.contracts_cost, result.currency
        ),
        year=result.budget_year,
        annual=w.amount(result.annual.total, result.currency),
        net=w.amount(net, result.currency, signed=True),
    )
    if result.payback_year is not None:
        second = w._("The one-time costs of {total} are paid back by {year}.").format(
            total=w.amount(result.one_time_total, result.currency), year=result.payback_year
        )
    elif net.ore < 0:
        second = w._(
            "The one-time costs of {total} are not paid back within the plan's four years."
        ).format(total=w.amount(result.one_time_total, result.currency))
    else:
        second = w._(
            "Joining costs more a year than the IT costs that end: the one-time costs of "
            "{total} are not paid back."
        ).format(total=w.amount(result.one_time_total, result.currency))
    return Paragraph.of(first, second)


def join_document(
    result: JoinEstimate, language: str = "en", names: Names | None = None
) -> Document:
    """The onboarding estimate; records: the one-time items.

    People read the members by their short names (``names``, see :func:`dikt.names_of`).
    """
    w = texts(language)
    if result.thin_clients is ThinClients.KEEP:
        title = w._("{name} joining: carried out in {year}, thin clients kept, {currency}")
    else:
        title = w._("{name} joining: carried out in {year}, thin clients replaced, {currency}")
    summary = summary_table(result, language)
    return Document(
        title=title.format(
            name=result.name,
            year=result.year,
            currency=result.currency,
        ),
        blocks=(
            *(
                (
                    Heading(
                        w._(
                            "Summary: one-time costs in {year} and {next}, annual costs from "
                            "{annual}"
                        ).format(
                            year=result.summary.year,
                            next=result.summary.next_year,
                            annual=result.summary.annual_from,
                        )
                    ),
                    summary,
                    net_paragraph(result, language),
                )
                if summary is not None and result.summary is not None
                else ()
            ),
            Heading(w._("One-time costs")),
            costs_table(result, language),
            annual_paragraph(result, language),
            Heading(
                w._("Contributions of the budget year {year}, without and with {candidate}").format(
                    year=result.budget_year, candidate=short_name(result.name)
                )
            ),
            members_table(result, names),
            costs_paragraph(result, language),
            Heading(w._("Premises")),
            premises_table(result, language),
        ),
        records=costs_table(result),
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------


def _json_value(value: Money | Fraction | int | str) -> str:
    """A premise's value as the JSON writes it: amounts with two decimals, exact numbers."""
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, Fraction):
        return fraction_text(value)
    return str(value)


def _string(name: str) -> Callable[[Any], str]:
    """A count the contract writes as a decimal string (a one-time item's quantity)."""

    def get(value: Any) -> str:
        return str(getattr(value, name))

    return get


shape(
    OneTimeItem,
    "category",
    "item",
    ("quantity", str, _string("quantity")),
    "unit",
    "unit_price",
    "amount",
    "rule",
)
shape(
    Premise,
    "name",
    ("value", str, lambda p: _json_value(p.value)),
    "source",
)
shape(
    SummaryRow,
    "item",
    "investment",
    "operations",
    "next_investment",
    "annual_investment",
    "annual_salary",
    "annual_operating",
)
shape(
    Summary,
    "year",
    "next_year",
    "annual_from",
    "rows",
    ("total", SummaryRow, lambda s: s.total),
)
shape(FleetModel, "model", "kind", "units", "replaced", "school_replaced", "small", "image")


@attrs.frozen
class _OneTime:
    total: Money
    by_category: Mapping[str, Money]
    items: tuple[OneTimeItem, ...]


shape(_OneTime, "total", "by_category", "items")


@attrs.frozen
class _Effect:
    id: str
    before: Money
    after: Money
    change: Money


shape(_Effect, "id", "before", "after", "change")
shape(
    JoinEstimate,
    "candidate",
    "year",
    (
        "one_time",
        _OneTime,
        lambda j: _OneTime(
            j.one_time_total, {c.value: a for c, a in j.by_category().items()}, j.one_time
        ),
    ),
    "annual",
    (
        "members",
        tuple[_Effect, ...],
        lambda j: tuple(_Effect(m.id, m.before, m.after, m.change) for m in j.members),
    ),
    "name",
    "budget_year",
    "currency",
    "thin_clients",
    ("total", Mapping[str, Money], lambda j: {"before": j.total_before, "after": j.total_after}),
    "fleet",
    "cost_change",
    "held_flat",
    "moved_added",
    "growth",
    "staff_cost",
    "contracts_cost",
    "it_today",
    "net_annual",
    "payback_year",
    "premises",
    "summary",
)

"""The document of the economic plan: totals per member and year, then each year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from dikt.document import Block, Cell, Document, Heading, Kind, Paragraph, Table, table
from dikt.economic_plan import Plan, PlanCell, PlanYear
from dikt.i18n import Texts, texts
from dikt.model import Category
from dikt.money import Money
from dikt.naming import Names
from dikt.serialise import Exact, attr, shape

if TYPE_CHECKING:
    from dikt.changes import StatedChange

__all__ = [
    "fleet_notes",
    "members_in_order",
    "plan_blocks",
    "plan_document",
    "totals_table",
    "year_table",
]

_COSTS = (
    "operating:amount, core inv.:amount, application inv.:amount, "
    "member inv.:amount, fleet renewal:amount, joining:amount, total:amount"
)


def members_in_order(result: Plan) -> list[str]:
    """The plan's members, then the candidates that join during it (by their joining costs)."""
    joining = {c.member for y in result.years for c in y.cells if c.joining.ore}
    return sorted(result.members, key=lambda member: (member in joining, member))


def totals_table(result: Plan, names: Names | None = None) -> Table:
    """Each member's total per year of the plan, and the year's total; members by name."""
    names = names or Names()
    rows = []
    for member in members_in_order(result):
        row: list[Cell] = [names.member_cell(member, short=True)]
        for year in result.years:
            cell = next((c for c in year.cells if c.member == member), None)
            row.append(cell.total if cell else None)
        rows.append(row)
    return table(
        "totals",
        [("member", Kind.ID), *((str(y.year), Kind.AMOUNT) for y in result.years)],
        rows,
        total=["total", *(y.total for y in result.years)],
    )


def _cells(cell: PlanCell, names: Names | None = None) -> list[Cell]:
    return [
        cell.member if names is None else names.member_cell(cell.member, short=True),
        cell.operating,
        cell.investments[Category.CORE],
        cell.investments[Category.APPLICATION],
        cell.investments[Category.MEMBER],
        cell.fleet_renewal,
        cell.joining,
        cell.total,
    ]


def year_table(
    year: PlanYear, language: str = "en", names: Names | None = None, order: Sequence[str] = ()
) -> Table:
    """One year of the plan by member and kind of cost (members in ``order``, else by id).

    A member without a fleet survey shows no renewal figure (unknown, not 0);
    :func:`plan_blocks` says why once, under the plan.
    """
    w = texts(language)
    names = names or Names()
    rank = {member: index for index, member in enumerate(order)}
    cells = sorted(year.cells, key=lambda c: (rank.get(c.member, len(rank)), c.member))
    notes = []
    if year.joined:
        # Every what-if says what its figures assume about costs that do not grow.
        notes.append(
            w._(
                "With {members} joined, the systems' cost models add {change} a year; "
                "{flat} of the cost of the systems they share has no cost model and was held "
                "flat (at the spec's prices)."
            ).format(
                members=names.listed(year.joined),
                change=w.amount(year.cost_change, year.allocation.currency),
                flat=w.amount(year.held_flat, year.allocation.currency),
            )
        )
    return table(
        str(year.year),
        "member:id, " + _COSTS,
        [_cells(cell, names) for cell in cells],
        total=_cells(year.sums),
        notes=notes,
    )


def fleet_notes(result: Plan, language: str = "en", names: Names | None = None) -> list[str]:
    """The plan's members without a fleet survey, said once: their renewal is unknown."""
    names = names or Names()
    unknown = sorted(
        {cell.member for year in result.years for cell in year.cells if cell.fleet_renewal is None}
    )
    if not unknown:
        return []
    w = texts(language)
    shorts = [names.short(member) for member in unknown]
    # In a sentence: "Drammen and Røyken" ("Drammen og Røyken"), not a list's commas.
    members = (
        shorts[0]
        if len(shorts) == 1
        else w._("{first} and {last}").format(first=", ".join(shorts[:-1]), last=shorts[-1])
    )
    return [
        w._(
            "No fleet survey for {members}: their fleet renewal is unknown, not 0, "
            "and not in the sums."
        ).format(members=members)
    ]


def plan_blocks(
    result: Plan, language: str = "en", names: Names | None = None, level: int = 2
) -> list[Block]:
    """The plan's tables: each member's total per year, then each year by kind of cost.

    ``level`` is the level of the years' headings (3 inside a report's chapter).
    Used by :func:`plan_document` and by the joining report, so that both show
    what each total is made of: the owner contribution, the renewal of surveyed
    PC fleets and the one-time joining costs.
    """
    names = names or Names()
    w = texts(language)
    order = members_in_order(result)
    blocks: list[Block] = [totals_table(result, names)]
    notes = fleet_notes(result, language, names)
    for year in result.years:
        # Operating costs differ from the budget year's only with growth, from the second year.
        heading = (
            w._("{year}: operating costs at {factor} times the budget year's").format(
                year=year.year, factor=w.number(year.growth_factor)
            )
            if year.growth_factor != 1
            else str(year.year)
        )
        blocks += [Heading(heading, level=level), year_table(year, language, names, order)]
    if notes:
        blocks.append(Paragraph.of(*notes))
    return blocks


def plan_document(
    result: Plan,
    language: str = "en",
    changes: Sequence[StatedChange] = (),
    names: Names | None = None,
) -> Document:
    """The plan; records: one row per member and year.

    ``changes``: the membership changes the spec states for the plan's years
    (:func:`dikt.changes.stated_changes`), each in a section of its own.
    People read members by their short names (``names``, see :func:`dikt.names_of`),
    the members first, then the candidates that join during the plan.
    """
    w = texts(language)
    first, last = result.years[0].year, result.years[-1].year
    note = (
        w._(", price growth {growth} a year from {year}").format(
            growth=w.exact_percent(result.growth), year=first + 1
        )
        if result.growth
        else ""
    )
    blocks = plan_blocks(result, language, names)
    blocks += changes_section(changes, language, names)
    records = table(
        "plan",
        (
            "year:year, member:id, operating:amount, core_investment:amount, "
            "application_investment:amount, member_investment:amount, "
            "fleet_renewal:amount, joining:amount, total:amount"
        ),
        [[year.year, *_cells(cell)] for year in result.years for cell in year.cells],
    )
    title = w._("{name}: economic plan {first}-{last}, {currency}").format(
        name=result.name, first=first, last=last, currency=result.currency
    )
    return Document(title=title + note, blocks=tuple(blocks), records=records, language=language)


def changes_section(
    changes: Sequence[StatedChange], language: str = "en", names: Names | None = None
) -> tuple[Block, ...]:
    """The plan's section on the membership changes the spec states (empty without any)."""
    if not changes:
        return ()
    w = texts(language)
    names = names or Names()
    blocks: list[Block] = [Heading(w._("Membership changes stated in the spec"))]
    for change in changes:
        blocks += _change_blocks(change, w, names)
    return tuple(blocks)


def _change_blocks(change: StatedChange, w: Texts, names: Names) -> list[Block]:
    """A stated leaving or merger: every member before and after, or why it has no figures."""
    from dikt.changes import LeaveEstimate  # noqa: PLC0415
    from dikt.views.changes import leaving_table, members_table  # noqa: PLC0415

    estimate = change.estimate
    if isinstance(estimate, LeaveEstimate):
        heading = w._("{member} leaves from {year}").format(
            member=estimate.member_name, year=change.year
        )
        shown: list[Block] = [leaving_table(estimate)]
    elif estimate is not None:
        heading = w._("{members} merge into {merged} from {year}").format(
            members=names.listed(estimate.merged), merged=estimate.into_name, year=change.year
        )
        shown = [members_table(estimate.members, estimate.total_before, estimate.total_after)]
    else:
        who = change.who
        heading = (
            w._("{member} leaves from {year}")
            if change.what == "leave"
            else w._("A merger into {member} from {year}")
        ).format(member=names.member(who), year=change.year)
        shown = [
            Paragraph.of(w._("Not priced: {reason}").format(reason=w.message(change.problem or "")))
        ]
    return [Heading(heading, level=3), *shown]


# -- JSON shapes ---------------------------------------------------------------------------

shape(
    PlanCell,
    ("id", str, attr("member")),
    "operating",
    ("investments", Mapping[str, Money], lambda c: {k.value: a for k, a in c.investments.items()}),
    "fleet_renewal",
    "joining",
    "total",
)
shape(
    PlanYear,
    "year",
    ("growth_factor", Exact, lambda y: Exact(y.growth_factor)),
    "total",
    ("members", tuple[PlanCell, ...], attr("cells")),
    "joined",
    "cost_change",
    "held_flat",
)
shape(
    Plan,
    ("cooperation", str, attr("cooperation_id")),
    "currency",
    ("growth_percent", Exact, lambda p: Exact(p.growth * 100)),
    "years",
)

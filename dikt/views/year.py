"""Documents of the year's cycle: invoices on account, and the settlement by actual costs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from dikt.allocation import Line, LineKind
from dikt.diagrams import bar_chart_svg
from dikt.document import Cell, Document, Figure, Heading, Paragraph, Table, table
from dikt.errors import NotFoundError
from dikt.i18n import N_, Texts, message, texts
from dikt.invoicing import COUNTS, Instalment, InvoiceLine, Invoices, MemberInvoices
from dikt.model import Outcome, Remainder
from dikt.money import Money, money_of
from dikt.naming import short_name
from dikt.serialise import Exact, attr, shape
from dikt.settlement import ItemVariance, MemberSettlement, Settlement, SettlementLine

__all__ = [
    "GROUPS",
    "explained_differences",
    "group_of",
    "instalments_table",
    "invoices_document",
    "letter_document",
    "member_settlement",
    "members_table",
    "settlement_document",
    "variances_table",
]

#: The groups of lines an invoice shows: operating (base packages and
#: applications together), then each kind of investment and own systems.
GROUPS: Final = (
    N_("operating"),
    N_("core-investment"),
    N_("application-investment"),
    N_("own-system"),
    N_("member-investment"),
    N_("obligation"),
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
        sheet=short_name(member.name) if member.name else None,
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
    if any(
        line.kind is LineKind.OBLIGATION
        for member in result.members
        for instalment in member.instalments
        for line in instalment.lines
    ):
        blocks.append(
            Paragraph.of(
                w._(
                    "A member that has left is invoiced its part of the investments in full "
                    "on the year's first invoice, not spread over the instalments."
                )
            )
        )
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


# -- settlement ----------------------------------------------------------------------------


def _outcome_words(result: Settlement, w: Texts) -> tuple[str, str]:
    if result.outcome is Outcome.SETTLE:
        return (
            w._("The agreement settles the difference with the members in the year:"),
            w._("each pays or gets back its part now."),
        )
    return (
        w._("The agreement carries the difference into next year's budget (KRS 12):"),
        w._("nothing is paid or paid back now."),
    )


def _summary(result: Settlement, w: Texts) -> Paragraph:
    currency = result.currency
    labels = [w._("Invoiced on account:"), w._("Actual costs:"), w._("Difference:")]
    amounts = [
        w.amount(result.budget, currency),
        w.amount(result.actual, currency),
        w.amount(result.difference, currency, signed=True),
    ]
    if result.leaving:
        # Members that have left pay their parts as budgeted: the ledger's costs are
        # not what the members settle, and the two lines between say by how much.
        labels[1:2] = [
            w._("Actual costs in the ledger:"),
            w._("Members that have left, as budgeted:"),
            w._("Actual costs to settle:"),
        ]
        amounts[1:2] = [
            w.amount(result.ledger, currency),
            w.amount(result.leaving, currency, signed=True),
            w.amount(result.actual, currency),
        ]
    pad = max(len(label) for label in labels) + 2
    right = max(len(amount) for amount in amounts)
    lines = [
        label.ljust(pad) + amount.rjust(right)
        for label, amount in zip(labels, amounts, strict=True)
    ]
    if result.leaving:
        lines.append(
            w._(
                "Members that have left pay their part of investments as budgeted: what they "
                "pay this year, less their parts of this year's investments. The members "
                "share every overspend and underspend."
            )
        )
    lines += _outcome_words(result, w)
    lines.append(w._("Actual costs read from {source}.").format(source=result.source))
    if result.credit_notes:
        lines.append(
            w.ngettext(
                "{n} credit note (a negative amount), {amount} in all, is subtracted.",
                "{n} credit notes (negative amounts), {amount} in all, are subtracted.",
                result.credit_notes,
            ).format(n=result.credit_notes, amount=w.amount(result.credited, currency))
        )
    return Paragraph(tuple(lines))


def variances_table(result: Settlement) -> Table:
    """The projects that ran over or under their budget, and the totals of all."""
    changed = [item for item in result.items if item.difference]
    return table(
        "projects",
        "item:id, name:name, budget:amount, actual:amount, difference:change",
        [[i.item, i.name, i.budget, i.actual, i.difference] for i in changed],
        total=["total", None, result.budget, result.actual, result.difference],
    )


def members_table(result: Settlement) -> Table:
    """Each member: invoiced on account, its share of the actual costs, the difference."""
    return table(
        "settlement",
        "member:name, invoiced:amount, actual share:amount, difference:change",
        [[m.name, m.invoiced, m.actual, m.difference] for m in result.members],
        total=["total", result.budget, result.actual, result.difference],
    )


def _what_explains(
    result: Settlement, settled: MemberSettlement, w: Texts
) -> list[Heading | Paragraph]:
    """The letter's lines that explain most of the difference (none for a member that has left)."""
    explained = explained_differences(result, settled, w, 5)
    if not explained and _only_obligations(settled):
        return []  # the verdict said it: its part is as budgeted
    heading = Heading(w._("What explains most of the difference"))
    return [heading, *(explained or [_nothing_differs(settled, w)])]


def _only_obligations(settled: MemberSettlement) -> bool:
    """Whether a member pays only parts of investments: it has left."""
    return bool(settled.lines) and all(line.kind is LineKind.OBLIGATION for line in settled.lines)


def _nothing_differs(settled: MemberSettlement, w: Texts) -> Paragraph:
    """What is said of a member none of whose lines differs from its budget."""
    if _only_obligations(settled):
        return Paragraph.of(
            w._(
                "{name} has left: it pays its part of the investments as budgeted and bears "
                "no overspend or underspend."
            ).format(name=settled.name)
        )
    return Paragraph.of(w._("No line of {name} differs from its budget.").format(name=settled.name))


def member_settlement(result: Settlement, member: str) -> MemberSettlement:
    """One member's settlement; :class:`~dikt.errors.NotFoundError` if it pays nothing."""
    for settled in result.members:
        if settled.id == member:
            return settled
    raise NotFoundError(message("member"), member, [m.id for m in result.members])


def explained_differences(
    result: Settlement, settled: MemberSettlement, w: Texts, most: int | None = None
) -> list[Heading | Paragraph]:
    """A member's lines that differ from its budget, largest first, each explained.

    As ``dikt explain`` explains a line: the rule, the share, the rounding;
    with the project's budget and actual cost and the member's part of each.
    """
    from dikt.views.allocation import _key_words, _rounding_words, _share_words  # noqa: PLC0415

    currency = result.currency
    projects = {(item.item, item.kind): item for item in result.items}
    lines = sorted(
        (line for line in settled.lines if line.difference),
        key=lambda line: (-abs(line.difference.ore), line.item),
    )[:most]
    labels = [
        w._("rule:"),
        w._("share:"),
        w._("project:"),
        w._("budget:"),
        w._("actual:"),
        w._("rounding:"),
        w._("difference:"),
    ]
    pad = max(len(label) for label in labels) + 2
    rule, share, project, budget, actual, rounding, difference = (
        label.ljust(pad) for label in labels
    )
    blocks: list[Heading | Paragraph] = []
    for line in lines:
        split = line.line.split
        item = projects[(line.item, line.kind)]
        costs = w._("{budget} budget, {actual} actual").format(
            budget=w.amount(item.budget, currency), actual=w.amount(item.actual, currency)
        )
        blocks += [
            Heading(f"{line.item} {line.name} ({w.term(line.kind)})", level=3),
            Paragraph(
                (
                    f"  {rule}{_key_words(split, w)}",
                    f"  {share}{_share_words(line.line, w)}",
                    f"  {project}{costs}",
                    f"  {budget}{w.amount(line.budget, currency)}",
                    f"  {actual}{w.amount(line.actual, currency)}",
                    f"  {rounding}{_rounding_words(line.line, w)}",
                    f"  {difference}{w.amount(line.difference, currency, signed=True)}",
                )
            ),
        ]
    return blocks


def _rows(settled: MemberSettlement) -> Iterator[tuple[Line, int, bool]]:
    """A member's budget lines with its actual share of each (øre), then its unbudgeted lines.

    What the records need, without building a hundred thousand settlement lines.
    """
    for line, ore in zip(settled.budget_lines, settled.actual_ore, strict=True):
        yield line, ore, True
    for line in settled.unbudgeted:
        yield line, line.amount.ore, False


def settlement_document(
    result: Settlement, member: str | None = None, language: str = "en"
) -> Document:
    """Budget against actual by project and by member; with ``member``, its lines explained.

    Records: one row per member and line, with the key, quantity, basis and
    the budget and actual amounts.
    """
    w = texts(language)
    blocks: list[Heading | Paragraph | Table] = [_summary(result, w)]
    blocks += [Heading(w._("Projects over or under budget")), variances_table(result)]
    blocks += [Heading(w._("Members")), members_table(result)]
    shown = result.members
    if member is not None:
        settled = member_settlement(result, member)
        shown = (settled,)
        blocks.append(Heading(settled.name))
        blocks += explained_differences(result, settled, w) or [_nothing_differs(settled, w)]
    records = table(
        "settlement-lines",
        "year:year, member:id, item:id, kind:term, key:id, quantity:number, basis:number, "
        "budget:amount, actual:amount, difference:change",
        [
            [
                result.year,
                m.id,
                line.split.item,
                line.split.kind.value,
                line.split.key,
                line.quantity,
                line.split.basis,
                line.amount if budgeted else Money(0),
                money_of(ore),
                money_of(ore - line.amount.ore) if budgeted else money_of(ore),
            ]
            for m in shown
            for line, ore, budgeted in _rows(m)
        ],
    )
    return Document(
        title=w._("{name} ({id}): settlement {year}, {currency}").format(
            name=result.name, id=result.cooperation_id, year=result.year, currency=result.currency
        ),
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


shape(
    SettlementLine,
    "item",
    "kind",
    "name",
    "budget",
    "actual",
    "difference",
    ("key", str, attr("line.split.key")),
    ("quantity", Exact, attr("line.quantity")),
    ("basis", Exact, attr("line.split.basis")),
    ("share", Exact, lambda s: Exact(s.line.share)),
    ("rounding_ore", int, lambda s: s.line.rounding_ore),
)
shape(MemberSettlement, "id", "name", "invoiced", "actual", "difference", "due", "carried", "lines")
shape(ItemVariance, "item", "kind", "name", "budget", "actual", "difference", "withheld")
shape(
    Settlement,
    ("cooperation", str, attr("cooperation_id")),
    "year",
    "currency",
    "outcome",
    "source",
    "budget",
    "actual",
    "difference",
    "credit_notes",
    "credited",
    "ledger",
    "leaving",
    "items",
    "members",
)


# -- the settlement letter -----------------------------------------------------------------


def _groups(lines: Sequence[SettlementLine]) -> list[tuple[str, Money, Money]]:
    """Budget and actual of a member's lines by group (:data:`GROUPS`), groups with any."""
    budget = dict.fromkeys(GROUPS, 0)
    actual = dict.fromkeys(GROUPS, 0)
    for line in lines:
        group = group_of(line.kind)
        budget[group] += line.budget.ore
        actual[group] += line.actual.ore
    return [
        (group, Money(budget[group]), Money(actual[group]))
        for group in GROUPS
        if budget[group] or actual[group]
    ]


def letter_document(result: Settlement, member: str, language: str = "nb") -> Document:
    """A settlement letter to one member: what it paid, its share, the difference, why.

    What it was invoiced on account, its share of the actual costs and the
    difference (to pay, to get back, or carried forward as the agreement
    says); budget against actual by kind, as a table and a chart; the lines
    that explain most of the difference, each explained; and the projects
    that ran over or under for the cooperation.
    """
    w = texts(language)
    settled = result.member(member)
    currency = result.currency
    difference = settled.difference
    if result.outcome is Outcome.CARRY_FORWARD:
        verdict = w._("The difference, {amount}, is carried into next year's budget.")
    elif difference.ore > 0:
        verdict = w._("{name} pays {amount} in addition to what it was invoiced.")
    elif difference.ore < 0:
        verdict = w._("{name} gets {amount} back.")
    elif _only_obligations(settled):
        verdict = w._(
            "{name} has left: it pays its part of the investments as budgeted and bears "
            "no overspend or underspend."
        )
    else:
        verdict = w._("{name} paid exactly its share: nothing to settle.")
    shown = w.amount(Money(abs(difference.ore)), currency)
    summary = table(
        "summary",
        "figure:text, amount:amount",
        [
            [w._("Invoiced on account"), settled.invoiced],
            [w._("Share of the actual costs"), settled.actual],
            [w._("Difference"), difference],
        ],
    )
    lines = settled.lines
    groups = _groups(lines)
    kinds = table(
        "by-kind",
        "kind:term, budget:amount, actual:amount, difference:change",
        [[group, budget, actual, actual - budget] for group, budget, actual in groups],
        total=["total", settled.invoiced, settled.actual, difference],
    )
    chart_title = w._("Budget and actual by kind, {name} ({year}, {currency})").format(
        name=settled.name, year=result.year, currency=currency
    )
    chart = bar_chart_svg(
        chart_title,
        [w.term(group) for group, _, _ in groups],
        [
            (w._("budget"), [max(0, budget.ore) for _, budget, _ in groups]),
            (w._("actual"), [max(0, actual.ore) for _, _, actual in groups]),
        ],
        lambda ore: w.amount(Money(ore), currency),
    )
    blocks: list[Heading | Paragraph | Table | Figure] = [
        summary,
        Paragraph((verdict.format(name=settled.name, amount=shown), *_outcome_words(result, w))),
        Heading(w._("Budget and actual by kind")),
        kinds,
        Figure(chart, chart_title),
        *_what_explains(result, settled, w),
        Heading(w._("The cooperation's projects over or under budget")),
        variances_table(result),
        Paragraph.of(w._("Actual costs read from {source}.").format(source=result.source)),
    ]
    return Document(
        title=w._("{cooperation}: settlement {year} for {member}").format(
            cooperation=result.name, year=result.year, member=settled.name
        ),
        blocks=tuple(blocks),
        language=language,
    )

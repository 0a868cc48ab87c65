"""Documents of the allocation: contributions, unit prices, explanations, the diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from dikt.allocation import (
    ALONE,
    KIND_ORDER,
    Allocation,
    AllocationDiff,
    Line,
    LineChange,
    LineKind,
    MemberAllocation,
    MemberChange,
    Split,
    UnitPrice,
)
from dikt.document import Cell, Document, Heading, Kind, Paragraph, Table, table
from dikt.errors import NotFoundError
from dikt.i18n import Texts, message, texts
from dikt.model import METRICS, Metric
from dikt.money import Money, round_ore
from dikt.naming import Named, Names, short_name
from dikt.serialise import Exact, Percent, attr, shape

__all__ = [
    "Explanation",
    "PriceList",
    "allocation_document",
    "diff_document",
    "explain_document",
    "explanation",
    "kinds_table",
    "lines_table",
    "only_member",
    "prices_document",
    "prices_table",
]

# A key reads as words (a built-in key is its metric: "brukere"); machines read its name.
_LINE_COLUMNS = (
    "kind:term, item:id, name:name, key:term, quantity:number, basis:number, amount:amount"
)


def _by_kind(lines: Sequence[Line]) -> list[Line]:
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    return sorted(lines, key=lambda line: (rank[line.kind], line.item))


def _line_cells(line: Line) -> list[Cell]:
    split = line.split
    return [
        line.kind.value,
        line.item,
        split.name,
        split.key,
        line.quantity,
        split.basis,
        line.amount,
    ]


def lines_table(result: MemberAllocation) -> Table:
    """A member's lines, grouped by kind, and its total."""
    return table(
        f"lines-{result.id}",
        _LINE_COLUMNS,
        [_line_cells(line) for line in _by_kind(result.lines)],
        total=["total", None, None, None, None, None, result.total],
        sheet=short_name(result.name) if result.name else None,
    )


def _selected(allocation: Allocation, member: str | None) -> tuple[MemberAllocation, ...]:
    return (allocation.member(member),) if member else allocation.members


def only_member(allocation: Allocation, member: str) -> Allocation:
    """The allocation with one member's contribution only (totals stay the cooperation's)."""
    return attrs.evolve(allocation, members=(allocation.member(member),))


def kinds_table(
    allocation: Allocation, member: str | None = None, names: Names | None = None
) -> Table:
    """Totals by kind of line and member (and for the cooperation, for all members)."""
    members = _selected(allocation, member)
    whole = len(members) == len(allocation.members)
    per_member = [m.by_kind() for m in members]
    totals = allocation.by_kind() if whole else None
    rows: list[list[str | Money | None]] = []
    for kind in KIND_ORDER:
        amounts = [k[kind] for k in per_member]
        if not any(amounts) and not (totals and totals[kind]):
            continue
        rows.append([kind.value, *amounts, *([totals[kind]] if totals else [])])
    # Members head their columns: machines read their ids, people their short names.
    names = names or Names()
    columns: list[tuple[str, Kind] | tuple[str, Kind, str]] = [("kind", Kind.TERM)]
    columns += [(m.id, Kind.AMOUNT, names.short(m.id)) for m in members]
    if whole:
        columns.append(("total", Kind.AMOUNT))
    return table(
        "totals-by-kind",
        columns,
        rows,
        total=["total", *(m.total for m in members), *([allocation.total] if whole else [])],
    )


def _leaving_note(allocation: Allocation, w: Texts) -> list[Paragraph]:
    """Why the year's total is not its costs and investments, when members have left."""
    withheld = Money.sum(split.withheld for split in allocation.splits)
    paying = [
        (m.name, Money.sum(line.amount for line in m.lines if line.kind is LineKind.OBLIGATION))
        for m in allocation.members
    ]
    paying = [(name, paid) for name, paid in paying if paid]
    said = []
    if withheld:
        said.append(
            w._(
                "Members that have left bear {amount} of this year's investments, paid as "
                "their agreement says; the members split the rest."
            ).format(amount=w.amount(withheld, allocation.currency))
        )
    said += [
        w._(
            "{member} has left and pays {amount} this year: its part of the investments "
            "still being paid."
        ).format(member=name, amount=w.amount(paid, allocation.currency))
        for name, paid in paying
    ]
    return [Paragraph.of(*said)] if said else []


def allocation_document(
    allocation: Allocation,
    member: str | None = None,
    language: str = "en",
    names: Names | None = None,
) -> Document:
    """Each member's lines, then the totals by kind; records: one row per line.

    People read members by their names (``names``, see :func:`dikt.names_of`).
    """
    w = texts(language)
    blocks: list[Heading | Paragraph | Table] = []
    blocks += _leaving_note(allocation, w)
    for result in _selected(allocation, member):
        blocks += [Heading(result.name), lines_table(result)]
    blocks += [Heading(w._("Totals by kind")), kinds_table(allocation, member, names)]
    records = table(
        "allocation",
        "year:year, member:id, " + _LINE_COLUMNS,
        [
            [allocation.year, result.id, *_line_cells(line)]
            for result in _selected(allocation, member)
            for line in result.lines
        ],
    )
    return Document(
        title=w._("{name} ({id}): owner contributions {year}, {currency}").format(
            name=allocation.name,
            id=allocation.cooperation_id,
            year=allocation.year,
            currency=allocation.currency,
        ),
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


# -- unit prices ------------------------------------------------------------------------


@attrs.frozen
class PriceList:
    """The unit prices of an allocation, with their currency: what ``dikt prices`` shows."""

    currency: str
    systems: tuple[UnitPrice, ...]


def prices_table(prices: Sequence[UnitPrice], names: Names | None = None) -> Table:
    """Unit prices per system, rounded to the øre for people."""
    names = names or Names()
    return table(
        "prices",
        (
            "system:id, name:name, package:term, key:term, metric:term, "
            "annual cost:amount, basis:number, per unit:amount, "
            "equal part each:amount, participants:text"
        ),
        [
            [
                p.system,
                p.name,
                p.package.value,
                p.key,
                p.metric.value if p.metric else "",
                p.annual_cost,
                p.basis,
                None if p.per_unit is None else round_ore(p.per_unit),
                round_ore(p.per_participant) if p.per_participant else None,
                Named(", ".join(p.participants), names.listed(p.participants)),
            ]
            for p in prices
        ],
    )


def prices_document(
    prices: Sequence[UnitPrice],
    currency: str,
    language: str = "en",
    names: Names | None = None,
) -> Document:
    """Unit prices per system (rounded to the øre); participants by their short names."""
    w = texts(language)
    return Document(
        title=w._(
            "Unit prices per year, {currency} (per unit of the key's metric; "
            "an equal part is paid by each participant)"
        ).format(currency=currency),
        blocks=(prices_table(prices, names),),
        language=language,
    )


# -- explain ------------------------------------------------------------------------------


def _item_words(line: Line) -> str:
    """A line's item as people read it: a catalogue system as ``IT141 Familia``, else its name."""
    if line.kind in (LineKind.BASE, LineKind.APPLICATION):
        return f"{line.item} {line.split.name}"
    if line.kind is LineKind.OBLIGATION:  # an investment of another year, perhaps: its id says
        return f"{line.item} {line.split.name}"
    return line.split.name or line.item


def _ore_text(exact: Fraction, w: Texts) -> str:
    """An exact øre amount in kroner, all decimals when finite."""
    return w.number(exact / 100)


def _exact_text(exact: Fraction, w: Texts) -> str:
    """An exact øre amount in kroner, exactly: a fraction when its decimals never end.

    ``12/137`` of a sum has no finite decimal; ten decimals of it are not the
    exact share the line claims to show, so the fraction comes first and the
    decimals follow as a reading aid.
    """
    kroner = exact / 100
    if exact.denominator == 1:  # whole øre: with both decimals, as money is written
        return w.number(kroner, places=2)
    written = w.number(kroner)
    if not written.startswith("~"):
        return written
    fraction = f"{w.number(kroner.numerator)}/{w.number(kroner.denominator)}"
    return f"{fraction} ({written})"


def _key_words(split: Split, w: Texts, names: Names | None = None) -> str:
    if split.key == ALONE:
        return w._("paid alone (100 %)")
    if split.metric is None:
        return w._('key "{key}": fixed shares').format(key=split.key)
    metric = w.term(split.metric)
    if split.metric is Metric.SYSTEM_USERS and split.system:
        system = split.system if names is None else names.system(split.system)
        metric = w._("users of {system}").format(system=system)
    if split.key in METRICS:  # a built-in key is its metric: said in words, not by its name
        if split.equal_share == 1:
            return w._("equally")
        return w._("in proportion to {metric}").format(metric=metric)
    if split.equal_share == 0:
        return w._('key "{key}": in proportion to {metric}').format(key=split.key, metric=metric)
    if split.equal_share == 1:
        return w._('key "{key}": equally').format(key=split.key)
    return w._('key "{key}": {equal} equally, {rest} in proportion to {metric}').format(
        key=split.key,
        equal=w.exact_percent(split.equal_share),
        rest=w.exact_percent(1 - split.equal_share),
        metric=metric,
    )


def _share_words(line: Line, w: Texts) -> str:
    split = line.split
    n = len(split.participants)
    if split.key == ALONE:
        return "1"
    quantity = w.number(line.quantity)
    basis = w.number(split.basis)
    if split.metric is None:
        formula = w._("fixed share {share}").format(share=quantity)
    elif split.equal_share == 0:
        formula = f"{quantity} / {basis}"
    elif split.equal_share == 1:
        formula = f"1 / {n}"
    else:
        e = w.number(split.equal_share)
        rest = w.number(1 - split.equal_share)
        formula = f"{e} x 1/{n} + {rest} x {quantity}/{basis}"
    share = line.share
    shown = w.number(share)
    if shown.startswith("~"):
        shown = f"{share.numerator}/{share.denominator} ({shown})"
    return f"{formula} = {shown}"


def _rounding_words(line: Line, w: Texts) -> str:
    exact = line.exact_ore
    if exact.denominator == 1:
        return w._("exact")
    if line.rounding_ore:
        return w._("floored, then +0.01 by the largest remainder")
    floored = Fraction(exact.numerator // exact.denominator)
    return w._("floored; {amount} below the exact share").format(
        amount=_ore_text(exact - floored, w)
    )


def explained_lines(allocation: Allocation, member: str, item: str | None = None) -> list[Line]:
    """The member's lines to explain (one item's, if given); NotFoundError if none."""
    result = allocation.member(member)
    lines = _by_kind(result.lines)
    if item is not None:
        lines = [line for line in lines if line.item == item]
        if not lines:
            raise NotFoundError(
                message("line of {member}", member=member),
                item,
                [line.item for line in result.lines],
            )
    return lines


@attrs.frozen
class Explanation:
    """How a member's lines were computed: what ``dikt explain`` shows."""

    allocation: Allocation
    member: MemberAllocation
    lines: tuple[Line, ...]


def explanation(allocation: Allocation, member: str, item: str | None = None) -> Explanation:
    """The member's lines to explain (one item's, if given); NotFoundError if none."""
    return Explanation(
        allocation=allocation,
        member=allocation.member(member),
        lines=tuple(explained_lines(allocation, member, item)),
    )


def explain_document(
    allocation: Allocation,
    member: str,
    item: str | None = None,
    language: str = "en",
    names: Names | None = None,
) -> Document:
    """How each line of a member was computed: key, quantity, basis, share, rounding."""
    w = texts(language)
    names = names or Names()
    result = allocation.member(member)
    lines = explained_lines(allocation, member, item)
    currency = allocation.currency
    # The labels of a line's explanation, padded to one width in any language.
    labels = [w._("rule:"), w._("split:"), w._("quantity:"), w._("share:"), w._("exact:")]
    labels.append(w._("amount:"))
    pad = max(len(label) for label in labels) + 2
    rule, split_label, quantity, share, exact, amount = (label.ljust(pad) for label in labels)
    blocks: list[Heading | Paragraph] = []
    for charged in lines:
        # An obligation is explained by its line had the member stayed: the same amount.
        line = charged.split.origin or charged
        split = line.split
        among = w._("{amount} among {participants} ({ids})").format(
            amount=w.amount(split.amount, currency),
            participants=w.n_("{n} participant", "{n} participants", len(split.participants)),
            ids=names.listed(split.participants),
        )
        if split.withheld:
            among = w._(
                "{amount} ({whole} less {withheld} borne by members that have left) among "
                "{participants} ({ids})"
            ).format(
                amount=w.amount(split.amount, currency),
                whole=w.amount(split.amount + split.withheld, currency),
                withheld=w.amount(split.withheld, currency),
                participants=w.n_("{n} participant", "{n} participants", len(split.participants)),
                ids=names.listed(split.participants),
            )
        details = [f"  {rule}{_key_words(split, w, names)}", f"  {split_label}{among}"]
        # Why a leaver's line is there: its part as the key would make it, or as agreed.
        reason = None
        if line is not charged:
            reason = w._(
                "{member} has left: its part of the investment, as the key would "
                "split it had it stayed."
            )
        elif charged.kind is LineKind.OBLIGATION:
            reason = w._(
                "{member} has left: its part of the investment as agreed when it gave "
                "notice (obligations in its file)."
            )
        note = (
            []
            if reason is None
            else [Paragraph.of(reason.format(member=names.short(charged.member)))]
        )
        if split.key != ALONE and split.metric is not None:
            of = w._("{quantity} of a basis of {basis}").format(
                quantity=w.number(line.quantity), basis=w.number(split.basis)
            )
            details.append(f"  {quantity}{of}")
        details += [
            f"  {share}{_share_words(line, w)}",
            f"  {exact}{_exact_text(line.exact_ore, w)} {w.currency(currency)}",
            f"  {amount}{w.amount(line.amount, currency)} ({_rounding_words(line, w)})",
        ]
        blocks += [
            Heading(f"{_item_words(charged)} ({w.term(charged.kind)})", level=3),
            *note,
            Paragraph(tuple(details)),
        ]
    machine = texts()  # CSV reads the same in every language
    records = table(
        "explain",
        (
            "member:id, item:id, kind:term, name:name, rule:text, quantity:number, "
            "basis:number, share:text, exact:number, amount:amount, rounding:text"
        ),
        [
            [
                member,
                charged.item,
                charged.kind.value,
                charged.split.name,
                _key_words(line.split, machine),
                line.quantity,
                line.split.basis,
                _share_words(line, machine),
                line.exact_ore / 100,  # in kroner, exactly (a fraction if need be)
                line.amount,
                _rounding_words(line, machine),
            ]
            for charged in lines
            for line in [charged.split.origin or charged]
        ],
    )
    return Document(
        title=f"{result.name}, {allocation.year}: {w.amount(result.total, currency)}",
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


# -- diff -----------------------------------------------------------------------------------


def changed_lines(
    members: Sequence[MemberChange], names: Names | None = None, level: int = 2
) -> list[Heading | Table]:
    """Per member with lines that change, its name and a table of those lines."""
    names = names or Names()
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    blocks: list[Heading | Table] = []
    for m in members:
        if m.lines:
            # By kind, then item: the base packages together, then the applications...
            lines = sorted(m.lines, key=lambda c: (rank[c.kind], c.item))
            blocks += [
                Heading(m.name or names.member(m.id), level=level),
                table(
                    f"lines-{m.id}",
                    "kind:term, item:id, name:name, before:amount, after:amount, change:amount",
                    [[c.kind.value, c.item, c.name, c.before, c.after, c.change] for c in lines],
                ),
            ]
    return blocks


def diff_document(
    result: AllocationDiff, language: str = "en", names: Names | None = None
) -> Document:
    """Per member, total before and after; then the lines that change."""
    w = texts(language)
    names = names or Names()
    before, after = result.before, result.after
    members = table(
        "members",
        "member:id, before:amount, after:amount, change:amount, change %:change-percent",
        [
            [
                Named(m.id, short_name(m.name) if m.name else names.short(m.id)),
                m.before,
                m.after,
                m.change,
                None if m.percent is None else m.percent / 100,
            ]
            for m in result.members
        ],
        total=["total", before.total, after.total, result.change, ""],
    )
    blocks: list[Heading | Table] = [members, *changed_lines(result.members, names)]
    changed = [
        [m.id, c.kind.value, c.item, c.name, c.before, c.after, c.change]
        for m in result.members
        for c in m.lines
    ]
    records = table(
        "changes",
        "member:id, kind:term, item:id, name:name, before:amount, after:amount, change:amount",
        changed,
    )
    return Document(
        title=w._("Owner contributions: {before} -> {after}, {currency}").format(
            before=f"{before.name} {before.year}",
            after=f"{after.name} {after.year}",
            currency=after.currency,
        ),
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------

shape(
    Line,
    ("item", str, attr("split.item")),  # Line.item, read without the property's call
    ("kind", LineKind, attr("split.kind")),
    ("key", str, attr("split.key")),
    "quantity",
    ("basis", Exact, attr("split.basis")),
    "amount",
    ("name", str, attr("split.name")),
)
shape(
    MemberAllocation,
    "id",
    "total",
    "lines",
    "name",
    ("by_kind", Mapping[str, Money], lambda m: {k.value: a for k, a in m.by_kind().items()}),
)
shape(
    Allocation,
    ("cooperation", str, attr("cooperation_id")),
    "year",
    "currency",
    "total",
    "members",
    ("by_kind", Mapping[str, Money], lambda a: {k.value: m for k, m in a.by_kind().items()}),
)
shape(
    UnitPrice,
    ("id", str, attr("system")),
    "name",
    "package",
    "key",
    "metric",
    "annual_cost",
    "basis",
    ("per_unit", Money | None, lambda p: None if p.per_unit is None else round_ore(p.per_unit)),
    ("per_participant", Money, lambda p: round_ore(p.per_participant)),
    "participants",
)
shape(PriceList, "currency", "systems")
shape(LineChange, "item", "kind", "before", "after", "change", "name")
shape(
    MemberChange,
    "id",
    "before",
    "after",
    "change",
    ("percent", Percent | None, lambda m: None if m.percent is None else Percent(m.percent / 100)),
    "lines",
    "name",
)


def _which(allocation: Allocation) -> dict[str, str | int]:
    return {"cooperation": allocation.cooperation_id, "year": allocation.year}


shape(
    AllocationDiff,
    ("before", Mapping[str, str | int], lambda d: _which(d.before)),
    ("after", Mapping[str, str | int], lambda d: _which(d.after)),
    ("currency", str, lambda d: d.after.currency),
    ("total", Mapping[str, Money], lambda d: {"before": d.before.total, "after": d.after.total}),
    "members",
)


@attrs.frozen
class _Explained:
    line: Line


shape(
    _Explained,
    ("item", str, lambda e: e.line.item),
    ("kind", LineKind, lambda e: e.line.kind),
    ("name", str, lambda e: e.line.split.name),
    ("key", str, lambda e: e.line.split.key),
    ("rule", str, lambda e: _key_words(e.line.split, texts())),
    ("participants", tuple[str, ...], lambda e: e.line.split.participants),
    ("split", Money, lambda e: e.line.split.amount),
    ("quantity", Exact, lambda e: Exact(e.line.quantity)),
    ("basis", Exact, lambda e: Exact(e.line.split.basis)),
    ("share", Exact, lambda e: Exact(e.line.share)),
    ("exact", Exact, lambda e: Exact(e.line.exact_ore / 100)),
    ("amount", Money, lambda e: e.line.amount),
    ("rounding_ore", int, lambda e: e.line.rounding_ore),
)
shape(
    Explanation,
    ("member", str, lambda x: x.member.id),
    ("name", str, lambda x: x.member.name),
    ("year", int, lambda x: x.allocation.year),
    ("currency", str, lambda x: x.allocation.currency),
    ("total", Money, lambda x: x.member.total),
    ("lines", tuple[_Explained, ...], lambda x: tuple(_Explained(line) for line in x.lines)),
)

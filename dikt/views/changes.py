"""The documents of leaving and merging: every member before and after, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dikt.allocation import Allocation, diff
from dikt.changes import ContributionChange, LeaveEstimate, LeftBehind, MergeEstimate, Obligation
from dikt.document import Block, Document, Heading, Paragraph, Table, table
from dikt.i18n import Texts, texts
from dikt.model import Obligations
from dikt.money import Money
from dikt.naming import Named, short_name
from dikt.serialise import Percent, shape
from dikt.views.allocation import changed_lines

__all__ = ["leave_document", "leaving_table", "members_table", "merge_document"]


def members_table(rows: Sequence[ContributionChange], before: Money, after: Money) -> Table:
    """Every member's contribution before and after, and the cooperation's.

    Members read by their short names.
    """
    return table(
        "members",
        "member:id, before:amount, after:amount, change:change, change %:change-percent",
        [
            [
                Named(r.id, short_name(r.name)),
                r.before,
                r.after,
                r.change,
                None if r.percent is None else r.percent / 100,
            ]
            for r in rows
        ],
        total=["total", before, after, after - before, ""],
    )


def _held_flat(w: Texts, held: Money, currency: str) -> Paragraph:
    if not held:
        return Paragraph.of(
            w._(
                "Every system whose use changes is priced by its cost model "
                "(fixed part, per user, capacity steps)."
            )
        )
    return Paragraph.of(
        w._(
            "Systems whose use changes and that have no cost model are held at today's cost: "
            "{amount} of the cost was held flat by that assumption."
        ).format(amount=w.amount(held, currency))
    )


def _lines(result: LeaveEstimate | MergeEstimate, keep: Sequence[str]) -> list[Block]:
    """Per member of ``keep``, the lines that change."""
    members = [m for m in diff(result.before, result.after).members if m.id in keep]
    return [*changed_lines(members, level=3)]


def _left_table(rows: Sequence[LeftBehind], total: Money) -> Table:
    return table(
        "left-behind",
        "system:id, name:name, paid:amount, saved:amount, left:amount",
        [[r.system, r.name, r.paid, r.saved, r.left] for r in rows],
        total=[
            "total",
            None,
            Money.sum(r.paid for r in rows),
            Money.sum(r.saved for r in rows),
            total,
        ],
    )


def _obligations_table(rows: Sequence[Obligation], total: Money) -> Table:
    return table(
        "obligations",
        "investment:id, description:text, year:year, amount:amount, share:amount",
        [[o.investment, o.description or "", o.year, o.amount, o.share] for o in rows],
        total=["total", None, None, Money.sum(o.amount for o in rows), total],
    )


def leaving_table(result: LeaveEstimate) -> Table:
    """Every member's contribution with and without the leaving member, it included."""
    leaver = ContributionChange(
        id=result.member,
        name=result.member_name,
        before=result.departing,
        after=result.paying_after,  # its part of the investments, due in the year
    )
    return members_table([*result.members, leaver], result.total_before, result.total_after)


def leave_document(result: LeaveEstimate, language: str = "en") -> Document:
    """A member leaving: the others before and after, by line; what it leaves and owes."""
    w = texts(language)
    currency = result.currency
    who = short_name(result.member_name)
    blocks: list[Block] = [
        Paragraph.of(
            w._(
                "{member} leaves from {date}. Had it stayed, {member} would have paid "
                "{amount} in {year}; the remaining members pay {change} more together."
            ).format(
                member=result.member_name,
                date=w.date(dt.date(result.year, 1, 1)),
                year=result.year,
                amount=w.amount(result.departing, currency),
                change=w.amount(Money.sum(c.change for c in result.members), currency),
            )
        ),
        _held_flat(w, result.held_flat, currency),
        Heading(
            w._("Contributions of {year}, with and without {member}").format(
                year=result.year, member=who
            )
        ),
        leaving_table(result),
    ]
    if result.paying_after:
        blocks.append(
            Paragraph.of(
                w._(
                    "{member} pays {amount} in {year}: its part of the investments still "
                    "being paid (below), no contribution."
                ).format(
                    member=who,
                    amount=w.amount(result.paying_after, currency),
                    year=result.year,
                )
            )
        )
    if result.left_behind:
        blocks += [
            Heading(w._("What {member} leaves behind").format(member=who)),
            Paragraph.of(
                w._(
                    "Per system {member} used: what it paid, how much the system's cost "
                    "falls without it, and what the others take over (fixed parts and "
                    "capacity that do not shrink)."
                ).format(member=who)
            ),
            _left_table(result.left_behind, result.left_behind_total),
        ]
    if result.obligations:
        if result.rule is Obligations.SETTLE:
            rule = w._("{member} settles its part at leaving: {amount} in {year}.").format(
                member=who,
                amount=w.amount(result.obligations_total, currency),
                year=result.year,
            )
        else:
            rule = w._("{member} pays its part year by year as it falls due: {due}.").format(
                member=who,
                due="; ".join(
                    f"{year} {w.amount(amount)}" for year, amount in result.due().items()
                ),
            )
        blocks += [
            Heading(w._("Investments still being paid")),
            Paragraph.of(
                (
                    w._(
                        "{member}'s part of the investments of {year} and later, as agreed "
                        "when it gave notice (obligations in its file); the others pay the "
                        "rest, and the whole of any investment not agreed."
                    )
                    if result.agreed
                    else w._(
                        "{member}'s part of the investments of {year} and later, as the key "
                        "would split them had it stayed; the others pay only the rest."
                    )
                ).format(member=who, year=result.year),
                rule,
            ),
            _obligations_table(result.obligations, result.obligations_total),
        ]
    lines = _lines(result, [c.id for c in result.members])
    if lines:
        blocks += [Heading(w._("The lines that change")), *lines]
    return Document(
        title=w._("{member} leaving {cooperation} from {year}, {currency}").format(
            member=result.member_name, cooperation=result.name, year=result.year, currency=currency
        ),
        blocks=tuple(blocks),
        records=leaving_table(result),
        language=language,
    )


def merge_document(result: MergeEstimate, language: str = "en") -> Document:
    """A merger: every member's contribution before and after, and the lines that change."""
    w = texts(language)
    merging = [r for r in result.members if r.into is not None]
    short = [short_name(r.name) for r in merging]
    # "Sande and Svelvik", "Drammen, Nedre Eiker and Svelvik": as a sentence names them.
    names = (
        w._("{first} and {last}").format(first=", ".join(short[:-1]), last=short[-1])
        if len(short) > 1
        else "".join(short)
    )
    blocks: list[Block] = [
        Paragraph.of(
            w._(
                "{members} become one member, {merged}, from {date}: their users, "
                "employees and population add up, each system any of them ran stays with "
                "it, and an equal part of a key is paid once."
            ).format(
                members=names, merged=result.into_name, date=w.date(dt.date(result.year, 1, 1))
            )
        ),
        _held_flat(w, result.held_flat, result.currency),
        Heading(
            w._("Contributions of {year}, before and after the merger").format(year=result.year)
        ),
        members_table(result.members, result.total_before, result.total_after),
    ]
    others = [r.id for r in result.members if r.into is None and r.id != result.into]
    lines = _lines(result, others)
    if lines:
        blocks += [Heading(w._("The other members' lines that change")), *lines]
    return Document(
        title=w._("{members} merging into {merged} from {year}, {currency}").format(
            members=names, merged=result.into_name, year=result.year, currency=result.currency
        ),
        blocks=tuple(blocks),
        records=members_table(result.members, result.total_before, result.total_after),
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------

shape(
    ContributionChange,
    "id",
    "name",
    "before",
    "after",
    "change",
    ("percent", Percent | None, lambda c: None if c.percent is None else Percent(c.percent / 100)),
    "into",
)
shape(LeftBehind, "system", "name", "paid", "saved", "left", "modelled")
shape(Obligation, "investment", "description", "year", "amount", "share")
shape(
    LeaveEstimate,
    ("cooperation", str, lambda r: r.cooperation_id),
    "member",
    "member_name",
    "year",
    "currency",
    "rule",
    "members",
    "departing",
    "left_behind",
    ("left_behind_total", Money, lambda r: r.left_behind_total),
    "obligations",
    ("obligations_total", Money, lambda r: r.obligations_total),
    ("due", dict[str, Money], lambda r: {str(y): a for y, a in r.due().items()}),
    "held_flat",
    "total_before",
    "total_after",
    ("after", Allocation, lambda r: r.after),
)
shape(
    MergeEstimate,
    ("cooperation", str, lambda r: r.cooperation_id),
    "into",
    "into_name",
    "merged",
    "year",
    "currency",
    "members",
    "held_flat",
    "total_before",
    "total_after",
    ("after", Allocation, lambda r: r.after),
)

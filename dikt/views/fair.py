"""The document of fair shares: each key side by side, the Shapley value, the core."""

from __future__ import annotations

from typing import Final

from dikt.document import Block, Cell, Document, Heading, Kind, Paragraph, Table, table
from dikt.fair import CoreCheck, Gain, KeyResult, KeyShare, KeyStudy, StandAlone, Violation
from dikt.i18n import N_, Texts, texts
from dikt.money import Money
from dikt.naming import Names
from dikt.serialise import Percent, attr, shape

__all__ = [
    "core_paragraph",
    "gains_table",
    "keys_document",
    "keys_table",
    "stand_alone_table",
    "subsidy_paragraph",
]


#: The keys the study always compares, whose names people read in their language.
_STUDIED: Final = (
    N_("today"),
    N_("equal"),
    N_("users"),
    N_("employees"),
    N_("population"),
    "30/70",
    "50/50",
    N_("shapley"),
)


def _key_name(key: str, words: Texts) -> str:
    return words._(key) if key in _STUDIED else key


#: Up to this many members, the keys are the rows and the members the columns.
_FEW_MEMBERS: Final = 8


def keys_table(study: KeyStudy, language: str = "en", names: Names | None = None) -> Table:
    """Every member's contribution under each key, side by side.

    A few members are columns, a key per row; many members are rows, a key per column.
    Members read by their short names (``names``).
    """
    words = texts(language)
    names = names or Names()
    members = [share.member for share in study.keys[0].shares]
    computed = [result for result in study.keys if result.unavailable is None]
    if len(members) <= _FEW_MEMBERS:
        # Machines read the members' ids over the columns, people their short names.
        across: list[tuple[str, Kind] | tuple[str, Kind, str]] = [("key", Kind.ID)]
        across += [(member, Kind.AMOUNT, names.short(member)) for member in members]
        across.append(("total", Kind.AMOUNT))
        return table(
            "keys",
            across,
            [
                [_key_name(r.key, words), *(s.amount for s in r.shares), study.total]
                for r in computed
            ],
        )
    columns: list[tuple[str, Kind] | tuple[str, Kind, str]] = [("member", Kind.ID)]
    columns += [(result.key, Kind.AMOUNT, _key_name(result.key, words)) for result in computed]
    rows: list[list[Cell]] = [
        [
            names.member_cell(member, short=True),
            *(result.shares[index].amount for result in computed),
        ]
        for index, member in enumerate(members)
    ]
    return table(
        "keys",
        columns,
        rows,
        total=["total", *(study.total for _ in computed)],
    )


def _key_table(result: KeyResult, words: Texts, names: Names) -> Table:
    return table(
        f"key-{result.key}",
        (
            "member:id, amount:amount, per inhabitant:amount, per user:amount, "
            "change:change, change %:change-percent, above the Shapley value:change"
        ),
        [_share_cells(share, names) for share in result.shares],
        # A workbook names the key's sheet as people read the key: "nøkkel likt".
        sheet=_key_name(result.key, words),
    )


def _share_cells(share: KeyShare, names: Names | None = None) -> list[Cell]:
    return [
        share.member if names is None else names.member_cell(share.member, short=True),
        share.amount,
        share.per_inhabitant,
        share.per_user,
        share.change,
        share.change_percent,
        share.above_fair,
    ]


def _violation(violation: Violation, words: Texts, currency: str, names: Names) -> str:
    return words._(
        "{members} together would pay {excess} less alone ({pays} against {alone})."
    ).format(
        members=_together(tuple(names.short(m) for m in violation.members), words),
        excess=words.amount(violation.excess, currency),
        pays=words.amount(violation.pays),
        alone=words.amount(violation.alone),
    )


def _together(members: tuple[str, ...], words: Texts) -> str:
    """``Sande``, ``Sande and Svelvik``, ``Drammen, Sande and Svelvik``."""
    if len(members) == 1:
        return members[0]
    return words._("{first} and {last}").format(first=", ".join(members[:-1]), last=members[-1])


def subsidy_paragraph(
    result: KeyResult, words: Texts, currency: str, names: Names | None = None
) -> Paragraph:
    """Who pays more than its Shapley value under a key, and so subsidises whom."""
    names = names or Names()
    if any(s.above_fair is None for s in result.shares):
        return Paragraph.of(words._("Without the Shapley value, nobody is measured against it."))
    above = [s for s in result.shares if s.above_fair is not None and s.above_fair.ore > 0]
    below = [s for s in result.shares if s.above_fair is not None and s.above_fair.ore < 0]
    if not above:
        return Paragraph.of(words._("Every member pays its Shapley value: nobody subsidises."))

    def listed(shares: list[KeyShare]) -> str:
        return ", ".join(
            f"{names.short(s.member)} ({words.amount(Money(abs(s.above_fair.ore)), currency)})"
            for s in shares
            if s.above_fair is not None
        )

    return Paragraph.of(
        words._("Above the Shapley value, subsidising the others: {payers}.").format(
            payers=listed(above)
        ),
        words._("Below it, subsidised by them: {others}.").format(others=listed(below)),
    )


def core_paragraph(
    check: CoreCheck, words: Texts, currency: str, names: Names | None = None
) -> Paragraph:
    """Whether a split is in the core, and the sets of members it overcharges."""
    names = names or Names()
    if not check.checked:
        return Paragraph.of(words._("The core is checked for at most 16 members."))
    if check.count == 0:
        return Paragraph.of(words._("In the core: no set of members would pay less on its own."))
    lines = [
        words.n_(
            "Not in the core: {n} set of members would pay less on its own.",
            "Not in the core: {n} sets of members would pay less on its own.",
            check.count,
        )
    ]
    lines += [_violation(v, words, currency, names) for v in check.violations]
    return Paragraph(tuple(lines))


def stand_alone_table(study: KeyStudy, names: Names | None = None) -> Table:
    """Each member's cost on its own against its contribution today."""
    names = names or Names()
    return table(
        "stand-alone",
        "member:id, alone:amount, today:amount, benefit:amount",
        [
            [names.member_cell(s.member, short=True), s.alone, s.today, s.benefit]
            for s in study.stand_alone
        ],
    )


def gains_table(study: KeyStudy, names: Names | None = None) -> Table:
    """Each member's Shapley value without and with the candidate."""
    names = names or Names()
    return table(
        "joining",
        "member:id, before:amount, after:amount, change:change",
        [
            [names.member_cell(g.member, short=True), g.before, g.after, g.change]
            for g in study.gains
        ],
    )


def keys_document(study: KeyStudy, language: str = "en", names: Names | None = None) -> Document:
    """The keys side by side, then each key in detail with its core, then membership's benefit.

    People read members by their short names (``names``, see :func:`dikt.names_of`).
    """
    w = texts(language)
    names = names or Names()
    blocks: list[Block] = [
        Paragraph.of(
            w._(
                "The year's costs, {total}: {shared} shared by the keys below; the rest each "
                "member pays alone (its own systems and investments). The Shapley value is "
                "the reference for a fair split, if each system's cost model holds for any "
                "group of members: what each member adds to the cost, on average over every "
                "order of joining."
            ).format(
                total=w.amount(study.total, study.currency),
                shared=w.amount(study.shared, study.currency),
            )
        ),
        keys_table(study, language, names),
    ]
    for result in study.keys:
        if result.unavailable is not None:
            blocks += [
                Heading(f"{_key_name(result.key, w)}: {w.message(result.description)}"),
                Paragraph.of(
                    w._("Not computed: {reason}").format(reason=w.message(result.unavailable))
                ),
            ]
            continue
        blocks += [
            Heading(f"{_key_name(result.key, w)}: {w.message(result.description)}"),
            _key_table(result, w, names),
            subsidy_paragraph(result, w, study.currency, names),
            core_paragraph(result.core, w, study.currency, names),
        ]
    if study.candidate is not None:
        blocks += [
            Heading(
                w._("If {candidate} joins: each member's Shapley value").format(
                    candidate=names.member(study.candidate)
                )
            ),
            gains_table(study, names),
        ]
        if study.cost_change is not None and study.held_flat is not None:
            blocks.append(
                Paragraph.of(
                    w._(
                        "With {candidate}, the systems' cost models add {change} a year; {flat} "
                        "of the cost of the systems it would share has no cost model and was "
                        "held flat."
                    ).format(
                        candidate=names.member(study.candidate),
                        change=w.amount(study.cost_change, study.currency),
                        flat=w.amount(study.held_flat, study.currency),
                    )
                )
            )
    blocks += [
        Heading(w._("What membership saves each member")),
        stand_alone_table(study, names),
        Paragraph.of(
            w._(
                "alone: what serving the member on its own would cost a year (every system "
                "it uses, whole); benefit: alone less its contribution today."
            )
        ),
    ]
    records = table(
        "keys",
        (
            "key:id, member:id, amount:amount, per inhabitant:amount, per user:amount, "
            "change:change, change %:change-percent, above the Shapley value:change"
        ),
        [[result.key, *_share_cells(share)] for result in study.keys for share in result.shares],
    )
    return Document(
        title=w._("{name} ({id}): cost keys compared, {year}, {currency}").format(
            name=study.name, id=study.cooperation_id, year=study.year, currency=study.currency
        ),
        blocks=tuple(blocks),
        records=records,
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------

shape(Violation, "members", "pays", "alone", "excess")
shape(CoreCheck, "checked", ("in_core", bool | None, lambda c: c.in_core), "count", "violations")
shape(
    KeyShare,
    "member",
    "amount",
    "per_inhabitant",
    "per_user",
    "change",
    (
        "change_percent",
        Percent | None,
        lambda s: None if s.change_percent is None else Percent(s.change_percent),
    ),
    "above_fair",
)
shape(
    KeyResult,
    "key",
    ("description", str, lambda r: str(r.description)),
    "shares",
    "core",
    ("unavailable", str | None, lambda r: None if r.unavailable is None else str(r.unavailable)),
)
shape(StandAlone, "member", "alone", "today", "benefit")
shape(Gain, "member", "before", "after", "change")
shape(
    KeyStudy,
    ("cooperation", str, attr("cooperation_id")),
    "name",
    "year",
    "currency",
    "total",
    "shared",
    "keys",
    "stand_alone",
    # "joining" in JSON since the first release; the attribute is now ``candidate``.
    ("joining", str | None, attr("candidate")),
    "gains",
    "cost_change",
    "held_flat",
)

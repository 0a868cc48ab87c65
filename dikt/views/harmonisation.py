"""Documents of harmonisation: a member's gaps, the matrix, the roadmap."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from dikt.document import Document, Kind, Paragraph, Table, columns, table
from dikt.harmonisation import (
    DomainGap,
    DomainStatus,
    Gaps,
    Matrix,
    MatrixRow,
    Roadmap,
    RunningSystem,
    Step,
)
from dikt.i18n import N_, Texts, texts
from dikt.serialise import Percent, attr, shape

__all__ = [
    "MATRIX_LEGEND",
    "gaps_document",
    "gaps_summary",
    "gaps_table",
    "matrix_document",
    "matrix_table",
    "roadmap_document",
    "roadmap_notes",
    "roadmap_table",
]

#: How the matrix marks systems.
MATRIX_LEGEND = N_("Standard systems plain, [deviating] ones (own or non-standard) in brackets.")


def _system_cell(system: RunningSystem) -> str:
    """A system in a table: its id, bracketed when it deviates."""
    return system.id if system.standard else f"[{system.id}]"


def _status_of(is_member: bool) -> str:
    return "member" if is_member else "candidate"


def _whose(result: Gaps | Roadmap, w: Texts) -> dict[str, object]:
    """What a harmonisation title names: the year, the member and its status, the currency."""
    return {
        "year": result.year,
        "member": result.member,
        "name": result.name,
        "status": w.term(_status_of(result.is_member)),
        "currency": result.currency,
    }


def gaps_table(result: Gaps) -> Table:
    """A member's standing per domain: status, systems on both sides, paid alone."""
    return table(
        "gaps",
        "domain:id, status:term, runs ([deviating]):text, standard:text, paid alone:amount",
        [
            [
                d.domain,
                d.status.value,
                ", ".join(_system_cell(s) for s in d.systems) or "-",
                ", ".join(d.standard) or "-",
                d.cost_alone if d.cost_alone else None,
            ]
            for d in result.domains
        ],
    )


def gaps_summary(result: Gaps, language: str = "en") -> Paragraph:
    """The harmonised shares and the cost paid alone, in words."""
    w = texts(language)
    return Paragraph.of(
        w._(
            "Harmonised: {count} of {domains} domains ({share}); {users} of users and "
            "{cost} of cost (applications and own systems)."
        ).format(
            count=result.harmonised_count,
            domains=len(result.counted_domains),
            share=w.percent(result.harmonised_domains),
            users=w.percent(result.harmonised_users),
            cost=w.percent(result.harmonised_cost),
        ),
        w._("Paid alone for own systems: {amount} a year.").format(
            amount=w.amount(result.cost_alone, result.currency)
        ),
    )


def gaps_document(result: Gaps, language: str = "en") -> Document:
    """A member's gaps per domain, then the harmonised shares."""
    w = texts(language)
    return Document(
        title=w._("Harmonisation {year}: {member} ({name}), {status}, {currency}").format(
            **_whose(result, w)
        ),
        blocks=(gaps_table(result), gaps_summary(result, language)),
        language=language,
    )


def matrix_table(result: Matrix, language: str = "en") -> Table:
    """Domains by members: the systems each runs, deviating ones bracketed."""
    w = texts(language)
    rows = []
    for row in result.rows:
        cells = []
        for member in result.members:
            gap = row.cells.get(member)
            cells.append(", ".join(_system_cell(s) for s in gap.systems) if gap else "")
        rows.append([row.domain, *(c or "-" for c in cells)])
    columns: list[tuple[str, Kind] | tuple[str, Kind, str]] = [("domain", Kind.ID)]
    for m in result.members:
        if m in result.candidates:
            # The CSV header stays "m (candidate)"; people read it in their language.
            columns.append((f"{m} (candidate)", Kind.TEXT, f"{m} ({w.term('candidate')})"))
        else:
            columns.append((m, Kind.TEXT, m))
    return table("matrix", columns, rows)


def matrix_document(result: Matrix, language: str = "en") -> Document:
    """Domains by members, and how to read the brackets."""
    w = texts(language)
    return Document(
        title="",
        blocks=(matrix_table(result, language), Paragraph.of(w._(MATRIX_LEGEND))),
        language=language,
    )


def roadmap_table(result: Roadmap, language: str = "en") -> Table:
    """The steps of a roadmap, in order; where a step cannot be priced, a column says why."""
    w = texts(language)
    unpriced = any(s.unpriced for s in result.steps)
    heads = [*_ROADMAP_COLUMNS, *([(N_("not priced"), Kind.TEXT)] if unpriced else [])]
    return table(
        "roadmap",
        heads,
        [
            [
                index,
                f"{s.system} {s.name}",
                s.domain,
                f"{s.target} {s.target_name}" if s.target else w._("(no standard system)"),
                s.natural_time,
                ", ".join(s.depends_on),
                s.pays_today,
                s.effect,
                *([w.message(s.unpriced) if s.unpriced else None] if unpriced else []),
            ]
            for index, s in enumerate(result.steps, start=1)
        ],
    )


_ROADMAP_COLUMNS = columns(
    "#:count, system:name, domain:id, move to:name, natural time:date, "
    "needs first:text, pays today:amount, effect a year:change"
)


def roadmap_notes(result: Roadmap, language: str = "en") -> Paragraph:
    """The roadmap's totals, any dependency cycles and steps that cannot be priced."""
    w = texts(language)
    notes = [
        w._("Contribution today: {today}; after every step: {after} ({effect} a year).").format(
            today=w.amount(result.total_before, result.currency),
            after=w.amount(result.total_after_all),
            effect=w.amount(result.effect_all, signed=True),
        ),
        w._("Each step's effect is priced alone against today's spec by the allocation engine."),
    ]
    notes += [
        w._("Dependency cycle (no order can respect it): {cycle}").format(
            cycle=" -> ".join([*cycle, cycle[0]])
        )
        for cycle in result.cycles
    ]
    notes += [
        w._(
            "{system} cannot be priced after the move, and is left out of the total: {reason}"
        ).format(system=s.system, reason=w.message(s.unpriced))
        for s in result.steps
        if s.unpriced
    ]
    return Paragraph(tuple(notes))


def roadmap_document(result: Roadmap, language: str = "en") -> Document:
    """The roadmap's steps, then the totals and any cycles."""
    w = texts(language)
    steps: Table | Paragraph = (
        roadmap_table(result, language)
        if result.steps
        else Paragraph.of(w._("No deviating systems: nothing to harmonise."))
    )
    return Document(
        title=w._("Harmonisation roadmap {year}: {member} ({name}), {status}, {currency}").format(
            **_whose(result, w)
        ),
        blocks=(steps, roadmap_notes(result, language)),
        records=roadmap_table(result),
        language=language,
    )


# -- JSON shapes ---------------------------------------------------------------------------

shape(RunningSystem, "id", "name", "standard", "own", "users", "cost_alone")
shape(DomainGap, "domain", "name", "status", "systems", "standard", "cost_alone")


@attrs.frozen
class _Harmonised:
    domains_percent: Percent
    users_percent: Percent
    cost_percent: Percent


shape(_Harmonised, "domains_percent", "users_percent", "cost_percent")
shape(
    Gaps,
    "member",
    "name",
    ("status", str, lambda g: _status_of(g.is_member)),
    "year",
    "currency",
    "cost_alone",
    (
        "harmonised",
        _Harmonised,
        lambda g: _Harmonised(
            Percent(g.harmonised_domains), Percent(g.harmonised_users), Percent(g.harmonised_cost)
        ),
    ),
    "domains",
)


@attrs.frozen
class _Cell:
    status: DomainStatus
    systems: tuple[RunningSystem, ...]


@attrs.frozen
class _MatrixSystem:
    id: str
    name: str
    standard: bool
    own: bool


shape(_MatrixSystem, "id", "name", "standard", "own")
shape(
    _Cell,
    "status",
    (
        "systems",
        tuple[_MatrixSystem, ...],
        lambda c: tuple(_MatrixSystem(s.id, s.name, s.standard, s.own) for s in c.systems),
    ),
)
shape(
    MatrixRow,
    "domain",
    "name",
    "standard",
    (
        "members",
        Mapping[str, _Cell],
        lambda r: {m: _Cell(g.status, g.systems) for m, g in r.cells.items()},
    ),
)
shape(
    Matrix,
    ("cooperation", str, attr("cooperation_id")),
    "members",
    "candidates",
    ("domains", tuple[MatrixRow, ...], attr("rows")),
)
shape(
    Step,
    "system",
    "name",
    "domain",
    "own",
    "users",
    "target",
    "natural_time",
    "depends_on",
    "pays_today",
    "total_after",
    "effect",
    "unpriced",
)
shape(
    Roadmap,
    "member",
    "name",
    ("status", str, lambda r: _status_of(r.is_member)),
    "year",
    "currency",
    "total_before",
    "total_after_all",
    "effect_all",
    "cycles",
    "steps",
)

"""Documents of harmonisation: a member's gaps, the matrix, the roadmap."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from dikt.document import Document, Kind, Paragraph, Table, table
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
from dikt.serialise import Percent, attr, shape
from dikt.writers._cells import percent_text

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
MATRIX_LEGEND = "Standard systems plain, [deviating] ones (own or non-standard) in brackets."


def _system_cell(system: RunningSystem) -> str:
    """A system in a table: its id, bracketed when it deviates."""
    return system.id if system.standard else f"[{system.id}]"


def _status_of(is_member: bool) -> str:
    return "member" if is_member else "candidate"


def gaps_table(result: Gaps) -> Table:
    """A member's standing per domain: status, systems on both sides, paid alone."""
    return table(
        "gaps",
        "domain:id, status:id, runs ([deviating]):text, standard:text, paid alone:amount",
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


def gaps_summary(result: Gaps) -> Paragraph:
    """The harmonised shares and the cost paid alone, in words."""
    return Paragraph.of(
        (
            f"Harmonised: {result.harmonised_count} of {len(result.counted_domains)} domains "
            f"({percent_text(result.harmonised_domains)} %); "
            f"{percent_text(result.harmonised_users)} % of users and "
            f"{percent_text(result.harmonised_cost)} % of cost (applications and own systems)."
        ),
        f"Paid alone for own systems: {result.cost_alone.format()} {result.currency} a year.",
    )


def gaps_document(result: Gaps) -> Document:
    """A member's gaps per domain, then the harmonised shares."""
    return Document(
        title=(
            f"Harmonisation {result.year}: {result.member} ({result.name}), "
            f"{_status_of(result.is_member)}, {result.currency}"
        ),
        blocks=(gaps_table(result), gaps_summary(result)),
    )


def matrix_table(result: Matrix) -> Table:
    """Domains by members: the systems each runs, deviating ones bracketed."""
    rows = []
    for row in result.rows:
        cells = []
        for member in result.members:
            gap = row.cells.get(member)
            cells.append(", ".join(_system_cell(s) for s in gap.systems) if gap else "")
        rows.append([row.domain, *(c or "-" for c in cells)])
    columns = [
        ("domain", Kind.ID),
        *((f"{m} (candidate)" if m in result.candidates else m, Kind.TEXT) for m in result.members),
    ]
    return table("matrix", columns, rows)


def matrix_document(result: Matrix) -> Document:
    """Domains by members, and how to read the brackets."""
    return Document(title="", blocks=(matrix_table(result), Paragraph.of(MATRIX_LEGEND)))


def roadmap_table(result: Roadmap) -> Table:
    """The steps of a roadmap, in order."""
    return table(
        "roadmap",
        (
            "#:count, system:name, domain:id, move to:name, natural time:date, "
            "needs first:text, pays today:amount, effect a year:change"
        ),
        [
            [
                index,
                f"{s.system} {s.name}",
                s.domain,
                f"{s.target} {s.target_name}" if s.target else "(no standard system)",
                s.natural_time,
                ", ".join(s.depends_on),
                s.pays_today,
                s.effect,
            ]
            for index, s in enumerate(result.steps, start=1)
        ],
    )


def roadmap_notes(result: Roadmap) -> Paragraph:
    """The roadmap's totals, any dependency cycles and steps that cannot be priced."""
    notes = [
        (
            f"Contribution today: {result.total_before.format()} {result.currency}; after every "
            f"step: {result.total_after_all.format()} "
            f"({result.effect_all.format(signed=True)} a year)."
        ),
        "Each step's effect is priced alone against today's spec by the allocation engine.",
    ]
    notes += [
        "Dependency cycle (no order can respect it): " + " -> ".join([*cycle, cycle[0]])
        for cycle in result.cycles
    ]
    notes += [
        f"{s.system} cannot be priced after the move, and is left out of the total: {s.unpriced}"
        for s in result.steps
        if s.unpriced
    ]
    return Paragraph(tuple(notes))


def roadmap_document(result: Roadmap) -> Document:
    """The roadmap's steps, then the totals and any cycles."""
    steps: Table | Paragraph = (
        roadmap_table(result)
        if result.steps
        else Paragraph.of("No deviating systems: nothing to harmonise.")
    )
    return Document(
        title=(
            f"Harmonisation roadmap {result.year}: {result.member} ({result.name}), "
            f"{_status_of(result.is_member)}, {result.currency}"
        ),
        blocks=(steps, roadmap_notes(result)),
        records=roadmap_table(result),
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
    "cooperation",
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

"""Documents of harmonisation: a member's gaps, the matrix, the roadmap."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from dikt.document import Cell, Document, Kind, Paragraph, Table, columns, table
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
from dikt.naming import Named, Names
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
MATRIX_LEGEND = N_(
    "Standard systems plain, [deviating] ones (own or non-standard) in brackets; "
    "the catalogue's systems by their project codes, named in the table below."
)


def _in_spec_order(domains: list[str], names: Names) -> list[str]:
    """Domains in the order the spec lists them (its author's grouping), unknown ones last."""
    rank = {domain: index for index, domain in enumerate(names.domains)}
    return sorted(domains, key=lambda d: (rank.get(d, len(rank)), d))


def _system_cell(system: RunningSystem, names: Names, member: str, *, code: bool = False) -> str:
    """A system in a table: ``IT173 Profil`` (with ``code``, ``IT173``), bracketed when it deviates.

    A member's own system reads by its name.
    """
    if code and not system.own:
        shown = system.id
    else:
        shown = names.system_as(system.id, system.name, own=system.own, member=member)
    return shown if system.standard else f"[{shown}]"


def _status_of(is_member: bool) -> str:
    return "member" if is_member else "candidate"


def _whose(result: Gaps | Roadmap, w: Texts) -> dict[str, object]:
    """What a harmonisation title names: the year, the member and its status, the currency."""
    return {
        "year": result.year,
        "name": result.name,
        "status": w.term(_status_of(result.is_member)),
        "currency": result.currency,
    }


def gaps_table(result: Gaps, names: Names | None = None) -> Table:
    """A member's standing per domain: status, systems on both sides, paid alone.

    Domains and systems read by their names (``names``).
    """
    names = names or Names()
    return table(
        "gaps",
        "domain:id, status:term, runs ([deviating]):text, standard:text, paid alone:amount",
        [
            [
                names.domain_cell(d.domain),
                d.status.value,
                ", ".join(_system_cell(s, names, result.member) for s in d.systems) or "-",
                ", ".join(names.system(s) for s in d.standard) or "-",
                d.cost_alone if d.cost_alone else None,
            ]
            for d in _gaps_in_order(result, names)
        ],
    )


def _gaps_in_order(result: Gaps, names: Names) -> list[DomainGap]:
    by_id = {d.domain: d for d in result.domains}
    return [by_id[d] for d in _in_spec_order(list(by_id), names)]


def gaps_summary(result: Gaps, language: str = "en", names: Names | None = None) -> Paragraph:
    """The harmonised shares and the cost paid alone, in words.

    The shares count the domains where the member runs something; the
    others are named, so the count matches the table beside it.
    """
    w = texts(language)
    names = names or Names()
    lines = [
        w._(
            "Harmonised: {count} of the {domains} domains it runs systems in ({share}); "
            "{users} of users and {cost} of cost (applications and own systems)."
        ).format(
            count=result.harmonised_count,
            domains=len(result.counted_domains),
            share=w.percent(result.harmonised_domains),
            users=w.percent(result.harmonised_users),
            cost=w.percent(result.harmonised_cost),
        )
    ]
    empty = [d for d in result.domains if d.status is DomainStatus.ABSENT]
    if empty:
        lines.append(
            w.ngettext(
                "No systems in {n} domain, not counted: {domains}.",
                "No systems in {n} domains, not counted: {domains}.",
                len(empty),
            ).format(n=len(empty), domains=", ".join(names.domain(d.domain) for d in empty))
        )
    lines.append(
        w._("Paid alone for own systems: {amount} a year.").format(
            amount=w.amount(result.cost_alone, result.currency)
        )
    )
    return Paragraph(tuple(lines))


def gaps_document(result: Gaps, language: str = "en", names: Names | None = None) -> Document:
    """A member's gaps per domain, then the harmonised shares.

    People read domains and systems by their names (``names``, see :func:`dikt.names_of`).
    """
    w = texts(language)
    return Document(
        title=w._("Harmonisation {year}: {name}, {status}, {currency}").format(**_whose(result, w)),
        blocks=(gaps_table(result, names), gaps_summary(result, language, names)),
        language=language,
    )


def matrix_table(result: Matrix, language: str = "en", names: Names | None = None) -> Table:
    """Domains by members: the systems each runs, deviating ones bracketed.

    Domains read by their names, members by their short names, the
    catalogue's systems by their project codes (see :func:`systems_table`).
    """
    w = texts(language)
    names = names or Names()
    rows: list[list[Cell]] = []
    by_id = {row.domain: row for row in result.rows}
    for row in (by_id[d] for d in _in_spec_order(list(by_id), names)):
        cells = []
        for member in result.members:
            gap = row.cells.get(member)
            cells.append(
                ", ".join(_system_cell(s, names, member, code=True) for s in gap.systems)
                if gap
                else ""
            )
        rows.append([names.domain_cell(row.domain), *(c or "-" for c in cells)])
    columns: list[tuple[str, Kind] | tuple[str, Kind, str]] = [("domain", Kind.ID)]
    for m in result.members:
        if m in result.candidates:
            # The CSV header stays "m (candidate)"; people read it in their language.
            columns.append(
                (f"{m} (candidate)", Kind.TEXT, f"{names.short(m)} ({w.term('candidate')})")
            )
        else:
            columns.append((m, Kind.TEXT, names.short(m)))
    return table("matrix", columns, rows)


def systems_table(result: Matrix, names: Names | None = None) -> Table | None:
    """The catalogue's systems the matrix shows by their project codes, with their names."""
    names = names or Names()
    shown = {
        s.id: names.systems.get(s.id, s.name)
        for row in result.rows
        for gap in row.cells.values()
        for s in gap.systems
        if not s.own
    }
    if not shown:
        return None
    return table("systems", "system:id, name:name", [[s, shown[s]] for s in sorted(shown)])


def matrix_document(result: Matrix, language: str = "en", names: Names | None = None) -> Document:
    """Domains by members, how to read the brackets, and the systems' names."""
    w = texts(language)
    systems = systems_table(result, names)
    return Document(
        title="",
        blocks=(
            matrix_table(result, language, names),
            Paragraph.of(w._(MATRIX_LEGEND)),
            *(() if systems is None else (systems,)),
        ),
        records=matrix_table(result, language),
        language=language,
    )


def roadmap_table(result: Roadmap, language: str = "en", names: Names | None = None) -> Table:
    """The steps of a roadmap, in order; systems as ``IT173 Profil``, domains by their names.

    Where a step cannot be priced, a column says why.
    """
    w = texts(language)
    names = names or Names()
    unpriced = any(s.unpriced for s in result.steps)
    heads = [*_ROADMAP_COLUMNS, *([(N_("not priced"), Kind.TEXT)] if unpriced else [])]
    return table(
        "roadmap",
        heads,
        [
            [
                index,
                Named(s.system, _step_system(s, names, result.member)),
                names.domain_cell(s.domain),
                (
                    Named(s.target, names.system_as(s.target, s.target_name or ""))
                    if s.target
                    else w._("(no standard system)")
                ),
                s.natural_time,
                ", ".join(names.system(d, result.member) for d in s.depends_on),
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


def _step_system(step: Step, names: Names, member: str) -> str:
    """A step's system as people read it: ``IT173 Profil``, an own system by its name."""
    return names.system_as(step.system, step.name, own=step.own, member=member)


def roadmap_notes(result: Roadmap, language: str = "en", names: Names | None = None) -> Paragraph:
    """The roadmap's totals, any dependency cycles and steps that cannot be priced."""
    w = texts(language)
    names = names or Names()
    figures = {
        "today": w.amount(result.total_before, result.currency),
        "after": w.amount(result.total_after_all, result.currency),
        "effect": w.amount(result.effect_all, result.currency, signed=True),
        "year": result.year,
    }
    notes = [
        w._("Contribution today: {today}; after every step: {after} ({effect} a year).").format(
            **figures
        )
        if result.is_member
        # A candidate pays nothing today: its figures are those it would pay as a member.
        else w._(
            "Contribution as a member in {year}: {today}; after every step: {after} "
            "({effect} a year)."
        ).format(**figures),
        w._(
            "Each step is priced on its own, against the systems and keys of {year}, as "
            "the owner contributions are."
        ).format(year=result.year),
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
        ).format(system=_step_system(s, names, result.member), reason=w.message(s.unpriced))
        for s in result.steps
        if s.unpriced
    ]
    return Paragraph(tuple(notes))


def roadmap_document(result: Roadmap, language: str = "en", names: Names | None = None) -> Document:
    """The roadmap's steps, then the totals and any cycles.

    People read systems and domains by their names (``names``, see :func:`dikt.names_of`).
    """
    w = texts(language)
    steps: Table | Paragraph = (
        roadmap_table(result, language, names)
        if result.steps
        else Paragraph.of(w._("No deviating systems: nothing to harmonise."))
    )
    return Document(
        title=w._("Harmonisation roadmap {year}: {name}, {status}, {currency}").format(
            **_whose(result, w)
        ),
        blocks=(steps, roadmap_notes(result, language, names)),
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

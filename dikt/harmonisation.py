"""Harmonisation: where a member runs other systems than the standard.

The more members run the same standard systems, the cheaper and better for
all; a member running deviating systems pays for them alone. This module
tells, per member or candidate:

- :func:`gaps`: per domain, the status (harmonised, deviating, mixed,
  absent), the systems on both sides, what the member pays alone, and how
  harmonised it is by domains, users and cost;
- :func:`matrix`: the whole cooperation, domains by members;
- :func:`roadmap`: for each deviating system, the standard to move to, when
  (its contract end), what moving does to the member's annual contribution
  (priced by the allocation engine on the harmonised spec), in an order that
  respects the member's dependencies.

What counts: a catalogue system with status "standard" is standard; a
tolerated or phase-out catalogue system and every own system is deviating.
A member uses the applications it has ``users > 0`` of and its own systems;
base packages with status "standard" come with membership, so they count as
used by every member and, for a candidate, as what joining brings. A base
package of another status is no member's deviation: every member pays it by
membership, and replacing it is the cooperation's step, not one member's.
Candidates are assessed as if they were members (:func:`dikt.scenario.promote`).
"""

from __future__ import annotations

import datetime as dt
import enum
import heapq
from collections.abc import Mapping
from fractions import Fraction

import attrs

from dikt._deprecated import renamed_attribute
from dikt._repr import summary_repr
from dikt.allocation import LineKind, allocate, as_of
from dikt.errors import ComputeError
from dikt.i18n import message
from dikt.model import Cooperation, Member, Package, SystemStatus, check_year
from dikt.money import Money
from dikt.rules import find_cycles
from dikt.scenario import harmonise, in_operation, promote, require_member
from dikt.whatif import WhatIf, refuse

__all__ = [
    "DomainGap",
    "DomainStatus",
    "Gaps",
    "Matrix",
    "MatrixRow",
    "Roadmap",
    "RunningSystem",
    "Step",
    "gaps",
    "matrix",
    "roadmap",
]


class DomainStatus(enum.Enum):
    """How a member stands in a domain."""

    HARMONISED = "harmonised"  #: a standard system there, and nothing else
    DEVIATING = "deviating"  #: only own or non-standard systems there
    MIXED = "mixed"  #: both
    ABSENT = "absent"  #: nothing there


@attrs.frozen(kw_only=True)
class RunningSystem:
    """A system a member runs in a domain."""

    id: str
    name: str
    standard: bool
    own: bool  #: one of the member's own systems
    users: int  #: its users at the member (its total users for a base package)
    cost_alone: Money  #: the annual cost it bears alone (own systems); else 0.00


@attrs.frozen(kw_only=True)
class DomainGap:
    """A member's standing in one domain."""

    domain: str
    name: str
    status: DomainStatus
    systems: tuple[RunningSystem, ...]  #: what the member runs there, by id
    standard: tuple[str, ...]  #: the cooperation's standard systems there, by id
    cost_alone: Money  #: the annual cost of its own systems there


@attrs.frozen(kw_only=True, repr=False)
class Gaps:
    """A member's (or candidate's) harmonisation, domain by domain."""

    __repr__ = summary_repr

    member: str
    name: str
    is_member: bool
    year: int
    currency: str
    domains: tuple[DomainGap, ...]  #: where the cooperation or the member has a system
    cost_alone: Money  #: own systems' annual cost in all
    harmonised_domains: Fraction  #: harmonised / (harmonised + mixed + deviating); 1 if none
    harmonised_users: Fraction  #: users of standard applications / of all applications and own
    harmonised_cost: Fraction  #: its payment for standard applications / for all and own

    @property
    def counted_domains(self) -> tuple[DomainGap, ...]:
        """The domains where the member runs something (not absent)."""
        return tuple(d for d in self.domains if d.status is not DomainStatus.ABSENT)

    @property
    def harmonised_count(self) -> int:
        """How many domains are harmonised."""
        return sum(1 for d in self.domains if d.status is DomainStatus.HARMONISED)

    @property
    def deviating(self) -> tuple[DomainGap, ...]:
        """The domains where it deviates (status deviating or mixed)."""
        return tuple(
            d for d in self.domains if d.status in (DomainStatus.DEVIATING, DomainStatus.MIXED)
        )


def _is_standard(cooperation: Cooperation, system_id: str) -> bool:
    return cooperation.systems[system_id].status is SystemStatus.STANDARD


def _is_base(cooperation: Cooperation, system_id: str) -> bool:
    system = cooperation.systems.get(system_id)
    return system is not None and system.package is Package.BASE


def _running(cooperation: Cooperation, member: Member) -> dict[str, list[RunningSystem]]:
    """What the member runs, by domain."""
    by_domain: dict[str, list[RunningSystem]] = {}
    for system_id, system in cooperation.systems.items():
        if system.package is Package.BASE and system.status is SystemStatus.STANDARD:
            users = member.users
        else:
            usage = member.systems.get(system_id)
            if usage is None or usage.users <= 0 or system.package is Package.BASE:
                continue
            users = usage.users
        by_domain.setdefault(system.domain, []).append(
            RunningSystem(
                id=system_id,
                name=system.name,
                standard=_is_standard(cooperation, system_id),
                own=False,
                users=users,
                cost_alone=Money(0),
            )
        )
    for own_id, own in member.own_systems.items():
        by_domain.setdefault(own.domain, []).append(
            RunningSystem(
                id=own_id,
                name=own.name,
                standard=False,
                own=True,
                users=own.users,
                cost_alone=own.annual_cost,
            )
        )
    return by_domain


def _domain_gaps(cooperation: Cooperation, member: Member) -> tuple[DomainGap, ...]:
    running = _running(cooperation, member)
    standard: dict[str, list[str]] = {}
    for system_id, system in cooperation.systems.items():
        standard.setdefault(system.domain, [])
        if system.status is SystemStatus.STANDARD:
            standard[system.domain].append(system_id)
    result = []
    for domain_id in sorted(standard.keys() | running.keys()):
        systems = sorted(running.get(domain_id, []), key=lambda s: (s.own, s.id))
        has_standard = any(s.standard for s in systems)
        has_other = any(not s.standard for s in systems)
        if has_standard and has_other:
            status = DomainStatus.MIXED
        elif has_standard:
            status = DomainStatus.HARMONISED
        elif has_other:
            status = DomainStatus.DEVIATING
        else:
            status = DomainStatus.ABSENT
        domain = cooperation.domains.get(domain_id)
        result.append(
            DomainGap(
                domain=domain_id,
                name=domain.name if domain else domain_id,
                status=status,
                systems=tuple(systems),
                standard=tuple(sorted(standard.get(domain_id, []))),
                cost_alone=Money.sum(s.cost_alone for s in systems),
            )
        )
    return tuple(result)


def _share(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(1)


def gaps(cooperation: Cooperation, member_id: str, year: int | None = None) -> Gaps:
    """Where ``member_id`` (a member or a candidate) deviates from the standard.

    The cost share prices the member's lines for ``year`` with the
    allocation engine (a candidate as if it were a member): what it pays for
    standard catalogue systems over what it pays for all its systems.
    """
    member = require_member(cooperation, member_id)
    year = check_year(cooperation.budget_year if year is None else year)
    if not member.is_member:
        refuse(cooperation, WhatIf.GAPS, member_id, years={year})
    # Prices come from allocate on the spec itself (its rules decide what is
    # charged in the year); which systems the member runs, from those in operation.
    # The year's members first (those not in it priced out as allocate prices
    # them), then the member or candidate asked about among them.
    priced = promote(as_of(cooperation, year), member_id)
    cooperation = in_operation(cooperation, year)
    member = cooperation.members[member_id]
    domains = _domain_gaps(cooperation, member)
    counted = [d for d in domains if d.status is not DomainStatus.ABSENT]
    harmonised = sum(1 for d in counted if d.status is DomainStatus.HARMONISED)
    # Base packages come with membership, alike for all: the users and cost
    # shares look at applications and own systems, where members differ.
    users = [s for d in domains for s in d.systems if s.own or not _is_base(cooperation, s.id)]
    standard_users = sum(s.users for s in users if s.standard)
    allocation = allocate(priced, year)
    standard_cost = other_cost = 0
    for line in allocation.member(member_id).lines:
        if line.kind is LineKind.APPLICATION:
            if _is_standard(cooperation, line.item):
                standard_cost += line.amount.ore
            else:
                other_cost += line.amount.ore
        elif line.kind is LineKind.OWN_SYSTEM:
            other_cost += line.amount.ore
    return Gaps(
        member=member_id,
        name=member.name,
        is_member=member.is_member,
        year=allocation.year,
        currency=cooperation.currency,
        domains=domains,
        cost_alone=Money.sum(d.cost_alone for d in domains),
        harmonised_domains=_share(harmonised, len(counted)),
        harmonised_users=_share(standard_users, sum(s.users for s in users)),
        harmonised_cost=_share(standard_cost, standard_cost + other_cost),
    )


# -- matrix -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MatrixRow:
    """One domain across all members."""

    domain: str
    name: str
    standard: tuple[str, ...]
    cells: Mapping[str, DomainGap]  #: by member id


@attrs.frozen(kw_only=True, repr=False)
class Matrix:
    """The cooperation at a glance: domains by members (candidates included)."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    cooperation = renamed_attribute("cooperation", "cooperation_id")
    members: tuple[str, ...]  #: members first, then candidates, each by id
    candidates: tuple[str, ...]
    rows: tuple[MatrixRow, ...]  #: by domain id


def matrix(cooperation: Cooperation, year: int | None = None) -> Matrix:
    """Every domain by every member and candidate: status and systems used.

    Only systems in operation in ``year`` (default: the budget year) count.
    """
    cooperation = in_operation(
        cooperation, check_year(cooperation.budget_year if year is None else year)
    )
    members = [m for _, m in sorted(cooperation.members.items())]
    ordered = [m for m in members if m.is_member] + [m for m in members if not m.is_member]
    per_member = {m.id: {d.domain: d for d in _domain_gaps(cooperation, m)} for m in ordered}
    domain_ids = sorted({d for gaps_ in per_member.values() for d in gaps_})
    rows = []
    for domain_id in domain_ids:
        cells = {
            m.id: per_member[m.id][domain_id] for m in ordered if domain_id in per_member[m.id]
        }
        first = next(iter(cells.values()))
        rows.append(
            MatrixRow(domain=domain_id, name=first.name, standard=first.standard, cells=cells)
        )
    return Matrix(
        cooperation_id=cooperation.id,
        members=tuple(m.id for m in ordered),
        candidates=tuple(m.id for m in ordered if not m.is_member),
        rows=tuple(rows),
    )


# -- roadmap ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Step:
    """Moving one deviating system to the standard."""

    system: str
    name: str
    domain: str
    own: bool
    users: int
    target: str | None  #: the standard system to move to; None if the domain has none
    target_name: str | None
    natural_time: dt.date | None  #: its contract end, when known
    depends_on: tuple[str, ...]  #: the member's other deviating systems it needs
    pays_today: Money  #: what the member pays for it now (alone, for an own system)
    total_before: Money  #: the member's annual contribution today
    total_after: Money | None  #: ... after this one move, priced by the allocation
    #: Why the move cannot be priced, when the allocation after it fails (a
    #: key of fixed shares without one for the member, the members left on a
    #: system with nothing to split its cost by); None when it is priced or
    #: has no target. Every format shows it ("not priced").
    unpriced: str | None = None

    @property
    def effect(self) -> Money | None:
        """The annual change of the member's contribution; negative saves."""
        return None if self.total_after is None else self.total_after - self.total_before


@attrs.frozen(kw_only=True, repr=False)
class Roadmap:
    """A member's deviating systems, in the order to harmonise them."""

    __repr__ = summary_repr

    member: str
    name: str
    is_member: bool
    year: int
    currency: str
    steps: tuple[Step, ...]  #: dependencies first, then by natural time and id
    cycles: tuple[tuple[str, ...], ...]  #: dependency cycles among them, if any
    total_before: Money
    total_after_all: Money  #: after every step with a target that can be priced, together

    @property
    def effect_all(self) -> Money:
        """The annual change once every step with a target is taken."""
        return self.total_after_all - self.total_before


def _target(cooperation: Cooperation, member: Member, domain: str) -> str | None:
    """The standard system of ``domain`` to move to: one the member already
    uses, else the one with most users in the cooperation, ties by id."""
    candidates = [
        sid
        for sid, s in cooperation.systems.items()
        if s.domain == domain and s.status is SystemStatus.STANDARD
    ]
    if not candidates:
        return None
    used = [s for s in candidates if (u := member.systems.get(s)) is not None and u.users > 0]
    pool = used or candidates

    def popularity(system_id: str) -> tuple[int, str]:
        total = sum(
            u.users
            for m in cooperation.members.values()
            if (u := m.systems.get(system_id)) is not None
        )
        return (-total, system_id)

    return min(pool, key=popularity)


def _order(
    items: dict[str, tuple[str, ...]], natural: dict[str, dt.date | None]
) -> tuple[list[str], list[list[str]]]:
    """Dependencies first (Kahn), ready ones by natural time then id; cycles last."""
    waiting = {item: {d for d in deps if d in items} for item, deps in items.items()}
    needed_by: dict[str, list[str]] = {item: [] for item in items}
    for item, deps in waiting.items():
        for dep in deps:
            needed_by[dep].append(item)

    def rank(item: str) -> tuple[dt.date, str]:
        return (natural.get(item) or dt.date.max, item)

    ready = [rank(item) for item, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, item = heapq.heappop(ready)
        order.append(item)
        for dependant in needed_by[item]:
            waiting[dependant].discard(item)
            if not waiting[dependant]:
                heapq.heappush(ready, rank(dependant))
    stuck = {item: items[item] for item in items if item not in order}
    cycles = find_cycles({k: tuple(d for d in v if d in stuck) for k, v in stuck.items()})
    order += sorted(stuck, key=rank)
    return order, cycles


def _fixed_shares_without(cooperation: Cooperation, member_id: str, target: str) -> str | None:
    """Why a move to ``target`` cannot be priced: its key's fixed shares have none for the member.

    None when they have (or the key has no fixed shares): the allocation prices the move.
    """
    key = cooperation.key(cooperation.key_of(cooperation.systems[target]))
    if key is None or key.shares is None or member_id in key.shares:
        return None
    return message(
        'key "{key}" of {system} has fixed shares and none for {member}: the agreement '
        "would have to give it a share",
        key=key.id,
        system=target,
        member=member_id,
    )


def roadmap(cooperation: Cooperation, member_id: str, year: int | None = None) -> Roadmap:
    """The costed order in which ``member_id`` can harmonise its deviating systems.

    Each step's effect is the member's total for ``year`` after that one move
    minus its total today, both computed by :func:`dikt.allocate` (a
    candidate as if it were a member); ``total_after_all`` takes every step
    with a target together.
    """
    if not require_member(cooperation, member_id).is_member:
        refuse(
            cooperation,
            WhatIf.ROADMAP,
            member_id,
            years={cooperation.budget_year if year is None else year},
        )
    year = check_year(cooperation.budget_year if year is None else year)
    # Priced by allocate on the spec itself, as `dikt allocate` prices it; the
    # deviating systems and their targets are those in operation in the year.
    today = promote(as_of(cooperation, year), member_id)
    cooperation = in_operation(cooperation, year)
    member = cooperation.members[member_id]
    before = allocate(today, year)
    total_before = before.member(member_id).total
    paid = {line.item: line.amount for line in before.member(member_id).lines}
    deviating: dict[str, tuple[str, str, bool, int, tuple[str, ...], dt.date | None]] = {}
    for own_id, own in member.own_systems.items():
        deviating[own_id] = (
            own.name,
            own.domain,
            True,
            own.users,
            own.depends_on,
            own.contract_ends,
        )
    for system_id, usage in member.systems.items():
        system = cooperation.systems.get(system_id)
        if system is None or usage.users <= 0 or system.status is SystemStatus.STANDARD:
            continue
        if system.package is Package.BASE:
            # Every member pays a base package by membership, whatever its status: one
            # that is phased out is the cooperation's to replace, not one member's step
            # (and gaps do not count it as the member's either).
            continue
        if system_id in deviating:
            continue  # an own system of the same id (W205) stands for it
        deviating[system_id] = (
            system.name,
            system.domain,
            False,
            usage.users,
            system.depends_on,
            None,
        )
    order, cycles = _order(
        {k: v[4] for k, v in deviating.items()}, {k: v[5] for k, v in deviating.items()}
    )
    steps = []
    harmonised_all = today
    for item in order:
        name, domain, is_own, users, depends_on, natural = deviating[item]
        target = _target(cooperation, member, domain)
        total_after = None
        unpriced = None
        if target is not None:
            unpriced = _fixed_shares_without(today, member_id, target)
        if target is not None and unpriced is None:
            try:
                moved = harmonise(today, member_id, item, target)
                total_after = allocate(moved, year).member(member_id).total
                # Taken together with the steps before it only if that prices too.
                together = harmonise(harmonised_all, member_id, item, target)
                allocate(together, year)
                harmonised_all = together
            except ComputeError as error:
                # A message stays one, to be shown in the reader's language.
                unpriced = error.args[0] if error.args and isinstance(error.args[0], str) else ""
                unpriced = unpriced or str(error)
        steps.append(
            Step(
                system=item,
                name=name,
                domain=domain,
                own=is_own,
                users=users,
                target=target,
                target_name=cooperation.systems[target].name if target else None,
                natural_time=natural,
                depends_on=tuple(d for d in depends_on if d in deviating),
                pays_today=paid.get(item, Money(0)),
                total_before=total_before,
                total_after=total_after,
                unpriced=unpriced,
            )
        )
    total_after_all = allocate(harmonised_all, year).member(member_id).total
    return Roadmap(
        member=member_id,
        name=member.name,
        is_member=member.is_member,
        year=before.year,
        currency=cooperation.currency,
        steps=tuple(steps),
        cycles=tuple(tuple(c) for c in cycles),
        total_before=total_before,
        total_after_all=total_after_all,
    )

"""Leaving and merging: the membership changes beside joining, priced the same way.

A member leaves from the start of a year; members merge into one from the
start of a year (in the 2020 municipal reform Drammen, Nedre Eiker and
Svelvik became Drammen). Each what-if is a new cooperation that the
allocation engine prices like any spec, with each catalogue system's annual
cost for the new set of members from the one cost function
(:func:`dikt.costs.priced`): its cost model where it has one, else held
flat, and said so.

- :func:`leave`: what the remaining members pay after, by member and by
  line; what the leaving member leaves behind (fixed parts and capacity that
  do not shrink with it); and its part of investments still being paid (of
  its leaving year and later), which it pays by the spec's rule
  (``[leaving] investments``: at once, or year by year). The others pay
  only the rest of those investments.
- :func:`merge`: the merged member's users, employees and population add up,
  every system each of them ran stays with it, and an equal part of a key is
  paid once. Every member's contribution before and after.

A key with fixed shares that the change touches needs the shares after it
in the spec (``[keys.NAME.shares_without.MEMBER]``,
``[keys.NAME.shares_merged.ID]``), or the what-if stops naming the key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction

import attrs

from dikt._fieldtypes import ID_PATTERN
from dikt._repr import summary_repr
from dikt.allocation import (
    Allocation,
    LineKind,
    Totals,
    _totals,
    allocate,
    leaving_parts,
    totals,
)
from dikt.costs import priced
from dikt.economic_plan import Plan, joined_in, year_scenario
from dikt.errors import ArgumentError, ComputeError
from dikt.i18n import message
from dikt.model import (
    Category,
    Cooperation,
    Key,
    Member,
    MemberStatus,
    Obligations,
    OwnSystem,
    Usage,
    check_year,
)
from dikt.money import Money
from dikt.rules import sharing_facts
from dikt.scenario import require_member

__all__ = [
    "ContributionChange",
    "LeaveEstimate",
    "LeftBehind",
    "MergeEstimate",
    "Obligation",
    "StatedChange",
    "leave",
    "merge",
    "merged_member",
    "stated_changes",
]


@attrs.frozen(kw_only=True)
class ContributionChange:
    """One member's contribution before and after a membership change."""

    id: str
    name: str
    before: Money  #: 0.00 if it did not pay before (the merged member, when new)
    after: Money  #: 0.00 if it does not pay after (it left, or merged into another)
    into: str | None = None  #: for a member that merges: the merged member's id

    @property
    def change(self) -> Money:
        """After minus before."""
        return self.after - self.before

    @property
    def percent(self) -> Fraction | None:
        """The change in percent of before; None when before is 0."""
        return None if not self.before else Fraction(self.change.ore * 100, self.before.ore)


@attrs.frozen(kw_only=True)
class LeftBehind:
    """A catalogue system the leaving member paid for: what the others take over."""

    system: str
    name: str
    paid: Money  #: the leaving member's line for it in the leaving year, had it stayed
    saved: Money  #: how much the system's cost falls without it (0 when held flat)
    modelled: bool  #: False: no cost model, its cost held flat

    @property
    def left(self) -> Money:
        """What the remaining members take over: paid minus saved."""
        return self.paid - self.saved


@attrs.frozen(kw_only=True)
class Obligation:
    """The leaving member's part of an investment still being paid."""

    investment: str
    description: str | None
    year: int
    amount: Money  #: the whole investment
    share: Money  #: the leaving member's part, as its key would split it had it stayed


@attrs.frozen(kw_only=True, repr=False)
class _BeforeAfter:
    """A change of membership's year before and after it, allocated line by line when asked.

    The figures of a what-if (every member's total, what the leaving member
    paid and owes) come from the splits alone; only the lines that change
    need every line, and only the documents that show them ask. Building
    the same allocation twice at once (two threads) is harmless.
    """

    year: int  #: the change takes effect from the start of this year; the figures are this year's
    #: The cooperation of the year before the change and after it (with the leaving member
    #: and without it; the merging members and the merged one): what :attr:`before` and
    #: :attr:`after` allocate.
    scenario_before: Cooperation = attrs.field(eq=False, repr=False)
    scenario_after: Cooperation = attrs.field(eq=False, repr=False)
    _allocations: dict[str, Allocation] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    @property
    def before(self) -> Allocation:
        """The year before the change, line by line (allocated on first use, then kept)."""
        return self._allocated("before", self.scenario_before)

    @property
    def after(self) -> Allocation:
        """The year after it, line by line (allocated on first use, then kept)."""
        return self._allocated("after", self.scenario_after)

    def _allocated(self, which: str, scenario: Cooperation) -> Allocation:
        found = self._allocations.get(which)
        if found is None:
            found = self._allocations[which] = allocate(scenario, self.year)
        return found


@attrs.frozen(kw_only=True, repr=False)
class LeaveEstimate(_BeforeAfter):
    """What a member's leaving does: to the others, by line; what it leaves and owes."""

    __repr__ = summary_repr

    cooperation_id: str
    name: str  #: the cooperation's name
    member: str
    member_name: str
    year: int  #: it leaves from the start of this year; the figures are this year's
    currency: str
    rule: Obligations  #: how it pays its part of investments still being paid
    #: Whether its parts are those its file states (``obligations``, as agreed when it
    #: gave notice), not its key's share had it stayed.
    agreed: bool = False
    members: tuple[ContributionChange, ...]  #: every remaining member, by id
    departing: Money  #: what the leaving member would have paid in the year, had it stayed
    left_behind: tuple[LeftBehind, ...]  #: by system id
    obligations: tuple[Obligation, ...]  #: by year, then id
    held_flat: Money  #: cost of systems whose use changes, held flat (no cost model)
    total_before: Money
    #: The year's total after: the remaining members' and what the leaving member pays
    #: in the year toward the investments still being paid.
    total_after: Money

    @property
    def paying_after(self) -> Money:
        """What the leaving member pays in the year after leaving: its obligations due then."""
        return self.due().get(self.year, Money(0))

    @property
    def left_behind_total(self) -> Money:
        """All the leaving member's costs the others take over."""
        return Money.sum(line.left for line in self.left_behind)

    @property
    def obligations_total(self) -> Money:
        """The leaving member's part of investments still being paid."""
        return Money.sum(o.share for o in self.obligations)

    def due(self) -> dict[int, Money]:
        """What the leaving member pays toward investments, by year, under its rule."""
        if not self.obligations:
            return {}
        if self.rule is Obligations.SETTLE:
            return {self.year: self.obligations_total}
        by_year: dict[int, Money] = {}
        for o in self.obligations:
            by_year[o.year] = by_year.get(o.year, Money(0)) + o.share
        return by_year


@attrs.frozen(kw_only=True, repr=False)
class MergeEstimate(_BeforeAfter):
    """What a merger of members does to every member's contribution."""

    __repr__ = summary_repr

    cooperation_id: str
    name: str  #: the cooperation's name
    into: str  #: the merged member's id
    into_name: str
    merged: tuple[str, ...]  #: the members that merge, by id
    year: int  #: they are one from the start of this year; the figures are this year's
    currency: str
    members: tuple[ContributionChange, ...]  #: the merging members, the merged one, then the others
    held_flat: Money
    total_before: Money
    total_after: Money


def _year(cooperation: Cooperation, year: int | None, members: Iterable[Member]) -> int:
    """The year of the change: given, else the budget year; never before a member joined."""
    try:
        when = check_year(cooperation.budget_year if year is None else year)
    except ComputeError as error:
        raise ArgumentError(error.args[0]) from None
    for member in members:
        if member.joined is not None and when < member.joined.year:
            raise ArgumentError(
                message(
                    "{member} joined in {joined}; it cannot leave or merge in {year}",
                    member=member.id,
                    joined=member.joined.year,
                    year=when,
                )
            )
    return when


def _a_member(cooperation: Cooperation, member_id: str) -> Member:
    member = require_member(cooperation, member_id)
    if not member.is_member:
        raise ArgumentError(
            message(
                "{member} is a candidate, not a member: it cannot leave or merge",
                member=member_id,
            )
        )
    return member


def _keys_after(
    cooperation: Cooperation, touched: Iterable[str], table: str, change: str
) -> dict[str, Key]:
    """Every key after the change: fixed shares from the key's table for it, or a stop."""
    touched = set(touched)
    keys = dict(cooperation.keys)
    for key_id, key in cooperation.keys.items():
        if key.shares is None or not touched & set(key.shares):
            continue
        after = getattr(key, table).get(change)
        if after is None:
            raise ComputeError(
                message(
                    'the key "{key}" has fixed shares for {members}; state the shares after '
                    "the change in [keys.{key}.{table}.{change}]",
                    key=key_id,
                    members=", ".join(sorted(touched & set(key.shares))),
                    table=table,
                    change=change,
                )
            )
        keys[key_id] = attrs.evolve(key, shares=after)
    return keys


def leave(cooperation: Cooperation, member: str, year: int | None = None) -> LeaveEstimate:
    """The what-if of ``member`` leaving from the start of ``year`` (default: the budget year).

    Raises :class:`~dikt.errors.ComputeError` for an unknown member, a
    candidate, a year before it joined or outside dikt's years, a fixed-share
    key without shares after it leaves, or a cooperation it is the last
    member of.
    """
    leaving = _a_member(cooperation, member)
    when = _year(cooperation, year, [leaving])
    if len(cooperation.active_members) < 2:
        raise ArgumentError(message("{member} is the only member: nobody would pay", member=member))
    # A key with fixed shares stops the what-if, naming the key, without the
    # shares after it (as allocate stops a leaving date the spec states).
    _keys_after(cooperation, [member], "shares_without", member)
    # "Before" is the year had it stayed: a leaving date the spec states
    # (the plan prices it in its year) does not apply to the what-if.
    cooperation = _staying(cooperation, [member])
    # Every member's total and the leaving member's lines: what the figures
    # need (every line of both years only when a document shows them).
    before = totals(cooperation, when, [member])

    # "After" is the spec with its leaving date stated: allocate prices it as
    # it prices a date the spec states, to the øre. Each system costs what its
    # model says for the rest; the member keeps its part of the investments
    # still being paid (of the leaving year and later) and the others pay the
    # rest. Its own member investments go with it.
    without = attrs.evolve(
        cooperation,
        members={
            **cooperation.members,
            member: attrs.evolve(leaving, leaving=dt.date(when, 1, 1)),
        },
        investments=tuple(
            i
            for i in cooperation.investments
            if not (i.category is Category.MEMBER and i.member == member and i.year >= when)
        ),
    )
    after, served = _totals(without, when, [member])
    investments = {i.id: i for i in without.investments}
    # Its parts: what it pays in the leaving year are its lines of it (with
    # "settle", every part); those it pays later, from their years' splits.
    paid_now = {
        line.item: line.amount
        for line in (after.member(member).lines if member in after.detailed else ())
    }
    later_years = (
        ()
        if without.leaving.investments is Obligations.SETTLE
        else (sorted({i.year for i in without.investments if i.year > when}))
    )
    parts_of = {
        item: share
        for year in later_years
        for item, by in leaving_parts(without, year).items()
        if (share := by.get(member)) is not None
    }
    obligations = sorted(
        (
            Obligation(
                investment=item,
                description=investments[item].description,
                year=investments[item].year,
                amount=investments[item].amount,
                share=share,
            )
            for item, share in {**paid_now, **parts_of}.items()
        ),
        key=lambda o: (o.year, o.investment),
    )
    remaining = [member_id for member_id, _, _ in before.members if member_id != member]
    if served is None:  # not reached: the member leaves, so not every member pays
        served = priced(cooperation, remaining)[1]
    departing = before.member(member).total
    paid_then = {(line.item, line.kind): line.amount for line in before.member(member).lines}
    left_behind = []
    for cost in served.systems:
        paid = paid_then.get((cost.system, LineKind.BASE), Money(0)) + paid_then.get(
            (cost.system, LineKind.APPLICATION), Money(0)
        )
        if not paid:
            continue
        left_behind.append(
            LeftBehind(
                system=cost.system,
                name=cooperation.systems[cost.system].name,
                paid=paid,
                saved=cost.today - cost.cost,
                modelled=cost.modelled,
            )
        )
    return LeaveEstimate(
        cooperation_id=cooperation.id,
        name=cooperation.name,
        member=member,
        member_name=leaving.name,
        year=when,
        currency=cooperation.currency,
        rule=cooperation.leaving.investments,
        agreed=bool(leaving.obligations),
        members=_changes(before, after, remaining),
        departing=departing,
        left_behind=tuple(left_behind),
        obligations=tuple(sorted(obligations, key=lambda o: (o.year, o.investment))),
        held_flat=served.held_flat,
        total_before=before.total,
        total_after=after.total,
        scenario_before=cooperation,
        scenario_after=without,
    )


def _staying(cooperation: Cooperation, members: Iterable[str]) -> Cooperation:
    """The cooperation with the leaving dates of ``members`` set aside."""
    gone = {m: cooperation.members[m] for m in members if cooperation.members[m].leaving}
    if not gone:
        return cooperation
    return attrs.evolve(
        cooperation,
        members={
            **cooperation.members,
            **{m: attrs.evolve(member, leaving=None) for m, member in gone.items()},
        },
    )


def _changes(before: Totals, after: Totals, ids: Sequence[str]) -> tuple[ContributionChange, ...]:
    old = {member_id: (name, total) for member_id, name, total in before.members}
    new = {member_id: (name, total) for member_id, name, total in after.members}
    return tuple(
        ContributionChange(
            id=member_id,
            name=(new.get(member_id) or old[member_id])[0],
            before=old[member_id][1] if member_id in old else Money(0),
            after=new[member_id][1] if member_id in new else Money(0),
        )
        for member_id in sorted(ids)
    )


def merged_member(
    cooperation: Cooperation,
    members: Sequence[str],
    into: str,
    name: str | None = None,
) -> Member:
    """The one member that ``members`` become: their counts add up, their systems stay.

    Users of a catalogue system add up, and its owner and manager are those
    of the first of ``members`` that has one; every own system stays (one that
    two of them share an id for is kept once per member, its id prefixed by
    the member's, the first's unprefixed); the fleet is all of theirs; it has
    been a member since the first of them joined. Name, municipality number,
    representatives and licences are those of the member with the merged id,
    else of the first.
    """
    parts = [cooperation.members[m] for m in members]
    lead = cooperation.members[into] if into in members else parts[0]
    usage: dict[str, Usage] = {}
    own: dict[str, OwnSystem] = {}
    for part in parts:
        for system_id, use in part.systems.items():
            seen = usage.get(system_id)
            usage[system_id] = (
                use
                if seen is None
                else attrs.evolve(
                    seen,
                    users=seen.users + use.users,
                    owner=seen.owner or use.owner,
                    manager=seen.manager or use.manager,
                )
            )
        for system_id, system in part.own_systems.items():
            key = system_id if system_id not in own else f"{part.id}-{system_id}"
            own[key] = system if key == system_id else attrs.evolve(system, id=key)
    joined = [p.joined for p in parts if p.joined is not None]
    return attrs.evolve(
        lead,
        id=into,
        name=name or lead.name,
        status=MemberStatus.MEMBER,
        joined=min(joined) if joined else None,
        leaving=None,
        population=sum(p.population for p in parts),
        employees=sum(p.employees for p in parts),
        users=sum(p.users for p in parts),
        systems=usage,
        own_systems=own,
        fleet=tuple(entry for p in parts for entry in p.fleet),
    )


def merge(
    cooperation: Cooperation,
    members: Sequence[str],
    into: str,
    year: int | None = None,
    name: str | None = None,
) -> MergeEstimate:
    """The what-if of ``members`` becoming one member ``into`` from the start of ``year``.

    ``into`` may be one of them (Drammen absorbing Nedre Eiker and Svelvik)
    or a new id; ``name`` the merged municipality's (default: that of the
    member with the merged id; required for a new id). Raises :class:`~dikt.errors.ComputeError`
    for fewer than two members, one named twice, an unknown member or a
    candidate, an ``into`` that is not a valid id or is another member's or
    candidate's, a new ``into`` without a ``name``, a year before one of
    them joined, or a fixed-share key without shares after the merger.
    """
    if len(set(members)) != len(members):
        twice = sorted({m for m in members if list(members).count(m) > 1})
        raise ArgumentError(message("named twice: {ids}", ids=", ".join(twice)))
    if len(members) < 2:
        raise ArgumentError(message("a merger needs two or more members"))
    parts = [_a_member(cooperation, m) for m in members]
    if not ID_PATTERN.fullmatch(into):
        raise ArgumentError(message('"{id}" is not a valid id', id=into))
    if into in cooperation.members and into not in members:
        raise ArgumentError(
            message(
                "{id} is already another member's or a candidate's id; "
                "merge into one of the merging members or a new id",
                id=into,
            )
        )
    if into not in members and not name:
        # A new municipality's name cannot be guessed, and the first member's
        # would put one municipality's name on all of them.
        raise ArgumentError(
            message(
                "{id} is a new id: give the merged municipality's name (--name)",
                id=into,
            )
        )
    when = _year(cooperation, year, parts)
    keys = _keys_after(cooperation, members, "shares_merged", into)
    cooperation = _staying(cooperation, members)
    one = merged_member(cooperation, members, into, name)
    investments = tuple(
        attrs.evolve(i, member=into) if i.member in members else i for i in cooperation.investments
    )
    before = totals(cooperation, when)

    # Priced against today: the merged member is served where its parts were
    # (a step sized by the largest member may grow with it).
    staging = "~merged"
    with_one = sharing_facts(
        cooperation,
        attrs.evolve(
            cooperation,
            members={
                **cooperation.members,
                staging: attrs.evolve(one, id=staging, status=MemberStatus.CANDIDATE),
            },
        ),
    )
    others = [member_id for member_id, _, _ in before.members if member_id not in members]
    # Every member of the spec with the merged one, not only those that pay in the year:
    # allocate prices the year's payers from the spec's members, as for any spec. Priced
    # for the payers alone, a member that had left was taken out twice, and a cost model's
    # fixed part came out short, or below zero.
    everyone = [m.id for m in cooperation.active_members if m.id not in members]
    staged, served = priced(with_one, [*everyone, staging])
    merged = {m_id: m for m_id, m in cooperation.members.items() if m_id not in members}
    merged[into] = one
    after_spec = attrs.evolve(
        cooperation, members=merged, keys=keys, investments=investments, systems=staged.systems
    )
    after = totals(after_spec, when)

    old = {member_id: total for member_id, _, total in before.members}
    new = {member_id: total for member_id, _, total in after.members}
    rows = [
        ContributionChange(
            id=m,
            name=cooperation.members[m].name,
            before=old[m],
            after=Money(0) if m != into else new[into],
            into=into,
        )
        for m in sorted(members)
    ]
    if into not in members:
        rows.append(ContributionChange(id=into, name=one.name, before=Money(0), after=new[into]))
    rows += _changes(before, after, sorted(others))
    return MergeEstimate(
        cooperation_id=cooperation.id,
        name=cooperation.name,
        into=into,
        into_name=one.name,
        merged=tuple(sorted(members)),
        year=when,
        currency=cooperation.currency,
        members=tuple(rows),
        held_flat=served.held_flat,
        total_before=before.total,
        total_after=after.total,
        scenario_before=cooperation,
        scenario_after=after_spec,
    )


@attrs.frozen(kw_only=True)
class StatedChange:
    """A leaving date or a merger the spec states, priced in its year (or why not)."""

    year: int
    what: str  #: "leave" or "merge"
    who: str  #: the leaving member, or the merged member's id
    estimate: LeaveEstimate | MergeEstimate | None  #: None when it cannot be priced
    problem: str | None = None  #: why not, in the words of the what-if


def stated_changes(cooperation: Cooperation, plan: Plan) -> tuple[StatedChange, ...]:
    """The membership changes the spec states for the years of ``plan``, each priced.

    A member's ``leaving`` date and each of ``[mergers]``, in the year they
    take effect (the start of the year of their date), as the what-if on the
    plan's cooperation of that year (candidates that have joined by then are
    members, prices grown as the plan grows them). One that cannot be priced
    (a fixed-share key without shares after it, a capacity step too small)
    says why instead of stopping the others, or the plan.
    """
    factors = {y.year: y.growth_factor for y in plan.years}
    wanted = set(factors)
    found: list[tuple[int, str, StatedChange]] = []
    for member in cooperation.members.values():
        if member.leaving is None or member.leaving.year not in wanted or not member.is_member:
            continue
        year = member.leaving.year
        try:
            scenario = year_scenario(joined_in(cooperation, year), year, factors[year])
            change = StatedChange(
                year=year, what="leave", who=member.id, estimate=leave(scenario, member.id, year)
            )
        except ComputeError as error:
            change = StatedChange(
                year=year, what="leave", who=member.id, estimate=None, problem=str(error)
            )
        found.append((year, member.id, change))
    for into, merger in cooperation.mergers.items():
        year = merger.date.year
        if year not in wanted:
            continue
        try:
            scenario = year_scenario(joined_in(cooperation, year), year, factors[year])
            estimate = merge(scenario, list(merger.members), into, year, merger.name)
            change = StatedChange(year=year, what="merge", who=into, estimate=estimate)
        except ComputeError as error:
            change = StatedChange(
                year=year, what="merge", who=into, estimate=None, problem=str(error)
            )
        found.append((year, into, change))
    return tuple(change for _, _, change in sorted(found, key=lambda f: (f[0], f[1])))

"""Owner contributions, exact to the øre: who pays what for a budget year.

The rules (docs/ and the spec format say the same):

- every catalogue system in operation in the year (see ``introduced`` and
  ``retired``) has its annual cost split among its participants (all
  members for a base package; the members using an application with
  ``users > 0``) by the system's key, or the default key of its package;
- an own (deviating) system is paid 100 % by its member;
- investments of the year: core among all members by ``core_investment_key``
  (or the investment's own key), application among the system's
  participants by the system's key, member 100 % by that member;
- a member that has left (``leaving``) keeps its part of the core and
  application investments of its leaving year and later: its key's share had
  it stayed, or as its file states it (``obligations``), which it pays
  itself (``obligation`` lines, in its leaving year or as each falls due,
  by ``[leaving] investments``); the members split the rest;
- a key splits ``equal_share`` of an amount equally and the rest in
  proportion to its metric, or by fixed shares;
- every split is exact: shares are floored to whole øre and the øre left over
  go one each to the largest remainders, ties to the smaller member id.

Everything is integer arithmetic on øre; a line keeps its integer weight and
the split's total weight, so its exact share is known without any rounding.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from dikt._deprecated import renamed_attribute
from dikt._fast import constructor
from dikt._repr import summary_repr
from dikt.errors import ArgumentError, ComputeError, NotFoundError
from dikt.i18n import message
from dikt.model import (
    Category,
    Cooperation,
    Investment,
    Key,
    Member,
    Metric,
    Obligations,
    Package,
    check_year,
)
from dikt.money import Money, integer_weights, money_of, split_ore
from dikt.rules import (
    derived,
    no_members,
    participants,
    pays_in,
    quantities as quantities_of,
    system_users,
    uncovered_shares,
)

if TYPE_CHECKING:
    from dikt.costs import Costing

__all__ = [
    "ALONE",
    "Allocation",
    "AllocationDiff",
    "Line",
    "LineChange",
    "LineKind",
    "MemberAllocation",
    "MemberChange",
    "Split",
    "Totals",
    "UnitPrice",
    "allocate",
    "as_of",
    "diff",
    "investments_of",
    "leaving_parts",
    "paying_in",
    "totals",
    "unit_prices",
]

#: The key name of a line paid 100 % by one member (own systems, member investments).
ALONE: Final = "alone"


class LineKind(enum.Enum):
    """What a line of a member's contribution pays for."""

    # Enum hashes a member by its name in Python code; lines are keyed by kind
    # a million times in a national what-if. Members are singletons compared
    # by identity, so the identity hash, in C, is as right and ten times faster.
    __hash__ = object.__hash__

    BASE = "base"
    APPLICATION = "application"
    OWN_SYSTEM = "own-system"
    CORE_INVESTMENT = "core-investment"
    APPLICATION_INVESTMENT = "application-investment"
    MEMBER_INVESTMENT = "member-investment"
    #: A member that has left pays its part of an investment still being paid.
    OBLIGATION = "obligation"


#: No money: the default of what is withheld from a split.
_NONE: Final = Money(0)

#: The order kinds are shown in.
KIND_ORDER: Final = tuple(LineKind)


@attrs.frozen(kw_only=True)
class Split:
    """One amount split among its participants: a system's cost or an investment."""

    item: str  #: catalogue system id, own system id or investment id
    kind: LineKind
    name: str  #: the system's name or the investment's description
    amount: Money  #: the amount split
    key: str  #: the key's name, or "alone"
    metric: Metric | None  #: the key's metric (None for fixed shares and "alone")
    equal_share: Fraction  #: the part split equally
    participants: tuple[str, ...]  #: member ids, sorted
    basis: int | Fraction  #: participants' total of the metric (1 for shares and "alone")
    system: str | None = None  #: the catalogue system, for systems and application investments
    #: Of an investment: the parts of members that have left, which they pay
    #: themselves (``obligation`` lines); ``amount`` is the rest, which the split shares.
    withheld: Money = Money(0)
    #: Of an ``obligation``: the line of the member that has left in the split of its
    #: investment had it stayed (key, quantity, basis, share, rounding), which explains it.
    origin: Line | None = None


@attrs.frozen(kw_only=True)
class Line:
    """One line of a member's contribution, with what explains it."""

    split: Split
    member: str
    quantity: int | Fraction  #: the member's amount of the metric (its share for fixed shares)
    amount: Money
    weight: int  #: this member's integer weight in the split
    total_weight: int  #: the sum of the participants' weights

    @property
    def item(self) -> str:
        """The id of what is paid for."""
        return self.split.item

    @property
    def kind(self) -> LineKind:
        """What kind of line this is."""
        return self.split.kind

    @property
    def share(self) -> Fraction:
        """The member's exact share of the split amount (0 to 1)."""
        return Fraction(self.weight, self.total_weight)

    @property
    def exact_ore(self) -> Fraction:
        """The exact amount before rounding, in øre."""
        return Fraction(self.split.amount.ore * self.weight, self.total_weight)

    @property
    def rounding_ore(self) -> int:
        """Øre added by the largest remainder (0 or 1) over the floored share."""
        exact = self.exact_ore
        return self.amount.ore - exact.numerator // exact.denominator


#: Builds a Line from its fields in order, at twice the speed of ``Line(...)``.
_line = constructor(Line)


@attrs.frozen(kw_only=True, repr=False)
class MemberAllocation:
    """A member's contribution for the year, line by line."""

    __repr__ = summary_repr

    id: str
    name: str
    total: Money
    lines: tuple[Line, ...]  #: sorted by item id, then kind

    def by_kind(self) -> Mapping[LineKind, Money]:
        """The member's total per kind of line (every kind, 0.00 if none)."""
        totals = dict.fromkeys(KIND_ORDER, 0)
        for line in self.lines:
            totals[line.split.kind] += line.amount.ore
        return MappingProxyType({kind: money_of(ore) for kind, ore in totals.items()})


@attrs.frozen(kw_only=True, repr=False)
class Allocation:
    """Every member's contribution for one budget year."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    cooperation = renamed_attribute("cooperation", "cooperation_id")
    name: str
    year: int
    currency: str
    #: The sum of the year's costs and investments, exactly; where members have left,
    #: less their parts of the year's investments, plus what they pay toward investments.
    total: Money
    members: tuple[MemberAllocation, ...]  #: sorted by id
    splits: tuple[Split, ...]  #: every amount split, in the order of the lines' kinds

    def member(self, member_id: str) -> MemberAllocation:
        """One member's contribution; :class:`NotFoundError` if it pays nothing."""
        for member in self.members:
            if member.id == member_id:
                return member
        raise NotFoundError(message("member"), member_id, [m.id for m in self.members])

    def by_kind(self) -> Mapping[LineKind, Money]:
        """The cooperation's total per kind of line."""
        totals = dict.fromkeys(KIND_ORDER, Money(0))
        for split in self.splits:
            totals[split.kind] += split.amount
        return MappingProxyType(totals)


class _Allocator:
    """Collects the lines of one allocation; used once by :func:`allocate`.

    With ``detail`` (a set of member ids), only those members' lines are
    built and every member's total is summed in øre as the splits go: a
    what-if that compares totals need not build a hundred thousand lines.
    """

    def __init__(
        self,
        cooperation: Cooperation,
        members: tuple[Member, ...],
        detail: frozenset[str] | None = None,
    ) -> None:
        self.cooperation = cooperation
        self.members = members
        self.detail = detail
        self.totals = dict.fromkeys((m.id for m in members), 0)
        # Each split with its lines; ordered into the result at the end.
        self.splits: list[tuple[Split, list[Line]]] = []

    def split(
        self,
        *,
        item: str,
        kind: LineKind,
        name: str,
        amount: Money,
        key_name: str,
        payers: Sequence[Member],
        system_id: str | None,
        where: str,
        users: Sequence[int] | None = None,
        withheld: Money = _NONE,
    ) -> None:
        """Split ``amount`` among ``payers`` by the key ``key_name``.

        ``users`` are the payers' users of ``system_id`` when the caller has
        them (an application's participants), so that they are not looked up
        again. ``withheld``: see :attr:`Split.withheld`.
        """
        if amount.ore < 0:
            # Only a model built in Python can hold one: the loader refuses them.
            raise ComputeError(f"{where}: a negative amount ({amount}) cannot be split")
        key = self.cooperation.key(key_name)
        if key is None:
            raise ComputeError(f'{where}: unknown key "{key_name}"')
        if not payers:
            if amount:
                raise ComputeError(f"{where}: {amount} to pay and nobody to pay it")
            return
        ids = tuple(m.id for m in payers)
        count = len(payers)
        metric = key.metric
        quantities: Sequence[int | Fraction]
        basis: int | Fraction
        if key.shares is not None:
            if any(uncovered_shares(key, ids)):
                raise ComputeError(
                    f'{where}: the shares of key "{key.id}" do not cover exactly the '
                    f"participants ({', '.join(ids)})"
                )
            quantities = [key.shares[i] for i in ids]
            weights = integer_weights(quantities)
            if not any(weights):
                raise ComputeError(
                    f'{where}: the shares of key "{key.id}" are all 0: nobody to pay'
                )
            basis = 1
            metric, equal = None, Fraction(0)
        else:
            equal = key.equal_share
            if metric is Metric.SYSTEM_USERS and users is not None:
                counts = list(users)
            elif metric is not None:
                counts = quantities_of(payers, metric, system_id)
            else:
                counts = [0] * count
            total = sum(counts)
            quantities = counts
            basis = total
            if equal == 1:
                weights = [1] * count
            elif total == 0:
                if not amount:
                    return  # nothing to split, and no basis to split it by
                raise ComputeError(
                    f'{where}: cannot split by key "{key.id}": the participants\' total of '
                    f'"{metric.value if metric else "?"}" is 0'
                )
            elif equal == 0:
                weights = counts
            else:
                # amount * (e/n + (1-e) q/B) with e = p/r, over the common
                # denominator r n B: integer weights p B + (r - p) n q.
                p, r = equal.numerator, equal.denominator
                weights = [p * total + (r - p) * count * c for c in counts]
        split = Split(
            item=item,
            kind=kind,
            name=name,
            amount=amount,
            key=key.id,
            metric=metric,
            equal_share=equal,
            participants=ids,
            basis=basis,
            system=system_id,
            withheld=withheld,
        )
        self._record(split, ids, quantities, weights, split_ore(amount.ore, weights))

    def _record(
        self,
        split: Split,
        ids: tuple[str, ...],
        quantities: Sequence[int | Fraction],
        weights: Sequence[int],
        parts: Sequence[int],
    ) -> None:
        """Keep a split's lines (only the detailed members' with ``detail``, and their totals)."""
        total_weight = sum(weights)
        rows: Iterator[tuple[str, int | Fraction, int, int]]
        rows = zip(ids, quantities, weights, parts, strict=True)
        detail = self.detail
        if detail is not None:
            totals = self.totals
            for member_id, part in zip(ids, parts, strict=True):
                totals[member_id] += part
            rows = iter([row for row in rows if row[0] in detail])
        self.splits.append(
            (split, [_line(split, i, q, money_of(p), w, total_weight) for i, q, w, p in rows])
        )

    def alone(
        self,
        *,
        item: str,
        kind: LineKind,
        name: str,
        amount: Money,
        member: str,
        origin: Line | None = None,
    ) -> None:
        split = Split(
            item=item,
            kind=kind,
            name=name,
            amount=amount,
            key=ALONE,
            metric=None,
            equal_share=Fraction(0),
            participants=(member,),
            basis=1,
            origin=origin,
        )
        if self.detail is not None:
            self.totals[member] += amount.ore
            if member not in self.detail:
                self.splits.append((split, []))
                return
        self.splits.append((split, [_line(split, member, 1, amount, 1, 1)]))


def allocate(cooperation: Cooperation, year: int | None = None) -> Allocation:
    """Each member's contribution for ``year`` (default: the spec's budget year).

    The members that pay are those in the cooperation that year
    (:func:`dikt.rules.pays_in`: from the year of ``joined``, until the year
    of ``leaving``), each system at its cost for them (:func:`as_of`).
    A member that has left pays its part of the investments still being
    paid (:func:`leaving_parts`): in its leaving year, or in the year of
    each, by ``[leaving] investments``; it is listed in the years it pays.
    A year before the first member joined, or after every member has left,
    is refused.

    Raises :class:`~dikt.errors.ComputeError` when an amount cannot be split
    (nobody to pay it, a basis of 0, shares that do not fit, an unknown key);
    :func:`dikt.check` reports the same problems with file and key path.

    >>> import dikt
    >>> allocation = dikt.allocate(dikt.load("specs/d-ikt"))
    >>> str(allocation.total)
    '63000000.00'
    """
    return _allocate(cooperation, year)


def investments_of(cooperation: Cooperation, year: int) -> Allocation:
    """The investments of ``year`` alone, split exactly as :func:`allocate` splits them.

    Each member's investment lines of ``allocate(cooperation, year)``, without
    its systems' lines: what a member's part of an investment is, at the cost
    of splitting the investments only.
    """
    return _allocate(cooperation, year, operating=False)


def _allocate(cooperation: Cooperation, year: int | None, *, operating: bool = True) -> Allocation:
    given = year is not None
    year = check_year(cooperation.budget_year if year is None else year)
    if not cooperation.active_members:
        raise ComputeError(f"{cooperation.id} has no members: nobody to pay")
    leaving = _leaving(cooperation, year)
    cooperation = as_of(cooperation, year, given=given)
    allocator = _run(cooperation, year, operating=operating, leaving=leaving)
    members = allocator.members
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    # Lines are listed by item id, then kind: ordering the few splits orders
    # every member's lines, with no sort per member.
    ordered = sorted(allocator.splits, key=lambda entry: (entry[0].item, rank[entry[0].kind]))
    by_member: dict[str, list[Line]] = {member.id: [] for member in members}
    for _, lines in ordered:
        for line in lines:
            by_member[line.member].append(line)
    results = []
    for member in members:
        member_lines = tuple(by_member[member.id])
        results.append(
            MemberAllocation(
                id=member.id,
                name=member.name,
                total=money_of(sum([line.amount.ore for line in member_lines])),
                lines=member_lines,
            )
        )
    splits = sorted((entry[0] for entry in allocator.splits), key=lambda s: (rank[s.kind], s.item))
    return Allocation(
        cooperation_id=cooperation.id,
        name=cooperation.name,
        year=year,
        currency=cooperation.currency,
        total=Money(sum(s.amount.ore for s in splits)),
        members=tuple(results),
        splits=tuple(splits),
    )


def _run(
    cooperation: Cooperation,
    year: int,
    detail: frozenset[str] | None = None,
    *,
    operating: bool = True,
    leaving: _Leaving | None = None,
) -> _Allocator:
    """Every split of ``year``, made by an allocator (``detail``: see :class:`_Allocator`).

    ``cooperation`` as it stands in the year (:func:`as_of`); without
    ``operating``, the investments only. ``leaving``: what members that have
    left pay toward the year's investments (:func:`_leaving`, of the
    cooperation before :func:`as_of`).
    """
    members = cooperation.active_members
    if not members:
        raise ComputeError(f"{cooperation.id} has no members: nobody to pay")
    leaving = leaving or _NOBODY_LEFT
    payers = members
    if leaving.obligations:
        # Members that have left are listed in the years they pay toward investments.
        gone = {member.id: member for member, _, _ in leaving.obligations}
        payers = tuple(sorted([*members, *gone.values()], key=lambda m: m.id))
    allocator = _Allocator(cooperation, payers, detail)
    by_id = {m.id: m for m in members}
    for system_id in sorted(cooperation.systems) if operating else ():
        system = cooperation.systems[system_id]
        if not system.active_in(year):
            continue  # not yet introduced, or retired: not charged this year
        allocator.split(
            item=system_id,
            kind=LineKind.BASE if system.package is Package.BASE else LineKind.APPLICATION,
            name=system.name,
            amount=system.annual_cost,
            key_name=cooperation.key_of(system),
            payers=participants(cooperation, system_id),
            system_id=system_id,
            where=f"system {system_id}",
            users=system_users(cooperation, system_id)
            if system.package is Package.APPLICATION
            else None,
        )
    for member in members if operating else ():
        for own_id in sorted(member.own_systems):
            own = member.own_systems[own_id]
            allocator.alone(
                item=own_id,
                kind=LineKind.OWN_SYSTEM,
                name=own.name,
                amount=own.annual_cost,
                member=member.id,
            )
    for investment in sorted(cooperation.investments, key=lambda i: i.id):
        if investment.year != year:
            continue
        where = f"investment {investment.id}"
        name = investment.description or investment.id
        withheld = leaving.withheld.get(investment.id, Money(0))
        if investment.category is Category.CORE:
            allocator.split(
                item=investment.id,
                kind=LineKind.CORE_INVESTMENT,
                name=name,
                amount=investment.amount - withheld,
                key_name=investment.key or cooperation.defaults.core_investment_key,
                payers=members,
                system_id=None,
                where=where,
                withheld=withheld,
            )
        elif investment.category is Category.APPLICATION:
            target = investment.system
            if target is None or target not in cooperation.systems:
                raise ComputeError(f'{where}: unknown system "{target}"')
            allocator.split(
                item=investment.id,
                kind=LineKind.APPLICATION_INVESTMENT,
                name=name,
                amount=investment.amount - withheld,
                key_name=cooperation.key_of(cooperation.systems[target]),
                payers=participants(cooperation, target),
                system_id=target,
                where=where,
                users=system_users(cooperation, target)
                if cooperation.systems[target].package is Package.APPLICATION
                else None,
                withheld=withheld,
            )
        else:
            if investment.member not in by_id:
                raise ComputeError(
                    f'{where}: "{investment.member}" is not a member; a member investment '
                    "is paid by a member"
                )
            allocator.alone(
                item=investment.id,
                kind=LineKind.MEMBER_INVESTMENT,
                name=name,
                amount=investment.amount,
                member=investment.member,
            )
    for member, investment, part in leaving.obligations:
        allocator.alone(
            item=investment.id,
            kind=LineKind.OBLIGATION,
            name=investment.description or investment.id,
            amount=part.amount,
            member=member.id,
            origin=part.origin,
        )
    return allocator


_SHARED: Final = frozenset({LineKind.CORE_INVESTMENT, LineKind.APPLICATION_INVESTMENT})


@attrs.frozen
class _Leaving:
    """What members that have left pay toward investments, as one year's allocation needs it."""

    #: The year's investments: the parts of the members that have left, together, by id.
    withheld: Mapping[str, Money]
    #: What they pay in the year, (member, investment, its part), by member, then investment.
    obligations: tuple[tuple[Member, Investment, _Part], ...]


_NOBODY_LEFT: Final = _Leaving({}, ())


def _gone(cooperation: Cooperation, year: int) -> list[Member]:
    """The members that have left by ``year`` (from the start of their leaving year), by id."""
    return [
        m for m in derived(cooperation).active if m.leaving is not None and m.leaving.year <= year
    ]


@attrs.frozen
class _Part:
    """A member's part of an investment, which it bears after leaving."""

    amount: Money
    #: Its line in the split of the investment had it stayed; None for a part the
    #: member's file states (``obligations``: as agreed when it gave notice).
    origin: Line | None


def _leaving_lines(cooperation: Cooperation, year: int) -> dict[str, dict[str, _Part]]:
    """:func:`leaving_parts` with what makes each (by investment, then member)."""
    gone = _gone(cooperation, year)
    of_year = {
        i.id
        for i in cooperation.investments
        if i.year == year and i.category is not Category.MEMBER
    }
    if not gone or not of_year:
        return {}
    parts: dict[str, dict[str, _Part]] = {}
    computed = frozenset(m.id for m in gone if not m.obligations)
    if computed:
        # The investments split as if every member that has left had stayed.
        everyone = frozenset(m.id for m in gone)
        standing = _as_of(cooperation, year, given=False, keep=everyone)[0]
        allocator = _run(standing, year, computed, operating=False)
        for split, lines in allocator.splits:
            if split.kind in _SHARED:
                for line in lines:
                    if line.amount:
                        parts.setdefault(split.item, {})[line.member] = _Part(line.amount, line)
    for member in gone:
        # The parts agreed when it gave notice, as its file states them: these
        # investments only, whatever the spec's figures have become since.
        for item, amount in sorted(member.obligations.items()):
            if item in of_year and amount:
                parts.setdefault(item, {})[member.id] = _Part(amount, None)
    return parts


def leaving_parts(cooperation: Cooperation, year: int) -> Mapping[str, Mapping[str, Money]]:
    """The parts of members that have left by ``year`` of the year's investments.

    A member that leaves bears its part of the core and application
    investments of its leaving year and later: what its key would give it
    had it stayed. The investment is split, exactly as :func:`allocate`
    splits it, among the members of the year and every member that has left
    by then; each one that has left bears its line. A member whose file
    states its parts (``obligations``, as agreed when it gave notice) bears
    those instead, and only for those investments. By investment id, then
    member id; parts of 0 are left out.
    """
    return MappingProxyType(
        {
            item: MappingProxyType({member: part.amount for member, part in by.items()})
            for item, by in _leaving_lines(cooperation, year).items()
        }
    )


def _leaving(cooperation: Cooperation, year: int) -> _Leaving:
    """What members that have left pay toward investments in ``year``, and what they keep.

    Each bears its part of every investment of its leaving year and later
    (:func:`leaving_parts`) and pays it by the agreement's rule:
    ``"settle"``, every part at once in its leaving year; ``"pay-to-end"``,
    each part in the investment's year.
    """
    gone = _gone(cooperation, year)
    if not gone:
        return _NOBODY_LEFT
    parts = {year: _leaving_lines(cooperation, year)}
    later = sorted(
        {i.year for i in cooperation.investments if i.year > year}
        if cooperation.leaving.investments is Obligations.SETTLE
        else ()
    )
    by_id = {i.id: i for i in cooperation.investments}
    due: list[tuple[Member, Investment, _Part]] = []
    for member in gone:
        if cooperation.leaving.investments is Obligations.PAY_TO_END:
            years = [year]
        elif member.leaving is not None and member.leaving.year == year:
            years = [year, *later]
        else:
            continue  # settled in its leaving year
        for when in years:
            if when not in parts:
                parts[when] = _leaving_lines(cooperation, when)
            of_year = parts[when]
            due.extend(
                (member, by_id[item], of_year[item][member.id])
                for item in sorted(of_year)
                if member.id in of_year[item]
            )
    withheld = {
        item: Money.sum(part.amount for part in by.values()) for item, by in parts[year].items()
    }
    return _Leaving(withheld, tuple(due))


@attrs.frozen(kw_only=True, repr=False)
class Totals:
    """Each member's total for a year, and the whole lines of a few (see :func:`totals`)."""

    __repr__ = summary_repr

    year: int
    total: Money  #: the year's costs and investments, as :attr:`Allocation.total`
    members: tuple[tuple[str, str, Money], ...]  #: (id, name, total) of every member, by id
    detailed: Mapping[str, MemberAllocation]  #: the members asked for, line by line

    def member(self, member_id: str) -> MemberAllocation:
        """A detailed member's contribution, as :meth:`Allocation.member` gives it."""
        found = self.detailed.get(member_id)
        if found is None:
            raise NotFoundError(message("member"), member_id, sorted(self.detailed))
        return found


def totals(cooperation: Cooperation, year: int, detail: Sequence[str] = ()) -> Totals:
    """What :func:`allocate` gives, without the lines of members not in ``detail``.

    Every total and each detailed member's contribution equal
    ``allocate(cooperation, year)``'s exactly; a what-if that compares the
    members' totals (:func:`dikt.join`) skips building every other line.
    """
    return _totals(cooperation, year, detail)[0]


def _totals(
    cooperation: Cooperation, year: int, detail: Sequence[str] = ()
) -> tuple[Totals, Costing | None]:
    """:func:`totals`, with the costing of the members that pay (None if every member pays)."""
    year = check_year(year)
    if not cooperation.active_members:
        raise ComputeError(f"{cooperation.id} has no members: nobody to pay")
    leaving = _leaving(cooperation, year)
    standing, costing = _as_of(cooperation, year)
    allocator = _run(standing, year, frozenset(detail), leaving=leaving)
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    ordered = sorted(allocator.splits, key=lambda entry: (entry[0].item, rank[entry[0].kind]))
    by_member: dict[str, list[Line]] = {member_id: [] for member_id in detail}
    for _, lines in ordered:
        for line in lines:
            by_member[line.member].append(line)
    names = {member.id: member.name for member in allocator.members}
    detailed = {
        member_id: MemberAllocation(
            id=member_id,
            name=names[member_id],
            total=money_of(allocator.totals[member_id]),
            lines=tuple(lines),
        )
        for member_id, lines in by_member.items()
        if member_id in names
    }
    totalled = Totals(
        year=year,
        total=Money(sum(entry[0].amount.ore for entry in allocator.splits)),
        members=tuple((m.id, m.name, money_of(allocator.totals[m.id])) for m in allocator.members),
        detailed=MappingProxyType(detailed),
    )
    return totalled, costing


def as_of(cooperation: Cooperation, year: int, *, given: bool = True) -> Cooperation:
    """The cooperation as it stands in ``year``: the members that pay in it.

    With every member paying (:func:`dikt.rules.pays_in`), the cooperation
    itself. Otherwise the others (not yet joined, or left) are not members
    that year, and each catalogue system costs what its cost model says for
    the members that pay (:func:`dikt.costs.priced`, the one cost function
    of every membership question; held flat without a model), as the plan
    and ``dikt leave`` price them. :class:`~dikt.errors.ArgumentError`
    (``given``: the caller's year; else a :class:`~dikt.errors.ComputeError`,
    the spec's) for a year in which no member pays.
    """
    return _as_of(cooperation, year, given=given)[0]


def _as_of(
    cooperation: Cooperation, year: int, *, given: bool = True, keep: frozenset[str] = frozenset()
) -> tuple[Cooperation, Costing | None]:
    """:func:`as_of`, with the costing that priced it (None if every member pays).

    ``keep``: members that have left but pay in the year as if they had stayed
    (the split of an investment that gives them their part).
    """
    members = derived(cooperation).active
    if all(pays_in(member, year) or member.id in keep for member in members):
        return cooperation, None
    paying = [member.id for member in paying_in(cooperation, year, given=given)]
    paying = sorted({*paying, *(m.id for m in members if m.id in keep)})
    from dikt.costs import priced  # noqa: PLC0415 - the cost function prices allocations' sets

    standing, costing = priced(cooperation, paying)
    gone = {
        m.id
        for m in members
        if m.leaving is not None and m.leaving.year <= year and m.id not in keep
    }
    keys = _keys_without(cooperation, gone, year)
    return (standing if keys is None else attrs.evolve(standing, keys=keys)), costing


def _keys_without(cooperation: Cooperation, gone: set[str], year: int) -> dict[str, Key] | None:
    """The keys once ``gone`` have left: fixed shares after it as the spec states them.

    None when no key has a share for them. A key with shares for a member
    that has left needs ``[keys.NAME.shares_without.MEMBER]``, as ``dikt leave`` does.
    """
    keys = dict(cooperation.keys)
    for key_id, key in cooperation.keys.items():
        left = sorted(gone & set(key.shares or ()))
        if not left:
            continue
        if len(left) > 1:
            raise ComputeError(
                message(
                    'the key "{key}" has fixed shares for {members}, who have all left by '
                    "{year}: give the key the shares of the members that remain",
                    key=key_id,
                    members=", ".join(left),
                    year=year,
                )
            )
        after = key.shares_without.get(left[0])
        if after is None:
            raise ComputeError(
                message(
                    'the key "{key}" has a fixed share for {member}, which has left by {year}: '
                    "state the shares after in [keys.{key}.shares_without.{member}]",
                    key=key_id,
                    member=left[0],
                    year=year,
                )
            )
        keys[key_id] = attrs.evolve(key, shares=after)
    return None if keys == dict(cooperation.keys) else keys


def paying_in(cooperation: Cooperation, year: int, *, given: bool = True) -> tuple[Member, ...]:
    """The members that pay in ``year`` (:func:`dikt.rules.pays_in`), by id.

    :class:`~dikt.errors.ArgumentError` (``given``: the caller's year; else
    a :class:`~dikt.errors.ComputeError`, the spec's) when there are none:
    a year before the first member joined names that date.
    """
    paying = tuple(member for member in derived(cooperation).active if pays_in(member, year))
    if not paying:
        raise (ArgumentError if given else ComputeError)(no_members(cooperation, year))
    return paying


# -- unit prices ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UnitPrice:
    """What one unit of a system's key costs per year."""

    system: str
    name: str
    package: Package
    key: str
    metric: Metric | None
    annual_cost: Money
    participants: tuple[str, ...]
    basis: int | Fraction  #: participants' total of the metric
    per_unit: Fraction | None  #: øre per unit of the metric (proportional part); None if none
    per_participant: Fraction  #: øre each participant pays for the equal part


def unit_prices(allocation: Allocation) -> tuple[UnitPrice, ...]:
    """The unit price of every catalogue system with participants, by system id.

    The proportional part's price per unit (per user, per inhabitant...) is
    ``(1 - equal_share) * annual_cost / basis``; the equal part costs each
    participant ``equal_share * annual_cost / participants``. Exact fractions
    of øre: renderers round them for people.
    """
    prices = []
    for split in allocation.splits:
        if split.kind not in (LineKind.BASE, LineKind.APPLICATION):
            continue
        proportional = 1 - split.equal_share
        per_unit = None
        if split.metric is not None and split.basis and proportional:
            per_unit = split.amount.ore * proportional / split.basis
        prices.append(
            UnitPrice(
                system=split.item,
                name=split.name,
                package=Package.BASE if split.kind is LineKind.BASE else Package.APPLICATION,
                key=split.key,
                metric=split.metric,
                annual_cost=split.amount,
                participants=split.participants,
                basis=split.basis,
                per_unit=per_unit,
                per_participant=split.amount.ore * split.equal_share / len(split.participants),
            )
        )
    return tuple(sorted(prices, key=lambda p: p.system))


# -- diff ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LineChange:
    """A line that differs between two allocations."""

    item: str
    kind: LineKind
    name: str
    before: Money
    after: Money

    @property
    def change(self) -> Money:
        """After minus before."""
        return self.after - self.before


@attrs.frozen(kw_only=True)
class MemberChange:
    """How a member's contribution changes between two allocations."""

    id: str
    name: str
    before: Money  #: 0.00 if it was not a paying member before
    after: Money  #: 0.00 if it is not a paying member after
    #: Only the lines that change, by item then kind (empty in
    #: :attr:`dikt.JoinEstimate.members`, which compares totals alone).
    lines: tuple[LineChange, ...]

    @property
    def change(self) -> Money:
        """After minus before."""
        return self.after - self.before

    @property
    def percent(self) -> Fraction | None:
        """The change in percent of before; None when before is 0 (and after is not)."""
        if not self.before:
            return Fraction(0) if not self.after else None
        return Fraction(self.change.ore * 100, self.before.ore)


@attrs.frozen(kw_only=True, repr=False)
class AllocationDiff:
    """Per member and per line, what changes from one allocation to another."""

    __repr__ = summary_repr

    before: Allocation
    after: Allocation
    members: tuple[MemberChange, ...]  #: every member of either, by id

    @property
    def change(self) -> Money:
        """The change of the cooperation's total."""
        return self.after.total - self.before.total

    def above(self, percent: Fraction) -> tuple[MemberChange, ...]:
        """Members whose total moves more than ``percent`` (new or gone ones too)."""
        return tuple(
            m for m in self.members if m.change and (m.percent is None or abs(m.percent) > percent)
        )


def diff(before: Allocation, after: Allocation) -> AllocationDiff:
    """What changes between two allocations (say budget 2012 and 2013).

    Raises :class:`~dikt.errors.ComputeError` for allocations in different
    currencies: their amounts cannot be compared.
    """
    if before.currency != after.currency:
        raise ComputeError(
            message(
                "cannot compare amounts in {before} with amounts in {after}",
                before=before.currency,
                after=after.currency,
            )
        )
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    old = {m.id: m for m in before.members}
    new = {m.id: m for m in after.members}
    changes = []
    for member_id in sorted(old.keys() | new.keys()):
        a, b = old.get(member_id), new.get(member_id)
        lines_a = {(line.item, line.kind): line for line in (a.lines if a else ())}
        lines_b = {(line.item, line.kind): line for line in (b.lines if b else ())}
        line_changes = []
        for item, kind in sorted(lines_a.keys() | lines_b.keys(), key=lambda k: (k[0], rank[k[1]])):
            la, lb = lines_a.get((item, kind)), lines_b.get((item, kind))
            amount_a = la.amount if la else Money(0)
            amount_b = lb.amount if lb else Money(0)
            if amount_a != amount_b or (la is None) != (lb is None):
                line_changes.append(
                    LineChange(
                        item=item,
                        kind=kind,
                        name=(lb or la).split.name,  # type: ignore[union-attr]
                        before=amount_a,
                        after=amount_b,
                    )
                )
        changes.append(
            MemberChange(
                id=member_id,
                name=(b or a).name,  # type: ignore[union-attr]
                before=a.total if a else Money(0),
                after=b.total if b else Money(0),
                lines=tuple(line_changes),
            )
        )
    return AllocationDiff(before=before, after=after, members=tuple(changes))

"""Settlement by actual costs (avregning): what each member owes or gets back.

Each member was invoiced its contribution on account (the budget's
allocation, :func:`dikt.invoices`). At year end the actual costs of every
project are shared by the same keys, quantities and rules as the budget: an
actual cost is split with the budget line's exact weights, so that a member's
actual share of a system is its budget share of that system's actual cost,
to the øre (largest remainder); an actual cost of a deviating (own) system
stays with its member, an actual investment is shared by its category's key.
Costs booked to no project are shared among the members that pay in the year
(not one that has left) by ``[settlement] unassigned_key``. A member's
settlement is its actual share minus what it was invoiced; the settlements add
up exactly to actual minus budget.

What happens to the difference is the cooperation's agreement (KRS 12):
``[settlement] outcome = "settle"`` settles it with the members in the year
(``due``), ``"carry-forward"`` carries it into next year's budget
(``carried``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import attrs

from dikt._fast import constructor
from dikt._repr import summary_repr
from dikt.actuals import Actuals
from dikt.allocation import (
    Allocation,
    Line,
    LineKind,
    MemberAllocation,
    Split,
    _Allocator,
    _line,
    allocate,
    as_of,
)
from dikt.errors import ComputeError, NotFoundError
from dikt.i18n import message
from dikt.model import Cooperation, Outcome
from dikt.money import Money, money_of, split_ore

__all__ = [
    "UNASSIGNED",
    "ItemVariance",
    "MemberSettlement",
    "Settlement",
    "SettlementLine",
    "settle",
]

#: The item id of costs booked to no project.
UNASSIGNED = "(no project)"


@attrs.frozen(kw_only=True)
class SettlementLine:
    """One line of a member's settlement: its budget share and its actual share of an item."""

    item: str
    kind: LineKind
    name: str
    budget: Money  #: what the member was invoiced for it
    actual: Money  #: its share of the actual cost
    line: Line  #: the actual share, with what explains it (key, quantity, share, rounding)

    @property
    def difference(self) -> Money:
        """Actual minus budget: positive, the member owes; negative, it gets back."""
        return self.actual - self.budget


#: Builds a SettlementLine from its fields in order, faster than ``SettlementLine(...)``.
_settlement_line = constructor(SettlementLine)


@attrs.frozen(kw_only=True, repr=False)
class MemberSettlement:
    """A member's settlement for the year.

    Its lines are built when asked for (:attr:`lines`) from its budget lines
    and its actual shares: a national settlement has a hundred thousand.
    """

    __repr__ = summary_repr

    id: str
    name: str
    invoiced: Money  #: its contribution, invoiced on account
    actual: Money  #: its share of the actual costs
    outcome: Outcome
    budget_lines: tuple[Line, ...] = attrs.field(repr=False)  #: its lines of the budget
    actual_ore: tuple[int, ...] = attrs.field(repr=False)  #: its actual share of each, in øre
    #: The actual split of each budget split, by the budget split's id (shared by all members).
    actual_splits: Mapping[int, Split] = attrs.field(repr=False, eq=False)
    unbudgeted: tuple[Line, ...] = attrs.field(default=(), repr=False)  #: actual lines only

    @property
    def lines(self) -> tuple[SettlementLine, ...]:
        """Budget against actual, line by line: the budget's lines, then any without budget."""
        splits = self.actual_splits
        settled = [
            _settlement_line(
                line.split.item,
                line.split.kind,
                line.split.name,
                line.amount,
                money_of(ore),
                _line(
                    splits[id(line.split)],
                    line.member,
                    line.quantity,
                    money_of(ore),
                    line.weight,
                    line.total_weight,
                ),
            )
            for line, ore in zip(self.budget_lines, self.actual_ore, strict=True)
        ]
        settled += [
            _settlement_line(
                line.split.item, line.split.kind, line.split.name, Money(0), line.amount, line
            )
            for line in self.unbudgeted
        ]
        return tuple(settled)

    @property
    def difference(self) -> Money:
        """Actual share minus invoiced: positive, it owes; negative, it gets back."""
        return self.actual - self.invoiced

    @property
    def due(self) -> Money:
        """What is settled with it in the year (0.00 when the difference is carried forward)."""
        return self.difference if self.outcome is Outcome.SETTLE else Money(0)

    @property
    def carried(self) -> Money:
        """What is carried into next year's budget (0.00 when settled in the year)."""
        return self.difference if self.outcome is Outcome.CARRY_FORWARD else Money(0)


@attrs.frozen(kw_only=True)
class ItemVariance:
    """A project's budget against its actual cost for the cooperation."""

    item: str
    kind: LineKind
    name: str
    budget: Money  #: the whole project's
    actual: Money  #: the whole project's, as booked
    #: Of an investment: the parts of members that have left, as budgeted (their
    #: obligations, not settled again); the members share the rest.
    withheld: Money = Money(0)

    @property
    def difference(self) -> Money:
        """Actual minus budget: positive, an overspend (the members', all of it)."""
        return self.actual - self.budget


@attrs.frozen(kw_only=True, repr=False)
class Settlement:
    """The year's settlement: budget against actual, per project and per member."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    name: str
    year: int
    currency: str
    outcome: Outcome
    source: str  #: where the actual costs were read
    budget: Money  #: the year's contributions, invoiced on account
    #: The year's actual costs as the payers bear them: the ledger's total, but
    #: for members that have left, what they pay toward investments this year
    #: (fixed when they left) instead of their parts of this year's investments.
    actual: Money
    items: tuple[ItemVariance, ...]  #: in the order of the allocation's splits
    members: tuple[MemberSettlement, ...]  #: sorted by id
    credit_notes: int  #: rows of the actuals with a negative amount
    credited: Money  #: their sum
    #: What members that have left pay this year toward investments, as budgeted,
    #: less their parts of this year's investments: what :attr:`actual` adds to the ledger.
    leaving: Money = Money(0)

    @property
    def ledger(self) -> Money:
        """The actual costs as booked: the ledger's total."""
        return self.actual - self.leaving

    @property
    def difference(self) -> Money:
        """Actual minus budget for the cooperation: the sum of the members' settlements."""
        return self.actual - self.budget

    def member(self, member_id: str) -> MemberSettlement:
        """One member's settlement; :class:`~dikt.errors.NotFoundError` if it pays nothing."""
        for member in self.members:
            if member.id == member_id:
                return member
        raise NotFoundError(message("member"), member_id, [m.id for m in self.members])

    def actual_allocation(self) -> Allocation:
        """The year's actual costs as an allocation: each member's actual share, line by line.

        What the budget's exports take (``dikt.focus_csv``), so that a FinOps
        tool reads budget and actual side by side.
        """
        splits: dict[int, Split] = {}
        members = []
        for member in self.members:
            lines = tuple(line.line for line in member.lines)
            for line in lines:
                splits.setdefault(id(line.split), line.split)
            members.append(
                MemberAllocation(id=member.id, name=member.name, total=member.actual, lines=lines)
            )
        return Allocation(
            cooperation_id=self.cooperation_id,
            name=self.name,
            year=self.year,
            currency=self.currency,
            total=self.actual,
            members=tuple(members),
            splits=tuple(splits.values()),
        )


def _actual_key(split: Split, member: str) -> str:
    return f"{member}/{split.item}" if split.kind is LineKind.OWN_SYSTEM else split.item


def _cost_ore(actuals: Actuals, split: Split, member: str, used: set[str]) -> int:
    key = _actual_key(split, member)
    used.add(key)
    amount = actuals.projects.get(key)
    return 0 if amount is None else amount.ore


def settle(
    cooperation: Cooperation,
    actuals: Actuals,
    *,
    budget: Allocation | None = None,
) -> Settlement:
    """Each member's share of ``actuals`` minus what it was invoiced on account.

    ``budget`` is the allocation of the actuals' year where the caller has it.
    Raises :class:`~dikt.errors.ComputeError` when the year has no budget
    (nothing to settle against), when an actual cost has nobody to pay it
    (a project with no budget whose key has no basis), or for an
    ``unassigned_key`` the spec does not have.

    >>> import dikt
    >>> spec = dikt.load("specs/d-ikt")
    >>> result = dikt.settle(spec, dikt.read_accounts(spec, "specs/d-ikt", 2012))
    >>> str(result.budget), str(result.actual), str(result.difference)
    ('63000000.00', '63082500.00', '82500.00')
    """
    year = actuals.year
    if budget is None:
        budget = allocate(cooperation, year)
    elif budget.year != year:
        raise ComputeError(
            message(
                "the budget is of {budget}, the actual costs of {year}",
                budget=budget.year,
                year=year,
            )
        )
    if not budget.total and not budget.splits:
        raise ComputeError(message("{year} has no budget: nothing to settle against", year=year))
    used: set[str] = set()
    items: list[ItemVariance] = []
    # The weights of each split's lines, in the order of the members and their lines.
    weights: dict[int, list[int]] = {id(split): [] for split in budget.splits}
    for member in budget.members:
        for line in member.lines:
            weights[id(line.split)].append(line.weight)
    actual_splits: dict[int, Split] = {}
    parts_of: dict[int, Callable[[], int]] = {}
    # What the members' actual shares add up to beyond the ledger: obligations
    # paid this year, less the parts kept of this year's investments.
    kept = 0
    for split in budget.splits:
        split_weights = weights[id(split)]
        if not split_weights:
            continue
        if split.kind is LineKind.OBLIGATION:
            # A part a member that has left keeps of an investment: fixed when
            # it left, paid as budgeted. No project of the ledger is its own.
            actual_splits[id(split)] = split
            parts_of[id(split)] = iter([split.amount.ore]).__next__
            kept += split.amount.ore
            continue
        # The members that have left keep their parts of an investment (its
        # obligations, fixed): the members share the rest of its actual cost,
        # an overspend or an underspend all theirs.
        cost = _cost_ore(actuals, split, split.participants[0], used) - split.withheld.ore
        kept -= split.withheld.ore
        actual_splits[id(split)] = attrs.evolve(split, amount=money_of(cost))
        if cost >= 0:
            parts = split_ore(cost, split_weights) if cost else [0] * len(split_weights)
        else:  # the rest is negative: less was spent than the parts already kept
            parts = [-part for part in split_ore(-cost, split_weights)]
        parts_of[id(split)] = iter(parts).__next__
        items.append(
            ItemVariance(
                item=split.item,
                kind=split.kind,
                name=split.name,
                budget=split.amount + split.withheld,
                actual=money_of(cost) + split.withheld,
                withheld=split.withheld,
            )
        )
    extra: dict[str, list[Line]] = {m.id: [] for m in budget.members}
    _unbudgeted(cooperation, actuals, used, extra, items)
    outcome = cooperation.settlement.outcome
    members = []
    for member in budget.members:
        ore = tuple([parts_of[id(line.split)]() for line in member.lines])
        unbudgeted = tuple(extra[member.id])
        members.append(
            MemberSettlement(
                id=member.id,
                name=member.name,
                invoiced=member.total,
                actual=money_of(sum(ore) + sum(line.amount.ore for line in unbudgeted)),
                outcome=outcome,
                budget_lines=member.lines,
                actual_ore=ore,
                actual_splits=actual_splits,
                unbudgeted=unbudgeted,
            )
        )
    return Settlement(
        cooperation_id=budget.cooperation_id,
        name=budget.name,
        year=year,
        currency=budget.currency,
        outcome=cooperation.settlement.outcome,
        source=actuals.source,
        budget=budget.total,
        actual=actuals.total + money_of(kept),
        leaving=money_of(kept),
        items=tuple(items),
        members=tuple(members),
        credit_notes=actuals.credit_notes,
        credited=actuals.credited,
    )


def _unbudgeted(
    cooperation: Cooperation,
    actuals: Actuals,
    used: set[str],
    actual_lines: dict[str, list[Line]],
    items: list[ItemVariance],
) -> None:
    """Share what has no budget line: costs booked to no project, and projects not split."""
    unbudgeted = sorted(set(actuals.projects) - used)
    nobody = [item for item in unbudgeted if actuals.projects[item]]
    if nobody:
        raise ComputeError(
            message(
                "actual costs with nobody to pay them (no budget line shares them): {items}",
                items=", ".join(nobody),
            )
        )
    if not actuals.unassigned:
        return
    key = cooperation.settlement.unassigned_key
    if key is None or cooperation.key(key) is None:
        raise ComputeError(
            message(
                "[settlement] unassigned_key: {key} is not a key of the spec",
                key=json.dumps(key),
            )
        )
    # The members that pay in the year, as the budget has them: not one that has
    # left (its obligations are settled as invoiced, nothing more) nor one that
    # has not yet joined; keys of fixed shares as they stand after a leaving.
    standing = as_of(cooperation, actuals.year, given=False)
    members = standing.active_members
    allocator = _Allocator(standing, members)
    allocator.split(
        item=UNASSIGNED,
        kind=LineKind.CORE_INVESTMENT,
        name=message("costs booked to no project"),
        amount=actuals.unassigned,
        key_name=key,
        payers=members,
        system_id=None,
        where="[settlement] unassigned_key",
    )
    for _split, lines in allocator.splits:
        for line in lines:
            actual_lines[line.member].append(line)
    items.append(
        ItemVariance(
            item=UNASSIGNED,
            kind=LineKind.CORE_INVESTMENT,
            name=message("costs booked to no project"),
            budget=Money(0),
            actual=actuals.unassigned,
        )
    )

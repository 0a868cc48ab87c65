"""What serving a set of members costs: one cost function for every membership question.

A catalogue system's annual cost is written for today's members. When the
set of members changes (a candidate joins, a year of the plan has a new
member, fair shares ask what any coalition would cost) the cost changes as
the system's cost model says:

- the fixed part is paid once if any member of the set needs the system;
- ``per_user`` is paid for each of their users of it (a base package: the
  members' users; an application: their users of it);
- the smallest capacity step that serves them is paid (sized by the largest
  member's users, or by the total).

The fixed part is what the per-user and capacity parts leave of the annual
cost for today's members, so today's members cost exactly the annual cost.

A system without a ``cost_model`` takes the cooperation's default model when
``defaults.per_user_share`` is written (that share of its annual cost is per
user, the rest fixed); without either its cost is held flat, and
:class:`Costing` says how much of the cost the new set shares was held flat
by that assumption.

:class:`CostItem` is the one formula: :func:`dikt.cost_game` builds the
cooperation's game from it, and :func:`costing` and :func:`priced` price a
what-if by it, so fair shares and every what-if agree.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Sequence

import attrs

from dikt.allocation import LineKind
from dikt.errors import ComputeError
from dikt.i18n import message
from dikt.model import Cooperation, CostModel, MemberStatus, Package, StepBasis
from dikt.money import Money
from dikt.rules import fixed_part, needs as _today

__all__ = [
    "CostItem",
    "Costing",
    "SystemCost",
    "costing",
    "effective_model",
    "priced",
    "system_item",
]


@attrs.frozen(kw_only=True)
class CostItem:
    """One cost: who needs it and how its cost grows with them (øre).

    ``kind`` is the :class:`dikt.LineKind` of the allocation line it prices
    (None for a system priced outside an allocation).
    """

    item: str  #: the system, investment or own system it is
    kind: LineKind | None
    players: tuple[int, ...]  #: indices of the members who need it (in the caller's list)
    needs: tuple[int, ...]  #: each one's users of it (its quantity), in the same order
    fixed: int  #: paid once if any of them is served
    per_user: int = 0  #: per user served
    steps: tuple[tuple[int, int], ...] = ()  #: (up to users, cost), rising
    basis: StepBasis = StepBasis.LARGEST

    def capacity(self, need: int) -> int:
        """The cost of the smallest step serving ``need`` users (0 for none)."""
        if need <= 0 or not self.steps:
            return 0
        # The steps rise (E118 otherwise): a binary search, however many there are.
        index = bisect.bisect_left(self.steps, need, key=operator.itemgetter(0))
        if index == len(self.steps):
            raise ComputeError(
                message("{item}: no capacity step serves {need} users", item=self.item, need=need)
            )
        return self.steps[index][1]

    def cost_alone(self, need: int) -> int:
        """What serving one player of this item alone costs, in øre (``need``: its users)."""
        return self.fixed + self.per_user * need + self.capacity(need)

    def cost(self, served: Iterable[int]) -> int:
        """What serving these players costs, in øre."""
        chosen = set(served)
        quantities = [q for p, q in zip(self.players, self.needs, strict=True) if p in chosen]
        if not quantities:
            return 0
        need = sum(quantities) if self.basis is StepBasis.TOTAL else max(quantities)
        return self.fixed + self.per_user * sum(quantities) + self.capacity(need)


def effective_model(cooperation: Cooperation, system_id: str) -> CostModel | None:
    """The system's cost model: its own, else the default one, else None (its cost is fixed).

    The default model (``defaults.per_user_share``) makes that share of the
    annual cost a cost per user of today's members, rounded down to the øre;
    the fixed part is the rest. A system nobody uses today has no default model.
    """
    return _model(cooperation, system_id, None)


def _model(cooperation: Cooperation, system_id: str, users: int | None) -> CostModel | None:
    """:func:`effective_model`, given today's users of the system when the caller has them."""
    system = cooperation.systems[system_id]
    if system.cost_model is not None:
        return system.cost_model
    share = cooperation.defaults.per_user_share
    if share is None or share == 0:
        return None
    if users is None:
        users = sum(_today(cooperation, system_id).values())
    if users == 0:
        return None
    per_user = system.annual_cost.ore * share.numerator // (share.denominator * users)
    return CostModel(per_user=Money(per_user))


def system_item(
    cooperation: Cooperation,
    system_id: str,
    model: CostModel | None,
    players: Sequence[int],
    needs: Sequence[int],
    *,
    kind: LineKind | None = None,
) -> CostItem:
    """A catalogue system as a :class:`CostItem` for these players and their needs.

    The fixed part is what ``model`` leaves of the annual cost for today's
    members (the whole annual cost without a model).
    """
    system = cooperation.systems[system_id]
    if model is None:
        return CostItem(
            item=system_id,
            kind=kind,
            players=tuple(players),
            needs=(0,) * len(players),
            fixed=system.annual_cost.ore,
        )
    rest = fixed_part(cooperation, system_id, model)
    if rest is None or rest < 0:
        raise ComputeError(
            message(
                "{system}: its cost model does not add up (`dikt check` says why)",
                system=system_id,
            )
        )
    return CostItem(
        item=system_id,
        kind=kind,
        players=tuple(players),
        needs=tuple(needs),
        fixed=rest,
        per_user=model.per_user.ore,
        steps=tuple((s.up_to, s.cost.ore) for s in model.steps),
        basis=model.step_basis,
    )


@attrs.frozen(kw_only=True)
class SystemCost:
    """A catalogue system's annual cost for today's members and for a new set."""

    system: str
    today: Money  #: its annual cost as written, for today's members
    cost: Money  #: for the new set, by its cost model (``today`` when held flat)
    modelled: bool  #: False: no cost model, its cost held flat
    changed: bool  #: the new set's use of it differs from today's members'
    users_today: int  #: today's members' users of it
    users: int  #: the new set's users of it

    @property
    def change(self) -> Money:
        """What the new set adds to its cost (negative: saves)."""
        return self.cost - self.today


@attrs.frozen(kw_only=True)
class Costing:
    """Every catalogue system's annual cost for a set of members, and what was held flat."""

    members: tuple[str, ...]  #: the set, sorted
    systems: tuple[SystemCost, ...]  #: by id
    #: Today's cost of the systems without a cost model whose use changes
    #: with the new set: the cost assumed not to grow (or shrink) with it.
    held_flat: Money

    @property
    def today(self) -> Money:
        """The systems' annual cost for today's members."""
        return Money.sum(s.today for s in self.systems)

    @property
    def total(self) -> Money:
        """The systems' annual cost for the new set."""
        return Money.sum(s.cost for s in self.systems)

    @property
    def change(self) -> Money:
        """What the new set adds to the systems' annual cost."""
        return self.total - self.today


def costing(cooperation: Cooperation, members: Iterable[str]) -> Costing:
    """Each catalogue system's annual cost when exactly ``members`` are the members.

    ``members`` are ids of members and candidates. With today's members every
    cost is the annual cost as written; a system without a cost model (its
    own or the default) keeps its annual cost whoever uses it, and nobody
    using it costs nothing.
    """
    chosen = sorted(set(members))
    unknown = [m for m in chosen if m not in cooperation.members]
    if unknown:
        raise ComputeError(message("not a member or candidate: {ids}", ids=", ".join(unknown)))
    served = [cooperation.members[m] for m in chosen]
    # Each member's users of each application, in one pass over the set's
    # usage (a national set has a hundred thousand entries), in id order.
    base_needs = {member.id: member.users for member in served}
    application_needs: dict[str, dict[str, int]] = {}
    for member in served:
        for system_id, usage in member.systems.items():
            if usage.users > 0:
                found = application_needs.get(system_id)
                if found is None:
                    found = application_needs[system_id] = {}
                found[member.id] = usage.users
    results = []
    held = 0
    for system_id, system in sorted(cooperation.systems.items()):
        today = _today(cooperation, system_id)
        base = system.package is Package.BASE
        new = base_needs if base else application_needs.get(system_id, {})
        changed = new != today
        users_today = sum(today.values())
        modelled = _model(cooperation, system_id, users_today)
        model = modelled if changed else None
        if not new:
            cost = 0
        elif model is None:
            cost = system.annual_cost.ore
            if changed:
                held += cost
        else:
            item = system_item(cooperation, system_id, model, range(len(new)), list(new.values()))
            cost = item.cost(range(len(new)))
        results.append(
            SystemCost(
                system=system_id,
                today=system.annual_cost,
                cost=Money(cost),
                modelled=modelled is not None,
                changed=changed,
                users_today=users_today,
                users=sum(new.values()),
            )
        )
    return Costing(members=tuple(chosen), systems=tuple(results), held_flat=Money(held))


def priced(cooperation: Cooperation, members: Iterable[str]) -> tuple[Cooperation, Costing]:
    """The cooperation with exactly ``members`` as members, each system at its cost for them.

    Candidates in ``members`` become members; members not in it become
    candidates. Each catalogue system whose use changes gets its
    :func:`costing` for the set as its annual cost, and its cost model is
    written out (the default one included), so that the new cooperation's
    fixed parts are today's: its cost game is the same game. With today's
    members the cooperation itself is returned.
    """
    result = costing(cooperation, members)
    chosen = set(result.members)
    new_members = {}
    for member_id, member in cooperation.members.items():
        status = MemberStatus.MEMBER if member_id in chosen else MemberStatus.CANDIDATE
        new_members[member_id] = (
            member if member.status is status else attrs.evolve(member, status=status)
        )
    systems = dict(cooperation.systems)
    for line in result.systems:
        if not line.changed or not line.modelled:
            continue
        model = effective_model(cooperation, line.system)
        systems[line.system] = attrs.evolve(
            systems[line.system], annual_cost=line.cost, cost_model=model
        )
    if all(new_members[k] is m for k, m in cooperation.members.items()) and all(
        systems[k] is s for k, s in cooperation.systems.items()
    ):
        return cooperation, result
    return attrs.evolve(cooperation, members=new_members, systems=systems), result

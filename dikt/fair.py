"""Fair shares: the cooperation's cost game, its Shapley value and core, and a study of keys.

The board chooses how shared costs are split. This module gives it the
references cooperative game theory offers, exactly:

- :func:`cost_game`: c(S), the yearly cost of serving any set S of members,
  item by item (a catalogue system, an investment, an own system). Each item
  costs its fixed part once if any member of S needs it, its ``per_user``
  cost for each of their users, and the smallest capacity step that serves
  them (sized by the largest member's users, or by their total). Without a
  cost model an item's whole cost is fixed. Serving every member costs the
  year's whole allocation: c(N) is :func:`dikt.allocate`'s total.
- :func:`shapley`: the Shapley value, exactly (fractions of an øre), from the
  game's structure: it is additive over items; a fixed cost is split equally
  among those who need it, a per-user cost by users, and capacity steps by
  the largest member's users are an airport game (each step's increment
  split equally among the members that need it). Steps sized by total users
  have no closed form; they are counted exactly over subsets for items of
  at most :data:`MAX_SUBSET_PLAYERS` members.
- :func:`core`: whether some set of members would pay more under a split
  than it would cost them alone (for at most :data:`MAX_CORE_PLAYERS`).
- :func:`key_study`: every member's contribution under today's keys and
  under alternative keys for the shared costs, with the Shapley value as the
  fair reference, the core checked for each, and each member's stand-alone
  cost against its contribution.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Final

import attrs

from dikt._deprecated import renamed_attribute, renamed_keywords
from dikt._repr import summary_repr
from dikt.allocation import ALONE, Allocation, LineKind, allocate
from dikt.costs import CostItem, effective_model, priced, system_item
from dikt.errors import ComputeError
from dikt.i18n import message
from dikt.model import Cooperation, Member, Metric, StepBasis
from dikt.money import Money, round_ore, split_ore
from dikt.rules import needs, quantity

__all__ = [
    "MAX_CORE_PLAYERS",
    "MAX_SUBSET_PLAYERS",
    "CoreCheck",
    "CostItem",
    "Gain",
    "Game",
    "KeyResult",
    "KeyShare",
    "KeyStudy",
    "StandAlone",
    "Violation",
    "airport_shapley",
    "core",
    "cost_game",
    "joining_gains",
    "key_study",
    "shapley",
    "shapley_amounts",
    "to_ore",
]

#: The most members whose every coalition :func:`core` checks (2^16 sets).
MAX_CORE_PLAYERS: Final = 16
#: The most members of one item whose capacity steps by total users are
#: counted exactly over their subsets.
MAX_SUBSET_PLAYERS: Final = 16
#: The violations of the core listed for one split (the smallest sets first).
MAX_VIOLATIONS_SHOWN: Final = 20


@attrs.frozen(kw_only=True, repr=False)
class Game:
    """A cost game: its players (member ids, sorted) and its items."""

    __repr__ = summary_repr

    players: tuple[str, ...]
    items: tuple[CostItem, ...]

    def cost(self, coalition: Iterable[str]) -> Money:
        """c(S): the yearly cost of serving these members alone."""
        index = {player: i for i, player in enumerate(self.players)}
        chosen = {index[player] for player in coalition}
        return Money(sum(item.cost(chosen) for item in self.items))

    @property
    def total(self) -> Money:
        """c(N): the cost of serving every player."""
        return self.cost(self.players)

    def stand_alone(self) -> tuple[Money, ...]:
        """c({i}) for every player, in the order of :attr:`players`.

        Each item is read once, not once per player: a national game's 357
        stand-alone costs from its 114 000 (player, item) pairs.
        """
        costs = [0] * len(self.players)
        for item in self.items:
            for player, need in zip(item.players, item.needs, strict=True):
                costs[player] += item.cost_alone(need)
        return tuple(Money(ore) for ore in costs)


# -- the game of a cooperation -------------------------------------------------------------


def cost_game(cooperation: Cooperation, year: int | None = None) -> Game:
    """The cost game of the cooperation's members in a year (default: the budget year)."""
    return _game(cooperation, allocate(cooperation, year))


def _game(cooperation: Cooperation, allocation: Allocation) -> Game:
    players = tuple(m.id for m in allocation.members)
    index = {player: i for i, player in enumerate(players)}
    items = []
    for split in allocation.splits:
        who = tuple(index[p] for p in split.participants)
        system = cooperation.systems.get(split.system or "")
        if split.kind in (LineKind.BASE, LineKind.APPLICATION) and system is not None:
            model = effective_model(cooperation, system.id)
            quantity_of = needs(cooperation, system.id) if model is not None else {}
            items.append(
                system_item(
                    cooperation,
                    system.id,
                    model,
                    who,
                    [quantity_of.get(p, 0) for p in split.participants],
                    kind=split.kind,
                )
            )
        else:
            items.append(
                CostItem(
                    item=split.item,
                    kind=split.kind,
                    players=who,
                    needs=(0,) * len(who),
                    fixed=split.amount.ore,
                )
            )
    return Game(players=players, items=tuple(items))


# -- the Shapley value -----------------------------------------------------------------------


def airport_shapley(costs: Sequence[int | Fraction], counts: Sequence[int]) -> list[Fraction]:
    """The Shapley value of an airport game, per player of each type.

    Type ``k`` has ``counts[k]`` players, each needing a facility that costs
    ``costs[k]`` (rising); any set of players costs what its most demanding
    member needs. Each increment of cost is split equally among all players
    who need at least that much (Littlechild and Owen, 1973).

    >>> airport_shapley([8, 11, 13, 18], [1, 1, 1, 1])
    [Fraction(2, 1), Fraction(3, 1), Fraction(4, 1), Fraction(9, 1)]
    """
    values, running, previous = [], Fraction(0), Fraction(0)
    remaining = sum(counts)
    for cost, count in zip(costs, counts, strict=True):
        if count:
            running += (Fraction(cost) - previous) / remaining
            previous = Fraction(cost)
        values.append(running)
        remaining -= count
    return values


def _item_shapley(item: CostItem) -> list[Fraction]:
    """One item's Shapley value, for its players in order."""
    m = len(item.players)
    values = [Fraction(item.fixed, m) + item.per_user * q for q in item.needs]
    if not item.steps:
        return values
    if item.basis is StepBasis.LARGEST:
        order = sorted(range(m), key=lambda k: item.needs[k])
        levels = [item.capacity(item.needs[k]) for k in order]
        shares = airport_shapley(levels, [1] * m)
        for k, share in zip(order, shares, strict=True):
            values[k] += share
        return values
    if m > MAX_SUBSET_PLAYERS:
        raise ComputeError(
            message(
                "{item}: capacity steps by total users have no closed form Shapley value; "
                "dikt counts them exactly for at most {most} members, not {members}",
                item=item.item,
                most=MAX_SUBSET_PLAYERS,
                members=m,
            )
        )
    for k, share in enumerate(_steps_by_total(item)):
        values[k] += share
    return values


def _steps_by_total(item: CostItem) -> list[Fraction]:
    """Each player's Shapley share of an item's steps by total users, counted over subsets.

    The capacity cost of every subset of the item's players is computed once;
    a player's share weighs what it adds to each subset without it by the
    subset's size.
    """
    m = len(item.needs)
    size = 1 << m
    sums, counts = [0] * size, [0] * size
    for mask in range(1, size):
        low = mask & -mask
        sums[mask] = sums[mask ^ low] + item.needs[low.bit_length() - 1]
        counts[mask] = counts[mask ^ low] + 1
    costs = [item.capacity(need) for need in sums]
    weight = [
        Fraction(math.factorial(z) * math.factorial(m - 1 - z), math.factorial(m)) for z in range(m)
    ]
    shares = []
    for k in range(m):
        bit = 1 << k
        added = [0] * m  # what k adds, summed over the subsets of each size without it
        for mask in range(size):
            if not mask & bit:
                added[counts[mask]] += costs[mask | bit] - costs[mask]
        shares.append(sum((w * a for w, a in zip(weight, added, strict=True)), Fraction(0)))
    return shares


def shapley(game: Game) -> tuple[Fraction, ...]:
    """The exact Shapley value of each player, in øre (fractions): it sums to c(N)."""
    values = [Fraction(0)] * len(game.players)
    for item in game.items:
        for player, value in zip(item.players, _item_shapley(item), strict=True):
            values[player] += value
    return tuple(values)


def shapley_amounts(game: Game) -> dict[str, Money]:
    """The Shapley value of each player in whole øre (largest remainder), summing to c(N)."""
    parts = to_ore(shapley(game), game.total.ore)
    return {player: Money(part) for player, part in zip(game.players, parts, strict=True)}


def to_ore(exact: Sequence[Fraction], total: int) -> list[int]:
    """Exact amounts that sum to ``total`` øre, as whole øre by the largest remainder."""
    if not any(exact):  # nothing to share (a game that costs nothing)
        return [0] * len(exact)
    scale = math.lcm(*(value.denominator for value in exact))
    return split_ore(total, [int(value * scale) for value in exact])


# -- the core ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Violation:
    """A set of members that would pay more under a split than it costs them alone."""

    members: tuple[str, ...]
    pays: Money  #: what they pay together under the split
    alone: Money  #: c(S): what serving only them would cost
    excess: Money  #: pays - alone


@attrs.frozen(kw_only=True)
class CoreCheck:
    """Whether a split is in the core: no set of members pays more than its cost alone."""

    checked: bool  #: False when there are more members than :data:`MAX_CORE_PLAYERS`
    violations: tuple[Violation, ...]  #: the first ones, smallest sets first
    count: int  #: how many sets violate it in all

    @property
    def in_core(self) -> bool | None:
        """True, False, or None when not checked."""
        return None if not self.checked else self.count == 0


def _coalition_costs(game: Game) -> list[int]:
    """c(S) for every set S of players, indexed by its bit mask (øre)."""
    n = len(game.players)
    size = 1 << n
    full = size - 1
    fixed_by_mask = [0] * size
    additive = [0] * n
    stepped: list[CostItem] = []
    for item in game.items:
        mask = 0
        for p in item.players:
            mask |= 1 << p
        fixed_by_mask[mask] += item.fixed
        for p, q in zip(item.players, item.needs, strict=True):
            additive[p] += item.per_user * q
        if item.steps:
            stepped.append(item)
    # zeta transform: inside[A] = the fixed costs of items needed only by members of A
    inside = fixed_by_mask[:]
    for bit in range(n):
        step = 1 << bit
        for mask in range(size):
            if mask & step:
                inside[mask] += inside[mask ^ step]
    all_fixed = inside[full]
    costs = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        costs[mask] = costs[mask ^ low] + additive[low.bit_length() - 1]
    for mask in range(1, size):
        costs[mask] += all_fixed - inside[full ^ mask]
    for item in stepped:
        # Each set's need, built from the set without its lowest member.
        own = [0] * n
        for p, q in zip(item.players, item.needs, strict=True):
            own[p] = q
        need = [0] * size
        total = item.basis is StepBasis.TOTAL
        for mask in range(1, size):
            low = mask & -mask
            rest, mine = need[mask ^ low], own[low.bit_length() - 1]
            need[mask] = rest + mine if total else max(rest, mine)
        capacity = item.capacity
        for mask in range(1, size):
            if need[mask]:
                costs[mask] += capacity(need[mask])
    return costs


def core(game: Game, amounts: Sequence[Money], costs: Sequence[int] | None = None) -> CoreCheck:
    """Check a split (each player's amount) against every proper set of players.

    ``costs`` are c(S) by bit mask, when already computed for the game.
    """
    n = len(game.players)
    if n > MAX_CORE_PLAYERS:
        return CoreCheck(checked=False, violations=(), count=0)
    costs = _coalition_costs(game) if costs is None else costs
    size = 1 << n
    pays = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        pays[mask] = pays[mask ^ low] + amounts[low.bit_length() - 1].ore
    found = [
        (mask.bit_count(), costs[mask] - pays[mask], mask)
        for mask in range(1, size - 1)
        if pays[mask] > costs[mask]
    ]
    found.sort()
    shown = tuple(
        Violation(
            members=tuple(game.players[p] for p in range(n) if mask >> p & 1),
            pays=Money(pays[mask]),
            alone=Money(costs[mask]),
            excess=Money(pays[mask] - costs[mask]),
        )
        for _size, _negative, mask in found[:MAX_VIOLATIONS_SHOWN]
    )
    return CoreCheck(checked=True, violations=shown, count=len(found))


# -- the study of keys -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class KeyShare:
    """One member's contribution under one key."""

    member: str
    amount: Money
    per_inhabitant: Money | None  #: rounded to the øre; None without inhabitants
    per_user: Money | None  #: rounded to the øre; None without users
    change: Money  #: against today's keys
    change_percent: Fraction | None  #: of today's contribution (None if it is 0)
    above_fair: Money  #: amount - Shapley value: above 0, it subsidises others


@attrs.frozen(kw_only=True)
class KeyResult:
    """Every member's contribution under one key, and whether it is in the core."""

    key: str  #: "today", "equal", "users", ..., "shapley", or a key of the spec
    description: str
    shares: tuple[KeyShare, ...]
    core: CoreCheck


@attrs.frozen(kw_only=True)
class StandAlone:
    """A member's cost alone, c({i}), against its contribution today: the benefit of membership."""

    member: str
    alone: Money
    today: Money
    benefit: Money  #: alone - today


@attrs.frozen(kw_only=True)
class Gain:
    """A member's Shapley value without and with a candidate: who gains by its joining."""

    member: str
    before: Money | None  #: None for the candidate itself
    after: Money
    change: Money  #: after - before (all of ``after`` for the candidate)


@attrs.frozen(kw_only=True, repr=False)
class KeyStudy:
    """What each key would do to each member, with the Shapley value as the fair reference."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    cooperation = renamed_attribute("cooperation", "cooperation_id")
    name: str
    year: int
    currency: str
    total: Money  #: c(N), the year's whole allocation
    shared: Money  #: what the alternative keys split (all but what members pay alone)
    keys: tuple[KeyResult, ...]
    stand_alone: tuple[StandAlone, ...]
    candidate: str | None = None  #: the candidate of the what-if, if asked for
    joining = renamed_attribute("joining", "candidate")
    gains: tuple[Gain, ...] = ()  #: each member's Shapley value without and with it


#: A key for the study: the members' weights (summing to 1), or None where it cannot split.
Weights = Callable[[Sequence[Member]], "list[Fraction] | None"]


def _mix(equal: Fraction, metric: Metric) -> Weights:
    """``equal`` split equally, the rest in proportion to ``metric``."""

    def weights(members: Sequence[Member]) -> list[Fraction] | None:
        values = [quantity(member, metric) for member in members]
        total = sum(values)
        if total == 0 and equal != 1:
            return None
        rest = [Fraction(v, total) if total else Fraction(0) for v in values]
        return [equal / len(members) + (1 - equal) * r for r in rest]

    return weights


def _fixed(shares: Mapping[str, Fraction]) -> Weights:
    """A key's fixed shares, when they name exactly the members."""

    def weights(members: Sequence[Member]) -> list[Fraction] | None:
        if {m.id for m in members} != set(shares):
            return None
        return [Fraction(shares[m.id]) for m in members]

    return weights


def _alternatives(cooperation: Cooperation) -> list[tuple[str, str, Weights]]:
    """The keys a board compares: the usual ones, then the spec's own named keys."""
    keys: list[tuple[str, str, Weights]] = [
        ("equal", message("equally"), _mix(Fraction(1), Metric.POPULATION)),
        ("users", message("by users"), _mix(Fraction(0), Metric.USERS)),
        ("employees", message("by employees"), _mix(Fraction(0), Metric.EMPLOYEES)),
        ("population", message("by population"), _mix(Fraction(0), Metric.POPULATION)),
        (
            "30/70",
            message("equally for 30 %, by population for 70 %"),
            _mix(Fraction(3, 10), Metric.POPULATION),
        ),
        (
            "50/50",
            message("equally for 50 %, by population for 50 %"),
            _mix(Fraction(1, 2), Metric.POPULATION),
        ),
    ]
    for key_id, key in sorted(cooperation.keys.items()):
        named = message('the spec\'s key "{key}"', key=key_id)
        if key.shares is not None:
            keys.append((key_id, named, _fixed(key.shares)))
        elif key.metric is not None and key.metric is not Metric.SYSTEM_USERS:
            keys.append((key_id, named, _mix(key.equal_share, key.metric)))
    return keys


@renamed_keywords(candidate_id="candidate")
def joining_gains(
    cooperation: Cooperation,
    candidate: str,
    year: int | None = None,
    *,
    today: Game | None = None,
) -> tuple[Gain, ...]:
    """Every member's Shapley value without and with ``candidate`` as a member.

    The same year for both (default: the budget year); the candidate priced
    as a member, as :func:`dikt.join` prices it. ``today`` is the
    cooperation's game of that year, when the caller has it already.
    """
    from dikt.scenario import require_member  # noqa: PLC0415 - only for the what-if

    if require_member(cooperation, candidate).is_member:
        raise ComputeError(
            message(
                "{member} is already a member; the what-if is for candidates",
                member=candidate,
            )
        )
    before = shapley_amounts(cost_game(cooperation, year) if today is None else today)
    # The candidate priced by the cost models, with what moves over, as
    # :func:`dikt.join` prices it: the new cooperation's fixed parts are today's.
    from dikt.joining import taken_over  # noqa: PLC0415 - only for the what-if

    members = [*(m.id for m in cooperation.active_members), candidate]
    scenario = taken_over(priced(cooperation, members)[0], cooperation.members[candidate])
    after = shapley_amounts(cost_game(scenario, year))
    return tuple(
        Gain(
            member=player,
            before=before.get(player),
            after=value,
            change=value - before.get(player, Money(0)),
        )
        for player, value in after.items()
    )


@renamed_keywords(joining="candidate")
def key_study(
    cooperation: Cooperation, year: int | None = None, candidate: str | None = None
) -> KeyStudy:
    """Today's contributions, the alternatives for the shared costs, and the Shapley value.

    With ``candidate``, also every member's Shapley value without
    and with it: who gains by its joining.
    """
    allocation = allocate(cooperation, year)
    game = _game(cooperation, allocation)
    members = [cooperation.members[player] for player in game.players]
    today = [m.total for m in allocation.members]
    alone = [
        sum(line.amount.ore for line in m.lines if line.split.key == ALONE)
        for m in allocation.members
    ]
    total = allocation.total.ore
    shared = total - sum(alone)
    fair = list(shapley_amounts(game).values())
    costs = _coalition_costs(game) if len(game.players) <= MAX_CORE_PLAYERS else None
    splits: list[tuple[str, str, list[Money]]] = [("today", message("today's keys"), today)]
    for key_id, description, weights_of in _alternatives(cooperation):
        weights = weights_of(members)
        if weights is None or sum(weights) != 1:
            continue  # a key that cannot split among these members
        parts = to_ore(weights, shared)
        splits.append(
            (key_id, description, [Money(p + a) for p, a in zip(parts, alone, strict=True)])
        )
    splits.append(("shapley", message("the Shapley value"), fair))
    results = []
    for key_id, description, amounts in splits:
        shares = []
        for member, amount, now, reference in zip(members, amounts, today, fair, strict=True):
            change = amount.ore - now.ore
            shares.append(
                KeyShare(
                    member=member.id,
                    amount=amount,
                    per_inhabitant=_per(amount, member.population),
                    per_user=_per(amount, member.users),
                    change=Money(change),
                    change_percent=Fraction(change, now.ore) if now.ore else None,
                    above_fair=Money(amount.ore - reference.ore),
                )
            )
        results.append(
            KeyResult(
                key=key_id,
                description=description,
                shares=tuple(shares),
                core=core(game, amounts, costs),
            )
        )
    stand_alone = tuple(
        StandAlone(member=player, alone=cost, today=now, benefit=Money(cost.ore - now.ore))
        for player, now, cost in zip(game.players, today, game.stand_alone(), strict=True)
    )
    return KeyStudy(
        cooperation_id=cooperation.id,
        name=cooperation.name,
        year=allocation.year,
        currency=cooperation.currency,
        total=allocation.total,
        shared=Money(shared),
        keys=tuple(results),
        stand_alone=stand_alone,
        candidate=candidate,
        gains=() if candidate is None else joining_gains(cooperation, candidate, year, today=game),
    )


def _per(amount: Money, count: int) -> Money | None:
    """An amount per inhabitant or per user, rounded to the øre; None for none."""
    return None if count <= 0 else round_ore(Fraction(amount.ore, count))

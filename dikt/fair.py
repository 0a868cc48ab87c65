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

import array
import bisect
import functools
import math
import operator
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Final

import attrs

from dikt._deprecated import renamed_attribute, renamed_keywords
from dikt._repr import summary_repr
from dikt.allocation import ALONE, Allocation, LineKind, allocate
from dikt.costs import CostItem, costing, effective_model, priced, system_item
from dikt.errors import ArgumentError, ComputeError
from dikt.i18n import N_, all_of, message, message_n
from dikt.limits import MAX_SUBSET_PLAYERS
from dikt.model import Cooperation, Member, Metric, StepBasis
from dikt.money import Money, integer_weights, round_ore, split_ore
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
    """Each player's Shapley share of an item's steps by total users, exactly.

    A step's increment is paid by whoever's users carry the total past the
    step below it: player k's share of the increment at ``x`` users is the
    weight of the sets S of the others (by their size z) with
    x - q_k < q(S) <= x. So only how many sets of each size need at most y
    users matters: those counts, below[z][y], are found over all players at
    once (:func:`_counts_by_need`, :func:`_counts_by_set`), and the others'
    counts come from them by removing k: F_z(y) = sum_i (-1)^i below[z-i](y - i q_k).
    Some 2 000 lookups per player instead of 2^16 sets.
    """
    m = len(item.needs)
    if m > MAX_SUBSET_PLAYERS:  # pragma: no cover - _item_shapley refuses first
        raise AssertionError(m)
    total = sum(item.needs)
    if total == 0:
        return [Fraction(0)] * m
    item.capacity(total)  # every member served: a ComputeError if no step is large enough
    row = (
        _counts_by_need(item.needs, total)
        if (total + 1) * m <= 4 << m
        else _counts_by_set(item.needs, total)
    )
    factorials = [math.factorial(i) for i in range(m + 1)]
    weights = [factorials[z] * factorials[m - 1 - z] for z in range(m)]  # times m!
    shifted = [weights[i:] for i in range(m)]
    # (x, increment): the capacity cost rises by the increment when a need passes x.
    points, previous, low = [], 0, 0
    for up_to, cost in item.steps:
        if low < total:
            points.append((low, cost - previous))
        previous, low = cost, up_to
    shares = []
    for need in item.needs:
        value = 0
        for x, increment in points if need else ():
            pivotal = 0
            for start, first in ((x, 1), (x - need, -1)):
                y, i, sign = start, 0, first
                while y >= 0 and i < m:
                    pivotal += sign * sum(map(operator.mul, shifted[i], row(min(y, total))))
                    sign, y, i = -sign, y - need, i + 1
            value += increment * pivotal
        shares.append(Fraction(value, factorials[m]))
    return shares


def _counts_by_need(needs: Sequence[int], total: int) -> Callable[[int], Sequence[int]]:
    """``row(y)``: for each size z, how many sets of z players need at most y users.

    Built for every need up to the total at once: a polynomial in y per
    size, held in one big integer of 16-bit coefficients (a count of sets of
    at most 16 players fits), the players added by shifting; for needs in
    the thousands.
    """
    m = len(needs)
    below = [int.from_bytes(b"\x01\x00" * (total + 1), "little")] + [0] * (m - 1)
    for count, need in enumerate(needs, start=1):
        shift = need * 16
        for z in range(min(count, m - 1), 0, -1):
            below[z] += below[z - 1] << shift
    # One table, by need then size: flat[y * m + z] = below[z][y], y up to the total.
    flat = array.array("H", bytes(2 * m * (total + 1)))
    for z, polynomial in enumerate(below):
        size = polynomial.bit_length() + 15 >> 4
        slots = array.array("H", polynomial.to_bytes(2 * size, "little"))
        if sys.byteorder != "little":  # pragma: no cover - big-endian machines only
            slots.byteswap()
        # Counts up to a need stop growing past the largest: each row reaches the total.
        flat[z::m] = slots[: total + 1]

    def row(y: int) -> Sequence[int]:
        return flat[y * m : y * m + m]

    return row


def _counts_by_set(needs: Sequence[int], total: int) -> Callable[[int], Sequence[int]]:
    """``row(y)`` as :func:`_counts_by_need` gives it, from every set's (size, need), sorted.

    For needs far above the number of sets (a base package's users): the
    2^m sets are listed once (each half's, combined by one comprehension),
    keyed by size then need, and counted by binary search.
    """
    m, scale = len(needs), total + 1
    half = m // 2

    def sets_of(players: Sequence[int]) -> list[int]:
        keys = [0]
        for need in players:
            keys += [key + scale + need for key in keys]
        return keys

    low, high = sets_of(needs[:half]), sets_of(needs[half:])
    keys = sorted([h + x for h in high for x in low])
    starts = [bisect.bisect_left(keys, z * scale) for z in range(m)]
    found: dict[int, list[int]] = {}

    def row(y: int) -> Sequence[int]:
        counts = found.get(y)
        if counts is None:
            counts = found[y] = [
                bisect.bisect_right(keys, z * scale + y) - start for z, start in enumerate(starts)
            ]
        return counts

    return row


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
        own = [0] * n
        for p, q in zip(item.players, item.needs, strict=True):
            own[p] = q
        costs = list(map(operator.add, costs, _set_costs(item, own)))
    return costs


def _set_costs(item: CostItem, own: Sequence[int]) -> list[int]:
    """The cost of an item's capacity steps for every set of players (by bit mask).

    A set's need (its members' users together, or its largest member's) is
    built for each half of the players, and the halves combined for all 2^n
    sets by one comprehension, looking the cost up in a table by need where
    the needs are few, else by a search of the steps run in C: no Python
    step per set.
    """
    total = item.basis is StepBasis.TOTAL
    half = len(own) // 2

    def needs_of(players: Sequence[int]) -> list[int]:
        table = [0]
        for q in players:
            table += [x + q for x in table] if total else [max(x, q) for x in table]
        return table

    low, high = needs_of(own[:half]), needs_of(own[half:])
    top = high[-1] + low[-1] if total else max(high[-1], low[-1])
    item.capacity(top)  # a ComputeError if no step serves every member
    if top < len(low) * len(high):
        price = [item.capacity(need) for need in range(top + 1)]
        if total:
            return [price[h + x] for h in high for x in low]
        return [price[h if h > x else x] for h in high for x in low]
    need = (
        [h + x for h in high for x in low]
        if total
        else [h if h > x else x for h in high for x in low]
    )
    # A step costs its whole cost; a need of 0 costs nothing.
    bounds = [0, *(up_to for up_to, _ in item.steps)]
    prices = [0, *(cost for _, cost in item.steps)]
    found = map(functools.partial(bisect.bisect_left, bounds), need)
    return list(map(prices.__getitem__, found))


def core(
    game: Game,
    amounts: Sequence[Money],
    costs: Sequence[int] | None = None,
    exact: Sequence[Fraction] | None = None,
) -> CoreCheck:
    """Check a split (each player's amount) against every proper set of players.

    ``costs`` are c(S) by bit mask, when already computed for the game.
    ``exact`` is the split before rounding (øre, fractions), when known: the
    core is then checked on it, so that a set is not reported for the øre
    that rounding moved to it (a split whose exact amounts are in the core
    is in the core); the amounts a violation shows are the exact ones,
    rounded to the øre.
    """
    n = len(game.players)
    if n > MAX_CORE_PLAYERS:
        return CoreCheck(checked=False, violations=(), count=0)
    costs = _coalition_costs(game) if costs is None else costs
    # Exact amounts over a common denominator: integer sums, as for whole øre.
    scale = 1 if exact is None else math.lcm(*(value.denominator for value in exact))
    each = (
        [a.ore for a in amounts]
        if exact is None
        else [value.numerator * (scale // value.denominator) for value in exact]
    )
    size = 1 << n
    pays = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        pays[mask] = pays[mask ^ low] + each[low.bit_length() - 1]
    found = [
        (mask.bit_count(), costs[mask] * scale - pays[mask], mask)
        for mask in range(1, size - 1)
        if pays[mask] > costs[mask] * scale
    ]
    found.sort()
    shown = []
    for _size, _negative, mask in found[:MAX_VIOLATIONS_SHOWN]:
        paid = round_ore(Fraction(pays[mask], scale))
        shown.append(
            Violation(
                members=tuple(game.players[p] for p in range(n) if mask >> p & 1),
                pays=paid,
                alone=Money(costs[mask]),
                excess=Money(paid.ore - costs[mask]),
            )
        )
    return CoreCheck(checked=True, violations=tuple(shown), count=len(found))


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
    #: amount - Shapley value: above 0, it subsidises others (None when the
    #: Shapley value cannot be computed)
    above_fair: Money | None


@attrs.frozen(kw_only=True)
class KeyResult:
    """Every member's contribution under one key, and whether it is in the core."""

    key: str  #: "today", "equal", "users", ..., "shapley", or a key of the spec
    description: str
    shares: tuple[KeyShare, ...]  #: empty when the key cannot be computed
    core: CoreCheck
    #: Why the key cannot be computed (the Shapley value of capacity steps by
    #: total users shared by too many members), else None.
    unavailable: str | None = None


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
    #: With a candidate: what the cost models add to the catalogue for it, and
    #: today's cost of the systems it shares that have no cost model (held flat).
    cost_change: Money | None = None
    held_flat: Money | None = None


#: A key for the study: the integer weights of an item's participants, or
#: None where it cannot split among them.
Weights = Callable[[Sequence[Member]], "list[int] | None"]


def _mix(equal: Fraction, metric: Metric) -> Weights:
    """``equal`` split equally among an item's participants, the rest by ``metric``.

    As the allocation weighs a key: amount * (e/n + (1 - e) q/B) with e = p/r,
    over the common denominator r n B: integer weights p B + (r - p) n q.
    """
    p, r = equal.numerator, equal.denominator
    known: dict[str, int] = {}

    def weights(members: Sequence[Member]) -> list[int] | None:
        if equal == 1:
            return [1] * len(members)
        values = []
        for member in members:
            value = known.get(member.id)
            if value is None:
                value = known[member.id] = quantity(member, metric)
            values.append(value)
        total = sum(values)
        if total == 0:
            return None
        if p == 0:
            return values
        return [p * total + (r - p) * len(members) * v for v in values]

    return weights


def _fixed(shares: Mapping[str, Fraction], everyone: set[str]) -> Weights | None:
    """A key's fixed shares, among an item's participants, when they name exactly the members."""
    if set(shares) != everyone:
        return None

    def weights(members: Sequence[Member]) -> list[int] | None:
        found = integer_weights([shares[m.id] for m in members])
        return found if any(found) else None

    return weights


#: The keys a board compares first: id, description, equal share, metric (an
#: equal split reads no metric; population is as good as any).
_USUAL: Final = (
    ("equal", N_("the same amount for every member"), Fraction(1), Metric.POPULATION),
    ("users", N_("by users"), Fraction(0), Metric.USERS),
    ("employees", N_("by employees"), Fraction(0), Metric.EMPLOYEES),
    ("population", N_("by population"), Fraction(0), Metric.POPULATION),
    ("30/70", N_("equally for 30 %, by population for 70 %"), Fraction(3, 10), Metric.POPULATION),
    ("50/50", N_("equally for 50 %, by population for 50 %"), Fraction(1, 2), Metric.POPULATION),
)
#: Each usual key's row, by its equal share and metric.
_USUAL_ROW: Final = {(share, metric): row for row, (_, _, share, metric) in enumerate(_USUAL)}


def _alternatives(cooperation: Cooperation, everyone: set[str]) -> list[tuple[str, str, Weights]]:
    """The keys a board compares: the usual ones, then the spec's own named keys."""
    keys: list[tuple[str, str, Weights]] = [
        (key_id, message(text), _mix(share, metric)) for key_id, text, share, metric in _USUAL
    ]
    # A spec's key that splits as a usual one does (D-IKT's population-30-70 is
    # 30/70) is not a row of its own: two rows of the same figures read as two
    # choices. The usual row says it is the spec's key too.
    same_as: dict[int, list[str]] = {}
    for key_id, key in sorted(cooperation.keys.items()):
        named = message('the spec\'s key "{key}"', key=key_id)
        if key.shares is not None:
            fixed = _fixed(key.shares, everyone)
            if fixed is not None:
                keys.append((key_id, named, fixed))
        elif key.metric is not None and key.metric is not Metric.SYSTEM_USERS:
            # Wholly equal is the same split whatever the metric.
            row = 0 if key.equal_share == 1 else _USUAL_ROW.get((key.equal_share, key.metric))
            if row is None:
                keys.append((key_id, named, _mix(key.equal_share, key.metric)))
            else:
                same_as.setdefault(row, []).append(key_id)
    for row, names in same_as.items():
        key_id, description, weights = keys[row]
        also = message_n(
            "{key}, as the spec's key {names}",
            "{key}, as the spec's keys {names}",
            len(names),
            key=description,
            names=all_of(names),
        )
        keys[row] = (key_id, also, weights)
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
        # The command line names the wrong kind of member: exit 2, as leave does.
        raise ArgumentError(
            message(
                "{member} is already a member; the what-if is for candidates",
                member=candidate,
            )
        )
    from dikt.whatif import WhatIf, refuse, with_candidates  # noqa: PLC0415 - only for the what-if

    refuse(
        cooperation,
        WhatIf.KEYS,
        candidate,
        years={cooperation.budget_year if year is None else year},
    )
    before = shapley_amounts(cost_game(cooperation, year) if today is None else today)
    # The candidate priced by the cost models, with what moves over, as
    # :func:`dikt.join` prices it: the new cooperation's fixed parts are today's.
    from dikt.joining import taken_over  # noqa: PLC0415 - only for the what-if

    members = [*(m.id for m in cooperation.active_members), candidate]
    scenario = priced(with_candidates(cooperation, members), members)[0]
    scenario = taken_over(scenario, cooperation.members[candidate], cooperation)
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
    if candidate is not None:
        from dikt.scenario import require_member  # noqa: PLC0415 - only for the what-if
        from dikt.whatif import WhatIf, refuse  # noqa: PLC0415

        require_member(cooperation, candidate)
        when = cooperation.budget_year if year is None else year
        refuse(cooperation, WhatIf.KEYS, candidate, years={when})
    allocation = allocate(cooperation, year)
    game = _game(cooperation, allocation)
    members = [cooperation.members[player] for player in game.players]
    index = {player: i for i, player in enumerate(game.players)}
    today = [m.total for m in allocation.members]
    alone = [
        sum(line.amount.ore for line in m.lines if line.split.key == ALONE)
        for m in allocation.members
    ]
    total = allocation.total.ore
    shared = total - sum(alone)
    checked = len(game.players) <= MAX_CORE_PLAYERS
    costs = _coalition_costs(game) if checked else None
    # Each item among those who need it (its participants: every member for
    # a base package, those with users > 0 for an application), as the
    # allocation splits it.
    items = [
        (tuple(index[p] for p in split.participants), split.amount.ore)
        for split in allocation.splits
    ]
    exact_today = None
    if checked:
        exact_today = [
            sum((line.exact_ore for line in m.lines), Fraction(0)) for m in allocation.members
        ]
    splits: list[tuple[str, str, list[Money], list[Fraction] | None]] = [
        ("today", message("today's keys"), today, exact_today)
    ]
    everyone = set(game.players)
    for key_id, description, weights_of in _alternatives(cooperation, everyone):
        split = _by_item(items, members, weights_of, exact=checked)
        if split is not None:  # else a key that cannot split some item among its members
            splits.append((key_id, description, *split))
    fair: list[Money] | None = None
    unavailable = None
    try:
        exact_fair, fair = _shapley_by_item(game, exact_too=checked)
    except ComputeError as error:
        # The other keys are still worth showing; this row says why it is missing.
        unavailable = error.args[0] if error.args else str(error)
    else:
        splits.append(
            ("shapley", message("the Shapley value"), fair, exact_fair if checked else None)
        )
    results = []
    for key_id, description, amounts, exact in splits:
        shares = []
        for position, (member, amount, now) in enumerate(zip(members, amounts, today, strict=True)):
            change = amount.ore - now.ore
            shares.append(
                KeyShare(
                    member=member.id,
                    amount=amount,
                    per_inhabitant=_per(amount, member.population),
                    per_user=_per(amount, member.users),
                    change=Money(change),
                    change_percent=Fraction(change, now.ore) if now.ore else None,
                    above_fair=None if fair is None else Money(amount.ore - fair[position].ore),
                )
            )
        results.append(
            KeyResult(
                key=key_id,
                description=description,
                shares=tuple(shares),
                core=core(game, amounts, costs, exact),
            )
        )
    if unavailable is not None:
        results.append(
            KeyResult(
                key="shapley",
                description=message("the Shapley value"),
                shares=(),
                core=CoreCheck(checked=False, violations=(), count=0),
                unavailable=unavailable,
            )
        )
    stand_alone = tuple(
        StandAlone(member=player, alone=cost, today=now, benefit=Money(cost.ore - now.ore))
        for player, now, cost in zip(game.players, today, game.stand_alone(), strict=True)
    )
    added: Money | None = None
    flat: Money | None = None
    if candidate is not None:
        # The systems of the study's year: what the cost models add, what was held flat.
        priced_systems = [
            line
            for line in costing(
                cooperation, [*(m.id for m in cooperation.active_members), candidate]
            ).systems
            if cooperation.systems[line.system].active_in(allocation.year)
        ]
        added = Money.sum(line.change for line in priced_systems)
        flat = Money.sum(
            line.today for line in priced_systems if line.changed and not line.modelled
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
        cost_change=added,
        held_flat=flat,
    )


def _shapley_by_item(game: Game, *, exact_too: bool) -> tuple[list[Fraction], list[Money]]:
    """The Shapley value in øre, each item rounded on its own as a key's split is.

    With ``exact_too``, also exactly (else the first list is all 0).
    """
    exact = [Fraction(0)] * len(game.players)
    ore = [0] * len(game.players)
    for item in game.items:
        m = len(item.players)
        if not item.steps:
            # fixed / m + per_user * q: in proportion to fixed + m * per_user * q.
            weights = [item.fixed + m * item.per_user * q for q in item.needs]
            cost = item.fixed + item.per_user * sum(item.needs)
            parts = split_ore(cost, weights) if any(weights) else [0] * m
            for player, part in zip(item.players, parts, strict=True):
                ore[player] += part
            if exact_too:
                for player, weight in zip(item.players, weights, strict=True):
                    exact[player] += Fraction(weight, m)
            continue
        values = _item_shapley(item)
        for player, value, part in zip(
            item.players, values, to_ore(values, item.cost(item.players)), strict=True
        ):
            exact[player] += value
            ore[player] += part
    return exact, [Money(part) for part in ore]


def _by_item(
    items: Sequence[tuple[tuple[int, ...], int]],
    members: Sequence[Member],
    weights_of: Weights,
    *,
    exact: bool,
) -> tuple[list[Money], list[Fraction] | None] | None:
    """Each member's amount under a key that splits every item among its participants.

    Each item is rounded on its own by the largest remainder, as the
    allocation rounds it, so members who share nothing keep their exact
    sums. With ``exact``, also the amounts before rounding (for the core).
    None if the key cannot split some item (a basis of 0 among its members).
    """
    ore = [0] * len(members)
    numerators: list[Fraction] | None = [Fraction(0)] * len(members) if exact else None
    for who, amount in items:
        if not amount:
            continue
        if len(who) == 1:
            ore[who[0]] += amount
            if numerators is not None:
                numerators[who[0]] += amount
            continue
        weights = weights_of([members[i] for i in who])
        if weights is None:
            return None
        for i, part in zip(who, split_ore(amount, weights), strict=True):
            ore[i] += part
        if numerators is not None:
            whole = sum(weights)
            for i, weight in zip(who, weights, strict=True):
                numerators[i] += Fraction(amount * weight, whole)
    return [Money(part) for part in ore], numerators


def _per(amount: Money, count: int) -> Money | None:
    """An amount per inhabitant or per user, rounded to the øre; None for none."""
    return None if count <= 0 else round_ore(Fraction(amount.ore, count))

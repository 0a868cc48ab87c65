"""Rules that the checks and the analyses both apply, written once.

Who takes part in a system's cost, a member's quantity of a metric, whether a
key can split an amount among its participants, cycles in dependencies, and
how a system's cost model prices a set of members.
:mod:`dikt.checks` reports where a spec breaks them; :mod:`dikt.allocation`
and the what-if analyses rely on them. Nothing here imports the checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from dikt.i18n import Message, message
from dikt.limits import YEAR_MAX
from dikt.model import CapacityStep, Cooperation, CostModel, Key, Member, Metric, Package, StepBasis

__all__ = [
    "Derived",
    "basis",
    "dependency_cycles",
    "derived",
    "find_cycles",
    "first_joined",
    "fixed_part",
    "horizon",
    "needs",
    "no_members",
    "own_dependencies",
    "participants",
    "pays_in",
    "quantities",
    "quantity",
    "sharing_facts",
    "step_cost",
    "system_users",
    "uncovered_shares",
]


def quantity(member: Member, metric: Metric, system_id: str | None = None) -> int:
    """The member's amount of ``metric``; ``system-users`` is per system.

    For an item that is not a catalogue system (an investment), ``system-users``
    is the member's users of ``system_id`` if given, else 0.
    """
    if metric is Metric.SYSTEM_USERS:
        usage = member.systems.get(system_id) if system_id is not None else None
        return usage.users if usage is not None else 0
    if metric is Metric.USERS:
        return member.users
    if metric is Metric.EMPLOYEES:
        return member.employees
    if metric is Metric.POPULATION:
        return member.population
    if metric is Metric.PCS:
        return member.pcs
    return 1  # Metric.EQUAL


def quantities(members: Sequence[Member], metric: Metric, system_id: str | None) -> list[int]:
    """Each member's :func:`quantity` of ``metric``, in order."""
    if metric is Metric.SYSTEM_USERS and system_id is not None:
        # The hot path at national scale: one lookup per participant.
        return [
            usage.users if (usage := m.systems.get(system_id)) is not None else 0 for m in members
        ]
    return [quantity(m, metric, system_id) for m in members]


def basis(
    cooperation: Cooperation, key: Key, payers: Sequence[Member], system_id: str | None
) -> int | None:
    """The payers' total of the key's metric, or None when the key needs none.

    A key with fixed shares, an equal split (``equal_share = 1``) or no metric
    splits without a basis. An amount cannot be split by a key whose basis
    is 0 (E108).
    """
    if key.shares is not None or key.equal_share == 1 or key.metric is None:
        return None
    if (
        key.metric is Metric.SYSTEM_USERS
        and system_id is not None
        and payers is participants(cooperation, system_id)
    ):
        return sum(system_users(cooperation, system_id))  # known, not looked up again
    return sum(quantities(payers, key.metric, system_id))


def uncovered_shares(key: Key, payer_ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """The payers a key's fixed shares lack, and the shares for non-payers (E106).

    Both empty when the shares cover exactly the payers (or the key has none).
    """
    if key.shares is None:
        return [], []
    payers = set(payer_ids)
    return sorted(payers - set(key.shares)), sorted(set(key.shares) - payers)


@attrs.frozen
class Derived:
    """What a cooperation's rules look up again and again, computed once per model."""

    active: tuple[Member, ...]  #: the members with status "member", by id
    #: For each catalogue system an active member uses (users > 0): those
    #: members, by id, and their users of it.
    users: Mapping[str, tuple[tuple[Member, ...], tuple[int, ...]]]


def derived(cooperation: Cooperation) -> Derived:
    """The cooperation's :class:`Derived` facts, built on first use and kept with it.

    The model is frozen, so they cannot go stale; a what-if scenario is a new
    model with facts of its own. Building them twice at once (two threads)
    gives two equal values, one of which is kept: harmless.
    """
    found: Derived | None = cooperation._derived
    if found is None:
        active = tuple(m for _, m in sorted(cooperation.members.items()) if m.is_member)
        users: dict[str, tuple[list[Member], list[int]]] = {}
        for member in active:
            for system_id, usage in member.systems.items():
                if usage.users > 0:
                    entry = users.get(system_id)
                    if entry is None:
                        entry = users[system_id] = ([], [])
                    entry[0].append(member)
                    entry[1].append(usage.users)
        found = Derived(
            active=active,
            users={k: (tuple(m), tuple(u)) for k, (m, u) in users.items()},
        )
        object.__setattr__(cooperation, "_derived", found)
    return found


def sharing_facts(source: Cooperation, target: Cooperation) -> Cooperation:
    """``target`` knowing ``source``'s :class:`Derived` facts when it has the same members.

    The facts are the members' (candidates take part in none of them): a
    what-if that changes keys, investments or costs, or adds a candidate,
    has the very same members, so its facts are not built again.
    """
    found = source._derived
    if found is None or target._derived is not None:
        return target
    if target.members is not source.members:
        active = [m for _, m in sorted(target.members.items()) if m.is_member]
        if len(active) != len(found.active) or any(
            a is not b for a, b in zip(active, found.active, strict=True)
        ):
            return target
    object.__setattr__(target, "_derived", found)
    return target


def participants(cooperation: Cooperation, system_id: str) -> tuple[Member, ...]:
    """Who shares a catalogue system's cost, sorted by id.

    A base package's participants are all members; an application's are the
    members using it with ``users > 0``. Candidates participate in nothing.
    """
    facts = derived(cooperation)
    if cooperation.systems[system_id].package is Package.BASE:
        return facts.active
    return facts.users.get(system_id, ((), ()))[0]


def system_users(cooperation: Cooperation, system_id: str) -> tuple[int, ...]:
    """An application's participants' users of it, in :func:`participants`' order."""
    return derived(cooperation).users.get(system_id, ((), ()))[1]


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Cycles of a directed graph given as node -> successors, each once.

    Found by an iterative depth-first search in sorted order; each cycle is
    reported starting at its smallest node. Successors that are not nodes of
    the graph are ignored. Every node on a cycle is on at least one reported
    cycle.
    """
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if child not in graph:
                continue
            if state.get(child) == 1:
                cycle = path[path.index(child) :]
                smallest = cycle.index(min(cycle))
                canonical = tuple(cycle[smallest:] + cycle[:smallest])
                if canonical not in seen:
                    seen.add(canonical)
                    cycles.append(list(canonical))
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph[child])))
    return cycles


def dependency_cycles(cooperation: Cooperation) -> list[list[str]]:
    """Each cycle in the catalogue's ``depends_on``, as a list of system ids."""
    return find_cycles({sid: s.depends_on for sid, s in cooperation.systems.items()})


def own_dependencies(member: Member) -> dict[str, tuple[str, ...]]:
    """The member's own systems and the other own systems each depends on."""
    return {
        own_id: tuple(d for d in own.depends_on if d in member.own_systems)
        for own_id, own in member.own_systems.items()
    }


def pays_in(member: Member, year: int) -> bool:
    """Whether ``member`` pays in ``year``: the one rule of who is a member when.

    A member pays from the year of its ``joined`` date (the whole of that
    year) until its ``leaving`` date: it leaves from the start of that year,
    so it pays nothing in it. A candidate pays in no year: what it would
    pay once it joins is a what-if (``dikt join``, the plan), never a bill.
    Without dates, a member pays in every year.
    """
    return (
        member.is_member
        and (member.joined is None or member.joined.year <= year)
        and (member.leaving is None or year < member.leaving.year)
    )


def first_joined(cooperation: Cooperation) -> Member | None:
    """The member that joined first (by ``joined``, then id); None if no member has a date."""
    dated = [m for m in derived(cooperation).active if m.joined is not None]
    return min(dated, key=lambda m: (m.joined, m.id)) if dated else None


def no_members(cooperation: Cooperation, year: int) -> Message:
    """Why no member pays in ``year``: before the first joined, between members, or after
    the last left (allocate's refusal and the check's E190 say it alike)."""
    first = first_joined(cooperation)
    if first is not None and first.joined is not None and year < first.joined.year:
        return message(
            "{cooperation} has no members in {year}: the first joined on {date}",
            cooperation=cooperation.id,
            year=year,
            date=first.joined.isoformat(),
        )
    later = [
        m.joined
        for m in derived(cooperation).active
        if m.is_member and m.joined is not None and m.joined.year > year
    ]
    if later:
        # One joined and left before the others joined: nobody has left for good.
        return message(
            "{cooperation} has no members in {year}: the next joins on {date}",
            cooperation=cooperation.id,
            year=year,
            date=min(later).isoformat(),
        )
    return message(
        "{cooperation} has no members in {year}: every member has left by then",
        cooperation=cooperation.id,
        year=year,
    )


def horizon(cooperation: Cooperation) -> range:
    """The years ``check`` vouches for: the budget year and the next three.

    When ``check`` finds no error, ``allocate`` computes for each of them and
    ``plan`` for the four together.
    """
    first = cooperation.budget_year
    return range(first, min(first + 4, YEAR_MAX + 1))


def needs(cooperation: Cooperation, system_id: str) -> dict[str, int]:
    """Each participant's users of a catalogue system: what its cost model prices.

    An application's users at each member; for a base package, each member's users.
    """
    if cooperation.systems[system_id].package is Package.BASE:
        return {m.id: m.users for m in participants(cooperation, system_id)}
    members = participants(cooperation, system_id)
    return dict(zip((m.id for m in members), system_users(cooperation, system_id), strict=True))


def step_cost(steps: Sequence[CapacityStep], need: int) -> int | None:
    """The cost in øre of the smallest step serving ``need`` users (0: none needed, or no steps).

    None when no step is large enough.
    """
    if need <= 0 or not steps:
        return 0
    for step in steps:
        if need <= step.up_to:
            return step.cost.ore
    return None


def fixed_part(
    cooperation: Cooperation, system_id: str, model: CostModel | bool | None = True
) -> int | None:
    """What a system's cost model leaves of its annual cost as the fixed part, in øre.

    ``model`` is the cost model to use (``True``: the system's own). The
    whole annual cost without a model. None when the model's capacity steps
    cannot serve the members.
    """
    system = cooperation.systems[system_id]
    if model is True:
        model = system.cost_model
    if model is None or model is False:
        return system.annual_cost.ore
    quantity_of = needs(cooperation, system_id)
    total = sum(quantity_of.values())
    largest = max(quantity_of.values(), default=0)
    capacity = step_cost(model.steps, total if model.step_basis is StepBasis.TOTAL else largest)
    if capacity is None:
        return None
    return system.annual_cost.ore - model.per_user.ore * total - capacity

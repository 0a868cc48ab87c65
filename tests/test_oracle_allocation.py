"""The allocation, recomputed from the spec format's words with exact fractions.

shared/design/spec-format.md, "Meanings": a base package's participants are all members
with status "member", an application's the members using it with `users > 0`; a key
splits an amount `equal_share` of it equally and the rest in proportion to its metric
(so a member's share is e/n + (1-e)·q/B), or by fixed `shares`; own systems and member
investments are paid 100 % by their member; investments of the year: core among all
members by `core_investment_key` (or its own `key`), application among the system's
participants by the system's key. "Every split is exact to the øre: each share is
floored to whole øre and the øre left over go one each to the largest remainders, ties
to the smaller member id." docs/spec-format.md: a system is charged from the year of
`introduced`, and for the years before `retired` (and that year too, unless the date is
1 January). Nothing here calls dikt's rules: only `dikt.allocate`, to compare.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from hypothesis import event, given, strategies as st

import dikt
from dikt import Category, Cooperation, Member, Package

from .strategies import cooperations, payable

#: What a split pays each participant, in øre: {(member, item, kind): øre}.
Expected = dict[tuple[str, str, str], int]


def charged(system: dikt.System, year: int) -> bool:
    """In operation in ``year``: from its introduction's year, until its retirement."""
    if system.introduced is not None and system.introduced.year > year:
        return False
    retired = system.retired
    return (
        retired is None
        or retired.year > year
        or (retired.year == year and retired != dt.date(year, 1, 1))
    )


def metric_of(member: Member, metric: str, system: str | None) -> int:
    """A member's figure for a metric (`system-users` is its users of that system)."""
    if metric == "system-users":
        usage = member.systems.get(system or "")
        return usage.users if usage else 0
    if metric == "pcs":
        return sum(entry.units for entry in member.fleet)
    if metric == "equal":
        return 1
    return int(getattr(member, metric))


def exact_shares(
    cooperation: Cooperation, amount: int, key_name: str, payers: list[Member], system: str | None
) -> list[Fraction] | None:
    """Each payer's exact part of ``amount`` øre; None where there is nothing to split."""
    key = cooperation.keys.get(key_name)
    if key is not None and key.shares is not None:
        return [amount * Fraction(key.shares[m.id]) for m in payers]
    metric = key_name if key is None else key.metric.value  # a built-in key is its metric
    e = Fraction(0) if key is None else Fraction(key.equal_share)
    n = len(payers)
    q = [metric_of(m, metric, system) for m in payers]
    basis = sum(q)
    if basis == 0:
        if e == 1:
            return [Fraction(amount, n)] * n
        assert amount == 0, "check lets no basis of 0 through for an amount"
        return None
    return [amount * (e / n + (1 - e) * Fraction(qi, basis)) for qi in q]


def rounded(exact: list[Fraction], ids: list[str]) -> list[int]:
    """Floors, then one øre each to the largest remainders, ties to the smaller id."""
    floors = [math.floor(x) for x in exact]
    left = int(sum(exact)) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), ids[i]))
    for i in order[:left]:
        floors[i] += 1
    if left and len(exact) > 1:
        event("allocation: a split among several payers needs rounding")
        remainders = [exact[i] - floors[i] for i in order]
        if len(set(remainders)) < len(remainders):
            event("allocation: a rounded split with tied remainders")
    return floors


def expected_allocation(cooperation: Cooperation, year: int) -> Expected:
    """Every member's amount per (item, kind), from the words above."""
    members = sorted(
        (m for m in cooperation.members.values() if m.status.value == "member"), key=lambda m: m.id
    )
    by_id = {m.id: m for m in members}
    result: Expected = {}

    def split(
        line: tuple[str, str], amount: int, key: str, payers: list[Member], system: str | None
    ) -> None:
        item, kind = line
        if not payers:
            assert amount == 0, "check lets no amount without payers through"
            return
        exact = exact_shares(cooperation, amount, key, payers, system)
        if exact is None:
            return
        assert sum(exact) == amount
        for member, part in zip(payers, rounded(exact, [m.id for m in payers]), strict=True):
            result[member.id, item, kind] = part

    def users_of(system_id: str) -> list[Member]:
        system = cooperation.systems[system_id]
        if system.package is Package.BASE:
            return members
        return [m for m in members if system_id in m.systems and m.systems[system_id].users > 0]

    def key_of(system: dikt.System) -> str:
        if system.key is not None:
            return system.key
        defaults = cooperation.defaults
        return defaults.base_key if system.package is Package.BASE else defaults.application_key

    for system_id, system in cooperation.systems.items():
        if charged(system, year):
            kind = "base" if system.package is Package.BASE else "application"
            split(
                (system_id, kind),
                system.annual_cost.ore,
                key_of(system),
                users_of(system_id),
                system_id,
            )
        else:
            event("allocation: a system not charged this year (introduced or retired)")
    for member in members:
        for own_id, own in member.own_systems.items():
            result[member.id, own_id, "own-system"] = own.annual_cost.ore
    for investment in cooperation.investments:
        if investment.year != year:
            continue
        event(f"allocation: a {investment.category.value} investment")
        amount = investment.amount.ore
        if investment.category is Category.CORE:
            key = investment.key or cooperation.defaults.core_investment_key
            split((investment.id, "core-investment"), amount, key, members, None)
        elif investment.category is Category.APPLICATION:
            assert investment.system is not None
            system = cooperation.systems[investment.system]
            split(
                (investment.id, "application-investment"),
                amount,
                key_of(system),
                users_of(system.id),
                system.id,
            )
        else:
            assert investment.member in by_id
            result[investment.member, investment.id, "member-investment"] = amount
    return result


def actual_allocation(cooperation: Cooperation, year: int) -> Expected:
    allocation = dikt.allocate(cooperation, year)
    return {
        (member.id, line.item, line.kind.value): line.amount.ore
        for member in allocation.members
        for line in member.lines
    }


@given(cooperations(), st.integers(0, 3))
def test_every_line_is_its_exact_share_rounded_by_the_largest_remainder(
    cooperation: Cooperation, offset: int
) -> None:
    cooperation = payable(cooperation)
    year = cooperation.budget_year + offset
    if any(i.year == year for i in cooperation.investments):
        event("allocation: an investment in the year allocated")
    assert actual_allocation(cooperation, year) == expected_allocation(cooperation, year)

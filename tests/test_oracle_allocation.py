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
    remainders = [x - floor for x, floor in zip(exact, floors, strict=True)]
    order = sorted(range(len(exact)), key=lambda i: (-remainders[i], ids[i]))
    if left and len(exact) > 1:
        event("allocation: a split among several payers needs rounding")
        # A tie the rule must break: the last payer given an øre and the first left
        # without one have the same remainder (left < n, as every remainder is below 1).
        # Ties on one side of that cut decide nothing; they were once counted here.
        if remainders[order[left - 1]] == remainders[order[left]]:
            event("allocation: a rounded split with tied remainders")
    for i in order[:left]:
        floors[i] += 1
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


@given(cooperations(), st.data())
def test_every_line_is_its_exact_share_rounded_by_the_largest_remainder(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    cooperation = payable(cooperation)
    # The budget year or one of the three after it; often one that has an investment.
    plan = range(cooperation.budget_year, cooperation.budget_year + 4)
    invested = sorted({i.year for i in cooperation.investments} & set(plan))
    year = data.draw(st.sampled_from(invested) if invested else st.sampled_from(plan))
    if any(i.year == year for i in cooperation.investments):
        event("allocation: an investment in the year allocated")
    assert actual_allocation(cooperation, year) == expected_allocation(cooperation, year)


def names(cooperation: Cooperation) -> dict[tuple[str, str], str]:
    """Each line's name: the system's, or the investment's description (else its id)."""
    found = {}
    for system_id, system in cooperation.systems.items():
        for kind in ("base", "application"):
            found[system_id, kind] = system.name
    for member in cooperation.members.values():
        for own_id, own in member.own_systems.items():
            found[own_id, "own-system"] = own.name
    for investment in cooperation.investments:
        kind = f"{investment.category.value}-investment"
        found[investment.id, kind] = investment.description or investment.id
    return found


@given(cooperations(), st.integers(0, 2), st.data())
def test_diff_is_every_changed_line_between_two_years(
    cooperation: Cooperation, offset: int, data: st.DataObject
) -> None:
    """docs: `diff` shows each member's total before and after, and the lines that change
    (a line that appears or goes counts as a change, even of 0.00)."""
    cooperation = payable(cooperation)
    first = cooperation.budget_year + offset
    before, after = (
        expected_allocation(cooperation, first),
        expected_allocation(cooperation, first + 1),
    )
    called = names(cooperation)
    result = dikt.diff(dikt.allocate(cooperation, first), dikt.allocate(cooperation, first + 1))
    members = sorted(
        {m for m, _, _ in before}
        | {m for m, _, _ in after}
        | {m.id for m in cooperation.members.values() if m.status.value == "member"}
    )
    assert [m.id for m in result.members] == members
    for change in result.members:
        assert change.name == cooperation.members[change.id].name
        total_before = sum(v for (m, _, _), v in before.items() if m == change.id)
        total_after = sum(v for (m, _, _), v in after.items() if m == change.id)
        assert (change.before.ore, change.after.ore) == (total_before, total_after)
        mine_before = {(i, k): v for (m, i, k), v in before.items() if m == change.id}
        mine_after = {(i, k): v for (m, i, k), v in after.items() if m == change.id}
        changed = {
            line: (mine_before.get(line, 0), mine_after.get(line, 0))
            for line in mine_before.keys() | mine_after.keys()
            if mine_before.get(line) != mine_after.get(line)
        }
        if changed:
            event("diff: a member with changed lines")
        shown = {
            (line.item, line.kind.value): (line.before.ore, line.after.ore) for line in change.lines
        }
        assert shown == changed
        assert all(line.name == called[line.item, line.kind.value] for line in change.lines)
        # Lines by item, then by kind in the order of the allocation's kinds.
        order = [kind.value for kind in dikt.LineKind]
        keys = [(line.item, order.index(line.kind.value)) for line in change.lines]
        assert keys == sorted(keys)
    # above(p): the members whose total moves, by more than p percent of before
    # (a member that pays nothing before and something after always).
    moved = [m for m in result.members if m.after != m.before]
    if moved:
        pick = data.draw(st.sampled_from(moved))
        boundary = (
            abs(Fraction((pick.after - pick.before).ore * 100, pick.before.ore))
            if pick.before
            else Fraction(0)
        )
        for percent in (boundary, boundary + Fraction(1, 10**6)):
            expected_above = [
                m.id
                for m in moved
                if not m.before
                or abs(Fraction((m.after - m.before).ore * 100, m.before.ore)) > percent
            ]
            assert [m.id for m in result.above(percent)] == expected_above


@given(cooperations(), st.integers(0, 3))
def test_unit_prices_and_totals_by_kind(cooperation: Cooperation, offset: int) -> None:
    """shared/design/spec-format.md: the unit price of a system is its annual cost divided
    by the total of its key's metric over its participants; docs/allocation.md: the equal
    part costs each participant its share of the equal part. A member's total by kind
    sums its lines of each kind, every kind shown."""
    cooperation = payable(cooperation)
    year = cooperation.budget_year + offset
    allocation = dikt.allocate(cooperation, year)
    expected = expected_allocation(cooperation, year)
    for member in allocation.members:
        by_kind = {kind.value: money.ore for kind, money in member.by_kind().items()}
        assert set(by_kind) == {kind.value for kind in dikt.LineKind}
        for kind, ore in by_kind.items():
            assert ore == sum(
                v for (m, _, k), v in expected.items() if m == member.id and k == kind
            )
    prices = {price.system: price for price in dikt.unit_prices(allocation)}
    for system_id, system in sorted(cooperation.systems.items()):
        payers = sorted(
            {m for m, i, k in expected if i == system_id and k in ("base", "application")}
        )
        if not payers:
            assert system_id not in prices
            continue
        price = prices[system_id]
        key_name = system.key or (
            cooperation.defaults.base_key
            if system.package is Package.BASE
            else cooperation.defaults.application_key
        )
        key = cooperation.keys.get(key_name)
        amount = system.annual_cost.ore
        assert (price.name, price.package, price.key, price.annual_cost) == (
            system.name,
            system.package,
            key_name,
            system.annual_cost,
        )
        assert price.participants == tuple(payers)
        if key is not None and key.shares is not None:
            event("unit price: fixed shares")
            assert (price.metric, price.basis, price.per_unit, price.per_participant) == (
                None,
                1,
                None,
                0,
            )
            continue
        metric = key_name if key is None else key.metric.value
        e = Fraction(0) if key is None else Fraction(key.equal_share)
        members = [cooperation.members[m] for m in payers]
        basis = sum(metric_of(m, metric, system_id) for m in members)
        assert price.metric is not None
        assert (price.metric.value, price.basis) == (metric, basis)
        assert price.per_participant == amount * e / len(payers)
        assert price.per_unit == (amount * (1 - e) / basis if basis and e != 1 else None)
        if 0 < e < 1:
            event("unit price: a mixed key")

"""The key study and the cost game, recomputed from docs/fair-shares.md's words.

"What members pay alone (their own systems, their member investments) stays theirs.
The rest, the shared costs, is split by each key in turn, item by item among the
members who need the item, and each item is rounded to the øre on its own, by the
largest remainder": `equal` equally; `users`, `employees`, `population` in proportion
to the members' figures; `30/70`, `50/50` 30 % (50 %) equally, the rest by population;
then the spec's keys that can split every item among its members (fixed shares naming
exactly the members, or a metric other than `system-users`). "For each key and member:
the amount, per inhabitant and per user (rounded to the øre), the change against today
in NOK and percent." A key that cannot split an item (nothing to weigh its members by)
is not shown.

The cost game: c(S) item by item, "an item nobody in S needs costs nothing; otherwise
its fixed part is paid once, its cost per user for each of the users in S, and its
capacity steps"; without a cost model an item's whole cost is fixed; the fixed part of
a model is what the other parts leave of the annual cost (docs/spec-format.md).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from hypothesis import event, given, strategies as st

import dikt
from dikt import Cooperation, Member, Package, StepBasis

from .conftest import MINIMAL_COOPERATION, minimal_member
from .strategies import cooperations, payable
from .test_oracle_allocation import charged, metric_of, rounded

#: An item of the year: who needs it, what it costs (øre), and its catalogue system if any.
Item = tuple[list[Member], int, dikt.System | None]


def items_of(cooperation: Cooperation, year: int) -> list[Item]:
    """Every item of the year with the members who need it, as the spec format says."""
    members = sorted(
        (m for m in cooperation.members.values() if m.status.value == "member"), key=lambda m: m.id
    )

    def users_of(system: dikt.System) -> list[Member]:
        if system.package is Package.BASE:
            return members
        return [m for m in members if system.id in m.systems and m.systems[system.id].users > 0]

    found: list[Item] = []
    for system in cooperation.systems.values():
        if charged(system, year):
            found.append((users_of(system), system.annual_cost.ore, system))
    for member in members:
        found += [([member], own.annual_cost.ore, None) for own in member.own_systems.values()]
    for investment in cooperation.investments:
        if investment.year == year:
            if investment.category is dikt.Category.CORE:
                found.append((members, investment.amount.ore, None))
            elif investment.category is dikt.Category.APPLICATION:
                assert investment.system is not None
                system = cooperation.systems[investment.system]
                found.append((users_of(system), investment.amount.ore, None))
            else:
                member = cooperation.members[investment.member or ""]
                found.append(([member], investment.amount.ore, None))
    return found


def by_key(
    cooperation: Cooperation,
    items: list[Item],
    ids: list[str],
    share: Fraction | dict[str, Fraction],
    metric: str,
) -> list[int] | None:
    """Each member's amount under one key, item by item; None if some item cannot be split.

    ``share`` is the equal part, or a key's fixed shares (split among who needs the
    item in proportion to their shares).
    """
    total = dict.fromkeys(ids, 0)
    for payers, amount, _system in items:
        if not amount or not payers:
            continue
        if len(payers) == 1:  # a lone payer pays it all
            total[payers[0].id] += amount
            continue
        if isinstance(share, dict):
            weights = [share[m.id] for m in payers]
            if not any(weights):
                return None
            exact = [amount * w / sum(weights) for w in weights]
        elif share == 1:
            exact = [Fraction(amount, len(payers))] * len(payers)
        else:
            q = [metric_of(m, metric, None) for m in payers]
            if not sum(q):
                return None
            exact = [
                amount * (share / len(payers) + (1 - share) * Fraction(qi, sum(q))) for qi in q
            ]
        for member, part in zip(payers, rounded(exact, [m.id for m in payers]), strict=True):
            total[member.id] += part
    return [total[i] for i in ids]


def expected_keys(cooperation: Cooperation, year: int) -> dict[str, list[int]]:
    """The alternative keys' amounts, in the order shown (the spec's keys by id)."""
    items = items_of(cooperation, year)
    members = sorted(m.id for m in cooperation.members.values() if m.status.value == "member")
    keys: dict[str, list[int] | None] = {
        "equal": by_key(cooperation, items, members, Fraction(1), "equal"),
        "users": by_key(cooperation, items, members, Fraction(0), "users"),
        "employees": by_key(cooperation, items, members, Fraction(0), "employees"),
        "population": by_key(cooperation, items, members, Fraction(0), "population"),
        "30/70": by_key(cooperation, items, members, Fraction(3, 10), "population"),
        "50/50": by_key(cooperation, items, members, Fraction(1, 2), "population"),
    }
    for key_id, key in sorted(cooperation.keys.items()):
        if key.shares is not None:
            if set(key.shares) == set(members):
                keys[key_id] = by_key(cooperation, items, members, dict(key.shares), "")
        elif key.metric is not dikt.Metric.SYSTEM_USERS:
            assert key.metric is not None
            # One of the usual keys under another name: its row already (docs/fair-shares.md).
            usual = key.equal_share == 1 or (key.equal_share, key.metric.value) in {
                (0, "users"),
                (0, "employees"),
                (0, "population"),
                (Fraction(3, 10), "population"),
                (Fraction(1, 2), "population"),
            }
            if not usual:
                keys[key_id] = by_key(
                    cooperation, items, members, Fraction(key.equal_share), key.metric.value
                )
    return {k: v for k, v in keys.items() if v is not None}


def per(amount: int, count: int) -> int | None:
    """Per inhabitant or per user, to the øre (halves up), none for none."""
    return math.floor(Fraction(amount, count) + Fraction(1, 2)) if count > 0 else None


@given(cooperations())
def test_every_key_splits_each_item_among_who_needs_it(cooperation: Cooperation) -> None:
    cooperation = payable(cooperation)
    year = cooperation.budget_year
    study = dikt.key_study(cooperation)
    members = sorted(m.id for m in cooperation.members.values() if m.status.value == "member")
    alternatives = expected_keys(cooperation, year)
    today = {m.id: m.total.ore for m in dikt.allocate(cooperation, year).members}
    shown = [k.key for k in study.keys]
    assert shown[0] == "today"
    assert [k for k in shown if k not in ("today", "shapley")] == list(alternatives)
    event(f"key study: {len(alternatives)} alternative keys")
    for result in study.keys:
        if result.key in ("today", "shapley") or result.unavailable:
            continue
        assert [s.member for s in result.shares] == members
        assert [s.amount.ore for s in result.shares] == alternatives[result.key]
        for share in result.shares:
            member = cooperation.members[share.member]
            change = share.amount.ore - today[share.member]
            assert (share.change.ore, share.change_percent) == (
                change,
                Fraction(change, today[share.member]) if today[share.member] else None,
            )
            assert share.per_inhabitant == (
                None
                if member.population <= 0
                else dikt.Money(per(share.amount.ore, member.population) or 0)
            )
            assert share.per_user == (
                None if member.users <= 0 else dikt.Money(per(share.amount.ore, member.users) or 0)
            )


def test_the_keys_are_described_as_a_board_reads_them() -> None:
    study = dikt.key_study(dikt.load("specs/d-ikt"))
    assert [(k.key, str(k.description)) for k in study.keys] == [
        ("today", "today's keys"),
        ("equal", "the same amount for every member"),
        ("users", "by users"),
        ("employees", "by employees"),
        ("population", "by population"),
        # The spec's one key, population-30-70, is this row.
        (
            "30/70",
            'equally for 30 %, by population for 70 %, as the spec\'s key "population-30-70"',
        ),
        ("50/50", "equally for 50 %, by population for 50 %"),
        ("shapley", "the Shapley value"),
    ]


def cost_alone(cooperation: Cooperation, year: int, coalition: set[str]) -> int:
    """c(S), item by item, from the words above."""
    total = 0
    for payers, amount, system in items_of(cooperation, year):
        inside = [m for m in payers if m.id in coalition]
        if not inside:
            continue  # nobody in S needs it
        model = None if system is None else system.cost_model
        if system is None or model is None:
            total += amount  # its whole cost is fixed
            continue

        def users(member: Member, system: dikt.System = system) -> int:
            if system.package is Package.BASE:
                return member.users
            return member.systems[system.id].users

        def step(group: list[Member], model: dikt.CostModel = model) -> int:
            """The smallest step serving the group's need (the largest member's, or all)."""
            need = [users(m) for m in group]
            amount = sum(need) if model.step_basis is StepBasis.TOTAL else max(need)
            serving = [s.cost.ore for s in model.steps if s.up_to >= amount]
            return serving[0] if amount > 0 and serving else 0

        per_user = model.per_user.ore
        fixed = amount - per_user * sum(users(m) for m in payers) - step(payers)
        total += fixed + per_user * sum(users(m) for m in inside) + step(inside)
    return total


@given(cooperations(), st.integers(0, 2))
def test_the_cost_game_is_every_set_served_alone(cooperation: Cooperation, offset: int) -> None:
    cooperation = payable(cooperation)
    year = cooperation.budget_year + offset
    game = dikt.cost_game(cooperation, year) if offset else dikt.cost_game(cooperation)
    members = sorted(m.id for m in cooperation.members.values() if m.status.value == "member")
    assert game.players == tuple(members)
    if any(s.cost_model for s in cooperation.systems.values()):
        event("cost game: a cost model")
    for size in range(1, len(members) + 1):
        for coalition in itertools.combinations(members, size):
            expected = cost_alone(cooperation, year, set(coalition))
            assert game.cost(coalition).ore == expected


def test_a_key_with_nothing_to_weigh_the_members_by_is_not_shown() -> None:
    # Neither member has employees or inhabitants: "by employees", "by population" and
    # the keys partly by population cannot split the firewall; "equal" and the others
    # split each item equally (every other figure is alike).
    members = {
        f"members/{ident}.toml": minimal_member(ident, number)
        .replace("employees = 100", "employees = 0")
        .replace("population = 1000", "population = 0")
        for ident, number in (("a", "0602"), ("b", "0603"))
    }
    study = dikt.key_study(dikt.load_texts(MINIMAL_COOPERATION, members))
    assert [k.key for k in study.keys] == ["today", "equal", "users", "shapley"]
    assert {tuple(s.amount.ore for s in k.shares) for k in study.keys} == {(75_000, 75_000)}


def test_fixed_shares_of_nothing_among_who_needs_an_item_cannot_split_it() -> None:
    # The key gives a everything; only b and c use the care system: the key is not shown.
    cooperation = MINIMAL_COOPERATION + "[keys.founder]\nshares = { a = 1, b = 0, c = 0 }\n"
    members = {
        "members/a.toml": minimal_member("a").replace(
            "[systems.CARE]\nusers = 10", "[systems.CARE]\nusers = 0"
        ),
        "members/b.toml": minimal_member("b", "0603"),
        "members/c.toml": minimal_member("c", "0604"),
    }
    spec = dikt.load_texts(cooperation, members)
    assert not [p for p in dikt.check(spec) if p.severity is dikt.Severity.ERROR]
    assert "founder" not in [k.key for k in dikt.key_study(spec).keys]


#: Three members alike in every figure (200 users, 10 of CARE): a firewall of NOK 30
#: (no model: fixed), a free licence, CARE of NOK 1 000 in capacity steps by total users
#: (up to 10 users 100, up to 20 900, up to 30 1 000), a core investment of NOK 30 in
#: 2012 and a member investment of NOK 5 for a; a key of system users equally for all.
ALIKE = (
    MINIMAL_COOPERATION.replace("annual_cost = 1000", "annual_cost = 30").replace(
        "annual_cost = 500", "annual_cost = 1000"
    )
    + """
[systems.CARE.cost_model]
step_basis = "total"
steps = [{ up_to = 10, cost = 100 }, { up_to = 20, cost = 900 }, { up_to = 30, cost = 1000 }]

[systems.LIC]
name = "Licence"
package = "base"
domain = "infra"
annual_cost = 0

[keys.flat]
equal_share = 1
metric = "system-users"

[[investments]]
id = "net"
category = "core"
year = 2012
amount = 30

[[investments]]
id = "pcs"
category = "member"
year = 2012
amount = 5
member = "a"
"""
)


def _alike() -> Cooperation:
    members = {
        f"members/{ident}.toml": minimal_member(ident, number)
        for ident, number in (("a", "0602"), ("b", "0603"), ("c", "0604"))
    }
    return dikt.load_texts(ALIKE, members)


def test_members_alike_pay_alike_under_every_key_and_the_core_is_on_the_exact_split() -> None:
    """Alike, every key and the Shapley value (symmetry) split each shared item equally:
    1 060 / 3 = 353 1/3 each, and a's investment stays a's; rounded item by item (CARE's
    100 000 øre / 3: the øre left to the smaller id) a pays 358.34. Alone a member costs
    the firewall, CARE's first step and the core investment, 160 (a 165), so each member
    alone is overcharged by 193 1/3; a pair pays 706 2/3 against 30 + 900 + 30: in the
    core. The core is checked and shown on the exact split (a pays 358.33 there). The
    spec's key by system users is not a key of the study; the free licence costs nobody
    an øre."""
    study = dikt.key_study(_alike())
    assert [k.key for k in study.keys] == [
        "today",
        "equal",
        "users",
        "employees",
        "population",
        "30/70",
        "50/50",
        "shapley",
    ]
    for result in study.keys:
        assert [(s.member, str(s.amount)) for s in result.shares] == [
            ("a", "358.34"),
            ("b", "353.33"),
            ("c", "353.33"),
        ], result.key
        assert result.core.count == 3, result.key
        assert [
            (v.members, str(v.pays), str(v.alone), str(v.excess)) for v in result.core.violations
        ] == [
            (("a",), "358.33", "165.00", "193.33"),
            (("b",), "353.33", "160.00", "193.33"),
            (("c",), "353.33", "160.00", "193.33"),
        ], result.key
    assert [(s.member, str(s.alone)) for s in study.stand_alone] == [
        ("a", "165.00"),
        ("b", "160.00"),
        ("c", "160.00"),
    ]


def test_the_cost_game_of_a_year_costs_that_years_allocation() -> None:
    """c(N) is the year's whole allocation: 2012 with its investments, 2013 without."""
    spec = _alike()
    assert str(dikt.cost_game(spec).total) == "1065.00"
    assert str(dikt.cost_game(spec, 2013).total) == "1030.00"
    assert str(dikt.cost_game(spec, 2013).cost(["a"])) == "130.00"


def test_the_cost_games_items_are_the_allocations_lines() -> None:
    """One item per split of the allocation, named and kinded as its line (CostItem:
    "``kind`` is the LineKind of the allocation line it prices"); without a cost model
    its whole cost is fixed and nothing in it grows with users, with one its users are
    each member's users of the system and the fixed part is what the steps leave."""
    game = dikt.cost_game(_alike())
    assert game.players == ("a", "b", "c")
    assert [
        (i.item, i.kind.value if i.kind else None, i.players, i.needs, i.fixed, i.steps)
        for i in game.items
    ] == [
        ("FW", "base", (0, 1, 2), (0, 0, 0), 3000, ()),
        ("LIC", "base", (0, 1, 2), (0, 0, 0), 0, ()),
        (
            "CARE",
            "application",
            (0, 1, 2),
            (10, 10, 10),
            0,
            ((10, 10_000), (20, 90_000), (30, 100_000)),
        ),
        ("net", "core-investment", (0, 1, 2), (0, 0, 0), 3000, ()),
        ("pcs", "member-investment", (0,), (0,), 500, ()),
    ]

"""The core, against a brute force over every coalition with exact values.

docs/fair-shares.md: c(S) is what serving only the members in S costs, item by item:
an item nobody in S needs costs nothing; otherwise its fixed part once, its cost per
user for each of S's users, and the cost of the smallest capacity step that serves S's
need (the largest member's users, or their total). A split is in the core when no set
of members pays more than it would cost them alone; paying exactly c(S) is allowed.
The whole cooperation is not a "set that could leave": only proper sets are checked.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import event, given, strategies as st

import dikt
from dikt import Money
from dikt.allocation import LineKind
from dikt.fair import (
    MAX_CORE_PLAYERS,
    MAX_VIOLATIONS_SHOWN,
    CostItem,
    Game,
    airport_shapley,
    core,
    shapley,
    shapley_amounts,
    to_ore,
)
from dikt.model import StepBasis

from .strategies import games, partitions


def cost_of(game: Game, coalition: Sequence[int]) -> int:
    """c(S) in øre, from the words above."""
    members = set(coalition)
    total = 0
    for item in game.items:
        needs = [q for p, q in zip(item.players, item.needs, strict=True) if p in members]
        if not needs:
            continue  # nobody in S needs it
        total += item.fixed + item.per_user * sum(needs)
        need = sum(needs) if item.basis is StepBasis.TOTAL else max(needs)
        serving = [cost for up_to, cost in item.steps if up_to >= need]
        if need and serving:
            total += serving[0]  # the smallest step that serves the need
    return total


def overcharged(
    game: Game, amounts: Sequence[int | Fraction]
) -> dict[tuple[str, ...], tuple[int | Fraction, int]]:
    """Every proper set that pays more than it costs alone: (what it pays, c(S))."""
    n = len(game.players)
    found = {}
    for size in range(1, n):
        for coalition in itertools.combinations(range(n), size):
            pays, alone = sum(amounts[p] for p in coalition), cost_of(game, coalition)
            if pays > alone:
                found[tuple(game.players[p] for p in coalition)] = (pays, alone)
    return found


@st.composite
def games_with_splits(draw: st.DrawFn) -> tuple[Game, list[int]]:
    """A game of up to 10 players and a split of c(N), often with a set paying exactly c(S)."""
    game = draw(games(max_players=10, max_items=5))
    n = len(game.players)
    total = cost_of(game, range(n))
    how = draw(st.sampled_from(["exact", "one øre over", "any"]) if n > 1 else st.just("any"))
    if how == "any":
        amounts = draw(partitions(total, n))
    else:
        # A proper set S pays exactly c(S) (or one øre more); the others the rest.
        inside = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n - 1)))
        outside = [p for p in range(n) if p not in inside]
        alone = cost_of(game, inside)
        extra = 1 if how == "one øre over" and total > alone else 0
        amounts = [0] * n
        for p, part in zip(inside, draw(partitions(alone + extra, len(inside))), strict=True):
            amounts[p] = part
        for p, part in zip(
            outside, draw(partitions(total - alone - extra, len(outside))), strict=True
        ):
            amounts[p] = part
    event(f"split: {how}")
    return game, amounts


@given(games_with_splits())
def test_the_core_check_is_the_brute_force(case: tuple[Game, list[int]]) -> None:
    game, amounts = case
    expected = overcharged(game, amounts)
    check = core(game, [Money(a) for a in amounts])
    event(
        "core: in"
        if not expected
        else "core: out, 1 set"
        if len(expected) == 1
        else f"core: out, {'up to' if len(expected) <= MAX_VIOLATIONS_SHOWN else 'over'} "
        f"{MAX_VIOLATIONS_SHOWN} sets"
    )
    if expected and max(len(s) for s in expected) == len(game.players) - 1:
        event("core: a set of all but one overcharged")
    assert check.in_core is (not expected)
    assert check.count == len(expected)
    shown = [v.members for v in check.violations]
    assert len(shown) == min(len(expected), MAX_VIOLATIONS_SHOWN)
    # The smallest sets first.
    assert [len(s) for s in shown] == sorted(len(s) for s in shown)
    assert sorted(len(s) for s in shown) == sorted(len(s) for s in expected)[: len(shown)]
    for violation in check.violations:
        pays, alone = expected[violation.members]
        assert (violation.pays, violation.alone, violation.excess) == (
            Money(pays),
            Money(alone),
            Money(pays - alone),
        )


def test_paying_exactly_the_cost_alone_is_in_the_core() -> None:
    # Two members, one system each at 100 øre: each pays exactly its own cost.
    game = Game(
        players=("a", "b"),
        items=tuple(
            CostItem(item=f"s{p}", kind=LineKind.APPLICATION, players=(p,), needs=(1,), fixed=100)
            for p in range(2)
        ),
    )
    assert core(game, [Money(100), Money(100)]).in_core is True
    assert core(game, [Money(101), Money(99)]).count == 1


def test_only_the_nine_of_ten_that_share_a_system_are_overcharged() -> None:
    # Ten members share a base of 900 øre; members 0-8 also share a system of 900 alone.
    # Member 9 pays nothing: the nine pay 1 800 + 1, one øre more than they cost alone.
    n = 10
    game = Game(
        players=tuple(f"m{p}" for p in range(n)),
        items=(
            CostItem(
                item="base", kind=LineKind.BASE, players=tuple(range(n)), needs=(0,) * n, fixed=900
            ),
            CostItem(
                item="app",
                kind=LineKind.APPLICATION,
                players=tuple(range(9)),
                needs=(0,) * 9,
                fixed=900,
            ),
        ),
    )
    amounts = [201] * 8 + [193, 0]
    assert sum(amounts[:9]) == 1801
    check = core(game, [Money(a) for a in amounts])
    assert [v.members for v in check.violations] == [tuple(f"m{p}" for p in range(9))]
    assert check.count == 1


TWO_GROUPS = """\
schema = 1
id = "two"
name = "Two groups"
budget_year = 2012
currency = "NOK"

[domains.care]
name = "Care"

[systems.A]
name = "A"
package = "application"
domain = "care"
annual_cost = 1_000_000

[systems.B]
name = "B"
package = "application"
domain = "care"
annual_cost = 1_000_000
"""


def two_groups_member(ident: str, number: str) -> str:
    system = "A" if ident in "abc" else "B"
    return (
        f'id = "{ident}"\nname = "{ident}"\nmunicipality_number = "{number}"\n'
        'status = "member"\npopulation = 1000\nemployees = 100\nusers = 100\n'
        f"\n[systems.{system}]\nusers = 10\n"
    )


def test_a_key_whose_exact_split_is_in_the_core_is_reported_in_it() -> None:
    # a, b, c share A and d, e, f share B (NOK 1 000 000 each); every member is alike,
    # so every key splits equally: exactly 1 000 000 per group, each group's cost alone.
    # Rounded to the øre, one group pays an øre more: no reason to leave over an øre.
    members = {ident: two_groups_member(ident, f"06{i:02}") for i, ident in enumerate("abcdef")}
    spec = dikt.load_texts(TWO_GROUPS, {f"members/{k}.toml": v for k, v in members.items()})
    study, game = dikt.key_study(spec), dikt.cost_game(spec)
    exact = [Fraction(study.shared.ore, 6)] * 6
    assert not overcharged(game, exact)  # the brute force: the exact split is in the core
    assert {result.key: result.core.count for result in study.keys} == dict.fromkeys(
        [result.key for result in study.keys], 0
    )


def _fixed_item(name: str, players: tuple[int, ...], fixed: int) -> CostItem:
    return CostItem(
        item=name,
        kind=LineKind.APPLICATION,
        players=players,
        needs=(0,) * len(players),
        fixed=fixed,
    )


#: a and b share A (100 øre), c and d share B (300), e has C alone (100): 500 in all.
PAIRS = Game(
    players=("a", "b", "c", "d", "e"),
    items=(
        _fixed_item("A", (0, 1), 100),
        _fixed_item("B", (2, 3), 300),
        _fixed_item("C", (4,), 100),
    ),
)


def _shown(check: dikt.CoreCheck) -> list[tuple[tuple[str, ...], int, int, int]]:
    return [(v.members, v.pays.ore, v.alone.ore, v.excess.ore) for v in check.violations]


def test_sets_of_one_size_are_shown_the_most_overcharged_first() -> None:
    # a and b pay 110 for A (10 too much), c and d 320 for B (20 too much); the four
    # together 430 for 400.
    check = core(PAIRS, [Money(a) for a in (55, 55, 160, 160, 70)])
    assert _shown(check) == [
        (("c", "d"), 320, 300, 20),
        (("a", "b"), 110, 100, 10),
        (("a", "b", "c", "d"), 430, 400, 30),
    ]
    assert check.count == 3


def test_exact_amounts_are_checked_and_shown_rounded() -> None:
    # A split in thirds of an øre: the sets are checked on the exact amounts (whatever
    # the rounded ones), and what they pay is shown to the øre. The pair paying more
    # (c and d) is not the more overcharged.
    exact = [Fraction(166, 3), Fraction(164, 3), Fraction(457, 3), Fraction(458, 3), Fraction(85)]
    assert sum(exact) == 500
    check = core(PAIRS, [Money(100)] * 5, exact=exact)
    assert _shown(check) == [
        (("a", "b"), 110, 100, 10),
        (("c", "d"), 305, 300, 5),
        (("a", "b", "c", "d"), 415, 400, 15),
    ]


def test_the_exact_split_decides_not_the_rounded_one() -> None:
    # Two groups of three share A and B (100 øre each): 200/6 each is exactly in the
    # core; rounded, a and b pay 34 and the group a, b, c pays 101 for 100.
    game = Game(
        players=tuple("abcdef"),
        items=(_fixed_item("A", (0, 1, 2), 100), _fixed_item("B", (3, 4, 5), 100)),
    )
    rounded = [Money(a) for a in (34, 34, 33, 33, 33, 33)]
    assert _shown(core(game, rounded)) == [(("a", "b", "c"), 101, 100, 1)]
    check = core(game, rounded, exact=[Fraction(100, 3)] * 6)
    assert (check.in_core, check.count, check.violations) == (True, 0, ())


def test_steps_by_total_users_price_a_set_by_its_users_together() -> None:
    # a and b have 100 users each of a system priced by steps of total users: alone
    # 1 000 øre each, together 3 000 (200 users); c has a system of 100 alone.
    game = Game(
        players=("a", "b", "c"),
        items=(
            CostItem(
                item="S",
                kind=LineKind.APPLICATION,
                players=(0, 1),
                needs=(100, 100),
                fixed=0,
                steps=((100, 1000), (200, 3000)),
                basis=StepBasis.TOTAL,
            ),
            _fixed_item("C", (2,), 100),
        ),
    )
    assert game.total == Money(3100)
    # a and b pay 2 000 for 3 000 together: only c and the sets with it pay too much.
    assert _shown(core(game, [Money(1000), Money(1000), Money(1100)])) == [
        (("c",), 1100, 100, 1000),
        (("a", "c"), 2100, 1100, 1000),
        (("b", "c"), 2100, 1100, 1000),
    ]


@pytest.mark.parametrize("basis", list(StepBasis))
@pytest.mark.parametrize("scale", [1, 100])  # few needs (priced from a table), or many
def test_every_sets_cost_of_capacity_steps_is_the_words(basis: StepBasis, scale: int) -> None:
    """Four members of 1, 2, 3 and 4 users (or 100 times that) of one item in capacity
    steps: each proper set's c(S) is its users together (or its largest member's)
    priced by the smallest step that serves them, plus the fixed part. Every member
    paying c(N) shows every proper set as overcharged, with its c(S)."""
    item = CostItem(
        item="S",
        kind=LineKind.APPLICATION,
        players=(0, 1, 2, 3),
        needs=tuple(q * scale for q in (1, 2, 3, 4)),
        fixed=7,
        per_user=1,
        steps=((2 * scale, 50), (5 * scale, 120), (10 * scale, 200)),
        basis=basis,
    )
    game = Game(players=("a", "b", "c", "d"), items=(item,))
    check = core(game, [game.total] * 4)
    assert check.count == 14
    alone = {v.members: v.alone.ore for v in check.violations}
    assert alone == {
        tuple(game.players[p] for p in coalition): cost_of(game, coalition)
        for size in (1, 2, 3)
        for coalition in itertools.combinations(range(4), size)
    }


def test_steps_by_total_users_of_one_or_two_users_by_the_definition() -> None:
    """The Shapley value is each member's cost added, averaged over the orders of joining.
    Steps of 1 user (100 øre) and 2 users (300): needing 1 user each, a and b add 100
    first and 200 second, 150 each; with b needing nothing, a adds 100 in either order
    and b nothing; alone, a pays the step it needs (and the fixed part)."""

    def game(needs: tuple[int, ...], fixed: int = 0) -> Game:
        item = CostItem(
            item="S",
            kind=LineKind.APPLICATION,
            players=tuple(range(len(needs))),
            needs=needs,
            fixed=fixed,
            steps=((1, 100), (2, 300)),
            basis=StepBasis.TOTAL,
        )
        return Game(players=("a", "b")[: len(needs)], items=(item,))

    assert shapley(game((1, 1))) == (150, 150)
    assert shapley(game((1, 0))) == (100, 0)
    assert shapley(game((1,), fixed=7)) == (107,)
    assert shapley(game((2,))) == (300,)


def test_more_members_than_the_core_can_check_are_not_checked() -> None:
    def game_of(n: int) -> Game:
        return Game(
            players=tuple(f"m{p:02}" for p in range(n)), items=(_fixed_item("A", (0,), 100),)
        )

    # Member m00 pays 100 too much alone, when the core is checked at all.
    amounts = [Money(200), Money(-100)]
    largest = core(game_of(MAX_CORE_PLAYERS), amounts + [Money(0)] * (MAX_CORE_PLAYERS - 2))
    assert (largest.checked, largest.in_core, largest.violations[0].members) == (
        True,
        False,
        ("m00",),
    )
    over = core(game_of(MAX_CORE_PLAYERS + 1), amounts + [Money(0)] * (MAX_CORE_PLAYERS - 1))
    assert over == dikt.CoreCheck(checked=False, violations=(), count=0)
    assert over.in_core is None


def test_an_item_whose_needs_are_not_one_per_player_is_refused() -> None:
    # A hand-made item with two players and one need: refused, never cut short.
    game = Game(
        players=("a", "b"),
        items=(
            CostItem(item="X", kind=LineKind.APPLICATION, players=(0, 1), needs=(1,), fixed=10),
        ),
    )
    for compute in (
        game.stand_alone,
        lambda: shapley(game),
        lambda: shapley_amounts(game),
        lambda: core(game, [Money(5), Money(5)]),
    ):
        with pytest.raises(ValueError, match="zip"):
            compute()
    with pytest.raises(ValueError, match="zip"):
        airport_shapley([8, 11], [1])


def test_exact_shares_to_the_ore_by_their_proportions() -> None:
    assert to_ore([Fraction(1, 3), Fraction(2, 3)], 100) == [33, 67]
    assert to_ore([Fraction(0), Fraction(0)], 0) == [0, 0]

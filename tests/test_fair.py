"""Fair shares: the cost game, the Shapley value against known answers and brute force, the core."""

from __future__ import annotations

import itertools
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, strategies as st

import dikt
import dikt.joining
from dikt import ComputeError, Money
from dikt.allocation import LineKind
from dikt.fair import (
    MAX_SUBSET_PLAYERS,
    CoreCheck,
    CostItem,
    Game,
    Violation,
    _coalition_costs,
    airport_shapley,
    core,
    cost_game,
    key_study,
    shapley,
    to_ore,
)
from dikt.i18n import texts
from dikt.model import StepBasis
from dikt.views.fair import core_paragraph

from .conftest import EXAMPLE, MINIMAL_COOPERATION, minimal_member
from .strategies import games
from .test_cli import run


def airport(costs: list[int]) -> Game:
    """One runway, player i needing a facility that costs ``costs[i]`` (øre)."""
    n = len(costs)
    return Game(
        players=tuple(f"p{i}" for i in range(n)),
        items=(
            CostItem(
                item="runway",
                kind=LineKind.BASE,
                players=tuple(range(n)),
                needs=tuple(range(1, n + 1)),
                fixed=0,
                steps=tuple((i + 1, cost) for i, cost in enumerate(costs)),
            ),
        ),
    )


def brute_shapley(game: Game) -> list[Fraction]:
    """The Shapley value by its definition, over every coalition."""
    n = len(game.players)
    values = [Fraction(0)] * n
    for i in range(n):
        others = [p for p in range(n) if p != i]
        for size in range(n):
            weight = Fraction(
                math.factorial(size) * math.factorial(n - 1 - size), math.factorial(n)
            )
            for coalition in itertools.combinations(others, size):
                with_i = [game.players[p] for p in (*coalition, i)]
                without = [game.players[p] for p in coalition]
                values[i] += weight * (game.cost(with_i).ore - game.cost(without).ore)
    return values


# -- known answers ------------------------------------------------------------------------


def test_four_runways_8_11_13_18() -> None:
    game = airport([800, 1100, 1300, 1800])
    assert shapley(game) == (200, 300, 400, 900)
    equal = [Money(450)] * 4
    check = core(game, equal)
    assert check.in_core is False
    assert check.violations[0].members == ("p0", "p1", "p2")  # the three smaller: 13.5 > 13
    assert (check.violations[0].pays, check.violations[0].alone) == (Money(1350), Money(1300))
    assert core(game, [Money(200), Money(300), Money(400), Money(900)]).in_core is True


def test_needs_4_4_10_proportional_is_not_in_the_core_shapley_is() -> None:
    # Scaled by 9 so that the proportional split 20/9, 20/9, 50/9 is whole.
    game = Game(
        players=("a", "b", "c"),
        items=(
            CostItem(
                item="runway",
                kind=LineKind.BASE,
                players=(0, 1, 2),
                needs=(1, 1, 2),
                fixed=0,
                steps=((1, 36), (2, 90)),
            ),
        ),
    )
    proportional = core(game, [Money(20), Money(20), Money(50)])
    assert proportional.in_core is False
    assert proportional.violations[0].members == ("a", "b")  # 40/9 > 4
    assert shapley(game) == (12, 12, 66)  # 4/3, 4/3, 22/3, scaled by 9
    assert core(game, [Money(12), Money(12), Money(66)]).in_core is True


def test_birmingham_airport_to_the_penny() -> None:
    costs = [65_899, 76_725, 95_200, 97_200, 97_436, 98_142, 102_496, 104_849, 113_322, 115_440]
    costs.append(117_676)
    movements = [42, 9_555, 288, 303, 151, 1_315, 505, 1_128, 151, 112, 22]
    charges = airport_shapley(costs, movements)
    pence = [Decimal(c.numerator) / Decimal(c.denominator) for c in charges]
    assert [p.quantize(Decimal("0.01"), ROUND_HALF_UP) for p in pence] == [
        Decimal(x)
        for x in (
            "4.86",
            "5.66",
            "10.30",
            "10.85",
            "10.92",
            "11.13",
            "13.40",
            "15.07",
            "44.80",
            "60.61",
            "162.24",
        )
    ]
    assert sum(c * m for c, m in zip(charges, movements, strict=True)) == 117_676


# -- properties -----------------------------------------------------------------------------


@given(games())
def test_the_closed_form_is_the_shapley_value_by_definition(game: Game) -> None:
    assert list(shapley(game)) == brute_shapley(game)


@given(games())
def test_stand_alone_costs_are_the_game_of_one(game: Game) -> None:
    assert list(game.stand_alone()) == [game.cost([player]) for player in game.players]


@given(games())
def test_efficiency_the_shapley_value_sums_to_the_grand_coalitions_cost(game: Game) -> None:
    values = shapley(game)
    assert sum(values) == game.total.ore
    assert sum(to_ore(list(values), game.total.ore)) == game.total.ore


@given(games(), games())
def test_additivity_over_items(first: Game, second: Game) -> None:
    n = min(len(first.players), len(second.players))
    keep = [i for i in first.items + second.items if max(i.players) < n]
    players = first.players[:n]
    both = Game(players=players, items=tuple(keep))
    parts = [Game(players=players, items=(item,)) for item in keep]
    if not keep:
        return
    summed = [sum(v) for v in zip(*(shapley(p) for p in parts), strict=True)]
    assert list(shapley(both)) == summed


@given(games(max_players=5), st.data())
def test_the_null_player_pays_nothing_and_twins_pay_alike(game: Game, data: st.DataObject) -> None:
    n = len(game.players)
    with_null = Game(players=(*game.players, "null"), items=game.items)
    assert shapley(with_null)[n] == 0
    # A twin of a player: in every item the player is in, with the same need.
    twin = data.draw(st.integers(0, n - 1))
    items = []
    for item in game.items:
        if twin not in item.players:
            items.append(item)
            continue
        need = item.needs[item.players.index(twin)]
        top = sum(item.needs) + need
        steps = item.steps
        if steps and steps[-1][0] < top:  # the last step serves the twin too
            steps = (*steps[:-1], (top, steps[-1][1]))
        items.append(
            attrs.evolve(item, players=(*item.players, n), needs=(*item.needs, need), steps=steps)
        )
    values = shapley(Game(players=(*game.players, "twin"), items=tuple(items)))
    assert values[twin] == values[n]


@given(games(max_players=6))
def test_coalition_costs_agree_with_the_game(game: Game) -> None:
    costs = _coalition_costs(game)
    for mask in range(1 << len(game.players)):
        members = [p for i, p in enumerate(game.players) if mask >> i & 1]
        assert costs[mask] == game.cost(members).ore


@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=7), st.integers(0, 5_000))
def test_an_airport_games_shapley_value_is_in_its_core(costs: list[int], fixed: int) -> None:
    costs.sort()
    base = airport(costs)
    game = Game(
        players=base.players,
        items=(
            *base.items,
            CostItem(
                item="fixed",
                kind=LineKind.BASE,
                players=tuple(range(len(costs))),
                needs=(0,) * len(costs),
                fixed=fixed,
            ),
        ),
    )
    values = shapley(game)
    for size in range(1, len(costs)):
        for coalition in itertools.combinations(range(len(costs)), size):
            alone = game.cost(game.players[p] for p in coalition).ore
            assert sum(values[p] for p in coalition) <= alone


def test_steps_by_total_users_are_refused_beyond_the_subset_limit() -> None:
    n = MAX_SUBSET_PLAYERS + 1
    game = Game(
        players=tuple(f"m{i}" for i in range(n)),
        items=(
            CostItem(
                item="dc",
                kind=LineKind.BASE,
                players=tuple(range(n)),
                needs=(1,) * n,
                fixed=0,
                steps=((5, 100), (n, 200)),
                basis=StepBasis.TOTAL,
            ),
        ),
    )
    with pytest.raises(ComputeError) as raised:
        shapley(game)
    assert str(raised.value) == (
        "dc: capacity steps by total users have no closed form Shapley value; dikt counts "
        "them exactly for at most 16 members, not 17"
    )


# -- the D-IKT example ---------------------------------------------------------------------


def test_the_game_of_d_ikt_costs_what_the_allocation_splits() -> None:
    cooperation = dikt.load(EXAMPLE)
    game = cost_game(cooperation)
    assert game.total == dikt.allocate(cooperation).total == Money(6_300_000_000)
    assert sum(shapley(game)) == game.total.ore


def test_the_key_study_of_d_ikt() -> None:
    study = key_study(dikt.load(EXAMPLE))
    assert [r.key for r in study.keys] == [
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
        assert sum(s.amount.ore for s in result.shares) == study.total.ore
        assert result.core.checked
    today = {s.member: s.amount for s in study.keys[0].shares}
    assert today["sande"] == Money(614_743_067)
    fair = {s.member: s.amount for s in study.keys[-1].shares}
    assert fair == {
        "drammen": Money(3_318_891_316),
        "royken": Money(1_410_935_595),
        "sande": Money(841_388_194),
        "svelvik": Money(728_784_895),
    }
    # The spec's own key population-30-70 splits as the usual 30/70: one row, named twice.
    assert study.keys[5].description == (
        'equally for 30 %, by population for 70 %, as the spec\'s key "population-30-70"'
    )
    alone = {s.member: s for s in study.stand_alone}
    assert alone["sande"].alone == Money(2_064_332_088)
    assert alone["sande"].benefit == Money(2_064_332_088 - 614_743_067)


def test_a_spec_key_that_splits_as_a_usual_one_is_named_on_its_row() -> None:
    """docs/fair-shares.md: the usual keys, then the spec's, one row for one split."""
    keys = {
        "head-count": 'metric = "users"',
        "staff": 'metric = "employees"',
        "inhabitants": 'metric = "population"',
        "thirty": 'equal_share = 0.3\nmetric = "population"',
        "half": 'equal_share = 0.5\nmetric = "population"',
        "flat": 'equal_share = 1\nmetric = "employees"',
        "same": 'equal_share = 1\nmetric = "population"',
        "half-staff": 'equal_share = 0.5\nmetric = "employees"',
        "per-app": 'metric = "system-users"',
    }
    text = "".join(f"\n[keys.{name}]\n{body}\n" for name, body in keys.items())
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION.replace("[domains.infra]", text + "\n[domains.infra]"),
        {"members/a.toml": minimal_member("a"), "members/b.toml": minimal_member("b", "0604")},
    )
    study = key_study(cooperation)
    assert [(r.key, str(r.description)) for r in study.keys[:-1]] == [
        ("today", "today's keys"),
        # Wholly equal is equal whatever the metric: two of the spec's keys.
        ("equal", 'the same amount for every member, as the spec\'s keys "flat" and "same"'),
        ("users", 'by users, as the spec\'s key "head-count"'),
        ("employees", 'by employees, as the spec\'s key "staff"'),
        ("population", 'by population, as the spec\'s key "inhabitants"'),
        ("30/70", 'equally for 30 %, by population for 70 %, as the spec\'s key "thirty"'),
        ("50/50", 'equally for 50 %, by population for 50 %, as the spec\'s key "half"'),
        # Half equally, half by employees is none of the usual keys; a key of system
        # users splits only some items, so it is not an alternative for all of them.
        ("half-staff", 'the spec\'s key "half-staff"'),
    ]


def test_a_key_that_overcharges_a_pair_is_not_in_the_core(tmp_path: Path) -> None:
    # Two members use an application nobody else does; an equal split of all costs
    # charges them part of the others' systems, but it costs them less alone.
    game = Game(
        players=("a", "b", "c"),
        items=(
            CostItem(item="x", kind=LineKind.BASE, players=(0, 1, 2), needs=(0, 0, 0), fixed=300),
            CostItem(item="y", kind=LineKind.APPLICATION, players=(2,), needs=(0,), fixed=900),
        ),
    )
    check = core(game, [Money(400)] * 3)
    assert check.in_core is False
    assert [v.members for v in check.violations] == [("a",), ("b",), ("a", "b")]
    assert check.violations[2].excess == Money(500)


def test_dikt_keys_on_the_command_line() -> None:
    code, out, _ = run("keys", EXAMPLE)
    assert code == 0
    assert out.startswith("Drammensregionens IKT (d-ikt): cost keys compared, 2012, NOK\n")
    assert "shapley: the Shapley value" in out
    assert "In the core: no set of members would pay less on its own." in out
    assert "Above the Shapley value, subsidising the others: Drammen (5,445,208.81 NOK).\n" in out
    assert "Every member pays its Shapley value: nobody subsidises." in out
    code, out, _ = run("keys", EXAMPLE, "--lang", "nb")
    assert "fordelingsnøkler sammenlignet" in out


def test_ten_members_closed_form_and_definition_agree() -> None:
    # The bound for brute force: every coalition of ten members.
    n = 10
    items = (
        CostItem(
            item="dc",
            kind=LineKind.BASE,
            players=tuple(range(n)),
            needs=tuple(100 * (i + 1) for i in range(n)),
            fixed=1_000,
            per_user=3,
            steps=((300, 5_000), (700, 9_000), (1_000, 12_000)),
        ),
        CostItem(
            item="storage",
            kind=LineKind.BASE,
            players=tuple(range(0, n, 2)),
            needs=(40, 10, 30, 20, 50),
            fixed=77,
            steps=((60, 1_000), (150, 4_000)),
            basis=StepBasis.TOTAL,
        ),
        CostItem(item="own", kind=LineKind.OWN_SYSTEM, players=(3,), needs=(0,), fixed=999),
    )
    game = Game(players=tuple(f"m{i}" for i in range(n)), items=items)
    assert list(shapley(game)) == brute_shapley(game)


def test_a_violation_reads_as_a_sentence() -> None:
    check = CoreCheck(
        checked=True,
        violations=(
            Violation(
                members=("sande", "svelvik"),
                pays=Money(900),
                alone=Money(500),
                excess=Money(400),
            ),
        ),
        count=1,
    )
    assert core_paragraph(check, texts("en"), "NOK").lines == (
        "Not in the core: 1 set of members would pay less on its own.",
        "sande and svelvik together would pay 4.00 NOK less alone (9.00 against 5.00).",
    )
    assert core_paragraph(check, texts("nb"), "NOK").lines[1] == (
        "sande og svelvik ville sammen betalt 4,00\u00a0kr mindre alene (9,00 mot 5,00)."
    )


def test_who_gains_when_nedre_eiker_joins() -> None:
    cooperation = dikt.load(EXAMPLE)
    gains = {g.member: g for g in dikt.joining_gains(cooperation, "nedre-eiker")}
    assert gains["nedre-eiker"].before is None
    assert gains["nedre-eiker"].after == gains["nedre-eiker"].change
    after = Money.sum(g.after for g in gains.values())
    # The budget year's game, priced as join prices it (join's own figures are of 2013).
    members = [*(m.id for m in cooperation.active_members), "nedre-eiker"]
    scenario = dikt.priced(cooperation, members)[0]
    scenario = dikt.joining.taken_over(scenario, cooperation.members["nedre-eiker"], cooperation)
    assert after == dikt.allocate(scenario).total
    assert all(g.change.ore < 0 for m, g in gains.items() if m != "nedre-eiker")
    code, out, _ = run("keys", EXAMPLE, "--candidate", "nedre-eiker")
    assert code == 0
    assert "If Nedre Eiker kommune joins: each member's Shapley value" in out
    # The flag's first name works for one release, and says so.
    assert run("keys", EXAMPLE, "--with", "nedre-eiker") == (
        0,
        out,
        "dikt: --with is deprecated; use --candidate\n",
    )
    code, _, err = run("keys", EXAMPLE, "--candidate", "sande")
    assert (code, err) == (2, "dikt: sande is already a member; the what-if is for candidates\n")


def test_who_gains_by_a_roadmap_step_through_the_same_game() -> None:
    cooperation = dikt.load(EXAMPLE)
    today = dikt.shapley_amounts(cost_game(cooperation))
    moved = dikt.harmonise(cooperation, "sande", "gerica", "IT173")
    after = dikt.shapley_amounts(cost_game(moved))
    assert Money.sum(today.values()) - Money.sum(after.values()) == Money(30_000_000)
    # Profil is 85 % per user (the default model): Sande's 150 users of it
    # pay their part, and its fixed part is shared four ways.
    assert {m: after[m] - today[m] for m in today} == {
        "drammen": Money(-11_744_989),
        "royken": Money(-5_571_789),
        "sande": Money(-8_935_333),
        "svelvik": Money(-3_747_889),
    }


def test_a_hundred_thousand_capacity_steps_price_the_game_exactly() -> None:
    # A hostile spec may list any number of steps: each lookup is a binary search.
    # The members need 780 users in all, so only the first 780 steps are ever
    # passed (the Shapley value's work grows with those, and 78 000 of them
    # took 20 s); the other 99 220 are there to be searched past.
    n = 12
    steps = tuple((k, 10 * k) for k in range(1, 100_001))
    item = CostItem(
        item="dc",
        kind=LineKind.BASE,
        players=tuple(range(n)),
        needs=tuple(10 * (i + 1) for i in range(n)),
        fixed=0,
        steps=steps,
        basis=StepBasis.TOTAL,
    )
    game = Game(players=tuple(f"m{i}" for i in range(n)), items=(item,))
    assert game.total == Money(10 * 780)
    assert sum(shapley(game)) == game.total.ore
    assert core(game, list(dikt.shapley_amounts(game).values())).checked


def test_the_candidates_what_if_says_what_was_held_flat() -> None:
    """`keys --candidate` is a what-if too: it says what the cost models add and held flat."""
    cooperation = dikt.load(EXAMPLE)
    study = key_study(cooperation, candidate="nedre-eiker")
    assert (study.cost_change, study.held_flat) == (Money(771_646_390), Money(0))
    assert (key_study(cooperation).cost_change, key_study(cooperation).held_flat) == (None, None)
    # Without the default model, the 2012 applications Nedre Eiker shares are held flat
    # (IT187 goes into operation in 2013: not in this year's game).
    bare = attrs.evolve(
        cooperation, defaults=attrs.evolve(cooperation.defaults, per_user_share=None)
    )
    study = key_study(bare, candidate="nedre-eiker")
    assert study.held_flat == Money(660_000_000)
    code, out, _ = run("keys", EXAMPLE, "--candidate", "nedre-eiker")
    assert code == 0
    assert (
        "With Nedre Eiker kommune, the systems' cost models add 7,716,463.90 NOK a year; "
        "0.00 NOK of the cost of the systems it would share has no cost model and was held flat."
    ) in out.replace("\n", " ")

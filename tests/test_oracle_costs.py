"""The one cost function (dikt.costs), against the words of the docs, never its code.

docs/fair-shares.md, "The cost game": an item nobody in the set needs costs nothing;
otherwise its fixed part is paid once, its cost per user for each of the set's users,
and the cost of the smallest capacity step that serves the set's need, sized by the
largest member's users (`step_basis = "largest"`) or their total (`"total"`). "The
users of an item are the member's users of the application, or the member's `users`
for a base package." The fixed part is what the other parts leave of the annual cost
for today's members. A system without a model of its own takes the default model of
`per_user_share`: that share of its annual cost a cost per user of today's members,
rounded down to the øre, the rest fixed. Without either, its cost is held flat
(docs/spec-format.md, `per_user_share`), and the cost held flat is today's cost of the
systems without a model whose use changes with the new set; a system nobody in the
set uses costs them nothing (`dikt.costs.costing`).

Each figure below is computed here from those words, in whole øre.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import given, strategies as st

import dikt
from dikt import ComputeError, Cooperation, Money
from dikt.allocation import LineKind
from dikt.costs import CostItem, costing, effective_model, priced, system_item
from dikt.model import CapacityStep, CostModel, MemberStatus, Package, StepBasis
from dikt.rules import fixed_part

from .conftest import MINIMAL_COOPERATION, minimal_member
from .strategies import games
from .test_costs import costed_with_candidate


def users_of(cooperation: Cooperation, system_id: str, members: list[str]) -> dict[str, int]:
    """Each member's users of the system: its `users` for a base package, else its users of
    the application (only those with some)."""
    system = cooperation.systems[system_id]
    found = {}
    for member_id in sorted(members):
        member = cooperation.members[member_id]
        if system.package is Package.BASE:
            found[member_id] = member.users
        elif system_id in member.systems and member.systems[system_id].users > 0:
            found[member_id] = member.systems[system_id].users
    return found


def step(steps: tuple[CapacityStep, ...], need: int) -> int:
    """The cost of the smallest step serving ``need`` users: its `up_to` at least the need.
    No users or no steps, no step."""
    if need == 0 or not steps:
        return 0
    serving = [s.cost.ore for s in steps if s.up_to >= need]
    assert serving, "the generators' last step serves every set"
    return serving[0]


def need_of(model: CostModel, users: dict[str, int]) -> int:
    if model.step_basis is StepBasis.TOTAL:
        return sum(users.values())
    return max(users.values(), default=0)


def model_of(cooperation: Cooperation, system_id: str) -> CostModel | None:
    """The system's own model, else the default one of `per_user_share`, else none."""
    system = cooperation.systems[system_id]
    if system.cost_model is not None:
        return system.cost_model
    share = cooperation.defaults.per_user_share
    today = sum(
        users_of(cooperation, system_id, [m.id for m in cooperation.active_members]).values()
    )
    if not share or not today:
        return None
    # That share of the annual cost per user of today's members, rounded down to the øre.
    exact = Fraction(system.annual_cost.ore) * share / today
    return CostModel(per_user=Money(exact.numerator // exact.denominator))


def cost_for(cooperation: Cooperation, system_id: str, members: list[str]) -> tuple[int, int]:
    """(the system's cost for exactly ``members``, the part of it held flat), in øre."""
    system = cooperation.systems[system_id]
    today = users_of(cooperation, system_id, [m.id for m in cooperation.active_members])
    new = users_of(cooperation, system_id, members)
    if not new:
        return 0, 0  # nobody in the set uses it
    if new == today:
        return system.annual_cost.ore, 0  # today's use: the annual cost as written
    model = model_of(cooperation, system_id)
    if model is None:
        return system.annual_cost.ore, system.annual_cost.ore  # held flat
    fixed = (
        system.annual_cost.ore
        - model.per_user.ore * sum(today.values())
        - step(model.steps, need_of(model, today))
    )
    variable = model.per_user.ore * sum(new.values()) + step(model.steps, need_of(model, new))
    return fixed + variable, 0


def check_costing(cooperation: Cooperation, members: list[str]) -> None:
    """Any set of members and candidates (today's members among them): each system's cost,
    its users, whether its use changed and what was held flat."""
    result = costing(cooperation, members)
    assert result.members == tuple(sorted(members))
    held = 0
    for line in result.systems:
        system = cooperation.systems[line.system]
        today = users_of(cooperation, line.system, [m.id for m in cooperation.active_members])
        new = users_of(cooperation, line.system, members)
        cost, flat = cost_for(cooperation, line.system, members)
        held += flat
        assert (line.today, line.cost) == (system.annual_cost, Money(cost)), line.system
        assert (line.users_today, line.users) == (sum(today.values()), sum(new.values()))
        assert line.changed == (new != today)
        assert line.modelled == (model_of(cooperation, line.system) is not None)
    assert [line.system for line in result.systems] == sorted(cooperation.systems)
    assert result.held_flat == Money(held)
    assert result.total == Money.sum(line.cost for line in result.systems)
    assert result.change == result.total - result.today


@given(costed_with_candidate, st.data())
def test_any_set_is_priced_by_the_words(cooperation: Cooperation, data: st.DataObject) -> None:
    """costing, as check_costing says; priced: the set's candidates are members paying in
    any year (their planned date set aside), the members not in it candidates; a system
    whose use changes costs its cost for the set, its model written out, so that its fixed
    part is today's (the same game)."""
    everyone = sorted(cooperation.members)
    members = data.draw(st.lists(st.sampled_from(everyone), min_size=1, unique=True))
    check_costing(cooperation, members)
    scenario, result = priced(cooperation, members)
    assert result == costing(cooperation, members)
    for member_id, member in cooperation.members.items():
        after = scenario.members[member_id]
        if member_id in members:
            assert after.status is MemberStatus.MEMBER
            assert after.joined == (member.joined if member.is_member else None)
        else:
            assert after.status is MemberStatus.CANDIDATE
            assert after.joined == member.joined
    for line in result.systems:
        system, after = cooperation.systems[line.system], scenario.systems[line.system]
        model = model_of(cooperation, line.system)
        used = bool(users_of(cooperation, line.system, members))
        if not line.changed:
            assert after == system
        elif model is None:
            # Held flat: today's cost, or nothing if nobody in the set uses it.
            assert after.cost_model is None
            assert after.annual_cost == (system.annual_cost if used else Money(0))
        else:
            assert (after.annual_cost, after.cost_model) == (line.cost, model)
            if not used:
                continue  # nobody in the set uses it: it costs them nothing
            assert fixed_part(scenario, line.system, model) == fixed_part(
                cooperation, line.system, model
            )


@given(games())
def test_one_player_alone_costs_its_fixed_part_its_users_and_its_step(game: dikt.Game) -> None:
    """cost_alone: what serving one player of an item alone costs, the words of c(S) for a
    set of one."""
    for item in game.items:
        for need in item.needs:
            serving = [cost for up_to, cost in item.steps if up_to >= need]
            capacity = serving[0] if need and serving else 0
            assert item.cost_alone(need) == item.fixed + item.per_user * need + capacity


# -- at the edges of a step -----------------------------------------------------------------

#: FW, a base package of 1 000 a year: 1,00 a user, and steps of 100 up to 200 users and
#: 300 up to 400. Members a and b have 200 users each: today's need is 200 by the largest
#: member (step 100: fixed 1 000 - 400 - 100 = 500) and 400 by the total (step 300: fixed
#: 300).
MODEL = """
[systems.FW.cost_model]
per_user = 1
step_basis = "{basis}"
steps = [{{ up_to = 200, cost = 100 }}, {{ up_to = 400, cost = 300 }}]
"""


def _spec(basis: str, candidate_users: int) -> Cooperation:
    candidate = (
        minimal_member("c", "0604")
        .replace('status = "member"', 'status = "candidate"\njoined = 2013-01-01')
        .replace("users = 200", f"users = {candidate_users}")
    )
    members = {"a": minimal_member("a"), "b": minimal_member("b", "0603"), "c": candidate}
    return dikt.load_texts(
        MINIMAL_COOPERATION + MODEL.format(basis=basis),
        {f"members/{k}.toml": v for k, v in members.items()},
    )


def _firewall(cooperation: Cooperation, members: list[str]) -> Money:
    (line,) = (s for s in costing(cooperation, members).systems if s.system == "FW")
    return line.cost


def test_a_step_serves_up_to_and_including_its_bound() -> None:
    # By the largest member: a candidate of exactly 200 users is served by the first step.
    assert _firewall(_spec("largest", 200), ["a", "b", "c"]) == Money.parse(500 + 600 + 100)
    assert _firewall(_spec("largest", 201), ["a", "b", "c"]) == Money.parse(500 + 601 + 300)
    # By the total: a alone (200 users) takes the first step, a and b (400) the second.
    assert _firewall(_spec("total", 200), ["a"]) == Money.parse(300 + 200 + 100)
    assert _firewall(_spec("total", 200), ["a", "c"]) == Money.parse(300 + 400 + 300)
    # The largest member of b and c is b's 200 users, the total 400: the steps differ.
    assert _firewall(_spec("largest", 150), ["b", "c"]) == Money.parse(500 + 350 + 100)
    assert _firewall(_spec("total", 150), ["b", "c"]) == Money.parse(300 + 350 + 300)


def test_past_the_last_step_nothing_serves_them() -> None:
    with pytest.raises(ComputeError, match=r"^FW: no capacity step serves 601 users$"):
        _firewall(_spec("total", 201), ["a", "b", "c"])


def test_members_without_users_need_no_step() -> None:
    """A base package's members with 0 users: per user nothing, and no step to pay."""
    spec = _spec("largest", 0)
    assert _firewall(spec, ["c"]) == Money.parse(500)


def test_the_default_model_is_floored_and_only_for_systems_without_their_own() -> None:
    """per_user_share = 0.6 of CARE's 500 over today's 21 users: 14,2857... kr, 14,28 a user
    (rounded, it would be 14,29)."""
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION.replace(
            'currency = "NOK"\n', 'currency = "NOK"\n\n[defaults]\nper_user_share = 0.6\n'
        ),
        {
            "members/a.toml": minimal_member("a"),
            "members/b.toml": minimal_member("b", "0603").replace("users = 10", "users = 11"),
        },
    )
    model = effective_model(cooperation, "CARE")
    assert model == CostModel(per_user=Money.parse("14.28"))
    # a alone: the fixed part (500 - 21 x 14,28) and its 10 users.
    care = next(s for s in costing(cooperation, ["a"]).systems if s.system == "CARE")
    assert care.cost == Money.parse("500") - Money.parse("14.28") * 11
    # The firewall, a base package: 0,6 of 1 000 over every member's users (400).
    assert effective_model(cooperation, "FW") == CostModel(per_user=Money.parse("1.50"))
    # An application nobody uses today has no users to share its cost: no default model, and
    # its cost is held flat for a set that would use it.
    unused = attrs.evolve(cooperation.systems["CARE"], id="CARE9")
    with_unused = attrs.evolve(cooperation, systems={**cooperation.systems, "CARE9": unused})
    assert effective_model(with_unused, "CARE9") is None
    own = attrs.evolve(cooperation.systems["CARE"], cost_model=CostModel(per_user=Money.parse(2)))
    with_own = attrs.evolve(cooperation, systems={**cooperation.systems, "CARE": own})
    assert effective_model(with_own, "CARE") is own.cost_model


def test_cost_item_sizes_by_its_basis() -> None:
    """Two players of 3 and 4 users: the largest is 4, the total 7."""
    steps = ((4, 10), (7, 30))
    largest = CostItem(item="x", kind=None, players=(0, 1), needs=(3, 4), fixed=5, steps=steps)
    total = attrs.evolve(largest, basis=StepBasis.TOTAL)
    assert (largest.cost([0, 1]), total.cost([0, 1])) == (15, 35)
    assert (largest.cost([0]), total.cost([0])) == (15, 15)
    assert largest.cost([]) == 0


# -- the what-if's cooperation, and what cannot be priced ---------------------------------


def _two(model: str = "") -> Cooperation:
    """a and b, 200 users each; only a uses CARE (10 users)."""
    b = minimal_member("b", "0603").split("[systems.CARE]")[0]
    return dikt.load_texts(
        MINIMAL_COOPERATION + model, {"members/a.toml": minimal_member("a"), "members/b.toml": b}
    )


def test_a_system_nobody_in_the_set_uses_costs_them_nothing() -> None:
    """b alone: CARE (no cost model) is a's alone, so b's what-if has it at 0; FW, held flat,
    costs its 1 000 and is the cost held flat."""
    spec = _two()
    scenario, result = priced(spec, ["b"])
    assert (scenario.systems["CARE"].annual_cost, scenario.systems["FW"].annual_cost) == (
        Money(0),
        Money.parse(1000),
    )
    assert result.held_flat == Money.parse(1000)
    assert scenario.members["a"].status is MemberStatus.CANDIDATE


def test_todays_members_are_priced_as_written_whatever_the_model() -> None:
    """With today's members every cost is the annual cost as written: a model that does not
    add up (E118: steps that serve 100 users of 200) is not even read."""
    spec = _two("\n[systems.FW.cost_model]\nsteps = [{ up_to = 100, cost = 10 }]\n")
    assert [s.cost for s in costing(spec, ["a", "b"]).systems] == [
        Money.parse(500),
        Money.parse(1000),
    ]
    # For another set it is read, and it cannot price them: said, naming the system.
    with pytest.raises(
        ComputeError, match=r"^FW: its cost model does not add up \(`dikt check` says why\)$"
    ):
        costing(spec, ["b"])


def test_a_model_whose_parts_exceed_the_annual_cost_is_refused() -> None:
    """2 a user for 400 users and a step of 300: 1 100 of a cost of 1 000."""
    spec = _two("\n[systems.FW.cost_model]\nper_user = 2\nsteps = [{ up_to = 400, cost = 300 }]\n")
    with pytest.raises(
        ComputeError, match=r"^FW: its cost model does not add up \(`dikt check` says why\)$"
    ):
        costing(spec, ["b"])


def test_unknown_ids_are_named_each() -> None:
    with pytest.raises(ComputeError, match=r"^not a member or candidate: nobody, somebody$"):
        costing(_two(), ["somebody", "a", "nobody"])


def test_a_system_as_a_cost_item() -> None:
    """The item is the system, of the kind given; without a model its whole cost is fixed."""
    spec = _two("\n[systems.FW.cost_model]\nper_user = 1\nsteps = [{ up_to = 400, cost = 300 }]\n")
    item = system_item(spec, "CARE", None, [0, 1], [10, 0], kind=LineKind.APPLICATION)
    assert (item.item, item.kind, item.players, item.fixed, item.per_user, item.steps) == (
        "CARE",
        LineKind.APPLICATION,
        (0, 1),
        50_000,
        0,
        (),
    )
    model = spec.systems["FW"].cost_model
    item = system_item(spec, "FW", model, [0, 1], [200, 200], kind=LineKind.BASE)
    assert item == CostItem(
        item="FW",
        kind=LineKind.BASE,
        players=(0, 1),
        needs=(200, 200),
        fixed=100_000 - 100 * 400 - 30_000,
        per_user=100,
        steps=((400, 30_000),),
        basis=StepBasis.LARGEST,
    )


def test_an_item_whose_needs_do_not_match_its_players_is_refused() -> None:
    item = CostItem(item="x", kind=None, players=(0, 1), needs=(3,), fixed=5)
    with pytest.raises(ValueError, match="zip"):
        item.cost([0, 1])

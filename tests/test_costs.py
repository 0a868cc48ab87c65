"""The one cost function: what serving a set of members costs, for fair shares and what-ifs."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given, strategies as st

import dikt
from dikt import ComputeError, Cooperation, Money
from dikt.costs import costing, effective_model, priced
from dikt.scenario import promote

from .conftest import EXAMPLE
from .strategies import cooperations, costed

CANDIDATE = "zz-candidate"


@st.composite
def _with_candidate(draw: st.DrawFn, cooperation: Cooperation) -> Cooperation:
    """The cooperation and a candidate using some of its systems."""
    usage = {
        system_id: dikt.Usage(system=system_id, users=draw(st.integers(0, 3_000)))
        for system_id in sorted(cooperation.systems)
        if draw(st.booleans())
    }
    candidate = dikt.Member(
        id=CANDIDATE,
        name="Candidate",
        municipality_number="9999",
        status=dikt.MemberStatus.CANDIDATE,
        population=1000,
        employees=100,
        users=draw(st.integers(0, 10_000)),
        systems=usage,
    )
    return attrs.evolve(cooperation, members={**cooperation.members, candidate.id: candidate})


def _joinable(cooperation: Cooperation) -> bool:
    """No fixed shares (they cannot take a newcomer) and no errors, today or with it."""
    return not any(k.shares is not None for k in cooperation.keys.values()) and not any(
        p.severity is dikt.Severity.ERROR
        for spec in (cooperation, promote(cooperation, CANDIDATE))
        for p in dikt.check(spec)
    )


costed_with_candidate = cooperations().flatmap(costed).flatmap(_with_candidate)


def _plain(cooperation: Cooperation) -> Cooperation:
    """The cooperation without any cost model."""
    systems = {k: attrs.evolve(s, cost_model=None) for k, s in cooperation.systems.items()}
    return attrs.evolve(cooperation, systems=systems)


plain_with_candidate = cooperations().map(_plain).flatmap(_with_candidate)


@given(costed_with_candidate)
def test_a_what_ifs_total_is_c_of_the_new_set_plus_what_is_paid_alone(
    cooperation: Cooperation,
) -> None:
    """allocate's total with the candidate = the systems' cost for the new set + the rest.

    The rest: the year's investments and the own systems, which no cost model prices.
    """
    assume(_joinable(cooperation))
    members = [*(m.id for m in cooperation.active_members), CANDIDATE]
    year = cooperation.budget_year
    try:
        result = dikt.join(cooperation, CANDIDATE, year)
    except ComputeError:
        assume(False)  # a capacity step too small for the new set: said, not priced
        raise
    costs = costing(cooperation, members)
    systems = sum(
        line.cost.ore for line in costs.systems if cooperation.systems[line.system].active_in(year)
    )
    investments = sum(i.amount.ore for i in cooperation.investments if i.year == year)
    own = sum(
        own.annual_cost.ore
        for member_id in members
        for own in cooperation.members[member_id].own_systems.values()
    )
    assert result.total_after.ore == systems + investments + own


@given(costed_with_candidate)
def test_the_what_if_is_priced_by_the_game_of_fair_shares(cooperation: Cooperation) -> None:
    """With the candidate, today's members still cost what they cost: the same game."""
    assume(_joinable(cooperation))
    members = [*(m.id for m in cooperation.active_members), CANDIDATE]
    try:
        scenario, _ = priced(cooperation, members)
        after = dikt.cost_game(scenario)
    except ComputeError:
        assume(False)
        raise
    today = dikt.cost_game(cooperation)
    assert after.cost(today.players) == today.total
    assert after.total == dikt.allocate(scenario).total


@given(plain_with_candidate)
def test_without_cost_models_every_what_if_gives_todays_figures(cooperation: Cooperation) -> None:
    """Backwards compatible: no cost model, no default one: every system held flat."""
    assume(_joinable(cooperation))
    members = [*(m.id for m in cooperation.active_members), CANDIDATE]
    costs = costing(cooperation, members)
    # Held flat, or nobody left to use it.
    assert all(line.cost in {line.today, Money(0)} for line in costs.systems)
    result = dikt.join(cooperation, CANDIDATE, cooperation.budget_year)
    assert result.total_after == dikt.allocate(promote(cooperation, CANDIDATE)).total
    assert result.cost_change == Money.sum(line.change for line in costs.systems)
    shared = [line for line in costs.systems if line.changed and line.cost == line.today]
    assert result.held_flat == Money.sum(line.today for line in shared)


@given(cooperations().flatmap(costed))
def test_todays_members_cost_what_is_written(cooperation: Cooperation) -> None:
    costs = costing(cooperation, [m.id for m in cooperation.active_members])
    assert all(line.cost == line.today or line.users_today == 0 for line in costs.systems)
    assert not any(line.changed for line in costs.systems)
    assert priced(cooperation, costs.members)[0] is cooperation


def test_the_default_model_makes_a_share_of_each_cost_per_user() -> None:
    """A quarter of FW-1's 1 150 000 is per user: 12,15 kr for each of 23 650 users (floored)."""
    cooperation = dikt.load(EXAMPLE)
    cooperation = attrs.evolve(
        cooperation,
        defaults=attrs.evolve(cooperation.defaults, per_user_share=Fraction(1, 4)),
    )
    model = effective_model(cooperation, "IT182")  # FW-1: 1 150 000, no model of its own
    users = sum(m.users for m in cooperation.active_members)
    assert model is not None
    assert users == 23_650
    assert model.per_user == Money(1_150_000 * 100 // 4 // users)
    members = [*(m.id for m in cooperation.active_members), "nedre-eiker"]
    line = next(s for s in costing(cooperation, members).systems if s.system == "IT182")
    assert line.cost == Money(115_000_000 + 5_800 * model.per_user.ore)
    assert str(line.cost) == "1220470.00"


def test_joining_d_ikt_says_what_was_held_flat() -> None:
    result = dikt.join(dikt.load(EXAMPLE), "nedre-eiker")
    assert (str(result.cost_change), str(result.held_flat)) == ("1798000.00", "27000000.00")


def test_an_unknown_id_is_not_priced() -> None:
    with pytest.raises(ComputeError, match="not a member or candidate: nobody"):
        costing(dikt.load(EXAMPLE), ["drammen", "nobody"])

"""Fleet renewal in the economic plan over three and more lifetimes, by simulation.

docs/plan.md: a PC (laptop or desktop) is due when `year - purchased` exceeds the
premises' `pc_lifetime_years`; those already overdue in the plan's first year are
renewed then; renewed PCs are due again a lifetime later; laptops at `prices.laptop`,
desktops at `prices.desktop`; thin clients are not renewed. The oracle walks the plan
year by year, renewing what is due and dating it anew: it never computes a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import event, given, strategies as st

import dikt
from dikt import Device, FleetEntry, Use
from dikt.model import Prices

from .conftest import MINIMAL_COOPERATION, minimal_member

BASE = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": minimal_member("a")})


def simulated(
    fleet: Sequence[FleetEntry],
    lifetime: int,
    first: int,
    years: int,
    prices: Prices = BASE.premises.prices,
) -> list[int]:
    """Each plan year's renewal cost in øre, renewing year by year: a PC is due when
    ``year - purchased`` exceeds the lifetime, the overdue ones in the first year;
    renewed, it is due a lifetime later. Thin clients have neither."""
    bought = [entry.purchased for entry in fleet]
    costs = []
    for year in range(first, first + years):
        cost = 0
        for index, entry in enumerate(fleet):
            if entry.kind is Device.THIN_CLIENT:
                continue
            if year - bought[index] > lifetime:  # past its lifetime: renewed this year
                price = prices.laptop if entry.kind is Device.LAPTOP else prices.desktop
                cost += price.ore * entry.units
                bought[index] = year
        costs.append(cost)
    return costs


entries = st.builds(
    FleetEntry,
    model=st.sampled_from(["A", "B"]),
    kind=st.sampled_from(Device),
    units=st.integers(1, 50),
    purchased=st.integers(1995, 2012),
    use=st.sampled_from(Use),
)


@given(
    st.lists(entries, min_size=1, max_size=4),
    st.integers(0, 5),
    st.integers(0, 4),
)
def test_renewal_over_three_lifetimes_is_the_simulation(
    fleet: list[FleetEntry], lifetime: int, extra: int
) -> None:
    # Bought in or before the first year 2012: four lifetimes see three renewals or more.
    years = 4 * (lifetime + 1) + extra
    cooperation = attrs.evolve(
        BASE,
        premises=attrs.evolve(BASE.premises, pc_lifetime_years=lifetime),
        members={"a": attrs.evolve(BASE.members["a"], fleet=tuple(fleet))},
    )
    result = dikt.plan(cooperation, 2012, years)
    renewals = [year.cells[0].fleet_renewal.ore for year in result.years]
    expected = simulated(fleet, lifetime, 2012, years)
    event(f"fleet: {sum(1 for cost in expected if cost)} years with renewals")
    assert renewals == expected


def test_a_laptop_of_2008_with_a_lifetime_of_four_is_renewed_in_2013_2018_and_2023() -> None:
    laptop = FleetEntry(model="A", kind=Device.LAPTOP, units=2, purchased=2008, use=Use.ADMIN)
    cooperation = attrs.evolve(
        BASE, members={"a": attrs.evolve(BASE.members["a"], fleet=(laptop,))}
    )
    result = dikt.plan(cooperation, 2012, 13)
    renewed = [year.year for year in result.years if year.cells[0].fleet_renewal]
    assert renewed == [2013, 2018, 2023]
    assert {
        year.cells[0].fleet_renewal for year in result.years if year.cells[0].fleet_renewal
    } == {dikt.Money(2 * 750_000)}


def after_joining(
    fleet: list[FleetEntry], year: int, lifetime: int, least: int
) -> list[FleetEntry]:
    """A candidate's fleet once joined in ``year`` (its implementation year): a PC is
    replaced by a new laptop when its model has fewer than ``least`` units in the fleet
    (all entries of the model together) or when ``year - purchased`` exceeds the
    lifetime (shared/design/spec-format.md); thin clients are kept."""
    units: dict[str, int] = {}
    for entry in fleet:
        if entry.kind is not Device.THIN_CLIENT:
            units[entry.model] = units.get(entry.model, 0) + entry.units
    return [
        attrs.evolve(entry, kind=Device.LAPTOP, purchased=year)
        if entry.kind is not Device.THIN_CLIENT
        and (units[entry.model] < least or year - entry.purchased > lifetime)
        else entry
        for entry in fleet
    ]


@given(st.lists(entries, min_size=1, max_size=4), st.integers(0, 4), st.integers(1, 60))
def test_a_candidates_pcs_replaced_at_joining_count_as_new_from_then(
    fleet: list[FleetEntry], lifetime: int, least: int
) -> None:
    # Joining on 1 January 2013: implemented in 2012, a member from 2013.
    candidate = attrs.evolve(
        BASE.members["a"],
        id="c",
        status=dikt.MemberStatus.CANDIDATE,
        joined=dt.date(2013, 1, 1),
        fleet=tuple(fleet),
        systems={},
    )
    premises = attrs.evolve(BASE.premises, pc_lifetime_years=lifetime, min_units_per_model=least)
    cooperation = attrs.evolve(BASE, premises=premises, members={**BASE.members, "c": candidate})
    years = 4 * (lifetime + 1) + 1
    result = dikt.plan(cooperation, 2012, years)
    renewals = [
        sum(cell.fleet_renewal.ore for cell in year.cells if cell.member == "c")
        for year in result.years
    ]
    joined = after_joining(fleet, 2012, lifetime, least)
    event(f"joining: {sum(a != b for a, b in zip(fleet, joined, strict=True))} entries replaced")
    # Nothing to renew in the implementation year: it is not a member yet.
    assert renewals == [0, *simulated(joined, lifetime, 2013, years - 1)]


def test_a_model_too_few_to_keep_is_replaced_at_joining_and_renewed_a_lifetime_later() -> None:
    # Three laptops of 2010, not overdue in 2012 with a lifetime of four, but their model
    # has fewer than five units: replaced by new laptops when implemented in 2012, they
    # are due in 2017 (2012 + 4 + 1), not in 2015 as the PCs of 2010 would have been.
    laptops = FleetEntry(model="A", kind=Device.LAPTOP, units=3, purchased=2010, use=Use.ADMIN)
    candidate = attrs.evolve(
        BASE.members["a"],
        id="c",
        status=dikt.MemberStatus.CANDIDATE,
        joined=dt.date(2013, 1, 1),
        fleet=(laptops,),
        systems={},
    )
    premises = attrs.evolve(BASE.premises, pc_lifetime_years=4, min_units_per_model=5)
    cooperation = attrs.evolve(BASE, premises=premises, members={**BASE.members, "c": candidate})
    result = dikt.plan(cooperation, 2012, 11)
    renewed = {
        year.year: cell.fleet_renewal
        for year in result.years
        for cell in year.cells
        if cell.member == "c" and cell.fleet_renewal
    }
    assert renewed == {2017: dikt.Money(3 * 750_000), 2022: dikt.Money(3 * 750_000)}

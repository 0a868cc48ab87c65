"""The economic plan (økonomiplan): the coming years, per member and year.

:func:`plan` projects, for each year of the plan, what each member pays:

- the operating contribution (catalogue systems and own systems) and the
  investments of that year by category, from :func:`dikt.allocate` on the
  year's scenario (:func:`year_scenario`): candidates whose ``joined`` date
  falls in or before the year are members, priced by the cost models and
  with what moves over (:func:`joined_in`, as :func:`dikt.join` prices
  them), systems not in operation that year (``introduced``, ``retired``)
  are left out, and operating costs grow by the price growth from the
  second plan year on;
- the PC fleet renewal the member faces as its machines reach
  ``pc_lifetime_years``, from its fleet survey at the premises' prices
  (None for a member without a survey when others have one: unknown, not 0);
- for a candidate joining during the plan, its one-time joining costs
  (:func:`dikt.joining.join`) in its implementation year.

Each year keeps its allocation, so every operating and investment figure is
traceable to a line of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from dikt._deprecated import renamed_attribute
from dikt._repr import summary_repr
from dikt.allocation import Allocation, LineKind, MemberAllocation, allocate
from dikt.errors import ComputeError
from dikt.fleet import fleet_after_joining, fleet_renewal
from dikt.i18n import message
from dikt.joining import CostCategory, implementation_year, one_time_costs
from dikt.limits import MAX_GROWTH_PERCENT, YEAR_MAX, YEAR_MIN
from dikt.model import (
    Category,
    Cooperation,
    FleetEntry,
    Investment,
    Member,
    MemberStatus,
    check_year,
)
from dikt.money import Money, round_ore
from dikt.whatif import WhatIf, plan_joiners, refuse

if TYPE_CHECKING:
    from dikt.costs import Costing

__all__ = ["Plan", "PlanCell", "PlanYear", "joined_in", "joins_by", "plan", "year_scenario"]

_INVESTMENT_KINDS: Mapping[LineKind, Category] = MappingProxyType(
    {
        LineKind.CORE_INVESTMENT: Category.CORE,
        LineKind.APPLICATION_INVESTMENT: Category.APPLICATION,
        LineKind.MEMBER_INVESTMENT: Category.MEMBER,
    }
)


def _operating_and_invested(
    member: MemberAllocation, investment_of: Mapping[str, Investment], invested: dict[Category, int]
) -> int:
    """A member's operating total in øre; its investments added to ``invested`` by category."""
    operating = 0
    for line in member.lines:
        category = (
            investment_of[line.item].category
            if line.split.kind is LineKind.OBLIGATION  # its part of an investment, paid alone
            else _INVESTMENT_KINDS.get(line.split.kind)
        )
        if category is None:
            operating += line.amount.ore
        else:
            invested[category] += line.amount.ore
    return operating


@attrs.frozen(kw_only=True)
class PlanCell:
    """What one member pays in one year of the plan."""

    member: str
    year: int
    operating: Money  #: base packages, applications and own systems
    investments: Mapping[Category, Money]  #: its share of the year's investments, by category
    #: PCs reaching their lifetime this year, at the premises' prices; None
    #: for a member without a fleet survey (unknown, not 0: `dikt check` W225).
    fleet_renewal: Money | None
    joining: Money  #: one-time joining costs, in a candidate's implementation year

    @property
    def total(self) -> Money:
        """Everything the member pays this year."""
        return (
            self.operating
            + Money.sum(self.investments.values())
            + (self.fleet_renewal or Money(0))
            + (self.joining)
        )


@attrs.frozen(kw_only=True, repr=False)
class PlanYear:
    """One year of the plan."""

    __repr__ = summary_repr

    year: int
    growth_factor: Fraction  #: operating costs are the spec's times this
    allocation: Allocation  #: the year's allocation, the source of every line
    cells: tuple[PlanCell, ...]  #: by member id: members, and candidates with costs
    #: The candidates that have joined by this year, priced by the cost models.
    joined: tuple[str, ...] = ()
    #: What the cost models add to the catalogue for them (the spec's prices).
    cost_change: Money = Money(0)
    #: Today's annual cost of the systems they share that have no cost model:
    #: held flat, assumed not to grow with their users (the spec's prices).
    held_flat: Money = Money(0)

    @property
    def total(self) -> Money:
        """The year's total over all members."""
        return Money.sum(cell.total for cell in self.cells)

    @property
    def sums(self) -> PlanCell:
        """The year's totals per kind of cost, as a cell of member ``"total"``."""
        return PlanCell(
            member="total",
            year=self.year,
            operating=Money.sum(c.operating for c in self.cells),
            investments=MappingProxyType(
                {k: Money.sum(c.investments[k] for c in self.cells) for k in Category}
            ),
            fleet_renewal=Money.sum(c.fleet_renewal for c in self.cells if c.fleet_renewal),
            joining=Money.sum(c.joining for c in self.cells),
        )


@attrs.frozen(kw_only=True, repr=False)
class Plan:
    """The economic plan."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    cooperation = renamed_attribute("cooperation", "cooperation_id")
    name: str
    currency: str
    growth: Fraction  #: price growth per year (0.025 for 2.5 %)
    years: tuple[PlanYear, ...]

    @property
    def members(self) -> tuple[str, ...]:
        """Every member id that appears in some year, sorted."""
        return tuple(sorted({c.member for y in self.years for c in y.cells}))


def _grown(amount: Money, factor: Fraction) -> Money:
    return amount if factor == 1 else round_ore(amount.ore * factor)


def year_scenario(
    cooperation: Cooperation, year: int, factor: Fraction = Fraction(1)
) -> Cooperation:
    """The cooperation as it stands in ``year`` of a plan.

    Candidates that join in the plan by the year (:func:`joins_by`) are
    members; the annual cost of every system and own system is multiplied
    by ``factor`` and rounded to the øre, halves up. Which members pay that
    year (from ``joined``, until ``leaving``) and which systems are in
    operation is left to :func:`dikt.allocate`, so that a year of the plan
    is priced by exactly the rules of ``allocate`` (with factor 1 and nobody
    joining, the scenario is the cooperation itself).
    """
    joiners = set(joins_by(cooperation, year))
    if factor == 1 and not joiners:
        return cooperation
    members: dict[str, Member] = {}
    for member_id, member in cooperation.members.items():
        own = {
            k: attrs.evolve(o, annual_cost=_grown(o.annual_cost, factor))
            for k, o in member.own_systems.items()
        }
        status = MemberStatus.MEMBER if member_id in joiners else member.status
        members[member_id] = attrs.evolve(member, status=status, own_systems=own)
    systems = {
        k: attrs.evolve(s, annual_cost=_grown(s.annual_cost, factor))
        for k, s in cooperation.systems.items()
    }
    return attrs.evolve(cooperation, members=members, systems=systems)


def joins_by(cooperation: Cooperation, year: int) -> list[str]:
    """The candidates that have joined by ``year`` in the plan, by id.

    A candidate joins in the plan from the year of its ``joined`` date when
    that is after the budget year (:func:`dikt.whatif.plan_joiners`, which
    the plan's refusals ask too).
    """
    return list(plan_joiners(cooperation, year))


def joined_in(cooperation: Cooperation, year: int) -> Cooperation:
    """The cooperation with the candidates that have joined by ``year`` as members.

    Priced as :func:`dikt.join` prices a candidate: each system costs what its
    cost model says for the new set of members, and the staff and contracts
    moving over are added to their systems. Nobody joining: the cooperation itself.
    """
    return _joined(cooperation, year)[0]


def _joined(
    cooperation: Cooperation, year: int
) -> tuple[Cooperation, tuple[str, ...], Costing | None]:
    """:func:`joined_in`, the candidates that joined and the costing of the new set (if any)."""
    from dikt.costs import priced  # noqa: PLC0415 - only when someone joins
    from dikt.joining import taken_over  # noqa: PLC0415

    joiners = joins_by(cooperation, year)
    if not joiners:
        return cooperation, (), None
    from dikt.whatif import with_candidates  # noqa: PLC0415

    members = [*(m.id for m in cooperation.active_members), *joiners]
    # Keys of fixed shares as they stand once they join (shares_with).
    scenario, costs = priced(with_candidates(cooperation, joiners), members)
    joined = taken_over(scenario, [cooperation.members[m] for m in joiners], cooperation)
    return joined, tuple(joiners), costs


def plan(
    cooperation: Cooperation,
    start: int | None = None,
    years: int | None = None,
    growth: Fraction = Fraction(0),
) -> Plan:
    """The economic plan for ``years`` years from ``start`` (default: the budget year).

    ``years`` defaults to 4, or fewer where they would run past the last
    year dikt supports (:data:`dikt.limits.YEAR_MAX`); years given that run
    past it are refused.

    ``growth`` is the yearly price growth of operating costs (``Fraction(1, 40)``
    for 2.5 %), applied from the second year: year ``k`` (0-based) costs the
    spec's figures times ``(1 + growth) ** k``.
    """
    first = check_year(
        cooperation.budget_year if start is None else start, message("the plan's first year")
    )
    if years is None:
        years = min(4, YEAR_MAX - first + 1)
    if years < 1:
        raise ComputeError(message("a plan has at least one year"))
    if not -1 < growth <= MAX_GROWTH_PERCENT // 100:
        raise ComputeError(
            message(
                "price growth must be above -100 % and at most {most} %", most=MAX_GROWTH_PERCENT
            )
        )
    last = check_year(first + years - 1, message("the plan's last year"))
    priced_years = range(first, last + 1)
    refuse(cooperation, WhatIf.PLAN, years=priced_years, plan_years=priced_years)
    # One-time costs by the year they fall in: the infrastructure is bought the
    # year after the implementation, as the source report's summary has it
    # (the join view's "next year" column); the rest in the implementation year.
    joining: dict[str, dict[int, Money]] = {}
    fleets: dict[str, tuple[FleetEntry, ...]] = {}
    for member_id, member in sorted(cooperation.members.items()):
        fleets[member_id] = member.fleet
        if (
            member.is_member
            or member.joined is None
            or member.joined.year <= max(YEAR_MIN, cooperation.budget_year)
        ):
            # No joined date, or no implementation year in dikt's years (W208):
            # no one-time costs to plan; a member from its joined date all the
            # same. A candidate joined by the budget year joins in no year of
            # the plan (joins_by).
            continue
        when = implementation_year(member)
        if first <= when <= last or first <= member.joined.year <= last:
            by_year: dict[int, Money] = {}
            for item in one_time_costs(cooperation, member_id):
                falls = when + 1 if item.category is CostCategory.INFRASTRUCTURE else when
                by_year[falls] = by_year.get(falls, Money(0)) + item.amount
            joining[member_id] = by_year
            fleets[member_id] = fleet_after_joining(cooperation, member, when)
    # Without a survey a member's renewal is unknown, not 0, when other members
    # have one; a cooperation that surveys no member plans no renewal for anyone.
    surveyed = any(member.fleet for member in cooperation.active_members)
    plan_years = []
    for offset in range(years):
        year = first + offset
        factor = (1 + growth) ** offset
        joined, joiners, costs = _joined(cooperation, year)
        scenario = year_scenario(joined, year, factor)
        allocation = allocate(scenario, year)
        paying = {m.id: m for m in allocation.members}
        investment_of = {i.id: i for i in cooperation.investments}
        cells = []
        for member_id in sorted(cooperation.members):
            joined_now = member_id in paying
            one_time = joining.get(member_id, {}).get(year, Money(0))
            if not joined_now and not one_time:
                continue
            # Summed in øre: a national plan year has a hundred thousand lines.
            operating = 0
            invested = dict.fromkeys(Category, 0)
            renewal: Money | None = Money(0)
            if joined_now:
                operating = _operating_and_invested(paying[member_id], investment_of, invested)
                leaving = cooperation.members[member_id].leaving
                renewal = (
                    Money(0)  # it has left: it pays only toward investments, renews nothing
                    if leaving is not None and leaving.year <= year
                    else fleet_renewal(cooperation, fleets[member_id], year, first)
                    if fleets[member_id] or not surveyed
                    else None
                )
            investments = {category: Money(ore) for category, ore in invested.items()}
            cells.append(
                PlanCell(
                    member=member_id,
                    year=year,
                    operating=Money(operating),
                    investments=MappingProxyType(investments),
                    fleet_renewal=renewal,
                    joining=one_time,
                )
            )
        plan_years.append(
            PlanYear(
                year=year,
                growth_factor=factor,
                allocation=allocation,
                cells=tuple(cells),
                joined=joiners,
                cost_change=Money(0) if costs is None else costs.change,
                held_flat=Money(0) if costs is None else costs.held_flat,
            )
        )
    return Plan(
        cooperation_id=cooperation.id,
        name=cooperation.name,
        currency=cooperation.currency,
        growth=growth,
        years=tuple(plan_years),
    )

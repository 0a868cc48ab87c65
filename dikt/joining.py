"""Joining: what it costs a candidate to join, and what it does to everyone.

:func:`join` estimates the one-time costs of joining from the candidate's
fleet survey and the cooperation's premises, by these rules:

- implementation: a PC (laptop or desktop) is replaced by a laptop when its
  model has fewer than ``min_units_per_model`` units in the fleet (all
  entries of the model together), or when its age in the implementation
  year, ``year - purchased``, exceeds ``pc_lifetime_years``; thin clients are
  replaced by laptops only with ``thin_clients = "replace"``; the laptops
  bought for schools need charging cabinets (``cabinet_capacity`` each,
  rounded up); a candidate on single CALs buys CoreCAL for every employee;
- process: every PC model kept needs an image (``image_days_per_model``
  person-days at ``day_rate``), and each ``premises.process`` item is done;
- infrastructure: data-centre capacity, ``capacity_per_user`` per user.

It also prices the candidate's annual contribution once it is a member (its
own deviating systems included, paid alone) and every existing member's
total before and after, all by the allocation engine on the budget year.
With the candidate, each catalogue system costs what its cost model says
serving the new set of members costs (:func:`dikt.costing`, the function
fair shares use); a system without a cost model is held flat, and the
estimate says how much was.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from dikt._deprecated import renamed_keywords
from dikt._layout import member_file
from dikt._repr import summary_repr
from dikt.allocation import Allocation, MemberAllocation, MemberChange, allocate, diff
from dikt.costs import priced
from dikt.errors import ComputeError
from dikt.fleet import pc_due, pc_units_by_model
from dikt.i18n import message
from dikt.model import (
    CalKind,
    Cooperation,
    Device,
    Member,
    ThinClients,
    Use,
    check_year,
)
from dikt.money import Money
from dikt.scenario import require_member

__all__ = [
    "CostCategory",
    "FleetModel",
    "JoinEstimate",
    "OneTimeItem",
    "implementation_year",
    "join",
    "join_alternative",
    "one_time_costs",
]


class CostCategory(enum.Enum):
    """The one-time cost categories of joining."""

    IMPLEMENTATION = "implementation"
    PROCESS = "process"
    INFRASTRUCTURE = "infrastructure"


@attrs.frozen(kw_only=True)
class OneTimeItem:
    """One one-time cost of joining, with the rule that produced it."""

    category: CostCategory
    item: str
    quantity: int  #: units, cabinets, employees, person-days or users
    unit: str  #: what ``quantity`` counts
    unit_price: Money
    amount: Money  #: quantity x unit price, exactly
    rule: str  #: the premise that produced it, in words


@attrs.frozen(kw_only=True)
class FleetModel:
    """One device model of the candidate's fleet, and what joining does to it."""

    model: str
    kind: Device
    units: int  #: all entries of the model together
    replaced: int  #: units replaced by laptops
    school_replaced: int  #: of which bought for schools
    small: bool  #: fewer units than ``min_units_per_model`` (PCs)
    image: bool  #: a PC model with units kept: it needs an image


@attrs.frozen(kw_only=True, repr=False)
class JoinEstimate:
    """What joining costs a candidate, and what it does to the cooperation."""

    __repr__ = summary_repr

    candidate: str
    name: str
    year: int  #: the implementation year
    budget_year: int  #: the year the annual figures are priced for
    currency: str
    thin_clients: ThinClients
    one_time: tuple[OneTimeItem, ...]  #: by category, in the rules' order
    fleet: tuple[FleetModel, ...]  #: by kind, then model
    annual: MemberAllocation  #: the candidate's contribution once a member
    members: tuple[MemberChange, ...]  #: existing members before and after, by id
    total_before: Money  #: the cooperation's total without the candidate
    total_after: Money  #: ... with it
    #: What the candidate adds to the catalogue systems' annual cost, by their
    #: cost models (:func:`dikt.costing`); 0 when no system has one.
    cost_change: Money = Money(0)
    #: Today's annual cost of the systems the candidate would share that have
    #: no cost model: held flat, assumed not to grow with its users.
    held_flat: Money = Money(0)

    @property
    def total_change(self) -> Money:
        """What joining adds to the cooperation's total of the budget year."""
        return self.total_after - self.total_before

    @property
    def one_time_total(self) -> Money:
        """All one-time costs."""
        return Money.sum(item.amount for item in self.one_time)

    def by_category(self) -> Mapping[CostCategory, Money]:
        """One-time costs per category (every category, 0.00 if none)."""
        totals = dict.fromkeys(CostCategory, Money(0))
        for item in self.one_time:
            totals[item.category] += item.amount
        return MappingProxyType(totals)


def implementation_year(candidate: Member, year: int | None = None) -> int:
    """The year joining is implemented: ``year``, else the year before ``joined``."""
    if year is not None:
        return year
    if candidate.joined is None:
        raise ComputeError(
            message(
                "{member} has no joined date: set `joined` in {file} "
                "or give the implementation year (--year)",
                member=candidate.id,
                file=member_file(candidate.id),
            )
        )
    return candidate.joined.year - 1


def _assess_fleet(
    cooperation: Cooperation, candidate: Member, year: int, thin_clients: ThinClients
) -> tuple[FleetModel, ...]:
    premises = cooperation.premises
    pc_units = pc_units_by_model(candidate.fleet)
    totals: dict[tuple[Device, str], int] = {}
    for entry in candidate.fleet:
        kind = Device.LAPTOP if entry.kind is Device.DESKTOP else entry.kind
        totals[(kind, entry.model)] = totals.get((kind, entry.model), 0) + entry.units
    replaced: dict[tuple[Device, str], list[int]] = {}
    kinds: dict[tuple[Device, str], Device] = {}
    for entry in candidate.fleet:
        is_pc = entry.kind is not Device.THIN_CLIENT
        key = (Device.LAPTOP if is_pc else Device.THIN_CLIENT, entry.model)
        kinds.setdefault(key, entry.kind)
        if is_pc:
            due = pc_due(premises, entry, pc_units[entry.model], year)
        else:
            due = thin_clients is ThinClients.REPLACE
        counts = replaced.setdefault(key, [0, 0])
        if due:
            counts[0] += entry.units
            if entry.use is Use.SCHOOL:
                counts[1] += entry.units
    models = []
    for key in sorted(totals, key=lambda k: (k[0] is Device.THIN_CLIENT, k[1])):
        is_pc = key[0] is not Device.THIN_CLIENT
        units = totals[key]
        gone, school = replaced[key]
        models.append(
            FleetModel(
                model=key[1],
                kind=kinds[key],
                units=units,
                replaced=gone,
                school_replaced=school,
                small=is_pc and units < premises.min_units_per_model,
                image=is_pc and units > gone,
            )
        )
    return tuple(models)


def _item(
    category: CostCategory, item: str, *, quantity: int, unit: str, price: Money, rule: str
) -> OneTimeItem:
    return OneTimeItem(
        category=category,
        item=item,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        amount=price * quantity,
        rule=rule,
    )


def _one_time(
    cooperation: Cooperation,
    candidate: Member,
    year: int,
    thin_clients: ThinClients,
    fleet: tuple[FleetModel, ...],
) -> tuple[OneTimeItem, ...]:
    premises = cooperation.premises
    prices = premises.prices
    pcs = [m for m in fleet if m.kind is not Device.THIN_CLIENT]
    thin = [m for m in fleet if m.kind is Device.THIN_CLIENT]
    small = sum(m.units for m in pcs if m.small)
    aged = sum(m.replaced for m in pcs) - small
    cutoff = year - premises.pc_lifetime_years - 1
    items = [
        _item(
            CostCategory.IMPLEMENTATION,
            message("PCs replaced by laptops"),
            quantity=sum(m.replaced for m in pcs),
            unit=message("laptops"),
            price=prices.laptop,
            rule=message(
                "{small} in models of fewer than {minimum} units, {aged} bought in {cutoff} "
                "or earlier (older than {lifetime} years in {year})",
                small=small,
                minimum=premises.min_units_per_model,
                aged=aged,
                cutoff=cutoff,
                lifetime=premises.pc_lifetime_years,
                year=year,
            ),
        )
    ]
    if thin_clients is ThinClients.REPLACE:
        items.append(
            _item(
                CostCategory.IMPLEMENTATION,
                message("Thin clients replaced by laptops"),
                quantity=sum(m.replaced for m in thin),
                unit=message("laptops"),
                price=prices.laptop,
                rule=message('thin_clients = "replace": every thin client'),
            )
        )
    school = sum(m.school_replaced for m in fleet)
    capacity = premises.cabinet_capacity
    cabinets = -(-school // capacity) if capacity else 0
    items.append(
        _item(
            CostCategory.IMPLEMENTATION,
            message("Charging cabinets for school laptops"),
            quantity=cabinets,
            unit=message("cabinets"),
            price=prices.charging_cabinet,
            rule=message(
                "{school} laptops bought for schools, {capacity} per cabinet, rounded up",
                school=school,
                capacity=capacity,
            ),
        )
    )
    if candidate.licences.cal is CalKind.SINGLE:
        items.append(
            _item(
                CostCategory.IMPLEMENTATION,
                message("CoreCAL licences"),
                quantity=candidate.employees,
                unit=message("employees"),
                price=prices.core_cal_per_employee,
                rule=message('on single CALs (cal = "single"): CoreCAL for every employee'),
            )
        )
    kept = sum(1 for m in pcs if m.image)
    days = premises.image_days_per_model
    items.append(
        _item(
            CostCategory.PROCESS,
            message("Images for PC models kept"),
            quantity=kept * days,
            unit=message("person-days"),
            price=premises.day_rate,
            rule=message("{kept} PC models kept, {days} person-days each", kept=kept, days=days),
        )
    )
    items += [
        _item(
            CostCategory.PROCESS,
            work.item,
            quantity=work.days,
            unit=message("person-days"),
            price=premises.day_rate,
            rule="premises.process",
        )
        for work in premises.process
    ]
    items.append(
        _item(
            CostCategory.INFRASTRUCTURE,
            message("Data-centre capacity"),
            quantity=candidate.users,
            unit=message("users"),
            price=prices.capacity_per_user,
            rule=message("capacity_per_user for each of the candidate's users"),
        )
    )
    return tuple(items)


def _one_time_part(
    cooperation: Cooperation,
    candidate: Member,
    year: int | None,
    thin_clients: ThinClients | None,
) -> tuple[int, ThinClients, tuple[FleetModel, ...], tuple[OneTimeItem, ...]]:
    """The implementation year, the thin-client choice, the fleet and the one-time costs."""
    when = implementation_year(candidate, None if year is None else check_year(year))
    replace = thin_clients if thin_clients is not None else cooperation.premises.thin_clients
    fleet = _assess_fleet(cooperation, candidate, when, replace)
    return when, replace, fleet, _one_time(cooperation, candidate, when, replace, fleet)


def _candidate(cooperation: Cooperation, candidate_id: str) -> Member:
    candidate = require_member(cooperation, candidate_id)
    if candidate.is_member:
        raise ComputeError(
            message("{member} is already a member; joining is for candidates", member=candidate_id)
        )
    return candidate


@renamed_keywords(candidate_id="candidate")
def one_time_costs(
    cooperation: Cooperation,
    candidate: str,
    year: int | None = None,
    thin_clients: ThinClients | None = None,
) -> tuple[OneTimeItem, ...]:
    """The one-time costs of :func:`join` alone, without pricing the annual figures.

    >>> import dikt
    >>> spec = dikt.load("specs/d-ikt")
    >>> str(Money.sum(i.amount for i in one_time_costs(spec, "nedre-eiker")))
    '8660000.00'
    """
    return _one_time_part(cooperation, _candidate(cooperation, candidate), year, thin_clients)[3]


def join_alternative(
    cooperation: Cooperation,
    estimate: JoinEstimate,
    year: int | None = None,
    thin_clients: ThinClients | None = None,
) -> JoinEstimate:
    """``estimate`` for another implementation year or thin-client choice.

    Only the fleet and the one-time costs change: the annual figures are
    priced for the budget year either way, so they are taken from
    ``estimate`` (of the same spec and candidate) instead of being
    allocated again. ``join_alternative(spec, join(spec, c), y, t)`` equals
    ``join(spec, c, y, t)``.
    """
    candidate = _candidate(cooperation, estimate.candidate)
    when, replace, fleet, one_time = _one_time_part(cooperation, candidate, year, thin_clients)
    return attrs.evolve(estimate, year=when, thin_clients=replace, fleet=fleet, one_time=one_time)


@renamed_keywords(candidate_id="candidate")
def join(
    cooperation: Cooperation,
    candidate: str,
    year: int | None = None,
    thin_clients: ThinClients | None = None,
) -> JoinEstimate:
    """The onboarding estimate for ``candidate`` and the what-if for the members.

    ``year`` is the implementation year (default: the year before the
    candidate's ``joined``); ``thin_clients`` overrides the premises. The
    annual figures are allocations of the spec's budget year, without and
    with the candidate as a member.
    """
    member = _candidate(cooperation, candidate)
    when, replace, fleet, one_time = _one_time_part(cooperation, member, year, thin_clients)
    before: Allocation = allocate(cooperation)
    # Priced by the same cost function as fair shares: each system's cost for
    # the members with the candidate, by its cost model.
    members = [*(m.id for m in cooperation.active_members), candidate]
    scenario, costs = priced(cooperation, members)
    after: Allocation = allocate(scenario)
    existing = {m.id for m in before.members}
    effects = tuple(m for m in diff(before, after).members if m.id in existing)
    return JoinEstimate(
        candidate=candidate,
        name=member.name,
        year=when,
        budget_year=after.year,
        currency=cooperation.currency,
        thin_clients=replace,
        one_time=one_time,
        fleet=fleet,
        annual=after.member(candidate),
        members=effects,
        total_before=before.total,
        total_after=after.total,
        cost_change=costs.change,
        held_flat=costs.held_flat,
    )

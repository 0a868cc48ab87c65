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
from collections.abc import Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType

import attrs

from dikt._deprecated import renamed_keywords
from dikt._layout import member_file
from dikt._repr import summary_repr
from dikt.allocation import LineKind, MemberAllocation, MemberChange, paying_in, totals
from dikt.costs import priced
from dikt.errors import ArgumentError, ComputeError, WhatIfError
from dikt.fleet import pc_due, pc_units_by_model
from dikt.i18n import message, message_n
from dikt.limits import YEAR_MAX, YEAR_MIN
from dikt.model import (
    CalKind,
    Cooperation,
    Device,
    Member,
    StaffGroup,
    TakenOver,
    ThinClients,
    Use,
    check_year,
)
from dikt.money import Money, round_ore
from dikt.scenario import grown, require_member
from dikt.whatif import WhatIf, refuse, undated, with_candidates

__all__ = [
    "CostCategory",
    "FleetModel",
    "JoinEstimate",
    "OneTimeItem",
    "Premise",
    "Summary",
    "SummaryRow",
    "implementation_year",
    "join",
    "join_alternative",
    "one_time_costs",
    "taken_over",
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


@attrs.frozen(kw_only=True)
class Premise:
    """A premise an estimate rests on: what it is, its value, and where in the spec it is."""

    name: str  #: a :func:`dikt.i18n.message`
    value: Money | Fraction | int | str  #: a count, amount, share, year or text
    source: str  #: the file and key path, or the option, it came from


@attrs.frozen(kw_only=True)
class SummaryRow:
    """One line of the summary: an amount in each of the source report's columns (or None)."""

    item: str  #: a :func:`dikt.i18n.message`
    investment: Money | None = None  #: one-time, implementation year
    operations: Money | None = None  #: one-time, implementation year
    next_investment: Money | None = None  #: one-time, the year after
    annual_investment: Money | None = None  #: a year, from joining
    annual_salary: Money | None = None  #: a year from joining: salary and administration
    annual_operating: Money | None = None  #: a year from joining: operating costs

    def amounts(self) -> tuple[Money | None, ...]:
        """The six columns, in the report's order."""
        return (
            self.investment,
            self.operations,
            self.next_investment,
            self.annual_investment,
            self.annual_salary,
            self.annual_operating,
        )


@attrs.frozen(kw_only=True)
class Summary:
    """The pre-project report's summary table: one-time and annual costs of joining.

    Columns: one-time in the implementation year (investment, operations),
    one-time in the year after (investment), and a year from joining
    (investment; operations as salary and administration and as operating
    costs). Amounts without VAT; estimates: the cooperation invoices actual costs.
    """

    year: int  #: the implementation year
    next_year: int  #: the year after it
    annual_from: int  #: the year the candidate joins
    rows: tuple[SummaryRow, ...]

    @property
    def total(self) -> SummaryRow:
        """Each column's sum (None where no row has an amount)."""
        columns = list(zip(*(row.amounts() for row in self.rows), strict=True))
        sums = [
            None if all(a is None for a in column) else Money.sum(a for a in column if a)
            for column in columns
        ]
        return SummaryRow(
            item="total",
            investment=sums[0],
            operations=sums[1],
            next_investment=sums[2],
            annual_investment=sums[3],
            annual_salary=sums[4],
            annual_operating=sums[5],
        )


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
    #: Existing members' totals before and after, by id (their ``lines`` are
    #: empty: join compares totals; :func:`dikt.diff` of the two allocations
    #: gives the changes line by line).
    members: tuple[MemberChange, ...]
    total_before: Money  #: the cooperation's total without the candidate
    total_after: Money  #: ... with it
    #: What the candidate adds to the catalogue systems' annual cost, by their
    #: cost models (:func:`dikt.costing`); 0 when no system has one.
    cost_change: Money = attrs.field(default=Money(0), repr=False)
    #: Today's annual cost of the systems the candidate would share that have
    #: no cost model: held flat, assumed not to grow with its users.
    held_flat: Money = attrs.field(default=Money(0), repr=False)
    #: What the staff and contracts moving over add to the systems' annual
    #: cost beyond what their cost models add (:func:`taken_over`); the rest
    #: of them is within that growth.
    moved_added: Money = attrs.field(default=Money(0), repr=False)
    growth: Fraction = attrs.field(
        default=Fraction(0), repr=False
    )  #: price growth a year from the spec's budget year
    staff_cost: Money = attrs.field(
        default=Money(0), repr=False
    )  #: salary and administration of the staff moving over, a year
    contracts_cost: Money = attrs.field(
        default=Money(0), repr=False
    )  #: contracts and licences taken over, a year
    #: The candidate's IT costs today, a year (staff, contracts, operating
    #: costs); None when its file states none of them.
    it_today: Money | None = None
    #: Years after joining (the plan's four) in which the savings pay back the
    #: one-time costs: the year it happens, None if not within them.
    payback_year: int | None = attrs.field(default=None, repr=False)
    premises: tuple[Premise, ...] = attrs.field(
        default=(), repr=False
    )  #: every premise used, with its value and source
    summary: Summary | None = None  #: the source report's summary table

    @property
    def net_annual(self) -> Money | None:
        """The candidate's contribution as a member against its IT costs today (below 0: saves).

        None when its IT costs today are not stated.
        """
        return None if self.it_today is None else self.annual.total - self.it_today

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
    if candidate.joined is None or candidate.joined.year - 1 < YEAR_MIN:
        raise WhatIfError(undated(candidate).message)
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
                rule=message("thin clients replaced: every thin client"),
            )
        )
    school = sum(m.school_replaced for m in fleet)
    capacity = premises.cabinet_capacity  # at least 1 (the model's bounds)
    cabinets = -(-school // capacity)
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
                rule=message("on single CALs: CoreCAL for every employee"),
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
            rule=message_n(
                "{n} PC model kept, {days} person-days",
                "{n} PC models kept, {days} person-days each",
                kept,
                days=days,
            ),
        )
    )
    items += [
        _item(
            CostCategory.PROCESS,
            work.item,
            quantity=work.days,
            unit=message("person-days"),
            price=premises.day_rate,
            # People read what the rule is, not where in the spec it is written.
            rule=message("fixed work the cooperation's premises state"),
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
            rule=message("the capacity price per user, for each of the candidate's users"),
        )
    )
    return tuple(items)


def _implemented_in_time(candidate: Member, year: int) -> None:
    """:class:`ArgumentError` for an implementation year after the candidate has joined, or
    one whose next year (the infrastructure's) is past dikt's last year."""
    joined = candidate.joined
    if joined is not None and year > joined.year:
        raise ArgumentError(
            message(
                "--year {year}: {candidate} joins on {joined}; joining is implemented before "
                "it joins, in {before} or at the latest in {last}",
                year=year,
                candidate=candidate.id,
                joined=joined.isoformat(),
                before=joined.year - 1,
                last=joined.year,
            )
        )
    if year >= YEAR_MAX:
        raise ArgumentError(
            message(
                "--year {year}: the infrastructure is bought the year after the implementation, "
                "and {next} is past {last}, dikt's last year",
                year=year,
                next=year + 1,
                last=YEAR_MAX,
            )
        )


def _one_time_part(
    cooperation: Cooperation,
    candidate: Member,
    year: int | None,
    thin_clients: ThinClients | None,
) -> tuple[int, ThinClients, tuple[FleetModel, ...], tuple[OneTimeItem, ...]]:
    """The implementation year, the thin-client choice, the fleet and the one-time costs."""
    if year is not None:
        # Joining is implemented by the cooperation's members: not before it had any.
        paying_in(cooperation, check_year(year))
        _implemented_in_time(candidate, year)
    when = implementation_year(candidate, year)
    replace = thin_clients if thin_clients is not None else cooperation.premises.thin_clients
    fleet = _assess_fleet(cooperation, candidate, when, replace)
    return when, replace, fleet, _one_time(cooperation, candidate, when, replace, fleet)


def _candidate(cooperation: Cooperation, candidate_id: str) -> Member:
    candidate = require_member(cooperation, candidate_id)
    if candidate.is_member:
        # The command line names the wrong kind of member: exit 2, as leave does.
        raise ArgumentError(
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
    changed = attrs.evolve(
        estimate, year=when, thin_clients=replace, fleet=fleet, one_time=one_time
    )
    members = [*(m.id for m in cooperation.active_members), candidate.id]
    scenario = taken_over(
        priced(with_candidates(cooperation, members), members)[0], candidate, cooperation
    )
    return _finished(cooperation, candidate, changed, year, scenario)


@renamed_keywords(candidate_id="candidate")
def join(
    cooperation: Cooperation,
    candidate: str,
    year: int | None = None,
    thin_clients: ThinClients | None = None,
    growth: Fraction = Fraction(0),
) -> JoinEstimate:
    """The onboarding estimate for ``candidate`` and the what-if for the members.

    ``year`` is the implementation year (default: the year before the
    candidate's ``joined``); ``thin_clients`` overrides the premises. The
    annual figures are allocations of the year the candidate joins (the
    budget year if it joins in or before it), without and with it as a
    member, at ``growth`` a year from the budget year. With the candidate,
    each system costs what its cost model says for the new set of members,
    and the contracts and staff moving over are added to their systems.
    """
    member = _candidate(cooperation, candidate)
    first = cooperation.budget_year
    joins = first if member.joined is None else max(first, member.joined.year)
    refuse(cooperation, WhatIf.JOIN, candidate, year=year, years={joins})
    when, replace, fleet, one_time = _one_time_part(cooperation, member, year, thin_clients)
    priced_in = check_year(joins)
    factor = (1 + growth) ** (priced_in - first)
    # Priced by the same cost function as fair shares: each system's cost for
    # the members with the candidate, by its cost model.
    members = [*(m.id for m in cooperation.active_members), candidate]
    modelled, costs = priced(with_candidates(cooperation, members), members)
    scenario = taken_over(modelled, member, cooperation)
    moved_added = Money.sum(
        system.annual_cost - modelled.systems[system_id].annual_cost
        for system_id, system in scenario.systems.items()
    )
    # The members' totals are compared, not their lines: only the candidate's
    # lines are built (a national what-if would otherwise build every line twice).
    before = totals(grown(cooperation, factor), priced_in)
    after = totals(grown(scenario, factor), priced_in, [candidate])
    new_totals = {member_id: total for member_id, _, total in after.members}
    effects = tuple(
        MemberChange(id=member_id, name=name, before=total, after=new_totals[member_id], lines=())
        for member_id, name, total in before.members
    )
    transfer = member.transfer
    stated = bool(transfer.staff or transfer.contracts or transfer.operating_cost is not None)
    annual = after.member(candidate)
    staff = round_ore(transfer.staff_cost.ore * factor)
    contracts = round_ore(transfer.contracts_cost.ore * factor)
    other = Money(0) if transfer.operating_cost is None else transfer.operating_cost
    it_today = staff + contracts + round_ore(other.ore * factor) if stated else None
    estimate = JoinEstimate(
        candidate=candidate,
        name=member.name,
        year=when,
        budget_year=after.year,
        currency=cooperation.currency,
        thin_clients=replace,
        one_time=one_time,
        fleet=fleet,
        annual=annual,
        members=effects,
        total_before=before.total,
        total_after=after.total,
        cost_change=costs.change,
        held_flat=costs.held_flat,
        moved_added=round_ore(moved_added.ore * factor),
        growth=growth,
        staff_cost=staff,
        contracts_cost=contracts,
        it_today=it_today,
    )
    return _finished(cooperation, member, estimate, year, scenario)


def _finished(
    cooperation: Cooperation,
    member: Member,
    estimate: JoinEstimate,
    year: int | None,
    scenario: Cooperation,
) -> JoinEstimate:
    """The estimate with what follows from its figures: payback, premises, summary."""
    return attrs.evolve(
        estimate,
        payback_year=_payback(estimate),
        premises=_premises(cooperation, member, estimate, year),
        summary=_summary(cooperation, estimate, scenario),
    )


def taken_over(
    cooperation: Cooperation, members: Member | Sequence[Member], today: Cooperation | None = None
) -> Cooperation:
    """The cooperation with what ``members`` move over (staff, contracts) added to their systems.

    ``cooperation`` is priced for the new set of members (:func:`dikt.priced`)
    and ``today`` is the cooperation they join. What moves over is what
    serving the joining members' users is made of (their support staff,
    their licences): it covers what the system's cost model adds for them,
    and only what goes beyond it adds to the cost. A system costs the larger
    of its priced cost and today's cost plus what moves over to it; a system
    without a cost model is held flat, so all of it adds. Without ``today``,
    all of it adds to the priced cost.
    """
    joining = [members] if isinstance(members, Member) else list(members)
    added: dict[str, int] = {}
    # Who moves costs to each system, in order, once each (a dict as an ordered set).
    movers: dict[str, dict[str, None]] = {}
    for member in joining:
        moving: list[StaffGroup | TakenOver] = [*member.transfer.staff, *member.transfer.contracts]
        for moved in moving:
            added[moved.system] = added.get(moved.system, 0) + moved.annual_cost.ore
            movers.setdefault(moved.system, {})[member.id] = None
    if not added:
        return cooperation
    systems = dict(cooperation.systems)
    for system_id, ore in added.items():
        system = systems.get(system_id)
        if system is None:
            raise ComputeError(
                message(
                    "{member} moves costs to {system}, which is not in the catalogue",
                    member=", ".join(movers[system_id]),
                    system=system_id,
                )
            )
        before = system if today is None else today.systems[system_id]
        cost = max(system.annual_cost.ore, before.annual_cost.ore + ore)
        systems[system_id] = attrs.evolve(system, annual_cost=Money(cost))
    return attrs.evolve(cooperation, systems=systems)


def _payback(estimate: JoinEstimate) -> int | None:
    """The year the yearly savings from joining have paid back the one-time costs (4 years)."""
    net = estimate.net_annual
    if net is None or net.ore >= 0:
        return None
    saving, paid = -net.ore, 0
    for offset in range(4):
        paid += saving
        if paid >= estimate.one_time_total.ore:
            return estimate.budget_year + offset
    return None


def _summary(cooperation: Cooperation, estimate: JoinEstimate, scenario: Cooperation) -> Summary:
    """The summary table, from the one-time items and the candidate's allocation."""
    by_category = estimate.by_category()
    annual = estimate.annual
    kinds = annual.by_kind()
    salary = 0
    staff_on: dict[str, int] = {}
    member = cooperation.members[estimate.candidate]
    for group in member.transfer.staff:
        staff_on[group.system] = staff_on.get(group.system, 0) + group.annual_cost.ore
    for line in annual.lines:
        if line.split.system in staff_on and line.kind in (LineKind.BASE, LineKind.APPLICATION):
            cost = scenario.systems[line.split.system].annual_cost.ore
            if cost:
                salary += line.amount.ore * staff_on[line.split.system] // cost
    # by_kind has every kind of line, 0.00 where the candidate has none.
    operating = kinds[LineKind.BASE] + kinds[LineKind.APPLICATION]
    own = kinds[LineKind.OWN_SYSTEM]
    rows = (
        SummaryRow(
            item=message("Implementation investments"),
            investment=by_category[CostCategory.IMPLEMENTATION],
        ),
        SummaryRow(item=message("Process costs"), operations=by_category[CostCategory.PROCESS]),
        SummaryRow(
            item=message("Infrastructure purchase"),
            next_investment=by_category[CostCategory.INFRASTRUCTURE],
        ),
        SummaryRow(
            item=message("Core investments"),
            annual_investment=kinds[LineKind.CORE_INVESTMENT],
        ),
        SummaryRow(
            item=message("Application investments"),
            # A candidate has no member investments (E115); were it to, this row holds them.
            annual_investment=kinds[LineKind.APPLICATION_INVESTMENT]
            + kinds[LineKind.MEMBER_INVESTMENT],
        ),
        SummaryRow(
            item=message("Owner contribution to operations"),
            annual_salary=Money(salary),
            annual_operating=operating + own - Money(salary),
        ),
    )
    return Summary(
        year=estimate.year,
        next_year=estimate.year + 1,
        annual_from=estimate.budget_year,
        rows=rows,
    )


def _premises(
    cooperation: Cooperation, member: Member, estimate: JoinEstimate, year: int | None
) -> tuple[Premise, ...]:
    """Every premise the estimate used, with its value and where it came from."""
    spec = "cooperation.toml"
    own = member_file(member.id)
    p = cooperation.premises

    def premise(name: str, value: Money | Fraction | int | str, source: str) -> Premise:
        return Premise(name=name, value=value, source=source)

    modelled = sorted(k for k, s in cooperation.systems.items() if s.cost_model is not None)
    share = cooperation.defaults.per_user_share
    found = [
        premise(
            message("Implementation year"),
            estimate.year,
            "--year" if year is not None else f"{own}: joined",
        ),
        premise(
            message("Annual figures priced in"),
            estimate.budget_year,
            f"{own}: joined"
            if estimate.budget_year != cooperation.budget_year
            else f"{spec}: budget_year",
        ),
        premise(message("Price growth a year"), estimate.growth, "--growth"),
        premise(
            message("PC lifetime (years)"),
            p.pc_lifetime_years,
            f"{spec}: premises.pc_lifetime_years",
        ),
        premise(
            message("Fewest units of a PC model kept"),
            p.min_units_per_model,
            f"{spec}: premises.min_units_per_model",
        ),
        premise(
            message("Person-days per image"),
            p.image_days_per_model,
            f"{spec}: premises.image_days_per_model",
        ),
        premise(message("Day rate"), p.day_rate, f"{spec}: premises.day_rate"),
        premise(message("Laptop"), p.prices.laptop, f"{spec}: premises.prices.laptop"),
        premise(
            message("PCs per charging cabinet"),
            p.cabinet_capacity,
            f"{spec}: premises.cabinet_capacity",
        ),
        premise(
            message("Charging cabinet"),
            p.prices.charging_cabinet,
            f"{spec}: premises.prices.charging_cabinet",
        ),
        premise(
            message("CoreCAL per employee"),
            p.prices.core_cal_per_employee,
            f"{spec}: premises.prices.core_cal_per_employee",
        ),
        premise(
            message("Data-centre capacity per user"),
            p.prices.capacity_per_user,
            f"{spec}: premises.prices.capacity_per_user",
        ),
        premise(
            message("Systems with a cost model"),
            ", ".join(modelled) if modelled else "-",
            f"{spec}: systems.*.cost_model",
        ),
        premise(
            message("Default share of cost per user"),
            share if share is not None else "-",
            f"{spec}: defaults.per_user_share",
        ),
        premise(
            message("Cost held flat (no cost model)"),
            estimate.held_flat,
            f"{spec}: systems.*.annual_cost",
        ),
    ]
    transfer = member.transfer
    if transfer.staff:
        fte = sum((g.fte for g in transfer.staff), Fraction(0))
        found.append(premise(message("IT staff moving over (FTE)"), fte, f"{own}: transfer.staff"))
        found.append(
            premise(
                message("Their salary and administration a year"),
                transfer.staff_cost,
                f"{own}: transfer.staff",
            )
        )
    if transfer.contracts:
        found.append(
            premise(
                message("Contracts and licences taken over a year"),
                transfer.contracts_cost,
                f"{own}: transfer.contracts",
            )
        )
    if transfer.operating_cost is not None:
        found.append(
            premise(
                message("IT operating costs today a year"),
                transfer.operating_cost,
                f"{own}: transfer.operating_cost",
            )
        )
    return tuple(found)

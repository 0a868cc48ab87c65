"""Hypothesis strategies: sound cooperations, and TOML documents of any shape."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import event, strategies as st

from dikt import (
    CalKind,
    CapacityStep,
    Category,
    Cooperation,
    CostModel,
    Defaults,
    Device,
    Domain,
    FleetEntry,
    Investment,
    Key,
    Licences,
    Member,
    MemberStatus,
    Metric,
    Money,
    OwnSystem,
    Package,
    Premises,
    Problem,
    Representatives,
    Severity,
    StepBasis,
    System,
    SystemStatus,
    Usage,
    Use,
    check,
)
from dikt.allocation import LineKind
from dikt.fair import CostItem, Game
from dikt.limits import MAX_COUNT

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
#: Ids as the spec allows them: a lowercase letter, then letters, digits and hyphens.
#: Two draws each: the regex strategy drew every character apart (most of the
#: cost of a generated cooperation).
ids = st.builds(str.__add__, st.sampled_from(_LOWER), st.text(_LOWER + _DIGITS + "-", max_size=6))
texts = st.text(max_size=12)
titles = st.text(min_size=1, max_size=12)
#: Small amounts that no 2, 3 or 4 equal payers divide: 12k + 1, 5, 7 or 11 øre (1 øre the
#: most drawn), so an equal split leaves 1, 2 or 3 øre to tied remainders. One draw each.
_undivided = st.integers(0, 335).map(lambda v: 12 * (v // 4) + (1, 5, 7, 11)[v % 4])
#: Amounts: small ones whose øre a split among a few payers must round, and any size (0
#: among them, less often than when any size came first: hypothesis leans to a first choice).
money = (_undivided | st.integers(0, 10**11)).map(Money)
#: Counts: any, and a few small ones that members share (equal figures tie).
counts = st.integers(0, 5_000) | st.sampled_from([0, 1, 2, 3])
years = st.integers(2000, 2030)
#: Dates a spec may hold (dikt supports the years 1900-2200).
dates = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
# Built once here, not inside every draw: building strategies was much of the
# cost of a generated cooperation; regexes, drawing each character apart, more.
project_codes = st.text(_DIGITS, min_size=1, max_size=3).map("IT".__add__)
own_ids = st.sampled_from([f"own{n}" for n in range(10)])
municipality_numbers = st.text(_DIGITS, min_size=4, max_size=4)
optional_titles = st.none() | titles
optional_texts = st.none() | texts
optional_dates = st.none() | dates
key_metrics = st.sampled_from([Metric.USERS, Metric.EQUAL, Metric.EMPLOYEES, Metric.POPULATION])
hundredths = st.integers(0, 100)
first_users = st.integers(1, 500)


@functools.lru_cache(maxsize=4096)
def _one(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """One of ``options``; kept, as building a strategy for every draw is slow."""
    return st.sampled_from(options)


@functools.lru_cache(maxsize=4096)
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    """``st.integers(low, high)``, kept: hypothesis's own cache of strategies costs
    more than drawing from it, in a generator that draws some hundred times."""
    return st.integers(low, high)


@functools.lru_cache(maxsize=1024)
def _lists(
    elements: st.SearchStrategy[Any],
    *,
    min_size: int = 0,
    max_size: int | None = None,
    unique: bool = False,
) -> st.SearchStrategy[list[Any]]:
    """``st.lists``, kept as ``_ints``."""
    return st.lists(elements, min_size=min_size, max_size=max_size, unique=unique)


@functools.lru_cache(maxsize=1024)
def _sets(elements: st.SearchStrategy[Any], *, max_size: int) -> st.SearchStrategy[set[Any]]:
    """``st.sets``, kept as ``_ints``."""
    return st.sets(elements, max_size=max_size)


def _some(options: tuple[Any, ...]) -> st.SearchStrategy[list[Any]]:
    """Some of ``options``, each at most once, from the kept strategies."""
    return _lists(_one(options), unique=True)


_BOOLEANS = st.booleans()

#: No date, any day near the budget year, or a 1 January (lifetimes below).
_NEAR = st.sampled_from(["none", "any day", "new year"])


def _lifetimes(draw: st.DrawFn, budget_year: int) -> dict[str, dt.date | None]:
    """A catalogue system's introduced and retired dates (none, either or both, in order).

    Mostly near the budget year, so that the plan's four years see systems come
    and go, 1 January (not charged in a retirement's year) among them.
    """

    def near(earliest: dt.date) -> dt.date | None:
        # Drawn by hand from cached strategies: building st.dates(...) | ... for
        # every system was an eighth of the cost of a generated cooperation.
        start = max(earliest, dt.date(budget_year - 2, 1, 1))
        end = max(start, dt.date(budget_year + 5, 12, 31))
        kind = draw(_NEAR)
        if kind == "none":
            return None
        if kind == "any day":
            return dt.date.fromordinal(draw(_ints(start.toordinal(), end.toordinal())))
        first_new_year = start.year + (start != dt.date(start.year, 1, 1))
        last_new_year = max(first_new_year, budget_year + 4)
        return dt.date(draw(_ints(first_new_year, last_new_year)), 1, 1)

    introduced = near(dt.date(1900, 1, 1))
    earliest = introduced + dt.timedelta(days=1) if introduced else dt.date(1900, 1, 1)
    retired = near(earliest)
    if introduced or retired:
        event("spec: a system introduced or retired")
    return {"introduced": introduced, "retired": retired}


@st.composite
def cooperations(draw: st.DrawFn, *, max_members: int = 4, max_systems: int = 6) -> Cooperation:
    """A sound cooperation: every reference resolves, no cycles, all payable.

    ``check`` finds no error in it (warnings are possible).
    """
    # The people and notes a spec may name (owners, managers, coordinators,
    # vendors): each drawn from a few texts drawn once (none among them), one
    # cheap choice instead of a new text each (a third of a cooperation's
    # draws). Dikt only carries them; loading and writing them back is what
    # they test, and a field drawn on its own (not in turn) can still land on
    # the wrong record and be seen.
    people = _one(tuple(draw(_lists(optional_titles, min_size=1, max_size=5))))
    free_texts = _one(tuple(draw(_lists(optional_texts, min_size=1, max_size=3))))
    domain_ids = draw(_lists(ids, min_size=1, max_size=3, unique=True))
    domains = {d: Domain(id=d, name=draw(titles)) for d in domain_ids}
    # The number of members drawn from 1-4 first (a list's own length leans to the
    # short). Two comes first, as hypothesis leans to a first choice: one, first, came
    # out in a third of the examples and two in a fifth; now one in a fifth and two in
    # two fifths, three and four about as before (2.3 members on average, as before,
    # so the same cost). Splits among several payers, which must round, are common.
    size = draw(_one((min(2, max_members), 1, *range(3, max_members + 1))))
    member_ids = draw(_lists(ids, min_size=size, max_size=size, unique=True))
    event(f"spec: {size} member{'s' if size > 1 else ''}")
    system_ids = draw(
        _lists(
            project_codes,
            min_size=1,
            max_size=max_systems,
            unique=True,
        )
    )
    budget_year = draw(years)
    # One in four of the others a candidate: most splits have several payers.
    statuses = [MemberStatus.MEMBER] + [
        MemberStatus.CANDIDATE if draw(_ints(0, 3)) == 3 else MemberStatus.MEMBER
        for _ in member_ids[1:]
    ]
    active = [m for m, status in zip(member_ids, statuses, strict=True) if status.value == "member"]
    keys: dict[str, Key] = {}
    if draw(_BOOLEANS):
        keys["mix"] = Key(
            id="mix",
            metric=draw(key_metrics),
            equal_share=Fraction(draw(hundredths), 100),
        )
    if len(active) == len(member_ids) and draw(_BOOLEANS):
        # Fixed shares over all members, when there are no candidates (a
        # candidate could never join them: E117) (so only for base packages and core
        # investments), in hundredths that sum to 1.
        cuts = sorted(
            draw(_lists(_ints(0, 100), min_size=len(active) - 1, max_size=len(active) - 1))
        )
        bounds = [0, *cuts, 100]
        keys["fixed"] = Key(
            id="fixed",
            shares={m: Fraction(bounds[i + 1] - bounds[i], 100) for i, m in enumerate(active)},
        )
    # "equal" splits equally: a split whose øre tie whenever they do not divide. It
    # comes first, as hypothesis leans to a first choice: with the amounts above, two
    # in five generated cooperations then have a split whose leftover øre go to tied
    # remainders, one in five before (the default keys, by users, come next).
    application_keys = ["equal", None, *(k for k in keys if k != "fixed")]
    systems: dict[str, System] = {}
    for index, system_id in enumerate(system_ids):
        package = draw(_one(tuple(Package)))
        systems[system_id] = System(
            id=system_id,
            name=draw(texts),
            package=package,
            domain=draw(_one(tuple(domain_ids))),
            annual_cost=draw(money),
            vendor=draw(free_texts),
            key=draw(
                _one(("equal", None, *keys) if package is Package.BASE else tuple(application_keys))
            ),
            # Only on earlier systems: never a cycle.
            depends_on=tuple(draw(_some(tuple(system_ids[:index])))) if index else (),
            status=draw(_one(tuple(SystemStatus))),
            critical=draw(_BOOLEANS),
            coordinator=draw(people),
            operations=draw(people),
            **_lifetimes(draw, budget_year),
        )
    members: dict[str, Member] = {}
    for position, member_id in enumerate(member_ids):
        # The first is a member using every system, so every cost has a payer
        # and every basis is above 0.
        first = position == 0
        usage = {}
        for system_id in system_ids:
            if first or draw(_ints(0, 3)):
                usage[system_id] = Usage(
                    system=system_id,
                    users=draw(first_users) if first else draw(counts),
                    owner=draw(people),
                    manager=draw(people),
                )
        own = {}
        # Three at most (chains of them, several in one domain): each is a line
        # paid alone and a dozen draws; ten (the list's own bound) made them two
        # fifths of a generated cooperation's cost.
        for own_id in draw(_lists(own_ids, unique=True, max_size=3)):
            own[own_id] = OwnSystem(
                id=own_id,
                name=draw(texts),
                domain=draw(_one(tuple(domain_ids))),
                annual_cost=draw(money),
                users=draw(counts),
                # Catalogue systems, and earlier own systems: never a cycle.
                depends_on=tuple(draw(_some((*system_ids, *own)))),
                contract_ends=draw(optional_dates),
                owner=draw(people),
                manager=draw(people),
            )
        fleet = tuple(
            FleetEntry(
                model=draw(titles),
                kind=draw(_one(tuple(Device))),
                units=draw(counts),
                purchased=draw(years),
                use=draw(_one(tuple(Use))),
            )
            for _ in range(draw(_ints(0, 3)))
        )
        joined = draw(optional_dates)
        if joined is not None and statuses[position] is MemberStatus.MEMBER:
            # A member has joined by the year before the budget year (it pays
            # from its joined year; an investment may fall in that year); a
            # candidate's planned date is any.
            joined = min(joined, dt.date(budget_year - 1, 12, 31))
        members[member_id] = Member(
            id=member_id,
            name=draw(titles),
            municipality_number=draw(municipality_numbers),
            status=statuses[position],
            joined=joined,
            population=draw(_ints(1, 100_000)) if first else draw(counts),
            employees=draw(_ints(1, 5_000)) if first else draw(counts),
            users=draw(_ints(1, 20_000)) if first else draw(counts),
            representatives=Representatives(board=draw(people), working_committee=draw(people)),
            systems=usage,
            own_systems=own,
            fleet=fleet,
            licences=Licences(cal=draw(_one(tuple(CalKind)))),
        )
    investments = []
    for index in range(draw(_ints(0, 4))):
        category = draw(_one(tuple(Category)))
        # Mostly in the budget year or the plan's years; now and then before or after.
        offset = draw(_one((0, 1, 2, 3, -1, 4)))
        event(f"spec: an investment in the budget year{offset:+}")
        investments.append(
            Investment(
                id=f"inv-{index}",
                category=category,
                year=budget_year + offset,
                amount=draw(money),
                description=draw(free_texts),
                system=draw(_one(tuple(system_ids))) if category is Category.APPLICATION else None,
                member=member_ids[0] if category is Category.MEMBER else None,
                key=draw(_one((None, "users", *keys))) if category is Category.CORE else None,
            )
        )
    for system_id in system_ids:
        if draw(_ints(0, 2)) == 0:
            systems[system_id] = attrs.evolve(
                systems[system_id],
                cost_model=_cost_model(draw, systems[system_id], list(members.values())),
            )
    if len(active) < len(member_ids):
        event("spec: a candidate")
    if "fixed" in keys:
        event("spec: a key of fixed shares")
    return Cooperation(
        schema=1,
        id=draw(ids),
        name=draw(titles),
        legal_basis=draw(free_texts),
        established=draw(optional_dates),
        budget_year=budget_year,
        currency="NOK",
        defaults=Defaults(),
        keys=keys,
        domains=domains,
        systems=systems,
        investments=tuple(investments),
        premises=Premises(
            pc_lifetime_years=draw(_ints(1, 8)),
            day_rate=draw(money),
        ),
        members=members,
    )


def _cost_model(draw: st.DrawFn, system: System, members: list[Member]) -> CostModel:
    """A cost model that adds up to the system's annual cost (no E118), of any kind.

    Its steps serve every member and candidate that uses the system, so that a
    candidate's joining never outgrows them.
    """
    if system.package is Package.BASE:
        need = [m.users for m in members]
    else:
        need = [m.systems[system.id].users for m in members if system.id in m.systems]
    active = [m for m in members if m.status is MemberStatus.MEMBER]
    if system.package is Package.BASE:
        users = sum(m.users for m in active)
    else:
        users = sum(m.systems[system.id].users for m in active if system.id in m.systems)
    kind = draw(_one(("per_user", "steps by largest", "steps by total", "all")))
    event(f"spec: a cost model, {kind}")
    budget = system.annual_cost.ore
    per_user = 0
    if kind in ("per_user", "all") and users:
        per_user = draw(_ints(0, budget // users))
    left = budget - per_user * users
    basis = StepBasis.TOTAL if kind == "steps by total" else StepBasis.LARGEST
    if kind == "all":
        basis = draw(_one(tuple(StepBasis)))
    steps: tuple[CapacityStep, ...] = ()
    if kind != "per_user":
        top = max(1, sum(need) if basis is StepBasis.TOTAL else max(need, default=0))
        bounds = sorted(draw(_sets(_ints(1, top), max_size=2)) | {top})
        # The members' step costs at most what is left; steps never fall in cost.
        costs = sorted(draw(_lists(_ints(0, left), min_size=len(bounds), max_size=len(bounds))))
        steps = tuple(
            CapacityStep(up_to=u, cost=Money(c)) for u, c in zip(bounds, costs, strict=True)
        )
        # What the members need costs the step serving them; that must fit in the annual cost.
        member_need = (
            users
            if basis is StepBasis.TOTAL
            else max(
                (
                    m.users if system.package is Package.BASE else m.systems[system.id].users
                    for m in active
                    if system.package is Package.BASE or system.id in m.systems
                ),
                default=0,
            )
        )
        serving = next((step.cost.ore for step in steps if step.up_to >= member_need), 0)
        if member_need and serving > left:
            steps = tuple(
                CapacityStep(up_to=step.up_to, cost=Money(min(step.cost.ore, left)))
                for step in steps
            )
            serving = min(serving, left)
        left -= serving if member_need else 0
    written = Money(left) if draw(_BOOLEANS) else None
    return CostModel(per_user=Money(per_user), steps=steps, step_basis=basis, fixed=written)


# -- TOML documents of any shape ---------------------------------------------------

toml_scalars = (
    st.text(max_size=8)
    | st.integers(-(2**63), 2**63 - 1)
    | st.decimals(allow_nan=True, allow_infinity=True, places=None).filter(
        lambda d: not d.is_snan()
    )
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.times()
)


@functools.cache
def toml_values() -> st.SearchStrategy[Any]:
    """Any TOML value: scalars, arrays and tables, nested (one strategy, built once)."""
    return st.recursive(
        toml_scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=8,
    )


def toml_documents() -> st.SearchStrategy[dict[str, Any]]:
    """Any TOML document (a table at the top)."""
    return st.dictionaries(st.text(max_size=8), toml_values(), max_size=5)


__all__ = [
    "HOSTILE_NAMES",
    "cooperations",
    "costed",
    "errors",
    "games",
    "open_to_newcomers",
    "partitions",
    "payable",
    "semantic_mutants",
    "toml_documents",
    "toml_values",
]


def payable(cooperation: Cooperation) -> Cooperation:
    """Without member investments of candidates, which allocate refuses by design."""
    active = {m.id for m in cooperation.active_members}
    return attrs.evolve(
        cooperation,
        investments=tuple(
            i for i in cooperation.investments if i.member is None or i.member in active
        ),
    )


def open_to_newcomers(cooperation: Cooperation) -> Cooperation:
    """``cooperation`` as one a newcomer of any size can join, rather than filtered for it.

    Keys of fixed shares, which cannot take a newcomer (E117), are dropped: what
    used one splits by users. Each cost model gets a last capacity step of its
    last step's cost serving up to dikt's bound, so a candidate never outgrows
    the steps (E118); the members are served by the steps they were.
    """
    fixed = {k for k, key in cooperation.keys.items() if key.shares is not None}
    systems = {}
    for system_id, system in cooperation.systems.items():
        model = system.cost_model
        if model is not None and model.steps and model.steps[-1].up_to < MAX_COUNT:
            last = CapacityStep(up_to=MAX_COUNT, cost=model.steps[-1].cost)
            model = attrs.evolve(model, steps=(*model.steps, last))
        key = None if system.key in fixed else system.key
        systems[system_id] = attrs.evolve(system, key=key, cost_model=model)
    return attrs.evolve(
        cooperation,
        keys={k: key for k, key in cooperation.keys.items() if k not in fixed},
        systems=systems,
        investments=tuple(
            attrs.evolve(i, key=None if i.key in fixed else i.key) for i in cooperation.investments
        ),
    )


def errors(cooperation: Cooperation) -> list[Problem]:
    """The errors ``check`` finds (warnings left out)."""
    return [p for p in check(cooperation) if p.severity is Severity.ERROR]


# -- semantic mutants: sound specs of shapes the generator above rarely makes ----------------

#: Names a careless or hostile user might give: formulas, escape sequences,
#: bidirectional overrides, Markdown links and images, XML-hostile characters.
HOSTILE_NAMES = st.sampled_from(
    [
        '=HYPERLINK("http://x")',
        "+1",
        "-1",
        "@SUM(A1)",
        "Familia\x1b[2J\x07",
        "Familia\u202e00.001",
        "\u2066Familia\u2069",
        "![x](https://evil.example/p.png)",
        "[go](https://evil.example)",
        "a|b<c>&d",
        "D-IKT \x01\x08 \uffff",
    ]
)

_MUTATIONS = (
    "stop-using",
    "only-one-uses",
    "hostile-name",
    "steps",
    "population-zero",
    "candidate",
    "fixed-key",
    "leaves",
    "joins-later",
)


def _stop_using(cooperation: Cooperation, member_id: str, system_id: str) -> Cooperation:
    member = cooperation.members[member_id]
    systems = {k: v for k, v in member.systems.items() if k != system_id}
    return attrs.evolve(
        cooperation,
        members={**cooperation.members, member_id: attrs.evolve(member, systems=systems)},
    )


@st.composite
def semantic_mutants(draw: st.DrawFn, base: Cooperation) -> Cooperation:
    """``base`` after a few changes a real cooperation makes, most of which ``check`` passes.

    Members stop using an application, or only one member uses it (groups
    that share nothing); a system is priced by capacity steps (by the
    largest member or by their total); a member has no inhabitants or
    becomes a candidate, leaves or joins within the plan's years; a key of
    fixed shares splits a base package; names
    hold formulas, escape sequences, bidi overrides and Markdown links. The
    kinds of spec that found false alarms in the core, unsafe text and
    analyses refusing what ``check`` passed.
    """
    cooperation = base
    for _ in range(draw(st.integers(1, 3))):
        members = sorted(m for m, v in cooperation.members.items() if v.is_member)
        systems = sorted(cooperation.systems)
        action = draw(st.sampled_from(_MUTATIONS))
        system_id = draw(st.sampled_from(systems))
        system = cooperation.systems[system_id]
        if action == "stop-using":
            cooperation = _stop_using(cooperation, draw(st.sampled_from(members)), system_id)
        elif action == "only-one-uses" and system.package is Package.APPLICATION:
            users = [m for m in members if system_id in cooperation.members[m].systems]
            if users:
                keep = draw(st.sampled_from(users))
                for other in users:
                    if other != keep:
                        cooperation = _stop_using(cooperation, other, system_id)
        elif action == "hostile-name":
            name = draw(HOSTILE_NAMES)
            if draw(st.booleans()):
                cooperation = attrs.evolve(cooperation, name=name)
            else:
                renamed = attrs.evolve(system, name=name)
                cooperation = attrs.evolve(
                    cooperation, systems={**cooperation.systems, system_id: renamed}
                )
        elif action == "steps" and system.annual_cost.ore >= 300:
            basis = draw(st.sampled_from(StepBasis))
            # Big enough for every member's users: the cost model adds up (no E118).
            top = 1 + sum(m.users for m in cooperation.members.values())
            cost = system.annual_cost.ore
            steps = (
                CapacityStep(up_to=max(1, top // draw(st.integers(2, 5))), cost=Money(cost // 3)),
                CapacityStep(up_to=top + 1, cost=Money(cost // 2)),
            )
            model = CostModel(step_basis=basis, steps=steps)
            cooperation = attrs.evolve(
                cooperation,
                systems={**cooperation.systems, system_id: attrs.evolve(system, cost_model=model)},
            )
        elif action == "population-zero":
            member_id = draw(st.sampled_from(members))
            member = attrs.evolve(cooperation.members[member_id], population=0)
            cooperation = attrs.evolve(
                cooperation, members={**cooperation.members, member_id: member}
            )
        elif action == "candidate" and len(members) > 1:
            member_id = draw(st.sampled_from(members))
            member = attrs.evolve(
                cooperation.members[member_id],
                status=MemberStatus.CANDIDATE,
                joined=dt.date(cooperation.budget_year + 1, 1, 1),
            )
            cooperation = attrs.evolve(
                cooperation, members={**cooperation.members, member_id: member}
            )
        elif action in ("leaves", "joins-later") and len(members) > 1:
            # A member that has given notice, or one that has signed and joins
            # later, within the plan's years: the years mean what they say.
            member_id = draw(st.sampled_from(members))
            when = dt.date(cooperation.budget_year + draw(st.integers(1, 3)), 1, 1)
            changed = {"leaving": when} if action == "leaves" else {"joined": when, "leaving": None}
            member = attrs.evolve(cooperation.members[member_id], **changed)
            cooperation = attrs.evolve(
                cooperation, members={**cooperation.members, member_id: member}
            )
        elif action == "fixed-key" and system.package is Package.BASE:
            everyone = sorted(cooperation.members)
            shares = {m: Fraction(1, len(everyone)) for m in everyone}
            key = Key(id="founders", shares=shares)
            cooperation = attrs.evolve(
                cooperation,
                keys={**cooperation.keys, "founders": key},
                systems={**cooperation.systems, system_id: attrs.evolve(system, key="founders")},
            )
    return cooperation


@st.composite
def costed(draw: st.DrawFn, cooperation: Cooperation) -> Cooperation:
    """``cooperation`` with cost models on some of its systems, and perhaps a default one.

    Each model adds up for today's members (E118 never fires), and its last
    capacity step serves any set of members the strategies can draw.
    """
    systems = dict(cooperation.systems)
    for system_id, system in sorted(systems.items()):
        if not draw(st.booleans()):
            continue
        users = [
            m.users
            if system.package is Package.BASE
            else (m.systems[system_id].users if system_id in m.systems else 0)
            for m in cooperation.active_members
        ]
        total = sum(users)
        room = system.annual_cost.ore
        per_user = draw(st.integers(0, room // total)) if total else 0
        room -= per_user * total
        basis = draw(st.sampled_from(StepBasis))
        need = total if basis is StepBasis.TOTAL else max(users, default=0)
        steps: list[CapacityStep] = []
        if draw(st.booleans()) and room:
            low = draw(st.integers(0, room))
            high = draw(st.integers(low, room))
            cut = max(need, 1)
            steps = [
                CapacityStep(up_to=cut, cost=Money(low)),
                CapacityStep(up_to=cut + 10**8, cost=Money(high)),
            ]
            if need > 0 and draw(st.booleans()):
                steps = steps[1:]  # today served by the large step
        systems[system_id] = attrs.evolve(
            system,
            cost_model=CostModel(per_user=Money(per_user), steps=tuple(steps), step_basis=basis),
        )
    share = draw(st.none() | st.integers(0, 100).map(lambda p: Fraction(p, 100)))
    return attrs.evolve(
        cooperation,
        systems=systems,
        defaults=attrs.evolve(cooperation.defaults, per_user_share=share),
    )


# -- cost games --------------------------------------------------------------------


@st.composite
def games(draw: st.DrawFn, max_players: int = 6, max_items: int = 4) -> Game:
    """A cost game: items needed by some players, fixed, per user, capacity steps of both bases.

    The last step serves every player's need, as E118 requires of a spec.
    """
    n = draw(st.integers(1, max_players))
    items = []
    for index in range(draw(st.integers(1, max_items))):
        who = sorted(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)))
        needs = tuple(draw(st.integers(0, 50)) for _ in who)
        steps: tuple[tuple[int, int], ...] = ()
        basis = draw(st.sampled_from(list(StepBasis)))
        if draw(st.booleans()):
            top = sum(needs) if basis is StepBasis.TOTAL else max(needs)
            bounds = sorted(draw(st.sets(st.integers(1, 60), min_size=1, max_size=3)))
            bounds[-1] = max(bounds[-1], top, 1)
            costs = sorted(
                draw(st.lists(st.integers(0, 10_000), min_size=len(bounds), max_size=len(bounds)))
            )
            steps = tuple(zip(sorted(set(bounds)), costs, strict=False))
            if steps[-1][0] < top:
                steps = (*steps[:-1], (top, steps[-1][1]))
            event(f"game: capacity steps by {basis.value}")
        items.append(
            CostItem(
                item=f"i{index}",
                kind=LineKind.APPLICATION,
                players=tuple(who),
                needs=needs,
                fixed=draw(st.integers(0, 100_000)),
                per_user=draw(st.integers(0, 100)),
                steps=steps,
                basis=basis,
            )
        )
    event(f"game: {n} players" if n < 7 else "game: 7-10 players")
    return Game(players=tuple(f"m{i}" for i in range(n)), items=tuple(items))


def partitions(total: int, parts: int) -> st.SearchStrategy[list[int]]:
    """``total`` split into ``parts`` whole numbers of 0 or more, in any proportions."""
    return st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1).map(
        lambda cuts: [b - a for a, b in itertools.pairwise([0, *sorted(cuts), total])]
    )

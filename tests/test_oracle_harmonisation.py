"""Harmonisation (dikt.harmonisation), against the words of docs/harmonisation.md.

"A catalogue system with `status = "standard"` is standard; one with `tolerated` or
`phase-out`, and every own system, is deviating. A member uses the applications it
has `users > 0` of, and its own systems. Base packages with status standard come with
membership." Gaps: one entry per domain where the cooperation or the member has a
system; harmonised (a standard system and nothing else), deviating (only own or
non-standard systems), mixed (both), absent (nothing); the annual cost of its own
systems there; the shares by domains (harmonised over the domains where it runs
something), by users (users of standard applications over users of all applications
and own systems) and by cost (what it pays for standard applications over what it
pays for all applications and own systems), base packages left out. The roadmap: the
standard system to move to, "one of the domain's standard systems the member already
uses, else the one with most users in the cooperation (ties by id)"; the natural time,
"the own system's `contract_ends`"; "a deviating system that others of the member
depend on comes first; among those ready, the earliest contract end first, then by id".
Only the systems in operation in the year count (`dikt.scenario.in_operation`).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given, settings, strategies as st

import dikt
from dikt import Cooperation, Money
from dikt.allocation import LineKind
from dikt.harmonisation import DomainStatus, gaps, matrix, roadmap
from dikt.model import Package, SystemStatus
from dikt.scenario import harmonise, in_operation, promote
from dikt.whatif import set_aside

from .conftest import MINIMAL_COOPERATION, minimal_member
from .strategies import cooperations, errors, payable

#: Half the profile's examples (30 of ci's 60, 500 of thorough's 1 000): a property of a
#: whole what-if on every example, kept within the suite's time.
HALF = settings(max_examples=max(30, settings.default.max_examples // 2))

Running = tuple[str, bool, bool, int, Money]  # id, standard, own, users, cost alone


def running_in_words(spec: Cooperation, member_id: str) -> dict[str, list[Running]]:
    """What the member runs, by domain: standard base packages, applications it has users of,
    its own systems."""
    member = spec.members[member_id]
    found: dict[str, list[Running]] = {}
    for system_id, system in spec.systems.items():
        standard = system.status is SystemStatus.STANDARD
        if system.package is Package.BASE:
            if standard:
                found.setdefault(system.domain, []).append(
                    (system_id, True, False, member.users, Money(0))
                )
        elif system_id in member.systems and member.systems[system_id].users > 0:
            users = member.systems[system_id].users
            found.setdefault(system.domain, []).append(
                (system_id, standard, False, users, Money(0))
            )
    for own_id, own in member.own_systems.items():
        found.setdefault(own.domain, []).append((own_id, False, True, own.users, own.annual_cost))
    return found


def status_in_words(systems: list[Running]) -> DomainStatus:
    standard = any(s[1] for s in systems)
    other = any(not s[1] for s in systems)
    if standard and other:
        return DomainStatus.MIXED
    if standard:
        return DomainStatus.HARMONISED
    return DomainStatus.DEVIATING if other else DomainStatus.ABSENT


def share(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(1)  # nothing to harmonise: all is


def check_gaps(cooperation: Cooperation, member_id: str, year: int) -> None:
    result = gaps(cooperation, member_id, year)
    spec = in_operation(cooperation, year)
    running = running_in_words(spec, member_id)
    domains = sorted({s.domain for s in spec.systems.values()} | running.keys())
    assert [d.domain for d in result.domains] == domains
    counted = harmonised = 0
    for gap in result.domains:
        systems = running.get(gap.domain, [])
        assert gap.status is status_in_words(systems)
        assert [(s.id, s.standard, s.own, s.users, s.cost_alone) for s in gap.systems] == sorted(
            systems, key=lambda s: (s[2], s[0])
        )
        names = {
            **{k: s.name for k, s in spec.systems.items()},
            **{k: o.name for k, o in spec.members[member_id].own_systems.items()},
        }
        assert [s.name for s in gap.systems] == [names[s.id] for s in gap.systems]
        assert gap.standard == tuple(
            sorted(
                k
                for k, s in spec.systems.items()
                if s.domain == gap.domain and s.status is SystemStatus.STANDARD
            )
        )
        assert gap.cost_alone == Money.sum(s[4] for s in systems)
        name = spec.domains[gap.domain].name if gap.domain in spec.domains else gap.domain
        assert gap.name == name
        counted += gap.status is not DomainStatus.ABSENT
        harmonised += gap.status is DomainStatus.HARMONISED
    assert result.harmonised_domains == share(harmonised, counted)
    assert result.harmonised_count == harmonised
    assert result.cost_alone == Money.sum(
        o.annual_cost for o in spec.members[member_id].own_systems.values()
    )
    # Users and cost: applications and own systems; base packages are alike for all.
    not_base = [
        s
        for systems in running.values()
        for s in systems
        if s[2] or spec.systems[s[0]].package is Package.APPLICATION
    ]
    assert result.harmonised_users == share(
        sum(s[3] for s in not_base if s[1]), sum(s[3] for s in not_base)
    )
    lines = dikt.allocate(promote(cooperation, member_id), year).member(member_id).lines
    standard = sum(
        line.amount.ore
        for line in lines
        if line.kind is LineKind.APPLICATION
        and spec.systems[line.item].status is SystemStatus.STANDARD
    )
    every = sum(
        line.amount.ore
        for line in lines
        if line.kind in (LineKind.APPLICATION, LineKind.OWN_SYSTEM)
    )
    assert result.harmonised_cost == share(standard, every)
    assert (result.member, result.name, result.year, result.is_member, result.currency) == (
        member_id,
        cooperation.members[member_id].name,
        year,
        cooperation.members[member_id].is_member,
        cooperation.currency,
    )


@HALF
@given(cooperations(), st.data())
def test_any_members_gaps_are_the_words(cooperation: Cooperation, data: st.DataObject) -> None:
    cooperation = payable(cooperation)
    member_id = data.draw(st.sampled_from(sorted(cooperation.members)))
    assume(not errors(promote(cooperation, member_id)))
    assume(member_id in set_aside(cooperation).members)  # its own file sound (else W213)
    check_gaps(cooperation, member_id, cooperation.budget_year)


#: Three members. Care has two standard applications, CARE2 (b: 5 users) and CARE3 (c: 7),
#: beside the tolerated CARE that a uses (10 users); the firewall FW is the standard of
#: infrastructure. a runs own systems: w (care, contract ends 2013, depends on z), x
#: (care, 2015), y (infrastructure, no contract end) and z (care, none).
ROADMAP_SPEC = MINIMAL_COOPERATION.replace(
    'depends_on = ["FW"]\n', 'depends_on = ["FW"]\nstatus = "tolerated"\n'
) + "".join(
    f'\n[systems.{name}]\nname = "{name}"\npackage = "application"\ndomain = "care"\n'
    f"annual_cost = {cost}\n"
    for name, cost in (("CARE2", 300), ("CARE3", 700))
)

OWN = """
[own_systems.{id}]
name = "{id}"
domain = "{domain}"
annual_cost = {cost}
users = 3
{extra}
"""


def _member(ident: str, number: str, system: str, users: int) -> str:
    return minimal_member(ident, number).replace(
        "[systems.CARE]\nusers = 10", f"[systems.{system}]\nusers = {users}"
    )


def _roadmap_spec(b_uses: int = 5, c_uses: int = 7, a_uses: str = "") -> Cooperation:
    a = (
        minimal_member("a")
        + "".join(
            OWN.format(id=i, domain=d, cost=c, extra=e)
            for i, d, c, e in (
                ("w", "care", 40, 'depends_on = ["z"]\ncontract_ends = 2013-01-01'),
                ("x", "care", 50, "contract_ends = 2015-06-30"),
                ("y", "infra", 60, ""),
                ("z", "care", 70, ""),
            )
        )
        + a_uses
    )
    return dikt.load_texts(
        ROADMAP_SPEC,
        {
            "members/a.toml": a,
            "members/b.toml": _member("b", "0603", "CARE2", b_uses),
            "members/c.toml": _member("c", "0604", "CARE3", c_uses),
        },
    )


def test_the_roadmaps_order_dependencies_contract_ends_then_ids() -> None:
    """x (2015) is ready and has a contract end; CARE, y and z have none: by id (CARE
    before the own systems' lower-case ids); w waits for z, then comes at once."""
    result = roadmap(_roadmap_spec(), "a")
    assert [s.system for s in result.steps] == ["x", "CARE", "y", "z", "w"]
    steps = {s.system: s for s in result.steps}
    assert steps["w"].depends_on == ("z",)
    assert steps["x"].natural_time == dt.date(2015, 6, 30)
    assert steps["CARE"].natural_time is None
    assert [(s.own, s.users) for s in result.steps] == [
        (True, 3),
        (False, 10),
        (True, 3),
        (True, 3),
        (True, 3),
    ]
    # What a pays for each today: its own systems alone, CARE alone (its only user).
    assert [str(s.pays_today) for s in result.steps] == [
        "50.00",
        "500.00",
        "60.00",
        "70.00",
        "40.00",
    ]
    assert [s.domain for s in result.steps] == ["care", "care", "infra", "care", "care"]


def test_the_target_is_the_standard_it_uses_else_the_most_used_else_the_first_id() -> None:
    def targets(spec: Cooperation) -> dict[str, str | None]:
        return {s.system: s.target for s in roadmap(spec, "a").steps}

    # Neither used by a: CARE3, of 7 users against 5.
    assert targets(_roadmap_spec()) == {
        "x": "CARE3",
        "CARE": "CARE3",
        "y": "FW",
        "z": "CARE3",
        "w": "CARE3",
    }
    # As many users of each: the first by id.
    assert set(targets(_roadmap_spec(c_uses=5)).values()) == {"CARE2", "FW"}
    # a uses CARE2 (one user): that one, however few use it.
    uses = "\n[systems.CARE2]\nusers = 1\n"
    assert set(targets(_roadmap_spec(a_uses=uses)).values()) == {"CARE2", "FW"}
    # One user of it counts; none does not (an entry of 0 users is no use).
    none = "\n[systems.CARE2]\nusers = 0\n"
    assert set(targets(_roadmap_spec(a_uses=none)).values()) == {"CARE3", "FW"}


def test_an_application_of_no_users_is_not_a_step() -> None:
    spec = _roadmap_spec()
    a = spec.members["a"]
    a = attrs.evolve(a, systems={**a.systems, "CARE": attrs.evolve(a.systems["CARE"], users=0)})
    b = spec.members["b"]  # someone to pay for CARE
    b = attrs.evolve(b, systems={**b.systems, "CARE": dikt.Usage(system="CARE", users=2)})
    spec = attrs.evolve(spec, members={**spec.members, "a": a, "b": b})
    assert "CARE" not in [s.system for s in roadmap(spec, "a").steps]
    care = next(d for d in gaps(spec, "a").domains if d.domain == "care")
    assert "CARE" not in [s.id for s in care.systems]


def test_the_gaps_of_the_roadmaps_member() -> None:
    """a runs in care CARE (tolerated, 10 users) and w, x and z (3 users each, 160 alone),
    no standard system: deviating; in infrastructure FW (standard, with membership) and y
    (60 alone): mixed."""
    spec = _roadmap_spec()
    result = gaps(spec, "a")
    assert [(d.domain, d.status, str(d.cost_alone)) for d in result.domains] == [
        ("care", DomainStatus.DEVIATING, "160.00"),
        ("infra", DomainStatus.MIXED, "60.00"),
    ]
    assert (result.harmonised_domains, result.harmonised_users, result.harmonised_cost) == (0, 0, 0)
    check_gaps(spec, "a", spec.budget_year)
    # An own system in a domain the spec does not name (an error of a's file) is shown
    # under the domain's id.
    a = spec.members["a"]
    astray = attrs.evolve(a.own_systems["y"], domain="nowhere")
    a = attrs.evolve(a, own_systems={**a.own_systems, "y": astray})
    nowhere = gaps(attrs.evolve(spec, members={**spec.members, "a": a}), "a").domains[-1]
    assert (nowhere.domain, nowhere.name, nowhere.status) == (
        "nowhere",
        "nowhere",
        DomainStatus.DEVIATING,
    )
    # b: CARE2 (standard) in care, FW in infra: harmonised in both.
    b = gaps(spec, "b")
    assert [d.status for d in b.domains] == [DomainStatus.HARMONISED] * 2
    assert (b.harmonised_domains, b.harmonised_users, b.harmonised_cost) == (1, 1, 1)


def test_a_tolerated_base_package_is_not_used_by_every_member() -> None:
    spec = _roadmap_spec()
    firewall = attrs.evolve(spec.systems["FW"], status=SystemStatus.TOLERATED)
    spec = attrs.evolve(spec, systems={**spec.systems, "FW": firewall})
    infra = next(d for d in gaps(spec, "b").domains if d.domain == "infra")
    assert (infra.status, infra.systems, infra.standard) == (DomainStatus.ABSENT, (), ())
    check_gaps(spec, "a", spec.budget_year)


def test_the_matrix_lists_members_then_candidates() -> None:
    spec = _roadmap_spec()
    b = attrs.evolve(spec.members["b"], status=dikt.MemberStatus.CANDIDATE)
    spec = attrs.evolve(spec, members={**spec.members, "b": b})
    result = matrix(spec)
    assert (result.members, result.candidates) == (("a", "c", "b"), ("b",))
    care = next(r for r in result.rows if r.domain == "care")
    assert (care.name, care.standard, list(care.cells)) == (
        "Care",
        ("CARE2", "CARE3"),
        ["a", "c", "b"],
    )
    assert care.cells["c"].status is DomainStatus.HARMONISED


# -- another year, candidates, moves that cannot be priced ---------------------------------

#: The roadmap's spec with a core investment of 2013 (9 000, split by users) and a standard
#: care application CARE4 introduced in 2013 (used by b), and a health domain without a
#: standard system, where a runs its own system v.
LATER = (
    ROADMAP_SPEC.replace("[domains.care]", '[domains.health]\nname = "Health"\n\n[domains.care]')
    + '\n[systems.CARE4]\nname = "CARE4"\npackage = "application"\ndomain = "care"\n'
    "annual_cost = 900\nintroduced = 2013-01-01\n"
    '\n[[investments]]\nid = "core-2013"\ncategory = "core"\nyear = 2013\namount = 9000\n'
)


def _later() -> Cooperation:
    a = (
        minimal_member("a")
        + OWN.format(id="v", domain="health", cost=80, extra="")
        + OWN.format(id="x", domain="care", cost=50, extra="contract_ends = 2015-06-30")
    )
    b = _member("b", "0603", "CARE2", 5) + "\n[systems.CARE4]\nusers = 9\n"
    return dikt.load_texts(
        LATER,
        {
            "members/a.toml": a,
            "members/b.toml": b,
            "members/c.toml": _member("c", "0604", "CARE3", 7),
        },
    )


def check_roadmap(cooperation: Cooperation, member_id: str, year: int) -> None:
    """Each step's effect and the total after every step, by allocate on the promoted spec
    of the year, with the move made."""
    result = roadmap(cooperation, member_id, year)
    today = promote(cooperation, member_id)
    before = dikt.allocate(today, year).member(member_id)
    assert (result.member, result.name, result.year, result.currency) == (
        member_id,
        cooperation.members[member_id].name,
        year,
        cooperation.currency,
    )
    assert result.total_before == before.total
    together = today
    for step in result.steps:
        paid = {line.item: line.amount for line in before.lines}
        assert step.pays_today == paid[step.system]
        if step.target is None:
            assert (step.target_name, step.effect, step.unpriced) == (None, None, None)
            continue
        assert step.target_name == cooperation.systems[step.target].name
        own = cooperation.members[member_id].own_systems
        named = own[step.system] if step.system in own else cooperation.systems[step.system]
        assert step.name == named.name
        moved = harmonise(today, member_id, step.system, step.target)
        after = dikt.allocate(moved, year).member(member_id).total
        assert step.effect == after - before.total
        together = harmonise(together, member_id, step.system, step.target)
    assert result.total_after_all == dikt.allocate(together, year).member(member_id).total


def test_gaps_and_roadmap_of_another_year() -> None:
    """In 2013 CARE4 is in operation (b's care has two standard systems then) and the core
    investment is paid: every figure is of 2013."""
    spec = _later()
    for year in (2012, 2013):
        check_gaps(spec, "a", year)
        check_gaps(spec, "b", year)
        check_roadmap(spec, "a", year)
    later = gaps(spec, "b", 2013)
    care = next(d for d in later.domains if d.domain == "care")
    assert [s.id for s in care.systems] == ["CARE2", "CARE4"]
    assert "CARE4" not in [s.id for d in gaps(spec, "b").domains for s in d.systems]
    assert roadmap(spec, "a", 2013).total_before != roadmap(spec, "a").total_before
    assert matrix(spec, 2013).rows != matrix(spec).rows
    assert matrix(spec).cooperation_id == spec.id
    # v's domain has no standard system: no target, nothing to price.
    (v,) = [s for s in roadmap(spec, "a").steps if s.system == "v"]
    assert (v.target, v.target_name, v.effect, v.unpriced) == (None, None, None, None)


def test_a_standard_split_by_fixed_shares_without_the_member_is_not_priced() -> None:
    """CARE3 split by a key of fixed shares, all c's: a's moves to it cannot be priced (the
    agreement would have to give a a share); its move to FW is, and the total after every
    step takes that one alone."""
    spec = _roadmap_spec()
    shares = dikt.model.Key(id="care3", shares={"c": Fraction(1)})
    care3 = attrs.evolve(spec.systems["CARE3"], key="care3")
    spec = attrs.evolve(
        spec, keys={**spec.keys, "care3": shares}, systems={**spec.systems, "CARE3": care3}
    )
    result = roadmap(spec, "a")
    steps = {s.system: s for s in result.steps}
    for system in ("CARE", "w", "x", "z"):
        assert steps[system].unpriced == (
            'key "care3" of CARE3 has fixed shares and none for a: the agreement would have '
            "to give it a share"
        )
        assert steps[system].effect is None
    assert steps["y"].unpriced is None
    assert steps["y"].effect is not None
    assert result.total_after_all == result.total_before + steps["y"].effect


def test_a_candidate_is_assessed_as_a_member_unless_something_blocks_it() -> None:
    """d, a candidate, runs CARE: its gaps and roadmap are priced as if it were a member.
    With FW split by fixed shares and none stated for d joining (W207), both stop, each
    naming itself."""
    spec = _roadmap_spec()
    d = attrs.evolve(
        spec.members["a"], id="d", name="D", status=dikt.MemberStatus.CANDIDATE, joined=None
    )
    spec = attrs.evolve(spec, members={**spec.members, "d": d})
    assert not gaps(spec, "d").is_member
    check_gaps(spec, "d", spec.budget_year)
    check_roadmap(spec, "d", spec.budget_year)
    founders = dikt.model.Key(
        id="founders", shares={"a": Fraction(1, 2), "b": Fraction(1, 4), "c": Fraction(1, 4)}
    )
    blocked = attrs.evolve(
        spec,
        keys={**spec.keys, "founders": founders},
        systems={**spec.systems, "FW": attrs.evolve(spec.systems["FW"], key="founders")},
    )
    for what, run in (("gaps", gaps), ("roadmap", roadmap)):
        with pytest.raises(dikt.errors.WhatIfError) as stopped:
            run(blocked, "d")
        assert str(stopped.value).startswith(
            f'`dikt {what}` cannot be priced for candidate "d"; `dikt check` warns why '
            "(1 warning):\n"
        )
        assert " W207 " in str(stopped.value)
    # The members' are not affected.
    assert gaps(blocked, "a").member == roadmap(blocked, "a").member == "a"


def test_one_user_counts_and_every_deviating_system_is_a_step() -> None:
    """a uses the standard CARE2 with no users and CARE with one; an own system "CARE" of
    the same id (W205) stands for the catalogue's; systems after those are still steps."""
    spec = _roadmap_spec()
    a = spec.members["a"]
    systems = {
        "CARE2": dikt.Usage(system="CARE2", users=0),
        "FW": dikt.Usage(system="FW", users=3),
        "CARE": attrs.evolve(a.systems["CARE"], users=1),
    }
    a = attrs.evolve(a, systems=systems)
    spec = attrs.evolve(spec, members={**spec.members, "a": a})
    steps = {s.system: s.users for s in roadmap(spec, "a").steps}
    assert steps["CARE"] == 1
    check_gaps(spec, "a", spec.budget_year)
    own = attrs.evolve(a.own_systems["z"], id="CARE")
    twice = attrs.evolve(a, own_systems={"CARE": own, **a.own_systems})
    # CARE2 (tolerated) after the own system of CARE's id: still a step.
    care2 = attrs.evolve(spec.systems["CARE2"], status=SystemStatus.TOLERATED)
    twice = attrs.evolve(
        twice,
        systems={
            "CARE": attrs.evolve(a.systems["CARE"], users=1),
            "CARE2": dikt.Usage(system="CARE2", users=2),
        },
    )
    spec = attrs.evolve(
        spec, members={**spec.members, "a": twice}, systems={**spec.systems, "CARE2": care2}
    )
    found = [(s.system, s.own) for s in roadmap(spec, "a").steps]
    assert ("CARE", True) in found
    assert ("CARE", False) not in found
    assert ("CARE2", False) in found


def test_a_cycle_is_ordered_by_contract_end_then_id() -> None:
    """x and y depend on each other: y's contract ends first, so y comes before x."""
    member = minimal_member("a") + (
        '\n[own_systems.x]\nname = "X"\ndomain = "care"\nannual_cost = 100\nusers = 2\n'
        'depends_on = ["y"]\n'
        '\n[own_systems.y]\nname = "Y"\ndomain = "care"\nannual_cost = 100\nusers = 2\n'
        'depends_on = ["x"]\ncontract_ends = 2013-01-01\n'
    )
    spec = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": member})
    result = roadmap(spec, "a")
    assert [s.system for s in result.steps] == ["y", "x"]
    assert result.cycles == (("x", "y"),)


def test_a_candidates_blocker_of_a_later_year_blocks_only_that_year() -> None:
    """A core investment of 2014 is split by fixed shares without a share for d joining:
    d's gaps and roadmap of 2012 (the budget year) are priced, those of 2014 stop."""
    spec = _roadmap_spec()
    d = attrs.evolve(
        spec.members["a"], id="d", name="D", status=dikt.MemberStatus.CANDIDATE, joined=None
    )
    founders = dikt.model.Key(
        id="founders", shares={"a": Fraction(1, 2), "b": Fraction(1, 4), "c": Fraction(1, 4)}
    )
    investment = dikt.model.Investment(
        id="core-2014",
        category=dikt.model.Category.CORE,
        year=2014,
        amount=Money.parse(9000),
        key="founders",
    )
    spec = attrs.evolve(
        spec,
        members={**spec.members, "d": d},
        keys={**spec.keys, "founders": founders},
        investments=(investment,),
    )
    for run in (gaps, roadmap):
        assert run(spec, "d").year == 2012
        assert run(spec, "d", 2012).year == 2012
        with pytest.raises(dikt.errors.WhatIfError):
            run(spec, "d", 2014)


def test_the_cost_share_adds_every_deviating_application() -> None:
    """a pays alone for CARE (500), 2/7 of CARE2 (made tolerated; b has 5 users), 3/10 of
    the standard CARE3 (c has 7) and 220 for its own systems: 210 of 210 + 500 + 85,71 +
    220 is standard."""
    spec = _roadmap_spec(a_uses="\n[systems.CARE2]\nusers = 2\n\n[systems.CARE3]\nusers = 3\n")
    care2 = attrs.evolve(spec.systems["CARE2"], status=SystemStatus.TOLERATED)
    spec = attrs.evolve(spec, systems={**spec.systems, "CARE2": care2})
    check_gaps(spec, "a", spec.budget_year)
    assert gaps(spec, "a").harmonised_cost == Fraction(21_000, 21_000 + 50_000 + 8_571 + 22_000)

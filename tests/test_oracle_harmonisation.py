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
from hypothesis import assume, given, strategies as st

import dikt
from dikt import Cooperation, Money
from dikt.allocation import LineKind
from dikt.harmonisation import DomainStatus, gaps, matrix, roadmap
from dikt.model import Package, SystemStatus
from dikt.scenario import in_operation, promote
from dikt.whatif import set_aside

from .conftest import MINIMAL_COOPERATION, minimal_member
from .strategies import cooperations, errors, payable

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
    assert (result.member, result.year, result.is_member) == (
        member_id,
        year,
        cooperation.members[member_id].is_member,
    )


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

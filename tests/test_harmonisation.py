"""Harmonisation: gaps, the matrix and the roadmap; examples and properties."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import assume, given, strategies as st

import dikt
import dikt.views.harmonisation as views
from dikt import Cooperation, Money, SystemStatus
from dikt.harmonisation import DomainStatus, _fixed_shares_without, gaps, matrix, roadmap
from dikt.scenario import harmonise, promote
from dikt.whatif import set_aside

from .conftest import EXAMPLE, MINIMAL_COOPERATION, minimal_member, unlocated
from .output import as_json, as_table
from .strategies import cooperations, errors, payable


@pytest.fixture(scope="module")
def example() -> Cooperation:
    return dikt.load(EXAMPLE)


def test_the_candidate_deviates_in_the_heavy_domains(example: Cooperation) -> None:
    result = gaps(example, "nedre-eiker")
    statuses = {d.domain: d.status for d in result.domains}
    assert {k for k, v in statuses.items() if v is DomainStatus.DEVIATING} == {
        "care",
        "case-archive",
        "finance",
    }
    assert statuses["health"] is DomainStatus.ABSENT
    assert statuses["technical-planning"] is DomainStatus.HARMONISED
    assert result.cost_alone == Money.parse(1_570_000)
    assert str(result.harmonised_domains) == "10/13"
    assert not result.is_member


def test_a_harmonised_member_has_no_gaps(example: Cooperation) -> None:
    result = gaps(example, "drammen")
    assert result.deviating == ()
    assert (result.harmonised_domains, result.harmonised_users, result.harmonised_cost) == (1, 1, 1)


def test_the_gaps_json_lists_domains_with_both_sides(example: Cooperation) -> None:
    data = json.loads(as_json(gaps(example, "sande")))
    care = next(d for d in data["domains"] if d["domain"] == "care")
    assert care == {
        "domain": "care",
        "name": "Pleie og omsorg",
        "status": "deviating",
        "systems": [
            {
                "id": "gerica",
                "name": "Gerica",
                "standard": False,
                "own": True,
                "users": 150,
                "cost_alone": "300000.00",
            }
        ],
        "standard": ["IT173"],
        "cost_alone": "300000.00",
    }
    assert data["harmonised"] == {
        "domains_percent": "92.86",
        "users_percent": "93.18",
        "cost_percent": "81.44",
    }


def test_a_mixed_domain(example: Cooperation) -> None:
    mixed = harmonise(example, "sande", "gerica", "IT173")
    sande = mixed.members["sande"]
    own = example.members["sande"].own_systems["gerica"]
    both = attrs.evolve(sande, own_systems={"gerica": own})
    mixed = attrs.evolve(mixed, members={**mixed.members, "sande": both})
    care = next(d for d in gaps(mixed, "sande").domains if d.domain == "care")
    assert care.status is DomainStatus.MIXED


def test_the_matrix(example: Cooperation) -> None:
    result = matrix(example)
    assert result.members == ("drammen", "royken", "sande", "svelvik", "nedre-eiker")
    assert result.candidates == ("nedre-eiker",)
    text = as_table(views.matrix_document(result, names=dikt.names_of(example)))
    care = next(line for line in text.splitlines() if line.startswith("Pleie og omsorg"))
    assert care.split() == [
        "Pleie",
        "og",
        "omsorg",
        "IT173",
        "IT173",
        "[Gerica]",
        "IT173",
        "[Gerica]",
    ]
    # The catalogue's systems by their project codes, named below the matrix.
    assert "IT173   Profil" in text
    header = text.splitlines()[0].split()
    assert header[1:] == ["Drammen", "Røyken", "Sande", "Svelvik", "Nedre", "Eiker", "(candidate)"]
    data = json.loads(as_json(result))
    assert data["domains"][0]["members"]["sande"]["status"] == "deviating"


def test_the_roadmap_of_the_candidate(example: Cooperation) -> None:
    result = roadmap(example, "nedre-eiker")
    assert [(s.system, s.target, str(s.natural_time)) for s in result.steps] == [
        ("websak", "IT170", "2014-06-30"),
        ("visma-enterprise", "IT171", "2015-12-31"),
        ("gerica", "IT173", "2016-12-31"),
    ]
    assert [str(s.effect) for s in result.steps] == ["-31818.18", "-53333.33", "-158823.53"]
    assert str(result.effect_all) == "-243975.04"
    assert result.cycles == ()
    # People read an own system by its name, a domain by its name (never "websak WebSak").
    text = as_table(views.roadmap_document(result, names=dikt.names_of(example)))
    assert "1  WebSak            Sak og arkiv     IT170 ePhorte" in text


def _cyclic() -> Cooperation:
    member = minimal_member("a") + (
        '\n[own_systems.x]\nname = "X"\ndomain = "care"\nannual_cost = 100\nusers = 2\n'
        'depends_on = ["y"]\ncontract_ends = 2013-01-01\n'
        '\n[own_systems.y]\nname = "Y"\ndomain = "care"\nannual_cost = 100\nusers = 2\n'
        'depends_on = ["x"]\n'
        '\n[own_systems.z]\nname = "Z"\ndomain = "infra"\nannual_cost = 50\nusers = 1\n'
    )
    return dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": member})


def test_a_base_package_being_phased_out_is_no_step_of_a_members_roadmap(
    example: Cooperation,
) -> None:
    """Every member pays a base package by membership: Sande listing users of a phase-out
    antivirus (IT184) is no deviation of its own, in the roadmap as in gaps (the roadmap
    moved it to the data centre, IT150, at no effect)."""
    systems = dict(example.systems)
    systems["IT184"] = attrs.evolve(systems["IT184"], status=SystemStatus.PHASE_OUT)
    sande = example.members["sande"]
    usage = attrs.evolve(next(iter(sande.systems.values())), users=300)
    members = {
        **example.members,
        "sande": attrs.evolve(sande, systems={**sande.systems, "IT184": usage}),
    }
    spec = attrs.evolve(example, systems=systems, members=members)
    assert [step.system for step in roadmap(spec, "sande").steps] == ["gerica"]
    assert "IT184" not in {
        s.id for domain in gaps(spec, "sande").domains for s in domain.systems if not s.standard
    }


def test_a_cycle_is_reported_and_found_by_check() -> None:
    cooperation = _cyclic()
    result = roadmap(cooperation, "a")
    assert result.cycles == (("x", "y"),)
    assert [s.system for s in result.steps] == ["z", "x", "y"]
    assert unlocated(p for p in dikt.check(cooperation) if p.code == "E105") == [
        "members/a.toml: E105 own_systems.x.depends_on: dependency cycle: x -> y -> x"
    ]


def test_dependencies_come_before_an_earlier_contract_end() -> None:
    member = minimal_member("a") + (
        '\n[own_systems.app]\nname = "App"\ndomain = "care"\nannual_cost = 100\nusers = 2\n'
        'depends_on = ["db"]\ncontract_ends = 2013-01-01\n'
        '\n[own_systems.db]\nname = "Db"\ndomain = "care"\nannual_cost = 100\nusers = 2\n'
        "contract_ends = 2019-01-01\n"
    )
    cooperation = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": member})
    result = roadmap(cooperation, "a")
    assert [(s.system, s.depends_on) for s in result.steps] == [("db", ()), ("app", ("db",))]


def test_a_move_that_leaves_a_system_nobody_can_pay_is_said_not_priced() -> None:
    """Moving off a tolerated system split by the members' users, whose only other
    user is a member of 0 users: its split's basis would be 0, so the step says
    allocate's refusal and has no effect."""
    cooperation = MINIMAL_COOPERATION.replace(
        'depends_on = ["FW"]\n', 'depends_on = ["FW"]\nstatus = "tolerated"\nkey = "users"\n'
    ) + (
        '\n[systems.CARE2]\nname = "Standard care"\npackage = "application"\n'
        'domain = "care"\nannual_cost = 300\nstatus = "standard"\n'
    )
    other = minimal_member("b", "0604").replace("users = 200\n", "users = 0\n") + (
        "\n[systems.CARE2]\nusers = 5\n"
    )
    spec = dikt.load_texts(
        cooperation, {"members/a.toml": minimal_member("a"), "members/b.toml": other}
    )
    assert spec.members["b"].users == 0
    (step,) = roadmap(spec, "a").steps
    assert (step.system, step.target, step.effect) == ("CARE", "CARE2", None)
    assert step.unpriced == (
        'system CARE: cannot split by key "users": the participants\' total of "users" is 0'
    )


def test_unknown_member() -> None:
    with pytest.raises(dikt.NotFoundError, match='no member or candidate "sand"'):
        gaps(dikt.load(EXAMPLE), "sand")


# -- properties ---------------------------------------------------------------------------


@given(cooperations(), st.data())
def test_only_standard_systems_means_no_gaps_and_all_harmonised(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    cooperation = payable(cooperation)
    member = data.draw(st.sampled_from(sorted(cooperation.members)))
    original = cooperation.members[member]
    standard_only = attrs.evolve(
        original,
        own_systems={},
        systems={
            k: u
            for k, u in original.systems.items()
            if cooperation.systems[k].status is SystemStatus.STANDARD
        },
    )
    cooperation = attrs.evolve(cooperation, members={**cooperation.members, member: standard_only})
    # Dropping usage can leave an application without payers, and a promoted
    # candidate has no fixed share: skip the specs the allocation refuses.
    assume(not errors(promote(cooperation, member)))
    assume(member in set_aside(cooperation).members)  # its own file sound (else W213)
    result = gaps(cooperation, member)
    assert result.deviating == ()
    assert result.harmonised_domains == 1
    assert result.harmonised_users == 1
    assert result.harmonised_cost == 1


@given(cooperations(), st.data())
def test_replacing_a_deviating_system_never_lowers_the_shares(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    cooperation = payable(cooperation)
    standard = {
        s.domain: sid
        for sid, s in sorted(cooperation.systems.items())
        if s.status is SystemStatus.STANDARD
    }
    # Drawn among the members that run a system of a domain with a standard,
    # not filtered after: most members run none.
    movers = [
        m
        for m, member in sorted(cooperation.members.items())
        if any(own.domain in standard for own in member.own_systems.values())
    ]
    assume(movers)
    member_id = data.draw(st.sampled_from(movers))
    member = cooperation.members[member_id]
    movable = [o for o, own in sorted(member.own_systems.items()) if own.domain in standard]
    own_id = data.draw(st.sampled_from(movable))
    target = standard[member.own_systems[own_id].domain]
    # Sound once it is a member, and its own file sound (else it is set aside: W213).
    assume(not errors(promote(cooperation, member_id)))
    assume(member_id in set_aside(cooperation).members)
    before = gaps(cooperation, member_id)
    after = gaps(harmonise(cooperation, member_id, own_id, target), member_id)
    assert after.harmonised_domains >= before.harmonised_domains
    assert after.harmonised_users >= before.harmonised_users
    assert after.harmonised_cost >= before.harmonised_cost


@given(cooperations(), st.data())
def test_roadmap_effects_agree_with_the_allocation_and_respect_dependencies(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    cooperation = payable(cooperation)
    member_id = data.draw(st.sampled_from(sorted(cooperation.members)))
    # Sound once it is a member, and its own file sound (else it is set aside: W213).
    assume(not errors(promote(cooperation, member_id)))
    assume(member_id in set_aside(cooperation).members)
    result = roadmap(cooperation, member_id)
    today = promote(cooperation, member_id)
    before = dikt.allocate(today).member(member_id).total
    assert result.total_before == before
    position = {s.system: i for i, s in enumerate(result.steps)}
    assert result.cycles == ()  # the generator makes no cycles
    for step in result.steps:
        for dependency in step.depends_on:
            assert position[dependency] < position[step.system]
        if step.target is None:
            continue
        moved = harmonise(today, member_id, step.system, step.target)
        unpayable = _fixed_shares_without(today, member_id, step.target)
        refusal = None
        try:
            after = dikt.allocate(moved).member(member_id).total
        except dikt.ComputeError as error:
            refusal = error.args[0]
        if refusal is not None:
            # The move leaves a split nobody can pay (the others' basis is 0):
            # the step says why, in allocate's words, and has no price.
            assert step.effect is None
            assert step.unpriced == (unpayable or refusal)
            continue
        if unpayable is not None:
            # A key of fixed shares without the member: said, not priced.
            assert (step.effect, step.unpriced) == (None, unpayable)
        else:
            assert step.effect == after - before


def test_the_roadmaps_notes_say_what_a_candidate_would_pay_as_a_member(
    example: Cooperation,
) -> None:
    """A candidate pays nothing today: its figures are those of it as a member, in the year."""
    spec = example
    # Amounts keep together with no-break spaces; a terminal shows spaces.
    candidate = tuple(
        line.replace("\xa0", " ")
        for line in views.roadmap_notes(roadmap(spec, "nedre-eiker"), "nb").lines
    )
    assert candidate == (
        "Eiertilskudd som medlem i 2012: 11 603 351,51 kr; etter alle trinn: 11 359 376,47 kr "
        "(-243 975,04 kr per år).",
        "Hvert trinn er regnet for seg, med systemene og nøklene i 2012, slik eiertilskuddene "
        "beregnes.",
    )
    member = views.roadmap_notes(roadmap(spec, "sande"), "en").lines
    assert member[0] == (
        "Contribution today: 6,147,430.67 NOK; after every step: 6,002,603.08 NOK "
        "(-144,827.59 NOK a year)."
    )

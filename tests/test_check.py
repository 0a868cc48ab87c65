"""Semantic checks: one exact finding per rule, and properties over sound specs."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, strategies as st

import dikt
from dikt import Cooperation, Severity
from dikt.checks import CODES
from dikt.rules import dependency_cycles

from .conftest import EXAMPLE, MINIMAL_COOPERATION, ROOT, minimal_member, unlocated
from .strategies import cooperations


def findings(cooperation: str = MINIMAL_COOPERATION, **members: str) -> list[str]:
    if not members:
        members = {"a": minimal_member("a")}
    loaded = dikt.load_texts(cooperation, {f"members/{k}.toml": v for k, v in members.items()})
    return unlocated(dikt.check(loaded))


def test_the_example_has_no_errors_and_three_deliberate_warnings() -> None:
    """A system without a manager; two members without a fleet survey (W225, once each)."""
    assert unlocated(dikt.check(dikt.load(EXAMPLE))) == [
        "members/drammen.toml: W225 Drammen kommune has no fleet survey ([[fleet]]): the plan "
        "shows no PC renewal figure for it",
        "members/royken.toml: W225 Røyken kommune has no fleet survey ([[fleet]]): the plan "
        "shows no PC renewal figure for it",
        "members/svelvik.toml: W201 systems.IT178: IT178 (Bibliofil) is in use without "
        "system manager",
    ]


def test_a_transfer_booked_to_an_unknown_system_is_an_error() -> None:
    """A member's; a candidate's stops only the what-ifs with it (W211, tests/test_whatif.py)."""
    member = minimal_member("c", "0603")
    member += '\n[[transfer.staff]]\nrole = "Tekniker"\nannual_cost = 600_000\nsystem = "NOPE"\n'
    member += '\n[[transfer.contracts]]\nitem = "Lisens"\nannual_cost = 1\nsystem = "FW"\n'
    assert findings(a=minimal_member("a"), c=member) == [
        "members/c.toml: E170 transfer.staff[0].system: NOPE is not a catalogue system: "
        "what moves over is booked to one"
    ]


def test_the_minimal_spec_is_sound() -> None:
    assert findings() == []


def test_unknown_systems_are_found_wherever_referenced() -> None:
    cooperation = MINIMAL_COOPERATION.replace('depends_on = ["FW"]', 'depends_on = ["FW", "AV"]')
    cooperation += '\n[[investments]]\nid = "up"\ncategory = "application"\nyear = 2012\n'
    cooperation += 'amount = 10\nsystem = "NOPE"\n'
    member = minimal_member("a") + "\n[systems.GHOST]\nusers = 1\n"
    member += '\n[own_systems.x]\nname = "X"\ndomain = "care"\nannual_cost = 1\nusers = 0\n'
    member += 'depends_on = ["AD"]\n'
    assert findings(cooperation, a=member) == [
        'cooperation.toml: E101 systems.CARE.depends_on[1]: unknown system "AV"',
        'cooperation.toml: E101 investments[0].system: unknown system "NOPE"',
        'members/a.toml: E101 systems.GHOST: unknown system "GHOST"',
        'members/a.toml: E101 own_systems.x.depends_on[0]: unknown system "AD"',
    ]


def test_unknown_domains_keys_and_members_are_found() -> None:
    cooperation = MINIMAL_COOPERATION.replace('domain = "care"', 'domain = "helse"')
    cooperation = cooperation.replace(
        'package = "application"', 'package = "application"\nkey = "by-size"'
    )
    cooperation += '\n[defaults]\nbase_key = "inhabitants"\n'
    cooperation += '\n[[investments]]\nid = "own"\ncategory = "member"\nyear = 2012\n'
    cooperation += 'amount = 10\nmember = "b"\n'
    assert findings(cooperation) == [
        'cooperation.toml: E103 systems.CARE.key: unknown key "by-size" (known keys: '
        "employees, equal, pcs, population, system-users, users)",
        'cooperation.toml: E102 systems.CARE.domain: unknown domain "helse"',
        'cooperation.toml: E103 defaults.base_key: unknown key "inhabitants" (known keys: '
        "employees, equal, pcs, population, system-users, users)",
        'cooperation.toml: E104 investments[0].member: unknown member "b"',
    ]


def test_a_dependency_cycle_is_named() -> None:
    cooperation = MINIMAL_COOPERATION.replace(
        "annual_cost = 1000", 'annual_cost = 1000\ndepends_on = ["CARE"]'
    )
    assert findings(cooperation) == [
        "cooperation.toml: E105 systems.CARE.depends_on: dependency cycle: CARE -> FW -> CARE"
    ]


def test_a_system_depending_on_itself_is_a_cycle() -> None:
    cooperation = MINIMAL_COOPERATION.replace('depends_on = ["FW"]', 'depends_on = ["CARE"]')
    assert findings(cooperation) == [
        "cooperation.toml: E105 systems.CARE.depends_on: dependency cycle: CARE -> CARE"
    ]


def test_fixed_shares_must_cover_the_participants_and_sum_to_one() -> None:
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "application"', 'package = "application"\nkey = "founders"'
    )
    cooperation += '\n[keys.founders]\nshares = { a = "0.6", c = 0.3 }\n'
    assert findings(cooperation, a=minimal_member("a"), b=minimal_member("b")) == [
        'cooperation.toml: E106 systems.CARE.annual_cost: key "founders" does not cover '
        "exactly the participants of CARE: no share for b; a share for non-participants c",
        "cooperation.toml: E107 keys.founders.shares: the shares sum to 0.9, not 1",
        'cooperation.toml: E104 keys.founders.shares.c: unknown member "c"',
    ]


def test_a_key_is_either_shares_or_a_metric() -> None:
    cooperation = MINIMAL_COOPERATION + (
        '\n[keys.both]\nshares = { a = 1 }\nmetric = "users"\n'
        "\n[keys.neither]\nequal_share = 0.5\n"
        '\n[keys.users]\nmetric = "employees"\n'
    )
    assert findings(cooperation) == [
        "cooperation.toml: E111 keys.both: a key has either fixed shares, or metric and "
        "equal_share; not both",
        "cooperation.toml: E111 keys.neither: a key needs a metric (or equal_share = 1, or "
        "fixed shares)",
        'cooperation.toml: E111 keys.users: "users" is a built-in key (a split by that '
        "metric); name this key otherwise",
    ]


def test_an_application_with_cost_and_no_users_is_an_error() -> None:
    member = minimal_member("a").replace("users = 10", "users = 0")
    assert findings(a=member) == [
        "cooperation.toml: W204 systems.CARE: nobody uses CARE (Care system)",
        "cooperation.toml: E108 systems.CARE.annual_cost: application CARE (Care system) has "
        "an annual cost but no member uses it (users > 0): nobody to pay",
    ]


def test_a_basis_of_zero_is_an_error() -> None:
    cooperation = MINIMAL_COOPERATION.replace('package = "base"', 'package = "base"\nkey = "pcs"')
    assert findings(cooperation) == [
        'cooperation.toml: E108 systems.FW.annual_cost: FW cannot be split by key "pcs": the '
        'participants\' total of "pcs" is 0'
    ]


def test_a_municipality_number_has_four_digits() -> None:
    assert findings(a=minimal_member("a", number="602")) == [
        'members/a.toml: E109 municipality_number: "602" is not a municipality number '
        '(4 digits, such as "0602")'
    ]


def test_investment_fields_agree_with_the_category() -> None:
    cooperation = MINIMAL_COOPERATION + (
        '\n[[investments]]\nid = "x"\ncategory = "application"\nyear = 2012\namount = 1\n'
        'member = "a"\nkey = "users"\n'
        '\n[[investments]]\nid = "x"\ncategory = "core"\nyear = 2012\namount = 1\n'
    )
    assert findings(cooperation) == [
        'cooperation.toml: E110 investments[0]: a "application" investment needs "system"',
        'cooperation.toml: E110 investments[0].member: only a member investment has "member"; '
        'this one is "application"',
        'cooperation.toml: E110 investments[0].key: only a core investment has its own "key"; '
        'this one is "application"',
        'cooperation.toml: E112 investments[1].id: duplicate investment id "x"',
    ]


def test_a_currency_is_an_iso_code_and_members_exist() -> None:
    cooperation = MINIMAL_COOPERATION.replace('currency = "NOK"', 'currency = "kroner"')
    loaded = dikt.load_texts(cooperation, {})
    assert unlocated(dikt.check(loaded)) == [
        "cooperation.toml: E114 the cooperation has no members: add a file with status = "
        '"member" under members/',
        'cooperation.toml: E113 currency: "kroner" is not an ISO 4217 code (three capital '
        'letters, such as "NOK")',
        "cooperation.toml: W204 systems.CARE: nobody uses CARE (Care system)",
        "cooperation.toml: E108 systems.CARE.annual_cost: application CARE (Care system) has an "
        "annual cost but no member uses it (users > 0): nobody to pay",
    ]


def test_warnings_for_roles_and_representatives() -> None:
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "application"', 'package = "application"\ncritical = true'
    )
    member = (
        minimal_member("a")
        .replace('manager = "Systemansvarlig"\n', "")
        .replace('working_committee = "IT-sjef"\n', "")
    )
    member += '\n[own_systems.CARE]\nname = "Own"\ndomain = "care"\nannual_cost = 1\nusers = 3\n'
    result = dikt.check(dikt.load_texts(cooperation, {"members/a.toml": member}))
    assert unlocated(result) == [
        "cooperation.toml: W202 systems.CARE: critical system CARE (Care system) has no "
        "coordinator and operations",
        "members/a.toml: W203 representatives: A has no working committee representative",
        "members/a.toml: W201 systems.CARE: CARE (Care system) is in use without system manager",
        'members/a.toml: W205 own_systems.CARE: "CARE" is also a catalogue system\'s id; its '
        "lines will be hard to tell apart",
        "members/a.toml: W201 own_systems.CARE: CARE (Own) is in use without system owner and "
        "manager",
    ]
    assert all(p.severity is Severity.WARNING for p in result)


def test_every_code_is_documented() -> None:
    assert all(code[0] in "EW" and description for code, description in CODES.items())


@given(cooperations())
def test_a_sound_generated_cooperation_has_no_errors(cooperation: Cooperation) -> None:
    assert [p for p in dikt.check(cooperation) if p.severity is Severity.ERROR] == []


@given(cooperations(), st.data())
def test_an_injected_dangling_reference_is_always_found(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    where = data.draw(st.sampled_from(["depends_on", "usage", "own", "investment", "domain"]))
    ghost = "GHOST-" + data.draw(st.from_regex(r"[A-Z]{1,4}", fullmatch=True))
    system_id = data.draw(st.sampled_from(sorted(cooperation.systems)))
    member_id = data.draw(st.sampled_from(sorted(cooperation.members)))
    member = cooperation.members[member_id]
    if where == "depends_on":
        system = cooperation.systems[system_id]
        changed = attrs.evolve(system, depends_on=(*system.depends_on, ghost))
        cooperation = attrs.evolve(cooperation, systems={**cooperation.systems, system_id: changed})
        expected = ("cooperation.toml", "E101", f'unknown system "{ghost}"')
    elif where == "domain":
        changed = attrs.evolve(cooperation.systems[system_id], domain=ghost)
        cooperation = attrs.evolve(cooperation, systems={**cooperation.systems, system_id: changed})
        expected = ("cooperation.toml", "E102", f'unknown domain "{ghost}"')
    elif where == "usage":
        usage = dikt.Usage(system=ghost, users=1, owner="o", manager="m")
        changed_member = attrs.evolve(member, systems={**member.systems, ghost: usage})
        cooperation = attrs.evolve(
            cooperation, members={**cooperation.members, member_id: changed_member}
        )
        expected = (f"members/{member_id}.toml", "E101", f'unknown system "{ghost}"')
    elif where == "own":
        own = dikt.OwnSystem(
            id="zz",
            name="Z",
            domain=next(iter(cooperation.domains)),
            annual_cost=dikt.Money(0),
            users=0,
            depends_on=(ghost,),
        )
        changed_member = attrs.evolve(member, own_systems={**member.own_systems, "zz": own})
        cooperation = attrs.evolve(
            cooperation, members={**cooperation.members, member_id: changed_member}
        )
        expected = (f"members/{member_id}.toml", "E101", f'unknown system "{ghost}"')
    else:
        investment = dikt.Investment(
            id="ghostly",
            category=dikt.Category.MEMBER,
            year=2012,
            amount=dikt.Money(1),
            member=ghost.lower(),
        )
        cooperation = attrs.evolve(cooperation, investments=(*cooperation.investments, investment))
        expected = ("cooperation.toml", "E104", f'unknown member "{ghost.lower()}"')
    found = {(p.file, p.code, p.message) for p in dikt.check(cooperation)}
    if where in ("usage", "own") and not member.is_member:
        # In a candidate's file: a warning that names the error (W213), the members unaffected.
        file, code, text = expected
        assert any(
            (f, c) == (file, "W213") and m.startswith(f"{text} ({code}): candidate")
            for f, c, m in found
        )
        return
    assert expected in found


@given(cooperations(max_systems=8), st.data())
def test_an_injected_cycle_is_always_found(cooperation: Cooperation, data: st.DataObject) -> None:
    ring = data.draw(
        st.lists(st.sampled_from(sorted(cooperation.systems)), min_size=1, max_size=4, unique=True)
    )
    systems = dict(cooperation.systems)
    for index, system_id in enumerate(ring):
        following = ring[(index + 1) % len(ring)]
        system = systems[system_id]
        systems[system_id] = attrs.evolve(system, depends_on=(*system.depends_on, following))
    cooperation = attrs.evolve(cooperation, systems=systems)
    cycles = dependency_cycles(cooperation)
    assert cycles, "no cycle found"
    for cycle in cycles:  # each reported cycle is real
        for index, system_id in enumerate(cycle):
            assert cycle[(index + 1) % len(cycle)] in systems[system_id].depends_on
    assert "E105" in [p.code for p in dikt.check(cooperation)]


@pytest.mark.parametrize("code", sorted(CODES))
def test_codes_are_stable_strings(code: str) -> None:
    assert len(code) == 4
    assert code[1:].isdigit()


def test_a_member_investment_of_a_candidate_in_any_year() -> None:
    """allocate --year would find nobody to pay it, in the budget year or later."""
    candidate = minimal_member("c").replace('status = "member"', 'status = "candidate"')
    cooperation = MINIMAL_COOPERATION + (
        '\n[[investments]]\nid = "own"\ncategory = "member"\nyear = 2012\namount = 10\n'
        'member = "c"\n'
        '\n[[investments]]\nid = "later"\ncategory = "member"\nyear = 2014\namount = 10\n'
        'member = "c"\n'
    )
    assert findings(cooperation, a=minimal_member("a"), c=candidate) == [
        'cooperation.toml: E115 investments[0].member: "c" is a candidate: it pays nothing '
        "in 2012, so this investment would be paid by nobody",
        'cooperation.toml: E115 investments[1].member: "c" is a candidate: it pays nothing '
        "in 2014, so this investment would be paid by nobody",
        'members/c.toml: W208 candidate "c" has no joined date: join and report for it need the '
        "implementation year (--year); set `joined` in members/c.toml",
    ]


def test_the_docs_list_every_code() -> None:
    docs = (ROOT / "docs" / "spec-format.md").read_text(encoding="utf-8")
    for code, description in CODES.items():
        severity = "error" if code.startswith("E") else "warning"
        assert f"| {code} | {severity} | {description} |" in docs


# -- word for word: the findings of changes, investments and keys (docs/spec-format.md,
# "Error codes"), each with its file, key path and message ----------------------------


def _dated(ident: str, number: str, dates: str) -> str:
    """A member of the minimal cooperation with dates (``joined = ...``) in its file."""
    return minimal_member(ident, number).replace(
        'status = "member"\n', f'status = "member"\n{dates}\n'
    )


def _candidate(ident: str, number: str) -> str:
    return minimal_member(ident, number).replace('status = "member"', 'status = "candidate"')


def test_a_merger_and_a_leaving_not_well_defined() -> None:
    """E180: fewer than two members, a date before a member joined, an id that is another
    member's, a new id without a name; E181: a leaving date before the member joined."""
    cooperation = MINIMAL_COOPERATION + (
        '\n[mergers.b]\nmembers = ["a"]\ndate = 2009-01-01\n'
        '\n[mergers.new]\nmembers = ["a", "b"]\ndate = 2020-01-01\n'
    )
    assert findings(
        cooperation,
        a=_dated("a", "0602", "joined = 2010-01-01"),
        b=_dated("b", "0603", "joined = 2010-01-01\nleaving = 2009-06-01"),
    ) == [
        "cooperation.toml: E180 mergers.b: \"b\" is another member's or a candidate's id: "
        "merge into one of the merging members or a new id",
        "cooperation.toml: E180 mergers.b.members: a merger needs two or more different members",
        "cooperation.toml: E180 mergers.b.date: the merger is dated before a joined (2010-01-01)",
        'cooperation.toml: E180 mergers.new: "new" is a new id: give the merged '
        'municipality\'s name (name = "...")',
        "members/b.toml: E181 leaving: it leaves (2009-06-01) before it joined (2010-01-01)",
    ]


def test_a_member_investment_before_its_member_joins_is_paid_by_nobody() -> None:
    cooperation = MINIMAL_COOPERATION + (
        '\n[[investments]]\nid = "pcs"\ncategory = "member"\nyear = 2012\namount = 5\n'
        'member = "b"\n'
    )
    assert findings(
        cooperation, a=minimal_member("a"), b=_dated("b", "0603", "joined = 2013-01-01")
    ) == [
        'cooperation.toml: E191 investments[0].member: "b" joined on 2013-01-01, after this '
        "investment of 2012: it would be paid by nobody",
        "members/b.toml: W230 joined: B joins on 2013-01-01, after the budget year 2012: it "
        "pays nothing before 2013",
    ]


def test_an_investment_that_cannot_be_split_is_found_at_its_amount() -> None:
    """E108 for each amount a key cannot split (a basis of 0: nobody has a fleet)."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "application"', 'package = "application"\nkey = "pcs"'
    ) + (
        '\n[[investments]]\nid = "core"\ncategory = "core"\nyear = 2012\namount = 5\n'
        'key = "pcs"\n'
        '\n[[investments]]\nid = "app"\ncategory = "application"\nyear = 2012\namount = 5\n'
        'system = "CARE"\n'
    )
    assert findings(cooperation) == [
        'cooperation.toml: E108 systems.CARE.annual_cost: CARE cannot be split by key "pcs": '
        'the participants\' total of "pcs" is 0',
        "cooperation.toml: E108 investments[0].amount: investments[0] cannot be split by key "
        '"pcs": the participants\' total of "pcs" is 0',
        'cooperation.toml: E108 investments[1].amount: CARE cannot be split by key "pcs": the '
        'participants\' total of "pcs" is 0',
    ]


def test_a_member_joining_in_the_budget_year_pays_in_it_and_an_equal_key_needs_no_metric() -> None:
    """E193 is for a member joining after the budget year: one joining within it pays in it
    (its fixed share is sound). A key with equal_share = 1 needs no metric (E111)."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\nkey = "founders"'
    ) + ("\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n\n[keys.flat]\nequal_share = 1\n")
    assert (
        findings(cooperation, a=minimal_member("a"), b=_dated("b", "0603", "joined = 2012-06-01"))
        == []
    )


def test_shares_after_a_change_that_cannot_be() -> None:
    """E182: a candidate cannot leave; E119: the shares after c joins give d a share."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\nkey = "founders"'
    ) + (
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        "\n[keys.founders.shares_without.c]\na = 0.5\nb = 0.5\n"
        "\n[keys.founders.shares_with.c]\na = 0.25\nb = 0.25\nc = 0.25\nd = 0.25\n"
    )
    found = findings(
        cooperation,
        a=minimal_member("a"),
        b=minimal_member("b", "0603"),
        c=_candidate("c", "0604"),
        d=_candidate("d", "0605"),
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E182 keys.founders.shares_without.c: "c" is a candidate: only a '
        "member can leave",
        "cooperation.toml: E119 keys.founders.shares_with.c: the shares after c joins must "
        "name exactly the members of `shares` and c: a share for d",
    ]


@pytest.mark.parametrize(
    ("introduced", "retired"),
    [
        ("2013-01-01", "2012-01-01"),
        # The same day: it is never in operation either.
        ("2013-03-01", "2013-03-01"),
    ],
)
def test_a_system_retired_on_or_before_the_day_it_is_introduced(
    introduced: str, retired: str
) -> None:
    cooperation = MINIMAL_COOPERATION.replace(
        "annual_cost = 1000",
        f"annual_cost = 1000\nintroduced = {introduced}\nretired = {retired}",
    )
    assert findings(cooperation) == [
        f"cooperation.toml: E116 systems.FW.retired: FW is retired ({retired}) on or before "
        f"the day it is introduced ({introduced})"
    ]


def test_steps_by_total_users_shared_by_more_than_sixteen_members_is_a_warning() -> None:
    cooperation = MINIMAL_COOPERATION + (
        '\n[systems.CARE.cost_model]\nstep_basis = "total"\n'
        "steps = [{ up_to = 1000, cost = 500 }]\n"
    )
    members = {f"m{i:02d}": minimal_member(f"m{i:02d}", f"{1000 + i:04d}") for i in range(17)}
    assert findings(cooperation, **members) == [
        "cooperation.toml: W212 systems.CARE.cost_model.step_basis: capacity steps by total "
        "users shared by 17 members: `dikt keys` computes the Shapley value exactly for at "
        'most 16 and shows the other keys without it (step_basis = "largest" has a closed form)'
    ]


def test_a_candidate_merging_an_unknown_key_and_member_and_a_leaving_in_the_plans_last_year() -> (
    None
):
    """E180: only members merge; E103: an investment's unknown key; E192: a fixed share for a
    member leaving within the plan's years (its last, 2015, included); E104: shares after an
    unknown member leaves."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\nkey = "founders"'
    ) + (
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        "\n[keys.founders.shares_without.zzz]\na = 1\n"
        '\n[mergers.a]\nmembers = ["a", "c"]\ndate = 2020-01-01\n'
        '\n[[investments]]\nid = "core"\ncategory = "core"\nyear = 2012\namount = 5\n'
        'key = "nope"\n'
    )
    found = findings(
        cooperation,
        a=minimal_member("a"),
        b=_dated("b", "0603", "leaving = 2015-01-01"),
        c=_candidate("c", "0604"),
    )
    assert sorted(x for x in found if " E1" in x) == [
        'cooperation.toml: E103 investments[0].key: unknown key "nope" (known keys: '
        "employees, equal, founders, pcs, population, system-users, users)",
        'cooperation.toml: E104 keys.founders.shares_without.zzz: unknown member "zzz"',
        'cooperation.toml: E180 mergers.a.members: "c" is a candidate: only members merge',
        'cooperation.toml: E192 keys.founders.shares: key "founders" has a fixed share for b, '
        "which leaves from 2015: state the shares after in [keys.founders.shares_without.b]",
    ]


def test_an_application_investment_is_split_by_its_systems_key_not_the_core_key() -> None:
    """The core investment key (here one nobody can be split by) is for core investments."""
    cooperation = MINIMAL_COOPERATION + (
        '\n[defaults]\ncore_investment_key = "pcs"\n'
        '\n[[investments]]\nid = "app"\ncategory = "application"\nyear = 2012\namount = 5\n'
        'system = "CARE"\n'
    )
    assert findings(cooperation) == []


def test_an_application_a_candidate_uses_is_used() -> None:
    """W204 (nobody uses it) counts a candidate's users: X has one of a candidate's, Y none."""
    cooperation = MINIMAL_COOPERATION + "".join(
        f'\n[systems.{s}]\nname = "{s}"\npackage = "application"\ndomain = "care"\n'
        "annual_cost = 0\n"
        for s in "XY"
    )
    candidate = _candidate("c", "0604") + "".join(
        f'\n[systems.{s}]\nusers = {users}\nowner = "K"\nmanager = "S"\n'
        for s, users in (("X", 1), ("Y", 0))
    )
    found = findings(cooperation, a=minimal_member("a"), c=candidate)
    assert [x for x in found if "W204" in x] == [
        "cooperation.toml: W204 systems.Y: nobody uses Y (Y)"
    ]


# -- word for word, from the survivors of a mutation run (docs/testing.md) ------------------


def test_the_cooperation_file_naming_a_candidate_set_aside() -> None:
    """A candidate whose own file has an error is set aside (W213), but it is still a
    candidate: the cooperation file naming it is told what no candidate may do (merge, leave,
    pay an investment), not that it is unknown; its shares_with wait until its file is fixed.
    A member nobody has is unknown (E104), in a merger as anywhere."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\nkey = "founders"'
    ) + (
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        "\n[keys.founders.shares_without.c]\na = 0.5\nb = 0.5\n"
        "\n[keys.founders.shares_with.c]\na = 0.4\nb = 0.4\nc = 0.2\n"
        '\n[mergers.ac]\nname = "AC"\nmembers = ["a", "c", "zz"]\ndate = 2020-01-01\n'
        '\n[[investments]]\nid = "own"\ncategory = "member"\nyear = 2012\namount = 10\n'
        'member = "c"\n'
    )
    found = findings(
        cooperation, a=minimal_member("a"), b=minimal_member("b", "0603"), c=_candidate("c", "12")
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E182 keys.founders.shares_without.c: "c" is a candidate: only a '
        "member can leave",
        'cooperation.toml: E180 mergers.ac.members: "c" is a candidate: only members merge',
        'cooperation.toml: E104 mergers.ac.members: unknown member "zz"',
        'cooperation.toml: E115 investments[0].member: "c" is a candidate: it pays nothing '
        "in 2012, so this investment would be paid by nobody",
    ]
    assert [x.split(":")[:2] for x in found if " W213 " in x] == [
        ["members/c.toml", " W213 municipality_number"]
    ]


def test_a_candidate_set_aside_leaves_the_other_names_as_they_are() -> None:
    """With a candidate set aside, a member is still a member (its investment is sound), a
    sound candidate's shares_with are still checked (E119), and a name nobody has is still
    unknown (E104), in shares after a leaving and at an investment."""
    cooperation = MINIMAL_COOPERATION + (
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        "\n[keys.founders.shares_without.zz]\na = 0.5\nb = 0.5\n"
        "\n[keys.founders.shares_with.d]\na = 0.5\nb = 0.5\n"
        '\n[[investments]]\nid = "own"\ncategory = "member"\nyear = 2012\namount = 10\n'
        'member = "a"\n'
        '\n[[investments]]\nid = "lost"\ncategory = "member"\nyear = 2012\namount = 10\n'
        'member = "yy"\n'
    )
    found = findings(
        cooperation,
        a=minimal_member("a"),
        b=minimal_member("b", "0603"),
        c=_candidate("c", "12"),
        d=_candidate("d", "0605"),
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E104 keys.founders.shares_without.zz: unknown member "zz"',
        "cooperation.toml: E119 keys.founders.shares_with.d: the shares after d joins must "
        "name exactly the members of `shares` and d: no share for d",
        'cooperation.toml: E104 investments[1].member: unknown member "yy"',
    ]


def test_an_application_investment_in_a_system_nobody_uses_is_paid_by_nobody() -> None:
    """E108 at the investment's amount. The application itself costs nothing: no E108 for it,
    only W204 (nobody uses it)."""
    cooperation = MINIMAL_COOPERATION.replace("annual_cost = 500", "annual_cost = 0") + (
        '\n[[investments]]\nid = "app"\ncategory = "application"\nyear = 2012\namount = 5\n'
        'system = "CARE"\n'
    )
    assert findings(cooperation, a=minimal_member("a").replace("users = 10", "users = 0")) == [
        "cooperation.toml: W204 systems.CARE: nobody uses CARE (Care system)",
        "cooperation.toml: E108 investments[0].amount: application investment app in CARE "
        "(Care system) has nobody to pay it: no member uses the system (users > 0)",
    ]


def test_only_an_application_investment_names_a_system() -> None:
    cooperation = MINIMAL_COOPERATION + (
        '\n[[investments]]\nid = "core"\ncategory = "core"\nyear = 2012\namount = 5\n'
        'system = "CARE"\n'
    )
    assert findings(cooperation) == [
        "cooperation.toml: E110 investments[0].system: only an application investment has "
        '"system"; this one is "core"'
    ]


def test_a_cost_split_by_nothing_is_no_error_when_nothing_is_charged() -> None:
    """E108 (a basis of 0) only for a system that costs something in the plan's years: not
    for one that costs nothing, nor for one retired before the budget year."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\nkey = "pcs"'
    ).replace("annual_cost = 1000", "annual_cost = 0") + (
        '\n[systems.OLD]\nname = "Old"\npackage = "base"\ndomain = "infra"\nannual_cost = 700\n'
        'key = "pcs"\nintroduced = 2005-01-01\nretired = 2012-01-01\n'
    )
    assert findings(cooperation) == []


def test_members_joining_and_leaving_within_one_year() -> None:
    """A member that joins and leaves in 2013 pays in no year: its investment of 2013 is
    paid by nobody because it has left (E191). A cooperation whose only member joins and
    leaves in the budget year has no members in it because every member has left (E190),
    said once, and the defaults' keys are still checked (E103)."""
    cooperation = MINIMAL_COOPERATION + (
        '\n[[investments]]\nid = "pcs"\ncategory = "member"\nyear = 2013\namount = 5\n'
        'member = "b"\n'
    )
    found = findings(
        cooperation,
        a=minimal_member("a"),
        b=_dated("b", "0603", "joined = 2013-01-01\nleaving = 2013-07-01"),
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E191 investments[0].member: "b" leaves from 2013-07-01, before '
        "this investment of 2013: it would be paid by nobody"
    ]
    cooperation = MINIMAL_COOPERATION + '\n[defaults]\nbase_key = "nope"\n'
    found = findings(
        cooperation, a=_dated("a", "0602", "joined = 2012-01-01\nleaving = 2012-07-01")
    )
    assert [x for x in found if " E1" in x] == [
        "cooperation.toml: E190 budget_year: mini has no members in 2012: every member has left "
        "by then",
        'cooperation.toml: E103 defaults.base_key: unknown key "nope" (known keys: employees, '
        "equal, pcs, population, system-users, users)",
    ]


def test_no_member_in_the_budget_year_with_one_joining_later() -> None:
    """One member joins and leaves in 2012, the other joins in 2013: nobody pays in 2012,
    and nobody has left for good either (E190 says when the next joins)."""
    found = findings(
        a=_dated("a", "0602", "joined = 2012-01-01\nleaving = 2012-07-01"),
        b=_dated("b", "0603", "joined = 2013-01-01"),
    )
    assert [x for x in found if " E190" in x] == [
        "cooperation.toml: E190 budget_year: mini has no members in 2012: the next joins on "
        "2013-01-01"
    ]


def test_a_member_joining_in_the_plans_years_and_a_key_of_fixed_shares() -> None:
    """E193 for every key of fixed shares (not the metric key before it) and a member joining
    after the budget year within the plan's years (2013 to 2015, its last included), even
    without a share; not for one joining after them (2016), without a share, nor for one
    without a date."""
    cooperation = MINIMAL_COOPERATION + (
        '\n[keys.by-size]\nmetric = "population"\n\n[keys.founders]\nshares = { a = 1 }\n'
    )
    found = findings(
        cooperation,
        a=minimal_member("a"),
        b=_dated("b", "0603", "joined = 2015-01-01"),
        c=_dated("c", "0604", "joined = 2016-01-01"),
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E193 keys.founders.shares: key "founders" has fixed shares, and b '
        "joins only in 2015, after the budget year 2012: make it a candidate (status = "
        '"candidate") and state the shares after it joins in [keys.founders.shares_with.b]'
    ]


def test_a_member_leaving_and_a_key_of_fixed_shares_after_a_metric_key() -> None:
    """E192 for the key of fixed shares, whatever key comes before it."""
    cooperation = MINIMAL_COOPERATION + (
        '\n[keys.by-size]\nmetric = "population"\n'
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
    )
    found = findings(
        cooperation, a=minimal_member("a"), b=_dated("b", "0603", "leaving = 2014-01-01")
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E192 keys.founders.shares: key "founders" has a fixed share for b, '
        "which leaves from 2014: state the shares after in [keys.founders.shares_without.b]"
    ]


def test_the_shares_after_a_member_leaves_give_it_none() -> None:
    cooperation = MINIMAL_COOPERATION + (
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        "\n[keys.founders.shares_without.b]\na = 0.5\nb = 0.5\n"
    )
    found = findings(
        cooperation, a=minimal_member("a"), b=_dated("b", "0603", "leaving = 2014-01-01")
    )
    assert [x for x in found if " E1" in x] == [
        'cooperation.toml: E182 keys.founders.shares_without.b.b: "b" has left: it has no '
        "share after"
    ]


def test_the_shares_after_a_candidate_joins_lacking_some_and_giving_others_a_share() -> None:
    """E119 names every member lacking (b, and c itself) and every member with a share it
    should not have (the candidates d and e), in one finding."""
    cooperation = MINIMAL_COOPERATION + (
        "\n[keys.founders]\nshares = { a = 0.5, b = 0.5 }\n"
        "\n[keys.founders.shares_with.c]\na = 0.5\nd = 0.25\ne = 0.25\n"
    )
    found = findings(
        cooperation,
        a=minimal_member("a"),
        b=minimal_member("b", "0603"),
        c=_candidate("c", "0604"),
        d=_candidate("d", "0605"),
        e=_candidate("e", "0606"),
    )
    assert [x for x in found if " E1" in x] == [
        "cooperation.toml: E119 keys.founders.shares_with.c: the shares after c joins must "
        "name exactly the members of `shares` and c: no share for b, c; a share for d, e"
    ]


def test_fixed_shares_lacking_participants_or_giving_others_a_share() -> None:
    """E106 names every participant without a share, or every share of a non-participant."""
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "application"', 'package = "application"\nkey = "solo"'
    ) + (
        '\n[systems.X]\nname = "X"\npackage = "application"\ndomain = "care"\n'
        'annual_cost = 100\nkey = "trio"\n'
        "\n[keys.solo]\nshares = { a = 1 }\n"
        '\n[keys.trio]\nshares = { a = 0.5, b = 0.25, c = "0.25" }\n'
    )
    uses_x = minimal_member("a") + '\n[systems.X]\nusers = 1\nowner = "K"\nmanager = "S"\n'
    assert findings(
        cooperation, a=uses_x, b=minimal_member("b", "0603"), c=minimal_member("c", "0604")
    ) == [
        'cooperation.toml: E106 systems.CARE.annual_cost: key "solo" does not cover exactly '
        "the participants of CARE: no share for b, c",
        'cooperation.toml: E106 systems.X.annual_cost: key "trio" does not cover exactly the '
        "participants of X: a share for non-participants b, c",
    ]


def test_a_critical_system_lacking_one_of_coordinator_and_operations() -> None:
    cooperation = MINIMAL_COOPERATION.replace(
        'package = "base"', 'package = "base"\ncritical = true\ncoordinator = "Koordinator"'
    ).replace(
        'package = "application"', 'package = "application"\ncritical = true\noperations = "Drift"'
    )
    assert findings(cooperation) == [
        "cooperation.toml: W202 systems.FW: critical system FW (Firewall) has no operations",
        "cooperation.toml: W202 systems.CARE: critical system CARE (Care system) has no "
        "coordinator",
    ]


def test_a_contract_moved_over_booked_to_an_unknown_system() -> None:
    member = minimal_member("a")
    member += '\n[[transfer.contracts]]\nitem = "Lisens"\nannual_cost = 1\nsystem = "FW"\n'
    member += '\n[[transfer.contracts]]\nitem = "Avtale"\nannual_cost = 1\nsystem = "NOPE"\n'
    assert findings(a=member) == [
        "members/a.toml: E170 transfer.contracts[1].system: NOPE is not a catalogue system: "
        "what moves over is booked to one"
    ]


def test_the_findings_of_a_cooperation_built_in_python_come_by_file() -> None:
    """Without the files' texts (no lines to sort by), cooperation.toml's findings come first,
    in the order of the rules, then each member file's."""
    member = minimal_member("a", number="602").replace("users = 10", "users = 0")
    loaded = dikt.load_texts(MINIMAL_COOPERATION, {"members/a.toml": member})
    built = attrs.evolve(loaded, sources={})
    assert unlocated(dikt.check(built)) == [
        "cooperation.toml: E108 systems.CARE.annual_cost: application CARE (Care system) has "
        "an annual cost but no member uses it (users > 0): nobody to pay",
        "cooperation.toml: W204 systems.CARE: nobody uses CARE (Care system)",
        'members/a.toml: E109 municipality_number: "602" is not a municipality number '
        '(4 digits, such as "0602")',
    ]


# -- one member's own file, word for word (dikt/_memberfile.py) -----------------------------

_OWN_SYSTEMS = """
[own_systems.x]
name = "X"
domain = "nowhere"
annual_cost = 10
users = 1
owner = "Eier"
depends_on = ["y"]

[own_systems.y]
name = "Y"
domain = "care"
annual_cost = 10
users = 0
depends_on = ["z"]

[own_systems.z]
name = "Z"
domain = "care"
annual_cost = 10
users = 2
manager = "Forvalter"
depends_on = ["x"]
"""


def test_a_members_own_systems_in_a_cycle_with_an_unknown_domain_and_roles_missing() -> None:
    """y has no roles but no users either: no W201 for it."""
    assert findings(a=minimal_member("a") + _OWN_SYSTEMS) == [
        "members/a.toml: W201 own_systems.x: x (X) is in use without system manager",
        'members/a.toml: E102 own_systems.x.domain: unknown domain "nowhere"',
        "members/a.toml: E105 own_systems.x.depends_on: dependency cycle: x -> y -> z -> x",
        "members/a.toml: W201 own_systems.z: z (Z) is in use without system owner",
    ]


def test_every_unknown_system_of_a_member_and_each_missing_representative() -> None:
    member = minimal_member("a")
    unknown = member.replace('board = "Rådmann"\n', "").replace(
        "[systems.CARE]",
        "[systems.NOPE1]\nusers = 1\n\n[systems.NOPE2]\nusers = 1\n\n[systems.CARE]",
    )
    assert findings(a=unknown) == [
        "members/a.toml: W203 representatives: A has no board representative",
        'members/a.toml: E101 systems.NOPE1: unknown system "NOPE1"',
        'members/a.toml: E101 systems.NOPE2: unknown system "NOPE2"',
    ]
    one_user = (
        member.replace('working_committee = "IT-sjef"\n', "")
        .replace('owner = "Kommunalsjef"\n', "")
        .replace("users = 10", "users = 1")
    )
    assert findings(a=one_user) == [
        "members/a.toml: W203 representatives: A has no working committee representative",
        "members/a.toml: W201 systems.CARE: CARE (Care system) is in use without system owner",
    ]
    nobody = (
        member.replace('board = "Rådmann"\n', "")
        .replace('working_committee = "IT-sjef"\n', "")
        .replace('manager = "Systemansvarlig"\n', "")
        .replace('owner = "Kommunalsjef"\n', "")
    )
    assert findings(a=nobody) == [
        "members/a.toml: W203 representatives: A has no board and no working committee "
        "representative",
        "members/a.toml: W201 systems.CARE: CARE (Care system) is in use without system owner "
        "and manager",
    ]
    # Without users, a system needs neither role.
    quiet = findings(a=nobody.replace("users = 10", "users = 0"), b=minimal_member("b", "0604"))
    assert [f for f in quiet if "W201" in f] == []


def test_a_candidate_cannot_leave() -> None:
    candidate = minimal_member("c").replace(
        'status = "member"', 'status = "candidate"\njoined = 2013-01-01\nleaving = 2014-01-01'
    )
    cooperation = dikt.load_texts(
        MINIMAL_COOPERATION,
        {"members/a.toml": minimal_member("a"), "members/c.toml": candidate},
    )
    # The error sets the candidate aside (W213); its own finding is E181.
    assert unlocated(cooperation.set_aside["c"].problems) == [
        "members/c.toml: E181 leaving: a candidate cannot leave; remove `leaving` or make it a "
        "member"
    ]

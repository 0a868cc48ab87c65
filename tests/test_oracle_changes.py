"""Leaving and merging (dikt.changes), against the words of docs/membership-changes.md.

A member leaves: the output shows "every member's contribution of year Y with and
without it"; "per system the leaving member used, what it paid, how much the
system's cost falls without it, and what the others take over" (paid less what it
saves); its part of the investments still being paid, paid as `[leaving]
investments` says: with "settle" all of it in its leaving year, with "pay-to-end"
each in its year. Members merge: "its users, employees and population are theirs
added up, every system any of them ran stays with it (users of a catalogue system
add up, own systems stay own systems), and an equal part of a key is paid once, by
the merged member"; it is named by `--name`, else it keeps the name of the member
whose id it takes. The cost of each system for the new set is the one cost function's
(`dikt.costing`, its own oracle in tests/test_oracle_costs.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given, settings, strategies as st

import dikt
from dikt import ComputeError, Cooperation, Money
from dikt.allocation import LineKind
from dikt.changes import ContributionChange, leave, merge, merged_member, stated_changes
from dikt.costs import costing
from dikt.economic_plan import joined_in
from dikt.model import Key, MemberStatus, Merger

from .conftest import MINIMAL_COOPERATION, ROOT, minimal_member
from .strategies import cooperations, errors, payable

#: Half the profile's examples (30 of ci's 60, 500 of thorough's 1 000): a property of a
#: whole what-if on every example, kept within the suite's time.
HALF = settings(max_examples=max(30, settings.default.max_examples // 2))

SPEC_2013 = ROOT / "specs" / "d-ikt-2013"


# -- a member leaves ------------------------------------------------------------------------


def _paid_for_systems(allocation: dikt.Allocation, member: str) -> dict[str, Money]:
    """The member's lines for catalogue systems (base packages and applications), by system."""
    paid: dict[str, Money] = {}
    for line in allocation.member(member).lines:
        if line.kind in (LineKind.BASE, LineKind.APPLICATION):
            paid[line.item] = paid.get(line.item, Money(0)) + line.amount
    return paid


def _check_leaving(cooperation: Cooperation, member: str, year: int) -> None:
    """leave() against the words: each figure from allocate and costing of the new set."""
    result = leave(cooperation, member, year)
    had_it_stayed = dikt.allocate(cooperation, year)
    # The spec stating its leaving date: the same contributions, to the øre. Its member
    # investments of that year and later go with it (they cannot be, E191).
    left = attrs.evolve(
        cooperation,
        members={
            **cooperation.members,
            member: attrs.evolve(cooperation.members[member], leaving=dt.date(year, 1, 1)),
        },
        investments=tuple(
            i for i in cooperation.investments if not (i.member == member and i.year >= year)
        ),
    )
    after = dikt.allocate(left, year)
    remaining = sorted(m.id for m in had_it_stayed.members if m.id != member)
    assert [(m.id, m.before, m.after, m.into) for m in result.members] == [
        (m, had_it_stayed.member(m).total, after.member(m).total, None) for m in remaining
    ]
    assert result.departing == had_it_stayed.member(member).total
    assert (result.total_before, result.total_after) == (had_it_stayed.total, after.total)
    served = costing(cooperation, remaining)
    falls = {s.system: s.today - s.cost for s in served.systems}
    assert result.held_flat == served.held_flat
    expected = [
        (system, paid, falls[system], paid - falls[system])
        for system, paid in sorted(_paid_for_systems(had_it_stayed, member).items())
        if paid
    ]
    assert [(r.system, r.paid, r.saved, r.left) for r in result.left_behind] == expected
    assert result.left_behind_total == Money.sum(row[3] for row in expected)
    assert [r.name for r in result.left_behind] == [
        cooperation.systems[row[0]].name for row in expected
    ]
    assert result.member_name == cooperation.members[member].name
    assert (result.cooperation_id, result.name, result.member, result.year) == (
        cooperation.id,
        cooperation.name,
        member,
        year,
    )
    assert [r.modelled for r in result.left_behind] == [
        next(s.modelled for s in served.systems if s.system == row[0]) for row in expected
    ]
    # The what-if is the spec stating a leaving date of 1 January of the year.
    assert result.scenario_after.members[member].leaving == dt.date(year, 1, 1)
    # Its parts, unless agreed in its file: of each investment of the year and later that its
    # key gives it a part of had it stayed, that part (its line in the investment's year).
    if not cooperation.members[member].obligations:
        parts = []
        for investment in sorted(cooperation.investments, key=lambda i: (i.year, i.id)):
            if investment.year < year or investment.member is not None:
                continue
            lines = dikt.allocate(cooperation, investment.year).member(member).lines
            share = next((line.amount for line in lines if line.item == investment.id), None)
            if share:  # a part of 0,00 is nothing owed
                parts.append(
                    (
                        investment.id,
                        investment.description,
                        investment.year,
                        investment.amount,
                        share,
                    )
                )
        assert [
            (o.investment, o.description, o.year, o.amount, o.share) for o in result.obligations
        ] == parts


def test_sande_leaving_d_ikt_in_2013() -> None:
    _check_leaving(dikt.load(SPEC_2013), "sande", 2013)


def test_drammen_leaving_d_ikt_in_2014() -> None:
    """A year after the budget year, the largest member (its steps shrink with it)."""
    _check_leaving(dikt.load(SPEC_2013), "drammen", 2014)


@HALF
@given(cooperations(max_members=4, max_systems=5), st.data())
def test_any_member_leaving_or_merging_is_as_the_words_say(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    check_merged_member(cooperation, data)
    cooperation = payable(cooperation)
    members = sorted(m.id for m in cooperation.active_members if m.leaving is None)
    assume(len(cooperation.active_members) >= 2 and members and not errors(cooperation))
    member = data.draw(st.sampled_from(members))
    year = cooperation.budget_year
    assume(
        cooperation.members[member].joined is None
        or cooperation.members[member].joined.year <= year
    )
    try:
        dikt.allocate(cooperation, year)
        leave(cooperation, member, year)
    except ComputeError:
        assume(False)  # a split nobody can pay, a key without shares after it: said
        raise
    _check_leaving(cooperation, member, year)


def test_what_it_owes_falls_due_by_the_agreements_rule() -> None:
    """Settle: every part in the leaving year. Pay-to-end: each part in its investment's year."""
    spec = dikt.load(SPEC_2013)
    settle = leave(spec, "sande", 2013)
    by_year: dict[int, Money] = {}
    for o in settle.obligations:
        by_year[o.year] = by_year.get(o.year, Money(0)) + o.share
    assert len(by_year) > 1  # parts of several years: the rules differ
    assert settle.due() == {2013: Money.sum(by_year.values())}
    assert settle.paying_after == Money.sum(by_year.values())
    to_end = attrs.evolve(
        spec, leaving=attrs.evolve(spec.leaving, investments=dikt.model.Obligations.PAY_TO_END)
    )
    result = leave(to_end, "sande", 2013)
    assert result.due() == by_year
    assert result.paying_after == by_year[2013]
    assert [(o.year, o.investment) for o in result.obligations] == sorted(
        (o.year, o.investment) for o in settle.obligations
    )


def test_a_change_in_percent_is_of_what_was_paid_before() -> None:
    row = ContributionChange(id="a", name="A", before=Money.parse(400), after=Money.parse(500))
    assert (row.change, row.percent) == (Money.parse(100), Fraction(25))
    new = ContributionChange(id="a", name="A", before=Money(0), after=Money.parse(500))
    assert new.percent is None


# -- members merge --------------------------------------------------------------------------


def check_merged_member(cooperation: Cooperation, data: st.DataObject) -> None:
    """Two or more of the spec's members (or candidates), merged into one of them or a new id."""
    everyone = sorted(cooperation.members)
    if len(everyone) < 2:
        return
    parts = data.draw(st.lists(st.sampled_from(everyone), min_size=2, unique=True))
    into = data.draw(st.sampled_from([*parts, "zz-merged"]))
    name = data.draw(st.sampled_from([None, "Ny kommune"]))
    one = merged_member(cooperation, parts, into, name)
    members = [cooperation.members[p] for p in parts]
    named = cooperation.members[into] if into in parts else members[0]
    assert (one.id, one.name) == (into, name or named.name)
    assert (one.status, one.leaving) == (MemberStatus.MEMBER, None)
    assert one.users == sum(m.users for m in members)
    assert one.employees == sum(m.employees for m in members)
    assert one.population == sum(m.population for m in members)
    # Every catalogue system any of them ran, its users added up.
    assert {s: u.users for s, u in one.systems.items()} == {
        s: sum(m.systems[s].users for m in members if s in m.systems)
        for s in {s for m in members for s in m.systems}
    }
    # Every own system stays, one a second member has under the same id under its id
    # prefixed by that member's.
    assert Counter(attrs.evolve(o, id="") for o in one.own_systems.values()) == Counter(
        attrs.evolve(o, id="") for m in members for o in m.own_systems.values()
    )
    for key, own in one.own_systems.items():
        assert own.id == key
        assert any(key in (o, f"{m.id}-{o}") for m in members for o in m.own_systems)
    assert Counter(one.fleet) == Counter(e for m in members for e in m.fleet)
    # Representatives and licences: those of the member it is named after.
    assert (one.representatives, one.licences) == (named.representatives, named.licences)
    # A member since the first of them joined.
    joined = [m.joined for m in members if m.joined is not None]
    assert one.joined == (min(joined) if joined else None)


#: Three members; the firewall (1 000) split by a key of which half is an equal part, the
#: rest by users; the care system (500) by its users. a and b have 200 users and 10 of
#: CARE each, c 400 and 20.
KEYED = MINIMAL_COOPERATION.replace(
    "annual_cost = 1000\n", 'annual_cost = 1000\nkey = "half"\n'
) + ('\n[keys.half]\nmetric = "users"\nequal_share = 0.5\n')


def _three() -> Cooperation:
    c = (
        minimal_member("c", "0604")
        .replace("users = 200", "users = 400")
        .replace("users = 10", "users = 20")
    )
    return dikt.load_texts(
        KEYED,
        {
            "members/a.toml": minimal_member("a"),
            "members/b.toml": minimal_member("b", "0603"),
            "members/c.toml": c,
        },
    )


def test_an_equal_part_is_paid_once_by_the_merged_member() -> None:
    """Before: the equal part of FW, 500, in thirds (166,67), the rest by users (125, 125,
    250); CARE by users (125, 125, 250): a 416,67, b 416,67 and c 666,66 (the øre left
    over by the largest remainder, ties to the smaller id). After a and b merge into ab:
    the equal part in halves (250), the users' part 250 each, CARE 250 each: 750 and 750.
    Nothing has a cost model: held flat, FW's 1 000 (its use changes); CARE's is the same."""
    result = merge(_three(), ["a", "b"], "ab", name="AB kommune")
    assert [(m.id, m.name, str(m.before), str(m.after), m.into) for m in result.members] == [
        ("a", "A", "416.67", "0.00", "ab"),
        ("b", "B", "416.67", "0.00", "ab"),
        ("ab", "AB kommune", "0.00", "750.00", None),
        ("c", "C", "666.66", "750.00", None),
    ]
    assert (result.into, result.into_name, result.merged) == ("ab", "AB kommune", ("a", "b"))
    assert (str(result.total_before), str(result.total_after)) == ("1500.00", "1500.00")
    assert result.held_flat == Money.parse(1000 + 500)


def test_merging_into_one_of_them_keeps_its_name_and_row() -> None:
    result = merge(_three(), ["b", "a"], "b")
    assert [(m.id, m.name, str(m.before), str(m.after), m.into) for m in result.members] == [
        ("a", "A", "416.67", "0.00", "b"),
        ("b", "B", "416.67", "750.00", "b"),
        ("c", "C", "666.66", "750.00", None),
    ]
    assert result.into_name == "B"


def test_the_merged_members_investments_are_its_own() -> None:
    """A member investment of a merging member is paid by the merged member."""
    spec = _three()
    investment = dikt.model.Investment(
        id="b-tablets",
        category=dikt.model.Category.MEMBER,
        member="b",
        year=2012,
        amount=Money.parse(300),
    )
    spec = attrs.evolve(spec, investments=(investment,))
    result = merge(spec, ["a", "b"], "ab", name="AB kommune")
    rows = {m.id: m for m in result.members}
    assert (str(rows["b"].before), str(rows["ab"].after)) == ("716.67", "1050.00")
    assert result.total_after == result.total_before


@pytest.mark.parametrize("into", ["a", "ab"])
def test_a_merger_cannot_happen_before_one_of_them_joined(into: str) -> None:
    spec = _three()
    late = attrs.evolve(spec.members["b"], joined=dt.date(2012, 6, 1))
    spec = attrs.evolve(spec, members={**spec.members, "b": late})
    assert merge(spec, ["a", "b"], into, 2012, name="AB").year == 2012
    with pytest.raises(ComputeError, match=r"^b joined in 2012; it cannot leave or merge in 2011$"):
        merge(spec, ["a", "b"], into, 2011, name="AB")
    assert leave(spec, "b", 2012).year == 2012


def test_own_systems_of_the_same_id_stay_one_per_member() -> None:
    """b and c both run an own system "gerica": the merged member keeps both, the second
    under c's prefix; the first named keeps its id."""
    spec = _three()
    own = dikt.model.OwnSystem(
        id="gerica", name="Gerica", domain="care", annual_cost=Money.parse(100), users=5
    )
    members = {
        m: attrs.evolve(spec.members[m], own_systems={"gerica": attrs.evolve(own, users=u)})
        for m, u in (("b", 5), ("c", 7))
    }
    spec = attrs.evolve(spec, members={**spec.members, **members})
    one = merged_member(spec, ["b", "c"], "c")
    assert {k: (o.id, o.users) for k, o in one.own_systems.items()} == {
        "gerica": ("gerica", 5),
        "c-gerica": ("c-gerica", 7),
    }
    result = merge(spec, ["b", "c"], "c")
    rows = {m.id: m for m in result.members}
    # Both systems are paid by the merged member, 100 each, as before by b and c.
    assert rows["b"].before + rows["c"].before + rows["a"].before == result.total_before
    assert result.total_after == result.total_before


def test_a_system_keeps_the_roles_its_first_member_gave_it() -> None:
    """The owner and manager of a catalogue system the merging members share: the first
    named member's that has one (merged_member's docstring; without them, W201)."""
    spec = _three()
    a, b = spec.members["a"], spec.members["b"]
    a = attrs.evolve(a, systems={"CARE": attrs.evolve(a.systems["CARE"], owner=None)})
    b = attrs.evolve(
        b, systems={"CARE": attrs.evolve(b.systems["CARE"], owner="Helsesjef", manager="B-ansv")}
    )

    spec = attrs.evolve(spec, members={**spec.members, "a": a, "b": b})
    care = merged_member(spec, ["a", "b"], "a").systems["CARE"]
    assert (care.users, care.owner, care.manager) == (20, "Helsesjef", "Systemansvarlig")
    care = merged_member(spec, ["b", "a"], "a").systems["CARE"]
    assert (care.users, care.owner, care.manager) == (20, "Helsesjef", "B-ansv")
    c = spec.members["c"]
    c = attrs.evolve(c, systems={"CARE": attrs.evolve(c.systems["CARE"], manager=None)})
    spec = attrs.evolve(spec, members={**spec.members, "c": c})
    # c has no manager: b's.
    assert merged_member(spec, ["c", "b"], "b").systems["CARE"].manager == "B-ansv"


def test_a_merger_after_a_member_has_left_costs_what_the_year_cost() -> None:
    """Sande leaves from 2014 (its date stated); Røyken and Svelvik merge from 2015, on the
    plan's cooperation of that year (Nedre Eiker has joined). Merged, their users add up:
    every per-user part is the same, and no step sized by the largest member grows (Drammen
    is the largest, before and after): the year costs what it cost, to the øre. (The merger
    was priced for the members paying in 2015 and then again, by allocate, without Sande:
    IT151's cost model did not add up.)"""
    spec = dikt.load(ROOT / "specs" / "d-ikt")
    sande = attrs.evolve(spec.members["sande"], leaving=dt.date(2014, 1, 1))
    scenario = joined_in(attrs.evolve(spec, members={**spec.members, "sande": sande}), 2015)
    result = merge(scenario, ["royken", "svelvik"], "royken", 2015)
    assert result.total_after == result.total_before == dikt.allocate(scenario, 2015).total
    assert "sande" not in [m.id for m in result.members]
    # The others' total is what the year's allocation of the merged spec gives them.
    assert {m.id: m.after for m in result.members if m.after} == {
        m.id: m.total for m in result.after.members
    }


# -- stated in the spec ---------------------------------------------------------------------


def _stated() -> Cooperation:
    """D-IKT with Sande leaving from 2014 and Røyken and Svelvik merging into a new
    municipality from March 2015 (from the start of 2015)."""
    spec = dikt.load(ROOT / "specs" / "d-ikt")
    sande = attrs.evolve(spec.members["sande"], leaving=dt.date(2014, 1, 1))
    merger = Merger(
        into="vestfold",
        members=("royken", "svelvik"),
        date=dt.date(2015, 3, 1),
        name="Vestfold kommune",
    )
    return attrs.evolve(
        spec, members={**spec.members, "sande": sande}, mergers={"vestfold": merger}
    )


def test_the_changes_the_spec_states_are_priced_in_the_plans_years() -> None:
    """Each in the year of its date, on the plan's cooperation of that year (Nedre Eiker has
    joined by then, prices grown by 2.5 % a year): the leaving's year after it is the plan's
    allocation of 2014 (which has Sande leave); the merger's year before it the plan's of
    2015."""
    spec = _stated()
    plan = dikt.plan(spec, growth=Fraction(1, 40))
    year = {y.year: y for y in plan.years}
    leaving, merger = stated_changes(spec, plan)
    assert (leaving.year, leaving.what, leaving.who, leaving.problem) == (
        2014,
        "leave",
        "sande",
        None,
    )
    assert isinstance(leaving.estimate, dikt.LeaveEstimate)
    assert leaving.estimate.year == 2014
    assert leaving.estimate.total_after == year[2014].allocation.total
    assert (merger.year, merger.what, merger.who, merger.problem) == (
        2015,
        "merge",
        "vestfold",
        None,
    )
    assert isinstance(merger.estimate, dikt.MergeEstimate)
    assert (merger.estimate.year, merger.estimate.into_name) == (2015, "Vestfold kommune")
    assert merger.estimate.total_before == year[2015].allocation.total
    assert "nedre-eiker" in [m.id for m in merger.estimate.members]


def test_changes_outside_the_plan_or_of_candidates_are_not_priced() -> None:
    """A leaving in 2030 and a merger of 2031 are past the plan's years; a candidate's leaving
    date is its file's error (E181), not a change. A merger before another in the table is
    passed over, not the end of them."""
    spec = _stated()
    late = attrs.evolve(spec.members["drammen"], leaving=dt.date(2030, 1, 1))
    candidate = attrs.evolve(spec.members["nedre-eiker"], leaving=dt.date(2014, 1, 1))
    early = Merger(into="drammen", members=("drammen", "sande"), date=dt.date(2031, 1, 1))
    spec = attrs.evolve(
        spec,
        members={**spec.members, "drammen": late, "nedre-eiker": candidate},
        mergers={"drammen": early, **spec.mergers},
    )
    changes = stated_changes(spec, dikt.plan(_stated()))
    assert [(c.year, c.what, c.who) for c in changes] == [
        (2014, "leave", "sande"),
        (2015, "merge", "vestfold"),
    ]


def test_a_change_that_cannot_be_priced_says_why_and_the_others_are_priced() -> None:
    """A key of fixed shares with a share for Sande and none after it leaves: the leaving
    says why (in the what-if's words); the merger is priced."""
    spec = _stated()
    founders = Key(
        id="founders",
        shares={m: Fraction(1, 4) for m in ["drammen", "royken", "sande", "svelvik"]},
        shares_merged={
            "vestfold": {
                "drammen": Fraction(1, 2),
                "sande": Fraction(1, 4),
                "vestfold": Fraction(1, 4),
            }
        },
    )
    firewall = attrs.evolve(spec.systems["IT150"], key="founders")
    broken = attrs.evolve(
        spec,
        keys={**spec.keys, "founders": founders},
        systems={**spec.systems, "IT150": firewall},
    )
    # The plan of the spec as it was: the function prices what the spec states.
    changes = stated_changes(broken, dikt.plan(spec))
    assert [(c.year, c.what, c.who, c.estimate is None) for c in changes] == [
        (2014, "leave", "sande", True),
        (2015, "merge", "vestfold", True),
    ]
    assert changes[0].problem == (
        'the key "founders" has fixed shares for sande; state the shares after the change '
        "in [keys.founders.shares_without.sande]"
    )


def test_a_leaving_and_a_merger_into_the_same_id_in_one_year_are_both_listed() -> None:
    spec = _stated()
    merger = Merger(into="sande", members=("sande", "drammen"), date=dt.date(2014, 1, 1))
    spec = attrs.evolve(spec, mergers={"sande": merger})
    changes = stated_changes(spec, dikt.plan(_stated()))
    assert [(c.year, c.what, c.who) for c in changes] == [
        (2014, "leave", "sande"),
        (2014, "merge", "sande"),
    ]


# -- what the what-ifs take as given --------------------------------------------------------


def test_a_key_of_fixed_shares_splits_by_the_shares_stated_after_the_merger() -> None:
    """FW by fixed shares of a, b and c; after a and b merge into ab, by the shares the spec
    states for it: ab 3/5 of 1 000, c 2/5."""
    spec = _three()
    founders = Key(
        id="founders",
        shares={"a": Fraction(1, 4), "b": Fraction(1, 4), "c": Fraction(1, 2)},
        shares_merged={"ab": {"ab": Fraction(3, 5), "c": Fraction(2, 5)}},
    )
    spec = attrs.evolve(
        spec,
        keys={**spec.keys, "founders": founders},
        systems={**spec.systems, "FW": attrs.evolve(spec.systems["FW"], key="founders")},
    )
    result = merge(spec, ["a", "b"], "ab", name="AB kommune")
    lines = {m.id: {line.item: line.amount for line in m.lines} for m in result.after.members}
    assert (lines["ab"]["FW"], lines["c"]["FW"]) == (Money.parse(600), Money.parse(400))
    # Without them: the what-if stops, naming the key, the members it touches and the table.
    bare = attrs.evolve(
        spec, keys={**spec.keys, "founders": attrs.evolve(founders, shares_merged={})}
    )
    with pytest.raises(ComputeError) as stopped:
        merge(bare, ["a", "b"], "ab", name="AB kommune")
    assert str(stopped.value) == (
        'the key "founders" has fixed shares for a, b; state the shares after the change in '
        "[keys.founders.shares_merged.ab]"
    )


def test_a_key_of_fixed_shares_that_the_change_does_not_touch_needs_nothing() -> None:
    """CARE is split by fixed shares of a and c, its users; b uses no CARE: its leaving
    touches no share, and needs none stated."""
    spec = _three()
    b = attrs.evolve(spec.members["b"], systems={})
    care = Key(id="care-shares", shares={"a": Fraction(1, 3), "c": Fraction(2, 3)})
    spec = attrs.evolve(
        spec,
        members={**spec.members, "b": b},
        keys={**spec.keys, "care-shares": care},
        systems={**spec.systems, "CARE": attrs.evolve(spec.systems["CARE"], key="care-shares")},
    )
    result = leave(spec, "b")
    assert [m.id for m in result.members] == ["a", "c"]


def test_a_leaving_date_the_spec_states_is_set_aside_for_the_what_if() -> None:
    """b has given notice (leaving from 2012): the year before its leaving is the year had it
    stayed, as if no date were written; so for a merger of its."""
    spec = _three()
    gone = attrs.evolve(spec.members["b"], leaving=dt.date(2012, 1, 1))
    stated = attrs.evolve(spec, members={**spec.members, "b": gone})
    assert leave(stated, "b") == leave(spec, "b")
    assert leave(stated, "b").departing == Money.parse("416.67")
    assert merge(stated, ["a", "b"], "ab", name="AB").members == (
        merge(spec, ["a", "b"], "ab", name="AB").members
    )


def test_two_members_one_may_leave_one_member_may_not() -> None:
    spec = _two_members()
    assert [m.id for m in leave(spec, "a").members] == ["b"]
    alone = attrs.evolve(spec, members={"a": spec.members["a"]})
    with pytest.raises(ComputeError) as stopped:
        leave(alone, "a")
    assert str(stopped.value) == "a is the only member: nobody would pay"


def _two_members() -> Cooperation:
    return dikt.load_texts(
        MINIMAL_COOPERATION,
        {"members/a.toml": minimal_member("a"), "members/b.toml": minimal_member("b", "0603")},
    )


def test_a_year_dikt_does_not_support_is_the_callers_error() -> None:
    with pytest.raises(ComputeError) as expected:
        dikt.model.check_year(1800)
    with pytest.raises(dikt.errors.ArgumentError) as stopped:
        leave(_three(), "a", 1800)
    assert str(stopped.value) == str(expected.value)
    assert stopped.value.args == expected.value.args


def test_a_merger_past_a_step_sized_by_the_largest_member_costs_the_larger_step() -> None:
    """D-IKT's platforms in steps sized by the largest member: Drammen (14 500 users) and
    Svelvik (1 700) merged are 16 200. The mail platform (IT155) passes its step up to
    15 000 (800 000) for the one up to 40 000 (900 000), and so do the Citrix farm
    (+100 000), the core network (+150 000) and the firewall (+100 000): 450 000 more a
    year, each system's cost for the new set (the cost function, its own oracle)."""
    spec = dikt.load(ROOT / "specs" / "d-ikt")
    result = merge(spec, ["drammen", "svelvik"], "drammen")
    assert result.total_after - result.total_before == Money.parse(450_000)
    staged = attrs.evolve(
        merged_member(spec, ["drammen", "svelvik"], "x"), status=MemberStatus.CANDIDATE
    )
    costs = costing(
        attrs.evolve(spec, members={**spec.members, "x": staged}), ["royken", "sande", "x"]
    )
    assert {s.system: str(s.change) for s in costs.systems if s.change} == {
        "IT153": "100000.00",
        "IT154": "150000.00",
        "IT155": "100000.00",
        "IT182": "100000.00",
    }
    assert (result.cooperation_id, result.name) == (spec.id, spec.name)


def test_named_twice_names_each_once() -> None:
    with pytest.raises(ComputeError) as stopped:
        merge(_three(), ["a", "b", "a", "c", "b"], "a")
    assert str(stopped.value) == "named twice: a, b"


def test_the_other_members_investments_stay_theirs() -> None:
    """c's own tablets are c's after a and b merge; the merged member pays none of them."""
    spec = _three()
    investment = dikt.model.Investment(
        id="c-tablets",
        category=dikt.model.Category.MEMBER,
        member="c",
        year=2012,
        amount=Money.parse(300),
    )
    spec = attrs.evolve(spec, investments=(investment,))
    result = merge(spec, ["a", "b"], "ab", name="AB kommune")
    rows = {m.id: m for m in result.members}
    assert (str(rows["ab"].after), str(rows["c"].after)) == ("750.00", "1050.00")


def test_a_merged_member_has_not_given_notice() -> None:
    spec = _three()
    gone = attrs.evolve(spec.members["b"], leaving=dt.date(2013, 1, 1))
    spec = attrs.evolve(spec, members={**spec.members, "b": gone})
    assert merged_member(spec, ["a", "b"], "b").leaving is None


def test_a_candidate_joining_after_the_change_is_still_a_candidate_then() -> None:
    """Nedre Eiker joining from 2015: Sande's leaving in 2014 is priced without it, the
    merger of 2015 with it; joining from 2016, both without it."""
    for joins, in_merger in ((2015, True), (2016, False)):
        spec = _stated()
        later = attrs.evolve(spec.members["nedre-eiker"], joined=dt.date(joins, 1, 1))
        spec = attrs.evolve(spec, members={**spec.members, "nedre-eiker": later})
        leaving, merger = stated_changes(spec, dikt.plan(_stated()))
        assert leaving.estimate is not None
        assert merger.estimate is not None
        assert "nedre-eiker" not in [m.id for m in leaving.estimate.members]
        assert ("nedre-eiker" in [m.id for m in merger.estimate.members]) is in_merger

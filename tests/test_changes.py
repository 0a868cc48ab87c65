"""Leaving and merging: the what-ifs, their rules, their messages and properties."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

import dikt
from dikt.allocation import LineKind
from dikt.changes import leave, merge, merged_member, stated_changes
from dikt.costs import costing, priced
from dikt.errors import ArgumentError, ComputeError
from dikt.model import Category, Cooperation, Key, MemberStatus, Merger, Obligations
from dikt.money import Money

from .conftest import ROOT
from .strategies import cooperations, errors, payable
from .test_cli import run

SPEC_2013 = ROOT / "specs" / "d-ikt-2013"
MERGING = ["drammen", "nedre-eiker", "svelvik"]
INVESTMENT_KINDS = {LineKind.CORE_INVESTMENT, LineKind.APPLICATION_INVESTMENT}


@pytest.fixture(scope="module")
def d_ikt() -> Cooperation:
    return dikt.load(SPEC_2013)


def _lines(allocation: dikt.Allocation, member: str, kinds: set[LineKind]) -> dict[str, Money]:
    return {
        line.item: line.amount
        for line in allocation.member(member).lines
        if line.split.kind in kinds
    }


# -- leaving --------------------------------------------------------------------------------


def test_a_member_leaving_moves_its_costs_to_the_others(d_ikt: Cooperation) -> None:
    result = leave(d_ikt, "sande")
    assert result.year == 2013
    assert [m.id for m in result.members] == ["drammen", "nedre-eiker", "royken", "svelvik"]
    assert result.departing == result.before.member("sande").total
    # Every remaining member pays more, and what the members pay falls only by
    # what goes with the member (its own systems and investments) and by its
    # part of the year's investments, which it pays itself: the year's total
    # after holds what it pays ("settle": its part of 2013-2015, all in 2013).
    assert all(m.change.ore > 0 for m in result.members)
    this_year = Money.sum(o.share for o in result.obligations if o.year == result.year)
    own = Money.sum(
        _lines(result.before, "sande", {LineKind.OWN_SYSTEM, LineKind.MEMBER_INVESTMENT}).values()
    )
    members_after = Money.sum(m.after for m in result.members)
    assert result.total_before - members_after == this_year + own
    assert result.total_after == members_after + result.obligations_total
    # What it leaves behind is what it paid for systems, less what they save.
    paid = Money.sum(_lines(result.before, "sande", {LineKind.BASE, LineKind.APPLICATION}).values())
    assert Money.sum(r.paid for r in result.left_behind) == paid
    assert result.left_behind_total == paid - Money.sum(r.saved for r in result.left_behind)


@pytest.mark.parametrize("spec", ["d-ikt", "d-ikt-2013"])
@pytest.mark.parametrize("change", ["leave", "merge"])
def test_a_what_ifs_total_is_the_cost_function_of_the_new_set(spec: str, change: str) -> None:
    """The systems' lines after the change add up to c(S) of the new set: the
    one cost function that joining and fair shares use (systems in operation
    that year)."""
    cooperation = dikt.load(ROOT / "specs" / spec)
    year = cooperation.budget_year
    if change == "leave":
        after = leave(cooperation, "sande").after
        new_set = [m.id for m in cooperation.active_members if m.id != "sande"]
        served = costing(cooperation, new_set)
    else:
        # Sande and Svelvik: together still within every capacity step.
        result = merge(cooperation, ["sande", "svelvik"], "sande")
        after = result.after
        staged = attrs.evolve(
            cooperation,
            members={
                **cooperation.members,
                "x": attrs.evolve(
                    merged_member(cooperation, ["sande", "svelvik"], "x"),
                    status=MemberStatus.CANDIDATE,
                ),
            },
        )
        others = [m.id for m in cooperation.active_members if m.id not in {"sande", "svelvik"}]
        served = costing(staged, [*others, "x"])
    systems = Money.sum(
        line.amount
        for m in after.members
        for line in m.lines
        if line.split.kind in {LineKind.BASE, LineKind.APPLICATION}
    )
    assert systems == Money.sum(
        s.cost for s in served.systems if cooperation.systems[s.system].active_in(year)
    )


def test_obligations_follow_the_stated_rule_to_the_ore(d_ikt: Cooperation) -> None:
    settle = leave(d_ikt, "sande")
    assert settle.rule is Obligations.SETTLE
    assert settle.obligations  # the spec has investments of 2013 and later
    assert settle.due() == {2013: settle.obligations_total}
    by_end = leave(
        attrs.evolve(
            d_ikt, leaving=attrs.evolve(d_ikt.leaving, investments=Obligations.PAY_TO_END)
        ),
        "sande",
    )
    due = by_end.due()
    assert Money.sum(due.values()) == settle.obligations_total
    assert set(due) == {o.year for o in settle.obligations}
    # "Investments of its leaving year and later": every core investment from
    # 2013 (shared by all members), none before it.
    owed = {o.investment for o in settle.obligations}
    core = {i.id: i.year for i in d_ikt.investments if i.category is Category.CORE}
    assert {i for i, year in core.items() if year >= 2013} <= owed
    assert not {i for i, year in core.items() if year < 2013} & owed
    # Each share is what the key would have given it, had it stayed.
    for obligation in settle.obligations:
        year = dikt.allocate(d_ikt, obligation.year)
        assert _lines(year, "sande", INVESTMENT_KINDS)[obligation.investment] == obligation.share


@settings(max_examples=40, deadline=None)
@given(cooperations(max_members=4, max_systems=5), st.data())
def test_joining_then_leaving_gives_back_every_members_contribution(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    """Operating lines come back to the øre; of the investments still being
    paid, the others pay exactly what they paid less the leaver's share."""
    cooperation = payable(cooperation)
    candidates = [m.id for m in cooperation.members.values() if not m.is_member]
    if errors(cooperation) or not candidates:
        return
    candidate = data.draw(st.sampled_from(candidates))
    # Joined as join prices it: each system by its cost model for the new set.
    try:
        joined = payable(
            priced(cooperation, [*(m.id for m in cooperation.active_members), candidate])[0]
        )
    except ComputeError:
        return  # a capacity step that cannot serve them: the what-if stops, rightly

    if errors(joined):
        return
    try:
        before = dikt.allocate(cooperation)
        result = leave(joined, candidate)
    except ComputeError:
        return  # an amount nobody can pay: the generator's, not the rule's
    operating = {LineKind.BASE, LineKind.APPLICATION, LineKind.OWN_SYSTEM}
    for member in before.members:
        assert _lines(result.after, member.id, operating) == _lines(before, member.id, operating)
    invested_before = Money.sum(
        line.amount
        for m in before.members
        for line in m.lines
        if line.split.kind in INVESTMENT_KINDS
    )
    invested_after = Money.sum(
        line.amount
        for m in result.after.members
        for line in m.lines
        if line.split.kind in INVESTMENT_KINDS
    )
    this_year = Money.sum(o.share for o in result.obligations if o.year == result.year)
    assert invested_after + this_year == invested_before


# -- merging --------------------------------------------------------------------------------


def test_a_merger_adds_up_its_members(d_ikt: Cooperation) -> None:
    one = merged_member(d_ikt, MERGING, "drammen")
    parts = [d_ikt.members[m] for m in MERGING]
    assert one.name == "Drammen kommune"
    assert one.users == sum(p.users for p in parts)
    assert one.population == sum(p.population for p in parts)
    assert one.employees == sum(p.employees for p in parts)
    for system in {s for p in parts for s in p.systems}:
        assert one.systems[system].users == sum(
            p.systems[system].users for p in parts if system in p.systems
        )
    assert len(one.own_systems) == sum(len(p.own_systems) for p in parts)


def test_a_merger_keeps_the_cooperations_total_and_shows_every_member(d_ikt: Cooperation) -> None:
    result = merge(d_ikt, MERGING, "drammen")
    assert result.total_after == result.total_before
    rows = {m.id: m for m in result.members}
    assert set(rows) == set(d_ikt.members) - {"nedre-eiker", "svelvik"} | {
        "nedre-eiker",
        "svelvik",
    }
    assert rows["nedre-eiker"].after == Money(0)
    assert rows["nedre-eiker"].into == "drammen"
    assert rows["drammen"].after == result.after.member("drammen").total
    assert Money.sum(m.after for m in result.members) == result.total_after
    assert Money.sum(m.before for m in result.members) == result.total_before


def _linear(cooperation: Cooperation) -> Cooperation:
    """Every system split by its users, no equal parts, no cost models, no investments."""
    return attrs.evolve(
        cooperation,
        keys={},
        systems={
            k: attrs.evolve(s, key="system-users", cost_model=None)
            for k, s in cooperation.systems.items()
        },
        investments=(),
    )


@settings(max_examples=40, deadline=None)
@given(cooperations(max_members=5, max_systems=5), st.data())
def test_a_merger_under_linear_keys_leaves_the_others_unchanged(
    cooperation: Cooperation, data: st.DataObject
) -> None:
    """Split by the members' own users, merging moves no money between the
    others: at most the øre a line's rounding gives to one payer or another."""
    cooperation = _linear(cooperation)
    members = [m.id for m in cooperation.active_members]
    if len(members) < 3 or errors(cooperation):
        return
    merging = data.draw(
        st.lists(st.sampled_from(members), min_size=2, max_size=len(members) - 1, unique=True)
    )
    try:
        result = merge(cooperation, merging, merging[0])
    except ComputeError:
        return
    lines = len(cooperation.systems)
    for row in result.members:
        if row.into is None and row.id not in merging:
            assert abs(row.change.ore) <= lines


# -- what stops them ------------------------------------------------------------------------


def test_a_merger_past_every_capacity_step_stops_and_says_why(tmp_path: Path) -> None:
    """The mail platform sized for the largest member, up to 15 000 users
    without the shipped spec's top step: Drammen and Svelvik together are 16 200."""
    spec = tmp_path / "spec"
    shutil.copytree(ROOT / "specs" / "d-ikt", spec)
    cooperation = spec / "cooperation.toml"
    text = cooperation.read_text(encoding="utf-8")
    top = "  { up_to = 15_000, cost = 800_000 },\n  { up_to = 40_000, cost = 900_000 },\n"
    assert top in text
    cooperation.write_text(
        text.replace(top, "  { up_to = 15_000, cost = 800_000 },\n"), encoding="utf-8"
    )
    code, out, err = run("merge", str(spec), "drammen", "svelvik", "--into", "drammen")
    assert (code, out, err) == (1, "", "dikt: IT155: no capacity step serves 16200 users\n")


def test_a_fixed_share_key_needs_the_shares_after_the_change(d_ikt: Cooperation) -> None:
    founders = Key(
        id="founders",
        shares={
            m: Fraction(1, 5) for m in ["drammen", "nedre-eiker", "royken", "sande", "svelvik"]
        },
    )
    spec = attrs.evolve(
        d_ikt,
        keys={**d_ikt.keys, "founders": founders},
        systems={**d_ikt.systems, "IT150": attrs.evolve(d_ikt.systems["IT150"], key="founders")},
    )
    with pytest.raises(
        ComputeError,
        match=r'the key "founders" has fixed shares for sande.*'
        r"\[keys\.founders\.shares_without\.sande\]",
    ):
        leave(spec, "sande")
    after = {
        "drammen": Fraction(1, 2),
        "nedre-eiker": Fraction(1, 4),
        "royken": Fraction(1, 8),
        "svelvik": Fraction(1, 8),
    }
    stated = attrs.evolve(
        spec,
        keys={**spec.keys, "founders": attrs.evolve(founders, shares_without={"sande": after})},
    )
    result = leave(stated, "sande")
    cost = d_ikt.systems["IT150"].annual_cost
    assert _lines(result.after, "drammen", {LineKind.BASE})["IT150"] == Money(cost.ore // 2)
    with pytest.raises(ComputeError, match=r"\[keys\.founders\.shares_merged\.drammen\]"):
        merge(spec, MERGING, "drammen")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["leave", "sandee"],
            'dikt: no member or candidate "sandee" in the spec; did you mean "sande"?',
        ),
        (
            ["leave", "royken", "--year", "2005"],
            "dikt: royken joined in 2010; it cannot leave or merge in 2005",
        ),
        (["merge", "drammen", "--into", "drammen"], "dikt: a merger needs two or more members"),
        (["merge", "drammen", "drammen", "--into", "drammen"], "dikt: named twice: drammen"),
        (
            ["merge", "drammen", "sande", "--into", "royken"],
            "dikt: royken is already another member's or a candidate's id; "
            "merge into one of the merging members or a new id",
        ),
        (
            ["merge", "drammen", "sande", "--into", "Ny kommune"],
            'dikt: "Ny kommune" is not a valid id',
        ),
    ],
)
def test_a_wrong_argument_is_one_message_and_exit_2(args: list[str], message: str) -> None:
    command, *rest = args
    assert run(command, str(SPEC_2013), *rest) == (2, "", message + "\n")


def test_a_candidate_cannot_leave() -> None:
    code, _, err = run("leave", str(ROOT / "specs" / "d-ikt"), "nedre-eiker")
    assert (code, err) == (
        2,
        "dikt: nedre-eiker is a candidate, not a member: it cannot leave or merge\n",
    )


def test_the_cli_writes_every_format(tmp_path: Path) -> None:
    code, out, _ = run("leave", str(SPEC_2013), "sande", "--lang", "nb")
    assert code == 0
    assert "Sande kommune" in out
    code, out, _ = run("merge", str(SPEC_2013), *MERGING, "--into", "drammen", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "member,before,after,change,change %"
    book = tmp_path / "merge.xlsx"
    assert (
        run(
            "merge",
            str(SPEC_2013),
            *MERGING,
            "--into",
            "drammen",
            "--format",
            "xlsx",
            "--output",
            str(book),
        )[0]
        == 0
    )
    assert book.read_bytes()[:2] == b"PK"


# -- what check says ------------------------------------------------------------------------


def test_check_finds_stated_changes_that_are_not_well_defined(d_ikt: Cooperation) -> None:
    sound = attrs.evolve(
        d_ikt,
        mergers={
            "drammen": Merger(
                into="drammen",
                members=tuple(MERGING),
                date=d_ikt.members["drammen"].joined.replace(year=2020),
            )
        },  # type: ignore[union-attr]
    )
    assert not [p for p in dikt.check(sound) if p.code.startswith("E18")]
    broken = attrs.evolve(
        d_ikt,
        mergers={
            "royken": Merger(
                into="royken", members=("drammen",), date=d_ikt.members["drammen"].joined
            )
        },  # type: ignore[arg-type]
        members={
            **d_ikt.members,
            "sande": attrs.evolve(d_ikt.members["sande"], leaving=d_ikt.members["sande"].joined),
        },
    )
    codes = sorted(p.code for p in dikt.check(broken) if p.code.startswith("E18"))
    assert codes == ["E180", "E180", "E181"]


def test_check_finds_shares_after_a_change_that_cannot_be() -> None:
    """Nedre Eiker is a candidate in the shipped spec: it cannot leave."""
    shipped = dikt.load(ROOT / "specs" / "d-ikt")
    founders = Key(
        id="founders",
        shares={"drammen": Fraction(1, 2), "sande": Fraction(1, 2)},
        shares_without={
            "sande": {"drammen": Fraction(1, 2), "sande": Fraction(1, 2)},
            "nedre-eiker": {"drammen": Fraction(1)},
        },
        shares_merged={"drammen-ny": {"drammen-ny": Fraction(9, 10)}},
    )
    spec = attrs.evolve(shipped, keys={"founders": founders})
    found = sorted((p.code, p.path) for p in dikt.check(spec) if p.path.startswith("keys.founders"))
    assert found == [
        ("E107", "keys.founders.shares_merged.drammen-ny"),
        ("E182", "keys.founders.shares_without.nedre-eiker"),
        ("E182", "keys.founders.shares_without.sande.sande"),
    ]


def test_argument_errors_are_compute_errors_for_the_library(d_ikt: Cooperation) -> None:
    with pytest.raises(ArgumentError):
        merge(d_ikt, ["drammen"], "drammen")
    assert issubclass(ArgumentError, ComputeError)


def test_the_plan_shows_the_changes_the_spec_states(tmp_path: Path) -> None:
    """A leaving date and a merger in the plan's years: a section each, priced
    on the plan's cooperation of that year, or saying why not."""
    spec = tmp_path / "spec"
    shutil.copytree(ROOT / "specs" / "d-ikt", spec)
    member = spec / "members" / "sande.toml"
    member.write_text(
        member.read_text(encoding="utf-8").replace(
            "joined = 2006-04-01\n", "joined = 2006-04-01\nleaving = 2014-01-01\n"
        ),
        encoding="utf-8",
    )
    cooperation = spec / "cooperation.toml"
    # The mail platform without its top step: the merger (16 200 users) cannot be priced.
    top = "  { up_to = 15_000, cost = 800_000 },\n  { up_to = 40_000, cost = 900_000 },\n"
    cooperation.write_text(
        cooperation.read_text(encoding="utf-8").replace(
            top, "  { up_to = 15_000, cost = 800_000 },\n"
        )
        + '\n[mergers.drammen]\nmembers = ["drammen", "svelvik"]\ndate = 2015-01-01\n',
        encoding="utf-8",
    )
    code, out, _ = run("plan", str(spec))
    assert code == 0
    section = out[out.index("Membership changes stated in the spec") :]
    assert "Sande kommune leaves from 2014" in section
    # Nedre Eiker has joined by 2014 in the plan: it is among those who pay more.
    assert "Nedre Eiker" in section.split("A merger into")[0]
    assert section.rstrip().endswith(
        "A merger into Drammen kommune from 2015\n"
        "Not priced: IT155: no capacity step serves 16200 users"
    )
    loaded = dikt.load(spec)
    changes = stated_changes(loaded, dikt.plan(loaded))
    assert [(c.year, c.what, c.who, c.estimate is None) for c in changes] == [
        (2014, "leave", "sande", False),
        (2015, "merge", "drammen", True),
    ]

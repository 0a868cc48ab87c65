"""Years mean what they say: a member pays from its joined date until it leaves (issue 22.4)."""

from __future__ import annotations

import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import dikt
from dikt.allocation import LineKind
from dikt.changes import stated_changes
from dikt.errors import ArgumentError, ComputeError
from dikt.model import Category, Cooperation, Investment, Key, Leaving, Obligations
from dikt.money import Money
from dikt.rules import pays_in

from .conftest import EXAMPLE
from .test_cli import run


@pytest.fixture(scope="module")
def d_ikt() -> Cooperation:
    return dikt.load(EXAMPLE)


def _totals(allocation: dikt.Allocation) -> dict[str, str]:
    return {m.id: str(m.total) for m in allocation.members}


def _leaving(cooperation: Cooperation, member: str, date: dt.date) -> Cooperation:
    return attrs.evolve(
        cooperation,
        members={
            **cooperation.members,
            member: attrs.evolve(cooperation.members[member], leaving=date),
        },
    )


def _spec(tmp_path: Path, replace: dict[str, tuple[str, str]]) -> Path:
    """A copy of the D-IKT example with text replaced in the named files."""
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE, spec)
    for file, (old, new) in replace.items():
        path = spec / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return spec


def test_a_year_before_the_cooperation_had_members_is_refused() -> None:
    """Røyken joined 2010, the founders 2006: nobody paid in 1999."""
    code, out, err = run("allocate", EXAMPLE, "--year", "1999")
    assert (code, out, err) == (
        2,
        "",
        "dikt: d-ikt has no members in 1999: the first joined on 2006-04-01\n",
    )


def test_a_member_pays_only_from_the_year_it_joined(d_ikt: Cooperation) -> None:
    """In 2008 the founders pay, Røyken (joined 2010) does not; each system costs
    what its cost model says for the three."""
    allocation = dikt.allocate(d_ikt, 2008)
    assert _totals(allocation) == {
        "drammen": "34454284.44",
        "sande": "5119477.32",
        "svelvik": "4065033.69",
    }
    assert str(allocation.total) == "43638795.45"
    assert "royken" in _totals(dikt.allocate(d_ikt, 2010))


def test_the_joined_year_is_a_whole_year_and_the_leaving_year_is_not() -> None:
    member = dikt.Member(
        id="a",
        name="A",
        municipality_number="0001",
        status=dikt.MemberStatus.MEMBER,
        joined=dt.date(2010, 12, 31),
        leaving=dt.date(2014, 12, 31),
        population=1,
        employees=1,
        users=1,
    )
    assert [y for y in range(2008, 2017) if pays_in(member, y)] == [2010, 2011, 2012, 2013]
    assert not pays_in(attrs.evolve(member, status=dikt.MemberStatus.CANDIDATE), 2012)


@pytest.mark.parametrize("rule", list(Obligations))
def test_a_member_that_has_left_pays_only_its_part_of_the_investments(
    d_ikt: Cooperation, rule: Obligations
) -> None:
    """Sande leaves from 2014: allocate charges it its contribution in 2013. From
    2014 it keeps its part of each investment of 2014 and later, its line had it
    stayed, and pays it at once in 2014 ("settle") or in each investment's year
    ("pay-to-end"); the others share the rest. The plan's years are those
    allocations (one rule)."""
    spec = attrs.evolve(
        _leaving(d_ikt, "sande", dt.date(2014, 1, 1)), leaving=Leaving(investments=rule)
    )
    assert "sande" in _totals(dikt.allocate(spec, 2013))
    # Its part of each investment still being paid: what it would have paid had it stayed.
    stayed = {
        line.item: line.amount
        for year in (2014, 2015)
        for line in dikt.allocate(d_ikt, year).member("sande").lines
        if line.kind is LineKind.CORE_INVESTMENT
    }
    assert {item: str(part) for item, part in stayed.items()} == {
        "backup-2014": "136363.64",
        "citrix-2015": "363636.36",
    }
    due = {2014: ["backup-2014", "citrix-2015"], 2015: []}
    if rule is Obligations.PAY_TO_END:
        due = {2014: ["backup-2014"], 2015: ["citrix-2015"]}
    for year, items in due.items():
        allocation = dikt.allocate(spec, year)
        paid = [
            (line.item, line.kind, line.amount)
            for m in allocation.members
            if m.id == "sande"
            for line in m.lines
        ]
        assert paid == [(item, LineKind.OBLIGATION, stayed[item]) for item in items]
        # The others share the rest of the year's investment: with Sande's part,
        # paid this year or settled before, it is the whole investment.
        item = f"{'backup' if year == 2014 else 'citrix'}-{year}"
        shared = [line.amount for m in allocation.members for line in m.lines if line.item == item]
        settled_before = Money(0) if item in items else stayed[item]
        amount = next(i.amount for i in spec.investments if i.id == item)
        assert Money.sum(shared) + settled_before == amount, year
    assert _totals(dikt.allocate(spec, 2014)) == {
        "drammen": "34716117.20",
        "royken": "12249510.89",
        "sande": "500000.00" if rule is Obligations.SETTLE else "136363.64",
        "svelvik": "4128701.21",
    }
    assert "sande" not in _totals(dikt.allocate(spec, 2016))
    # The plan's years: Sande pays in 2013; from 2014 only toward investments (no
    # operating, no PCs), what the plan's allocation of the year charges it.
    years = {year.year: year for year in dikt.plan(spec).years}
    assert years[2013].allocation.member("sande").total > Money(0)
    for year in (2014, 2015):
        cells = {cell.member: cell for cell in years[year].cells}
        charged = {m.id: m for m in years[year].allocation.members}
        assert ("sande" in cells) == ("sande" in charged) == bool(due[year]), year
        if "sande" in cells:
            assert {line.kind for line in charged["sande"].lines} == {LineKind.OBLIGATION}
            cell = cells["sande"]
            assert (cell.operating, cell.fleet_renewal) == (Money(0), Money(0))
            assert cell.investments[Category.CORE] == charged["sande"].total


def test_a_what_if_of_leaving_is_the_leaving_date_stated(d_ikt: Cooperation) -> None:
    """``dikt leave`` and a leaving date in the spec give the others the same
    contributions, and the member the same obligations, to the øre."""
    for rule in Obligations:
        spec = attrs.evolve(d_ikt, leaving=Leaving(investments=rule))
        estimate = dikt.leave(spec, "royken", 2013)
        stated = dikt.allocate(_leaving(spec, "royken", dt.date(2013, 1, 1)), 2013)
        assert {c.id: c.after for c in estimate.members} == {
            m.id: m.total for m in stated.members if m.id != "royken"
        }
        paid = Money.sum(
            line.amount for m in stated.members if m.id == "royken" for line in m.lines
        )
        assert paid == estimate.due().get(2013, Money(0))
        assert estimate.paying_after == paid
        assert estimate.total_after == stated.total


def test_a_year_after_every_member_has_left_is_refused(d_ikt: Cooperation) -> None:
    spec = d_ikt
    for member in d_ikt.active_members:
        spec = _leaving(spec, member.id, dt.date(2020, 1, 1))
    assert "drammen" in _totals(dikt.allocate(spec, 2019))
    with pytest.raises(ArgumentError) as raised:
        dikt.allocate(spec, 2020)
    assert str(raised.value) == "d-ikt has no members in 2020: every member has left by then"


def test_check_refuses_a_budget_year_before_the_first_member_joined(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"cooperation.toml": ("budget_year = 2012", "budget_year = 2001")})
    code, out, _ = run("check", spec, "--select", "E")
    assert code == 1
    assert out == (
        f"{spec}/cooperation.toml:21:1: E190 budget_year: d-ikt has no members in 2001: "
        "the first joined on 2006-04-01\n1 error, 0 warnings\n"
    )
    with pytest.raises(ComputeError) as raised:
        dikt.allocate(dikt.load(spec))
    assert not isinstance(raised.value, ArgumentError)  # the spec's year, not the caller's


def test_joining_before_the_cooperation_existed_is_refused() -> None:
    code, out, err = run("join", EXAMPLE, "nedre-eiker", "--year", "1999")
    assert (code, out, err) == (
        2,
        "",
        "dikt: d-ikt has no members in 1999: the first joined on 2006-04-01\n",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["leave", EXAMPLE, "sande", "--year", "3000"],
        ["merge", EXAMPLE, "sande", "svelvik", "--into", "sande", "--year", "3000"],
    ],
)
def test_a_change_in_a_year_dikt_does_not_support_is_one_clear_message(args: list[str]) -> None:
    assert run(*args) == (2, "", "dikt: year 3000 is outside the supported years 1900-2200\n")


def test_a_candidate_joined_by_the_budget_year_pays_the_same_in_allocate_and_the_plan(
    tmp_path: Path,
) -> None:
    """Nedre Eiker still a candidate with joined = 2012-01-01 (the budget year):
    the plan's first year is allocate's budget year, and no plan year bills it."""
    spec = _spec(
        tmp_path,
        {"members/nedre-eiker.toml": ("joined = 2013-01-01", "joined = 2012-01-01")},
    )
    code, out, _ = run("check", spec, "--select", "W206")
    assert code == 0
    assert out == (
        f"{spec}/members/nedre-eiker.toml:22:1: W206 joined: Nedre Eiker kommune is a candidate, "
        "but its joined date (2012-01-01) is in or before the budget year 2012: `allocate` and "
        "the plan bill it nothing, in that year or later; if it has joined, set status = "
        '"member"; if not, move `joined` to the date it will join\n0 errors, 1 warning\n'
    )
    cooperation = dikt.load(spec)
    plan = dikt.plan(cooperation)
    assert _totals(plan.years[0].allocation) == _totals(dikt.allocate(cooperation))
    assert plan.years[0].total == dikt.allocate(cooperation).total
    assert "nedre-eiker" not in plan.members


def test_a_plan_that_would_run_past_the_last_year_ends_in_it(tmp_path: Path) -> None:
    """budget_year 2199: the plan has two years, and no option the user did not give is blamed."""
    spec = _spec(tmp_path, {"cooperation.toml": ("budget_year = 2012", "budget_year = 2199")})
    code, out, err = run("plan", spec, "--format", "csv")
    assert (code, err) == (0, "")
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {"2199", "2200"}
    assert [y.year for y in dikt.plan(dikt.load(spec)).years] == [2199, 2200]
    code, _, err = run("plan", spec, "--years", "3")
    assert code == 2
    assert (
        "Error: Invalid value for '--years': the plan's last year, 2201, is after 2200, "
        "the last year dikt supports" in err
    )


def test_a_stated_leaving_is_priced_as_the_plan_prices_its_year(d_ikt: Cooperation) -> None:
    """The plan's section on Sande leaving from 2014 and the plan's 2014 agree on
    what every remaining member pays for systems (Nedre Eiker, joined 2013, included)."""
    spec = _leaving(d_ikt, "sande", dt.date(2014, 1, 1))
    plan = dikt.plan(spec)
    (change,) = stated_changes(spec, plan)
    assert change.estimate is not None
    operating = {dikt.LineKind.BASE, dikt.LineKind.APPLICATION, dikt.LineKind.OWN_SYSTEM}

    def lines(allocation: dikt.Allocation) -> dict[str, list[tuple[str, str]]]:
        return {
            m.id: [(line.item, str(line.amount)) for line in m.lines if line.kind in operating]
            for m in allocation.members
        }

    year = next(y for y in plan.years if y.year == 2014)
    assert lines(change.estimate.after) == lines(year.allocation)
    assert "nedre-eiker" in lines(year.allocation)


def _founders(cooperation: Cooperation, *, after: bool) -> Cooperation:
    """A 40/30/20/10 key for a core investment of 2014, Sande leaving from 2014 (the
    candidate left out: it has no share, E117, which is not these tests')."""
    shares = {
        "drammen": Fraction(4, 10),
        "royken": Fraction(3, 10),
        "sande": Fraction(2, 10),
        "svelvik": Fraction(1, 10),
    }
    without = {
        "sande": {"drammen": Fraction(1, 2), "royken": Fraction(3, 10), "svelvik": Fraction(2, 10)}
    }
    key = Key(id="founders", shares=shares, shares_without=without if after else {})
    investment = Investment(
        id="founders-2014",
        category=Category.CORE,
        year=2014,
        amount=Money.parse(1_000_000),
        key="founders",
    )
    spec = _leaving(cooperation, "sande", dt.date(2014, 1, 1))
    return attrs.evolve(
        spec,
        members={k: m for k, m in spec.members.items() if k != "nedre-eiker"},
        keys={**spec.keys, "founders": key},
        investments=(*spec.investments, investment),
    )


def test_a_fixed_share_key_splits_by_the_shares_after_a_member_has_left(
    d_ikt: Cooperation,
) -> None:
    spec = _founders(d_ikt, after=True)
    assert not [p for p in dikt.check(spec) if p.severity is dikt.Severity.ERROR]
    allocation = dikt.allocate(spec, 2014)
    (split,) = [
        s
        for s in allocation.splits
        if s.item == "founders-2014" and s.kind is LineKind.CORE_INVESTMENT
    ]
    assert split.participants == ("drammen", "royken", "svelvik")
    lines = {
        (m.id, line.kind.value): str(line.amount)
        for m in allocation.members
        for line in m.lines
        if line.item == "founders-2014"
    }
    # Sande keeps its 20 % had it stayed; the others split the rest by the shares after.
    assert lines == {
        ("drammen", "core-investment"): "400000.00",
        ("royken", "core-investment"): "240000.00",
        ("svelvik", "core-investment"): "160000.00",
        ("sande", "obligation"): "200000.00",
    }
    assert str(split.amount) == str(split.withheld * 4) == "800000.00"


def test_a_fixed_share_key_without_shares_after_a_leaving_is_an_error(
    d_ikt: Cooperation,
) -> None:
    spec = _founders(d_ikt, after=False)
    found = [(p.code, p.path, p.message) for p in dikt.check(spec) if p.code == "E192"]
    assert found == [
        (
            "E192",
            "keys.founders.shares",
            'key "founders" has a fixed share for sande, which leaves from 2014: state the '
            "shares after in [keys.founders.shares_without.sande]",
        )
    ]
    with pytest.raises(ComputeError) as raised:
        dikt.allocate(spec, 2014)
    assert str(raised.value) == (
        'the key "founders" has a fixed share for sande, which has left by 2014: state the '
        "shares after in [keys.founders.shares_without.sande]"
    )
    assert "sande" in _totals(dikt.allocate(spec, 2013))


def test_a_member_investment_after_its_member_left_is_an_error(d_ikt: Cooperation) -> None:
    spec = _leaving(d_ikt, "sande", dt.date(2014, 1, 1))
    spec = attrs.evolve(
        spec,
        investments=(
            *spec.investments,
            Investment(
                id="sande-pcs",
                category=Category.MEMBER,
                year=2015,
                amount=Money.parse(100_000),
                member="sande",
            ),
        ),
    )
    found = [(p.code, p.message) for p in dikt.check(spec) if p.code == "E191"]
    assert found == [
        (
            "E191",
            '"sande" leaves from 2014-01-01, before this investment of 2015: it would be paid '
            "by nobody",
        )
    ]


def test_check_refuses_a_plan_year_in_which_every_member_has_left(d_ikt: Cooperation) -> None:
    spec = d_ikt
    for member in d_ikt.active_members:
        spec = _leaving(spec, member.id, dt.date(2014, 1, 1))
    found = [(p.code, p.path, p.message) for p in dikt.check(spec) if p.code == "E190"]
    assert found == [
        (
            "E190",
            "budget_year",
            "d-ikt has no members in 2014: every member has left by then",
        )
    ]


def test_check_warns_of_a_member_that_joins_after_the_budget_year(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"members/royken.toml": ("joined = 2010-01-01", "joined = 2013-01-01")})
    code, out, _ = run("check", spec, "--select", "W230")
    assert (code, out) == (
        0,
        f"{spec}/members/royken.toml:10:1: W230 joined: Røyken kommune joins on 2013-01-01, "
        "after the budget year 2012: it pays nothing before 2013\n0 errors, 1 warning\n",
    )
    assert "royken" not in _totals(dikt.allocate(dikt.load(spec)))


_JOINED = "joined = 2010-01-01"


def test_check_warns_of_a_leaving_date_that_is_not_the_first_of_january(tmp_path: Path) -> None:
    """2013-12-31, the last day of a membership, reads as leaving from 2013: said, with
    the date that means what was meant."""
    spec = _spec(
        tmp_path,
        {
            "members/royken.toml": (
                "joined = 2010-01-01",
                "joined = 2010-01-01\nleaving = 2013-12-31",
            )
        },
    )
    code, out, _ = run("check", spec, "--select", "W231")
    assert (code, out) == (
        0,
        f"{spec}/members/royken.toml:11:1: W231 leaving: Røyken kommune leaves on 2013-12-31, "
        "read as from 1 January 2013: it pays no contribution in 2013; if it is a member until "
        "the end of 2013, write 2014-01-01\n0 errors, 1 warning\n",
    )
    spec = _spec(
        tmp_path / "first",
        {
            "members/royken.toml": (
                "joined = 2010-01-01",
                "joined = 2010-01-01\nleaving = 2014-01-01",
            )
        },
    )
    assert run("check", spec, "--select", "W231")[1] == "0 errors, 0 warnings\n"


def test_the_gaps_of_a_member_price_it_in_a_year_before_it_joined(d_ikt: Cooperation) -> None:
    """Røyken joined 2010, Sande leaves from 2013: their cost shares in 2008 and
    2014 are priced as if they paid, not refused ("no member royken")."""
    assert dikt.gaps(d_ikt, "royken", 2008).member == "royken"
    later = _leaving(d_ikt, "sande", dt.date(2013, 1, 1))
    assert dikt.gaps(later, "sande", 2014).member == "sande"
    assert dikt.roadmap(later, "sande", 2014).member == "sande"


def test_an_application_only_a_leaving_member_used_costs_the_others_nothing(
    d_ikt: Cooperation,
) -> None:
    """Sande, the only user of Wintid (no cost model), leaves from 2013: in 2013
    nobody pays Wintid, and leave says the others take none of it over."""
    spec = d_ikt
    for member in ("drammen", "royken", "svelvik"):
        usage = dict(spec.members[member].systems)
        usage.pop("IT138", None)
        spec = attrs.evolve(
            spec,
            members={**spec.members, member: attrs.evolve(spec.members[member], systems=usage)},
        )
    leaving = _leaving(spec, "sande", dt.date(2013, 1, 1))
    allocation = dikt.allocate(leaving, 2013)
    assert "IT138" not in {s.item for s in allocation.splits if s.amount}
    result = dikt.leave(spec, "sande", 2013)
    (wintid,) = [line for line in result.left_behind if line.system == "IT138"]
    assert (str(wintid.paid), str(wintid.saved), str(wintid.left)) == (
        "900000.00",
        "900000.00",
        "0.00",
    )


def test_a_fixed_share_key_for_a_member_that_joins_later_is_an_error(
    d_ikt: Cooperation,
) -> None:
    # Found by the promise test: Drammen joining in 2013 pays nothing in 2012,
    # so a 40/30/20/10 key cannot cover the budget year's payers; check says
    # so (an error) instead of allocate refusing after check passed.
    shares = {
        "drammen": Fraction(4, 10),
        "royken": Fraction(3, 10),
        "sande": Fraction(2, 10),
        "svelvik": Fraction(1, 10),
    }
    drammen = attrs.evolve(d_ikt.members["drammen"], joined=dt.date(2013, 1, 1))
    spec = attrs.evolve(
        d_ikt,
        members={**d_ikt.members, "drammen": drammen},
        keys={**d_ikt.keys, "founders": Key(id="founders", shares=shares)},
    )
    found = [(p.code, p.path, p.message) for p in dikt.check(spec) if p.code == "E193"]
    assert found == [
        (
            "E193",
            "keys.founders.shares",
            'key "founders" has fixed shares, and drammen joins only in 2013, after '
            'the budget year 2012: make it a candidate (status = "candidate") and state the '
            "shares after it joins in [keys.founders.shares_with.drammen]",
        )
    ]
    # Without the key the same spec has no such error.
    assert not [p for p in dikt.check(attrs.evolve(spec, keys=d_ikt.keys)) if p.code == "E193"]
    # Shares without Drammen fail in the plan's year it joins in (2013): still E193;
    # joining after the plan's last year (2015), they cover every year planned.
    without = {"royken": Fraction(1, 2), "sande": Fraction(3, 10), "svelvik": Fraction(2, 10)}
    spec = attrs.evolve(spec, keys={**d_ikt.keys, "founders": Key(id="founders", shares=without)})
    assert [p.code for p in dikt.check(spec) if p.code == "E193"] == ["E193"]
    later = attrs.evolve(drammen, joined=dt.date(2016, 1, 1))
    spec = attrs.evolve(spec, members={**d_ikt.members, "drammen": later})
    assert not [p for p in dikt.check(spec) if p.code == "E193"]

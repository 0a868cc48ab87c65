"""A member that has left: its part of the investments still being paid.

The spec format's words: from its leaving year the member pays no
contribution; it keeps its part of the core and application investments of
its leaving year and later, "as its key would split them had it stayed", and
pays it at once when it leaves ("settle") or year by year as they fall due
("pay-to-end"); "the others pay only the rest". The oracle of its part is the
allocation of the spec in which it never leaves.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, event, given, strategies as st

import dikt
from dikt.allocation import LineKind
from dikt.model import Category, Cooperation, Investment, Leaving, Obligations
from dikt.money import Money

from .conftest import ROOT
from .strategies import cooperations, payable
from .test_cli import run

EXAMPLE_2013 = ROOT / "specs" / "d-ikt-2013"

_SHARED = (LineKind.CORE_INVESTMENT, LineKind.APPLICATION_INVESTMENT)


@st.composite
def with_a_leaver(draw: st.DrawFn) -> tuple[Cooperation, Cooperation, str]:
    """(the spec as it would be had the member stayed, the spec in which it leaves, its id).

    It leaves in the budget year or the year before, by either rule, and a
    core investment of the budget year is there for it to keep a part of.
    A key of fixed shares states the shares after it (E192 without them);
    its member investments of its leaving year and later are in neither
    spec (E191).
    """
    cooperation = payable(draw(cooperations()))
    year = cooperation.budget_year - draw(st.integers(0, 1))
    members = sorted(
        m.id for m in cooperation.active_members if m.joined is None or m.joined.year < year
    )
    if len(cooperation.active_members) < 2 or not members:
        # One member cannot leave a cooperation (nobody would pay): give it a partner.
        only = cooperation.active_members[0]
        other = attrs.evolve(only, id=f"{only.id}-b", name=f"{only.name} B", joined=None)
        cooperation = attrs.evolve(cooperation, members={**cooperation.members, other.id: other})
        members = [other.id]
    member = draw(st.sampled_from(members))
    keys = {
        key_id: attrs.evolve(
            key,
            shares_without={
                member: {
                    m: share / (1 - key.shares[member])
                    for m, share in key.shares.items()
                    if m != member
                }
            },
        )
        if key.shares is not None and member in key.shares and key.shares[member] < 1
        else key
        for key_id, key in cooperation.keys.items()
    }
    investment = Investment(
        id="leaving-test",
        category=Category.CORE,
        year=cooperation.budget_year,
        amount=Money(draw(st.integers(1, 10**9))),
    )
    stayed = attrs.evolve(
        cooperation,
        keys=keys,
        leaving=Leaving(investments=draw(st.sampled_from(Obligations))),
        investments=(
            *(
                i
                for i in cooperation.investments
                if not (i.category is Category.MEMBER and i.member == member and i.year >= year)
            ),
            investment,
        ),
    )
    gone = attrs.evolve(
        stayed,
        members={
            **stayed.members,
            member: attrs.evolve(stayed.members[member], leaving=dt.date(year, 1, 1)),
        },
    )
    return stayed, gone, member


def _allocations(cooperation: Cooperation, years: range) -> dict[int, dikt.Allocation] | None:
    try:
        return {year: dikt.allocate(cooperation, year) for year in years}
    except dikt.ComputeError:
        return None  # a split the generated spec cannot make, leaving or not


@given(with_a_leaver())
def test_every_investment_is_paid_once_the_leaver_its_part_had_it_stayed(
    case: tuple[Cooperation, Cooperation, str],
) -> None:
    stayed, gone, member = case
    start = gone.members[member].leaving.year  # type: ignore[union-attr]
    later = [i for i in gone.investments if i.year >= start and i.category is not Category.MEMBER]
    years = range(start, max([start, *(i.year for i in later)]) + 1)
    had_stayed = _allocations(stayed, years)
    allocations = _allocations(gone, years)
    assume(had_stayed is not None and allocations is not None)
    assert had_stayed is not None
    assert allocations is not None
    rule = gone.leaving.investments
    for investment in later:
        # Its part: its line had it stayed.
        part = sum(
            line.amount.ore
            for m in had_stayed[investment.year].members
            if m.id == member
            for line in m.lines
            if line.item == investment.id and line.kind in _SHARED
        )
        paid: dict[int, int] = {}  # what the leaver pays toward it, by year
        shared = 0  # what the members pay of it
        for year, allocation in allocations.items():
            for m in allocation.members:
                for line in m.lines:
                    if line.item != investment.id:
                        continue
                    if m.id == member:
                        assert line.kind is LineKind.OBLIGATION
                        paid[year] = paid.get(year, 0) + line.amount.ore
                    elif line.kind in _SHARED:
                        assert year == investment.year
                        shared += line.amount.ore
        assert shared + sum(paid.values()) == investment.amount.ore, investment.id
        when = start if rule is Obligations.SETTLE else investment.year
        assert paid == ({when: part} if part else {}), investment.id
    # In the years it has left it pays obligations only, and every allocation adds up.
    for allocation in allocations.values():
        assert sum(m.total.ore for m in allocation.members) == allocation.total.ore
        for m in allocation.members:
            if m.id == member:
                assert {line.kind for line in m.lines} == {LineKind.OBLIGATION}


@given(with_a_leaver())
def test_the_what_if_of_leaving_is_the_leaving_date_stated(
    case: tuple[Cooperation, Cooperation, str],
) -> None:
    stayed, gone, member = case
    year = gone.members[member].leaving.year  # type: ignore[union-attr]
    try:
        estimate = dikt.leave(stayed, member, year)
        allocation = dikt.allocate(gone, year)
    except dikt.ComputeError:
        assume(False)
        return
    totals = {m.id: m.total for m in allocation.members}
    assert {c.id: c.after for c in estimate.members} == {
        m: total for m, total in totals.items() if m != member
    }
    assert estimate.due().get(year, dikt.Money(0)) == totals.get(member, dikt.Money(0))
    assert estimate.paying_after == totals.get(member, dikt.Money(0))
    assert estimate.total_after == allocation.total


@given(with_a_leaver(), st.integers(-(10**6), 10**6))
def test_an_investments_overspend_is_the_members_alone(
    case: tuple[Cooperation, Cooperation, str], extra: int
) -> None:
    """Settled by actual costs: the leaver's part stays as it was fixed; the
    members share the rest of the investment's actual cost."""
    _, gone, member = case
    year = gone.budget_year
    try:
        budget = dikt.allocate(gone, year)
    except dikt.ComputeError:
        assume(False)
        return
    withheld = [s for s in budget.splits if s.withheld]
    assume(withheld)
    projects: dict[str, dikt.Money] = {}
    for split in budget.splits:
        if split.kind is LineKind.OBLIGATION:
            continue  # no project of its own: a part of an investment
        key = (
            f"{split.participants[0]}/{split.item}"
            if split.kind is LineKind.OWN_SYSTEM
            else split.item
        )
        # The ledger books the whole investment.
        projects[key] = split.amount + split.withheld
    target = withheld[0]
    extra = max(extra, -(target.amount + target.withheld).ore)  # a cost is never below 0
    projects[target.item] = projects[target.item] + dikt.Money(extra)
    actuals = dikt.Actuals(year=year, currency="NOK", source="-", projects=projects)
    result = dikt.settle(gone, actuals, budget=budget)
    assert sum(m.difference.ore for m in result.members) == result.difference.ore == extra
    for m in result.members:
        if m.id == member:
            assert m.difference == dikt.Money(0)
    variance = [i for i in result.items if i.item == target.item and i.kind is target.kind]
    assert [i.difference.ore for i in variance] == [extra]


@pytest.fixture(scope="module")
def sande_leaves_2013(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """D-IKT of 2013 in which Sande leaves from 2013 (and settles, the default)."""
    spec = tmp_path_factory.mktemp("left") / "d-ikt-2013"
    shutil.copytree(EXAMPLE_2013, spec)
    member = spec / "members" / "sande.toml"
    text = member.read_text(encoding="utf-8")
    member.write_text(
        text.replace('name = "Sande kommune"\n', 'name = "Sande kommune"\nleaving = 2013-01-01\n'),
        encoding="utf-8",
    )
    return spec


def test_the_invoices_of_a_member_that_has_left_in_bokmal(sande_leaves_2013: Path) -> None:
    """Sande leaves D-IKT from 2013 and settles its part of the investments of
    2013-2015 at once: one invoice, on 1 January; the others' are quarterly."""
    spec = sande_leaves_2013
    code, out, _ = run("invoices", spec, "--lang", "nb")
    assert code == 0
    assert (
        "Et medlem som har trådt ut, faktureres for hele sin andel av investeringene på "
        "årets første faktura, ikke fordelt på terminene.\n"
    ) in out
    assert (
        "Sande kommune\n"
        "nr.  dato        forfall     type                                 beløp\n"
        "---  ----------  ----------  ------------------------------  ----------\n"
        "  1  01.01.2013  31.01.2013  investeringsandel ved uttreden  868\xa0715,12\n"
        "sum                                                          868\xa0715,12\n"
    ) in out
    code, out, _ = run("allocate", spec, "--member", "sande", "--format", "json")
    assert code == 0
    lines = [
        (line["item"], line["kind"], line["amount"])
        for line in json.loads(out)["members"][0]["lines"]
    ]
    assert lines == [
        ("backup-2014", "obligation", "109507.64"),
        ("citrix-2015", "obligation", "292020.37"),
        ("eforms-2013", "obligation", "65659.09"),
        ("network-2013", "obligation", "255517.83"),
        ("storage-2013", "obligation", "146010.19"),
    ]


def test_explain_derives_the_part_of_a_member_that_has_left(sande_leaves_2013: Path) -> None:
    """Its obligation by the key had it stayed (not "paid alone"), and the others'
    line of the same investment from the rest, with what was taken off."""
    code, out, _ = run("explain", sande_leaves_2013, "sande", "citrix-2015")
    assert code == 0
    assert out == (
        "Sande kommune, 2013: 868,715.12 NOK\n\n"
        "citrix-2015 Fornyelse av Citrix XenApp (obligation)\n"
        "Sande has left: its part of the investment, as the key would split it had it stayed.\n\n"
        "  rule:      in proportion to users\n"
        "  split:     4,000,000.00 NOK among 5 participants (Drammen, Nedre Eiker, Røyken, "
        "Sande, Svelvik)\n"
        "  quantity:  2150 of a basis of 29450\n"
        "  share:     2150 / 29450 = 43/589 (~0.0730050934)\n"
        "  exact:     172000000/589 (~292020.3735144312) NOK\n"
        "  amount:    292,020.37 NOK (floored; ~0.0035144312 below the exact share)\n"
    )
    code, out, _ = run("explain", sande_leaves_2013, "drammen", "network-2013")
    assert code == 0
    assert (
        "  split:     3,244,482.17 NOK (3,500,000.00 NOK less 255,517.83 NOK borne by members "
        "that have left) among 4 participants (Drammen, Nedre Eiker, Røyken, Svelvik)\n"
    ) in out


def test_a_year_in_which_a_member_of_the_spec_pays_nothing_is_said_as_such(
    sande_leaves_2013: Path,
) -> None:
    """Not "no member sande in the spec": it is there, and pays nothing that year."""
    assert run("allocate", sande_leaves_2013, "--year", "2016", "--member", "sande") == (
        2,
        "",
        "dikt: Sande kommune pays nothing in 2016: it left from 2013-01-01, and pays no part "
        "of an investment that year\n",
    )
    assert run("explain", sande_leaves_2013, "royken", "--year", "2008", "--lang", "nb") == (
        2,
        "",
        "dikt: Røyken kommune betaler ingenting i 2008: medlemskapet starter 01.01.2010\n",
    )


def test_the_settlement_with_a_member_that_has_left(sande_leaves_2013: Path) -> None:
    """Storage of 2013 runs 300 000 over: the members bear it all, Sande's part stays as
    budgeted; the summary says how the ledger's costs become the costs settled."""
    cooperation = dikt.load(sande_leaves_2013)
    budget = dikt.allocate(cooperation, 2013)
    projects = {}
    for split in budget.splits:
        if split.kind is LineKind.OBLIGATION:
            continue
        key = split.item if split.kind is not LineKind.OWN_SYSTEM else None
        if key is not None:
            projects[key] = split.amount + split.withheld
    projects["storage-2013"] += Money(300_000_00)
    lines = "\n".join(f'"{k}" = "{v}"' for k, v in sorted(projects.items()))
    accounts = sande_leaves_2013 / "accounts"
    accounts.mkdir(exist_ok=True)
    own = "\n".join(
        f'"{m.id}/{own_id}" = "{own.annual_cost}"'
        for m in cooperation.active_members
        if m.id != "sande"
        for own_id, own in m.own_systems.items()
    )
    (accounts / "2013.toml").write_text(
        f'year = 2013\ncurrency = "NOK"\n\n[actuals]\n{lines}\n{own}\n', encoding="utf-8"
    )
    code, out, err = run("settle", sande_leaves_2013, "--year", "2013", "--member", "sande")
    assert code == 0, err
    assert out.startswith(
        "Drammensregionens IKT (d-ikt): settlement 2013, NOK\n\n"
        "Invoiced on account:                  61,421,528.01 NOK\n"
        "Actual costs in the ledger:           61,320,000.00 NOK\n"
        "Members that have left, as budgeted:    +401,528.01 NOK\n"
        "Actual costs to settle:               61,721,528.01 NOK\n"
        "Difference:                             +300,000.00 NOK\n"
    ), out[:600]
    # The project as booked, whole: its overspend is the members' (Drammen, 14 500 of
    # 27 300 users, bears 159 340.66 of it).
    assert (
        "storage-2013  Kapasitet i HP 3PAR for Nedre Eiker   2,000,000.00   2,300,000.00  "
        "+300,000.00\n"
    ) in out
    assert "Drammen kommune      33,171,461.41  33,330,802.07  +159,340.66\n" in out
    assert "Sande kommune           868,715.12     868,715.12         0.00\n" in out
    assert out.endswith(
        "Sande kommune\n"
        "Sande kommune has left: it pays its part of the investments as budgeted and bears no "
        "overspend or underspend.\n"
    )


def test_costs_booked_to_no_project_are_shared_by_the_members_that_pay(
    sande_leaves_2013: Path,
) -> None:
    """Sande has left from 2013: it settles its parts of the investments as invoiced and
    bears no part of the costs booked to no project, in its leaving year or after (they
    were once shared with it, and the year after stopped with a KeyError)."""
    cooperation = dikt.load(sande_leaves_2013)
    spec = attrs.evolve(
        cooperation, settlement=attrs.evolve(cooperation.settlement, unassigned_key="equal")
    )
    for year, sande in ((2013, {"sande": "0.00"}), (2014, {})):
        budget = dikt.allocate(spec, year)
        projects = {
            (
                f"{split.participants[0]}/{split.item}"
                if split.kind is LineKind.OWN_SYSTEM
                else split.item
            ): split.amount + split.withheld
            for split in budget.splits
            if split.kind is not LineKind.OBLIGATION
        }
        actuals = dikt.Actuals(
            year=year, currency="NOK", source="-", projects=projects, unassigned=Money(100_00)
        )
        result = dikt.settle(spec, actuals, budget=budget)
        assert {m.id: str(m.difference) for m in result.members} == {
            "drammen": "25.00",
            "nedre-eiker": "25.00",
            "royken": "25.00",
            "svelvik": "25.00",
            **sande,
        }, year


def _leaves(cooperation: Cooperation, member: str, year: int) -> Cooperation:
    return attrs.evolve(
        cooperation,
        members={
            **cooperation.members,
            member: attrs.evolve(cooperation.members[member], leaving=dt.date(year, 1, 1)),
        },
    )


def test_two_members_leave_in_turn_and_every_investment_is_paid_once() -> None:
    """Sande leaves from 2013 and settles then; Svelvik from 2014, and settles its
    part of 2014 and 2015 in 2014, beside Sande's settled one."""
    d_ikt = dikt.load(EXAMPLE_2013.parent / "d-ikt")
    spec = _leaves(_leaves(d_ikt, "sande", 2013), "svelvik", 2014)
    years = {year: dikt.allocate(spec, year) for year in (2013, 2014, 2015)}
    paid = {
        (year, m.id): sorted(line.item for line in m.lines if line.kind is LineKind.OBLIGATION)
        for year, allocation in years.items()
        for m in allocation.members
        if m.id in ("sande", "svelvik")
        and any(line.kind is LineKind.OBLIGATION for line in m.lines)
    }
    assert paid == {
        (2013, "sande"): [
            "backup-2014",
            "citrix-2015",
            "eforms-2013",
            "network-2013",
            "storage-2013",
        ],
        (2014, "svelvik"): ["backup-2014", "citrix-2015"],
    }
    for investment in spec.investments:
        if investment.year < 2013 or investment.category is Category.MEMBER:
            continue
        lines = [
            line.amount
            for allocation in years.values()
            for m in allocation.members
            for line in m.lines
            if line.item == investment.id
        ]
        assert Money.sum(lines) == investment.amount, investment.id


def test_the_parts_agreed_when_a_member_gave_notice_are_taken_as_they_are(
    sande_leaves_2013: Path, tmp_path: Path
) -> None:
    """obligations in its file: those parts, of those investments only, whatever the
    key would give; the others split the rest; `dikt leave` and explain say the same."""
    spec = tmp_path / "spec"
    shutil.copytree(sande_leaves_2013, spec)
    with (spec / "members" / "sande.toml").open("a", encoding="utf-8") as file:
        file.write("\n[obligations]\nnetwork-2013 = 250_000\ncitrix-2015 = 300_000.50\n")
    cooperation = dikt.load(spec)
    assert not [p for p in dikt.check(cooperation) if p.severity is dikt.Severity.ERROR]
    allocation = dikt.allocate(cooperation, 2013)
    sande = allocation.member("sande")
    assert [(line.item, str(line.amount)) for line in sande.lines] == [
        ("citrix-2015", "300000.50"),
        ("network-2013", "250000.00"),
    ]
    shared = [
        line.amount
        for m in allocation.members
        if m.id != "sande"
        for line in m.lines
        if line.item == "network-2013"
    ]
    assert str(Money.sum(shared)) == "3250000.00"
    # storage-2013, not agreed: the members pay it whole.
    storage = [
        line.amount for m in allocation.members for line in m.lines if line.item == "storage-2013"
    ]
    assert str(Money.sum(storage)) == "2000000.00"
    assert "sande" not in {
        m.id for m in dikt.allocate(cooperation, 2015).members
    }  # settled in 2013
    in_2015 = dikt.allocate(cooperation, 2015)
    citrix = [
        line.amount for m in in_2015.members for line in m.lines if line.item == "citrix-2015"
    ]
    assert str(Money.sum(citrix)) == "3699999.50"
    code, out, _ = run("explain", spec, "sande", "citrix-2015")
    assert code == 0
    assert (
        "Sande has left: its part of the investment as agreed when it gave notice "
        "(obligations in its file).\n"
    ) in out
    # An exact share in whole øre is written with both decimals, as money is.
    assert "  exact:     300000.50 NOK\n" in out
    # The table is the whole agreement: what it leaves out is said, and is the others'.
    assert [(p.code, p.message) for p in dikt.check(cooperation) if p.code == "W232"] == [
        (
            "W232",
            "Sande kommune bears no part of backup-2014, eforms-2013, storage-2013, which its "
            "obligations leave out: the other members pay them whole",
        )
    ]
    estimate = dikt.leave(cooperation, "sande", 2013)
    assert estimate.agreed
    assert [(o.investment, str(o.share)) for o in estimate.obligations] == [
        ("network-2013", "250000.00"),
        ("citrix-2015", "300000.50"),
    ]
    code, out, _ = run("leave", spec, "sande", "--lang", "nb")
    assert "slik den ble avtalt ved oppsigelsen (obligations i medlemmets fil)" in out


def test_obligations_that_cannot_be_are_errors_with_file_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE_2013, spec)
    sande = spec / "members" / "sande.toml"
    sande.write_text(
        sande.read_text(encoding="utf-8").replace(
            'name = "Sande kommune"\n', 'name = "Sande kommune"\nleaving = 2014-01-01\n'
        )
        + "\n[obligations]\nstorage-2013 = 1\nbackup-2041 = 2\nbackup-2014 = 9_000_000\n",
        encoding="utf-8",
    )
    royken = spec / "members" / "royken.toml"
    royken.write_text(
        royken.read_text(encoding="utf-8") + "\n[obligations]\nbackup-2014 = 1\n", encoding="utf-8"
    )
    code, out, _ = run("check", spec, "--select", "E183,E184")
    assert code == 1
    lines = out.replace(f"{spec}/", "").splitlines()
    assert sorted(line.split(": ", 1)[1] for line in lines[:-1]) == [
        "E183 obligations: obligations are the parts of investments a member that leaves "
        "bears: give Røyken kommune a leaving date, or remove them",
        "E184 obligations.backup-2014: a part of 9000000.00 is more than the investment "
        "backup-2014 (1500000.00)",
        'E184 obligations.backup-2041: unknown investment "backup-2041"; did you mean '
        '"backup-2014"?',
        "E184 obligations.storage-2013: storage-2013 is of 2013, before Sande kommune leaves "
        "(2014-01-01): it pays it in full in its contribution of 2013",
    ]
    assert all(
        line.startswith(("members/royken.toml:", "members/sande.toml:")) for line in lines[:-1]
    )


def test_parts_that_come_to_more_than_the_investment_are_an_error_of_check(
    tmp_path: Path,
) -> None:
    """Sande agrees to bear all of backup-2014 and Svelvik leaves too, its part by the
    key: each part fits, together they do not, and allocate could not split the rest
    among the members. check says so (E185), before allocate is asked."""
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE_2013, spec)
    for member, name in [("sande", "Sande kommune"), ("svelvik", "Svelvik kommune")]:
        path = spec / "members" / f"{member}.toml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                f'name = "{name}"\n', f'name = "{name}"\nleaving = 2013-01-01\n'
            ),
            encoding="utf-8",
        )
    sande = spec / "members" / "sande.toml"
    text = sande.read_text(encoding="utf-8")
    sande.write_text(text + "\n[obligations]\nbackup-2014 = 1_500_000\n", encoding="utf-8")
    code, out, _ = run("check", spec, "--select", "E185")
    assert code == 1
    assert out.replace(f"{spec}/", "").splitlines()[0] == (
        "members/sande.toml:141:1: E185 obligations.backup-2014: the parts of backup-2014 that "
        "members who have left bear come to 1586587.44, more than the investment "
        "(1500000.00): Sande kommune 1500000.00 as agreed, Svelvik kommune 86587.44 as the "
        "key gives them"
    )
    code, out, _ = run("check", spec, "--select", "E185", "--lang", "nb")
    # Amounts as bokmål writes them, not as JSON does.
    assert (
        "utgjør til sammen 1\xa0586\xa0587,44, mer enn investeringen (1\xa0500\xa0000,00): "
        "Sande kommune 1\xa0500\xa0000,00 som avtalt, Svelvik kommune 86\xa0587,44 slik "
        "nøkkelen fordeler dem\n"
    ) in out
    # Two agreed parts that fit alone and not together.
    svelvik = spec / "members" / "svelvik.toml"
    svelvik.write_text(
        svelvik.read_text(encoding="utf-8") + "\n[obligations]\nbackup-2014 = 0.01\n",
        encoding="utf-8",
    )
    problems = [p for p in dikt.check(dikt.load(spec)) if p.code == "E185"]
    assert [p.message for p in problems] == [
        "the parts of backup-2014 that members who have left bear come to 1500000.01, more "
        "than the investment (1500000.00): Sande kommune 1500000.00, Svelvik kommune 0.01 "
        "as agreed"
    ]
    # Whole, and no more: the members split a rest of 0, and allocate computes.
    sande.write_text(text + "\n[obligations]\nbackup-2014 = 1_499_999.99\n", encoding="utf-8")
    cooperation = dikt.load(spec)
    assert not [p for p in dikt.check(cooperation) if p.severity is dikt.Severity.ERROR]
    allocation = dikt.allocate(cooperation, 2014)
    shared = [
        line.amount
        for m in allocation.members
        for line in m.lines
        if line.item == "backup-2014" and line.kind is not LineKind.OBLIGATION
    ]
    assert shared
    assert str(Money.sum(shared)) == "0.00"


@functools.cache
def _example_2013() -> Cooperation:
    return dikt.load(EXAMPLE_2013)


@st.composite
def leavers_with_agreed_parts(draw: st.DrawFn) -> Cooperation:
    """D-IKT of 2013 in which two or three members leave in 2013 or 2014, by either
    rule, and one or more of them states parts of the later investments it bears
    (each one fits: at most the investment)."""
    cooperation = _example_2013()
    later = [
        i for i in cooperation.investments if i.year >= 2013 and i.category is not Category.MEMBER
    ]
    gone = draw(
        st.lists(st.sampled_from(sorted(cooperation.members)), min_size=2, max_size=3, unique=True)
    )
    members = dict(cooperation.members)
    for member in gone:
        joined = members[member].joined
        year = draw(st.sampled_from([y for y in (2013, 2014) if joined is None or joined.year < y]))
        parts: dict[str, Money] = {}
        if draw(st.booleans()):
            for investment in later:
                if investment.year >= year and draw(st.booleans()):
                    ore = draw(
                        st.integers(0, investment.amount.ore) | st.just(investment.amount.ore)
                    )
                    parts[investment.id] = Money(ore)
        members[member] = attrs.evolve(
            members[member], leaving=dt.date(year, 1, 1), obligations=parts
        )
    rule = draw(st.sampled_from(Obligations))
    return attrs.evolve(cooperation, members=members, leaving=Leaving(investments=rule))


@given(leavers_with_agreed_parts())
def test_check_says_when_the_parts_of_the_leavers_cannot_be_paid(spec: Cooperation) -> None:
    """check's promise with members leaving, some with agreed parts: no error, and every
    year of the plan allocates; E185 (parts together beyond an investment), and the
    investment's year cannot (the members would split a negative rest)."""
    problems = [p for p in dikt.check(spec) if p.severity is dikt.Severity.ERROR]
    assert {p.code for p in problems} <= {"E185", "E190"}, problems
    assume(not [p for p in problems if p.code == "E190"])  # nobody left to pay
    beyond = {p.path.removeprefix("obligations.") for p in problems}
    event("E185" if beyond else "no error")
    by_id = {i.id: i for i in spec.investments}
    for year in range(2013, 2016):
        if {by_id[i].year for i in beyond} & {year}:
            with pytest.raises(dikt.ComputeError):
                dikt.allocate(spec, year)
        else:
            allocation = dikt.allocate(spec, year)
            assert sum(m.total.ore for m in allocation.members) == allocation.total.ore


def test_parts_beyond_an_investment_are_said_at_a_member_bearing_one_whatever_else_fails(
    tmp_path: Path,
) -> None:
    """E185 for backup-2014 (2014) though the investments of 2013 cannot be split at
    all (ghost-2013: nobody uses its system, E108), and in the file of a member that
    bears a part of it: Sande, not Drammen, whose agreed part of it is 0."""
    spec = tmp_path / "spec"
    shutil.copytree(EXAMPLE_2013, spec)
    with (spec / "cooperation.toml").open("a", encoding="utf-8") as file:
        file.write(
            '\n[systems.IT998]\nname = "Ubrukt"\npackage = "application"\n'
            'domain = "communication"\nannual_cost = 1_000\n'
            '\n[[investments]]\nid = "ghost-2013"\ncategory = "application"\nyear = 2013\n'
            'amount = 1_000\nsystem = "IT998"\n'
        )
    leaving = {
        "drammen": ("Drammen kommune", "2014-01-01", "backup-2014 = 0\n"),
        "sande": ("Sande kommune", "2013-01-01", "network-2013 = 1\nbackup-2014 = 1_500_000\n"),
        "svelvik": ("Svelvik kommune", "2013-01-01", ""),
    }
    for member, (name, date, parts) in leaving.items():
        path = spec / "members" / f"{member}.toml"
        text = path.read_text(encoding="utf-8").replace(
            f'name = "{name}"\n', f'name = "{name}"\nleaving = {date}\n'
        )
        path.write_text(text + (f"\n[obligations]\n{parts}" if parts else ""), encoding="utf-8")
    problems = dikt.check(dikt.load(spec))
    assert [(p.file, p.path) for p in problems if p.code == "E185"] == [
        ("members/sande.toml", "obligations.backup-2014")
    ]
    assert "E108" in {p.code for p in problems}
